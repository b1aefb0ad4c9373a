"""The test and monitor tool, end to end in Chromium against the built site.

The bank's worked cases, as a CSV file, must give the bank's figures in the page and in
the downloaded report; a scored file's case identifiers and scores must never reach
browser storage, the kept result or a download; moving the score threshold redraws the
report; bad values are named by column and row without losing what was entered; two
periods' files give a drift reading; a workbook's chosen sheet gives Python's figures, for
one file or a period; a long file shows the rows read and can be cancelled.
Leaving by the theme's instant navigation, or clearing, leaves nothing of the file on the
page or in the worker. The ethics workbook and the transparency record show the thresholds
saved here, follow a change made in another tab, and download them.
"""

from __future__ import annotations

import json
import time

import pytest

from support_browser import RUNTIME_TIMEOUT_MS, another_tab, download_text, saved_answers, storage_text, wait_for_address, wait_for_result
from support_test_monitor import SCORED_MAPPING, scored_cases_csv, scored_cases_xlsx, worked_example
from support_word import download_word

pytestmark = pytest.mark.browser

PAGE = "tools/test-and-monitor/"
FORM = "form[data-tool='test-and-monitor']"


def open_tool(page, site_url):
    page.goto(site_url + PAGE)
    page.wait_for_selector("[data-test-monitor-controls]:not([hidden])")
    wait_for_result(page, FORM)


def fill(page, answers: dict[str, str]) -> None:
    for name, value in answers.items():
        control = page.locator(f"[name='{name}']")
        if control.get_attribute("type") == "range":
            control.evaluate("(element, value) => { element.value = value; element.dispatchEvent(new Event('input', { bubbles: true })); }", value)
        else:
            control.fill(value)
    wait_for_result(page, FORM)


def choose(page, data: bytes, name: str, period: str = "current") -> None:
    page.locator(f"[data-test-monitor-file='{period}']").set_input_files({"name": name, "mimeType": "text/csv", "buffer": data})


def wait_for_status(page, text: str, panel: str = "[data-test-monitor]") -> str:
    page.wait_for_function(
        "([panel, text]) => document.querySelector(panel + ' [data-test-monitor-status]').textContent.includes(text)",
        arg=[panel, text], timeout=RUNTIME_TIMEOUT_MS)
    return page.locator(f"{panel} [data-test-monitor-status]").inner_text()


def test_both_worked_cases_give_the_banks_figures_in_the_page_and_the_report(page, site_url):
    """On one page, the bank's first worked case, cleared, then its second (every threshold and
    the group column entered again): each gives the bank's precision, recall and false positive
    rates, verdicts and groups too small to judge in the downloaded report, says in words
    whether every group was large enough, and shows the report's figures in the page."""
    open_tool(page, site_url)
    for index in (0, 1):
        worked, data, answers = worked_example(index)
        fill(page, answers)
        choose(page, data, f"worked-{index}.csv")
        cases = sum(counts.n for _, counts in worked.groups)
        wait_for_status(page, f"Tested {cases:,} cases")
        region = page.locator("[data-test-monitor-report]").first
        assert "Not met" in region.inner_text()
        report = json.loads(download_text(page, page.get_by_role("button", name="Download the report (JSON)")))
        assert report["group_columns"][0]["column"] == worked.group_column, index
        groups = {entry["group"]: entry for entry in report["group_columns"][0]["groups"]}
        for measure in ("precision", "recall", "false_positive_rate"):
            for group, value in worked.expected[measure].items():
                assert groups[group]["measures"][measure]["value"] == pytest.approx(value, abs=1e-12), (index, group)
        assert {v["id"]: v["met"] for v in report["verdicts"] if v["id"] in worked.expected["met"]} == worked.expected["met"]
        assert [g for g, e in groups.items() if not e["judged"]] == worked.expected["too_small"]
        # The smallest group to judge says in words whether every group was large enough.
        size = region.locator("tr", has=page.locator("th", has_text="Smallest group to judge")).inner_text()
        assert size.startswith("Smallest group to judge\tNot met\tNot met: too small to judge (fewer than 50 cases): "
                               "Islands in Area." if worked.expected["too_small"] else
                               "Smallest group to judge\tMet\tMet: every group has at least 50 cases (your threshold)")
        # The figures in the page's table are the report's.
        north = next(iter(worked.expected["precision"]))
        assert f"{worked.expected['precision'][north] * 100:.1f}%" in region.inner_text()
        # Cleared before the next case's answers, so that no report of this file can be waited on.
        page.get_by_role("button", name="Clear the file and report").click()
        assert_nothing_shown(page)


def test_case_data_never_leaves_the_page_the_slider_redraws_the_report_and_two_periods_show_the_drift(page, site_url):
    """On one page:
    - moving the slider redraws the report and what is saved and downloaded at the new threshold;
    - no case identifier or score reaches storage, a download or the page's markup, and clearing
      the file empties the page and the worker;
    - two periods' files then show what changed and the drift, in the page, Markdown and Word,
      without a case identifier."""
    data = scored_cases_csv(3000)
    private = ["C1234", "C2999", data.decode().splitlines()[5].split(",")[2]]  # identifiers and a score as written
    page.add_init_script(KEEP_WORKER)
    open_tool(page, site_url)
    fill(page, SCORED_MAPPING)
    choose(page, data, "april.csv")
    wait_for_status(page, "Tested 3,000 cases")
    region = page.locator("[data-test-monitor-report]").first
    before = region.inner_text()
    assert "Calibration" in before and "score in ‘Risk score’, yes at 0.5 or above" in before
    page.locator("[data-test-monitor-slider]").focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('[data-test-monitor-report]').textContent.includes('yes at 0.6 or above')")
    assert page.locator("[data-test-monitor-slider-value]").inner_text() == "0.6"
    report = download_text(page, page.get_by_role("button", name="Download the report (JSON)"))
    assert json.loads(report)["prediction"]["threshold"] == pytest.approx(0.6)
    markdown = download_text(page, page.get_by_role("button", name="Download the report (Markdown)"))
    word = download_word(page, page.get_by_role("button", name="Download the report (Word)"))
    assert word.file_name == "test-and-monitor-report-april.docx"
    assert {(0, "Test and monitor a predictive tool: report"), (1, "Thresholds"), (1, "Calibration")} <= set(word.headings)
    assert "Disclosure: " in word.text and "yes at 0.6 or above" in word.text
    answers_file = download_text(page, page.get_by_role("button", name="Download JSON"))
    assert json.loads(answers_file)["answers"]["score-column"] == "Risk score"
    # What is saved is exactly the thresholds and the column mapping the reader gave.
    saved = saved_answers(page, "test-and-monitor")
    assert saved == {**SCORED_MAPPING, "score-threshold": "0.6"}
    for text in (storage_text(page), report, markdown, word.text, answers_file, region.inner_html()):
        for value in private:
            assert value not in text, f"{value} left the file"
    assert worker_holds_counts(page)
    page.get_by_role("button", name="Clear the file and report").click()
    assert_nothing_shown(page)
    assert not worker_holds_counts(page)
    # Two periods' files, on the same page: what changed and the drift, without a case identifier.
    choose(page, scored_cases_csv(2000, seed=1), "april.csv", "before")
    choose(page, scored_cases_csv(2000, seed=3, shift=0.25), "may.csv", "after")
    wait_for_status(page, "Compared 2,000 cases with 2,000", "[data-test-monitor-periods]")
    comparison = page.locator("[data-test-monitor-periods] [data-test-monitor-report]").inner_text()
    assert "a large shift: act on it" in comparison and "little change" in comparison  # the score moved, Area did not
    markdown = download_text(page, page.locator("[data-test-monitor-periods]").get_by_role("button", name="Download the comparison (Markdown)"))
    assert "| Risk score |" in markdown and "C123" not in markdown
    word = download_word(page, page.locator("[data-test-monitor-periods]").get_by_role("button", name="Download the comparison (Word)"))
    assert word.file_name == "test-and-monitor-comparison-april-csv-may.docx"
    assert {(1, "Drift"), (1, "What changed"), (1, "Thresholds in the later period")} <= set(word.headings)
    assert "Risk score" in [row[0] for row in word.cells] and "C123" not in word.text


def test_bad_values_are_named_a_long_file_can_be_cancelled_and_nothing_entered_is_lost(page, site_url):
    """On one page, with the thresholds entered, in turn:
    - bad values are named by column and row, and the answers stay;
    - a good file clears the message; an identifier chosen as a group column is named with
      the row where it passes the limit, and a real group column gives the report again;
    - a long file shows the rows read and can be cancelled, leaving nothing of it shown and
      the answers as they were; a small file is then tested;
    - a smallest group to judge below the disclosure threshold says hidden groups are not judged."""
    open_tool(page, site_url)
    fill(page, {**SCORED_MAPPING, "min-precision": "65"})
    bad = (b"Case,Outcome,Risk score,Ethnicity,Sex,Age band,Area\n"
           b"C1,yes,0.7,White,Female,0-4,North\nC2,perhaps,0.2,Asian,Male,5-9,South\n"
           b"C3,,0.4,White,Male,0-4,East\nC4,no,1.8,Black,Female,16-17,West\n")
    choose(page, bad, "bad.csv")
    message = page.locator("[data-test-monitor] [data-test-monitor-message]")
    page.wait_for_function("() => document.querySelector('[data-test-monitor] [data-test-monitor-message]').textContent.includes('row')")
    text = message.inner_text()
    assert "“Outcome” has no value in row 4" in text and "not yes or no in row 3" in text
    assert "“Risk score” has a score outside 0 to 1 in row 5" in text
    assert page.locator("[name='min-precision']").input_value() == "65"
    assert page.locator("[name='group-column-1']").input_value() == "Ethnicity"
    choose(page, scored_cases_csv(500), "good.csv")
    wait_for_status(page, "Tested 500 cases")
    assert message.inner_text() == ""
    # An identifier chosen as a group column (500 different values): named with the row
    # where it passes the limit; choosing a real group column gives the report again.
    page.locator("[name='group-column-1']").fill("Case")
    page.wait_for_function("() => document.querySelector('[data-test-monitor] [data-test-monitor-message]').textContent.includes('Case')")
    assert "“Case” has more than 50 different values (the 51st first appears in row 52)" in message.inner_text()
    assert "appears here once you have chosen a file" in page.locator("[data-test-monitor-report]").first.inner_text()
    assert page.locator("[name='min-precision']").input_value() == "65"
    page.locator("[name='group-column-1']").fill("Ethnicity")
    wait_for_status(page, "Tested 500 cases")
    assert message.inner_text() == ""
    # A long file, after that report: the rows read, cancelled, nothing of either file shown,
    # and a small file tested again.
    lines = scored_cases_csv(2000).splitlines(keepends=True)
    big = lines[0] + b"".join(lines[1:]) * 200  # 400,000 cases, read in steps of 20,000
    choose(page, big, "year.csv")
    page.wait_for_function("() => /[1-9][0-9,]* rows read/.test(document.querySelector('[data-test-monitor] [data-test-monitor-status]').textContent)",
                           timeout=RUNTIME_TIMEOUT_MS)
    assert page.locator("[data-test-monitor] [data-test-monitor-progress]").is_visible()
    page.locator("[data-test-monitor]").get_by_role("button", name="Cancel reading").click()
    assert "“year.csv” was cancelled" in wait_for_status(page, "cancelled")
    assert page.locator("[data-test-monitor] [data-test-monitor-cancel]").is_hidden()
    assert page.locator("[data-test-monitor] [data-test-monitor-progress]").is_hidden()
    assert_nothing_shown(page)
    assert page.locator("[name='min-precision']").input_value() == "65"  # nothing entered is lost
    choose(page, scored_cases_csv(500), "small.csv")
    wait_for_status(page, "Tested 500 cases")
    # A smallest group to judge below the disclosure threshold: the thresholds say that
    # hidden groups are not judged either.
    fill(page, {"min-group-size": "5"})
    assert ("Groups with fewer than 10 cases (the disclosure threshold) are not shown, so they are not judged "
            "either.") in page.locator(f"{FORM} [data-result]").inner_text()


# The documents that ask about accuracy read the thresholds from this tool's saved answers.
DOCUMENTS = {"ethics-workbook": "tools/ethics-workbook/", "transparency-record": "tools/transparency-record/"}
AGREED = {"min-precision": "72", "min-recall": "65", "max-difference": "8", "min-group-size": "40"}


def test_the_documents_that_ask_about_accuracy_show_the_agreed_thresholds_and_follow_another_tab(page, site_url):
    """The ethics workbook and the transparency record, open in two tabs while the test and
    monitor tool is open in a third: each says no thresholds are saved, then shows those
    recorded in the tool, follows a change made there, and downloads it (JSON, Markdown, Word)."""
    tabs = {"ethics-workbook": page, "transparency-record": another_tab(page)}
    for slug, tab in tabs.items():
        document_form = f"form[data-tool='{slug}']"
        tab.goto(site_url + DOCUMENTS[slug])
        wait_for_result(tab, document_form)
        shown = tab.locator(f"{document_form} [data-agreed-thresholds]")
        assert shown.get_attribute("data-agreed-thresholds") == "absent", slug
        assert "No accuracy thresholds are saved in this browser" in shown.inner_text()
    # Recorded in the test and monitor tool, in another tab: each document follows.
    tool = another_tab(page)
    open_tool(tool, site_url)
    fill(tool, AGREED)
    for slug, tab in tabs.items():
        document_form = f"form[data-tool='{slug}']"
        tab.wait_for_function("s => document.querySelector(s)?.dataset.agreedThresholds === 'saved'",
                              arg=f"{document_form} [data-agreed-thresholds]")
        wait_for_result(tab, document_form)
        text = tab.locator(f"{document_form} [data-agreed-thresholds]").inner_text()
        assert "At least 72% of the cases the tool flags" in text and "by more than 8 percentage points" in text, slug
        assert "fewer than 40 cases" in text, slug
    # A change there is followed in each too, and the downloads hold what is shown.
    fill(tool, {"min-precision": "80"})
    for slug, tab in tabs.items():
        document_form = f"form[data-tool='{slug}']"
        tab.wait_for_function("s => document.querySelector(s)?.textContent.includes('At least 80% of the cases')",
                              arg=f"{document_form} [data-agreed-thresholds]")
        wait_for_result(tab, document_form)
        record = json.loads(download_text(tab, tab.locator(f"{document_form} [data-action=download]")))
        assert record["result"]["agreed_thresholds"]["saved"] is True, slug
        assert "At least 80%" in json.dumps(record["result"]["agreed_thresholds"]), slug
        markdown = download_text(tab, tab.locator(f"{document_form} [data-action=download-as][data-format=markdown]"))
        assert "**Accuracy thresholds agreed at Design (from the test and monitor tool)**" in markdown, slug
        assert "At least 80% of the cases the tool flags" in markdown, slug
        word = download_word(tab, tab.locator(f"{document_form} [data-action=download-as][data-format=word]"))
        assert "At least 80% of the cases the tool flags" in word.text, slug


# Keeps the page's worker within reach, to ask it what it still holds (the page's own
# requests are left alone: an id of its own, and a reply no one else waits for).
KEEP_WORKER = """
    const Original = window.Worker;
    window.Worker = class extends Original {
        constructor(url, ...rest) {  // the tools' worker, not the theme's search worker
            super(url, ...rest);
            if (String(url).includes("cssc-worker")) window.csscTestWorker = this;
        }
    };
"""
ASK_HELD = """([op, answers]) => new Promise((resolve) => {
    const worker = window.csscTestWorker, id = 990000 + Math.floor(Math.random() * 9999);
    const reply = (event) => {
        if (event.data.id !== id) return;
        worker.removeEventListener('message', reply);
        resolve(event.data.response);
    };
    worker.addEventListener('message', reply);
    worker.postMessage({ id, testMonitor: { op, request: { answers } } });
    setTimeout(() => resolve({ ok: null, error: 'the worker did not answer' }), 30000);
})"""


def worker_holds_counts(page, op: str = "rethreshold") -> bool:
    """Whether the worker still holds the current file's counts ("monitor": both periods')."""
    response = page.evaluate(ASK_HELD, [op, SCORED_MAPPING])
    assert response["ok"] is not None, response["error"]
    return response["ok"]


def wait_until_forgotten(page) -> None:
    """The page asks the worker to forget as the theme announces the new page: ask until it has."""
    deadline = time.monotonic() + RUNTIME_TIMEOUT_MS / 1000
    while worker_holds_counts(page):
        assert time.monotonic() < deadline, "the worker still holds the counts of a page left behind"
        page.wait_for_timeout(100)


def assert_nothing_shown(page) -> None:
    report = page.locator("[data-test-monitor] [data-test-monitor-report]")
    assert "appears here once you have chosen a file" in report.inner_text()
    assert page.locator("[data-test-monitor] [data-test-monitor-downloads]").is_hidden()
    assert page.evaluate("() => document.querySelector('[data-test-monitor-columns]').options.length") == 0
    assert page.locator("[data-test-monitor-periods] [data-test-monitor-report]").inner_text().find("Compared") == -1


def test_leaving_by_instant_navigation_or_clearing_drops_the_case_data_everywhere(open_page, instant_site_url):
    page, _problems = open_page(site=instant_site_url)
    page.add_init_script(KEEP_WORKER)
    open_tool(page, instant_site_url)
    fill(page, SCORED_MAPPING)
    choose(page, scored_cases_csv(1000), "april.csv")
    wait_for_status(page, "Tested 1,000 cases")
    choose(page, scored_cases_csv(800, seed=1), "march.csv", "before")
    choose(page, scored_cases_csv(800, seed=3), "may.csv", "after")
    wait_for_status(page, "Compared 800 cases with 800", "[data-test-monitor-periods]")
    assert worker_holds_counts(page) and worker_holds_counts(page, "monitor")
    page.evaluate("() => { window.csscSameDocument = true; }")
    # Away through the site's navigation and back with the browser's Back button: the
    # theme swaps the page's content without loading a new document.
    page.click("a.md-nav__link[href$='tools/']")
    wait_for_address(page, instant_site_url + "tools/")
    assert page.evaluate("() => window.csscSameDocument") is True, "instant navigation is off: build for the address"
    wait_until_forgotten(page)
    assert not worker_holds_counts(page, "monitor")
    page.go_back()
    wait_for_address(page, instant_site_url + PAGE)
    page.wait_for_selector("[data-test-monitor-controls]:not([hidden])")
    wait_for_result(page, FORM)
    assert page.evaluate("() => window.csscSameDocument") is True
    assert_nothing_shown(page)
    assert page.locator("[data-test-monitor] [data-test-monitor-status]").inner_text() == ""
    assert not worker_holds_counts(page)
    # The thresholds and the mapping, being answers, are still there.
    assert page.locator("[name='score-column']").input_value() == "Risk score"
    # Chosen again, then "Clear my answers": the files, the reports and the answers go.
    choose(page, scored_cases_csv(1000), "april.csv")
    wait_for_status(page, "Tested 1,000 cases")
    assert worker_holds_counts(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"{FORM} [data-action=clear]").click()
    page.wait_for_function("() => document.querySelector(\"[name='score-column']\").value === ''")
    assert_nothing_shown(page)
    assert not worker_holds_counts(page)
    assert "Risk score" not in storage_text(page)


def test_a_workbook_of_cases_gives_the_same_report_as_python_on_the_chosen_sheet(page, site_url):
    from assessments.data.loader import ByteSource
    from assessments.monitor.model import load_test_monitor_bank, settings_from_answers
    from assessments.monitor.report import report
    from assessments.monitor.cases import open_cases

    open_tool(page, site_url)
    fill(page, SCORED_MAPPING)
    page.locator("[data-test-monitor-file='current']").set_input_files({
        "name": "cases.xlsx", "buffer": scored_cases_xlsx(600),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    # The first sheet is a cover note: the message says what it lacks and the sheets appear.
    message = page.locator("[data-test-monitor] [data-test-monitor-message]")
    page.wait_for_function("() => document.querySelector('[data-test-monitor] [data-test-monitor-message]').textContent.includes('Outcome')")
    assert "has no column called “Outcome”" in message.inner_text()
    page.locator("[data-test-monitor]").get_by_label("Sheet").select_option("Cases")
    wait_for_status(page, "Tested 600 cases")
    assert message.inner_text() == ""
    shown = json.loads(download_text(page, page.get_by_role("button", name="Download the report (JSON)")))
    csv = scored_cases_csv(600)
    cases = open_cases(ByteSource.from_bytes(csv)._read_at, len(csv), "cases.csv", SCORED_MAPPING)[1]
    expected = report(cases, settings_from_answers(SCORED_MAPPING), load_test_monitor_bank())
    assert_same(shown["overall"], expected["overall"])
    assert_same(shown["group_columns"], expected["group_columns"])
    # Monitoring: the later period is the workbook; its sheet is chosen as for one file.
    periods = page.locator("[data-test-monitor-periods]")
    choose(page, scored_cases_csv(400, seed=1), "april.csv", "before")
    page.locator("[data-test-monitor-file='after']").set_input_files({
        "name": "may.xlsx", "buffer": scored_cases_xlsx(600),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    page.wait_for_function("() => document.querySelector('[data-test-monitor-periods] [data-test-monitor-message]').textContent.includes('Outcome')")
    assert periods.locator("[data-test-monitor-message]").inner_text().startswith("The later period's file: ")
    assert periods.get_by_label("Sheet of the earlier period's file").is_hidden()  # a CSV file has no sheets
    periods.get_by_label("Sheet of the later period's file").select_option("Cases")
    wait_for_status(page, "Compared 400 cases with 600", "[data-test-monitor-periods]")
    assert periods.locator("[data-test-monitor-message]").inner_text() == ""
    compared = json.loads(download_text(page, periods.get_by_role("button", name="Download the comparison (JSON)")))
    assert_same(compared["after"]["overall"], expected["overall"])
    periods.get_by_role("button", name="Clear the files and comparison").click()
    assert periods.get_by_label("Sheet of the later period's file").is_hidden()


def assert_same(shown, expected, where: str = "report") -> None:
    """The same figures (to 1e-12: the browser's maths library may differ in the last digit)."""
    if isinstance(expected, dict):
        assert shown.keys() == expected.keys(), where
        for key in expected:
            assert_same(shown[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(shown) == len(expected), where
        for index, (one, other) in enumerate(zip(shown, expected)):
            assert_same(one, other, f"{where}[{index}]")
    elif isinstance(expected, float):
        assert shown == pytest.approx(expected, abs=1e-12), where
    else:
        assert shown == expected, where
