"""The algorithmic transparency record: its bank and examples (ATRS v4.0, compared with
the standard's list of fields), the move from v3.0 through the one upgrade path, bringing
text in from the business case and the ethics triage (empty fields only), the result
view and the Markdown ready to publish."""

from __future__ import annotations

import csv
import re
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

from assessments import BankError, InputError, api
from assessments.transparency_record import model as tr
from assessments.business_case.model import load_business_case_bank, score_business_case
from assessments.data_maturity.model import load_data_maturity_bank, score_data_maturity
from assessments.core.document_fields import markdown_text
from assessments.ethics_triage.model import answers_from_maturity, load_triage_bank, score_triage
from support_records import export_record, import_record
from assessments.schema import record_schema
from assessments.tools import get_tool
from assessments.core.upgrade import bank_migrations, upgrade_answers
from assessments.transparency_record.view import (
    render_transparency_result,
    summarise_transparency_result,
    transparency_markdown,
)
from support_banks import JUNK, raw_bank

ROOT = Path(__file__).resolve().parents[2]
BANK = tr.load_transparency_bank()
FIELDS = BANK.fields
EXAMPLES = {example.name: example for example in BANK.examples}
COMPLETE = EXAMPLES["A complete record for a placement sufficiency dashboard"]
TIER_1_DRAFT = EXAMPLES["A first draft of Tier 1 only"]
TOOL = get_tool("transparency-record")

CASE = load_business_case_bank().examples[0]
CASE_RESULT = score_business_case(CASE.answers)
TRIAGE = next(e for e in load_triage_bank().examples if e.expected_risk_level == "high")
TRIAGE_RESULT = score_triage(TRIAGE.answers)


def _raw_bank() -> dict:
    return raw_bank("transparency-record")


def call(**request) -> dict:
    return json.loads(api.handle(json.dumps(request)))


# ------------------------------------------------------------------------- the bank


def _standard() -> list[dict]:
    with open(ROOT / "reference" / "atrs-v4.0-fields.csv", encoding="utf-8") as source:
        return list(csv.DictReader(source))


# Version 4.0 dropped the metadata the ATRS team fills in; nothing of the list is left unasked.
NOT_ASKED: set[str] = set()
# Asked once, under the field named (reference/README.md says why).
ASKED_ONCE = {"0.11": "name"}
# Where the bank's "needed to publish" differs from the standard's "required" (the bank says why).
REQUIRED_EXCEPTIONS: set[str] = set()
PARTS_OF = {"Summary Information": "tier-1"}
# The model and the two data specifications are lists of entries within the Tool specification.
SECTION_OF = {"model specification": "tool specification", "development data specification": "tool specification",
              "operational data specification": "tool specification"}


def _bank_fields_with_references():
    """(reference, name, field, section) in the bank's order, list entries' parts included
    (a list that groups the standard's fields, such as 2.4.2 Model specification, is not
    a field of the standard itself)."""
    references = {row["reference"] for row in _standard()}
    for section in BANK.sections:
        for field in section.fields:
            if field.standard_ref in references:
                yield field.standard_ref, field.label, field, section
            for part in field.entry_fields:
                if part.standard_ref:
                    yield part.standard_ref, part.label, part, section


def test_the_record_has_the_standard_s_fields_in_its_order_with_its_names():
    standard = [row for row in _standard() if row["reference"] not in NOT_ASKED | set(ASKED_ONCE)]
    bank = [(ref, name) for ref, name, _, _ in _bank_fields_with_references()]
    assert bank == [(row["reference"], row["name"]) for row in standard]
    for standard_ref, fid in ASKED_ONCE.items():
        row = next(r for r in _standard() if r["reference"] == standard_ref)
        assert FIELDS[fid].label.lower() == row["name"].lower() or standard_ref == "0.11"


def test_each_field_is_in_the_standard_s_section_and_needed_as_the_standard_says():
    rows = {row["reference"]: row for row in _standard()}
    for ref, _, field, section in _bank_fields_with_references():
        category = rows[ref]["category"]
        if category in PARTS_OF:
            assert section.group == PARTS_OF[category], ref
        else:
            assert section.group == "tier-2", ref
            assert section.title.lower() == SECTION_OF.get(category.lower(), category.lower()), ref
        # Fields and the parts of list entries alike (a part's flag: every entry needs it).
        if field.kind != "list" and ref not in REQUIRED_EXCEPTIONS:
            assert field.required == (rows[ref]["required"] == "true"), ref
    assert [s.title for s in BANK.part_sections("tier-1")] == ["Summary information"]
    assert [s.title for s in BANK.part_sections("tier-2")] == [
        "Owner and responsibility", "Description and rationale", "Deployment context", "Tool specification",
        "Risks, mitigations and impact assessments"]
    assert FIELDS["phase"].section == "summary-information"
    assert [o.label.split(":")[0] for o in FIELDS["phase"].options] == [
        "Pre-deployment", "Private beta", "Public beta", "Production", "Retired"]
    lists = {f.label: f for f in FIELDS.values() if f.kind == "list"}
    assert [lists[name].standard_ref for name in ("Model specification", "Development data specification",
                                                  "Operational data specification")] == ["2.4.2", "2.4.3", "2.4.4"]


def test_each_part_of_an_entry_has_its_own_required_flag_not_its_list_s():
    parts = {f.id: {p.id: p.required for p in f.entry_fields} for f in FIELDS.values() if f.kind == "list"}
    # The standard marks every part of a model required, though a tool with no model needs no entry.
    assert not FIELDS["model-specifications"].required
    assert parts["model-specifications"] == dict.fromkeys(
        ["model-name", "model-version", "model-task", "model-input", "model-output", "model-architecture",
         "model-performance", "datasets-and-their-purposes"], True)
    # Data cleaning (2.4.3.9, 2.4.4.9) is the one part of a dataset the standard leaves optional.
    for data in ("development-data", "operational-data"):
        assert [pid for pid, required in parts[data].items() if not required] == ["data-cleaning"], data
    # Impact assessments and risks: parts of ours, flagged from the standard's notes for 2.5.1 and 2.5.2.
    assert parts["impact-assessments"] == {"name": True, "description": True, "date": True, "link": False}
    assert parts["risks-and-mitigations"] == {"risk": True, "description": True, "mitigation": False}


def test_a_started_entry_names_its_empty_required_parts_and_an_unstarted_one_nothing():
    answers = {"model-specifications-1--model-name": "Escalation risk score",
               "model-specifications-1--model-version": "1.2",
               "development-data-1--source-data-name": "Requests 2019 to 2023",
               "development-data-1--data-modality": "Tabular", "development-data-1--data-description": "Requests.",
               "development-data-1--data-quantities": "38,000", "development-data-1--sensitive-attributes": "None.",
               "development-data-1--data-completeness-and-representativeness": "Complete.",
               "development-data-1--source-data-url": "N/A", "development-data-1--data-collection": "Recorded.",
               "development-data-1--data-sharing-agreements": "None.",
               "development-data-1--data-access-and-storage": "Warehouse.",
               "risks-and-mitigations-1--risk": "Bias"}
    missing = tr.score_transparency_record(answers).missing_to_publish
    # The model started: its six empty parts follow the models field; no entry for the list itself.
    assert [m for m in missing if m.startswith("model-specifications")] == [
        "model-specifications-1--model-task", "model-specifications-1--model-input",
        "model-specifications-1--model-output", "model-specifications-1--model-architecture",
        "model-specifications-1--model-performance", "model-specifications-1--datasets-and-their-purposes"]
    # Every required part written; data cleaning, optional, is not asked for.
    assert not [m for m in missing if m.startswith("development-data")]
    assert [m for m in missing if m.startswith("risks-and-mitigations")] == ["risks-and-mitigations-1--description"]
    # Required lists with no entry are still named as a whole.
    assert "operational-data" in missing and "impact-assessments" in missing
    assert BANK.label_of("model-specifications-1--model-task") == "Model specification, model 1: Model task"
    assert BANK.standard_ref_of("model-specifications-1--model-task") == "2.4.2.3"
    assert BANK.standard_ref_of("risks-and-mitigations-1--description") == "2.5.2"


def test_the_result_links_each_empty_required_part_to_its_box_in_the_form():
    answers = {"impact-assessments-1--name": "DPIA", "impact-assessments-1--description": "Done."}
    html = str(render_transparency_result(tr.score_transparency_record(answers), bank=BANK))
    assert ('<a href="#transparency-record--impact-assessments-1--date">'
            'Impact assessment, impact assessment 1: Date of completion</a>') in html
    assert "impact-assessments-1--link" not in html  # optional: not needed to publish


def test_a_part_of_an_entry_must_say_whether_it_is_needed():
    data = _raw_bank()
    lists = [f for s in data["sections"] for f in s["fields"] if f["kind"] == "list"]
    del lists[0]["entry_fields"][0]["required_to_publish"]
    with pytest.raises(BankError, match="required_to_publish"):
        tr.parse_transparency_bank(data)


def test_our_own_fields_are_marked_not_part_of_the_standard_and_never_published():
    own = [f for f in FIELDS.values() if not f.standard_ref]
    # The dates were fields of v3.0's metadata, which v4.0 leaves to the ATRS team: kept as ours.
    assert [f.id for f in own] == ["publication-sign-off", "analytics-type", "how-used", "why-used",
                                   "date-of-completion", "date-updated"]
    assert all(f.section == "own-use" and not f.publish and not f.required for f in own[1:])
    assert FIELDS["publication-sign-off"].required  # the Main Guidance asks for sign-off before publishing
    assert BANK.part("own-use").title == "For your own use: not part of the standard"
    assert [p.id for p in BANK.parts] == ["tier-1", "tier-2", "own-use"]
    assert "version 4.0" in BANK.standard


def test_impact_assessments_risks_models_and_datasets_are_lists_of_entries():
    lists = {fid: f for fid, f in FIELDS.items() if f.kind == "list"}
    assert list(lists) == ["model-specifications", "development-data", "operational-data", "impact-assessments",
                           "risks-and-mitigations"]
    assert [p.id for p in lists["impact-assessments"].entry_fields] == ["name", "description", "date", "link"]
    assert [p.id for p in lists["risks-and-mitigations"].entry_fields] == ["risk", "description", "mitigation"]
    answers = {"impact-assessments-2--name": "EqIA", "impact-assessments-1--name": "DPIA",
               "impact-assessments-1--date": "2025-03-03"}
    clean = tr.validate_transparency_answers(answers)
    assert list(clean) == ["impact-assessments-1--name", "impact-assessments-1--date", "impact-assessments-2--name"]
    line = next(l for l in tr.score_transparency_record(clean).lines if l.field == "impact-assessments")
    assert line.answer == "2 impact assessments"
    assert line.entries == ((("Name", "DPIA"), ("Date of completion", "3 March 2025")), (("Name", "EqIA"),))
    for bad in ({"impact-assessments-16--name": "x"}, {"impact-assessments--name": "x"},
                {"impact-assessments-1--colour": "x"}, {"risks-and-mitigations-0--risk": "x"}):
        with pytest.raises(InputError, match="does not have"):
            tr.validate_transparency_answers(bad)
    with pytest.raises(InputError, match="not a date"):
        tr.validate_transparency_answers({"impact-assessments-1--date": "soon"})


def test_every_field_has_help_and_free_text_has_a_maximum_length():
    for field in FIELDS.values():
        assert field.help.strip() and field.label.strip(), field.id
        assert (field.max_length > 0) == field.is_free_text, field.id
        for part in field.entry_fields:
            assert part.help.strip() and (part.max_length > 0) == part.is_free_text, (field.id, part.id)
    assert [fid for fid, f in FIELDS.items() if not f.publish] == [
        "publication-sign-off", "analytics-type", "how-used", "why-used", "date-of-completion", "date-updated"]


# ----------------------------------------------------------------------- migration

OLD_RECORD = {
    "last-updated": "2025-09-01", "website": "https://www.example.gov.uk/x", "contact": "team@example.gov.uk",
    "organisation": "Example County Council", "third-parties": "None: built in-house.",
    "benefits": "Gaps seen earlier.", "information-provided": "Charts.", "human-oversight": "Managers decide.",
    "frequency-and-scale": "Monthly.", "training": "One hour.", "testing-and-monitoring": "Reviewed yearly.",
    "data-sources": "Case records.", "sensitive-data": "Pseudonymised.", "data-collection": "By social workers.",
    "data-sharing": "None.", "data-access-retention": "Warehouse, by role.",
    "impact-assessments": "DPIA screening, 3 March 2025.", "risks-and-mitigations": "Small numbers: suppressed.",
    "name": "Placement dashboard", "how-used": "Each month.", "phase": "production",
}


# Where each answer of the first version is now (through v3.0 to v4.0).
FIRST_TO_NOW = {
    "last-updated": "date-updated", "website": "website-url", "contact": "contact-email",
    "organisation": "organisation-or-department", "third-parties": "third-party-role", "benefits": "benefit",
    "frequency-and-scale": "frequency-and-scale-of-usage", "training": "required-training",
    "testing-and-monitoring": "maintenance", "human-oversight": "human-review",
    "data-sources": "development-data-1--data-description", "sensitive-data": "development-data-1--sensitive-attributes",
    "data-collection": "development-data-1--data-collection",
    "data-sharing": "development-data-1--data-sharing-agreements",
    "data-access-retention": "development-data-1--data-access-and-storage",
    "impact-assessments": "impact-assessments-1--description",
    "risks-and-mitigations": "risks-and-mitigations-1--description",
}


def test_a_record_saved_with_the_first_version_loads_with_every_answer_carried_over(tmp_path):
    record = export_record("transparency-record", {}) | {"bank_version": "1.0.0", "answers": OLD_RECORD}
    imported = import_record("transparency-record", json.dumps(record))
    answers = imported.answers
    for old, value in OLD_RECORD.items():
        if old == "information-provided":  # v3.0's Provided information, now within v4.0's integration field
            assert answers["integration-into-broader-operational-process"] == "Provided information: Charts."
        else:
            assert answers[FIRST_TO_NOW.get(old, old)] == value, old
    assert answers["impact-assessments-1--description"] == "DPIA screening, 3 March 2025."
    assert answers["development-data-1--data-access-and-storage"] == "Warehouse, by role."
    assert any("follows version 3.0 of the standard" in note for note in imported.notes)
    assert any("follows version 4.0 of the standard" in note for note in imported.notes)
    assert not any("left out" in note for note in imported.notes)


# Every field of v3.0 (bank 2.0.0) whose id v4.0 changed, written, and the pilot phase.
V3_RECORD = {
    "phase": "pilot", "external-supplier-involvement": "yes", "external-supplier": "Example Analytics Ltd",
    "external-supplier-role": "Hosts the platform.", "data-access-terms": "Under a processing agreement.",
    "detailed-description": "Monthly counts.", "scope": "Planning only, never single children.",
    "process-integration": "Informs the commissioning meeting.", "provided-information": "Charts of totals.",
    "human-decisions-and-review": "Commissioners decide.", "date-of-completion": "2025-09-01",
    "model-specifications-1--model-name": "Forecast", "model-specifications-1--datasets": "Episodes 2019-2024.",
    "model-specifications-1--dataset-purposes": "Four years to fit, one to test.",
    "model-specifications-2--dataset-purposes": "Testing only.",
    "data-specifications-1--source-data-name": "Episodes", "data-specifications-2--data-quantities": "4,000 rows.",
}
V3_IN_V4 = {
    "third-party-involvement": "yes", "third-party": "Example Analytics Ltd", "third-party-role": "Hosts the platform.",
    "third-party-data-access-terms": "Under a processing agreement.",
    "detailed-description": "Detailed description: Monthly counts.\n\nScope: Planning only, never single children.",
    "integration-into-broader-operational-process":
        "Process integration: Informs the commissioning meeting.\n\nProvided information: Charts of totals.",
    "human-review": "Commissioners decide.", "date-of-completion": "2025-09-01",
    "model-specifications-1--model-name": "Forecast",
    "model-specifications-1--datasets-and-their-purposes":
        "Datasets: Episodes 2019-2024.\n\nDataset purposes: Four years to fit, one to test.",
    "model-specifications-2--datasets-and-their-purposes": "Dataset purposes: Testing only.",
    "development-data-1--source-data-name": "Episodes", "development-data-2--data-quantities": "4,000 rows.",
}
PILOT_LEFT_OUT = ("The option \u201cPilot or beta: in limited use\u201d you chose no longer exists and was left out: "
                  "version 4.0 of the standard replaces it with Private beta and Public beta. Answer \u201cPhase\u201d "
                  "again, in Summary information.")


def test_a_v3_record_loads_into_v4_with_merged_texts_under_their_old_names_and_the_pilot_phase_named():
    done = upgrade_answers(TOOL, V3_RECORD, "2.0.0")
    assert done.answers == V3_IN_V4
    # Whatever order they were saved in (browser storage lists them alphabetically).
    assert upgrade_answers(TOOL, dict(sorted(V3_RECORD.items(), reverse=True)), "2.0.0").answers == V3_IN_V4
    assert done.left_out == (PILOT_LEFT_OUT,)
    assert done.notes and "follows version 4.0 of the standard" in done.notes[0] and done.unexplained == ()
    # The same through a file, a project file and the page's upgrade request.
    record = export_record("transparency-record", {}) | {"bank_version": "2.0.0", "answers": V3_RECORD}
    imported = import_record("transparency-record", json.dumps(record))
    assert imported.answers == V3_IN_V4
    assert PILOT_LEFT_OUT in imported.notes and any("version 4.0" in note for note in imported.notes)
    response = call(op="upgrade", tool="transparency-record", answers=V3_RECORD, bank_version="2.0.0")
    assert response["answers"] == V3_IN_V4 and response["left_out"] == [PILOT_LEFT_OUT]
    assert response["moved"] == list(done.notes)
    # A merged field that already holds text of its own keeps it first, under its name.
    both = upgrade_answers(TOOL, {"detailed-description": "Ours.", "scope": "Theirs."}, "2.0.0").answers
    assert both == {"detailed-description": "Detailed description: Ours.\n\nScope: Theirs."}
    # Merged text longer than either old field still fits the new one.
    longest = {"detailed-description": "d" * 5000, "scope": "s" * 2000, "process-integration": "p" * 3000,
               "provided-information": "i" * 3000, "model-specifications-1--datasets": "a" * 2000,
               "model-specifications-1--dataset-purposes": "b" * 2000}
    assert len(upgrade_answers(TOOL, longest, "2.0.0").answers) == 3


def test_the_first_versions_fields_are_merged_by_the_one_upgrade_path_keeping_both_texts():
    # Answers kept in a browser under the old names and the new: both texts are kept.
    done = upgrade_answers(TOOL, {"benefits": "Old text.", "benefit": "New text.", "contact": "a@example.gov.uk"},
                           "1.0.0")
    assert done.answers == {"benefit": "New text.\n\nOld text.", "contact-email": "a@example.gov.uk"}
    assert any("follows version 3.0 of the standard" in line for line in done.carried)
    assert done.left_out == () and done.unexplained == ()
    # The record's own validator knows only the current fields: the old names go through the upgrade.
    with pytest.raises(InputError):
        tr.validate_transparency_answers({"contact": "a@example.gov.uk"})


def test_field_ids_never_clash_with_the_ids_the_page_uses():
    assert not {"load", "result-heading", "how-to-write", "preview", "start-from"} & set(FIELDS)
    assert not {f"part-{p.id}" for p in BANK.parts} & set(FIELDS)
    assert not {f"bring-in-{s}" for s in BANK.bring_in} & set(FIELDS)


def test_the_tool_brings_in_from_the_business_case_and_the_triage_and_warns_before_closing():
    assert set(TOOL.bring_in) == set(BANK.bring_in) == {"business-case", "ethics-triage"}
    assert TOOL.warn_unexported and set(TOOL.exports) == {"markdown", "word", "xlsx"}
    assert TOOL.context_tools == ("test-and-monitor",)  # its thresholds, shown with the model specification


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_every_worked_example_gives_the_result_the_bank_says(example):
    result = tr.score_transparency_record(example.answers)
    assert result.missing_to_publish == example.expected_missing_to_publish
    assert result.ready_to_publish == (not example.expected_missing_to_publish)


def _fill(source: str, index: int, **changes):
    def change(raw):
        entry = next(b for b in raw["bring_in"] if b["source"] == source)
        entry["fill"][index].update(changes)
    return change


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda raw: raw["sections"][1].__setitem__("part", "tier-3"), "sections[1].part"),
        (lambda raw: raw["sections"][-1].__setitem__("part", "tier-1"), f"sections[{len(BANK.sections) - 1}].part"),
        (lambda raw: raw["parts"].append({"id": "tier-3", "title": "T3", "short_title": "T3"}), "parts[3]"),
        (lambda raw: raw["parts"][1].pop("short_title"), "parts[1].short_title"),
        (lambda raw: raw["sections"][1]["fields"][0].__setitem__("publish", "no"), "sections[1].fields[0].publish"),
        (lambda raw: raw["sections"][1]["fields"][0].__setitem__("required_to_publish", 1),
         "sections[1].fields[0].required_to_publish"),
        (lambda raw: raw["rules"].__setitem__("name_field", "phase"), "rules.name_field"),
        (lambda raw: raw["bring_in"][0].__setitem__("source", "horoscope"), "bring_in[0].source"),
        (lambda raw: raw["bring_in"][1].__setitem__("source", "business-case"), "bring_in[1].source"),
        (_fill("business-case", 0, field="phase"), "bring_in[0].fill[0].field"),
        (_fill("business-case", 0, field="nowhere"), "bring_in[0].fill[0].field"),
        (_fill("business-case", 0, **{"from": "use-case-name"}), "bring_in[0].fill[0].from"),
        (_fill("ethics-triage", 0, **{"from": "project-name"}), "bring_in[1].fill[0].from"),
        (_fill("ethics-triage", 0, template="No placeholder"), "bring_in[1].fill[0].template"),
        (_fill("ethics-triage", 0, template="{answer} and {answer}"), "bring_in[1].fill[0].template"),
        (_fill("ethics-triage", 0, template="{answer} {other}"), "bring_in[1].fill[0].template"),
        (lambda raw: raw["examples"][0]["answers"].__setitem__("phase", "someday"), "examples[0].answers"),
        (lambda raw: raw["examples"][1]["expected"].__setitem__("missing_to_publish", ["previous-process"]),
         "examples[1].expected.missing_to_publish"),
        (_fill("ethics-triage", 7, field="impact-assessments-2--name"), "bring_in[1].fill[7].each"),
        (_fill("business-case", 0, each=True), "bring_in[0].fill[0].each"),
        (lambda raw: raw["sections"][-2]["fields"][0]["entry_fields"][0].__setitem__("kind", "list"),
         f"sections[{len(BANK.sections) - 2}].fields[0].entry_fields[0].kind"),
        (lambda raw: raw["sections"][-2]["fields"][0].__setitem__("max_entries", 0),
         f"sections[{len(BANK.sections) - 2}].fields[0].max_entries"),
    ],
)
def test_an_invalid_bank_names_the_file_and_field(change, where):
    raw = _raw_bank()
    change(raw)
    with pytest.raises(BankError) as raised:
        tr.parse_transparency_bank(raw)
    assert raised.value.bank == "transparency-record.toml"
    assert raised.value.where == where
    assert str(raised.value).startswith(f"transparency-record.toml: {where}")


# ------------------------------------------------------------------------ bring in


def test_the_business_case_fills_the_description_rationale_datasets_and_owner():
    updates = tr.fill_from_business_case(CASE_RESULT, {})
    assert updates["name"] == CASE.answers["project-name"]
    assert updates["description"] == CASE.answers["solution"]
    assert updates["why-used"] == f"{CASE.answers['problem']}\n\n{CASE.answers['why-analytics']}"
    assert updates["operational-data-1--data-description"] == CASE.answers["datasets"]
    assert updates["senior-responsible-owner"] == CASE.answers["sponsor"]
    assert updates["analytics-type"] == "Descriptive: what has happened"
    assert updates["third-party-role"].startswith("How the tool is developed: In-house")
    tr.validate_transparency_answers(updates)  # every value fits its field


def test_the_triage_fills_oversight_data_and_one_entry_per_impact_assessment_and_risk():
    updates = tr.fill_from_triage(TRIAGE_RESULT, {})
    assert updates["analytics-type"] == "Predictive: what is likely to happen"
    assert updates["human-review"].startswith("How insights from the tool are used: To prioritise cases")
    assert updates["operational-data-1--data-description"].startswith(
        "Data comes from: Your own case management system; Education")
    advised = [a.name for a in TRIAGE_RESULT.impact_assessments if a.advised]
    assert [updates[f"impact-assessments-{n}--name"] for n in range(1, len(advised) + 1)] == advised
    assert updates["impact-assessments-1--description"].startswith("Advised by our ethics triage (")
    assert f"impact-assessments-{len(advised) + 1}--name" not in updates
    themes = [t.name for t in TRIAGE_RESULT.themes]
    assert [updates[f"risks-and-mitigations-{n}--risk"] for n in range(1, len(themes) + 1)] == themes
    tr.validate_transparency_answers(updates)


def test_brought_in_text_fills_only_empty_fields_and_never_overwrites():
    current = {"name": "Our own name", "description": "   ", "operational-data-1--data-description": "Typed by us"}
    updates = tr.fill_from_business_case(CASE_RESULT, current)
    assert "name" not in updates and "operational-data-1--data-description" not in updates
    assert updates["description"] == CASE.answers["solution"]  # blank counts as empty
    merged = {**current, **updates}
    assert merged["name"] == "Our own name"
    # Bringing the triage in after the business case fills only what is still empty;
    # a list that already has an entry gets no entries brought in.
    second = tr.fill_from_triage(TRIAGE_RESULT, merged)
    assert set(second).isdisjoint(k for k, v in merged.items() if v.strip())
    assert "human-review" in second
    assert not any(key.startswith("risks-and-mitigations-") for key in second)


def test_when_nothing_is_empty_or_nothing_is_offered_the_reader_is_told():
    everything = {fid: "Ours" for fid, f in FIELDS.items() if f.is_free_text}
    everything |= {fill.field: "Ours" for fill in BANK.bring_in["business-case"].fills}
    with pytest.raises(InputError, match="already has your own text"):
        tr.fill_from_business_case(CASE_RESULT, everything)
    with pytest.raises(InputError, match="That business case has nothing written yet"):
        tr.fill_from_business_case(score_business_case({"sign-off-status": "draft"}), {})


def test_text_longer_than_the_field_allows_is_shortened_to_fit():
    long_case = score_business_case({"project-name": "x" * 150, "solution": "y" * 4000})
    updates = tr.fill_from_business_case(long_case, {})
    assert len(updates["description"]) == FIELDS["description"].max_length
    assert updates["description"].endswith("\u2026")


def test_bring_in_through_the_api_uses_the_current_answers():
    base = {"op": "bring_in", "tool": "transparency-record", "answers": {"name": "Typed first"}}
    stored = call(**base, source="business-case", source_answers=dict(CASE.answers))
    assert stored["ok"] and "name" not in stored["updates"] and "description" in stored["updates"]
    text = json.dumps(export_record("ethics-triage", dict(TRIAGE.answers)))
    from_file = call(**base, source="ethics-triage", text=text)
    assert from_file["ok"] and "name" not in from_file["updates"]
    assert from_file["updates"]["analytics-type"] == "Predictive: what is likely to happen"
    nothing = call(**{**base, "answers": {}}, source="business-case", source_answers={})
    assert not nothing["ok"] and "no Business case answers saved" in nothing["error"]
    wrong = call(**base, source="data-maturity", source_answers={"x": 1})
    assert not wrong["ok"] and "cannot use a result from" in wrong["error"]
    bad_current = call(**{**base, "answers": {"name": "x" * 151}}, source="business-case",
                       source_answers=dict(CASE.answers))
    assert not bad_current["ok"] and "too long" in bad_current["error"]


def test_the_triage_bring_in_gets_only_the_result_whatever_the_form_holds():
    # answers_from_maturity takes the result and an optional bank: the current answers
    # the api passes every bring-in must never reach it as its bank.
    maturity = next(e for e in load_data_maturity_bank().examples if e.expected_overall_level)
    response = call(op="bring_in", tool="ethics-triage", source="data-maturity", source_answers=dict(maturity.answers),
                    answers={"data-maturity": "beginning"})
    assert response == {"ok": True, "updates": answers_from_maturity(score_data_maturity(dict(maturity.answers)))}
    assert response["updates"] == {"data-maturity": maturity.expected_overall_level}


def test_every_bring_in_rule_is_used_by_the_examples():
    case = tr.fill_from_business_case(CASE_RESULT, {})
    triage = tr.fill_from_triage(TRIAGE_RESULT, {})
    assert {fill.field for fill in BANK.bring_in["business-case"].fills} == set(case)
    assert {fill.field for fill in BANK.bring_in["ethics-triage"].fills} <= set(triage)


# ----------------------------------------------------------------------------- view


def test_the_result_lists_empty_fields_by_tier_with_links():
    result = tr.score_transparency_record(TIER_1_DRAFT.answers)
    html = render_transparency_result(result)
    assert "29 fields needed to publish still empty." in html
    assert 'data-part="tier-1" data-empty-required="5"' in html
    assert f'<a href="#transparency-record--contact-email">{FIELDS["contact-email"].label}</a>' in html
    assert "Optional, still empty:" in html
    assert summarise_transparency_result(result) == (
        "Result updated: 29 fields needed to publish still empty (Tier 1: 3 of 8; Tier 2: 0 of 28; "
        "For your own use: 1 of 6).")


def test_the_preview_reads_tier_1_then_tier_2_in_order():
    result = tr.score_transparency_record(COMPLETE.answers)
    html = render_transparency_result(result)
    assert 'data-ready="true"' in html
    positions = [html.index(p.title) for p in BANK.parts]
    assert positions == sorted(positions)
    sections = [html.index(f'data-record-section="{s.id}"') for s in BANK.sections]
    assert sections == sorted(sections)
    assert "Sign-off to publish (not published)" in html
    assert "This record follows the Algorithmic Transparency Recording Standard (ATRS) version 4.0." in html
    assert "<strong>Impact assessment 1</strong>" in html and "DPIA screening" in html
    assert summarise_transparency_result(result).startswith("Result updated: every field needed to publish")


def test_text_from_the_reader_is_escaped_in_the_page():
    html = render_transparency_result(tr.score_transparency_record({"name": "<script>alert(1)</script>"}))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_json_record_is_laid_out_by_part_and_section_with_published_fields_only():
    record = tr.score_transparency_record(COMPLETE.answers).to_dict()["record"]
    assert [part["part"] for part in record] == ["tier-1", "tier-2", "own-use"]
    assert [s["section"] for s in record[1]["sections"]] == [s.id for s in BANK.part_sections("tier-2")]
    assert record[2]["sections"] == []
    published = [f["field"] for part in record for s in part["sections"] for f in s["fields"]]
    assert "publication-sign-off" not in published
    written = {key.split("-1--")[0] for key in COMPLETE.answers}
    assert published == [fid for fid in FIELDS if fid in written and FIELDS[fid].publish]
    risks = next(f for s in record[1]["sections"] for f in s["fields"] if f["field"] == "risks-and-mitigations")
    assert risks["entries"] == [{"Risk": "Identifying children", "Description": "Small numbers could identify children.",
                                 "Mitigation": "Figures below five are suppressed."}]


# ------------------------------------------------------------------------- Markdown


def test_the_markdown_is_ready_to_publish_in_the_standard_s_order():
    result = tr.score_transparency_record(COMPLETE.answers)
    document = transparency_markdown(dict(COMPLETE.answers), result)
    assert document.startswith("# Algorithmic transparency record: Placement sufficiency dashboard\n")
    assert "*This record follows the Algorithmic Transparency Recording Standard (ATRS) version 4.0.*" in document
    assert "### Region\n\nExample County" in document and "### Phase\n\nProduction: in use" in document
    assert "1 September 2025" not in document  # the date of completion is ours now, never published
    assert document.index("## Tier 1: summary information") < document.index("## Tier 2: detailed information")
    assert "#### Impact assessment\n\n##### Impact assessment 1\n\n**Name:** DPIA screening" in document
    headings = [document.index(f"### {n}. {s.title}") for n, s in enumerate(BANK.part_sections("tier-2"), start=1)]
    assert headings == sorted(headings)
    for line in result.lines:
        if line.publish and line.entries:
            for _, value in (part for entry in line.entries for part in entry):
                assert markdown_text(value) in document, line.field
        elif line.publish and line.answer:
            assert markdown_text(line.answer) in document, line.field
    assert COMPLETE.answers["publication-sign-off"] not in document
    assert "Sign-off to publish" not in document and "For your own use" not in document
    assert "*Not completed yet.*" in document  # optional fields left empty


def test_typed_markup_comes_out_inert_in_the_markdown():
    answers = {"name": "<script>alert(1)</script>", "description": "## Injected\n![x](https://evil.example/t.png)"}
    document = transparency_markdown(answers, tr.score_transparency_record(answers))
    assert "<" not in document
    assert "# Algorithmic transparency record: &lt;script>alert(1)&lt;/script>" in document
    assert "\\## Injected  \n!\\[x](https://evil.example/t.png)" in document


def test_the_markdown_comes_through_the_api():
    response = call(op="export_as", tool="transparency-record", format="markdown", answers=dict(COMPLETE.answers))
    assert response["ok"] and response["media_type"] == "text/markdown"
    assert response["file_name"].startswith("transparency-record-") and response["file_name"].endswith(".md")
    assert "## Tier 2: detailed information" in response["text"]


# --------------------------------------------------------------- answers, records


@pytest.mark.parametrize(
    "answers, words",
    [
        ({"tier-3": "x"}, "a field this transparency record does not have"),
        ({"phase": "someday"}, "not one of the options"),
        ({"contact-email": "x" * 301}, "too long"),
        ({"date-updated": "yesterday"}, "not a date"),
    ],
)
def test_bad_answers_are_refused_in_plain_words(answers, words):
    with pytest.raises(InputError, match=words):
        tr.validate_transparency_answers(answers)


ANSWER = st.one_of(JUNK, st.text(max_size=300),
                   st.sampled_from(["production", "retired", "2025-09-01", "2025-02-30", ""]))
ANSWERS = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(sorted(FIELDS)), st.text(max_size=12)), ANSWER, max_size=10),
    st.dictionaries(st.sampled_from(sorted(FIELDS)), ANSWER, max_size=40),
    JUNK,
)


@settings(max_examples=300, deadline=None)
@given(ANSWERS)
def test_any_answers_give_a_valid_result_or_a_clear_error(answers):
    try:
        clean = tr.validate_transparency_answers(answers)
    except InputError as problem:
        assert str(problem)
        return
    result = tr.score_transparency_record(clean)
    json.dumps(result.to_dict())
    assert render_transparency_result(result).startswith("<div")
    assert summarise_transparency_result(result).startswith("Result updated")
    assert "<" not in transparency_markdown(clean, result)


@settings(max_examples=100, deadline=None)
@given(ANSWERS, st.sampled_from(["business-case", "ethics-triage"]), JUNK)
def test_bring_in_always_answers_in_plain_words(answers, source, source_answers):
    response = json.loads(api.handle(json.dumps(
        {"op": "bring_in", "tool": "transparency-record", "source": source, "answers": answers,
         "source_answers": source_answers}, default=str)))
    assert response["ok"] or "guide's own code" not in response["error"]


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_export_then_import_gives_the_same_answers_and_result(example):
    record = export_record("transparency-record", dict(example.answers), created="2025-09-01T10:00:00Z")
    jsonschema.validate(record, record_schema("transparency-record"))
    imported = import_record("transparency-record", json.dumps(record))
    assert imported.answers == dict(example.answers)
    assert imported.result.to_dict() == record["result"]
    assert imported.notes == ()


def test_another_tool_s_file_is_refused_in_plain_words():
    text = json.dumps(export_record("business-case", dict(CASE.answers)))
    with pytest.raises(InputError, match="This file is from Business case, not the Algorithmic transparency record"):
        import_record("transparency-record", text)


# ------------------------------------------------------------------- the source's words


HUB = "https://www.gov.uk/government/collections/algorithmic-transparency-recording-standard-hub"


def test_the_record_says_the_guidance_encourages_a_record_as_the_source_does():
    # The Main Guidance: "Those involved in the development of a tool are encouraged to
    # complete an [Algorithmic Transparency Standard template]". Not "asks".
    source = (ROOT / "tests" / "fixtures" / "main-guidance-source.txt").read_text("utf-8")
    assert "are encouraged to complete an [Algorithmic Transparency Standard template]" in source
    raw = _raw_bank()
    texts = [raw["provenance"], *(section["source"] for section in raw["sections"] if "guidance:" in section["source"])]
    assert all("encourage" in text and "asks you to complete" not in text for text in texts)
    for page in ("docs/explainers/transparency.md", "docs/tools/transparency-record.md"):
        text = (ROOT / page).read_text("utf-8")
        assert "encourage" in text, page
        assert not re.search(r"asks (those|teams|you)[^.]{0,80}(complete|prepare)[^.]{0,40}(ATRS|Transparency)", text), page


def test_a_link_named_template_leads_to_a_template_not_to_the_hub():
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for text, target in re.findall(r"\[([^\]]+)\]\(([^)]+)\)", page.read_text("utf-8")):
            if target.startswith(HUB):
                assert "template" not in text.lower(), (page.name, text)
