"""What holds for every tool's bank: the loader keeps every id the file gives, and every
worked example gives its result in CPython. Walks the registry, so a new tool is covered
as soon as it is registered."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter

import pytest

from assessments import BankError, api
from assessments.core.bank_reader import Fields
from assessments.tools import TOOLS
from support_banks import ids_in_bank, ids_in_file, raw_bank

# The checklists' bank is one file per stage, tested in test_checklists.py.
ONE_FILE_BANKS = sorted(slug for slug in TOOLS if slug != "checklists")


@pytest.mark.parametrize("slug", ONE_FILE_BANKS)
def test_the_loaded_bank_has_exactly_the_ids_and_version_of_its_file(slug):
    # The unmodified file is also the baseline the tests that break a bank start from.
    raw = raw_bank(slug)
    bank = TOOLS[slug].load_bank()
    assert (bank.title, bank.version) == (raw["title"], raw["version"])
    assert Counter(ids_in_bank(bank)) == Counter(ids_in_file(raw))
    assert len(ids_in_file(raw)) > 5


@pytest.mark.parametrize("slug", sorted(TOOLS))
def test_every_worked_example_has_its_own_name_and_scores_without_error(slug):
    examples = TOOLS[slug].load_bank().examples
    names = [example.name for example in examples]
    assert names and all(names) and len(set(names)) == len(names)
    for example in examples:
        scored = json.loads(api.handle(json.dumps({"op": "score", "tool": slug, "answers": dict(example.answers)})))
        assert scored["ok"], (example.name, scored.get("error"))


# What a worked example expects is written out in full: leaving a list or a flag out is
# an error, not a quiet "empty" or "false". (table of examples, path within its first
# example's `expected`)
OMISSIONS = [
    ("business-case", "examples", ["missing_for_sign_off"]),
    ("business-case", "examples", ["signed_off_too_soon"]),
    ("ethics-triage", "examples", ["red_flags"]),
    ("ethics-triage", "examples", ["independent_scrutiny"]),
    ("ethics-workbook", "examples", ["checks"]),
    ("data-maturity", "examples", ["component_levels"]),
    ("data-maturity", "examples", ["component_levels", "governance"]),
    ("data-maturity", "examples", ["overall_level"]),
    ("data-maturity", "team_examples", ["overall_level"]),
    ("data-maturity", "team_examples", ["disagreement_components"]),
    ("data-maturity", "team_examples", ["statements_with_dont_know"]),
    ("checklists", "examples", ["next_stage"]),
    ("checklists", "examples", ["complete_stages"]),
    ("checklists", "examples", ["statuses", "retire"]),
    ("user-needs", "examples", ["checks"]),
    ("transparency-record", "examples", ["missing_to_publish"]),
    ("data-quality", "examples", ["incomplete_rules"]),
    ("data-quality", "examples", ["rules"]),
    ("test-and-monitor", "examples", ["unset"]),
    ("test-and-monitor", "examples", ["mapped"]),
    ("test-and-monitor", "worked_cases", ["met"]),
    ("test-and-monitor", "worked_cases", ["too_small"]),
]


def test_every_tools_examples_are_covered_by_the_omission_test():
    """Each table of worked examples in every bank has at least one omission tested above."""
    tables = {(slug, name) for slug in sorted(TOOLS) for name, value in raw_bank(slug).items()
              if name.endswith(("examples", "worked_cases")) and isinstance(value, list)}
    assert tables == {(slug, table) for slug, table, _ in OMISSIONS}


@pytest.mark.parametrize("slug, table, path", OMISSIONS,
                         ids=lambda value: value if isinstance(value, str) else ".".join(value))
def test_an_example_that_leaves_out_part_of_its_result_is_refused(monkeypatch, slug, table, path):
    tool = TOOLS[slug]
    module = sys.modules[tool.load_bank.__module__]
    raw = raw_bank(slug)
    expected = raw[table][0]["expected"]
    for key in path[:-1]:
        expected = expected[key]
    expected.pop(path[-1])
    read = module.read_bank
    monkeypatch.setattr(module, "read_bank", lambda name: Fields(f"{name}.toml", "", raw) if name == slug else read(name))
    tool.load_bank.cache_clear()
    try:
        with pytest.raises(BankError, match=re.escape(f"{slug}.toml: {table}[0].expected.")):
            tool.load_bank()
    finally:
        tool.load_bank.cache_clear()
