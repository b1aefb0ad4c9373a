"""The business case: its bank and examples, its answers, the other tools' summaries,
the result view and the Markdown document."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

from assessments import BankError, InputError, api
from assessments.business_case import model as bc
from assessments.business_case.view import (
    business_case_markdown,
    render_business_case_result,
    summarise_business_case_result,
)
from assessments.data_maturity.model import load_data_maturity_bank, score_data_maturity
from assessments.core.document_fields import markdown_text
from assessments.ethics_triage.model import load_triage_bank, score_triage
from support_records import export_record, import_record, score_with_context
from assessments.schema import record_schema
from assessments.tools import get_tool
from assessments.user_needs.model import load_user_needs_bank, score_user_needs
from support_banks import JUNK, raw_bank

BANK = bc.load_business_case_bank()
FIELDS = BANK.fields
EXAMPLES = {example.name: example for example in BANK.examples}
COMPLETE = EXAMPLES["A complete business case for a placement sufficiency dashboard"]
DRAFT = EXAMPLES["An early draft with only the rationale written"]
TOOL = get_tool("business-case")

MATURITY = next(e for e in load_data_maturity_bank().examples if e.expected_overall_level == "established")
TRIAGE = next(e for e in load_triage_bank().examples if e.expected_risk_level == "high")
USER_NEEDS = next(e for e in load_user_needs_bank().examples if e.expected_rows >= 2)
CONTEXT_ANSWERS = {"data-maturity": dict(MATURITY.answers), "ethics-triage": dict(TRIAGE.answers),
                   "user-needs": dict(USER_NEEDS.answers)}


def _raw_bank() -> dict:
    return raw_bank("business-case")


def _in_context(answers: dict, context: dict | None = None) -> bc.BusinessCaseResult:
    return score_with_context(TOOL, answers, CONTEXT_ANSWERS if context is None else context)


# ------------------------------------------------------------------------- the bank


def test_the_bank_has_the_guidance_s_five_parts_and_the_other_things_it_asks_for():
    titles = [s.title for s in BANK.sections]
    for part in ("Project rationale", "Expected benefits", "Economic case", "Risks and opportunities",
                 "How success will be measured"):
        assert part in titles
    for field in ("solution", "analytics-type", "value", "datasets", "data-quality", "resources-expertise",
                  "procurement-route", "procurement-rationale", "desirable-outcomes", "undesirable-outcomes",
                  "red-lines", "impact-children-families", "impact-practitioners", "impact-senior-decision-makers",
                  "impact-safeguarding-partners", "sign-off-by", "sign-off-date", "sign-off-status"):
        assert field in FIELDS, field
    assert [o.id for o in FIELDS["procurement-route"].options] == [
        "in-house", "consultants", "bespoke-build", "off-the-shelf"]


def test_every_field_has_help_and_free_text_has_a_maximum_length():
    for field in FIELDS.values():
        assert field.help.strip() and field.label.strip(), field.id
        assert (field.max_length > 0) == field.is_free_text, field.id


def test_field_ids_never_clash_with_the_ids_the_page_uses():
    reserved = {"load", "result-heading", "how-to-write", "document", "evidence"}
    assert not reserved & set(FIELDS)
    assert not {f"doc-{s.id}" for s in BANK.sections} & set(FIELDS)


def test_the_tool_summarises_the_tools_the_bank_names_and_warns_before_closing():
    assert TOOL.context_tools == tuple(source.tool for source in BANK.context) == (
        "data-maturity", "user-needs", "ethics-triage")
    assert TOOL.warn_unexported and set(TOOL.exports) == {"markdown", "word"}
    assert TOOL.exports["markdown"].suffix == ".md"


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_every_worked_example_gives_the_result_the_bank_says(example):
    result = bc.score_business_case(example.answers)
    assert result.missing_for_sign_off == example.expected_missing_for_sign_off
    assert result.ready_for_sign_off == example.expected_ready_for_sign_off
    assert result.signed_off_too_soon == example.expected_signed_off_too_soon


def _field_index(fid: str) -> tuple[int, int]:
    for s, section in enumerate(BANK.sections):
        for f, field in enumerate(section.fields):
            if field.id == fid:
                return s, f
    raise AssertionError(fid)


ROUTE = _field_index("procurement-route")
NAME = _field_index("project-name")


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda raw: raw["sections"][0]["fields"][0].pop("label"), "sections[0].fields[0].label"),
        (lambda raw: raw["sections"][0]["fields"][0].__setitem__("kind", "essay"), "sections[0].fields[0].kind"),
        (lambda raw: raw["sections"][0]["fields"][0].__setitem__("max_length", -1), "sections[0].fields[0].max_length"),
        (lambda raw: raw["sections"][0]["fields"][0].__setitem__("required_for_sign_off", "yes"),
         "sections[0].fields[0].required_for_sign_off"),
        (lambda raw: raw["sections"][1]["fields"][0].__setitem__("id", "project-name"), "sections[1].fields[0].id"),
        (lambda raw: raw["sections"][ROUTE[0]]["fields"][ROUTE[1]]["options"][1].__setitem__("id", "in-house"),
         f"sections[{ROUTE[0]}].fields[{ROUTE[1]}].options[1].id"),
        (lambda raw: raw["sections"][1].__setitem__("id", "about"), "sections[1].id"),
        (lambda raw: raw["rules"].__setitem__("status_field", "project-name"), "rules.status_field"),
        (lambda raw: raw["rules"].__setitem__("signed_off_option", "approved"), "rules.signed_off_option"),
        (lambda raw: raw["rules"].__setitem__("title_field", "nowhere"), "rules.title_field"),
        (lambda raw: raw["rules"].__setitem__("sign_off_date_field", "sign-off-by"), "rules.sign_off_date_field"),
        (lambda raw: raw["context"][0].__setitem__("tool", "horoscope"), "context[0].tool"),
        (lambda raw: raw["context"][1].__setitem__("tool", "data-maturity"), "context[1].tool"),
        (lambda raw: raw["context"][0].pop("absent"), "context[0].absent"),
        (lambda raw: raw["examples"][0]["answers"].__setitem__("analytics-type", "magic"), "examples[0].answers"),
        (lambda raw: raw["examples"][0]["answers"].__setitem__("project-name", "x" * 151), "examples[0].answers"),
        (lambda raw: raw["examples"][1]["expected"].__setitem__("missing_for_sign_off", ["funding"]),
         "examples[1].expected.missing_for_sign_off"),
        (lambda raw: raw["examples"][1]["expected"].__setitem__("ready_for_sign_off", "no"),
         "examples[1].expected.ready_for_sign_off"),
    ],
)
def test_an_invalid_bank_names_the_file_and_field(change, where):
    raw = _raw_bank()
    change(raw)
    with pytest.raises(BankError) as raised:
        bc.parse_business_case_bank(raw)
    assert raised.value.bank == "business-case.toml"
    assert raised.value.where == where
    assert str(raised.value).startswith(f"business-case.toml: {where}")


# -------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    "answers, words",
    [
        ("text", "should be a list"),
        ({"horoscope": "x"}, "a field this business case does not have"),
        ({"analytics-type": "magic"}, "not one of the options"),
        ({"project-name": "x" * 151}, "too long"),
        ({"sign-off-date": "tomorrow"}, "not a date"),
        ({"problem": {"nested": True}}, "should be text"),
    ],
)
def test_bad_answers_are_refused_in_plain_words(answers, words):
    with pytest.raises(InputError, match=words):
        bc.validate_business_case_answers(answers)


ANSWER = st.one_of(
    JUNK,
    st.text(max_size=300),
    st.sampled_from(sorted({o.id for f in FIELDS.values() for o in f.options}) + ["2025-04-02", "2025-13-40"]),
)
ANSWERS = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(sorted(FIELDS)), st.text(max_size=12)), ANSWER, max_size=10),
    st.dictionaries(st.sampled_from(sorted(FIELDS)), ANSWER, max_size=40),
    JUNK,
)


@settings(max_examples=300, deadline=None)
@given(ANSWERS)
def test_any_answers_give_a_valid_result_or_a_clear_error(answers):
    try:
        clean = bc.validate_business_case_answers(answers)
    except InputError as problem:
        assert str(problem)
        return
    result = bc.score_business_case(clean)
    json.dumps(result.to_dict())
    assert render_business_case_result(result).startswith("<div")
    assert summarise_business_case_result(result).startswith("Result updated")
    document = business_case_markdown(clean, result)
    assert document.startswith("# Business case") and "<" not in document


@settings(max_examples=100, deadline=None)
@given(ANSWERS, st.dictionaries(st.sampled_from(["data-maturity", "ethics-triage", "user-needs", "other"]), JUNK))
def test_the_api_always_answers_in_plain_words_whatever_the_context(answers, context):
    response = json.loads(api.handle(json.dumps(
        {"op": "score", "tool": "business-case", "answers": answers, "context": context}, default=str)))
    assert response["ok"] or "guide's own code" not in response["error"]


# ---------------------------------------------------------------- other tools' results


def test_with_every_other_tool_saved_the_document_summarises_each_one():
    result = _in_context(dict(COMPLETE.answers))
    summaries = {s.tool: s for s in result.summaries}
    assert [s.tool for s in result.summaries] == ["data-maturity", "user-needs", "ethics-triage"]
    assert all(s.available for s in result.summaries)
    assert summaries["data-maturity"].headline.startswith("Overall data maturity: Established")
    assert summaries["ethics-triage"].headline == "Risk level so far: High."
    assert any(d.startswith("Red flags: The tool would act") for d in summaries["ethics-triage"].details)
    assert any(d.startswith("Who should sign off: The Director") for d in summaries["ethics-triage"].details)
    users = load_user_needs_bank().count(USER_NEEDS.expected_rows)
    assert summaries["user-needs"].headline.startswith(users.capitalize())
    html = render_business_case_result(result, "../../")
    for slug in ("data-maturity", "user-needs", "ethics-triage"):
        assert f'data-summary="{slug}" data-available="true"' in html
        assert f'href="../../tools/{slug}/"' in html


def test_with_nothing_saved_each_summary_says_so_and_links_to_the_tool():
    result = _in_context(dict(COMPLETE.answers), {})
    assert [s.available for s in result.summaries] == [False, False, False]
    assert [s.headline for s in result.summaries] == [source.absent for source in BANK.context]
    html = render_business_case_result(result, "")
    assert "Complete the Ethics triage" in html and 'href="tools/ethics-triage/"' in html


def test_a_broken_or_stale_copy_of_another_tool_is_ignored():
    context = {"data-maturity": {"no-such-statement": "mostly"}, "ethics-triage": "rubbish",
               "user-needs": {"row-1--user": ["not", "text"]}, "horoscope": {"x": 1}}
    result = _in_context(dict(DRAFT.answers), context)
    assert [s.available for s in result.summaries] == [False, False, False]
    assert _in_context(dict(DRAFT.answers), "not a dict").summaries == result.summaries
    # A result of the wrong kind passed straight in is ignored too.
    wrong = bc.score_business_case(DRAFT.answers, {"data-maturity": score_triage(TRIAGE.answers)})
    assert not wrong.summaries[0].available


def test_a_data_maturity_assessment_without_enough_answers_says_the_level_is_not_known_yet():
    result = _in_context({}, {"data-maturity": {"leaders-use-data": "mostly"}})
    assert result.summaries[0].available
    assert result.summaries[0].headline.startswith("Overall data maturity: not known yet")


def test_context_comes_through_the_api_with_every_request():
    request = {"tool": "business-case", "answers": dict(COMPLETE.answers), "context": CONTEXT_ANSWERS}
    scored = json.loads(api.handle(json.dumps({**request, "op": "score"})))
    assert scored["ok"] and "Risk level so far: High." in scored["html"]
    exported = json.loads(api.handle(json.dumps({**request, "op": "export_as", "format": "markdown"})))
    assert exported["ok"] and exported["media_type"] == "text/markdown"
    assert exported["file_name"].startswith("business-case-") and exported["file_name"].endswith(".md")
    assert "## Evidence from other tools" in exported["text"] and "Risk level so far: High." in exported["text"]


def test_the_user_needs_summary_lists_users_and_their_needs_and_counts_the_rest():
    bank = load_user_needs_bank()
    answers = {f"row-{n}--user": f"User group {n}" for n in range(1, 14)}
    answers["row-1--needs"] = "Up-to-date caseloads"
    headline, details = bc.summarise_user_needs(score_user_needs(answers))
    assert headline.startswith("13 ")
    assert details[0] == "User group 1: Up-to-date caseloads."
    assert details[1] == "User group 2: no need written down yet."
    assert details[10] == f"And {bank.count(3)} more: see the table."
    assert bc.summarise_user_needs(score_user_needs({}))[0] == "The user needs table has no rows yet."


# ----------------------------------------------------------------------------- view


def test_the_result_lists_what_is_missing_section_by_section_with_links_to_each_box():
    result = bc.score_business_case(DRAFT.answers)
    html = render_business_case_result(result)
    assert "3 of 26 parts needed for sign-off are written; 23 still to write." in html
    assert f'<a href="#business-case--sponsor">{FIELDS["sponsor"].label}</a>' in html
    assert 'data-section="rationale" data-missing="1"' in html
    assert "Status: <strong>Draft</strong>" in html
    assert summarise_business_case_result(result) == (
        "Result updated: 3 of 26 parts needed for sign-off written, 23 to go.")


def test_a_complete_business_case_is_ready_and_its_document_shows_every_part():
    result = bc.score_business_case(COMPLETE.answers)
    html = render_business_case_result(result)
    assert 'data-ready="true"' in html and "Ready for sign-off" in html
    assert "<h3 id=\"business-case--document\">Business case: Placement sufficiency dashboard</h3>" in html
    assert html.count("<dt>") == len(FIELDS)
    assert "Descriptive: what has happened" in html and "2 April 2025" in html
    assert summarise_business_case_result(result) == "Result updated: ready for sign-off."


def test_signed_off_too_soon_is_pointed_out():
    html = render_business_case_result(bc.score_business_case(EXAMPLES["Marked signed off while parts are still missing"].answers))
    assert 'data-signed-off-too-soon="true"' in html
    assert "Marked as signed off, but parts needed for sign-off are empty." in html


def test_nothing_written_says_how_many_parts_are_needed():
    result = bc.score_business_case({})
    assert summarise_business_case_result(result) == (
        "Result updated: nothing written yet; 26 parts are needed for sign-off.")
    assert "Business case: untitled" in render_business_case_result(result)


def test_text_from_the_reader_is_escaped_in_the_page():
    html = render_business_case_result(bc.score_business_case({"project-name": "<script>alert(1)</script>",
                                                                "problem": '"><img src=x onerror=alert(1)>'}))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ------------------------------------------------------------------------- Markdown


def test_the_markdown_document_has_a_heading_per_section_and_every_filled_part():
    result = _in_context(dict(COMPLETE.answers))
    document = business_case_markdown(dict(COMPLETE.answers), result)
    assert document.startswith("# Business case: Placement sufficiency dashboard\n")
    for number, section in enumerate(BANK.sections, start=1):
        assert f"\n## {number}. {section.title}\n" in document
    for line in result.lines:
        assert f"\n### {line.label}\n" in document
        if line.answer:
            assert markdown_text(line.answer) in document, line.field
    assert "*Not written yet.*" in document  # optional parts left empty
    assert "\n## Evidence from other tools\n" in document
    for source in BANK.context:
        assert f"\n### {source.title}\n" in document
    assert "- Red flags: The tool would act" in document


def test_the_markdown_of_a_draft_says_what_is_missing():
    document = business_case_markdown({}, bc.score_business_case(DRAFT.answers))
    assert "**Draft.** Parts needed for sign-off that are not written yet: Prepared by: names and roles;" in document


def test_typed_markup_comes_out_inert_in_the_markdown():
    answers = {"project-name": "<script>alert(1)</script>", "problem": "# Heading\n<img src=x>\n[x](javascript:y)",
               "risks": "```\nfenced"}
    document = business_case_markdown(answers, bc.score_business_case(answers))
    assert "<" not in document
    assert "# Business case: &lt;script>alert(1)&lt;/script>" in document
    assert "\\# Heading  \n&lt;img src=x>  \n\\[x](javascript:y)" in document
    assert "\n\\```  \nfenced\n" in document
    assert "\n# Heading" not in document


# ------------------------------------------------------------------- records, schema


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_export_then_import_gives_the_same_answers_and_result(example):
    record = export_record("business-case", dict(example.answers), created="2025-04-02T10:00:00Z",
                           context=CONTEXT_ANSWERS)
    jsonschema.validate(record, record_schema("business-case"))
    imported = import_record("business-case", json.dumps(record), context=CONTEXT_ANSWERS)
    assert imported.answers == dict(example.answers)
    assert imported.result.to_dict() == record["result"]
    assert imported.notes == ()


def test_a_file_with_summaries_from_another_browser_loads_with_a_note():
    record = export_record("business-case", dict(COMPLETE.answers), context=CONTEXT_ANSWERS)
    imported = import_record("business-case", json.dumps(record), context={})
    assert imported.answers == dict(COMPLETE.answers)
    assert "differed" in imported.notes[0]


def test_the_schema_refuses_an_answer_that_is_too_long_or_not_an_option():
    record = export_record("business-case", dict(COMPLETE.answers))
    for broken in ({"project-name": "x" * 151}, {"analytics-type": "magic"}, {"horoscope": "x"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**record, "answers": {**record["answers"], **broken}}, record_schema("business-case"))


def test_maturity_summary_names_the_components_to_strengthen():
    weak = next(e for e in load_data_maturity_bank().examples if e.expected_reading == "some-components-ready")
    headline, details = bc.summarise_maturity(score_data_maturity(weak.answers))
    assert headline.startswith("Overall data maturity:")
    assert details[0].startswith("Components to strengthen first: ") and "none" not in details[0]
