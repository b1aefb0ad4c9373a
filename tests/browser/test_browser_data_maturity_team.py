"""The data maturity team view in Chromium: colleagues' files chosen at once (and one
dropped), combined by Python in the page; bad files named one by one; the team result
downloaded and compared with a later one; nothing kept in browser storage."""

from __future__ import annotations

import json

import pytest

from assessments.data_maturity.model import ROLE, TEAM, load_data_maturity_bank
from support_records import export_record
from support_browser import axe_violations, result_text

pytestmark = pytest.mark.browser

BANK = load_data_maturity_bank()
PAGE = "tools/data-maturity-team/"
FORM = "form[data-team-view]"
CAPACITY = next(c for c in BANK.components if c.id == "analytical-capacity")


def respondent(role: str, capacity: str, team: str = "", everywhere: str = "mostly") -> dict:
    answers = {s: everywhere for s in BANK.statements}
    answers.update({s.id: capacity for s in CAPACITY.statements})
    answers[ROLE] = role
    if team:
        answers[TEAM] = team
    return answers


# Five colleagues in different roles; they disagree about analytical capacity.
FIVE = [
    ("analyst.json", respondent("analyst", "not-yet", "Performance and insight")),
    ("practitioner.json", respondent("data-practitioner", "in-places")),
    ("manager.json", respondent("team-manager", "partly")),
    ("ig.json", respondent("information-governance", "mostly")),
    ("leader.json", respondent("senior-leader", "embedded", everywhere="embedded")),
]


def payload(name: str, answers: dict, created: str = "2026-11-24T10:00:00Z") -> dict:
    text = json.dumps(export_record("data-maturity", answers, created=created))
    return {"name": name, "mimeType": "application/json", "buffer": text.encode("utf-8")}


def nothing_kept(page) -> bool:
    """No key of this guide in browser storage, and nothing from the files in any key
    (the theme keeps only the reader's palette)."""
    stored = page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")
    return not [key for key in stored if key.startswith("cssc")] and \
        not [key for key, value in stored.items() if "Performance and insight" in value or "analyst" in value]


def status(page) -> str:
    return page.locator(f"{FORM} [data-status]").inner_text()


def wait_for_status(page, text: str) -> None:
    page.wait_for_function("([form, text]) => document.querySelector(form + ' [data-status]').textContent.includes(text)",
                           arg=[FORM, text])


def test_five_colleagues_are_combined_disagreements_first_print_alone_and_every_worked_example_shows_its_result(page, site_url):
    """One page:
    - five colleagues' files are combined: the combined level, disagreements first,
      roles side by side, a chart with a text alternative, nothing kept in the browser,
      no accessibility violations;
    - printing gives the team result without the page around it;
    - every worked example in the bank, after starting again, shows its combined levels
      and disagreements."""
    page.goto(site_url + PAGE)
    page.set_input_files(f"{FORM} [data-action=team-files]", files=[payload(*f) for f in FIVE])
    wait_for_status(page, "5 respondents counted")

    text = result_text(page, FORM)
    # Capacity scores 1, 2, 3, 4, 5: the median is 3 (Learning); the other components
    # are 4, 4, 4, 4, 5: Established. The overall mean of the five is 3.8.
    assert "5 respondents. Combined overall data maturity: Established (score 3.80 out of 5)." in text
    rows = page.locator(f"{FORM} table:has(caption:text('Combined level by component')) tbody tr")
    capacity_row = rows.filter(has_text=CAPACITY.name).inner_text()
    assert "Learning" in capacity_row and "3.00" in capacity_row and "Beginning" in capacity_row and "Leading" in capacity_row
    # What to discuss comes first, and names the component and each of its statements.
    headings = page.locator(f"{FORM} [data-result] h3").all_inner_texts()
    assert headings.index("Where you disagree: discuss these first") < headings.index("Combined level by component")
    assert page.locator(f"{FORM} [data-component-disagreements] li").all_inner_texts() == [
        f"{CAPACITY.name}: respondents' levels range from Beginning to Leading."]
    disagreement_rows = page.locator(f"{FORM} table:has(caption:text('steps apart')) tbody tr")
    assert disagreement_rows.count() == len(CAPACITY.statements)
    assert "Not yet" in disagreement_rows.first.inner_text() and "Embedded" in disagreement_rows.first.inner_text()
    # The role breakdown: one row per role, each with its own levels.
    role_rows = page.locator(f"{FORM} table:has(caption:text('Combined level by role')) tbody tr").all_inner_texts()
    assert len(role_rows) == 5
    assert any(row.startswith("Senior leader\t1\tLeading") for row in role_rows), role_rows
    assert any(row.startswith("Analyst\t1\tEstablished") and "Beginning" in row for row in role_rows), role_rows
    # A chart with a text alternative, and the same numbers in the table before it.
    assert page.locator(f"{FORM} svg[role=img] title").text_content().startswith("How many respondents")
    # Nothing from colleagues' files is kept in this browser.
    assert nothing_kept(page)
    assert axe_violations(page) == []

    # The same result, printed.
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible() and not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(f"{FORM} .cssc-tool__actions").is_visible()
    assert page.locator(f"{FORM} [data-result] table").first.is_visible()
    page.emulate_media(media="screen")

    # Then every worked example in the bank, each after starting again.
    for example in BANK.team_examples:
        page.click(f"{FORM} [data-action=team-clear]")
        page.set_input_files(f"{FORM} [data-action=team-files]", files=[
            payload(f"respondent-{n}.json", dict(answers)) for n, answers in enumerate(example.respondents)])
        wait_for_status(page, f"{example.expected_respondents} respondents counted")
        rows = page.locator(f"{FORM} table:has(caption:text('Combined level by component')) tbody tr")
        shown = {BANK.components[index].id: rows.nth(index).locator("td").first.inner_text()
                 for index in range(len(BANK.components))}
        expected = {cid: BANK.level(level).name if level else "Not enough answers"
                    for cid, level in example.expected_component_levels.items()}
        assert shown == expected, example.name
        assert page.locator(f"{FORM} [data-component-disagreements] li").count() == \
            len(example.expected_disagreement_components), example.name


def test_the_team_result_downloads_and_compares_with_a_later_one_then_bad_files_are_named_and_the_rest_count(page, site_url, tmp_path):
    """One page:
    - three colleagues' team result downloads as JSON (counts, not anyone's answers) and
      Markdown, and compares with a later file; starting again empties the result and
      keeps nothing;
    - then bad files among good ones are named one by one and the rest still count, and
      one more colleague dropped on the page joins them."""
    page.goto(site_url + PAGE)
    page.set_input_files(f"{FORM} [data-action=team-files]", files=[payload(*f) for f in FIVE[:3]])
    wait_for_status(page, "3 respondents counted")
    with page.expect_download() as download:
        page.click(f"{FORM} [data-action=team-download][data-format=json]")
    saved = tmp_path / "team.json"
    download.value.save_as(saved)
    team_file = json.loads(saved.read_text("utf-8"))
    assert team_file["format"] == "cssc-analytics-guide/data-maturity-team"
    assert team_file["result"]["respondents"] == 3
    assert "Performance and insight" not in saved.read_text("utf-8")  # counts, not anyone's answers
    with page.expect_download() as download:
        page.click(f"{FORM} [data-action=team-download][data-format=markdown]")
    assert download.value.suggested_filename.endswith(".md")

    # Six months on, capacity has improved: compare the two, later file chosen first.
    team_file["created"] = "2026-01-05T09:00:00Z"
    later = payload("june.json", respondent("analyst", "embedded"), created="2026-06-05T09:00:00Z")
    page.set_input_files(f"{FORM} [data-action=team-compare]", files=[
        later, {"name": "january.json", "mimeType": "application/json", "buffer": json.dumps(team_file).encode()}])
    wait_for_status(page, "Compared:")
    comparison = page.locator(f"{FORM} [data-compare-result]").inner_text()
    assert "From 2026-01-05 (team, 3 respondents) to 2026-06-05 (one person, 1 respondent)." in comparison
    capacity = page.locator(f"{FORM} [data-compare-result] tr", has_text=CAPACITY.name).inner_text()
    assert "Up 3 levels" in capacity  # Emerging (the median of 1, 2, 3) to Leading

    page.click(f"{FORM} [data-action=team-clear]")
    assert "appears here once you choose" in result_text(page, FORM)
    assert page.is_disabled(f"{FORM} [data-action=team-download][data-format=json]")
    assert nothing_kept(page)

    # Bad files among good ones, chosen after starting again.
    good = payload("colleague.json", respondent("analyst", "mostly"))
    older = json.loads(good["buffer"])
    older["bank_version"] = "1.0.0"
    triage = {"name": "triage.json", "mimeType": "application/json",
              "buffer": json.dumps(export_record("ethics-triage", {})).encode("utf-8")}
    files = [good, dict(good, name="colleague (1).json"), triage,
             {"name": "half.json", "mimeType": "application/json", "buffer": b'{"format": "cssc-'},
             {"name": "older.json", "mimeType": "application/json", "buffer": json.dumps(older).encode("utf-8")}]
    page.set_input_files(f"{FORM} [data-action=team-files]", files=files)
    wait_for_status(page, "2 respondents counted, 3 files not counted")
    notes = page.locator(f"{FORM} [data-file-notes] li").all_inner_texts()
    assert "colleague (1).json: The same file as “colleague.json”, so it was counted once." in notes
    assert any(n.startswith("triage.json: Not counted:") and "not the Data maturity" in n for n in notes), notes
    assert any(n.startswith("half.json: Not counted: This file is not valid JSON") for n in notes), notes
    assert any(n.startswith("older.json: Counted. It was made with version 1.0.0") for n in notes), notes

    # One more colleague, dropped on the page, joins the others.
    page.evaluate("""([form, name, text]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, {type: 'application/json'}));
        const zone = document.querySelector(form + ' [data-drop-zone]');
        zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", [FORM, "dropped.json", payload("dropped.json", respondent("other", "embedded"))["buffer"].decode()])
    wait_for_status(page, "3 respondents counted")
