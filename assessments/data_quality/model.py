"""The data quality check: its bank, the reader's settings and rules, and the report.

Two kinds of input, kept apart on purpose:

- The **settings** (identifier column, group column, thresholds, the reader's rules) are
  a tool's answers like any other: saved in the browser, downloaded and loaded as JSON,
  scored into a short summary. They never hold data.
- The **data** (a CSV file or a workbook) is read by `CheckRun`, row by row, from the
  loader (data_loader.py) into the profiler (data_profile.py). It is never saved: the
  worker holds the file only while it reads it, and `report` turns the profile into
  counts and rates under disclosure control before anything is shown or downloaded.

Settings answers are flat form names:
    identifier-column, group-column: a column's heading
    bias-threshold: percentage points; suppress-below: a whole number
    show-examples: ["yes"] when the reader asks for example values in the report
    rule-<n>--column, rule-<n>--kind, rule-<n>--value: the reader's rules
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import cache
from itertools import islice
from typing import Any, Callable, Mapping

from ..core.bank_reader import Fields, read_bank
from ..data.loader import ByteSource, LoadLimits, Table, open_table, workbook_sheets
from ..data.profile import Profile, ProfileOptions, Profiler, Rule
from ..core.errors import InputError
from ..core.links import Link

__all__ = [
    "SLUG",
    "REPORT_FORMAT",
    "Dimension",
    "RuleKind",
    "Example",
    "DataQualityBank",
    "CheckSettings",
    "SettingsResult",
    "load_data_quality_bank",
    "parse_data_quality_bank",
    "validate_data_quality_answers",
    "data_quality_answers_schema",
    "score_data_quality",
    "settings_from_answers",
    "CheckRun",
    "report",
    "report_text",
    "sheets_of",
    "Count",
]

SLUG = "data-quality"
REPORT_FORMAT = "cssc-analytics-guide/data-quality-report"
RULE_FIELD = re.compile(r"rule-([1-9][0-9]{0,3})--(column|kind|value)")
_SETTING_FIELDS = ("identifier-column", "group-column", "bias-threshold", "suppress-below", "show-examples")
_MAX_TEXT = 2000


# ------------------------------------------------------------------------ the bank


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    description: str
    link: Link


@dataclass(frozen=True)
class RuleKind:
    id: str
    label: str
    needs_value: str  # what the value box holds; "" when the rule takes none


@dataclass(frozen=True)
class Example:
    name: str
    answers: Mapping[str, Any]
    expected_rules: int
    expected_incomplete: tuple[int, ...]


@dataclass(frozen=True)
class DataQualityBank:
    slug: str
    title: str
    version: str
    intro: str
    limits: LoadLimits
    distinct_values_counted: int
    max_rules: int
    suppress_below: int
    bias_threshold: float
    null_like: frozenset[str]
    type_share: float
    category_max_distinct: int
    outlier_fence: float
    earliest_plausible_year: int
    dimensions: tuple[Dimension, ...]
    rule_kinds: tuple[RuleKind, ...]
    examples: tuple[Example, ...]

    def rule_kind(self, kind_id: str) -> RuleKind:
        return next(kind for kind in self.rule_kinds if kind.id == kind_id)


@cache
def load_data_quality_bank() -> DataQualityBank:
    """Read and validate `banks/data-quality.toml`. Raises BankError naming the field."""
    bank = read_bank(SLUG)
    return parse_data_quality_bank(bank.data, bank.bank)


def parse_data_quality_bank(data: dict[str, Any], file_name: str = "data-quality.toml") -> DataQualityBank:
    bank = Fields(file_name, "", data)
    limits = bank.table("limits")
    positive = {key: limits.integer(key) for key in ("max_megabytes", "max_rows", "max_columns",
                                                      "distinct_values_counted", "max_rules")}
    for key, value in positive.items():
        if value < 1:
            raise limits.fail(key, "must be 1 or more")
    defaults = bank.table("defaults")
    reading = bank.table("reading")
    type_share = reading.number("type_share")
    if not 0.5 < type_share <= 1:
        raise reading.fail("type_share", "must be more than 0.5 and at most 1")
    dimension_tables = bank.tables("dimensions")
    bank.unique_ids(dimension_tables)
    dimensions = tuple(Dimension(f.ident(), f.text("title"), f.text("description"),
                                 Link(f.text("title"), f.text("target"))) for f in dimension_tables)
    expected_dimensions = ("completeness", "uniqueness", "consistency", "timeliness", "validity", "accuracy")
    if sorted(d.id for d in dimensions) != sorted(expected_dimensions):
        raise bank.fail("dimensions", f"must be the framework's six: {', '.join(expected_dimensions)}")
    kind_tables = bank.tables("rule_kinds")
    bank.unique_ids(kind_tables)
    rule_kinds = tuple(RuleKind(f.ident(), f.text("label"), f.optional_text("needs_value")) for f in kind_tables)
    if sorted(k.id for k in rule_kinds) != sorted(("is-a-date", "unique", "allowed-values", "not-after")):
        raise bank.fail("rule_kinds", "must be is-a-date, unique, allowed-values and not-after: the profiler applies them")
    partial = DataQualityBank(
        slug=SLUG, title=bank.text("title"), version=bank.text("version"), intro=bank.text("intro"),
        limits=LoadLimits(positive["max_megabytes"] * 1_000_000, positive["max_rows"], positive["max_columns"]),
        distinct_values_counted=positive["distinct_values_counted"], max_rules=positive["max_rules"],
        suppress_below=defaults.integer("suppress_below"), bias_threshold=defaults.number("bias_threshold"),
        null_like=frozenset(value.strip().lower() for value in reading.text_list("null_like", required=True)),
        type_share=type_share, category_max_distinct=reading.integer("category_max_distinct"),
        outlier_fence=reading.number("outlier_fence"),
        earliest_plausible_year=reading.integer("earliest_plausible_year"),
        dimensions=dimensions, rule_kinds=rule_kinds, examples=(),
    )
    examples = tuple(_example(partial, f) for f in bank.tables("examples"))
    return DataQualityBank(**{**partial.__dict__, "examples": examples})


def _example(bank: DataQualityBank, f: Fields) -> Example:
    try:
        answers = validate_data_quality_answers(f.table("answers", required=False).data, bank)
    except InputError as bad:
        raise f.fail("answers", str(bad)) from bad
    expected = f.table("expected")
    incomplete = expected.raw("incomplete_rules")
    if not isinstance(incomplete, list) or not all(isinstance(n, int) for n in incomplete):
        raise expected.fail("incomplete_rules", "must be a list of rule numbers")
    return Example(f.text("name"), answers, expected.integer("rules"), tuple(incomplete))


# ---------------------------------------------------------------------- settings


def validate_data_quality_answers(answers: Any, bank: DataQualityBank | None = None) -> dict[str, Any]:
    """The reader's settings, checked. Raises InputError in plain words.

    Empty values are dropped, and rule rows with nothing in them; the rest are numbered
    1, 2, 3… in order."""
    bank = bank or load_data_quality_bank()
    if not isinstance(answers, dict):
        raise InputError("The settings should be a set of named answers, such as ‘group-column’.")
    clean: dict[str, Any] = {}
    rules: dict[int, dict[str, str]] = {}
    kinds = {kind.id for kind in bank.rule_kinds}
    for key, value in answers.items():
        if key == "show-examples":
            if value not in (None, [], ["yes"]):
                raise InputError("‘Show example values’ is either ticked or not.")
            if value:
                clean[key] = ["yes"]
            continue
        match = RULE_FIELD.fullmatch(key) if isinstance(key, str) else None
        if key not in _SETTING_FIELDS and match is None:
            raise InputError(f"There is a setting this check does not have: ‘{str(key)[:60]}’.")
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > _MAX_TEXT:
            raise InputError(f"The setting ‘{key}’ should be text of at most {_MAX_TEXT:,} characters.")
        if not value.strip():
            continue
        if match:
            number = int(match.group(1))
            if number > bank.max_rules:
                raise InputError(f"This check takes at most {bank.max_rules} rules.")
            if match.group(2) == "kind" and value not in kinds:
                raise InputError(f"Rule {number} is of a kind this check does not know: ‘{value[:60]}’. "
                                 f"The kinds are: {', '.join(sorted(kinds))}.")
            rules.setdefault(number, {})[match.group(2)] = value
            continue
        if key in ("bias-threshold", "suppress-below"):
            _number_setting(key, value)
        clean[key] = value
    for position, number in enumerate(sorted(rules), start=1):
        for part in ("column", "kind", "value"):
            if part in rules[number]:
                clean[f"rule-{position}--{part}"] = rules[number][part]
    return clean


def _number_setting(key: str, value: str) -> float:
    names = {"bias-threshold": "The threshold for flagging a group", "suppress-below": "The threshold for small counts"}
    try:
        number = float(value.strip())
    except ValueError:
        raise InputError(f"{names[key]} should be a number, such as 10 (not ‘{value[:40]}’).") from None
    if not 0 <= number <= 100:
        raise InputError(f"{names[key]} should be between 0 and 100.")
    if key == "suppress-below" and not number.is_integer():
        raise InputError(f"{names[key]} should be a whole number, such as 10.")
    return number


def data_quality_answers_schema(bank: DataQualityBank) -> dict[str, Any]:
    text = {"type": "string", "minLength": 1, "maxLength": _MAX_TEXT}
    numbers = "|".join(str(n) for n in range(1, bank.max_rules + 1))
    return {
        "type": "object",
        "description": "The data quality check's settings and rules (never the data itself).",
        "properties": {
            "identifier-column": {**text, "description": "The column that identifies a record"},
            "group-column": {**text, "description": "The column to break completeness down by"},
            "bias-threshold": {**text, "pattern": r"^\s*[0-9]+(\.[0-9]*)?\s*$",
                               "description": "Percentage points, 0 to 100"},
            "suppress-below": {**text, "pattern": r"^\s*[0-9]+\s*$", "description": "Counts below this are not shown"},
            "show-examples": {"type": "array", "items": {"const": "yes"}, "maxItems": 1},
        },
        "patternProperties": {
            f"^rule-({numbers})--column$": text,
            f"^rule-({numbers})--kind$": {"enum": [kind.id for kind in bank.rule_kinds]},
            f"^rule-({numbers})--value$": text,
        },
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class CheckSettings:
    identifier_column: str
    group_column: str
    bias_threshold: float  # percentage points
    suppress_below: int
    show_examples: bool
    rules: tuple[Rule, ...]
    incomplete_rules: tuple[tuple[int, str], ...]  # (rule number, what it still needs)


@dataclass(frozen=True)
class SettingsResult:
    settings: CheckSettings
    bank: DataQualityBank

    def to_dict(self) -> dict[str, Any]:
        s = self.settings
        return {
            "identifier_column": s.identifier_column,
            "group_column": s.group_column,
            "bias_threshold": s.bias_threshold,
            "suppress_below": s.suppress_below,
            "show_examples": s.show_examples,
            "rules": [{"column": r.column, "kind": r.kind, "allowed": list(r.allowed), "other_column": r.other_column}
                      for r in s.rules],
            "incomplete_rules": [{"rule": number, "needs": needs} for number, needs in s.incomplete_rules],
        }


def _allowed_values(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in re.split(r"[,;\n]", text) if part.strip()))


def settings_from_answers(answers: Mapping[str, Any], bank: DataQualityBank | None = None) -> CheckSettings:
    bank = bank or load_data_quality_bank()
    clean = validate_data_quality_answers(dict(answers), bank)
    rules: list[Rule] = []
    incomplete: list[tuple[int, str]] = []
    number = 1
    while any(f"rule-{number}--{part}" in clean for part in ("column", "kind", "value")):
        column = clean.get(f"rule-{number}--column", "").strip()
        kind = clean.get(f"rule-{number}--kind", "")
        value = clean.get(f"rule-{number}--value", "").strip()
        if not column:
            incomplete.append((number, "the column it is about"))
        elif not kind:
            incomplete.append((number, "what it checks"))
        elif bank.rule_kind(kind).needs_value and not value:
            incomplete.append((number, bank.rule_kind(kind).needs_value))
        else:
            rules.append(Rule(column, kind, _allowed_values(value) if kind == "allowed-values" else (),
                              value if kind == "not-after" else ""))
        number += 1
    threshold = clean.get("bias-threshold")
    suppress = clean.get("suppress-below")
    return CheckSettings(
        identifier_column=clean.get("identifier-column", "").strip(),
        group_column=clean.get("group-column", "").strip(),
        bias_threshold=_number_setting("bias-threshold", threshold) if threshold else bank.bias_threshold,
        suppress_below=int(_number_setting("suppress-below", suppress)) if suppress else bank.suppress_below,
        show_examples=bool(clean.get("show-examples")),
        rules=tuple(rules),
        incomplete_rules=tuple(incomplete),
    )


def score_data_quality(answers: Mapping[str, Any], bank: DataQualityBank | None = None) -> SettingsResult:
    """The settings, read: what the next check will apply (the data is checked by CheckRun)."""
    bank = bank or load_data_quality_bank()
    return SettingsResult(settings_from_answers(answers, bank), bank)


# --------------------------------------------------------------- reading the data


class CheckRun:
    """One check of one file: open it, then `step()` until it says it is done, then `finish()`.

    Reading in steps lets the worker report progress and take a "Cancel" between steps.
    `read_at(offset, length)` gives the file's bytes (see data_loader.ByteSource)."""

    def __init__(self, read_at: Callable[[int, int], Any], size: int, file_name: str, answers: Mapping[str, Any],
                 sheet: str = "", today: date | None = None, bank: DataQualityBank | None = None) -> None:
        self.bank = bank or load_data_quality_bank()
        self.settings = settings_from_answers(answers, self.bank)
        self.file_name = str(file_name)[:200]
        self.source = ByteSource(read_at, size)
        self.today = today or date.today()
        self.table: Table = open_table(self.source, self.file_name, self.bank.limits, sheet)
        s = self.settings
        self.profiler = Profiler(self.table.columns, ProfileOptions(
            today=self.today, null_like=self.bank.null_like, type_share=self.bank.type_share,
            category_max_distinct=self.bank.category_max_distinct, outlier_fence=self.bank.outlier_fence,
            earliest_plausible_year=self.bank.earliest_plausible_year,
            distinct_cap=self.bank.distinct_values_counted, identifier_column=s.identifier_column,
            group_column=s.group_column, rules=s.rules))
        self._rows = self.table.rows()
        self.done = False
        self.started = time.perf_counter()

    @property
    def rows_read(self) -> int:
        return self.profiler.rows

    # Rows read per step. A step's rows are all held at once (as text, and again a column
    # at a time), so it sets most of the memory a check needs beyond the counts: 5,000
    # rows of 30 columns are about 10 MB. A step is also the time between progress
    # reports and the chance to cancel (about a twentieth of a second in the browser).
    STEP_ROWS = 5_000

    def step(self, rows: int = STEP_ROWS) -> bool:
        """Read up to `rows` more rows; True once the file has been read to the end."""
        batch = [values for _, values in islice(self._rows, rows)]
        self.done = len(batch) < rows
        self.profiler.add_rows(batch)
        return self.done

    def progress(self) -> dict[str, Any]:
        return {"rows": self.rows_read, "bytes": self.source.furthest, "size": self.source.size}

    def finish(self) -> dict[str, Any]:
        """The report (see `report`), once every row has been read."""
        while not self.done:
            self.step()
        return report(self.profiler.finish(), self.table, self.settings, self.bank, self.file_name,
                      self.today, time.perf_counter() - self.started)


def sheets_of(read_at: Callable[[int, int], Any], size: int, file_name: str) -> tuple[str, ...]:
    """A workbook's sheet names (a CSV file has none)."""
    bank = load_data_quality_bank()
    source = ByteSource(read_at, size)
    table_kind = source.read_range(0, 4)
    if table_kind != b"PK\x03\x04" or size > bank.limits.max_bytes:
        return ()
    return workbook_sheets(source, file_name)


# -------------------------------------------------------------------- the report


class Count:
    """Disclosure control: a count below the threshold (but not 0) is not shown."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold

    def hidden(self, count: int) -> bool:
        return 0 < count < self.threshold

    def __call__(self, count: int) -> int | str:
        return f"fewer than {self.threshold}" if self.hidden(count) else count

    def rate(self, count: int, total: int) -> float | None:
        """A share (0 to 1), or None where the count is hidden (a rate would give it away)."""
        if total == 0 or self.hidden(count) or self.hidden(total - count):
            return None
        return round(count / total, 4)


def report(profile: Profile, table: Table, settings: CheckSettings, bank: DataQualityBank, file_name: str,
           today: date, seconds: float = 0.0) -> dict[str, Any]:
    """The report as data: counts and rates only, under disclosure control.

    Never a row of the data. Values from the data (most common values, ranges, spellings)
    only when the reader ticked "show example values"; the group column's group names
    for groups of at least the threshold's size, since they are what is compared."""
    count = Count(settings.suppress_below)
    examples = settings.show_examples
    findings: dict[str, list[dict[str, Any]]] = {d.id: [] for d in bank.dimensions}
    total = profile.rows

    def find(dimension: str, column: str, check: str, rows: int, text: str, of: int | None = None) -> None:
        if rows:
            findings[dimension].append({"column": column, "check": check, "rows": count(rows),
                                        "rate": count.rate(rows, of if of is not None else total), "text": text})

    columns = []
    for c in profile.columns:
        entry: dict[str, Any] = {
            "name": c.name, "type": c.kind, "missing": count(c.missing), "blank": count(c.blank),
            "null_like": count(c.null_like), "complete_rate": count.rate(total - c.missing, total),
            "distinct": (f"more than {bank.distinct_values_counted:,}" if c.distinct_capped else count(c.distinct)),
        }
        if c.kind == "date" and c.date_formats:
            entry["date_formats"] = {label: count(rows) for label, rows in c.date_formats.items()}
        if examples:
            entry["most_common"] = [{"value": value, "rows": count(rows)} for value, rows in c.most_common
                                    if not count.hidden(rows)]
            if c.kind == "date" and c.date_range:
                entry["range"] = list(c.date_range)
            if c.kind == "number" and c.number_range:
                entry["range"] = list(c.number_range)
            if c.spelling_groups:
                entry["spellings"] = [[{"value": value, "rows": count(rows)} for value, rows in group]
                                      for group in c.spelling_groups]
        columns.append(entry)
        find("completeness", c.name, "missing", c.missing,
             f"{_they(count(c.missing), 'has', 'have')} no value ({_rows(count(c.blank))} blank, "
             f"{_rows(count(c.null_like))} with a value such as ‘unknown’ or ‘N/A’).")
        if c.duplicate_values and c.name == profile.identifier_column:
            find("uniqueness", c.name, "duplicate-identifier", c.duplicate_values,
                 f"{_they(count(c.duplicate_values), 'repeats', 'repeat')} an identifier an earlier row already has.")
        if c.rule_failures.get("unique"):
            find("uniqueness", c.name, "rule-unique", c.rule_failures["unique"],
                 f"{_they(count(c.rule_failures['unique']), 'repeats', 'repeat')} a value, which your rule says must be unique.")
        if c.kind == "date" and len(c.date_formats) > 1:
            minority = c.dates - max(c.date_formats.values())
            find("consistency", c.name, "mixed-date-formats", minority,
                 f"Dates are written in {len(c.date_formats)} formats: {_they(count(minority), 'differs', 'differ')} from the "
                 "most common one.")
        if c.spelling_groups:
            find("consistency", c.name, "near-duplicate-spellings", c.near_duplicate_rows,
                 f"{len(c.spelling_groups)} value(s) are spelt in more than one way (such as ‘Male’, ‘male’ and "
                 f"‘M’): {_they(count(c.near_duplicate_rows), 'uses', 'use')} a less common spelling.")
        if c.rule_failures.get("not-after"):
            other = next((r.other_column for r in settings.rules if r.kind == "not-after" and r.column == c.name), "")
            find("consistency", c.name, "rule-not-after", c.rule_failures["not-after"],
                 f"{_they(count(c.rule_failures['not-after']), 'has', 'have')} a date after the one in ‘{other}’.")
        if c.future_dates and c.kind == "date":
            find("timeliness", c.name, "future-dates", c.future_dates,
                 f"{_they(count(c.future_dates), 'has', 'have')} a date after today ({today.isoformat()}).")
        if c.not_of_kind and c.kind in ("number", "date"):
            kind_word = "a number" if c.kind == "number" else "a date"
            find("validity", c.name, "wrong-type", c.not_of_kind,
                 f"{_they(count(c.not_of_kind), 'holds', 'hold')} something that is not {kind_word}, in a column of "
                 f"{c.kind}s.")
        if c.impossible_dates and c.kind == "date":
            find("validity", c.name, "impossible-dates", c.impossible_dates,
                 f"{_they(count(c.impossible_dates), 'has', 'have')} a date that does not exist (such as 31 February).")
        if c.rule_failures.get("is-a-date"):
            find("validity", c.name, "rule-is-a-date", c.rule_failures["is-a-date"],
                 f"{_they(count(c.rule_failures['is-a-date']), 'holds', 'hold')} something that is not a real date, in a "
                 "column your rule says holds dates.")
        if c.rule_failures.get("allowed-values"):
            find("validity", c.name, "rule-allowed-values", c.rule_failures["allowed-values"],
                 f"{_they(count(c.rule_failures['allowed-values']), 'holds', 'hold')} a value outside the allowed list.")
        if c.formula_like:
            find("validity", c.name, "formula-text", c.formula_like,
                 f"{_they(count(c.formula_like), 'holds', 'hold')} text a spreadsheet would run as a formula (starting "
                 "with =, +, - or @). It was not run here; be careful opening the file in a spreadsheet.")
        if c.outliers:
            find("accuracy", c.name, "outliers", c.outliers,
                 f"{_they(count(c.outliers), 'holds', 'hold')} a number far from the rest (more than "
                 f"{bank.outlier_fence:g} interquartile ranges beyond the quartiles).")
        if c.implausible_dates and c.kind == "date":
            find("accuracy", c.name, "implausible-dates", c.implausible_dates,
                 f"{_they(count(c.implausible_dates), 'has', 'have')} a date before {bank.earliest_plausible_year}.")
    find("uniqueness", "", "duplicate-rows", profile.duplicate_rows,
         f"{_they(count(profile.duplicate_rows), 'repeats', 'repeat')} an earlier row exactly.")
    find("consistency", "", "ragged-rows", table.ragged_count,
         f"{_they(count(table.ragged_count), 'has', 'have')} a different number of values from the header "
         f"({len(table.columns)}): first at row {table.ragged[0][0] if table.ragged else 0:,}.")
    if table.fallback_bytes[0]:
        findings["consistency"].append({
            "column": "", "check": "mixed-encoding", "rows": None, "rate": None,
            "text": f"{table.fallback_bytes[0]:,} character(s) were not UTF-8 and were read as Windows-1252: the file "
                    "mixes two encodings, so some letters (such as é or £) may be wrong."})
    missing_rules = sorted({r.column for r in settings.rules} - set(table.columns)
                           | {r.other_column for r in settings.rules if r.other_column} - set(table.columns))
    unknown_settings = [name for name in (settings.identifier_column, settings.group_column)
                        if name and name not in table.columns]
    return {
        "format": REPORT_FORMAT,
        "format_version": 1,
        "tool": SLUG,
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "file": {"name": file_name, "read_as": table.description, "sheets": list(table.sheets), "sheet": table.sheet},
        "rows": count(total),
        "blank_rows_skipped": count(table.blank_rows),
        "column_count": len(table.columns),
        "today": today.isoformat(),
        "seconds": round(seconds, 2),
        "disclosure": {
            "suppress_below": settings.suppress_below,
            "example_values": examples,
            "note": ((f"Counts from 1 to {settings.suppress_below - 1} are shown as ‘fewer than "
                      f"{settings.suppress_below}’, and rates that would reveal them are left out. "
                      if settings.suppress_below > 1 else "No counts are suppressed (you set the threshold to "
                      f"{settings.suppress_below}). ")
                     + ("Example values from the data are included, because you asked for them."
                        if examples else "No values from the data are included.")),
        },
        "settings": SettingsResult(settings, bank).to_dict(),
        "not_found": missing_rules + unknown_settings,
        "columns": columns,
        "dimensions": [{"id": d.id, "title": d.title, "description": d.description, "link": d.link.to_dict(),
                        "findings": findings[d.id]} for d in bank.dimensions],
        "bias": _bias(profile, settings, count),
    }


def _bias(profile: Profile, settings: CheckSettings, count: Count) -> dict[str, Any] | None:
    """Completeness by group, and the groups whose missing share differs from the rest's
    by more than the reader's threshold (percentage points), in either direction.

    The issue is a group recorded less completely than the rest ("more" missing): that is
    how a tool ends up less fair to it. A group recorded *more* completely ("less"
    missing) is listed too, since the gap is the same gap seen from the other side, but
    its words say plainly that its own records are not the problem. "more" comes first."""
    if not profile.group_column:
        return None
    groups, flags, hidden_groups = [], [], 0
    totals = {c.name: c.missing for c in profile.columns}
    for group in profile.groups:
        if count.hidden(group.rows) or count.hidden(profile.rows - group.rows):
            hidden_groups += 1
            continue
        label = group.label or "(not recorded)"
        complete = {}
        for name, missing in group.missing.items():
            complete[name] = count.rate(group.rows - missing, group.rows)
            rest_rows = profile.rows - group.rows
            if rest_rows == 0:
                continue
            here = missing / group.rows
            rest = (totals[name] - missing) / rest_rows
            difference = (here - rest) * 100
            if abs(difference) > settings.bias_threshold and name != profile.group_column:
                here_rate = count.rate(missing, group.rows)
                rest_rate = count.rate(totals[name] - missing, rest_rows)
                shown = here_rate is not None and rest_rate is not None
                direction = "more" if difference > 0 else "less"
                # The exact difference only where both rates can be shown: with one
                # hidden, it would give the hidden count away.
                flags.append({"group": label, "column": name, "missing_rate": here_rate,
                              "rest_missing_rate": rest_rate,
                              "difference_points": round(difference, 1) if shown else None,
                              "direction": direction,
                              "text": _bias_words(name, direction, here_rate, rest_rate)})
        groups.append({"group": label, "rows": count(group.rows), "share": round(group.rows / profile.rows, 4),
                       "complete_rate": complete})
    flags.sort(key=lambda flag: flag["direction"] != "more")  # stable: groups stay largest first
    return {"group_column": profile.group_column, "threshold_points": settings.bias_threshold, "groups": groups,
            "groups_not_shown": hidden_groups, "flags": flags,
            "more_missing": sum(flag["direction"] == "more" for flag in flags),
            "less_missing": sum(flag["direction"] == "less" for flag in flags)}


def _bias_words(column: str, direction: str, here: float | None, rest: float | None) -> str:
    """What a flag means, in words: which way the group differs, and whether that is a
    problem with its own records."""
    rates = f" ({here * 100:.1f}% against {rest * 100:.1f}%)" if here is not None and rest is not None else ""
    if direction == "more":
        return (f"‘{column}’ is missing more often for this group than for the rest{rates}: it is recorded less "
                "completely for them, which can make a tool built on this data less accurate or less fair for them.")
    return (f"‘{column}’ is missing less often for this group than for the rest{rates}: this group is recorded more "
            "completely. That is not a problem with its own records; the gap means other groups' records are less "
            "complete.")


def _they(shown: int | str, singular: str, plural: str) -> str:
    """"1 row has", "12 rows have", "fewer than 10 rows have"."""
    return f"{_rows(shown)} {singular if shown == 1 else plural}"


def _rows(shown: int | str) -> str:
    if shown == 1:
        return "1 row"
    return f"{shown:,} rows" if isinstance(shown, int) else f"{shown} rows"


def report_text(report_data: dict[str, Any]) -> str:
    return json.dumps(report_data, indent=2, ensure_ascii=False)
