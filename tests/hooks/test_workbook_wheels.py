"""build/workbook_wheels.py: the wheels that read workbooks go into the site, exactly as pinned."""

from __future__ import annotations

import hashlib
import json
import zipfile

from support_build import ROOT, load_build_module

hook = load_build_module("workbook_wheels")


def test_the_pinned_wheels_are_written_beside_the_runtime_and_listed_in_load_order(tmp_path):
    names = hook.write_workbook_wheels(ROOT, tmp_path)
    assert names == [name for name, _ in hook.WHEELS]
    assert names[0].startswith("et_xmlfile") and names[1].startswith("openpyxl")  # openpyxl needs et-xmlfile
    assert json.loads((tmp_path / hook.LIST_FILE).read_text("utf-8")) == {"wheels": names}
    for name, digest in hook.WHEELS:
        data = (tmp_path / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
        # Pure Python, so Pyodide can load it as it is.
        with zipfile.ZipFile(tmp_path / name) as wheel:
            tags = next(wheel.read(entry) for entry in wheel.namelist() if entry.endswith(".dist-info/WHEEL"))
        assert b"Root-Is-Purelib: true" in tags and b"none-any" in tags


def test_requirements_are_read_from_the_pinned_file_names():
    assert [hook._requirement(name) for name, _ in hook.WHEELS] == ["et-xmlfile==2.0.0", "openpyxl==3.1.5"]
