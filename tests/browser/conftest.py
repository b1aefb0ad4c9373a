"""Fixtures for browser tests in Chromium, against the built site (the site fixtures,
`served_site`, `site_dir`, `site_url`, `site_with_options` and `instant_site_url`, are in
tests/conftest.py, shared with every folder of tests).

- `browser`: one Chromium per worker.
- `open_page`/`page`: a fresh browser context per test (its own empty storage) that fails
  the test if the page asks any other origin for anything, logs a console error, or throws.

Chromium is the system's headless shell (/usr/bin/chromium-headless-shell, or $CHROMIUM):
no browser download.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from support_browser import CHROMIUM, CHROMIUM_TEST_ARGS, RUNTIME_TIMEOUT_MS, open_context


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_TEST_ARGS)
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
