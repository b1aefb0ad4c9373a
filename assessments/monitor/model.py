"""The test and monitor tool: thresholds agreed at Design, and a case file checked against them.

Two kinds of input, kept apart on purpose (as in the data quality check):

- The **answers**: the thresholds agreed at Design (minimum precision and recall, the
  largest acceptable difference between groups, the smallest group to judge) and the
  column mapping. Saved, downloaded and loaded like any tool's answers; scored into the
  thresholds in words. They never hold data.
- The **data**: a CSV file or workbook of past cases, read through the shared loader
  (data/loader.py) into counts by group (`Cases`, cases.py). Never saved: the worker keeps the
  counts in memory only while the page shows them, so the threshold slider can move
  without reading the file again; `report.py` turns them into measures under disclosure
  control before anything is shown or downloaded.

This module holds the bank, the answers and the thresholds in words; cases.py reads a file
on top of it, and report.py (which builds on both) makes the report.

Answers are flat form names:
    min-precision, min-recall: percentages; max-difference: percentage points;
    min-group-size, suppress-below: whole numbers
    outcome-column, prediction-column or score-column: column headings;
    score-threshold, score-lowest, score-highest: numbers
    group-column-<n>, drift-column-<n>: column headings
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any, Mapping

from ..core.bank_reader import Fields, read_bank
from ..data.loader import LoadLimits
from ..core.errors import InputError
from ..data.fairness import MEASURES, Counts

__all__ = [
    "SLUG",
    "REPORT_FORMAT",
    "THRESHOLDS",
    "THRESHOLD_LABELS",
    "MeasureInfo",
    "Example",
    "WorkedCases",
    "TestMonitorBank",
    "Settings",
    "ThresholdsResult",
    "load_test_monitor_bank",
    "parse_test_monitor_bank",
    "validate_test_monitor_answers",
    "test_monitor_answers_schema",
    "score_test_monitor",
    "settings_from_answers",
    "as_percent",
    "as_points",
]

SLUG = "test-and-monitor"
REPORT_FORMAT = "cssc-analytics-guide/test-and-monitor-report"
# The thresholds agreed at Design, in the order the tool shows them.
THRESHOLDS = ("min-precision", "min-recall", "max-difference", "min-group-size")
THRESHOLD_LABELS = {
    "min-precision": "Minimum precision",
    "min-recall": "Minimum recall",
    "max-difference": "Largest acceptable difference between groups",
    "min-group-size": "Smallest group to judge",
}
_NUMBER_FIELDS = ("min-precision", "min-recall", "max-difference", "min-group-size", "suppress-below",
                  "score-threshold", "score-lowest", "score-highest")
_COLUMN_FIELDS = ("outcome-column", "prediction-column", "score-column")
_MAX_TEXT = 200
# The measures the largest acceptable difference applies to: the tool's errors, which
# differ between groups when it is unfair to one (equal precision, equal opportunity and
# equal false positive rates).
DIFFERENCE_MEASURES = ("precision", "recall", "false_positive_rate")
NOT_RECORDED = "(not recorded)"


# ------------------------------------------------------------------------ the bank


@dataclass(frozen=True)
class MeasureInfo:
    id: str
    title: str
    explanation: str


@dataclass(frozen=True)
class Example:
    name: str
    answers: Mapping[str, Any]
    expected_unset: tuple[str, ...]
    expected_mapped: bool


@dataclass(frozen=True)
class WorkedCases:
    """Counts by group with the figures the measures must give."""

    name: str
    group_column: str
    answers: Mapping[str, Any]
    groups: tuple[tuple[str, Counts], ...]
    expected: Mapping[str, Any]


@dataclass(frozen=True)
class TestMonitorBank:
    slug: str
    title: str
    version: str
    intro: str
    limits: LoadLimits
    max_groups: int
    group_columns: int
    drift_columns: int
    rows_named: int
    defaults: Mapping[str, float]
    yes_values: frozenset[str]
    no_values: frozenset[str]
    measures: tuple[MeasureInfo, ...]
    examples: tuple[Example, ...]
    worked_cases: tuple[WorkedCases, ...]

    def measure_info(self, measure_id: str) -> MeasureInfo:
        """A measure's title and explanation, by fairness.py's name (`false_positive_rate`)."""
        return next(info for info in self.measures if info.id == measure_id.replace("_", "-"))


@cache
def load_test_monitor_bank() -> TestMonitorBank:
    """Read and validate `banks/test-and-monitor.toml`. Raises BankError naming the field."""
    bank = read_bank(SLUG)
    return parse_test_monitor_bank(bank.data, bank.bank)


def parse_test_monitor_bank(data: dict[str, Any], file_name: str = "test-and-monitor.toml") -> TestMonitorBank:
    bank = Fields(file_name, "", data)
    limits = bank.table("limits")
    sizes = {key: limits.integer(key) for key in ("max_megabytes", "max_rows", "max_columns", "max_groups",
                                                   "group_columns", "drift_columns", "rows_named")}
    for key, value in sizes.items():
        if value < 1:
            raise limits.fail(key, "must be 1 or more")
    defaults_table = bank.table("defaults")
    defaults = {key: defaults_table.number(key) for key in (
        "min_precision", "min_recall", "max_difference", "min_group_size", "suppress_below",
        "score_lowest", "score_highest", "score_threshold", "calibration_bands", "drift_bands")}
    if not defaults["score_lowest"] < defaults["score_highest"]:
        raise defaults_table.fail("score_lowest", "must be below score_highest")
    reading = bank.table("reading")
    yes = frozenset(value.strip().lower() for value in reading.text_list("yes_values", required=True))
    no = frozenset(value.strip().lower() for value in reading.text_list("no_values", required=True))
    if yes & no:
        raise reading.fail("no_values", f"share values with yes_values: {', '.join(sorted(yes & no))}")
    measure_tables = bank.tables("measures")
    bank.unique_ids(measure_tables)
    measures = tuple(MeasureInfo(f.ident(), f.text("title"), f.text("explanation")) for f in measure_tables)
    # Ids are kebab-case like every bank id; fairness.py names the measures in snake_case.
    if tuple(info.id.replace("-", "_") for info in measures) != MEASURES:
        raise bank.fail("measures", f"must be, in order: {', '.join(MEASURES)} (assessments/data/fairness.py computes them)")
    partial = TestMonitorBank(
        slug=SLUG, title=bank.text("title"), version=bank.text("version"), intro=bank.text("intro"),
        limits=LoadLimits(sizes["max_megabytes"] * 1_000_000, sizes["max_rows"], sizes["max_columns"]),
        max_groups=sizes["max_groups"], group_columns=sizes["group_columns"], drift_columns=sizes["drift_columns"],
        rows_named=sizes["rows_named"], defaults=defaults, yes_values=yes, no_values=no, measures=measures,
        examples=(), worked_cases=())
    examples = tuple(_example(partial, f) for f in bank.tables("examples"))
    worked = tuple(_worked_cases(partial, f) for f in bank.tables("worked_cases"))
    return TestMonitorBank(**{**partial.__dict__, "examples": examples, "worked_cases": worked})


def _example(bank: TestMonitorBank, f: Fields) -> Example:
    try:
        answers = validate_test_monitor_answers(f.table("answers", required=False).data, bank)
    except InputError as bad:
        raise f.fail("answers", str(bad)) from bad
    expected = f.table("expected")
    unset = expected.raw("unset")
    if not isinstance(unset, list) or not set(unset) <= set(THRESHOLDS):
        raise expected.fail("unset", f"must be a list of thresholds from: {', '.join(THRESHOLDS)}")
    mapped = expected.raw("mapped")
    if not isinstance(mapped, bool):
        raise expected.fail("mapped", "must be true or false")
    return Example(f.text("name"), answers, tuple(unset), mapped)


def _worked_cases(bank: TestMonitorBank, f: Fields) -> WorkedCases:
    try:
        answers = validate_test_monitor_answers(f.table("answers", required=False).data, bank)
    except InputError as bad:
        raise f.fail("answers", str(bad)) from bad
    groups = []
    for group in f.tables("groups"):
        groups.append((group.text("group"), Counts(*(group.integer(key) for key in ("tp", "fp", "fn", "tn")))))
    expected = f.table("expected")
    for key in ("precision", "recall", "false_positive_rate", "met", "too_small", "reference", "overall_precision",
                "overall_recall", "recall_difference"):
        if expected.raw(key) is None:
            raise expected.fail(key, "is required: a worked example writes out what it expects")
    return WorkedCases(f.text("name"), f.text("group_column"), answers, tuple(groups), expected.data)


# ------------------------------------------------------------------------ answers


def _group_field_names(bank: TestMonitorBank) -> tuple[str, ...]:
    return (tuple(f"group-column-{n}" for n in range(1, bank.group_columns + 1))
            + tuple(f"drift-column-{n}" for n in range(1, bank.drift_columns + 1)))


def validate_test_monitor_answers(answers: Any, bank: TestMonitorBank | None = None) -> dict[str, Any]:
    """The reader's thresholds and mapping, checked. Raises InputError in plain words.
    Empty values are dropped."""
    bank = bank or load_test_monitor_bank()
    if not isinstance(answers, dict):
        raise InputError("The answers should be a set of named answers, such as ‘min-precision’.")
    known = set(_NUMBER_FIELDS) | set(_COLUMN_FIELDS) | set(_group_field_names(bank))
    clean: dict[str, Any] = {}
    for key, value in answers.items():
        if key not in known:
            raise InputError(f"There is an answer this tool does not have: ‘{str(key)[:60]}’.")
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > _MAX_TEXT:
            raise InputError(f"The answer ‘{key}’ should be text of at most {_MAX_TEXT} characters.")
        if not value.strip():
            continue
        if key in _NUMBER_FIELDS:
            _number(key, value)
        clean[key] = value
    return clean


_NUMBER_NAMES = {
    "min-precision": ("The minimum precision", 0, 100, False),
    "min-recall": ("The minimum recall", 0, 100, False),
    "max-difference": ("The largest acceptable difference", 0, 100, False),
    "min-group-size": ("The smallest group to judge", 1, 1_000_000, True),
    "suppress-below": ("The threshold for small counts", 0, 1000, True),
    "score-threshold": ("The score threshold", -1e12, 1e12, False),
    "score-lowest": ("The lowest possible score", -1e12, 1e12, False),
    "score-highest": ("The highest possible score", -1e12, 1e12, False),
}


def _number(key: str, value: str) -> float:
    label, low, high, whole = _NUMBER_NAMES[key]
    try:
        number = float(value.strip().rstrip("%"))
    except ValueError:
        raise InputError(f"{label} should be a number, such as 70 (not ‘{value[:40]}’).") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise InputError(f"{label} should be between {low:,g} and {high:,g}.")
    if whole and not number.is_integer():
        raise InputError(f"{label} should be a whole number.")
    return number


def test_monitor_answers_schema(bank: TestMonitorBank) -> dict[str, Any]:
    text = {"type": "string", "minLength": 1, "maxLength": _MAX_TEXT}
    number = {**text, "pattern": r"^\s*-?[0-9]+(\.[0-9]*)?%?\s*$"}
    properties: dict[str, Any] = {key: {**number, "description": _NUMBER_NAMES[key][0]} for key in _NUMBER_FIELDS}
    properties.update({key: {**text, "description": "A column heading"} for key in _COLUMN_FIELDS})
    properties.update({key: {**text, "description": "A column heading"} for key in _group_field_names(bank)})
    return {
        "type": "object",
        "description": "The test and monitor tool's thresholds and column mapping (never the data itself).",
        "properties": properties,
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class Settings:
    """The answers, read: thresholds as fractions (None where not recorded) and the mapping."""

    min_precision: float | None
    min_recall: float | None
    max_difference: float | None
    min_group_size: int | None
    suppress_below: int
    outcome_column: str
    prediction_column: str
    score_column: str
    score_threshold: float
    score_lowest: float
    score_highest: float
    group_columns: tuple[str, ...]
    drift_columns: tuple[str, ...]

    @property
    def uses_score(self) -> bool:
        return bool(self.score_column)

    @property
    def mapped(self) -> bool:
        return bool(self.outcome_column and (self.prediction_column or self.score_column))

    def group_size(self, bank: TestMonitorBank) -> int:
        return self.min_group_size or int(bank.defaults["min_group_size"])

    def judged_from(self, bank: TestMonitorBank) -> int:
        """The fewest cases a group needs to be judged: the smallest group to judge, but never
        below the disclosure threshold, so no verdict or comparison names or judges a group
        the tables do not show."""
        return max(self.group_size(bank), self.suppress_below)


def settings_from_answers(answers: Mapping[str, Any], bank: TestMonitorBank | None = None) -> Settings:
    bank = bank or load_test_monitor_bank()
    clean = validate_test_monitor_answers(dict(answers), bank)

    def number(key: str) -> float | None:
        return _number(key, clean[key]) if key in clean else None

    def default(key: str) -> float:
        value = number(key)
        return bank.defaults[key.replace("-", "_")] if value is None else value

    lowest, highest = default("score-lowest"), default("score-highest")
    if not lowest < highest:
        raise InputError(f"The lowest possible score ({lowest:g}) should be below the highest ({highest:g}).")
    columns = lambda prefix, n: tuple(dict.fromkeys(  # noqa: E731 - in order, each once
        clean[f"{prefix}-{i}"].strip() for i in range(1, n + 1) if f"{prefix}-{i}" in clean))
    precision, recall, difference = number("min-precision"), number("min-recall"), number("max-difference")
    size = number("min-group-size")
    return Settings(
        min_precision=None if precision is None else precision / 100,
        min_recall=None if recall is None else recall / 100,
        max_difference=None if difference is None else difference / 100,
        min_group_size=None if size is None else int(size),
        suppress_below=int(default("suppress-below")),
        outcome_column=clean.get("outcome-column", "").strip(),
        prediction_column="" if clean.get("score-column", "").strip() else clean.get("prediction-column", "").strip(),
        score_column=clean.get("score-column", "").strip(),
        score_threshold=default("score-threshold"),
        score_lowest=lowest,
        score_highest=highest,
        group_columns=columns("group-column", bank.group_columns),
        drift_columns=columns("drift-column", bank.drift_columns),
    )


@dataclass(frozen=True)
class ThresholdsResult:
    """The tool's result from its answers alone: the thresholds in words, and the mapping."""

    settings: Settings
    bank: TestMonitorBank

    @property
    def unset(self) -> tuple[str, ...]:
        s = self.settings
        values = dict(zip(THRESHOLDS, (s.min_precision, s.min_recall, s.max_difference, s.min_group_size)))
        return tuple(key for key in THRESHOLDS if values[key] is None)

    def threshold_words(self) -> list[dict[str, Any]]:
        s = self.settings
        words = {
            "min-precision": None if s.min_precision is None else
            f"At least {as_percent(s.min_precision)} of the cases the tool flags should have the outcome, for everyone "
            "and for every group judged.",
            "min-recall": None if s.min_recall is None else
            f"The tool should find at least {as_percent(s.min_recall)} of the cases that have the outcome, for "
            "everyone and for every group judged.",
            "max-difference": None if s.max_difference is None else
            f"No group's precision, recall or false positive rate should differ from the reference group's by more "
            f"than {as_points(s.max_difference)}.",
            "min-group-size": None if s.min_group_size is None else
            f"Groups with fewer than {s.min_group_size:,} cases are shown as too small to judge, not as passing."
            + _below_disclosure(s),
        }
        return [{"id": key, "label": THRESHOLD_LABELS[key], "set": words[key] is not None,
                 "words": words[key] or "Not recorded yet: agree it at Design, before testing."} for key in THRESHOLDS]

    def to_dict(self) -> dict[str, Any]:
        s = self.settings
        return {
            "thresholds": self.threshold_words(),
            "unset": list(self.unset),
            "mapped": s.mapped,
            "mapping": {
                "outcome_column": s.outcome_column, "prediction_column": s.prediction_column,
                "score_column": s.score_column, "score_threshold": s.score_threshold if s.uses_score else None,
                "group_columns": list(s.group_columns), "drift_columns": list(s.drift_columns),
            },
            "suppress_below": s.suppress_below,
        }


def _below_disclosure(s: Settings) -> str:
    """What a smallest group to judge below the disclosure threshold means (said beside it)."""
    if s.min_group_size is None or s.min_group_size >= s.suppress_below:
        return ""
    return (f" Groups with fewer than {s.suppress_below:,} cases (the disclosure threshold) are not shown, so they "
            "are not judged either.")


def score_test_monitor(answers: Mapping[str, Any], bank: TestMonitorBank | None = None) -> ThresholdsResult:
    bank = bank or load_test_monitor_bank()
    return ThresholdsResult(settings_from_answers(answers, bank), bank)


def as_percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}%".replace(".0%", "%")


def as_points(fraction: float) -> str:
    points = f"{fraction * 100:.1f}".removesuffix(".0")
    return f"{points} percentage point" + ("" if points == "1" else "s")


# -------------------------------------------------------------------- the report
