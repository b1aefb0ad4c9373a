"""What earlier releases saved still loads into this one, with the notice readers should see.

`tests/fixtures/releases/<release>/<tool>/` holds, frozen, what that release of the guide
saved for a tool: `storage.json` (its browser storage: one value per tool, as releases up
to 1.0.0 kept it) and `record.json` (its Download JSON file), with `expected.json`: the
answers this release must make of them and the lines it must tell the reader (`left_out`
for browser storage, `record_notes` for the file). The fixtures are never edited once a
release is out; when a bank changes, its `expected.json` says what the new version makes
of them (for example a removed question named in `left_out`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessments.project.model import import_project
from support_records import import_record
from assessments.tools import TOOLS
from assessments.core.upgrade import upgrade_answers

ROOT = Path(__file__).resolve().parents[2]
RELEASES = ROOT / "tests" / "fixtures" / "releases"
SAVED = sorted(path for path in RELEASES.glob("*/*") if path.is_dir())


def test_every_tool_of_the_last_release_has_what_it_saved():
    # The tools the last release had (their ids are frozen in build/released/); a tool
    # added since has nothing saved by an earlier release.
    last = max((path.name for path in RELEASES.iterdir()), key=lambda name: tuple(map(int, name.split("."))))
    released = {path.stem for path in (ROOT / "build" / "released").glob("*.json")}
    assert released <= set(TOOLS) and {"data-maturity", "ethics-triage", "checklists"} <= released
    assert {path.name for path in (RELEASES / last).iterdir()} == released


@pytest.mark.parametrize("saved", SAVED, ids=lambda path: f"{path.parent.name}-{path.name}")
def test_browser_storage_of_an_earlier_release_loads_with_the_expected_notice(saved):
    tool = TOOLS[saved.name]
    expected = json.loads((saved / "expected.json").read_text("utf-8"))
    storage = json.loads((saved / "storage.json").read_text("utf-8"))
    # The page passes the old single value's answers with no version (it never had one).
    done = upgrade_answers(tool, json.loads(storage[f"cssc-guide:v1:{tool.slug}"]), None)
    assert done.answers == expected["answers"]
    assert list(done.left_out) == expected["left_out"]
    assert tool.score(done.answers) is not None


@pytest.mark.parametrize("saved", SAVED, ids=lambda path: f"{path.parent.name}-{path.name}")
def test_a_file_of_an_earlier_release_loads_on_its_page_and_in_a_project(saved):
    tool = TOOLS[saved.name]
    expected = json.loads((saved / "expected.json").read_text("utf-8"))
    text = (saved / "record.json").read_text("utf-8")
    imported = import_record(tool, text)
    assert imported.answers == expected["answers"]
    assert [note for note in imported.notes if not note.startswith("The result saved in the file differed")] == \
        expected["record_notes"]
    project = import_project(text, {}, "replace")
    assert project.final[tool.slug] == expected["answers"]
