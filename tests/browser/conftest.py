"""Fixtures for browser tests: the real built site, served on 127.0.0.1, in Chromium.

- `site_dir`, `site_url` (tests/conftest.py): the site built once per test session with
  `mkdocs build --strict`, served on 127.0.0.1 with the MIME types the hosting guide asks
  of real servers (.wasm, .mjs); shared with the other engines' tests (tests/engines).
- `site_with_options`: the same with the administrator's two runtime options turned on
  (the runtime fetched ahead, Python's snapshot), for their tests.
- `instant_site_url`: a site built for its own address, where the theme's instant
  navigation is on (the same as `site_url` unless CSSC_SITE_DIR gives a prebuilt site).
- `page`: a fresh browser context per test (its own empty localStorage) that fails the
  test if the page asks any other origin for anything, logs a console error, or throws.

Chromium is the system one (/usr/bin/chromium, or $CHROMIUM): no browser download.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from support_browser import CHROMIUM, CHROMIUM_ARGS, RUNTIME_TIMEOUT_MS, build_site, open_context, serve, server_url


@pytest.fixture(scope="session")
def instant_site_url(served_site, tmp_path_factory):
    """An address whose site was built for it, so the theme's instant navigation is on.

    The session's own build is (the default); a site reused with CSSC_SITE_DIR may have been
    built for no address, so then a second site is built here for its own server.
    """
    if not os.environ.get("CSSC_SITE_DIR"):
        yield served_site[1]
        return
    folder = tmp_path_factory.mktemp("instant-site")
    server = serve(folder)
    url = server_url(server)
    build_site(folder, site_url=url)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_with_options(tmp_path_factory):
    """(folder, url): the site built with both of the administrator's runtime options, off
    by default, turned on: pages that link to a tool fetch the runtime ahead
    (extra.cssc_prefetch_runtime) and tools start Python from the build's snapshot
    (extra.cssc_python_snapshot). Once per session, shared by the tests of both, which
    do not get in each other's way. CSSC_OPTIONS_SITE_DIR reuses one already built so."""
    prebuilt = os.environ.get("CSSC_OPTIONS_SITE_DIR")
    folder = Path(prebuilt) if prebuilt else tmp_path_factory.mktemp("site-with-options")
    if not prebuilt:
        build_site(folder, settings={"CSSC_PREFETCH_RUNTIME": "true", "CSSC_PYTHON_SNAPSHOT": "true"})
    server = serve(folder)
    yield folder, server_url(server)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page_problems():
    """Filled by the `page` fixture: tests may allow an expected console error."""
    return {}


@pytest.fixture
def open_page(browser, site_url):
    """Opens a tab in a new browser context (its own empty storage) with the offline guard:
    `page, problems = open_page(java_script_enabled=False)`; `site=` for another server.
    At the end of the test every context is closed, then every page's problems checked."""
    opened = []

    def open_(site: str | None = None, **options):
        context, problems = open_context(browser, site or site_url, **options)
        tab = context.new_page()
        tab.set_default_timeout(RUNTIME_TIMEOUT_MS)
        opened.append((context, problems))
        return tab, problems

    yield open_
    for context, _problems in opened:
        context.close()
    for _context, problems in opened:
        problems.check()


@pytest.fixture
def page(open_page, page_problems):
    tab, problems = open_page()
    page_problems["problems"] = problems
    return tab
