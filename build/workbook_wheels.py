"""MkDocs hook: ship the pure-Python wheels that read Excel workbooks beside the runtime.

The data quality check reads .xlsx files with openpyxl (and et-xmlfile, which it needs),
loaded in the browser's worker only when a reader opens a workbook
(overrides/assets/js/cssc-data-worker.js). They are not in Pyodide's own files, so the
build takes them from PyPI, pinned by version and SHA-256 below, into a cache
(node_modules/.cache/cssc-wheels) on the first build, and from there afterwards. The site
then serves them itself: a reader's browser never fetches anything from elsewhere.

To update: change the versions and hashes (the hashes are on each file's PyPI page, or
from `pip download openpyxl==X --no-deps` then `sha256sum`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

# (file name, SHA-256): py3-none-any wheels only, which load in Pyodide as they are.
WHEELS = (
    ("et_xmlfile-2.0.0-py3-none-any.whl", "7a91720bc756843502c3b7504c77b8fe44217c85c537d85037f0f536151b2caa"),
    ("openpyxl-3.1.5-py2.py3-none-any.whl", "5282c12b107bffeef825f4617dc029afaf41d0ea60823bbb665ef3079dc79de2"),
)
RUNTIME_DIR = "assets/pyodide"
LIST_FILE = "workbook-wheels.json"


def _requirement(file_name: str) -> str:
    name, version = file_name.split("-")[:2]
    return f"{name.replace('_', '-')}=={version}"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cached_wheels(root: Path) -> list[Path]:
    """The pinned wheels, downloaded once into the cache and checked against their hashes."""
    cache = root / "node_modules" / ".cache" / "cssc-wheels"
    wanted = [cache / name for name, _ in WHEELS]
    missing = [(name, digest) for name, digest in WHEELS if not (cache / name).is_file() or _digest(cache / name) != digest]
    if missing:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as incoming:
            requirements = Path(incoming) / "requirements.txt"
            requirements.write_text("".join(f"{_requirement(name)} --hash=sha256:{digest}\n" for name, digest in missing))
            done = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                 "--require-hashes", "-r", str(requirements), "-d", incoming],
                capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                raise PluginError("Downloading the wheels that read Excel workbooks from PyPI failed (the build needs "
                                  f"PyPI once, then keeps them in {cache}):\n{done.stderr[-2000:]}")
            for name, digest in missing:
                got = Path(incoming) / name
                if not got.is_file() or _digest(got) != digest:
                    raise PluginError(f"{name} from PyPI is missing or does not match its pinned hash.")
                got.replace(cache / name)  # same folder's file system: complete or absent
    return wanted


def write_workbook_wheels(root: Path, target: Path) -> list[str]:
    """Copy the wheels into `target` (the site's runtime folder) and list them in LIST_FILE."""
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for wheel in cached_wheels(root):
        shutil.copy2(wheel, target / wheel.name)
        names.append(wheel.name)
    # In the order they must load: et-xmlfile before openpyxl.
    (target / LIST_FILE).write_text(json.dumps({"wheels": names}, indent=2) + "\n", "utf-8")
    return names


def on_post_build(config):
    write_workbook_wheels(Path(config.config_file_path).parent, Path(config.site_dir) / RUNTIME_DIR)
