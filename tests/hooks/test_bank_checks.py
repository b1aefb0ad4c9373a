"""The bank hook stops the build when a bank links to a page that does not exist."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from support_build import load_build_module

bank_checks = load_build_module("bank_checks")


class Files:
    def __init__(self, paths):
        self.paths = set(paths)

    def get_file_from_path(self, path):
        return path if path in self.paths else None


def test_every_bank_target_exists_in_the_real_docs(repo_root):
    docs = repo_root / "docs"
    paths = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    assert bank_checks.on_files(Files(paths), config=None) is not None


def test_a_missing_target_is_named_with_its_bank(repo_root):
    with pytest.raises(PluginError) as failed:
        bank_checks.on_files(Files(set()), config=None)
    assert "data-maturity.toml links to 'explainers/data-quality.md'" in str(failed.value)
