"""Every tool can be completed with the keyboard alone (WCAG 2.1.1).

For each registered tool, the test tabs from the top of its page to the theme's "Skip to
content" link, follows it past the header and the site's navigation, and tabs on into the
form and through it, answering each question it lands on with keys only (Space for the
first radio button or checkbox of a question, typing in the first text field, arrow keys
for drop-down lists). It then checks that every visible control of the form was reached
(each text field editable), that the answers were saved and scored, and that Download
JSON works from the keyboard.
"""

from __future__ import annotations

import json

import pytest

from assessments.core.links import page_href
from assessments.tools import TOOLS, Tool
from support_browser import RUNTIME_TIMEOUT_MS, saved_answers, wait_for_result

pytestmark = [pytest.mark.browser, pytest.mark.long]

MAX_TABS = 3000  # the longest form (the ethics workbook) needs a few hundred

FOCUSED = """(form) => {
    const element = document.activeElement;
    const root = document.querySelector(form);
    if (!element || !root.contains(element)) return { inside: false };
    return { inside: true, tag: element.tagName.toLowerCase(), type: element.type || "",
             name: element.name || "", checked: !!element.checked, readonly: !!element.readOnly, action: element.dataset.action || "" };
}"""

VISIBLE_CONTROLS = """(form) => {
    const root = document.querySelector(form);
    const names = new Set();
    for (const control of root.elements) {
        if (!control.name || control.type === "file" || control.type === "hidden" || control.disabled) continue;
        if (control.offsetParent === null) continue;  // hidden (a question that does not apply)
        names.add(control.name);
    }
    return [...names];
}"""


def answer_with_keys(page, form: str, branching: bool) -> set[str]:
    """Tab into and through the form, answering what gets focus; return names reached.

    With `branching`, an answer can make a follow-up question appear next in the tab
    order, so after each answer Python's reply is awaited, as a person would wait."""
    reached: set[str] = set()
    entered = typed = False
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, form)
        if not focused["inside"]:
            if entered:
                return reached
            continue
        entered = True
        name = focused["name"]
        if not name or focused["type"] == "file":
            continue  # buttons, links and file pickers are not answers
        first_visit = name not in reached
        reached.add(name)
        if focused["type"] in ("radio", "checkbox"):
            # One choice per question: ticking every box could contradict an
            # exclusive answer such as "None of these".
            if first_visit and not focused["checked"]:
                page.keyboard.press("Space")
        elif focused["tag"] == "select":
            page.keyboard.press("ArrowDown")
        elif focused["type"] not in ("number", "date"):
            # A real keystroke in the first text field proves typing reaches the form (no
            # script of ours handles keys in it); every other one reached must be editable.
            # Typing into each cost a second per 40 fields (the checklists page has 170).
            assert not focused["readonly"], f"{name} cannot be typed in"
            if not typed:
                page.keyboard.type("T")
                typed = True
        if branching:
            # The result region is busy from the answer until Python has replied.
            page.wait_for_function(
                "form => !document.querySelector(form + ' [data-result]').hasAttribute('aria-busy')",
                arg=form, timeout=RUNTIME_TIMEOUT_MS)
    raise AssertionError(f"focus never left {form} after {MAX_TABS} presses of Tab")


@pytest.mark.parametrize("slug", sorted(TOOLS))
def test_every_tool_can_be_completed_with_the_keyboard_alone(open_page, instant_site_url, slug, tmp_path):
    page, _problems = open_page(site=instant_site_url)
    form = f"form[data-tool='{slug}']"
    page.goto(instant_site_url + page_href(TOOLS[slug].page))
    wait_for_result(page, form)
    # The page's first stop is the theme's "Skip to content" link, which passes the
    # header and the site's navigation (WCAG 2.4.1), as a keyboard user does.
    # With instant navigation, as readers have it, the theme records the link's address,
    # then sends itself a popstate event, on which it leaves focus on the page at the
    # content's start, where the next Tab goes on from.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('md-skip')")
    page.evaluate("() => addEventListener('popstate', () => { window.__skipped = true; }, {once: true})")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__skipped && document.activeElement === document.body")
    # Only tools with questions that apply or not depending on answers have follow-ups.
    branching = TOOLS[slug].inactive is not Tool.__dataclass_fields__["inactive"].default
    reached = answer_with_keys(page, form, branching)
    visible = set(page.evaluate(VISIBLE_CONTROLS, form))
    assert visible and visible <= reached, f"not reachable by Tab: {sorted(visible - reached)}"

    stored = saved_answers(page, slug)
    assert stored, "nothing was saved"
    wait_for_result(page, form)

    # Download JSON, reached and pressed from the keyboard.
    page.focus(f"{form} [data-action=load]")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.dataset.action") in ("download", "download-as")
    page.focus(f"{form} [data-action=download]")
    message = page.locator(f"{form} [data-message]")
    assert message.inner_text() == "", message.inner_text()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    saved = tmp_path / "record.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text("utf-8"))["tool"] == slug
