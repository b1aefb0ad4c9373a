"""JSON Schemas for the downloaded records, generated from the banks and the record model.

The page validates imports with our own Python (records.py, project.py); this module
describes the same rules as JSON Schema (draft 2020-12) so other software, and the tests,
can check a file without this package. The build publishes one schema per tool at
`schemas/<tool>.schema.json`, and the schema of the project file (every tool's answers in
one file) at `schemas/project.schema.json`.
"""

from __future__ import annotations

from typing import Any

from .project.model import MAX_TITLE_CHARACTERS, PROJECT_FORMAT, PROJECT_FORMAT_VERSION
from .core.records import RECORD_FORMAT, RECORD_FORMAT_VERSION
from .tools import TOOLS, get_tool

__all__ = ["record_schema", "all_record_schemas", "project_schema", "SCHEMA_DIALECT"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def record_schema(slug: str) -> dict[str, Any]:
    """The schema of a record downloaded from the tool `slug`."""
    tool = get_tool(slug)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"schemas/{tool.slug}.schema.json",
        "title": f"{tool.title}: saved record",
        "description": (
            f"A record downloaded from the {tool.title} in the children's social care data analytics guide. "
            "`result` is informative: on loading, the guide works it out again from `answers`."
        ),
        "type": "object",
        "required": ["format", "format_version", "tool", "bank_version", "created", "answers"],
        "properties": {
            "format": {"const": RECORD_FORMAT},
            "format_version": {"type": "integer", "minimum": 1, "maximum": RECORD_FORMAT_VERSION},
            "tool": {"const": tool.slug},
            "tool_title": {"type": "string"},
            "bank_version": {"type": "string", "description": "Version of the questions the answers refer to."},
            "created": {"type": "string", "description": "When the file was saved (ISO 8601, UTC)."},
            "answers": tool.answers_schema(tool.load_bank()),
            "result": {"type": "object"},
        },
        "additionalProperties": False,
    }


def all_record_schemas() -> dict[str, dict[str, Any]]:
    return {slug: record_schema(slug) for slug in TOOLS}


def project_schema() -> dict[str, Any]:
    """The schema of a project file: every registered tool's answers, each checked by the
    same answers schema as that tool's own record."""
    entries = {}
    for slug, tool in TOOLS.items():
        entries[slug] = {
            "type": "object",
            "description": f"The {tool.title}.",
            "required": ["bank_version", "answers"],
            "properties": {
                "tool_title": {"type": "string"},
                "bank_version": {"type": "string", "description": "Version of the questions the answers refer to."},
                "answers": tool.answers_schema(tool.load_bank()),
                "result": {"type": "object"},
            },
            "additionalProperties": False,
        }
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": "schemas/project.schema.json",
        "title": "Project file: every tool's answers for one project",
        "description": (
            "A project file downloaded from the “My project” page of the children's social care data analytics "
            "guide. `tools` holds the tools that have answers, keyed by the tool's slug. Each `result` is "
            "informative: on loading, the guide works it out again from `answers`. A tool this version of the guide "
            "does not know is skipped on loading, with a note."
        ),
        "type": "object",
        "required": ["format", "format_version", "created", "tools"],
        "properties": {
            "format": {"const": PROJECT_FORMAT},
            "format_version": {"type": "integer", "minimum": 1, "maximum": PROJECT_FORMAT_VERSION},
            "created": {"type": "string", "description": "When the file was saved (ISO 8601, UTC)."},
            "title": {"type": "string", "maxLength": MAX_TITLE_CHARACTERS, "description": "The project's name."},
            "tools": {
                "type": "object",
                "properties": entries,
                "propertyNames": {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                # A tool added in a later version of the guide: its answers cannot be
                # checked here, and this version skips them.
                "additionalProperties": {
                    "type": "object",
                    "required": ["bank_version", "answers"],
                    "properties": {"bank_version": {"type": "string"}, "answers": {"type": "object"}},
                },
            },
        },
        "additionalProperties": False,
    }
