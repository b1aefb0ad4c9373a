"""The test and monitor tool: thresholds agreed at Design, and a case file checked against them.

Two kinds of input, kept apart on purpose (as in the data quality check):

- The **answers**: the thresholds agreed at Design (minimum precision and recall, the
  largest acceptable difference between groups, the smallest group to judge) and the
  column mapping. Saved, downloaded and loaded like any tool's answers; scored into the
  thresholds in words. They never hold data.
- The **data**: a CSV file or workbook of past cases, read through the shared loader
  (data_loader.py) into counts by group (`Cases`, test_monitor_cases.py). Never saved: the worker keeps the
  counts in memory only while the page shows them, so the threshold slider can move
  without reading the file again; `report` turns them into measures under disclosure
  control before anything is shown or downloaded.

Answers are flat form names:
    min-precision, min-recall: percentages; max-difference: percentage points;
    min-group-size, suppress-below: whole numbers
    outcome-column, prediction-column or score-column: column headings;
    score-threshold, score-lowest, score-highest: numbers
    group-column-<n>, drift-column-<n>: column headings
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import TYPE_CHECKING, Any, Mapping

from .bank_reader import Fields, read_bank
from .data_loader import LoadLimits
from .data_quality import Count
from .errors import InputError
from .fairness import (COMPARED_MEASURES, MEASURES, Counts, calibration, compare, largest_gap, measure,
                       population_stability, psi_reading)

if TYPE_CHECKING:  # the reader of case files (test_monitor_cases.py) builds on this module
    from .test_monitor_cases import Cases

__all__ = [
    "SLUG",
    "REPORT_FORMAT",
    "THRESHOLDS",
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
    "report",
    "monitor_report",
    "report_text",
]

SLUG = "test-and-monitor"
REPORT_FORMAT = "cssc-analytics-guide/test-and-monitor-report"
# The thresholds agreed at Design, in the order the tool shows them.
THRESHOLDS = ("min-precision", "min-recall", "max-difference", "min-group-size")
_THRESHOLD_LABELS = {
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
        raise bank.fail("measures", f"must be, in order: {', '.join(MEASURES)} (assessments/fairness.py computes them)")
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
            f"At least {_percent(s.min_precision)} of the cases the tool flags should have the outcome, for everyone "
            "and for every group judged.",
            "min-recall": None if s.min_recall is None else
            f"The tool should find at least {_percent(s.min_recall)} of the cases that have the outcome, for "
            "everyone and for every group judged.",
            "max-difference": None if s.max_difference is None else
            f"No group's precision, recall or false positive rate should differ from the reference group's by more "
            f"than {_points(s.max_difference)}.",
            "min-group-size": None if s.min_group_size is None else
            f"Groups with fewer than {s.min_group_size:,} cases are shown as too small to judge, not as passing."
            + _below_disclosure(s),
        }
        return [{"id": key, "label": _THRESHOLD_LABELS[key], "set": words[key] is not None,
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


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}%".replace(".0%", "%")


def _points(fraction: float) -> str:
    points = f"{fraction * 100:.1f}".removesuffix(".0")
    return f"{points} percentage point" + ("" if points == "1" else "s")


# -------------------------------------------------------------------- the report


def _rate(rate, count: Count) -> dict[str, Any]:
    """A measure as data: value and 95% interval (Wilson), or why it is not defined or
    not shown (a small count it would give away)."""
    if not rate.defined:
        return {"value": None, "reason": rate.reason}
    if count.hidden(rate.numerator) or count.hidden(rate.denominator - rate.numerator):
        return {"value": None, "reason": _give_away(count), "suppressed": True}
    interval = rate.interval
    return {"value": rate.value, "low": interval.low, "high": interval.high}


def _give_away(count: Count) -> str:
    return f"it would give away a count below {count.threshold}"


def _withheld(name: str, counts: Counts, count: Count) -> bool:
    """Whether a measure of these counts is not shown. A difference, a ratio or a figure in
    words from it is not shown either: beside the other group's figure it gives it away."""
    return count.hidden(counts.n) or bool(_rate(measure(name, counts), count).get("suppressed"))


def _counts(counts: Counts, count: Count) -> dict[str, Any]:
    return {"cases": count(counts.n), "tp": count(counts.tp), "fp": count(counts.fp), "fn": count(counts.fn),
            "tn": count(counts.tn)}


def _measures(counts: Counts, count: Count) -> dict[str, Any]:
    return {name: _rate(measure(name, counts), count) for name in MEASURES}


def report(cases: "Cases", settings: Settings, bank: TestMonitorBank, threshold: float | None = None,
           seconds: float = 0.0) -> dict[str, Any]:
    """The report as data: counts and measures only, under disclosure control, never a row.
    `threshold` moves the score threshold (the slider); a yes/no prediction uses 0.5."""
    count = Count(settings.suppress_below)
    if cases.uses_score:
        threshold = settings.score_threshold if threshold is None else float(threshold)
    else:
        threshold = 0.5
    min_size = settings.group_size(bank)
    judged_from = settings.judged_from(bank)
    overall = cases.overall.at(threshold)
    group_reports = []
    judged: list[tuple[str, str, Counts]] = []  # (column, group, counts) of groups judged
    comparisons: list[tuple[str, Any, bool]] = []  # (column, comparison, withheld)
    for column, groups in cases.groups.items():
        counted = {label: scores.at(threshold) for label, scores in groups.items()}
        entries, hidden = [], 0
        big_enough = {label: c for label, c in counted.items() if c.n >= judged_from}
        reference = max(big_enough, key=lambda label: (big_enough[label].n, label), default="")
        for label in sorted(counted, key=lambda label: (-counted[label].n, label)):
            counts = counted[label]
            if count.hidden(counts.n):
                hidden += 1
                continue
            entry: dict[str, Any] = {"group": label, "counts": _counts(counts, count),
                                     "judged": label in big_enough, "measures": _measures(counts, count)}
            if label not in big_enough:
                entry["too_small"] = f"fewer than {min_size:,} cases: too small to judge"
            else:
                judged.append((column, label, counts))
            entries.append(entry)
        column_comparisons = []
        if reference:
            for label, counts in big_enough.items():
                if label == reference:
                    continue
                for name in COMPARED_MEASURES:
                    result = compare(name, label, counts, reference, big_enough[reference])
                    withheld = _withheld(name, counts, count) or _withheld(name, big_enough[reference], count)
                    comparisons.append((column, result, withheld))
                    column_comparisons.append(_comparison(result, _give_away(count) if withheld else ""))
        gaps = {}
        for name in COMPARED_MEASURES:
            if any(_withheld(name, counts, count) for counts in big_enough.values()):
                gaps[name] = {"difference": None, "ratio": None, "reason": _give_away(count), "suppressed": True}
                continue
            difference, ratio, reason = largest_gap(name, big_enough)
            gaps[name] = {"difference": difference, "ratio": ratio, "reason": reason}
        group_reports.append({"column": column, "reference": reference, "groups": entries,
                              "groups_not_shown": hidden, "comparisons": column_comparisons, "largest_gaps": gaps})
    result: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "format_version": 1,
        "tool": SLUG,
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "file": {"name": cases.file_name, "read_as": cases.read_as},
        "cases": count(cases.rows),
        "seconds": round(seconds, 2),
        "prediction": ({"score_column": settings.score_column, "threshold": threshold,
                        "lowest": settings.score_lowest, "highest": settings.score_highest}
                       if cases.uses_score else {"prediction_column": settings.prediction_column}),
        "outcome_column": settings.outcome_column,
        "min_group_size": min_size,
        "disclosure": {
            "suppress_below": settings.suppress_below,
            "note": (f"Counts from 1 to {settings.suppress_below - 1} are shown as ‘fewer than "
                     f"{settings.suppress_below}’; measures that would give them away are not shown, and groups "
                     "smaller than that are left out. No row of the data is included."
                     if settings.suppress_below > 1 else
                     f"No counts are suppressed (you set the threshold to {settings.suppress_below}). "
                     "No row of the data is included."),
        },
        "intervals": "95% intervals: Wilson score intervals for each measure; Newcombe's hybrid score method for "
                     "a difference between two groups; the Katz log method for a ratio.",
        "overall": {"counts": _counts(overall, count), "measures": _measures(overall, count)},
        "group_columns": group_reports,
        "verdicts": _verdicts(settings, overall, judged, comparisons, group_reports, min_size, count),
    }
    if cases.uses_score:
        # The bands do not move with the threshold: worked out once per score range.
        bands = (settings.score_lowest, settings.score_highest, int(bank.defaults["calibration_bands"]))
        if bands not in cases.calibration:
            cases.calibration[bands] = calibration(cases.overall, *bands)
        result["calibration"] = [
            {"low": band.low, "high": band.high, "cases": count(band.cases),
             "mean_score": None if count.hidden(band.cases) else band.mean_score,
             "observed": _rate(band.observed, count)}
            for band in cases.calibration[bands]]
    return result


def _comparison(result, withheld: str = "") -> dict[str, Any]:
    """A comparison as data; `withheld` says why its figures are not shown, if they are not."""
    if withheld:
        return {"group": result.group, "reference": result.reference, "measure": result.measure,
                "difference": None, "difference_interval": None, "ratio": None, "ratio_interval": None,
                "reason": withheld, "suppressed": True}

    def interval(value):
        return None if value is None else [value.low, value.high]
    return {"group": result.group, "reference": result.reference, "measure": result.measure,
            "difference": result.difference, "difference_interval": interval(result.difference_interval),
            "ratio": result.ratio, "ratio_interval": interval(result.ratio_interval), "reason": result.reason}


def _verdicts(settings: Settings, overall: Counts, judged: list[tuple[str, str, Counts]],
              comparisons: list[tuple[str, Any, bool]], group_reports: list[dict[str, Any]], min_size: int,
              count: Count) -> list[dict]:
    """Each threshold met or not, in words. A group too small to judge never passes. Judged
    on the true figures; a figure that is not shown is not written in the words either."""
    verdicts = []
    for key, name, minimum in (("min-precision", "precision", settings.min_precision),
                               ("min-recall", "recall", settings.min_recall)):
        title = _THRESHOLD_LABELS[key]
        if minimum is None:
            verdicts.append({"id": key, "label": title, "met": None, "words": "No threshold recorded: agree it at "
                             "Design and record it under ‘Thresholds’."})
            continue
        below, undefined = [], []
        for who, counts in [("everyone", overall)] + [(f"{label} in {column}", counts) for column, label, counts in judged]:
            rate = measure(name, counts)
            if not rate.defined:
                undefined.append(f"{who}: {rate.reason}")
            elif rate.value < minimum:
                below.append(f"{who} (the figure is not shown: {_give_away(count)})"
                             if _withheld(name, counts, count) else f"{who} ({_percent(rate.value)})")
        if not below and not undefined:
            met, words = True, f"Met: {name} is at least {_percent(minimum)} for everyone and for every group judged."
        elif below:
            met, words = False, f"Not met: {name} is below {_percent(minimum)} for " + "; ".join(below) + "."
            if undefined:
                words += " Not defined for " + "; ".join(undefined) + "."
        else:
            met, words = None, f"Cannot be judged: {name} is not defined for " + "; ".join(undefined) + "."
        verdicts.append({"id": key, "label": title, "met": met, "words": words})
    key = "max-difference"
    if settings.max_difference is None:
        verdicts.append({"id": key, "label": _THRESHOLD_LABELS[key], "met": None,
                         "words": "No threshold recorded: agree it at Design and record it under ‘Thresholds’."})
    else:
        over = []
        for column, result, withheld in comparisons:
            if result.measure in DIFFERENCE_MEASURES and result.difference is not None \
                    and abs(result.difference) > settings.max_difference + 1e-12:
                size = (f"more than {_points(settings.max_difference)} (the size is not shown: {_give_away(count)})"
                        if withheld else _points(abs(result.difference)))
                over.append(f"{result.measure.replace('_', ' ')} of {result.group} in {column} differs from "
                            f"{result.reference}'s by {size}")
        compared = any(c for c in comparisons if c[1].measure in DIFFERENCE_MEASURES)
        if over:
            words, met = "Not met: " + "; ".join(over) + ".", False
        elif compared:
            words, met = (f"Met: every group judged is within {_points(settings.max_difference)} of its reference "
                          "group for precision, recall and false positive rate."), True
        else:
            words, met = "Cannot be judged: no group column has two groups large enough to compare.", None
        verdicts.append({"id": key, "label": _THRESHOLD_LABELS[key], "met": met, "words": words})
    verdicts.append(_group_size_verdict(settings, group_reports, min_size))
    return verdicts


def _group_size_verdict(settings: Settings, group_reports: list[dict[str, Any]], min_size: int) -> dict[str, Any]:
    """Whether every group was large enough to judge, and which were not. A group below the
    disclosure threshold is counted, never named: it is too small to judge whatever the
    smallest group to judge (Settings.judged_from)."""
    key = "min-group-size"
    whose = (" (your threshold)" if settings.min_group_size else " (this tool's default: record your own)")
    if not group_reports:
        return {"id": key, "label": _THRESHOLD_LABELS[key], "met": None,
                "words": "Cannot be judged: no group column chosen."}
    small = [f"{entry['group']} in {g['column']}" for g in group_reports for entry in g["groups"] if not entry["judged"]]
    hidden = sum(g["groups_not_shown"] for g in group_reports)
    if not small and not hidden:
        return {"id": key, "label": _THRESHOLD_LABELS[key], "met": True,
                "words": f"Met: every group has at least {min_size:,} cases{whose}, so every group was judged."}
    words = "Not met:"
    if small:
        words += f" too small to judge (fewer than {min_size:,} cases): {'; '.join(small)}."
    if hidden:
        one = hidden == 1
        words += (f" {hidden:,} group{'' if one else 's'} {'has' if one else 'have'} fewer than "
                  f"{settings.suppress_below:,} cases, the disclosure threshold: {'it is' if one else 'they are'} "
                  "not shown, named or judged, whatever the smallest group to judge.")
    words += f" The smallest group to judge is {min_size:,} cases{whose}."
    return {"id": key, "label": _THRESHOLD_LABELS[key], "met": False, "words": words}


# ------------------------------------------------------------------------- drift


def _numeric(counts: Counter) -> list[tuple[float, int]] | None:
    """The values as (number, cases) when every recorded value is a number, else None."""
    pairs = []
    for value, cases in counts.items():
        if value == "":
            continue
        try:
            number = float(value)
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        pairs.append((number, cases))
    return sorted(pairs) if pairs else None


def _bands(before: list[tuple[float, int]], bands: int) -> list[float]:
    """Cut points at the earlier period's quantiles, so each band holds about as many of
    its cases (the usual way to bin a numeric column for the stability index)."""
    total = sum(cases for _, cases in before)
    cuts, seen, next_share = [], 0, 1
    for number, cases in before:
        seen += cases
        while next_share < bands and seen >= total * next_share / bands:
            if not cuts or number > cuts[-1]:
                cuts.append(number)
            next_share += 1
    return cuts


def _binned(values: list[tuple[float, int]], cuts: list[float]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for number, cases in values:
        key = f"band {bisect_left(cuts, number)}"
        counts[key] = counts.get(key, 0) + cases
    return counts


def drift(before: Counter, after: Counter, bands: int) -> dict[str, Any]:
    """The population stability index of one column between two periods, and its reading."""
    numbers_before, numbers_after = _numeric(before), _numeric(after)
    if numbers_before is not None and numbers_after is not None:
        cuts = _bands(numbers_before, bands)
        first, second = _binned(numbers_before, cuts), _binned(numbers_after, cuts)
        kind = f"numbers, in {len(cuts) + 1} bands cut at the earlier period's quantiles"
        blank_before, blank_after = before.get("", 0), after.get("", 0)
        if blank_before or blank_after:
            first["blank"], second["blank"] = blank_before, blank_after
    else:
        first = {key or NOT_RECORDED: value for key, value in before.items()}
        second = {key or NOT_RECORDED: value for key, value in after.items()}
        kind = "categories"
    index = population_stability(first, second)
    return {"index": index, "reading": psi_reading(index), "binned_as": kind}


def monitor_report(before: "Cases", after: "Cases", settings: Settings, bank: TestMonitorBank,
                   threshold: float | None = None) -> dict[str, Any]:
    """Two periods side by side: each period's report, the change in each measure for
    everyone and each group, and the drift of the columns the reader chose (and the score)."""
    first, second = report(before, settings, bank, threshold), report(after, settings, bank, threshold)
    changes = []

    def change(who: str, column: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        for name in MEASURES:
            x, y = a["measures"][name]["value"], b["measures"][name]["value"]
            changes.append({"who": who, "column": column, "measure": name, "before": x, "after": y,
                            "change": None if x is None or y is None else y - x})

    change("everyone", "", first["overall"], second["overall"])
    for a_column, b_column in zip(first["group_columns"], second["group_columns"]):
        b_groups = {entry["group"]: entry for entry in b_column["groups"]}
        for entry in a_column["groups"]:
            if entry["group"] in b_groups:
                change(entry["group"], a_column["column"], entry, b_groups[entry["group"]])
    drift_columns = list(settings.drift_columns)
    drifts = [{"column": name, **drift(before.drift.get(name, Counter()), after.drift.get(name, Counter()),
                                       int(bank.defaults["drift_bands"]))} for name in drift_columns]
    if before.uses_score:
        scores = lambda cases: Counter(repr(s) for s in cases.overall.happened + cases.overall.not_happened)  # noqa: E731
        drifts.insert(0, {"column": settings.score_column, **drift(scores(before), scores(after),
                                                                    int(bank.defaults["drift_bands"]))})
    return {
        "format": REPORT_FORMAT,
        "format_version": 1,
        "tool": SLUG,
        "kind": "monitor",
        "created": first["created"],
        "before": first,
        "after": second,
        "changes": changes,
        "drift": drifts,
        "drift_reading": "Population stability index: under 0.1 little change; 0.1 to 0.25 some change worth "
                         "looking into; 0.25 or more a large shift.",
    }


def report_text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)

