"""The registry of interactive tools: one entry per slug, the only place they are listed.

A tool is its bank (data), a validator for its answers, a scorer and a result view.
The build renders a form for every slug used in a page marker, the browser worker
dispatches on the slug, and the JSON record names it, so adding a tool means adding
one entry here (see the README, "Add a new tool").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Callable

from .bank_reader import bank_files, read_bank
from .errors import InputError
from .html import Markup
from .provenance import ToolProvenance, tool_provenance

__all__ = ["Tool", "Export", "WORD_MEDIA_TYPE", "word_export", "TOOLS", "get_tool", "bank_link_targets"]


@dataclass(frozen=True)
class Export:
    """A download besides the JSON record (Markdown, CSV, Word), made from the same result."""

    label: str  # shown on the button: "Download <label>"
    suffix: str  # file name ending, e.g. ".md"
    media_type: str  # e.g. "text/markdown"
    # (answers, result) -> the file's text, or for Word a WordDocument that the page's
    # Word writer turns into a .docx file.
    render: Callable[[dict[str, Any], Any], Any]

    @property
    def is_word(self) -> bool:
        return self.suffix.endswith(".docx")


WORD_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word_export(label: str, render: Callable[[dict[str, Any], Any], Any], suffix: str = ".docx") -> Export:
    """A Word download: `render` returns a word_document.WordDocument."""
    return Export(label, suffix, WORD_MEDIA_TYPE, render)


@dataclass(frozen=True)
class Tool:
    slug: str
    page: str  # the docs source path of the tool's own page
    load_bank: Callable[[], Any]  # returns a validated bank with .title and .version
    validate_answers: Callable[[Any], dict[str, Any]]  # raises InputError
    score: Callable[[dict[str, Any]], Any]  # returns a result with .to_dict()
    # (result, site_root, view) -> HTML. `view` lets a page show part of a tool, such
    # as one stage's checklist; "" means the whole tool.
    render_result: Callable[[Any, str, str], Markup]
    summarise: Callable[[Any], str]  # one line for the page's status region
    answers_schema: Callable[[Any], dict[str, Any]]  # JSON Schema of `answers`, from the bank
    # The parts of the tool a page marker may show on its own (e.g. checklist stages).
    views: Callable[[Any], tuple[str, ...]] = lambda bank: ()
    # Question ids that do not apply given the answers so far (branching). The page
    # hides them; the scorer ignores their answers. Python decides, never the page.
    inactive: Callable[[dict[str, Any]], tuple[str, ...]] = lambda answers: ()
    # Results of other tools this tool can take answers from: {source slug: function
    # (source's result, this form's current validated answers) -> {field name: value}}.
    # The current answers let a function fill only what is still empty (see api._bring_in).
    bring_in: dict[str, Callable[[Any, dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)
    # Other tools whose saved answers the page sends with every request, so this tool's
    # result can summarise them (e.g. the business case shows the triage result).
    context_tools: tuple[str, ...] = ()
    # With context_tools: score(answers, {slug: that tool's result, or None}).
    score_in_context: Callable[[dict[str, Any], dict[str, Any]], Any] | None = None
    # Extra downloads, keyed by a short format name used in the page ("markdown").
    exports: dict[str, Export] = field(default_factory=dict)
    # Long free text: warn before the page is closed if answers changed since the last
    # download, because browser storage alone is easy to lose on a shared computer.
    warn_unexported: bool = False
    # A record a council files: printing the page gives the result alone, dated (the
    # form template marks it data-print-record; the stylesheet does the rest).
    prints_record: bool = False

    @property
    def template(self) -> str:
        """The Jinja template in overrides/ that renders the tool's form."""
        return f"cssc/tools/{self.slug}.html"

    @property
    def title(self) -> str:
        return self.load_bank().title

    @property
    def version(self) -> str:
        return self.load_bank().version

    @property
    def provenance(self) -> ToolProvenance:
        """Which parts of the tool are the Main Guidance's and which ours, and every rule's source."""
        return tool_provenance(self.slug)


# Each tool's modules are imported when the tool is first asked for, not with this
# registry: a page uses one tool (or a few, for a summary), and importing all nine
# took most of the time Python spends starting a tool in the browser (bench/links.py).


def _data_maturity() -> Tool:
    from . import data_maturity, data_maturity_view

    return Tool(
        slug=data_maturity.SLUG,
        page="tools/data-maturity.md",
        load_bank=data_maturity.load_data_maturity_bank,
        validate_answers=data_maturity.validate_maturity_answers,
        score=data_maturity.score_data_maturity,
        render_result=lambda result, site_root, view: data_maturity_view.render_maturity_result(result, site_root),
        summarise=data_maturity_view.summarise_maturity_result,
        answers_schema=data_maturity.maturity_answers_schema,
        exports={"word": word_export("Word", data_maturity_view.maturity_word)},
        prints_record=True,
    )


def _ethics_triage() -> Tool:
    from . import data_maturity, ethics_triage, ethics_triage_view

    return Tool(
        slug=ethics_triage.SLUG,
        page="tools/ethics-triage.md",
        load_bank=ethics_triage.load_triage_bank,
        validate_answers=ethics_triage.validate_triage_answers,
        score=ethics_triage.score_triage,
        render_result=lambda result, site_root, view: ethics_triage_view.render_triage_result(result, site_root),
        summarise=ethics_triage_view.summarise_triage_result,
        answers_schema=ethics_triage.triage_answers_schema,
        inactive=ethics_triage.inactive_questions,
        exports={"word": word_export("Word", ethics_triage_view.triage_word)},
        prints_record=True,
        # The maturity level is one answer of its own: set it whatever the form holds.
        bring_in={data_maturity.SLUG: lambda result, current: ethics_triage.answers_from_maturity(result)},
    )


def _checklists() -> Tool:
    from . import checklists, checklists_view

    return Tool(
        slug=checklists.SLUG,
        page="tools/checklists.md",
        load_bank=checklists.load_checklist_bank,
        validate_answers=checklists.validate_checklist_answers,
        score=checklists.score_checklists,
        render_result=lambda result, site_root, view: checklists_view.render_checklist_result(result, site_root, view),
        summarise=checklists_view.summarise_checklist_result,
        answers_schema=checklists.checklist_answers_schema,
        views=checklists.stage_slugs,
    )


def _ethics_workbook() -> Tool:
    from . import ethics_workbook, ethics_workbook_view, test_monitor

    return Tool(
        slug=ethics_workbook.SLUG,
        page="tools/ethics-workbook.md",
        load_bank=ethics_workbook.load_workbook_bank,
        validate_answers=ethics_workbook.validate_workbook_answers,
        score=ethics_workbook.score_workbook,
        render_result=ethics_workbook_view.render_workbook_result,
        summarise=ethics_workbook_view.summarise_workbook_result,
        answers_schema=ethics_workbook.workbook_answers_schema,
        views=ethics_workbook.phase_ids,
        # The thresholds agreed in the test and monitor tool, shown where the workbook asks.
        context_tools=(test_monitor.SLUG,),
        score_in_context=lambda answers, results: ethics_workbook.score_workbook(answers, context=results),
        # One Markdown file per phase, to send to the oversight group at the end of it,
        # and one of the whole workbook.
        exports={
            **{
                f"markdown-{phase}": Export(f"{name} answers (Markdown)", f"-{phase}.md", "text/markdown",
                                            ethics_workbook_view.markdown_renderer(phase))
                for phase, name in ethics_workbook.PHASES.items()
            },
            "markdown": Export("whole workbook (Markdown)", ".md", "text/markdown",
                               ethics_workbook_view.markdown_renderer("")),
            "word": word_export("whole workbook (Word)", ethics_workbook_view.workbook_word),
        },
        warn_unexported=True,
        prints_record=True,
    )


def _user_needs() -> Tool:
    from . import user_needs, user_needs_view

    return Tool(
        slug=user_needs.SLUG,
        page="tools/user-needs.md",
        load_bank=user_needs.load_user_needs_bank,
        validate_answers=user_needs.validate_user_needs_answers,
        score=user_needs.score_user_needs,
        render_result=lambda result, site_root, view: user_needs_view.render_user_needs_result(result, site_root),
        summarise=user_needs_view.summarise_user_needs_result,
        answers_schema=user_needs.user_needs_answers_schema,
        exports={
            "csv": Export("CSV", ".csv", "text/csv", user_needs_view.user_needs_csv),
            "markdown": Export("Markdown", ".md", "text/markdown", user_needs_view.user_needs_markdown),
        },
        warn_unexported=True,
    )


def _business_case() -> Tool:
    from . import business_case, business_case_view, data_maturity, ethics_triage, user_needs

    return Tool(
        slug=business_case.SLUG,
        page="tools/business-case.md",
        load_bank=business_case.load_business_case_bank,
        validate_answers=business_case.validate_business_case_answers,
        score=business_case.score_business_case,
        render_result=lambda result, site_root, view: business_case_view.render_business_case_result(
            result, site_root),
        summarise=business_case_view.summarise_business_case_result,
        answers_schema=business_case.business_case_answers_schema,
        context_tools=(data_maturity.SLUG, user_needs.SLUG, ethics_triage.SLUG),
        score_in_context=business_case.score_business_case,
        exports={
            "markdown": Export("Markdown", ".md", "text/markdown", business_case_view.business_case_markdown),
            "word": word_export("Word", business_case_view.business_case_word),
        },
        warn_unexported=True,
        prints_record=True,
    )


def _transparency_record() -> Tool:
    from . import business_case, ethics_triage, test_monitor, transparency_record, transparency_record_view

    return Tool(
        slug=transparency_record.SLUG,
        page="tools/transparency-record.md",
        load_bank=transparency_record.load_transparency_bank,
        validate_answers=transparency_record.validate_transparency_answers,
        score=transparency_record.score_transparency_record,
        render_result=lambda result, site_root, view: transparency_record_view.render_transparency_result(
            result, site_root),
        summarise=transparency_record_view.summarise_transparency_result,
        answers_schema=transparency_record.transparency_answers_schema,
        # The thresholds agreed in the test and monitor tool, shown with the model specification.
        context_tools=(test_monitor.SLUG,),
        score_in_context=lambda answers, results: transparency_record.score_transparency_record(
            answers, context=results),
        bring_in={
            business_case.SLUG: transparency_record.fill_from_business_case,
            ethics_triage.SLUG: transparency_record.fill_from_triage,
        },
        exports={
            "markdown": Export("Markdown", ".md", "text/markdown", transparency_record_view.transparency_markdown),
            "word": word_export("Word", transparency_record_view.transparency_word),
        },
        warn_unexported=True,
        prints_record=True,
    )


def _data_quality() -> Tool:
    from . import data_quality, data_quality_view

    return Tool(
        slug=data_quality.SLUG,
        page="tools/data-quality.md",
        load_bank=data_quality.load_data_quality_bank,
        validate_answers=data_quality.validate_data_quality_answers,
        # The answers are the reader's settings and rules; the data itself is checked
        # by data_check_api (a file, not answers) and never becomes part of a record.
        score=data_quality.score_data_quality,
        render_result=lambda result, site_root, view: data_quality_view.render_settings_result(result, site_root),
        summarise=data_quality_view.summarise_settings_result,
        answers_schema=data_quality.data_quality_answers_schema,
    )


def _test_monitor() -> Tool:
    from . import test_monitor, test_monitor_view

    return Tool(
        slug=test_monitor.SLUG,
        page="tools/test-and-monitor.md",
        load_bank=test_monitor.load_test_monitor_bank,
        validate_answers=test_monitor.validate_test_monitor_answers,
        # The answers are the thresholds agreed at Design and the column mapping; the
        # case file is read by test_monitor_api (a file, not answers) and never kept.
        score=test_monitor.score_test_monitor,
        render_result=lambda result, site_root, view: test_monitor_view.render_thresholds_result(result, site_root),
        summarise=test_monitor_view.summarise_thresholds_result,
        answers_schema=test_monitor.test_monitor_answers_schema,
    )


# Slug -> the function that makes its tool, in the order tools are listed everywhere.
# Each slug is also its module's SLUG; the registry checks they agree.
_MAKERS: dict[str, Callable[[], Tool]] = {
    "data-maturity": _data_maturity,
    "ethics-triage": _ethics_triage,
    "checklists": _checklists,
    "ethics-workbook": _ethics_workbook,
    "user-needs": _user_needs,
    "business-case": _business_case,
    "transparency-record": _transparency_record,
    "data-quality": _data_quality,
    "test-and-monitor": _test_monitor,
}


class _Registry(Mapping[str, Tool]):
    """The tools by slug; each one made (and its modules imported) on first use."""

    def __init__(self, makers: dict[str, Callable[[], Tool]]) -> None:
        self._makers = makers
        self._made: dict[str, Tool] = {}

    def __getitem__(self, slug: str) -> Tool:
        if slug not in self._made:
            tool = self._makers[slug]()  # KeyError for an unknown slug, as a dict gives
            if tool.slug != slug:
                raise AssertionError(f"the registry lists '{slug}' for the tool '{tool.slug}'")
            self._made[slug] = tool
        return self._made[slug]

    def __contains__(self, slug: object) -> bool:
        return slug in self._makers

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


TOOLS: Mapping[str, Tool] = _Registry(_MAKERS)


def get_tool(slug: Any) -> Tool:
    """The tool for a slug, or an InputError that says which tools exist."""
    if isinstance(slug, str) and slug in TOOLS:
        return TOOLS[slug]
    known = ", ".join(TOOLS)
    raise InputError(f"This guide has no tool called '{str(slug)[:60]}'. The tools are: {known}.")


def bank_link_targets() -> list[tuple[str, str]]:
    """(bank file, docs path) for every page a bank links to, after validating every tool.

    Links are tables with a `target` (results) or a `link` (checklist items) field; the
    build checks each target exists, so a renamed page cannot leave a dead link in a result.
    """
    for tool in TOOLS.values():
        tool.load_bank()
    found: list[tuple[str, str]] = []

    def walk(bank: str, value: Any) -> None:
        if isinstance(value, dict):
            for key in ("target", "link"):
                if isinstance(value.get(key), str):
                    found.append((bank, value[key]))
            for child in value.values():
                walk(bank, child)
        elif isinstance(value, list):
            for child in value:
                walk(bank, child)

    for name in bank_files():
        walk(name, read_bank(name.removesuffix(".toml")).data)
    return found
