"""The ethics workbook: its bank, worked examples, answers, progress, view and Markdown."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st
from markdown.extensions.toc import slugify

from assessments import BankError, InputError, api
from assessments.ethics_workbook import model as ew
from assessments.ethics_workbook.view import (
    question_anchor,
    render_workbook_markdown,
    render_workbook_result,
    summarise_workbook_result,
)
from support_records import export_record, import_record
from assessments.tools import TOOLS, get_tool
from support_banks import JUNK, raw_bank

BANK = ew.load_workbook_bank()
QUESTIONS = BANK.questions
EXAMPLES = {example.name: example for example in BANK.examples}
UNDER_WAY = EXAMPLES["Explore agreed with the oversight group, Develop under way"]
TO_CHECK = EXAMPLES["First drafts, one marked ready without an answer"]
DOCS = Path(__file__).resolve().parents[2] / "docs"


def _raw_bank() -> dict:
    return raw_bank("ethics-workbook")


# ------------------------------------------------------------------------- the bank


def test_three_phases_of_six_to_ten_questions_each_with_help_and_a_link():
    assert BANK.title == "Ethics workbook"
    assert [p.id for p in BANK.phases] == ["explore", "develop", "implement"]
    for phase in BANK.phases:
        assert 6 <= len(phase.questions) <= 10, phase.id
        assert [q.number for q in phase.questions] == list(range(1, len(phase.questions) + 1))
        for question in phase.questions:
            assert question.help.strip() and question.links, question.id
            assert question.id.startswith(phase.id + "-")


def test_the_questions_cover_every_theme_of_the_guidance():
    assert [t.name for t in BANK.themes] == [
        "Value and proportionality", "Data quality, bias and fairness", "Privacy and data sharing",
        "Human oversight and professional judgement", "Engagement and co-design",
        "Transparency and accountability", "Security", "Evaluation", "Retirement",
    ]
    assert {q.theme for q in QUESTIONS.values()} == {t.id for t in BANK.themes}


def test_statuses_run_from_not_started_to_discussed_and_agreed():
    assert [s.label for s in BANK.statuses] == [
        "Not started", "Draft", "Ready for the oversight group", "Discussed and agreed"]
    assert [s.needs_answer for s in BANK.statuses] == [False, False, True, True]


def _headings(page: Path) -> set[str]:
    """The anchors MkDocs gives a page's headings (the toc extension's own slugify)."""
    text = page.read_text("utf-8")
    return {slugify(m.group(1).strip(), "-") for m in re.finditer(r"^#{1,6} (.+)$", text, re.MULTILINE)}


@pytest.mark.parametrize("target", sorted({link.target for q in QUESTIONS.values() for link in q.links}
                                          | {p.guidance.target for p in BANK.phases}))
def test_every_link_leads_to_a_page_and_heading_that_exist(target):
    path, _, anchor = target.partition("#")
    page = DOCS / path
    assert page.is_file(), target
    if anchor:
        assert anchor in _headings(page), target


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_every_worked_example_gives_the_progress_the_bank_says(example):
    result = ew.score_workbook(example.answers)
    assert {p.phase: p.status for p in result.phases} == dict(example.expected_phase_statuses)
    assert dict(result.counts) == dict(example.expected_status_counts)
    assert result.checks == example.expected_checks
    json.dumps(dict(example.answers))


def test_the_examples_between_them_reach_every_phase_status_and_a_point_to_check():
    reached = {p.status for e in BANK.examples for p in ew.score_workbook(e.answers).phases}
    assert {"not-started", ew.IN_PROGRESS, "agreed"} <= reached
    assert any(e.expected_checks for e in BANK.examples)


def _set(path: list, value):
    def change(raw):
        target = raw
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return change


_DELETE = object()


@pytest.mark.parametrize(
    "change, field",
    [
        (_set(["phases", 0, "questions", 1, "help"], _DELETE), "phases[0].questions[1].help"),
        (_set(["phases", 0, "questions", 1, "theme"], "astrology"), "phases[0].questions[1].theme"),
        (_set(["phases", 1, "questions", 0, "id"], "explore-fairness"), "phases[1].questions[0].id"),
        (_set(["phases", 1, "questions", 0, "links"], []), "phases[1].questions[0].links"),
        (_set(["phases", 2, "id"], "retire"), "phases"),
        (_set(["phases", 0, "guidance"], "guidance/explore/index.md"), "phases[0].guidance"),
        (_set(["statuses", 1, "id"], "in-progress"), "statuses[1].id"),
        (_set(["statuses", 0, "needs_answer"], True), "statuses[0].needs_answer"),
        (_set(["statuses", 2, "id"], "draft"), "statuses[2].id"),
        (_set(["statuses"], [{"id": "only", "label": "Only", "description": "One."}]), "statuses"),
        (lambda raw: raw["themes"].append({"id": "unused", "name": "Unused"}), "themes"),
        (_set(["examples", 0, "responses", 0, "status"], "finished"), "examples[0].responses"),
        (_set(["examples", 0, "responses", 0, "question"], "no-such-question"), "examples[0].responses[0].question"),
        (_set(["examples", 0, "expected", "phase_statuses", "explore"], "done"), "examples[0].expected.phase_statuses.explore"),
        (_set(["examples", 0, "expected", "checks"], ["nowhere"]), "examples[0].expected.checks"),
        (_set(["examples", 0, "expected", "status_counts", "draft"], "two"), "examples[0].expected.status_counts.draft"),
    ],
)
def test_an_invalid_bank_names_the_file_and_field(change, field):
    raw = _raw_bank()
    change(raw)
    with pytest.raises(BankError) as broken:
        ew.parse_workbook_bank(raw)
    assert broken.value.where == field, str(broken.value)
    assert str(broken.value).startswith("ethics-workbook.toml: ")


def test_an_example_whose_expectation_is_wrong_fails_the_example_test():
    raw = _raw_bank()
    raw["examples"][0]["expected"]["phase_statuses"]["explore"] = "draft"
    example = ew.parse_workbook_bank(raw).examples[0]
    assert ew.score_workbook(example.answers).phase("explore").status != example.expected_phase_statuses["explore"]


# -------------------------------------------------------------------------- answers


FIRST = "explore-problem-and-outcomes"


@pytest.mark.parametrize(
    "answers, words",
    [
        (["x"], "should be a list"),
        ({"no-such-question--answer": "x"}, "does not have"),
        ({FIRST: "x"}, "does not have"),
        ({3: "x"}, "does not have"),
        ({f"{FIRST}--answer": ["x"]}, "should be text"),
        ({f"{FIRST}--status": "finished"}, "not one of the statuses"),
        ({f"{FIRST}--status": None}, "should be text"),
        ({f"{FIRST}--answer": "x" * (ew.MAX_ANSWER_CHARACTERS + 1)}, "can be up to 5,000 characters"),
        ({f"{FIRST}--comments": "x" * (ew.MAX_COMMENT_CHARACTERS + 1)}, "can be up to 3,000 characters"),
    ],
)
def test_bad_answers_are_refused_in_plain_words(answers, words):
    with pytest.raises(InputError, match=words):
        ew.validate_workbook_answers(answers)


def test_a_message_names_the_phase_and_question_number():
    with pytest.raises(InputError) as refused:
        ew.validate_workbook_answers({"develop-security--comments": "x" * 4000})
    assert "oversight group comments for Develop question 6" in str(refused.value)
    assert "4,000 characters long" in str(refused.value)


def test_empty_text_and_the_first_status_are_dropped_and_the_rest_kept_in_workbook_order():
    clean = ew.validate_workbook_answers({
        "implement-retirement--answer": "Retire in 2030.",
        f"{FIRST}--comments": "",
        f"{FIRST}--status": "not-started",
        f"{FIRST}--answer": "  Line one\nLine two  ",
        "develop-security--status": "",
    })
    assert list(clean) == [f"{FIRST}--answer", "implement-retirement--answer"]
    assert clean[f"{FIRST}--answer"] == "  Line one\nLine two  "  # typed text is kept as typed


def test_answers_at_the_limit_are_accepted():
    answers = {f"{FIRST}--answer": "x" * ew.MAX_ANSWER_CHARACTERS, f"{FIRST}--comments": "y" * ew.MAX_COMMENT_CHARACTERS}
    assert ew.validate_workbook_answers(answers) == answers


def test_the_answers_schema_agrees_with_validation():
    schema = ew.workbook_answers_schema(BANK)
    jsonschema.Draft202012Validator.check_schema(schema)
    for example in BANK.examples:
        jsonschema.validate(dict(example.answers), schema)
    for bad in ({f"{FIRST}--status": "finished"}, {f"{FIRST}--answer": "x" * (ew.MAX_ANSWER_CHARACTERS + 1)},
                {"nope": "x"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
        with pytest.raises(InputError):
            ew.validate_workbook_answers(bad)


NAMES = sorted(f"{q}--{part}" for q in QUESTIONS for part in ew.PARTS)
VALUE = st.one_of(JUNK, st.sampled_from([s.id for s in BANK.statuses]), st.text(max_size=40),
                  st.sampled_from(["", "  ", "<script>alert(1)</script>"]))


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(NAMES), st.text(max_size=12)), VALUE, max_size=12),
    st.dictionaries(st.sampled_from(NAMES), VALUE, max_size=40),
    JUNK,
))
def test_any_answers_give_a_valid_result_or_a_clear_error(answers):
    try:
        result = ew.score_workbook(answers) if isinstance(answers, dict) else ew.score_workbook(
            ew.validate_workbook_answers(answers))
    except InputError as problem:
        assert str(problem)
        return
    assert result.total == len(QUESTIONS) == sum(n for _status, n in result.counts)
    json.dumps(result.to_dict())
    html = render_workbook_result(result)
    assert html.startswith("<div") and "<script>" not in html
    assert summarise_workbook_result(result).startswith("Result updated")


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(NAMES), VALUE, max_size=30))
def test_the_api_always_answers_in_plain_words(answers):
    for op in ("score", "export", "export_as"):
        response = json.loads(api.handle(json.dumps(
            {"op": op, "tool": "ethics-workbook", "answers": answers, "format": "markdown"}, default=str)))
        assert response["ok"] or "guide's own code" not in response["error"]


# ------------------------------------------------------------------------- progress


def test_a_phase_is_as_far_as_its_least_advanced_question_once_all_have_started():
    explore = BANK.phase("explore").questions
    all_ready = {f"{q.id}--status": "ready-for-oversight" for q in explore} | {f"{q.id}--answer": "A." for q in explore}
    assert ew.score_workbook(all_ready).phase("explore").status == "ready-for-oversight"
    one_agreed = {**all_ready, f"{explore[0].id}--status": "agreed"}
    assert ew.score_workbook(one_agreed).phase("explore").status == "ready-for-oversight"
    one_draft = {**all_ready, f"{explore[3].id}--status": "draft"}
    assert ew.score_workbook(one_draft).phase("explore").status == "draft"
    one_untouched = {k: v for k, v in all_ready.items() if not k.startswith(explore[8].id)}
    progress = ew.score_workbook(one_untouched).phase("explore")
    assert progress.status == ew.IN_PROGRESS and progress.not_started == (explore[8].id,)


def test_writing_an_answer_alone_does_not_change_the_status():
    result = ew.score_workbook({f"{FIRST}--answer": "Started writing."})
    assert result.question(FIRST).status == "not-started" and result.question(FIRST).answered
    assert FIRST in result.not_started


def test_a_status_that_says_the_answer_is_written_when_it_is_not_is_a_point_to_check():
    result = ew.score_workbook({f"{FIRST}--status": "agreed", f"{FIRST}--answer": "   ",
                                "explore-fairness--status": "draft"})
    assert result.checks == (FIRST,)


def test_the_result_dict_holds_progress_not_the_texts():
    data = ew.score_workbook(UNDER_WAY.answers).to_dict()
    assert data["counts"] == dict(UNDER_WAY.expected_status_counts)
    assert [p["status"] for p in data["phases"]] == ["agreed", "in-progress", "not-started"]
    assert "front door" not in json.dumps(data)


# ------------------------------------------------------------------------- the view


def test_the_result_shows_the_headline_table_not_started_and_the_record():
    html = render_workbook_result(ew.score_workbook(UNDER_WAY.answers), "../../")
    assert "9 of 27 questions discussed and agreed; 15 not started." in html
    assert "<caption>Questions by phase and status</caption>" in html
    assert '<tr data-phase="develop"><th scope="row">Develop</th><td>6</td><td>2</td><td>1</td><td>0</td>' \
           "<td>In progress</td></tr>" in html
    assert "Questions not started (15)" in html
    assert f'href="#{question_anchor("", "develop-bias-and-accuracy")}"' in html
    assert "Record of the workbook" in html
    assert "Agreed. The group asked us to measure time saved in the Develop phase." in html
    assert 'href="../../guidance/develop/"' in html
    assert "Points to check" not in html
    assert summarise_workbook_result(ew.score_workbook(UNDER_WAY.answers)) == (
        "Result updated: 9 of 27 questions discussed and agreed; 15 not started.")


def test_points_to_check_link_to_the_question():
    result = ew.score_workbook(TO_CHECK.answers)
    html = render_workbook_result(result)
    assert "Points to check (1)" in html
    assert (f'<a href="#ethics-workbook--explore-governance">Explore question 8</a>: marked \u201cReady for the '
            "oversight group\u201d, but no answer is written.") in html
    assert summarise_workbook_result(result).endswith("1 to check.")


def test_a_phase_view_shows_that_phase_first_and_only_its_record():
    html = render_workbook_result(ew.score_workbook(UNDER_WAY.answers), "", "develop")
    assert html.count("cssc-result__headline") == 1
    assert "Develop phase: <strong>In progress</strong>. 0 of 9 questions discussed and agreed; 6 not started." in html
    assert "Record of the Develop questions" in html
    assert 'data-record="develop-security"' in html and 'data-record="explore-fairness"' not in html
    assert 'href="#ethics-workbook-develop--develop-security"' in html
    assert "Develop (this page)" in html
    assert get_tool("ethics-workbook").views(BANK) == ("explore", "develop", "implement")


def test_text_from_a_file_is_shown_as_text_never_as_markup():
    answers = {f"{FIRST}--answer": "<script>alert('x')</script>", f"{FIRST}--comments": "<img src=x onerror=alert(1)>"}
    html = render_workbook_result(ew.score_workbook(answers))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


# ---------------------------------------------------------------------- downloads


def test_the_tool_is_registered_with_markdown_per_phase_and_a_warning_before_closing():
    tool = TOOLS["ethics-workbook"]
    assert tool.warn_unexported
    assert list(tool.exports) == ["markdown-explore", "markdown-develop", "markdown-implement", "markdown", "word"]
    assert tool.exports["markdown-develop"].label == "Develop answers (Markdown)"
    assert all(export.media_type == "text/markdown" for name, export in tool.exports.items() if name != "word")
    assert tool.exports["word"].is_word and tool.exports["word"].label == "whole workbook (Word)"


def test_a_phase_download_holds_that_phase_only_with_statuses_answers_and_comments():
    answers = dict(UNDER_WAY.answers)
    text = render_workbook_markdown(answers, ew.score_workbook(answers), "explore")
    assert text.startswith("# Ethics workbook: Explore phase\n")
    assert "Progress: Discussed and agreed. 9 of 9 questions discussed and agreed; 0 not started." in text
    assert text.count("\n## ") == 9
    assert "- **Status:** Discussed and agreed" in text
    # Line breaks kept, inside a block quote.
    assert ("> Practitioners in the front door team told us they spend hours finding which services a family has "
            "already worked with.\n> A family context view") in text
    assert "> Agreed. The group asked us to measure time saved in the Develop phase." in text
    assert "Develop" not in text.split("\n## ")[0].replace("Develop phase", "")  # no other phase's section
    assert "develop-security" not in text and "How have the security" not in text


def test_the_whole_workbook_download_has_every_phase():
    answers = dict(UNDER_WAY.answers)
    text = render_workbook_markdown(answers, ew.score_workbook(answers))
    assert text.startswith("# Ethics workbook\n")
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Explore phase", "## Develop phase", "## Implement phase"]
    assert text.count("\n### ") == len(QUESTIONS)
    assert text.count("Not written yet.") == 16


def test_markup_typed_into_an_answer_stays_text_in_markdown():
    answers = {f"{FIRST}--answer": "<script>alert(1)</script>\n\nA \\ backslash"}
    text = render_workbook_markdown(answers, ew.score_workbook(answers), "explore")
    assert "> \\<script>alert(1)\\</script>\n>\n> A \\\\ backslash" in text


def test_markdown_downloads_through_the_api_name_the_phase():
    response = json.loads(api.handle(json.dumps({"op": "export_as", "tool": "ethics-workbook", "format":
                                                 "markdown-implement", "answers": dict(UNDER_WAY.answers)})))
    assert response["ok"] and response["media_type"] == "text/markdown"
    assert re.fullmatch(r"ethics-workbook-\d{4}-\d{2}-\d{2}-implement\.md", response["file_name"])
    assert response["text"].startswith("# Ethics workbook: Implement phase")


def test_json_round_trip_gives_the_same_answers_and_progress():
    record = export_record("ethics-workbook", dict(UNDER_WAY.answers))
    imported = import_record("ethics-workbook", json.dumps(record))
    assert imported.answers == dict(UNDER_WAY.answers)
    # The progress loaded from the file is the one the bank's worked example says.
    assert {p.phase: p.status for p in imported.result.phases} == dict(UNDER_WAY.expected_phase_statuses)
    assert dict(imported.result.counts) == dict(UNDER_WAY.expected_status_counts)
    assert imported.notes == ()


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda r: r["answers"].__setitem__(f"{FIRST}--answer", "x" * 10_000_001), "too large"),
        (lambda r: r["answers"].__setitem__(f"{FIRST}--answer", "x" * 6000), "can be up to 5,000"),
        (lambda r: r["answers"].__setitem__(f"{FIRST}--status", "finished"), "not one of the statuses"),
        (lambda r: r["answers"].__setitem__(f"{FIRST}--comments", {"a": 1}), "should be text"),
        (lambda r: r.__setitem__("format_version", 2), "newer version"),
        (lambda r: r.__setitem__("tool", "ethics-triage"), "not the Ethics workbook"),
    ],
)
def test_bad_files_are_refused_in_plain_words(change, words):
    record = copy.deepcopy(export_record("ethics-workbook", dict(UNDER_WAY.answers)))
    change(record)
    with pytest.raises(InputError, match=words):
        import_record("ethics-workbook", json.dumps(record))


def test_script_tags_in_a_loaded_file_come_back_as_text():
    answers = {f"{FIRST}--answer": "<script>alert(1)</script>"}
    response = json.loads(api.handle(json.dumps({"op": "import", "tool": "ethics-workbook",
                                                 "text": json.dumps(export_record("ethics-workbook", answers))})))
    assert response["ok"] and response["answers"] == answers
    assert "<script>" not in response["html"] and "&lt;script&gt;" in response["html"]
