"""The hosting guide's nginx configuration, for real: nginx serves the built site under a
sub-path on 127.0.0.1, and a tool works end to end through it.

nginx comes from Debian's packages (.ci/run installs it); the server block is the very
file the hosting guide publishes, with only its address and folder changed.
"""

from __future__ import annotations

import urllib.request

import pytest

from support_browser import wait_for_result
from support_nginx import start_nginx, stop_nginx

pytestmark = pytest.mark.browser

SUB_PATH = "cssc-guide"


@pytest.fixture(scope="module")
def nginx_url(site_dir, tmp_path_factory):
    url, process = start_nginx(site_dir, tmp_path_factory.mktemp("nginx"), SUB_PATH)
    yield url
    stop_nginx(process)


def _headers(url: str, **headers) -> dict[str, str]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return dict(response.headers)


def test_nginx_sends_the_types_and_headers_the_guide_promises(nginx_url, site_dir):
    wasm = _headers(nginx_url + "assets/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": "gzip"})
    assert wasm["Content-Type"] == "application/wasm"
    assert wasm["Content-Encoding"] == "gzip"
    assert "wasm-unsafe-eval" in wasm["Content-Security-Policy"]
    snapshot = _headers(nginx_url + "assets/pyodide/python.snapshot", **{"Accept-Encoding": "gzip"})
    assert snapshot["Content-Type"] == "application/octet-stream"
    assert snapshot["Content-Encoding"] == "gzip"
    assert int(snapshot["Content-Length"]) < 0.5 * (site_dir / "assets" / "pyodide" / "python.snapshot").stat().st_size
    module = _headers(nginx_url + "assets/pyodide/pyodide.mjs")
    assert module["Content-Type"].startswith("text/javascript")
    assert module["X-Content-Type-Options"] == "nosniff"


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


def test_a_tool_works_end_to_end_under_a_sub_path_behind_nginx(open_page, nginx_url):
    page, problems = open_page(site=nginx_url.split(f"/{SUB_PATH}/")[0] + "/")
    page.goto(nginx_url + "tools/data-maturity/")
    page.check("#data-maturity--leaders-use-data--mostly")
    wait_for_result(page, text="Not answered yet (29)")
    result_links = page.eval_on_selector_all(".cssc-result a[href]", "links => links.map(a => a.href)")
    assert result_links, "the result links to the explainers"
    assert [href for href in result_links if f"/{SUB_PATH}/" not in href] == []
