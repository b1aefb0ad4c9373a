"""Data maturity as a team: colleagues' result files combined, their disagreements, and
what moved between two dates.

Each colleague completes the self-assessment and downloads their file; the team view
reads every file here (in the browser), so no one's answers leave the council. The rules
for combining them are data in `banks/data-maturity.toml` (`[team]`, ours, not the
guidance's): a component's combined score is the median of the respondents' scores for
it, the overall score is the mean of the combined component scores, as for one person.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from statistics import median
from typing import Any

from .model import MaturityBank, MaturityResult, load_data_maturity_bank
from ..core.errors import InputError
from ..core.records import check_format_version, decode_file, import_record
from ..core.tool import Tool

__all__ = [
    "TEAM_FORMAT",
    "TEAM_FORMAT_VERSION",
    "MAX_TEAM_FILES",
    "FileNote",
    "StatementView",
    "ComponentView",
    "RoleView",
    "TeamResult",
    "Snapshot",
    "ComponentChange",
    "Comparison",
    "combine_files",
    "combine_results",
    "export_team",
    "team_file_name",
    "compare_files",
]

TEAM_FORMAT = "cssc-analytics-guide/data-maturity-team"
TEAM_FORMAT_VERSION = 1
# A directorate's whole staff would be a few hundred; more than this is not a team view.
MAX_TEAM_FILES = 1000
MAX_TEAM_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class FileNote:
    """What happened to one chosen file, in plain words."""

    file_name: str
    counted: bool
    message: str


@dataclass(frozen=True)
class Respondent:
    file_name: str
    role: str
    team: str
    created: str
    result: MaturityResult
    answers: dict[str, str]


@dataclass(frozen=True)
class StatementView:
    """How respondents answered one statement."""

    id: str
    text: str
    component: str
    scored: int  # respondents who gave a scored answer
    dont_know: int
    unanswered: int
    lowest: str | None  # scale option ids, lowest and highest scored answer
    highest: str | None
    spread: int  # steps of the scale between them
    disagreement: bool


@dataclass(frozen=True)
class ComponentView:
    id: str
    name: str
    respondents: int  # with a score for this component
    score: float | None  # the median of their scores
    level: str | None
    lowest_level: str | None
    highest_level: str | None
    spread: int  # levels between the lowest and the highest respondent
    disagreement: bool
    level_counts: tuple[int, ...]  # respondents at each level, in the bank's order


@dataclass(frozen=True)
class RoleView:
    role: str  # a role id, or "" for respondents who did not say
    label: str
    respondents: int
    levels: tuple[tuple[str, str | None], ...]  # (component id, combined level)
    overall_level: str | None


@dataclass(frozen=True)
class TeamResult:
    respondents: int
    files: tuple[FileNote, ...]
    components: tuple[ComponentView, ...]
    overall_score: float | None
    overall_level: str | None
    statements: tuple[StatementView, ...]  # disagreements first, widest spread first
    roles: tuple[RoleView, ...]
    dates: tuple[str, str]  # the earliest and latest file dates ("" when none said)

    @property
    def disagreements(self) -> tuple[StatementView, ...]:
        return tuple(s for s in self.statements if s.disagreement)

    def component(self, component_id: str) -> ComponentView:
        return next(c for c in self.components if c.id == component_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "respondents": self.respondents,
            "overall": {"score": self.overall_score, "level": self.overall_level},
            "components": [
                {"id": c.id, "respondents": c.respondents, "score": c.score, "level": c.level,
                 "lowest_level": c.lowest_level, "highest_level": c.highest_level, "spread": c.spread,
                 "disagreement": c.disagreement}
                for c in self.components
            ],
            "statements": [
                {"id": s.id, "scored": s.scored, "dont_know": s.dont_know, "unanswered": s.unanswered,
                 "lowest": s.lowest, "highest": s.highest, "spread": s.spread, "disagreement": s.disagreement}
                for s in self.statements
            ],
            "roles": [
                {"role": r.role, "respondents": r.respondents, "overall_level": r.overall_level,
                 "levels": dict(r.levels)}
                for r in self.roles
            ],
            "dates": {"earliest": self.dates[0], "latest": self.dates[1]},
        }


# --------------------------------------------------------------------------- reading


def _read_respondents(files: Any, tool: Tool, bank: MaturityBank) -> tuple[list[Respondent], list[FileNote]]:
    """Each file on its own: a bad one gets a message and the others still count."""
    if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
        raise InputError("The files could not be read.")
    if len(files) > MAX_TEAM_FILES:
        raise InputError(f"{len(files):,} files were chosen; the team view combines up to {MAX_TEAM_FILES:,} at once.")
    respondents: list[Respondent] = []
    notes: list[FileNote] = []
    seen: dict[str, str] = {}
    for chosen in files:
        name = str(chosen.get("name") or "a file")[:120]
        text = chosen.get("text")
        fingerprint = hashlib.sha256(str(text).encode("utf-8", "replace")).hexdigest()
        if fingerprint in seen:
            notes.append(FileNote(name, False, f"The same file as “{seen[fingerprint]}”, so it was counted once."))
            continue
        seen[fingerprint] = name
        try:
            imported = import_record(tool, text)
        except InputError as problem:
            notes.append(FileNote(name, False, f"Not counted: {problem}"))
            continue
        result = imported.result
        respondents.append(Respondent(name, result.role, result.team, imported.created, result, imported.answers))
        if imported.bank_version != bank.version:
            notes.append(FileNote(name, True, f"Counted. It was made with version {imported.bank_version[:20]} of "
                                              f"the statements; its answers were read with version {bank.version}."))
        else:
            notes.append(FileNote(name, True, "Counted."))
    return respondents, notes


# -------------------------------------------------------------------------- combining


def combine_files(tool: Tool, files: Any) -> TeamResult:
    """[{name, text}] of result files -> the team's combined result. `tool` is the
    self-assessment, resolved by the caller, whose records the files must be."""
    bank = tool.load_bank()
    respondents, notes = _read_respondents(files, tool, bank)
    return combine_results(respondents, notes, bank)


def _steps(bank: MaturityBank, option_id: str) -> float | None:
    return bank.option(option_id).points


def _combined_components(respondents: list[Respondent], bank: MaturityBank) -> tuple[list[ComponentView], float | None, str | None]:
    threshold = bank.team.disagreement_steps
    views = []
    for component in bank.components:
        scores = [c.score for r in respondents for c in r.result.components if c.id == component.id and c.score is not None]
        levels = sorted((bank.level_for(score).id for score in scores), key=bank.rank)
        score = round(median(scores), 2) if scores else None
        spread = bank.rank(levels[-1]) - bank.rank(levels[0]) if levels else 0
        views.append(ComponentView(
            id=component.id, name=component.name, respondents=len(scores), score=score,
            level=bank.level_for(score).id if score is not None else None,
            lowest_level=levels[0] if levels else None, highest_level=levels[-1] if levels else None,
            spread=spread, disagreement=spread >= threshold,
            level_counts=tuple(levels.count(level.id) for level in bank.levels),
        ))
    if views and all(v.score is not None for v in views):
        overall = round(sum(v.score for v in views) / len(views), 2)
        return views, overall, bank.level_for(overall).id
    return views, None, None


def _statements(respondents: list[Respondent], bank: MaturityBank) -> list[StatementView]:
    threshold = bank.team.disagreement_steps
    views = []
    for component in bank.components:
        for statement in component.statements:
            given = [r.answers.get(statement.id) for r in respondents]
            scored = sorted((a for a in given if a is not None and _steps(bank, a) is not None), key=lambda a: _steps(bank, a))
            spread = int(_steps(bank, scored[-1]) - _steps(bank, scored[0])) if scored else 0
            views.append(StatementView(
                id=statement.id, text=statement.text, component=component.id, scored=len(scored),
                dont_know=sum(1 for a in given if a is not None and _steps(bank, a) is None),
                unanswered=sum(1 for a in given if a is None),
                lowest=scored[0] if scored else None, highest=scored[-1] if scored else None,
                spread=spread, disagreement=spread >= threshold,
            ))
    # What the team should discuss first: the widest disagreements, then the bank's order.
    order = {view.id: index for index, view in enumerate(views)}
    return sorted(views, key=lambda v: (not v.disagreement, -v.spread if v.disagreement else 0, order[v.id]))


def combine_results(respondents: list[Respondent], notes: list[FileNote], bank: MaturityBank) -> TeamResult:
    components, overall_score, overall_level = _combined_components(respondents, bank)
    roles = []
    for role_id, label in [(role.id, role.label) for role in bank.respondent.roles] + [("", "Role not given")]:
        members = [r for r in respondents if r.role == role_id]
        if not members:
            continue
        role_components, _score, role_level = _combined_components(members, bank)
        roles.append(RoleView(role_id, label, len(members), tuple((c.id, c.level) for c in role_components), role_level))
    dates = sorted(r.created for r in respondents if r.created)
    return TeamResult(
        respondents=len(respondents), files=tuple(notes), components=tuple(components),
        overall_score=overall_score, overall_level=overall_level,
        statements=tuple(_statements(respondents, bank)), roles=tuple(roles),
        dates=(dates[0], dates[-1]) if dates else ("", ""),
    )


# ----------------------------------------------------------------------- team file


def export_team(result: TeamResult, bank: MaturityBank | None = None, created: str | None = None) -> dict[str, Any]:
    """The team result as a file: counts and levels, never anyone's own answers."""
    bank = bank or load_data_maturity_bank()
    return {
        "format": TEAM_FORMAT,
        "format_version": TEAM_FORMAT_VERSION,
        "tool": bank.slug,
        "bank_version": bank.version,
        "created": created or datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "combined_with": f"median of respondents ({bank.team.combine})",
        "result": result.to_dict(),
    }


def team_file_name(saved: dict[str, Any]) -> str:
    return f"data-maturity-team-{str(saved.get('created', ''))[:10]}.json"


# ---------------------------------------------------------------------- over time


@dataclass(frozen=True)
class Snapshot:
    """One point in time: a team result file or one person's result file."""

    file_name: str
    kind: str  # "team" or "single"
    created: str
    respondents: int
    levels: dict[str, str | None]  # component id -> level
    scores: dict[str, float | None]
    overall_level: str | None
    overall_score: float | None


@dataclass(frozen=True)
class ComponentChange:
    id: str
    name: str
    before_level: str | None
    after_level: str | None
    before_score: float | None
    after_score: float | None
    moved: int | None  # levels up (+) or down (-); None when either has no level


@dataclass(frozen=True)
class Comparison:
    earlier: Snapshot
    later: Snapshot
    components: tuple[ComponentChange, ...]
    overall_moved: int | None


def _snapshot(name: str, text: Any, tool: Tool, bank: MaturityBank) -> Snapshot:
    data = decode_file(text, MAX_TEAM_FILE_BYTES, saved_as="Result files", nested_as="a result file")
    if isinstance(data, dict) and data.get("format") == TEAM_FORMAT:
        check_format_version(data, TEAM_FORMAT_VERSION, "team result file")
        result = data.get("result")
        try:
            components = {c["id"]: c for c in result["components"]}
            levels = {cid: components[cid]["level"] for cid in (c.id for c in bank.components)}
            scores = {cid: components[cid]["score"] for cid in levels}
            overall = result["overall"]
            respondents = int(result["respondents"])
        except (KeyError, TypeError, ValueError):
            raise InputError("This team result file is damaged: its components or overall result could not be read.")
        known_levels = {level.id for level in bank.levels}
        if any(level not in known_levels and level is not None for level in [*levels.values(), overall.get("level")]):
            raise InputError("This team result file names a level this guide does not have.")
        for score in [*scores.values(), overall.get("score")]:
            if score is not None and not isinstance(score, (int, float)):
                raise InputError("This team result file is damaged: a score is not a number.")
        return Snapshot(name, "team", str(data.get("created") or ""), respondents, levels, scores,
                        overall.get("level"), overall.get("score"))
    imported = import_record(tool, text)
    result = imported.result
    return Snapshot(name, "single", imported.created, 1, {c.id: c.level for c in result.components},
                    {c.id: c.score for c in result.components}, result.overall_level, result.overall_score)


def compare_files(tool: Tool, files: Any) -> Comparison:
    """Two files ([{name, text}], team or single results) -> what moved, earlier first.
    `tool` is the self-assessment, as for `combine_files`."""
    bank = tool.load_bank()
    if not isinstance(files, list) or len(files) != 2 or not all(isinstance(f, dict) for f in files):
        raise InputError("Choose two result files to compare: an earlier one and a later one.")
    snapshots = []
    for chosen in files:
        name = str(chosen.get("name") or "a file")[:120]
        try:
            snapshots.append(_snapshot(name, chosen.get("text"), tool, bank))
        except InputError as problem:
            raise InputError(f"“{name}” could not be read: {problem}") from problem
    earlier, later = sorted(snapshots, key=lambda s: s.created)
    names = {c.id: c.name for c in bank.components}

    def moved(before: str | None, after: str | None) -> int | None:
        return None if before is None or after is None else bank.rank(after) - bank.rank(before)

    changes = tuple(
        ComponentChange(cid, names[cid], earlier.levels[cid], later.levels[cid], earlier.scores[cid],
                        later.scores[cid], moved(earlier.levels[cid], later.levels[cid]))
        for cid in names
    )
    return Comparison(earlier, later, changes, moved(earlier.overall_level, later.overall_level))
