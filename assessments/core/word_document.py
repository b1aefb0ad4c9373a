"""A document as data, for the Word (.docx) downloads.

Python decides what a downloaded document says and in what order; the page's Word
writer (overrides/assets/js/cssc-docx-writer.mjs, on the npm `docx` library) only turns
these blocks into Word's own styles: Title, Heading 1-4, List Bullet, List Number,
tables with a header row. The build writes the stage checklists' Word files with the
same writer from the same kind of model, so every Word file of the guide looks alike.

Text is kept as typed: a line break stays a line break. The one change is that the few
control characters an XML file cannot hold at all (form feed, vertical tab and the like)
become U+FFFD, because Word refuses a file that contains them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from .dates import date_words

__all__ = [
    "WordDocument",
    "Run",
    "word_text",
    "heading",
    "paragraph",
    "answer",
    "bullets",
    "numbered",
    "table",
    "checkbox_item",
    "footer_text",
]

# Characters XML 1.0 forbids (tab, line feed and carriage return are allowed).
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CHECKBOX = "\u2610"  # ☐


def word_text(value: Any) -> str:
    """Any value as text a Word file can hold: line endings as "\\n", nothing else changed
    except characters XML forbids (see the module's docstring)."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_IN_XML.sub("\ufffd", text)


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": word_text(self.text)}
        if self.bold:
            out["bold"] = True
        if self.italic:
            out["italic"] = True
        return out


def _runs(parts: Iterable[Run | str]) -> list[dict[str, Any]]:
    return [(part if isinstance(part, Run) else Run(part)).to_dict() for part in parts if part != ""]


def heading(text: str, level: int) -> dict[str, Any]:
    """Level 0 is the document's title (Word's Title style); 1-4 are Heading 1-4."""
    if level not in range(5):
        raise ValueError(f"heading level {level} is not 0-4")
    return {"type": "heading", "level": level, "text": word_text(text)}


def paragraph(*parts: Run | str, keep_with_next: bool = False, indent: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "paragraph", "runs": _runs(parts)}
    if keep_with_next:
        block["keep_with_next"] = True
    if indent:
        block["indent"] = True
    return block


def answer(text: str, empty: str) -> dict[str, Any]:
    """What the reader wrote, as typed (line breaks kept), or `empty` in italics."""
    if text.strip():
        return paragraph(text)
    return paragraph(Run(empty, italic=True))


def bullets(items: Iterable[str]) -> dict[str, Any]:
    return {"type": "bullets", "items": [word_text(item) for item in items]}


def numbered(items: Iterable[str]) -> dict[str, Any]:
    return {"type": "numbered", "items": [word_text(item) for item in items]}


def table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> dict[str, Any]:
    """A table whose first row is its header (repeated on every page Word prints)."""
    return {"type": "table", "header": [word_text(cell) for cell in header],
            "rows": [[word_text(cell) for cell in row] for row in rows]}


def checkbox_item(text: str) -> dict[str, Any]:
    """A ☐ item to tick on paper; it stays on the page of the line that follows it."""
    return paragraph(f"{CHECKBOX}  {text}", keep_with_next=True)


def footer_text(tool_title: str, version: str, created: str) -> str:
    """The foot of every page of a tool's Word file: what made it, which version of its
    questions, and when (`created`: an ISO date or date-time)."""
    return f"{tool_title}, questions version {version}. Made on {date_words(created[:10])}."


@dataclass(frozen=True)
class WordDocument:
    """A whole document: its properties, then its blocks in reading order.

    `footer` is printed at the foot of every page (the tool, its questions version and
    the date the file was made, added by api.py for every tool alike).
    """

    title: str
    blocks: tuple[dict[str, Any], ...]
    author: str = ""
    subject: str = ""
    footer: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "cssc-word-document",
            "title": word_text(self.title),
            "author": word_text(self.author),
            "subject": word_text(self.subject),
            "footer": word_text(self.footer),
            "blocks": list(self.blocks),
        }
