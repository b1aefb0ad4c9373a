"""Records for tests: a tool's worked example with hostile text in every answer that
the tool takes as free text, so the file is accepted and the text must come back inert."""

from __future__ import annotations

import re
from typing import Any

from assessments.records import export_record
from assessments.tools import TOOLS

# Markup that would run, or show as bold, if a page ever put it in as HTML.
PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b>'


def _is_free_text(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" and not {"enum", "pattern", "const"} & set(schema)


def free_text_names(slug: str, answers: dict[str, Any]) -> list[str]:
    """Every answer the tool's schema takes as free text: its named properties, and those
    of `answers` that match a pattern (repeating rows)."""
    tool = TOOLS[slug]
    schema = tool.answers_schema(tool.load_bank())
    names = [name for name, item in schema.get("properties", {}).items() if _is_free_text(item)]
    for pattern, item in schema.get("patternProperties", {}).items():
        names += [name for name in answers if re.search(pattern, name) and _is_free_text(item)]
    return names


def example_answers(slug: str) -> dict[str, Any]:
    return dict(TOOLS[slug].load_bank().examples[0].answers)


def hostile_record(slug: str) -> dict[str, Any]:
    """The tool's first worked example as a saved file, with PAYLOAD in every free-text
    answer and in the parts of the file that are only for people reading it."""
    answers = example_answers(slug)
    record = export_record(slug, answers)
    record["answers"] = {**answers, **{name: PAYLOAD for name in free_text_names(slug, answers)}}
    record["tool_title"] = PAYLOAD
    record["result"] = {"summary": PAYLOAD}
    return record
