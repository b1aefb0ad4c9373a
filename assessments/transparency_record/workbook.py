"""The transparency record as a spreadsheet for the ATRS team, laid out by the standard.

Councils send their record to the ATRS team in the standard's own template, a workbook
with one sheet per section. This download saves retyping: one sheet per section of the
standard, each field with its reference number, its name, whether the standard requires
it, and the answer. The standard's repeated entries (each model, each development and
operational dataset, each impact assessment and risk) are tables with one row per entry.
Our own fields (`publish = false`) and the thresholds from the test and monitor tool are
not part of the standard and are left out.

`workbook_sheets` builds the layout from the bank alone (pure data, tested as such);
`atrs_workbook` writes it with openpyxl, imported only when a reader asks for the file
(the browser loads openpyxl for that request only: overrides/assets/js/cssc-worker.js).

Typed text is data, never a formula: a cell whose text starts with "=", "+", "-" or "@"
is stored as text with Excel's quote prefix, so a spreadsheet never evaluates it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..core.document_fields import DocumentField, answer_words, list_entries
from .model import TransparencyBank, load_transparency_bank, validate_transparency_answers

__all__ = ["Table", "Sheet", "XLSX_MEDIA_TYPE", "workbook_sheets", "atrs_workbook", "transparency_workbook"]

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What Excel and other spreadsheets take for the start of a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@")
# Characters a worksheet cannot hold (openpyxl refuses them): shown as U+FFFD instead.
_NOT_IN_SHEET = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A sheet's name: at most 31 characters, none of these.
_SHEET_NAME_LIMIT = 31
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
REQUIRED, OPTIONAL = "Required", "Optional"


@dataclass(frozen=True)
class Table:
    """Rows under header rows; `caption` (optional) is a line above them."""

    header: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str  # the tab's name
    title: str  # the section's name in full, in the sheet's first row
    tables: tuple[Table, ...]


def _sheet_name(title: str, taken: set[str]) -> str:
    """A tab name: the title, cut at a word to fit Excel's 31 characters, and unique."""
    name = _NOT_IN_SHEET_NAME.sub(" ", title).strip()
    while len(name) > _SHEET_NAME_LIMIT and " " in name:
        name = name.rsplit(" ", 1)[0].rstrip(",;")
    name = name[:_SHEET_NAME_LIMIT]
    base, number = name, 2
    while name in taken:
        suffix = f" {number}"
        name, number = base[: _SHEET_NAME_LIMIT - len(suffix)] + suffix, number + 1
    taken.add(name)
    return name


def _required(field: DocumentField) -> str:
    return REQUIRED if field.required else OPTIONAL


def _entries_table(field: DocumentField, answers: Mapping[str, str], caption: str = "") -> Table:
    """One column per part of an entry (its reference, name, required in each entry or not),
    one row per entry."""
    parts = field.entry_fields
    noun = field.item_name.capitalize()
    header = (
        ("Reference", *(part.standard_ref or field.standard_ref for part in parts)),
        ("Field", *(part.label for part in parts)),
        # Each part's own flag: whether every entry needs it (the list's flag says only
        # whether the record needs an entry at all).
        ("Required", *(_required(part) for part in parts)),
    )
    rows = tuple(
        (f"{noun} {number}", *(answer_words(part, entry[part.id]) if part.id in entry else "" for part in parts))
        for number, entry in enumerate(list_entries(field, answers), start=1)
    )
    return Table(header, rows, caption)


def workbook_sheets(answers: Mapping[str, Any], bank: TransparencyBank | None = None) -> tuple[Sheet, ...]:
    """The workbook's sheets, in the standard's order, from validated or raw answers."""
    bank = bank or load_transparency_bank()
    answers = validate_transparency_answers(dict(answers), bank)
    taken: set[str] = set()
    sheets: list[Sheet] = []
    for section in bank.sections:
        published = [field for field in section.fields if field.publish]
        if not published:
            continue  # our own part: not the standard's
        single: list[tuple[str, ...]] = []
        inline: list[Table] = []
        for field in published:
            if field.kind != "list":
                value = answer_words(field, answers[field.id]) if field.id in answers else ""
                single.append((field.standard_ref, field.label, _required(field), value))
            elif any(part.standard_ref for part in field.entry_fields):
                continue  # a section of the standard of its own: its own sheet, below
            else:
                caption = f"{field.standard_ref} {field.label} ({_required(field).lower()}): one row for each {field.item_name}"
                inline.append(_entries_table(field, answers, caption))
        tables = []
        if single:
            tables.append(Table((("Reference", "Field", "Required", "Answer"),), tuple(single)))
        sheets.append(Sheet(_sheet_name(section.title, taken), section.title, (*tables, *inline)))
        for field in published:
            if field.kind == "list" and any(part.standard_ref for part in field.entry_fields):
                caption = f"{field.standard_ref} {field.label}: one row for each {field.item_name}"
                sheets.append(Sheet(_sheet_name(field.label, taken), field.label,
                                    (_entries_table(field, answers, caption),)))
    return tuple(sheets)


def _cell_text(value: str) -> str:
    return _NOT_IN_SHEET.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))


def _put(sheet: Any, row: int, column: int, value: str, *, bold: bool = False) -> None:
    from openpyxl.styles import Alignment, Font

    cell = sheet.cell(row=row, column=column)
    text = _cell_text(value)
    cell.value = text
    if text.startswith(_FORMULA_START):
        # Text, not a formula: openpyxl takes a leading "=" for one, so say what it is;
        # the quote prefix keeps Excel from reading it as one when the cell is edited.
        cell.data_type = "s"
        cell.quotePrefix = True
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)


def transparency_workbook(answers: Mapping[str, Any], result: Any = None) -> bytes:
    """The download (tools.Export's render): the record's workbook, titled with its name."""
    bank = load_transparency_bank()
    name = getattr(result, "name", "") or "untitled"
    return atrs_workbook(answers, f"{bank.title}: {name}", f"This record follows the {bank.standard}", bank)


def atrs_workbook(answers: Mapping[str, Any], title: str, standard: str,
                  bank: TransparencyBank | None = None) -> bytes:
    """The .xlsx file's bytes."""
    from openpyxl import Workbook  # loaded in the browser only for this download

    book = Workbook()
    book.remove(book.active)
    for layout in workbook_sheets(answers, bank):
        sheet = book.create_sheet(layout.name)
        _put(sheet, 1, 1, layout.title, bold=True)
        _put(sheet, 2, 1, f"{title}. {standard}.")
        row = 4
        widest = 1
        for table in layout.tables:
            if table.caption:
                _put(sheet, row, 1, table.caption, bold=True)
                row += 1
            for header in table.header:
                for column, value in enumerate(header, start=1):
                    _put(sheet, row, column, value, bold=True)
                row += 1
            for values in table.rows:
                for column, value in enumerate(values, start=1):
                    _put(sheet, row, column, value)
                row += 1
            widest = max(widest, *(len(header) for header in table.header))
            row += 1
        from openpyxl.utils import get_column_letter

        for column in range(1, widest + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16 if column in (1, 3) else 45
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
