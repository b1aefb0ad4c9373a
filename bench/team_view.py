"""How long the data maturity team view takes to combine many colleagues' files.

Prints, over several runs (median and slowest), the time from choosing 200 result files
to the team view on the page, timed inside the page from the file input's change event
to the status that announces the result; the longest task on the page's main thread
while it works (the page must stay responsive: Python runs in the worker); and the same
combining in CPython on this machine, for the ratio. A measurement, not a test.

    .venv/bin/python bench/team_view.py [--runs 5] [--files 200]

Target (issue: data maturity as a team): under 2 seconds for 200 files.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


from assessments.data_maturity.model import ROLE, load_data_maturity_bank  # noqa: E402
from assessments.data_maturity.team import combine_files  # noqa: E402
from assessments.core.records import export_record  # noqa: E402
from site_browser import chromium_on_site  # noqa: E402

PAGE = "tools/data-maturity-team/"
FORM = "form[data-team-view]"
# Set up before the files are chosen; the promise is read afterwards.
TIMING = """(form) => { window.__teamTiming = new Promise((resolve) => {
    const root = document.querySelector(form);
    const status = root.querySelector('[data-status]');
    let longest = 0;
    const tasks = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
    });
    tasks.observe({ type: 'longtask' });
    let start = 0;
    root.querySelector('[data-action=team-files]').addEventListener('change', () => { start = performance.now(); }, { once: true });
    new MutationObserver((_changes, observer) => {
        if (start && status.textContent.startsWith('Team view updated')) {
            observer.disconnect();
            tasks.disconnect();
            resolve({ ms: performance.now() - start, longest });
        }
    }).observe(status, { childList: true, characterData: true, subtree: true });
}); }"""


def colleagues(count: int) -> list[dict]:
    """`count` result files with varied answers and roles, as colleagues would send them."""
    bank = load_data_maturity_bank()
    chance = random.Random(7)
    options = [o.id for o in bank.scale]
    roles = [r.id for r in bank.respondent.roles]
    files = []
    for number in range(count):
        answers = {s: chance.choice(options) for s in bank.statements}
        answers[ROLE] = chance.choice(roles)
        record = export_record("data-maturity", answers, created=f"2026-11-{1 + number % 28:02d}T09:00:00Z")
        files.append({"name": f"colleague-{number}.json", "text": json.dumps(record, indent=2)})
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--site", type=Path, help="a site already built (default: build one)")
    options = parser.parse_args()
    files = colleagues(options.files)

    cpython = []
    for _ in range(options.runs):
        start = time.perf_counter()
        combine_files(files)
        cpython.append((time.perf_counter() - start) * 1000)

    with chromium_on_site(options.site) as (browser, address):
        url = address + PAGE
        payloads = [{"name": f["name"], "mimeType": "application/json", "buffer": f["text"].encode()} for f in files]
        browser_ms, longest = [], []
        for _ in range(options.runs):
            context = browser.new_context()
            page = context.new_page()
            page.goto(url)
            # Python started first, as for a reader who reads the page before choosing.
            page.set_input_files(f"{FORM} [data-action=team-files]", files=payloads[:1])
            page.wait_for_function("(form) => document.querySelector(form + ' [data-status]').textContent"
                                   ".startsWith('Team view updated')", arg=FORM, timeout=120_000)
            page.click(f"{FORM} [data-action=team-clear]")
            page.evaluate(TIMING, FORM)
            page.set_input_files(f"{FORM} [data-action=team-files]", files=payloads)
            figures = page.evaluate("() => window.__teamTiming")
            browser_ms.append(figures["ms"])
            longest.append(figures["longest"])
            context.close()

    median = statistics.median(browser_ms)
    print(f"Team view, {options.files} files, {options.runs} runs")
    print(f"  in the browser, choosing to result: median {median:,.0f} ms, slowest {max(browser_ms):,.0f} ms"
          f"  (target < 2,000 ms: {'met' if median < 2000 else 'NOT met'})")
    print(f"  longest main-thread task meanwhile: median {statistics.median(longest):,.0f} ms")
    print(f"  the same combining in CPython: median {statistics.median(cpython):,.0f} ms"
          f"  (browser / CPython: {median / statistics.median(cpython):.1f})")


if __name__ == "__main__":
    main()
