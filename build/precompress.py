"""MkDocs hook: write compressed copies (.gz, and .br when the `brotli` package is
installed) beside every large compressible file of the built site.

Servers that can send a ready-made compressed copy (nginx `gzip_static`, Apache with
MultiViews or rewrite rules, IIS static compression) then need no CPU per request, and
the Python runtime (13 MB, and the 16 MB snapshot of a site built with one) goes over
the wire at roughly a third of its size. Runs after every hook that writes files (the runtime, the
search index); only build/notices.py, which reads them all, comes after it.

Zip archives are compressed only when their members are stored uncompressed, as the
build writes the tools' standard library and the `assessments` wheel
(build/pyodide_runtime.py): compressed as a whole, they are about 10% (gzip) to 25%
(Brotli) smaller than with each member deflated on its own. Archives of deflated members
(Pyodide's python_stdlib.zip, the wheels from PyPI) would not shrink again.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

try:  # optional: brotli is a dev dependency, but the site builds without it
    import brotli
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None
try:  # optional too: libdeflate's gzip is about 4% smaller than zlib's best, as fast
    import deflate
except ImportError:  # pragma: no cover - depends on the environment
    deflate = None

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".wasm", ".snapshot", ".svg", ".xml", ".txt", ".md", ".csv"}
MIN_BYTES = 1024  # below this, headers cost more than compression saves
BROTLI_QUALITY = 9  # 11 takes minutes on the runtime for a few per cent more


ARCHIVES = {".zip", ".whl"}


def is_stored_archive(path: Path) -> bool:
    """A zip archive whose members are all stored uncompressed."""
    if path.suffix not in ARCHIVES or not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())


# Edited in the web root after deployment (build/council.py): a compressed copy made at
# build time would go on being served in place of the council's own details.
EDITED_AFTER_DEPLOYMENT = {"council.json"}


def worth_compressing(path: Path) -> bool:
    if path.name in EDITED_AFTER_DEPLOYMENT or path.stat().st_size < MIN_BYTES:
        return False
    return path.suffix in COMPRESSIBLE or is_stored_archive(path)


GZIP_LEVEL = 12  # libdeflate's highest: 143 KB less than zlib's -9 on the WebAssembly alone


def gzip_bytes(data: bytes) -> bytes:
    """Ordinary gzip any browser reads, as small as a build can make it in seconds. Both
    write a zero time in the header, so the .gz is identical from build to build."""
    if deflate is not None:
        return deflate.gzip_compress(data, GZIP_LEVEL)
    return gzip.compress(data, compresslevel=9, mtime=0)  # pragma: no cover - depends on the environment


def brotli_bytes(data: bytes) -> bytes:
    return brotli.compress(data, quality=BROTLI_QUALITY)


# Compressing the runtime is most of the processor time of a build that has made it
# before (about 8 s of 18), and the runtime's bytes rarely change: copies of large files
# are kept in node_modules/.cache by their content and settings, as the runtime's bytecode
# is (build/pyodide_runtime.py). The copies are the same bytes either way.
CACHE_FROM_BYTES = 256 * 1024
CACHE_KEEPS = 40  # copies most recently used; the site has about a dozen this large
_SETTINGS = f"gzip:{'libdeflate' if deflate else 'zlib'}:{GZIP_LEVEL} br:{BROTLI_QUALITY}".encode()


class CompressedCopies:
    """Compressed copies of large files, by content, in `folder` (None: no cache)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[Path] = set()

    def get(self, data: bytes, suffix: str, make) -> bytes:
        if self.folder is None or len(data) < CACHE_FROM_BYTES:
            return make(data)
        key = hashlib.sha256(_SETTINGS + b"\0" + data).hexdigest()[:32]
        entry = self.folder / f"{key}{suffix}"
        self.used.add(entry)
        try:
            copy = entry.read_bytes()
            os.utime(entry)  # recently used: kept by forget_old
            return copy
        except FileNotFoundError:
            pass
        copy = make(data)
        self.folder.mkdir(parents=True, exist_ok=True)
        # Written beside the entry, then renamed: two builds at once never see half a copy.
        handle, incoming = tempfile.mkstemp(prefix="incoming-", dir=self.folder)
        with os.fdopen(handle, "wb") as file:
            file.write(copy)
        os.replace(incoming, entry)
        return copy

    def forget_old(self) -> None:
        if self.folder is None or not self.folder.is_dir():
            return
        entries = sorted((path for path in self.folder.iterdir() if not path.name.startswith("incoming-")),
                         key=lambda path: path.stat().st_mtime, reverse=True)
        for path in entries[CACHE_KEEPS:]:
            if path not in self.used:
                path.unlink(missing_ok=True)


def compress_file(path: Path, copies: CompressedCopies | None = None) -> None:
    copies = copies or CompressedCopies(None)
    data = path.read_bytes()
    path.with_name(path.name + ".gz").write_bytes(copies.get(data, ".gz", gzip_bytes))
    if brotli is not None:
        path.with_name(path.name + ".br").write_bytes(copies.get(data, ".br", brotli_bytes))


def cache_folder(config) -> Path | None:
    """node_modules/.cache/cssc-compressed beside mkdocs.yml; None for a build without one."""
    config_file = getattr(config, "config_file_path", None)
    if not config_file:
        return None
    node_modules = Path(config_file).resolve().parent / "node_modules"
    return node_modules / ".cache" / "cssc-compressed" if node_modules.is_dir() else None


def on_post_build(config):
    copies = CompressedCopies(cache_folder(config))
    for path in sorted(Path(config.site_dir).rglob("*")):
        if path.is_file() and worth_compressing(path):
            compress_file(path, copies)
    copies.forget_old()
