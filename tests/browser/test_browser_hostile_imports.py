"""Every tool page, loaded with a file full of HTML and script payloads, shows them as
text and runs none of them; a file refused for such an answer says so in plain text and
leaves the reader's answers as they were. Walks the registry of tools."""

from __future__ import annotations

import json

import pytest

from assessments.core.links import page_href
from support_records import export_record
from assessments.tools import TOOLS
from support_browser import wait_for_result
from support_records import PAYLOAD, example_answers, free_text_names, hostile_record

pytestmark = pytest.mark.browser

# The file's own name is shown too ("Loaded “…”"), so it carries markup as well.
HOSTILE_NAME = '<img src=x onerror="window.__xss=3">.json'


def choose_file(page, form: str, name: str, record: dict) -> None:
    page.set_input_files(f"{form} [data-action=load]", files=[
        {"name": name, "mimeType": "application/json", "buffer": json.dumps(record).encode("utf-8")}])


def no_markup_came_alive(page, form: str) -> None:
    assert page.evaluate("window.__xss") is None
    assert page.locator(f"{form} [onerror], {form} script, {form} [data-result] b, {form} [data-message] *").count() == 0


# The tool whose page also proves, before its accepted file, that a refused one changes nothing.
REFUSED_ON = "ethics-triage"


def a_refused_file_names_its_markup_as_text_and_keeps_the_answers(page, form: str) -> None:
    page.fill(f"{form} [name='use-case-name']", "Early help prediction")
    wait_for_result(page, form)
    before = page.locator(f"{form} [data-result]").inner_html()

    record = export_record(REFUSED_ON, example_answers(REFUSED_ON))
    record["answers"][PAYLOAD] = "yes"
    choose_file(page, form, "colleague.json", record)
    message = page.locator(f"{form} [data-message]")
    message.wait_for(state="visible")

    text = message.text_content()
    assert text.startswith("“colleague.json” was not loaded:") and PAYLOAD[:40] in text, text
    assert "not been changed" in text
    no_markup_came_alive(page, form)
    assert page.input_value(f"{form} [name='use-case-name']") == "Early help prediction"
    assert page.locator(f"{form} [data-result]").inner_html() == before


@pytest.mark.parametrize("slug", sorted(TOOLS))
def test_an_accepted_file_shows_its_markup_as_text_and_a_refused_one_keeps_the_answers(page, site_url, slug):
    """Each tool: a file full of markup (in its name and every free-text answer) loads, its
    markup shown as text in the fields, status and result, none of it run. On the
    ethics-triage page, first: a file refused for markup in an answer's name says so as
    text, runs none of it, and leaves the answers and result as they were."""
    tool = TOOLS[slug]
    record = hostile_record(slug)
    page.goto(site_url + page_href(tool.page))
    form = f"form[data-tool='{slug}']"
    wait_for_result(page, form)
    if slug == REFUSED_ON:
        a_refused_file_names_its_markup_as_text_and_keeps_the_answers(page, form)
    choose_file(page, form, HOSTILE_NAME, record)
    page.wait_for_function("(form) => document.querySelector(form + ' [data-status]').textContent.startsWith('Loaded')",
                           arg=form)
    wait_for_result(page, form)

    status = page.locator(f"{form} [data-status]").text_content()
    assert status.startswith(f"Loaded “{HOSTILE_NAME}”"), status
    no_markup_came_alive(page, form)
    # Every free-text answer on this page is in its field exactly as the file had it.
    names = free_text_names(slug, record["answers"])
    shown = page.evaluate(
        """([form, names]) => {
            const root = document.querySelector(form);
            return names.filter((n) => root.elements[n]).map((n) => root.elements[n].value);
        }""",
        [form, names],
    )
    assert shown == [PAYLOAD] * len(shown)
    assert len(shown) == len(names) or slug == "checklists"  # a stage page shows its own stage only
    if names and slug != "checklists":
        assert "<img src=x" in page.locator(f"{form} [data-result]").text_content()  # as text, in the result
