"""The test and monitor tool in CPython: the bank's worked cases, bad input named by column
and row, disclosure control, the threshold slider's report, and drift between periods."""

from __future__ import annotations

import json

import pytest

from assessments.monitor import api as test_monitor_api
from assessments.data.loader import ByteSource
from assessments.core.errors import InputError
from assessments.monitor.cases import open_cases
from assessments.monitor.view import render_report
from assessments.monitor.model import load_test_monitor_bank, score_test_monitor, settings_from_answers
from assessments.monitor.report import monitor_report, report
from support_test_monitor import SCORED_MAPPING, scored_cases_csv, worked_example


def _open(data: bytes, answers: dict, name: str = "cases.csv"):
    return open_cases(ByteSource.from_bytes(data)._read_at, len(data), name, answers)[1]


def _report(data: bytes, answers: dict, threshold=None):
    return report(_open(data, answers), settings_from_answers(answers), load_test_monitor_bank(), threshold)


@pytest.mark.parametrize("index", range(len(load_test_monitor_bank().worked_cases)))
def test_the_worked_cases_give_the_banks_figures(index):
    worked, data, answers = worked_example(index)
    result = _report(data, answers)
    expected = worked.expected
    assert result["overall"]["measures"]["precision"]["value"] == pytest.approx(expected["overall_precision"], abs=1e-12)
    assert result["overall"]["measures"]["recall"]["value"] == pytest.approx(expected["overall_recall"], abs=1e-12)
    column = result["group_columns"][0]
    assert column["reference"] == expected["reference"]
    groups = {entry["group"]: entry for entry in column["groups"]}
    for name in ("precision", "recall", "false_positive_rate"):
        for group, value in expected[name].items():
            assert groups[group]["measures"][name]["value"] == pytest.approx(value, abs=1e-12), (group, name)
    assert [g for g, entry in groups.items() if not entry["judged"]] == expected["too_small"]
    recall = next(c for c in column["comparisons"] if c["measure"] == "recall")
    assert recall["difference"] == pytest.approx(expected["recall_difference"], abs=1e-12)
    assert recall["difference_interval"][0] < recall["difference"] < recall["difference_interval"][1]
    met = {v["id"]: v["met"] for v in result["verdicts"]}
    assert {key: met[key] for key in expected["met"]} == expected["met"]


def test_a_group_too_small_to_judge_is_never_called_passing():
    worked, data, answers = worked_example()
    result = _report(data, answers)
    islands = next(e for e in result["group_columns"][0]["groups"] if e["group"] == "Islands")
    assert islands["too_small"].startswith("fewer than 50 cases")
    words = " ".join(v["words"] for v in result["verdicts"])
    assert "too small to judge (fewer than 50 cases): Islands in Area." in words and "Islands in Area (" not in words


def test_small_counts_are_suppressed_and_said_so():
    worked, data, answers = worked_example()
    result = _report(data, answers)
    islands = next(e for e in result["group_columns"][0]["groups"] if e["group"] == "Islands")
    assert islands["counts"] == {"cases": 30, "tp": "fewer than 10", "fp": "fewer than 10", "fn": "fewer than 10",
                                 "tn": 20}
    assert islands["measures"]["precision"] == {"value": None, "suppressed": True,
                                                "reason": "it would give away a count below 10"}
    assert "fewer than 10" in result["disclosure"]["note"]


def test_a_figure_that_is_not_shown_is_not_given_away_by_a_comparison_or_a_verdict():
    # North: 6 true positives and 14 false positives (precision not shown, 6 < 10); South's
    # precision is shown. A difference, ratio or figure in words for North would give it away.
    data = (b"Outcome,Prediction,Area\n" + b"yes,yes,North\n" * 6 + b"no,yes,North\n" * 14 + b"no,no,North\n" * 60
            + b"yes,yes,South\n" * 30 + b"no,yes,South\n" * 30 + b"yes,no,South\n" * 20 + b"no,no,South\n" * 40)
    answers = {"outcome-column": "Outcome", "prediction-column": "Prediction", "group-column-1": "Area",
               "min-precision": "60", "max-difference": "5", "min-group-size": "50"}
    result = _report(data, answers)
    column = result["group_columns"][0]
    north = next(e for e in column["groups"] if e["group"] == "North")
    assert north["measures"]["precision"]["suppressed"]
    precision = next(c for c in column["comparisons"] if c["measure"] == "precision")
    assert precision["suppressed"] and precision["difference"] is None and precision["ratio"] is None
    assert precision["difference_interval"] is None and precision["ratio_interval"] is None
    assert column["largest_gaps"]["precision"]["difference"] is None
    verdicts = {v["id"]: v for v in result["verdicts"]}
    assert verdicts["min-precision"]["met"] is False and verdicts["max-difference"]["met"] is False
    assert "North in Area (the figure is not shown" in verdicts["min-precision"]["words"]
    assert "30%" not in verdicts["min-precision"]["words"]  # North's precision, 6 of 20
    assert "more than 5 percentage points (the size is not shown" in verdicts["max-difference"]["words"]
    page = render_report(result, "")
    assert "30.0%" not in page and "-20.0 points" not in page


def test_a_measure_that_divides_by_zero_is_not_defined_with_its_reason():
    data = b"Outcome,Prediction,Area\n" + b"no,no,North\n" * 60 + b"no,yes,North\n" * 15 + b"yes,yes,South\n" * 60
    answers = {"outcome-column": "Outcome", "prediction-column": "Prediction", "group-column-1": "Area",
               "min-recall": "50", "suppress-below": "10"}
    result = _report(data, answers)
    north = next(e for e in result["group_columns"][0]["groups"] if e["group"] == "North")
    assert north["measures"]["recall"] == {"value": None, "reason": "no case had the outcome"}
    south = next(e for e in result["group_columns"][0]["groups"] if e["group"] == "South")
    assert south["measures"]["false_positive_rate"]["reason"] == "every case had the outcome"
    recall = next(v for v in result["verdicts"] if v["id"] == "min-recall")
    assert recall["met"] is None and "not defined for North in Area: no case had the outcome" in recall["words"]


@pytest.mark.parametrize("rows, answers, message", [
    (b"Outcome,Prediction\nyes,yes\nmaybe,no\nno,no\n", {}, "The column “Outcome” has a value that is not yes or no in row 3."),
    (b"Outcome,Prediction\nyes,yes\n,no\n,no\n", {}, "The column “Outcome” has no value in rows 3, 4."),
    (b"Outcome,Score\nyes,0.2\nno,1.7\nno,high\n", {"score-column": "Score"},
     "The column “Score” has a value that is not a number in row 4. The column “Score” has a score outside 0 to 1 in row 3."),
])
def test_bad_values_are_named_by_column_and_row(rows, answers, message):
    with pytest.raises(InputError) as refused:
        _open(rows, {"outcome-column": "Outcome", "prediction-column": "Prediction", **answers})
    for part in message.split(". "):
        assert part.rstrip(".") in str(refused.value)


def test_a_group_column_with_hundreds_of_values_is_refused_with_the_row():
    data = ("Outcome,Prediction,Child ID\n" + "".join(f"yes,no,C{n}\n" for n in range(500))).encode()
    with pytest.raises(InputError, match=r"“Child ID” has more than 50 different values \(the 51st first appears in row 52\)"):
        _open(data, {"outcome-column": "Outcome", "prediction-column": "Prediction", "group-column-1": "Child ID"})


def test_a_mapped_column_the_file_does_not_have_is_named():
    with pytest.raises(InputError, match="has no column called “Predicted”. Its columns are: “Outcome”, “Prediction”"):
        _open(b"Outcome,Prediction\nyes,no\n", {"outcome-column": "Outcome", "prediction-column": "Predicted"})


def test_the_report_holds_no_case_identifier_or_row():
    data = scored_cases_csv(2000)
    text = json.dumps(_report(data, SCORED_MAPPING))
    assert "C1," not in text and '"C1' not in text and "C1999" not in text
    assert "0.6123" not in text  # no score as written in the file


def test_moving_the_threshold_trades_precision_for_recall():
    cases = _open(scored_cases_csv(5000), SCORED_MAPPING)
    settings, bank = settings_from_answers(SCORED_MAPPING), load_test_monitor_bank()
    low, high = report(cases, settings, bank, 0.3), report(cases, settings, bank, 0.7)
    assert low["overall"]["measures"]["recall"]["value"] > high["overall"]["measures"]["recall"]["value"]
    assert low["overall"]["measures"]["precision"]["value"] < high["overall"]["measures"]["precision"]["value"]
    assert [band["cases"] for band in low["calibration"]] == [band["cases"] for band in high["calibration"]]


def test_drift_between_two_periods_reads_a_shifted_score_as_a_large_shift():
    settings, bank = settings_from_answers(SCORED_MAPPING), load_test_monitor_bank()
    before = _open(scored_cases_csv(3000, seed=1), SCORED_MAPPING, "april.csv")
    same = _open(scored_cases_csv(3000, seed=2), SCORED_MAPPING, "may.csv")
    shifted = _open(scored_cases_csv(3000, seed=3, shift=0.25), SCORED_MAPPING, "june.csv")
    steady = monitor_report(before, same, settings, bank)
    assert {d["column"]: d["reading"] for d in steady["drift"]} == {"Risk score": "little change", "Area": "little change"}
    moved = monitor_report(before, shifted, settings, bank)
    assert moved["drift"][0]["reading"].startswith("a large shift")
    recall = next(c for c in moved["changes"] if c["who"] == "everyone" and c["measure"] == "selection_rate")
    assert recall["change"] > 0.2


def test_thresholds_in_words_and_the_banks_examples():
    bank = load_test_monitor_bank()
    for example in bank.examples:
        result = score_test_monitor(example.answers)
        assert list(result.unset) == list(example.expected_unset), example.name
        assert result.settings.mapped == example.expected_mapped, example.name
    words = {t["id"]: t["words"] for t in score_test_monitor({"min-precision": "60", "max-difference": "5"}).threshold_words()}
    assert words["min-precision"].startswith("At least 60% of the cases the tool flags")
    assert "5 percentage points" in words["max-difference"]
    assert words["min-recall"].startswith("Not recorded yet")


def test_the_worker_api_holds_counts_only_until_forgotten():
    worked, data, answers = worked_example()
    view = memoryview(data)
    read_at = lambda offset, length: view[offset:offset + length].tobytes()  # noqa: E731
    request = json.dumps({"file_name": "cases.csv", "answers": answers, "site_root": "/"})
    first = json.loads(test_monitor_api.analyse("current", read_at, len(data), request))
    assert first["ok"] and "Not met" in first["html"] and test_monitor_api.held() == 1
    moved = json.loads(test_monitor_api.rethreshold(json.dumps({"answers": {**answers, "min-precision": "50"}})))
    assert moved["ok"] and "Met: precision is at least 50%" in moved["html"]
    # Downloads are made from the report last shown: the moved one.
    shown = json.loads(json.loads(test_monitor_api.download("current", "json"))["text"])
    assert next(v for v in shown["verdicts"] if v["id"] == "min-precision")["met"] is True
    assert "| Minimum precision | Met |" in json.loads(test_monitor_api.download("current", "markdown"))["text"]
    # The Word file says what the Markdown says: the same blocks, and the same footer as every tool's.
    word = json.loads(test_monitor_api.download("current", "word"))["document"]
    assert word["format"] == "cssc-word-document" and word["title"] == "Test and monitor a predictive tool: report"
    assert ["Threshold", "Result", "In words"] in [block.get("header") for block in word["blocks"]]
    assert ["Minimum precision", "Met"] in [row[:2] for block in word["blocks"] for row in block.get("rows", [])]
    assert word["footer"].startswith("Test and monitor a predictive tool, questions version ")
    test_monitor_api.forget()
    assert test_monitor_api.held() == 0
    assert not json.loads(test_monitor_api.download("current", "json"))["ok"]
    again = json.loads(test_monitor_api.rethreshold(json.dumps({"answers": answers})))
    assert not again["ok"] and "Choose the file again" in again["error"]
    bad = json.loads(test_monitor_api.analyse("current", lambda o, n: b"Outcome,Prediction\nperhaps,no\n"[o:o + n], 30,
                                              request))
    assert not bad["ok"] and "“Outcome”" in bad["error"] and test_monitor_api.held() == 0


def test_a_workbook_of_the_worked_cases_gives_the_same_report_as_the_csv_file():
    import io

    import openpyxl

    worked, data, answers = worked_example()
    book = openpyxl.Workbook()
    sheet = book.active
    for line in data.decode().splitlines():
        sheet.append(line.split(","))
    saved = io.BytesIO()
    book.save(saved)
    from_csv, from_workbook = _report(data, answers), _report(saved.getvalue(), answers)
    for result in (from_csv, from_workbook):
        result.pop("created"), result.pop("file")
    assert from_workbook == from_csv


def test_the_smallest_group_verdict_says_whether_every_group_was_large_enough():
    worked, data, answers = worked_example()  # Islands: 30 cases, below 50
    some = next(v for v in _report(data, answers)["verdicts"] if v["id"] == "min-group-size")
    assert some["met"] is False
    assert some["words"].startswith("Not met: too small to judge (fewer than 50 cases): Islands in Area.")
    every = next(v for v in _report(data, {**answers, "min-group-size": "30"})["verdicts"]
                 if v["id"] == "min-group-size")
    assert every["met"] is True
    assert every["words"] == "Met: every group has at least 30 cases (your threshold), so every group was judged."
    no_groups = {key: value for key, value in answers.items() if key != "group-column-1"}
    none = next(v for v in _report(data, no_groups)["verdicts"] if v["id"] == "min-group-size")
    assert none["met"] is None and "no group column" in none["words"]
    page = render_report(_report(data, {**answers, "min-group-size": "30"}), "")
    assert "<td>Met</td><td>Met: every group has at least 30 cases (your threshold)" in page


def test_a_group_hidden_by_disclosure_control_is_never_judged_or_named():
    # Coast has 8 cases, below the disclosure threshold (10); the reader sets the smallest
    # group to judge to 5. Coast's precision (0 of 8 flagged) would fail every threshold.
    data = (b"Outcome,Prediction,Area\n" + b"yes,yes,North\n" * 40 + b"no,yes,North\n" * 10 + b"no,no,North\n" * 50
            + b"yes,yes,South\n" * 35 + b"no,yes,South\n" * 15 + b"no,no,South\n" * 50 + b"no,yes,Coast\n" * 8)
    answers = {"outcome-column": "Outcome", "prediction-column": "Prediction", "group-column-1": "Area",
               "min-precision": "60", "max-difference": "5", "min-group-size": "5"}
    result = _report(data, answers)
    column = result["group_columns"][0]
    assert [e["group"] for e in column["groups"]] == ["North", "South"] and column["groups_not_shown"] == 1
    assert all(c["group"] != "Coast" for c in column["comparisons"])
    verdicts = {v["id"]: v for v in result["verdicts"]}
    assert "Coast" not in json.dumps(result)
    assert verdicts["min-precision"]["met"] is True  # judged on North and South only
    assert verdicts["min-group-size"]["met"] is False
    assert ("1 group has fewer than 10 cases, the disclosure threshold: it is not shown, named or judged, "
            "whatever the smallest group to judge") in verdicts["min-group-size"]["words"]
    said = {t["id"]: t["words"] for t in score_test_monitor(answers).threshold_words()}["min-group-size"]
    assert "fewer than 10 cases (the disclosure threshold) are not shown, so they are not judged either" in said


def test_a_case_file_is_read_in_steps_that_say_how_far_and_can_be_cancelled():
    data = scored_cases_csv(2500)
    view = memoryview(data)
    read_at = lambda offset, length: view[offset:offset + length].tobytes()  # noqa: E731
    request = json.dumps({"file_name": "april.csv", "answers": SCORED_MAPPING, "site_root": "/"})
    test_monitor_api.forget()
    assert json.loads(test_monitor_api.start(7, "current", read_at, len(data), request))["rows"] == 0
    first = json.loads(test_monitor_api.step(7, 1000))
    assert first["ok"] and not first["done"] and first["rows"] == 1000 and 0 < first["bytes"] <= first["size"] == len(data)
    test_monitor_api.cancel(7)
    assert test_monitor_api.running() == 0 and test_monitor_api.held() == 0
    test_monitor_api.start(8, "current", read_at, len(data), request)
    while not json.loads(test_monitor_api.step(8, 1000))["done"]:
        pass
    stepped = json.loads(test_monitor_api.finish(8))
    assert stepped["ok"] and stepped["summary"].startswith("Tested 2,500 cases")
    assert test_monitor_api.running() == 0 and test_monitor_api.held() == 1
    at_once = json.loads(test_monitor_api.analyse("current", read_at, len(data), request))
    assert at_once["html"] == stepped["html"]
    test_monitor_api.forget()
