"""JSON Schemas for the downloaded records, generated from the banks and the record model.

The page validates imports with our own Python (records.py); this module describes the
same rules as JSON Schema (draft 2020-12) so other software, and the tests, can check a
file without this package. The build publishes one schema per tool at
`schemas/<tool>.schema.json`.
"""

from __future__ import annotations

from typing import Any

from .records import RECORD_FORMAT, RECORD_FORMAT_VERSION
from .tools import TOOLS, get_tool

__all__ = ["record_schema", "all_record_schemas", "SCHEMA_DIALECT"]

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
