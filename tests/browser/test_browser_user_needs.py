"""The user needs table, end to end in Chromium against the built site.

Rows are added, moved and deleted with the keyboard alone; the table survives a
reload; JSON, CSV and Markdown downloads hold the rows; bad and hostile files are
refused or shown as text; and the page works, readably, without JavaScript.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from support_records import export_record
from assessments.user_needs.model import field_name, load_user_needs_bank
from assessments.user_needs.view import markdown_cell
from support_browser import RUNTIME_TIMEOUT_MS, axe_violations_in_both_palettes, save_answers, saved_answers, wait_for_result

pytestmark = pytest.mark.browser

BANK = load_user_needs_bank()
COLUMNS = BANK.column_ids
PAGE = "tools/user-needs/"
FULL = next(e for e in BANK.examples if e.name == "Allocating referrals: three users, every column filled")
DRAFT = next(e for e in BANK.examples if e.name == "A first draft with gaps")
NEW_ROW = {"user": "Service managers", "objective": "Report on timeliness to the leadership team",
           "needs": "Fewer figures to gather by hand each month"}


def rows_of(answers) -> list[dict[str, str]]:
    """Validated answers as a list of {column: text} (every column present)."""
    count = len({name.split("--")[0] for name in answers})
    return [{c: answers.get(field_name(n, c), "") for c in COLUMNS} for n in range(1, count + 1)]


FULL_ROWS = rows_of(FULL.answers)


def cell(page, row: int, column: str):
    return page.locator(f"#user-needs--row-{row}--{column}")


def fieldsets(page):
    return page.locator("[data-repeater-rows] > [data-repeater-row]")


def form_rows(page) -> list[dict[str, str]]:
    """What the form shows, row by row."""
    return [
        {c: cell(page, n, c).input_value() for c in COLUMNS} for n in range(1, fieldsets(page).count() + 1)
    ]


def result_rows(page) -> list[str]:
    """The user column of the result's table, top to bottom."""
    return page.locator("[data-result] tbody th").all_inner_texts()


def status(page) -> str:
    return page.locator("[data-status]").inner_text()


def wait_for_status(page, *parts: str) -> None:
    """Wait until the status line holds every part (an action's words and the result's)."""
    page.wait_for_function(
        "parts => { const s = document.querySelector('[data-status]').textContent; "
        "return parts.every(p => s.includes(p)); }",
        arg=list(parts), timeout=RUNTIME_TIMEOUT_MS,
    )


def focused(page) -> str:
    """The focused element, as a keyboard user meets it: its accessible label or its id."""
    return page.evaluate("() => { const a = document.activeElement; "
                         "return a.getAttribute('aria-label') || a.id || a.textContent.trim(); }")


def tab_to(page, target: str, backwards: bool = False, limit: int = 250) -> None:
    """Press Tab (or Shift+Tab) until `target` (a label or id) has focus."""
    for _ in range(limit):
        if focused(page) == target:
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{target!r} was not reached with the keyboard (stuck on {focused(page)!r})")


def type_row(page, number: int, values: dict[str, str]) -> None:
    """Fill a row from the keyboard, starting with focus anywhere before it."""
    for column in COLUMNS:
        tab_to(page, f"user-needs--row-{number}--{column}")
        if values.get(column):
            page.keyboard.insert_text(values[column])


def fill(page, answers) -> None:
    for name, value in answers.items():
        page.fill(f"#user-needs--{name}", value)


def open_tool(page, site_url) -> None:
    page.on("dialog", lambda dialog: dialog.accept())  # "Clear?" and "Leave with unsaved work?"
    page.goto(site_url + PAGE)
    wait_for_result(page)


# Holds the worker's answers back until the test lets them through, so a result for
# earlier answers can be made to arrive after the reader has already changed them.
HOLD_WORKER_REPLIES = """
    window.__held = null;
    const add = Worker.prototype.addEventListener;
    Worker.prototype.addEventListener = function (type, listener, options) {
        if (type !== 'message') return add.call(this, type, listener, options);
        return add.call(this, type, (event) => {
            if (window.__held && event.data && event.data.id) window.__held.push(() => listener(event));
            else listener(event);
        }, options);
    };
"""


def test_a_result_for_earlier_answers_never_replaces_a_newer_one(page, site_url):
    page.add_init_script(HOLD_WORKER_REPLIES)
    open_tool(page, site_url)
    page.evaluate("() => { window.__held = []; }")
    cell(page, 1, "user").fill("Team managers")
    page.wait_for_function("() => window.__held.length > 0")  # its result is on its way
    # Add a row, and let the older result arrive straight away, before Python has even
    # been asked about the new row.
    page.evaluate("""() => {
        document.querySelector('[data-repeater-add]').click();
        const late = window.__held.splice(0);
        window.__held = null;
        late.forEach((deliver) => deliver());
    }""")
    # The action and the newest result are announced together; the older result, which
    # arrived in between, neither took the announcement nor the final word.
    wait_for_status(page, "User 4 added. Result updated: 1 user listed")
    assert "Team managers" in page.locator("[data-result]").inner_text()


def test_rows_are_added_moved_and_deleted_with_the_keyboard_alone_kept_on_reload_and_held_at_the_ends(page, site_url):
    """One page, the keyboard alone:
    - three rows typed in, a fourth added, moved up and another deleted, with the focus,
      the legends, the status and contiguous names as a keyboard user needs them;
    - a reload keeps the table (the deleted row does not come back);
    - the first row cannot go up (the button says so, the focus stays, nothing moves),
      it can go down, and deleting the last row sends the focus to the row before."""
    open_tool(page, site_url)
    assert status(page) == "Result updated: no users listed yet."
    assert fieldsets(page).count() == BANK.blank_rows == 3
    for number, values in enumerate(FULL_ROWS, start=1):
        type_row(page, number, values)
    wait_for_status(page, "Result updated: 3 users listed")

    tab_to(page, "Add a user")
    page.keyboard.press("Enter")
    assert fieldsets(page).count() == 4
    assert focused(page) == "user-needs--row-4--user"  # the new row's first field
    assert page.locator("#user-needs--row-4 legend").inner_text() == "User 4"
    wait_for_status(page, "User 4 added.", "Result updated")
    type_row(page, 4, NEW_ROW)
    wait_for_status(page, "Result updated: 4 users listed")

    tab_to(page, "Move user 4 up")
    page.keyboard.press("Enter")
    assert focused(page) == "Move user 3 up"  # the moved row's same button, renumbered
    wait_for_status(page, "User 4 moved up: it is now user 3.", "Result updated: 4 users listed")
    assert cell(page, 3, "user").input_value() == NEW_ROW["user"]
    assert cell(page, 4, "user").input_value() == FULL_ROWS[2]["user"]
    assert page.locator("#user-needs--row-3 legend").inner_text() == "User 3"

    tab_to(page, "Delete user 2", backwards=True)
    page.keyboard.press("Enter")
    # Focus goes to the row that took its place.
    assert focused(page) == "user-needs--row-2--user"
    assert cell(page, 2, "user").input_value() == NEW_ROW["user"]
    wait_for_status(page, "User 2 deleted; 3 users left.", "Result updated: 3 users listed")
    expected = [FULL_ROWS[0], {c: NEW_ROW.get(c, "") for c in COLUMNS}, FULL_ROWS[2]]
    assert form_rows(page) == expected
    assert result_rows(page) == [row["user"] for row in expected]
    # Names stay contiguous: rows 1 to 3, and no row 4 left on the page to answer.
    names = page.eval_on_selector_all("[data-repeater-rows] [name]", "els => els.map(e => e.name)")
    assert names == [field_name(n, c) for n in (1, 2, 3) for c in COLUMNS]

    page.reload()
    wait_for_result(page, text=NEW_ROW["user"])
    assert fieldsets(page).count() == 3  # the deleted row does not come back
    assert form_rows(page) == expected
    assert result_rows(page) == [row["user"] for row in expected]

    # The ends of the table: the first row cannot go up, the last row's deletion.
    first_user = expected[0]["user"]
    tab_to(page, "Move user 1 up")
    # Leaving a field scores its answer again ("change"): let that be said first.
    wait_for_result(page)
    assert page.get_attribute('[aria-label="Move user 1 up"]', "aria-disabled") == "true"
    page.keyboard.press("Enter")
    assert focused(page) == "Move user 1 up"
    assert status(page) == "User 1 is already first."
    assert cell(page, 1, "user").input_value() == first_user
    tab_to(page, "Move user 1 down")
    page.keyboard.press("Enter")
    assert focused(page) == "Move user 2 down"
    assert cell(page, 2, "user").input_value() == first_user
    # Delete the last row: focus goes to the row before it.
    tab_to(page, "Delete user 3")
    page.keyboard.press("Enter")
    assert focused(page) == "user-needs--row-2--user"
    assert fieldsets(page).count() == 2


def test_saved_answers_get_enough_rows_and_a_deleted_row_never_comes_back(page, site_url):
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(site_url + "about/")  # same origin, so the same storage
    # (A row beyond the last one the table allows is named to the reader: test_browser_saved_state.py.)
    save_answers(page, "user-needs", {"row-1--user": "Team managers", "row-6--user": "Families",
                                      "row-6--needs": "Be heard"})
    page.goto(site_url + PAGE)
    wait_for_result(page, text="Families")
    # Rows are made before the saved answers are written, so each lands in its place.
    assert fieldsets(page).count() == 6
    assert cell(page, 6, "needs").input_value() == "Be heard"
    assert result_rows(page) == ["Team managers", "Families"]
    page.focus("#user-needs--row-6--user")
    tab_to(page, "Delete user 6")
    page.keyboard.press("Enter")
    wait_for_status(page, "User 6 deleted; 5 users left.", "Result updated: 1 user listed")
    saved = saved_answers(page, "user-needs")
    assert saved == {"row-1--user": "Team managers"}  # row 6 is not kept
    page.reload()
    wait_for_result(page, text="Team managers")
    assert fieldsets(page).count() == BANK.blank_rows


def test_csv_markdown_and_json_downloads_hold_the_rows_and_json_loads_back_with_nothing_from_another_origin(page, site_url, page_problems, tmp_path):
    """One page, the full worked example (one cell a spreadsheet formula and a pipe):
    - the CSV download holds the rows (the formula as text) and the Markdown the same
      table, escaped; a download counts as keeping a copy;
    - a row added, the JSON download holds every row; after Clear, loading it back gives
      the same table and result, kept across a reload;
    - nothing was asked of another origin, even late."""
    open_tool(page, site_url)
    answers = {**FULL.answers, "row-1--problems": "=HYPERLINK(\"http://example.org\") | and a pipe"}
    fill(page, answers)
    wait_for_result(page, text="3 users listed")
    rows = rows_of(answers)

    with page.expect_download() as download_info:
        page.click("[data-action=download-as][data-format=csv]")
    assert download_info.value.suggested_filename.endswith(".csv")
    text = (tmp_path / "table.csv")
    download_info.value.save_as(text)
    table = list(csv.reader(io.StringIO(text.read_bytes().decode("utf-8-sig"), newline="")))
    assert table[0] == [c.label for c in BANK.columns]
    expected = [[row[c] for c in COLUMNS] for row in rows]
    expected[0][3] = "'" + expected[0][3]  # a spreadsheet shows it as text, never runs it
    assert table[1:] == expected

    with page.expect_download() as download_info:
        page.click("[data-action=download-as][data-format=markdown]")
    assert download_info.value.suggested_filename.endswith(".md")
    markdown = tmp_path / "table.md"
    download_info.value.save_as(markdown)
    lines = markdown.read_text("utf-8").splitlines()
    start = lines.index("| " + " | ".join(c.label for c in BANK.columns) + " |")
    assert lines[start + 1] == "| --- | --- | --- | --- | --- |"
    body = lines[start + 2:start + 2 + len(rows)]
    assert body == ["| " + " | ".join(markdown_cell(row[c]) for c in COLUMNS) + " |" for row in rows]
    assert body[0].startswith("| Team managers in the assessment service | Allocate new referrals fairly and quickly |")
    assert "=HYPERLINK(\"http://example.org\") \\| and a pipe" in body[0]
    assert "Caseloads feel uneven and nobody can see why.<br>Recording twice" in body[1]
    # A download counts as keeping a copy: leaving the page now gives no warning.
    assert page.evaluate("() => localStorage.getItem('cssc-guide:v1:exported:user-needs')") == json.dumps(
        dict(answers), separators=(",", ":"), ensure_ascii=False)

    # A fourth row, then the JSON download, Clear and load back.
    page.click("[data-repeater-add]")
    # The row's announcement joins the next result's status, which would then not start
    # with "Result updated": let it be made before the row is filled in.
    wait_for_status(page, "User 4 added.", "Result updated")
    fill(page, {field_name(4, c): v for c, v in NEW_ROW.items()})
    wait_for_result(page, text=NEW_ROW["needs"])  # the last cell filled in
    before_result = page.locator("[data-result]").inner_text()
    before_rows = form_rows(page)
    assert before_rows == rows + [{c: NEW_ROW.get(c, "") for c in COLUMNS}]

    with page.expect_download() as download_info:
        page.click("[data-action=download]")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    record = json.loads(saved.read_text("utf-8"))
    assert record["tool"] == "user-needs" and record["bank_version"] == BANK.version
    assert rows_of(record["answers"]) == before_rows
    assert record["result"]["counts"]["rows"] == 4

    page.click("[data-action=clear]")
    wait_for_result(page, text="No users listed yet")
    assert fieldsets(page).count() == BANK.blank_rows
    assert all(value == "" for row in form_rows(page) for value in row.values())

    page.set_input_files("[data-action=load]", str(saved))
    wait_for_result(page, text="4 users listed")
    assert form_rows(page) == before_rows
    assert page.locator("[data-result]").inner_text() == before_result
    page.reload()
    wait_for_result(page, text="4 users listed")
    assert form_rows(page) == before_rows
    page.wait_for_load_state("networkidle")  # a late request still counts
    assert page_problems["problems"].foreign_requests == []


def test_no_accessibility_violations_in_either_palette_hostile_files_show_as_text_bad_ones_change_nothing_and_a_full_table_takes_no_more(page, site_url, tmp_path):
    """One page, files loaded in turn:
    - axe finds nothing in either palette, empty and filled in (with markup typed in);
    - a hostile file's rows are made and its markup shown as text, never run;
    - each bad file is refused by name and leaves the rows alone;
    - a file filling the table: adding another row is refused, with the reason."""
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.type))
    open_tool(page, site_url)
    assert axe_violations_in_both_palettes(page) == {"default": [], "slate": []}
    fill(page, DRAFT.answers)
    page.click("[data-repeater-add]")
    page.fill("#user-needs--row-4--user", "Families <b>not bold</b>")
    wait_for_status(page, "Result updated: 4 users listed")
    assert page.locator("[data-check]").count() == 3
    assert axe_violations_in_both_palettes(page) == {"default": [], "slate": []}

    hostile_answers = {field_name(n, "user"): f"Group {n}" for n in range(1, 6)}
    hostile_answers["row-2--needs"] = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    hostile = tmp_path / "user-needs-hostile.json"
    hostile.write_text(json.dumps(export_record("user-needs", hostile_answers)), "utf-8")
    page.set_input_files("[data-action=load]", str(hostile))
    wait_for_result(page, text="5 users listed")
    assert fieldsets(page).count() == 5  # rows made for every row in the file
    assert cell(page, 2, "needs").input_value() == hostile_answers["row-2--needs"]
    assert hostile_answers["row-2--needs"] in page.locator("[data-result] tbody tr[data-row='2'] td").last.inner_text()
    assert page.locator("[data-result] script, [data-result] img").count() == 0
    before = form_rows(page)

    bad_files = {
        "not-json.json": "{ this is not json",
        "too-many-rows.json": json.dumps({**export_record("user-needs", {}), "answers": {"row-51--user": "x"}}),
        "too-long.json": json.dumps({**export_record("user-needs", {}), "answers": {"row-1--user": "x" * 201}}),
        "wrong-type.json": json.dumps({**export_record("user-needs", {}), "answers": {"row-1--user": ["x"]}}),
        "other-tool.json": json.dumps(export_record("ethics-triage", {})),
    }
    for name, content in bad_files.items():
        path = tmp_path / name
        path.write_text(content, "utf-8")
        page.set_input_files("[data-action=load]", str(path))
        message = page.locator("[data-message]")
        message.filter(has_text=name).wait_for()
        assert "Your answers have not been changed" in message.inner_text()
        assert fieldsets(page).count() == 5
        assert form_rows(page) == before
    assert "alert" not in dialogs

    answers = {field_name(n, "user"): f"Group {n}" for n in range(1, BANK.max_rows + 1)}
    full = tmp_path / "user-needs-full.json"
    full.write_text(json.dumps(export_record("user-needs", answers)), "utf-8")
    page.set_input_files("[data-action=load]", str(full))
    wait_for_result(page, text=f"{BANK.max_rows} users listed")
    add = page.locator("[data-repeater-add]")
    assert add.get_attribute("aria-disabled") == "true"
    add.focus()
    page.keyboard.press("Enter")
    assert status(page) == f"You can list up to {BANK.max_rows} users. Delete one to add another."
    assert fieldsets(page).count() == BANK.max_rows


def test_without_javascript_the_fixed_rows_show_every_column_labelled_with_the_note(open_page, site_url):
    page, problems = open_page(java_script_enabled=False)
    page.goto(site_url + PAGE)
    assert fieldsets(page).count() == BANK.blank_rows
    for number in range(1, BANK.blank_rows + 1):
        assert page.locator(f"#user-needs--row-{number} legend").inner_text() == f"User {number}"
        for column in BANK.columns:
            field = cell(page, number, column.id)
            assert field.is_visible() and field.is_editable()
            label = page.locator(f"label[for='user-needs--row-{number}--{column.id}']")
            assert label.is_visible() and label.inner_text() == column.label
    assert page.locator(".cssc-tool__nojs").is_visible()
    assert "needs JavaScript" in page.locator(".cssc-tool__nojs").inner_text()
    note = page.locator(".cssc-repeater__nojs")
    assert note.is_visible() and "Adding, moving and deleting rows needs JavaScript" in note.inner_text()
    assert page.locator("[data-repeater-add]").is_hidden()
    assert page.locator("[data-repeater-action]").first.is_hidden()
    assert page.locator("[data-action=download]").is_hidden()
