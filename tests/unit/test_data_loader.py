"""The shared loader: encodings, delimiters, workbooks, limits and broken files."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from assessments.data.loader import (
    ByteSource, LoadError, LoadLimits, csv_cell, file_kind, looks_like_formula, open_table, workbook_sheets,
)
from support_data_quality import HEADER, defective_csv, defective_rows, defective_xlsx

LIMITS = LoadLimits(max_bytes=10_000_000, max_rows=1000, max_columns=50)


def read(data: bytes, name: str = "extract.csv", limits: LoadLimits = LIMITS, sheet: str = ""):
    table = open_table(ByteSource.from_bytes(data), name, limits, sheet)
    return table, [values for _, values in table.rows()]


@pytest.mark.parametrize("encoding, described", [
    ("utf-8", "CSV, UTF-8, comma-separated"),
    ("utf-8-sig", "CSV, UTF-8 (with a byte order mark), comma-separated"),
    ("cp1252", "CSV, Windows-1252, comma-separated"),
])
def test_each_encoding_councils_export_reads_the_same_text(encoding, described):
    data = "Name,Town\r\nZoë,Bury St Edmunds £\r\nRenée,Ely\r\n".encode(encoding)
    table, rows = read(data)
    assert table.description == described
    assert table.columns == ("Name", "Town")
    assert rows == [["Zoë", "Bury St Edmunds £"], ["Renée", "Ely"]]


def test_a_utf8_file_with_a_few_windows_1252_bytes_is_read_and_the_bytes_are_counted():
    # Past the first 64 KB, where the encoding is decided.
    data = "ID,Note\r\n".encode() + b"".join(b"%d,plain\r\n" % i for i in range(9000)) + b"9001,caf\xe9\r\n"
    table, rows = read(data, limits=LoadLimits(10_000_000, 10_000, 50))
    assert rows[-1] == ["9001", "café"] and "UTF-8" in table.description
    assert table.fallback_bytes[0] == 1


def test_windows_1252_bytes_are_counted_for_their_own_file_when_two_are_read_at_once():
    # Two files open together (a check running while another starts): each counts its own.
    mixed = "ID,Note\r\n".encode() + b"".join(b"%d,plain\r\n" % i for i in range(9000)) + b"9001,caf\xe9 \x80\r\n"
    clean = "ID,Note\r\n1,café\r\n".encode()
    limits = LoadLimits(10_000_000, 10_000, 50)
    first = open_table(ByteSource.from_bytes(mixed), "mixed.csv", limits)
    second = open_table(ByteSource.from_bytes(clean), "clean.csv", limits)
    assert list(first.rows())[-1][1] == ["9001", "café €"]
    assert [values for _, values in second.rows()] == [["1", "café"]]
    assert (first.fallback_bytes[0], second.fallback_bytes[0]) == (2, 0)


def test_a_character_cut_in_two_between_chunks_is_read_whole():
    # "é" is two bytes in UTF-8; put its first byte last in the first megabyte read.
    rows = b"ID,Note\r\n" + b"1,plain text\r\n" * 70_000
    last = b"2," + b"x" * ((1 << 20) - 1 - len(rows) - 2)
    data = rows + last + "é\r\n".encode() + b"3,after\r\n"
    assert data[(1 << 20) - 1:(1 << 20) + 1] == "é".encode()
    table, values = read(data, limits=LoadLimits(10_000_000, 100_000, 50))
    assert values[-2][1].endswith("xé") and values[-1] == ["3", "after"] and table.fallback_bytes[0] == 0


@pytest.mark.parametrize("delimiter, name", [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "vertical bar")])
def test_the_delimiter_is_found_from_the_first_lines(delimiter, name):
    table, rows = read(defective_csv(delimiter))
    assert f"{name}-separated" in table.description
    assert table.columns == tuple(HEADER)
    assert rows == defective_rows()


def test_a_workbook_is_read_from_the_chosen_sheet_and_formulas_stay_text():
    data = defective_xlsx()
    assert workbook_sheets(ByteSource.from_bytes(data), "r.xlsx") == ("About", "Referrals")
    table, rows = read(data, "r.xlsx", sheet="Referrals")
    assert (table.kind, table.sheet, table.columns) == ("xlsx", "Referrals", tuple(HEADER))
    assert rows == defective_rows()  # the =HYPERLINK(...) notes come back as their text, never run
    with pytest.raises(LoadError, match="has no sheet called “Nope”"):
        read(data, "r.xlsx", sheet="Nope")
    with pytest.raises(LoadError, match="has column headings but no rows"):
        read(data, "r.xlsx", sheet="About")


def test_a_workbook_named_csv_is_still_read_as_a_workbook():
    table, _ = read(defective_xlsx(), "renamed.csv", sheet="Referrals")
    assert table.kind == "xlsx"


@pytest.mark.parametrize("data, words", [
    (b"", "is empty"),
    (b"\xef\xbb\xbf\r\n\r\n", "is empty"),
    (b"ID,Name\r\n", "has column headings but no rows"),
    (b"ID,Name\r\n\r\n,\r\n", "has column headings but no rows"),
    (b'ID,Note\r\n1,"ok"\r\n2,"open\r\n3,x\r\n', "A quotation mark in row 3"),
    (b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(200), "not a text file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "password-protected workbook"),
    (b"PK\x03\x04" + bytes(100), "could not be opened as an Excel workbook"),
])
def test_broken_files_get_a_plain_message(data, words):
    with pytest.raises(LoadError, match=words):
        read(data)


def test_limits_name_the_limit_and_the_row():
    with pytest.raises(LoadError, match="is 11 MB; this tool checks files up to 10 MB"):
        read(b"a\r\n" * 3_700_000)
    with pytest.raises(LoadError, match=r"more than 1,000 rows \(row 1,002 is past the limit\)"):
        read(b"a\r\n" + b"1\r\n" * 2000)
    with pytest.raises(LoadError, match="has 60 columns; this tool reads up to 50"):
        read(",".join(f"c{i}" for i in range(60)).encode() + b"\r\n1\r\n")


def test_ragged_rows_are_counted_padded_and_named_by_row():
    table, rows = read(b"a,b,c\r\n1,2,3\r\n4,5\r\n6,7,8,9\r\n")
    assert rows == [["1", "2", "3"], ["4", "5", ""], ["6", "7", "8"]]
    assert (table.ragged_count, table.ragged) == (2, [(3, 2), (4, 4)])


def test_blank_and_repeated_headings_are_named():
    table, _ = read(b"ID,,ID\r\n1,2,3\r\n")
    assert table.columns == ("ID", "Column 2", "ID (2)")


def test_formula_text_is_escaped_in_any_csv_cell_written():
    assert looks_like_formula('=HYPERLINK("http://x","y")') and looks_like_formula("@SUM(A1)")
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("-2") == "'-2" and csv_cell("Male") == "Male"
    assert file_kind(b"ID,Name\r\n") == "text"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=5), max_size=8),
       st.sampled_from([",", ";", "\t", "|"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_generated_csv_files_give_rows_or_a_plain_message_never_another_error(rows, delimiter, encoding):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    data = out.getvalue().encode(encoding, errors="replace")
    try:
        table, read_rows = read(data)
    except LoadError as problem:
        assert str(problem)
        return
    assert all(len(values) == len(table.columns) for values in read_rows)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_rows_or_a_plain_message_never_another_error(data):
    try:
        read(data)
    except LoadError as problem:
        assert str(problem)
