"""The business case, end to end in Chromium against the built site.

Written, reloaded, downloaded, cleared and loaded back; the other tools completed in
the same browser appear as summaries; the Markdown download holds the document; bad
files are refused with the answers left alone; the page warns before closing with work
not downloaded; it works without JavaScript and passes axe in light and dark.
"""

from __future__ import annotations

import json

import pytest

from assessments.business_case.model import load_business_case_bank
from assessments.data_maturity.model import load_data_maturity_bank
from assessments.ethics_triage.model import load_triage_bank
from support_records import export_record
from assessments.user_needs.model import load_user_needs_bank
from support_browser import answer_triage, axe_violations_in_both_palettes, result_text, wait_for_result
from support_documents import DocumentForm, unload_is_held, wait_until_not_held

pytestmark = pytest.mark.browser

BANK = load_business_case_bank()
FIELDS = BANK.fields
PAGE = "tools/business-case/"
COMPLETE = next(e for e in BANK.examples if e.expected_ready_for_sign_off)
DRAFT = next(e for e in BANK.examples if e.name == "An early draft with only the rationale written")
EXAMPLE_SIGNED_OFF_TOO_SOON = next(e for e in BANK.examples if e.expected_signed_off_too_soon)
MATURITY = next(e for e in load_data_maturity_bank().examples if e.expected_overall_level == "established")
TRIAGE_BANK = load_triage_bank()
TRIAGE = next(e for e in TRIAGE_BANK.examples if e.expected_risk_level == "high")
USER_NEEDS = next(e for e in load_user_needs_bank().examples if e.expected_rows >= 2)


DOCUMENT = DocumentForm("business-case", FIELDS)
control, fill, form_answers = DOCUMENT.control, DOCUMENT.fill, DOCUMENT.answers


def test_write_reload_download_clear_load_back_and_the_markdown_holds_every_part_with_markup_as_text(
        page, site_url, tmp_path):
    """On one page:
    - written, reloaded, downloaded, cleared and loaded back, the document is the same;
    - then, with markup typed in one part, the Markdown download holds every part and the
      typed markup stays text (in the page and in the file), and nothing typed runs."""
    page.goto(site_url + PAGE)
    wait_for_result(page, text="0 of 26 parts needed for sign-off are written")
    fill(page, dict(COMPLETE.answers))
    wait_for_result(page, text="Ready for sign-off")
    assert page.locator("[data-status]").inner_text() == "Result updated: ready for sign-off."
    before = result_text(page)
    assert "Business case: Placement sufficiency dashboard" in before and "2 April 2025" in before

    page.reload()
    wait_for_result(page, text="Ready for sign-off")
    assert form_answers(page) == dict(COMPLETE.answers)
    assert result_text(page) == before

    with page.expect_download() as download_info:
        page.click("[data-action=download]")
    download = download_info.value
    assert download.suggested_filename.startswith("business-case-") and download.suggested_filename.endswith(".json")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    record = json.loads(saved.read_text("utf-8"))
    assert record["tool"] == "business-case" and record["answers"] == dict(COMPLETE.answers)
    assert record["result"]["ready_for_sign_off"] is True

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=clear]")
    wait_for_result(page, text="0 of 26 parts")
    assert form_answers(page) == {}
    page.set_input_files("[data-action=load]", str(saved))
    wait_for_result(page, text="Ready for sign-off")
    assert form_answers(page) == dict(COMPLETE.answers)
    assert result_text(page) == before

    # The Markdown download, with markup typed into one part of the loaded document.
    answers = {**dict(COMPLETE.answers), "risks": "<script>window.__xss = 1</script>\n# Not a heading"}
    fill(page, {"risks": answers["risks"]})
    wait_for_result(page, text="<script>window.__xss = 1</script>")
    assert form_answers(page) == answers
    assert page.locator("[data-result] script").count() == 0
    assert "<script>window.__xss = 1</script>" in page.locator(".cssc-bc__document").inner_text()
    with page.expect_download() as download_info:
        page.click("[data-action=download-as][data-format=markdown]")
    download = download_info.value
    assert download.suggested_filename.startswith("business-case-") and download.suggested_filename.endswith(".md")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    markdown = saved.read_text("utf-8")
    assert markdown.startswith("# Business case: Placement sufficiency dashboard\n")
    for number, section in enumerate(BANK.sections, start=1):
        assert f"\n## {number}. {section.title}\n" in markdown
    for fid, value in answers.items():
        if FIELDS[fid].is_free_text and fid != "risks":
            assert value in markdown, fid
    assert "Descriptive: what has happened" in markdown and "2 April 2025" in markdown
    assert "&lt;script>window.__xss = 1&lt;/script>  \n\\# Not a heading" in markdown
    assert "<script>" not in markdown
    assert page.evaluate("window.__xss") is None


def test_a_draft_refuses_bad_files_keeping_its_answers_links_a_missing_part_to_its_box_and_prints_alone(
        page, site_url, tmp_path):
    """On one page with the early draft written:
    - each bad file in turn is refused with a plain message and the answers stay;
    - a missing part in the result links to its box, and the keyboard lands there;
    - printing gives the document without the questions."""
    page.goto(site_url + PAGE)
    fill(page, dict(DRAFT.answers))
    wait_for_result(page, text="3 of 26 parts needed for sign-off are written")
    record = export_record("business-case", dict(DRAFT.answers))
    bad_files = {
        "not-json.json": ("{ not json", "not valid JSON"),
        "other-tool.json": (json.dumps(export_record("ethics-triage", dict(TRIAGE.answers))), "from Ethics triage"),
        "newer.json": (json.dumps({**record, "format_version": 99}), "newer version"),
        "wrong-type.json": (json.dumps({**record, "answers": {"problem": ["a", "list"]}}), "should be text"),
        "too-long.json": (json.dumps({**record, "answers": {"problem": "x" * 100_000}}), "too long"),
        "unknown-field.json": (json.dumps({**record, "answers": {"horoscope": "x"}}), "does not have"),
        "huge.json": ('{"x": "' + "x" * 10_000_000 + '"}', "too large"),
    }
    DOCUMENT.refuses_each(page, tmp_path, bad_files)

    # A missing part links to its box.
    assert "3 of 26 parts needed for sign-off are written" in result_text(page)
    page.click("[data-result] a[href='#business-case--sponsor']")
    # The keyboard lands there too (the address's "#" part is not checked: the theme's
    # anchor tracking rewrites it as the page scrolls).
    assert page.evaluate("() => document.activeElement.closest('#business-case--sponsor') !== null")
    assert page.locator("#business-case--sponsor").is_visible()

    # Printing gives the document without the questions.
    page.emulate_media(media="print")
    assert page.locator("[data-question='problem']").is_hidden()
    assert page.locator("[data-action=download]").is_hidden()
    assert page.locator(".cssc-bc__progress").first.is_hidden()
    assert page.locator(".cssc-bc__document").is_visible()
    assert page.locator(".cssc-bc__document dt").count() == len(FIELDS)


def test_leaving_with_work_not_downloaded_asks_first_and_a_hostile_file_loads_as_text_and_runs_nothing(
        page, site_url, tmp_path):
    """On one page:
    - leaving asks first only while typed work has not been downloaded (as JSON or Markdown);
    - a file whose answers are markup loads as text, and nothing in it runs."""
    page.goto(site_url + PAGE)
    wait_for_result(page)
    assert page.locator("form[data-tool=business-case]").get_attribute("data-warn-unexported") == ""
    assert not unload_is_held(page)  # nothing written
    control(page, "project-name").fill("Front door dashboard")
    wait_for_result(page, text="Business case: Front door dashboard")
    assert unload_is_held(page)
    with page.expect_download():
        page.click("[data-action=download]")
    wait_until_not_held(page)
    control(page, "problem").fill("Demand is hard to see.")
    wait_for_result(page, text="Demand is hard to see.")
    assert unload_is_held(page)
    with page.expect_download():
        page.click("[data-action=download-as][data-format=markdown]")
    wait_until_not_held(page)

    # A hostile file: its two answers replace the two written above.
    payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    hostile = tmp_path / "business-case-hostile.json"
    hostile.write_text(json.dumps(export_record("business-case", {"project-name": payload, "problem": payload})),
                       "utf-8")
    page.set_input_files("[data-action=load]", str(hostile))
    # The payload, not the count: the two answers typed above were also 2 of 26 parts.
    wait_for_result(page, text=payload)
    assert "2 of 26 parts" in result_text(page)
    assert control(page, "problem").input_value() == payload
    assert payload in page.locator(".cssc-bc__document").inner_text()
    assert page.locator("[data-result] img, [data-result] script").count() == 0
    assert page.evaluate("window.__xss") is None


def test_the_other_tools_completed_in_this_browser_are_summarised_and_axe_passes_empty_and_written(
        page, site_url):
    """Starting with nothing saved:
    - the empty page passes axe in light and dark, and no other tool is summarised;
    - after the data maturity and ethics triage are completed (and user needs saved), each
      is summarised with a working link, and the Markdown document holds the summaries;
    - written (signed off too soon, with the summaries shown) it passes axe in both palettes."""
    page.goto(site_url + PAGE)
    wait_for_result(page)
    assert axe_violations_in_both_palettes(page) == {"default": [], "slate": []}
    for slug in ("data-maturity", "user-needs", "ethics-triage"):
        assert page.locator(f'[data-summary="{slug}"]').get_attribute("data-available") == "false"

    page.goto(site_url + "tools/data-maturity/")
    for statement, option in MATURITY.answers.items():
        page.check(f"#data-maturity--{statement}--{option}")
    wait_for_result(page, text="Overall data maturity: Established")

    page.goto(site_url + "tools/ethics-triage/")
    wait_for_result(page)
    answer_triage(page, TRIAGE.answers)
    wait_for_result(page, text="Red flags (4)")

    # The user needs table's own page is tested elsewhere; here its saved answers are enough.
    page.evaluate("answers => localStorage.setItem('cssc-guide:v1:user-needs', JSON.stringify(answers))",
                  dict(USER_NEEDS.answers))

    page.goto(site_url + PAGE)
    wait_for_result(page, text="Risk level so far: High")
    for slug in ("data-maturity", "user-needs", "ethics-triage"):
        assert page.locator(f'[data-summary="{slug}"]').get_attribute("data-available") == "true"
    evidence = page.locator(".cssc-bc__evidence").inner_text()
    assert "Overall data maturity: Established" in evidence
    assert "Who should sign off: The Director of Children's Services" in evidence
    assert f"{USER_NEEDS.expected_rows} users in the table" in evidence
    link = page.locator('[data-summary="ethics-triage"] a')
    assert link.inner_text() == "Open the Ethics triage"
    assert page.request.get(link.evaluate("a => a.href")).ok

    # The summaries are also in the Markdown document.
    with page.expect_download() as download_info:
        page.click("[data-action=download-as][data-format=markdown]")
    markdown = download_info.value.path().read_text("utf-8")
    assert "## Evidence from other tools" in markdown and "Risk level so far: High." in markdown

    # Written, with the summaries shown, the page still passes axe in both palettes.
    fill(page, dict(EXAMPLE_SIGNED_OFF_TOO_SOON.answers))
    wait_for_result(page, text="Marked as signed off")
    assert axe_violations_in_both_palettes(page) == {"default": [], "slate": []}


def test_without_javascript_every_field_shows_labelled_with_the_note(open_page, site_url):
    page, problems = open_page(java_script_enabled=False)
    page.goto(site_url + PAGE)
    fields = page.locator("[data-question]")
    assert fields.count() == len(FIELDS)
    for fid, field in FIELDS.items():
        container = page.locator(f"[data-question='{fid}']")
        assert container.is_visible()
        if field.kind == "choice":
            assert container.locator("legend").inner_text().endswith(field.label + (
                " (needed for sign-off)" if field.required else ""))
        else:
            label = page.locator(f"label[for='business-case--{fid}--answer']")
            assert label.is_visible() and field.label in label.inner_text()
            assert control(page, fid).is_editable()
        if field.is_free_text:
            assert f"At most {field.max_length:,} characters." in container.inner_text()
            assert control(page, fid).get_attribute("maxlength") == str(field.max_length)
    assert page.locator(".cssc-tool__nojs").is_visible()
    assert "needs JavaScript" in page.locator(".cssc-tool__nojs").inner_text()
    assert page.locator("[data-action=download]").is_hidden()
