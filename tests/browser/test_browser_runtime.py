"""The page glue and the Python runtime: start-up, failure, instant navigation."""

from __future__ import annotations

import pytest

from support_browser import wait_for_result

pytestmark = pytest.mark.browser

PAGE = "tools/data-maturity/"


def test_pages_without_a_tool_never_load_python(page, site_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "pyodide" in url or url.endswith(".whl")]


def test_status_says_it_runs_locally_while_python_starts(page, site_url):
    # Hold the runtime back so the "preparing" state can be seen.
    page.route("**/pyodide.asm.wasm", lambda route: (page.wait_for_timeout(1500), route.continue_()))
    page.goto(site_url + PAGE)
    status = page.locator("[data-status]")
    assert "nothing you type is sent anywhere" in status.inner_text()
    page.check("#data-maturity--leaders-use-data--mostly")  # answering before Python is ready
    wait_for_result(page, text="Not answered yet (29)")


def test_a_runtime_that_fails_to_load_says_so_and_keeps_answers(page, site_url, page_problems):
    page_problems["problems"].allowed_console_errors.append("404")
    page_problems["problems"].allowed_console_errors.append("Failed to load")
    page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(site_url + PAGE)
    page.check("#data-maturity--leaders-use-data--mostly")
    message = page.locator("[data-message]")
    message.filter(has_text="The tool could not start").wait_for()
    assert "Your answers are still saved in this browser" in message.inner_text()
    page.reload()
    assert page.is_checked("#data-maturity--leaders-use-data--mostly")


def test_without_webassembly_the_reader_is_told_plainly(page, site_url):
    page.add_init_script("delete window.WebAssembly;")
    page.goto(site_url + PAGE)
    page.locator("[data-message]").filter(has_text="cannot run WebAssembly").wait_for()
    page.check("#data-maturity--leaders-use-data--mostly")
    assert page.evaluate("JSON.parse(localStorage.getItem('cssc-guide:v1:data-maturity'))") == {
        "leaders-use-data": "mostly"
    }


def test_instant_navigation_keeps_one_worker_and_restarts_the_form_once(page, site_url):
    workers = []
    page.on("worker", lambda worker: "cssc-worker" in worker.url and workers.append(worker.url))
    page.goto(site_url + PAGE)
    wait_for_result(page)
    page.check("#data-maturity--leaders-use-data--mostly")
    wait_for_result(page, text="Not answered yet (29)")
    # Away and back through the site's own links (instant navigation: no reload).
    page.click("a.md-nav__link[href$='tools/']")
    page.wait_for_url("**/tools/")
    page.click(".md-content a[href$='data-maturity/']")
    page.wait_for_url("**/tools/data-maturity/")
    wait_for_result(page, text="Not answered yet (29)")
    assert page.is_checked("#data-maturity--leaders-use-data--mostly")
    assert page.evaluate("document.querySelectorAll('form[data-tool][data-cssc-started]').length") == 1
    assert len(workers) == 1, workers
    # One change gives one save and one answer, not two (the form was started once).
    page.check("#data-maturity--leaders-use-data--embedded")
    wait_for_result(page, text="Not answered yet (29)")
    assert page.evaluate("JSON.parse(localStorage.getItem('cssc-guide:v1:data-maturity'))") == {
        "leaders-use-data": "embedded"
    }
