"""The ethics triage: its bank, the answers it accepts, and how it works out the risk.

The Main Guidance (Explore phase, Ethics triage stage) asks the data practitioner, the
project manager and an Information Governance representative to complete a 15-minute
triage once a solution has been chosen. It should show how risky the tool is, the
specific risks (themes), proportionate governance (impact assessments, independent
scrutiny, sign-off) and where to read more. Every question, rule, threshold and text is
data in `banks/ethics-triage.toml`; this module only reads and applies it:

- `risk_rules` and `red_flags` raise the overall risk level from the lowest level;
- then theme, impact assessment and independent scrutiny `triggers` are checked, and
  may depend on that level (`risk_at_least`);
- a question with `applies_if` is left out (hidden in the page, ignored here) unless
  the answer it depends on is one of the listed options.

Every reason in a result names the rule that gave it and the answers that met it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any, Mapping

from ..data_maturity import model as data_maturity
from ..core.bank_reader import Fields, read_bank
from ..core.dates import check_date_answer, date_words
from ..core.errors import InputError
from ..core.links import Link

__all__ = [
    "SLUG",
    "QUESTION_KINDS",
    "MAX_TEXT_LENGTH",
    "Option",
    "Condition",
    "Question",
    "Section",
    "RiskLevel",
    "RiskRule",
    "RedFlag",
    "Trigger",
    "Theme",
    "ImpactAssessment",
    "IndependentScrutiny",
    "Example",
    "TriageBank",
    "Evidence",
    "Reason",
    "RiskReason",
    "RaisedRedFlag",
    "FlaggedTheme",
    "AssessmentAdvice",
    "ScrutinyAdvice",
    "RecordLine",
    "TriageResult",
    "load_triage_bank",
    "parse_triage_bank",
    "validate_triage_answers",
    "triage_answers_schema",
    "inactive_questions",
    "score_triage",
    "answers_from_maturity",
]

SLUG = "ethics-triage"
QUESTION_KINDS = ("single", "multiple", "text", "number", "date")
_CHOICE_KINDS = ("single", "multiple")
# Enough for a few paragraphs; a longer answer belongs in the Business Case.
MAX_TEXT_LENGTH = 2000


# ------------------------------------------------------------------------ the bank


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    exclusive: bool = False  # "None of these": cannot be ticked with another option


@dataclass(frozen=True)
class Condition:
    """`question` answered with one of `any_of`, or (when `risk_at_least` is set) the
    overall risk level at or above that level."""

    question: str = ""
    any_of: tuple[str, ...] = ()
    risk_at_least: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    kind: str  # one of QUESTION_KINDS
    text: str
    help: str
    options: tuple[Option, ...]
    applies_if: Condition | None
    record_label: str  # a short name for the record's header, e.g. "Project manager"
    rows: int = 1  # text questions: 1 is a one-line box, more is a paragraph box

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class RiskLevel:
    id: str
    name: str
    description: str
    sign_off: str
    next_steps: tuple[str, ...]


@dataclass(frozen=True)
class RiskRule:
    id: str
    raises_to: str
    reason: str
    when: tuple[Condition, ...]


@dataclass(frozen=True)
class RedFlag:
    id: str
    raises_to: str
    title: str
    text: str
    when: tuple[Condition, ...]


@dataclass(frozen=True)
class Trigger:
    id: str
    why: str
    when: tuple[Condition, ...]


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    risk: str
    mitigations: tuple[str, ...]
    links: tuple[Link, ...]
    triggers: tuple[Trigger, ...]


@dataclass(frozen=True)
class ImpactAssessment:
    id: str
    name: str
    about: str
    if_not_triggered: str
    links: tuple[Link, ...]
    triggers: tuple[Trigger, ...]


@dataclass(frozen=True)
class IndependentScrutiny:
    advised: str
    not_advised: str
    links: tuple[Link, ...]
    triggers: tuple[Trigger, ...]


@dataclass(frozen=True)
class Example:
    """A worked example: answers and the result they must give."""

    name: str
    answers: Mapping[str, Any]
    expected_risk_level: str
    expected_red_flags: tuple[str, ...]
    expected_themes: tuple[str, ...]
    expected_impact_assessments: tuple[str, ...]
    expected_independent_scrutiny: bool


@dataclass(frozen=True)
class TriageBank:
    slug: str
    title: str
    version: str
    intro: str
    sections: tuple[Section, ...]
    risk_levels: tuple[RiskLevel, ...]
    risk_rules: tuple[RiskRule, ...]
    red_flags: tuple[RedFlag, ...]
    themes: tuple[Theme, ...]
    impact_assessments: tuple[ImpactAssessment, ...]
    independent_scrutiny: IndependentScrutiny
    next_steps: tuple[str, ...]
    next_step_links: tuple[Link, ...]
    maturity_question: str
    completed_by_questions: tuple[str, ...]
    completed_on_question: str
    use_case_name_question: str
    examples: tuple[Example, ...]

    @property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for s in self.sections for q in s.questions}

    def level(self, level_id: str) -> RiskLevel:
        return next(level for level in self.risk_levels if level.id == level_id)

    def rank(self, level_id: str) -> int:
        return [level.id for level in self.risk_levels].index(level_id)

    @property
    def max_text_length(self) -> int:
        return MAX_TEXT_LENGTH

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Every rule and trigger id, in bank order (each should be met by an example)."""
        triggers = [t for group in (*self.themes, *self.impact_assessments, self.independent_scrutiny)
                    for t in group.triggers]
        return tuple(r.id for r in (*self.risk_rules, *self.red_flags, *triggers))

    def applies_if_text(self, question: Question) -> str:
        """The branching condition in words, shown to readers without JavaScript."""
        if question.applies_if is None:
            return ""
        controlling = self.questions[question.applies_if.question]
        labels = " or ".join(f"\u201c{controlling.option(o).label}\u201d" for o in question.applies_if.any_of)
        return f"Only if your answer to \u201c{controlling.text}\u201d is {labels}."


def _links(fields: Fields) -> tuple[Link, ...]:
    return tuple(Link(f.text("title"), f.text("target")) for f in fields.tables("links", required=False))


def _conditions(owner: Fields, questions: dict[str, Question], levels: tuple[str, ...],
                *, risk_allowed: bool) -> tuple[Condition, ...]:
    out = []
    for f in owner.tables("when"):
        if "risk_at_least" in f.data:
            if not risk_allowed:
                # The risk level is what these rules decide, so they cannot depend on it.
                raise f.fail("risk_at_least", "risk rules and red flags can only depend on answers")
            level = f.ident("risk_at_least")
            if level not in levels:
                raise f.fail("risk_at_least", f"'{level}' is not one of the risk levels")
            out.append(Condition(risk_at_least=level))
            continue
        out.append(_answer_condition(f, questions))
    return tuple(out)


def _answer_condition(f: Fields, questions: dict[str, Question]) -> Condition:
    question_id = f.ident("question")
    question = questions.get(question_id)
    if question is None:
        raise f.fail("question", f"unknown question '{question_id}'")
    if question.kind not in _CHOICE_KINDS:
        raise f.fail("question", f"'{question_id}' has no options to test (it is a {question.kind} question)")
    any_of = f.text_list("any_of", required=True)
    if not any_of:
        raise f.fail("any_of", "must name at least one option")
    known = {o.id for o in question.options}
    for option in any_of:
        if option not in known:
            raise f.fail("any_of", f"'{option}' is not an option of '{question_id}'")
    return Condition(question=question_id, any_of=any_of)


def _triggers(owner: Fields, questions: dict[str, Question], levels: tuple[str, ...]) -> tuple[Trigger, ...]:
    return tuple(
        Trigger(f.ident(), f.text("why"), _conditions(f, questions, levels, risk_allowed=True))
        for f in owner.tables("triggers")
    )


def _questions(bank: Fields) -> tuple[Section, ...]:
    section_tables = bank.tables("sections")
    bank.unique_ids(section_tables)
    sections: list[Section] = []
    seen: dict[str, Question] = {}
    for s in section_tables:
        questions = []
        for f in s.tables("questions"):
            qid = f.ident()
            if qid in seen:
                raise f.fail("id", f"duplicate question id '{qid}' (ids must be unique in the bank)")
            kind = f.text("kind")
            if kind not in QUESTION_KINDS:
                raise f.fail("kind", f"must be one of {', '.join(QUESTION_KINDS)}")
            option_tables = f.tables("options", required=kind in _CHOICE_KINDS)
            if kind not in _CHOICE_KINDS and option_tables:
                raise f.fail("options", f"a {kind} question has no options")
            if kind in _CHOICE_KINDS and len(option_tables) < 2:
                raise f.fail("options", "needs at least two options")
            f.unique_ids(option_tables)
            options = []
            for o in option_tables:
                exclusive = o.flag("exclusive")
                if exclusive and kind != "multiple":
                    raise o.fail("exclusive", "only a multiple-choice option can be exclusive")
                options.append(Option(o.ident(), o.text("label"), exclusive))
            applies_if = None
            if "applies_if" in f.data:
                # Only an earlier question may decide whether this one applies: no loops,
                # and the page reads in the order it is answered.
                applies_if = _answer_condition(f.table("applies_if"), seen)
            rows = f.integer("rows", 1)
            if rows < 1 or (rows > 1 and kind != "text"):
                raise f.fail("rows", "must be 1 or more, and more than 1 only for a text question")
            question = Question(qid, s.ident(), kind, f.text("text"), f.text("help"), tuple(options),
                                applies_if, f.optional_text("record_label"), rows)
            seen[qid] = question
            questions.append(question)
        sections.append(Section(s.ident(), s.text("title"), s.optional_text("intro"), tuple(questions)))
    return tuple(sections)


def _question_of_kind(rules: Fields, where: str, qid: str, questions: dict[str, Question],
                      kinds: tuple[str, ...]) -> str:
    """Check that a `[rules]` field names a question of the right kind."""
    if qid not in questions:
        raise rules.fail(where, f"unknown question '{qid}'")
    if questions[qid].kind not in kinds:
        raise rules.fail(where, f"'{qid}' must be a {' or '.join(kinds)} question")
    return qid


@cache
def load_triage_bank() -> TriageBank:
    """Read and validate `banks/ethics-triage.toml`. Raises BankError naming the field."""
    bank = read_bank(SLUG)
    return parse_triage_bank(bank.data, bank.bank)


def parse_triage_bank(data: dict[str, Any], file_name: str = "ethics-triage.toml") -> TriageBank:
    """Validate a parsed bank (tests pass a modified copy). Raises BankError naming the field."""
    bank = Fields(file_name, "", data)
    sections = _questions(bank)
    questions = {q.id: q for s in sections for q in s.questions}

    level_tables = bank.tables("risk_levels")
    bank.unique_ids(level_tables)
    if len(level_tables) < 2:
        raise bank.fail("risk_levels", "needs at least two levels")
    risk_levels = tuple(
        RiskLevel(f.ident(), f.text("name"), f.text("description"), f.text("sign_off"),
                  f.text_list("next_steps", required=True))
        for f in level_tables
    )
    levels = tuple(level.id for level in risk_levels)

    def raises_to(f: Fields) -> str:
        level = f.ident("raises_to")
        if level not in levels:
            raise f.fail("raises_to", f"'{level}' is not one of the risk levels")
        return level

    risk_rules = tuple(
        RiskRule(f.ident(), raises_to(f), f.text("reason"), _conditions(f, questions, levels, risk_allowed=False))
        for f in bank.tables("risk_rules")
    )
    red_flags = tuple(
        RedFlag(f.ident(), raises_to(f), f.text("title"), f.text("text"),
                _conditions(f, questions, levels, risk_allowed=False))
        for f in bank.tables("red_flags")
    )

    theme_tables = bank.tables("themes")
    bank.unique_ids(theme_tables)
    themes = tuple(
        Theme(f.ident(), f.text("name"), f.text("risk"), f.text_list("mitigations", required=True), _links(f),
              _triggers(f, questions, levels))
        for f in theme_tables
    )
    assessment_tables = bank.tables("impact_assessments")
    bank.unique_ids(assessment_tables)
    impact_assessments = tuple(
        ImpactAssessment(f.ident(), f.text("name"), f.text("about"), f.text("if_not_triggered"), _links(f),
                         _triggers(f, questions, levels))
        for f in assessment_tables
    )
    scrutiny_table = bank.table("independent_scrutiny")
    scrutiny = IndependentScrutiny(scrutiny_table.text("advised"), scrutiny_table.text("not_advised"),
                                   _links(scrutiny_table), _triggers(scrutiny_table, questions, levels))

    # Rule ids are one namespace: a reason in a result names its rule unambiguously.
    rule_tables = bank.tables("risk_rules") + bank.tables("red_flags")
    for group in (*theme_tables, *assessment_tables, scrutiny_table):
        rule_tables += group.tables("triggers")
    bank.unique_ids(rule_tables)

    rules = bank.table("rules")
    maturity_question = _question_of_kind(rules, "maturity_question", rules.ident("maturity_question"), questions,
                                          ("single",))
    option_ids = {o.id for o in questions[maturity_question].options}
    missing = [level.id for level in data_maturity.load_data_maturity_bank().levels if level.id not in option_ids]
    if missing:
        # The data maturity result is brought in as one of these options.
        raise rules.fail("maturity_question", f"'{maturity_question}' has no option for data maturity level(s) "
                                               f"{', '.join(missing)}")
    completed_by = rules.text_list("completed_by_questions", required=True)
    for index, qid in enumerate(completed_by):
        _question_of_kind(rules, f"completed_by_questions[{index}]", qid, questions, ("text",))
    completed_on = _question_of_kind(rules, "completed_on_question", rules.ident("completed_on_question"), questions,
                                     ("date",))
    use_case_name = _question_of_kind(rules, "use_case_name_question", rules.ident("use_case_name_question"),
                                      questions, ("text",))

    steps = bank.table("next_steps")
    partial = TriageBank(
        slug=SLUG, title=bank.text("title"), version=bank.text("version"), intro=bank.optional_text("intro"),
        sections=sections, risk_levels=risk_levels, risk_rules=risk_rules, red_flags=red_flags, themes=themes,
        impact_assessments=impact_assessments, independent_scrutiny=scrutiny,
        next_steps=steps.text_list("always", required=True), next_step_links=_links(steps),
        maturity_question=maturity_question, completed_by_questions=completed_by,
        completed_on_question=completed_on, use_case_name_question=use_case_name, examples=(),
    )
    examples = tuple(_example(partial, f) for f in bank.tables("examples"))
    return TriageBank(**{**partial.__dict__, "examples": examples})


def _example(bank: TriageBank, f: Fields) -> Example:
    try:
        answers = validate_triage_answers(f.table("answers", required=False).data, bank)
    except InputError as bad:
        raise f.fail("answers", str(bad)) from bad
    expected = f.table("expected")
    level = expected.ident("risk_level")
    if level not in [lv.id for lv in bank.risk_levels]:
        raise expected.fail("risk_level", f"'{level}' is not one of the risk levels")
    known = {
        "red_flags": {r.id for r in bank.red_flags},
        "themes": {t.id for t in bank.themes},
        "impact_assessments": {a.id for a in bank.impact_assessments},
    }
    lists = {}
    for key, ids in known.items():
        lists[key] = expected.text_list(key, required=True)  # an empty list is written `[]`
        for value in lists[key]:
            if value not in ids:
                raise expected.fail(key, f"unknown id '{value}'")
    return Example(
        name=f.text("name"), answers=answers, expected_risk_level=level,
        expected_red_flags=lists["red_flags"], expected_themes=lists["themes"],
        expected_impact_assessments=lists["impact_assessments"],
        expected_independent_scrutiny=expected.flag("independent_scrutiny", required=True),
    )


# ------------------------------------------------------------------------- answers


def _short(value: object, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, list) and not value)


def validate_triage_answers(answers: Any, bank: TriageBank | None = None) -> dict[str, Any]:
    """Check answers are {question id: answer} of the right kind. Raises InputError in plain words.

    Blank answers are dropped. Answers to questions that do not apply are kept (the
    reader may change the answer they depend on back) but never scored.
    """
    bank = bank or load_triage_bank()
    if not isinstance(answers, dict):
        raise InputError("The answers should be a list of questions and the answer given to each.")
    questions = bank.questions
    clean: dict[str, Any] = {}
    for key, value in answers.items():
        question = questions.get(key) if isinstance(key, str) else None
        if question is None:
            raise InputError(f"There is an answer to a question this triage does not have: '{_short(key)}'.")
        if _is_empty(value):
            continue
        clean[key] = _clean_answer(question, value)
    return {qid: clean[qid] for qid in questions if qid in clean}  # bank order, for stable records


def triage_answers_schema(bank: TriageBank) -> dict[str, Any]:
    """JSON Schema of the answers, as `validate_triage_answers` leaves them."""
    properties: dict[str, Any] = {}
    for qid, question in bank.questions.items():
        options = [o.id for o in question.options]
        if question.kind == "single":
            schema: dict[str, Any] = {"enum": options}
        elif question.kind == "multiple":
            schema = {"type": "array", "items": {"enum": options}, "uniqueItems": True, "minItems": 1}
        elif question.kind == "date":
            schema = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
        elif question.kind == "number":
            schema = {"type": "string", "pattern": r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$"}
        else:
            schema = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_LENGTH}
        properties[qid] = {**schema, "description": question.text}
    return {
        "type": "object",
        "description": "Question id -> answer (an option id, a list of option ids, text or a date). "
                       "Questions left out are unanswered.",
        "properties": properties,
        "additionalProperties": False,
    }


def _clean_answer(question: Question, value: Any) -> Any:
    name = f"\u2018{_short(question.text)}\u2019"
    if question.kind == "single":
        if not isinstance(value, str) or value not in {o.id for o in question.options}:
            labels = ", ".join(o.label for o in question.options)
            raise InputError(f"The answer to {name} is not one of the options ({labels}).")
        return value
    if question.kind == "multiple":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"The answer to {name} should be a list of the options ticked.")
        known = [o.id for o in question.options]
        unknown = [v for v in value if v not in known]
        if unknown:
            raise InputError(f"The answer to {name} includes something that is not one of its options: "
                             f"'{_short(unknown[0], 40)}'.")
        chosen = [o for o in question.options if o.id in value]
        exclusive = [o for o in chosen if o.exclusive]
        if exclusive and len(chosen) > 1:
            raise InputError(f"\u201c{exclusive[0].label}\u201d cannot be ticked together with other answers to {name}. "
                             "Untick one or the other.")
        return [o.id for o in chosen]
    if question.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise InputError(f"The answer to {name} should be a number.")
        try:
            number = float(value)
        except ValueError:
            raise InputError(f"The answer to {name} should be a number, not '{_short(value, 20)}'.") from None
        if not math.isfinite(number):
            raise InputError(f"The answer to {name} should be an ordinary number.")
        return value.strip() if isinstance(value, str) else str(value)
    if not isinstance(value, str):
        raise InputError(f"The answer to {name} should be text.")
    if question.kind == "date":
        return check_date_answer(value, name)
    if len(value) > MAX_TEXT_LENGTH:
        raise InputError(f"The answer to {name} is too long ({len(value):,} characters; at most "
                         f"{MAX_TEXT_LENGTH:,}). Keep the detail for your Business Case.")
    return value


def _active(answers: Mapping[str, Any], bank: TriageBank) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The answers that apply, and the ids of the questions that do not.

    Questions are checked in bank order and `applies_if` may only name an earlier
    question, so a question that depends on one that does not apply does not apply either.
    """
    active: dict[str, Any] = {}
    inactive: list[str] = []
    for qid, question in bank.questions.items():
        if question.applies_if is not None and not _answer_meets(question.applies_if, active):
            inactive.append(qid)
        elif qid in answers:
            active[qid] = answers[qid]
    return active, tuple(inactive)


def inactive_questions(answers: Any, bank: TriageBank | None = None) -> tuple[str, ...]:
    """Ids of the questions that do not apply given these answers (the page hides them)."""
    bank = bank or load_triage_bank()
    return _active(answers if isinstance(answers, dict) else {}, bank)[1]


def answers_from_maturity(result: data_maturity.MaturityResult, bank: TriageBank | None = None) -> dict[str, str]:
    """The triage answer a data maturity result gives: its overall level."""
    bank = bank or load_triage_bank()
    if result.overall_level is None:
        raise InputError(
            "That data maturity self-assessment has no overall level yet: answer at least half the statements "
            "in every component (\u201cdon\u2019t know\u201d does not count), then try again, or choose your level here."
        )
    return {bank.maturity_question: result.overall_level}


# ---------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Evidence:
    """One answer that met a rule: the question and the answer, in words."""

    question: str
    question_text: str
    answer: str

    def to_dict(self) -> dict[str, str]:
        return {"question": self.question, "question_text": self.question_text, "answer": self.answer}


def _evidence_list(evidence: tuple[Evidence, ...]) -> list[dict[str, str]]:
    return [e.to_dict() for e in evidence]


@dataclass(frozen=True)
class Reason:
    """Why a theme, impact assessment or scrutiny was flagged: a trigger that was met.

    `evidence` holds the answers its question conditions met. A trigger that depends on
    the risk level also names that level, and `risk_evidence` holds the answers whose
    rules raised the risk to it (the view points to them rather than repeating them).
    """

    rule: str
    text: str
    evidence: tuple[Evidence, ...]
    risk_level: str = ""
    risk_evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "text": self.text, "evidence": _evidence_list(self.evidence),
                "risk_level": self.risk_level or None, "risk_evidence": _evidence_list(self.risk_evidence)}


@dataclass(frozen=True)
class RiskReason:
    """A risk rule that was met, and the level it raises the risk to."""

    rule: str
    raises_to: str
    text: str
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "raises_to": self.raises_to, "text": self.text,
                "evidence": _evidence_list(self.evidence)}


@dataclass(frozen=True)
class RaisedRedFlag:
    rule: str
    title: str
    text: str
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "title": self.title, "text": self.text, "evidence": _evidence_list(self.evidence)}


@dataclass(frozen=True)
class FlaggedTheme:
    id: str
    name: str
    why: tuple[Reason, ...]
    risk: str
    mitigations: tuple[str, ...]
    links: tuple[Link, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "why": [r.to_dict() for r in self.why], "risk": self.risk,
                "mitigations": list(self.mitigations), "links": [link.to_dict() for link in self.links]}


@dataclass(frozen=True)
class AssessmentAdvice:
    id: str
    name: str
    advised: bool
    why: tuple[Reason, ...]
    about: str
    note: str  # when not advised: what to do instead
    links: tuple[Link, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "advised": self.advised, "why": [r.to_dict() for r in self.why],
                "about": self.about, "note": self.note, "links": [link.to_dict() for link in self.links]}


@dataclass(frozen=True)
class ScrutinyAdvice:
    advised: bool
    why: tuple[Reason, ...]
    advice: str
    links: tuple[Link, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"advised": self.advised, "why": [r.to_dict() for r in self.why], "advice": self.advice,
                "links": [link.to_dict() for link in self.links]}


@dataclass(frozen=True)
class RecordLine:
    """One question in the record of the triage, answered in words."""

    question: str
    section: str
    text: str
    answer: str
    status: str  # "answered", "not-answered" or "not-applicable"

    def to_dict(self) -> dict[str, str]:
        return {"question": self.question, "section": self.section, "text": self.text, "answer": self.answer,
                "status": self.status}


@dataclass(frozen=True)
class TriageResult:
    complete: bool
    answered: int
    risk_level: str
    risk_level_name: str
    reasons: tuple[RiskReason, ...]
    red_flags: tuple[RaisedRedFlag, ...]
    themes: tuple[FlaggedTheme, ...]
    impact_assessments: tuple[AssessmentAdvice, ...]
    independent_scrutiny: ScrutinyAdvice
    sign_off: str
    next_steps: tuple[str, ...]
    use_case_name: str
    completed_on: str  # in words, e.g. "14 March 2025"
    completed_by: tuple[tuple[str, str], ...]  # (role, name and role as answered)
    record: tuple[RecordLine, ...]
    unanswered: tuple[str, ...]
    not_applicable: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        # Lists and dicts only: a record's stored result is compared with a fresh one
        # after a JSON round trip, where tuples come back as lists.
        return {
            "complete": self.complete,
            "answered": self.answered,
            "risk_level": {"id": self.risk_level, "name": self.risk_level_name},
            "reasons": [r.to_dict() for r in self.reasons],
            "red_flags": [r.to_dict() for r in self.red_flags],
            "themes": [t.to_dict() for t in self.themes],
            "impact_assessments": [a.to_dict() for a in self.impact_assessments],
            "independent_scrutiny": self.independent_scrutiny.to_dict(),
            "sign_off": self.sign_off,
            "next_steps": list(self.next_steps),
            "record": {
                "use_case_name": self.use_case_name,
                "completed_on": self.completed_on,
                "completed_by": [{"role": role, "name": name} for role, name in self.completed_by],
                "answers": [line.to_dict() for line in self.record],
            },
            "unanswered": list(self.unanswered),
            "not_applicable": list(self.not_applicable),
        }


# ------------------------------------------------------------------------- scoring


def _answer_meets(condition: Condition, active: Mapping[str, Any]) -> bool:
    value = active.get(condition.question)
    chosen = value if isinstance(value, list) else [value]
    return any(v in condition.any_of for v in chosen)


def _answer_words(question: Question, value: Any) -> str:
    if question.kind == "single":
        return question.option(value).label
    if question.kind == "multiple":
        return "; ".join(question.option(v).label for v in value)
    if question.kind == "date":
        return date_words(value)
    return str(value)


class _Checker:
    """Applies conditions to one set of answers, collecting the evidence that met them."""

    def __init__(self, bank: TriageBank, active: dict[str, Any]) -> None:
        self.bank = bank
        self.active = active
        self.risk_rank = 0
        self.raised: list[tuple[int, Evidence]] = []  # (rank a rule raised the risk to, its evidence)

    def evidence(self, condition: Condition) -> Evidence:
        """The answer that met a question condition, in words (only the options it names)."""
        question = self.bank.questions[condition.question]
        value = self.active[condition.question]
        matched = [v for v in (value if isinstance(value, list) else [value]) if v in condition.any_of]
        return Evidence(question.id, question.text,
                        _answer_words(question, matched if question.kind == "multiple" else matched[0]))

    def met(self, when: tuple[Condition, ...]) -> tuple[Evidence, ...] | None:
        """The evidence for these conditions, or None when any one is not met."""
        for condition in when:
            if condition.risk_at_least:
                if self.risk_rank < self.bank.rank(condition.risk_at_least):
                    return None
            elif not _answer_meets(condition, self.active):
                return None
        return tuple(dict.fromkeys(self.evidence(c) for c in when if not c.risk_at_least))

    def risk_evidence(self, level: str) -> tuple[Evidence, ...]:
        """The answers whose rules raised the risk to `level` or above."""
        threshold = self.bank.rank(level)
        return tuple(dict.fromkeys(e for rank, e in self.raised if rank >= threshold))

    def raise_risk(self, level: str, evidence: tuple[Evidence, ...]) -> None:
        rank = self.bank.rank(level)
        self.risk_rank = max(self.risk_rank, rank)
        self.raised.extend((rank, e) for e in evidence)

    def reasons(self, triggers: tuple[Trigger, ...]) -> tuple[Reason, ...]:
        out = []
        for trigger in triggers:
            evidence = self.met(trigger.when)
            if evidence is not None:
                level = max((c.risk_at_least for c in trigger.when if c.risk_at_least), key=self.bank.rank,
                            default="")
                out.append(Reason(trigger.id, trigger.why, evidence, level,
                                  self.risk_evidence(level) if level else ()))
        return tuple(out)


def score_triage(answers: Mapping[str, Any], bank: TriageBank | None = None) -> TriageResult:
    """Work out the triage's result from the answers, following the bank's rules."""
    bank = bank or load_triage_bank()
    answers = validate_triage_answers(dict(answers), bank)
    active, inactive = _active(answers, bank)
    check = _Checker(bank, active)

    reasons = []
    for rule in bank.risk_rules:
        evidence = check.met(rule.when)
        if evidence is not None:
            check.raise_risk(rule.raises_to, evidence)
            reasons.append(RiskReason(rule.id, rule.raises_to, rule.reason, evidence))
    red_flags = []
    for flag in bank.red_flags:
        evidence = check.met(flag.when)
        if evidence is not None:
            check.raise_risk(flag.raises_to, evidence)
            red_flags.append(RaisedRedFlag(flag.id, flag.title, flag.text, evidence))
    # The reasons that raised the risk furthest come first.
    reasons.sort(key=lambda r: -bank.rank(r.raises_to))
    level = bank.risk_levels[check.risk_rank]

    themes = []
    for theme in bank.themes:
        why = check.reasons(theme.triggers)
        if why:
            themes.append(FlaggedTheme(theme.id, theme.name, why, theme.risk, theme.mitigations, theme.links))
    assessments = []
    for assessment in bank.impact_assessments:
        why = check.reasons(assessment.triggers)
        assessments.append(AssessmentAdvice(assessment.id, assessment.name, bool(why), why, assessment.about,
                                            "" if why else assessment.if_not_triggered, assessment.links))
    scrutiny_why = check.reasons(bank.independent_scrutiny.triggers)
    scrutiny = ScrutinyAdvice(
        bool(scrutiny_why), scrutiny_why,
        bank.independent_scrutiny.advised if scrutiny_why else bank.independent_scrutiny.not_advised,
        bank.independent_scrutiny.links,
    )

    questions = bank.questions
    record = []
    for qid, question in questions.items():
        if qid in inactive:
            record.append(RecordLine(qid, question.section, question.text, "Does not apply", "not-applicable"))
        elif qid in active:
            record.append(RecordLine(qid, question.section, question.text, _answer_words(question, active[qid]),
                                     "answered"))
        else:
            record.append(RecordLine(qid, question.section, question.text, "Not answered", "not-answered"))
    unanswered = tuple(line.question for line in record if line.status == "not-answered")

    def words(qid: str) -> str:
        return _answer_words(questions[qid], active[qid]) if qid in active else ""

    return TriageResult(
        complete=not unanswered,
        answered=len(active),
        risk_level=level.id,
        risk_level_name=level.name,
        reasons=tuple(reasons),
        red_flags=tuple(red_flags),
        themes=tuple(themes),
        impact_assessments=tuple(assessments),
        independent_scrutiny=scrutiny,
        sign_off=level.sign_off,
        next_steps=level.next_steps + bank.next_steps,
        use_case_name=words(bank.use_case_name_question),
        completed_on=words(bank.completed_on_question),
        completed_by=tuple((questions[q].record_label or questions[q].text, words(q))
                           for q in bank.completed_by_questions if q in active),
        record=tuple(record),
        unanswered=unanswered,
        not_applicable=inactive,
    )
