"""The stage checklists, end to end in Chromium against the built site: ticks and notes
saved across pages, the lifecycle progress, JSON download and load, the blank downloads
with JavaScript off, and the lifecycle navigation."""

from __future__ import annotations

import json

import pytest

from assessments.checklists.model import load_checklist_bank
from assessments.core.links import page_href
from support_browser import axe_violations, result_text, wait_for_address, wait_for_result

pytestmark = pytest.mark.browser

BANK = load_checklist_bank()
DESIGN = BANK.stage("design")
EXPLORATORY = BANK.stage("exploratory")
FORM = "form[data-tool=checklists]"
NOTE = "Agreed with the Information Governance team on 3 March."


def url(site_url: str, stage) -> str:
    return site_url + page_href(stage.page)


def box(stage, item, view: str | None = None) -> str:
    """The id the template gives an item's tick box on a stage page (or the checklists page: view "")."""
    form_id = "checklists" + (f"-{stage.slug}" if view is None else (f"-{view}" if view else ""))
    return f"#{form_id}--{stage.slug}--{item.id}--done"


def note(stage, item) -> str:
    return box(stage, item).removesuffix("--done") + "--note"



def test_ticks_and_notes_are_kept_shown_across_the_lifecycle_and_downloaded_and_loaded_back_whole(page, site_url, tmp_path):
    """One reader through the lifecycle, in one browser:
    - ticks and a note on a stage page are kept across a reload, with the progress of
      each section and the gates still to do;
    - another stage page shows the first stage, all ticked, in the lifecycle progress,
      and its row links to its page;
    - the download holds the whole lifecycle (the other page's ticks and note too); after
      Clear, loading it back gives the same ticks;
    - the checklists page shows every stage and shares the answers: the ticks from both
      stage pages and the note loaded back."""
    first, second = EXPLORATORY.items[:2]
    explored = len(EXPLORATORY.items)
    page.goto(url(site_url, EXPLORATORY))
    wait_for_result(page, FORM)
    page.check(box(EXPLORATORY, first))
    page.check(box(EXPLORATORY, second))
    page.fill(note(EXPLORATORY, first), NOTE)
    wait_for_result(page, FORM, text=f"2 of {explored} done")
    page.reload()
    wait_for_result(page, FORM, text=f"2 of {explored} done")
    assert page.is_checked(box(EXPLORATORY, first)) and page.is_checked(box(EXPLORATORY, second))
    assert page.input_value(note(EXPLORATORY, first)) == NOTE
    text = result_text(page, FORM)
    actions = EXPLORATORY.sections[0]
    assert f"{actions.title}: 2 of {len(actions.items)} done" in text
    assert "Still to do before moving on" in text  # the gates are not ticked

    # Every item of the first stage ticked: another stage page shows it complete.
    for item in EXPLORATORY.items[2:]:
        page.check(box(EXPLORATORY, item))
    wait_for_result(page, FORM, text=f"{explored} of {explored} done")
    page.goto(url(site_url, DESIGN))
    wait_for_result(page, FORM, text=f"0 of {len(DESIGN.items)} done")
    row = page.locator(f"{FORM} .cssc-progress-table tbody tr", has_text=EXPLORATORY.name)
    cells = row.locator("td").all_inner_texts()
    assert cells[:2] == [str(explored), str(explored)]
    assert "Complete" in cells[2]
    assert f"{explored} of {BANK.total_items} items done" in result_text(page, FORM)
    # Each stage in the table links to its page.
    assert page.request.get(row.locator("a").evaluate("a => a.href")).ok

    # Download from this page, clear, load back.
    item = DESIGN.items[0]
    page.check(box(DESIGN, item))
    wait_for_result(page, FORM, text=f"1 of {len(DESIGN.items)} done")
    with page.expect_download() as download_info:
        page.click(f"{FORM} [data-action=download]")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    record = json.loads(saved.read_text("utf-8"))
    assert record["tool"] == "checklists"
    # The one file holds the whole lifecycle: the ticks and note from the other page too.
    assert record["answers"] == {
        **{f"exploratory--{i.id}": ["done"] for i in EXPLORATORY.items},
        f"exploratory--{first.id}--note": NOTE,
        f"design--{item.id}": ["done"],
    }
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"{FORM} [data-action=clear]")
    wait_for_result(page, FORM, text=f"0 of {BANK.total_items} items done")
    assert not page.is_checked(box(DESIGN, item))
    page.set_input_files(f"{FORM} [data-action=load]", str(saved))
    wait_for_result(page, FORM, text=f"{explored + 1} of {BANK.total_items} items done")
    assert page.is_checked(box(DESIGN, item))

    # The checklists page: every stage, the same answers, the other page's note loaded back.
    page.goto(site_url + "tools/checklists/")
    wait_for_result(page, FORM, text=f"{explored + 1} of {BANK.total_items} items done")
    assert page.locator(f"{FORM} input[type=checkbox]").count() == BANK.total_items
    assert page.is_checked(box(DESIGN, item, view=""))
    assert page.is_checked(box(EXPLORATORY, first, view=""))
    assert page.input_value(box(EXPLORATORY, first, view="").removesuffix("--done") + "--note") == NOTE


def test_downloads_work_with_javascript_off(open_page, site_url):
    page, problems = open_page(java_script_enabled=False)
    page.goto(url(site_url, DESIGN))
    assert page.locator(".cssc-tool__nojs").is_visible()
    assert page.locator(f"{FORM} input[type=checkbox]").count() == len(DESIGN.items)
    links = page.locator(".cssc-checklist__downloads a")
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) == 6  # this stage and all stages, in Word, Markdown and CSV
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, href
        assert len(response.body()) > 100
    assert any(h.endswith("/downloads/checklists/design.docx") for h in hrefs)
    assert any(h.endswith("/downloads/checklists/all-stages.csv") for h in hrefs)


def test_the_design_page_has_no_accessibility_violations_and_its_lifecycle_navigation_works(page, site_url):
    """One stage page: axe finds nothing before and after an item is ticked; the lifecycle
    navigation marks this stage, links to every stage, and its next and previous links work."""
    page.goto(url(site_url, DESIGN))
    wait_for_result(page, FORM)
    assert axe_violations(page) == []
    page.locator(f"{FORM} input[type=checkbox]").first.check()
    wait_for_result(page, FORM, text="1 of")
    assert axe_violations(page) == []

    strip = page.get_by_role("navigation", name="Lifecycle stages")
    current = strip.locator("[aria-current=step]")
    assert current.inner_text() == DESIGN.name
    assert "You are here" in strip.locator(".cssc-lifecycle__stage--current").inner_text()
    assert strip.locator("a").count() == len(BANK.stages)
    index = BANK.stages.index(DESIGN)
    # The theme's instant navigation may add the heading in view to the address.
    page.get_by_role("link", name=f"Next stage: {BANK.stages[index + 1].name}").click()
    wait_for_address(page, url(site_url, BANK.stages[index + 1]))
    page.get_by_role("link", name=f"Previous stage: {DESIGN.name}").click()
    wait_for_address(page, url(site_url, DESIGN))


def test_the_checklists_page_has_no_accessibility_violations(page, site_url):
    page.goto(site_url + "tools/checklists/")
    wait_for_result(page, FORM)
    assert axe_violations(page) == []
    page.locator(f"{FORM} input[type=checkbox]").first.check()
    wait_for_result(page, FORM, text="1 of")
    assert axe_violations(page) == []


def test_why_this_opens_from_the_keyboard_and_names_the_source(page, site_url):
    stage = BANK.stage("choose-a-solution")
    item = next(i for i in stage.items if i.id == "identify-and-catalogue-datasets")
    page.goto(url(site_url, stage))
    wait_for_result(page, FORM)
    # The stage's key question is ours (the guidance gives none), and says so in words.
    assert "Key question (our wording):" in page.locator(f"{FORM} .cssc-checklist__question").inner_text()
    why = page.locator(f"{box(stage, item).removesuffix('--done')} details.cssc-source")
    explanation = why.locator("p")
    assert not explanation.is_visible()
    why.locator("summary").focus()
    page.keyboard.press("Enter")
    assert explanation.is_visible()
    assert explanation.inner_text() == "From the Main Guidance, \u201cIdentify the datasets needed\u201d."
    assert not page.is_checked(box(stage, item))  # opening it never ticks the item
    ours = page.locator(f"{FORM} details.cssc-source[data-source=ours] summary")
    assert ours.count() == 1 + sum(i.source.ours for i in stage.items)  # the key question, then our items
    # Its words say "our addition"; screen readers also hear which item it is about.
    assert ours.first.inner_text().startswith("Why this? (our addition)")
