"""What earlier releases saved still loads into this one, with the notice readers should see.

`tests/fixtures/releases/<release>/<tool>/` holds, frozen, what that release of the guide
saved for a tool: `storage.json` (its browser storage: one value per tool, as releases up
to 1.0.0 kept it, or from 1.1.0 one key per answer beside the version it answers) and
`record.json` (its Download JSON file), with `expected.json`: the answers this release
must make of them and the lines it must tell the reader (`left_out` for browser storage,
`record_notes` for the file; `storage_answers` where the storage holds other answers than
the file). From 1.1.0 a release also keeps one `project.json`, its My project file of
every tool. The fixtures are never edited once a release is out; when a bank changes, its
`expected.json` says what the new version makes of them (for example a removed question
named in `left_out`).
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
PROJECTS = sorted(RELEASES.glob("*/project.json"))


def _stored(tool, storage: dict[str, str]) -> tuple[dict, str | None]:
    """(answers, version of the questions) as a tool page reads them from what a release saved."""
    legacy = f"cssc-guide:v1:{tool.slug}"
    if legacy in storage:  # one value, with no version (it never had one)
        return json.loads(storage[legacy]), None
    prefix = f"cssc-guide:v2:{tool.slug}:answer:"
    answers = {key[len(prefix):]: json.loads(value) for key, value in storage.items() if key.startswith(prefix)}
    return answers, json.loads(storage[f"cssc-guide:v2:{tool.slug}:saved-with"])["bank_version"]


def test_every_tool_of_the_last_release_has_what_it_saved():
    # The tools the last release had (their ids are frozen in build/released/); a tool
    # added since has nothing saved by an earlier release.
    last = max((path.name for path in RELEASES.iterdir()), key=lambda name: tuple(map(int, name.split("."))))
    released = {path.stem for path in (ROOT / "build" / "released").glob("*.json")}
    assert released <= set(TOOLS) and {"data-maturity", "ethics-triage", "checklists"} <= released
    assert {path.name for path in (RELEASES / last).iterdir() if path.is_dir()} == released
    assert (RELEASES / last / "project.json").is_file()


@pytest.mark.parametrize("saved", SAVED, ids=lambda path: f"{path.parent.name}-{path.name}")
def test_browser_storage_of_an_earlier_release_loads_with_the_expected_notice(saved):
    tool = TOOLS[saved.name]
    expected = json.loads((saved / "expected.json").read_text("utf-8"))
    storage = json.loads((saved / "storage.json").read_text("utf-8"))
    answers, version = _stored(tool, storage)
    done = upgrade_answers(tool, answers, version)
    assert done.answers == expected.get("storage_answers", expected["answers"])
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


@pytest.mark.parametrize("saved", PROJECTS, ids=lambda path: path.parent.name)
def test_a_project_file_of_an_earlier_release_loads_every_tool_as_its_own_file_does(saved):
    text = saved.read_text("utf-8")
    project = import_project(text, {}, "replace")
    assert set(project.final) == set(json.loads(text)["tools"])
    for slug, answers in project.final.items():
        assert answers == json.loads((saved.parent / slug / "expected.json").read_text("utf-8"))["answers"], slug
    if saved.parent.name == "1.1.0":  # its transparency record follows ATRS v3.0: the reader is told what moved
        assert any(note.startswith("Algorithmic transparency record: The record now follows version 4.0")
                   for note in project.notes)


def _texts(value) -> list[str]:
    return [value] if isinstance(value, str) else [item for item in value if isinstance(item, str)]


def test_a_v3_transparency_record_keeps_every_answer_in_the_v4_record():
    # Release 1.1.0 saved a record of ATRS v3.0 (questions 2.0.0) with every field v4.0
    # renames or merges written; each text it held is in the v4.0 record, word for word.
    folder = RELEASES / "1.1.0" / "transparency-record"
    tool = TOOLS["transparency-record"]
    saved = json.loads((folder / "record.json").read_text("utf-8"))
    assert saved["bank_version"] == "2.0.0"
    now = import_record(tool, json.dumps(saved)).answers
    kept = "\n".join(text for value in now.values() for text in _texts(value))
    for name, value in saved["answers"].items():
        for text in _texts(value):
            assert text in kept or (name, text) == ("phase", "production") and now["phase"] == "production", name
    assert set(saved["answers"]) - set(now) >= {"scope", "process-integration", "provided-information",
                                                 "model-specifications-1--datasets"}
    # From browser storage, where the phase was "Pilot or beta", the phase alone is named to answer again.
    storage = json.loads((folder / "storage.json").read_text("utf-8"))
    done = upgrade_answers(tool, *_stored(tool, storage))
    assert "phase" not in done.answers and len(done.left_out) == 1 and "Answer \u201cPhase\u201d again" in done.left_out[0]
    assert done.notes and "version 4.0 of the standard" in done.notes[0]
