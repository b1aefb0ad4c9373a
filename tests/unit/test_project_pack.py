"""The governance pack (project/pack.py): one document from every tool's saved answers,
brought up to date first, in lifecycle order, with what is still open on its first page.

Expected values are written here from the banks' worked examples; the Word file itself
is checked in the browser (tests/browser/test_browser_atrs_and_pack.py)."""

from __future__ import annotations

import json

import pytest

from assessments import __version__, api
from assessments.core.errors import InputError
from assessments.data_maturity.view import maturity_word
from assessments.project.pack import LIFECYCLE, governance_pack, pack_file_name, pack_html
from assessments.tools import TOOLS

MATURITY = {**dict(next(e for e in TOOLS["data-maturity"].load_bank().examples
                          if e.name == "Embedded everywhere: proceed").answers),
            "respondent-role": "analyst", "respondent-team": "Children's performance team"}
TRIAGE = dict(next(e for e in TOOLS["ethics-triage"].load_bank().examples
                   if e.name == "Predictive individual risk scores with automatic referral").answers)
THRESHOLDS = {"min-precision": "60", "min-recall": "75", "max-difference": "5", "min-group-size": "100",
              "outcome-column": "Re-referred within 12 months", "score-column": "Risk score"}
CHECKLISTS = {"exploratory--complete-data-maturity-self-assessment": ["done"],
              "problem-identification--identify-potential-users": ["done"]}
RECORD = {"phase": "pilot", "name": "Early help needs map", "scope": "Planning only.",  # saved by v3.0 (bank 2.0.0)
          "data-specifications-1--source-data-name": "Early help requests",
          "data-specifications-1--data-cleaning": "Duplicates removed."}
TOOLS_ANSWERS = {"ethics-triage": TRIAGE, "data-maturity": MATURITY, "test-and-monitor": THRESHOLDS,
                 "checklists": CHECKLISTS, "transparency-record": RECORD}
VERSIONS = {slug: TOOLS[slug].version for slug in TOOLS_ANSWERS} | {"transparency-record": "2.0.0"}


def blocks_text(document) -> list[str]:
    out = []
    for block in document.blocks:
        if block["type"] == "heading":
            out.append(block["text"])
        elif block["type"] == "paragraph":
            out.append("".join(run["text"] for run in block["runs"]))
        elif block["type"] in ("bullets", "numbered"):
            out += block["items"]
        else:
            out += [" | ".join(row) for row in [block["header"], *block["rows"]]]
    return out


def headings(document, level: int) -> list[str]:
    return [b["text"] for b in document.blocks if b["type"] == "heading" and b["level"] == level]


PACK = governance_pack(TOOLS_ANSWERS, VERSIONS, "Early help", created="2026-12-01T09:00:00Z")
TEXT = blocks_text(PACK)


def test_a_cover_with_the_project_the_date_and_the_guide_version_then_contents():
    assert headings(PACK, 0) == ["Governance pack: Early help"]
    assert TEXT[1:4] == ["Project: Early help", "Date: 1 December 2026", f"Guide version: {__version__}"]
    contents = next(b for b in PACK.blocks if b["type"] == "numbered")
    assert contents["items"] == ["What is still open", "Data maturity self-assessment", "Ethics triage",
                                 "Stage checklists", "Accuracy thresholds agreed at Design",
                                 "Algorithmic transparency record"]
    assert PACK.footer == f"Governance pack: Early help. Made on 1 December 2026 with version {__version__} of the guide."


def test_one_section_per_tool_with_answers_in_lifecycle_order_each_with_its_provenance():
    assert headings(PACK, 1) == ["Contents", "What is still open", "Data maturity self-assessment", "Ethics triage",
                                 "Stage checklists", "Accuracy thresholds agreed at Design",
                                 "Algorithmic transparency record"]
    assert LIFECYCLE.index("data-maturity") < LIFECYCLE.index("user-needs") < LIFECYCLE.index("ethics-triage")
    provenance = [line for line in TEXT if line.startswith("Provenance: ")]
    assert len(provenance) == 5
    assert provenance[0].startswith("Provenance: this self-assessment is a companion to the Local Government "
                                    "Association's data maturity self-assessment")
    assert provenance[3].startswith("Provenance: the Main Guidance asks teams to set accuracy thresholds at Design")
    # Each tool's own Word document follows, its headings one level down.
    assert "Role: Analyst" in TEXT and "Team: Children's performance team" in TEXT
    assert "Minimum precision: At least 60% of the cases the tool flags should have the outcome, for everyone and " \
           "for every group judged." in TEXT


def test_what_is_still_open_comes_first_red_flags_empty_atrs_fields_unticked_items_unanswered():
    start = TEXT.index("What is still open", TEXT.index("What is still open") + 1)
    end = TEXT.index("Data maturity self-assessment", start)
    first_page = TEXT[start:end]
    for flag in ("The tool would act without a professional considering the evidence",
                 "Predictive analytics at medium data maturity or below",
                 "Predictive analytics without experienced data scientists",
                 "Machine learning presented as proven at identifying individual risk"):
        assert flag in first_page
    # The record, saved by v3.0 with a "Pilot or beta" phase: brought up to date, then its empty required fields.
    assert "Phase (0.13)" in first_page and "Contact email (1.4)" in first_page and "Name (1.1)" not in first_page
    assert "Detailed description (2.2.1)" not in first_page  # Scope was carried into it
    # A dataset started (v3.0's data specification, now Development data): its empty required parts,
    # each with the standard's number; its optional data cleaning, written or not, never.
    assert "Development data specification, dataset 1: Data modality (2.4.3.2)" in first_page
    assert "Development data specification, dataset 1: Data access and storage (2.4.3.11)" in first_page
    assert not [line for line in first_page if "Source data name" in line or "Data cleaning" in line]
    assert "Model specification (2.4.2)" not in first_page  # no model started: none needed
    # Unticked items of the two stages reached, not of the stages beyond.
    assert "Exploratory (13 items)" in first_page and "Problem identification (14 items)" in first_page
    assert ("Identify potential users, interpreted broadly: those who work directly or indirectly with children and "
            "families, or use data to make decisions that relate to them.") not in first_page
    assert ("Consider the data literacy of Children's Services teams, with support from Service Leads and Heads of "
            "Service.") in first_page
    assert not any(line.startswith("Design (") for line in first_page)
    assert "Ethics triage: 4 questions not answered." in first_page


def test_answers_of_an_earlier_release_are_brought_up_to_date_and_the_pack_says_so():
    record = TEXT[TEXT.index("Algorithmic transparency record", TEXT.index("Stage checklists", 20)):]
    assert any(line.startswith("Brought up to date: ") and "Pilot or beta" in line for line in record)
    assert "Scope: Planning only." in record  # the v3.0 Scope, now in the v4.0 Detailed description


def test_nothing_from_a_data_file_only_the_thresholds():
    assert not [line for line in TEXT if "Re-referred within 12 months" in line or "Risk score" in line]


def test_with_no_saved_answers_it_says_so():
    with pytest.raises(InputError, match="No tool has answers saved in this browser yet"):
        governance_pack({}, {}, "")
    response = json.loads(api.handle(json.dumps({"op": "project_pack", "tools": {"checklists": {}}, "versions": {}})))
    assert response == {"ok": False, "error": response["error"]} and "nothing to put in a governance pack" in response["error"]


def test_through_the_api_as_word_and_as_the_print_view():
    request = {"op": "project_pack", "tools": TOOLS_ANSWERS, "versions": VERSIONS, "title": "Early help"}
    word = json.loads(api.handle(json.dumps(request)))
    assert word["ok"] and word["file_name"].startswith("governance-pack-early-help-") and word["file_name"].endswith(".docx")
    assert word["document"]["title"] == "Governance pack: Early help"
    printed = json.loads(api.handle(json.dumps({**request, "view": "print"})))["html"]
    assert printed.startswith('<article class="cssc-pack__document">')
    assert "<h2 class=\"cssc-pack__title\">Governance pack: Early help</h2>" in printed
    assert "Predictive analytics without experienced data scientists" in printed
    hostile = json.loads(api.handle(json.dumps({**request, "title": "<script>x</script>", "view": "print"})))["html"]
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile
    assert pack_file_name("", "2026-12-01T09:00:00Z") == "governance-pack-2026-12-01.docx"


def test_the_data_maturity_word_file_names_the_respondent_s_role_and_team():
    tool = TOOLS["data-maturity"]
    document = maturity_word(MATURITY, tool.score(MATURITY))
    text = blocks_text(document)
    assert text[1:3] == ["Role: Analyst", "Team: Children's performance team"]
    assert "Role: " not in " ".join(blocks_text(maturity_word({}, tool.score({}))))


def test_the_print_view_keeps_typed_line_breaks_and_escapes_everything():
    html = pack_html(governance_pack({"user-needs": {"row-1--user": "Managers <b>\nand</b> leads"}}, {}, ""))
    assert "Managers &lt;b&gt;\nand&lt;/b&gt; leads" in html
