"""The profiler on its own: counts that must stay exact past the cap on distinct values."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from hypothesis import given, strategies as st

from assessments.data import profile as data_profile
from assessments.data.profile import ProfileOptions, Profiler, Rule, _most_common
from assessments.data_quality.model import load_data_quality_bank

BANK = load_data_quality_bank()


def options(*rules: Rule, distinct_cap: int = BANK.distinct_values_counted, identifier: str = "") -> ProfileOptions:
    return ProfileOptions(
        today=date(2026, 12, 1), null_like=BANK.null_like, type_share=BANK.type_share,
        category_max_distinct=BANK.category_max_distinct, outlier_fence=BANK.outlier_fence,
        earliest_plausible_year=BANK.earliest_plausible_year, distinct_cap=distinct_cap,
        identifier_column=identifier, rules=rules)


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
    assert column.distinct == past_cap + 3  # 'Open', 'Closed ' and 'Pending'; not the blank or 'unknown'
    assert column.rule_failures["allowed-values"] == past_cap + 20


def test_allowed_values_are_counted_the_same_below_the_cap():
    rows = [["Open"]] * 40 + [["Closed "]] * 30 + [[""]] * 7 + [["Pending"]] * 20
    profiler = Profiler(["status"], options(Rule("status", "allowed-values", ("Open", "Closed"))))
    profiler.add_rows(rows)
    assert profiler.finish().columns[0].rule_failures["allowed-values"] == 20


@pytest.mark.parametrize("distinct_cap", [10, 1000])
def test_repeated_identifiers_are_counted_exactly_below_and_past_the_cap(distinct_cap):
    # 15 ids, one repeated and two blanks (not repeats) in the first batch; in the second,
    # that id again, a new one twice, a blank and an 'unknown' twice (recorded, so repeated).
    first = [[f"A{n}"] for n in range(15)] + [["A3"], [""], [""]]
    second = [["A3"], ["A20"], ["A20"], [" "], ["unknown"], ["unknown"]]
    profiler = Profiler(["id"], options(distinct_cap=distinct_cap, identifier="id"))
    profiler.add_rows(first)
    profiler.add_rows(second)
    column = profiler.finish().columns[0]
    assert column.distinct_capped is (distinct_cap == 10)
    assert column.duplicate_values == 4


def test_the_most_common_values_are_the_counters_with_ties_in_the_order_first_seen():
    rows = [["b"], ["a"], ["c"], ["a"], ["d"], ["b"], ["e"], ["f"], ["g"], ["h"]]
    profiler = Profiler(["code"], options())
    profiler.add_rows(rows)
    assert profiler.finish().columns[0].most_common == Counter(row[0] for row in rows).most_common(5)


@given(st.lists(st.sampled_from("abcdefghij"), max_size=60), st.integers(min_value=1, max_value=12))
def test_the_quick_most_common_agrees_with_counters_own(values, how_many):
    counter = Counter(values)
    assert _most_common(counter, how_many) == counter.most_common(how_many)


def test_rows_are_told_apart_even_where_their_hashes_are_the_same(monkeypatch):
    # In Pyodide Python's hash has 32 bits, so different rows share one far more often
    # than in CPython; here every row shares one, and only true repeats may count.
    monkeypatch.setattr(data_profile, "hash", lambda value: 7, raising=False)
    profiler = Profiler(["id", "team"], options(distinct_cap=2))
    profiler.add_rows([["1", "North"], ["2", "North"], ["3", "South"]])
    profiler.add_rows([["1", "North"], ["4", "South"], ["5", "South"]])
    profile = profiler.finish()
    assert profile.duplicate_rows == 1
    assert profile.columns[0].distinct_capped
    assert profile.columns[0].distinct == 5  # past the cap, new values are told apart by their keys too
