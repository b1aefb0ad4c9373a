"""The data quality check in CPython: the worked example's counts, disclosure control,
bias in recording, the reader's rules and settings, and the worker's entry points."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from assessments import api
from assessments.data_quality import api as data_check_api
from assessments.data_quality.model import CheckRun, InputError, load_data_quality_bank, validate_data_quality_answers
from assessments.data_quality.view import report_csv, report_markdown
from support_data_quality import EXPECTED, PRIVATE_VALUES, ROWS, SETTINGS, TODAY, defective_csv, defective_xlsx, found

BANK = load_data_quality_bank()


def check(data: bytes, answers=None, name: str = "referrals.csv", sheet: str = "") -> dict:
    view = memoryview(data)
    run = CheckRun(lambda offset, length: view[offset:offset + length].tobytes(), len(data), name,
                   answers if answers is not None else SETTINGS, sheet, date.fromisoformat(TODAY))
    while not run.step(50):
        pass
    return run.finish()


@pytest.fixture(scope="module")
def worked() -> dict:
    return check(defective_csv())


def test_the_worked_example_gives_every_count_worked_out_by_hand(worked):
    assert found(worked) == EXPECTED
    assert worked["rows"] == ROWS and worked["column_count"] == 10


def test_the_worked_example_as_a_workbook_gives_the_same_counts():
    assert found(check(defective_xlsx(), name="referrals.xlsx", sheet="Referrals")) == EXPECTED


def test_columns_get_their_type_and_completeness(worked):
    columns = {c["name"]: c for c in worked["columns"]}
    assert {name: c["type"] for name, c in columns.items()} == {
        "Child ID": "text", "Referral date": "date", "Contact date": "date", "Date of birth": "date",
        "Sex": "category", "Ethnicity": "category", "Team": "category", "Age": "number", "Outcome": "category",
        "Notes": "text"}
    assert (columns["Outcome"]["missing"], columns["Outcome"]["blank"], columns["Outcome"]["null_like"]) == (30, 16, 14)
    assert columns["Referral date"]["date_formats"] == {"YYYY-MM-DD": 207, "DD/MM/YYYY": 15}
    assert columns["Ethnicity"]["distinct"] == "fewer than 10"  # four groups: a small count, suppressed


def test_bias_in_recording_flags_the_group_whose_team_is_missing(worked):
    bias = worked["bias"]
    assert bias["group_column"] == "Ethnicity"
    mixed = [flag for flag in bias["flags"] if flag["group"] == "Mixed"]
    assert mixed == [{"group": "Mixed", "column": "Team", "missing_rate": round(26 / 56, 4), "rest_missing_rate": 0.0,
                      "difference_points": 46.4, "direction": "more",
                      "text": "‘Team’ is missing more often for this group than for the rest (46.4% against 0.0%): it "
                              "is recorded less completely for them, which can make a tool built on this data less "
                              "accurate or less fair for them."}]
    assert {g["group"]: g["rows"] for g in bias["groups"]} == {"Mixed": 56, "Black": 56, "Asian": 55,
                                                               "White British": 55}


def test_a_group_recorded_better_than_the_rest_is_told_apart_from_one_recorded_worse(worked):
    # The other three groups have every Team recorded, so each differs from the rest (where
    # Mixed's gaps fall) by more than 10 points too: listed, but as better recorded, after
    # the group recorded worse, and never in the words used for a problem.
    bias = worked["bias"]
    assert [(f["group"], f["direction"]) for f in bias["flags"]] == [
        ("Mixed", "more"), ("Black", "less"), ("Asian", "less"), ("White British", "less")]
    assert (bias["more_missing"], bias["less_missing"]) == (1, 3)
    for flag in bias["flags"][1:]:
        assert flag["text"].startswith("‘Team’ is missing less often for this group than for the rest")
        assert "not a problem with its own records" in flag["text"] and "less fair" not in flag["text"]
    markdown = report_markdown(worked)
    worse = markdown.index("### Groups with more missing values than the rest")
    better = markdown.index("### Groups with fewer missing values than the rest")
    assert worse < markdown.index("| Mixed | Team |") < better < markdown.index("| Black | Team |")
    assert "1 group and column pair(s) with more missing values than the rest" in markdown


def test_a_higher_threshold_flags_nothing():
    assert check(defective_csv(), {**SETTINGS, "bias-threshold": "50"})["bias"]["flags"] == []


def test_no_value_from_the_data_is_in_the_report_unless_the_reader_asks(worked):
    texts = [json.dumps(worked, ensure_ascii=False), report_markdown(worked)]
    for value in PRIVATE_VALUES + ("Female", "Visit", "2031-05"):
        assert not any(value in text for text in texts), value
    with_examples = check(defective_csv(), {**SETTINGS, "show-examples": ["yes"]})
    columns = {c["name"]: c for c in with_examples["columns"]}
    assert columns["Referral date"]["range"] == ["2024-01-01", "2031-05-11"]
    assert columns["Sex"]["spellings"] == [[{"value": "Male", "rows": 100}, {"value": "M", "rows": 12},
                                            {"value": "male", "rows": 10}]]


def test_small_counts_are_suppressed_and_their_rates_left_out():
    data = b"ID,Team\r\n" + b"".join(b"%d,North\r\n" % i for i in range(40)) + b"".join(b"%d,\r\n" % i for i in range(40, 43))
    team = next(c for c in check(data, {})["columns"] if c["name"] == "Team")
    assert (team["missing"], team["complete_rate"]) == ("fewer than 10", None)
    team = next(c for c in check(data, {"suppress-below": "0"})["columns"] if c["name"] == "Team")
    assert (team["missing"], team["complete_rate"]) == (3, round(40 / 43, 4))


def test_settings_that_name_columns_not_in_the_file_are_listed(worked):
    report = check(defective_csv(), {"group-column": "Area", "rule-1--column": "Closure date", "rule-1--kind": "is-a-date"})
    assert report["not_found"] == ["Closure date", "Area"]
    assert report["bias"] is None


def test_settings_are_validated_in_plain_words():
    assert validate_data_quality_answers({"rule-3--column": "A", "rule-3--kind": "unique", "group-column": " "}) == {
        "rule-1--column": "A", "rule-1--kind": "unique"}
    for bad, words in [({"rule-1--kind": "sometimes"}, "kind this check does not know"),
                       ({"colour": "red"}, "setting this check does not have"),
                       ({"bias-threshold": "lots"}, "should be a number"),
                       ({"suppress-below": "2.5"}, "whole number"),
                       ({"show-examples": "maybe"}, "ticked or not")]:
        with pytest.raises(InputError, match=words):
            validate_data_quality_answers(bad)


def test_every_bank_example_gives_its_rules():
    for example in BANK.examples:
        scored = json.loads(api.handle(json.dumps({"op": "score", "tool": "data-quality", "answers": dict(example.answers)})))
        assert scored["ok"]
        assert len(scored["result"]["rules"]) == example.expected_rules, example.name
        assert [item["rule"] for item in scored["result"]["incomplete_rules"]] == list(example.expected_incomplete)


def test_the_worker_entry_points_answer_in_json_and_forget_a_run_once_done():
    data = defective_csv()
    view = memoryview(data)
    read_at = lambda offset, length: view[offset:offset + length].tobytes()  # noqa: E731
    started = json.loads(data_check_api.start(7, read_at, len(data), json.dumps(
        {"file_name": "r.csv", "answers": SETTINGS, "today": TODAY})))
    assert started["ok"] and started["columns"][0] == "Child ID"
    stepped = json.loads(data_check_api.step(7, 100))
    assert (stepped["ok"], stepped["done"], stepped["rows"]) == (True, False, 100)
    data_check_api.cancel(7)
    assert data_check_api.running() == 0
    json.loads(data_check_api.start(8, read_at, len(data), json.dumps({"file_name": "r.csv", "answers": SETTINGS})))
    finished = json.loads(data_check_api.finish(8, "../"))
    assert finished["ok"] and finished["summary"].startswith("Checked “r.csv”: 222 rows")
    assert 'href="../explainers/data-quality/#completeness"' in finished["html"]
    assert data_check_api.running() == 0
    refused = json.loads(data_check_api.start(9, lambda offset, length: b"", 0, json.dumps({"file_name": "e.csv"})))
    assert refused == {"ok": False, "error": "“e.csv” is empty: it has no column headings and no rows."}
    assert data_check_api.running() == 0


def test_a_heading_that_is_formula_text_is_escaped_in_the_csv_of_findings():
    data = b'=HYPERLINK("http://example.invalid"),Team\r\n' + b"".join(b",North\r\n" for _ in range(12))
    text = report_csv(check(data, {}))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Dimension"
    assert ["Completeness", "'=HYPERLINK(\"http://example.invalid\")", "missing", "12"] == rows[1][:4]
