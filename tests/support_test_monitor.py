"""Case files for the test and monitor tool's tests and bench: the bank's worked cases as a
CSV file, and generated files with scores and several group columns."""

from __future__ import annotations

import random

from assessments.monitor.model import load_test_monitor_bank
from assessments.monitor.cases import cases_from_counts

MAPPING = {"outcome-column": "Outcome", "prediction-column": "Prediction"}


def worked_example(index: int = 0):
    """(worked cases, CSV bytes, answers with the mapping)."""
    worked = load_test_monitor_bank().worked_cases[index]
    answers = {**worked.answers, **MAPPING, "group-column-1": worked.group_column}
    return worked, cases_from_counts(worked.group_column, worked.groups).encode("utf-8"), answers


GROUPS = {
    "Ethnicity": ["White", "Mixed", "Asian", "Black", "Other"],
    "Sex": ["Female", "Male"],
    "Age band": ["0-4", "5-9", "10-15", "16-17"],
    "Area": ["North", "South", "East", "West", "Central"],
}


def scored_cases_csv(rows: int, seed: int = 7, shift: float = 0.0) -> bytes:
    """A case file with a score (0 to 1), the outcome and four group columns. `shift`
    raises every score, for a later period that has drifted."""
    generator = random.Random(seed)
    lines = ["Case,Outcome,Risk score," + ",".join(GROUPS)]
    for number in range(rows):
        groups = [generator.choice(values) for values in GROUPS.values()]
        happened = generator.random() < 0.3
        score = min(1.0, max(0.0, generator.gauss(0.6 if happened else 0.35, 0.18) + shift))
        lines.append(f"C{number},{'yes' if happened else 'no'},{score:.4f}," + ",".join(groups))
    return ("\n".join(lines) + "\n").encode("utf-8")


SCORED_MAPPING = {"outcome-column": "Outcome", "score-column": "Risk score", "score-threshold": "0.5",
                  **{f"group-column-{n}": name for n, name in enumerate(GROUPS, start=1)},
                  "drift-column-1": "Area", "min-precision": "60", "min-recall": "60", "max-difference": "10",
                  "min-group-size": "50"}


def scored_cases_xlsx(rows: int, seed: int = 7) -> bytes:
    """The same cases as `scored_cases_csv`, as a workbook: a cover sheet first, then the
    cases on a sheet called "Cases", with the scores stored as numbers."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "About"
    book.active.append(["Case extract for testing the tool, made for the tests"])
    sheet = book.create_sheet("Cases")
    for number, line in enumerate(scored_cases_csv(rows, seed).decode("utf-8").splitlines()):
        cells = line.split(",")
        if number:
            cells[2] = float(cells[2])
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
