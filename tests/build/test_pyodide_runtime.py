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


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site folder after the hook has run (once for these tests: it copies 14 MB)."""
    folder = tmp_path_factory.mktemp("site")
    runtime.on_post_build(SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"), site_dir=str(folder)))
    return folder


def test_post_build_copies_the_runtime_and_the_wheel(site):
    target = site / "assets" / "pyodide"
    names = {path.name for path in target.iterdir()}
    manifest = json.loads((target / "cssc-runtime.json").read_text("utf-8"))
    assert names == set(runtime.PYODIDE_FILES) | {manifest["wheel"], "cssc-runtime.json"}
    with zipfile.ZipFile(target / manifest["wheel"]) as wheel:
        listed = wheel.namelist()
        assert "assessments/api.py" in listed and "assessments/banks/data-maturity.toml" in listed
        sources = [name for name in listed if name.endswith(".py")]
        compiled = [name for name in listed if name.endswith(".pyc")]
        assert len(compiled) == len(sources)  # each module also as bytecode, so the browser need not compile it
        assert all("/__pycache__/" in name for name in compiled)
        record = wheel.read(f"assessments-{assessments.__version__}.dist-info/RECORD").decode()
        assert all(name in record for name in listed)


def test_the_standard_library_modules_the_tools_use_are_shipped_as_bytecode(site):
    with zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip") as original:
        modules = {name for name in original.namelist() if name.endswith(".py")}
    with zipfile.ZipFile(site / "assets" / "pyodide" / "python_stdlib.zip") as shipped:
        names = set(shipped.namelist())
    as_bytecode = {name for name in modules if name + "c" in names}
    # Every module is still there, once: as bytecode if the tools use it, else as source.
    assert all((name in names) != (name in as_bytecode) for name in modules)
    assert {"dataclasses.py", "json/__init__.py", "tomllib/_parser.py", "html/__init__.py"} <= as_bytecode
    assert 50 < len(as_bytecode) < len(modules) / 2  # only what is used: the rest would add megabytes


def test_the_wheel_is_the_same_byte_for_byte_every_build(tmp_path):
    first = runtime.build_wheel(ROOT / "assessments", tmp_path / "a").read_bytes()
    second = runtime.build_wheel(ROOT / "assessments", tmp_path / "b").read_bytes()
    assert first == second


def test_a_missing_runtime_says_to_run_npm_ci(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    with pytest.raises(PluginError, match="npm ci"):
        runtime.on_post_build(SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "s")))
