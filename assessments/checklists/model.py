"""The stage checklists: one checklist per lifecycle stage, and progress across them all.

The checklists are our compilation, not the Main Guidance's: for every stage of the
lifecycle (Explore, Develop, Implement) they gather the actions to take, the questions to
consider and what should be true before moving on from the stage's text, its phase table
and its "before moving on" lists. Every item names the part of the guidance it comes
from (or why we added it) in `source`. Each stage's checklist is data in `banks/checklists/<stage>.toml`; `banks/checklists.toml`
holds the tool's own title, version and worked examples (it is not a stage).

The checklists are one tool (slug "checklists") split over the stage pages: each page
shows one stage (a "view"), and the answers for the whole lifecycle are one dict, so a
page can report progress for its own stage and across every stage. Answer names:

    <stage>--<item id>          ["done"] when the item is ticked
    <stage>--<item id>--note    the reader's note on the item (text)

Stage and item ids are kebab-case, which never contains "--", so a name is never ambiguous.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any, Mapping

from ..core.bank_reader import Fields, bank_files, read_bank
from ..core.errors import InputError
from ..core.links import Link, page_href
from ..core.provenance import Source, read_source

__all__ = [
    "SLUG",
    "PHASES",
    "KINDS",
    "STATUSES",
    "DONE",
    "MAX_NOTE_CHARACTERS",
    "Item",
    "Section",
    "Stage",
    "Phase",
    "Example",
    "ChecklistBank",
    "KindProgress",
    "StageProgress",
    "ChecklistResult",
    "parse_stage",
    "build_checklist_bank",
    "load_checklist_bank",
    "stage_slugs",
    "done_name",
    "note_name",
    "validate_checklist_answers",
    "checklist_answers_schema",
    "score_checklists",
]

SLUG = "checklists"
# The folder of stage files under banks/; banks/checklists.toml sits beside it.
STAGE_FOLDER = "checklists/"

# The three phases of the lifecycle, in order (Main Guidance, "The lifecycle").
PHASES: dict[str, str] = {"explore": "Explore", "develop": "Develop", "implement": "Implement"}
# The kinds of section a stage checklist may have, in the order the guidance gives them.
KINDS: tuple[str, ...] = ("actions", "questions", "gates")
# A stage's status, in words. "Ready to move on": every "Before moving on" item is
# ticked, though other items are still open.
STATUSES: dict[str, str] = {
    "not-started": "Not started",
    "in-progress": "In progress",
    "ready-to-move-on": "Ready to move on",
    "complete": "Complete",
}
DONE = "done"  # the value of a ticked item's checkbox
# A note is for a sentence or a paragraph, not a document; this keeps a whole lifecycle
# of notes well inside the record size limit (records.MAX_RECORD_BYTES).
MAX_NOTE_CHARACTERS = 5_000


# ---------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Item:
    """One thing to do, consider or confirm, maybe with a link to the page that helps."""

    id: str
    text: str
    link: Link | None
    source: Source  # the part of the Main Guidance it comes from, or why we added it

    def href(self, site_root: str = "") -> str:
        """The URL of the item's link from a page whose way to the site root is `site_root`."""
        return page_href(self.link.target, site_root) if self.link else ""


@dataclass(frozen=True)
class Section:
    kind: str  # one of KINDS
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Stage:
    """One stage's checklist, from `banks/checklists/<slug>.toml`."""

    slug: str
    title: str
    version: str
    name: str
    phase: str  # a key of PHASES
    order: int  # 1 for the first stage of the lifecycle
    page: str  # the docs source path of the stage's guidance page
    key_question: str
    key_question_source: Source  # two stages have no key question in the guidance: ours
    sections: tuple[Section, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def phase_name(self) -> str:
        return PHASES[self.phase]

    def href(self, site_root: str = "") -> str:
        return page_href(self.page, site_root)


@dataclass(frozen=True)
class Phase:
    id: str
    name: str
    stages: tuple[Stage, ...]


@dataclass(frozen=True)
class Example:
    """A worked example: answers and what scoring them must give."""

    name: str
    answers: Mapping[str, Any]
    expected_next_stage: str | None
    expected_complete_stages: tuple[str, ...]
    expected_statuses: Mapping[str, str]


@dataclass(frozen=True)
class ChecklistBank:
    slug: str
    title: str
    # The tool's own version, then a checksum of every stage's version: a change to any
    # stage file changes it, so a loaded file made with other checklists says so.
    version: str
    stages: tuple[Stage, ...]  # in lifecycle order
    examples: tuple[Example, ...]

    @property
    def phases(self) -> tuple[Phase, ...]:
        return tuple(
            Phase(phase, name, tuple(s for s in self.stages if s.phase == phase))
            for phase, name in PHASES.items()
            if any(s.phase == phase for s in self.stages)
        )

    def stage(self, slug: str) -> Stage:
        return next(s for s in self.stages if s.slug == slug)

    def has_stage(self, slug: str) -> bool:
        return any(s.slug == slug for s in self.stages)

    @property
    def total_items(self) -> int:
        return sum(len(s.items) for s in self.stages)

    @property
    def max_note_characters(self) -> int:
        """For the form's `maxlength`: the same limit validation applies."""
        return MAX_NOTE_CHARACTERS


@dataclass(frozen=True)
class KindProgress:
    kind: str
    title: str
    done: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title, "done": self.done, "total": self.total}


@dataclass(frozen=True)
class StageProgress:
    stage: str
    name: str
    phase: str
    done: int
    total: int
    notes: int
    kinds: tuple[KindProgress, ...]
    open_gates: tuple[str, ...]  # ids of "Before moving on" items not yet ticked
    status: str  # a key of STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "name": self.name,
            "phase": self.phase,
            "done": self.done,
            "total": self.total,
            "notes": self.notes,
            "kinds": [k.to_dict() for k in self.kinds],
            "open_gates": list(self.open_gates),
            "status": self.status,
        }


@dataclass(frozen=True)
class ChecklistResult:
    stages: tuple[StageProgress, ...]  # in lifecycle order
    done: int
    total: int
    complete_stages: tuple[str, ...]
    next_stage: str | None  # the stage to focus on; None when every item is ticked

    def stage(self, slug: str) -> StageProgress:
        return next(s for s in self.stages if s.stage == slug)

    def to_dict(self) -> dict[str, Any]:
        return {
            "stages": [s.to_dict() for s in self.stages],
            "done": self.done,
            "total": self.total,
            "complete_stages": list(self.complete_stages),
            "next_stage": self.next_stage,
        }


def done_name(stage: str, item: str) -> str:
    """The answer name of an item's tick box."""
    return f"{stage}--{item}"


def note_name(stage: str, item: str) -> str:
    """The answer name of an item's note."""
    return f"{stage}--{item}--note"


# ---------------------------------------------------------------------------- bank


def parse_stage(bank: Fields, file_stage: str) -> Stage:
    """Validate one stage file (already parsed) whose file name is `<file_stage>.toml`.

    Raises BankError naming the file and the field. Taking parsed data lets the tests
    feed broken copies of a real stage.
    """
    slug = bank.ident("stage")
    if slug != file_stage:
        raise bank.fail("stage", f"'{slug}' must be the same as the file name ('{file_stage}')")
    phase = bank.text("phase")
    if phase not in PHASES:
        raise bank.fail("phase", f"'{phase}' must be one of {', '.join(PHASES)}")
    order = bank.integer("order")
    if order < 1:
        raise bank.fail("order", "must be 1 or more")
    page = bank.text("page")
    if not page.endswith(".md"):
        raise bank.fail("page", f"'{page}' must be the docs path of a Markdown page")

    section_tables = bank.tables("sections")
    sections = []
    seen_kinds: set[str] = set()
    seen_items: set[str] = set()
    for f in section_tables:
        kind = f.text("kind")
        if kind not in KINDS:
            raise f.fail("kind", f"'{kind}' must be one of {', '.join(KINDS)}")
        if kind in seen_kinds:
            raise f.fail("kind", f"a stage has one '{kind}' section at most")
        seen_kinds.add(kind)
        items = []
        for i in f.tables("items"):
            ident = i.ident()
            if ident in seen_items:
                raise i.fail("id", f"duplicate id '{ident}' (ids must be unique in the stage)")
            seen_items.add(ident)
            items.append(Item(ident, i.text("text"), _link(i), read_source(i)))
        sections.append(Section(kind, f.text("title"), tuple(items)))
    # Sections in the guidance's order, whatever order the file lists them in.
    sections.sort(key=lambda s: KINDS.index(s.kind))

    return Stage(
        slug=slug, title=bank.text("title"), version=bank.text("version"), name=bank.text("stage_name"),
        phase=phase, order=order, page=page, key_question=bank.text("key_question"),
        key_question_source=read_source(bank, "key_question_source"), sections=tuple(sections),
    )


def _link(item: Fields) -> Link | None:
    target = item.optional_text("link")
    title = item.optional_text("link_title")
    if target and not title.strip():
        raise item.fail("link_title", "is needed with link (the words the link shows)")
    if title and not target:
        raise item.fail("link", "is needed with link_title")
    return Link(title, target) if target else None


def build_checklist_bank(tool: Fields, stage_files: Mapping[str, Fields]) -> ChecklistBank:
    """Validate the tool's own bank and every stage file ({stage file stem: fields}).

    Checks across stages: orders run 1..N with no gaps or repeats, and the phases come
    in lifecycle order (every Explore stage before every Develop stage...).
    """
    if not stage_files:
        raise tool.fail("stages", f"no stage files in banks/{STAGE_FOLDER}")
    stages = sorted((parse_stage(fields, stem) for stem, fields in stage_files.items()), key=lambda s: s.order)
    # parse_stage checked each stage's slug is its file stem, so stage_files[slug] is its file.
    for expected, stage in enumerate(stages, start=1):
        if stage.order != expected:
            raise stage_files[stage.slug].fail(
                "order", f"is {stage.order}, but the stages' orders must run 1 to {len(stages)} with none missing "
                f"or repeated (expected {expected} here)"
            )
    phase_rank = list(PHASES)
    for before, after in zip(stages, stages[1:]):
        if phase_rank.index(after.phase) < phase_rank.index(before.phase):
            raise stage_files[after.slug].fail(
                "phase", f"'{after.phase}' comes after '{before.phase}' in order, but phases must run {', '.join(PHASES)}"
            )

    checksum = zlib.crc32("\n".join(f"{s.slug}={s.version}" for s in stages).encode("utf-8"))
    partial = ChecklistBank(
        slug=SLUG,
        title=tool.text("title"),
        version=f"{tool.text('version')}+{checksum:08x}",
        stages=tuple(stages),
        examples=(),
    )
    examples = tuple(_example(partial, f) for f in tool.tables("examples"))
    return ChecklistBank(**{**partial.__dict__, "examples": examples})


@cache
def load_checklist_bank() -> ChecklistBank:
    """Read and validate `banks/checklists.toml` and every `banks/checklists/<stage>.toml`."""
    stage_files = {
        name.removeprefix(STAGE_FOLDER).removesuffix(".toml"): read_bank(name.removesuffix(".toml"))
        for name in bank_files()
        if name.startswith(STAGE_FOLDER)
    }
    return build_checklist_bank(read_bank(SLUG), stage_files)


def stage_slugs(bank: ChecklistBank) -> tuple[str, ...]:
    """The views a page marker may show: one per stage (`<!-- checklist: design -->`)."""
    return tuple(s.slug for s in bank.stages)


def _example(bank: ChecklistBank, f: Fields) -> Example:
    """Examples tick everything (`tick_all`), whole stages (`tick_stages`) or whole
    sections (`tick_kinds`), then add single answers (`answers`), so they keep working
    when items are added or reworded."""
    answers: dict[str, Any] = {}
    if f.flag("tick_all"):
        answers.update({done_name(s.slug, item.id): [DONE] for s in bank.stages for item in s.items})
    for slug in f.text_list("tick_stages"):
        if not bank.has_stage(slug):
            raise f.fail("tick_stages", f"unknown stage '{slug}'")
        answers.update({done_name(slug, item.id): [DONE] for item in bank.stage(slug).items})
    kinds_table = f.table("tick_kinds", required=False)
    for slug in kinds_table.data:
        if not bank.has_stage(slug):
            raise kinds_table.fail(slug, "unknown stage")
        for kind in kinds_table.text_list(slug):
            if kind not in KINDS:
                raise kinds_table.fail(slug, f"unknown kind '{kind}'")
            for section in bank.stage(slug).sections:
                if section.kind == kind:
                    answers.update({done_name(slug, item.id): [DONE] for item in section.items})
    answers.update(f.table("answers", required=False).data)
    try:
        answers = validate_checklist_answers(answers, bank)
    except InputError as bad:
        raise f.fail("answers", str(bad)) from bad

    # A worked example says everything it means: the next stage ("" when none), the
    # complete stages ([] when none) and every stage's status.
    expected = f.table("expected")
    if "next_stage" not in expected.data:
        raise expected.fail("next_stage", "missing field (write \"\" when every item is ticked)")
    next_stage = expected.optional_text("next_stage") or None
    complete = expected.text_list("complete_stages", required=True)
    statuses = expected.table("statuses")
    unnamed = [stage.slug for stage in bank.stages if stage.slug not in statuses.data]
    if unnamed:
        raise statuses.fail(unnamed[0], f"missing: every stage's status is pinned ({', '.join(unnamed)} missing)")
    if next_stage and not bank.has_stage(next_stage):
        raise expected.fail("next_stage", f"unknown stage '{next_stage}'")
    for slug in complete or ():
        if not bank.has_stage(slug):
            raise expected.fail("complete_stages", f"unknown stage '{slug}'")
    for slug, status in statuses.data.items():
        if not bank.has_stage(slug):
            raise statuses.fail(slug, "unknown stage")
        if status not in STATUSES:
            raise statuses.fail(slug, f"'{status}' must be one of {', '.join(STATUSES)}")
    return Example(
        name=f.text("name"),
        answers=answers,
        expected_next_stage=next_stage,
        expected_complete_stages=complete,
        expected_statuses=dict(statuses.data),
    )


# ------------------------------------------------------------------------- answers


def _answer_names(bank: ChecklistBank) -> dict[str, tuple[str, Item, bool]]:
    """{answer name: (stage name, item, is a note)} for every item of every stage."""
    names: dict[str, tuple[str, Item, bool]] = {}
    for stage in bank.stages:
        for item in stage.items:
            names[done_name(stage.slug, item.id)] = (stage.name, item, False)
            names[note_name(stage.slug, item.id)] = (stage.name, item, True)
    return names


def validate_checklist_answers(answers: Any, bank: ChecklistBank | None = None) -> dict[str, Any]:
    """Check answers are ticks (["done"]) and notes (text) for items the checklists have.

    Returns them in lifecycle order, without empty ticks or notes. Raises InputError in
    plain words.
    """
    bank = bank or load_checklist_bank()
    if not isinstance(answers, dict):
        raise InputError("The answers should be a list of checklist items, each ticked or with a note.")
    names = _answer_names(bank)
    for key, value in answers.items():
        if key not in names:
            raise InputError(f"There is an answer for a checklist item these checklists do not have: '{_short(key)}'.")
        stage_name, item, is_note = names[key]
        where = f"the {stage_name} stage item '{_short(item.text, 60)}'"
        if is_note:
            if not isinstance(value, str):
                raise InputError(f"The note on {where} should be text.")
            if len(value) > MAX_NOTE_CHARACTERS:
                raise InputError(
                    f"The note on {where} is {len(value):,} characters long. A note can be up to "
                    f"{MAX_NOTE_CHARACTERS:,} characters: keep longer text in a document of its own."
                )
        elif not isinstance(value, list) or any(v != DONE for v in value):
            raise InputError(f"The tick for {where} should be either ticked or not.")
    # Lifecycle order, so a downloaded file reads in the same order as the checklists.
    return {key: answers[key] if names[key][2] else [DONE] for key in names if answers.get(key)}


def checklist_answers_schema(bank: ChecklistBank) -> dict[str, Any]:
    """JSON Schema of the answers: a tick (["done"]) and a note (text) per item of every stage."""
    properties: dict[str, Any] = {}
    for stage in bank.stages:
        for item in stage.items:
            where = f"{stage.name}: {item.text}"
            properties[done_name(stage.slug, item.id)] = {
                "type": "array", "items": {"const": DONE}, "maxItems": 1, "description": f"Ticked. {where}",
            }
            properties[note_name(stage.slug, item.id)] = {
                "type": "string", "maxLength": MAX_NOTE_CHARACTERS, "description": f"Note. {where}",
            }
    return {
        "type": "object",
        "description": "\"<stage>--<item id>\": [\"done\"] for a ticked item; \"<stage>--<item id>--note\": the note. "
        "Items left out are not ticked and have no note.",
        "properties": properties,
        "additionalProperties": False,
    }


def _short(value: object, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------- scoring


def score_checklists(answers: Mapping[str, Any], bank: ChecklistBank | None = None) -> ChecklistResult:
    """Progress per stage and per kind of section, and which stage to focus on next.

    The stage to focus on is the earliest stage whose "Before moving on" items are not
    all ticked (the guidance asks for those before the next stage); when every gate is
    met, the earliest stage with anything left to do.
    """
    bank = bank or load_checklist_bank()
    answers = validate_checklist_answers(dict(answers), bank)
    progress = []
    for stage in bank.stages:
        kinds = []
        open_gates: list[str] = []
        for section in stage.sections:
            ticked = [item for item in section.items if done_name(stage.slug, item.id) in answers]
            kinds.append(KindProgress(section.kind, section.title, len(ticked), len(section.items)))
            if section.kind == "gates":
                open_gates.extend(item.id for item in section.items if item not in ticked)
        done = sum(k.done for k in kinds)
        total = sum(k.total for k in kinds)
        has_gates = any(k.kind == "gates" and k.total for k in kinds)
        if done == total:
            status = "complete"
        elif done == 0:
            status = "not-started"
        elif has_gates and not open_gates:
            status = "ready-to-move-on"
        else:
            status = "in-progress"
        notes = sum(1 for item in stage.items if note_name(stage.slug, item.id) in answers)
        progress.append(
            StageProgress(stage.slug, stage.name, stage.phase, done, total, notes, tuple(kinds), tuple(open_gates), status)
        )

    gated = next((p.stage for p in progress if p.open_gates), None)
    unfinished = next((p.stage for p in progress if p.status != "complete"), None)
    return ChecklistResult(
        stages=tuple(progress),
        done=sum(p.done for p in progress),
        total=sum(p.total for p in progress),
        complete_stages=tuple(p.stage for p in progress if p.status == "complete"),
        next_stage=gated or unfinished,
    )
