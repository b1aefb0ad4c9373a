"""MkDocs hook: put the Python runtime into the built site.

Copies the pinned Pyodide core (from node_modules, installed by `npm ci`) and a wheel
of the `assessments` package into site/assets/pyodide/, and writes cssc-runtime.json,
which tells the browser worker the wheel's file name. Nothing is fetched from the
internet, at build time or in the browser.

The wheel is written directly with zipfile rather than by `pip wheel`: the package is
pure Python, and this keeps the build offline and byte-for-byte reproducible.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError

import assessments

# Only the files the browser needs (about 13 MB); the npm package also holds
# TypeScript types, source maps and a CommonJS build we do not serve.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
RUNTIME_DIR = "assets/pyodide"
# A fixed timestamp inside the wheel keeps it identical from build to build.
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def _package_files(package_dir: Path) -> list[Path]:
    return sorted(
        path for path in package_dir.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".toml"}
    )


def build_wheel(package_dir: Path, out_dir: Path) -> Path:
    """Write `assessments-<version>-py3-none-any.whl` and return its path."""
    version = assessments.__version__
    dist_info = f"assessments-{version}.dist-info"
    entries: list[tuple[str, bytes]] = []
    for path in _package_files(package_dir):
        entries.append((f"assessments/{path.relative_to(package_dir).as_posix()}", path.read_bytes()))
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
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return wheel


def on_post_build(config):
    root = Path(config.config_file_path).parent
    source = root / "node_modules" / "pyodide"
    target = Path(config.site_dir) / RUNTIME_DIR
    missing = [name for name in PYODIDE_FILES if not (source / name).is_file()]
    if missing:
        raise PluginError(
            f"The Pyodide runtime is missing from {source} ({', '.join(missing)}). Run `npm ci` first "
            "(`make build` does this for you)."
        )
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(source / name, target / name)
    wheel = build_wheel(Path(assessments.__file__).parent, target)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]
    pyodide_version = json.loads((source / "package.json").read_text("utf-8"))["version"]
    (target / "cssc-runtime.json").write_text(
        json.dumps({"wheel": wheel.name, "wheel_sha256": digest, "pyodide": pyodide_version}, indent=2) + "\n",
        "utf-8",
    )
