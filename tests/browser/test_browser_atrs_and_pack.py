"""ATRS v4.0 and the governance pack, end to end in Chromium.

- A transparency record saved by release 1.1.0 (ATRS v3.0), in browser storage and as a
  file, loads into the v4.0 record with every answer kept, the reader told what moved and
  the "Pilot or beta" phase named to answer again.
- "Download for the ATRS team (Excel)" loads openpyxl then, and only then, and gives a
  workbook openpyxl opens, laid out by the standard, with no cell a formula.
- My project's "Download the governance pack (Word)" gives one .docx, read here with
  python-docx, with a section per tool in lifecycle order and what is still open first;
  the print view prints the pack alone; with nothing saved it says so; where this browser
  cannot make the Word file, it says so, downloads nothing, and the print view still works.

Expected values are written here, from the release's frozen files (which hold the banks'
worked examples), never taken from a document model the code built.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import openpyxl
import pytest

from assessments import __version__
from support_browser import RUNTIME_TIMEOUT_MS, axe_violations, saved_answers, wait_for_result, wait_for_theme
from support_word import refuse_word_writer, refused_download

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "tests" / "fixtures" / "releases" / "1.1.0"
RECORD_PAGE = "tools/transparency-record/"
MOVED = "The record now follows version 4.0 of the standard."
PILOT = ("The option \u201cPilot or beta: in limited use\u201d you chose no longer exists and was left out: version 4.0 "
         "of the standard replaces it with Private beta and Public beta. Answer \u201cPhase\u201d again, in Summary "
         "information.")
DETAILED = ("Detailed description: Monthly counts of children looked after by age, need and placement distance, over "
            "five years.\n\nScope: Planning and buying placements across the county. Not for decisions about "
            "individual children.")
INTEGRATION = ("Process integration: Informs the monthly commissioning meeting's plans. It does not inform decisions "
               "about individual children.\n\nProvided information: Charts and tables of totals; figures below five "
               "are hidden.")
DATASETS = ("Datasets: Children looked after episodes, 2019 to 2024.\n\nDataset purposes: Four years to fit the "
            "forecast, the fifth to test it.")


def control(page, name: str):
    """A field's box, or a list entry's part's ("model-specifications-1--model-name")."""
    return page.locator(f"#transparency-record--{name}" + ("" if "-1--" in name else "--answer"))


def put_storage(page, site_url, storage: dict[str, str]) -> None:
    page.goto(site_url + "about/")  # same origin, so the same storage
    for key, value in storage.items():
        page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, value])


def test_a_v3_record_saved_in_this_browser_or_as_a_file_opens_as_v4_and_downloads_for_the_atrs_team(
        page, site_url):
    """On one page:
    - a v3.0 record kept in this browser opens as v4.0 with what moved and the phase to
      answer again, and the page passes axe with the notice shown;
    - a v3.0 file loads into the v4.0 record, and "Download for the ATRS team (Excel)"
      fetches openpyxl then and only then, and gives a workbook laid out by the standard
      with no cell a formula."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    put_storage(page, site_url, json.loads((RELEASE / "transparency-record" / "storage.json").read_text("utf-8")))
    page.goto(site_url + RECORD_PAGE)
    wait_for_result(page, text="Name: Placement sufficiency dashboard")
    notice = page.locator("[data-update-notice]")
    notice.wait_for()
    items = notice.locator("li").all_inner_texts()
    assert items[0].startswith(MOVED) and "each text you wrote is kept there under its old name" in items[0]
    assert items[1:] == [PILOT]
    assert control(page, "detailed-description").input_value() == DETAILED
    assert control(page, "integration-into-broader-operational-process").input_value() == INTEGRATION
    assert control(page, "model-specifications-1--datasets-and-their-purposes").input_value() == DATASETS
    assert control(page, "third-party").input_value() == "Example Analytics Ltd"
    assert control(page, "development-data-1--source-data-name").input_value() == (
        "Children looked after episodes and placements")
    assert page.locator("input[name='phase']:checked").count() == 0
    saved = saved_answers(page, "transparency-record")
    assert saved["human-review"] == ("Commissioners interpret the figures with the placements team; analysts check "
                                     "each month's refresh.")
    assert "scope" not in saved and "phase" not in saved
    assert axe_violations(page) == []

    # The v3.0 file, loaded into the cleared form (so that what shows can only come from it).
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=clear]")
    wait_for_result(page, text="32 fields needed to publish still empty")  # all of them: the form is empty
    assert page.locator("input[name='phase']:checked").count() == 0
    assert control(page, "detailed-description").input_value() == ""
    page.set_input_files("[data-action=load]", str(RELEASE / "transparency-record" / "record.json"))
    wait_for_result(page, text="Name: Placement sufficiency dashboard")
    assert MOVED in page.locator("[data-status]").inner_text()
    assert page.is_checked("#transparency-record--phase--production")
    # A typed answer that a spreadsheet would take for a formula.
    control(page, "one-sentence-description").fill('=HYPERLINK("https://evil.example","Click")')
    wait_for_result(page)
    assert not [url for url in fetched if "openpyxl" in url], "openpyxl loaded before it was asked for"

    button = page.locator("[data-action=download-as][data-format=xlsx]")
    assert button.inner_text() == "Download for the ATRS team (Excel)"
    with page.expect_download(timeout=RUNTIME_TIMEOUT_MS) as caught:
        button.click()
    download = caught.value
    assert download.suggested_filename.startswith("transparency-record-")
    assert download.suggested_filename.endswith(".xlsx")
    assert [url for url in fetched if url.endswith("openpyxl-3.1.5-py2.py3-none-any.whl")]
    # What writing the workbook imports ships with the tools' own standard library (the
    # build's Pyodide run writes one): the whole library is never fetched for it.
    assert not [url for url in fetched if url.endswith("/python_stdlib.zip")]
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))

    assert book.sheetnames == ["Summary information", "Owner and responsibility", "Description and rationale",
                               "Deployment context", "Tool specification", "Model specification",
                               "Development data specification", "Operational data specification",
                               "Risks, mitigations and impact"]
    assert not [cell.coordinate for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]

    def field(sheet: str, reference: str) -> tuple:
        return next(row[:4] for row in book[sheet].iter_rows(values_only=True) if row[0] == reference)

    assert field("Summary information", "1.1") == ("1.1", "Name", "Required", "Placement sufficiency dashboard")
    assert field("Summary information", "0.13") == ("0.13", "Phase", "Required", "Production: in use")
    assert field("Summary information", "0.15")[3] == '=HYPERLINK("https://evil.example","Click")'
    assert field("Owner and responsibility", "2.1.4") == ("2.1.4", "Third party involvement", "Required", "Yes")
    assert field("Owner and responsibility", "2.1.4.3") == (
        "2.1.4.3", "Third party role", "Required", "Hosts the business intelligence platform.")
    assert field("Description and rationale", "2.2.1") == ("2.2.1", "Detailed description", "Required", DETAILED)
    assert field("Deployment context", "2.3.1") == (
        "2.3.1", "Integration into broader operational process", "Required", INTEGRATION)
    assert field("Tool specification", "2.4.1.2") == ("2.4.1.2", "System-level input", "Required", None)
    model = next(row for row in book["Model specification"].iter_rows(values_only=True) if row[0] == "Model 1")
    assert model[1] == "Placement demand forecast" and model[8] == DATASETS
    # Each part's own flag, as the standard marks it: every part of a model; every part of a
    # dataset but its cleaning (2.4.3.9); an impact assessment's link and a risk's mitigation are optional.
    def required_row(sheet: str, index: int = 0) -> tuple:
        found = [row for row in book[sheet].iter_rows(values_only=True) if row[0] == "Required"]
        return tuple(value for value in found[index] if value is not None)

    assert required_row("Model specification") == ("Required", *["Required"] * 8)
    assert required_row("Development data specification") == (
        "Required", *["Required"] * 8, "Optional", "Required", "Required")
    assert required_row("Risks, mitigations and impact") == ("Required", "Required", "Required", "Required", "Optional")
    assert required_row("Risks, mitigations and impact", 1) == ("Required", "Required", "Required", "Optional")
    dataset = next(row for row in book["Development data specification"].iter_rows(values_only=True)
                   if row[0] == "Dataset 1")
    assert dataset[1] == "Children looked after episodes and placements"
    assessment = next(row for row in book["Risks, mitigations and impact"].iter_rows(values_only=True)
                      if row[0] == "Impact assessment 1")
    assert assessment[1:4] == ("DPIA screening", "A full DPIA was not needed.", "3 March 2025")


# ---------------------------------------------------------------------- My project


def open_project(page, site_url) -> None:
    page.goto(site_url + "tools/my-project/")
    page.wait_for_function("() => document.querySelector('[data-project] [data-status]').textContent"
                           ".startsWith('Updated:')", timeout=RUNTIME_TIMEOUT_MS)
    wait_for_theme(page)


def load_release_project(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.check("#my-project--replace")
    page.set_input_files("[data-action=project-load]", str(RELEASE / "project.json"))
    page.wait_for_function("() => document.querySelector('[data-project] [data-status]').textContent"
                           ".startsWith('Loaded')", timeout=RUNTIME_TIMEOUT_MS)


STYLES = {"Title": 0, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3, "Heading 4": 4}


def test_the_governance_pack_says_when_nothing_is_saved_then_downloads_a_section_per_tool_and_prints_alone(
        page, site_url):
    """On one page of My project, starting with nothing saved:
    - with nothing saved, the pack says so and downloads nothing;
    - with the release's project loaded, the Word pack has a section per tool in lifecycle
      order and what is still open first;
    - the print view prints the pack alone, and passes axe."""
    open_project(page, site_url)
    # With nothing saved, the pack says so and downloads nothing.
    refused_download(page, page.locator("[data-action=pack-download]"), page.locator("[data-project] [data-message]"),
                     "No tool has answers saved in this browser yet")

    load_release_project(page)
    with page.expect_download(timeout=RUNTIME_TIMEOUT_MS) as caught:
        page.click("[data-action=pack-download]")
    download = caught.value
    assert download.suggested_filename.startswith("governance-pack-placement-sufficiency-")
    assert download.suggested_filename.endswith(".docx")
    document = docx.Document(download.path())
    paragraphs = [(STYLES.get(p.style.name), p.text) for p in document.paragraphs]
    texts = [text for _, text in paragraphs]
    assert paragraphs[0] == (0, "Governance pack: Placement sufficiency")
    assert "Project: Placement sufficiency" in texts and f"Guide version: {__version__}" in texts
    assert [text for level, text in paragraphs if level == 1] == [
        "Contents", "What is still open", "Data maturity self-assessment", "User needs table", "Ethics triage",
        "Business case", "Stage checklists", "Ethics workbook", "Accuracy thresholds agreed at Design",
        "Algorithmic transparency record"]
    # What is still open comes before the first tool.
    first_page = texts[texts.index("What is still open", texts.index("Contents") + 2):
                       texts.index("Data maturity self-assessment", texts.index("Contents") + 12)]
    assert "System-level input (2.4.1.2)" in first_page and "Operational data specification (2.4.4)" in first_page
    # The model the v3.0 record started: its required parts still empty, each with its number.
    assert "Model specification, model 1: Model version (2.4.2.2)" in first_page
    assert "Development data specification, dataset 1: Data modality (2.4.3.2)" in first_page
    assert not [text for text in first_page if "Model name" in text or "Data cleaning" in text]
    assert "Red flags from the ethics triage" in first_page
    assert "Ethics workbook: 15 questions not started." in first_page
    # Each section says which parts are the Main Guidance's, and holds the tool's answers as saved.
    assert len([text for text in texts if text.startswith("Provenance: ")]) == 8  # 7 tools and the thresholds
    assert DETAILED in texts  # the v3.0 record, brought up to date
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Team managers in the assessment service" in cells
    assert ("Minimum precision: At least 60% of the cases the tool flags should have the outcome, for everyone and "
            "for every group judged.") in texts
    # Settings only: the test and monitor tool's column names are never in the pack.
    assert not [text for text in texts + cells if "Re-referred within 12 months" in text]
    assert "Governance pack: Placement sufficiency" in document.sections[0].footer.paragraphs[0].text

    # The print view prints the pack alone.
    page.click("[data-action=pack-print]")
    view = page.locator("[data-pack-view]")
    view.locator("h2").first.wait_for()
    assert view.locator("h2").first.inner_text() == "Governance pack: Placement sufficiency"
    assert "What is still open" in view.inner_text()
    page.emulate_media(media="print")
    page.evaluate("() => document.body.classList.add('cssc-printing-pack')")  # as window.print() leaves it
    assert view.is_visible()
    assert page.locator("[data-project-summary]").is_hidden()
    assert page.locator("[data-action=pack-download]").is_hidden()
    assert page.locator("h1").is_hidden()
    page.emulate_media(media="screen")
    assert axe_violations(page) == []


def test_a_pack_this_browser_cannot_make_is_explained_and_the_print_view_still_works(page, site_url, page_problems):
    refuse_word_writer(page, page_problems)
    open_project(page, site_url)
    load_release_project(page)
    said = refused_download(page, page.locator("[data-action=pack-download]"), page.locator("[data-project] [data-message]"),
                            "The governance pack could not be made in this browser.")
    assert "Nothing has changed: try again after reloading the page, or use the print view." in said
    assert not page.locator("[data-project] [data-status]").inner_text().startswith("Downloaded")
    page.click("[data-action=pack-print]")
    page.locator("[data-pack-view] h2").first.wait_for()
    assert page.locator("[data-pack-view] h2").first.inner_text() == "Governance pack: Placement sufficiency"
