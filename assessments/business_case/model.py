"""The business case: its bank, the answers it accepts, and what is missing before sign-off.

The Main Guidance asks you to begin a Business Case in the Choose a solution stage
("Begin to draft a Business Case") and to have it signed off by senior leaders in
Children's Services at the end of the Ethics triage stage, before the Develop phase. It
should cover the guidance's five parts (project rationale, expected benefits, economic
case, risks and opportunities, how success will be measured) and "utilise evidence and
data from the previous stages", so the document summarises the results of the other
tools (data maturity, user needs table, ethics triage) when their answers are saved in the same browser.

Every field, and whether sign-off needs it, is data in `banks/business-case.toml`; this
module reads it, checks answers and works out what is still missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Mapping

from ..data_maturity import model as data_maturity
from ..ethics_triage import model as ethics_triage
from ..user_needs import model as user_needs
from ..core.bank_reader import Fields, read_bank
from ..core.document_fields import (
    DocumentField,
    DocumentSection,
    answer_words,
    document_answers_schema,
    parse_sections,
    shorten,
    validate_document_answers,
)
from ..core.errors import InputError
from ..core.links import page_href

__all__ = [
    "SLUG",
    "ContextSource",
    "Example",
    "BusinessCaseBank",
    "ToolSummary",
    "DocumentLine",
    "SectionProgress",
    "BusinessCaseResult",
    "SUMMARISED_TOOLS",
    "load_business_case_bank",
    "parse_business_case_bank",
    "validate_business_case_answers",
    "business_case_answers_schema",
    "score_business_case",
    "summarise_maturity",
    "summarise_triage",
    "summarise_user_needs",
]

SLUG = "business-case"


# ------------------------------------------------------------------------ the bank


@dataclass(frozen=True)
class ContextSource:
    """Another tool whose result the document summarises, when it is saved."""

    tool: str
    title: str
    page: str  # docs path of the tool's page, for the link
    absent: str  # what to say when no answers are saved

    def href(self, site_root: str = "") -> str:
        return page_href(self.page, site_root)


@dataclass(frozen=True)
class Example:
    name: str
    answers: Mapping[str, str]
    expected_missing_for_sign_off: tuple[str, ...]
    expected_ready_for_sign_off: bool
    expected_signed_off_too_soon: bool


@dataclass(frozen=True)
class BusinessCaseBank:
    slug: str
    title: str
    version: str
    intro: str
    sections: tuple[DocumentSection, ...]
    context: tuple[ContextSource, ...]
    title_field: str
    sign_off_by_field: str
    sign_off_date_field: str
    status_field: str
    signed_off_option: str
    examples: tuple[Example, ...]

    @property
    def fields(self) -> dict[str, DocumentField]:
        return {f.id: f for s in self.sections for f in s.fields}

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(fid for fid, f in self.fields.items() if f.required)


def _rule_field(rules: Fields, key: str, fields: dict[str, DocumentField], kinds: tuple[str, ...]) -> str:
    fid = rules.ident(key)
    if fid not in fields:
        raise rules.fail(key, f"unknown field '{fid}'")
    if fields[fid].kind not in kinds:
        raise rules.fail(key, f"'{fid}' must be a {' or '.join(kinds)} field")
    return fid


@cache
def load_business_case_bank() -> BusinessCaseBank:
    """Read and validate `banks/business-case.toml`. Raises BankError naming the field."""
    bank = read_bank(SLUG)
    return parse_business_case_bank(bank.data, bank.bank)


def parse_business_case_bank(data: dict[str, Any], file_name: str = "business-case.toml") -> BusinessCaseBank:
    """Validate a parsed bank (tests pass a modified copy). Raises BankError naming the field."""
    bank = Fields(file_name, "", data)
    sections = parse_sections(bank, "required_for_sign_off")
    fields = {f.id: f for s in sections for f in s.fields}

    rules = bank.table("rules")
    status_field = _rule_field(rules, "status_field", fields, ("choice",))
    signed_off = rules.ident("signed_off_option")
    if signed_off not in {o.id for o in fields[status_field].options}:
        raise rules.fail("signed_off_option", f"'{signed_off}' is not an option of '{status_field}'")

    context_tables = bank.tables("context", required=False)
    bank.unique_ids(context_tables, "tool")
    context = []
    for f in context_tables:
        tool = f.ident("tool")
        if tool not in SUMMARISED_TOOLS:
            raise f.fail("tool", f"'{tool}' cannot be summarised (known: {', '.join(SUMMARISED_TOOLS)})")
        context.append(ContextSource(tool, f.text("title"), f.text("page"), f.text("absent")))

    partial = BusinessCaseBank(
        slug=SLUG, title=bank.text("title"), version=bank.text("version"), intro=bank.optional_text("intro"),
        sections=sections, context=tuple(context),
        title_field=_rule_field(rules, "title_field", fields, ("text",)),
        sign_off_by_field=_rule_field(rules, "sign_off_by_field", fields, ("text", "paragraph")),
        sign_off_date_field=_rule_field(rules, "sign_off_date_field", fields, ("date",)),
        status_field=status_field, signed_off_option=signed_off, examples=(),
    )
    examples = tuple(_example(partial, f) for f in bank.tables("examples"))
    return BusinessCaseBank(**{**partial.__dict__, "examples": examples})


def _example(bank: BusinessCaseBank, f: Fields) -> Example:
    try:
        answers = validate_business_case_answers(f.table("answers", required=False).data, bank)
    except InputError as bad:
        raise f.fail("answers", str(bad)) from bad
    expected = f.table("expected")
    # A worked example says everything it means: an empty list is written `[]`.
    missing = expected.text_list("missing_for_sign_off", required=True)
    for fid in missing:
        if fid not in bank.required_fields:
            raise expected.fail("missing_for_sign_off", f"'{fid}' is not a field needed for sign-off")
    return Example(f.text("name"), answers, missing, expected.flag("ready_for_sign_off", required=True),
                   expected.flag("signed_off_too_soon", required=True))


# ------------------------------------------------------------------------- answers


def validate_business_case_answers(answers: Any, bank: BusinessCaseBank | None = None) -> dict[str, str]:
    """Check answers are {field id: text}. Raises InputError in plain words; drops blanks."""
    bank = bank or load_business_case_bank()
    return validate_document_answers(answers, bank.fields, "this business case")


def business_case_answers_schema(bank: BusinessCaseBank) -> dict[str, Any]:
    return document_answers_schema(bank.fields)


# ------------------------------------------------------------------- other tools


@dataclass(frozen=True)
class ToolSummary:
    """Another tool's result in a few lines, or a note that it is not saved here."""

    tool: str
    title: str
    page: str
    available: bool
    headline: str
    details: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"tool": self.tool, "title": self.title, "available": self.available, "headline": self.headline,
                "details": list(self.details)}


def _names(values: list[str] | tuple[str, ...], none: str) -> str:
    return "; ".join(values) if values else none


def summarise_maturity(result: data_maturity.MaturityResult) -> tuple[str, tuple[str, ...]]:
    """(headline, details) of a data maturity result, in words."""
    bank = data_maturity.load_data_maturity_bank()
    top = max(o.points for o in bank.scale if o.points is not None)
    names = {c.id: c.name for c in bank.components}
    if result.overall_level is None:
        headline = ("Overall data maturity: not known yet (not enough answers; "
                    f"{len(result.unanswered)} statements not answered).")
        return headline, ()
    headline = (f"Overall data maturity: {bank.level(result.overall_level).name} "
                f"({result.overall_score:.1f} out of {top:g}).")
    fit = bank.analytics_fit[result.overall_level]
    details = [
        f"Components to strengthen first: {_names([names[c] for c in result.weak_components], 'none')}.",
        f"Types of analytics that fit now: {_names(fit.suitable, 'none')}.",
    ]
    if fit.avoid:
        details.append(f"Avoid for now: {'; '.join(fit.avoid)}.")
    if not result.complete:
        details.append(f"{len(result.unanswered)} statements are not answered yet.")
    return headline, tuple(details)


def summarise_triage(result: ethics_triage.TriageResult) -> tuple[str, tuple[str, ...]]:
    """(headline, details) of an ethics triage result, in words."""
    so_far = "" if result.complete else " so far"
    headline = f"Risk level{so_far}: {result.risk_level_name}."
    details = []
    if result.use_case_name or result.completed_on:
        about = ", ".join(part for part in (f"\u201c{result.use_case_name}\u201d" if result.use_case_name else "",
                                            result.completed_on) if part)
        details.append(f"Triage of {about}.")
    advised = [a.name for a in result.impact_assessments if a.advised]
    details += [
        f"Red flags: {_names([f.title for f in result.red_flags], 'none')}.",
        f"Themes flagged: {_names([t.name for t in result.themes], 'none')}.",
        f"Impact assessments to begin: {_names(advised, 'none indicated')}.",
        f"Independent scrutiny: {'advised' if result.independent_scrutiny.advised else 'not advised'}.",
        f"Who should sign off: {result.sign_off}",
    ]
    if not result.complete:
        details.append(f"{len(result.unanswered)} triage questions are not answered yet.")
    return headline, tuple(details)


# Rows of the user needs table listed by name in the summary; the rest are counted.
_USER_NEEDS_LISTED = 10
# The user needs column quoted beside each user: what they need.
_USER_NEEDS_NEED_COLUMN = "needs"


def summarise_user_needs(result: user_needs.UserNeedsResult) -> tuple[str, tuple[str, ...]]:
    """(headline, details) of a user needs table: each user and what they need."""
    bank = user_needs.load_user_needs_bank()
    if not result.rows:
        return "The user needs table has no rows yet.", ()
    headline = (f"{bank.count(len(result.rows)).capitalize()} in the table, "
                f"{result.complete_rows} with every column filled in.")
    details = []
    for row in result.rows[:_USER_NEEDS_LISTED]:
        user = row.cell(bank, bank.user_column) or f"{bank.row_name(row.number)} (not named)"
        need = row.cell(bank, _USER_NEEDS_NEED_COLUMN) if _USER_NEEDS_NEED_COLUMN in bank.column_ids else ""
        details.append(f"{shorten(' '.join(user.split()), 120)}: "
                       f"{shorten(' '.join(need.split()), 300) if need else 'no need written down yet'}.")
    if len(result.rows) > _USER_NEEDS_LISTED:
        details.append(f"And {bank.count(len(result.rows) - _USER_NEEDS_LISTED)} more: see the table.")
    if result.checks:
        details.append(f"Prompts to consider: {'; '.join(check.title for check in result.checks)}.")
    return headline, tuple(details)


# The tools this module can summarise: slug -> (the result type it expects, summariser).
# A context result of any other type (a stale or broken copy) is treated as absent.
SUMMARISED_TOOLS: dict[str, tuple[type, Callable[[Any], tuple[str, tuple[str, ...]]]]] = {
    data_maturity.SLUG: (data_maturity.MaturityResult, summarise_maturity),
    ethics_triage.SLUG: (ethics_triage.TriageResult, summarise_triage),
    user_needs.SLUG: (user_needs.UserNeedsResult, summarise_user_needs),
}


def _summary(source: ContextSource, result: Any) -> ToolSummary:
    expected_type, summarise = SUMMARISED_TOOLS[source.tool]
    if not isinstance(result, expected_type):
        return ToolSummary(source.tool, source.title, source.page, False, source.absent, ())
    headline, details = summarise(result)
    return ToolSummary(source.tool, source.title, source.page, True, headline, details)


# -------------------------------------------------------------------------- result


@dataclass(frozen=True)
class DocumentLine:
    """One field of the document, answered in words ("" when empty)."""

    field: str
    section: str
    label: str
    answer: str
    required: bool

    @property
    def status(self) -> str:
        if self.answer:
            return "written"
        return "missing" if self.required else "empty"


@dataclass(frozen=True)
class SectionProgress:
    id: str
    title: str
    fields: int
    written: int
    missing: tuple[str, ...]  # ids of fields needed for sign-off that are empty

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "fields": self.fields, "written": self.written,
                "missing_for_sign_off": list(self.missing)}


@dataclass(frozen=True)
class BusinessCaseResult:
    answered: int
    required: int
    required_written: int
    missing_for_sign_off: tuple[str, ...]
    ready_for_sign_off: bool
    status: str  # an option id of the status field, or ""
    status_label: str
    signed_off_too_soon: bool  # marked signed off while parts needed for sign-off are empty
    project_name: str
    sign_off_by: str
    sign_off_date: str  # in words
    sections: tuple[SectionProgress, ...]
    lines: tuple[DocumentLine, ...]
    summaries: tuple[ToolSummary, ...]

    @property
    def words(self) -> dict[str, str]:
        """{field id: answer in words} for every field that is written."""
        return {line.field: line.answer for line in self.lines if line.answer}

    def to_dict(self) -> dict[str, Any]:
        return {
            "answered": self.answered,
            "ready_for_sign_off": self.ready_for_sign_off,
            "required_for_sign_off": self.required,
            "required_written": self.required_written,
            "missing_for_sign_off": list(self.missing_for_sign_off),
            "status": {"id": self.status or None, "label": self.status_label or None},
            "signed_off_too_soon": self.signed_off_too_soon,
            "sections": [s.to_dict() for s in self.sections],
            "summaries": [s.to_dict() for s in self.summaries],
        }


def score_business_case(answers: Mapping[str, Any], context: Mapping[str, Any] | None = None,
                        bank: BusinessCaseBank | None = None) -> BusinessCaseResult:
    """What is written, what is missing before sign-off, and the other tools' results.

    `context` is {tool slug: that tool's result, or None} (see records.score_with_context);
    a tool that is missing, or whose result is not what it should be, is shown as not saved.
    """
    bank = bank or load_business_case_bank()
    answers = validate_business_case_answers(dict(answers), bank)
    given = context if isinstance(context, Mapping) else {}
    lines = []
    progress = []
    for section in bank.sections:
        section_lines = [
            DocumentLine(f.id, section.id, f.label, answer_words(f, answers[f.id]) if f.id in answers else "",
                         f.required)
            for f in section.fields
        ]
        lines += section_lines
        progress.append(SectionProgress(section.id, section.title, len(section_lines),
                                        sum(1 for line in section_lines if line.answer),
                                        tuple(line.field for line in section_lines if line.status == "missing")))
    missing = tuple(line.field for line in lines if line.status == "missing")
    status = answers.get(bank.status_field, "")
    words = {line.field: line.answer for line in lines}
    return BusinessCaseResult(
        answered=len(answers),
        required=len(bank.required_fields),
        required_written=len(bank.required_fields) - len(missing),
        missing_for_sign_off=missing,
        ready_for_sign_off=not missing,
        status=status,
        status_label=words[bank.status_field],
        signed_off_too_soon=status == bank.signed_off_option and bool(missing),
        project_name=words[bank.title_field],
        sign_off_by=words[bank.sign_off_by_field],
        sign_off_date=words[bank.sign_off_date_field],
        sections=tuple(progress),
        lines=tuple(lines),
        summaries=tuple(_summary(source, given.get(source.tool)) for source in bank.context),
    )
