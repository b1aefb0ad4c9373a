"""The transparency record result as HTML, and the record as Markdown ready to publish.

The result lists the fields still empty in each part (Tier 1, Tier 2), each linking to
its box in the form, then previews the record as the public will read it: Tier 1, then
Tier 2's sections, in the standard's order. The Markdown download is that same record.
"""

from __future__ import annotations

from typing import Any

from .document_fields import markdown_line, markdown_text
from .html import Markup, element as e
from .word_document import Run, WordDocument, answer, heading, paragraph
from .transparency_record import TransparencyBank, TransparencyResult, load_transparency_bank

__all__ = [
    "render_transparency_result",
    "summarise_transparency_result",
    "transparency_markdown",
    "transparency_word",
]

_NOT_WRITTEN = "Not completed yet."
_OWN_USE = "For your own use: not part of the published record"
_OWN_USE_NOTE = "These fields are kept with the record for your own files and are not published."


def _field_href(field_id: str) -> str:
    # The form gives each field's container the id "transparency-record--<field id>".
    return f"#transparency-record--{field_id}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def render_transparency_result(result: TransparencyResult, site_root: str = "",
                               bank: TransparencyBank | None = None) -> Markup:
    """What is still empty in each part, then a preview of the record, as escaped HTML."""
    bank = bank or load_transparency_bank()
    fields = bank.fields
    missing = result.missing_to_publish
    if result.ready_to_publish:
        headline = "Every field needed to publish is filled in. Check the preview, then get sign-off to publish."
    else:
        headline = f"{_count(len(missing), 'field', 'fields')} needed to publish still empty."
    parts: list[Markup] = [e("p", e("strong", headline), class_="cssc-result__headline cssc-tr__progress",
                             data_ready="true" if result.ready_to_publish else "false")]

    def links(ids: tuple[str, ...]) -> Markup:
        return e("ul", [e("li", e("a", fields[fid].label, href=_field_href(fid))) for fid in ids])

    parts.append(e("h3", "What is still empty", class_="cssc-tr__progress"))
    for part in result.parts:
        children: list[Markup] = [e("h4", part.title),
                                  e("p", f"{part.written} of {part.fields} fields filled in.")]
        if part.empty_required:
            children += [e("p", "Needed to publish:"), links(part.empty_required)]
        if part.empty_optional:
            children += [e("p", "Optional, still empty:"), links(part.empty_optional)]
        if not part.empty_required and not part.empty_optional:
            children.append(e("p", "Nothing: every field is filled in."))
        parts.append(e("div", children, class_="cssc-tr__part cssc-tr__progress", data_part=part.id,
                       data_empty_required=len(part.empty_required)))

    parts.append(_preview(result, bank))
    return e("div", parts, class_="cssc-result__body cssc-tr")


def _preview(result: TransparencyResult, bank: TransparencyBank) -> Markup:
    by_section: dict[str, list] = {}
    for line in result.lines:
        by_section.setdefault(line.section, []).append(line)
    children: list[Markup] = [
        e("h3", f"Preview: {bank.title}", id="transparency-record--preview"),
        e("p", "This is how the record will read. Download Markdown to publish it, or print this page (Ctrl+P, "
               "or \u2318+P on a Mac) to share a draft: the questions and buttons are left out of the printout.",
          class_="cssc-tr__print-note"),
        e("p", e("strong", "Name: "), result.name or _NOT_WRITTEN),
    ]
    for part in bank.parts:
        children.append(e("h4", part.title))
        numbered = part.id != bank.parts[0].id and len(bank.part_sections(part.id)) > 1
        for number, section in enumerate(bank.part_sections(part.id), start=1):
            items = []
            for line in by_section[section.id]:
                label = line.label + ("" if line.publish else " (not published)")
                answer = (e("dd", line.answer, class_="cssc-tr__answer") if line.answer
                          else e("dd", e("em", _NOT_WRITTEN), class_="cssc-tr__empty"))
                items.append(Markup(e("dt", label) + answer))
            if len(bank.part_sections(part.id)) > 1:
                children.append(e("h5", f"{number}. {section.title}" if numbered else section.title))
            children.append(e("dl", items, class_="cssc-tr__fields", data_record_section=section.id))
    children.append(e("p", f"Questions version: {bank.title} {bank.version}.", class_="cssc-tr__version"))
    return e("section", children, class_="cssc-tr__preview", aria_labelledby="transparency-record--preview")


def summarise_transparency_result(result: TransparencyResult) -> str:
    """One line for the page's status region (read out by screen readers)."""
    if not result.answered:
        return f"Result updated: nothing written yet; {len(result.missing_to_publish)} fields are needed to publish."
    counts = "; ".join(f"{p.short_title}: {p.written} of {p.fields}" for p in result.parts)
    if result.ready_to_publish:
        return f"Result updated: every field needed to publish is filled in ({counts})."
    return (f"Result updated: {_count(len(result.missing_to_publish), 'field', 'fields')} needed to publish "
            f"still empty ({counts}).")


def transparency_markdown(answers: dict[str, Any], result: TransparencyResult,
                          bank: TransparencyBank | None = None) -> str:
    """The record as Markdown ready to publish: the record's details, Tier 1, then Tier 2
    in the standard's order. Fields marked `publish = false` are left out; everything
    typed is escaped by `markdown_text`, so nothing in it can become markup."""
    bank = bank or load_transparency_bank()
    by_section: dict[str, list] = {}
    for line in result.lines:
        by_section.setdefault(line.section, []).append(line)
    title = markdown_line(result.name) if result.name else "untitled"
    out = [f"# {markdown_line(bank.title)}: {title}", ""]
    first, *tiers = bank.parts
    # The record's details (phase, date) sit under the title, as lines of their own.
    for section in bank.part_sections(first.id):
        for line in by_section[section.id]:
            if line.publish:
                value = markdown_line(line.answer) if line.answer else _NOT_WRITTEN
                out += [f"**{markdown_line(line.label)}:** {value}", ""]
    for part in tiers:
        out += [f"## {markdown_line(part.title)}", ""]
        sections = bank.part_sections(part.id)
        level = "###" if len(sections) == 1 else "####"
        for number, section in enumerate(sections, start=1):
            if len(sections) > 1:
                out += [f"### {number}. {markdown_line(section.title)}", ""]
            for line in by_section[section.id]:
                if not line.publish:
                    continue
                out += [f"{level} {markdown_line(line.label)}", ""]
                out += [markdown_text(line.answer) if line.answer else f"*{_NOT_WRITTEN}*", ""]
    return "\n".join(out)


def transparency_word(answers: dict[str, Any], result: TransparencyResult,
                      bank: TransparencyBank | None = None) -> WordDocument:
    """The record for Word, as the Markdown download: the record's details, Tier 1, then
    Tier 2 in the standard's order; fields marked `publish = false` are left out."""
    bank = bank or load_transparency_bank()
    by_section: dict[str, list] = {}
    for line in result.lines:
        by_section.setdefault(line.section, []).append(line)
    title = f"{bank.title}: {result.name or 'untitled'}"
    blocks = [heading(title, 0)]
    first, *tiers = bank.parts
    for section in bank.part_sections(first.id):
        for line in by_section[section.id]:
            if line.publish:
                blocks.append(paragraph(Run(f"{line.label}: ", bold=True), line.answer or _NOT_WRITTEN))
    for part in tiers:
        blocks.append(heading(part.title, 1))
        sections = bank.part_sections(part.id)
        level = 2 if len(sections) == 1 else 3
        for number, section in enumerate(sections, start=1):
            if len(sections) > 1:
                blocks.append(heading(f"{number}. {section.title}", 2))
            for line in by_section[section.id]:
                if line.publish:
                    blocks += [heading(line.label, level), answer(line.answer, _NOT_WRITTEN)]
    # A council files the whole record: what is kept out of the published text follows, marked.
    kept = [line for line in result.lines if not line.publish]
    if kept:
        blocks += [heading(_OWN_USE, 1), paragraph(_OWN_USE_NOTE)]
        for line in kept:
            blocks += [heading(line.label, 2), answer(line.answer, _NOT_WRITTEN)]
    return WordDocument(title=title, subject=bank.title, blocks=tuple(blocks))
