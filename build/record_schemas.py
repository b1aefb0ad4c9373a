"""MkDocs hook: publish the JSON Schema of every tool's saved record, and of the project
file that holds them all, under schemas/.

Generated from the same banks and model that validate imports in the page
(assessments.schema), so the published format can never drift from the real one.
"""

from __future__ import annotations

import json
from pathlib import Path

from assessments.schema import all_record_schemas, project_schema


def on_post_build(config):
    out = Path(config.site_dir) / "schemas"
    out.mkdir(parents=True, exist_ok=True)
    schemas = {f"{slug}.schema.json": schema for slug, schema in all_record_schemas().items()}
    schemas["project.schema.json"] = project_schema()
    for name, schema in schemas.items():
        (out / name).write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", "utf-8")
