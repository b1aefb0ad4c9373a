"""The page glue and the Python runtime: start-up, failure, instant navigation."""

from __future__ import annotations

import pytest

from support_browser import open_context, wait_for_address, wait_for_result

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
    wait_for_address(page, site_url + "tools/")
    page.click(".md-content a[href$='data-maturity/']")
    wait_for_address(page, site_url + PAGE)
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


def test_a_tool_reached_from_a_page_without_one_starts_python_there(page, site_url):
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.click("a.md-nav__link[href$='tools/']")
    wait_for_address(page, site_url + "tools/")
    page.click(".md-content a[href$='data-maturity/']")
    wait_for_address(page, site_url + PAGE)
    page.check("#data-maturity--leaders-use-data--mostly")
    wait_for_result(page, text="Not answered yet (29)")


def with_saved_copy(body: str) -> str:
    """A page function that runs `body` (JavaScript) on the IndexedDB store where
    cssc-runtime-cache.js keeps the ready-made copy of the Python runtime. In `body`:
    `snapshots(mode)` is the store, `done(request)` waits for a request's result, and
    `arg` is the function's argument."""
    return """async (arg) => {
        const database = await new Promise((resolve, reject) => {
            const opening = indexedDB.open('cssc-guide-runtime', 1);
            opening.onupgradeneeded = () => opening.result.createObjectStore('snapshots');
            opening.onsuccess = () => resolve(opening.result);
            opening.onerror = () => reject(opening.error);
        });
        const snapshots = (mode) => database.transaction('snapshots', mode).objectStore('snapshots');
        const done = (request) => new Promise((resolve) => { request.onsuccess = () => resolve(request.result); });
        try {
            %s
        } finally {
            database.close();
        }
    }""" % body


READ_SAVED_RUNTIME = with_saved_copy("""
    const saved = await done(snapshots('readonly').get('python'));
    return saved ? { label: saved.label, size: saved.memory.size } : null;
""")


def saved_runtime(page, wait: bool = True) -> dict | None:
    """{label, size} of the saved copy; waits for it to be written unless told not to."""
    if wait:
        page.wait_for_function(f"async () => Boolean(await ({READ_SAVED_RUNTIME})())")
    return page.evaluate(READ_SAVED_RUNTIME)


def runtime_source(page) -> str:
    return page.evaluate("() => document.documentElement.dataset.csscRuntime")


def test_a_second_visit_starts_from_the_saved_copy_and_gives_the_same_result(page, site_url):
    page.goto(site_url + PAGE)
    page.check("#data-maturity--leaders-use-data--mostly")
    page.check("#data-maturity--data-trusted--in-places")
    wait_for_result(page, text="Not answered yet (28)")
    assert runtime_source(page) == "fresh"
    first = page.locator("[data-result]").inner_html()
    saved = saved_runtime(page)
    manifest = page.request.get(site_url + "assets/pyodide/cssc-runtime.json").json()
    assert manifest["wheel_sha256"] in saved["label"] and manifest["pyodide"] in saved["label"]
    assert saved["size"] > 1_000_000

    page.reload()
    wait_for_result(page, text="Not answered yet (28)")
    assert runtime_source(page) == "saved copy"
    assert page.locator("[data-result]").inner_html() == first
    # Every tool works from the saved copy, reading its questions afresh.
    page.goto(site_url + "tools/ethics-triage/")
    wait_for_result(page)
    assert runtime_source(page) == "saved copy"


def test_the_saved_copy_never_holds_what_a_reader_typed(browser, site_url):
    # A returning reader: answers stored on an earlier visit, but no saved runtime (it
    # was cleared). Python gets those answers as soon as it is ready, so the copy must
    # be made before that.
    secret = "Zebra-Quartz 8472 confidential note"
    context, problems = open_context(browser, site_url)
    context.add_init_script(
        "if (location.protocol === 'http:') localStorage.setItem('cssc-guide:v1:ethics-workbook', JSON.stringify("
        f"{{'explore-governance--answer': '{secret}'}}));"
    )
    page = context.new_page()
    page.goto(site_url + "tools/ethics-workbook/")
    wait_for_result(page)
    assert secret in page.locator("#ethics-workbook--explore-governance--answer").input_value()
    saved_runtime(page)
    holds_secret = page.evaluate(
        with_saved_copy("""
            const saved = await done(snapshots('readonly').get('python'));
            const text = new TextDecoder('latin1').decode(await saved.memory.arrayBuffer());
            return [text.includes(arg), text.includes('Zebra-Quartz'), text.includes('handle_request')];
        """),
        secret,
    )
    # The copy does hold the tools' own code (a function's name), never the reader's text.
    assert holds_secret == [False, False, True]
    context.close()
    problems.check()


def test_a_damaged_saved_copy_is_replaced_and_the_tool_still_works(page, site_url):
    manifest = page.request.get(site_url + "assets/pyodide/cssc-runtime.json").json()
    label = f"pyodide {manifest['pyodide']}, {manifest['wheel']} {manifest['wheel_sha256']}"
    page.goto(site_url)
    page.evaluate(
        with_saved_copy("""
            await done(snapshots('readwrite').put({ label: arg, memory: new Blob([new Uint8Array(4096).fill(7)]) }, 'python'));
        """),
        label,
    )
    page.goto(site_url + PAGE)
    page.check("#data-maturity--leaders-use-data--mostly")
    wait_for_result(page, text="Not answered yet (29)")
    assert runtime_source(page) == "fresh"
    page.wait_for_function(f"async () => ((await ({READ_SAVED_RUNTIME})()) || {{}}).size > 1000000")
    assert saved_runtime(page, wait=False)["label"] == label


STATUS_WITH_EARLY_AND_STORED = "Result updated: 0 of 27 questions discussed and agreed; 26 not started."


def test_answers_given_before_the_scripts_arrive_are_kept(page, site_url):
    # A slow connection: the questions are on screen, the tools' script is not yet.
    held = []
    page.route("**/assets/js/cssc-tools.js", lambda route: held.append(route))
    page.add_init_script(
        "if (location.protocol === 'http:') localStorage.setItem('cssc-guide:v1:ethics-workbook', "
        "JSON.stringify({'explore-governance--answer': 'Stored on an earlier visit.'}));"
    )
    page.goto(site_url + "tools/ethics-workbook/", wait_until="commit")
    page.fill("#ethics-workbook--explore-data-quality--answer", "Typed before the script came.")
    page.select_option("#ethics-workbook--explore-problem-and-outcomes--status", "draft")
    assert held, "the script was expected to be held back"
    held[0].continue_()
    wait_for_result(page)
    # Scored with every answer: the early status and the stored answer are both counted.
    assert page.locator("[data-status]").inner_text() == STATUS_WITH_EARLY_AND_STORED
    assert page.input_value("#ethics-workbook--explore-data-quality--answer") == "Typed before the script came."
    assert page.input_value("#ethics-workbook--explore-problem-and-outcomes--status") == "draft"
    assert page.input_value("#ethics-workbook--explore-governance--answer") == "Stored on an earlier visit."
    assert page.evaluate("() => JSON.parse(localStorage.getItem('cssc-guide:v1:ethics-workbook'))") == {
        "explore-governance--answer": "Stored on an earlier visit.",
        "explore-data-quality--answer": "Typed before the script came.",
        "explore-problem-and-outcomes--status": "draft",
    }
