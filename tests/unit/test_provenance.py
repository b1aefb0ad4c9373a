"""Every rule, threshold and checklist item says where it comes from (assessments/core/provenance.py),
and the tools tell the reader which parts are the Main Guidance's and which are ours."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from assessments import BankError
from assessments.core import provenance
from assessments.core.bank_reader import Fields, bank_files, read_bank
from assessments.checklists.model import load_checklist_bank, parse_stage
from assessments.data_maturity.model import load_data_maturity_bank, score_data_maturity
from assessments.data_maturity.view import render_maturity_result
from assessments.core.provenance import bank_sources, provenance_tables, read_source, tool_provenance
from assessments.tools import TOOLS

SOURCE_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "main-guidance-source.txt"
# Every line of the Main Guidance's source text: a `guidance:` source must name one of its headings.
SOURCE_LINES = {line.strip() for line in SOURCE_TEXT.read_text("utf-8").splitlines() if line.strip()}


def test_every_table_that_needs_a_source_has_entries_and_each_has_one():
    entries = bank_sources()  # raises BankError for any entry without a source
    for name in bank_files():
        for path in provenance_tables(name):
            found = [e for e in entries if e.bank == name and _same_table(e.path, path)]
            assert found, f"{name}: no entries under '{path}' (is PROVENANCE_TABLES out of date?)"


def _same_table(entry_path: str, table_path: str) -> bool:
    # "themes[2].triggers[0]" belongs to "themes.triggers"; "rules" to "rules".
    return re.sub(r"\[\d+\]", "", entry_path) == table_path


def test_every_checklist_item_has_a_source():
    sourced = [e for e in bank_sources() if e.bank.startswith("checklists/")]
    assert len(sourced) == load_checklist_bank().total_items
    assert all(item.source.text for stage in load_checklist_bank().stages for item in stage.items)


def test_every_guidance_source_names_a_heading_of_the_main_guidance():
    wrong = [f"{e.bank} {e.path}: '{e.source.section}'" for e in bank_sources()
             if not e.source.ours and e.source.section not in SOURCE_LINES]
    stages = load_checklist_bank().stages
    wrong += [f"{s.slug} key question: '{s.key_question_source.section}'" for s in stages
              if not s.key_question_source.ours and s.key_question_source.section not in SOURCE_LINES]
    assert not wrong, "not a heading of the Main Guidance: " + "; ".join(wrong)


def test_our_own_entries_give_a_reason():
    terse = [f"{e.bank} {e.path}" for e in bank_sources() if e.source.ours and len(e.source.text.split()) < 5]
    assert not terse, f"an 'ours' source needs a one-line reason: {terse}"


def test_a_checklist_item_without_a_source_stops_the_bank_loading():
    data = copy.deepcopy(read_bank("checklists/design").data)
    del data["sections"][0]["items"][0]["source"]
    with pytest.raises(BankError) as failed:
        parse_stage(Fields("checklists/design.toml", "", data), "design")
    assert str(failed.value) == "checklists/design.toml: sections[0].items[0].source: missing field"


def test_a_rule_without_a_source_is_named(monkeypatch):
    real = read_bank("ethics-triage").data
    broken = copy.deepcopy(real)
    del broken["risk_rules"][3]["source"]
    monkeypatch.setattr(provenance, "read_bank", lambda slug: Fields(f"{slug}.toml", "", broken))
    with pytest.raises(BankError) as failed:
        bank_sources("ethics-triage.toml")
    assert str(failed.value) == "ethics-triage.toml: risk_rules[3].source: missing field"


@pytest.mark.parametrize("value", ["from the guidance", "guidance:", "ours", "theirs: a reason"])
def test_a_malformed_source_is_refused(value):
    with pytest.raises(BankError) as failed:
        read_source(Fields("x.toml", "items[0]", {"source": value}))
    assert "must be 'guidance: <a heading of the Main Guidance>' or 'ours: <why we added it>'" in str(failed.value)


def test_a_source_reads_as_a_sentence():
    ours = read_source(Fields("x.toml", "", {"source": "ours: the guidance gives no threshold"}))
    assert ours.ours and ours.describe() == "Our addition, not the Main Guidance's words: the guidance gives no threshold."
    guidance = read_source(Fields("x.toml", "", {"source": "guidance: Benchmarking (its N.B.)"}))
    assert guidance.section == "Benchmarking"
    assert guidance.describe() == "From the Main Guidance, \u201cBenchmarking\u201d (its N.B.)."


def test_every_tool_says_which_parts_are_ours():
    for slug in TOOLS:
        about = tool_provenance(slug)
        assert "ours" in about.line, slug
        # Each checklist item shows its own source; every other tool lists its rules' sources.
        assert bool(about.entries) == (slug != "checklists"), slug


def test_the_key_questions_the_guidance_does_not_give_are_marked_ours():
    ours = {s.slug for s in load_checklist_bank().stages if s.key_question_source.ours}
    assert ours == {"choose-a-solution", "retire"}


def test_the_implement_workbook_step_is_in_deploy_monitor_and_retire():
    bank = load_checklist_bank()
    for stage in ("deploy", "monitor", "retire"):
        ids = {item.id for item in bank.stage(stage).items}
        assert "complete-ethics-workbook-implement" in ids, stage


def test_the_choose_a_solution_gate_keeps_the_guidance_words():
    gate = next(i for i in load_checklist_bank().stage("choose-a-solution").items if i.id == "data-quality-sufficient")
    assert "we would advise that you don't proceed to developing a data analytics tool" in gate.text


def test_the_data_maturity_result_says_its_levels_and_thresholds_are_ours():
    bank = load_data_maturity_bank()
    answers = {s.id: "mostly" for c in bank.components for s in c.statements}
    html = render_maturity_result(score_data_maturity(answers))
    assert "<strong>Our addition: </strong>the Main Guidance names the five components" in html
    assert f"\u201c{bank.level(bank.ready_level).name} or above\u201d as a higher score" in html
    assert '<details class="cssc-source" data-source="ours"><summary>Why this? (our addition)</summary>' in html
    assert "A higher score on all five components" in html  # the guidance's own reading, quoted
