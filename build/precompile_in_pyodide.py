"""Runs inside Pyodide, under Node, at build time (see precompile_runtime in
pyodide_runtime.py): finds which modules of the standard library the tools use, by using
them, and compiles those and the package to bytecode, which a reader's browser would
otherwise compile from source on every first visit.

    sys.argv[1:] = <python_stdlib_tools.zip out> <bytecode.zip out> <stdlib_fallback.py>
                   [<workbook wheel>...]

The standard library comes from the one this Pyodide runs on (/lib/python314.zip, Pyodide's
own). The small archive holds only the modules seen in use, as bytecode, with the finder
that fetches the whole library for anything else (stdlib_fallback.py, and the list of
names it may fetch for).

Compiling here, in the very Python the browser runs, guarantees the bytecode matches it.
The bytecode is "unchecked hash" bytecode, so Python uses it without comparing it with
the source's date, which an unpacked wheel does not keep.
"""

import io
import json
import py_compile
import sys
import zipfile
from pathlib import Path

import assessments
from assessments import api
from assessments.data_quality import api as data_check_api
from assessments.monitor import api as test_monitor_api
from assessments.data.loader import _ENCODING_NAMES
from assessments.monitor.model import load_test_monitor_bank
from assessments.monitor.cases import cases_from_counts
from assessments.tools import TOOLS

STDLIB_OUT, BYTECODE_OUT, FALLBACK_SOURCE, *WORKBOOK_WHEELS = sys.argv[1:]
FALLBACK_MODULE = "cssc_stdlib_fallback"
SCRATCH = Path(BYTECODE_OUT).parent / "scratch"
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def ask(**request) -> dict:
    return json.loads(api.handle(json.dumps(request)))


def exercise_every_tool() -> None:
    """Import every module the tools can use, by using every tool once."""
    for slug, tool in TOOLS.items():
        examples = tool.load_bank().examples
        answers = dict(examples[0].answers) if examples else {}
        ask(op="score", tool=slug, answers=answers)
        exported = ask(op="export", tool=slug, answers=answers)
        ask(op="import", tool=slug, text=exported.get("text", ""))
        for export_format in tool.exports:
            ask(op="export_as", tool=slug, format=export_format, answers=answers)
    project = ask(op="project_export", tools={}, title="Precompile")
    ask(op="project_import", text=project.get("text", ""), current={}, mode="replace")
    ask(op="project_summary", tools={})
    record = dict(TOOLS["transparency-record"].load_bank().examples[0].answers)
    ask(op="project_pack", tools={"transparency-record": record}, title="Precompile")
    ask(op="project_pack", tools={"transparency-record": record}, title="Precompile", view="print")
    # The team view, from two colleagues' data maturity files, and two results compared.
    maturity = TOOLS["data-maturity"].load_bank().examples
    files = [{"name": f"colleague-{number}.json",
              "text": ask(op="export", tool="data-maturity", answers=dict(example.answers))["text"]}
             for number, example in enumerate(maturity[:2])]
    team = ask(op="team_combine", files=files)
    ask(op="team_compare", files=[files[0], {"name": "team.json", "text": team["downloads"]["json"]["text"]}])


def worked_case_file() -> tuple[str, dict]:
    """The test and monitor tool's first worked cases as a CSV file's text, and the answers
    that map its columns: a small file both tools that read data can take."""
    worked = load_test_monitor_bank().worked_cases[0]
    answers = {**worked.answers, "outcome-column": "Outcome", "prediction-column": "Prediction",
               "group-column-1": worked.group_column}
    return cases_from_counts(worked.group_column, worked.groups), answers


def check_file(data: bytes, name: str, answers: dict, sheet: str = "") -> None:
    """Read one file as the worker does, through both tools that read a reader's data."""
    view = memoryview(data)
    read_at = lambda offset, length: view[offset:offset + length].tobytes()  # noqa: E731
    for reply in (
        data_check_api.sheets(read_at, len(data), name),
        data_check_api.start(1, read_at, len(data), json.dumps({"file_name": name, "answers": {}, "sheet": sheet})),
        data_check_api.step(1, 1000),
        data_check_api.finish(1, ""),
        test_monitor_api.columns(read_at, len(data), name, sheet),
        test_monitor_api.analyse("current", read_at, len(data),
                                 json.dumps({"file_name": name, "answers": answers, "sheet": sheet})),
        test_monitor_api.rethreshold(json.dumps({"answers": answers})),
        test_monitor_api.download("current", "markdown"),
    ):
        assert json.loads(reply)["ok"], f"{name}: {reply[:500]}"
    test_monitor_api.forget()


async def exercise_data_tools() -> None:
    """Import what reading a data file uses: a CSV file in every encoding the loader
    recognises, and a workbook, with openpyxl loaded the way the worker loads it."""
    text, answers = worked_case_file()
    # A group name with an accent, so each encoding is really told apart and decoded.
    accented = text + "no,no,Café\r\n"
    for encoding in _ENCODING_NAMES:
        check_file(accented.encode(encoding), f"cases-{encoding}.csv", answers)
    if WORKBOOK_WHEELS:
        import pyodide_js
        from pyodide.ffi import to_js
        await pyodide_js.loadPackage(to_js(["file://" + wheel for wheel in WORKBOOK_WHEELS]))
        import openpyxl

        # Written here to be read back: writing may import a module or two that reading
        # alone would not, which then ships too (a few KB).
        workbook = openpyxl.Workbook()
        for line in text.splitlines():
            workbook.active.append(line.split(","))
        saved = io.BytesIO()
        workbook.save(saved)
        check_file(saved.getvalue(), "cases.xlsx", answers, workbook.active.title)
        # The transparency record's spreadsheet for the ATRS team, written with openpyxl.
        record = dict(TOOLS["transparency-record"].load_bank().examples[0].answers)
        assert ask(op="export_as", tool="transparency-record", format="xlsx", answers=record)["ok"]


def bytecode(source: bytes, shown_as: str) -> bytes:
    source_file, compiled_file = SCRATCH / "module.py", SCRATCH / "module.pyc"
    source_file.write_bytes(source)
    py_compile.compile(str(source_file), str(compiled_file), dfile=shown_as, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    return compiled_file.read_bytes()


def stdlib_modules_in_use(stdlib_zip: str) -> set[str]:
    prefix = stdlib_zip.rstrip("/") + "/"
    files = (getattr(module, "__file__", None) or "" for module in list(sys.modules.values()))
    return {file[len(prefix):] for file in files if file.startswith(prefix) and file.endswith(".py")}


def module_name(path: str) -> str:
    """"json/__init__.py" -> "json", "xml/dom/minidom.py" -> "xml.dom.minidom"."""
    parts = path[:-len(".py")].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def write_stdlib(in_use: set[str], stdlib_zip: str) -> int:
    """The small archive: each module in use, as bytecode only, and the finder for the rest
    with the names of the modules left out. Returns how many names that is."""
    # Members are stored, not deflated: the server compresses the archive as a whole (the
    # build's .gz and .br copies, build/precompress.py), which is smaller than deflating
    # each module on its own, because the modules share so much (names, imports).
    with zipfile.ZipFile(stdlib_zip) as source, zipfile.ZipFile(STDLIB_OUT, "w", zipfile.ZIP_STORED) as out:
        def add(name: str, data: bytes) -> None:
            out.writestr(zipfile.ZipInfo(name, date_time=ZIP_DATE), data, zipfile.ZIP_STORED)

        left_out = []
        for info in source.infolist():
            if info.filename in in_use:
                add(info.filename + "c", bytecode(source.read(info), f"{stdlib_zip}/{info.filename}"))
            elif info.filename.endswith(".py"):
                left_out.append(module_name(info.filename))
        fallback = Path(FALLBACK_SOURCE).read_bytes()
        add(f"{FALLBACK_MODULE}.pyc", bytecode(fallback, f"{stdlib_zip}/{FALLBACK_MODULE}.py"))
        add("cssc_stdlib_rest.txt", ("\n".join(sorted(left_out)) + "\n").encode())
    return len(left_out)


def write_package_bytecode() -> None:
    """assessments/<module>.pyc for every module of the package: where its source was, so
    the wheel can hold the bytecode in place of the source (Python imports a .pyc found
    there without looking for a source)."""
    package_dir = Path(assessments.__file__).parent
    site_packages = package_dir.parent
    with zipfile.ZipFile(BYTECODE_OUT, "w", zipfile.ZIP_DEFLATED) as out:
        for source in sorted(package_dir.rglob("*.py")):
            name = source.relative_to(site_packages).as_posix() + "c"
            out.writestr(zipfile.ZipInfo(name, date_time=ZIP_DATE), bytecode(source.read_bytes(), str(source)))


async def main() -> None:
    stdlib_zip = next(entry for entry in sys.path if entry.endswith(".zip"))
    SCRATCH.mkdir(parents=True, exist_ok=True)
    exercise_every_tool()
    await exercise_data_tools()
    in_use = stdlib_modules_in_use(stdlib_zip)
    left_out = write_stdlib(in_use, stdlib_zip)
    write_package_bytecode()
    print(json.dumps({"stdlib_modules": len(in_use), "left_out": left_out}))


await main()
