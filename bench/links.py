"""A first visit to a tool page over the links readers really have, beside a bare Pyodide page.

The site is served by nginx with the hosting guide's own configuration (gzip, as an
intranet would have it; Python's test server where nginx is not installed, which this
prints), behind a small proxy on 127.0.0.1 that shapes the link: one bandwidth shared by
every connection, and a delay on each new connection and each request. Everything the
page and its worker fetch goes through it. For each link profile it prints, as medians
of fresh-browser runs:

- the tool page's time to Python's first answer;
- a bare page that calls `loadPyodide()` on the main thread from Pyodide's files as
  published, and the same bare page with our files (the ones the site ships);
- the ratios of the tool page to the bare published page (the issue's targets: <= 1.0 on
  every link, <= 0.6 on the loopback);
- the first question answerable (drawn, and the page free to take a click: measured in
  the page, bench/answerable.py) on the tool page beside the same page as plain HTML (no
  scripts at all; the issue's target: <= 1.2 on every link), and with the theme's scripts
  but none of ours; and the same as Playwright's wait_for_selector sees it; from visits
  of their own (`--question-runs`), which end once the question is answerable;
- bytes on the wire for each page's first visit, counted where they cross the link, and
  per file from nginx's log (compressed, headers included; a download the browser gave
  up shows there in full, since nginx hands it to the socket at once).

    .venv/bin/python bench/links.py [--runs 5] [--question-runs 15] [--profiles loopback,lan,broadband,4g] [--python-snapshot]

`--python-snapshot` builds the site with the administrator's option that starts Python
from the build's snapshot, to measure what it costs and saves.

A measurement, not a test: it never fails on a slow figure.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from playwright.sync_api import sync_playwright  # noqa: E402

from answerable import answerable_seconds, watch_for  # noqa: E402
from run_all import FIRST_QUESTION, PYTHON_RESULT, TOOL_PAGE, prepare_site  # noqa: E402
from support_browser import CHROMIUM_BROWSER as CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from support_nginx import free_port, nginx_binary, start_nginx, stop_nginx  # noqa: E402

SUB_PATH = "guide"
# The pages whose first question is timed: the tool page, and copies of it (run_all.prepare_site).
QUESTION_PAGES = {"tool page": TOOL_PAGE, "plain HTML": "bench-plain/", "theme only": "bench-theme-only/"}


@dataclass(frozen=True)
class Link:
    name: str
    megabits: float | None  # None: not shaped (the loopback)
    delay_ms: float


PROFILES = {
    "loopback": Link("loopback (not shaped)", None, 0),
    "lan": Link("100 Mbit/s, 5 ms", 100, 5),
    "broadband": Link("20 Mbit/s, 40 ms", 20, 40),
    "4g": Link("5 Mbit/s, 80 ms", 5, 80),
}


class ShapedLink:
    """A TCP proxy whose downstream bytes share one bandwidth, with a delay on each new
    connection and each request (the round trip of a real link)."""

    def __init__(self, upstream_port: int, link: Link) -> None:
        self.upstream_port = upstream_port
        self.link = link
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.free_at = 0.0  # when the shared link can start sending the next chunk
        self.delivered = 0  # bytes sent to the browser: what crossed the link
        self.tasks: set[asyncio.Task] = set()
        self.ready = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        self.ready.wait()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", self.port))
        self.server = server
        self.ready.set()
        self.loop.run_forever()

    def close(self) -> None:
        def stop() -> None:
            for task in self.tasks:
                task.cancel()
            self.server.close()
            self.loop.call_later(0.1, self.loop.stop)
        self.loop.call_soon_threadsafe(stop)

    async def _delay(self) -> None:
        if self.link.delay_ms:
            await asyncio.sleep(self.link.delay_ms / 1000)

    async def _send_shaped(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        if self.link.megabits:
            now = self.loop.time()
            start = max(now, self.free_at)
            self.free_at = start + len(data) * 8 / (self.link.megabits * 1_000_000)
            await asyncio.sleep(self.free_at - now)
        writer.write(data)
        await writer.drain()
        self.delivered += len(data)

    async def _client(self, client_reader, client_writer) -> None:
        self.tasks.add(asyncio.current_task())
        await self._delay()  # the connection's handshake
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_writer.close()
            return

        async def requests() -> None:
            while data := await client_reader.read(65536):
                await self._delay()  # each request crosses the link before it is answered
                upstream_writer.write(data)
                await upstream_writer.drain()
            upstream_writer.close()

        async def responses() -> None:
            while data := await upstream_reader.read(16384):
                await self._send_shaped(client_writer, data)
            client_writer.close()

        try:
            await asyncio.gather(requests(), responses())
        except (ConnectionError, OSError, asyncio.CancelledError):
            client_writer.close()
        finally:
            self.tasks.discard(asyncio.current_task())


def _bytes_per_file(log: Path, since: int) -> dict[str, int]:
    sizes: dict[str, int] = defaultdict(int)
    for line in log.read_text("utf-8").splitlines()[since:]:
        path, _, sent = line.rpartition(" ")
        sizes[path.split("?")[0]] += int(sent)
    return sizes


def _lines(log: Path | None) -> int:
    return len(log.read_text("utf-8").splitlines()) if log and log.exists() else 0


def question_visit(browser, url: str) -> tuple[float, float]:
    """Seconds until the first question is answerable on a page, in a fresh browser:
    measured in the page (bench/answerable.py), and as Playwright's wait_for_selector
    sees it. The visit ends there, Python's start with it."""
    context = browser.new_context()
    page = context.new_page()
    watch_for(page, FIRST_QUESTION)
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(FIRST_QUESTION, state="visible", timeout=300_000)
    seen = time.perf_counter() - started
    answerable = answerable_seconds(page)
    context.close()
    return answerable, seen


def first_visit(browser, url: str, waits_for: str) -> tuple[float, str]:
    """Seconds from navigation to `waits_for` in a fresh browser, and how Python started
    there (<html data-cssc-runtime>, on the tool page)."""
    context = browser.new_context()
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(waits_for, timeout=300_000)
    elapsed = time.perf_counter() - started
    started_as = page.evaluate("() => document.documentElement.dataset.csscRuntime || ''")
    context.close()
    return elapsed, started_as


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profiles", default="loopback,lan,broadband,4g")
    parser.add_argument("--question-runs", type=int, default=15,
                        help="fresh-browser visits per page for the first question answerable")
    parser.add_argument("--files", type=int, default=8, help="how many of the largest files to list per page")
    parser.add_argument("--python-snapshot", action="store_true",
                        help="build the site with Python's snapshot turned on (extra.cssc_python_snapshot)")
    options = parser.parse_args()
    profiles = [PROFILES[name] for name in options.profiles.split(",")]

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        site, python_server, _address, _seconds = prepare_site(work, options.python_snapshot)
        python_server.shutdown()
        log = work / "access.log"
        if nginx_binary():
            (work / "nginx").mkdir()
            base, nginx = start_nginx(site, work / "nginx", SUB_PATH, access_log=log)
            server_name = "nginx with the hosting guide's configuration (gzip on, gzip_static on)"
        else:
            from support_browser import serve, server_url
            fallback = serve(site)
            base, nginx, log = server_url(fallback) + "", None, None
            server_name = "Python's test server (no compression): install nginx for realistic figures"
        upstream = urlsplit(base).port
        path = urlsplit(base).path

        pages = {
            "tool page": (TOOL_PAGE, PYTHON_RESULT),
            "bare page, Pyodide as published": ("bench-published/bench-bare/", "() => window.__bareReady !== undefined"),
            "bare page, our files": ("bench-bare/", "() => window.__bareReady !== undefined"),
        }
        print(f"Server: {server_name}")
        print(f"Site: Python's snapshot {'on' if options.python_snapshot else 'off (the default)'}")
        print(f"Runs: {options.runs} per page and link, each in a fresh browser context\n")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for link in profiles:
                proxy = ShapedLink(upstream, link)
                url = f"http://127.0.0.1:{proxy.port}{path}"
                times: dict[str, list[float]] = defaultdict(list)
                delivered: dict[str, list[int]] = defaultdict(list)
                # The first question answerable, per page: (measured in the page, as Playwright sees it).
                questions: dict[str, list[tuple[float, float]]] = defaultdict(list)
                started_as: list[str] = []
                wire: dict[str, dict[str, int]] = {}
                for run in range(options.runs):
                    for name, (page_path, waits_for) in pages.items():
                        before, sent = _lines(log), proxy.delivered
                        elapsed, how = first_visit(browser, url + page_path, waits_for)
                        time.sleep(0.3)  # late responses (and nginx's log lines) are counted too
                        times[name].append(elapsed)
                        delivered[name].append(proxy.delivered - sent)
                        if waits_for == PYTHON_RESULT:
                            started_as.append(how)
                        if log and run == 0:
                            wire[name] = _bytes_per_file(log, before)
                # A few hundred milliseconds each, so more runs than the rest, taken in turn.
                for _ in range(options.question_runs):
                    for name, page_path in QUESTION_PAGES.items():
                        questions[name].append(question_visit(browser, url + page_path))
                proxy.close()
                report(link, times, delivered, questions, started_as, wire, options.files)
            browser.close()
        if nginx:
            stop_nginx(nginx)


def report(link: Link, times, delivered, questions, started_as, wire, top: int) -> None:
    medians = {name: statistics.median(values) for name, values in times.items()}
    tool, bare = medians["tool page"], medians["bare page, Pyodide as published"]
    target = 0.6 if link.megabits is None else 1.0
    print(f"== {link.name}")
    in_page = {name: statistics.median(a for a, _ in runs) for name, runs in questions.items()}
    seen = {name: statistics.median(s for _, s in runs) for name, runs in questions.items()}
    question, plain = in_page["tool page"], in_page["plain HTML"]
    print(f"  first question answerable on the tool page: {question:.2f} s; on the same page as plain HTML:"
          f" {plain:.2f} s; ratio {question / plain:.2f} (target <= 1.2: "
          f"{'met' if question / plain <= 1.2 else 'NOT met'}; {len(questions['tool page'])} runs)")
    print(f"  first question answerable on the same page with the theme's scripts and none of ours:"
          f" {in_page['theme only']:.2f} s")
    print(f"  the same as Playwright's wait_for_selector sees it (bench/answerable.py): tool page"
          f" {seen['tool page']:.2f} s, plain HTML {seen['plain HTML']:.2f} s, theme only {seen['theme only']:.2f} s")
    print(f"  how Python started on the tool page: {', '.join(sorted(set(started_as)))}")
    for name, value in medians.items():
        spread = f"{min(times[name]):.2f}-{max(times[name]):.2f}"
        print(f"  Python's first answer, {name}: {value:.2f} s (runs {spread})")
    print(f"  ratio tool page / bare published page: {tool / bare:.2f} (target <= {target}: "
          f"{'met' if tool / bare <= target else 'NOT met'})")
    for name, values in delivered.items():
        print(f"  bytes on the wire, {name}: {statistics.median(values) / 1e6:.2f} MB (through the link)")
    for name, files in wire.items():
        total = sum(files.values())
        print(f"  per file, {name} (as nginx handed them over; a download the browser stopped shows in full):"
              f" {total / 1e6:.2f} MB in {len(files)} responses")
        for file, size in sorted(files.items(), key=lambda item: -item[1])[:top]:
            print(f"      {size / 1e6:7.2f} MB  {file.split('/', 2)[-1]}")
    print()


if __name__ == "__main__":
    main()
