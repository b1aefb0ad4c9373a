"""Question banks, scoring and JSON records for the children's social care analytics guide.

Standard library only, no I/O: the same code runs in CPython (tests, build) and in the
browser through Pyodide. See the README for how the pieces fit.
"""

from .core.errors import BankError, InputError

__all__ = ["BankError", "InputError", "__version__"]
__version__ = "1.2.0"
