"""Reading question banks (TOML files shipped inside the package) field by field.

Banks are data, so every tool validates its bank the same way: a `Fields` wrapper hands
out typed values and raises `BankError` naming the file and the dotted path of the field.
tomllib is in the standard library of CPython 3.11+ and of Pyodide, so the same loader
serves the build, the tests and the browser.

The wheel the browser gets holds each bank already parsed, as `<bank>.toml.json` in place
of `<bank>.toml` (written by build/pyodide_runtime.py from the TOML, the one source):
Python's own JSON reader is compiled, where tomllib is Python code that the browser runs
slowly, so a tool's first answer comes sooner. The names stay those of the TOML files.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from .errors import BankError

__all__ = ["read_bank", "Fields", "bank_file_name", "bank_files", "bank_title", "PARSED_SUFFIX"]

# The banks sit at the top of the package (assessments/banks/), beside the folders of the
# tools that read them, so one place holds every question whichever module asks.
_PACKAGE = __package__.rpartition(".")[0]
_BANK_DIR = "banks"
# A bank parsed at build time, beside or in place of its TOML file: "<bank>.toml" + this.
PARSED_SUFFIX = ".json"
_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def bank_file_name(slug: str) -> str:
    """The file name of a bank, relative to `assessments/banks/`."""
    return f"{slug}.toml"


def bank_files() -> list[str]:
    """Every bank file, as paths relative to `assessments/banks/` (e.g. `checklists/design.toml`)."""
    root = resources.files(_PACKAGE).joinpath(_BANK_DIR)

    def banks_in(folder, prefix: str = "") -> set[str]:
        return {prefix + entry.name.removesuffix(PARSED_SUFFIX) for entry in folder.iterdir()
                if entry.name.endswith((".toml", ".toml" + PARSED_SUFFIX))}

    names = banks_in(root)
    for entry in root.iterdir():
        if entry.is_dir():
            names |= banks_in(entry, f"{entry.name}/")
    return sorted(names)


def read_bank(slug: str) -> "Fields":
    """Parse `assessments/banks/<slug>.toml` (or the build's parsed copy of it) and wrap it
    for validated access."""
    name = bank_file_name(slug)
    banks = resources.files(_PACKAGE).joinpath(_BANK_DIR)
    parsed = banks.joinpath(*(name + PARSED_SUFFIX).split("/"))
    if parsed.is_file():
        return Fields(name, "", json.loads(parsed.read_text("utf-8")))
    try:
        text = banks.joinpath(*name.split("/")).read_text("utf-8")
    except FileNotFoundError as missing:
        raise BankError(name, "", "the bank file does not exist") from missing
    import tomllib  # only where the banks are not parsed already: the build and the tests

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as broken:
        raise BankError(name, "", f"not valid TOML ({broken})") from broken
    return Fields(name, "", data)


def bank_title(slug: Any) -> str | None:
    """The title of the tool whose bank is `<slug>.toml`, or None when no bank has that name.

    For naming another tool in a message (a file saved by it was loaded here) from the slug
    the file gives: only a bank at the top of `banks/` counts, so no text from a file ever
    becomes a path.
    """
    if not isinstance(slug, str) or not _KEBAB.fullmatch(slug) or bank_file_name(slug) not in bank_files():
        return None
    title = read_bank(slug).data.get("title")
    return title if isinstance(title, str) else None


class Fields:
    """A table of a bank, with the path that leads to it, for error messages."""

    def __init__(self, bank: str, path: str, data: dict[str, Any]) -> None:
        self.bank = bank
        self.path = path
        self.data = data

    def _where(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, problem: str) -> BankError:
        return BankError(self.bank, self._where(key), problem)

    def _get(self, key: str, kind: type | tuple[type, ...], label: str, default: Any) -> Any:
        if key not in self.data:
            if default is not _REQUIRED:
                return default
            raise self.fail(key, "missing field")
        value = self.data[key]
        # bool is an int in Python; a bank that says `points = true` is a mistake.
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(key, f"must be {label}, not true/false")
        if not isinstance(value, kind):
            raise self.fail(key, f"must be {label}")
        return value

    def text(self, key: str) -> str:
        value = self._get(key, str, "text", _REQUIRED)
        if not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def ident(self, key: str = "id") -> str:
        """A kebab-case id: it becomes a form field name, an HTML id and a JSON key."""
        value = self.text(key)
        if not _KEBAB.fullmatch(value):
            raise self.fail(key, f"'{value}' must be lower-case words joined by hyphens")
        return value

    def optional_text(self, key: str) -> str:
        return self._get(key, str, "text", "")

    def number(self, key: str, default: Any = None) -> float:
        value = self._get(key, (int, float), "a number", _REQUIRED if default is None else default)
        return float(value)

    def integer(self, key: str, default: Any = None) -> int:
        return self._get(key, int, "a whole number", _REQUIRED if default is None else default)

    def flag(self, key: str, default: bool = False, *, required: bool = False) -> bool:
        return self._get(key, bool, "true or false", _REQUIRED if required else default)

    def text_list(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        values = self._get(key, list, "a list of text", _REQUIRED if required else [])
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise BankError(self.bank, f"{self._where(key)}[{index}]", "must be text")
        return tuple(values)

    def table(self, key: str, *, required: bool = True) -> "Fields":
        value = self._get(key, dict, "a table", _REQUIRED if required else {})
        return Fields(self.bank, self._where(key), value)

    def tables(self, key: str, *, required: bool = True) -> list["Fields"]:
        values = self._get(key, list, "a list of tables", _REQUIRED if required else [])
        if required and not values:
            raise self.fail(key, "must have at least one entry")
        out = []
        for index, value in enumerate(values):
            where = f"{self._where(key)}[{index}]"
            if not isinstance(value, dict):
                raise BankError(self.bank, where, "must be a table")
            out.append(Fields(self.bank, where, value))
        return out

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def unique_ids(self, items: list["Fields"], key: str = "id") -> None:
        """Fail if two entries share an id: answers are keyed by id."""
        seen: set[str] = set()
        for item in items:
            ident = item.ident(key)
            if ident in seen:
                raise item.fail(key, f"duplicate id '{ident}'")
            seen.add(ident)


class _Required:
    pass


_REQUIRED = _Required()
