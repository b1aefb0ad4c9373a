"""Helpers for browser tests: serving the built site, guarding the network, axe-core.

Imported by tests/browser/conftest.py (fixtures) and by the tests themselves.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
# The browser tests drive Chromium's headless shell (Debian's chromium-headless-shell,
# the same release of Blink and V8 as its chromium, without the browser's windows and
# services): a page costs it about two thirds of the processor time the full browser in
# headless mode takes (measured: README, "make test"). The full browser, as readers run
# it, drives the test that needs a browser profile on disk, and the benchmarks
# (CHROMIUM_BROWSER).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
CHROMIUM_BROWSER = os.environ.get("CHROMIUM_BROWSER", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Nothing leaves the machine: every host but the test server's fails to resolve. The
    # guard below names any request that tried; this makes sure none got out meanwhile.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
# The tests' Chromium also compiles WebAssembly with V8's baseline compiler only: tests
# run Python for moments, in which optimising its hot functions again (the runtime is
# 9.6 MB of WebAssembly) costs more processor time than it saves (10-25% of the browser
# tests', measured on three test files). What a page does is the same; how fast
# it does it is measured by bench/, with the browser's own settings.
CHROMIUM_TEST_ARGS = CHROMIUM_ARGS + ["--js-flags=--liftoff-only"]
# Python boots in a worker; allow for a slow, busy CI machine.
RUNTIME_TIMEOUT_MS = 60_000


def hosting_guide_csp() -> str:
    """The Content-Security-Policy the hosting guide tells IT teams to send (nginx.conf)."""
    config = (ROOT / "docs" / "about" / "hosting" / "nginx.conf").read_text("utf-8")
    match = re.search(r'add_header\s+Content-Security-Policy\s+"([^"]+)"', config)
    assert match, "nginx.conf has no Content-Security-Policy header"
    return match.group(1)


# Where browsers send a report of anything the policy blocked (report-uri): engines whose
# driver cannot hear the page's console from its first moment (WebKitWebDriver) still
# have every violation counted (tests/engines). Reporting only: nothing more is allowed.
CSP_REPORT_PATH = "/cssc-csp-report"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
    }

    # Every browser test runs under the hosting guide's security headers, so the site is
    # proved to work as an IT team will serve it.
    csp = hosting_guide_csp() + f"; report-uri {CSP_REPORT_PATH}"
    # Every report received, as (document address, blocked address, directive), shared
    # by every server of the run: a test looks for those of its own pages.
    csp_reports: list[tuple[str, str, str]] = []

    def do_POST(self):
        if self.path.split("?")[0] != CSP_REPORT_PATH:
            self.send_error(405)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            report = json.loads(body or b"{}").get("csp-report", {})
        except ValueError:
            report = {"document-uri": "?", "blocked-uri": body[:200].decode("utf-8", "replace")}
        QuietHandler.csp_reports.append((report.get("document-uri", ""), report.get("blocked-uri", ""),
                                         report.get("violated-directive") or report.get("effective-directive", "")))
        self.send_response(204)
        self.end_headers()

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format, *args):  # keep test output readable
        pass

    def handle(self):
        # A browser that moves on mid-download closes the connection: not a fault.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass


def build_site(out: Path, config: Path | None = None, site_url: str | None = None,
               settings: dict[str, str] | None = None) -> Path:
    """`mkdocs build --strict` into `out`; fails with mkdocs' own output.

    `site_url` is the address the site will be served from: the theme's instant
    navigation only works for the address written into sitemap.xml. `settings`: more
    environment variables mkdocs.yml reads (such as CSSC_PREFETCH_RUNTIME).
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(settings or {})}
    if site_url:
        env["CSSC_SITE_URL"] = site_url
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)]
        + (["--config-file", str(config)] if config else []),
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert built.returncode == 0, f"mkdocs build failed:\n{built.stdout}\n{built.stderr}"
    return out


def serve(directory: Path, handler_class=None) -> http.server.ThreadingHTTPServer:
    """Serve a folder on 127.0.0.1 (a free port) in a background thread."""
    handler = functools.partial(handler_class or QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def server_url(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/"


class PageProblems:
    """What a page did that a user (or their IT team) would object to."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.foreign_requests: list[str] = []
        self.console_errors: list[tuple[str, str]] = []  # (text, address of the script or file)
        self.page_errors: list[str] = []
        self.missing_files: list[str] = []

    def allow_missing(self, file_name: str) -> None:
        """A test that withholds `file_name` expects the browser's error for that file,
        and for no other."""
        self.missing_files.append(file_name)

    def _expected(self, text: str, url: str) -> bool:
        return any(url.split("?")[0].endswith("/" + name) or name in text for name in self.missing_files)

    def check(self) -> None:
        assert not self.foreign_requests, f"requests to another origin: {self.foreign_requests}"
        unexpected = [f"{text} ({url})" for text, url in self.console_errors if not self._expected(text, url)]
        assert not unexpected, f"console errors: {unexpected}"
        assert not self.page_errors, f"uncaught errors: {self.page_errors}"


def _same_origin(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return f"{parts.scheme}://{parts.netloc}" == origin


def open_context(browser, site_url, **options):
    """A new context with an offline guard; returns (context, problems).

    The guard listens to every request the context's pages and their workers make and
    names those to another origin; the browser cannot resolve any other host
    (CHROMIUM_ARGS), so none reaches the network. It listens rather than intercepts:
    intercepting every request (`context.route`) turns the browser's cache off and sends
    each request through the test process.
    """
    origin = site_url.rstrip("/")
    problems = PageProblems(origin)
    context = browser.new_context(accept_downloads=True, **options)

    def note(request):
        if not _same_origin(request.url, origin):
            problems.foreign_requests.append(request.url)

    context.on("request", note)
    context.on("page", lambda p: _watch(p, problems))
    return context, problems


def another_tab(page):
    """A second tab in the same browser as `page` (the same storage), watched the same way."""
    tab = page.context.new_page()
    tab.set_default_timeout(RUNTIME_TIMEOUT_MS)
    return tab


def _watch(page, problems: PageProblems) -> None:
    page.on("console", lambda message: message.type == "error" and problems.console_errors.append(
        (message.text, message.location.get("url", ""))))
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))


def wait_for_address(page, address: str) -> None:
    """Wait until the page is at `address`, whatever heading the theme's anchor tracking
    has since put after "#"."""
    page.wait_for_url(lambda current: current.split("#")[0] == address, timeout=RUNTIME_TIMEOUT_MS)


def result_text(page, form_selector: str = "form[data-tool]") -> str:
    """The result as a reader sees it (its visible text)."""
    return page.locator(f"{form_selector} [data-result]").inner_text()


# The theme's script bundle has run: its search, palette switch and instant navigation work.
THEME_STARTED = "() => Boolean(window.document$)"


def wait_for_theme(page) -> None:
    """Wait until the theme's script bundle has run (as the page is parsed: the theme's
    own blocking script at the end of the page)."""
    page.wait_for_function(THEME_STARTED, timeout=RUNTIME_TIMEOUT_MS)


def wait_for_result(page, form_selector: str = "form[data-tool]", text: str = "") -> None:
    """Wait until Python has answered for the form's latest answers (and shows `text`),
    with the theme started: then the page is as a reader finds it.

    Python's own answer: not the result kept from an earlier visit, which a returning
    reader sees while Python starts (test_browser_kept_results.py).
    """
    page.wait_for_function(
        """([selector, text]) => {
            const form = document.querySelector(selector);
            if (!form) return false;
            const status = form.querySelector('[data-status]').textContent;
            const region = form.querySelector('[data-result]');
            if (region.hasAttribute('aria-busy')) return false;  // newer answers on their way
            if (region.dataset.resultFrom === 'kept') return false;  // Python has not answered yet
            if (!window.document$) return false;  // the theme's bundle
            const result = region.textContent;
            return status.startsWith('Result updated') || status.startsWith('Loaded')
                ? (!text || result.includes(text)) : false;
        }""",
        arg=[form_selector, text],
        timeout=RUNTIME_TIMEOUT_MS,
    )


def download_text(page, button) -> str:
    """Click `button` and return the text of the file the page downloads."""
    with page.expect_download() as caught:
        button.click()
    return Path(caught.value.path()).read_text("utf-8")


def storage_text(page) -> str:
    """Everything the page's origin holds in localStorage and sessionStorage, as text to
    search for values that must never be stored."""
    return page.evaluate("() => JSON.stringify(Object.entries(localStorage)) + JSON.stringify(Object.entries(sessionStorage))")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The theme's palette switch in the header (the label of the palette not shown now), and
# the palette shown: "default" (light) or "slate" (dark).
PALETTE_TOGGLE = "[data-md-component=palette] label:not([hidden])"
SCHEME = "() => document.body.getAttribute('data-md-color-scheme')"


def switch_palette(page) -> str:
    """Switch to the other palette with the theme's toggle, as a reader does; returns the
    palette now shown. Focus and the pointer then leave the toggle, whose tooltip fades in
    after a moment (axe would read it half faded as too little contrast)."""
    before = page.evaluate(SCHEME)
    page.locator(PALETTE_TOGGLE).click()
    page.wait_for_function(f"(before) => ({SCHEME})() !== before", arg=before)
    page.mouse.move(page.viewport_size["width"] - 2, page.viewport_size["height"] - 2)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    return page.evaluate(SCHEME)


def axe_violations_in_both_palettes(page, exclude: list[str] | None = None) -> dict[str, list[dict]]:
    """axe-core's findings in the palette the page shows, then, for the rules that read
    colours, in the other one, by palette; the page is left in the palette it started in."""
    found = {page.evaluate(SCHEME): axe_violations(page, exclude)}
    # Switched first, then audited: in `found[switch_palette(page)] = axe_violations(page)`
    # Python would run the audit before the switch, in the first palette again.
    other = switch_palette(page)
    found[other] = axe_violations(page, exclude, rules=COLOUR_RULES)
    switch_palette(page)
    assert set(found) == {"default", "slate"}, found
    return found


@functools.cache
def _axe_source() -> str:
    return (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text("utf-8")


# The axe-core rules whose findings depend on the colours drawn: all a palette changes.
# The palette switch changes no element, name or role (the theme's toggle shows its other
# label, which the first palette's audit reads on every page opened in the other one).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(page, exclude: list[str] | None = None, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core (from node_modules, injected without touching the network): every rule
    of AXE_TAGS, or only `rules`."""
    # axe reads colours as they are drawn at that moment, so a transition under way (the
    # theme fades the page title into its header as the page scrolls) reads as too little
    # contrast. Let finite transitions end first.
    page.wait_for_function(
        "() => document.getAnimations().every((animation) => animation.playState !== 'running'"
        " || animation.effect?.getComputedTiming().iterations === Infinity)"
    )
    if not page.evaluate("() => typeof window.axe === 'object'"):  # once per page load
        page.evaluate(_axe_source())
    context = {"exclude": [[selector] for selector in (exclude or [])]} if exclude else "document"
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    # Only violations are asserted on. axe builds a selector for every node of every
    # result type unless told which types matter, and the page's whole result would cross
    # to Python: together, more than half of an audit's time on a long page (measured:
    # the checklists page, 4.8 s of processor time to 1.6 s).
    return page.evaluate(
        """([context, only]) => axe.run(context === 'document' ? document : context,
                                          {runOnly: only, resultTypes: ['violations']})
            .then((results) => results.violations.map((violation) => ({
                id: violation.id, help: violation.help,
                nodes: violation.nodes.slice(0, 5).map((node) => node.target)})))""",
        [context, only],
    )


# ------------------------------------------------------------ answers saved in the browser
# One key per answer (overrides/assets/js/cssc-storage.js); the releases before saved each
# tool's answers as one value under PREVIOUS_RELEASE_KEY.
PREVIOUS_RELEASE_KEY = "cssc-guide:v1:{slug}"

_SAVED_ANSWERS = """slug => {
    const prefix = `cssc-guide:v2:${slug}:answer:`;
    const answers = {};
    for (const key of Object.keys(localStorage).sort()) {
        if (key.startsWith(prefix)) answers[key.slice(prefix.length)] = JSON.parse(localStorage.getItem(key));
    }
    return answers;
}"""

_SAVE_ANSWERS = """([slug, answers, version]) => {
    const prefix = `cssc-guide:v2:${slug}:answer:`;
    for (const key of Object.keys(localStorage)) if (key.startsWith(prefix)) localStorage.removeItem(key);
    for (const [name, value] of Object.entries(answers)) localStorage.setItem(prefix + name, JSON.stringify(value));
    localStorage.setItem(`cssc-guide:v2:${slug}:saved-with`, JSON.stringify({tool: slug, bank_version: version}));
}"""


def saved_answers(page, slug: str) -> dict:
    """The answers a tool has saved in this page's browser storage."""
    return page.evaluate(_SAVED_ANSWERS, slug)


def save_answers(page, slug: str, answers: dict, version: str | None = None) -> None:
    """Save answers as a tool page of this release would (for `version` of the questions: the current one by default)."""
    from assessments.tools import TOOLS

    page.evaluate(_SAVE_ANSWERS, [slug, answers, version or TOOLS[slug].version])


def answer_triage(page, answers: dict) -> None:
    """Answer the ethics triage as a reader would, in the order of the page (a branch
    appears once the answer it depends on has been scored)."""
    from assessments.ethics_triage.model import load_triage_bank

    questions = load_triage_bank().questions
    for qid, value in answers.items():
        kind = questions[qid].kind
        if kind == "single":
            page.check(f"#ethics-triage--{qid}--{value}")
        elif kind == "multiple":
            for option in value:
                page.check(f"#ethics-triage--{qid}--{option}")
        else:
            page.fill(f"#ethics-triage--{qid}--answer", value)
