"""The data quality check's worked example, checked inside Pyodide under Node with the
runtime and wheels the site ships: the same counts as CPython, for the CSV file and for
the workbook (openpyxl loaded with loadPackage, as the browser's worker loads it)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from support_build import ROOT, load_build_module, run_in_pyodide_command
from support_data_quality import EXPECTED, SETTINGS, TODAY, defective_csv, defective_xlsx

pytestmark = pytest.mark.pyodide

SCRIPT = """
import json, sys
from datetime import date
import pyodide_js
from pyodide.ffi import to_js
from assessments.data_quality.model import CheckRun

host = sys.argv[1]
wheels = json.load(open(host + "/wheels.json"))
await pyodide_js.loadPackage(to_js(["file://" + path for path in wheels]))
settings = json.load(open(host + "/settings.json"))
out = {"platform": sys.platform}
for name, sheet in (("referrals.csv", ""), ("referrals.xlsx", "Referrals")):
    data = open(host + "/" + name, "rb").read()
    view = memoryview(data)
    run = CheckRun(lambda offset, length: view[offset:offset + length].tobytes(), len(data), name,
                   settings["answers"], sheet, date.fromisoformat(settings["today"]))
    report = run.finish()
    out[name] = [[d["id"], f["column"], f["check"], f["rows"]] for d in report["dimensions"] for f in d["findings"]]
print(json.dumps(out))
"""


def test_the_worked_example_gives_the_same_counts_in_pyodide(tmp_path):
    assert shutil.which("node"), "Node.js is needed for the Pyodide tests"
    runtime = tmp_path / "runtime"
    wheel = load_build_module("pyodide_runtime").write_runtime(ROOT, runtime)
    wheels = [str(path) for path in load_build_module("workbook_wheels").cached_wheels(ROOT)]
    host = tmp_path / "host"
    host.mkdir()
    (host / "referrals.csv").write_bytes(defective_csv())
    (host / "referrals.xlsx").write_bytes(defective_xlsx())
    (host / "wheels.json").write_text(json.dumps(wheels))
    (host / "settings.json").write_text(json.dumps({"answers": SETTINGS, "today": TODAY}))
    script = host / "check.py"
    script.write_text(SCRIPT, "utf-8")
    done = subprocess.run(
        run_in_pyodide_command(runtime, wheel, script, host, host),
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, load_build_module("pyodide_runtime").python_error(done.stderr)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["platform"] == "emscripten"
    for name in ("referrals.csv", "referrals.xlsx"):
        assert {(d, c, check): rows for d, c, check, rows in out[name]} == EXPECTED, name
