"""A report on a reader's file (the data quality check's, test and monitor's) written once,
as the blocks of word_document.py, and downloaded as Markdown or as Word from them.

Each tool's view says what its report holds, in order, as headings, paragraphs, tables
and lists. `markdown_of` writes those blocks as Markdown; `word_model_of` hands them to
the page's Word writer (cssc-docx-writer.mjs) as a WordDocument. So the two downloads
cannot say different things, and the disclosure control applied when the report was
made (no rows; small counts shown as "fewer than 10"; values from the data only when
the reader ticked the box) holds for both.
"""

from __future__ import annotations

from typing import Any, Iterable

from .document_fields import markdown_line
from .word_document import WordDocument, footer_text

__all__ = ["markdown_of", "word_model_of"]


def _cell(text: str) -> str:
    return markdown_line(str(text)).replace("|", "\\|")


def _runs(block: dict[str, Any]) -> str:
    parts = []
    for run in block["runs"]:
        text = markdown_line(run["text"])
        if run.get("bold"):
            text = f"**{text}**"
        if run.get("italic"):
            text = f"_{text}_"
        # Spaces at a run's ends stay outside its emphasis ("**Disclosure:** Counts…").
        parts.append((" " if run["text"][:1].isspace() else "") + text + (" " if run["text"][-1:].isspace() else ""))
    return "".join(parts).strip()


def markdown_of(blocks: Iterable[dict[str, Any]]) -> str:
    """The blocks as a Markdown document: the title as `#`, Heading 1 as `##` and so on."""
    lines: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind == "heading":
            lines += ["#" * (block["level"] + 1) + " " + markdown_line(block["text"]), ""]
        elif kind == "paragraph":
            lines += [_runs(block), ""]
        elif kind in ("bullets", "numbered"):
            marker = "-" if kind == "bullets" else "1."
            lines += [f"{marker} {markdown_line(item)}" for item in block["items"]] + [""]
        elif kind == "table":
            header = block["header"]
            lines.append("| " + " | ".join(_cell(cell) for cell in header) + " |")
            lines.append("| " + " | ".join("---" for _ in header) + " |")
            lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in block["rows"]]
            lines.append("")
        else:
            raise ValueError(f"a report has no block of type {kind!r}")
    return "\n".join(lines)


def word_model_of(title: str, blocks: Iterable[dict[str, Any]], tool_title: str, version: str,
                  created: str) -> dict[str, Any]:
    """The model the page's Word writer takes, with the footer every tool's Word file has:
    what made it, which version of its questions, and when (`created`: an ISO date-time)."""
    return WordDocument(title=title, blocks=tuple(blocks), subject=tool_title,
                        footer=footer_text(tool_title, version, created)).to_dict()
