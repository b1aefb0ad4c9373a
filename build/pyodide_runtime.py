"""MkDocs hook: put the Python runtime into the built site.

Copies the pinned Pyodide core (from node_modules, installed by `npm ci`) and a wheel
of the `assessments` package into site/assets/pyodide/, and writes cssc-runtime.json,
which tells the browser worker the wheel's file name and labels the runtime (what Python
works out is kept for that runtime only, and a snapshot, below, is used only with it).
Nothing is fetched from the internet, at build time or in the browser.

The wheel is written directly with zipfile rather than by `pip wheel`: the package is
pure Python, and this keeps the build offline and byte-for-byte reproducible.

Pyodide ships its standard library as source, so a browser compiles every module it
imports on each first visit: about a second, more than half of Pyodide's start on a
2-core laptop. So the build precompiles, inside Pyodide itself under Node (the same
Python, so the same bytecode format), the standard-library modules the tools use and
the package's own modules (precompile_runtime; README, "Performance"). The browser gets a
small standard library holding only those modules (TOOLS_STDLIB_FILE, about 160 of 600,
found by running the tools, never listed by hand), given to Pyodide as its `stdLibURL`;
Pyodide's whole `python_stdlib.zip` ships unchanged beside it and is fetched only if
something imports a module the small one left out (build/stdlib_fallback.py).

Where the administrator turns it on (SNAPSHOT_SETTING), the build also saves Python's
memory once started with the package imported, a "snapshot" (snapshot_runtime), which the
browser restores instead of starting Python: about half a second sooner on a fast link,
for about 5.5 MB more on every first visit. It is made before any request, so it holds
only the guide's own code, never anything a reader typed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import struct
import subprocess
import tempfile
import tomllib
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError

import assessments
from assessments.core.bank_reader import PARSED_SUFFIX
from siblings import load_sibling

# Only the files the browser needs (about 13 MB); the npm package also holds
# TypeScript types, source maps and a CommonJS build we do not serve.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
RUNTIME_DIR = "assets/pyodide"
# Python's memory once started, made at build time where the site is set up for it
# (snapshot_runtime): the browser then starts from it instead of starting Python.
SNAPSHOT_FILE = "python.snapshot"
# The standard library modules the tools use, as bytecode, with the finder that fetches
# Pyodide's whole python_stdlib.zip for any other (build/precompile_in_pyodide.py).
TOOLS_STDLIB_FILE = "python_stdlib_tools.zip"
SNAPSHOT_MAGIC = b"CSSCSNAP"
_SNAPSHOT_PAGE = 4096
# A fixed timestamp inside the wheel keeps it identical from build to build.
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def _package_files(package_dir: Path) -> list[Path]:
    return sorted(
        path for path in package_dir.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".toml"}
    )


def build_wheel(package_dir: Path, out_dir: Path, bytecode: dict[str, bytes] | None = None) -> Path:
    """Write `assessments-<version>-py3-none-any.whl` and return its path.

    `bytecode` ({"assessments/<module>.pyc": bytes}) goes in instead of each module's
    source. Nothing reads the package's source at run time; a traceback then names the file
    and line but cannot show the line's text. The source would add about 0.15 MB to a first
    visit. The banks go in parsed, as JSON, in place of their TOML (bank_reader.PARSED_SUFFIX).

    The members are stored, not deflated: the server compresses the wheel as a whole (the
    build's .gz and .br copies, build/precompress.py), which is smaller than deflating
    each file on its own."""
    bytecode = bytecode or {}
    version = assessments.__version__
    dist_info = f"assessments-{version}.dist-info"
    entries: list[tuple[str, bytes]] = []
    for path in _package_files(package_dir):
        name = f"assessments/{path.relative_to(package_dir).as_posix()}"
        if path.suffix == ".toml":
            # Each bank parsed already (bank_reader reads it in place of the TOML): a tool's
            # first answer in the browser comes about 45 ms sooner.
            parsed = json.dumps(tomllib.loads(path.read_text("utf-8")), ensure_ascii=False, separators=(",", ":"))
            entries.append((name + PARSED_SUFFIX, parsed.encode("utf-8")))
        elif name + "c" not in bytecode:
            entries.append((name, path.read_bytes()))
    entries.extend(sorted(bytecode.items()))
    entries.append((f"{dist_info}/METADATA", f"Metadata-Version: 2.1\nName: assessments\nVersion: {version}\n".encode()))
    entries.append((f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: cssc-build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    record_lines = []
    for name, data in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record_lines.append(f"{name},sha256={digest},{len(data)}")
    record_lines.append(f"{dist_info}/RECORD,,")
    entries.append((f"{dist_info}/RECORD", ("\n".join(record_lines) + "\n").encode()))

    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"assessments-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return wheel


def precompile_runtime(root: Path, pyodide_dir: Path, wheel: Path) -> tuple[bytes, dict[str, bytes]]:
    """(TOOLS_STDLIB_FILE: the standard library modules the tools use, as bytecode, {wheel
    path: .pyc}).

    Runs build/precompile_in_pyodide.py in Pyodide under Node (about 5 s), so the result is
    cached in node_modules/.cache, keyed on everything that goes in. It reads data files
    as the tools do, a workbook included, so it loads the wheels that read workbooks.
    """
    script = root / "build" / "precompile_in_pyodide.py"
    runner = root / "build" / "run_in_pyodide.mjs"
    fallback = root / "build" / "stdlib_fallback.py"
    stdlib = pyodide_dir / "python_stdlib.zip"
    workbook_wheels = load_sibling("workbook_wheels").cached_wheels(root)

    def precompile(work: Path) -> str:
        # Python in Node sees only the work folder: the finder's source goes in there.
        shutil.copy2(fallback, work / fallback.name)
        output = _node(root, [runner, pyodide_dir, wheel, script, work, work / TOOLS_STDLIB_FILE, work / "bytecode.zip",
                              work / fallback.name, *workbook_wheels],
                       "Precompiling the browser's Python failed")
        shutil.rmtree(work / "scratch", ignore_errors=True)
        return output

    inputs = (stdlib, wheel, script, runner, fallback, pyodide_dir / "pyodide.asm.wasm", *workbook_wheels)
    cache = _cached(root, "cssc-bytecode", inputs, precompile)
    with zipfile.ZipFile(cache / "bytecode.zip") as archive:
        bytecode = {name: archive.read(name) for name in archive.namelist()}
    return (cache / TOOLS_STDLIB_FILE).read_bytes(), bytecode


def snapshot_runtime(root: Path, runtime_dir: Path, wheel: Path) -> bytes:
    """Python's memory once started with the tools imported, as Pyodide saves it.

    Made by build/snapshot_in_pyodide.mjs from the files in `runtime_dir`, exactly as the
    site serves them (about 2 s, so cached like the bytecode)."""
    script = root / "build" / "snapshot_in_pyodide.mjs"

    def snapshot(work: Path) -> str:
        return _node(root, [script, runtime_dir, wheel, work / "memory"], "Making the browser's Python snapshot failed")

    inputs = (script, wheel, *(runtime_dir / name for name in (*PYODIDE_FILES, TOOLS_STDLIB_FILE)))
    cache = _cached(root, "cssc-snapshot", inputs, snapshot)
    return (cache / "memory").read_bytes()


def sparse_snapshot(memory: bytes, label: str) -> bytes:
    """The snapshot as the site serves it (SNAPSHOT_FILE), without its pages of zeros.

    Pyodide's snapshot is the whole of Python's memory, 30 MB, of which more than half is
    zeros; a server compresses the rest. cssc-worker.js puts it back together. Layout,
    little-endian:
        8 bytes   SNAPSHOT_MAGIC
        uint32    format version (1)
        uint32    length of the whole memory
        uint32    number of stretches kept
        16 bytes  label: the runtime it was made with (cssc-runtime.json's "runtime")
        per stretch: uint32 offset, uint32 length
        the stretches' bytes, one after another
    """
    zeros = bytes(_SNAPSHOT_PAGE)
    stretches: list[tuple[int, int]] = []
    for offset in range(0, len(memory), _SNAPSHOT_PAGE):
        page = memory[offset:offset + _SNAPSHOT_PAGE]
        if page == zeros[:len(page)]:
            continue
        if stretches and sum(stretches[-1]) == offset:
            stretches[-1] = (stretches[-1][0], stretches[-1][1] + len(page))
        else:
            stretches.append((offset, len(page)))
    label_bytes = label.encode("ascii")
    assert len(label_bytes) == 16, "the label is 16 hex digits"
    header = SNAPSHOT_MAGIC + struct.pack("<III", 1, len(memory), len(stretches)) + label_bytes
    table = b"".join(struct.pack("<II", offset, length) for offset, length in stretches)
    return header + table + b"".join(memory[offset:offset + length] for offset, length in stretches)


def _node(root: Path, args: list, failure: str) -> str:
    """Run a build script under Node; its output, or a PluginError with the reason."""
    node = shutil.which("node")
    if not node:
        raise PluginError("Node.js is needed to build the site (it prepares the browser's Python). Install Node 20 or newer.")
    done = subprocess.run([node, *map(str, args)], cwd=root, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise PluginError(f"{failure}:\n{python_error(done.stderr)}")
    return done.stdout


def _cached(root: Path, kind: str, inputs, make) -> Path:
    """node_modules/.cache/<kind>/<key>: the folder `make(folder)` filled, made only when
    no build has made it for these exact `inputs` (files) before."""
    key = hashlib.sha256()
    for part in inputs:
        key.update(hashlib.sha256(part.read_bytes()).digest())
    cache = root / "node_modules" / ".cache" / kind / key.hexdigest()[:24]
    if (cache / "done").is_file():
        return cache
    cache.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the cache, then renamed: two builds at once never see half a result.
    work = Path(tempfile.mkdtemp(prefix="incoming-", dir=cache.parent))
    try:
        (work / "done").write_text(make(work), "utf-8")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    try:
        work.rename(cache)
    except OSError:  # another build finished the same work first
        shutil.rmtree(work, ignore_errors=True)
    _forget_old_caches(cache.parent, keep=cache)
    return cache


def python_error(stderr: str) -> str:
    """The Python traceback in what Node printed, without the JavaScript stack and the
    minified bundle Pyodide prints around it."""
    start = stderr.rfind("Traceback (most recent call last)")
    if start < 0:
        return stderr[-3000:]
    end = stderr.find("\n    at ", start)
    return stderr[start:end if end > 0 else None]


def _forget_old_caches(folder: Path, keep: Path, how_many: int = 3) -> None:
    finished = sorted((path for path in folder.iterdir() if (path / "done").is_file()),
                      key=lambda path: path.stat().st_mtime, reverse=True)
    for old in finished[how_many:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def write_runtime(root: Path, target: Path, snapshot: bool = False) -> Path:
    """Write everything the browser's Python needs into `target`; return the wheel's path.
    With `snapshot` (the administrator's choice, SNAPSHOT_SETTING), also Python's memory
    once started, for the tools to start from."""
    source = root / "node_modules" / "pyodide"
    missing = [name for name in PYODIDE_FILES if not (source / name).is_file()]
    if missing:
        raise PluginError(
            f"The Pyodide runtime is missing from {source} ({', '.join(missing)}). Run `npm ci` first "
            "(`make build` does this for you)."
        )
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:  # python_stdlib.zip too, as published: fetched only when needed
        shutil.copy2(source / name, target / name)
    package_dir = Path(assessments.__file__).parent
    stdlib, bytecode = precompile_runtime(root, source, build_wheel(package_dir, target))
    (target / TOOLS_STDLIB_FILE).write_bytes(stdlib)
    wheel = build_wheel(package_dir, target, bytecode)
    # Labels what Python works out (kept results) and the snapshot, which is only right for
    # the wheel and standard library it was made with.
    runtime = hashlib.sha256(stdlib + wheel.read_bytes()).hexdigest()[:16]
    pyodide_version = json.loads((source / "package.json").read_text("utf-8"))["version"]
    manifest = {"wheel": wheel.name, "runtime": runtime, "pyodide": pyodide_version}
    if snapshot:
        memory = sparse_snapshot(snapshot_runtime(root, target, wheel), runtime)
        (target / SNAPSHOT_FILE).write_bytes(memory)
        # Its size lets the worker see early how long the rest of it will take to arrive,
        # and start Python without it on a link where waiting would be slower.
        manifest["snapshot_bytes"] = len(memory)
    (target / "cssc-runtime.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return wheel


# extra.<this> in mkdocs.yml: whether pages that link to a tool fetch the runtime ahead
# (overrides/assets/js/cssc-prefetch.js, told by overrides/main.html). Off by default.
PREFETCH_SETTING = "cssc_prefetch_runtime"
# extra.<this>: whether the build makes a snapshot of Python started, for the tools to
# start from (cssc-worker.js, told by overrides/main.html through cssc-tools.js). Off by
# default: it saves about half a second on a fast link, and costs every first visit to a
# tool about 5.5 MB more, nearly as much as everything else the runtime needs (bench/links.py).
SNAPSHOT_SETTING = "cssc_python_snapshot"
_SETTINGS = {PREFETCH_SETTING: "CSSC_PREFETCH_RUNTIME", SNAPSHOT_SETTING: "CSSC_PYTHON_SNAPSHOT"}


def on_config(config):
    for setting, variable in _SETTINGS.items():
        value = config.extra.get(setting, False)
        if not isinstance(value, bool):
            raise PluginError(f"extra.{setting} in mkdocs.yml (or {variable}) must be true or false, not {value!r}.")
        config.extra[setting] = value
    return config


def on_post_build(config):
    write_runtime(Path(config.config_file_path).parent, Path(config.site_dir) / RUNTIME_DIR,
                  snapshot=config.extra[SNAPSHOT_SETTING])
