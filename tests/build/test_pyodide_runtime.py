"""The runtime hook copies only what the browser needs and writes a loadable wheel."""

from __future__ import annotations

import json
import zipfile
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import assessments
from support_build import ROOT, load_build_module

runtime = load_build_module("pyodide_runtime")


def test_post_build_copies_the_runtime_and_the_wheel(tmp_path):
    runtime.on_post_build(SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path)))
    target = tmp_path / "assets" / "pyodide"
    names = {path.name for path in target.iterdir()}
    manifest = json.loads((target / "cssc-runtime.json").read_text("utf-8"))
    assert names == set(runtime.PYODIDE_FILES) | {manifest["wheel"], "cssc-runtime.json"}
    with zipfile.ZipFile(target / manifest["wheel"]) as wheel:
        listed = wheel.namelist()
        assert "assessments/api.py" in listed and "assessments/banks/data-maturity.toml" in listed
        assert not any("__pycache__" in name for name in listed)
        record = wheel.read(f"assessments-{assessments.__version__}.dist-info/RECORD").decode()
        assert all(name in record for name in listed)


def test_the_wheel_is_the_same_byte_for_byte_every_build(tmp_path):
    first = runtime.build_wheel(ROOT / "assessments", tmp_path / "a").read_bytes()
    second = runtime.build_wheel(ROOT / "assessments", tmp_path / "b").read_bytes()
    assert first == second


def test_a_missing_runtime_says_to_run_npm_ci(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    with pytest.raises(PluginError, match="npm ci"):
        runtime.on_post_build(SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "s")))
