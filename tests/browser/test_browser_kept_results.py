"""The result kept from an earlier visit (cssc-kept-results.js), end to end in Chromium.

A returning reader sees the result Python last gave for exactly their answers while
Python starts; Python's answer then takes its place without redrawing it. It is never
shown for other answers or another runtime, it goes with "Clear my answers" and a
replaced project, and it gives way when the answers need the space.
"""

from __future__ import annotations

import json

import pytest

from support_browser import RUNTIME_TIMEOUT_MS, save_answers, saved_answers, wait_for_result

pytestmark = pytest.mark.browser

TRIAGE = "tools/ethics-triage/"
KEPT = "cssc-guide:v1:result:ethics-triage"
TOOL = "ethics-triage"
PREPARING = "Preparing the tool… It runs on this computer: nothing you type is sent anywhere."


def result_from(page) -> str | None:
    return page.evaluate("() => document.querySelector('[data-result]').dataset.resultFrom ?? null")


def wait_for_result_from(page, source: str) -> None:
    page.wait_for_function("source => document.querySelector('[data-result]')?.dataset.resultFrom === source",
                           arg=source, timeout=RUNTIME_TIMEOUT_MS)


def wait_for_kept_lookup(page) -> str:
    """Wait until the page has looked for a kept result; returns "shown" or "none"."""
    page.wait_for_function("() => document.querySelector('form[data-tool]')?.dataset.keptLookup")
    return page.evaluate("() => document.querySelector('form[data-tool]').dataset.keptLookup")


def status(page) -> str:
    return page.locator("[data-status]").inner_text()


def question(page, name: str):
    return page.locator(f'[data-question="{name}"]')


def hold_python(page) -> list:
    """Hold back the worker's script, so Python cannot start until `release` is called."""
    held = []
    page.context.route("**/cssc-worker.js", lambda route: held.append(route))
    return held


def release(page, held: list) -> None:
    # The held requests go on first: unrouting the last route ends interception, which
    # lets them go on by itself.
    for route in held:
        route.continue_()
    page.context.unroute("**/cssc-worker.js")


def shown_result(page) -> dict:
    """The result as a reader meets it: its text, and where each of its links leads."""
    return page.evaluate("""() => {
        const region = document.querySelector('[data-result]');
        return { text: region.innerText, links: [...region.querySelectorAll('a')].map((a) => a.href) };
    }""")


def answer_with_a_follow_up(page, site_url) -> tuple[dict, str]:
    """Answer so that a follow-up question shows; return Python's result and status."""
    page.goto(site_url + TRIAGE)
    page.check("#ethics-triage--uses-machine-learning--yes")
    page.check("#ethics-triage--ml-claims--proven")
    wait_for_result(page, text="Red flags (1)")
    return shown_result(page), status(page)


def test_a_returning_reader_sees_their_last_result_at_once_and_python_confirms_it(page, site_url):
    result, summary = answer_with_a_follow_up(page, site_url)
    held = hold_python(page)
    page.reload()
    wait_for_result_from(page, "kept")
    # The same result, summary and questions as Python gave, before Python has started.
    assert shown_result(page) == result
    assert status(page) == summary
    assert question(page, "ml-claims").is_visible()
    assert question(page, "data-quality-improvement").is_hidden()
    assert page.is_checked("#ethics-triage--ml-claims--proven")
    assert page.evaluate("() => document.documentElement.dataset.csscRuntime ?? null") is None
    page.evaluate("() => { window.__shown = document.querySelector('[data-result]').firstElementChild; }")

    release(page, held)
    wait_for_result_from(page, "python")
    wait_for_result(page, text="Red flags (1)")
    # Python agreed: nothing was redrawn, and the status was not announced a second time.
    assert page.evaluate("() => window.__shown.isConnected")
    assert status(page) == summary
    # Its links to places on the page move there, as Python's own do, without reloading.
    page.evaluate("() => { window.__samePage = true; }")
    page.get_by_role("link", name="See why the risk is high.").first.click()
    assert page.evaluate("() => document.activeElement.id") == "ethics-triage--why"
    assert page.evaluate("() => window.__samePage")
    # An answer changed now is Python's to work out, as before.
    page.check("#ethics-triage--uses-machine-learning--no")
    question(page, "ml-claims").wait_for(state="hidden")
    wait_for_result(page, text="Does not apply")


def _other_answers(stored: dict, entry: dict) -> tuple[dict, dict]:
    return {**stored, "analytics-type": "diagnostic"}, entry


def _another_runtime(stored: dict, entry: dict) -> tuple[dict, dict]:
    return stored, {view: {**kept, "runtime": "0000000000000000"} for view, kept in entry.items()}


def _damaged(stored: dict, entry: dict) -> tuple[dict, dict]:
    return stored, {view: {**kept, "html": None} for view, kept in entry.items()}


CHANGES = {"other-answers": _other_answers, "another-runtime": _another_runtime, "damaged": _damaged}


def test_a_kept_result_is_not_shown_for_other_answers_another_runtime_or_a_damaged_entry(page, site_url):
    """On one page, in turn, a kept result that does not fit is never shown while Python
    starts, and Python then answers:
    - for answers other than those it was worked out from;
    - worked out by another runtime;
    - damaged (its markup missing).
    Before each, the answers and the kept entry are written afresh from the first answer's."""
    answer_with_a_follow_up(page, site_url)
    stored = saved_answers(page, TOOL)
    entry = json.loads(page.evaluate(f"() => localStorage.getItem('{KEPT}')"))
    for name, change in CHANGES.items():
        answers, kept = change(stored, entry)
        save_answers(page, TOOL, answers)
        page.evaluate("([k, kept]) => localStorage.setItem(k, kept)", [KEPT, json.dumps(kept)])
        held = hold_python(page)
        page.reload()
        assert wait_for_kept_lookup(page) == "none", name
        assert result_from(page) is None, name
        assert status(page) == PREPARING, name
        assert "Red flags" not in page.locator("[data-result]").inner_text(), name
        release(page, held)
        wait_for_result(page)
        assert result_from(page) == "python", name


def test_clear_leaves_nothing_of_the_old_answers_in_the_browser(page, site_url):
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(site_url + "tools/user-needs/")
    page.fill("#user-needs--row-1--user", "Zebra-Quartz team")
    wait_for_result(page, text="Zebra-Quartz team")
    kept = "cssc-guide:v1:result:user-needs"
    assert "Zebra-Quartz" in page.evaluate(f"() => localStorage.getItem('{kept}')")
    page.click("[data-action=clear]")
    wait_for_result(page, text="No users listed yet")
    values = page.evaluate("() => Object.values(localStorage).join(' ')")
    assert "Zebra-Quartz" not in values


def test_kept_results_give_way_when_the_answers_need_the_space(page, site_url):
    answer_with_a_follow_up(page, site_url)
    # Fill the site's storage to the last few characters with another tool's kept result.
    page.evaluate("""() => {
        const key = 'cssc-guide:v1:result:business-case';
        let filler = '';
        for (let size = 1 << 22; size >= 16; size >>= 1) {
            try { localStorage.setItem(key, filler + 'x'.repeat(size)); filler += 'x'.repeat(size); }
            catch { /* too much: try half */ }
        }
    }""")
    page.check("#ethics-triage--analytics-type--diagnostic")
    wait_for_result(page, text="Risk level so far")
    stored = saved_answers(page, TOOL)
    assert stored["analytics-type"] == "diagnostic"
    assert page.evaluate("() => localStorage.getItem('cssc-guide:v1:result:business-case')") is None
    assert page.locator("[data-message]").inner_text() == ""  # nothing for the reader to worry about


def test_each_stage_page_keeps_its_own_result_of_the_one_checklist(page, site_url):
    # The stage checklists are one tool shown on many pages (views), each with its own
    # result: a tick on one stage changes the answers every stage page's result reads.
    exploratory, design = site_url + "guidance/explore/exploratory/", site_url + "guidance/develop/design/"
    form = "form[data-tool=checklists]"
    page.goto(exploratory)
    page.locator(f"{form} input[type=checkbox]").first.check()
    wait_for_result(page, form, text="1 of")
    exploratory_result = shown_result(page)
    page.goto(design)
    wait_for_result(page, form)
    design_result = shown_result(page)
    entries = json.loads(page.evaluate("() => localStorage.getItem('cssc-guide:v1:result:checklists')"))
    assert sorted(entries) == ["design", "exploratory"]

    held = hold_python(page)
    for address, expected in ((exploratory, exploratory_result), (design, design_result)):
        page.goto(address)
        wait_for_result_from(page, "kept")
        assert shown_result(page) == expected
    # A second tick on this page: the other stage's kept result no longer matches.
    release(page, held)
    wait_for_result_from(page, "python")
    page.locator(f"{form} input[type=checkbox]").first.check()
    wait_for_result(page, form, text="1 of")
    held = hold_python(page)
    page.goto(exploratory)
    assert wait_for_kept_lookup(page) == "none"
    assert result_from(page) is None
    release(page, held)
    wait_for_result(page, form, text="1 of")
