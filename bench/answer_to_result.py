"""Answer change to updated result, with answers saved one per key (cssc-storage.js).

Prints the median and p95 in milliseconds (target: p95 < 50 ms) for the data maturity
self-assessment with every statement answered, alone and with a second tab of the same
tool open (which follows each change through the `storage` event and scores it too, so
both tabs share the machine's cores). Not a test: run it by hand.

    .venv/bin/python bench/answer_to_result.py [--site DIR] [--changes 60]

`--site` uses a site already built (`mkdocs build --site-dir DIR`); by default the site is
built into a temporary folder first.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from run_all import TOOL_PAGE, answer_to_result, median, p95
from site_browser import chromium_on_site


def with_second_tab(browser, url: str, changes: int) -> list[float]:
    """answer_to_result, with another tab of the tool open in the same browser."""
    original = browser.new_context

    def sharing_context(**options):
        context = original(**options)
        other = context.new_page()
        other.goto(url + TOOL_PAGE)
        other.wait_for_function("() => document.querySelector('[data-status]')?.textContent"
                                ".startsWith('Result updated')", timeout=120_000)
        return context

    browser.new_context = sharing_context
    try:
        return answer_to_result(browser, url, changes)
    finally:
        browser.new_context = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path)
    parser.add_argument("--changes", type=int, default=60)
    args = parser.parse_args()
    with chromium_on_site(args.site) as (browser, url):
        alone = answer_to_result(browser, url, args.changes)
        two_tabs = with_second_tab(browser, url, args.changes)
    print(f"answer change -> result, one tab ({args.changes} changes): "
          f"median {median(alone):.1f} ms, p95 {p95(alone):.1f} ms (target p95 < 50 ms)")
    print(f"answer change -> result, a second tab following: "
          f"median {median(two_tabs):.1f} ms, p95 {p95(two_tabs):.1f} ms")


if __name__ == "__main__":
    main()
