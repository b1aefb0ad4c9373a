"""Test and monitor's report: a file's counts (`Cases`) checked against the thresholds
agreed at Design, under disclosure control, and two periods compared.

Everything shown or downloaded about a case file is made here, from counts only: a group
below the disclosure threshold is never named or judged, and measures that would give a
small count away are withheld (see the README, "Tools that read a council's own data").
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from collections import Counter
from datetime import datetime, timezone
from typing import Any

from ..data.fairness import (COMPARED_MEASURES, MEASURES, Counts, calibration, compare, largest_gap, measure,
                             population_stability, psi_reading)
from ..data_quality.model import Count
from .cases import Cases
from .model import (DIFFERENCE_MEASURES, NOT_RECORDED, REPORT_FORMAT, SLUG, THRESHOLD_LABELS, Settings, TestMonitorBank,
                    as_percent, as_points)

__all__ = ["report", "monitor_report", "drift", "report_text"]


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


def report(cases: Cases, settings: Settings, bank: TestMonitorBank, threshold: float | None = None,
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
        title = THRESHOLD_LABELS[key]
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
                             if _withheld(name, counts, count) else f"{who} ({as_percent(rate.value)})")
        if not below and not undefined:
            met, words = True, f"Met: {name} is at least {as_percent(minimum)} for everyone and for every group judged."
        elif below:
            met, words = False, f"Not met: {name} is below {as_percent(minimum)} for " + "; ".join(below) + "."
            if undefined:
                words += " Not defined for " + "; ".join(undefined) + "."
        else:
            met, words = None, f"Cannot be judged: {name} is not defined for " + "; ".join(undefined) + "."
        verdicts.append({"id": key, "label": title, "met": met, "words": words})
    key = "max-difference"
    if settings.max_difference is None:
        verdicts.append({"id": key, "label": THRESHOLD_LABELS[key], "met": None,
                         "words": "No threshold recorded: agree it at Design and record it under ‘Thresholds’."})
    else:
        over = []
        for column, result, withheld in comparisons:
            if result.measure in DIFFERENCE_MEASURES and result.difference is not None \
                    and abs(result.difference) > settings.max_difference + 1e-12:
                size = (f"more than {as_points(settings.max_difference)} (the size is not shown: {_give_away(count)})"
                        if withheld else as_points(abs(result.difference)))
                over.append(f"{result.measure.replace('_', ' ')} of {result.group} in {column} differs from "
                            f"{result.reference}'s by {size}")
        compared = any(c for c in comparisons if c[1].measure in DIFFERENCE_MEASURES)
        if over:
            words, met = "Not met: " + "; ".join(over) + ".", False
        elif compared:
            words, met = (f"Met: every group judged is within {as_points(settings.max_difference)} of its reference "
                          "group for precision, recall and false positive rate."), True
        else:
            words, met = "Cannot be judged: no group column has two groups large enough to compare.", None
        verdicts.append({"id": key, "label": THRESHOLD_LABELS[key], "met": met, "words": words})
    verdicts.append(_group_size_verdict(settings, group_reports, min_size))
    return verdicts


def _group_size_verdict(settings: Settings, group_reports: list[dict[str, Any]], min_size: int) -> dict[str, Any]:
    """Whether every group was large enough to judge, and which were not. A group below the
    disclosure threshold is counted, never named: it is too small to judge whatever the
    smallest group to judge (Settings.judged_from)."""
    key = "min-group-size"
    whose = (" (your threshold)" if settings.min_group_size else " (this tool's default: record your own)")
    if not group_reports:
        return {"id": key, "label": THRESHOLD_LABELS[key], "met": None,
                "words": "Cannot be judged: no group column chosen."}
    small = [f"{entry['group']} in {g['column']}" for g in group_reports for entry in g["groups"] if not entry["judged"]]
    hidden = sum(g["groups_not_shown"] for g in group_reports)
    if not small and not hidden:
        return {"id": key, "label": THRESHOLD_LABELS[key], "met": True,
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
    return {"id": key, "label": THRESHOLD_LABELS[key], "met": False, "words": words}


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


def monitor_report(before: Cases, after: Cases, settings: Settings, bank: TestMonitorBank,
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

