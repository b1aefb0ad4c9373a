"""The data quality check, end to end in Chromium against the built site.

A referrals extract with known defects (tests/support_data_quality.py) is checked as CSV
and as a workbook, and the report must give the counts worked out by hand; nothing from
the file may reach browser storage, the kept result or any download; bad files get a
plain message and the tool stays usable; a Word report the browser cannot make is explained,
with the other downloads still working; a long check shows progress and can be
cancelled; openpyxl is fetched only when a workbook is opened.
"""

from __future__ import annotations

import json

import pytest

from support_browser import RUNTIME_TIMEOUT_MS, axe_violations, download_text, storage_text, wait_for_result
from support_data_quality import EXPECTED, PRIVATE_VALUES, ROWS, SETTINGS, defective_csv, defective_xlsx, found
from support_word import download_word, refuse_word_writer, refused_download

pytestmark = pytest.mark.browser

PAGE = "tools/data-quality/"
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_tool(page, site_url):
    page.goto(site_url + PAGE)
    page.wait_for_selector("[data-data-check-controls]:not([hidden])")
    # Python is ready once it has answered for the settings.
    page.wait_for_function("() => document.querySelector('form[data-tool] [data-status]').textContent.startsWith('Result updated')")


def fill_settings(page, settings: dict[str, str]) -> None:
    for name, value in settings.items():
        if name.startswith("rule-") and not page.locator(f"[name='{name}']").count():
            page.get_by_role("button", name="Add a rule").click()
        control = page.locator(f"[name='{name}']")
        if control.evaluate("element => element.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    wait_for_result(page)  # Python has read the settings the form holds now


def choose_file(page, name: str, data: bytes, media_type: str = CSV_TYPE) -> None:
    page.locator("[data-data-check-file]").set_input_files({"name": name, "mimeType": media_type, "buffer": data})


def wait_for_report(page, name: str) -> str:
    status = page.locator("[data-data-check-status]")
    page.wait_for_function(
        "(name) => document.querySelector('[data-data-check-status]').textContent.startsWith(`Checked “${name}”`)",
        arg=name, timeout=RUNTIME_TIMEOUT_MS)
    return status.inner_text()


def test_a_defective_extract_gives_the_expected_counts_passes_the_audit_and_nothing_of_it_is_stored_or_downloaded(
        page, site_url):
    """On one page, the referrals extract with known defects:
    - the report gives the counts worked out by hand (page, JSON, Markdown, Word, findings CSV);
    - the page with the report passes the accessibility audit, its chart an image with a title;
    - nothing from the file reaches storage or a download, and values are shown only when asked;
    - clearing the file removes the report and the downloads."""
    open_tool(page, site_url)
    fill_settings(page, SETTINGS)
    # The check reads "today" from the computer's clock: the defects are dated against 2026-12-01.
    page.clock.set_fixed_time("2026-12-01T12:00:00")
    choose_file(page, "referrals.csv", defective_csv())
    assert f"{ROWS} rows" in wait_for_report(page, "referrals.csv")
    report_region = page.locator("[data-data-check-report]")
    assert "Uniqueness (2)" in report_region.inner_text()
    assert axe_violations(page) == []
    chart = page.locator("svg.cssc-chart").first
    assert chart.get_attribute("role") == "img"
    assert "Share of rows with a value" in page.locator("svg.cssc-chart title").first.text_content()
    report = json.loads(download_text(page, page.get_by_role("button", name="Download the report (JSON)")))
    assert found(report) == EXPECTED
    assert report["rows"] == ROWS and report["bias"]["flags"]
    markdown = download_text(page, page.get_by_role("button", name="Download the report (Markdown)"))
    assert "| Outcome | 30 |" in markdown
    # The Word file opens, with the report's headings and figures; the bias section says
    # which way each flagged group differs.
    word = download_word(page, page.get_by_role("button", name="Download the report (Word)"))
    assert word.file_name == "data-quality-report-referrals.docx"
    assert (0, "Data quality report: referrals.csv") in word.headings
    assert {(1, "Completeness"), (1, "Every column"), (1, "Completeness by Ethnicity"),
            (2, "Groups with more missing values than the rest"),
            (2, "Groups with fewer missing values than the rest")} <= set(word.headings)
    assert ["Outcome", "30"] in [row[:2] for row in word.cells]
    assert "Data quality check, questions version" in word.text
    findings_csv = download_text(page, page.get_by_role("button", name="Download the findings (CSV)"))
    assert "Validity,Notes,formula-text,10," in findings_csv
    settings_file = download_text(page, page.get_by_role("button", name="Download JSON"))
    assert json.loads(settings_file)["answers"]["group-column"] == "Ethnicity"
    everything = [storage_text(page), json.dumps(report), markdown, word.text, findings_csv, settings_file,
                  report_region.inner_html()]
    for value in PRIVATE_VALUES:
        assert not any(value in text for text in everything[:6]), f"{value} left the page"
    # Values from the data are on the page (and in the report) only when the reader asks.
    assert not any(value in everything[6] for value in PRIVATE_VALUES)
    page.get_by_label("Include example values").check()
    page.wait_for_function("() => document.querySelector('[data-data-check-report]').textContent.includes('Example values')")
    wait_for_report(page, "referrals.csv")
    with_examples = download_text(page, page.get_by_role("button", name="Download the report (JSON)"))
    assert "Male" in with_examples and "2031-05-11" in with_examples
    assert not any(value in storage_text(page) for value in PRIVATE_VALUES + ("2031-05-11",))
    page.get_by_role("button", name="Clear the file and report").click()
    assert "appears here once you have chosen a file" in report_region.inner_text()
    assert page.locator("[data-data-check-downloads]").is_hidden()


def test_a_word_report_this_browser_cannot_make_is_explained_and_another_download_still_works(
        page, site_url, page_problems):
    refuse_word_writer(page, page_problems)
    open_tool(page, site_url)
    fill_settings(page, SETTINGS)
    choose_file(page, "referrals.csv", defective_csv())
    wait_for_report(page, "referrals.csv")
    said = refused_download(page, page.get_by_role("button", name="Download the report (Word)"),
                            page.locator("[data-data-check-message]"), "The Word file could not be made in this browser.")
    assert said == ("The Word file could not be made in this browser. Use another download, or try again after "
                    "reloading the page. The report is unchanged.")
    markdown = download_text(page, page.get_by_role("button", name="Download the report (Markdown)"))
    assert "| Outcome | 30 |" in markdown


def test_a_workbook_fetches_openpyxl_only_when_opened_and_the_chosen_sheet_is_checked(page, site_url):
    wheels: list[str] = []
    page.on("request", lambda request: request.url.endswith(".whl") and wheels.append(request.url))
    open_tool(page, site_url)
    choose_file(page, "header-only.csv", b"Child ID,Referral date\r\n")
    message = page.locator("[data-data-check-message]")
    page.wait_for_function("() => document.querySelector('[data-data-check-message]').textContent.includes('no rows')")
    assert [url for url in wheels if "openpyxl" in url] == [], "openpyxl was fetched for a CSV file"
    fill_settings(page, SETTINGS)
    page.clock.set_fixed_time("2026-12-01T12:00:00")
    choose_file(page, "referrals.xlsx", defective_xlsx(), XLSX_TYPE)
    # The first sheet is a cover note, with a heading and no rows: said plainly.
    page.wait_for_function("() => document.querySelector('[data-data-check-message]').textContent.includes('no rows')")
    assert "“referrals.xlsx”" in message.inner_text()
    assert any("openpyxl" in url for url in wheels)
    page.get_by_label("Sheet to check").select_option("Referrals")
    wait_for_report(page, "referrals.xlsx")
    assert message.inner_text() == ""
    report = json.loads(download_text(page, page.get_by_role("button", name="Download the report (JSON)")))
    assert found(report) == EXPECTED
    assert report["file"]["sheet"] == "Referrals"


BAD_FILES = [
    ("empty.csv", b"", "is empty"),
    ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not a text file"),
    ("quote.csv", b'ID,Notes\r\n1,"fine"\r\n2,"never closed\r\n3,x\r\n', "row 3"),
    ("protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "password-protected"),
    ("damaged.xlsx", b"PK\x03\x04" + bytes(300), "damaged"),
]


def test_bad_files_get_a_plain_message_and_a_long_check_can_be_cancelled_and_the_tool_stays_usable(page, site_url):
    """On one page, in turn:
    - each bad file (empty, not text, an unclosed quote, a protected or damaged workbook, over
      the size limit) gets a plain message naming it; a ragged file is still checked;
    - a long check shows the rows read and can be cancelled, which hides the report's downloads;
    - another file is then checked, and "Clear my answers" clears the file and report too."""
    open_tool(page, site_url)
    message = page.locator("[data-data-check-message]")
    for name, data, words in BAD_FILES:
        choose_file(page, name, data)
        page.wait_for_function(
            "([name, words]) => { const text = document.querySelector('[data-data-check-message]').textContent;"
            " return text.includes(name) && text.includes(words); }", arg=[name, words])
    # A file over the limit is refused before it is read: made in the page, so the test
    # does not have to send 200 MB to the browser.
    page.evaluate("""() => {
        const input = document.querySelector('[data-data-check-file]');
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(200_000_000)], 'huge.csv', {type: 'text/csv'}));
        input.files = transfer.files;
        input.dispatchEvent(new Event('change', {bubbles: true}));
    }""")
    page.wait_for_function("() => document.querySelector('[data-data-check-message]').textContent.includes('up to 100 MB')")
    assert "200 MB" in message.inner_text()
    choose_file(page, "ragged.csv", b"ID;Team;Age\r\n" + b"".join(b"%d;North;%d\r\n" % (i, i % 18) for i in range(30))
                + b"31;South\r\n" * 12)
    wait_for_report(page, "ragged.csv")
    assert message.inner_text() == ""
    assert "12 rows have a different number of values" in page.locator("[data-data-check-report]").inner_text()
    # A long check, after that report: progress, then cancelled, with nothing of the report left to download.
    big = b"ID,Team,Age,Notes\r\n" + b"".join(b"%d,Team %d,%d,Some notes about visit %d\r\n" % (i, i % 7, i % 18, i)
                                              for i in range(400_000))
    choose_file(page, "long.csv", big)
    page.wait_for_function("() => /[1-9][0-9,]* rows read/.test(document.querySelector('[data-data-check-status]').textContent)")
    assert page.locator("[data-data-check-progress]").is_visible()
    page.get_by_role("button", name="Cancel the check").click()
    page.wait_for_function("() => document.querySelector('[data-data-check-status]').textContent.includes('cancelled')")
    assert page.locator("[data-data-check-cancel]").is_hidden()
    assert page.locator("[data-data-check-downloads]").is_hidden()
    small = b"ID,Team\r\n" + b"".join(b"%d,North\r\n" % i for i in range(20))
    choose_file(page, "small.csv", small)
    assert "20 rows" in wait_for_report(page, "small.csv")
    # "Clear my answers" clears the settings and the file and report with them.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my answers").click()
    page.wait_for_function("() => document.querySelector('[data-data-check-report]').textContent.includes('once you have chosen a file')")
    assert page.locator("[data-data-check-downloads]").is_hidden()
    assert "small.csv" not in storage_text(page)


def test_without_javascript_the_page_says_checking_a_file_needs_it(open_page, site_url):
    tab, problems = open_page(java_script_enabled=False)
    tab.goto(site_url + PAGE)
    assert tab.get_by_text("Checking a file needs JavaScript").is_visible()
    assert tab.locator("[data-data-check-file]").is_hidden()
    assert tab.get_by_label("Identifier column", exact=False).is_visible()  # the settings can still be read
