"""Runs inside Pyodide, under Node, at build time (see precompile_runtime in
pyodide_runtime.py): compiles to bytecode the Python a reader's browser would otherwise
compile from source on every first visit.

    sys.argv[1:] = <python_stdlib.zip out> <bytecode.zip out>

The standard library comes from the one this Pyodide runs on (/lib/python314.zip).

Compiling here, in the very Python the browser runs, guarantees the bytecode matches it.
The bytecode is "unchecked hash" bytecode, so Python uses it without comparing it with
the source's date, which an unpacked wheel does not keep.
"""

import json
import py_compile
import sys
import zipfile
from pathlib import Path

import assessments
from assessments import api
from assessments.tools import TOOLS

STDLIB_OUT, BYTECODE_OUT = sys.argv[1:3]
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


def write_stdlib(in_use: set[str], stdlib_zip: str) -> None:
    """The same archive with each module in use as bytecode only. The rest stay source:
    compiling all of it would add about 2 MB to every first visit."""
    with zipfile.ZipFile(stdlib_zip) as source, zipfile.ZipFile(STDLIB_OUT, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in in_use:
                compiled = zipfile.ZipInfo(info.filename + "c", date_time=info.date_time)
                compiled.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(compiled, bytecode(data, f"{stdlib_zip}/{info.filename}"))
            else:
                out.writestr(info, data)


def write_package_bytecode() -> None:
    """assessments/__pycache__/<module>.<tag>.pyc for every module of the package."""
    package_dir = Path(assessments.__file__).parent
    site_packages = package_dir.parent
    with zipfile.ZipFile(BYTECODE_OUT, "w", zipfile.ZIP_DEFLATED) as out:
        for source in sorted(package_dir.rglob("*.py")):
            relative = source.relative_to(site_packages)
            name = relative.parent / "__pycache__" / f"{source.stem}.{sys.implementation.cache_tag}.pyc"
            out.writestr(zipfile.ZipInfo(name.as_posix(), date_time=ZIP_DATE),
                         bytecode(source.read_bytes(), str(source)))


def main() -> None:
    stdlib_zip = next(entry for entry in sys.path if entry.endswith(".zip"))
    SCRATCH.mkdir(parents=True, exist_ok=True)
    exercise_every_tool()
    in_use = stdlib_modules_in_use(stdlib_zip)
    write_stdlib(in_use, stdlib_zip)
    write_package_bytecode()
    print(json.dumps({"stdlib_modules": len(in_use)}))


main()
