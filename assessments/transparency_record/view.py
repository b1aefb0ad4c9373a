"""The transparency record result as HTML, the record as Markdown ready to publish, and
the whole record for Word.

The result lists the fields still empty in each part (title information, Tier 1, Tier 2,
our own fields), each linking to its box in the form, then previews the record as the
public will read it, in the standard's order, saying which version of the standard it
follows. The Markdown download is that same record; the Word file adds our own fields,
marked as not part of the standard.
"""

from __future__ import annotations

from typing import Any

from ..core.document_fields import markdown_line, markdown_text
from ..core.html import Markup, element as e
from ..core.word_document import Run, WordDocument, answer, heading, paragraph
from .model import RecordLine, TransparencyBank, TransparencyResult, load_transparency_bank

__all__ = [
    "render_transparency_result",
    "summarise_transparency_result",
    "transparency_markdown",
    "transparency_word",
]

_NOT_WRITTEN = "Not completed yet."
_OWN_USE_NOTE = "Not part of the standard: these fields are kept with the record for your own files, and not published."


def _field_href(field_id: str) -> str:
    # The form gives each field's container the id "transparency-record--<field id>".
    return f"#transparency-record--{field_id}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def render_transparency_result(result: TransparencyResult, site_root: str = "",
                               bank: TransparencyBank | None = None) -> Markup:
    """What is still empty in each part, then a preview of the record, as escaped HTML."""
    bank = bank or load_transparency_bank()
    missing = result.missing_to_publish
    if result.ready_to_publish:
        headline = "Every field needed to publish is filled in. Check the preview, then get sign-off to publish."
    else:
        headline = f"{_count(len(missing), 'field', 'fields')} needed to publish still empty."
    parts: list[Markup] = [e("p", e("strong", headline), class_="cssc-result__headline cssc-tr__progress",
                             data_ready="true" if result.ready_to_publish else "false")]

    def links(ids: tuple[str, ...]) -> Markup:
        # An id may name a part of a list's entry ("operational-data-1--data-modality"):
        # the form's box for it has the same name, so the link reaches it too.
        return e("ul", [e("li", e("a", bank.label_of(fid), href=_field_href(fid))) for fid in ids])

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

    parts.append(_preview(result, bank, site_root))
    return e("div", parts, class_="cssc-result__body cssc-tr")


def _follows(bank: TransparencyBank) -> str:
    return f"This record follows the {bank.standard}."


def _entry_title(line: RecordLine, number: int, bank: TransparencyBank) -> str:
    return f"{bank.fields[line.field].item_name.capitalize()} {number}"


def _preview_answer(line: RecordLine, bank: TransparencyBank) -> Markup:
    if line.entries:
        return e("dd", e("ol", [e("li", e("p", e("strong", _entry_title(line, number, bank))),
                                     e("dl", [Markup(e("dt", label) + e("dd", value, class_="cssc-tr__answer"))
                                              for label, value in entry]))
                                for number, entry in enumerate(line.entries, start=1)], class_="cssc-tr__entries"))
    if line.answer:
        return e("dd", line.answer, class_="cssc-tr__answer")
    return e("dd", e("em", _NOT_WRITTEN), class_="cssc-tr__empty")


def _thresholds_with(result: TransparencyResult, line: RecordLine):
    """The thresholds agreed in the test and monitor tool, if `line` is the field that shows them."""
    agreed = result.agreed_thresholds
    return agreed if agreed and agreed.shown_with == line.field else None


def _preview(result: TransparencyResult, bank: TransparencyBank, site_root: str = "") -> Markup:
    by_section: dict[str, list] = {}
    for line in result.lines:
        by_section.setdefault(line.section, []).append(line)
    children: list[Markup] = [
        e("h3", f"Preview: {bank.title}", id="transparency-record--preview"),
        e("p", "This is how the record will read. Download Markdown or Word to publish it, or print this page "
               "(Ctrl+P, or \u2318+P on a Mac) to share a draft: the questions and buttons are left out of the "
               "printout.", class_="cssc-tr__print-note"),
        e("p", _follows(bank), class_="cssc-tr__standard"),
        e("p", e("strong", "Name: "), result.name or _NOT_WRITTEN),
    ]
    for part in bank.parts:
        children.append(e("h4", part.title))
        sections = bank.part_sections(part.id)
        for number, section in enumerate(sections, start=1):
            items = []
            for line in by_section[section.id]:
                item = e("dt", line.label + ("" if line.publish else " (not published)")) + _preview_answer(line, bank)
                agreed = _thresholds_with(result, line)
                if agreed:  # a second description of the same field (valid in a <dl>)
                    item += e("dd", agreed.html(site_root))
                items.append(Markup(item))
            if len(sections) > 1:
                children.append(e("h5", f"{number}. {section.title}"))
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
    """The record as Markdown ready to publish: Tier 1 (Summary information), then Tier 2
    in the standard's order. Fields marked `publish = false` (our own, for your files)
    are left out; everything typed is escaped by `markdown_text`, so nothing in it can
    become markup."""
    bank = bank or load_transparency_bank()
    by_section: dict[str, list] = {}
    for line in result.lines:
        by_section.setdefault(line.section, []).append(line)
    title = markdown_line(result.name) if result.name else "untitled"
    out = [f"# {markdown_line(bank.title)}: {title}", "", f"*{markdown_line(_follows(bank))}*", ""]
    for part in bank.parts:
        published = [line for section in bank.part_sections(part.id) for line in by_section[section.id]
                     if line.publish]
        if not published:
            continue
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
                if line.entries:
                    for number_in_list, entry in enumerate(line.entries, start=1):
                        out += [f"{level}# {markdown_line(_entry_title(line, number_in_list, bank))}", ""]
                        for label, value in entry:
                            out += [f"**{markdown_line(label)}:** {markdown_text(value)}", ""]
                else:
                    out += [markdown_text(line.answer) if line.answer else f"*{_NOT_WRITTEN}*", ""]
                agreed = _thresholds_with(result, line)
                if agreed:
                    out += agreed.markdown()
    return "\n".join(out)


def _word_answer(line: RecordLine, level: int, bank: TransparencyBank) -> list[dict[str, Any]]:
    if not line.entries:
        return [answer(line.answer, _NOT_WRITTEN)]
    blocks = []
    for number, entry in enumerate(line.entries, start=1):
        blocks.append(heading(_entry_title(line, number, bank), min(level + 1, 4)))
        blocks += [paragraph(Run(f"{label}: ", bold=True), value) for label, value in entry]
    return blocks


def transparency_word(answers: dict[str, Any], result: TransparencyResult,
                      bank: TransparencyBank | None = None) -> WordDocument:
    """The whole record for Word: Tier 1 (Summary information), Tier 2 in the standard's
    order, then our own fields, marked as not part of the standard and not published."""
    bank = bank or load_transparency_bank()
    by_section: dict[str, list] = {}
    for line in result.lines:
        by_section.setdefault(line.section, []).append(line)
    title = f"{bank.title}: {result.name or 'untitled'}"
    blocks = [heading(title, 0), paragraph(Run(_follows(bank), italic=True))]
    for part in bank.parts:
        blocks.append(heading(part.title, 1))
        sections = bank.part_sections(part.id)
        if not all(line.publish for section in sections for line in by_section[section.id]):
            blocks.append(paragraph(_OWN_USE_NOTE))
        level = 2 if len(sections) == 1 else 3
        for number, section in enumerate(sections, start=1):
            if len(sections) > 1:
                blocks.append(heading(f"{number}. {section.title}", 2))
            for line in by_section[section.id]:
                blocks += [heading(line.label, level), *_word_answer(line, level, bank)]
                agreed = _thresholds_with(result, line)
                if agreed:
                    blocks += agreed.word()
    return WordDocument(title=title, subject=bank.standard, blocks=tuple(blocks))
