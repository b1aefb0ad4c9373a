"""The test and monitor tool's worked cases, inside Pyodide under Node with the runtime and
wheel the site ships: the same report as CPython, figure for figure."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from support_build import ROOT, load_build_module, run_in_pyodide_command

pytestmark = pytest.mark.pyodide

# The same code runs on both sides: the worked cases' reports, without their timestamps.
SCRIPT = """
import json, sys
from assessments.data.loader import ByteSource
from assessments.monitor.model import load_test_monitor_bank, settings_from_answers
from assessments.monitor.report import report
from assessments.monitor.cases import cases_from_counts, open_cases
out = {"platform": sys.platform, "reports": []}
bank = load_test_monitor_bank()
for worked in bank.worked_cases:
    data = cases_from_counts(worked.group_column, worked.groups).encode()
    answers = {**worked.answers, "outcome-column": "Outcome", "prediction-column": "Prediction",
               "group-column-1": worked.group_column}
    cases = open_cases(ByteSource.from_bytes(data)._read_at, len(data), "worked.csv", answers)[1]
    result = report(cases, settings_from_answers(answers), bank)
    result.pop("created")
    out["reports"].append(result)
print(json.dumps(out))
"""


def test_the_worked_cases_give_the_same_report_in_pyodide_and_cpython(tmp_path):
    assert shutil.which("node"), "Node.js is needed for the Pyodide tests"
    runtime = tmp_path / "runtime"
    wheel = load_build_module("pyodide_runtime").write_runtime(ROOT, runtime)
    script = tmp_path / "worked.py"
    script.write_text(SCRIPT, "utf-8")
    done = subprocess.run(
        run_in_pyodide_command(runtime, wheel, script),
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, load_build_module("pyodide_runtime").python_error(done.stderr)
    in_pyodide = json.loads(done.stdout.strip().splitlines()[-1])
    printed: list[str] = []
    exec(SCRIPT.replace("print(", "printed.append("), {"printed": printed})
    here = json.loads(printed[0])
    assert in_pyodide["platform"] == "emscripten" and here["platform"] != "emscripten"
    assert len(in_pyodide["reports"]) == len(here["reports"]) >= 2
    for theirs, ours in zip(in_pyodide["reports"], here["reports"]):
        assert theirs == ours
        assert ours["group_columns"][0]["groups"]  # a report with groups, not two empty ones
