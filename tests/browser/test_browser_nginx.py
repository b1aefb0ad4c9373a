"""The hosting guide's nginx configuration, for real: nginx serves the built site under a
sub-path on 127.0.0.1, and a tool works end to end through it.

nginx comes from Debian's packages (.ci/run installs it); the server block is the very
file the hosting guide publishes, with only its address and folder changed.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from support_browser import wait_for_result
from support_nginx import start_nginx, stop_nginx

pytestmark = pytest.mark.browser

SUB_PATH = "cssc-guide"


@pytest.fixture(scope="module")
def nginx(site_dir, tmp_path_factory):
    """(address, access log): the log has each response's path and the bytes nginx sent
    for it, compressed, headers included."""
    work = tmp_path_factory.mktemp("nginx")
    log = work / "access.log"
    url, process = start_nginx(site_dir, work, SUB_PATH, access_log=log)
    yield url, log
    stop_nginx(process)


@pytest.fixture(scope="module")
def nginx_url(nginx):
    return nginx[0]


def _headers(url: str, **headers) -> dict[str, str]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return dict(response.headers)


def test_nginx_sends_the_types_and_headers_the_guide_promises(nginx_url, site_with_options, tmp_path):
    wasm = _headers(nginx_url + "assets/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": "gzip"})
    assert wasm["Content-Type"] == "application/wasm"
    assert wasm["Content-Encoding"] == "gzip"
    assert "wasm-unsafe-eval" in wasm["Content-Security-Policy"]
    module = _headers(nginx_url + "assets/pyodide/pyodide.mjs")
    assert module["Content-Type"].startswith("text/javascript")
    assert module["X-Content-Type-Options"] == "nosniff"
    # A site built with Python's snapshot (the administrator's choice) gets it compressed.
    options_url, process = start_nginx(site_with_options[0], tmp_path, SUB_PATH)
    try:
        snapshot = _headers(options_url + "assets/pyodide/python.snapshot", **{"Accept-Encoding": "gzip"})
    finally:
        stop_nginx(process)
    assert snapshot["Content-Type"] == "application/octet-stream"
    assert snapshot["Content-Encoding"] == "gzip"
    size = (site_with_options[0] / "assets" / "pyodide" / "python.snapshot").stat().st_size
    assert int(snapshot["Content-Length"]) < 0.5 * size


def _tools_archives(site_dir) -> list[str]:
    """The tools' standard library and wheel: zip files of stored members, made to be
    compressed as a whole."""
    runtime = site_dir / "assets" / "pyodide"
    return ["python_stdlib_tools.zip", json.loads((runtime / "cssc-runtime.json").read_text("utf-8"))["wheel"]]


def test_nginx_sends_the_tools_archives_as_the_builds_gzip_copies(nginx_url, site_dir):
    runtime = site_dir / "assets" / "pyodide"
    for name in _tools_archives(site_dir):
        sent = _headers(nginx_url + f"assets/pyodide/{name}", **{"Accept-Encoding": "gzip"})
        assert sent["Content-Type"] == "application/zip" and sent["Content-Encoding"] == "gzip", name
        # The build's own copy (gzip_static), at well under the archive's size.
        assert int(sent["Content-Length"]) == (runtime / f"{name}.gz").stat().st_size, name
        assert int(sent["Content-Length"]) < 0.5 * (runtime / name).stat().st_size, name


def _cache_control(url: str) -> set[str]:
    """The Cache-Control directives sent for `url`, from however many headers carry them."""
    with urllib.request.urlopen(url, timeout=10) as response:
        assert "wasm-unsafe-eval" in response.headers["Content-Security-Policy"]  # still sent
        return {part.strip() for header in response.headers.get_all("Cache-Control") or [] for part in header.split(",")}


def test_files_named_by_their_content_are_immutable_and_the_runtime_is_revalidated(nginx_url, site_dir):
    bundle = next((site_dir / "assets" / "javascripts").glob("bundle.*.min.js")).name
    # A returning visit, even a reload, need not ask the server about the theme's bundle...
    assert _cache_control(nginx_url + f"assets/javascripts/{bundle}") == {"max-age=31536000", "immutable"}
    # ...while the runtime, whose names stay the same across releases, is checked each time.
    assert _cache_control(nginx_url + "assets/pyodide/pyodide.asm.wasm") == {"no-cache"}
    assert _cache_control(nginx_url + "index.html") == {"no-cache"}


def test_a_tool_works_end_to_end_under_a_sub_path_behind_nginx(open_page, nginx_url, site_dir):
    page, problems = open_page(site=nginx_url.split(f"/{SUB_PATH}/")[0] + "/")
    archives = {}
    page.context.on("response", lambda response: archives.setdefault(response.url.rsplit("/", 1)[-1], response))
    page.goto(nginx_url + "tools/data-maturity/")
    page.check("#data-maturity--leaders-use-data--mostly")
    wait_for_result(page, text="Not answered yet (29)")
    # Python started from the tools' archives, which reached the worker gzip-encoded.
    for name in _tools_archives(site_dir):
        assert archives[name].header_value("content-encoding") == "gzip", name
    result_links = page.eval_on_selector_all(".cssc-result a[href]", "links => links.map(a => a.href)")
    assert result_links, "the result links to the explainers"
    assert [href for href in result_links if f"/{SUB_PATH}/" not in href] == []


GUIDANCE_PAGE_BUDGET = 400_000  # bytes on the wire: the target for a guidance page


def test_by_default_a_page_linking_to_tools_fetches_nothing_beyond_itself(open_page, nginx):
    # Fetching the runtime ahead (about 6 MB) is the administrator's choice, off unless
    # mkdocs.yml turns it on (test_browser_runtime.py tests it turned on).
    url, log = nginx
    page, _problems = open_page(site=url.split(f"/{SUB_PATH}/")[0] + "/")
    page.clock.install()
    requested = []
    page.context.on("request", lambda request: requested.append(request.url))
    logged_before = log.stat().st_size
    page.goto(url + "guidance/explore/")  # its text links to the tools of its stage
    assert page.locator('.md-content a[href*="tools/"]').count() > 0
    # Decided as the page starts, before its load event. (Not a wait_for_function: the
    # page's clock is under the test's control, which stops its polling.)
    assert page.evaluate("() => document.documentElement.dataset.csscPrefetch") == "skipped: turned off for this site"
    # Long past the moment a reader's stay would have started the fetch (4 s, then idle).
    page.clock.run_for(60_000)
    page.wait_for_load_state("networkidle")
    assert not [address for address in requested if "/assets/pyodide/" in address or "cssc-worker" in address]
    sent = log.read_bytes()[logged_before:].decode().split("\n")
    total = sum(int(line.rsplit(" ", 1)[1]) for line in sent if line)
    assert 50_000 < total < GUIDANCE_PAGE_BUDGET, sent
