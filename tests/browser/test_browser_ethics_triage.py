"""The ethics triage, end to end in Chromium against the built site."""

from __future__ import annotations

import json
from urllib.parse import urldefrag

import pytest

from assessments.data_maturity.model import load_data_maturity_bank
from assessments.ethics_triage.model import load_triage_bank
from support_records import export_record
from support_browser import answer_triage, axe_violations, result_text, wait_for_result

pytestmark = pytest.mark.browser

BANK = load_triage_bank()
QUESTIONS = BANK.questions
PAGE = "tools/ethics-triage/"
HIGH = next(e for e in BANK.examples if e.name == "Predictive individual risk scores with automatic referral")
MEDIUM = next(e for e in BANK.examples if e.name == "Diagnostic analysis of pseudonymised individual records")
MATURITY_BANK = load_data_maturity_bank()
MATURITY_ESTABLISHED = next(e for e in MATURITY_BANK.examples if e.expected_overall_level == "established")


def question(page, qid: str):
    return page.locator(f'[data-question="{qid}"]')


def test_the_high_risk_example_shows_its_risk_flags_themes_and_real_links_with_no_accessibility_violations(page, site_url):
    """One page: axe finds nothing before any answer; the high-risk worked example
    answered gives its risk level, red flags, themes, scrutiny, record and status line;
    axe finds nothing then either; every link in the result leads to a real page and
    heading."""
    page.goto(site_url + PAGE)
    wait_for_result(page)
    assert page.locator("[data-status]").inner_text() == "Result updated: no answers yet."
    assert axe_violations(page) == []
    answer_triage(page, dict(HIGH.answers))
    wait_for_result(page, text="Red flags (4)")
    text = result_text(page)
    assert "Risk level so far: High" in text
    for flag in BANK.red_flags:
        assert (flag.title in text) == (flag.id in HIGH.expected_red_flags), flag.id
    assert "Themes flagged (10)" in text
    for theme in BANK.themes:
        assert page.locator(f'[data-theme="{theme.id}"] h4').inner_text() == theme.name
    assert page.locator('[data-scrutiny="advised"]').count() == 1
    assert page.locator('[data-assessment][data-advised="true"]').count() == 3
    assert "Record of the triage" in text and "20 March 2025" in text
    assert page.locator("[data-status]").inner_text() == (
        "Result updated: risk level High, 4 red flags, 10 themes flagged. 4 questions not answered.")
    assert axe_violations(page) == []

    hrefs = page.eval_on_selector_all(".cssc-result a[href]", "links => links.map(a => a.href)")
    explainers = {h for h in hrefs if "/explainers/" in h}
    assert len(explainers) >= 10
    checked: dict[str, str] = {}
    here = urldefrag(page.url)[0]
    for href in sorted(set(hrefs)):
        url, anchor = urldefrag(href)
        if url == here:  # a link within the result, e.g. back to "Why the risk is high"
            assert page.locator(f"#{anchor}").count() == 1, href
            continue
        if url not in checked:
            response = page.request.get(url)
            assert response.status == 200, href
            checked[url] = response.text()
        if anchor:
            assert f'id="{anchor}"' in checked[url], href


def test_a_question_applies_only_when_an_answer_or_a_loaded_file_makes_it(page, site_url, tmp_path):
    """One page: a question that does not apply is hidden until an answer makes it apply;
    hidden again, its answer is kept but no longer counts; then loading a file whose
    answers make it apply shows it."""
    page.goto(site_url + PAGE)
    wait_for_result(page)
    claims = question(page, "ml-claims")
    assert claims.is_hidden()
    assert question(page, "data-quality-improvement").is_hidden()
    page.check("#ethics-triage--uses-machine-learning--yes")
    claims.wait_for(state="visible")
    page.check("#ethics-triage--ml-claims--proven")
    wait_for_result(page, text="Red flags (1)")
    page.check("#ethics-triage--uses-machine-learning--no")
    claims.wait_for(state="hidden")
    # The hidden answer is kept (the reader may change their mind) but no longer counts.
    wait_for_result(page, text="Does not apply")
    assert "Red flags (1)" not in result_text(page)
    assert page.locator(".cssc-triage__red-flags").count() == 0
    assert page.is_checked("#ethics-triage--ml-claims--proven")

    saved = tmp_path / "ethics-triage-high.json"
    saved.write_text(json.dumps(export_record("ethics-triage", dict(HIGH.answers))), "utf-8")
    assert claims.is_hidden()
    page.set_input_files("[data-action=load]", str(saved))
    wait_for_result(page, text="Red flags (4)")
    claims.wait_for(state="visible", timeout=5_000)


def test_a_data_maturity_level_is_brought_in_from_this_browser_or_a_downloaded_file(page, site_url, tmp_path):
    """One browser: a data maturity result saved in it is brought in and kept with the
    triage's answers across a reload; a downloaded file with no overall level yet is
    refused and changes nothing; a complete downloaded file is brought in."""
    page.goto(site_url + "tools/data-maturity/")
    for statement, option in MATURITY_ESTABLISHED.answers.items():
        page.check(f"#data-maturity--{statement}--{option}")
    wait_for_result(page, text="Overall data maturity: Established")
    page.goto(site_url + PAGE)
    wait_for_result(page)
    page.click("[data-action=bring-in-stored]")
    page.locator("#ethics-triage--data-maturity--established:checked").wait_for(state="attached")
    wait_for_result(page, text="Established")
    # The level is now saved with the triage's answers, so it survives a reload.
    page.reload()
    wait_for_result(page)
    assert page.is_checked("#ethics-triage--data-maturity--established")

    # Another level by hand, then the downloaded files.
    page.check("#ethics-triage--data-maturity--emerging")
    wait_for_result(page)
    incomplete = tmp_path / "data-maturity-incomplete.json"
    incomplete.write_text(json.dumps(export_record("data-maturity", {"leaders-use-data": "mostly"})), "utf-8")
    page.set_input_files("#ethics-triage--bring-in-data-maturity", str(incomplete))
    page.locator("[data-message]").filter(has_text="no overall level yet").wait_for()
    assert not page.is_checked("#ethics-triage--data-maturity--established")
    assert page.is_checked("#ethics-triage--data-maturity--emerging")

    saved = tmp_path / "data-maturity-2025-03-01.json"
    saved.write_text(json.dumps(export_record("data-maturity", dict(MATURITY_ESTABLISHED.answers))), "utf-8")
    page.set_input_files("#ethics-triage--bring-in-data-maturity", str(saved))
    page.locator("#ethics-triage--data-maturity--established:checked").wait_for(state="attached")


def test_the_record_prints_downloads_loads_back_the_same_and_an_older_record_says_its_version(page, site_url, tmp_path):
    """One page, the medium-risk worked example answered:
    - printing gives the record without the questions or navigation;
    - the download holds the answers and result; after Clear, loading it back gives the
      same result and answers;
    - after Clear again, an older record (a question since removed) loads and the status
      says which version made it and what was left out."""
    page.goto(site_url + PAGE)
    answer_triage(page, dict(MEDIUM.answers))
    wait_for_result(page, text="Themes flagged (7)")
    page.emulate_media(media="print")
    assert question(page, "analytics-type").is_hidden()
    assert page.locator("[data-action=download]").is_hidden()
    assert page.locator(".md-sidebar--primary").is_hidden()
    assert page.locator(".cssc-triage__record").is_visible()
    assert page.locator(".cssc-triage__record tbody tr[data-answer-status]").count() == len(QUESTIONS)
    page.emulate_media(media="screen")

    before = result_text(page)
    with page.expect_download() as download_info:
        page.click("[data-action=download]")
    download = download_info.value
    assert download.suggested_filename.startswith("ethics-triage-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    record = json.loads(saved.read_text("utf-8"))
    assert record["tool"] == "ethics-triage" and record["bank_version"] == BANK.version
    assert record["answers"] == dict(MEDIUM.answers)
    assert record["result"]["risk_level"]["id"] == "medium"

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=clear]")
    wait_for_result(page, text="Answer the questions above")
    assert not page.is_checked("#ethics-triage--analytics-type--diagnostic")
    page.set_input_files("[data-action=load]", str(saved))
    wait_for_result(page, text="Themes flagged (7)")
    assert result_text(page) == before
    assert page.is_checked("#ethics-triage--analytics-type--diagnostic")
    assert page.input_value("#ethics-triage--use-case-name--answer") == MEDIUM.answers["use-case-name"]

    older = export_record("ethics-triage", dict(MEDIUM.answers))
    older["bank_version"] = "0.9.0"
    older["answers"]["question-since-removed"] = "yes"  # a later release dropped it
    old = tmp_path / "ethics-triage-old.json"
    old.write_text(json.dumps(older), "utf-8")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=clear]")
    wait_for_result(page, text="Answer the questions above")
    assert page.input_value("#ethics-triage--use-case-name--answer") == ""
    page.set_input_files("[data-action=load]", str(old))
    wait_for_result(page, text="Themes flagged (7)")
    status = page.locator("[data-status]").inner_text()
    assert "version 0.9.0" in status
    assert "no longer has, and was left out: \u201cquestion-since-removed\u201d" in status
    assert page.input_value("#ethics-triage--use-case-name--answer") == MEDIUM.answers["use-case-name"]


def test_without_javascript_every_question_shows_with_the_note(open_page, site_url):
    page, problems = open_page(java_script_enabled=False)
    page.goto(site_url + PAGE)
    questions = page.locator("[data-question]")
    assert questions.count() == len(QUESTIONS)
    for index in range(questions.count()):
        assert questions.nth(index).is_visible()
    assert page.locator(".cssc-tool__nojs").is_visible()
    assert "needs JavaScript" in page.locator(".cssc-tool__nojs").inner_text()
    assert page.locator("[data-action=download]").is_hidden()
    assert page.locator("[data-bring-in]").is_hidden()
    assert "Only if your answer to" in question(page, "ml-claims").inner_text()
