"""MkDocs hook: every question bank must be valid, every page it links to must exist, and
every rule, threshold and checklist item must say where it comes from (`source`).

Runs before anything is rendered, so a broken bank stops the build with the bank's
file name and the field at fault (BankError's message), not a stack trace.
"""

from __future__ import annotations

import logging

from mkdocs.exceptions import PluginError

from assessments import BankError
from assessments.core.provenance import bank_sources
from assessments.tools import bank_link_targets

log = logging.getLogger("mkdocs.hooks.bank_checks")


def on_files(files, config):
    try:
        links = bank_link_targets()
        bank_sources()  # raises BankError for an entry with no source or a malformed one
    except BankError as broken:
        raise PluginError(f"Invalid question bank: {broken}") from broken
    missing = sorted({(bank, target) for bank, target in links if files.get_file_from_path(target.partition("#")[0]) is None})
    if missing:
        listed = "; ".join(f"{bank} links to '{target}'" for bank, target in missing)
        raise PluginError(f"A question bank links to a page that does not exist: {listed}")
    return files
