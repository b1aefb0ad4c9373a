"""The Word writer's library is shipped in the site from node_modules (npm ci), not a CDN."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from support_build import ROOT, load_build_module

word_writer = load_build_module("word_writer")


def test_the_pinned_library_and_its_licence_are_copied_into_the_site(tmp_path):
    folder = word_writer.ship_library(ROOT, tmp_path)
    assert folder == tmp_path / "assets" / "vendor" / "docx"
    shipped = (folder / "docx.mjs").read_text("utf-8")
    assert shipped == (ROOT / "node_modules" / "docx" / "dist" / "index.mjs").read_text("utf-8")
    # One self-contained module: nothing else to fetch, from here or elsewhere.
    assert "\nimport " not in shipped and "from \"http" not in shipped
    assert "MIT" in (folder / "LICENSE").read_text("utf-8")


def test_a_missing_library_fails_the_build_saying_what_to_run(tmp_path):
    with pytest.raises(PluginError, match="npm ci"):
        word_writer.ship_library(tmp_path, tmp_path / "site")
