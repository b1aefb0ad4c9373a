"""The finder that imports a standard-library module the tools' small archive left out,
from the whole library fetched once (build/stdlib_fallback.py), checked in CPython with a
made-up "whole library"; tests/pyodide and tests/browser check it with the real one."""

from __future__ import annotations

import sys
import zipfile

import pytest

from support_build import load_build_module

fallback = load_build_module("stdlib_fallback")


@pytest.fixture
def finder(tmp_path, monkeypatch):
    """A finder whose "whole library" holds a module and the other half of a package."""
    whole = tmp_path / "whole-source.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("cssc_left_out.py", "WHERE = 'whole'\n")
        archive.writestr("cssc_split/__init__.py", "")
        archive.writestr("cssc_split/rest.py", "WHERE = 'whole'\n")
    small = tmp_path / "small"
    (small / "cssc_split").mkdir(parents=True)
    (small / "cssc_split" / "__init__.py").write_text("WHERE = 'small'\n")
    monkeypatch.syspath_prepend(str(small))
    fetches = []

    def fetch():
        fetches.append(1)
        return whole.read_bytes()

    made = fallback.RestOfStdlib(fetch, frozenset({"cssc_left_out", "cssc_split.rest"}), str(tmp_path / "whole.zip"))
    made.fetches = fetches
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, made])
    yield made
    for name in ("cssc_left_out", "cssc_split", "cssc_split.rest"):
        sys.modules.pop(name, None)


def test_a_module_left_out_is_imported_from_the_whole_library_fetched_once(finder):
    import cssc_left_out
    import cssc_split
    import cssc_split.rest

    assert cssc_left_out.WHERE == cssc_split.rest.WHERE == "whole"
    assert cssc_split.WHERE == "small"  # the package itself still comes from the small archive
    assert finder.fetches == [1]


def test_a_name_the_whole_library_does_not_have_fails_without_a_download(finder):
    with pytest.raises(ModuleNotFoundError):
        import cssc_no_such_module  # noqa: F401
    assert finder.fetches == []


def test_a_failed_download_names_the_module_and_the_reason_and_is_tried_again(tmp_path, monkeypatch):
    def offline():
        raise OSError("the server did not send python_stdlib.zip (HTTP 404)")

    made = fallback.RestOfStdlib(offline, frozenset({"cssc_left_out"}), str(tmp_path / "whole.zip"))
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, made])
    with pytest.raises(ImportError, match=r"cssc_left_out .*HTTP 404"):
        import cssc_left_out  # noqa: F401
    assert not made.fetched
