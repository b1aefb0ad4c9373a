"""The schema hook publishes a schema per tool and one for the project file."""

from __future__ import annotations

import json
from types import SimpleNamespace

from assessments.schema import all_record_schemas, project_schema
from support_build import load_build_module


def test_every_tool_schema_and_the_project_schema_are_published(tmp_path):
    load_build_module("record_schemas").on_post_build(SimpleNamespace(site_dir=str(tmp_path)))
    published = {path.name for path in (tmp_path / "schemas").iterdir()}
    assert published == {f"{slug}.schema.json" for slug in all_record_schemas()} | {"project.schema.json"}
    assert json.loads((tmp_path / "schemas" / "project.schema.json").read_text("utf-8")) == project_schema()
