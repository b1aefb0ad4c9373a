"""MkDocs hook: ship the Word writer's library in the built site.

The tools' Word downloads are made in the reader's browser by
overrides/assets/js/cssc-docx-writer.mjs with the npm `docx` library, pinned in
package.json/package-lock.json and installed by `npm ci`. This copies its one
self-contained ES module (no imports of its own) and its licence into
site/assets/vendor/docx/. The page imports it only when a reader asks for a Word file,
so a first visit fetches none of it. Nothing comes from a CDN.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

LIBRARY_FILES = {"dist/index.mjs": "docx.mjs", "LICENSE": "LICENSE"}
TARGET = ("assets", "vendor", "docx")


def ship_library(root: Path, site_dir: Path) -> Path:
    """Copy the library into the site; return the folder it is in."""
    source = root / "node_modules" / "docx"
    missing = [name for name in LIBRARY_FILES if not (source / name).is_file()]
    if missing:
        raise PluginError(f"The Word writer's library is missing from {source} ({', '.join(missing)}). "
                          "Run `npm ci` first (`make build` does this for you).")
    target = site_dir.joinpath(*TARGET)
    target.mkdir(parents=True, exist_ok=True)
    for name, shipped in LIBRARY_FILES.items():
        shutil.copyfile(source / name, target / shipped)
    return target


def on_post_build(config):
    ship_library(Path(config.config_file_path).parent, Path(config.site_dir))
