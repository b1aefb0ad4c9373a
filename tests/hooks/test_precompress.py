"""Compressed copies are written beside large files, decompress to the same bytes, and
are identical from build to build."""

from __future__ import annotations

import gzip
from types import SimpleNamespace

import brotli

from support_build import load_build_module

precompress = load_build_module("precompress")


def test_large_compressible_files_get_gz_and_br_copies(tmp_path):
    (tmp_path / "assets").mkdir()
    runtime = tmp_path / "assets" / "runtime.wasm"
    runtime.write_bytes(b"\x00asm" + bytes(range(256)) * 40)
    small = tmp_path / "tiny.js"
    small.write_text("x=1")
    archive = tmp_path / "stdlib.zip"
    archive.write_bytes(b"PK" * 2000)
    precompress.on_post_build(SimpleNamespace(site_dir=str(tmp_path)))
    assert gzip.decompress((tmp_path / "assets" / "runtime.wasm.gz").read_bytes()) == runtime.read_bytes()
    assert brotli.decompress((tmp_path / "assets" / "runtime.wasm.br").read_bytes()) == runtime.read_bytes()
    assert not (tmp_path / "tiny.js.gz").exists()  # too small to be worth it
    assert not (tmp_path / "stdlib.zip.gz").exists()  # already compressed


def test_compressed_copies_are_reproducible(tmp_path):
    page = tmp_path / "index.html"
    page.write_text("<p>hello</p>" * 500)
    precompress.compress_file(page)
    first = (tmp_path / "index.html.gz").read_bytes()
    precompress.compress_file(page)
    assert (tmp_path / "index.html.gz").read_bytes() == first
