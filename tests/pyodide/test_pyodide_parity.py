"""Every bank example, scored inside Pyodide under Node, equals CPython's result.

This proves the package really runs unchanged in the browser's Python (Pyodide 314
runs Python 3.14; the machines run 3.11), with the same runtime files and wheel the
site ships (precompiled to bytecode at build time), and that export/import
round-trips there too. Fast: no browser.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from assessments.tools import TOOLS
from support_build import ROOT, load_build_module, run_in_pyodide_command

pytestmark = pytest.mark.pyodide

# The same code runs on both sides: it prints one JSON line per tool example.
PARITY_SCRIPT = """
import json, sys
from assessments import api
from assessments.tools import TOOLS
out = [{"python": list(sys.version_info[:2]), "platform": sys.platform}]
for slug, tool in sorted(TOOLS.items()):
    for example in tool.load_bank().examples:
        scored = json.loads(api.handle(json.dumps({"op": "score", "tool": slug, "answers": dict(example.answers)})))
        exported = json.loads(api.handle(json.dumps({"op": "export", "tool": slug, "answers": dict(example.answers)})))
        imported = json.loads(api.handle(json.dumps({"op": "import", "tool": slug, "text": exported["text"]})))
        out.append({"tool": slug, "example": example.name, "scored": scored, "imported_ok": imported["ok"],
                    "round_trip": imported["ok"] and imported["answers"] == scored_answers(tool, example)})
# The data maturity team view's worked examples: each respondent's file, combined.
from assessments.data_maturity.model import load_data_maturity_bank
from assessments.core.records import export_record
for example in load_data_maturity_bank().team_examples:
    files = [{"name": f"respondent-{n}.json", "text": json.dumps(export_record(TOOLS["data-maturity"], dict(answers),
              created="2026-11-24T10:00:00Z"))} for n, answers in enumerate(example.respondents)]
    combined = json.loads(api.handle(json.dumps({"op": "team_combine", "files": files})))
    combined.pop("downloads", None)  # dated with the moment they were made
    out.append({"team_example": example.name, "example": example.name, "scored": combined})
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
def shipped_runtime(tmp_path_factory) -> tuple[Path, Path]:
    """(runtime folder, wheel) exactly as the build writes them into the site."""
    assert shutil.which("node"), "Node.js is needed for the Pyodide tests"
    assert (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file(), "run `npm ci` first"
    runtime = tmp_path_factory.mktemp("runtime")
    wheel = load_build_module("pyodide_runtime").write_runtime(ROOT, runtime)
    return runtime, wheel


def run_in_pyodide(shipped_runtime, script_text: str, tmp_path: Path) -> str:
    runtime, wheel = shipped_runtime
    script = tmp_path / "script.py"
    script.write_text(script_text, "utf-8")
    done = subprocess.run(
        run_in_pyodide_command(runtime, wheel, script),
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, load_build_module("pyodide_runtime").python_error(done.stderr)
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def pyodide_results(shipped_runtime, tmp_path_factory) -> list[dict]:
    return json.loads(run_in_pyodide(shipped_runtime, HELPERS + PARITY_SCRIPT, tmp_path_factory.mktemp("parity")))


def test_pyodide_runs_python_3_11_or_newer_and_the_wheel_holds_every_bank(pyodide_results):
    ran = pyodide_results[0]
    assert ran["platform"] == "emscripten"  # really Pyodide, not the Python running the tests
    assert tuple(ran["python"]) >= (3, 11)
    tools_seen = {row["tool"] for row in pyodide_results[1:] if "tool" in row}
    assert tools_seen == {slug for slug, tool in TOOLS.items() if tool.load_bank().examples}
    assert [row["team_example"] for row in pyodide_results if "team_example" in row] == \
        [example.name for example in TOOLS["data-maturity"].load_bank().team_examples]


def test_every_example_scores_the_same_in_pyodide_and_cpython(pyodide_results):
    cpython = run_cpython()
    assert cpython[0]["platform"] != "emscripten"
    assert len(pyodide_results) == len(cpython) > 1
    for in_browser, here in zip(pyodide_results[1:], cpython[1:]):
        assert in_browser["example"] == here["example"]
        # A result on both sides: the same error on both would otherwise pass.
        assert in_browser["scored"]["ok"] and here["scored"]["ok"], here["example"]
        assert in_browser["scored"] == here["scored"], here["example"]


def test_export_and_import_round_trip_inside_pyodide(pyodide_results):
    rows = [row for row in pyodide_results[1:] if "tool" in row]
    assert rows and [row["example"] for row in rows if not (row["imported_ok"] and row["round_trip"])] == []


# Records every module Python compiles from source while the tools are used.
BYTECODE_SCRIPT = """
import importlib._bootstrap_external as external, json, sys, zipimport
compiled_from_source = []
to_code = external.SourceLoader.source_to_code
def recording_source_to_code(self, data, path, *args, **kwargs):
    compiled_from_source.append(path)
    return to_code(self, data, path, *args, **kwargs)
external.SourceLoader.source_to_code = recording_source_to_code
zip_compile = zipimport._compile_source
def recording_zip_compile(pathname, source):
    compiled_from_source.append(pathname)
    return zip_compile(pathname, source)
zipimport._compile_source = recording_zip_compile
from assessments import api
from assessments.tools import TOOLS
for slug in TOOLS:
    api.handle(json.dumps({"op": "score", "tool": slug, "answers": {}}))
    api.handle(json.dumps({"op": "export", "tool": slug, "answers": {}}))
# The pages that use every tool at once, which import their own modules when first asked.
api.handle(json.dumps({"op": "project_summary", "tools": {}}))
record = json.loads(api.handle(json.dumps({"op": "export", "tool": "data-maturity", "answers": {}})))["text"]
files = [{"name": "a.json", "text": record}, {"name": "b.json", "text": record}]
team = json.loads(api.handle(json.dumps({"op": "team_combine", "files": files})))
api.handle(json.dumps({"op": "team_compare", "files": [files[0], {"name": "team.json",
                                                                   "text": team["downloads"]["json"]["text"]}]}))
loaded = [name for name in sys.modules if name.startswith("assessments")]
from_source_files = [name for name in loaded if not sys.modules[name].__file__.endswith(".pyc")]
rest_of_stdlib = sys.meta_path[-1]
print(json.dumps({"compiled_from_source": compiled_from_source, "package_modules": len(loaded),
                  "from_source_files": from_source_files,
                  "whole_stdlib_fetched": rest_of_stdlib.fetched, "finder": type(rest_of_stdlib).__name__}))
"""


def test_the_tools_load_precompiled_bytecode_in_pyodide(shipped_runtime, tmp_path):
    # A first visit would otherwise compile all of it from source in the reader's
    # browser: about a second of a two-core laptop's time.
    seen = json.loads(run_in_pyodide(shipped_runtime, BYTECODE_SCRIPT, tmp_path))
    assert seen["package_modules"] > 20
    assert seen["compiled_from_source"] == []
    assert seen["from_source_files"] == []  # the wheel holds bytecode in place of the source
    # Everything came from the tools' small standard library: the whole one was not needed.
    assert seen["finder"] == "RestOfStdlib" and seen["whole_stdlib_fetched"] is False


# Modules no tool imports: one of the standard library's own, and a submodule of a package
# whose other modules the tools do use (xml.etree is in the small archive, xml.dom is not).
FALLBACK_SCRIPT = """
import json, sys
shipped = next(entry for entry in sys.path if entry.endswith(".zip"))  # the small archive
import wave, xml.dom.minidom, xml.etree.ElementTree
document = xml.dom.minidom.parseString("<answer>yes</answer>")
try:
    import lxml
    optional = "imported"
except ImportError:
    optional = "not found"
print(json.dumps({"wave": wave.__file__, "minidom": xml.dom.minidom.__file__, "shipped": shipped,
                  "etree": xml.etree.ElementTree.__file__, "parsed": document.documentElement.firstChild.data,
                  "optional": optional}))
"""


def test_a_standard_library_module_the_tools_do_not_use_still_imports(shipped_runtime, tmp_path):
    seen = json.loads(run_in_pyodide(shipped_runtime, FALLBACK_SCRIPT, tmp_path))
    assert seen["parsed"] == "yes"
    # From the whole library, fetched when first needed; what the tools use, from the small one.
    assert seen["wave"].endswith("/wave.py") and not seen["wave"].startswith(seen["shipped"])
    assert seen["minidom"].endswith("/xml/dom/minidom.py") and not seen["minidom"].startswith(seen["shipped"])
    assert seen["etree"] == seen["shipped"] + "/xml/etree/ElementTree.pyc"
    assert seen["optional"] == "not found"  # a library's optional extra still fails plainly
