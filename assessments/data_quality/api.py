"""What the browser worker calls to check a data file: start, step, finish, cancel.

The file's bytes never pass through JSON: the worker hands Python a `read_at(offset,
length)` function over the reader's File (see data_loader.ByteSource). Each call returns
one JSON text with "ok", like api.handle, and no exception escapes: a file that cannot be
read gives its plain-words message, anything else a fault in the guide. A run lives here,
by its id, only until it finishes or is cancelled, so no data outlives its check.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Callable

from ..data.loader import file_response
from .model import CheckRun, report_text, sheets_of
from .view import render_report, report_csv, report_markdown, report_word, summarise_report

__all__ = ["sheets", "start", "step", "finish", "cancel", "running"]

_runs: dict[int, CheckRun] = {}


def _answer(work: Callable[[], dict[str, Any]], run_id: int | None = None) -> str:
    response = file_response(work, "This browser ran out of memory reading the file. Close other tabs, or "
                                   "check a smaller extract (fewer rows or columns).")
    if not response["ok"] and run_id is not None:
        _runs.pop(run_id, None)  # a failed run is over: nothing of it is kept
    return json.dumps(response)


def sheets(read_at: Callable[[int, int], Any], size: int, file_name: str) -> str:
    """{"sheets": [...]} for a workbook, [] for a CSV file."""
    return _answer(lambda: {"sheets": list(sheets_of(read_at, size, file_name))})


def start(run_id: int, read_at: Callable[[int, int], Any], size: int, request_json: str) -> str:
    """Open the file with the reader's settings. request: {file_name, answers, sheet, today?}."""
    def work() -> dict[str, Any]:
        request = json.loads(request_json)
        today = date.fromisoformat(request["today"]) if request.get("today") else None
        run = CheckRun(read_at, size, request.get("file_name", "the file"), request.get("answers") or {},
                       request.get("sheet") or "", today)
        _runs[run_id] = run
        return {"columns": list(run.table.columns), "sheets": list(run.table.sheets), "sheet": run.table.sheet,
                **run.progress()}
    return _answer(work, run_id)


def step(run_id: int, rows: int = CheckRun.STEP_ROWS) -> str:
    """Read up to `rows` more rows: {"done", "rows", "bytes", "size"}."""
    def work() -> dict[str, Any]:
        run = _runs[run_id]
        return {"done": run.step(rows), **run.progress()}
    return _answer(work, run_id)


def finish(run_id: int, site_root: str) -> str:
    """The report: {html, summary, report (JSON text), markdown, csv, document (for the Word
    writer)}; the run is then forgotten. Every download is made from the one report, which
    holds no row of the data."""
    def work() -> dict[str, Any]:
        run = _runs.pop(run_id)
        data = run.finish()
        return {"html": render_report(data, site_root), "summary": summarise_report(data),
                "report": report_text(data), "markdown": report_markdown(data), "csv": report_csv(data),
                "document": report_word(data)}
    return _answer(work, run_id)


def cancel(run_id: int) -> None:
    _runs.pop(run_id, None)


def running() -> int:
    """How many runs are open (tests check none is left behind)."""
    return len(_runs)
