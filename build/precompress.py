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


def compress_file(path: Path) -> None:
    data = path.read_bytes()
    path.with_name(path.name + ".gz").write_bytes(gzip_bytes(data))
    if brotli is not None:
        path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=BROTLI_QUALITY))


def on_post_build(config):
    for path in sorted(Path(config.site_dir).rglob("*")):
        if path.is_file() and worth_compressing(path):
            compress_file(path)
