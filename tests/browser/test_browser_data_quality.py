"""The data quality check, end to end in Chromium against the built site.

A referrals extract with known defects (tests/support_data_quality.py) is checked as CSV
and as a workbook, and the report must give the counts worked out by hand; nothing from
the file may reach browser storage, the kept result or any download; bad files get a
plain message and the tool stays usable; a long check shows progress and can be
cancelled; openpyxl is fetched only when a workbook is opened.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support_browser import RUNTIME_TIMEOUT_MS, axe_violations
from support_data_quality import EXPECTED, PRIVATE_VALUES, ROWS, SETTINGS, defective_csv, defective_xlsx, found

pytestmark = pytest.mark.browser

PAGE = "tools/data-quality/"
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_tool(page, site_url):
    page.goto(site_url + PAGE)
    page.wait_for_selector("[data-data-check-controls]:not([hidden])")
    # Python is ready once it has answered for the settings.
    page.wait_for_function("() => document.querySelector('form[data-tool] [data-status]').textContent.startsWith('Settings')")


def fill_settings(page, settings: dict[str, str]) -> None:
    for name, value in settings.items():
        if name.startswith("rule-") and not page.locator(f"[name='{name}']").count():
            page.get_by_role("button", name="Add a rule").click()
        control = page.locator(f"[name='{name}']")
        if control.evaluate("element => element.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    page.wait_for_function("() => document.querySelector('form[data-tool] [data-status]').textContent.startsWith('Settings saved')")


def choose_file(page, name: str, data: bytes, media_type: str = CSV_TYPE) -> None:
    page.locator("[data-data-check-file]").set_input_files({"name": name, "mimeType": media_type, "buffer": data})


def wait_for_report(page, name: str) -> str:
    status = page.locator("[data-data-check-status]")
    page.wait_for_function(
        "(name) => document.querySelector('[data-data-check-status]').textContent.startsWith(`Checked “${name}”`)",
        arg=name, timeout=RUNTIME_TIMEOUT_MS)
    return status.inner_text()


def download(page, button) -> str:
    with page.expect_download() as caught:
        button.click()
    return Path(caught.value.path()).read_text("utf-8")


def storage_text(page) -> str:
    return page.evaluate("() => JSON.stringify(Object.entries(localStorage)) + JSON.stringify(Object.entries(sessionStorage))")


def test_a_defective_extract_gives_the_expected_counts_and_nothing_of_it_is_stored_or_downloaded(page, site_url):
    open_tool(page, site_url)
    fill_settings(page, SETTINGS)
    # The check reads "today" from the computer's clock: the defects are dated against 2026-12-01.
    page.clock.set_fixed_time("2026-12-01T12:00:00")
    choose_file(page, "referrals.csv", defective_csv())
    assert f"{ROWS} rows" in wait_for_report(page, "referrals.csv")
    report_region = page.locator("[data-data-check-report]")
    assert "Uniqueness (2)" in report_region.inner_text()
    report = json.loads(download(page, page.get_by_role("button", name="Download the report (JSON)")))
    assert found(report) == EXPECTED
    assert report["rows"] == ROWS and report["bias"]["flags"]
    markdown = download(page, page.get_by_role("button", name="Download the report (Markdown)"))
    assert "| Outcome | 30 |" in markdown
    settings_file = download(page, page.get_by_role("button", name="Download JSON"))
    assert json.loads(settings_file)["answers"]["group-column"] == "Ethnicity"
    everything = [storage_text(page), json.dumps(report), markdown, settings_file, report_region.inner_html()]
    for value in PRIVATE_VALUES:
        assert not any(value in text for text in everything[:4]), f"{value} left the page"
    # Values from the data are on the page (and in the report) only when the reader asks.
    assert not any(value in everything[4] for value in PRIVATE_VALUES)
    page.get_by_label("Include example values").check()
    page.wait_for_function("() => document.querySelector('[data-data-check-report]').textContent.includes('Example values')")
    wait_for_report(page, "referrals.csv")
    with_examples = download(page, page.get_by_role("button", name="Download the report (JSON)"))
    assert "Male" in with_examples and "2031-05-11" in with_examples
    assert not any(value in storage_text(page) for value in PRIVATE_VALUES + ("2031-05-11",))
    page.get_by_role("button", name="Clear the file and report").click()
    assert "appears here once you have chosen a file" in report_region.inner_text()
    assert page.locator("[data-data-check-downloads]").is_hidden()
