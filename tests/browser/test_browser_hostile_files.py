"""Hostile files in the tools that read a council's data or colleagues' files: markup and
spreadsheet formulas in column headings and in values (the data quality check, test and
monitor), and in answers, titles and file names (the data maturity team view, My project).

Whatever the file holds, the page shows it as text and runs none of it, the downloads carry it
as text (escaped in Markdown, and a formula escaped in a CSV so a spreadsheet shows it rather
than running it), and the figures are still the ones written here for the file made here.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from assessments.project.model import export_project
from support_browser import RUNTIME_TIMEOUT_MS, download_text, result_text
from support_records import PAYLOAD, hostile_record
from support_word import download_word

pytestmark = pytest.mark.browser

# Markup in a column heading that would run, or show bold, if a page put it in as HTML.
HEADING = '<img src=x onerror="window.__xss=1">Team'
# A column heading that is a formula, as a spreadsheet would run it.
FORMULA_HEADING = '=HYPERLINK("http://example.invalid/","Notes")'
# Values: markup in a group value, formulas (each of a spreadsheet's formula starts).
GROUPS = ("<b>North</b>", "<script>window.__xss=2</script>South")
FORMULAS = ("=1+1", "@SUM(A1:A2)", "+cmd", "-2+3")
LIVE = "[onerror], script, b, img"


def nothing_came_alive(page, region: str) -> None:
    assert page.evaluate("window.__xss") is None
    # Anywhere on the page: no handler from a file, no script of its; in the region, no element at all.
    assert page.evaluate("() => [...document.scripts].filter((s) => s.text.includes('__xss')).length") == 0
    assert page.locator("[onerror]").count() == 0
    assert page.locator(region).locator(LIVE).count() == 0, page.locator(region).inner_html()[:500]


def formula_cells(text: str) -> list[str]:
    """The cells of a CSV download a spreadsheet would run as a formula."""
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    return [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))
            or (cell.startswith("-") and not cell[1:].replace(".", "", 1).isdigit())]


# ----------------------------------------------------------------- data quality


def hostile_extract() -> bytes:
    """40 rows: 20 in each of two groups whose names are markup; every note a formula (10 of
    each kind); 10 outcomes missing (every fourth row). The counts below are worked out from this layout."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Child ID", HEADING, FORMULA_HEADING, "Outcome"])
    for i in range(40):
        writer.writerow([f"C{i:03d}", GROUPS[i % 2], FORMULAS[i // 10], "" if i % 4 == 3 else "NFA"])
    return out.getvalue().encode("utf-8")


def test_the_data_quality_check_shows_a_hostile_extract_as_text_and_escapes_its_formulas(page, site_url):
    page.goto(site_url + "tools/data-quality/")
    page.wait_for_selector("[data-data-check-controls]:not([hidden])")
    page.wait_for_function("() => document.querySelector('form[data-tool] [data-status]').textContent.startsWith('Result updated')",
                           timeout=RUNTIME_TIMEOUT_MS)
    page.locator("[name='identifier-column']").fill("Child ID")
    page.locator("[name='group-column']").fill(HEADING)
    page.locator("[data-data-check-file]").set_input_files(
        {"name": "<b>extract</b>.csv", "mimeType": "text/csv", "buffer": hostile_extract()})
    page.wait_for_function(
        "() => document.querySelector('[data-data-check-status]').textContent.startsWith('Checked “<b>extract</b>.csv”')",
        timeout=RUNTIME_TIMEOUT_MS)
    assert "40 rows" in page.locator("[data-data-check-status]").inner_text()
    region = "[data-data-check-report]"
    nothing_came_alive(page, region)
    shown = page.locator(region).inner_text()
    assert HEADING in shown and FORMULA_HEADING in shown  # the headings, as text

    report = json.loads(download_text(page, page.get_by_role("button", name="Download the report (JSON)")))
    findings = {(f["column"], f["check"]): f["rows"] for d in report["dimensions"] for f in d["findings"]}
    assert findings[(FORMULA_HEADING, "formula-text")] == 40  # every note, of all four kinds
    assert findings[("Outcome", "missing")] == 10

    findings_csv = download_text(page, page.get_by_role("button", name="Download the findings (CSV)"))
    assert formula_cells(findings_csv) == []
    assert "'" + FORMULA_HEADING in [cell for row in csv.reader(io.StringIO(findings_csv)) for cell in row]
    markdown = download_text(page, page.get_by_role("button", name="Download the report (Markdown)"))
    assert "<img" not in markdown and "<b>" not in markdown and "<script" not in markdown
    word = download_word(page, page.get_by_role("button", name="Download the report (Word)"))
    assert HEADING in word.text and FORMULA_HEADING in word.text  # text in a Word file is text

    # The example values, shown when the reader asks, are the file's markup as text too.
    page.get_by_label("Include example values").check()
    page.wait_for_function("() => document.querySelector('[data-data-check-report]').textContent.includes('Example values')",
                           timeout=RUNTIME_TIMEOUT_MS)
    nothing_came_alive(page, region)
    assert "=1+1" in page.locator(region).inner_text()
    with_examples = download_text(page, page.get_by_role("button", name="Download the findings (CSV)"))
    assert formula_cells(with_examples) == []


# -------------------------------------------------------------- test and monitor


CASE_GROUPS = ("<b>North</b>", '=HYPERLINK("http://example.invalid/","South")')


def hostile_cases() -> bytes:
    """400 cases, 200 in each of two groups named with markup and a formula. In each group,
    60 happened and were scored 0.8, 20 happened and were scored 0.2, 120 did not happen and
    were scored 0.2: precision 100%, recall 75% in both."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Case", "Outcome", "Risk score", HEADING])
    number = 0
    for name in CASE_GROUPS:
        for outcome, score, count in (("yes", "0.8", 60), ("yes", "0.2", 20), ("no", "0.2", 120)):
            for _ in range(count):
                writer.writerow([f"C{number}", outcome, score, name])
                number += 1
    return out.getvalue().encode("utf-8")


def test_test_and_monitor_shows_hostile_group_names_as_text_in_the_page_and_every_download(page, site_url):
    form = "form[data-tool='test-and-monitor']"
    page.goto(site_url + "tools/test-and-monitor/")
    page.wait_for_selector("[data-test-monitor-controls]:not([hidden])")
    for name, value in {"outcome-column": "Outcome", "score-column": "Risk score", "group-column-1": HEADING,
                        "min-group-size": "50"}.items():
        page.locator(f"{form} [name='{name}']").fill(value)
    page.locator("[data-test-monitor-file='current']").set_input_files(
        {"name": "<img src=x onerror=\"window.__xss=3\">.csv", "mimeType": "text/csv", "buffer": hostile_cases()})
    page.wait_for_function(
        "() => document.querySelector('[data-test-monitor] [data-test-monitor-status]').textContent.includes('Tested 400 cases')",
        timeout=RUNTIME_TIMEOUT_MS)
    region = "[data-test-monitor]"
    nothing_came_alive(page, region)
    shown = page.locator("[data-test-monitor-report]").first.inner_text()
    assert "<b>North</b>" in shown and '=HYPERLINK("http://example.invalid/","South")' in shown
    assert HEADING in shown

    report = json.loads(download_text(page, page.get_by_role("button", name="Download the report (JSON)")))
    text = json.dumps(report)
    assert "<b>North</b>" in text
    markdown = download_text(page, page.get_by_role("button", name="Download the report (Markdown)"))
    assert "<b>" not in markdown and "<img" not in markdown and "&lt;b>North&lt;/b>" in markdown
    word = download_word(page, page.get_by_role("button", name="Download the report (Word)"))
    assert "<b>North</b>" in word.text and HEADING in word.text
    # Precision 100% and recall 75% in each group, as worked out above.
    rows = [row for row in word.cells if row and row[0] in CASE_GROUPS]
    assert rows, word.cells
    for row in rows:
        assert "100.0%" in row and "75.0%" in row, row


# -------------------------------------------------------- the data maturity team view


def test_the_team_view_shows_hostile_colleague_files_as_text(page, site_url):
    form = "form[data-team-view]"
    record = hostile_record("data-maturity")
    # Two colleagues (saved on different days: the same file twice would count once).
    files = [{"name": f'<img src=x onerror="window.__xss=4">{n}.json', "mimeType": "application/json",
              "buffer": json.dumps({**record, "created": f"2026-11-2{n}T10:00:00Z"}).encode("utf-8")} for n in (1, 2)]
    # One more with markup in an answer name: not counted, and named with its reason.
    refused = {**record, "answers": {**record["answers"], PAYLOAD: "mostly"}}
    files.append({"name": "<b>colleague</b>.json", "mimeType": "application/json",
                  "buffer": json.dumps(refused).encode("utf-8")})
    page.goto(site_url + "tools/data-maturity-team/")
    page.set_input_files(f"{form} [data-action=team-files]", files=files)
    page.wait_for_function("(form) => document.querySelector(form + ' [data-status]').textContent.includes('counted')",
                           arg=form, timeout=RUNTIME_TIMEOUT_MS)
    nothing_came_alive(page, form)
    text = result_text(page, form) + page.locator(f"{form} [data-status]").inner_text()
    assert "2 respondents counted" in text
    assert "<b>colleague</b>.json" in text  # the refused file, named as text
    markdown = download_text(page, page.locator(f"{form} [data-action=team-download][data-format=markdown]"))
    assert "<img" not in markdown and "<b>" not in markdown and "<script" not in markdown


# ------------------------------------------------------------------------ My project


def test_my_project_loads_a_hostile_project_file_as_text(page, site_url, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    tools = {slug: hostile_record(slug)["answers"] for slug in ("data-maturity", "ethics-triage", "ethics-workbook",
                                                                "business-case", "user-needs", "transparency-record")}
    project = export_project(tools, PAYLOAD)
    path = tmp_path / "project.json"
    path.write_text(json.dumps(project), "utf-8")
    page.goto(site_url + "tools/my-project/")
    page.wait_for_function("() => document.querySelector('[data-project] [data-status]').textContent.startsWith('Updated:')",
                           timeout=RUNTIME_TIMEOUT_MS)
    page.check("#my-project--replace")
    page.set_input_files("[data-action=project-load]", str(path))
    page.wait_for_function("() => document.querySelector('[data-project] [data-status]').textContent.startsWith('Loaded')",
                           timeout=RUNTIME_TIMEOUT_MS)
    nothing_came_alive(page, "[data-project]")
    shown = page.locator("[data-project]").inner_text()
    assert "Tools changed:" in shown
    # What was stored is the file's text, exactly: markup is kept as typed, never run.
    stored = page.evaluate("() => Object.values(localStorage)")
    assert json.dumps(PAYLOAD) in stored

    # A file refused for markup in an answer's name says so as text, and changes nothing.
    before = page.evaluate("() => JSON.stringify(Object.entries(localStorage))")
    refused = export_project({"ethics-triage": hostile_record("ethics-triage")["answers"]}, "Refused")
    refused["tools"]["ethics-triage"]["answers"][PAYLOAD] = "yes"
    page.set_input_files("[data-action=project-load]", {"name": "<b>bad.json", "mimeType": "application/json",
                                                        "buffer": json.dumps(refused).encode("utf-8")})
    message = page.locator("[data-project] [data-message]")
    message.filter(has_text="Nothing in this browser has been changed.").wait_for(timeout=RUNTIME_TIMEOUT_MS)
    nothing_came_alive(page, "[data-project]")
    assert PAYLOAD[:20] in message.inner_text()
    assert page.evaluate("() => JSON.stringify(Object.entries(localStorage))") == before
