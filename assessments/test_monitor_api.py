"""What the browser worker calls to test a case file: columns, analyse, move the threshold, monitor, forget.

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

from .data_loader import ByteSource, file_response, open_table
from .errors import InputError
from .test_monitor import load_test_monitor_bank, monitor_report, report, report_text, settings_from_answers
from .test_monitor_cases import Cases, open_cases
from .test_monitor_view import (monitor_markdown, render_monitor, render_report, report_markdown, report_word,
                                summarise_report)

__all__ = ["columns", "analyse", "rethreshold", "monitor", "download", "forget", "held"]

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


def analyse(period: str, read_at: Callable[[int, int], Any], size: int, request_json: str) -> str:
    """Read a file with the reader's mapping into counts held for `period`, and report on
    it. request: {file_name, answers, sheet, site_root}."""
    def work() -> dict[str, Any]:
        started = time.perf_counter()
        request = json.loads(request_json)
        _held.pop(period, None)  # a new file replaces the old counts, even if it fails
        _, cases = open_cases(read_at, size, str(request.get("file_name", "the file"))[:200],
                              request.get("answers") or {}, request.get("sheet") or "")
        seconds = time.perf_counter() - started
        _held[period] = (cases, seconds)
        if period != "current":
            return {"cases": cases.rows}
        settings = settings_from_answers(request.get("answers") or {})
        return _rendered(report(cases, settings, load_test_monitor_bank(), seconds=seconds), request.get("site_root", ""))
    return _answer(work)


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
        _shown.pop("current" if period == "current" else "monitor", None)
    else:
        _held.clear()
        _shown.clear()


def held() -> int:
    """How many periods' counts are held (tests check that forgetting works)."""
    return len(_held)
