"""MkDocs hook: "you are here" lifecycle navigation on every stage page.

A stage page is a page whose source path is a stage's `page` in the checklist banks
(`assessments/banks/checklists/<stage>.toml`), so the stages' names, order and phases
have one source of truth. Each stage page gets, at the top, a strip of every phase and
stage with the current one marked, and at the bottom links to the previous and next
stage. Both are rendered from overrides/cssc/lifecycle.html through the theme's own
Jinja environment. A stage whose page does not exist fails the build.
"""

from __future__ import annotations

from typing import Any, Callable

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from assessments import BankError
from assessments.checklists.model import ChecklistBank, Stage, load_checklist_bank

TEMPLATE = "cssc/lifecycle.html"


def _bank() -> ChecklistBank:
    try:
        return load_checklist_bank()
    except BankError as broken:
        raise PluginError(f"Invalid checklist bank: {broken}") from broken


def stage_for_page(bank: ChecklistBank, src_uri: str) -> Stage | None:
    """The stage whose guidance page is `src_uri` (e.g. "guidance/develop/design.md"), if any."""
    return next((stage for stage in bank.stages if stage.page == src_uri), None)


def lifecycle_context(bank: ChecklistBank, current: Stage, href: Callable[[Stage], str]) -> dict[str, Any]:
    """What the template needs: phases with their stages, and the previous and next stage."""
    phases = [
        {
            "name": phase.name,
            "current": phase.id == current.phase,
            "stages": [{"name": s.name, "href": href(s), "current": s == current} for s in phase.stages],
        }
        for phase in bank.phases
    ]
    index = bank.stages.index(current)
    previous = bank.stages[index - 1] if index > 0 else None
    following = bank.stages[index + 1] if index + 1 < len(bank.stages) else None
    return {
        "phases": phases,
        "previous": {"name": previous.name, "href": href(previous)} if previous else None,
        "next": {"name": following.name, "href": href(following)} if following else None,
    }


def on_files(files, config):
    missing = [s for s in _bank().stages if files.get_file_from_path(s.page) is None]
    if missing:
        listed = "; ".join(f"checklists/{s.slug}.toml: page '{s.page}'" for s in missing)
        raise PluginError(f"A stage checklist names a page that does not exist: {listed}")
    return files


def on_page_content(html, page, config, files):
    bank = _bank()
    current = stage_for_page(bank, page.file.src_uri)
    if current is None:
        return html

    def href(stage: Stage) -> str:
        # Relative URLs, so the site works from any address and any sub-path.
        return get_relative_url(files.get_file_from_path(stage.page).url, page.url)

    context = lifecycle_context(bank, current, href)
    macros = config.theme.get_env().get_template(TEMPLATE).module
    return f"{macros.strip(context['phases'], current)}\n{html}\n{macros.pager(context['previous'], context['next'])}"
