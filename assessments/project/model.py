"""The project file: every tool's answers for one project, in one JSON file.

A team keeps one file on a shared drive and passes it between colleagues instead of one
file per tool. A project file is one versioned JSON object:

    {"format": "cssc-analytics-guide/project", "format_version": 1,
     "created": "2026-11-24T10:00:00Z", "title": "Family context tool",
     "tools": {"data-maturity": {"tool_title": "...", "bank_version": "1.0.0",
                                 "answers": {...}, "result": {...}}, ...}}

`title` is optional; `tools` holds only the tools that have answers. As in a single
tool's record (records.py), `result` is written for the reader and never trusted: each
tool's answers are validated by that tool's own validator and scored again on loading.

Loading a file either **replaces** everything saved in the browser (tools not in the
file are cleared) or **merges** it in (the file's answers are added to, or overwrite,
the answers saved here, question by question; everything else is kept). Nothing is
written by this module: it returns the answers to store and the caller writes them only
if the whole file could be read. A file is refused as a whole, in plain words, if any
tool's answers in it are not valid.

Versions: files of an older `format_version` are upgraded step by step by MIGRATIONS;
a newer one is refused. A single tool's record ("cssc-analytics-guide/record"), the file
each tool page downloads, is also accepted: it is read as a project with that one tool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from ..core.errors import InputError
from ..core.records import RECORD_FORMAT, RECORD_FORMAT_VERSION, check_format_version, decode_file, score_with_context
from ..tools import TOOLS, Tool, context_tools_of
from ..core.upgrade import upgrade_answers

__all__ = [
    "PROJECT_FORMAT",
    "PROJECT_FORMAT_VERSION",
    "MAX_PROJECT_BYTES",
    "MAX_TITLE_CHARACTERS",
    "MODES",
    "MIGRATIONS",
    "ImportedProject",
    "export_project",
    "import_project",
    "upgrade_project",
    "project_file_name",
    "stored_results",
    "StoredTool",
    "saved_for_now",
]

PROJECT_FORMAT = "cssc-analytics-guide/project"
PROJECT_FORMAT_VERSION = 1
# Every tool's answers come from one browser's storage, which holds about 5 MB for a
# site; this leaves room for the file's indentation and the results, and refuses a wrong
# file (a video, a database dump) before it is read.
MAX_PROJECT_BYTES = 8_000_000
MAX_TITLE_CHARACTERS = 200
MODES = ("replace", "merge")

# {format_version: function upgrading a project of that version to the next one}. Each
# step takes and returns the whole decoded file; import applies them in order, so a file
# of any older version reaches PROJECT_FORMAT_VERSION. Add one entry whenever
# PROJECT_FORMAT_VERSION goes up (a test checks the chain has no gap).
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class ImportedProject:
    """What loading a project file would do. Nothing has been written yet."""

    mode: str  # "replace" or "merge"
    # {slug: answers to store} for every tool whose saved answers change; {} means clear.
    tools: dict[str, dict[str, Any]]
    # Every known tool's answers once the change is made (for the summary and results).
    final: dict[str, Any]
    title: str
    created: str
    notes: tuple[str, ...]  # things the reader should know (skipped tools, older versions)

    @property
    def changed(self) -> tuple[str, ...]:
        return tuple(self.tools)


@dataclass(frozen=True)
class StoredTool:
    """One tool as saved in this browser, brought up to date for the table."""

    result: Any  # the tool's result, or None when nothing (usable) is saved
    problem: str  # why what is saved cannot be read at all ("" when it can)
    # Saved with another version of the questions (or not fitting them): what the one
    # upgrade path carried over and left out, in plain words; () when saved as it is now.
    upgraded: tuple[str, ...] = ()
    earlier_version: bool = False  # saved with an earlier version of the questions
    # The answers the result was worked out from (brought up to date), for downloads made
    # from every tool at once (the governance pack).
    answers: dict[str, Any] = field(default_factory=dict)


def saved_for_now(tool: Tool, answers: Any, versions: Any) -> Any:
    """Answers saved in the browser, for the current questions: those saved with another
    version (`versions`: {slug: saved bank version, or None when the release that saved
    them recorded none}) go through the one upgrade path (upgrade.py), as on the tool's
    own page. A slug missing from `versions` was saved with the current questions."""
    version = versions.get(tool.slug, tool.version) if isinstance(versions, dict) else tool.version
    if version == tool.version or not isinstance(answers, dict):
        return answers
    return upgrade_answers(tool, answers, version).answers


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _short(value: object, limit: int = 60) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


# --------------------------------------------------------------------------- export


def export_project(tools_answers: Any, title: Any = "", created: str | None = None,
                   versions: Any = None) -> dict[str, Any]:
    """Every tool's answers as a project file (a JSON-ready dict).

    `tools_answers` is {slug: answers} as saved in the browser, and `versions` the version
    of the questions each was saved with (see saved_for_now). Each tool's answers are
    checked by that tool's own validator; a tool with no answers is left out. Answers
    that are not valid stop the download with a message naming the tool, because a file
    that cannot be loaded back is worse than none.
    """
    if not isinstance(tools_answers, dict):
        raise InputError("The answers saved in this browser could not be read.")
    for slug in tools_answers:
        if slug not in TOOLS:
            raise InputError(f"This guide has no tool called '{_short(slug)}'.")
    entries: dict[str, Any] = {}
    for slug, tool in TOOLS.items():
        answers = tools_answers.get(slug)
        if answers is None or answers == {}:
            continue
        answers = saved_for_now(tool, answers, versions)
        try:
            clean = tool.validate_answers(answers)
        except InputError as problem:
            raise InputError(
                f"The {tool.title} answers saved in this browser cannot be put in a file: {problem} Open the "
                f"{tool.title} page to correct or clear them, then download again."
            ) from problem
        if not clean:
            continue
        result = score_with_context(tool, clean, tools_answers, context_tools_of(tool))
        entries[slug] = {
            "tool_title": tool.title,
            "bank_version": tool.version,
            "answers": clean,
            "result": result.to_dict(),
        }
    project: dict[str, Any] = {
        "format": PROJECT_FORMAT,
        "format_version": PROJECT_FORMAT_VERSION,
        "created": created or _now(),
    }
    clean_title = _title(title)
    if clean_title:
        project["title"] = clean_title
    project["tools"] = entries
    return project


def _title(title: Any) -> str:
    if title is None:
        return ""
    if not isinstance(title, str):
        raise InputError("The project name should be text.")
    title = " ".join(title.split())
    if len(title) > MAX_TITLE_CHARACTERS:
        raise InputError(f"The project name is {len(title):,} characters long; it can be up to "
                         f"{MAX_TITLE_CHARACTERS} characters.")
    return title


def project_file_name(project: dict[str, Any]) -> str:
    """`project-<name in kebab case>-<date>.json`, or `project-<date>.json` without a name."""
    date = str(project.get("created", ""))[:10] or "undated"
    words = re.findall(r"[a-z0-9]+", str(project.get("title", "")).lower())
    name = "-".join(words)[:40].strip("-")
    return f"project-{name}-{date}.json" if name else f"project-{date}.json"


# --------------------------------------------------------------------------- import


def _from_record(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A single tool's record as a version 1 project holding that one tool.

    This is how files saved on a tool's own page, before project files existed or
    since, load into a project.
    """
    check_format_version(data, RECORD_FORMAT_VERSION)
    slug = data.get("tool")
    tool = TOOLS.get(slug) if isinstance(slug, str) else None
    if tool is None:
        raise InputError(f"This file is from a tool this version of the guide does not have "
                         f"('{_short(slug)}'), so there is nothing in it to load.")
    project = {
        "format": PROJECT_FORMAT,
        "format_version": 1,
        "created": data.get("created", ""),
        "tools": {slug: {key: data[key] for key in ("tool_title", "bank_version", "answers", "result") if key in data}},
    }
    return project, [f"This is a file for one tool, the {tool.title}, not a project file: it was read as a "
                     "project holding that tool only."]


def upgrade_project(data: Any) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Any file this guide has saved, as a project of the current format version.

    Returns (project, notes). Refuses, in plain words, a file of another kind or of a
    newer version, and an older version that no migration reaches.
    """
    if isinstance(data, dict) and data.get("format") == RECORD_FORMAT:
        project, notes = _from_record(data)
    elif isinstance(data, dict) and data.get("format") == PROJECT_FORMAT:
        project, notes = data, []
    else:
        raise InputError("This is not a file saved by this guide (it has no \u201cformat\u201d line saying so).")
    version = check_format_version(project, PROJECT_FORMAT_VERSION, "project file")
    while version < PROJECT_FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise InputError(f"This project file uses file format {version}, which this site can no longer read.")
        project = step(project)
        version += 1
        if not isinstance(project, dict) or project.get("format_version") != version:
            raise AssertionError(f"the migration from project format {version - 1} did not give format {version}")
    return project, tuple(notes)


def _file_answers(project: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """{slug: validated answers} for every tool in the file this guide has, and notes.

    A tool this guide does not have is noted and skipped; answers that are not valid for
    a tool it does have refuse the whole file, naming the tool and the problem.
    """
    tools = project.get("tools")
    if not isinstance(tools, dict):
        raise InputError("This project file has no list of tools in it.")
    answers: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for slug, entry in tools.items():
        tool = TOOLS.get(slug)
        if tool is None:
            notes.append(f"The file has answers for a tool this version of the guide does not have "
                         f"(\u201c{_short(slug)}\u201d); they were left out.")
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("answers"), dict):
            raise InputError(f"The file's entry for the {tool.title} has no answers in it. Nothing has been loaded.")
        bank_version = entry.get("bank_version")
        if not isinstance(bank_version, str):
            raise InputError(f"The file's entry for the {tool.title} does not say which version of the questions "
                             "it answers. Nothing has been loaded.")
        # As for a single tool's record: the current version is checked strictly (an
        # unknown answer means the file was edited), another is upgraded (upgrade.py).
        try:
            upgrade = upgrade_answers(tool, entry["answers"], bank_version, strict=bank_version == tool.version)
        except InputError as problem:
            raise InputError(f"The file's answers for the {tool.title} cannot be used: {problem} "
                             "Nothing has been loaded.") from problem
        answers[slug] = upgrade.answers
        if bank_version != tool.version:
            notes.append(f"The {tool.title} answers were made with version {_short(bank_version, 20)} of its "
                         f"questions; this site uses version {tool.version}, and the result has been worked out "
                         "again with the current questions.")
            # What the bank says it moved (a new version of a standard), then what was left out.
            notes.extend(f"{tool.title}: {line}" for line in (*upgrade.notes, *upgrade.left_out))
    if not answers:
        raise InputError("This file has no answers for any tool in this guide, so there is nothing to load.")
    return answers, notes


def _stored(current: Any, versions: Any = None) -> dict[str, Any]:
    """The answers saved in the browser, for the current questions: {slug: answers}."""
    if current is None:
        return {}
    if not isinstance(current, dict):
        raise InputError("The answers saved in this browser could not be read.")
    return {slug: saved_for_now(TOOLS[slug], value, versions) for slug, value in current.items() if slug in TOOLS}


def _same(stored: Any, answers: dict[str, Any]) -> bool:
    return (stored if stored is not None else {}) == answers


def import_project(text: Any, current: Any = None, mode: Any = "replace", versions: Any = None) -> ImportedProject:
    """Read a project file (or a single tool's record) and work out what loading it does.

    `current` is {slug: answers} as saved in the browser now (`versions`: see
    saved_for_now). With "replace", every
    tool's answers become the file's (a tool not in the file is cleared); with "merge",
    each tool in the file gets the answers saved here with the file's added on top,
    question by question. Raises InputError, and so changes nothing, if the file or the
    merged answers of any tool are not valid.
    """
    if mode not in MODES:
        raise InputError("Choose whether the file should replace the answers here or be merged into them.")
    project, upgrade_notes = upgrade_project(decode_file(text, MAX_PROJECT_BYTES, saved_as="Project files", nested_as="a file"))
    title = project.get("title", "")
    if not isinstance(title, str):
        raise InputError("The project name in this file is not text.")
    title = _short(" ".join(title.split()), MAX_TITLE_CHARACTERS)
    created = project.get("created")
    file_answers, notes = _file_answers(project)
    stored = _stored(current, versions)

    final: dict[str, Any] = {}
    changes: dict[str, dict[str, Any]] = {}
    for slug, tool in TOOLS.items():
        here = stored.get(slug)
        if mode == "replace":
            after = file_answers.get(slug, {})
        elif slug in file_answers:
            after = _merged(tool, here, file_answers[slug])
        else:
            final[slug] = here if here is not None else {}
            continue
        final[slug] = after
        if not _same(here, after):
            changes[slug] = after
    return ImportedProject(
        mode=mode,
        tools=changes,
        final=final,
        title=title,
        created=created if isinstance(created, str) else "",
        notes=tuple(upgrade_notes) + tuple(notes),
    )


def _merged(tool: Tool, here: Any, incoming: dict[str, Any]) -> dict[str, Any]:
    """The answers saved here with the file's on top, checked as a whole (a tool may have
    rules across questions, such as an option that cannot be ticked with another)."""
    base = here if here is not None else {}
    if not isinstance(base, dict):
        raise InputError(f"The {tool.title} answers saved in this browser cannot be read, so the file cannot be "
                         "merged into them. Choose \u201creplace\u201d, or clear that tool's answers on its page "
                         "first. Nothing has been loaded.")
    try:
        return tool.validate_answers({**base, **incoming})
    except InputError as problem:
        raise InputError(f"The file's {tool.title} answers cannot be merged with the ones saved in this browser: "
                         f"{problem} Choose \u201creplace\u201d, or clear that tool's answers on its page first. "
                         "Nothing has been loaded.") from problem


def stored_results(tools_answers: dict[str, Any], versions: Any = None) -> dict[str, StoredTool]:
    """{slug: StoredTool} for every tool, from answers as saved in the browser.

    Answers saved with another version of the questions (`versions`, see saved_for_now),
    or that do not fit the current ones, go through the one upgrade path, as on the
    tool's own page: the result is worked out from what still applies, and `upgraded`
    says what was carried over and left out. Only answers that are not answers at all
    (not JSON, say) cannot be read. Tools that summarise others get their answers too.
    """
    out: dict[str, StoredTool] = {}
    for slug, tool in TOOLS.items():
        answers = tools_answers.get(slug)
        if answers is None or answers == {}:
            out[slug] = StoredTool(None, "")
            continue
        if not isinstance(answers, dict):
            out[slug] = StoredTool(None, "they are not answers this guide can read. Open the tool's page to see "
                                         "them and download them as they are.")
            continue
        version = versions.get(slug, tool.version) if isinstance(versions, dict) else tool.version
        earlier = version != tool.version
        try:
            clean, lines = (tool.validate_answers(answers), ()) if not earlier else (None, ())
        except InputError:
            clean = None
        if clean is None:
            upgrade = upgrade_answers(tool, answers, version)
            clean, lines = upgrade.answers, upgrade.carried + upgrade.left_out
        result = score_with_context(tool, clean, tools_answers, context_tools_of(tool)) if clean else None
        out[slug] = StoredTool(result, "", tuple(lines), earlier, clean or {})
    return out
