"""Word downloads and printed records of the five tools whose documents a council files:
the data maturity result, the ethics triage record, the ethics workbook, the business
case and the transparency record.

Each tool is given a saved file (with typed text full of markup characters and line
breaks, where the tool takes typed text), then:
- "Download Word" gives a .docx that python-docx opens, with the headings Python laid
  out, every answer as typed, and a footer with the questions version and the date; the
  Word writer's library is fetched only when the reader asks for the file;
- printing gives the record alone: no navigation, no buttons, no page prose; the
  questions and answers, the questions version and the date it was printed.
"""

from __future__ import annotations

import json
from datetime import date

import docx
import pytest

from assessments.core.dates import date_words
from assessments.core.errors import InputError
from support_records import export_record, score_with_context
from assessments.tools import get_tool
from support_browser import wait_for_result

pytestmark = pytest.mark.browser

HOSTILE = 'Line one <b>not bold</b> & "quoted" [not a link](x)\n# not a heading\n\nLast line'
# The ethics triage and data maturity take one-line text only (or none).
MULTI_LINE = ("ethics-workbook", "business-case", "transparency-record")
TOOLS = ("data-maturity", "ethics-triage", "ethics-workbook", "business-case", "transparency-record")


def _typed(tool, answers: dict) -> dict:
    """The example's answers with the hostile text in place of the longest typed answer
    (a box of several lines, where the tool has one)."""
    answers = dict(answers)
    hostile = HOSTILE if tool.slug in MULTI_LINE else " ".join(HOSTILE.split())
    longest = max((name for name, value in answers.items() if isinstance(value, str)), key=lambda n: len(answers[n]))
    typed = {**answers, longest: hostile}
    try:
        tool.validate_answers(typed)
    except InputError:  # the data maturity self-assessment: choices only, nothing typed
        return answers
    return typed


def case(slug: str) -> tuple:
    tool = get_tool(slug)
    example = max(tool.load_bank().examples, key=lambda e: len(json.dumps(e.answers)))
    return tool, _typed(tool, example.answers)


def load(page, site_url, tmp_path, slug: str) -> dict:
    tool, answers = case(slug)
    page.goto(site_url + tool.page.removesuffix(".md") + "/")
    saved = tmp_path / f"{slug}.json"
    saved.write_text(json.dumps(export_record(slug, answers)), "utf-8")
    page.set_input_files("[data-action=load]", str(saved))
    wait_for_result(page)
    return answers


def typed_answers(answers) -> list[str]:
    """Every piece of text the reader typed (choices are ids, not text)."""
    found = []

    def walk(value):
        if isinstance(value, str):
            if " " in value.strip() or "\n" in value:
                found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(answers)
    return found


def document_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("slug", TOOLS)
def test_word_download_opens_with_the_headings_and_every_answer_as_typed(page, site_url, tmp_path, slug):
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    answers = load(page, site_url, tmp_path, slug)
    assert not [url for url in fetched if "docx" in url], "the Word writer loaded before it was asked for"

    with page.expect_download() as download_info:
        page.click("[data-action=download-as][data-format=word]")
    download = download_info.value
    assert download.suggested_filename.startswith(f"{slug}-") and download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert [url for url in fetched if url.endswith("/assets/vendor/docx/docx.mjs")]

    document = docx.Document(str(saved))
    tool = get_tool(slug)
    expected = tool.exports["word"].render(answers, score_with_context(tool, answers, None))
    expected_headings = [(block["level"], block["text"]) for block in expected.blocks if block["type"] == "heading"]
    styles = {"Title": 0, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3, "Heading 4": 4}
    headings = [(styles[p.style.name], p.text) for p in document.paragraphs if p.style.name in styles]
    assert headings == expected_headings
    assert document.core_properties.title == expected.title

    text = document_text(document)
    for typed in typed_answers(answers):
        assert typed.strip() in text, typed[:60]
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    for block in expected.blocks:  # tables as Python laid them out: the choices in words
        if block["type"] == "table":
            for row in block["rows"]:
                assert row in cells
    if slug in MULTI_LINE:
        assert HOSTILE in answers.values() and HOSTILE in text  # markup characters and line breaks as typed
    footer = document.sections[0].footer.paragraphs[0].text
    assert f"questions version {tool.version}" in footer
    assert date_words(date.today().isoformat()) in footer


@pytest.mark.parametrize("slug", TOOLS)
def test_printing_gives_the_record_alone_with_its_version_and_date(page, site_url, tmp_path, slug):
    answers = load(page, site_url, tmp_path, slug)
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", "h1"):
        assert page.locator(chrome).first.is_hidden(), chrome
    visible_buttons = page.evaluate("""() => [...document.querySelectorAll('button, .md-button, input')]
        .filter((element) => element.checkVisibility()).map((element) => element.textContent || element.name)""")
    assert visible_buttons == []
    record = page.locator("[data-result]")
    assert record.is_visible()
    printed = page.locator("main").inner_text()
    tool = get_tool(slug)
    assert "Questions version" in printed and f"{tool.title} {tool.version}" in printed
    assert f"Printed on {date_words(date.today().isoformat())}" in printed
    for typed in typed_answers(answers):
        assert typed.split("\n")[0].strip() in printed, typed[:60]


def test_a_printed_record_gives_its_date_in_words_in_every_month(page, site_url):
    # The page writes the date itself (cssc-tools.js), as Python writes it in the Word file.
    last_days = [date(2027, month, 28 if month == 2 else 31 - (month in (4, 6, 9, 11))) for month in range(1, 13)]
    page.clock.set_fixed_time(f"{last_days[0].isoformat()}T12:00:00")
    page.goto(site_url + "tools/data-maturity/")
    stamp = page.locator("[data-print-stamp]")
    for day in last_days:
        page.clock.set_fixed_time(f"{day.isoformat()}T12:00:00")
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        assert stamp.text_content().startswith(f"Printed on {date_words(day.isoformat())} from "), day
