"""The ethics workbook, end to end in Chromium against the built site."""

from __future__ import annotations

import json

import pytest

from assessments.ethics_workbook.model import MAX_ANSWER_CHARACTERS, load_workbook_bank
from support_records import export_record
from support_browser import RUNTIME_TIMEOUT_MS, axe_violations_in_both_palettes, result_text, wait_for_result

pytestmark = pytest.mark.browser

BANK = load_workbook_bank()
QUESTIONS = BANK.questions
PAGE = "tools/ethics-workbook/"
UNDER_WAY = next(e for e in BANK.examples if e.name == "Explore agreed with the oversight group, Develop under way")
# The whole headline once every answer is in: waiting for part of it could catch the
# result while the last typed answer is still on its way to Python.
_COUNTS = dict(UNDER_WAY.expected_status_counts)
UNDER_WAY_HEADLINE = (
    f"{_COUNTS['agreed']} of {sum(_COUNTS.values())} questions discussed and agreed; "
    f"{_COUNTS['not-started']} not started."
)
TO_CHECK = next(e for e in BANK.examples if e.name == "First drafts, one marked ready without an answer")
FIRST = "explore-problem-and-outcomes"


def control(page, name: str):
    """The control for an answer name ("<question id>--answer|status|comments")."""
    return page.locator(f"#ethics-workbook--{name}")


def fill(page, answers: dict) -> None:
    """Answer as a reader would: type the answers and comments, choose each status."""
    for name, value in answers.items():
        if name.endswith("--status"):
            control(page, name).select_option(value)
        else:
            control(page, name).fill(value)
    # No pause needed before reading the result: wait_for_result waits until the result
    # region is no longer busy, which it is from the last keystroke until Python replies.


def form_answers(page) -> dict:
    """What the form holds now, as answers (empty controls left out)."""
    return page.evaluate("""() => {
        const answers = {};
        for (const c of document.querySelector('form[data-tool="ethics-workbook"]').elements) {
            if (c.name && c.type !== 'file' && c.value !== '') answers[c.name] = c.value;
        }
        return answers;
    }""")



def status(page) -> str:
    return page.locator("[data-status]").inner_text()


def open_tool(page, site_url) -> list[str]:
    """Open the workbook, accepting every dialog ("Clear?" and "Leave with undownloaded
    work?"); returns the list of the dialogs' types, filled as they come."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.goto(site_url + PAGE)
    wait_for_result(page)
    return dialogs


def clear(page) -> None:
    page.click("[data-action=clear]")
    wait_for_result(page, text="0 of 27 questions discussed and agreed; 27 not started.")
    assert form_answers(page) == {}


MARKDOWN_DOWNLOADS = [
    ("markdown-explore", "Download Explore answers (Markdown)", "# Ethics workbook: Explore phase", "-explore.md"),
    ("markdown-develop", "Download Develop answers (Markdown)", "# Ethics workbook: Develop phase", "-develop.md"),
    ("markdown", "Download whole workbook (Markdown)", "# Ethics workbook\n", ".md"),
]


def test_answers_statuses_and_comments_give_progress_kept_on_return_with_a_warning_downloads_and_print(
        page, site_url, tmp_path):
    """With the worked example under way, on one page (left and opened again once):
    - answers, statuses and comments give the progress by phase;
    - leaving with answers not downloaded warns first, and the answers are there on return;
    - the download, cleared and loaded back, gives identical answers and result;
    - each Markdown download (Explore, Develop, whole workbook) holds its phases' answers;
    - printing gives the record without the questions or navigation;
    - typed again and downloaded, leaving gives no second warning."""
    dialogs = open_tool(page, site_url)
    assert status(page) == "Result updated: 0 of 27 questions discussed and agreed; 27 not started."
    fill(page, dict(UNDER_WAY.answers))
    wait_for_result(page, text=UNDER_WAY_HEADLINE)
    row = page.locator('.cssc-workbook__progress tr[data-phase="develop"] td').all_inner_texts()
    assert row == ["6", "2", "1", "0", "In progress"]
    assert page.locator('.cssc-workbook__progress tr[data-phase="explore"] td').last.inner_text() == (
        "Discussed and agreed")
    assert "Questions not started (15)" in result_text(page)
    assert page.locator('[data-not-started="develop"] li').count() == 6
    assert status(page) == "Result updated: 9 of 27 questions discussed and agreed; 15 not started."

    # Leaving warns first; the answers survive and are there on return.
    page.goto(site_url + "tools/")
    assert dialogs == ["beforeunload"]
    page.goto(site_url + PAGE)
    wait_for_result(page, text=UNDER_WAY_HEADLINE)
    assert form_answers(page) == dict(UNDER_WAY.answers)

    # Download, clear and load back.
    before = result_text(page)
    with page.expect_download() as download_info:
        page.click("[data-action=download]")
    download = download_info.value
    assert download.suggested_filename.startswith("ethics-workbook-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    record = json.loads(saved.read_text("utf-8"))
    assert record["tool"] == "ethics-workbook" and record["bank_version"] == BANK.version
    assert record["answers"] == dict(UNDER_WAY.answers)
    assert record["result"]["counts"] == dict(UNDER_WAY.expected_status_counts)

    clear(page)
    page.set_input_files("[data-action=load]", str(saved))
    wait_for_result(page, text=UNDER_WAY_HEADLINE)
    assert result_text(page) == before
    assert form_answers(page) == dict(UNDER_WAY.answers)
    assert status(page).startswith(f"Loaded \u201c{download.suggested_filename}\u201d.")

    # Each Markdown download holds its phases' answers.
    for format_name, label, heading, suffix in MARKDOWN_DOWNLOADS:
        button = page.locator(f'[data-action=download-as][data-format="{format_name}"]')
        assert button.inner_text() == label
        with page.expect_download() as download_info:
            button.click()
        download = download_info.value
        assert download.suggested_filename.startswith("ethics-workbook-"), format_name
        assert download.suggested_filename.endswith(suffix), format_name
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        text = path.read_text("utf-8")
        assert text.startswith(heading), format_name
        if format_name != "markdown-develop":
            assert "> Practitioners in the front door team told us" in text, format_name
            assert "> Agreed. The group asked us to measure time saved" in text, format_name
        if format_name != "markdown-explore":
            assert "> Baseline: 40 minutes to gather a family's history." in text, format_name

    # Printing gives the record alone.
    page.emulate_media(media="print")
    assert page.locator(".cssc-workbook__phase").first.is_hidden()
    assert page.locator("[data-action=download]").is_hidden()
    assert page.locator(".md-sidebar--primary").is_hidden()
    assert page.locator(".cssc-workbook__record").is_visible()
    assert page.locator(".cssc-workbook__record [data-record]").count() == len(QUESTIONS)
    page.emulate_media(media="screen")

    # Typed again, then downloaded: leaving gives no second warning. (Typing first, as the
    # file loaded back above already counts as downloaded work.)
    control(page, "explore-fairness--answer").fill("Not yet downloaded.")
    wait_for_result(page, text="Not yet downloaded.")
    with page.expect_download():
        page.click("[data-action=download]")
    page.goto(site_url + "tools/")
    assert [kind for kind in dialogs if kind == "beforeunload"] == ["beforeunload"]


def test_labels_points_to_check_answer_limits_and_bad_or_hostile_files_with_axe_empty_and_written(
        page, site_url, tmp_path):
    """On one page:
    - every control has a visible label, ids are unique and questions are fieldsets;
    - the empty page passes axe in both palettes;
    - answers have a stated limit, and a longer answer in a file is refused plainly;
    - wrong and too-large files are refused with the answers kept, and a hostile file's
      markup is shown as text and runs nothing;
    - the statuses and points to check lead back to the question, on the same page;
    - with everything the result can show, including a point to check, it passes axe in
      both palettes."""
    open_tool(page, site_url)
    duplicates = page.evaluate("""() => { const seen = {}; for (const e of document.querySelectorAll('[id]'))
        seen[e.id] = (seen[e.id] || 0) + 1; return Object.keys(seen).filter(id => seen[id] > 1); }""")
    assert duplicates == []
    unlabelled = page.evaluate("""() => [...document.querySelectorAll(
            'form[data-tool="ethics-workbook"] textarea, form[data-tool="ethics-workbook"] select')]
        .filter(c => !c.labels.length || !c.labels[0].offsetParent).map(c => c.id)""")
    assert unlabelled == []
    assert page.locator("fieldset.cssc-workbook__question > legend").count() == len(QUESTIONS)
    assert axe_violations_in_both_palettes(page) == {"default": [], "slate": []}

    # A stated limit; a longer answer in a file is refused plainly.
    answer = control(page, f"{FIRST}--answer")
    assert answer.get_attribute("maxlength") == str(MAX_ANSWER_CHARACTERS)
    assert page.locator(f"#ethics-workbook--{FIRST}--answer-limit").inner_text() == "Up to 5,000 characters."
    answer.fill("x" * (MAX_ANSWER_CHARACTERS + 20))
    assert len(answer.input_value()) == MAX_ANSWER_CHARACTERS
    control(page, f"{FIRST}--comments").fill("Kept.")
    wait_for_result(page, text="Kept.")  # scored, so no later result clears the message below

    record = export_record("ethics-workbook", {})
    record["answers"] = {f"{FIRST}--answer": "x" * 6000}
    long_file = tmp_path / "long.json"
    long_file.write_text(json.dumps(record), "utf-8")
    page.set_input_files("[data-action=load]", str(long_file))
    message = page.locator("[data-message]")
    message.filter(has_text="can be up to 5,000 characters").wait_for()
    assert "Explore question 1" in message.inner_text()
    assert "Your answers have not been changed." in message.inner_text()
    assert control(page, f"{FIRST}--comments").input_value() == "Kept."

    # Wrong files are refused, the answers kept; a hostile file shows as text.
    control(page, "explore-fairness--answer").fill("Ours.")
    wait_for_result(page, text="Ours.")  # scored, so no later result clears the messages below
    files = {
        "not-json.json": ("{not json", "not valid JSON"),
        "newer.json": (json.dumps({**export_record("ethics-workbook", {}), "format_version": 99}), "newer version"),
        "triage.json": (json.dumps(export_record("ethics-triage", {})), "not the Ethics workbook"),
        "wrong-type.json": (json.dumps({**export_record("ethics-workbook", {}),
                                        "answers": {f"{FIRST}--status": ["agreed"]}}), "should be text"),
    }
    for name, (text, words) in files.items():
        path = tmp_path / name
        path.write_text(text, "utf-8")
        page.set_input_files("[data-action=load]", str(path))
        message.filter(has_text=words).wait_for()
        assert control(page, "explore-fairness--answer").input_value() == "Ours.", name

    huge = tmp_path / "huge.json"
    huge.write_text('{"a": "' + "x" * 10_000_000 + '"}', "utf-8")
    page.set_input_files("[data-action=load]", str(huge))
    message.filter(has_text="too large").wait_for()

    script = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(export_record("ethics-workbook", {f"{FIRST}--answer": script,
                                                                   f"{FIRST}--status": "draft"})), "utf-8")
    page.set_input_files("[data-action=load]", str(hostile))
    wait_for_result(page, text=script)  # shown in the record, as text
    assert page.title() != "pwned"
    assert page.locator("[data-result] script, [data-result] img").count() == 0
    assert control(page, f"{FIRST}--answer").input_value() == script

    # The points to check lead back to the question.
    clear(page)
    fill(page, dict(TO_CHECK.answers))
    wait_for_result(page, text="Points to check (1)")
    assert status(page).endswith("1 to check.")
    page.evaluate("() => { document.querySelector('form[data-tool]').dataset.sameForm = 'yes'; }")
    page.locator('[data-check="explore-governance"] a').click()
    # The link leads to the answer box, ready to type into, on the same page: the page
    # is not fetched and drawn again, which would lose what is typed meanwhile.
    answer = control(page, "explore-governance--answer")
    assert answer.evaluate("box => box === document.activeElement")
    assert page.locator("form[data-tool]").get_attribute("data-same-form") == "yes"
    # Writing the answer clears the point to check.
    page.keyboard.type("The Head of Service.")
    page.wait_for_function("() => !document.querySelector('[data-result]').textContent.includes('Points to check')",
                           timeout=RUNTIME_TIMEOUT_MS)
    wait_for_result(page, text="Questions not started (24)")
    assert answer.input_value() == "The Head of Service."
    # Choosing "Not started" again stores nothing for the status.
    control(page, "explore-data-quality--status").select_option("")
    wait_for_result(page, text="Questions not started (25)")

    # Everything the result can show, including a point to check, passes axe.
    clear(page)
    fill(page, {**UNDER_WAY.answers, "explore-governance--answer": ""})
    wait_for_result(page, text="Points to check (1)")
    assert axe_violations_in_both_palettes(page) == {"default": [], "slate": []}


def test_without_javascript_every_question_and_control_shows_with_the_note(open_page, site_url):
    page, problems = open_page(java_script_enabled=False)
    page.goto(site_url + PAGE)
    questions = page.locator(".cssc-workbook__question")
    assert questions.count() == len(QUESTIONS)
    for qid in QUESTIONS:
        for part in ("answer", "status", "comments"):
            assert control(page, f"{qid}--{part}").is_visible(), (qid, part)
    assert page.locator(".cssc-tool__nojs").is_visible()
    assert "needs JavaScript" in page.locator(".cssc-tool__nojs").inner_text()
    assert page.locator("[data-action=download]").is_hidden()
