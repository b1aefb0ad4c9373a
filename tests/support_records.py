"""Records for tests: a tool's worked example with hostile text in every answer that
the tool takes as free text, so the file is accepted and the text must come back inert."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import jsonschema
from hypothesis import strategies as st

from assessments.core import records
from assessments.tools import TOOLS, context_tools_of
from support_banks import bank_parts

# Markup that would run, or show as bold, if a page ever put it in as HTML.
PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b>'


# The package is handed resolved tools (api.py looks each up once); tests name them by
# slug, so these look the tool and the tools it summarises up as api.py does.

def export_record(tool: Any, answers: Any, created: str | None = None, context: Any = None) -> dict[str, Any]:
    tool = TOOLS[tool] if isinstance(tool, str) else tool
    return records.export_record(tool, answers, created, context, context_tools_of(tool))


def import_record(tool: Any, text: Any, context: Any = None) -> records.ImportedRecord:
    tool = TOOLS[tool] if isinstance(tool, str) else tool
    return records.import_record(tool, text, context, context_tools_of(tool))


def score_with_context(tool: Any, answers: dict[str, Any], context: Any = None) -> Any:
    tool = TOOLS[tool] if isinstance(tool, str) else tool
    return records.score_with_context(tool, answers, context, context_tools_of(tool))


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


# --- Answers a tool must accept, generated from its published JSON Schema -------------

def _value_for(item: dict[str, Any], exclusive: set[str]) -> st.SearchStrategy:
    if "enum" in item:
        return st.sampled_from(item["enum"])
    if item.get("type") == "array":
        inner = item["items"]
        if "const" in inner:
            return st.just([inner["const"]])
        # An exclusive option ("None of these") is ticked on its own, which the schema
        # cannot say.
        alone = [option for option in inner["enum"] if option in exclusive]
        others = [option for option in inner["enum"] if option not in exclusive]
        many = st.lists(st.sampled_from(others), min_size=max(item.get("minItems", 0), 1), unique=True)
        return st.one_of(many, *[st.just([option]) for option in alone])
    if item.get("pattern") == DATE_PATTERN:
        return st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)).map(date.isoformat)
    if item.get("pattern") in NUMBER_PATTERNS:
        # A number typed as text (a threshold or a count): the schema says its shape, the
        # bank its range; 1 to 100 fits every such field of every tool.
        return st.integers(1, 100).map(str)
    if item.get("type") == "string" and "pattern" not in item:
        # Text as a reader types it: any printable characters, never only spaces (an
        # empty answer is no answer), within the field's limit.
        return st.text(TYPED, min_size=1, max_size=min(item.get("maxLength", 60), 60)).filter(str.strip)
    raise AssertionError(f"no strategy for answers of this shape: {item}")


def _exclusive_options(bank: Any) -> list[str]:
    """Ids of the options a bank marks `exclusive`, wherever they are in its model."""
    return [part.id for part in bank_parts(bank) if getattr(part, "exclusive", False)]


NUMBER_PATTERNS = {r"^\s*[0-9]+(\.[0-9]*)?\s*$", r"^\s*[0-9]+\s*$", r"^\s*-?[0-9]+(\.[0-9]*)?%?\s*$"}
ORDERED_TOGETHER = {"score-lowest", "score-highest", "score-threshold"}
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TYPED = st.characters(blacklist_categories=("Cs", "Cc"))


def valid_answers(slug: str) -> st.SearchStrategy:
    """Answers to any of the tool's questions, each valid on its own terms."""
    tool = TOOLS[slug]
    bank = tool.load_bank()
    schema = tool.answers_schema(bank)
    exclusive = set(_exclusive_options(bank))
    # A score's lowest, highest and threshold values must be in order, which the schema
    # cannot say: they are left to the tool's own tests.
    fields = {name: _value_for(item, exclusive) for name, item in schema.get("properties", {}).items()
              if name not in ORDERED_TOGETHER}
    for pattern, item in schema.get("patternProperties", {}).items():
        # Repeating rows: "^row-(1|2|…)--user$" gives row-1--user … row-3--user.
        prefix, numbers, suffix = re.fullmatch(r"\^(.*)\(([\d|]+)\)(.*)\$", pattern).groups()
        for number in numbers.split("|")[:3]:
            fields[f"{prefix}{number}{suffix}"] = _value_for(item, exclusive)
    names = sorted(fields)
    return st.lists(st.sampled_from(names), unique=True, max_size=8).flatmap(
        lambda chosen: st.fixed_dictionaries({name: fields[name] for name in chosen}))


def schema_refuses(slug: str, answers: Any) -> bool:
    """True when the tool's published JSON Schema says these answers are not valid."""
    tool = TOOLS[slug]
    return not jsonschema.Draft202012Validator(tool.answers_schema(tool.load_bank())).is_valid(answers)
