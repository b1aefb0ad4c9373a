"""What fetching the runtime ahead (cssc-prefetch.js) costs and saves, over shaped links.

The site is built with fetching ahead turned on (it is off by default). For each link
profile of links.py (nginx with the hosting guide's configuration behind
the shaping proxy), in a fresh browser profile on disk each run (a reader's cache, not a
test's in-memory one), it prints:

- a reader who reads a stage page that links to a tool and never opens one: the bytes
  that crossed the link, for the page and for the runtime fetched while they read, and
  how long after the page arrived the runtime was in the cache;
- the same reader then opening the tool (a full page load): time to Python's first answer
  and the bytes that crossed the link, beside a first visit straight to the tool.

    .venv/bin/python bench/prefetch.py [--runs 1] [--profiles loopback,4g]

A measurement, not a test: it never fails on a slow figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from playwright.sync_api import sync_playwright  # noqa: E402

from links import PROFILES, SUB_PATH, ShapedLink  # noqa: E402
from run_all import PYTHON_RESULT, TOOL_PAGE, prepare_site  # noqa: E402
from support_browser import CHROMIUM_BROWSER as CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from support_nginx import start_nginx, stop_nginx  # noqa: E402

STAGE_PAGE = "guidance/explore/"  # links to the tools of its stage
PREFETCHED = "() => ['done', 'failed'].includes(document.documentElement.dataset.csscPrefetch)"


def visit(playwright, profile: Path, url: str, proxy: ShapedLink, read_first: bool) -> dict:
    context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = context.pages[0] if context.pages else context.new_page()
    figures: dict = {}
    if read_first:
        sent = proxy.delivered
        started = time.perf_counter()
        page.goto(url + STAGE_PAGE)
        page.wait_for_load_state("load")
        figures["page bytes"] = proxy.delivered - sent
        page.wait_for_function(PREFETCHED, timeout=600_000)
        figures["prefetched after"] = time.perf_counter() - started
        figures["state"] = page.evaluate("() => document.documentElement.dataset.csscPrefetch")
        time.sleep(0.3)
        figures["reading bytes"] = proxy.delivered - sent
    sent = proxy.delivered
    started = time.perf_counter()
    page.goto(url + TOOL_PAGE, wait_until="commit")
    page.wait_for_function(PYTHON_RESULT, timeout=600_000)
    figures["tool seconds"] = time.perf_counter() - started
    figures["started as"] = page.evaluate("() => document.documentElement.dataset.csscRuntime || ''")
    time.sleep(0.3)
    figures["tool bytes"] = proxy.delivered - sent
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profiles", default="loopback,4g")
    options = parser.parse_args()
    # Fetching ahead is off unless the site's administrator turns it on (mkdocs.yml's
    # extra.cssc_prefetch_runtime): the site measured here is built with it on.
    os.environ["CSSC_PREFETCH_RUNTIME"] = "true"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        site, python_server, _address, _seconds = prepare_site(work)
        python_server.shutdown()
        (work / "nginx").mkdir()
        base, nginx = start_nginx(site, work / "nginx", SUB_PATH)
        print("Server: nginx with the hosting guide's configuration (gzip on, gzip_static on)")
        print(f"Runs: {options.runs} per link, each in a fresh browser profile on disk\n")
        try:
            with sync_playwright() as playwright:
                for name in options.profiles.split(","):
                    link = PROFILES[name]
                    proxy = ShapedLink(urlsplit(base).port, link)
                    url = f"http://127.0.0.1:{proxy.port}{urlsplit(base).path}"
                    read, cold = [], []
                    for run in range(options.runs):
                        read.append(visit(playwright, work / f"{name}-read-{run}", url, proxy, read_first=True))
                        cold.append(visit(playwright, work / f"{name}-cold-{run}", url, proxy, read_first=False))
                    proxy.close()
                    report(link.name, read, cold)
        finally:
            stop_nginx(nginx)


def report(link: str, read: list[dict], cold: list[dict]) -> None:
    def median(rows: list[dict], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    print(f"== {link}")
    print(f"  stage page: {median(read, 'page bytes') / 1e6:.2f} MB; with the runtime fetched while read: "
          f"{median(read, 'reading bytes') / 1e6:.2f} MB ({', '.join(sorted({r['state'] for r in read}))} "
          f"{median(read, 'prefetched after'):.1f} s after the page was opened)")
    print(f"  then the tool: Python's first answer {median(read, 'tool seconds'):.2f} s, "
          f"{median(read, 'tool bytes') / 1e6:.2f} MB ({', '.join(sorted({r['started as'] for r in read}))})")
    print(f"  the tool straight away: Python's first answer {median(cold, 'tool seconds'):.2f} s, "
          f"{median(cold, 'tool bytes') / 1e6:.2f} MB ({', '.join(sorted({r['started as'] for r in cold}))})")
    print()


if __name__ == "__main__":
    main()
