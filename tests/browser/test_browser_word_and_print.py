"""Word downloads and printed records of the five tools whose documents a council files:
the data maturity result, the ethics triage record, the ethics workbook, the business
case and the transparency record.

Each tool is given a saved file (with typed text full of markup characters and line
breaks, where the tool takes typed text), then:
- "Download Word" gives a .docx that python-docx opens, with the headings Python laid
  out, every answer as typed, and a footer with the questions version and the date; the
  Word writer's library is fetched only when the reader asks for the file, and where it
  cannot be fetched the reader is told, with nothing downloaded and every other download working;
- printing gives the record alone: no navigation, no buttons, no page prose; the
  questions and answers, the questions version and the date it was printed.
"""

from __future__ import annotations

import json
from datetime import date

import docx
import pytest

from assessments.core.dates import date_words
from support_records import export_record, free_text_names, score_with_context
from assessments.tools import get_tool
from support_browser import wait_for_result
from support_word import refuse_word_writer, refused_download

pytestmark = pytest.mark.browser

HOSTILE = 'Line one <b>not bold</b> & "quoted" [not a link](x)\n# not a heading\n\nLast line'
# The ethics triage and data maturity take one-line text only.
MULTI_LINE = ("ethics-workbook", "business-case", "transparency-record")
TOOLS = ("data-maturity", "ethics-triage", "ethics-workbook", "business-case", "transparency-record")

# For each tool, a worked example of its bank and what its documents must say, written out
# here from that example's expected result (levels, risk, red flags, statuses, readiness) and
# its answers, not taken from the tool's own document model: (example, words in the Word file,
# words in the printed record, rows of a Word table as (first cell, start of the second)).
EXPECTED = {
    "data-maturity": (
        "Low across the board: improve data maturity first",  # overall emerging, governance beginning
        ["Overall data maturity: Emerging", "Focus on improving data maturity before building a tool"],
        ["Emerging", "Beginning"],
        [("How you use data to inform decisions and run services", "Emerging"),
         ("The governance of data, approaches to data protection and privacy", "Beginning")],
    ),
    "ethics-triage": (
        "Predictive individual risk scores with automatic referral",  # high, four red flags, ten themes
        ["Red flags (4)", "Themes flagged (10)",
         "The tool would act without a professional considering the evidence",
         "Predictive analytics at medium data maturity or below",
         "Predictive analytics without experienced data scientists",
         "Machine learning presented as proven at identifying individual risk",
         # Where a red flag rests on a rule of ours, the record says so (issue 28, point 14).
         "Our addition: the guidance does not use this site's five levels",
         "Our addition: we ask the same of every predictive tool"],
        ["High", "Red flags (4)", "Predictive analytics at medium data maturity or below",
         "Our addition: the guidance does not use this site's five levels"],
        [("Risk level", "High")],
    ),
    "ethics-workbook": (
        "Explore agreed with the oversight group, Develop under way",  # agreed / in progress / not started
        ["Progress: Discussed and agreed. 9 of 9 questions discussed and agreed; 0 not started.",
         "Progress: In progress. 0 of 9 questions discussed and agreed; 6 not started.",
         "Progress: Not started. 0 of 9 questions discussed and agreed; 9 not started."],
        ["Discussed and agreed", "In progress", "Not started"],
        [],
    ),
    "business-case": (
        "A complete business case for a placement sufficiency dashboard",  # ready for sign-off
        ["Business case: Placement sufficiency dashboard", "Every part needed for sign-off is written."],
        ["Business case: Placement sufficiency dashboard", "Priya Shah, Assistant Director, Children Looked After"],
        [],
    ),
    "transparency-record": (
        "A complete record for a placement sufficiency dashboard",  # nothing missing to publish
        ["Algorithmic transparency record: Placement sufficiency dashboard"],
        ["Placement sufficiency dashboard", "Example County Council", "commissioning@example.gov.uk"],
        [],
    ),
}


def _typed(tool, answers: dict) -> dict:
    """The example's answers with the hostile text in one of the tool's free-text answers (its
    published schema's): the longest one the example gives, or, where it gives none (the data
    maturity self-assessment, whose answers are choices), the first free-text field there is.
    The tool must accept it: a test of typed text that typed nothing would prove nothing."""
    answers = dict(answers)
    hostile = HOSTILE if tool.slug in MULTI_LINE else " ".join(HOSTILE.split())
    free = free_text_names(tool.slug, answers)
    assert free, f"{tool.slug} takes no free text"
    given = [name for name in free if isinstance(answers.get(name), str) and answers[name].strip()]
    field = max(given, key=lambda n: len(answers[n])) if given else free[0]
    typed = {**answers, field: hostile}
    tool.validate_answers(typed)  # raises, failing the test, if the tool refuses what was typed
    return typed


def case(slug: str) -> tuple:
    tool = get_tool(slug)
    name = EXPECTED[slug][0]
    example = next(e for e in tool.load_bank().examples if e.name == name)
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
def test_the_word_download_has_the_headings_and_every_answer_as_typed_and_printing_gives_the_record_alone(
        page, site_url, tmp_path, slug):
    """With the tool's saved file loaded, on one page:
    - the Word writer is fetched only when asked for; "Download Word" gives a .docx with
      the headings Python laid out, every answer as typed, the worked example's result in
      words, and a footer with the questions version and the date;
    - printing gives the record alone (no navigation, buttons or page prose) with the
      questions version, the date printed, every typed answer and the result in words."""
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
    typed = typed_answers(answers)
    assert typed, "nothing typed was checked"
    assert (HOSTILE if slug in MULTI_LINE else " ".join(HOSTILE.split())) in text  # markup characters as typed
    if slug in MULTI_LINE:
        assert HOSTILE in answers.values() and HOSTILE in text  # and line breaks, as typed
    # What the bank's worked example expects, in words, written in this test.
    _, says, _, rows = EXPECTED[slug]
    for words in says:
        assert words in text, words
    for first, second in rows:
        assert [row for row in cells if row[0] == first and row[1].startswith(second)], (first, second)
    footer = document.sections[0].footer.paragraphs[0].text
    assert f"questions version {tool.version}" in footer
    assert date_words(date.today().isoformat()) in footer

    # Printing gives the record alone.
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", "h1"):
        assert page.locator(chrome).first.is_hidden(), chrome
    visible_buttons = page.evaluate("""() => [...document.querySelectorAll('button, .md-button, input')]
        .filter((element) => element.checkVisibility()).map((element) => element.textContent || element.name)""")
    assert visible_buttons == []
    record = page.locator("[data-result]")
    assert record.is_visible()
    printed = page.locator("main").inner_text()
    assert "Questions version" in printed and f"{tool.title} {tool.version}" in printed
    assert f"Printed on {date_words(date.today().isoformat())}" in printed
    typed = typed_answers(answers)
    assert typed, "nothing typed was checked"
    for text in typed:
        assert text.split("\n")[0].strip() in printed, text[:60]
    for words in EXPECTED[slug][2]:  # the worked example's expected result, in words
        assert words in printed, words


def test_a_word_file_this_browser_cannot_make_is_explained_and_another_download_still_works(
        page, site_url, tmp_path, page_problems):
    refuse_word_writer(page, page_problems)
    answers = load(page, site_url, tmp_path, "business-case")
    said = refused_download(page, page.locator("[data-action=download-as][data-format=word]"),
                            page.locator("form[data-tool] [data-message]"), "The Word file could not be made in this browser.")
    assert "Your answers are unchanged: use another download" in said
    with page.expect_download() as download_info:
        page.click("[data-action=download]")
    saved = tmp_path / "again.json"
    download_info.value.save_as(saved)
    assert json.loads(saved.read_text("utf-8"))["answers"] == answers


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
