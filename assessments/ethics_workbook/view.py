"""The ethics workbook's progress as HTML, and its answers as Markdown to share.

The result shows progress per phase and per status, the questions not started yet, any
status that says an answer is written when it is not, and a record of every answer and
the oversight group's comments, fit to print: the guidance asks teams to share their
responses with the oversight group for discussion. On a phase view (a page showing one
phase) the phase's own progress and record come first and only.
"""

from __future__ import annotations

from typing import Any

from .model import (
    PHASES,
    WorkbookBank,
    WorkbookResult,
    load_workbook_bank,
    score_workbook,
)
from ..core.html import Markup, element as e
from ..core.links import page_href
from ..core.word_document import Run, WordDocument, answer, heading, paragraph

__all__ = [
    "render_workbook_result",
    "summarise_workbook_result",
    "question_anchor",
    "render_workbook_markdown",
    "markdown_renderer",
    "workbook_word",
]


def question_anchor(view: str, question: str) -> str:
    """The HTML id the form template gives a question: "<form id>--<question id>"."""
    form_id = f"ethics-workbook-{view}" if view else "ethics-workbook"
    return f"{form_id}--{question}"


def _agreed_line(bank: WorkbookBank, done: int, total: int, not_started: int) -> str:
    last = bank.statuses[-1]
    return f"{done} of {total} questions {last.label.lower()}; {not_started} not started."


def render_workbook_result(result: WorkbookResult, site_root: str = "", view: str = "",
                           bank: WorkbookBank | None = None) -> Markup:
    """Progress, questions not started, points to check and the record, as escaped HTML."""
    bank = bank or load_workbook_bank()
    phases = [bank.phase(view)] if view in PHASES else list(bank.phases)
    last = bank.statuses[-1].id
    parts: list[Markup] = []

    if view in PHASES:
        mine = result.phase(view)
        parts.append(e("p", f"{mine.name} phase: ", e("strong", bank.phase_status_label(mine.status)), ". ",
                       _agreed_line(bank, mine.count(last), mine.total, len(mine.not_started)),
                       class_="cssc-result__headline", data_phase_status=mine.status))
    else:
        parts.append(e("p", _agreed_line(bank, result.count(last), result.total, len(result.not_started)),
                       class_="cssc-result__headline"))

    checks = [q for q in result.checks if bank.questions[q].phase in {p.id for p in phases}]
    if checks:
        items = []
        for qid in checks:
            question = bank.questions[qid]
            status = bank.status(result.question(qid).status)
            items.append(e("li", e("a", f"{bank.phase(question.phase).name} question {question.number}",
                                   href="#" + question_anchor(view, qid)),
                           f": marked \u201c{status.label}\u201d, but no answer is written.", data_check=qid))
        parts.append(e("div", e("h3", f"Points to check ({len(checks)})"), e("ul", items),
                       class_="cssc-callout cssc-workbook__checks"))

    parts.append(_progress_table(result, bank, view))

    not_started = [(phase, result.phase(phase.id).not_started) for phase in phases]
    count = sum(len(ids) for _phase, ids in not_started)
    parts.append(e("h3", f"Questions not started ({count})"))
    if not count:
        parts.append(e("p", "Every question has been started."))
    for phase, ids in not_started:
        if not ids:
            continue
        links = [e("li", e("a", f"{q.number}. {q.text}", href="#" + question_anchor(view, q.id)))
                 for q in (bank.questions[i] for i in ids)]
        if len(phases) > 1:
            parts.append(e("p", e("strong", f"{phase.name} ({len(ids)})")))
        parts.append(e("ul", links, data_not_started=phase.id))

    parts.append(_record(result, bank, view, phases, site_root))
    return e("div", parts, class_="cssc-result__body cssc-workbook")


def _progress_table(result: WorkbookResult, bank: WorkbookBank, view: str) -> Markup:
    head = [e("th", "Phase", scope="col")] + [e("th", s.label, scope="col") for s in bank.statuses] + [
        e("th", "Phase status", scope="col")]
    rows = []
    for progress in result.phases:
        here = progress.phase == view
        rows.append(e("tr",
                      e("th", progress.name, " (this page)" if here else "", scope="row"),
                      [e("td", str(progress.count(s.id))) for s in bank.statuses],
                      e("td", bank.phase_status_label(progress.status)),
                      class_="cssc-progress-table__current" if here else None,
                      data_phase=progress.phase))
    rows.append(e("tr", e("th", "All phases", scope="row"), [e("td", str(result.count(s.id))) for s in bank.statuses],
                  e("td", f"{result.total} questions"), class_="cssc-workbook__total"))
    return e("table", e("caption", "Questions by phase and status"), e("thead", e("tr", head)), e("tbody", rows),
             class_="cssc-table cssc-workbook__progress")


def _record(result: WorkbookResult, bank: WorkbookBank, view: str, phases: list, site_root: str) -> Markup:
    """Every question with its status, answer and comments: the part to print or share."""
    heading_id = question_anchor(view, "record")
    title = f"Record of the {phases[0].name} questions" if len(phases) == 1 else "Record of the workbook"
    children: list[Markup] = [
        e("h3", title, id=heading_id),
        e("p", "To print this record or save it as a PDF, use your browser\u2019s Print command (Ctrl+P, or \u2318+P "
               "on a Mac): the questions, the site\u2019s menus and the tool\u2019s buttons are left out of the "
               "printout. Or download each phase\u2019s answers as a Markdown file to share."),
        e("p", f"Questions version: {bank.title} {bank.version}."),
    ]
    for phase in phases:
        progress = result.phase(phase.id)
        children.append(e("h4", f"{phase.name} phase: {bank.phase_status_label(progress.status).lower()}"))
        children.append(e("p", phase.when, " ", e("a", phase.guidance.title, href=page_href(phase.guidance.target,
                                                                                          site_root)), "."))
        for question in phase.questions:
            state = result.question(question.id)
            children.append(e(
                "div",
                e("p", e("strong", f"{question.number}. {question.text}"), class_="cssc-workbook__entry-question"),
                e("dl",
                  e("dt", "Theme"), e("dd", bank.theme(question.theme).name),
                  e("dt", "Status"), e("dd", bank.status(state.status).label),
                  e("dt", "Answer"),
                  e("dd", state.answer if state.answered else "Not written yet.", class_="cssc-workbook__text"),
                  e("dt", "Oversight group comments"),
                  e("dd", state.comments if state.has_comments else "None recorded.", class_="cssc-workbook__text")),
                _thresholds_with(result, question.id, site_root),
                class_="cssc-workbook__entry", data_record=question.id))
    return e("section", children, class_="cssc-workbook__record", aria_labelledby=heading_id)


def _thresholds_with(result: WorkbookResult, question: str, site_root: str) -> Markup:
    """The thresholds agreed in the test and monitor tool, under the question that asks."""
    agreed = result.agreed_thresholds
    return agreed.html(site_root) if agreed and agreed.shown_with == question else Markup("")


def _thresholds_markdown(result: WorkbookResult, question: str) -> list[str]:
    agreed = result.agreed_thresholds
    return agreed.markdown() if agreed and agreed.shown_with == question else []


def summarise_workbook_result(result: WorkbookResult, bank: WorkbookBank | None = None) -> str:
    """One line for the page's status region (read out by screen readers)."""
    bank = bank or load_workbook_bank()
    summary = "Result updated: " + _agreed_line(bank, result.count(bank.statuses[-1].id), result.total,
                                                 len(result.not_started))
    if result.checks:
        summary += f" {len(result.checks)} to check."
    return summary


# ------------------------------------------------------------------------- Markdown


def render_workbook_markdown(answers: dict[str, Any], result: WorkbookResult, phase: str = "",
                             bank: WorkbookBank | None = None) -> str:
    """The answers of one phase (or of every phase) as Markdown, for the oversight group."""
    bank = bank or load_workbook_bank()
    result = result if isinstance(result, WorkbookResult) else score_workbook(answers, bank)
    phases = [bank.phase(phase)] if phase else list(bank.phases)
    title = f"{bank.title}: {phases[0].name} phase" if phase else bank.title
    last = bank.statuses[-1].id
    lines = [f"# {title}", "", f"Questions version: {bank.title} {bank.version}.", ""]
    for item in phases:
        progress = result.phase(item.id)
        if not phase:
            lines += [f"## {item.name} phase", ""]
        lines += [
            f"{item.when}",
            "",
            f"Progress: {bank.phase_status_label(progress.status)}. "
            + _agreed_line(bank, progress.count(last), progress.total, len(progress.not_started)),
            "",
        ]
        level = "###" if not phase else "##"
        for question in item.questions:
            state = result.question(question.id)
            lines += [
                f"{level} {question.number}. {_markdown_text(question.text)}",
                "",
                f"- **Theme:** {bank.theme(question.theme).name}",
                f"- **Status:** {bank.status(state.status).label}",
                "",
                "**Answer**",
                "",
                _quoted(state.answer) if state.answered else "Not written yet.",
                "",
                "**Oversight group comments**",
                "",
                _quoted(state.comments) if state.has_comments else "None recorded.",
                "",
                *_thresholds_markdown(result, question.id),
            ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown_text(value: str) -> str:
    """Text that a Markdown viewer shows as written: a backslash before "<" stops a tag
    (or a script) typed into an answer from becoming HTML."""
    return value.replace("\\", "\\\\").replace("<", "\\<")


def _quoted(value: str) -> str:
    """User text as a Markdown block quote, shown as typed: line breaks kept, and markup
    characters escaped so a Markdown viewer never runs HTML from an imported file."""
    return "\n".join("> " + _markdown_text(line) if line.strip() else ">" for line in value.strip().splitlines())


def markdown_renderer(phase: str):
    """An Export.render function for one phase ("" for the whole workbook)."""
    def render(answers: dict[str, Any], result: Any) -> str:
        return render_workbook_markdown(answers, result, phase)
    return render


def workbook_word(answers: dict[str, Any], result: Any, bank: WorkbookBank | None = None) -> WordDocument:
    """The whole workbook for Word, as the Markdown download: per phase (Heading 1), each
    question (Heading 2) with its theme, status, answer and the oversight group's comments."""
    bank = bank or load_workbook_bank()
    result = result if isinstance(result, WorkbookResult) else score_workbook(answers, bank)
    last = bank.statuses[-1].id
    blocks = [heading(bank.title, 0)]
    for phase in bank.phases:
        progress = result.phase(phase.id)
        blocks += [
            heading(f"{phase.name} phase", 1),
            paragraph(phase.when),
            paragraph(Run("Progress: ", bold=True), f"{bank.phase_status_label(progress.status)}. "
                      + _agreed_line(bank, progress.count(last), progress.total, len(progress.not_started))),
        ]
        for question in phase.questions:
            state = result.question(question.id)
            blocks += [
                heading(f"{question.number}. {question.text}", 2),
                paragraph(Run("Theme: ", bold=True), bank.theme(question.theme).name),
                paragraph(Run("Status: ", bold=True), bank.status(state.status).label),
                heading("Answer", 3),
                answer(state.answer if state.answered else "", "Not written yet."),
                heading("Oversight group comments", 3),
                answer(state.comments if state.has_comments else "", "None recorded."),
            ]
            agreed = result.agreed_thresholds
            if agreed and agreed.shown_with == question.id:
                blocks += agreed.word()
    return WordDocument(title=bank.title, subject=bank.title, blocks=tuple(blocks))
