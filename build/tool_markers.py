"""MkDocs hook: replace tool and glossary markers in pages with their HTML.

Markers are HTML comments, invisible in a raw Markdown preview:

    <!-- tool: data-maturity -->     the tool's whole form, from its question bank
    <!-- checklist: design -->       one stage of the "checklists" tool
    <!-- glossary -->                the glossary, from includes/abbreviations.md
    <!-- project -->                 the "My project" panel: every tool's state, one file
    <!-- team-view -->               the data maturity team view: colleagues' files combined

Forms are rendered with Jinja2 templates from overrides/cssc/ through the theme's own
environment. An unknown marker fails the build, naming the page and the marker.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from assessments import BankError
from assessments.core.links import page_href
from assessments.data_maturity.team import MAX_TEAM_FILES
from assessments.project.model import MAX_PROJECT_BYTES
from assessments.core.records import MAX_RECORD_BYTES
from assessments.tools import TOOLS

# Anything that looks like one of our markers, so a typo fails instead of vanishing.
MARKER = re.compile(r"<!--\s*(tool|checklist|glossary|project|team-view)\b\s*:?\s*([^\s>]*)\s*-->")
ABBREVIATION = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<definition>.+)$")


def _site_root(page) -> str:
    """The relative path from this page's URL to the site root, e.g. '../../'."""
    depth = page.url.count("/")
    return "../" * depth if depth else "./"


def _glossary_terms(config) -> list[tuple[str, str]]:
    path = Path(config.config_file_path).parent / "includes" / "abbreviations.md"
    terms = []
    for line in path.read_text("utf-8").splitlines():
        match = ABBREVIATION.match(line.strip())
        if match:
            terms.append((match["term"], match["definition"]))
    # One entry per term, case-insensitively ("Pseudonymisation" and "pseudonymisation").
    unique = {}
    for term, definition in terms:
        unique.setdefault(term.lower(), (term, definition))
    return sorted(unique.values(), key=lambda item: item[0].lower())


def _render_project(env, page, where: str) -> str:
    """The "My project" panel: the slugs of every registered tool (the only storage keys
    its script may touch) and, for readers without JavaScript, a link to each tool."""
    site_root = _site_root(page)
    tools = []
    for tool in TOOLS.values():
        try:
            title = tool.title
        except BankError as broken:
            raise PluginError(f"{where}: invalid question bank: {broken}") from broken
        tools.append({"slug": tool.slug, "title": title, "href": page_href(tool.page, site_root)})
    return env.get_template("cssc/project.html").render(
        tools=tools, site_root=site_root, max_project_bytes=MAX_PROJECT_BYTES,
    )


def on_page_content(html, page, config, files):
    env = config.theme.get_env()

    def render(match: re.Match) -> str:
        kind, name = match.group(1), match.group(2)
        where = page.file.src_path
        if kind == "glossary":
            return env.get_template("cssc/glossary.html").render(terms=_glossary_terms(config))
        if kind == "project":
            if name:
                raise PluginError(f"{where}: unknown marker '<!-- {kind}: {name} -->'. Use '<!-- project -->'.")
            return _render_project(env, page, where)
        if kind == "team-view":
            if name:
                raise PluginError(f"{where}: unknown marker '<!-- {kind}: {name} -->'. Use '<!-- team-view -->'.")
            return env.get_template("cssc/team-view.html").render(
                site_root=_site_root(page), max_file_bytes=MAX_RECORD_BYTES, max_files=MAX_TEAM_FILES)
        # `<!-- checklist: design -->` is the "checklists" tool showing one stage.
        slug, view = (name, "") if kind == "tool" else ("checklists", name)
        tool = TOOLS.get(slug)
        if tool is None:
            known = ", ".join(sorted(TOOLS))
            raise PluginError(f"{where}: unknown marker '<!-- {kind}: {name} -->'. Known tools: {known}.")
        try:
            bank = tool.load_bank()
        except BankError as broken:
            raise PluginError(f"{where}: invalid question bank: {broken}") from broken
        if view and view not in tool.views(bank):
            known = ", ".join(tool.views(bank))
            raise PluginError(f"{where}: unknown marker '<!-- {kind}: {name} -->'. Known: {known}.")
        return env.get_template(tool.template).render(
            tool=tool,
            bank=bank,
            view=view,
            site_root=_site_root(page),
            max_record_bytes=MAX_RECORD_BYTES,
        )

    return MARKER.sub(render, html)
