"""The user needs table: its bank, worked examples, answers, result view, downloads and schema."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

from assessments import BankError, InputError, api
from assessments.user_needs import model as un
from support_records import export_record, import_record
from assessments.schema import record_schema
from assessments.tools import get_tool
from assessments.user_needs.view import (
    csv_cell,
    markdown_cell,
    render_user_needs_result,
    summarise_user_needs_result,
    user_needs_csv,
    user_needs_markdown,
)
from support_banks import JUNK, raw_bank

BANK = un.load_user_needs_bank()
COLUMNS = BANK.column_ids
EXAMPLES = {example.name: example for example in BANK.examples}
FULL = EXAMPLES["Allocating referrals: three users, every column filled"]
DRAFT = EXAMPLES["A first draft with gaps"]
TOOL = get_tool("user-needs")


def _raw_bank() -> dict:
    return raw_bank("user-needs")


def _csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


# ------------------------------------------------------------------------- the bank


def test_the_bank_has_the_five_columns_the_guidance_names_in_order():
    # Problem identification: users; what they're trying to do; how they currently do
    # it; problems and frustrations; what users need to achieve their goals.
    assert COLUMNS == ("user", "objective", "current-process", "problems", "needs")
    assert [c.label for c in BANK.columns] == [
        "User", "What they are trying to do", "How they do it now", "Problems and frustrations", "What they need"]
    for column in BANK.columns:
        assert column.help.strip() and column.example.strip() and column.max_length >= 200


def test_the_limits_and_names_come_from_the_bank():
    assert (BANK.max_rows, BANK.blank_rows) == (50, 3)
    assert BANK.row_name(2) == "User 2"
    assert (BANK.count(1), BANK.count(3)) == ("1 user", "3 users")
    assert un.field_name(2, "needs") == "row-2--needs"


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda raw: raw["columns"][1].pop("label"), "columns[1].label"),
        (lambda raw: raw["columns"][1].__setitem__("id", "user"), "columns[1].id"),
        (lambda raw: raw["columns"][2].__setitem__("id", "How Now"), "columns[2].id"),
        (lambda raw: raw["columns"][0].__setitem__("max_length", 0), "columns[0].max_length"),
        (lambda raw: raw["columns"][0].__setitem__("max_length", "200"), "columns[0].max_length"),
        (lambda raw: raw["columns"][3].__setitem__("lines", 99), "columns[3].lines"),
        (lambda raw: raw.__setitem__("columns", []), "columns"),
        (lambda raw: raw["limits"].__setitem__("max_rows", 0), "limits.max_rows"),
        (lambda raw: raw["limits"].__setitem__("blank_rows", 51), "limits.blank_rows"),
        (lambda raw: raw["limits"].pop("max_rows"), "limits.max_rows"),
        (lambda raw: raw["rules"].__setitem__("user_column", "who"), "rules.user_column"),
        (lambda raw: raw["checks"][0].__setitem__("kind", "nag"), "checks[0].kind"),
        (lambda raw: raw["checks"][0].__setitem__("column", "colour"), "checks[0].column"),
        (lambda raw: raw["checks"][0].__setitem__("when_filled", "colour"), "checks[0].when_filled"),
        (lambda raw: raw["checks"][0].__setitem__("when_filled", "needs"), "checks[0].when_filled"),
        (lambda raw: raw["checks"][0].__setitem__("words", ["x"]), "checks[0].words"),
        (lambda raw: raw["checks"][2].__setitem__("words", []), "checks[2].words"),
        (lambda raw: raw["checks"][2].__setitem__("words", ["ok", 3]), "checks[2].words[1]"),
        (lambda raw: raw["checks"][2].__setitem__("when_filled", "user"), "checks[2].when_filled"),
        (lambda raw: raw["checks"][3]["links"][0].pop("target"), "checks[3].links[0].target"),
        (lambda raw: raw["checks"][1].__setitem__("id", "need-missing"), "checks[1].id"),
        (lambda raw: raw["examples"][0]["answers"].__setitem__("row-1--colour", "blue"), "examples[0].answers"),
        (lambda raw: raw["examples"][0]["answers"].__setitem__("row-51--user", "Too many"), "examples[0].answers"),
        (lambda raw: raw["examples"][0]["expected"].__setitem__("checks", ["astrology"]), "examples[0].expected.checks"),
        (lambda raw: raw["examples"][0]["expected"].pop("rows"), "examples[0].expected.rows"),
    ],
)
def test_an_invalid_bank_names_the_file_and_field(change, field):
    raw = _raw_bank()
    change(raw)
    with pytest.raises(BankError) as raised:
        un.parse_user_needs_bank(raw)
    assert raised.value.bank == "user-needs.toml"
    assert raised.value.where == field
    assert str(raised.value).startswith(f"user-needs.toml: {field}")


def test_a_bank_with_other_columns_and_limits_works_the_same_way():
    raw = _raw_bank()
    raw["columns"].append({"id": "data-literacy", "label": "Data literacy", "help": "How at ease they are with data.",
                           "example": "Confident with spreadsheets", "max_length": 10, "lines": 1})
    raw["limits"] = {"max_rows": 2, "blank_rows": 1}
    raw["examples"] = [e for e in raw["examples"] if not e["answers"]]  # the empty table fits any limits
    bank = un.parse_user_needs_bank(raw)
    assert un.validate_user_needs_answers({"row-2--data-literacy": "Good"}, bank) == {"row-1--data-literacy": "Good"}
    with pytest.raises(InputError, match="at most 10"):
        un.validate_user_needs_answers({"row-1--data-literacy": "x" * 11}, bank)
    with pytest.raises(InputError, match="room for 2 users at most"):
        un.validate_user_needs_answers({"row-3--user": "x"}, bank)
    schema = un.user_needs_answers_schema(bank)
    jsonschema.validate({"row-2--data-literacy": "Good"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"row-3--data-literacy": "Good"}, schema)


# ------------------------------------------------------------------------- examples


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_every_worked_example_gives_the_rows_and_checks_the_bank_says(example):
    result = un.score_user_needs(example.answers)
    assert len(result.rows) == example.expected_rows
    assert tuple(c.id for c in result.checks) == example.expected_checks


def test_every_check_in_the_bank_is_met_by_at_least_one_example():
    met = {c.id for e in BANK.examples for c in un.score_user_needs(e.answers).checks}
    assert met == {c.id for c in BANK.checks}


def test_the_example_from_the_guide_page_fills_every_column():
    result = un.score_user_needs(FULL.answers)
    assert result.complete_rows == 3 and result.filled_cells == 15 and result.cells == 15
    assert result.rows[0].cells == tuple(c.example for c in BANK.columns)


def test_the_draft_example_names_the_rows_each_check_is_about():
    result = un.score_user_needs(DRAFT.answers)
    checks = {c.id: c for c in result.checks}
    assert [(r.number, r.user) for r in checks["need-missing"].rows] == [(1, "Heads of Service")]
    assert [(r.number, r.user) for r in checks["user-missing"].rows] == [(2, "")]
    assert [(r.number, r.detail) for r in checks["need-names-a-solution"].rows] == [(3, "\u201cdashboard\u201d")]
    assert checks["no-affected-people"].rows == ()


def test_every_example_has_its_own_name_and_valid_answers_that_json_carries_unchanged():
    # The parity and browser tests send each example as JSON and match results by name.
    names = [example.name for example in BANK.examples]
    assert all(names) and len(set(names)) == len(names)
    for example in BANK.examples:
        answers = dict(example.answers)
        sent = json.loads(json.dumps(answers))
        assert un.validate_user_needs_answers(sent) == un.validate_user_needs_answers(answers), example.name
        assert un.score_user_needs(sent) == un.score_user_needs(answers), example.name


# -------------------------------------------------------------------------- answers


def test_rows_are_numbered_from_one_without_gaps_in_row_then_column_order():
    clean = un.validate_user_needs_answers({
        "row-7--needs": "Seven's need",
        "row-2--needs": "Two's need",
        "row-2--user": "Two",
        "row-4--objective": "   ",
        "row-5--user": None,
        "row-3--problems": "",
    })
    assert list(clean.items()) == [("row-1--user", "Two"), ("row-1--needs", "Two's need"),
                                   ("row-2--needs", "Seven's need")]


def test_text_is_kept_exactly_as_typed_including_line_breaks():
    text = "  First line\nSecond line  "
    assert un.validate_user_needs_answers({"row-1--problems": text}) == {"row-1--problems": text}


@pytest.mark.parametrize(
    "answers, words",
    [
        (["row-1--user"], "should be the table's cells"),
        ("row-1--user", "should be the table's cells"),
        ({"user": "x"}, "no place for: \u2018user\u2019"),
        ({"row-0--user": "x"}, "no place for"),
        ({"row-01--user": "x"}, "no place for"),
        ({"row-1-user": "x"}, "no place for"),
        ({"row-1234567--user": "x"}, "no place for"),
        ({3: "x"}, "no place for"),
        ({"row-2--colour": "blue"}, "User 2 has a column this table does not have: \u2018colour\u2019"),
        ({"row-51--user": "x"}, "room for 50 users at most, but the answers include user 51"),
        ({"row-51--user": ""}, "room for 50 users at most"),
        ({"row-2--needs": ["a", "b"]}, "User 2, \u2018What they need\u2019, should be text"),
        ({"row-1--user": 7}, "User 1, \u2018User\u2019, should be text"),
        ({"row-1--user": True}, "should be text"),
        ({"row-1--user": {"nested": "x"}}, "should be text"),
        ({"row-3--problems": "x" * 2001}, "User 3, \u2018Problems and frustrations\u2019, is too long \\(2,001 "
                                          "characters; at most 2,000\\)"),
        ({"row-1--user": "x" * 201}, "at most 200"),
    ],
)
def test_bad_answers_are_refused_in_plain_words(answers, words):
    with pytest.raises(InputError, match=words):
        un.validate_user_needs_answers(answers)


def test_the_longest_allowed_table_is_accepted():
    answers = {un.field_name(n, c.id): "x" * c.max_length for n in range(1, BANK.max_rows + 1) for c in BANK.columns}
    result = un.score_user_needs(answers)
    assert len(result.rows) == BANK.max_rows == result.complete_rows
    jsonschema.validate(export_record("user-needs", answers), record_schema("user-needs"))


CELL_NAMES = [un.field_name(n, c) for n in (1, 2, 3, 7, 50, 51) for c in COLUMNS]
CELL = st.one_of(JUNK, st.text(max_size=300), st.sampled_from(["", "   ", "=SUM(A1)", "a | b", "<script>x</script>"]))


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(CELL_NAMES), st.text(max_size=14)), CELL, max_size=12),
    st.dictionaries(st.sampled_from(CELL_NAMES), st.text(max_size=300), max_size=30),
    JUNK,
))
def test_any_answers_give_a_valid_result_or_a_clear_error(answers):
    try:
        clean = un.validate_user_needs_answers(answers)
        result = un.score_user_needs(clean)
    except InputError as problem:
        assert str(problem)
        return
    assert un.validate_user_needs_answers(clean) == clean  # validation is idempotent
    numbers = sorted({int(un.FIELD_NAME.fullmatch(k).group(1)) for k in clean})
    assert numbers == list(range(1, len(numbers) + 1)) == [r.number for r in result.rows]
    json.dumps(result.to_dict())
    assert render_user_needs_result(result).startswith("<div")
    assert summarise_user_needs_result(result).startswith("Result updated")
    assert len(_csv_rows(user_needs_csv(clean, result))) == len(result.rows) + 1
    markdown = user_needs_markdown(clean, result)
    table = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(table) == (len(result.rows) + 2 if result.rows else 0)
    jsonschema.validate(export_record("user-needs", clean), record_schema("user-needs"))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(CELL_NAMES), CELL, max_size=20))
def test_the_api_always_answers_in_plain_words(answers):
    for op in ({"op": "score"}, {"op": "export_as", "format": "csv"}, {"op": "export_as", "format": "markdown"}):
        response = json.loads(api.handle(json.dumps({**op, "tool": "user-needs", "answers": answers}, default=str)))
        assert response["ok"] or "guide's own code" not in response["error"]


# ----------------------------------------------------------------------- the result


def test_the_result_shows_the_table_counts_and_checks():
    result = un.score_user_needs(DRAFT.answers)
    html = render_user_needs_result(result, "../../")
    assert "<strong>3 users listed</strong>; 0 with every column filled in." in html
    assert "<caption>Your user needs table</caption>" in html
    assert '<th scope="col">Problems and frustrations</th>' in html
    assert '<th scope="row">Heads of Service</th>' in html
    assert html.count("Not filled in") == 15 - 8
    assert "Things to check (4)" in html
    assert "User 3 (Early help practitioners): uses \u201cdashboard\u201d" in html
    assert 'href="../../explainers/co-design/#who-to-involve"' in html
    assert summarise_user_needs_result(result) == "Result updated: 3 users listed, 4 things to check."
    counts = result.to_dict()["counts"]
    assert counts == {"rows": 3, "complete_rows": 0, "filled_cells": 8, "cells": 15}


def test_a_complete_table_has_nothing_to_check():
    result = un.score_user_needs(FULL.answers)
    html = render_user_needs_result(result)
    assert "Things to check (0)" in html and "Nothing to check at the moment." in html
    assert summarise_user_needs_result(result) == "Result updated: 3 users listed, 0 things to check."


def test_an_empty_table_asks_for_a_row():
    result = un.score_user_needs({})
    assert "No users listed yet" in render_user_needs_result(result)
    assert summarise_user_needs_result(result) == "Result updated: no users listed yet."


def test_one_user_and_one_check_are_singular():
    result = un.score_user_needs({"row-1--user": "Team managers"})
    assert summarise_user_needs_result(result) == "Result updated: 1 user listed, 2 things to check."
    result = un.score_user_needs({"row-1--user": "Families", "row-1--needs": "Be heard"})
    assert summarise_user_needs_result(result) == "Result updated: 1 user listed, 0 things to check."


@pytest.mark.parametrize(
    "need, flagged",
    [
        ("A Dashboard of visits due", True),
        ("Some AI to help", True),
        ("Aim to see every child within a week", False),  # "AI" only as a whole word
        ("Know which cases are overdue a visit", False),
        ("An app, or apps", True),
        ("Happy children", False),
    ],
)
def test_the_solution_check_matches_whole_words_ignoring_case(need, flagged):
    result = un.score_user_needs({"row-1--user": "Families", "row-1--needs": need})
    assert ("need-names-a-solution" in {c.id for c in result.checks}) is flagged


def test_text_from_the_reader_is_escaped_in_the_result():
    html = render_user_needs_result(un.score_user_needs(
        {"row-1--user": "<script>alert(1)</script>", "row-1--needs": 'a "quote" & <b>bold</b>'}))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a &quot;quote&quot; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


# ------------------------------------------------------------------------ downloads


def test_the_csv_has_a_header_of_column_labels_and_one_line_per_row():
    result = un.score_user_needs(FULL.answers)
    rows = _csv_rows(user_needs_csv(dict(FULL.answers), result))
    assert rows[0] == [c.label for c in BANK.columns]
    assert rows[1:] == [list(row.cells) for row in result.rows]
    assert "Caseloads feel uneven and nobody can see why.\nRecording twice" in rows[2][3]


def test_the_csv_uses_crlf_line_ends_and_quotes_commas_and_quotes():
    text = user_needs_csv({}, un.score_user_needs({"row-1--user": 'Managers, "senior"'}))
    assert text == '\ufeffUser,What they are trying to do,How they do it now,Problems and frustrations,What they need\r\n' \
                   '"Managers, ""senior""",,,,\r\n'


@pytest.mark.parametrize(
    "cell, safe",
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Team managers", "Team managers"),
        ("a=b", "a=b"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_made_text(cell, safe):
    assert csv_cell(cell) == safe
    rows = _csv_rows(user_needs_csv({}, un.score_user_needs({"row-1--user": "Users", "row-1--needs": cell})))
    assert rows[1][4] == safe


def test_markdown_cells_escape_pipes_html_formatting_and_line_breaks():
    assert markdown_cell("a | b") == "a \\| b"
    assert markdown_cell("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert markdown_cell("*not bold* _nor this_ [nor](a link) `code`") == (
        "\\*not bold\\* \\_nor this\\_ \\[nor\\](a link) \\`code\\`")
    assert markdown_cell("back\\slash & more") == "back\\\\slash &amp; more"
    assert markdown_cell("one\ntwo\r\nthree") == "one<br>two<br>three"


def test_the_markdown_is_a_table_with_one_line_per_row_and_the_checks():
    answers = {"row-1--user": "Managers | leads", "row-1--needs": "Line one\nLine two",
               "row-2--user": "Practitioners", "row-2--needs": "A dashboard"}
    result = un.score_user_needs(answers)
    text = user_needs_markdown(answers, result)
    lines = text.splitlines()
    assert lines[0] == "# User needs table"
    header = "| User | What they are trying to do | How they do it now | Problems and frustrations | What they need |"
    start = lines.index(header)
    assert lines[start + 1] == "| --- | --- | --- | --- | --- |"
    assert lines[start + 2] == "| Managers \\| leads |  |  |  | Line one<br>Line two |"
    assert lines[start + 3] == "| Practitioners |  |  |  | A dashboard |"
    assert "## Things to check" in text
    assert "Rows: User 2 (Practitioners): uses \u201cdashboard\u201d." in text
    # Every table line has exactly the columns' cells: no escaped pipe breaks a row.
    for line in lines[start:start + 4]:
        assert line.replace("\\|", "").count("|") == len(COLUMNS) + 1


def test_the_tool_offers_csv_and_markdown_and_warns_before_unsaved_work_is_lost():
    assert set(TOOL.exports) == {"csv", "markdown"}
    assert (TOOL.exports["csv"].suffix, TOOL.exports["csv"].media_type) == (".csv", "text/csv")
    assert (TOOL.exports["markdown"].suffix, TOOL.exports["markdown"].media_type) == (".md", "text/markdown")
    assert TOOL.warn_unexported


def test_downloads_through_the_api_are_named_after_the_tool_and_date():
    for fmt, suffix in (("csv", ".csv"), ("markdown", ".md")):
        response = json.loads(api.handle(json.dumps(
            {"op": "export_as", "tool": "user-needs", "format": fmt, "answers": dict(FULL.answers)})))
        assert response["ok"] and response["file_name"].startswith("user-needs-")
        assert response["file_name"].endswith(suffix)
        assert "Team managers in the assessment service" in response["text"]


# ------------------------------------------------------------------ records, schema


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_export_then_import_gives_the_same_answers_and_result(example):
    record = export_record("user-needs", dict(example.answers), created="2025-03-20T10:00:00Z")
    imported = import_record("user-needs", json.dumps(record))
    assert imported.answers == dict(example.answers)
    assert imported.result.to_dict() == record["result"]
    assert imported.notes == ()


def test_a_record_with_gaps_loads_with_its_rows_renumbered():
    record = export_record("user-needs", {"row-1--user": "A"})
    record["answers"] = {"row-2--user": "B", "row-5--needs": "C"}
    imported = import_record("user-needs", json.dumps(record))
    assert imported.answers == {"row-1--user": "B", "row-2--needs": "C"}


@pytest.mark.parametrize(
    "answers, words",
    [
        ({"row-1--user": "<script>alert(1)</script>" * 10}, "too long"),
        ({"row-1--user": "x" * 10_000_000}, "too large"),
        ({"row-99--user": "x"}, "room for 50"),
        ({"row-1--user": ["x"]}, "should be text"),
    ],
)
def test_a_bad_file_is_refused_in_plain_words(answers, words):
    record = export_record("user-needs", {"row-1--user": "A"})
    record["answers"] = answers
    with pytest.raises(InputError, match=words):
        import_record("user-needs", json.dumps(record))


def test_the_schema_accepts_exports_and_refuses_what_import_refuses():
    schema = record_schema("user-needs")
    jsonschema.Draft202012Validator.check_schema(schema)
    record = export_record("user-needs", dict(FULL.answers))
    jsonschema.validate(record, schema)
    for answers in ({"row-51--user": "x"}, {"row-1--colour": "x"}, {"row-1--user": ""}, {"row-1--user": 3},
                    {"row-1--user": "x" * 201}, {"row-0--user": "x"}, {"row-01--user": "x"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**record, "answers": answers}, schema)
