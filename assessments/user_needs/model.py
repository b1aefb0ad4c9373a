"""The user needs table: its bank, the answers it accepts, and the table it gives back.

The Main Guidance (Explore phase, Problem identification stage) asks the team to fill
in a user needs table: users, what they are trying to do, how they currently do it,
the problems and frustrations they experience, and what they need to achieve their
goals. The Design stage builds on it with users and affected stakeholders. The columns,
the limits and the gentle checks are data in `banks/user-needs.toml`.

Answers are flat form names, one per filled cell:

    {"row-1--user": "Team managers", "row-1--needs": "Up-to-date caseloads", ...}

`row-<n>--<column id>`: n is the row's position in the table, counting from 1, and the
column id comes from the bank. The page may leave gaps (an empty row in the middle);
validation drops rows with no text and numbers the rest 1, 2, 3… in order, so a
validated (saved) table always has contiguous rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Mapping

from ..core.bank_reader import Fields, read_bank
from ..core.errors import InputError
from ..core.links import Link

__all__ = [
    "SLUG",
    "CHECK_KINDS",
    "FIELD_NAME",
    "Column",
    "Check",
    "Example",
    "UserNeedsBank",
    "Row",
    "FlaggedRow",
    "CheckResult",
    "UserNeedsResult",
    "field_name",
    "load_user_needs_bank",
    "parse_user_needs_bank",
    "validate_user_needs_answers",
    "user_needs_answers_schema",
    "table_rows",
    "score_user_needs",
]

SLUG = "user-needs"
CHECK_KINDS = ("missing", "mentions", "none-mention")
# `row-<n>--<column id>`. Six digits at most, so a hostile file cannot make Python turn
# a million-digit number into an int; anything longer is simply not a cell name.
FIELD_NAME = re.compile(r"row-([1-9][0-9]{0,5})--([a-z0-9]+(?:-[a-z0-9]+)*)")
# Generous bounds on what a bank may ask for: the page renders every row it allows.
_MAX_ROWS_LIMIT = 500
_MAX_LENGTH_LIMIT = 20_000


def field_name(row: int, column: str) -> str:
    """The form name (and answer key) of one cell: `field_name(2, "needs")` -> `row-2--needs`."""
    return f"row-{row}--{column}"


# ------------------------------------------------------------------------ the bank


@dataclass(frozen=True)
class Column:
    id: str
    label: str  # the column heading, the field's label and the CSV header
    help: str
    example: str  # a worked example cell, shown beside the help
    max_length: int  # characters
    lines: int  # 1: a one-line box; more: a paragraph box that many lines tall


@dataclass(frozen=True)
class Check:
    """A gentle prompt under the table (see the bank's header for the kinds)."""

    id: str
    kind: str  # one of CHECK_KINDS
    column: str
    when_filled: str  # "missing" only: the column whose text makes `column` expected; "" = any
    words: tuple[str, ...]  # "mentions" and "none-mention" only
    title: str
    advice: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Example:
    """A worked example: answers and the result they must give."""

    name: str
    answers: Mapping[str, Any]
    expected_rows: int
    expected_checks: tuple[str, ...]


@dataclass(frozen=True)
class UserNeedsBank:
    slug: str
    title: str
    version: str
    intro: str
    item_name: str  # what one row is: "user"
    item_name_plural: str
    max_rows: int
    blank_rows: int
    user_column: str
    columns: tuple[Column, ...]
    checks: tuple[Check, ...]
    examples: tuple[Example, ...]

    def column(self, column_id: str) -> Column:
        return next(c for c in self.columns if c.id == column_id)

    @property
    def column_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.columns)

    def row_name(self, number: int) -> str:
        """How the page and messages call a row: "User 3"."""
        return f"{self.item_name.capitalize()} {number}"

    def count(self, number: int) -> str:
        """`3 users`, `1 user`."""
        return f"{number} {self.item_name if number == 1 else self.item_name_plural}"


def _links(fields: Fields) -> tuple[Link, ...]:
    return tuple(Link(f.text("title"), f.text("target")) for f in fields.tables("links", required=False))


def _columns(bank: Fields) -> tuple[Column, ...]:
    tables = bank.tables("columns")
    bank.unique_ids(tables)
    columns = []
    for f in tables:
        max_length = f.integer("max_length")
        if not 1 <= max_length <= _MAX_LENGTH_LIMIT:
            raise f.fail("max_length", f"must be between 1 and {_MAX_LENGTH_LIMIT:,}")
        lines = f.integer("lines", 1)
        if not 1 <= lines <= 20:
            raise f.fail("lines", "must be between 1 and 20")
        columns.append(Column(f.ident(), f.text("label"), f.text("help"), f.text("example"), max_length, lines))
    return tuple(columns)


def _checks(bank: Fields, column_ids: tuple[str, ...]) -> tuple[Check, ...]:
    tables = bank.tables("checks", required=False)
    bank.unique_ids(tables)

    def known(f: Fields, key: str, value: str) -> str:
        if value not in column_ids:
            raise f.fail(key, f"'{value}' is not one of the columns ({', '.join(column_ids)})")
        return value

    checks = []
    for f in tables:
        kind = f.text("kind")
        if kind not in CHECK_KINDS:
            raise f.fail("kind", f"must be one of {', '.join(CHECK_KINDS)}")
        column = known(f, "column", f.ident("column"))
        when_filled = ""
        words: tuple[str, ...] = ()
        if kind == "missing":
            when_filled = f.optional_text("when_filled")
            if when_filled:
                known(f, "when_filled", when_filled)
                if when_filled == column:
                    raise f.fail("when_filled", "must be another column than `column`")
            if "words" in f.data:
                raise f.fail("words", "a \"missing\" check has no words")
        else:
            words = f.text_list("words", required=True)
            if not words or not all(w.strip() for w in words):
                raise f.fail("words", "must list at least one word, and no empty ones")
            if "when_filled" in f.data:
                raise f.fail("when_filled", f"only a \"missing\" check has when_filled, not a \"{kind}\" one")
        checks.append(Check(f.ident(), kind, column, when_filled, words, f.text("title"), f.text("advice"),
                            _links(f)))
    return tuple(checks)


@cache
def load_user_needs_bank() -> UserNeedsBank:
    """Read and validate `banks/user-needs.toml`. Raises BankError naming the field."""
    bank = read_bank(SLUG)
    return parse_user_needs_bank(bank.data, bank.bank)


def parse_user_needs_bank(data: dict[str, Any], file_name: str = "user-needs.toml") -> UserNeedsBank:
    """Validate a parsed bank (tests pass a modified copy). Raises BankError naming the field."""
    bank = Fields(file_name, "", data)
    columns = _columns(bank)
    column_ids = tuple(c.id for c in columns)

    limits = bank.table("limits")
    max_rows = limits.integer("max_rows")
    if not 1 <= max_rows <= _MAX_ROWS_LIMIT:
        raise limits.fail("max_rows", f"must be between 1 and {_MAX_ROWS_LIMIT}")
    blank_rows = limits.integer("blank_rows")
    if not 1 <= blank_rows <= max_rows:
        raise limits.fail("blank_rows", "must be at least 1 and at most max_rows")

    rules = bank.table("rules")
    user_column = rules.ident("user_column")
    if user_column not in column_ids:
        raise rules.fail("user_column", f"'{user_column}' is not one of the columns ({', '.join(column_ids)})")

    partial = UserNeedsBank(
        slug=SLUG, title=bank.text("title"), version=bank.text("version"), intro=bank.text("intro"),
        item_name=bank.text("item_name"), item_name_plural=bank.text("item_name_plural"),
        max_rows=max_rows, blank_rows=blank_rows, user_column=user_column, columns=columns,
        checks=_checks(bank, column_ids), examples=(),
    )
    examples = tuple(_example(partial, f) for f in bank.tables("examples"))
    return UserNeedsBank(**{**partial.__dict__, "examples": examples})


def _example(bank: UserNeedsBank, f: Fields) -> Example:
    try:
        answers = validate_user_needs_answers(f.table("answers", required=False).data, bank)
    except InputError as bad:
        raise f.fail("answers", str(bad)) from bad
    expected = f.table("expected")
    rows = expected.integer("rows")
    if rows < 0:
        raise expected.fail("rows", "must be 0 or more")
    checks = expected.text_list("checks", required=True)  # [] written out, never assumed
    known = {c.id for c in bank.checks}
    for check in checks:
        if check not in known:
            raise expected.fail("checks", f"unknown check '{check}'")
    return Example(name=f.text("name"), answers=answers, expected_rows=rows, expected_checks=checks)


# ------------------------------------------------------------------------- answers


def _short(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def validate_user_needs_answers(answers: Any, bank: UserNeedsBank | None = None) -> dict[str, str]:
    """Check answers are `row-<n>--<column>` -> text. Raises InputError in plain words.

    Blank cells (empty, spaces only or null) are dropped, then rows with no text at
    all, and the remaining rows are numbered 1, 2, 3… in their order: the result has
    contiguous rows, in row then column order, for stable records.
    """
    bank = bank or load_user_needs_bank()
    if not isinstance(answers, dict):
        raise InputError("The answers should be the table's cells, each named like \u2018row-1--user\u2019.")
    columns = {c.id: c for c in bank.columns}
    rows: dict[int, dict[str, str]] = {}
    for key, value in answers.items():
        match = FIELD_NAME.fullmatch(key) if isinstance(key, str) else None
        if match is None:
            raise InputError(f"There is an answer this table has no place for: \u2018{_short(key)}\u2019. "
                             f"Cells are named like \u2018{field_name(1, bank.columns[0].id)}\u2019.")
        number, column_id = int(match.group(1)), match.group(2)
        column = columns.get(column_id)
        where = bank.row_name(number)
        if column is None:
            raise InputError(f"{where} has a column this table does not have: \u2018{_short(column_id)}\u2019. "
                             f"The columns are: {', '.join(columns)}.")
        if number > bank.max_rows:
            raise InputError(f"This table has room for {bank.count(bank.max_rows)} at most, but the answers "
                             f"include {bank.row_name(number).lower()}. Split a longer table by service.")
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError(f"{where}, \u2018{column.label}\u2019, should be text.")
        if len(value) > column.max_length:
            raise InputError(f"{where}, \u2018{column.label}\u2019, is too long ({len(value):,} characters; at most "
                             f"{column.max_length:,}). Shorten it, or keep the detail in a separate document.")
        if value.strip():
            rows.setdefault(number, {})[column_id] = value
    clean: dict[str, str] = {}
    for position, number in enumerate(sorted(rows), start=1):
        for column_id in columns:
            if column_id in rows[number]:
                clean[field_name(position, column_id)] = rows[number][column_id]
    return clean


def user_needs_answers_schema(bank: UserNeedsBank) -> dict[str, Any]:
    """JSON Schema of the answers, as `validate_user_needs_answers` leaves them."""
    # Every row number the table allows, spelt out: exact, and easy to read.
    numbers = "|".join(str(n) for n in range(1, bank.max_rows + 1))
    return {
        "type": "object",
        "description": (
            "One entry per filled cell: 'row-<n>--<column id>' -> text, where n is the row's position "
            f"(1 to {bank.max_rows}, contiguous from 1 in a saved file). Empty cells are left out."
        ),
        "patternProperties": {
            f"^row-({numbers})--{column.id}$": {
                "type": "string", "minLength": 1, "maxLength": column.max_length, "description": column.label,
            }
            for column in bank.columns
        },
        "additionalProperties": False,
    }


# ------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Row:
    number: int
    cells: tuple[str, ...]  # one per bank column, in column order; "" when empty

    def cell(self, bank: UserNeedsBank, column_id: str) -> str:
        return self.cells[bank.column_ids.index(column_id)]


@dataclass(frozen=True)
class FlaggedRow:
    number: int
    user: str  # the row's user cell, so the reader recognises the row; "" when empty
    detail: str  # "mentions": the words found; otherwise ""


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    advice: str
    rows: tuple[FlaggedRow, ...]  # empty for a whole-table check ("none-mention")
    links: tuple[Link, ...]


@dataclass(frozen=True)
class UserNeedsResult:
    column_ids: tuple[str, ...]
    rows: tuple[Row, ...]
    filled_cells: int
    complete_rows: int  # rows with every column filled
    checks: tuple[CheckResult, ...]

    @property
    def cells(self) -> int:
        return len(self.rows) * len(self.column_ids)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": [{"number": r.number, "cells": dict(zip(self.column_ids, r.cells))} for r in self.rows],
            "counts": {
                "rows": len(self.rows),
                "complete_rows": self.complete_rows,
                "filled_cells": self.filled_cells,
                "cells": self.cells,
            },
            "checks": [
                {
                    "id": c.id,
                    "title": c.title,
                    "rows": [{"number": f.number, "user": f.user, "detail": f.detail} for f in c.rows],
                }
                for c in self.checks
            ],
        }


def table_rows(answers: Mapping[str, str], bank: UserNeedsBank) -> tuple[Row, ...]:
    """Validated answers as rows of cells."""
    count = max((int(FIELD_NAME.fullmatch(k).group(1)) for k in answers), default=0)  # type: ignore[union-attr]
    return tuple(
        Row(n, tuple(answers.get(field_name(n, c), "") for c in bank.column_ids)) for n in range(1, count + 1)
    )


def _words_used(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """Which of `words` the text uses as whole words, ignoring case, in bank order."""
    return tuple(w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE))


def _check(check: Check, rows: tuple[Row, ...], bank: UserNeedsBank) -> CheckResult | None:
    def flagged(row: Row, detail: str = "") -> FlaggedRow:
        return FlaggedRow(row.number, row.cell(bank, bank.user_column).strip(), detail)

    found: list[FlaggedRow] = []
    if check.kind == "missing":
        for row in rows:
            trigger = bool(row.cell(bank, check.when_filled)) if check.when_filled else any(row.cells)
            if trigger and not row.cell(bank, check.column):
                found.append(flagged(row))
    elif check.kind == "mentions":
        for row in rows:
            used = _words_used(row.cell(bank, check.column), check.words)
            if used:
                found.append(flagged(row, ", ".join(f"\u201c{w}\u201d" for w in used)))
    else:  # none-mention: a prompt about the whole table, once it has rows
        if not rows or any(_words_used(row.cell(bank, check.column), check.words) for row in rows):
            return None
        return CheckResult(check.id, check.title, check.advice, (), check.links)
    return CheckResult(check.id, check.title, check.advice, tuple(found), check.links) if found else None


def score_user_needs(answers: Mapping[str, Any], bank: UserNeedsBank | None = None) -> UserNeedsResult:
    """The table from the answers, with counts and the bank's gentle checks."""
    bank = bank or load_user_needs_bank()
    clean = validate_user_needs_answers(dict(answers) if isinstance(answers, Mapping) else answers, bank)
    rows = table_rows(clean, bank)
    checks = tuple(result for check in bank.checks if (result := _check(check, rows, bank)) is not None)
    return UserNeedsResult(
        column_ids=bank.column_ids,
        rows=rows,
        filled_cells=len(clean),
        complete_rows=sum(1 for row in rows if all(row.cells)),
        checks=checks,
    )
