"""The "My project" page, end to end in Chromium: every tool's state, one project file
downloaded, and loaded back by replacing or merging, or refused without changing anything."""

from __future__ import annotations

import json

import pytest

from assessments.data_maturity.model import load_data_maturity_bank
from assessments.ethics_workbook.model import load_workbook_bank
from assessments.project.model import export_project
from support_records import export_record
from assessments.tools import TOOLS
from support_browser import RUNTIME_TIMEOUT_MS, axe_violations, saved_answers, wait_for_result, wait_for_theme

pytestmark = pytest.mark.browser

PAGE = "tools/my-project/"
PREFIX = "cssc-guide:v1:"  # what the releases before this one saved: one value per tool
MATURITY_BANK = load_data_maturity_bank()
ESTABLISHED = next(e for e in MATURITY_BANK.examples if e.expected_overall_level == "established")
LEADING = next(e for e in MATURITY_BANK.examples if e.expected_overall_level == "leading")
WORKBOOK_BANK = load_workbook_bank()
UNDER_WAY = next(e for e in WORKBOOK_BANK.examples if e.name == "Explore agreed with the oversight group, Develop under way")
WORKBOOK_SUMMARY = "9 of 27 questions discussed and agreed; 15 not started."
TRIAGE_LOCAL = {"analytics-type": "diagnostic"}


# ------------------------------------------------------------------------- helpers


class Dialogs:
    """Accepts every dialog (or dismisses the next confirm) and keeps their messages."""

    def __init__(self, page) -> None:
        self.messages: list[tuple[str, str]] = []
        self.dismiss_next_confirm = False
        page.on("dialog", self._handle)

    def _handle(self, dialog) -> None:
        self.messages.append((dialog.type, dialog.message))
        if dialog.type == "confirm" and self.dismiss_next_confirm:
            self.dismiss_next_confirm = False
            dialog.dismiss()
        else:
            dialog.accept()

    @property
    def confirms(self) -> list[str]:
        return [message for kind, message in self.messages if kind == "confirm"]


def storage(page) -> dict[str, str]:
    return page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")


def stored_answers(page, slug: str):
    return saved_answers(page, slug) or None


def status(page) -> str:
    return page.locator("[data-project] [data-status]").inner_text()


def message(page):
    return page.locator("[data-project] [data-message]")


def row(page, slug: str):
    return page.locator(f'[data-project-tool="{slug}"]')


def open_project(page, site_url) -> None:
    page.goto(site_url + PAGE)
    wait_for_status(page, "Updated:")
    wait_for_theme(page)  # which follows Python's first answer, and keeps the reader's palette


def wait_for_status(page, start: str) -> None:
    page.wait_for_function("start => document.querySelector('[data-project] [data-status]').textContent"
                           ".startsWith(start)", arg=start, timeout=RUNTIME_TIMEOUT_MS)


def load(page, path, mode: str = "replace") -> None:
    page.check(f"#my-project--{mode}")
    page.set_input_files("[data-action=project-load]", str(path))


def fill_maturity(page, site_url, answers) -> None:
    page.goto(site_url + "tools/data-maturity/")
    for statement, option in answers.items():
        page.check(f"#data-maturity--{statement}--{option}")
    wait_for_result(page, text="Overall data maturity")


def fill_workbook(page, site_url, answers) -> None:
    page.goto(site_url + "tools/ethics-workbook/")
    for name, value in answers.items():
        control = page.locator(f"#ethics-workbook--{name}")
        if name.endswith("--status"):
            control.select_option(value)
        else:
            control.fill(value)
    wait_for_result(page, text=WORKBOOK_SUMMARY)


def workbook_form(page) -> dict:
    return page.evaluate("""() => {
        const answers = {};
        for (const c of document.querySelector('form[data-tool="ethics-workbook"]').elements) {
            if (c.name && c.type !== 'file' && c.value !== '') answers[c.name] = c.value;
        }
        return answers;
    }""")


def project_file(tmp_path, tools: dict, name: str = "project.json", **changes):
    saved = {**export_project(tools, "Family context tool"), **changes}
    path = tmp_path / name
    path.write_text(json.dumps(saved), "utf-8")
    return path


FILE_TOOLS = {"data-maturity": dict(ESTABLISHED.answers), "ethics-workbook": dict(UNDER_WAY.answers)}


# --------------------------------------------------------------------------- tests


def test_fill_two_tools_download_clear_and_replace_brings_every_answer_back(page, site_url, tmp_path):
    dialogs = Dialogs(page)
    fill_maturity(page, site_url, ESTABLISHED.answers)
    fill_workbook(page, site_url, UNDER_WAY.answers)

    open_project(page, site_url)
    assert status(page) == f"Updated: 2 of {len(TOOLS)} tools have answers saved in this browser."
    assert row(page, "data-maturity").get_attribute("data-saved") == "saved"
    assert row(page, "data-maturity").locator("td").all_inner_texts() == ["Yes", "Overall Established."]
    assert row(page, "ethics-workbook").locator("td").all_inner_texts() == ["Yes", WORKBOOK_SUMMARY]
    for slug in set(TOOLS) - {"data-maturity", "ethics-workbook"}:
        assert row(page, slug).locator("td").first.inner_text() == "No", slug
    duplicates = page.evaluate("""() => { const seen = {}; for (const e of document.querySelectorAll('[id]'))
        seen[e.id] = (seen[e.id] || 0) + 1; return Object.keys(seen).filter(id => seen[id] > 1); }""")
    assert duplicates == []
    href = row(page, "ethics-workbook").locator("a").get_attribute("href")
    assert href == site_url + "tools/ethics-workbook/" and page.request.get(href).ok

    page.fill("#my-project--title", "Family context tool")
    with page.expect_download() as download_info:
        page.click("[data-action=project-download]")
    download = download_info.value
    assert download.suggested_filename.startswith("project-family-context-tool-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    project = json.loads(saved.read_text("utf-8"))
    assert project["format"] == "cssc-analytics-guide/project" and project["title"] == "Family context tool"
    assert {slug: entry["answers"] for slug, entry in project["tools"].items()} == FILE_TOOLS

    page.evaluate("() => localStorage.clear()")
    page.reload()
    wait_for_status(page, "Updated: 0 of")
    assert row(page, "data-maturity").locator("td").first.inner_text() == "No"

    load(page, saved, "replace")
    wait_for_status(page, "Loaded")
    assert status(page).startswith(f"Loaded \u201c{download.suggested_filename}\u201d. The file replaced the answers")
    assert "Tools that will change: Data maturity self-assessment, Ethics workbook." in dialogs.confirms[-1]
    assert row(page, "data-maturity").get_attribute("data-saved") == "saved"
    assert page.input_value("#my-project--title") == "Family context tool"

    page.goto(site_url + "tools/data-maturity/")
    wait_for_result(page, text="Overall data maturity: Established")
    for statement, option in ESTABLISHED.answers.items():
        assert page.is_checked(f"#data-maturity--{statement}--{option}"), statement
    page.goto(site_url + "tools/ethics-workbook/")
    wait_for_result(page, text=WORKBOOK_SUMMARY)
    assert workbook_form(page) == dict(UNDER_WAY.answers)


def test_merge_keeps_a_tool_answered_only_here_and_replace_clears_it(page, site_url, tmp_path):
    dialogs = Dialogs(page)
    page.goto(site_url + "tools/ethics-triage/")
    page.check("#ethics-triage--analytics-type--diagnostic")
    wait_for_result(page, text="Risk level so far")
    saved = project_file(tmp_path, FILE_TOOLS)

    open_project(page, site_url)
    assert row(page, "ethics-triage").get_attribute("data-saved") == "saved"
    load(page, saved, "merge")
    wait_for_status(page, "Loaded")
    assert dialogs.confirms[-1].startswith("Merge this file into the answers saved in this browser?")
    assert "cleared" not in dialogs.confirms[-1]
    assert "Tools changed: Data maturity self-assessment, Ethics workbook." in status(page)
    assert stored_answers(page, "ethics-triage") == TRIAGE_LOCAL
    assert stored_answers(page, "ethics-workbook") == dict(UNDER_WAY.answers)
    for slug in ("ethics-triage", "data-maturity", "ethics-workbook"):
        assert row(page, slug).get_attribute("data-saved") == "saved", slug

    load(page, saved, "replace")
    page.wait_for_function("() => document.querySelector('[data-project-tool=\"ethics-triage\"]')"
                           ".dataset.saved === 'empty'", timeout=RUNTIME_TIMEOUT_MS)
    assert ("Tools that will be cleared, because they are not in the file: Ethics triage."
            in dialogs.confirms[-1])
    assert stored_answers(page, "ethics-triage") is None
    # Nor is the result worked out from the answers replaced kept.
    assert page.evaluate("() => localStorage.getItem('cssc-guide:v1:result:ethics-triage')") is None
    page.goto(site_url + "tools/ethics-triage/")
    wait_for_result(page)
    assert not page.is_checked("#ethics-triage--analytics-type--diagnostic")


def test_a_bad_project_file_or_a_refusal_changes_nothing(page, site_url, tmp_path):
    dialogs = Dialogs(page)
    page.goto(site_url + "about/")  # the same storage, saved in before the project page reads it
    page.evaluate("""([prefix, maturity]) => {
        localStorage.setItem(prefix + 'data-maturity', JSON.stringify(maturity));
        localStorage.setItem(prefix + 'exported:data-maturity', 'not ours to touch');
        localStorage.setItem('another-site-part', 'not ours either');
    }""", [PREFIX, dict(LEADING.answers)])
    open_project(page, site_url)
    wait_for_status(page, "Updated: 1 of")
    before = storage(page)

    invalid = {**export_project(FILE_TOOLS)}
    invalid["tools"]["ethics-workbook"]["answers"]["explore-fairness--status"] = "finished"
    bad_files = {
        "broken.json": ("{not json", "not valid JSON"),
        "invalid.json": (json.dumps(invalid), "The file's answers for the Ethics workbook cannot be used"),
        "newer.json": (json.dumps({**export_project(FILE_TOOLS), "format_version": 99}), "newer version"),
        "nothing.json": (json.dumps({**export_project(FILE_TOOLS), "tools": {"spreadsheet": {"answers": {}}}}),
                         "no answers for any tool in this guide"),
        "huge.json": ('{"a": "' + "x" * 10_000_000 + '"}', "too large"),
    }
    for name, (text, words) in bad_files.items():
        path = tmp_path / name
        path.write_text(text, "utf-8")
        load(page, path, "replace")
        message(page).filter(has_text=words).wait_for()
        assert "Nothing in this browser has been changed." in message(page).inner_text()
        assert storage(page) == before, name
    assert dialogs.confirms == []  # nothing was ever about to be written

    dialogs.dismiss_next_confirm = True
    load(page, project_file(tmp_path, FILE_TOOLS), "replace")
    page.locator("[data-project] [data-status]").filter(has_text="was not loaded").wait_for()
    assert len(dialogs.confirms) == 1
    assert storage(page) == before


def test_loading_touches_only_the_tools_keys_and_a_single_tools_file_loads_as_a_project(page, site_url, tmp_path):
    """On one page:
    - replacing with a project file writes only the tools' keys, leaving every other key as it was;
    - a single tool's file, merged in, loads as a project with that tool and its result shown."""
    Dialogs(page)
    open_project(page, site_url)
    others = {PREFIX + "exported:ethics-workbook": "{}", PREFIX + "not-a-tool": "[1]", "unrelated": "kept"}
    page.evaluate("others => { for (const [k, v] of Object.entries(others)) localStorage.setItem(k, v); }", others)
    before = storage(page)  # with the theme's own keys (its palette choice)
    load(page, project_file(tmp_path, FILE_TOOLS), "replace")
    wait_for_status(page, "Loaded")
    after = storage(page)
    assert {key: after.get(key) for key in others} == others
    assert {key: value for key, value in after.items() if key in before} == before
    new_keys = set(after) - set(before)
    assert new_keys and all(key.startswith(("cssc-guide:v2:data-maturity:", "cssc-guide:v2:ethics-workbook:"))
                            for key in new_keys)
    # A single tool's file, merged in: loaded as a project with that tool.
    record = tmp_path / "data-maturity-2026-11-24.json"
    record.write_text(json.dumps(export_record("data-maturity", dict(LEADING.answers))), "utf-8")
    load(page, record, "merge")
    page.locator("[data-project] [data-status]").filter(has_text="a file for one tool").wait_for()
    assert "a file for one tool, the Data maturity self-assessment" in status(page)
    assert row(page, "data-maturity").locator("td").all_inner_texts() == ["Yes", "Overall Leading."]


def test_a_full_storage_writes_nothing_and_says_so(page, site_url, tmp_path):
    Dialogs(page)
    open_project(page, site_url)
    # Saved here: the leading maturity answers. The file changes them (a write of the same
    # size, which succeeds) and adds a long workbook (which does not fit).
    page.evaluate("([key, value]) => localStorage.setItem(key, value)",
                  [PREFIX + "data-maturity", json.dumps(dict(LEADING.answers))])
    filled = page.evaluate("""() => {
        let count = 0;
        for (let size = 1 << 20; size >= 4096; size >>= 1) {
            try { for (;;) { localStorage.setItem('test-filler-' + count, 'x'.repeat(size)); count++; } }
            catch { /* full at this size: try a smaller one */ }
        }
        return count;
    }""")
    assert filled > 0
    before = storage(page)
    long_workbook = {f"{q}--answer": "y" * 4_000 for q in WORKBOOK_BANK.questions}
    saved = project_file(tmp_path, {"data-maturity": dict(ESTABLISHED.answers), "ethics-workbook": long_workbook})
    load(page, saved, "replace")
    message(page).filter(has_text="storage for this site is full").wait_for()
    assert "nothing has been changed" in message(page).inner_text()
    assert storage(page) == before
    page.evaluate("() => { for (const key of Object.keys(localStorage)) "
                  "if (key.startsWith('test-filler-')) localStorage.removeItem(key); }")


def test_without_javascript_the_page_links_every_tool_and_says_what_it_needs(open_page, site_url):
    page, problems = open_page(java_script_enabled=False)
    page.goto(site_url + PAGE)
    assert page.locator(".cssc-tool__nojs").is_visible()
    assert "needs JavaScript" in page.locator(".cssc-tool__nojs").inner_text()
    assert page.locator("[data-action=project-download]").is_hidden()
    links = page.locator("[data-project-summary] a")
    assert links.all_inner_texts() == [tool.title for tool in TOOLS.values()]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violations_with_tools_saved_or_a_button_hovered_or_focused(open_page, site_url, scheme):
    """In each colour scheme, the page passes the accessibility audit:
    - as first opened, and with a button under the pointer, then with a button focused from
      the keyboard (the theme fills it with its accent colour, too light for white text,
      WCAG 1.4.3: the reader must still read it);
    - with tools saved, one of them unreadable, and a bad file's message shown."""
    page, problems = open_page(color_scheme=scheme)
    page.goto(site_url + PAGE)
    wait_for_status(page, "Updated:")
    assert axe_violations(page) == []
    button = page.locator("[data-action=project-download]")
    button.hover()
    assert axe_violations(page) == []
    page.mouse.move(0, 0)
    button.focus()
    assert axe_violations(page) == []
    page.evaluate("""([prefix, maturity]) => {
        localStorage.setItem(prefix + 'data-maturity', JSON.stringify(maturity));
        localStorage.setItem(prefix + 'ethics-triage', 'not json');
    }""", [PREFIX, dict(LEADING.answers)])
    page.reload()
    wait_for_status(page, "Updated: 2 of")
    assert row(page, "ethics-triage").get_attribute("data-saved") == "unreadable"
    page.set_input_files("[data-action=project-load]", {"name": "bad.json", "mimeType": "application/json",
                                                         "buffer": b"{not json"})
    message(page).filter(has_text="not valid JSON").wait_for()
    assert axe_violations(page) == []


