"""The governance pack: one Word document (and its print view) from every tool's answers.

An oversight board reviews the work at each gate, and wants one paper, not a file per
tool. The pack is made from what each tool saved in this browser, brought up to date
through the one upgrade path first (project.stored_results), and from each tool's own
Word model (its `word` download, or for the user needs table and the stage checklists
the Word model in their views): the pack adds a cover, contents, "What is still open"
and a provenance line per tool, and never lays a tool's answers out a second way. The
print view is the same document as HTML.

Sections follow the lifecycle (LIFECYCLE). Only answers and settings are ever here: the
test and monitor tool contributes the thresholds the team agreed, never anything read
from a data file (a data file is never saved with the answers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from .. import __version__
from ..monitor.agreed_thresholds import TEST_MONITOR, agreed_thresholds
from ..core.dates import date_words
from ..core.errors import InputError
from ..core.html import Markup, element as e
from .model import StoredTool, stored_results
from ..core.provenance import tool_provenance
from ..tools import TOOLS, Tool
from ..core.word_document import Run, WordDocument, bullets, heading, numbered, paragraph

__all__ = ["LIFECYCLE", "NOTHING_SAVED", "OpenItems", "open_items", "governance_pack", "pack_file_name", "pack_html"]

THRESHOLDS = "agreed-thresholds"
# The order an oversight board meets the work in, the Main Guidance's lifecycle: a tool's
# slug, or THRESHOLDS for the accuracy thresholds agreed at Design.
LIFECYCLE = ("data-maturity", "user-needs", "ethics-triage", "business-case", "checklists",
             "ethics-workbook", THRESHOLDS, "transparency-record")
THRESHOLDS_TITLE = "Accuracy thresholds agreed at Design"
OPEN_TITLE = "What is still open"
NOTHING_SAVED = ("No tool has answers saved in this browser yet, so there is nothing to put in a governance pack. "
                 "Answer the tools for your project, or load your project file on this page, then try again.")
PACK_TITLE = "Governance pack"


def _word_model(slug: str) -> Callable[[dict[str, Any], Any], WordDocument]:
    """The tool's own Word model: its Word download where it has one."""
    tool = TOOLS[slug]
    if "word" in tool.exports:
        return tool.exports["word"].render
    if slug == "checklists":
        from ..checklists.view import checklists_word
        return checklists_word
    from ..user_needs.view import user_needs_word
    return user_needs_word


@dataclass(frozen=True)
class OpenItems:
    """What is still open across the project, for the pack's first page: each a line or
    a (heading, lines) group, in words."""

    red_flags: tuple[str, ...]
    empty_atrs_fields: tuple[str, ...]
    unticked: tuple[tuple[str, tuple[str, ...]], ...]  # (stage name, item texts) of the stages reached
    unanswered: tuple[str, ...]  # one line per tool with something not answered
    notes: tuple[str, ...]  # what could not be looked at, and why (a tool with nothing saved)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def open_items(stored: Mapping[str, StoredTool]) -> OpenItems:
    """Red flags, required ATRS fields still empty, unticked items of the stages reached,
    and what is not answered yet, from the tools' results."""
    def result(slug: str) -> Any:
        return stored[slug].result if slug in stored else None

    notes = []
    triage = result("ethics-triage")
    red_flags = tuple(f"{flag.title}" for flag in triage.red_flags) if triage else ()
    if triage is None:
        notes.append("The ethics triage has no answers saved, so no red flags could be checked.")
    record = result("transparency-record")
    empty_atrs: tuple[str, ...] = ()
    if record is not None:
        bank = TOOLS["transparency-record"].load_bank()
        # A field, or a needed part of an entry already started ("..., model 1: Model version").
        empty_atrs = tuple(f"{bank.label_of(fid)} ({bank.standard_ref_of(fid)})" if bank.standard_ref_of(fid)
                           else bank.label_of(fid) for fid in record.missing_to_publish)
    else:
        notes.append("The algorithmic transparency record has no answers saved yet.")
    unticked: tuple[tuple[str, tuple[str, ...]], ...] = ()
    checklists = result("checklists")
    if checklists is not None:
        from ..checklists.view import unticked_items
        unticked = unticked_items(stored["checklists"].answers, checklists)
    else:
        notes.append("No stage checklist has anything ticked in this browser yet.")
    unanswered = []
    maturity = result("data-maturity")
    if maturity is not None and maturity.unanswered:
        unanswered.append(f"{TOOLS['data-maturity'].title}: {_count(len(maturity.unanswered), 'statement', 'statements')} not answered.")
    if triage is not None and triage.unanswered:
        unanswered.append(f"{TOOLS['ethics-triage'].title}: {_count(len(triage.unanswered), 'question', 'questions')} not answered.")
    case = result("business-case")
    if case is not None and case.missing_for_sign_off:
        unanswered.append(f"{TOOLS['business-case'].title}: {_count(len(case.missing_for_sign_off), 'part', 'parts')} "
                          "needed for sign-off still empty.")
    workbook = result("ethics-workbook")
    if workbook is not None and workbook.not_started:
        unanswered.append(f"{TOOLS['ethics-workbook'].title}: {_count(len(workbook.not_started), 'question', 'questions')} "
                          "not started.")
    needs = result("user-needs")
    if needs is not None and needs.filled_cells < needs.cells:
        unanswered.append(f"{TOOLS['user-needs'].title}: {_count(needs.cells - needs.filled_cells, 'cell', 'cells')} "
                          "of the rows listed still empty.")
    return OpenItems(red_flags, empty_atrs, unticked, tuple(unanswered), tuple(notes))


def _open_blocks(items: OpenItems) -> list[dict[str, Any]]:
    blocks = [heading(OPEN_TITLE, 1),
              paragraph("Gathered from the sections below, for the board to see first.")]
    blocks.append(heading("Red flags from the ethics triage", 2))
    blocks.append(bullets(items.red_flags) if items.red_flags else paragraph("None raised."))
    blocks.append(heading("Fields the transparency record needs before it is published, still empty", 2))
    blocks.append(bullets(items.empty_atrs_fields) if items.empty_atrs_fields else paragraph("None."))
    blocks.append(heading("Checklist items not ticked, in the stages reached", 2))
    if items.unticked:
        for stage, texts in items.unticked:
            blocks += [paragraph(Run(f"{stage} ({_count(len(texts), 'item', 'items')})", bold=True),
                                 keep_with_next=True), bullets(texts)]
    else:
        blocks.append(paragraph("None."))
    blocks.append(heading("Questions not answered yet", 2))
    blocks.append(bullets(items.unanswered) if items.unanswered else paragraph("None."))
    if items.notes:
        blocks += [heading("Not checked", 2), bullets(items.notes)]
    return blocks


def _shifted(block: dict[str, Any]) -> dict[str, Any]:
    """A tool's heading one level down, under the tool's own heading in the pack."""
    if block.get("type") == "heading":
        return {**block, "level": min(block["level"] + 1, 4)}
    return block


def _tool_blocks(slug: str, stored: StoredTool) -> list[dict[str, Any]]:
    tool: Tool = TOOLS[slug]
    document = _word_model(slug)(stored.answers, stored.result)
    blocks = [heading(tool.title, 1),
              paragraph(Run("Provenance: ", bold=True), tool_provenance(slug).line),
              paragraph(Run("Questions version: ", bold=True), tool.version)]
    if stored.upgraded or stored.earlier_version:
        blocks.append(paragraph(Run("Brought up to date: ", bold=True),
                                " ".join(stored.upgraded) or "saved with an earlier version of this guide; every "
                                "answer was carried over."))
    # The tool's own document, less its title (the heading above stands for it).
    return blocks + [_shifted(block) for block in document.blocks
                     if not (block.get("type") == "heading" and block.get("level") == 0)]


def _thresholds_blocks(stored: Mapping[str, StoredTool]) -> list[dict[str, Any]]:
    monitor = stored.get(TEST_MONITOR)
    if monitor is None or monitor.result is None:
        return []
    placement = TOOLS["transparency-record"].load_bank().agreed_thresholds
    agreed = agreed_thresholds(placement, {TEST_MONITOR: monitor.result})
    if agreed is None or not agreed.saved:
        return []
    return [heading(THRESHOLDS_TITLE, 1),
            paragraph(Run("Provenance: ", bold=True), tool_provenance(TEST_MONITOR).line),
            paragraph(f"Recorded in the {TOOLS[TEST_MONITOR].title} (its settings only: no data file is ever saved "
                      "or put in this pack)."),
            bullets(f"{label}: {words}" for label, words in agreed.thresholds)]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def governance_pack(tools_answers: Any, versions: Any = None, title: Any = "",
                    created: str | None = None) -> WordDocument:
    """The pack from every tool's saved answers ({slug: answers}, as My project reads
    them; `versions` as in project.stored_results). Raises InputError when no tool has
    answers (there is nothing to pack)."""
    if not isinstance(tools_answers, dict):
        raise InputError("The answers saved in this browser could not be read.")
    stored = stored_results(tools_answers, versions)
    sections: list[tuple[str, list[dict[str, Any]]]] = []
    for slug in LIFECYCLE:
        if slug == THRESHOLDS:
            blocks = _thresholds_blocks(stored)
            if blocks:
                sections.append((THRESHOLDS_TITLE, blocks))
        elif stored[slug].result is not None:
            sections.append((TOOLS[slug].title, _tool_blocks(slug, stored[slug])))
    if not sections:
        raise InputError(NOTHING_SAVED)
    name = " ".join(str(title).split())[:200] if isinstance(title, str) else ""
    made = (created or _now())[:10]
    document_title = f"{PACK_TITLE}: {name}" if name else PACK_TITLE
    cover = [
        heading(document_title, 0),
        paragraph(Run("Project: ", bold=True), name or "not named"),
        paragraph(Run("Date: ", bold=True), date_words(made)),
        paragraph(Run("Guide version: ", bold=True), __version__),
        paragraph("Made from every tool's answers saved in this browser, each brought up to date with this version of "
                  "the guide. Each section says which parts are the Main Guidance's and which are ours."),
        heading("Contents", 1),
        numbered([OPEN_TITLE, *(section_title for section_title, _ in sections)]),
    ]
    blocks = cover + _open_blocks(open_items(stored))
    for _, section_blocks in sections:
        blocks += section_blocks
    footer = f"{document_title}. Made on {date_words(made)} with version {__version__} of the guide."
    return WordDocument(title=document_title, subject=PACK_TITLE, blocks=tuple(blocks), footer=footer)


def pack_file_name(title: Any, created: str | None = None) -> str:
    from .model import project_file_name
    name = project_file_name({"title": title if isinstance(title, str) else "", "created": created or _now()})
    return name.replace("project", "governance-pack", 1).removesuffix(".json") + ".docx"


# ------------------------------------------------------------------------ print view

_TAGS = {0: "h2", 1: "h2", 2: "h3", 3: "h4", 4: "h5"}


def _runs_html(block: dict[str, Any]) -> list[Markup]:
    out = []
    for run in block.get("runs", []):
        text: Any = run["text"]
        if run.get("bold"):
            text = e("strong", text)
        if run.get("italic"):
            text = e("em", text)
        out.append(Markup(text) if isinstance(text, Markup) else text)
    return out


def pack_html(document: WordDocument) -> Markup:
    """The pack's print view: the same blocks as the Word file, as escaped HTML."""
    children: list[Markup] = []
    for block in document.blocks:
        kind = block["type"]
        if kind == "heading":
            children.append(e(_TAGS[block["level"]], block["text"], class_="cssc-pack__title" if block["level"] == 0 else None))
        elif kind == "paragraph":
            children.append(e("p", _runs_html(block), class_="cssc-pack__para"))
        elif kind in ("bullets", "numbered"):
            children.append(e("ul" if kind == "bullets" else "ol", [e("li", item) for item in block["items"]]))
        elif kind == "table":
            children.append(e("table", e("thead", e("tr", [e("th", cell, scope="col") for cell in block["header"]])),
                              e("tbody", [e("tr", [e("td", cell) for cell in row]) for row in block["rows"]])))
    children.append(e("p", document.footer, class_="cssc-pack__footer"))
    return e("article", children, class_="cssc-pack__document")
