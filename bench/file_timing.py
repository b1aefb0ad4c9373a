"""What the benches of the tools that read a reader's file share (data_quality.py and
test_and_monitor.py): the load average to print beside any time, the median of a
CPython run, and the time in the page from choosing a file to the words that say it is
done, measured inside the page so Playwright's own polling is not counted.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Callable, Sequence


def load_average() -> str:
    """A line to print before the figures: on a busy machine they are slower."""
    return (f"Load average when starting: {', '.join(f'{load:.1f}' for load in os.getloadavg())} "
            f"on {os.cpu_count()} cores (figures on a busy machine are slower)")


def median_seconds(work: Callable[[], object], runs: int) -> float:
    """The median wall time of `runs` calls of `work`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def seconds_to_words(page, file_input: str, watched: Sequence[str], until: str, name: str, data: bytes,
                     media_type: str = "text/csv") -> float:
    """Choose `data` as `name` in the `file_input` and return the seconds, timed in the
    page, from the input's change event until the text of the `watched` elements holds
    `until` (a status line, a message)."""
    page.evaluate("""([input, watched, until]) => {
        window.__chosen = window.__done = undefined;
        document.querySelector(input).addEventListener('change', () => { window.__chosen = performance.now(); },
                                                       { capture: true, once: true });
        const said = () => watched.map((selector) => document.querySelector(selector)?.textContent || '').join(' ');
        const seen = new MutationObserver(() => {
            if (said().includes(until)) { window.__done = performance.now(); seen.disconnect(); }
        });
        seen.observe(document.body, { subtree: true, childList: true, characterData: true });
    }""", [file_input, list(watched), until])
    page.locator(file_input).set_input_files({"name": name, "mimeType": media_type, "buffer": data})
    page.wait_for_function("() => window.__done", timeout=600_000)
    return page.evaluate("() => (window.__done - window.__chosen) / 1000")
