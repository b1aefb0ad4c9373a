"""Asking the browser to keep the answers, and the note on what it will do with them
(cssc-keep.js), in Chromium with persistent storage granted, refused, and held already.

The browser's answer is set by replacing navigator.storage.persist() and persisted()
before the page's scripts run, as each browser would answer. WebKit, where the note says
the answers may be deleted, is run for real in tests/engines.
"""

from __future__ import annotations

import pytest

from support_browser import axe_violations, wait_for_result

pytestmark = pytest.mark.browser

PAGE = "tools/ethics-triage/"
NOTICE = "form[data-tool] [data-keep-notice]"

# The browser's answer to persist(): `granted`, and whether the storage is persistent at
# the start (`already`). A grant lasts, as the browser's would (remembered under a key of
# the test's own). Calls are counted in window.csscPersistCalls.
BROWSER_ANSWERS = """(() => {
    const granted = %s;
    const already = %s;
    const persistent = () => already || localStorage.getItem('test:persistent') === 'yes';
    window.csscPersistCalls = 0;
    Object.defineProperty(StorageManager.prototype, 'persisted', {
        configurable: true, value: async () => persistent()});
    Object.defineProperty(StorageManager.prototype, 'persist', {
        configurable: true,
        value: async () => {
            window.csscPersistCalls += 1;
            if (granted) localStorage.setItem('test:persistent', 'yes');
            return persistent();
        }});
})();"""


def open_tool(open_page, site_url, granted: bool):
    page, _problems = open_page()
    page.add_init_script(BROWSER_ANSWERS % (str(granted).lower(), "false"))
    page.goto(site_url + PAGE)
    wait_for_result(page)
    return page


TYPED = ("use-case-name", "completed-by-data-practitioner", "completed-by-project-manager",
         "completed-by-information-governance")


def answer_first_questions(page, count: int = 2) -> None:
    for question in TYPED[:count]:
        page.fill(f"#ethics-triage--{question}--answer", f"Answer to {question}")
        wait_for_result(page)


def wait_for_the_note_to_decide(page) -> None:
    """Wait until the note has settled what, if anything, it says on this page (once
    answers are saved, and the browser has answered or the note's wait for it is over)."""
    page.wait_for_function(
        "(selector) => document.querySelector(selector)?.dataset.keepCase !== undefined", arg=NOTICE)


def persist_calls(page) -> int:
    return page.evaluate("() => window.csscPersistCalls")


def test_granted_the_first_answer_asks_once_no_note_shows_and_once_held_nothing_is_asked_again(open_page, site_url):
    """Persistent storage granted: nothing is asked before an answer is saved; the first
    answers ask once and no note shows. On the next visit the storage is held already:
    answering more asks nothing and shows nothing."""
    page = open_tool(open_page, site_url, granted=True)
    notice = page.locator(NOTICE)
    assert notice.is_hidden()
    assert persist_calls(page) == 0, "asked before anything was saved"
    answer_first_questions(page)
    wait_for_the_note_to_decide(page)
    assert persist_calls(page) == 1
    assert notice.is_hidden()
    page.reload()
    wait_for_result(page)
    wait_for_the_note_to_decide(page)
    assert notice.is_hidden(), "persistent storage: nothing to say"
    assert persist_calls(page) == 0, "persistent already: not asked again"
    # Held already: more answers ask nothing, and nothing is shown.
    for question in TYPED[2:]:
        page.fill(f"#ethics-triage--{question}--answer", f"Answer to {question}")
        wait_for_result(page)
    wait_for_the_note_to_decide(page)
    assert persist_calls(page) == 0
    assert notice.is_hidden()


def test_refused_a_quiet_line_says_where_the_answers_live_is_dismissed_for_the_visit_and_told_again_on_the_next(
        open_page, site_url):
    """Persistent storage refused: nothing is said before an answer; then a quiet line, a
    status, says where the answers live (no WebKit warning) and passes axe; asked once per
    visit; Enter on its button dismisses it and focus goes on to Download JSON; it stays
    away for the visit (reload, another tool); a new visit (a new tab: its own session) to
    the answers saved before is told at once, before answering; Escape dismisses it."""
    page = open_tool(open_page, site_url, granted=False)
    notice = page.locator(NOTICE)
    assert notice.is_hidden(), "nothing saved yet: nothing to say"
    answer_first_questions(page)
    notice.wait_for(state="visible")
    assert persist_calls(page) == 1
    assert notice.get_attribute("role") == "status"
    text = notice.inner_text()
    assert "Your answers are saved in this browser only." in text
    assert "Download JSON" in text and "My project" in text
    assert "may delete" not in text and "7 days" not in text
    assert notice.evaluate("element => element.classList.contains('cssc-keep--warning')") is False
    link = notice.get_by_role("link", name="My project")
    assert link.get_attribute("href").endswith("tools/my-project/")
    assert axe_violations(page) == []
    answer_first_questions(page, 4)
    assert persist_calls(page) == 1, "asked once per visit"

    # Dismissed from the keyboard: the focus goes on to Download JSON.
    button = notice.get_by_role("button", name="Dismiss this note on keeping your answers")
    button.focus()
    page.keyboard.press("Enter")
    assert notice.is_hidden()
    assert page.evaluate("() => document.activeElement.dataset.action") == "download"

    # The rest of the visit (a reload keeps the tab's session), on this page and others.
    page.reload()
    wait_for_result(page)
    wait_for_the_note_to_decide(page)
    assert notice.is_hidden()
    page.goto(site_url + "tools/data-maturity/")
    wait_for_result(page)
    page.locator("form[data-tool] input[type=radio]").first.check()
    wait_for_result(page)
    wait_for_the_note_to_decide(page)
    assert page.locator(NOTICE).is_hidden()

    # A new visit (a new tab: its own session) to answers saved before: told at once.
    second = page.context.new_page()
    second.goto(site_url + PAGE)
    wait_for_result(second)
    again = second.locator(NOTICE)
    again.wait_for(state="visible")
    assert "saved in this browser only" in again.inner_text()
    # Escape on its button dismisses it too.
    again.get_by_role("button").focus()
    second.keyboard.press("Escape")
    assert again.is_hidden()


# Safari on a Mac, and Chrome on an iPad (on iPadOS every browser is WebKit); Edge on
# Windows names AppleWebKit too, but is Chromium.
SAFARI_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "Version/18.1 Safari/605.1.15")
CHROME_IPAD = ("Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
               "CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1")
EDGE_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")


@pytest.mark.parametrize("user_agent, warned", [(SAFARI_MAC, True), (CHROME_IPAD, True), (EDGE_WINDOWS, False)],
                         ids=["safari-mac", "chrome-ipad", "edge-windows"])
def test_where_the_engine_is_webkit_the_note_says_the_answers_may_be_deleted(open_page, site_url, user_agent, warned):
    page, _problems = open_page(user_agent=user_agent)
    page.add_init_script(BROWSER_ANSWERS % ("false", "false"))
    page.goto(site_url + PAGE)
    wait_for_result(page)
    answer_first_questions(page, 1)
    notice = page.locator(NOTICE)
    notice.wait_for(state="visible")
    text = notice.inner_text()
    assert ("This browser may delete your answers." in text) is warned
    assert ("7 days without a visit" in text) is warned
    assert ("saved in this browser only" in text) is not warned
    assert "Download JSON" in text and "My project" in text
    # Marked in words first; the bar beside it only repeats them.
    assert notice.evaluate("element => element.classList.contains('cssc-keep--warning')") is warned


def test_on_webkit_with_persistence_granted_nothing_is_said(open_page, site_url):
    page, _problems = open_page(user_agent=SAFARI_MAC)
    page.add_init_script(BROWSER_ANSWERS % ("true", "false"))
    page.goto(site_url + PAGE)
    wait_for_result(page)
    answer_first_questions(page, 1)
    wait_for_the_note_to_decide(page)
    assert persist_calls(page) == 1
    assert page.locator(NOTICE).is_hidden()
