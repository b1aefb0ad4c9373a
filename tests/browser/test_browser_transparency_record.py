"""The algorithmic transparency record, end to end in Chromium against the built site.

Written, reloaded, downloaded, cleared and loaded back; filled in from the business case
(saved in this browser) and the ethics triage (a downloaded file) without overwriting
what was typed (the triage's impact assessments become entries of their own); the
Markdown download reads Tier 1 then Tier 2; bad files are refused
with the answers left alone; the page warns before closing with work not downloaded;
it works without JavaScript and passes axe in light and dark.
"""

from __future__ import annotations

import json

import pytest

from assessments.business_case.model import load_business_case_bank
from assessments.ethics_triage.model import load_triage_bank, score_triage
from support_records import export_record
from assessments.transparency_record.model import load_transparency_bank
from support_browser import axe_violations, result_text, saved_answers, wait_for_result
from support_documents import DocumentForm, unload_is_held, wait_until_not_held, wait_for_message

pytestmark = pytest.mark.browser

BANK = load_transparency_bank()
FIELDS = BANK.fields
PAGE = "tools/transparency-record/"
COMPLETE = next(e for e in BANK.examples if not e.expected_missing_to_publish)
DRAFT = next(e for e in BANK.examples if e.name == "A first draft of Tier 1 only")
CASE = next(e for e in load_business_case_bank().examples if e.expected_ready_for_sign_off)
TRIAGE = next(e for e in load_triage_bank().examples if e.expected_risk_level == "high")


DOCUMENT = DocumentForm("transparency-record", FIELDS)
control, fill, form_answers = DOCUMENT.control, DOCUMENT.fill, DOCUMENT.answers


def test_write_reload_download_clear_load_back_asking_before_leaving_and_the_markdown_ready_to_publish(
        page, site_url, tmp_path):
    """On one page:
    - leaving asks first only while typed work has not been downloaded;
    - written, reloaded, downloaded, cleared and loaded back, the record is the same;
    - then, with markup typed in one field, the Markdown download reads Tier 1 then Tier 2
      with every published answer, and the typed markup stays text and runs nothing."""
    page.goto(site_url + PAGE)
    wait_for_result(page, text="32 fields needed to publish still empty")
    assert not unload_is_held(page)
    fill(page, dict(COMPLETE.answers))
    wait_for_result(page, text="Every field needed to publish is filled in")
    assert unload_is_held(page)
    before = result_text(page)
    assert "Name: Placement sufficiency dashboard" in before

    page.reload()
    wait_for_result(page, text="Every field needed to publish is filled in")
    assert form_answers(page) == dict(COMPLETE.answers)
    assert result_text(page) == before

    with page.expect_download() as download_info:
        page.click("[data-action=download]")
    download = download_info.value
    assert download.suggested_filename.startswith("transparency-record-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    wait_until_not_held(page)
    assert not unload_is_held(page)
    record = json.loads(saved.read_text("utf-8"))
    assert record["answers"] == dict(COMPLETE.answers)
    assert [part["part"] for part in record["result"]["record"]] == ["tier-1", "tier-2", "own-use"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=clear]")
    wait_for_result(page, text="32 fields needed to publish still empty")
    assert form_answers(page) == {}
    page.set_input_files("[data-action=load]", str(saved))
    wait_for_result(page, text="Every field needed to publish is filled in")
    assert form_answers(page) == dict(COMPLETE.answers)
    assert result_text(page) == before

    # The Markdown download, with markup typed into one field of the loaded record.
    typed = "<script>window.__xss = 1</script> [link](javascript:x)"
    answers = {**dict(COMPLETE.answers), "detailed-description": typed}
    fill(page, {"detailed-description": typed})
    wait_for_result(page, text=typed)
    assert form_answers(page) == answers
    assert "Every field needed to publish is filled in" in result_text(page)
    with page.expect_download() as download_info:
        page.click("[data-action=download-as][data-format=markdown]")
    download = download_info.value
    assert download.suggested_filename.startswith("transparency-record-") and download.suggested_filename.endswith(".md")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    markdown = saved.read_text("utf-8")
    assert markdown.startswith("# Algorithmic transparency record: Placement sufficiency dashboard\n")
    assert markdown.index("## Tier 1: summary information") < markdown.index("## Tier 2: detailed information")
    positions = [markdown.index(f"### {n}. {s.title}") for n, s in enumerate(BANK.part_sections("tier-2"), start=1)]
    assert positions == sorted(positions)
    for key, value in answers.items():
        target = BANK.target(key)
        if target is not None and (key not in FIELDS or FIELDS[key].publish) and key != "detailed-description":
            assert value in markdown, key
    assert answers["publication-sign-off"] not in markdown
    assert "&lt;script>window.__xss = 1&lt;/script> \\[link](javascript:x)" in markdown
    assert "<script>" not in markdown
    assert page.evaluate("window.__xss") is None


def test_a_draft_lists_empty_fields_by_tier_with_working_links_refuses_bad_files_prints_alone_and_passes_axe(
        open_page, site_url, tmp_path):
    """On one page, in the light colour scheme (the dark one has its own test):
    - the empty page passes axe, and each part of an entry says if it is needed;
    - with the first draft written, the result lists the empty fields of each tier, a link
      takes the keyboard to the empty field, and the page passes axe;
    - each bad file in turn (and a wrong file given to a bring-in button) is refused with
      a plain message and the answers stay;
    - a link in the result works when clicked straight after typing;
    - a started entry's empty parts are listed, and link to their boxes;
    - printing gives the preview without the questions."""
    page, problems = open_page(color_scheme="light")
    page.goto(site_url + PAGE)
    wait_for_result(page)
    assert axe_violations(page) == []
    model_name = page.locator("label[for='transparency-record--model-specifications-1--model-name']")
    assert model_name.inner_text() == "Model name (needed to publish, in each model)"
    cleaning = page.locator("label[for='transparency-record--development-data-1--data-cleaning']")
    assert cleaning.inner_text() == "Data cleaning"
    link = page.locator("label[for='transparency-record--impact-assessments-1--link']")
    assert link.inner_text() == "Link"

    # The empty fields of each tier.
    fill(page, dict(DRAFT.answers))
    wait_for_result(page, text="29 fields needed to publish still empty")
    assert axe_violations(page) == []
    tier_1 = page.locator("[data-part='tier-1']").inner_text()
    assert "3 of 8 fields filled in." in tier_1
    assert FIELDS["contact-email"].label in tier_1 and FIELDS["website-url"].label in tier_1
    assert page.locator("[data-part='tier-2']").get_attribute("data-empty-required") == "23"
    page.click("[data-part='tier-1'] a[href='#transparency-record--contact-email']")
    # The keyboard lands in the empty field (the address's "#" part is not checked: the
    # theme's anchor tracking rewrites it as the page scrolls).
    assert page.evaluate("() => document.activeElement.id") == "transparency-record--contact-email--answer"

    # Bad files.
    before = form_answers(page)
    record = export_record("transparency-record", dict(DRAFT.answers))
    bad_files = {
        "not-json.json": ("[1, 2", "not valid JSON"),
        "business-case.json": (json.dumps(export_record("business-case", dict(CASE.answers))), "from Business case"),
        "newer.json": (json.dumps({**record, "format_version": 2}), "newer version"),
        "wrong-type.json": (json.dumps({**record, "answers": {"name": {"x": 1}}}), "should be text"),
        "too-long.json": (json.dumps({**record, "answers": {"description": "y" * 50_000}}), "too long"),
        "not-an-option.json": (json.dumps({**record, "answers": {"phase": "someday"}}), "not one of the options"),
        "huge.json": ('{"x": "' + "x" * 10_000_000 + '"}', "too large"),
    }
    DOCUMENT.refuses_each(page, tmp_path, bad_files)
    # A wrong file given to a bring-in button is refused the same way.
    wrong = tmp_path / "wrong-source.json"
    wrong.write_text(json.dumps(export_record("data-maturity", {})), "utf-8")
    page.set_input_files("#transparency-record--bring-in-ethics-triage", str(wrong))
    message = wait_for_message(page, "wrong-source.json")
    assert "not the Ethics triage" in message and "Your answers have not been changed" in message
    assert form_answers(page) == before

    # A link in the result works when clicked straight after typing: pressing the mouse
    # button leaves the text box, which scores again. The same result drawn again between
    # press and release would swallow the click.
    control(page, "name").fill("A changed name")  # the focus stays in this text box
    wait_for_result(page, text="Name: A changed name")
    assert "29 fields needed to publish still empty" in result_text(page)
    page.evaluate(
        """() => {
            window.__answered = 0;
            const result = document.querySelector('[data-result]');
            new MutationObserver(() => { if (!result.hasAttribute('aria-busy')) window.__answered++; })
                .observe(result, { attributes: true, attributeFilter: ['aria-busy'] });
        }"""
    )
    link = page.locator("[data-part='tier-1'] a[href='#transparency-record--contact-email']")
    link.scroll_into_view_if_needed()
    box = link.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.wait_for_function("() => window.__answered > 0")  # Python has scored again
    page.mouse.up()
    assert page.evaluate("document.activeElement.id") == "transparency-record--contact-email--answer"

    # A started entry's empty parts are listed.
    fill(page, {"model-specifications-1--model-name": "Escalation risk score"})
    # The draft's 29, and the seven parts of the model started that are still empty.
    wait_for_result(page, text="36 fields needed to publish still empty")
    tier_2 = page.locator("[data-part='tier-2']")
    assert "Model specification, model 1: Model version" in tier_2.inner_text()
    assert "Model specification, model 1: Model name" not in tier_2.inner_text()
    tier_2.locator("a[href='#transparency-record--model-specifications-1--model-version']").click()
    assert page.evaluate("() => document.activeElement.id") == "transparency-record--model-specifications-1--model-version"

    # Printing gives the preview without the questions.
    page.emulate_media(media="print")
    assert page.locator("[data-question='description']").is_hidden()
    assert page.locator(".cssc-tr__bring-in").is_hidden()
    assert page.locator(".cssc-tr__progress").first.is_hidden()
    assert page.locator(".cssc-tr__preview").is_visible()


def test_fill_in_from_the_business_case_and_the_triage_without_overwriting(page, site_url, tmp_path):
    # The business case, saved in this browser by loading its file on its own page.
    case_file = tmp_path / "business-case.json"
    case_file.write_text(json.dumps(export_record("business-case", dict(CASE.answers))), "utf-8")
    page.goto(site_url + "tools/business-case/")
    wait_for_result(page)
    page.set_input_files("[data-action=load]", str(case_file))
    wait_for_result(page, text="Ready for sign-off")

    page.goto(site_url + PAGE)
    wait_for_result(page)
    assert page.locator("[data-bring-in='business-case']").is_visible()
    control(page, "name").fill("Our name for it")
    control(page, "operational-data-1--data-description").fill("Typed by us before bringing anything in.")
    wait_for_result(page, text="Name: Our name for it")

    page.click("[data-bring-in='business-case'] [data-action=bring-in-stored]")
    page.wait_for_function("() => document.querySelector('#transparency-record--description--answer').value !== ''")
    assert control(page, "description").input_value() == CASE.answers["solution"]
    assert control(page, "senior-responsible-owner").input_value() == CASE.answers["sponsor"]
    assert control(page, "analytics-type").input_value() == "Descriptive: what has happened"
    assert control(page, "name").input_value() == "Our name for it"
    assert control(page, "operational-data-1--data-description").input_value() == (
        "Typed by us before bringing anything in.")

    triage_file = tmp_path / "ethics-triage.json"
    triage_file.write_text(json.dumps(export_record("ethics-triage", dict(TRIAGE.answers))), "utf-8")
    page.set_input_files("#transparency-record--bring-in-ethics-triage", str(triage_file))
    page.wait_for_function(
        "() => document.querySelector('#transparency-record--human-review--answer').value !== ''")
    assert control(page, "human-review").input_value().startswith("How insights from the tool are used:")
    # One entry for each impact assessment the triage advises, rows added as needed.
    advised = [a.name for a in score_triage(dict(TRIAGE.answers)).impact_assessments if a.advised]
    assert len(advised) > 2  # more than the rows shown at first
    assert [control(page, f"impact-assessments-{n}--name").input_value()
            for n in range(1, len(advised) + 1)] == advised
    # Already written (typed, or brought in from the business case): left as it was.
    assert control(page, "analytics-type").input_value() == "Descriptive: what has happened"
    assert control(page, "operational-data-1--data-description").input_value() == (
        "Typed by us before bringing anything in.")
    assert control(page, "name").input_value() == "Our name for it"

    # The brought-in text is saved like typed text, and counts in the result.
    wait_for_result(page, text=CASE.answers["sponsor"])
    before = form_answers(page)
    page.reload()
    wait_for_result(page)
    assert form_answers(page) == before

    # Bringing the business case in again finds nothing empty to fill, and says so.
    page.click("[data-bring-in='business-case'] [data-action=bring-in-stored]")
    message = wait_for_message(page, "already has your own text")
    assert "Your answers have not been changed" in message
    assert form_answers(page) == before


def test_without_javascript_every_field_shows_labelled_with_the_note(open_page, site_url):
    page, problems = open_page(java_script_enabled=False)
    page.goto(site_url + PAGE)
    assert page.locator("[data-question]").count() == len(FIELDS)
    for fid, field in FIELDS.items():
        container = page.locator(f"[data-question='{fid}']")
        assert container.is_visible()
        if field.kind in ("choice", "list"):
            assert field.label in container.locator("legend").first.inner_text()
            for part in field.entry_fields:  # the first entry's boxes, ready to type in
                assert control(page, f"{fid}-1--{part.id}").is_editable()
        else:
            label = page.locator(f"label[for='transparency-record--{fid}--answer']")
            assert label.is_visible() and field.label in label.inner_text()
            assert control(page, fid).is_editable()
        if field.is_free_text:
            assert f"At most {field.max_length:,} characters." in container.inner_text()
    assert page.locator(".cssc-tool__nojs").is_visible()
    assert page.locator("[data-bring-in]").first.is_hidden()
    assert page.locator("[data-action=download]").is_hidden()


def test_the_page_has_no_accessibility_violations_empty_and_written_in_the_dark_scheme(open_page, site_url):
    """The dark colour scheme needs its own context (the light one is checked in the draft's test)."""
    page, problems = open_page(color_scheme="dark")
    page.goto(site_url + PAGE)
    wait_for_result(page)
    assert axe_violations(page) == []
    fill(page, dict(DRAFT.answers))
    wait_for_result(page, text="29 fields needed")
    assert axe_violations(page) == []


# A record made with the first version of the questions (before the record followed
# version 3.0 of the standard), with the old field names.
OLD_ANSWERS = {
    "name": "Placement dashboard", "contact": "team@example.gov.uk", "benefits": "Gaps seen earlier.",
    "human-oversight": "Managers decide.", "data-sources": "Case records.",
    "impact-assessments": "DPIA screening, 3 March 2025.", "risks-and-mitigations": "Small numbers: suppressed.",
}
MOVED_TO = {
    "name": "name", "contact": "contact-email", "benefits": "benefit", "human-oversight": "human-review",
    "data-sources": "development-data-1--data-description", "impact-assessments": "impact-assessments-1--description",
    "risks-and-mitigations": "risks-and-mitigations-1--description",
}


def test_a_first_version_record_loads_into_the_standard_s_fields_and_answers_kept_under_the_old_names_move(
        page, site_url, tmp_path):
    """On one page:
    - a record file from the first version of the questions loads into the standard's fields;
    - answers kept in this browser under the old names (as release 1.0.0 kept them) move into
      the form, are kept under the new names, and load again from there."""
    page.goto(site_url + PAGE)
    wait_for_result(page)
    expected = {MOVED_TO[key]: value for key, value in OLD_ANSWERS.items()}
    old = tmp_path / "old-record.json"
    old.write_text(json.dumps({**export_record("transparency-record", {}), "bank_version": "1.0.0",
                               "answers": OLD_ANSWERS}), "utf-8")
    page.set_input_files("[data-action=load]", str(old))
    wait_for_result(page, text="Name: Placement dashboard")
    assert "follows version 3.0 of the standard" in page.locator("[data-status]").inner_text()
    assert form_answers(page) == expected

    # Cleared first, so that what the next load shows can only come from the old names.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=clear]")
    wait_for_result(page, text="32 fields needed to publish still empty")
    assert form_answers(page) == {}

    # What release 1.0.0 kept: one value for the whole tool, with the first version's names.
    page.evaluate("answers => localStorage.setItem('cssc-guide:v1:transparency-record', JSON.stringify(answers))",
                  OLD_ANSWERS)
    page.reload()
    wait_for_result(page, text="Name: Placement dashboard")
    assert form_answers(page) == expected
    assert saved_answers(page, "transparency-record") == expected  # kept under the new names
    page.reload()
    wait_for_result(page, text="Name: Placement dashboard")
    assert form_answers(page) == expected
