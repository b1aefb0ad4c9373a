"""Performance figures for the test and monitor tool: 100,000 cases with 4 group columns
and a score, in CPython and in the browser, and the score threshold slider.

Prints figures beside the targets; it never fails on a slow one (tests assert behaviour,
not timings). Run after a build:
    .venv/bin/python bench/test_and_monitor.py [--site /tmp/site] [--rows 100000] [--runs 3] [--moves 40]

  1. the full result (read the file, measures for everyone and each group, comparisons,
     calibration, rendered): CPython from the same bytes, and headless Chromium from
     choosing the file to the report in the page; target under 3 s in the browser;
  2. moving the slider one step (keyboard-sized) to the redrawn report, timed in the
     page, one move after another: median and p95, target p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


from assessments.data.loader import ByteSource  # noqa: E402
from assessments.monitor.model import load_test_monitor_bank, settings_from_answers  # noqa: E402
from assessments.monitor.report import report  # noqa: E402
from assessments.monitor.cases import open_cases  # noqa: E402
from assessments.monitor.view import render_report  # noqa: E402
from run_all import p95  # noqa: E402
from site_browser import chromium_on_site  # noqa: E402
from support_test_monitor import SCORED_MAPPING, scored_cases_csv  # noqa: E402
from file_timing import load_average, median_seconds, seconds_to_words  # noqa: E402

PAGE = "tools/test-and-monitor/"


def cpython_result(data: bytes) -> None:
    cases = open_cases(ByteSource.from_bytes(data)._read_at, len(data), "bench.csv", SCORED_MAPPING)[1]
    render_report(report(cases, settings_from_answers(SCORED_MAPPING), load_test_monitor_bank()), "/")


def browser_run(browser, url: str, data: bytes, rows: int, moves: int) -> tuple[float, list[float]]:
    """(seconds from choosing the file to the report, slider move times in ms)."""
    page = browser.new_page()
    page.goto(url + PAGE)
    page.wait_for_function("() => document.querySelector('form[data-tool] [data-status]').textContent.startsWith('Result updated')")
    for key, value in SCORED_MAPPING.items():
        page.locator(f"[name='{key}']").fill(value) if key != "score-threshold" else None
    seconds = seconds_to_words(page, "[data-test-monitor-file='current']", ["[data-test-monitor] [data-test-monitor-status]"],
                               f"Tested {rows:,} cases", "bench.csv", data)
    times = page.evaluate("""async (moves) => {
        const slider = document.querySelector('[data-test-monitor-slider]');
        const report = document.querySelector('[data-test-monitor-report]');
        const times = [];
        for (let move = 1; move <= moves; move++) {
            const value = (0.3 + 0.01 * move).toFixed(2);
            const shown = new Promise((resolve) => {
                const watch = new MutationObserver(() => {
                    if (report.textContent.includes(`yes at ${Number(value)} or above`)) { watch.disconnect(); resolve(); }
                });
                watch.observe(report, { subtree: true, childList: true, characterData: true });
            });
            const started = performance.now();
            slider.value = value;
            slider.dispatchEvent(new Event('input', { bubbles: true }));
            await shown;
            times.push(performance.now() - started);
        }
        return times;
    }""", moves)
    page.close()
    return seconds, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, help="a site already built (default: build one)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--moves", type=int, default=40)
    args = parser.parse_args()
    data = scored_cases_csv(args.rows)
    print(f"File: {args.rows:,} cases, a score and 4 group columns, {len(data) / 1e6:.1f} MB")
    print(load_average())
    cpython_median = median_seconds(lambda: cpython_result(data), args.runs)
    print(f"CPython {sys.version.split()[0]}: {cpython_median:.2f} s for the full result (median of {args.runs})")
    with chromium_on_site(args.site) as (browser, url):
        runs = [browser_run(browser, url, data, args.rows, args.moves) for _ in range(args.runs)]
    seconds = statistics.median(run[0] for run in runs)
    moves = [time for run in runs for time in run[1]]
    print(f"Browser (Chromium): full result {seconds:.2f} s (median of {args.runs}; target < 3 s)")
    print(f"Slider: {len(moves)} moves, median {statistics.median(moves):.0f} ms, p95 {p95(moves):.0f} ms "
          "(target p95 < 100 ms)")


if __name__ == "__main__":
    main()
