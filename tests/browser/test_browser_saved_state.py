"""Saved answers survive a release of the guide and follow each other across open tabs.

The release test builds the site as it is, saves answers in it, then serves, at the same
address, a build whose data maturity bank renamed an option and removed a statement (with
a migration saying so) and reloads, as a reader would after their council updated the
guide. The tab tests open two tabs of the same browser on one tool.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assessments.tools import TOOLS
from support_browser import (
    ROOT,
    QuietHandler,
    axe_violations,
    another_tab,
    save_answers,
    saved_answers,
    serve,
    server_url,
    wait_for_result,
)

pytestmark = pytest.mark.browser

MATURITY = "tools/data-maturity/"
# The release the tests build next: this one's data maturity questions, one version on.
CURRENT = TOOLS["data-maturity"].version
NEXT = ".".join([CURRENT.split(".")[0], str(int(CURRENT.split(".")[1]) + 1), "0"])
REMOVED_TEXT = "Practitioners can see data about their own work and find it useful."
REASON = "It is now part of the statement about team and service managers."
MIGRATION = f"""

[[migrations]]
from = "{CURRENT}"
to = "{NEXT}"
renamed_options = {{ "*" = {{ "in-places" = "in-some-places" }} }}

[[migrations.removed]]
id = "practitioners-see-data"
text = "{REMOVED_TEXT}"
reason = "{REASON}"
"""


def next_release_bank(text: str) -> str:
    """The data maturity bank as a next release might change it: an option renamed, a statement removed."""
    text = text.replace(f'version = "{CURRENT}"', f'version = "{NEXT}"', 1)
    text = text.replace('"in-places"', '"in-some-places"')
    statement = text.index('id = "practitioners-see-data"')
    start = text.rindex("[[components.statements]]", 0, statement)
    end = text.index("[[components.statements]]", statement)
    text = text[:start] + text[end:]
    text = text.replace('practitioners-see-data = ""\n', "")
    assert "practitioners-see-data" not in text
    return text + MIGRATION


def build_next_release(work: Path) -> Path:
    """This project with the next release's bank, built into work/site (same hooks, same runtime)."""
    source = work / "project"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", "node_modules", "site", ".git", ".pytest_cache", ".hypothesis", "tests", "bench", "__pycache__"))
    (source / "node_modules").symlink_to(ROOT / "node_modules")
    bank = source / "assessments" / "banks" / "data-maturity.toml"
    bank.write_text(next_release_bank(bank.read_text("utf-8")), "utf-8")
    # The copy's `assessments` package is the one imported (by the build and into the wheel).
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(source)}
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(work / "site")],
                           cwd=source, env=env, capture_output=True, text=True)
    assert built.returncode == 0, f"mkdocs build failed:\n{built.stdout}\n{built.stderr}"
    return work / "site"


class FreshHandler(QuietHandler):
    """Every file checked with the server on each use, as after a site update."""

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


@pytest.fixture(scope="module")
def two_releases(site_dir, tmp_path_factory):
    """(switch to the next release, origin, url): one address serving this release, then the next."""
    work = tmp_path_factory.mktemp("release")
    next_site = build_next_release(work)
    served = work / "served"
    served.mkdir()
    (served / "guide").symlink_to(site_dir, target_is_directory=True)

    def switch():
        link = served / "guide-next"
        link.symlink_to(next_site, target_is_directory=True)
        os.replace(link, served / "guide")

    server = serve(served, FreshHandler)
    yield switch, server_url(server), server_url(server) + "guide/"
    server.shutdown()
    server.server_close()


def raw_saved(page, slug: str) -> dict[str, str]:
    return page.evaluate("""slug => Object.fromEntries(Object.entries(localStorage)
        .filter(([key]) => key.startsWith(`cssc-guide:v2:${slug}:answer:`)))""", slug)


def test_a_release_that_renames_an_option_and_removes_a_statement_keeps_the_rest_and_says_what_went(
        open_page, two_releases, tmp_path):
    switch, origin, url = two_releases
    page, _problems = open_page(site=origin)
    page.goto(url + MATURITY)
    wait_for_result(page)
    page.check("#data-maturity--leaders-use-data--in-places")
    page.check("#data-maturity--practitioners-see-data--mostly")
    page.check("#data-maturity--managers-use-performance-data--embedded")
    wait_for_result(page, text="Not answered yet (27)")
    before = raw_saved(page, "data-maturity")
    assert len(before) == 3

    switch()
    page.reload()
    wait_for_result(page, text="Not answered yet (27)")  # 29 statements now, 2 of the 3 answers carried over
    assert page.locator("[data-result]").get_attribute("data-result-from") == "python"
    # The renamed option carried over; the removed statement is gone from the page and named.
    assert page.is_checked("#data-maturity--leaders-use-data--in-some-places")
    assert page.is_checked("#data-maturity--managers-use-performance-data--embedded")
    assert page.locator("#data-maturity--practitioners-see-data--mostly").count() == 0
    notice = page.locator("[data-update-notice]")
    assert notice.is_visible()
    assert notice.locator("li").all_inner_texts() == [
        f"Your answer to \u201c{REMOVED_TEXT}\u201d no longer applies and was left out: {REASON}"]
    assert saved_answers(page, "data-maturity") == {"leaders-use-data": "in-some-places",
                                                    "managers-use-performance-data": "embedded"}
    assert axe_violations(page) == []

    # The answers as they were before the update, byte for byte, until the notice is dismissed.
    with page.expect_download() as download:
        page.click("[data-action=download-before-update]")
    text = Path(download.value.path()).read_text("utf-8")
    assert download.value.suggested_filename.startswith("data-maturity-before-update-")
    prefix = "cssc-guide:v2:data-maturity:answer:"
    for key, raw in before.items():
        assert f"{json.dumps(key.removeprefix(prefix))}:{raw}" in text
    assert json.loads(text)["answers"] == {key.removeprefix(prefix): json.loads(raw) for key, raw in before.items()}
    # It is the tool's own record, stamped with the version the answers were saved with...
    record = json.loads(text)
    assert (record["format"], record["tool"], record["bank_version"]) == (
        "cssc-analytics-guide/record", "data-maturity", CURRENT)
    # ...so Load JSON takes it back through the same upgrade, with the same notice.
    page.check("#data-maturity--leaders-use-data--embedded")
    wait_for_result(page)
    saved_file = tmp_path / download.value.suggested_filename
    saved_file.write_text(text, "utf-8")
    page.set_input_files("[data-action=load]", str(saved_file))
    page.wait_for_function("name => document.querySelector('[data-status]').textContent.includes(name)",
                           arg=saved_file.name)
    status = page.locator("[data-status]").inner_text()
    assert f"Your answer to \u201c{REMOVED_TEXT}\u201d no longer applies and was left out: {REASON}" in status
    assert page.is_checked("#data-maturity--leaders-use-data--in-some-places")
    assert saved_answers(page, "data-maturity") == {"leaders-use-data": "in-some-places",
                                                    "managers-use-performance-data": "embedded"}

    page.reload()  # the notice stays until it is dismissed
    wait_for_result(page, text="Not answered yet (27)")
    assert notice.is_visible()
    page.click("[data-action=dismiss-update-notice]")
    assert notice.is_hidden()
    page.reload()
    wait_for_result(page, text="Not answered yet (27)")
    assert notice.is_hidden()
    assert page.is_checked("#data-maturity--leaders-use-data--in-some-places")


def test_damaged_storage_is_set_aside_not_deleted_and_the_tool_still_gives_a_result(page, site_url):
    page.goto(site_url + "about/")  # same origin, so the same storage
    page.evaluate("""() => {
        localStorage.setItem('cssc-guide:v2:data-maturity:answer:leaders-use-data', '"mostly"');
        localStorage.setItem('cssc-guide:v2:data-maturity:answer:managers-use-performance-data', '{not json');
        localStorage.setItem('cssc-guide:v2:data-maturity:saved-with', '{"tool": "data-maturity", "bank_version": "1.0.0"}');
    }""")
    page.goto(site_url + MATURITY)
    wait_for_result(page, text="Not answered yet (29)")
    assert page.is_checked("#data-maturity--leaders-use-data--mostly")
    notice = page.locator("[data-update-notice]")
    assert "damaged and could not be read" in notice.inner_text()
    with page.expect_download() as download:
        page.click("[data-action=download-before-update]")
    assert '"cssc-guide:v2:data-maturity:answer:managers-use-performance-data":"{not json"' in \
        Path(download.value.path()).read_text("utf-8")


def test_saved_answers_of_the_wrong_shape_are_left_out_by_name_and_the_rest_still_scored(page, site_url):
    page.goto(site_url + "about/")
    # Saved for the current version of the questions, so only Python can tell it does not fit.
    save_answers(page, "data-maturity", {"leaders-use-data": "mostly", "data-trusted": {"edited": "by hand"}})
    save_answers(page, "user-needs", {"row-1--user": "Team managers", "row-60--user": "Beyond the last row"})
    page.goto(site_url + MATURITY)
    wait_for_result(page, text="Not answered yet (29)")
    assert page.is_checked("#data-maturity--leaders-use-data--mostly")
    items = page.locator("[data-update-notice] li").all_inner_texts()
    assert len(items) == 1 and "People trust the figures they are given enough to act on them." in items[0]
    assert saved_answers(page, "data-maturity") == {"leaders-use-data": "mostly"}
    page.goto(site_url + "tools/user-needs/")
    wait_for_result(page, text="Team managers")
    assert "\u201crow-60--user\u201d" in page.locator("[data-update-notice] li").inner_text()
    assert saved_answers(page, "user-needs") == {"row-1--user": "Team managers"}


# ----------------------------------------------------------------------------- two tabs


def two_tabs(open_page, url: str, path: str):
    """Two tabs of one browser on the same tool, each with Python's result."""
    first, _problems = open_page(site=url)
    tabs = [first, another_tab(first)]
    for tab in tabs:
        tab.goto(url + path)
        wait_for_result(tab)
    return tabs


def wait_checked(page, selector: str) -> None:
    page.wait_for_function("s => document.querySelector(s)?.checked", arg=selector)


def test_two_tabs_of_a_scored_tool_keep_both_answers_and_the_later_of_the_same_one(open_page, site_url):
    first, second = two_tabs(open_page, site_url, MATURITY)
    first.check("#data-maturity--leaders-use-data--mostly")
    second.check("#data-maturity--managers-use-performance-data--partly")
    wait_checked(first, "#data-maturity--managers-use-performance-data--partly")
    wait_checked(second, "#data-maturity--leaders-use-data--mostly")
    # Each tab's result follows: both answers count in both.
    wait_for_result(first, text="Not answered yet (28)")
    wait_for_result(second, text="Not answered yet (28)")
    # The same statement in both tabs: the later answer, shown in both.
    first.check("#data-maturity--leaders-use-data--partly")
    wait_checked(second, "#data-maturity--leaders-use-data--partly")
    second.check("#data-maturity--leaders-use-data--embedded")
    wait_checked(first, "#data-maturity--leaders-use-data--embedded")
    assert saved_answers(first, "data-maturity") == {"leaders-use-data": "embedded",
                                                     "managers-use-performance-data": "partly"}
    first.reload()
    wait_for_result(first, text="Not answered yet (28)")
    assert first.is_checked("#data-maturity--leaders-use-data--embedded")
    assert first.is_checked("#data-maturity--managers-use-performance-data--partly")


def test_two_tabs_of_the_user_needs_table_keep_the_rows_added_in_each_and_what_is_being_typed(open_page, site_url):
    first, second = two_tabs(open_page, site_url, "tools/user-needs/")
    first.fill("#user-needs--row-1--user", "Social workers")
    second.wait_for_function("() => document.querySelector('#user-needs--row-1--user').value === 'Social workers'")
    rows = "[data-repeater-rows] > [data-repeater-row]"
    blank = first.locator(rows).count()
    # A row added and filled in the second tab appears in the first...
    second.click("[data-repeater-add]")
    while second.locator(f"#user-needs--row-{blank + 1}--user").count() == 0:
        second.click("[data-repeater-add]")
    second.fill(f"#user-needs--row-{blank + 1}--user", "Families")
    first.wait_for_function("n => document.querySelector(`#user-needs--row-${n}--user`)?.value === 'Families'",
                            arg=blank + 1)
    # ...while the first tab's reader is typing in a field: what they type is kept.
    first.click("#user-needs--row-1--objective")
    first.keyboard.type("Plan vis")
    second.fill(f"#user-needs--row-{blank + 1}--needs", "To be heard")
    first.wait_for_function("n => document.querySelector(`#user-needs--row-${n}--needs`)?.value === 'To be heard'",
                            arg=blank + 1)
    first.keyboard.type("its")
    assert first.input_value("#user-needs--row-1--objective") == "Plan visits"
    # A row added in the first tab appears in the second.
    first.click("[data-repeater-add]")
    first.fill(f"#user-needs--row-{blank + 2}--user", "Team managers")
    second.wait_for_function("n => document.querySelector(`#user-needs--row-${n}--user`)?.value === 'Team managers'",
                             arg=blank + 2)
    second.wait_for_function("() => document.querySelector('#user-needs--row-1--objective').value === 'Plan visits'")
    for tab in (first, second):
        # (Not wait_for_result: the status may still start with "User … added.")
        tab.wait_for_function("() => { const result = document.querySelector('[data-result]');"
                              " return !result.hasAttribute('aria-busy') && result.textContent.includes('Team managers'); }")
        assert saved_answers(tab, "user-needs") == {
            "row-1--user": "Social workers", "row-1--objective": "Plan visits",
            f"row-{blank + 1}--user": "Families", f"row-{blank + 1}--needs": "To be heard",
            f"row-{blank + 2}--user": "Team managers"}


def test_my_project_follows_answers_given_in_another_tab(open_page, site_url):
    project, _problems = open_page()
    project.goto(site_url + "tools/my-project/")
    row = project.locator('[data-project-tool="data-maturity"]')
    row.wait_for()
    project.wait_for_function("() => document.querySelector('[data-project] [data-status]').textContent"
                              ".startsWith('Updated:')")
    assert row.get_attribute("data-saved") != "saved"
    tool = another_tab(project)
    tool.goto(site_url + MATURITY)
    wait_for_result(tool)
    tool.check("#data-maturity--leaders-use-data--mostly")
    project.wait_for_function("() => document.querySelector('[data-project-tool=\"data-maturity\"]')"
                              ".dataset.saved === 'saved'")
    assert TOOLS["data-maturity"].title in row.inner_text()


def test_the_business_case_follows_the_user_needs_table_changed_in_another_tab(open_page, site_url):
    case, _problems = open_page()
    case.goto(site_url + "tools/business-case/")
    wait_for_result(case)
    summary = '[data-summary="user-needs"]'
    assert case.locator(summary).get_attribute("data-available") != "true"
    table = another_tab(case)
    table.goto(site_url + "tools/user-needs/")
    wait_for_result(table)
    table.fill("#user-needs--row-1--user", "Social workers")
    case.wait_for_function("s => document.querySelector(s)?.dataset.available === 'true'", arg=summary)
    assert "1 user in the table" in case.locator(".cssc-bc__evidence").inner_text()


# ------------------------------------------------- what the previous release saved


RELEASED = ROOT / "tests" / "fixtures" / "releases" / "1.0.0"


def released_storage(slug: str) -> dict[str, str]:
    return json.loads((RELEASED / slug / "storage.json").read_text("utf-8"))


def test_my_project_shows_answers_the_previous_release_saved_brought_up_to_date(page, site_url):
    page.goto(site_url + "about/")
    for slug in ("ethics-triage", "transparency-record", "data-maturity"):
        for key, value in released_storage(slug).items():
            page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, value])
    page.goto(site_url + "tools/my-project/")
    page.wait_for_function("() => document.querySelector('[data-project] [data-status]').textContent"
                           ".startsWith('Updated:')")
    for slug in ("ethics-triage", "transparency-record", "data-maturity"):
        row = page.locator(f'[data-project-tool="{slug}"]')
        assert row.get_attribute("data-saved") == "saved", slug
        assert row.get_attribute("data-upgraded") == "true", slug
        assert "Cannot be read" not in row.inner_text()
    triage = page.locator('[data-project-tool="ethics-triage"]').inner_text()
    assert ("Saved with an earlier version of this guide, and shown here as brought up to date: Your answer to "
            "\u201cWhat is your directorate\u2019s overall data maturity level?\u201d was carried over") in triage
    assert "follows version 3.0 of the standard" in page.locator('[data-project-tool="transparency-record"]').inner_text()
    # The page only reads: what the previous release saved is still there, for the tools' own pages.
    assert page.evaluate("() => localStorage.getItem('cssc-guide:v1:ethics-triage')") is not None
    assert axe_violations(page) == []
    # The project file holds them brought up to date.
    with page.expect_download() as download:
        page.click("[data-action=project-download]")
    project = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert project["tools"]["ethics-triage"]["answers"]["data-maturity"] == "learning"


def test_a_tab_still_on_the_previous_release_keeps_writing_and_nothing_it_writes_is_lost(open_page, site_url):
    triage = "tools/ethics-triage/"
    page, _problems = open_page()
    page.goto(site_url + triage)
    wait_for_result(page)
    page.fill("#ethics-triage--use-case-name--answer", "Placement dashboard")
    wait_for_result(page)
    old = json.loads(released_storage("ethics-triage")["cssc-guide:v1:ethics-triage"])
    assert old["data-maturity"] == "developing"  # an option this release calls "learning"
    # A second tab, still running the previous release, saves its answers its own way.
    old_tab = another_tab(page)
    old_tab.goto(site_url + "about/")
    write_old = "value => localStorage.setItem('cssc-guide:v1:ethics-triage', JSON.stringify(value))"
    old_tab.evaluate(write_old, {"data-maturity": "developing", "use-case-name": "Placement dashboard"})
    wait_checked(page, "#ethics-triage--data-maturity--learning")
    notice = page.locator("[data-update-notice]")
    notice.wait_for()
    assert "Another tab is still showing the earlier version of this guide." in notice.inner_text()
    assert saved_answers(page, "ethics-triage") == {"use-case-name": "Placement dashboard", "data-maturity": "learning"}
    assert page.evaluate("() => localStorage.getItem('cssc-guide:v1:ethics-triage')") is None

    # The reader changes an answer here; the old tab then changes another one. Each later
    # change is kept: the old tab's stale copy of the first does not come back.
    page.check("#ethics-triage--data-maturity--established")
    wait_for_result(page)
    old_tab.evaluate(write_old, {"data-maturity": "developing", "use-case-name": "Placement sufficiency dashboard"})
    page.wait_for_function("() => document.querySelector('#ethics-triage--use-case-name--answer').value"
                           " === 'Placement sufficiency dashboard'")
    assert page.is_checked("#ethics-triage--data-maturity--established")
    expected = {"use-case-name": "Placement sufficiency dashboard", "data-maturity": "established"}
    assert saved_answers(page, "ethics-triage") == expected
    # What the old tab wrote last stays downloadable, exactly as it wrote it.
    with page.expect_download() as download:
        page.click("[data-action=download-before-update]")
    text = Path(download.value.path()).read_text("utf-8")
    assert '"answers":{"data-maturity":"developing","use-case-name":"Placement sufficiency dashboard"}' in text

    # Written while this page was closed: carried over when it opens.
    page.goto(site_url + "about/")
    old_tab.evaluate(write_old, {"data-maturity": "leading", "use-case-name": "Placement sufficiency dashboard"})
    page.goto(site_url + triage)
    wait_checked(page, "#ethics-triage--data-maturity--leading")
    wait_for_result(page)
    assert saved_answers(page, "ethics-triage") == {**expected, "data-maturity": "leading"}


def test_rows_added_in_two_tabs_before_either_saw_the_other_both_survive_in_both_tabs_and_after_reload(open_page, site_url):
    first, second = two_tabs(open_page, site_url, "tools/user-needs/")
    rows = "[data-repeater-rows] > [data-repeater-row]"
    blank = first.locator(rows).count()
    # Each tab adds a row, before either has saved anything in it: both are row blank + 1.
    added = []
    for tab in (first, second):
        tab.click("[data-repeater-add]")
        assert tab.locator(rows).count() == blank + 1
        added.append(tab.locator(rows).nth(blank).get_attribute("data-row-id"))
    assert all(added) and added[0] != added[1]
    # Each reader types a user into their new row, one straight after the other: the second
    # tab may not have seen the first tab's save yet (each types into its own row, found by
    # its identity, wherever the other tab's save has moved it by then).
    type_user = """([id, text]) => {
        const field = document.querySelector(`[data-row-id="${id}"] input[name$="--user"]`);
        field.value = text;
        field.dispatchEvent(new Event('input', { bubbles: true }));
    }"""
    first.evaluate(type_user, [added[0], "Families"])
    second.evaluate(type_user, [added[1], "Carers"])
    users = {f"row-{blank + 1}--user", f"row-{blank + 2}--user"}
    both = """([names, wanted]) => {
        const values = names.map((name) => document.querySelector(`[name="${name}"]`)?.value).sort();
        return JSON.stringify(values) === JSON.stringify(wanted);
    }"""
    for tab in (first, second):
        tab.wait_for_function(both, arg=[sorted(users), ["Carers", "Families"]])
        tab.wait_for_function("() => !document.querySelector('[data-result]').hasAttribute('aria-busy')")
    for tab in (first, second):
        saved = saved_answers(tab, "user-needs")
        assert sorted(saved[name] for name in users) == ["Carers", "Families"]
        assert tab.locator(rows).count() == blank + 2  # numbered 1, 2, 3… as ever
    first.reload()
    wait_for_result(first, text="Families")
    assert sorted(first.input_value(f"[name='{name}']") for name in users) == ["Carers", "Families"]


def a_saved_row_of_families(page, site_url) -> tuple[int, str, str]:
    """On the user needs table, a row added with its button, "Families" typed in as its
    user and saved with its row key; returns its number, its identity and its row key."""
    page.goto(site_url + "tools/user-needs/")
    wait_for_result(page)
    rows = "[data-repeater-rows] > [data-repeater-row]"
    number = page.locator(rows).count() + 1
    page.click("[data-repeater-add]")
    row_id = page.locator(rows).nth(number - 1).get_attribute("data-row-id")
    page.fill(f"#user-needs--row-{number}--user", "Families")
    page.locator(f"#user-needs--row-{number}--user").blur()  # not typing there: the form shows what is saved
    row_key = f"cssc-guide:v2:user-needs:row:row-{number}"
    page.wait_for_function("k => JSON.parse(localStorage.getItem(k) || 'null')?.answers", arg=row_key)
    return number, row_id, row_key


def test_a_row_whose_keys_another_tab_overwrote_in_the_same_instant_is_put_back_as_it_was_saved(open_page, site_url):
    # Two tabs saving a row at the same position in the same few milliseconds can leave that
    # position with one tab's row identity and the other tab's answer: browser storage writes
    # one key at a time, and the two tabs' writes can interleave (the cause of the test above
    # once waiting 60 s for the tabs to agree, under a full run's load). The row key, written
    # whole after the answers, says what the row held: the tab puts the row back as it was.
    page, _problems = open_page()
    number, row_id, row_key = a_saved_row_of_families(page, site_url)
    name = f"row-{number}--user"
    assert json.loads(page.evaluate("k => localStorage.getItem(k)", row_key)) == {"id": row_id, "answers": {name: "Families"}}
    # What the other tab's interleaved save leaves: its answer in this row's field, this row's key.
    other = another_tab(page)
    other.goto(site_url + "about/")
    other.evaluate("([k, v]) => localStorage.setItem(k, v)", [f"cssc-guide:v2:user-needs:answer:{name}", '"Carers"'])
    for value in ("Carers", "Families"):  # seen here, then put back (at least 250 ms later: ROWS_SETTLE_MS)
        page.wait_for_function("([k, v]) => JSON.parse(localStorage.getItem(k)) === v",
                               arg=[f"cssc-guide:v2:user-needs:answer:{name}", value])
    assert page.input_value(f"#user-needs--{name}") == "Families"
    assert saved_answers(page, "user-needs")[name] == "Families"
    # Another tab that changes the row and says so in its row key is followed, as ever.
    other.evaluate("""([answer, value, key, row]) => {
        localStorage.setItem(answer, value);
        localStorage.setItem(key, row);
    }""", [f"cssc-guide:v2:user-needs:answer:{name}", '"Kinship carers"', row_key,
           json.dumps({"id": row_id, "answers": {name: "Kinship carers"}})])
    page.wait_for_function("s => document.querySelector(s).value === 'Kinship carers'", arg=f"#user-needs--{name}")
    wait_for_result(page)
    assert saved_answers(page, "user-needs")[name] == "Kinship carers"


def test_what_is_typed_while_another_tabs_row_arrives_is_kept_after_the_reader_moves_on(open_page, site_url):
    # Another tab's save of a row arrives one key at a time: until its row key comes, the
    # row looks mixed, and this tab writes nothing for a moment (ROWS_SETTLE_MS). What the
    # reader types then, in another field they have left by the time it settles, was put
    # back to the saved answer: lost (the cause of the user needs two-tab test failing
    # once in a full run). It is kept and saved.
    page, _problems = open_page()
    number, row_id, row_key = a_saved_row_of_families(page, site_url)
    user, needs = f"row-{number}--user", f"row-{number}--needs"
    # As the other tab's first key arrives, the reader types an objective and moves on.
    page.evaluate("""(key) => window.addEventListener('storage', (event) => {
        if (event.key !== key) return;
        const field = document.querySelector('#user-needs--row-1--objective');
        field.focus();
        field.value = 'Plan visits';
        field.dispatchEvent(new Event('input', { bubbles: true }));
        field.blur();
    })""", f"cssc-guide:v2:user-needs:answer:{needs}")
    other = another_tab(page)
    other.goto(site_url + "about/")
    other.evaluate("""([answer, value, key, row]) => {
        localStorage.setItem(answer, value);
        localStorage.setItem(key, row);
    }""", [f"cssc-guide:v2:user-needs:answer:{needs}", '"To be heard"', row_key,
           json.dumps({"id": row_id, "answers": {user: "Families", needs: "To be heard"}})])
    page.wait_for_function("k => localStorage.getItem(k) === '\"Plan visits\"'",
                           arg="cssc-guide:v2:user-needs:answer:row-1--objective")
    wait_for_result(page)
    assert page.input_value("#user-needs--row-1--objective") == "Plan visits"
    assert page.input_value(f"#user-needs--{needs}") == "To be heard"
    saved = saved_answers(page, "user-needs")
    assert (saved["row-1--objective"], saved[user], saved[needs]) == ("Plan visits", "Families", "To be heard")


def test_a_row_moved_in_one_tab_moves_in_the_other_without_a_copy(open_page, site_url):
    first, second = two_tabs(open_page, site_url, "tools/user-needs/")
    rows = "[data-repeater-rows] > [data-repeater-row]"
    blank = first.locator(rows).count()
    for number, user in ((blank + 1, "Families"), (blank + 2, "Carers")):
        first.click("[data-repeater-add]")
        first.fill(f"#user-needs--row-{number}--user", user)
    second.wait_for_function("n => document.querySelector(`#user-needs--row-${n}--user`)?.value === 'Carers'",
                             arg=blank + 2)
    # The second added row moves up: another tab receives the change one key at a time.
    first.locator(rows).nth(blank + 1).locator("[data-repeater-action=up]").click()
    second.wait_for_function("n => document.querySelector(`#user-needs--row-${n}--user`)?.value === 'Carers'",
                             arg=blank + 1)
    # (The second tab shows the move only once all of it has arrived and it has decided
    # whether any row of its own was displaced: a copy would have been made by now.)
    for tab in (first, second):
        tab.wait_for_function("() => !document.querySelector('[data-result]').hasAttribute('aria-busy')")
        assert tab.locator(rows).count() == blank + 2
        saved = saved_answers(tab, "user-needs")
        assert (saved[f"row-{blank + 1}--user"], saved[f"row-{blank + 2}--user"]) == ("Carers", "Families")
        assert not any(name.startswith(f"row-{blank + 3}--") for name in saved)


def test_a_tab_on_an_earlier_version_saving_answer_by_answer_is_brought_up_to_date_too(open_page, site_url):
    # A later release's tab left open keeps saving this release's way, for its own (older)
    # version of the questions: here the triage's version 1.0.0, where "learning" was "developing".
    page, _problems = open_page()
    page.goto(site_url + "tools/ethics-triage/")
    wait_for_result(page)
    page.fill("#ethics-triage--use-case-name--answer", "Placement dashboard")
    wait_for_result(page)
    old_tab = another_tab(page)
    old_tab.goto(site_url + "about/")
    # Its save writes its version first, then its answers. They reach this tab one at a
    # time, and under a busy machine's load the answer came after this tab had already
    # upgraded what it had (a full run failed so once): here it comes 100 ms later.
    old_tab.evaluate("""() => new Promise((done) => {
        localStorage.setItem('cssc-guide:v2:ethics-triage:saved-with',
                             JSON.stringify({ tool: 'ethics-triage', bank_version: '1.0.0', release: null }));
        setTimeout(() => {
            localStorage.setItem('cssc-guide:v2:ethics-triage:answer:data-maturity', '"developing"');
            done();
        }, 100);
    })""")
    wait_checked(page, "#ethics-triage--data-maturity--learning")
    page.locator("[data-update-notice]").wait_for()
    assert "Another tab is still showing an earlier version" in page.locator("[data-update-notice]").inner_text()
    page.wait_for_function("() => JSON.parse(localStorage.getItem('cssc-guide:v2:ethics-triage:saved-with'))"
                           f".bank_version === '{TOOLS['ethics-triage'].version}'")
    assert saved_answers(page, "ethics-triage") == {"use-case-name": "Placement dashboard", "data-maturity": "learning"}
