"""The JSON record a tool downloads and loads back.

A record is one versioned JSON object:

    {"format": "cssc-analytics-guide/record", "format_version": 1,
     "tool": "data-maturity", "tool_title": "...", "bank_version": "1.0.0",
     "created": "2026-11-24T10:00:00Z", "answers": {...}, "result": {...}}

`result` is written for the reader of the file; on import it is never trusted but
worked out again from the answers with the current bank. Import refuses anything it
cannot use with a message in plain words, and never changes the page's answers itself:
the caller replaces them only when import succeeds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from .bank_reader import bank_title
from .errors import InputError
from .tool import Tool
from .upgrade import parse_version, upgrade_answers

__all__ = [
    "RECORD_FORMAT",
    "RECORD_FORMAT_VERSION",
    "MAX_RECORD_BYTES",
    "ImportedRecord",
    "FileOfAnotherTool",
    "export_record",
    "import_record",
    "record_file_name",
    "score_with_context",
]

RECORD_FORMAT = "cssc-analytics-guide/record"
RECORD_FORMAT_VERSION = 1
# Big enough for the longest working document with generous free text; small enough
# that a wrong file (a video, a database dump) is refused before it is read.
MAX_RECORD_BYTES = 5_000_000


@dataclass(frozen=True)
class ImportedRecord:
    tool: str
    answers: dict[str, Any]
    result: Any
    bank_version: str
    created: str
    notes: tuple[str, ...]  # things the reader should know, e.g. an older bank version


class FileOfAnotherTool(InputError):
    """A record saved by another tool than the one it was loaded into.

    This module is handed the tool a request is for, never the registry: the other tool is
    named by the title in its bank (the slug the file gives names the bank), never by text
    from the file.
    """

    def __init__(self, slug: Any, expected: Tool) -> None:
        self.slug = slug
        other = bank_title(slug) or "something else"
        super().__init__(f"This file is from {other}, not the {expected.title}. Load it on that tool's page.")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def score_with_context(tool: Tool, answers: dict[str, Any], context: Any = None,
                       others: Mapping[str, Tool] | None = None) -> Any:
    """Score answers; a tool with `context_tools` also gets the other tools' results.

    `context` is {slug: saved answers} as the page found them in browser storage; `others`
    is {slug: Tool} for the tool's `context_tools`, resolved by the caller (the registry's
    `context_tools_of`). Each is upgraded (upgrade.py: what no longer applies is left out)
    and scored by its own tool; one with no usable answers is passed as None, so a stale
    copy elsewhere can never break this tool.
    """
    if not tool.context_tools or tool.score_in_context is None:
        return tool.score(answers)
    if others is None or set(others) != set(tool.context_tools):
        raise TypeError(f"score_with_context needs the tools {tool.slug} summarises: {', '.join(tool.context_tools)}")
    given = context if isinstance(context, dict) else {}
    results: dict[str, Any] = {}
    for slug, other in others.items():
        # Saved in this browser, possibly by an older release: upgraded like any saved
        # answers, so what still applies is summarised rather than nothing.
        other_answers = upgrade_answers(other, given.get(slug) or {}, None).answers
        try:
            results[slug] = other.score(other_answers) if other_answers else None
        except InputError:
            # Answers each valid alone that cannot be scored together (the test and monitor
            # tool's lowest score above its highest): that tool says so on its own page.
            results[slug] = None
    return tool.score_in_context(answers, results)


def export_record(tool: Tool, answers: Any, created: str | None = None, context: Any = None,
                  others: Mapping[str, Tool] | None = None) -> dict[str, Any]:
    """Validate and score the answers and return the record as a JSON-ready dict.

    `context` and `others` as for `score_with_context`.
    """
    clean = tool.validate_answers(answers)
    result = score_with_context(tool, clean, context, others)
    return {
        "format": RECORD_FORMAT,
        "format_version": RECORD_FORMAT_VERSION,
        "tool": tool.slug,
        "tool_title": tool.title,
        "bank_version": tool.version,
        "created": created or _now(),
        "answers": clean,
        "result": result.to_dict(),
    }


def record_file_name(slug: str, created: str) -> str:
    return f"{slug}-{created[:10]}.json"


def import_record(tool: Tool, text: Any, context: Any = None, others: Mapping[str, Tool] | None = None) -> ImportedRecord:
    """Read a downloaded record back into `tool`. Raises InputError saying what is wrong
    (FileOfAnotherTool for a record of another tool)."""
    data = decode_file(text, MAX_RECORD_BYTES, saved_as="Files", nested_as="a record")
    return _read_record(tool, data, context, others)


def decode_file(text: Any, max_bytes: int, saved_as: str, nested_as: str) -> Any:
    """A loaded file's text as JSON, or an InputError saying why it cannot be.

    Shared by records and project files; `saved_as` and `nested_as` name the kind of
    file in the messages ("Files"/"a record", "Project files"/"a file").
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise InputError("This file is not a text file. Choose a .json file downloaded from this guide.") from bad
    if not isinstance(text, str):
        raise InputError("Nothing was read from the file.")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputError(
            f"This file is too large ({size / 1_000_000:.1f} MB). {saved_as} saved by this guide are well under "
            f"{max_bytes / 1_000_000:.0f} MB, so it is probably not one of them."
        )
    if not text.strip():
        raise InputError("This file is empty.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as bad:
        raise InputError(
            f"This file is not valid JSON (line {bad.lineno}, column {bad.colno}: {bad.msg}). "
            "It may have been edited or only partly downloaded."
        ) from bad
    except RecursionError as bad:
        raise InputError(f"This file is nested too deeply to be {nested_as} from this guide.") from bad


def check_format_version(data: dict[str, Any], newest: int, what: str = "file") -> int:
    """The file's format_version, or an InputError if it is missing or newer than `newest`."""
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError("This file does not say which version of the file format it uses.")
    if version > newest:
        raise InputError(
            f"This {what} was saved by a newer version of this guide (file format {version}; this site reads up "
            f"to {newest}). Ask whoever sent it which version they used, or update this site."
        )
    return version


def _read_record(tool: Tool, data: Any, context: Any, others: Mapping[str, Tool] | None) -> ImportedRecord:
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT:
        raise InputError("This is not a file saved by this guide (it has no \u201cformat\u201d line saying so).")
    check_format_version(data, RECORD_FORMAT_VERSION)
    slug = data.get("tool")
    if slug != tool.slug:
        raise FileOfAnotherTool(slug, tool)
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise InputError("This file has no answers in it.")
    bank_version = data.get("bank_version")
    if not isinstance(bank_version, str):
        raise InputError("This file does not say which version of the questions it answers.")
    # A file of the current version with an unknown answer was edited: refused. One of
    # another version is upgraded like answers saved in the browser (upgrade.py).
    upgrade = upgrade_answers(tool, answers, bank_version, strict=bank_version == tool.version)
    clean = upgrade.answers
    result = score_with_context(tool, clean, context, others)
    notes = []
    if bank_version != tool.version:
        made_with = f"version {bank_version[:20]}" if parse_version(bank_version) else \
            "an earlier version (it does not say which)"
        notes.append(
            f"This file was made with {made_with} of the questions; this page uses version "
            f"{tool.version}. The result has been worked out again with the current questions."
        )
        notes.extend(upgrade.carried)
        notes.extend(upgrade.left_out)
        if upgrade.left_out:
            notes.append("The file itself is unchanged.")
    stored = data.get("result")
    if stored is not None and stored != result.to_dict():
        notes.append("The result saved in the file differed from the one worked out now; the one shown is current.")
    created = data.get("created")
    return ImportedRecord(
        tool=tool.slug,
        answers=clean,
        result=result,
        bank_version=bank_version,
        created=created if isinstance(created, str) else "",
        notes=tuple(notes),
    )
