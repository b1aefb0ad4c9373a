"""Compressed copies are written beside large files, decompress to the same bytes, and
are identical from build to build."""

from __future__ import annotations

import gzip
import zipfile
from types import SimpleNamespace

import brotli
import pytest

from support_build import load_build_module

precompress = load_build_module("precompress")


def test_large_compressible_files_get_gz_and_br_copies(tmp_path):
    (tmp_path / "assets").mkdir()
    runtime = tmp_path / "assets" / "runtime.wasm"
    runtime.write_bytes(b"\x00asm" + bytes(range(256)) * 40)
    small = tmp_path / "tiny.js"
    small.write_text("x=1")
    precompress.on_post_build(SimpleNamespace(site_dir=str(tmp_path)))
    assert gzip.decompress((tmp_path / "assets" / "runtime.wasm.gz").read_bytes()) == runtime.read_bytes()
    assert brotli.decompress((tmp_path / "assets" / "runtime.wasm.br").read_bytes()) == runtime.read_bytes()
    assert not (tmp_path / "tiny.js.gz").exists()  # too small to be worth it


def _archive(path, compression) -> bytes:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for number in range(40):
            archive.writestr(f"package/module_{number}.pyc", f"def function_{number}(): return {number}\n" * 20)
    return path.read_bytes()


def test_archives_of_stored_members_are_compressed_as_a_whole_and_others_left_alone(tmp_path):
    stored = _archive(tmp_path / "python_stdlib_tools.zip", zipfile.ZIP_STORED)
    wheel = _archive(tmp_path / "package-1.0-py3-none-any.whl", zipfile.ZIP_STORED)
    _archive(tmp_path / "python_stdlib.zip", zipfile.ZIP_DEFLATED)
    precompress.on_post_build(SimpleNamespace(site_dir=str(tmp_path)))
    assert gzip.decompress((tmp_path / "python_stdlib_tools.zip.gz").read_bytes()) == stored
    assert brotli.decompress((tmp_path / "package-1.0-py3-none-any.whl.br").read_bytes()) == wheel
    # Compressing stored members as a whole beats deflating each on its own.
    deflated = (tmp_path / "python_stdlib.zip").stat().st_size
    assert (tmp_path / "python_stdlib_tools.zip.gz").stat().st_size < deflated
    assert not (tmp_path / "python_stdlib.zip.gz").exists()  # already compressed: nothing to gain


def test_compressed_copies_are_reproducible(tmp_path):
    page = tmp_path / "index.html"
    page.write_text("<p>hello</p>" * 500)
    precompress.compress_file(page)
    first = (tmp_path / "index.html.gz").read_bytes()
    precompress.compress_file(page)
    assert (tmp_path / "index.html.gz").read_bytes() == first


def test_the_gzip_copies_are_smaller_than_zlibs_best(tmp_path):
    # Every byte of the runtime crosses a reader's link: libdeflate's gzip, read by any
    # browser, beats zlib's -9 (by 143 KB on the WebAssembly).
    page = tmp_path / "index.html"
    page.write_text("".join(f"<p class='para-{n % 7}'>Paragraph {n} of the guide, {n * n}</p>\n" for n in range(3000)))
    precompress.compress_file(page)
    copy = (tmp_path / "index.html.gz").read_bytes()
    assert gzip.decompress(copy) == page.read_bytes()
    assert len(copy) < len(gzip.compress(page.read_bytes(), compresslevel=9))


def test_a_large_files_copies_are_kept_by_content_and_used_again_with_the_same_bytes(tmp_path, monkeypatch):
    # The runtime is compressed once, not in every build; a file that changes is compressed anew.
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    site = tmp_path / "site"
    site.mkdir()
    runtime = site / "runtime.wasm"
    runtime.write_bytes(bytes(range(256)) * 2048)  # 512 KiB: above the size copies are kept from
    config = SimpleNamespace(site_dir=str(site), config_file_path=str(tmp_path / "mkdocs.yml"))
    precompress.on_post_build(config)
    first = {suffix: (site / f"runtime.wasm{suffix}").read_bytes() for suffix in (".gz", ".br")}
    kept = sorted(path.suffix for path in (tmp_path / "node_modules" / ".cache" / "cssc-compressed").iterdir())
    assert kept == [".br", ".gz"]

    def refuse(data):
        raise AssertionError("compressed again")

    monkeypatch.setattr(precompress, "gzip_bytes", refuse)
    monkeypatch.setattr(precompress, "brotli_bytes", refuse)
    for suffix in first:
        (site / f"runtime.wasm{suffix}").unlink()
    precompress.on_post_build(config)
    assert {suffix: (site / f"runtime.wasm{suffix}").read_bytes() for suffix in first} == first

    runtime.write_bytes(bytes(range(255, -1, -1)) * 2048)
    with pytest.raises(AssertionError, match="compressed again"):
        precompress.on_post_build(config)
