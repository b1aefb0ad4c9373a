"""The data maturity self-assessment, end to end in Chromium against the built site."""

from __future__ import annotations

import json

import pytest

from assessments.data_maturity.model import load_data_maturity_bank
from assessments.core.provenance import tool_provenance
from support_browser import axe_violations, result_text, saved_answers, wait_for_result

pytestmark = pytest.mark.browser

BANK = load_data_maturity_bank()
PAGE = "tools/data-maturity/"
MIXED = next(e for e in BANK.examples if e.expected_reading == "some-components-ready")


def answer(page, answers: dict[str, str]) -> None:
    for statement, option in answers.items():
        page.check(f"#data-maturity--{statement}--{option}")



def test_a_full_answer_set_gives_the_reading_record_sources_real_links_and_a_file_that_loads_back(page, site_url, tmp_path):
    """One page, the mixed worked example answered in full:
    - the overall level, the guidance's reading, the components table and the record of
      every answer in words, and the status line;
    - every link in the result leads to a real page;
    - the download holds the answers, and after Clear, loading it back gives the same result;
    - the reading (loaded back) says which of its levels and thresholds are ours, and the
      rules below the result list every rule of the tool with its source."""
    page.goto(site_url + PAGE)
    wait_for_result(page)
    answer(page, dict(MIXED.answers))
    wait_for_result(page, text="Strengthen the weaker components first")
    text = result_text(page)
    assert "Overall data maturity: Established" in text
    assert "The capacity of your authority to undertake data analysis and data science" in text
    assert "Descriptive analytics, diagnostic analytics".lower() in text.lower()
    # The chart's numbers are also in a table, one row per component.
    rows = page.locator(".cssc-result table").first.locator("tbody tr")
    assert rows.count() == 5
    assert "Emerging" in rows.nth(3).inner_text()
    # Then the record of every answer, in words, to print.
    record = page.locator(".cssc-maturity__record tbody").inner_text()
    statements = [s for c in BANK.components for s in c.statements]
    scale = {o.id: o.label for o in BANK.scale}
    for statement in statements:
        assert statement.text in record
        if statement.id in MIXED.answers:
            row = page.locator(".cssc-maturity__record tr", has_text=statement.text).first.inner_text()
            assert scale[MIXED.answers[statement.id]] in row
    assert page.locator("[data-status]").inner_text() == "Result updated: overall Established."

    # Links in the result lead to real pages.
    hrefs = page.eval_on_selector_all(".cssc-result a[href]", "links => links.map(a => a.href)")
    assert hrefs
    for href in set(hrefs):
        if "#data-maturity--" in href:
            continue
        response = page.request.get(href)
        assert response.ok, href

    # Download, clear, load back: the same result.
    before = result_text(page)
    with page.expect_download() as download_info:
        page.click("[data-action=download]")
    download = download_info.value
    assert download.suggested_filename.startswith("data-maturity-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    saved_record = json.loads(saved.read_text("utf-8"))
    assert saved_record["tool"] == "data-maturity" and saved_record["answers"] == dict(MIXED.answers)

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=clear]")
    wait_for_result(page, text="Not answered yet (30)")
    page.set_input_files("[data-action=load]", str(saved))
    wait_for_result(page, text="Strengthen the weaker components first")
    assert result_text(page) == before
    assert page.is_checked(f"#data-maturity--dedicated-analysts--{MIXED.answers['dedicated-analysts']}")

    # The result says its levels and thresholds are ours.
    reading = page.locator("[data-result] [data-reading]")
    assert "Our addition: the Main Guidance names the five components" in reading.inner_text()
    why = reading.locator("details.cssc-source")
    why.locator("summary").click()
    listed = why.locator("li").all_inner_texts()
    assert listed[0].startswith("This reading: From the Main Guidance, \u201cWhat does your result mean?\u201d ('A lower score on some components'")
    assert any(line.startswith("The thresholds: Our addition, not the Main Guidance's words") for line in listed)
    # Below the result, every rule of the tool with its source.
    page.locator(".cssc-result__about details.cssc-source summary").click()
    rules = page.locator(".cssc-result__about details.cssc-source li")
    entries = tool_provenance("data-maturity").entries
    assert rules.count() == len(entries) >= len(BANK.levels) + len(BANK.readings) + len(BANK.analytics_fit)
    assert rules.first.inner_text() == f"{entries[0].label}: {entries[0].source.describe()}"


def test_keyboard_answers_and_no_accessibility_violations_before_and_after_answering(page, site_url):
    """One page: axe finds nothing before any answer; the keyboard alone answers a
    statement (arrows move and select, the focus is outlined) and Python answers; then,
    with every statement answered, axe finds nothing."""
    page.goto(site_url + PAGE)
    wait_for_result(page)
    assert axe_violations(page) == []
    page.focus("#data-maturity--leaders-use-data--not-yet")
    page.keyboard.press("ArrowRight")  # radios: arrows move and select
    assert page.is_checked("#data-maturity--leaders-use-data--in-places")
    focused_outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused_outline != "none"
    wait_for_result(page, text="Not answered yet (29)")
    answer(page, dict(MIXED.answers))
    wait_for_result(page, text="Strengthen")
    assert axe_violations(page) == []


BAD_FILES = [
    ("broken.json", "{ this is not json", "not valid JSON"),
    ("other.json", json.dumps({"format": "cssc-analytics-guide/record", "format_version": 1, "tool": "ethics-triage"}), "not the Data maturity"),
    ("future.json", json.dumps({"format": "cssc-analytics-guide/record", "format_version": 7}), "newer version"),
    ("hostile.json", json.dumps({"format": "cssc-analytics-guide/record", "format_version": 1, "tool": "data-maturity",
                                 "bank_version": BANK.version, "answers": {"<img src=x onerror=alert(1)>": "mostly"}}), "does not have"),
    ("huge.json", b" " * 6_000_000, "too large"),  # refused before it is read
]


def test_bad_files_are_refused_answers_survive_a_reload_clear_empties_them_and_gaps_are_listed(page, site_url, tmp_path):
    """One page, a few answers:
    - each bad file in turn (not JSON, another tool's, a newer format, hostile names, too
      large) is refused with its own message, shown as text; after each the answers on the
      page, the result and the stored answers are unchanged;
    - the answers survive a reload; Clear empties them, also after a reload;
    - "Don't know" and missing answers are listed, each linking to its question (the
      keyboard lands on the chosen answer, or the first one when none is chosen)."""
    page.goto(site_url + PAGE)
    answer(page, {"leaders-use-data": "mostly"})
    wait_for_result(page, text="Not answered yet (29)")
    message = page.locator("[data-message]")
    for name, content, words in BAD_FILES:
        bad = tmp_path / name
        if isinstance(content, bytes):
            bad.write_bytes(content)
        else:
            bad.write_text(content, "utf-8")
        page.set_input_files("[data-action=load]", str(bad))
        message.filter(has_text=words).wait_for()
        assert "Your answers have not been changed" in message.inner_text(), name
        assert page.locator("[data-message] img").count() == 0, name  # shown as text, never as markup
        assert page.is_checked("#data-maturity--leaders-use-data--mostly"), name
        assert "Not answered yet (29)" in result_text(page), name
        assert saved_answers(page, "data-maturity") == {"leaders-use-data": "mostly"}, name  # storage untouched

    answer(page, {"dpias-routine": "not-yet"})
    wait_for_result(page, text="Not answered yet (28)")
    page.reload()
    wait_for_result(page, text="Not answered yet (28)")
    assert page.is_checked("#data-maturity--leaders-use-data--mostly")
    assert page.is_checked("#data-maturity--dpias-routine--not-yet")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=clear]")
    wait_for_result(page, text="Not answered yet (30)")
    assert not page.is_checked("#data-maturity--leaders-use-data--mostly")
    page.reload()
    wait_for_result(page, text="Not answered yet (30)")

    answer(page, {"leaders-use-data": "dont-know", "data-trusted": "mostly"})
    wait_for_result(page, text="Not answered yet (28)")
    text = result_text(page)
    assert "\u201cDon\u2019t know\u201d answers (1)" in text
    assert "Not enough answers yet" in text
    page.locator(".cssc-result a", has_text=BANK.statements["leaders-use-data"].text).click()
    assert page.evaluate("() => document.activeElement.id") == "data-maturity--leaders-use-data--dont-know"
    first_unanswered = page.locator(".cssc-result li a").nth(1)
    target = first_unanswered.get_attribute("href").lstrip("#")
    first_unanswered.click()
    assert page.evaluate("() => document.activeElement.closest('fieldset').id") == target


def test_full_storage_is_reported_and_answers_stay_on_the_page(page, site_url):
    page.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };"
    )
    page.goto(site_url + PAGE)
    wait_for_result(page)
    answer(page, {"leaders-use-data": "mostly"})
    page.locator("[data-message]").filter(has_text="storage for this site is full").wait_for()
    wait_for_result(page, text="Not answered yet (29)")
    assert page.is_checked("#data-maturity--leaders-use-data--mostly")


def test_without_javascript_every_statement_is_visible_with_an_explanation(open_page, site_url):
    page, problems = open_page(java_script_enabled=False)
    page.goto(site_url + PAGE)
    statements = page.locator("fieldset.cssc-question:has(input[value='dont-know'])")
    assert statements.count() == len(BANK.statements)
    assert page.locator("#data-maturity--respondent-role").is_visible()  # who is answering, optional
    assert page.locator(".cssc-tool__nojs").is_visible()
    assert "needs JavaScript" in page.locator(".cssc-tool__nojs").inner_text()
    assert page.locator("[data-action=download]").is_hidden()
    first = statements.first
    assert first.is_visible() and first.locator("input[type=radio]").count() == len(BANK.scale)
