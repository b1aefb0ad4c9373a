"""What the browser worker calls to test a case file: columns, start/step/finish (or analyse at
once), move the threshold, monitor, forget.

The file's bytes never pass through JSON: the worker hands Python a `read_at(offset,
length)` function over the reader's File (see data_loader.ByteSource). Each call returns
one JSON text with "ok" (as api.handle and data_check_api do); no exception escapes.

The counts read from a file (test_monitor.Cases: scores by outcome and group, no row) stay
here, in the worker's memory, so the threshold slider can redraw the report without reading
the file again. `forget` drops them (the page calls it when the reader clears the file or
leaves); they are never written anywhere.
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable

from ..data.loader import ByteSource, file_response, open_table
from ..core.errors import InputError
from .model import load_test_monitor_bank, settings_from_answers
from .report import monitor_report, report, report_text
from .cases import Cases, CaseRun
from .view import (monitor_markdown, render_monitor, render_report, report_markdown, report_word,
                                summarise_report)

__all__ = ["columns", "start", "step", "finish", "cancel", "analyse", "rethreshold", "monitor", "download", "forget",
           "held", "running"]

# Counts by period: "current" for a test; "before" and "after" for monitoring.
_held: dict[str, tuple[Cases, float]] = {}


def _answer(work: Callable[[], dict[str, Any]]) -> str:
    return json.dumps(file_response(work, "This browser ran out of memory reading the file. Close other tabs, or "
                                          "test a smaller extract (fewer rows)."))


def columns(read_at: Callable[[int, int], Any], size: int, file_name: str, sheet: str = "") -> str:
    """{"columns": [...], "sheets": [...], "sheet"}: the headings, for mapping."""
    def work() -> dict[str, Any]:
        table = open_table(ByteSource(read_at, size), str(file_name)[:200], load_test_monitor_bank().limits, sheet)
        return {"columns": list(table.columns), "sheets": list(table.sheets), "sheet": table.sheet}
    return _answer(work)


# The last report shown per panel ("current" or "monitor"): its downloads are made from it
# when the reader asks (`download`), not on every move of the slider.
_shown: dict[str, dict[str, Any]] = {}


def _rendered(data: dict[str, Any], site_root: str) -> dict[str, Any]:
    _shown["current"] = data
    return {"html": render_report(data, site_root), "summary": summarise_report(data)}


def download(panel: str, kind: str) -> str:
    """The last report shown in a panel: {"text"} as indented JSON or as Markdown, or
    {"document"} for the page's Word writer (kind "word")."""
    def work() -> dict[str, Any]:
        data = _shown.get(panel)
        if data is None:
            raise InputError("There is no report to download: choose a file first.")
        if kind == "word":
            return {"document": report_word(data, monitoring=panel == "monitor")}
        if kind == "markdown":
            return {"text": monitor_markdown(data) if panel == "monitor" else report_markdown(data)}
        return {"text": report_text(data)}
    return _answer(work)


# Files being read, by the page's request id: (period, run, request, started). A run lives
# only until it finishes, fails or is cancelled.
_runs: dict[int, tuple[str, CaseRun, dict[str, Any], float]] = {}


def _over(run_id: int, answer: str) -> str:
    if not json.loads(answer)["ok"]:
        _runs.pop(run_id, None)  # a failed run is over: nothing of it is kept
    return answer


def start(run_id: int, period: str, read_at: Callable[[int, int], Any], size: int, request_json: str) -> str:
    """Open a file with the reader's mapping to read it for `period` in steps:
    {"rows", "bytes", "size"}. request: {file_name, answers, sheet, site_root}."""
    def work() -> dict[str, Any]:
        started = time.perf_counter()
        request = json.loads(request_json)
        _held.pop(period, None)  # a new file replaces the old counts, even if it fails
        run = CaseRun(read_at, size, str(request.get("file_name", "the file"))[:200], request.get("answers") or {},
                      request.get("sheet") or "")
        _runs[run_id] = (period, run, request, started)
        return run.progress()
    return _over(run_id, _answer(work))


def step(run_id: int, rows: int = CaseRun.STEP_ROWS) -> str:
    """Read up to `rows` more rows: {"done", "rows", "bytes", "size"}; {"cancelled"} if the
    run has gone (the page forgot its file while it was being read)."""
    if run_id not in _runs:
        return json.dumps({"ok": False, "cancelled": True, "error": "Reading the file was cancelled."})

    def work() -> dict[str, Any]:
        run = _runs[run_id][1]
        return {"done": run.step(rows), **run.progress()}
    return _over(run_id, _answer(work))


def finish(run_id: int) -> str:
    """The counts held for the run's period, and the report on them (for "current")."""
    def work() -> dict[str, Any]:
        period, run, request, started = _runs.pop(run_id)
        cases = run.finish()
        seconds = time.perf_counter() - started
        _held[period] = (cases, seconds)
        if period != "current":
            return {"cases": cases.rows}
        settings = settings_from_answers(request.get("answers") or {})
        return _rendered(report(cases, settings, load_test_monitor_bank(), seconds=seconds), request.get("site_root", ""))
    return _over(run_id, _answer(work))


def cancel(run_id: int) -> None:
    _runs.pop(run_id, None)


def running() -> int:
    """How many files are being read (tests check none is left behind)."""
    return len(_runs)


def analyse(period: str, read_at: Callable[[int, int], Any], size: int, request_json: str) -> str:
    """Read a whole file at once with the reader's mapping into counts held for `period`,
    and report on it. request: {file_name, answers, sheet, site_root}."""
    run_id = -1  # never a page's request id
    started = json.loads(start(run_id, period, read_at, size, request_json))
    if not started["ok"]:
        return json.dumps(started)
    return finish(run_id)


def rethreshold(request_json: str) -> str:
    """The report again from the held counts, with new answers or a new score threshold.
    request: {answers, threshold?, site_root}."""
    def work() -> dict[str, Any]:
        request = json.loads(request_json)
        if "current" not in _held:
            raise InputError("Choose the file again: this page no longer holds its counts.")
        cases, seconds = _held["current"]
        settings = settings_from_answers(request.get("answers") or {})
        threshold = request.get("threshold")
        if threshold is not None and not settings.score_lowest <= float(threshold) <= settings.score_highest:
            raise InputError(f"The score threshold should be between {settings.score_lowest:g} and "
                             f"{settings.score_highest:g}.")
        data = report(cases, settings, load_test_monitor_bank(), threshold, seconds)
        return _rendered(data, request.get("site_root", ""))
    return _answer(work)


def monitor(request_json: str) -> str:
    """Two periods held ("before" and "after"): what changed. request: {answers, site_root}."""
    def work() -> dict[str, Any]:
        request = json.loads(request_json)
        if "before" not in _held or "after" not in _held:
            raise InputError("Choose a file for each period: the earlier one and the later one.")
        settings = settings_from_answers(request.get("answers") or {})
        data = monitor_report(_held["before"][0], _held["after"][0], settings, load_test_monitor_bank(),
                              request.get("threshold"))
        _shown["monitor"] = data
        return {"html": render_monitor(data, request.get("site_root", "")),
                "summary": f"Compared {_cases(data['before']['cases'])} with {_cases(data['after']['cases'])}."}
    return _answer(work)


def _cases(shown: int | str) -> str:
    return f"{shown:,} cases" if isinstance(shown, int) else f"{shown} cases"


def forget(period: str = "") -> None:
    """Drop the counts held for one period, or for all."""
    if period:
        _held.pop(period, None)
        for run_id in [key for key, run in _runs.items() if run[0] == period]:
            _runs.pop(run_id)
        _shown.pop("current" if period == "current" else "monitor", None)
    else:
        _held.clear()
        _shown.clear()
        _runs.clear()


def held() -> int:
    """How many periods' counts are held (tests check that forgetting works)."""
    return len(_held)
