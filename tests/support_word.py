"""Reading a Word file a page downloaded: its headings and every word in it, as python-docx
(an independent reader of the format) finds them; and a Word download the page refuses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx

HEADING_STYLES = {"Title": 0, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3, "Heading 4": 4}


@dataclass(frozen=True)
class WordDownload:
    file_name: str
    headings: list[tuple[int, str]]  # (level, text); 0 is the title
    text: str  # every paragraph, table cell, header and footer, and the file's properties
    cells: list[list[str]]  # every table row


def download_word(page, button) -> WordDownload:
    with page.expect_download() as caught:
        button.click()
    saved = Path(caught.value.path())
    document = docx.Document(str(saved))
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    footers = [p.text for section in document.sections for p in section.footer.paragraphs]
    properties = [document.core_properties.title or "", document.core_properties.subject or ""]
    text = "\n".join([p.text for p in document.paragraphs] + ["\t".join(row) for row in cells] + footers + properties)
    headings = [(HEADING_STYLES[p.style.name], p.text) for p in document.paragraphs if p.style.name in HEADING_STYLES]
    return WordDownload(caught.value.suggested_filename, headings, text, cells)


def refuse_word_writer(page, page_problems) -> None:
    """The Word writer's library never arrives, as behind a proxy that refuses it or on a
    link gone since the page loaded: the browser's error for that file is expected."""
    page_problems["problems"].allow_missing("docx.mjs")
    page.route("**/assets/vendor/docx/docx.mjs", lambda route: route.fulfill(status=404, body="gone"))


def refused_download(page, button, message, words: str) -> str:
    """Click `button` and wait for `words` in `message` (locators): the page's words, once it
    is checked that nothing was downloaded."""
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    button.click()
    message.filter(has_text=words).wait_for()
    assert downloads == []
    return message.inner_text()
