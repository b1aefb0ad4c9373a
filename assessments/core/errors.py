"""The two kinds of failure the package reports, both in plain words.

`InputError` is the user's problem (a bad file, an answer that is not allowed) and its
message is shown to them as it is. `BankError` is the author's problem (a question bank
that is not valid) and its message names the bank file and the field, so the build can
fail with something an editor can act on.
"""

__all__ = ["InputError", "BankError"]


class InputError(ValueError):
    """Answers or an imported file that cannot be used. The message is for the reader."""


class BankError(ValueError):
    """A question bank that breaks a rule. The message names the file and the field."""

    def __init__(self, bank: str, where: str, problem: str) -> None:
        self.bank = bank
        self.where = where
        self.problem = problem
        super().__init__(f"{bank}: {where}: {problem}" if where else f"{bank}: {problem}")
