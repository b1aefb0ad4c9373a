"""The "My project" page's table: every tool, whether anything is saved for it in this
browser, and a one-line summary of its result, worked out by each tool's own code."""

from __future__ import annotations

from typing import Any

from ..core.html import Markup, element as e
from ..core.links import page_href
from .model import ImportedProject, StoredTool, stored_results
from ..tools import TOOLS

__all__ = ["render_project_summary", "summarise_project", "describe_import", "confirm_import"]

# Each tool's `summarise` writes a line for its own page's status region, which starts
# by saying the result was updated; here the line stands in a table, so that goes.
_STATUS_OPENING = "Result updated: "


def _one_line(tool, result) -> str:
    line = tool.summarise(result)
    line = line[len(_STATUS_OPENING):] if line.startswith(_STATUS_OPENING) else line
    return line[:1].upper() + line[1:]


def _upgrade_note(stored: StoredTool) -> str:
    """What bringing saved answers up to date did, in plain words ("" when nothing)."""
    if not stored.earlier_version and not stored.upgraded:
        return ""
    opening = ("Saved with an earlier version of this guide, and shown here as brought up to date"
               if stored.earlier_version else "Shown here with only the answers that fit this tool's questions")
    if not stored.upgraded:
        return f"{opening}: every answer was carried over."
    return f"{opening}: " + " ".join(stored.upgraded)


def render_project_summary(tools_answers: Any, site_root: str = "", title: str = "",
                           versions: Any = None) -> Markup:
    """A table of every tool with its state in this browser, as escaped HTML.

    `versions`: the version of the questions each tool's answers were saved with
    (project.saved_for_now); answers saved with another are shown brought up to date."""
    answers = tools_answers if isinstance(tools_answers, dict) else {}
    results = stored_results(answers, versions)
    rows = []
    for slug, tool in TOOLS.items():
        stored = results[slug]
        note = _upgrade_note(stored)
        if stored.problem:
            saved, state, line = "Cannot be read", "unreadable", f"The answers saved here cannot be used: {stored.problem}"
        elif stored.result is None and not note:
            saved, state, line = "No", "empty", "Nothing saved in this browser yet."
        elif stored.result is None:
            saved, state, line = "Yes", "saved", "None of the answers saved here apply to this version of the tool."
        else:
            saved, state, line = "Yes", "saved", _one_line(tool, stored.result)
        summary = e("td", line, e("p", note, class_="cssc-project__upgraded", data_upgrade_note="")) if note \
            else e("td", line)
        rows.append(e("tr",
                      e("th", e("a", tool.title, href=page_href(tool.page, site_root)), scope="row"),
                      e("td", saved),
                      summary,
                      data_project_tool=slug, data_saved=state, data_upgraded="true" if note else None))
    saved_count = sum(1 for stored in results.values() if stored.result is not None or stored.problem
                      or stored.upgraded)
    parts: list[Markup] = []
    if title:
        parts.append(e("p", "Project: ", e("strong", title), class_="cssc-project__title"))
    parts.append(e("p", f"{saved_count} of {len(TOOLS)} tools have answers saved in this browser.",
                   class_="cssc-result__headline"))
    parts.append(e("table",
                   e("caption", "Every tool, as saved in this browser"),
                   e("thead", e("tr", e("th", "Tool", scope="col"), e("th", "Saved here", scope="col"),
                                e("th", "Summary", scope="col"))),
                   e("tbody", rows),
                   class_="cssc-table cssc-project__table"))
    return e("div", parts, class_="cssc-project__summary-body")


def summarise_project(tools_answers: Any, versions: Any = None) -> str:
    """One line for the page's status region."""
    answers = tools_answers if isinstance(tools_answers, dict) else {}
    saved = sum(1 for stored in stored_results(answers, versions).values()
                if stored.result is not None or stored.problem or stored.upgraded)
    return f"Updated: {saved} of {len(TOOLS)} tools have answers saved in this browser."


def _titles(slugs) -> str:
    titles = [TOOLS[slug].title for slug in slugs]
    return ", ".join(titles) if titles else "none"


def describe_import(imported: ImportedProject) -> str:
    """What loading the file changed, in one or two sentences, for after it is written."""
    if not imported.changed:
        return "The file's answers are the same as the ones saved in this browser: nothing needed changing."
    cleared = [slug for slug, answers in imported.tools.items() if not answers]
    changed = [slug for slug in imported.changed if slug not in cleared]
    how = "replaced the answers saved here" if imported.mode == "replace" else "was merged into the answers saved here"
    text = f"The file {how}. Tools changed: {_titles(changed)}."
    if cleared:
        text += f" Tools cleared (not in the file): {_titles(cleared)}."
    return text


def confirm_import(imported: ImportedProject) -> str:
    """The question the page asks before writing anything: exactly what will change."""
    cleared = [slug for slug, answers in imported.tools.items() if not answers]
    changed = [slug for slug in imported.changed if slug not in cleared]
    if imported.mode == "replace":
        text = "Replace the answers saved in this browser with the ones in this file?"
    else:
        text = ("Merge this file into the answers saved in this browser? The file's answers are added, and replace "
                "the same questions' answers here; everything else here is kept.")
    text += f"\n\nTools that will change: {_titles(changed)}."
    if cleared:
        text += f"\nTools that will be cleared, because they are not in the file: {_titles(cleared)}."
    return text + "\n\nThis cannot be undone. Download a project file first if you want to keep what is here."
