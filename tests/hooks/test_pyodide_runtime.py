"""The runtime hook copies only what the browser needs, writes a loadable wheel, and, where
the site is set up for it, the snapshot of Python the browser starts from."""

from __future__ import annotations

import hashlib
import json
import struct
import tomllib
import zipfile
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import assessments
from support_build import ROOT, load_build_module

runtime = load_build_module("pyodide_runtime")
precompress = load_build_module("precompress")


def run_hook(folder, snapshot: bool):
    """The runtime hook, as after `mkdocs build`, with Python's snapshot turned on or off."""
    config = runtime.on_config(SimpleNamespace(extra={runtime.SNAPSHOT_SETTING: snapshot}))
    runtime.on_post_build(SimpleNamespace(config_file_path=str(ROOT / "mkdocs.yml"), site_dir=str(folder),
                                          extra=config.extra))
    return folder


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site folder after the hook has run with the snapshot on (once for these tests:
    it copies 14 MB)."""
    return run_hook(tmp_path_factory.mktemp("site"), snapshot=True)


def test_post_build_copies_the_runtime_and_the_wheel(site):
    target = site / "assets" / "pyodide"
    names = {path.name for path in target.iterdir()}
    manifest = json.loads((target / "cssc-runtime.json").read_text("utf-8"))
    assert names == set(runtime.PYODIDE_FILES) | {manifest["wheel"], "cssc-runtime.json", runtime.SNAPSHOT_FILE,
                                                  runtime.TOOLS_STDLIB_FILE}


def test_by_default_the_build_makes_no_snapshot_and_names_none(tmp_path):
    assert runtime.on_config(SimpleNamespace(extra={})).extra[runtime.SNAPSHOT_SETTING] is False
    target = run_hook(tmp_path, snapshot=False) / "assets" / "pyodide"
    assert not (target / runtime.SNAPSHOT_FILE).exists()
    manifest = json.loads((target / "cssc-runtime.json").read_text("utf-8"))
    assert set(manifest) == {"wheel", "runtime", "pyodide"}
    with zipfile.ZipFile(target / manifest["wheel"]) as wheel:
        listed = wheel.namelist()
        assert "assessments/api.pyc" in listed
        # Each bank parsed already, in place of its TOML, with exactly the TOML's content.
        banks = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "assessments" / "banks").rglob("*.toml"))
        assert sorted(name.removesuffix(".json") for name in listed if "/banks/" in name) == banks
        assert [name for name in listed if "/banks/" in name and not name.endswith(".toml.json")] == []
        assert json.loads(wheel.read("assessments/banks/data-maturity.toml.json")) == \
            tomllib.loads((ROOT / "assessments" / "banks" / "data-maturity.toml").read_text("utf-8"))
        # Each module as bytecode in place of its source, so the browser need not compile it.
        modules = {path.relative_to(ROOT).as_posix() for path in (ROOT / "assessments").rglob("*.py")}
        assert {name[:-1] for name in listed if name.endswith(".pyc")} == modules
        assert not [name for name in listed if name.endswith(".py")]
        record = wheel.read(f"assessments-{assessments.__version__}.dist-info/RECORD").decode()
        assert all(name in record for name in listed)


def test_the_sites_own_archives_are_stored_so_the_server_compresses_them_whole(site):
    target = site / "assets" / "pyodide"
    manifest = json.loads((target / "cssc-runtime.json").read_text("utf-8"))
    for name in (runtime.TOOLS_STDLIB_FILE, manifest["wheel"]):
        with zipfile.ZipFile(target / name) as archive:
            assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}, name
        assert precompress.is_stored_archive(target / name)  # so the build writes its .gz and .br
    # Pyodide's own library is deflated member by member: compressing it again gains nothing.
    assert not precompress.is_stored_archive(target / "python_stdlib.zip")


def test_python_starts_with_only_the_standard_library_modules_the_tools_use_as_bytecode(site):
    published = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
    with zipfile.ZipFile(published) as original:
        modules = {name for name in original.namelist() if name.endswith(".py")}
    target = site / "assets" / "pyodide"
    with zipfile.ZipFile(target / runtime.TOOLS_STDLIB_FILE) as small:
        names = set(small.namelist())
        left_out = set(small.read("cssc_stdlib_rest.txt").decode().split())
    as_bytecode = {name[:-1] for name in names if name.endswith(".pyc")} - {"cssc_stdlib_fallback.py"}
    # Only bytecode, each a module of Pyodide's own standard library, no source to compile.
    assert as_bytecode <= modules and not any(name.endswith(".py") for name in names)
    assert {"dataclasses.py", "json/__init__.py", "html/__init__.py", "csv.py",
            "encodings/cp1252.py", "xml/etree/ElementTree.py"} <= as_bytecode  # tools, data files, workbooks
    # The banks arrive parsed, so TOML's reader is not among them: fetched only if needed.
    assert "tomllib/_parser.py" not in as_bytecode
    assert 100 < len(as_bytecode) < len(modules) / 2  # found by running the tools: not all of it
    # Every other module is named for the finder that fetches the whole library for it...
    dotted = {name[:-3].removesuffix("/__init__").replace("/", ".") for name in modules - as_bytecode}
    assert left_out == dotted and "wave" in left_out and "xml.dom.minidom" in left_out
    # ...which is Pyodide's own, unchanged.
    assert (target / "python_stdlib.zip").read_bytes() == published.read_bytes()


def test_the_wheel_is_the_same_byte_for_byte_every_build(tmp_path):
    first = runtime.build_wheel(ROOT / "assessments", tmp_path / "a").read_bytes()
    second = runtime.build_wheel(ROOT / "assessments", tmp_path / "b").read_bytes()
    assert first == second


def test_a_missing_runtime_says_to_run_npm_ci(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    with pytest.raises(PluginError, match="npm ci"):
        runtime.on_post_build(SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "s"),
                                              extra={runtime.SNAPSHOT_SETTING: False}))


def unpack_snapshot(file: bytes) -> tuple[str, bytes]:
    """(label, memory): what cssc-worker.js's unpackSnapshot does, for checking the file."""
    assert file[:8] == runtime.SNAPSHOT_MAGIC
    version, length, count = struct.unpack_from("<III", file, 8)
    assert version == 1
    label = file[20:36].decode("ascii")
    memory = bytearray(length)
    start = 36 + 8 * count
    for index in range(count):
        offset, size = struct.unpack_from("<II", file, 36 + 8 * index)
        memory[offset:offset + size] = file[start:start + size]
        start += size
    assert start == len(file)
    return label, bytes(memory)


def test_the_snapshot_leaves_out_only_pages_of_zeros():
    page = 4096
    memory = bytes(page) + b"\x01" * page + b"\x02" * 10 + bytes(page - 10) + bytes(3 * page) + b"end" + bytes(page - 3)
    sparse = runtime.sparse_snapshot(memory, "0123456789abcdef")
    assert unpack_snapshot(sparse) == ("0123456789abcdef", memory)
    # Two stretches: the two pages side by side join up; four pages of zeros are left out.
    assert struct.unpack_from("<I", sparse, 16)[0] == 2
    assert len(sparse) == 36 + 2 * 8 + 3 * page


def test_the_snapshot_is_labelled_for_this_wheel_and_standard_library_and_holds_the_tools(site):
    target = site / "assets" / "pyodide"
    manifest = json.loads((target / "cssc-runtime.json").read_text("utf-8"))
    stdlib, wheel = (target / runtime.TOOLS_STDLIB_FILE).read_bytes(), (target / manifest["wheel"]).read_bytes()
    label, memory = unpack_snapshot((target / runtime.SNAPSHOT_FILE).read_bytes())
    assert label == manifest["runtime"] == hashlib.sha256(stdlib + wheel).hexdigest()[:16]
    assert memory[:4] == b"\x00snp"  # Pyodide's own mark for a snapshot
    # Python's memory with the tools imported: their code is in it...
    assert b"handle_request" in memory and b"assessments.api" in memory
    # ...in a file well under the 30 MB Pyodide saves.
    assert (target / runtime.SNAPSHOT_FILE).stat().st_size < 0.6 * len(memory)


@pytest.mark.parametrize("setting", ["PREFETCH_SETTING", "SNAPSHOT_SETTING"])
def test_the_runtime_options_are_off_unless_turned_on_and_anything_but_true_or_false_stops_the_build(setting):
    name = getattr(runtime, setting)
    assert runtime.on_config(SimpleNamespace(extra={})).extra[name] is False
    assert runtime.on_config(SimpleNamespace(extra={name: True})).extra[name]
    with pytest.raises(PluginError, match=f"extra.{name} .* must be true or false, not 'yes please'"):
        runtime.on_config(SimpleNamespace(extra={name: "yes please"}))
