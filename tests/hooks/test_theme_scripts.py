"""The theme's script bundle is found in the installed theme, or the build says why not."""

from __future__ import annotations

from pathlib import Path

import material
import pytest
from mkdocs.exceptions import PluginError

from support_build import load_build_module

theme_scripts = load_build_module("theme_scripts")
THEME = Path(material.__file__).parent / "templates"


def test_the_bundle_named_by_the_theme_is_found_and_exists():
    bundle = theme_scripts.theme_bundle([str(THEME)])
    assert bundle.startswith("assets/javascripts/bundle.") and (THEME / bundle).is_file()


def test_our_overrides_folder_comes_first_and_is_skipped():
    overrides = Path(__file__).resolve().parents[2] / "overrides"
    assert theme_scripts.theme_bundle([str(overrides), str(THEME)]) == theme_scripts.theme_bundle([str(THEME)])


def test_a_theme_without_the_bundle_stops_the_build_with_a_reason(tmp_path):
    (tmp_path / "base.html").write_text("<html><body></body></html>", "utf-8")
    with pytest.raises(PluginError, match="script bundle"):
        theme_scripts.theme_bundle([str(tmp_path)])
