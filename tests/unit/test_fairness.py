"""The intervals, comparisons, calibration and drift of assessments.data.fairness, against published figures."""

from __future__ import annotations

import math

import pytest

from assessments.data.fairness import (Counts, Rate, ScoreCounts, calibration, compare, katz_ratio, newcombe_difference,
                                  population_stability, psi_reading, wilson_interval)


def test_wilson_interval_matches_newcombes_published_example():
    # Newcombe (1998), Statistics in Medicine 17:857, Table I: 81/263, score method.
    interval = wilson_interval(81, 263)
    assert round(interval.low, 4) == 0.2553 and round(interval.high, 4) == 0.3662
    # At 0 of n the interval still has width, unlike the simple formula's 0 to 0.
    assert wilson_interval(0, 10).low == 0 and wilson_interval(0, 10).high > 0.25
    assert wilson_interval(0, 0) is None


@pytest.mark.parametrize("a, b, expected", [
    ((56, 70), (48, 80), (0.0524, 0.3339)),  # Newcombe (1998) 17:873, Table II, method 10
    ((9, 10), (3, 10), (0.1705, 0.8090)),
])
def test_newcombe_difference_matches_the_published_examples(a, b, expected):
    interval = newcombe_difference(Rate(*a), Rate(*b))
    assert (round(interval.low, 4), round(interval.high, 4)) == expected


def test_ratio_is_not_defined_against_a_zero_and_has_no_interval_from_a_zero():
    assert katz_ratio(Rate(3, 10), Rate(0, 10))[0] is None
    ratio, interval, reason = katz_ratio(Rate(0, 10), Rate(3, 10))
    assert ratio == 0 and interval is None and reason
    ratio, interval, _ = katz_ratio(Rate(20, 100), Rate(10, 100))
    assert ratio == pytest.approx(2.0) and interval.low < 2 < interval.high


@pytest.mark.parametrize("a, b, ratio, expected", [
    # Sahai and Khurshid (1996), Statistics in Epidemiology: Methods, Techniques, and
    # Applications, CRC Press, Example 3.1 (coronary heart disease by catecholamine level,
    # 27/122 exposed against 44/487 unexposed): risk ratio 2.45, 95% interval 1.58 to 3.79 by
    # the Katz log method. The same example, to more places, is in the SciPy documentation of
    # scipy.stats.contingency.relative_risk (1.5836990926700116 to 3.7886786315466354).
    ((27, 122), (44, 487), 2.4495, (1.5837, 3.7887)),
    # SciPy's documentation of RelativeRiskResult.confidence_interval (Katz et al., 1978,
    # Biometrics 34:469-474, "Method C"): 10/75 against 12/225, ratio 2.5, 1.1262 to 5.5499.
    ((10, 75), (12, 225), 2.5, (1.1262, 5.5499)),
])
def test_katz_interval_matches_the_published_examples(a, b, ratio, expected):
    found, interval, reason = katz_ratio(Rate(*a), Rate(*b))
    assert reason == ""
    assert round(found, 4) == ratio
    assert (round(interval.low, 4), round(interval.high, 4)) == expected
    # The published figures, to the two places the book gives.
    if a == (27, 122):
        assert (round(interval.low, 2), round(interval.high, 2)) == (1.58, 3.79)


def test_a_comparison_names_the_group_where_the_measure_is_not_defined():
    no_positives = Counts(tp=0, fp=5, fn=0, tn=20)
    result = compare("recall", "Area B", no_positives, "Area A", Counts(tp=5, fp=5, fn=5, tn=20))
    assert result.difference is None and "Area B" in result.reason and "no case had the outcome" in result.reason


def test_scores_at_a_threshold_count_a_score_equal_to_it_as_yes():
    scores = ScoreCounts(happened=[0.2, 0.5, 0.9], not_happened=[0.1, 0.5, 0.7])
    assert scores.at(0.5) == Counts(tp=2, fp=2, fn=1, tn=1)
    assert scores.at(0.0) == Counts(tp=3, fp=3, fn=0, tn=0)
    assert scores.at(1.01) == Counts(tp=0, fp=0, fn=3, tn=3)


def test_calibration_bands_cover_every_score_once():
    scores = ScoreCounts(happened=[0.05, 0.95, 1.0], not_happened=[0.0, 0.1, 0.5, 0.55])
    bands = calibration(scores, 0.0, 1.0, 4)
    assert [band.cases for band in bands] == [3, 0, 2, 2]
    assert bands[3].observed.value == 1.0 and not bands[1].observed.defined
    assert bands[0].mean_score == pytest.approx((0.05 + 0.0 + 0.1) / 3)


def test_population_stability_index_and_its_reading():
    same = {"a": 50, "b": 50}
    assert population_stability(same, {"a": 5, "b": 5}) == pytest.approx(0.0)
    shifted = population_stability({"a": 50, "b": 50}, {"a": 80, "b": 20})
    assert shifted == pytest.approx((0.8 - 0.5) * math.log(0.8 / 0.5) + (0.2 - 0.5) * math.log(0.2 / 0.5))
    assert psi_reading(0.05) == "little change" and psi_reading(shifted).startswith("a large shift")
    assert psi_reading(0.15).startswith("some change")
    assert population_stability({}, same) is None and psi_reading(None).startswith("not defined")
    # A category new in the later period counts, with its empty earlier share floored.
    assert population_stability({"a": 100}, {"a": 90, "new": 10}) > 0.25
