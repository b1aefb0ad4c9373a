"""The profiler on its own: counts that must stay exact past the cap on distinct values."""

from __future__ import annotations

from datetime import date

from assessments.data_profile import ProfileOptions, Profiler, Rule
from assessments.data_quality import load_data_quality_bank

BANK = load_data_quality_bank()


def options(*rules: Rule) -> ProfileOptions:
    return ProfileOptions(
        today=date(2026, 12, 1), null_like=BANK.null_like, type_share=BANK.type_share,
        category_max_distinct=BANK.category_max_distinct, outlier_fence=BANK.outlier_fence,
        earliest_plausible_year=BANK.earliest_plausible_year, distinct_cap=BANK.distinct_values_counted,
        rules=rules)


def test_allowed_values_first_seen_past_the_cap_on_distinct_values_are_not_counted_as_outside():
    # More distinct values than the bank counts one by one, all outside the list; then
    # allowed values, missing values and one more outside value, each first seen past the cap.
    past_cap = BANK.distinct_values_counted + 1
    profiler = Profiler(["status"], options(Rule("status", "allowed-values", ("Open", "Closed"))))
    profiler.add_rows([[f"X{n}"] for n in range(past_cap)])
    profiler.add_rows([["Open"]] * 40 + [["Closed "]] * 30 + [[""]] * 7 + [["unknown"]] * 3 + [["Pending"]] * 20)
    column = profiler.finish().columns[0]
    assert column.distinct_capped
    assert column.missing == 10
    assert column.rule_failures["allowed-values"] == past_cap + 20


def test_allowed_values_are_counted_the_same_below_the_cap():
    rows = [["Open"]] * 40 + [["Closed "]] * 30 + [[""]] * 7 + [["Pending"]] * 20
    profiler = Profiler(["status"], options(Rule("status", "allowed-values", ("Open", "Closed"))))
    profiler.add_rows(rows)
    assert profiler.finish().columns[0].rule_failures["allowed-values"] == 20
