"""A referrals extract with known defects, made here (never a real council's data), and
the counts the data quality check must find in it. CPython, Pyodide and the browser tests
all check the same file against the same numbers.

Each defect sits in its own rows, so the counts below are worked out by hand from the
layout, not by the code under test:
    rows 0-14     referral date written DD/MM/YYYY (the rest YYYY-MM-DD)    15
    rows 15-24    referral date 30 February (a day that does not exist)    10
    rows 25-35    referral date in 2031 (after "today", 2026-12-01)         11
    rows 36-48    contact date after the referral date                     13
    rows 50-59    sex "male", rows 60-71 "M" (beside "Male")               22 rows in other spellings
    rows 72-81    age 250 (ages are otherwise 0-17)                         10 outliers
    rows 82-91    notes starting "=HYPERLINK("                              10 formula cells
    rows 92-105   outcome "N/A", rows 106-121 blank                         30 missing (14 + 16)
    rows 180-191  outcome "Closed" (allowed: NFA, CIN, CP)                  12
    team blank for "Mixed" rows (every 4th) from row 122 on                 20 of the 200
then 10 rows reusing the IDs of rows 130-139 with other notes, and exact copies of rows
140-151 (12): 22 duplicate IDs, 12 duplicate rows, 222 rows in all. Among them, 6 more
"Mixed" rows with no team (131, 135, 139 and the copies of 143, 147, 151): 26.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

TODAY = "2026-12-01"
HEADER = ["Child ID", "Referral date", "Contact date", "Date of birth", "Sex", "Ethnicity", "Team", "Age",
          "Outcome", "Notes"]
SETTINGS = {
    "identifier-column": "Child ID",
    "group-column": "Ethnicity",
    "bias-threshold": "10",
    "rule-1--column": "Referral date", "rule-1--kind": "is-a-date",
    "rule-2--column": "Contact date", "rule-2--kind": "not-after", "rule-2--value": "Referral date",
    "rule-3--column": "Outcome", "rule-3--kind": "allowed-values", "rule-3--value": "NFA, CIN, CP",
}
# (dimension, column, check) -> rows, as the report shows them.
EXPECTED = {
    ("completeness", "Outcome", "missing"): 30,
    ("completeness", "Team", "missing"): 26,
    ("uniqueness", "Child ID", "duplicate-identifier"): 22,
    ("uniqueness", "", "duplicate-rows"): 12,
    ("consistency", "Referral date", "mixed-date-formats"): 15,
    ("consistency", "Sex", "near-duplicate-spellings"): 22,
    ("consistency", "Contact date", "rule-not-after"): 13,
    ("timeliness", "Referral date", "future-dates"): 11,
    ("validity", "Referral date", "impossible-dates"): 10,
    ("validity", "Referral date", "rule-is-a-date"): 10,
    ("validity", "Outcome", "rule-allowed-values"): 12,
    ("validity", "Notes", "formula-text"): 10,
    ("accuracy", "Age", "outliers"): 10,
}
ROWS = 222
# Values that identify a record: none may ever be stored or downloaded without the
# "example values" box ticked.
PRIVATE_VALUES = ("C00137", "2024-05-17", "Visit 137", "2012-04-05")


def defective_rows() -> list[list[str]]:
    rows = []
    for i in range(200):
        referral = date(2024, 1, 1) + timedelta(days=i)
        row = {
            "Child ID": f"C{i + 1:05d}",
            "Referral date": referral.isoformat(),
            "Contact date": (referral - timedelta(days=2)).isoformat(),
            "Date of birth": (date(2010, 1, 1) + timedelta(days=i * 13)).isoformat(),
            "Sex": "Female" if i % 2 else "Male",
            "Ethnicity": ["White British", "Asian", "Black", "Mixed"][i % 4],
            "Team": "North" if i % 3 else "South",
            "Age": str(i % 18),
            "Outcome": ["NFA", "CIN", "CP"][i % 3],
            "Notes": f"Visit {i}",
        }
        if i < 15:
            row["Referral date"] = referral.strftime("%d/%m/%Y")
        elif i < 25:
            row["Referral date"] = "2024-02-30"
        elif i < 36:
            row["Referral date"] = f"2031-05-{i - 24:02d}"
        elif i < 49:
            row["Contact date"] = (referral + timedelta(days=5)).isoformat()
        elif 50 <= i < 60:
            row["Sex"] = "male"
        elif 60 <= i < 72:
            row["Sex"] = "M"
        elif 72 <= i < 82:
            row["Age"] = "250"
        elif 82 <= i < 92:
            row["Notes"] = f'=HYPERLINK("http://example.invalid/{i}","open")'
        elif 92 <= i < 106:
            row["Outcome"] = "N/A"
        elif 106 <= i < 122:
            row["Outcome"] = ""
        if 180 <= i < 192:
            row["Outcome"] = "Closed"
        if i >= 122 and i % 4 == 3:
            row["Team"] = ""
        rows.append([row[name] for name in HEADER])
    for i in range(130, 140):
        again = list(rows[i])
        again[HEADER.index("Notes")] = "Second record"
        rows.append(again)
    rows.extend(list(rows[i]) for i in range(140, 152))
    return rows


def defective_csv(delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(defective_rows())
    return out.getvalue().encode(encoding)


def defective_xlsx() -> bytes:
    """The same rows as a workbook, on a second sheet after a cover sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "About"
    book.active.append(["Referrals extract, made for the tests"])
    sheet = book.create_sheet("Referrals")
    sheet.append(HEADER)
    for row in defective_rows():
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def found(report: dict) -> dict:
    """{(dimension, column, check): rows} of a report's findings."""
    return {(d["id"], f["column"], f["check"]): f["rows"] for d in report["dimensions"] for f in d["findings"]}
