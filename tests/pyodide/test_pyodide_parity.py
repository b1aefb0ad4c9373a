"""Every bank example, scored inside Pyodide under Node, equals CPython's result.

This proves the package really runs unchanged in the browser's Python (Pyodide 314
runs Python 3.14; the machines run 3.11), with the same wheel the site ships, and
that export/import round-trips there too. Fast: no browser.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from assessments import api
from assessments.tools import TOOLS
from support_build import ROOT, load_build_module

pytestmark = pytest.mark.pyodide

# The same code runs on both sides: it prints one JSON line per tool example.
PARITY_SCRIPT = """
import json
from assessments import api
from assessments.tools import TOOLS
out = []
for slug, tool in sorted(TOOLS.items()):
    for example in tool.load_bank().examples:
        scored = json.loads(api.handle(json.dumps({"op": "score", "tool": slug, "answers": dict(example.answers)})))
        exported = json.loads(api.handle(json.dumps({"op": "export", "tool": slug, "answers": dict(example.answers)})))
        imported = json.loads(api.handle(json.dumps({"op": "import", "tool": slug, "text": exported["text"]})))
        out.append({"tool": slug, "example": example.name, "scored": scored,
                    "round_trip": imported["ok"] and imported["answers"] == scored_answers(tool, example)})
print(json.dumps(out))
"""
HELPERS = """
def scored_answers(tool, example):
    return tool.validate_answers(dict(example.answers))
"""


def run_cpython() -> list[dict]:
    namespace: dict = {}
    printed: list[str] = []
    exec(HELPERS + PARITY_SCRIPT.replace("print(", "printed.append("), {"printed": printed, **namespace})
    return json.loads(printed[0])


@pytest.fixture(scope="module")
def pyodide_results(tmp_path_factory) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node.js is needed for the Pyodide parity test"
    pyodide_dir = ROOT / "node_modules" / "pyodide"
    assert (pyodide_dir / "pyodide.mjs").is_file(), "run `npm ci` first"
    tmp = tmp_path_factory.mktemp("pyodide")
    wheel = load_build_module("pyodide_runtime").build_wheel(ROOT / "assessments", tmp)
    script = tmp / "parity.py"
    script.write_text(HELPERS + PARITY_SCRIPT, "utf-8")
    done = subprocess.run(
        [node, str(Path(__file__).with_name("run_in_pyodide.mjs")), str(pyodide_dir), str(wheel), str(script)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]  # Pyodide prints its whole bundle on some errors
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_pyodide_runs_python_3_11_or_newer_and_the_wheel_holds_every_bank(pyodide_results):
    tools_seen = {row["tool"] for row in pyodide_results}
    assert tools_seen == {slug for slug, tool in TOOLS.items() if tool.load_bank().examples}


def test_every_example_scores_the_same_in_pyodide_and_cpython(pyodide_results):
    cpython = run_cpython()
    assert len(pyodide_results) == len(cpython) > 0
    for in_browser, here in zip(pyodide_results, cpython):
        assert in_browser["example"] == here["example"]
        assert in_browser["scored"] == here["scored"], f"{here['tool']}: {here['example']}"


def test_export_and_import_round_trip_inside_pyodide(pyodide_results):
    assert all(row["round_trip"] for row in pyodide_results)
