"""The ethics workbook: questions for the oversight group at the end of each phase.

The Main Guidance closes the Explore, Develop and Implement phases with the same ask:
"complete the ethics questions under '<phase>', sharing your responses for discussion
with your oversight group". The questions, statuses and themes are data in
`banks/ethics-workbook.toml`; this module reads and validates that bank, checks the
answers and works out the progress.

Each question has three answers, named after the question's id (ids are unique in the
whole workbook, and kebab-case never contains "--", so a name is never ambiguous):

    <question id>--answer      the team's answer (text)
    <question id>--status      a status id from the bank (the first status is never stored)
    <question id>--comments    what the oversight group said (text, optional)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Mapping

from ..monitor.agreed_thresholds import AgreedThresholds, ThresholdsPlacement, agreed_thresholds, parse_placement
from ..core.bank_reader import Fields, read_bank
from ..core.errors import InputError
from ..core.links import Link, page_href

__all__ = [
    "SLUG",
    "PHASES",
    "PARTS",
    "IN_PROGRESS",
    "MAX_ANSWER_CHARACTERS",
    "MAX_COMMENT_CHARACTERS",
    "Status",
    "Theme",
    "Question",
    "Phase",
    "Example",
    "WorkbookBank",
    "QuestionProgress",
    "PhaseProgress",
    "WorkbookResult",
    "answer_name",
    "status_name",
    "comments_name",
    "load_workbook_bank",
    "parse_workbook_bank",
    "phase_ids",
    "validate_workbook_answers",
    "workbook_answers_schema",
    "score_workbook",
]

SLUG = "ethics-workbook"
# The three phases of the lifecycle, in order (Main Guidance, "The lifecycle"). Fixed
# here, not only in the bank, because each phase has its own Markdown download.
PHASES: dict[str, str] = {"explore": "Explore", "develop": "Develop", "implement": "Implement"}
PARTS: tuple[str, ...] = ("answer", "status", "comments")
# A phase's status while some, but not all, of its questions have moved on from the first.
IN_PROGRESS = "in-progress"
# An answer is a few paragraphs for a meeting, not a report: longer text belongs in the
# Business Case or an impact assessment, summarised here. Both limits keep a whole
# workbook well inside the record size limit (records.MAX_RECORD_BYTES).
MAX_ANSWER_CHARACTERS = 5_000
MAX_COMMENT_CHARACTERS = 3_000


# ---------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Status:
    id: str
    label: str
    description: str
    needs_answer: bool  # at this status the answer should be written


@dataclass(frozen=True)
class Theme:
    id: str
    name: str


@dataclass(frozen=True)
class Question:
    id: str
    phase: str
    number: int  # 1 for the first question of its phase
    theme: str
    text: str
    help: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Phase:
    id: str  # a key of PHASES
    name: str
    when: str  # when the guidance asks for these answers
    intro: str
    guidance: Link
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Example:
    """A worked example: answers and the progress they must give."""

    name: str
    answers: Mapping[str, Any]
    expected_phase_statuses: Mapping[str, str]
    expected_status_counts: Mapping[str, int]
    expected_checks: tuple[str, ...]


@dataclass(frozen=True)
class WorkbookBank:
    slug: str
    title: str
    version: str
    intro: str
    statuses: tuple[Status, ...]  # in order of progress; the first is the default
    themes: tuple[Theme, ...]
    phases: tuple[Phase, ...]
    examples: tuple[Example, ...]
    # Where the workbook shows the thresholds agreed in the test and monitor tool.
    agreed_thresholds: ThresholdsPlacement | None = None

    @property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for p in self.phases for q in p.questions}

    @property
    def default_status(self) -> Status:
        return self.statuses[0]

    def status(self, status_id: str) -> Status:
        return next(s for s in self.statuses if s.id == status_id)

    def rank(self, status_id: str) -> int:
        return [s.id for s in self.statuses].index(status_id)

    def theme(self, theme_id: str) -> Theme:
        return next(t for t in self.themes if t.id == theme_id)

    def phase(self, phase_id: str) -> Phase:
        return next(p for p in self.phases if p.id == phase_id)

    def href(self, target: str, site_root: str = "") -> str:
        """The URL of a docs page from a page whose way to the site root is `site_root`."""
        return page_href(target, site_root)

    def phase_status_label(self, phase_status: str) -> str:
        return "In progress" if phase_status == IN_PROGRESS else self.status(phase_status).label

    @property
    def max_answer_characters(self) -> int:
        """For the form's `maxlength`: the same limit validation applies."""
        return MAX_ANSWER_CHARACTERS

    @property
    def max_comment_characters(self) -> int:
        return MAX_COMMENT_CHARACTERS


@dataclass(frozen=True)
class QuestionProgress:
    question: str
    phase: str
    status: str
    answered: bool  # the answer has some text
    has_comments: bool
    needs_answer: bool  # its status says the answer is written, but it is not
    # The texts themselves, for the printable record. Left out of to_dict(): the saved
    # file already holds them once, in its answers.
    answer: str = ""
    comments: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "phase": self.phase,
            "status": self.status,
            "answered": self.answered,
            "has_comments": self.has_comments,
        }


@dataclass(frozen=True)
class PhaseProgress:
    phase: str
    name: str
    total: int
    counts: tuple[tuple[str, int], ...]  # (status id, questions at it), in status order
    status: str  # a status id, or IN_PROGRESS
    not_started: tuple[str, ...]

    def count(self, status_id: str) -> int:
        return dict(self.counts)[status_id]

    def to_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "name": self.name,
            "total": self.total,
            "counts": dict(self.counts),
            "status": self.status,
            "not_started": list(self.not_started),
        }


@dataclass(frozen=True)
class WorkbookResult:
    phases: tuple[PhaseProgress, ...]
    questions: tuple[QuestionProgress, ...]  # in workbook order
    total: int
    counts: tuple[tuple[str, int], ...]  # across the whole workbook, in status order
    not_started: tuple[str, ...]
    checks: tuple[str, ...]  # questions whose status says "answered" but which have no answer
    # The thresholds saved in the test and monitor tool, shown with the question that asks.
    agreed_thresholds: AgreedThresholds | None = None

    def phase(self, phase_id: str) -> PhaseProgress:
        return next(p for p in self.phases if p.phase == phase_id)

    def question(self, question_id: str) -> QuestionProgress:
        return next(q for q in self.questions if q.question == question_id)

    def count(self, status_id: str) -> int:
        return dict(self.counts)[status_id]

    def to_dict(self) -> dict[str, Any]:
        return {
            "phases": [p.to_dict() for p in self.phases],
            "questions": [q.to_dict() for q in self.questions],
            "total": self.total,
            "counts": dict(self.counts),
            "not_started": list(self.not_started),
            "checks": list(self.checks),
            **({"agreed_thresholds": self.agreed_thresholds.to_dict()} if self.agreed_thresholds else {}),
        }


def answer_name(question: str) -> str:
    return f"{question}--answer"


def status_name(question: str) -> str:
    return f"{question}--status"


def comments_name(question: str) -> str:
    return f"{question}--comments"


# ---------------------------------------------------------------------------- bank


def _links(fields: Fields) -> tuple[Link, ...]:
    return tuple(Link(f.text("title"), f.text("target")) for f in fields.tables("links"))


def _link(fields: Fields, key: str) -> Link:
    table = fields.table(key)
    return Link(table.text("title"), table.text("target"))


@cache
def load_workbook_bank() -> WorkbookBank:
    """Read and validate `banks/ethics-workbook.toml`. Raises BankError naming the field."""
    bank = read_bank(SLUG)
    return parse_workbook_bank(bank.data, bank.bank)


def parse_workbook_bank(data: dict[str, Any], file_name: str = "ethics-workbook.toml") -> WorkbookBank:
    """Validate a parsed bank (tests pass a modified copy). Raises BankError naming the field."""
    bank = Fields(file_name, "", data)

    status_tables = bank.tables("statuses")
    bank.unique_ids(status_tables)
    if len(status_tables) < 2:
        raise bank.fail("statuses", "needs at least two statuses")
    statuses = tuple(
        Status(f.ident(), f.text("label"), f.text("description"), f.flag("needs_answer")) for f in status_tables
    )
    if IN_PROGRESS in {s.id for s in statuses}:
        raise status_tables[[s.id for s in statuses].index(IN_PROGRESS)].fail(
            "id", f"'{IN_PROGRESS}' is kept for a phase that is part done")
    if statuses[0].needs_answer:
        raise status_tables[0].fail("needs_answer", "the first status is where every question starts, unanswered")

    theme_tables = bank.tables("themes")
    bank.unique_ids(theme_tables)
    themes = tuple(Theme(f.ident(), f.text("name")) for f in theme_tables)
    theme_ids = {t.id for t in themes}

    phase_tables = bank.tables("phases")
    ids = [f.ident() for f in phase_tables]
    if ids != list(PHASES):
        raise bank.fail("phases", f"must be {', '.join(PHASES)}, in that order (found {', '.join(ids)})")
    phases = []
    seen: set[str] = set()
    used_themes: set[str] = set()
    for f in phase_tables:
        questions = []
        for number, q in enumerate(f.tables("questions"), start=1):
            qid = q.ident()
            if qid in seen:
                raise q.fail("id", f"duplicate question id '{qid}' (ids must be unique in the workbook)")
            seen.add(qid)
            theme = q.ident("theme")
            if theme not in theme_ids:
                raise q.fail("theme", f"'{theme}' is not one of the themes")
            used_themes.add(theme)
            questions.append(Question(qid, f.ident(), number, theme, q.text("text"), q.text("help"), _links(q)))
        phases.append(Phase(f.ident(), f.text("name"), f.text("when"), f.text("intro"), _link(f, "guidance"),
                            tuple(questions)))
    unused = [t.id for t in themes if t.id not in used_themes]
    if unused:
        raise bank.fail("themes", f"no question has the theme(s) {', '.join(unused)}")

    placement = parse_placement(bank, seen)
    partial = WorkbookBank(SLUG, bank.text("title"), bank.text("version"), bank.text("intro"), statuses, themes,
                           tuple(phases), (), placement)
    examples = tuple(_example(partial, f) for f in bank.tables("examples"))
    return WorkbookBank(**{**partial.__dict__, "examples": examples})


def phase_ids(bank: WorkbookBank) -> tuple[str, ...]:
    """The views a page may show on their own: one per phase."""
    return tuple(p.id for p in bank.phases)


def _example(bank: WorkbookBank, f: Fields) -> Example:
    answers: dict[str, Any] = {}
    for response in f.tables("responses", required=False):
        qid = response.ident("question")
        if qid not in bank.questions:
            raise response.fail("question", f"unknown question '{qid}'")
        for part in PARTS:
            if part in response.data:
                answers[f"{qid}--{part}"] = response.text(part)
    try:
        answers = validate_workbook_answers(answers, bank)
    except InputError as bad:
        raise f.fail("responses", str(bad)) from bad

    expected = f.table("expected")
    phase_statuses = expected.table("phase_statuses")
    allowed = {s.id for s in bank.statuses} | {IN_PROGRESS}
    for phase in PHASES:
        value = phase_statuses.text(phase)
        if value not in allowed:
            raise phase_statuses.fail(phase, f"'{value}' must be {IN_PROGRESS} or a status id")
    counts = expected.table("status_counts")
    for status in bank.statuses:
        counts.integer(status.id)
    checks = expected.text_list("checks", required=True)  # an empty list is written `[]`
    for qid in checks:
        if qid not in bank.questions:
            raise expected.fail("checks", f"unknown question '{qid}'")
    return Example(f.text("name"), answers, dict(phase_statuses.data), dict(counts.data), checks)


# ------------------------------------------------------------------------- answers


def _answer_names(bank: WorkbookBank) -> dict[str, tuple[Question, str]]:
    """{answer name: (question, part)} for every question, in workbook order."""
    return {f"{q.id}--{part}": (q, part) for q in bank.questions.values() for part in PARTS}


def _where(bank: WorkbookBank, question: Question) -> str:
    return f"{bank.phase(question.phase).name} question {question.number} (\u201c{_short(question.text, 60)}\u201d)"


def validate_workbook_answers(answers: Any, bank: WorkbookBank | None = None) -> dict[str, str]:
    """Check every answer is text within its limit and every status is one the bank has.

    Returns the answers in workbook order without empty text or the first status (which
    every question has until one is chosen). Raises InputError in plain words.
    """
    bank = bank or load_workbook_bank()
    if not isinstance(answers, dict):
        raise InputError("The answers should be a list of the workbook's questions, each with an answer, "
                         "a status and comments.")
    names = _answer_names(bank)
    statuses = {s.id for s in bank.statuses}
    for key, value in answers.items():
        if key not in names:
            raise InputError(f"There is an answer for a question this workbook does not have: '{_short(key)}'.")
        question, part = names[key]
        where = _where(bank, question)
        if not isinstance(value, str):
            raise InputError(f"The {_part_words(part)} for {where} should be text.")
        if part == "status":
            if value and value not in statuses:
                labels = ", ".join(f"\u201c{s.label}\u201d" for s in bank.statuses)
                raise InputError(f"The status of {where} is not one of the statuses ({labels}).")
            continue
        limit = MAX_ANSWER_CHARACTERS if part == "answer" else MAX_COMMENT_CHARACTERS
        if len(value) > limit:
            raise InputError(
                f"The {_part_words(part)} for {where} is {len(value):,} characters long. It can be up to {limit:,} "
                "characters: keep longer text in a document of its own and summarise it here."
            )
    default = bank.default_status.id
    return {
        key: answers[key]
        for key, (_question, part) in names.items()
        if answers.get(key) and not (part == "status" and answers[key] == default)
    }


def _part_words(part: str) -> str:
    return {"answer": "answer", "status": "status", "comments": "oversight group comments"}[part]


def workbook_answers_schema(bank: WorkbookBank) -> dict[str, Any]:
    """JSON Schema of the answers: an answer, a status and comments for each question."""
    properties: dict[str, Any] = {}
    for question in bank.questions.values():
        where = f"{bank.phase(question.phase).name} {question.number}: {question.text}"
        properties[answer_name(question.id)] = {
            "type": "string", "maxLength": MAX_ANSWER_CHARACTERS, "description": f"Answer. {where}",
        }
        properties[status_name(question.id)] = {
            "enum": [s.id for s in bank.statuses], "description": f"Status. {where}",
        }
        properties[comments_name(question.id)] = {
            "type": "string", "maxLength": MAX_COMMENT_CHARACTERS, "description": f"Oversight group comments. {where}",
        }
    return {
        "type": "object",
        "description": "\"<question id>--answer\", \"<question id>--status\" and \"<question id>--comments\" for each "
        f"question. A question with no status is \u201c{bank.default_status.label}\u201d.",
        "properties": properties,
        "additionalProperties": False,
    }


def _short(value: object, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


# ------------------------------------------------------------------------- progress


def score_workbook(answers: Mapping[str, Any], bank: WorkbookBank | None = None,
                   context: Mapping[str, Any] | None = None) -> WorkbookResult:
    """Progress per phase and per status, the questions not started, and points to check.

    `context` is {tool slug: that tool's result, or None} (records.score_with_context):
    the test and monitor tool's thresholds, shown with the question that asks about them.
    """
    bank = bank or load_workbook_bank()
    answers = validate_workbook_answers(dict(answers), bank)
    default = bank.default_status.id
    progress: list[QuestionProgress] = []
    phases: list[PhaseProgress] = []
    for phase in bank.phases:
        mine = []
        for question in phase.questions:
            status = answers.get(status_name(question.id), default)
            answer = answers.get(answer_name(question.id), "")
            comments = answers.get(comments_name(question.id), "")
            answered = bool(answer.strip())
            mine.append(QuestionProgress(
                question.id, phase.id, status, answered, bool(comments.strip()),
                bank.status(status).needs_answer and not answered, answer, comments,
            ))
        progress.extend(mine)
        ranks = [bank.rank(q.status) for q in mine]
        if all(rank == 0 for rank in ranks):
            phase_status = default
        elif any(rank == 0 for rank in ranks):
            phase_status = IN_PROGRESS
        else:
            # Every question has moved on: the phase is as far as its least advanced one.
            phase_status = bank.statuses[min(ranks)].id
        phases.append(PhaseProgress(
            phase.id, phase.name, len(mine), _counts(bank, mine), phase_status,
            tuple(q.question for q in mine if q.status == default),
        ))
    return WorkbookResult(
        phases=tuple(phases),
        questions=tuple(progress),
        total=len(progress),
        counts=_counts(bank, progress),
        not_started=tuple(q.question for q in progress if q.status == default),
        checks=tuple(q.question for q in progress if q.needs_answer),
        agreed_thresholds=agreed_thresholds(bank.agreed_thresholds, context),
    )


def _counts(bank: WorkbookBank, questions: list[QuestionProgress]) -> tuple[tuple[str, int], ...]:
    return tuple((s.id, sum(1 for q in questions if q.status == s.id)) for s in bank.statuses)
