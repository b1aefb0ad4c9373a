"""Accuracy and fairness measures for a predictive tool, for everyone and by group.

Pure arithmetic on counts: no file, no data rows, no numbers library, so it runs the same
in CPython and in Pyodide. The test and monitor tool (test_and_monitor.py) feeds it the
counts it reads from a council's case file.

The definitions follow fairlearn and scikit-learn (tests/unit/test_fairness_anchor.py
computes the same figures with their MetricFrame and metrics and requires agreement):

- base rate: share of cases where the outcome happened, (TP + FN) / n
- selection rate: share of cases the tool predicted yes, (TP + FP) / n
- precision: of the cases predicted yes, the share where it happened, TP / (TP + FP)
- recall (true positive rate): of the cases where it happened, the share predicted yes,
  TP / (TP + FN)
- false positive rate: of the cases where it did not happen, the share predicted yes,
  FP / (FP + TN)
- false negative rate: of the cases where it happened, the share predicted no,
  FN / (TP + FN)
- accuracy: share of predictions that were right, (TP + TN) / n

Where a measure would divide by zero it is "not defined", with the reason, never 0
(scikit-learn returns 0 with a warning unless told otherwise; a 0 there would read as a
tool that is always wrong).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Sequence

__all__ = [
    "Counts",
    "Rate",
    "Interval",
    "MEASURES",
    "COMPARED_MEASURES",
    "measure",
    "measures",
    "wilson_interval",
    "newcombe_difference",
    "katz_ratio",
    "Comparison",
    "compare",
    "largest_gap",
    "ScoreCounts",
    "CalibrationBand",
    "calibration",
    "population_stability",
    "psi_reading",
    "Z_95",
]

# The normal quantile for a two-sided 95% interval.
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Counts:
    """A confusion matrix: true and false positives and negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def actual_yes(self) -> int:
        return self.tp + self.fn

    @property
    def actual_no(self) -> int:
        return self.fp + self.tn

    @property
    def predicted_yes(self) -> int:
        return self.tp + self.fp

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn)

    @classmethod
    def of(cls, outcomes: Iterable[bool], predictions: Iterable[bool]) -> "Counts":
        tp = fp = fn = tn = 0
        for happened, predicted in zip(outcomes, predictions, strict=True):
            if predicted:
                if happened:
                    tp += 1
                else:
                    fp += 1
            elif happened:
                fn += 1
            else:
                tn += 1
        return cls(tp, fp, fn, tn)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class Rate:
    """A measure: numerator / denominator, or not defined (value None) with the reason."""

    numerator: int
    denominator: int
    reason: str = ""  # why it is not defined; empty when it is

    @property
    def value(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def defined(self) -> bool:
        return self.denominator > 0

    @property
    def interval(self) -> Interval | None:
        return wilson_interval(self.numerator, self.denominator)


# Each measure: (numerator, denominator, why it is not defined when the denominator is 0).
_DEFINITIONS = {
    "base_rate": (lambda c: c.actual_yes, lambda c: c.n, "there are no cases"),
    "selection_rate": (lambda c: c.predicted_yes, lambda c: c.n, "there are no cases"),
    "precision": (lambda c: c.tp, lambda c: c.predicted_yes, "the tool predicted no case as yes"),
    "recall": (lambda c: c.tp, lambda c: c.actual_yes, "no case had the outcome"),
    "false_positive_rate": (lambda c: c.fp, lambda c: c.actual_no, "every case had the outcome"),
    "false_negative_rate": (lambda c: c.fn, lambda c: c.actual_yes, "no case had the outcome"),
    "accuracy": (lambda c: c.tp + c.tn, lambda c: c.n, "there are no cases"),
}
MEASURES = tuple(_DEFINITIONS)
# The measures compared between groups (the base rate is the data's, not the tool's).
COMPARED_MEASURES = tuple(name for name in MEASURES if name != "base_rate")


def measure(name: str, counts: Counts) -> Rate:
    numerator, denominator, reason = _DEFINITIONS[name]
    below = denominator(counts)
    return Rate(numerator(counts), below, "" if below else reason)


def measures(counts: Counts) -> dict[str, Rate]:
    return {name: measure(name, counts) for name in MEASURES}


# ------------------------------------------------------------------ intervals


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> Interval | None:
    """The Wilson score interval for a proportion (Wilson, 1927, JASA 22:209-212).

    Unlike the simple p +/- z*sqrt(p(1-p)/n) it stays within 0 to 1 and behaves at
    p = 0 or 1 and for small n (Brown, Cai and DasGupta, 2001, Statistical Science 16:101)."""
    if trials <= 0:
        return None
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def newcombe_difference(a: Rate, b: Rate) -> Interval | None:
    """95% interval for a - b, two independent proportions: Newcombe's hybrid score method
    (method 10 of Newcombe, 1998, Statistics in Medicine 17:873-890), built from the two
    Wilson intervals."""
    first, second = a.interval, b.interval
    if first is None or second is None:
        return None
    p1, p2 = a.value, b.value
    difference = p1 - p2
    below = math.sqrt((p1 - first.low) ** 2 + (second.high - p2) ** 2)
    above = math.sqrt((first.high - p1) ** 2 + (p2 - second.low) ** 2)
    return Interval(difference - below, difference + above)


def katz_ratio(a: Rate, b: Rate, z: float = Z_95) -> tuple[float | None, Interval | None, str]:
    """a / b with its 95% interval by the Katz log method (Katz et al., 1978, Biometrics
    34:469-474): log(ratio) +/- z * sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2).

    Returns (ratio, interval, reason): the ratio is not defined when b is 0 or either is
    not defined; the interval also needs both numerators above 0."""
    if not a.defined or not b.defined:
        return None, None, "the measure is not defined for one of the two groups"
    if b.numerator == 0:
        return None, None, "the measure is 0 for the group compared with"
    ratio = a.value / b.value
    if a.numerator == 0:
        return ratio, None, "the interval needs at least one case in each group's count"
    spread = z * math.sqrt(1 / a.numerator - 1 / a.denominator + 1 / b.numerator - 1 / b.denominator)
    log_ratio = math.log(ratio)
    return ratio, Interval(math.exp(log_ratio - spread), math.exp(log_ratio + spread)), ""


@dataclass(frozen=True)
class Comparison:
    """One measure, one group against the reference group."""

    measure: str
    group: str
    reference: str
    difference: float | None
    difference_interval: Interval | None
    ratio: float | None
    ratio_interval: Interval | None
    reason: str  # why the difference or ratio (or its interval) is not defined


def compare(name: str, group: str, counts: Counts, reference: str, reference_counts: Counts) -> Comparison:
    a, b = measure(name, counts), measure(name, reference_counts)
    if a.defined and b.defined:
        difference, interval = a.value - b.value, newcombe_difference(a, b)
        reason = ""
    else:
        difference, interval = None, None
        reason = a.reason or b.reason
        reason = f"{name.replace('_', ' ')} is not defined for {group if a.reason else reference}: {reason}"
    ratio, ratio_interval, ratio_reason = katz_ratio(a, b)
    return Comparison(name, group, reference, difference, interval, ratio, ratio_interval, reason or ratio_reason)


def largest_gap(name: str, groups: dict[str, Counts]) -> tuple[float | None, float | None, str]:
    """The largest difference (max - min) and the smallest ratio (min / max) of a measure
    between the groups where it is defined: fairlearn's MetricFrame.difference() and
    .ratio() with method="between_groups". Returns (difference, ratio, reason)."""
    values = [rate.value for rate in (measure(name, counts) for counts in groups.values()) if rate.defined]
    if len(values) < 2:
        return None, None, "fewer than two groups have this measure defined"
    low, high = min(values), max(values)
    if high == 0:
        return high - low, None, "the measure is 0 for every group"
    return high - low, low / high, ""


# ---------------------------------------------------------------------- scores


class ScoreCounts:
    """The scores of one group's cases, split by outcome and sorted, so the counts at any
    threshold come from two binary searches (the slider stays fast on 100,000 cases).
    A case is predicted yes when its score is at or above the threshold."""

    __slots__ = ("happened", "not_happened")

    def __init__(self, happened: Sequence[float], not_happened: Sequence[float]) -> None:
        self.happened = sorted(happened)
        self.not_happened = sorted(not_happened)

    def at(self, threshold: float) -> Counts:
        fn = bisect_left(self.happened, threshold)
        tn = bisect_left(self.not_happened, threshold)
        return Counts(tp=len(self.happened) - fn, fp=len(self.not_happened) - tn, fn=fn, tn=tn)


@dataclass(frozen=True)
class CalibrationBand:
    low: float
    high: float
    cases: int
    mean_score: float | None
    observed: Rate  # share of the band's cases where the outcome happened


def calibration(scores: ScoreCounts, low: float, high: float, bands: int) -> list[CalibrationBand]:
    """Cases in equal score bands from `low` to `high` (the last band includes `high`):
    the mean score against the share where the outcome happened. A well calibrated score
    of 0.3 is followed by the outcome in about 3 cases in 10."""
    width = (high - low) / bands
    edges = [low + width * index for index in range(bands)] + [high]
    rows = []
    for index in range(bands):
        start, end = edges[index], edges[index + 1]
        last = index == bands - 1
        in_band = []
        for happened, values in ((True, scores.happened), (False, scores.not_happened)):
            first = bisect_left(values, start)
            stop = len(values) if last else bisect_left(values, end)
            in_band.append((happened, values[first:stop]))
        yes = len(in_band[0][1])
        total = yes + len(in_band[1][1])
        mean = (math.fsum(in_band[0][1]) + math.fsum(in_band[1][1])) / total if total else None
        rows.append(CalibrationBand(start, end, total, mean, Rate(yes, total, "" if total else "no case has a score in this band")))
    return rows


# ----------------------------------------------------------------------- drift

# The usual reading of the population stability index (Siddiqi, 2006, Credit Risk
# Scorecards, and common practice since): under 0.1 little change, 0.1 to 0.25 some
# change worth looking into, 0.25 or more a large shift.
_PSI_READINGS = ((0.1, "little change"), (0.25, "some change: look into it"), (math.inf, "a large shift: act on it"))
# A bin empty in one period would make the index infinite: its share is taken as this.
_PSI_FLOOR = 0.0001


def population_stability(before: dict[str, int], after: dict[str, int]) -> float | None:
    """PSI = sum over bins of (after share - before share) * ln(after share / before share).

    Bins are the keys of the two counts (categories, or numeric bands made from the earlier
    period). Not defined (None) when either period has no cases."""
    total_before, total_after = sum(before.values()), sum(after.values())
    if total_before == 0 or total_after == 0:
        return None
    index = 0.0
    for key in set(before) | set(after):
        share_before = max(before.get(key, 0) / total_before, _PSI_FLOOR)
        share_after = max(after.get(key, 0) / total_after, _PSI_FLOOR)
        index += (share_after - share_before) * math.log(share_after / share_before)
    return index


def psi_reading(index: float | None) -> str:
    if index is None:
        return "not defined: one of the periods has no values in this column"
    return next(words for limit, words in _PSI_READINGS if index < limit)
