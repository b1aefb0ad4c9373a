"""The transparency record's spreadsheet for the ATRS team (transparency_record/workbook.py):
opened with openpyxl, it holds one sheet per section of ATRS v4.0 with each field's
reference number, name, whether it is required and the answer, one row per repeated
entry, and typed text that looks like a formula stays text.

Expected values are written here, from the bank's worked example "A model in private
beta, with two datasets to develop it", not taken from the layout the code builds."""

from __future__ import annotations

import base64
import io
import json

import openpyxl
import pytest

from assessments import api
from assessments.transparency_record import workbook
from assessments.transparency_record.model import load_transparency_bank

EXAMPLE = next(e for e in load_transparency_bank().examples
               if e.name == "A model in private beta, with two datasets to develop it")
SHEETS = ["Summary information", "Owner and responsibility", "Description and rationale", "Deployment context",
          "Tool specification", "Model specification", "Development data specification",
          "Operational data specification", "Risks, mitigations and impact"]


def download(answers: dict) -> openpyxl.Workbook:
    response = json.loads(api.handle(json.dumps(
        {"op": "export_as", "tool": "transparency-record", "format": "xlsx", "answers": answers})))
    assert response["ok"], response
    assert response["file_name"].startswith("transparency-record-") and response["file_name"].endswith(".xlsx")
    assert response["media_type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(base64.b64decode(response["base64"])))


def rows(sheet) -> list[tuple]:
    return [tuple("" if value is None else value for value in row) for row in sheet.iter_rows(values_only=True)]


def field_row(sheet, reference: str) -> tuple:
    return next(row[:4] for row in rows(sheet) if row[0] == reference)


def test_one_sheet_per_section_of_the_standard_in_its_order():
    book = download(dict(EXAMPLE.answers))
    assert book.sheetnames == SHEETS
    assert book["Risks, mitigations and impact"]["A1"].value == "Risks, mitigations and impact assessments"
    assert "Early help prioritisation model" in book["Summary information"]["A2"].value
    assert "version 4.0" in book["Summary information"]["A2"].value


def test_each_field_has_its_reference_name_whether_required_and_the_answer():
    book = download(dict(EXAMPLE.answers))
    summary = book["Summary information"]
    assert ("Reference", "Field", "Required", "Answer") in rows(summary)
    assert field_row(summary, "0.13") == ("0.13", "Phase", "Required", "Private beta: in limited use by invited users")
    assert field_row(summary, "0.14") == ("0.14", "Region", "Required", "England")
    assert field_row(summary, "1.1") == ("1.1", "Name", "Required", "Early help prioritisation model")
    assert field_row(summary, "1.3") == ("1.3", "Website URL", "Required", "")  # empty, still listed
    owner = book["Owner and responsibility"]
    assert field_row(owner, "2.1.4") == ("2.1.4", "Third party involvement", "Required", "Yes")
    # Version 4.0's guidance: every field of Owner and responsibility is completed (N/A where it does not apply).
    assert field_row(owner, "2.1.4.1") == ("2.1.4.1", "Third party", "Required", "Example Analytics Ltd")
    assert field_row(owner, "2.1.4.2") == ("2.1.4.2", "Companies House Number", "Required", "01234567")
    assert field_row(owner, "2.1.4.4") == ("2.1.4.4", "Procurement procedure type", "Required", "")
    description = book["Description and rationale"]
    assert field_row(description, "2.2.3") == ("2.2.3", "Previous process", "Optional", "")
    tool = book["Tool specification"]
    assert field_row(tool, "2.4.1.2") == ("2.4.1.2", "System-level input", "Required", "")
    # Our own fields (sign-off, notes, the dates v4.0 dropped) are not the standard's: never in it.
    everything = [cell for sheet in book.worksheets for row in rows(sheet) for cell in row]
    assert not {"Sign-off to publish", "Type of analytics", "Date updated"} & set(everything)


def test_repeated_entries_are_one_row_each_under_the_references_and_names_of_their_parts():
    book = download(dict(EXAMPLE.answers))
    models = rows(book["Model specification"])
    header = models.index(("Reference", "2.4.2.1", "2.4.2.2", "2.4.2.3", "2.4.2.4", "2.4.2.5", "2.4.2.6", "2.4.2.7",
                           "2.4.2.8"))
    assert models[header + 1][:2] == ("Field", "Model name") and models[header + 1][-1] == "Datasets and their purposes"
    # Each part's own flag: the standard requires every part of a model, though a tool with no model has none.
    assert models[header + 2] == ("Required", *["Required"] * 8)
    assert models[header + 3] == ("Model 1", "Escalation risk score", "", "", "", "", "A logistic regression.", "",
                                  "Early help requests 2019 to 2023 to train it; requests in 2024 to test it.")
    assert models[header + 4][:4] == ("Model 2", "Reason ranker", "", "Lists the three facts that most raised each score.")
    development = rows(book["Development data specification"])
    required = next(row for row in development if row[0] == "Required")
    assert required == ("Required", *["Required"] * 8, "Optional", "Required", "Required")  # 2.4.3.9 Data cleaning
    entries = [row for row in development if str(row[0]).startswith("Dataset ")]
    assert [(row[1], row[4]) for row in entries] == [("Early help requests 2019 to 2023", "38,000 requests; 42 fields."),
                                                    ("Early help requests 2024", "8,100 requests.")]
    operational = [row for row in rows(book["Operational data specification"]) if str(row[0]).startswith("Dataset ")]
    assert [row[1] for row in operational] == ["New early help requests, each week"]
    risks = rows(book["Risks, mitigations and impact"])
    flags = [row for row in risks if row[0] == "Required"]
    assert [row[:5] for row in flags] == [("Required", "Required", "Required", "Required", "Optional"),  # the link
                                          ("Required", "Required", "Required", "Optional", "")]  # the mitigation
    assessments = [row[:5] for row in risks if str(row[0]).startswith("Impact assessment ")]
    assert assessments == [("Impact assessment 1", "Data Protection Impact Assessment", "", "12 May 2025", ""),
                           ("Impact assessment 2", "Equality Impact Assessment", "", "", "")]
    listed = [row[:4] for row in risks if str(row[0]).startswith("Risk ")]
    assert listed == [("Risk 1", "Bias against families in some areas", "", "Accuracy checked for each area every quarter."),
                      ("Risk 2", "Managers relying on the score", "", "")]


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"https://evil.example\",\"Click\")", "+1+1", "-2+3", "@SUM(A1)",
                                   "=1+1\nsecond line"])
def test_typed_text_that_starts_like_a_formula_stays_text(typed):
    answers = {**EXAMPLE.answers, "description": typed, "risks-and-mitigations-1--risk": typed[:300]}
    book = download(answers)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert field_row(book["Summary information"], "1.2")[3] == typed
    risk = next(row for row in rows(book["Risks, mitigations and impact"]) if row[0] == "Risk 1")
    assert risk[1] == typed[:300]


def test_characters_a_sheet_cannot_hold_are_replaced_not_refused():
    book = download({**EXAMPLE.answers, "description": "Before\x0bafter"})
    assert field_row(book["Summary information"], "1.2")[3] == "Before\ufffdafter"


def test_sheet_names_fit_excel_and_stay_unique():
    taken: set[str] = set()
    assert workbook._sheet_name("Risks, mitigations and impact assessments", taken) == "Risks, mitigations and impact"
    assert workbook._sheet_name("Risks, mitigations and impact assessments", taken) == "Risks, mitigations and impact 2"
    assert workbook._sheet_name("What/why: [draft]?", taken) == "What why   draft"


def test_an_empty_record_still_lists_every_field_of_the_standard():
    book = download({})
    references = [row[0] for sheet in book.worksheets for row in rows(sheet)
                  if row and str(row[0])[:1].isdigit()]
    assert references[:2] == ["0.12", "0.13"] and "2.3.1" in references and "2.4.1.3" in references
