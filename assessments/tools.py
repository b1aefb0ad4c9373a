"""The registry of interactive tools: one entry per slug, the only place they are listed.

A tool is its bank (data), a validator for its answers, a scorer and a result view.
The build renders a form for every slug used in a page marker, the browser worker
dispatches on the slug, and the JSON record names it, so adding a tool means adding
one entry here (see the README, "Add a new tool").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Callable

from .core.bank_reader import bank_files, read_bank
from .core.errors import InputError
from .core.tool import WORD_MEDIA_TYPE, Export, Tool, word_export

__all__ = ["Tool", "Export", "WORD_MEDIA_TYPE", "word_export", "TOOLS", "get_tool", "context_tools_of", "bank_link_targets"]


# Each tool's modules are imported when the tool is first asked for, not with this
# registry: a page uses one tool (or a few, for a summary), and importing all nine
# took most of the time Python spends starting a tool in the browser (bench/links.py).


def _data_maturity() -> Tool:
    from .data_maturity import model as data_maturity, view as data_maturity_view

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
    from .data_maturity import model as data_maturity
    from .ethics_triage import model as ethics_triage, view as ethics_triage_view

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
    from .checklists import model as checklists, view as checklists_view

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
    from .ethics_workbook import model as ethics_workbook, view as ethics_workbook_view
    from .monitor import model as test_monitor

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
    from .user_needs import model as user_needs, view as user_needs_view

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
    from .business_case import model as business_case, view as business_case_view
    from .data_maturity import model as data_maturity
    from .ethics_triage import model as ethics_triage
    from .user_needs import model as user_needs

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
    from .business_case import model as business_case
    from .ethics_triage import model as ethics_triage
    from .monitor import model as test_monitor
    from .transparency_record import model as transparency_record, view as transparency_record_view
    from .transparency_record import workbook as atrs_workbook

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
            # The page and the worker know this format's name: the worker loads openpyxl for it.
            "xlsx": Export("for the ATRS team (Excel)", ".xlsx", atrs_workbook.XLSX_MEDIA_TYPE,
                           atrs_workbook.transparency_workbook),
        },
        warn_unexported=True,
        prints_record=True,
    )


def _data_quality() -> Tool:
    from .data_quality import model as data_quality, view as data_quality_view

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
    from .monitor import model as test_monitor, view as test_monitor_view

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


def context_tools_of(tool: Tool) -> dict[str, Tool]:
    """The tools whose saved answers `tool` summarises (its `context_tools`), resolved here
    once so that records and projects are handed them and never look a tool up by slug."""
    return {slug: TOOLS[slug] for slug in tool.context_tools}


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
