"""The build stops when answers saved with the last release would not carry over."""

from __future__ import annotations

import json

import pytest
from mkdocs.exceptions import PluginError

from assessments.tools import TOOLS
from support_build import load_build_module

released_ids = load_build_module("released_ids")


def test_the_real_banks_pass(repo_root):
    assert released_ids.on_files("files", config=None) == "files"


def test_a_released_id_gone_without_a_migration_stops_the_build_naming_it(tmp_path, monkeypatch):
    frozen = released_ids.answer_ids(TOOLS["ethics-triage"])
    frozen["answers"]["question-since-removed"] = ["yes", "no"]
    (tmp_path / "ethics-triage.json").write_text(json.dumps(frozen), "utf-8")
    monkeypatch.setattr(released_ids, "RELEASED_DIR", tmp_path)
    with pytest.raises(PluginError) as stopped:
        released_ids.on_files("files", config=None)
    version = TOOLS["ethics-triage"].version
    assert f"the answer id 'question-since-removed' (released in version {version}) is gone" in str(stopped.value)
    assert "the bank's version did not rise" in str(stopped.value)


def test_freezing_writes_what_the_check_reads(tmp_path):
    released_ids.freeze({"data-maturity": TOOLS["data-maturity"]}, tmp_path)
    frozen = json.loads((tmp_path / "data-maturity.json").read_text("utf-8"))
    assert frozen["version"] == TOOLS["data-maturity"].version
    assert frozen["answers"]["leaders-use-data"] == ["not-yet", "in-places", "partly", "mostly", "embedded", "dont-know"]
    assert released_ids.check_released({"data-maturity": TOOLS["data-maturity"]}, tmp_path) == []
