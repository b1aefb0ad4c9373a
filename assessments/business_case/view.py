"""The business case result as HTML and as a Markdown document.

The result says what is still missing before sign-off (each missing part links to its
box in the form), then shows the whole document as it will be read: every section,
and the summaries of the other tools' results with links to their pages. Printing the
page gives that document (the questions and buttons are left out by the stylesheet).
"""

from __future__ import annotations

from typing import Any

from .model import BusinessCaseBank, BusinessCaseResult, ToolSummary, load_business_case_bank
from ..core.document_fields import markdown_line, markdown_text
from ..core.html import Markup, element as e
from ..core.links import page_href
from ..core.word_document import Run, WordDocument, answer, bullets, heading, paragraph

__all__ = [
    "render_business_case_result",
    "summarise_business_case_result",
    "business_case_markdown",
    "business_case_word",
]

_UNTITLED = "untitled"
_NOT_WRITTEN = "Not written yet."


def _field_href(field_id: str) -> str:
    # The form gives each field's container the id "business-case--<field id>".
    return f"#business-case--{field_id}"


def _headline(result: BusinessCaseResult) -> str:
    if result.ready_for_sign_off:
        return "Ready for sign-off: every part needed for sign-off is written."
    return (f"{result.required_written} of {result.required} parts needed for sign-off are written; "
            f"{len(result.missing_for_sign_off)} still to write.")


def render_business_case_result(result: BusinessCaseResult, site_root: str = "",
                                bank: BusinessCaseBank | None = None) -> Markup:
    """What is missing before sign-off, then the document itself, as escaped HTML."""
    bank = bank or load_business_case_bank()
    fields = bank.fields
    parts: list[Markup] = [e("p", e("strong", _headline(result)), class_="cssc-result__headline cssc-bc__progress",
                             data_ready="true" if result.ready_for_sign_off else "false")]
    if result.status_label:
        parts.append(e("p", "Status: ", e("strong", result.status_label), ".", class_="cssc-bc__progress"))
    if result.signed_off_too_soon:
        parts.append(e("div", e("p", e("strong", "Marked as signed off, but parts needed for sign-off are empty. "),
                                "Check the status, or write the missing parts listed below."),
                       class_="cssc-callout cssc-bc__warning cssc-bc__progress", data_signed_off_too_soon="true"))

    parts.append(e("h3", "What is missing before sign-off", class_="cssc-bc__progress"))
    if result.ready_for_sign_off:
        parts.append(e("p", "Nothing: every part needed for sign-off is written. Read the document below through "
                            "with your sponsor before you ask for sign-off.", class_="cssc-bc__progress"))
    rows = []
    for number, section in enumerate(result.sections, start=1):
        needed = (e("ul", [e("li", e("a", fields[fid].label, href=_field_href(fid))) for fid in section.missing])
                  if section.missing else "Nothing")
        rows.append(e("tr", e("th", f"{number}. {section.title}", scope="row"),
                      e("td", f"{section.written} of {section.fields}"), e("td", needed),
                      data_section=section.id, data_missing=len(section.missing)))
    parts.append(e("table",
                   e("caption", "Progress by section"),
                   e("thead", e("tr", e("th", "Section", scope="col"), e("th", "Parts written", scope="col"),
                                e("th", "Still needed for sign-off", scope="col"))),
                   e("tbody", rows), class_="cssc-table cssc-bc__progress"))

    parts.append(_document(result, bank, site_root))
    return e("div", parts, class_="cssc-result__body cssc-bc")


def _document(result: BusinessCaseResult, bank: BusinessCaseBank, site_root: str) -> Markup:
    """The business case as it will be read and printed."""
    children: list[Markup] = [
        e("h3", f"Business case: {result.project_name or _UNTITLED}", id="business-case--document"),
        e("p", "To print the document or save it as a PDF, use your browser\u2019s Print command (Ctrl+P, or "
               "\u2318+P on a Mac): the questions, the site\u2019s menus and the buttons are left out. To edit it "
               "elsewhere, use Download Markdown.", class_="cssc-bc__print-note"),
    ]
    if not result.ready_for_sign_off:
        children.append(e("p", e("strong", "Draft: "), f"{len(result.missing_for_sign_off)} parts needed for "
                                                      "sign-off are not written yet."))
    by_section: dict[str, list] = {}
    for line in result.lines:
        by_section.setdefault(line.section, []).append(line)
    for number, section in enumerate(bank.sections, start=1):
        items = []
        for line in by_section[section.id]:
            answer = (e("dd", line.answer, class_="cssc-bc__answer") if line.answer
                      else e("dd", e("em", _NOT_WRITTEN), class_="cssc-bc__empty"))
            items.append(Markup(e("dt", line.label) + answer))
        children.append(e("section", e("h4", f"{number}. {section.title}", id=f"business-case--doc-{section.id}"),
                          e("dl", items, class_="cssc-bc__fields"),
                          aria_labelledby=f"business-case--doc-{section.id}", data_document_section=section.id))
    if result.summaries:
        children.append(e("section",
                          e("h4", "Evidence from your other tools", id="business-case--evidence"),
                          e("p", "Results saved in this browser, worked out again each time this page changes."),
                          [_summary(summary, site_root) for summary in result.summaries],
                          aria_labelledby="business-case--evidence", class_="cssc-bc__evidence"))
    children.append(e("p", f"Questions version: {bank.title} {bank.version}.", class_="cssc-bc__version"))
    return e("section", children, class_="cssc-bc__document", aria_labelledby="business-case--document")


def _summary(summary: ToolSummary, site_root: str) -> Markup:
    link_text = f"Open the {summary.title}" if summary.available else f"Complete the {summary.title}"
    return e("div",
             e("h5", summary.title),
             e("p", summary.headline),
             e("ul", [e("li", detail) for detail in summary.details]) if summary.details else "",
             e("p", e("a", link_text, href=page_href(summary.page, site_root))),
             class_="cssc-bc__summary", data_summary=summary.tool,
             data_available="true" if summary.available else "false")


def summarise_business_case_result(result: BusinessCaseResult) -> str:
    """One line for the page's status region (read out by screen readers)."""
    if not result.answered:
        return f"Result updated: nothing written yet; {result.required} parts are needed for sign-off."
    if result.ready_for_sign_off:
        return "Result updated: ready for sign-off."
    return (f"Result updated: {result.required_written} of {result.required} parts needed for sign-off written, "
            f"{len(result.missing_for_sign_off)} to go.")


def business_case_markdown(answers: dict[str, Any], result: BusinessCaseResult,
                           bank: BusinessCaseBank | None = None) -> str:
    """The document as plain Markdown: a heading per section, a sub-heading per part,
    then the other tools' summaries. Everything the user typed is escaped by
    `markdown_text`, so it can be published or opened anywhere without becoming markup."""
    bank = bank or load_business_case_bank()
    out = [f"# Business case: {markdown_line(result.project_name) if result.project_name else _UNTITLED}", ""]
    if result.ready_for_sign_off:
        out += ["Every part needed for sign-off is written.", ""]
    else:
        missing = "; ".join(markdown_line(bank.fields[fid].label) for fid in result.missing_for_sign_off)
        out += [f"**Draft.** Parts needed for sign-off that are not written yet: {missing}.", ""]
    by_section: dict[str, list] = {}
    for line in result.lines:
        by_section.setdefault(line.section, []).append(line)
    for number, section in enumerate(bank.sections, start=1):
        out += [f"## {number}. {markdown_line(section.title)}", ""]
        for line in by_section[section.id]:
            out += [f"### {markdown_line(line.label)}", ""]
            out += [markdown_text(line.answer) if line.answer else f"*{_NOT_WRITTEN}*", ""]
    if result.summaries:
        out += ["## Evidence from other tools", "",
                "Results of the guide\u2019s other tools, as saved in the browser this document was made in.", ""]
        for summary in result.summaries:
            out += [f"### {markdown_line(summary.title)}", "", markdown_text(summary.headline), ""]
            if summary.details:
                out += [f"- {markdown_line(detail)}" for detail in summary.details] + [""]
    out += [f"*Made with the {bank.title} tool of the guide (questions version {bank.version}).*", ""]
    return "\n".join(out)


def business_case_word(answers: dict[str, Any], result: BusinessCaseResult,
                       bank: BusinessCaseBank | None = None) -> WordDocument:
    """The document for Word, in the order of the Markdown download: a Heading 1 per
    section, a Heading 2 per part with the answer as typed, then the other tools'
    summaries."""
    bank = bank or load_business_case_bank()
    title = f"Business case: {result.project_name or _UNTITLED}"
    blocks = [heading(title, 0)]
    if result.ready_for_sign_off:
        blocks.append(paragraph("Every part needed for sign-off is written."))
    else:
        missing = "; ".join(bank.fields[fid].label for fid in result.missing_for_sign_off)
        blocks.append(paragraph(Run("Draft. ", bold=True), f"Parts needed for sign-off that are not written yet: {missing}."))
    by_section: dict[str, list] = {}
    for line in result.lines:
        by_section.setdefault(line.section, []).append(line)
    for number, section in enumerate(bank.sections, start=1):
        blocks.append(heading(f"{number}. {section.title}", 1))
        for line in by_section[section.id]:
            blocks += [heading(line.label, 2), answer(line.answer, _NOT_WRITTEN)]
    if result.summaries:
        blocks += [heading("Evidence from other tools", 1),
                   paragraph("Results of the guide\u2019s other tools, as saved in the browser this document was made in.")]
        for summary in result.summaries:
            blocks += [heading(summary.title, 2), paragraph(summary.headline)]
            if summary.details:
                blocks.append(bullets(summary.details))
    return WordDocument(title=title, subject=bank.title, blocks=tuple(blocks))
