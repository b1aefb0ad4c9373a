"""Another module of build/, loaded by its file path.

build/ is deliberately not a package (a package named `build` would shadow PyPA's
`build`; DESIGN.md), and MkDocs loads each hook by its path, so a hook cannot import a
neighbour as `build.x`. This module is imported by its plain name (`import siblings`):
MkDocs puts a hook's folder on sys.path while it loads the hook, Python puts a script's
folder there when it runs `python build/x.py`, and the tests import it the same way
(tests/support_build.py). Every other module of build/ is then reached through
load_sibling, so each is loaded once per process and shared by all that use it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["BUILD_DIR", "load_sibling"]

BUILD_DIR = Path(__file__).resolve().parent


def load_sibling(name: str) -> ModuleType:
    """build/<name>.py as a module, loaded on first use and kept in sys.modules.

    It is registered before it runs, as `import` does: a dataclass looks its module up
    in sys.modules while the class is made. A module that fails while loading is not
    kept, so the next call shows the same error instead of a half-made module."""
    key = f"cssc_build_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, BUILD_DIR / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[key]
            raise
    return sys.modules[key]
