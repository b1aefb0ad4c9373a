"""The data maturity self-assessment: its bank, its scoring and its result.

The Main Guidance (Exploratory stage) asks a council to assess five components of data
maturity (its steps and Problem Identification's may be done in either order), and reads the result three ways: higher on all five,
proceed; lower on some, strengthen those first or bring in expertise; lower across all,
improve data maturity before building a tool. It then links the level to the type of
analytics that fits (Choose a solution stage, "Linking data maturity to type of
analytics"). Every threshold and text for that reading is data in
`banks/data-maturity.toml`; this module only applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Mapping

from ..core.bank_reader import Fields, read_bank
from ..core.provenance import Source, read_source
from ..core.errors import InputError
from ..core.links import Link

__all__ = [
    "SLUG",
    "ScaleOption",
    "Level",
    "Statement",
    "Component",
    "Reading",
    "AnalyticsFit",
    "Example",
    "TeamExample",
    "Role",
    "RespondentQuestions",
    "TeamRules",
    "ROLE",
    "TEAM",
    "MaturityBank",
    "ComponentResult",
    "MaturityResult",
    "load_data_maturity_bank",
    "validate_maturity_answers",
    "score_data_maturity",
    "maturity_answers_schema",
]

SLUG = "data-maturity"

# The answers that say who is answering (optional, never scored). They are not
# statements, so no statement id may take these names.
ROLE = "respondent-role"
TEAM = "respondent-team"

# The conditions a reading can apply to, named in the bank's `readings[].applies_when`.
READING_CONDITIONS = ("all-components-ready", "some-components-ready", "no-component-ready", "incomplete")


@dataclass(frozen=True)
class ScaleOption:
    """One answer on the five-level scale, or "don't know" (which is never scored)."""

    id: str
    label: str
    description: str
    points: float | None  # None: counted and reported, not scored


@dataclass(frozen=True)
class Level:
    """A named band of maturity. A mean score at or above `min_score` reaches it."""

    id: str
    name: str
    min_score: float
    description: str
    source: Source  # the bands are ours: the guidance names no levels


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    help: str


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    short_name: str
    description: str
    statements: tuple[Statement, ...]
    links: tuple[Link, ...]
    cddo_themes: tuple[str, ...] = ()  # the CDDO themes it covers most (ours, see the bank)
    lga_themes: tuple[str, ...] = ()  # the LGA model's themes it covers most (ours)


@dataclass(frozen=True)
class Reading:
    """What the result means, for one of the conditions in READING_CONDITIONS."""

    applies_when: str
    title: str
    text: str
    links: tuple[Link, ...]
    source: Source  # the guidance's reading, and which threshold of ours stands for it


@dataclass(frozen=True)
class AnalyticsFit:
    """Which type of analytics fits an overall level."""

    level: str
    suitable: tuple[str, ...]
    avoid: tuple[str, ...]
    advice: str
    source: Source


@dataclass(frozen=True)
class Example:
    """A worked example: answers and the result they must give."""

    name: str
    answers: Mapping[str, str]
    expected_overall_level: str | None
    expected_reading: str
    expected_component_levels: Mapping[str, str | None]


@dataclass(frozen=True)
class TeamExample:
    """A worked example of the team view: respondents' answers and what combining gives."""

    name: str
    respondents: tuple[Mapping[str, str], ...]  # each respondent's answers, role included
    expected_respondents: int
    expected_overall_level: str | None
    expected_component_levels: Mapping[str, str | None]
    expected_disagreement_components: tuple[str, ...]
    expected_statements_to_discuss: int
    expected_statements_with_dont_know: int


@dataclass(frozen=True)
class Role:
    id: str
    label: str


@dataclass(frozen=True)
class RespondentQuestions:
    """Who is answering: a role from a list, and a team in a few words."""

    role_question: str
    team_question: str
    team_max_characters: int
    roles: tuple[Role, ...]

    @property
    def role_answer(self) -> str:
        """The answer name of the role (the form's field name)."""
        return ROLE

    @property
    def team_answer(self) -> str:
        return TEAM

    def role_label(self, role_id: str) -> str:
        return next((role.label for role in self.roles if role.id == role_id), "")


@dataclass(frozen=True)
class TeamRules:
    """How a team view combines colleagues' results (ours, see the bank)."""

    combine: str  # "median"
    disagreement_steps: int


@dataclass(frozen=True)
class MaturityBank:
    slug: str
    title: str
    version: str
    intro: str
    scale: tuple[ScaleOption, ...]
    levels: tuple[Level, ...]
    ready_level: str
    minimum_answered_share: float
    rules_source: Source  # where ready_level and minimum_answered_share come from (ours)
    components: tuple[Component, ...]
    readings: Mapping[str, Reading]
    analytics_fit: Mapping[str, AnalyticsFit]
    respondent: RespondentQuestions
    team: TeamRules
    cddo_name: str
    cddo_themes: tuple[str, ...]
    lga_name: str
    lga_themes: tuple[str, ...]
    examples: tuple[Example, ...]
    team_examples: tuple[TeamExample, ...] = ()

    @property
    def statements(self) -> dict[str, Statement]:
        return {s.id: s for c in self.components for s in c.statements}

    def option(self, option_id: str) -> ScaleOption:
        return next(o for o in self.scale if o.id == option_id)

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)

    def level_for(self, score: float) -> Level:
        reached = [level for level in self.levels if score >= level.min_score]
        return reached[-1] if reached else self.levels[0]

    def rank(self, level_id: str) -> int:
        return [level.id for level in self.levels].index(level_id)


@dataclass(frozen=True)
class ComponentResult:
    id: str
    name: str
    statements: int
    answered: int
    dont_know: int
    unanswered: int
    score: float | None  # mean points of the scored answers, None if too few
    level: str | None
    ready: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "statements": self.statements,
            "answered": self.answered,
            "dont_know": self.dont_know,
            "unanswered": self.unanswered,
            "score": self.score,
            "level": self.level,
            "ready": self.ready,
        }


@dataclass(frozen=True)
class MaturityResult:
    complete: bool
    components: tuple[ComponentResult, ...]
    overall_score: float | None
    overall_level: str | None
    reading: str  # one of READING_CONDITIONS
    weak_components: tuple[str, ...]
    unanswered: tuple[str, ...]
    dont_know: tuple[str, ...]
    role: str = ""  # who answered: a role id, or "" when not given
    team: str = ""
    # (statement id, option id) for every statement answered, in the bank's order: the
    # record of the answers that the page prints and the Word file lists. Not part of
    # to_dict(): a saved file's answers already say it.
    chosen: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "respondent": {"role": self.role, "team": self.team},
            "complete": self.complete,
            "components": [c.to_dict() for c in self.components],
            "overall": {"score": self.overall_score, "level": self.overall_level},
            "reading": self.reading,
            "weak_components": list(self.weak_components),
            "unanswered": list(self.unanswered),
            "dont_know": list(self.dont_know),
        }


# ---------------------------------------------------------------------------- bank


def _links(fields: Fields) -> tuple[Link, ...]:
    return tuple(Link(f.text("title"), f.text("target")) for f in fields.tables("links", required=False))


@cache
def load_data_maturity_bank() -> MaturityBank:
    """Read and validate `banks/data-maturity.toml`. Raises BankError naming the field."""
    bank = read_bank(SLUG)

    scale_tables = bank.tables("scale")
    bank.unique_ids(scale_tables)
    scale = []
    for f in scale_tables:
        scored = f.flag("counts_towards_score", True)
        scale.append(
            ScaleOption(f.ident(), f.text("label"), f.text("description"), f.number("points") if scored else None)
        )
    if sum(1 for o in scale if o.points is not None) < 2:
        raise bank.fail("scale", "needs at least two scored options")

    level_tables = bank.tables("levels")
    bank.unique_ids(level_tables)
    levels = tuple(Level(f.ident(), f.text("name"), f.number("min_score"), f.text("description"), read_source(f))
        for f in level_tables
    )
    for before, after in zip(levels, levels[1:]):
        if after.min_score <= before.min_score:
            raise bank.fail("levels", f"min_score must rise from one level to the next ('{after.id}')")
    level_ids = {level.id for level in levels}

    rules = bank.table("rules")
    ready_level = rules.ident("ready_level")
    if ready_level not in level_ids:
        raise rules.fail("ready_level", f"'{ready_level}' is not one of the levels")
    share = rules.number("minimum_answered_share")
    if not 0 < share <= 1:
        raise rules.fail("minimum_answered_share", "must be more than 0 and at most 1")

    related = bank.table("related_models")
    cddo_themes = related.text_list("cddo_themes", required=True)
    lga_themes = related.text_list("lga_themes", required=True)
    component_tables = bank.tables("components")
    bank.unique_ids(component_tables)
    for f in component_tables:
        read_source(f)  # the five components are the guidance's; the check keeps it said
    components = []
    seen_statements: set[str] = set()
    for f in component_tables:
        statement_tables = f.tables("statements")
        statements = []
        for s in statement_tables:
            statement = Statement(s.ident(), s.text("text"), s.optional_text("help"))
            if statement.id in seen_statements:
                raise s.fail("id", f"duplicate statement id '{statement.id}' (ids must be unique in the bank)")
            seen_statements.add(statement.id)
            statements.append(statement)
        themes = f.text_list("cddo_themes", required=True)
        for theme in themes:
            if theme not in cddo_themes:
                raise f.fail("cddo_themes", f"'{theme}' is not one of related_models.cddo_themes")
        local_themes = f.text_list("lga_themes", required=True)
        for theme in local_themes:
            if theme not in lga_themes:
                raise f.fail("lga_themes", f"'{theme}' is not one of related_models.lga_themes")
        components.append(
            Component(
                f.ident(), f.text("name"), f.text("short_name"), f.optional_text("description"),
                tuple(statements), _links(f), themes, local_themes,
            )
        )

    readings = {}
    for f in bank.tables("readings"):
        condition = f.text("applies_when")
        if condition not in READING_CONDITIONS:
            raise f.fail("applies_when", f"must be one of {', '.join(READING_CONDITIONS)}")
        readings[condition] = Reading(condition, f.text("title"), f.text("text"), _links(f), read_source(f))
    for condition in READING_CONDITIONS:
        if condition not in readings:
            raise bank.fail("readings", f"no reading applies_when = '{condition}'")

    fits = {}
    for f in bank.tables("analytics_fit"):
        level = f.ident("level")
        if level not in level_ids:
            raise f.fail("level", f"'{level}' is not one of the levels")
        fits[level] = AnalyticsFit(
            level, f.text_list("suitable", required=True), f.text_list("avoid"), f.text("advice"), read_source(f)
        )
    for level in levels:
        if level.id not in fits:
            raise bank.fail("analytics_fit", f"no entry for level '{level.id}'")

    for reserved in (ROLE, TEAM):
        if reserved in seen_statements:
            raise bank.fail("components", f"'{reserved}' is kept for who is answering; give the statement another id")

    who = bank.table("respondent")
    role_tables = who.tables("roles")
    who.unique_ids(role_tables)
    respondent = RespondentQuestions(
        who.text("role_question"), who.text("team_question"), who.integer("team_max_characters"),
        tuple(Role(f.ident(), f.text("label")) for f in role_tables),
    )
    team_table = bank.table("team")
    combine = team_table.text("combine")
    if combine != "median":
        raise team_table.fail("combine", "only \"median\" is supported")
    team = TeamRules(combine, team_table.integer("disagreement_steps"))

    partial = MaturityBank(
        slug=SLUG, title=bank.text("title"), version=bank.text("version"), intro=bank.optional_text("intro"),
        scale=tuple(scale), levels=levels, ready_level=ready_level, minimum_answered_share=share,
        rules_source=read_source(rules),
        components=tuple(components), readings=readings, analytics_fit=fits, respondent=respondent, team=team,
        cddo_name=related.text("cddo_name"), cddo_themes=cddo_themes, lga_name=related.text("lga_name"),
        lga_themes=lga_themes, examples=(),
    )
    examples = tuple(_example(partial, f) for f in bank.tables("examples"))
    team_examples = tuple(_team_example(partial, f) for f in bank.tables("team_examples"))
    return MaturityBank(**{**partial.__dict__, "examples": examples, "team_examples": team_examples})


def _example_answers(bank: MaturityBank, f: Fields) -> dict[str, str]:
    """Examples may fill every statement with one answer, then override a few."""
    fill = f.raw("answer_all")
    answers: dict[str, str] = {sid: fill for sid in bank.statements} if fill else {}
    for component_id, option_id in f.table("answer_components", required=False).data.items():
        component = next((c for c in bank.components if c.id == component_id), None)
        if component is None:
            raise f.fail("answer_components", f"unknown component '{component_id}'")
        answers.update({s.id: option_id for s in component.statements})
    answers.update(f.table("answers", required=False).data)
    for sid in [sid for sid, value in answers.items() if value == ""]:
        del answers[sid]  # "" in an example means: leave this statement unanswered
    if "role" in f.data:
        answers[ROLE] = f.ident("role")
    try:
        return validate_maturity_answers(answers, bank)
    except InputError as bad:
        raise f.fail("answers", str(bad)) from bad


def _expected_levels(bank: MaturityBank, expected: Fields) -> Fields:
    """A worked example pins every component's level ("" for none), so nothing is implied."""
    levels = expected.table("component_levels")
    components = [component.id for component in bank.components]
    if sorted(levels.data) != sorted(components):
        raise expected.fail("component_levels", f"must give a level (or \"\") for exactly the components {', '.join(components)}")
    return levels


def _expected_overall(expected: Fields) -> str | None:
    """The overall level a worked example expects, None for none: written out as "" then,
    never left out, so a forgotten expectation is an error rather than a quiet "no level"."""
    if "overall_level" not in expected.data:
        raise expected.fail("overall_level", "missing field")
    return expected.optional_text("overall_level") or None


def _team_example(bank: MaturityBank, f: Fields) -> TeamExample:
    respondents = tuple(_example_answers(bank, r) for r in f.tables("respondents"))
    expected = f.table("expected")
    levels = _expected_levels(bank, expected)
    disagreeing = expected.text_list("disagreement_components", required=True)
    for component in disagreeing:
        if component not in {c.id for c in bank.components}:
            raise expected.fail("disagreement_components", f"unknown component '{component}'")
    return TeamExample(
        name=f.text("name"), respondents=respondents,
        expected_respondents=expected.integer("respondents"),
        expected_overall_level=_expected_overall(expected),
        expected_component_levels={k: (v or None) for k, v in levels.data.items()},
        expected_disagreement_components=disagreeing,
        expected_statements_to_discuss=expected.integer("statements_to_discuss"),
        expected_statements_with_dont_know=expected.integer("statements_with_dont_know"),
    )


def _example(bank: MaturityBank, f: Fields) -> Example:
    answers = _example_answers(bank, f)
    expected = f.table("expected")
    overall = _expected_overall(expected)
    levels = _expected_levels(bank, expected)
    return Example(
        name=f.text("name"),
        answers=answers,
        expected_overall_level=overall,
        expected_reading=expected.text("reading"),
        expected_component_levels={k: (v or None) for k, v in levels.data.items()},
    )


# ------------------------------------------------------------------------- answers


def validate_maturity_answers(answers: Any, bank: MaturityBank | None = None) -> dict[str, str]:
    """Check answers are {statement id: scale option id}. Raises InputError in plain words."""
    bank = bank or load_data_maturity_bank()
    if not isinstance(answers, dict):
        raise InputError("The answers should be a list of statements and the option chosen for each.")
    statements = bank.statements
    option_ids = {o.id for o in bank.scale}
    clean: dict[str, str] = {}
    for key, value in answers.items():
        if key == ROLE:
            if not isinstance(value, str) or value not in {role.id for role in bank.respondent.roles}:
                raise InputError(f"The role given is not one of the roles this assessment lists "
                                 f"({', '.join(role.label for role in bank.respondent.roles)}).")
            clean[key] = value
            continue
        if key == TEAM:
            if not isinstance(value, str):
                raise InputError("The team or service should be text.")
            limit = bank.respondent.team_max_characters
            if len(value) > limit:
                raise InputError(f"The team or service is {len(value):,} characters long; it can be up to {limit}.")
            if value.strip():
                clean[key] = value
            continue
        if key not in statements:
            raise InputError(f"There is an answer to a statement this assessment does not have: '{_short(key)}'.")
        if not isinstance(value, str) or value not in option_ids:
            raise InputError(
                f"The answer to '{_short(statements[key].text)}' is not one of the options "
                f"({', '.join(o.label for o in bank.scale)})."
            )
        clean[key] = value
    return clean


def maturity_answers_schema(bank: MaturityBank) -> dict[str, Any]:
    """JSON Schema of the answers: each statement id maps to one scale option id."""
    options = [o.id for o in bank.scale]
    who = bank.respondent
    return {
        "type": "object",
        "description": "Statement id -> chosen answer. Statements left out are unanswered. "
        f"'{ROLE}' and '{TEAM}' say who answered (optional, never scored).",
        "properties": {
            **{sid: {"enum": options, "description": s.text} for sid, s in bank.statements.items()},
            ROLE: {"enum": [role.id for role in who.roles], "description": who.role_question},
            TEAM: {"type": "string", "maxLength": who.team_max_characters, "description": who.team_question},
        },
        "additionalProperties": False,
    }


def _short(value: object, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------- scoring


def score_data_maturity(answers: Mapping[str, str], bank: MaturityBank | None = None) -> MaturityResult:
    """Score validated answers: a level per component, overall, and the guidance's reading."""
    bank = bank or load_data_maturity_bank()
    answers = validate_maturity_answers(dict(answers), bank)
    component_results = []
    unanswered: list[str] = []
    dont_know: list[str] = []
    ready_rank = bank.rank(bank.ready_level)
    for component in bank.components:
        points: list[float] = []
        unknown = missing = 0
        for statement in component.statements:
            chosen = answers.get(statement.id)
            if chosen is None:
                missing += 1
                unanswered.append(statement.id)
                continue
            option_points = bank.option(chosen).points
            if option_points is None:
                unknown += 1
                dont_know.append(statement.id)
            else:
                points.append(option_points)
        total = len(component.statements)
        enough = len(points) >= bank.minimum_answered_share * total
        score = round(sum(points) / len(points), 2) if points and enough else None
        level = bank.level_for(score).id if score is not None else None
        component_results.append(
            ComponentResult(
                id=component.id, name=component.name, statements=total, answered=len(points),
                dont_know=unknown, unanswered=missing, score=score, level=level,
                ready=None if level is None else bank.rank(level) >= ready_rank,
            )
        )

    scored = [c for c in component_results if c.score is not None]
    if len(scored) == len(component_results):
        overall_score = round(sum(c.score for c in scored) / len(scored), 2)
        overall_level = bank.level_for(overall_score).id
        weak = tuple(c.id for c in component_results if not c.ready)
        if not weak:
            reading = "all-components-ready"
        elif len(weak) == len(component_results):
            reading = "no-component-ready"
        else:
            reading = "some-components-ready"
    else:
        overall_score = overall_level = None
        reading = "incomplete"
        weak = tuple(c.id for c in component_results if c.ready is False)

    return MaturityResult(
        complete=not unanswered,
        components=tuple(component_results),
        overall_score=overall_score,
        overall_level=overall_level,
        reading=reading,
        weak_components=weak,
        unanswered=tuple(unanswered),
        dont_know=tuple(dont_know),
        role=answers.get(ROLE, ""),
        team=answers.get(TEAM, ""),
        chosen=tuple((s.id, answers[s.id]) for c in bank.components for s in c.statements if s.id in answers),
    )
