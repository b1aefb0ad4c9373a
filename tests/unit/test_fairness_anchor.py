"""Our measures against fairlearn's MetricFrame and scikit-learn's metrics (CPython only).

Generated case files, by group, include a group with no case where the outcome happened, a
group where every case had it, a group the tool predicted all yes, one it predicted all
no, one of a single case, and an empty group. Every figure must agree to 1e-9, or both
sides must say the measure is undefined (scikit-learn with zero_division=nan; fairlearn's
false positive and negative rates come from a normalised confusion matrix, which reports
an undefined rate as 0, so there the undefined side is scikit-learn's).
"""

from __future__ import annotations

import math
import warnings
from functools import partial

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (MetricFrame, count, false_negative_rate, false_positive_rate, selection_rate,
                               true_positive_rate)
from sklearn.metrics import accuracy_score, precision_score, recall_score

from assessments.data.fairness import Counts, largest_gap, measure, measures

TOLERANCE = 1e-9


def _generated(seed: int) -> pd.DataFrame:
    random = np.random.default_rng(seed)
    parts = []

    def group(name: str, size: int, outcome_share: float, predicted_share: float) -> None:
        parts.append(pd.DataFrame({
            "group": name,
            "outcome": (random.random(size) < outcome_share).astype(int),
            "predicted": (random.random(size) < predicted_share).astype(int),
        }))

    group("ordinary", 400, 0.3, 0.35)
    group("small", 7, 0.4, 0.5)
    group("no positives", 60, 0.0, 0.3)
    group("all positives", 40, 1.0, 0.6)
    group("all predicted yes", 50, 0.4, 1.0)
    group("all predicted no", 50, 0.4, 0.0)
    group("single case", 1, 1.0, 0.0)
    return pd.concat(parts, ignore_index=True)


def _nan_safe(metric):
    def wrapped(y_true, y_pred):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return metric(y_true, y_pred)
    return wrapped


SKLEARN = {
    "precision": _nan_safe(partial(precision_score, zero_division=np.nan)),
    "recall": _nan_safe(partial(recall_score, zero_division=np.nan)),
    # The false positive rate is 1 - recall of the "no" class; undefined with no "no" cases.
    "false_positive_rate": _nan_safe(lambda t, p: 1 - recall_score(t, p, pos_label=0, zero_division=np.nan)),
    "false_negative_rate": _nan_safe(lambda t, p: 1 - recall_score(t, p, zero_division=np.nan)),
    "accuracy": accuracy_score,
    "selection_rate": selection_rate,
    "base_rate": lambda t, p: float(np.mean(t)),
}
FAIRLEARN = {
    "count": count,
    "selection_rate": selection_rate,
    "recall": true_positive_rate,
    "false_positive_rate": false_positive_rate,
    "false_negative_rate": false_negative_rate,
    "accuracy": accuracy_score,
    "precision": SKLEARN["precision"],
    "base_rate": SKLEARN["base_rate"],
}


def _ours(frame: pd.DataFrame) -> Counts:
    return Counts.of((bool(v) for v in frame["outcome"]), (bool(v) for v in frame["predicted"]))


def _agree(ours, theirs: float, label: str) -> None:
    if ours.defined:
        assert not math.isnan(theirs), f"{label}: we give {ours.value}, scikit-learn says undefined"
        assert abs(ours.value - theirs) <= TOLERANCE, f"{label}: {ours.value} against {theirs}"
    else:
        assert math.isnan(theirs), f"{label}: we say not defined ({ours.reason}), scikit-learn gives {theirs}"
        assert ours.reason


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_measure_for_every_group_agrees_with_fairlearn_and_scikit_learn(seed):
    data = _generated(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fairlearn and pandas warn about the degenerate groups on purpose
        frame = MetricFrame(metrics=FAIRLEARN, y_true=data["outcome"], y_pred=data["predicted"],
                            sensitive_features=data["group"])
    for name, rows in data.groupby("group"):
        counts = _ours(rows)
        assert counts.n == frame.by_group.loc[name, "count"]
        ours = measures(counts)
        for measure_name, metric in SKLEARN.items():
            _agree(ours[measure_name], float(metric(rows["outcome"], rows["predicted"])), f"{name} {measure_name}")
            fairlearn_value = float(frame.by_group.loc[name, measure_name])
            if ours[measure_name].defined:
                assert abs(ours[measure_name].value - fairlearn_value) <= TOLERANCE, f"{name} {measure_name} (fairlearn)"
            else:  # fairlearn's normalised confusion matrix reports the undefined rate as 0 or nan
                assert fairlearn_value == 0 or math.isnan(fairlearn_value)
    overall = measures(_ours(data))
    for measure_name in SKLEARN:
        assert abs(overall[measure_name].value - float(frame.overall[measure_name])) <= TOLERANCE


@pytest.mark.parametrize("seed", [4, 5])
def test_largest_difference_and_ratio_between_groups_agree_with_metric_frame(seed):
    data = _generated(seed)
    # Groups where every measure is defined: fairlearn's between_groups difference and
    # ratio compare all groups, and an undefined measure would be a 0 or a nan there.
    data = data[data["group"].isin(["ordinary", "small", "all predicted yes"])]
    frame = MetricFrame(metrics={k: SKLEARN[k] for k in ("selection_rate", "precision", "recall", "accuracy")},
                        y_true=data["outcome"], y_pred=data["predicted"], sensitive_features=data["group"])
    by_group = {name: _ours(rows) for name, rows in data.groupby("group")}
    difference, ratio = frame.difference(method="between_groups"), frame.ratio(method="between_groups")
    for measure_name in ("selection_rate", "precision", "recall", "accuracy"):
        ours_difference, ours_ratio, _ = largest_gap(measure_name, by_group)
        assert abs(ours_difference - difference[measure_name]) <= TOLERANCE
        assert abs(ours_ratio - ratio[measure_name]) <= TOLERANCE


def test_an_empty_group_has_no_measure_defined_and_fairlearn_refuses_it_too():
    with pytest.raises(ValueError, match="Empty"):
        selection_rate(np.array([], dtype=int), np.array([], dtype=int))
    for name, rate in measures(Counts()).items():
        assert rate.value is None and rate.reason, name


def test_all_same_predictions_over_everyone():
    outcomes = [1, 0, 1, 0, 0, 1, 0, 0]
    for predicted in (0, 1):
        predictions = [predicted] * len(outcomes)
        counts = Counts.of(map(bool, outcomes), map(bool, predictions))
        _agree(measure("precision", counts), SKLEARN["precision"](outcomes, predictions), f"precision all {predicted}")
        _agree(measure("recall", counts), SKLEARN["recall"](outcomes, predictions), f"recall all {predicted}")
        _agree(measure("selection_rate", counts), selection_rate(outcomes, predictions), "selection")


@pytest.mark.parametrize("seed", range(5))
def test_katz_ratio_intervals_agree_with_scipy(seed):
    """Our Katz log interval against SciPy's (scipy.stats.contingency.relative_risk, which
    cites Katz et al., 1978), for generated counts, including ones near 0 and n."""
    from scipy.stats.contingency import relative_risk

    from assessments.data.fairness import Rate, katz_ratio

    random = np.random.default_rng(seed)
    for _ in range(200):
        n1, n2 = (int(n) for n in random.integers(1, 500, size=2))
        x1, x2 = int(random.integers(1, n1 + 1)), int(random.integers(1, n2 + 1))
        ratio, interval, reason = katz_ratio(Rate(x1, n1), Rate(x2, n2))
        reference = relative_risk(x1, n1, x2, n2)
        theirs = reference.confidence_interval(confidence_level=0.95)
        assert reason == "" and ratio == pytest.approx(reference.relative_risk, rel=TOLERANCE)
        assert interval.low == pytest.approx(theirs.low, rel=TOLERANCE), (x1, n1, x2, n2)
        assert interval.high == pytest.approx(theirs.high, rel=TOLERANCE), (x1, n1, x2, n2)
