"""Performance figures for the data quality check: the same file in CPython and in the
browser, the worker's memory, and how a file past the limits is met.

Prints figures beside the targets; it never fails on a slow one (tests assert behaviour,
not timings). Run after a build:
    .venv/bin/python bench/data_quality.py [--site /tmp/site] [--rows 100000] [--runs 3]

  1. a CSV of 100,000 rows × 30 columns (about 25 MB), profiled in CPython (the same code,
     from the same bytes), and in headless Chromium: from choosing the file to the report,
     timed inside the page; target under 5 s, and no more than 3× CPython;
  2. the worker's Python memory before and after (target: what the check adds, under 4×
     the file's size);
  3. a 5-million-row file: the time until the plain message about the row limit.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


from assessments.data_quality.model import CheckRun  # noqa: E402
from file_timing import load_average, median_seconds, seconds_to_words  # noqa: E402
from site_browser import chromium_on_site  # noqa: E402

PAGE = "tools/data-quality/"
SETTINGS = {"identifier-column": "c00 id", "group-column": "c03 ethnicity", "rule-1--column": "c01 referral",
            "rule-1--kind": "is-a-date"}


def extract(rows: int, columns: int = 30, seed: int = 1) -> bytes:
    """A synthetic extract like a case management system's: ids, dates, codes, numbers, notes."""
    rng = random.Random(seed)
    kinds = ["id", "date", "date", "code", "code", "number", "text"] * 5
    names = [f"c{i:02d} {['id', 'referral', 'closure', 'ethnicity', 'team', 'age', 'notes'][i % 7]}" for i in range(columns)]
    codes = ["White British", "Asian", "Black", "Mixed", "Other", "Not known", ""]
    start = date(2020, 1, 1)
    lines = [",".join(names)]
    for row in range(rows):
        values = []
        for column in range(columns):
            kind = kinds[column]
            if kind == "id":
                values.append(f"C{row:07d}")
            elif kind == "date":
                values.append((start + timedelta(days=rng.randrange(2500))).isoformat() if rng.random() > 0.05 else "")
            elif kind == "code":
                values.append(rng.choice(codes))
            elif kind == "number":
                values.append(str(rng.randrange(0, 18)))
            else:
                values.append(f"Visit note {rng.randrange(100000)}")
        lines.append(",".join(values))
    return ("\r\n".join(lines) + "\r\n").encode()


def cpython_check(data: bytes) -> None:
    view = memoryview(data)
    CheckRun(lambda offset, length: view[offset:offset + length].tobytes(), len(data), "bench.csv", SETTINGS).finish()


def cpython_peak_memory(data: bytes) -> int:
    """Python's peak allocations during the check (timed apart: tracing slows it down)."""
    view = memoryview(data)
    tracemalloc.start()
    CheckRun(lambda offset, length: view[offset:offset + length].tobytes(), len(data), "bench.csv", SETTINGS).finish()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def browser_run(browser, url: str, data: bytes, name: str, until: str) -> tuple[float, int]:
    """(seconds from choosing the file to `until` in the status or message, the worker's
    memory after)."""
    page = browser.new_page()
    page.goto(url + PAGE)
    page.wait_for_function("() => document.querySelector('form[data-tool] [data-status]').textContent.startsWith('Result updated')")
    for key, value in SETTINGS.items():
        if key.startswith("rule-") and not page.locator(f"[name='{key}']").count():
            page.get_by_role("button", name="Add a rule").click()
        control = page.locator(f"[name='{key}']")
        control.select_option(value) if key.endswith("--kind") else control.fill(value)
    seconds = seconds_to_words(page, "[data-data-check-file]", ["[data-data-check-status]", "[data-data-check-message]"],
                               until, name, data)
    after = int(page.locator("[data-data-check-report]").get_attribute("data-worker-memory") or 0)
    page.close()
    return seconds, after


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, help="a site already built (default: build one)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = extract(args.rows)
    print(f"File: {args.rows:,} rows × 30 columns, {len(data) / 1e6:.1f} MB")
    print(load_average())
    cpython_median = median_seconds(lambda: cpython_check(data), args.runs)
    print(f"CPython {sys.version.split()[0]}: {cpython_median:.2f} s (median of {args.runs}); "
          f"peak Python memory {cpython_peak_memory(data) / 1e6:.0f} MB")
    with chromium_on_site(args.site) as (browser, url):
        runs = [browser_run(browser, url, data, "bench.csv", "Checked") for _ in range(args.runs)]
        seconds = statistics.median(run[0] for run in runs)
        memory = max(run[1] for run in runs)
        print(f"Browser (Chromium): {seconds:.2f} s (median of {args.runs}; target < 5 s), "
              f"{seconds / cpython_median:.1f}× CPython (target ≤ 3×)")
        print(f"Worker's Python memory after the check: {memory / 1e6:.0f} MB, {memory / len(data):.1f}× the file "
              "(target < 4×; it includes Python's own 30 MB at start)")
        many = b"id\r\n" + b"1\r\n" * 5_000_000
        limit_seconds, _ = browser_run(browser, url, many, "five-million.csv", "more than 1,000,000 rows")
        print(f"A 5,000,000-row file ({len(many) / 1e6:.0f} MB): the message about the row limit after "
              f"{limit_seconds:.2f} s")


if __name__ == "__main__":
    main()
