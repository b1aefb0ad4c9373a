"""Checklist progress as HTML: this stage first, then the whole lifecycle as a table.

On a stage page (view = the stage's slug) the reader sees how much of this stage is done,
by kind of section, and which "Before moving on" items are still open; then every stage's
progress. With no view (the checklists page) they see the lifecycle. Each stage's bar is
decoration (aria-hidden): the numbers and the status in words carry the meaning.
"""

from __future__ import annotations

from typing import Any, Mapping

from .model import STATUSES, ChecklistBank, ChecklistResult, StageProgress, done_name, load_checklist_bank
from ..core.html import Markup, element as e
from ..core.links import page_href
from ..core.word_document import WordDocument, bullets, heading, paragraph, table

__all__ = ["render_checklist_result", "summarise_checklist_result", "item_anchor", "stages_reached",
           "unticked_items", "checklists_word"]


def item_anchor(view: str, stage: str, item: str) -> str:
    """The HTML id the form template gives an item: "<form id>--<stage>--<item>".

    The form id includes the view ("checklists-design"), so a page can never hold two
    elements with one id, whichever views it shows.
    """
    form_id = f"checklists-{view}" if view else "checklists"
    return f"{form_id}--{stage}--{item}"


def render_checklist_result(
    result: ChecklistResult, site_root: str = "", view: str = "", bank: ChecklistBank | None = None
) -> Markup:
    """The progress for one stage (view = its slug) and the lifecycle, or the lifecycle alone."""
    bank = bank or load_checklist_bank()
    parts: list[Markup] = []
    if view and bank.has_stage(view):
        parts.append(_this_stage(result.stage(view), view, bank))
        parts.append(e("h4", "Across the lifecycle"))
    parts.append(e("p", _lifecycle_line(result, bank), class_="cssc-result__headline" if not view else None))
    if not view:
        parts.extend(_open_gates_by_stage(result, bank))
    parts.append(_lifecycle_table(result, bank, site_root, view))
    return e("div", parts, class_="cssc-result__body")


def _this_stage(progress: StageProgress, view: str, bank: ChecklistBank) -> Markup:
    stage = bank.stage(progress.stage)
    children: list[Markup] = [
        e("p", f"{stage.name} stage: ", e("strong", f"{progress.done} of {progress.total} done"),
          f" ({STATUSES[progress.status].lower()}).", class_="cssc-result__headline"),
        e("ul", [e("li", f"{k.title}: {k.done} of {k.total} done") for k in progress.kinds if k.total]),
    ]
    if progress.open_gates:
        items = {item.id: item for item in stage.items}
        children.append(e("h4", f"Still to do before moving on ({len(progress.open_gates)})"))
        children.append(
            e("ul", [e("li", e("a", items[i].text, href="#" + item_anchor(view, stage.slug, i))) for i in progress.open_gates])
        )
    elif any(k.kind == "gates" and k.total for k in progress.kinds):
        children.append(e("p", "Everything in \u201cBefore moving on\u201d is ticked for this stage."))
    return e("div", children, class_="cssc-checklist-progress")


def _lifecycle_line(result: ChecklistResult, bank: ChecklistBank) -> str:
    line = f"Across all {len(result.stages)} stages: {result.done} of {result.total} items done."
    if result.next_stage is None:
        return line + " Every item of every stage is ticked."
    return line + f" Stage to focus on next: {bank.stage(result.next_stage).name}."


def _open_gates_by_stage(result: ChecklistResult, bank: ChecklistBank) -> list[Markup]:
    """On the checklists page: which stages still have "Before moving on" items open."""
    started = [p for p in result.stages if p.open_gates and p.status != "not-started"]
    if not started:
        return []
    return [
        e("h4", "Started stages with \u201cBefore moving on\u201d items still open"),
        e("ul", [e("li", f"{p.name}: {len(p.open_gates)} still open") for p in started]),
    ]


def _lifecycle_table(result: ChecklistResult, bank: ChecklistBank, site_root: str, view: str) -> Markup:
    rows = []
    for phase in bank.phases:
        rows.append(e("tr", e("th", f"{phase.name} phase", colspan="4", scope="colgroup"), class_="cssc-progress-table__phase"))
        for stage in phase.stages:
            p = result.stage(stage.slug)
            here = stage.slug == view
            width = round(100 * p.done / p.total) if p.total else 0
            rows.append(
                e("tr",
                  e("th", e("a", stage.name, href=page_href(stage.page, site_root)),
                    " (this stage)" if here else "", scope="row"),
                  e("td", str(p.done)),
                  e("td", str(p.total)),
                  e("td",
                    e("span", e("span", class_="cssc-progress__fill", style=f"width:{width}%"),
                      class_="cssc-progress", aria_hidden="true"),
                    STATUSES[p.status]),
                  class_="cssc-progress-table__current" if here else None)
            )
    return e(
        "table",
        e("caption", "Progress by stage"),
        e("thead", e("tr", e("th", "Stage", scope="col"), e("th", "Done", scope="col"),
                     e("th", "Items", scope="col"), e("th", "Status", scope="col"))),
        e("tbody", rows),
        class_="cssc-table cssc-progress-table",
    )


def summarise_checklist_result(result: ChecklistResult, bank: ChecklistBank | None = None) -> str:
    """One line for the page's status region."""
    bank = bank or load_checklist_bank()
    summary = f"Result updated: {result.done} of {result.total} checklist items done across the lifecycle."
    if result.next_stage:
        summary += f" Stage to focus on next: {bank.stage(result.next_stage).name}."
    return summary


# ------------------------------------------------------------------------------ Word


def stages_reached(answers: Mapping[str, Any], result: ChecklistResult) -> tuple[str, ...]:
    """The stages up to the last one with anything ticked or noted: the work has reached them."""
    touched = [progress.stage for progress in result.stages
               if any(key.startswith(f"{progress.stage}--") for key in answers)]
    if not touched:
        return ()
    last = [progress.stage for progress in result.stages].index(touched[-1])
    return tuple(progress.stage for progress in result.stages[: last + 1])


def unticked_items(answers: Mapping[str, Any], result: ChecklistResult,
                   bank: ChecklistBank | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(stage name, texts of the items not ticked) for each stage reached that has any."""
    bank = bank or load_checklist_bank()
    out = []
    for slug in stages_reached(answers, result):
        stage = bank.stage(slug)
        open_items = tuple(item.text for item in stage.items if done_name(slug, item.id) not in answers)
        if open_items:
            out.append((stage.name, open_items))
    return tuple(out)


def checklists_word(answers: dict[str, Any], result: ChecklistResult, bank: ChecklistBank | None = None) -> WordDocument:
    """Progress for Word: the lifecycle as a table, then the items still open in each
    stage the work has reached (the governance pack's checklist section)."""
    bank = bank or load_checklist_bank()
    title = f"{bank.title}: progress"
    blocks: list[dict[str, Any]] = [
        heading(title, 0),
        paragraph(_lifecycle_line(result, bank)),
        table(("Stage", "Phase", "Done", "Status"),
              [(bank.stage(s.stage).name, s.phase.capitalize(), f"{s.done} of {s.total}", STATUSES[s.status])
               for s in result.stages]),
    ]
    for name, texts in unticked_items(answers, result, bank):
        blocks += [heading(f"{name}: not ticked yet", 1), bullets(texts)]
    return WordDocument(title=title, subject=bank.title, blocks=tuple(blocks))
