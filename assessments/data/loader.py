"""Reading a council's data extract (CSV or .xlsx), row by row, for the tools that check it.

The data quality check reads the file with this module, and so will any later tool that
reads a reader's own data: one place decides the encoding, the delimiter, the limits and
what a broken file is called in plain words.

- The bytes come from a `ByteSource`: a `read_at(offset, length)` function and a size.
  In the browser's worker that function reads a slice of the reader's File
  (FileReaderSync), so the whole file is never copied into Python; in CPython it reads
  bytes or a file on disk. Nothing here opens a file, a URL or the network itself.
- CSV: UTF-8 with or without a byte order mark, or Windows-1252 (as many council systems
  export). A file that starts as UTF-8 but holds a few Windows-1252 bytes later is still
  read: those bytes are read as Windows-1252 and counted, so the report can say so.
  The delimiter (comma, semicolon, tab or bar) is found from the first lines.
- .xlsx: read with openpyxl in its read-only mode, which streams rows. openpyxl is not in
  the standard library: it is imported only when a workbook is opened (the browser loads
  it from the site's own files at that moment, never on a first visit).
- Cells are text. A cell such as `=HYPERLINK(...)` is never evaluated (workbooks are read
  for their stored values); `csv_cell` escapes such text in any CSV this guide writes.
- Limits (bytes, rows, columns) stop a file before it can exhaust the browser's memory,
  with a message that names the limit and the row.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Callable, Iterator

from ..core.errors import InputError

__all__ = [
    "file_response",
    "LoadError",
    "LoadLimits",
    "ByteSource",
    "Table",
    "DELIMITERS",
    "open_table",
    "file_kind",
    "workbook_sheets",
    "csv_cell",
    "looks_like_formula",
]

# Candidates for the delimiter, in the order a tie is broken.
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_HEAD_BYTES = 64 * 1024  # enough to see the encoding and the first lines
_SNIFF_LINES = 50
# A spreadsheet runs a cell beginning with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_XLSX_MAGIC = b"PK\x03\x04"
# Encrypted (password-protected) .xlsx files and old .xls files are OLE compound files.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class LoadError(InputError):
    """The file cannot be read; the message says why in plain words, naming the row."""


@dataclass(frozen=True)
class LoadLimits:
    """What the tools read at most (the data quality bank's [limits] sets them)."""

    max_bytes: int
    max_rows: int
    max_columns: int


class ByteSource(io.RawIOBase):
    """A file's bytes, read on demand: `read_at(offset, length)` returns at most `length`
    bytes from `offset`. Seekable, so a workbook (a zip file) can be read in place."""

    def __init__(self, read_at: Callable[[int, int], Any], size: int) -> None:
        super().__init__()
        self._read_at = read_at
        self.size = int(size)
        self._position = 0
        self.furthest = 0  # how far reading has got: progress for a CSV

    @classmethod
    def from_bytes(cls, data: bytes) -> "ByteSource":
        view = memoryview(data)
        return cls(lambda offset, length: view[offset:offset + length].tobytes(), len(data))

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def read_range(self, offset: int, length: int) -> bytes:
        length = max(0, min(length, self.size - offset))
        if length == 0:
            return b""
        data = self._read_at(offset, length)
        if hasattr(data, "to_bytes"):  # a JavaScript Uint8Array, in Pyodide
            data = data.to_bytes()
        return bytes(data)

    def readinto(self, buffer) -> int:
        data = self.read_range(self._position, len(buffer))
        buffer[:len(data)] = data
        self._position += len(data)
        self.furthest = max(self.furthest, self._position)
        return len(data)


@dataclass
class Table:
    """An opened file: its column names and a stream of its rows.

    `rows()` yields (row number, values): the row number is the one a spreadsheet shows
    (the header is row 1), and values are text, padded or cut to the header's length;
    `ragged` counts rows that had another number of values. Read `rows()` once."""

    kind: str  # "csv" or "xlsx"
    columns: tuple[str, ...]
    description: str  # how it was read, for the report: "CSV, UTF-8, comma-separated"
    rows: Callable[[], Iterator[tuple[int, list[str]]]]
    sheets: tuple[str, ...] = ()
    sheet: str = ""
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (row, number of values), first few
    ragged_count: int = 0
    blank_rows: int = 0
    # Bytes that were not UTF-8 in a UTF-8 file, read as Windows-1252.
    fallback_bytes: list[int] = field(default_factory=lambda: [0])


# ------------------------------------------------------------------------ detection


def file_kind(head: bytes) -> str:
    """"xlsx", "ole" (encrypted workbook or old .xls), "binary" or "text", from the first bytes."""
    if head.startswith(_XLSX_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    sample = head[:8192]
    if b"\x00" in sample:
        return "binary"
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13, 12))
    return "binary" if sample and controls / len(sample) > 0.05 else "text"


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # Not final: the head may end in the middle of a character.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


_ENCODING_NAMES = {"utf-8-sig": "UTF-8 (with a byte order mark)", "utf-8": "UTF-8", "cp1252": "Windows-1252"}


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, and most even, columns."""
    lines = text.splitlines()[:_SNIFF_LINES]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of the head may be cut short
    best, best_score = ",", (0, 0.0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        agreeing = sum(1 for count in counts if count == counts[0]) / len(counts)
        score = (1 if agreeing >= 0.8 else 0, agreeing * counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _not_readable(name: str, kind: str) -> LoadError:
    if kind == "ole":
        return LoadError(
            f"“{name}” is a password-protected workbook or an old-style Excel file (.xls), which this tool cannot "
            "open. In Excel, remove the password (File, Info, Protect Workbook) or save it as an Excel Workbook "
            "(.xlsx) or as CSV, and choose it again.")
    return LoadError(
        f"“{name}” is not a text file: it looks like a binary file (an image, a program or a compressed file, "
        "perhaps renamed). Choose a CSV file or an Excel workbook (.xlsx).")


# ---------------------------------------------------------------------------- CSV

class _Utf8Repaired(io.RawIOBase):
    """A UTF-8 file's bytes with any bytes that are not UTF-8 replaced by the UTF-8 for
    their Windows-1252 reading, and counted (`repaired`) for this file alone.

    Valid UTF-8 passes through as it is: the check is one C-speed decode per megabyte.
    A character cut in two at the end of a chunk waits for the next chunk."""

    CHUNK = 1 << 20

    def __init__(self, source: io.RawIOBase) -> None:
        super().__init__()
        self._source = source
        self._pending = b""  # the start of a character cut off at the end of a chunk
        self._ready = memoryview(b"")
        self.repaired = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._ready:
            data = self._source.read(self.CHUNK)
            final = not data
            if final and not self._pending:
                return 0
            self._ready = memoryview(self._repair(self._pending + data, final))
        size = min(len(buffer), len(self._ready))
        buffer[:size] = self._ready[:size]
        self._ready = self._ready[size:]
        return size

    def _repair(self, data: bytes, final: bool) -> bytes:
        out = bytearray()
        position = 0
        while True:
            try:
                _, used = codecs.utf_8_decode(data[position:], "strict", final)
            except UnicodeDecodeError as bad:
                out += data[position:position + bad.start]
                broken = data[position + bad.start:position + bad.end]
                self.repaired += len(broken)
                out += broken.decode("cp1252", errors="replace").encode()
                position += bad.end
                continue
            self._pending = data[position + used:]
            if position == 0:
                return data[:used] if self._pending else data  # all UTF-8: nothing copied
            out += data[position:position + used]
            return bytes(out)


def _open_csv(source: ByteSource, name: str, limits: LoadLimits, head: bytes) -> Table:
    encoding = _encoding(head)
    head_text = head.decode(encoding, errors="replace")
    if not head_text.strip().strip("\ufeff"):
        raise LoadError(f"“{name}” is empty: it has no column headings and no rows.")
    delimiter = _sniff_delimiter(head_text.lstrip("\ufeff"))
    source.seek(0)
    # A UTF-8 file may hold a few Windows-1252 bytes (pasted in from elsewhere): they are
    # read as Windows-1252 and counted for this file (Table.fallback_bytes).
    repaired = _Utf8Repaired(source) if encoding != "cp1252" else None
    buffered = io.BufferedReader(repaired or source, buffer_size=1 << 20)
    text = io.TextIOWrapper(buffered, encoding=encoding, newline="", errors="replace")
    # The csv module reads a quote that never closes as one value running to the end of
    # the file, without an error. So count the lines and quotation marks each record
    # takes: a last record over several lines with an odd number of quotes is that.
    taken = [0, 0]  # lines, quotation marks, since the last record

    def lines() -> Iterator[str]:
        for line in text:
            taken[0] += 1
            taken[1] += line.count('"')
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    fallback = [0]

    def records() -> Iterator[list[str]]:
        record = 0
        last = (0, 0)
        while True:
            record += 1
            try:
                values = next(reader)
            except StopIteration:
                if last[0] > 1 and last[1] % 2:
                    raise _csv_problem(name, record - 1, csv.Error("unexpected end of data")) from None
                return
            except csv.Error as broken:
                raise _csv_problem(name, record, broken) from broken
            except UnicodeDecodeError as broken:  # only Windows-1252's replace can get here: never
                raise LoadError(f"Row {record} of “{name}” could not be read as text.") from broken
            if repaired is not None:
                fallback[0] = repaired.repaired
            last, taken[:] = (taken[0], taken[1]), [0, 0]
            yield values

    stream = records()
    header = next(stream, None)
    while header is not None and not any(value.strip() for value in header):
        header = next(stream, None)  # blank lines before the header
    if header is None:
        raise LoadError(f"“{name}” is empty: it has no column headings and no rows.")
    described = f"CSV, {_ENCODING_NAMES[encoding]}, {_DELIMITER_NAMES[delimiter]}-separated"
    table = Table("csv", _column_names(header, name, limits), described, rows=lambda: iter(()),
                  fallback_bytes=fallback)
    table.rows = lambda: _rows(table, stream, name, limits)
    return table


def _csv_problem(name: str, record: int, broken: csv.Error) -> LoadError:
    text = str(broken)
    if "unexpected end of data" in text or "field larger than field limit" in text:
        return LoadError(
            f"A quotation mark in row {record} of “{name}” (or soon after) is never closed, so the rest of the file "
            "cannot be split into values. Check that row in a text editor, or save the file again as CSV.")
    return LoadError(f"Row {record} of “{name}” could not be read as CSV ({text}).")


def _column_names(header: list[Any], name: str, limits: LoadLimits) -> tuple[str, ...]:
    if len(header) > limits.max_columns:
        raise LoadError(f"“{name}” has {len(header):,} columns; this tool reads up to {limits.max_columns:,}. "
                        "Remove the columns you do not need and try again.")
    names: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(header, start=1):
        label = _text(raw).strip() or f"Column {position}"
        unique, n = label, 2
        while unique in seen:  # two columns with one heading: keep both, told apart
            unique, n = f"{label} ({n})", n + 1
        seen.add(unique)
        names.append(unique)
    return tuple(names)


def _rows(table: Table, stream: Iterator[list[Any]], name: str, limits: LoadLimits) -> Iterator[tuple[int, list[str]]]:
    width = len(table.columns)
    row_number = 1
    data_rows = 0
    as_text = table.kind != "csv"  # a CSV file's values are text already
    for raw in stream:
        row_number += 1
        values = [_text(value) for value in raw] if as_text else raw
        if not "".join(values).strip():
            table.blank_rows += 1
            continue
        data_rows += 1
        if data_rows > limits.max_rows:
            raise LoadError(
                f"“{name}” has more than {limits.max_rows:,} rows (row {row_number:,} is past the limit). This tool "
                "checks up to that many in the browser, so that it never runs out of memory. Split the file, or "
                "check a recent period first.")
        if len(values) != width:
            table.ragged_count += 1
            if len(table.ragged) < 5:
                table.ragged.append((row_number, len(values)))
            values = (values + [""] * width)[:width]
        yield row_number, values
    if data_rows == 0:
        raise LoadError(f"“{name}” has column headings but no rows of data.")


# --------------------------------------------------------------------------- xlsx


def _text(value: Any) -> str:
    """A cell as text, the way a spreadsheet shows it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_workbook(source: ByteSource, name: str):
    try:
        import openpyxl  # loaded only when a workbook is opened (see the module's docstring)
    except ImportError as missing:
        raise LoadError("The part of this tool that reads Excel workbooks could not be loaded. "
                        "Save the sheet as CSV and choose that instead.") from missing
    source.seek(0)
    try:
        # Formulas come back as their text (counted in the report), never worked out.
        return openpyxl.load_workbook(io.BufferedReader(source), read_only=True, data_only=False)
    except Exception as broken:  # noqa: BLE001 - zipfile, XML and openpyxl's own errors alike
        raise LoadError(f"“{name}” could not be opened as an Excel workbook: it may be damaged, or only partly "
                        "saved. Open it in Excel and save it again, or save the sheet as CSV.") from broken


def workbook_sheets(source: ByteSource, name: str) -> tuple[str, ...]:
    """The names of a workbook's sheets, in order."""
    book = _open_workbook(source, name)
    try:
        return tuple(book.sheetnames)
    finally:
        book.close()


def _open_xlsx(source: ByteSource, name: str, limits: LoadLimits, sheet: str) -> Table:
    book = _open_workbook(source, name)
    sheets = tuple(book.sheetnames)
    chosen = sheet or sheets[0]
    if chosen not in sheets:
        book.close()
        raise LoadError(f"“{name}” has no sheet called “{chosen[:80]}”. Its sheets are: {', '.join(sheets)}.")

    def cells() -> Iterator[list[Any]]:
        try:
            for row in book[chosen].iter_rows(values_only=True):
                yield list(row)
        except LoadError:
            raise
        except Exception as broken:  # noqa: BLE001 - a damaged sheet inside a readable zip
            raise LoadError(f"The sheet “{chosen}” of “{name}” is damaged and could not be read to the end. "
                            "Open it in Excel and save it again, or save the sheet as CSV.") from broken
        finally:
            book.close()

    stream = cells()
    header = next(stream, None)
    while header is not None and not any(_text(value).strip() for value in header):
        header = next(stream, None)
    if header is None:
        raise LoadError(f"The sheet “{chosen}” of “{name}” is empty: it has no column headings and no rows.")
    while header and _text(header[-1]).strip() == "":
        header.pop()  # read-only sheets often report empty columns to the right
    table = Table("xlsx", _column_names(header, name, limits), f"Excel workbook, sheet “{chosen}”",
                  rows=lambda: iter(()), sheets=sheets, sheet=chosen)
    width = len(table.columns)

    def trimmed() -> Iterator[list[Any]]:
        for row in stream:
            while len(row) > width and _text(row[-1]) == "":
                row.pop()
            yield row

    table.rows = lambda: _rows(table, trimmed(), name, limits)
    return table


# ----------------------------------------------------------------------- opening


def open_table(source: ByteSource, name: str, limits: LoadLimits, sheet: str = "") -> Table:
    """Open a CSV file or an .xlsx workbook (found from its first bytes, not its name).

    Raises LoadError, in plain words, for a file that is empty, too big, binary, a
    password-protected or damaged workbook, or has headings but no rows."""
    if source.size == 0:
        raise LoadError(f"“{name}” is empty: it has no column headings and no rows.")
    if source.size > limits.max_bytes:
        raise LoadError(
            f"“{name}” is {source.size / 1e6:,.0f} MB; this tool checks files up to {limits.max_bytes / 1e6:,.0f} MB "
            "in the browser, so that it never runs out of memory. Split the file, or check a recent period first.")
    head = source.read_range(0, _HEAD_BYTES)
    kind = file_kind(head)
    if kind == "xlsx":
        return _open_xlsx(source, name, limits, sheet)
    if kind != "text":
        raise _not_readable(name, kind)
    return _open_csv(source, name, limits, head)


# ---------------------------------------------------------------- writing safely


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would treat this cell text as a formula."""
    return text.startswith(_FORMULA_START)


def csv_cell(text: str) -> str:
    """Text made safe for a CSV cell: a leading formula character is escaped with an
    apostrophe, so a spreadsheet shows the text rather than running it."""
    return "'" + text if looks_like_formula(text) else text


def file_response(work: Callable[[], dict[str, Any]], out_of_memory: str) -> dict[str, Any]:
    """The response to one request of a tool that reads a file, for its worker entry points:
    {"ok": True, ...work()} or {"ok": False, "error": ...} in plain words. No exception
    escapes: a file that cannot be read gives its own message, running out of memory gives
    `out_of_memory`, anything else is reported as a fault in the guide."""
    try:
        return {"ok": True, **work()}
    except InputError as problem:
        return {"ok": False, "error": str(problem)}
    except MemoryError:
        return {"ok": False, "error": out_of_memory}
    except Exception as fault:  # noqa: BLE001 - the page must always get an answer
        return {"ok": False, "error": f"Something went wrong in this guide's own code ({type(fault).__name__}). "
                "Please report this to whoever runs this site."}
