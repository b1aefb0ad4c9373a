"""Every export validates against the published schema; bad records do not."""

from __future__ import annotations

import jsonschema
import pytest

from support_records import export_record
from assessments.schema import all_record_schemas, record_schema
from assessments.tools import TOOLS

EXAMPLES = [(slug, example) for slug, tool in TOOLS.items() for example in tool.load_bank().examples]


@pytest.mark.parametrize("slug", sorted(TOOLS))
def test_schemas_are_valid_json_schema(slug):
    jsonschema.Draft202012Validator.check_schema(record_schema(slug))


@pytest.mark.parametrize("slug, example", EXAMPLES, ids=lambda value: getattr(value, "name", value))
def test_every_example_export_matches_the_schema(slug, example):
    jsonschema.validate(export_record(slug, dict(example.answers)), record_schema(slug))


def test_the_schema_refuses_what_import_refuses():
    slug, example = EXAMPLES[0]
    record = export_record(slug, dict(example.answers))
    for broken in (
        {**record, "tool": "something-else"},
        {**record, "format_version": 99},
        {**record, "answers": {"not-a-question": "x"}},
        {key: value for key, value in record.items() if key != "answers"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, record_schema(slug))


def test_one_schema_per_tool():
    assert set(all_record_schemas()) == set(TOOLS)
