"""The bank hook stops the build when a bank links to a page that does not exist."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from support_build import load_build_module

bank_checks = load_build_module("bank_checks")


class Files:
    """The part of MkDocs' Files the hook uses; records every path asked for."""

    def __init__(self, paths):
        self.paths = set(paths)
        self.asked: set[str] = set()

    def get_file_from_path(self, path):
        self.asked.add(path)
        return path if path in self.paths else None


def test_every_bank_target_exists_in_the_real_docs(repo_root):
    docs = repo_root / "docs"
    files = Files(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    assert bank_checks.on_files(files, config=None) is files  # the build goes on with the same files
    # Every page the banks link to was looked up, explainers and tool pages among them.
    targets = {target.partition("#")[0] for _bank, target in bank_checks.bank_link_targets()}
    assert files.asked == targets
    assert "explainers/data-quality.md" in targets and "tools/ethics-triage.md" in targets


def test_a_missing_target_is_named_with_its_bank(repo_root):
    with pytest.raises(PluginError) as failed:
        bank_checks.on_files(Files(set()), config=None)
    assert "data-maturity.toml links to 'explainers/data-quality.md'" in str(failed.value)
