"""Fixtures for the engine tests: Firefox ESR and WebKit (support_engines.py), one browser
per engine for the whole run, against the site every browser test shares (`site_url`,
tests/conftest.py)."""

from __future__ import annotations

import pytest

from support_browser import QuietHandler, hosting_guide_csp, serve, server_url
from support_engines import ENGINES


@pytest.fixture(scope="session")
def engine(request, tmp_path_factory):
    """The engine named by the test's parameter, started once per run."""
    downloads = tmp_path_factory.mktemp(f"{request.param}-downloads")
    started = ENGINES[request.param](downloads)
    yield started
    started.close()


class ScriptsBlockedHandler(QuietHandler):
    """The hosting guide's policy with every script refused: the page as a reader sees it
    with JavaScript off or blocked. (Neither driver can turn JavaScript off: Firefox ESR's
    BiDi has no emulation.setScriptingEnabled yet and WebKitWebDriver has no such switch,
    so the page's own policy stops every script, the test's own reading of it aside.)"""

    csp = hosting_guide_csp().replace("script-src 'self' 'wasm-unsafe-eval'", "script-src 'none'")


@pytest.fixture(scope="session")
def scripts_blocked_url(site_dir):
    assert "script-src 'none'" in ScriptsBlockedHandler.csp
    server = serve(site_dir, ScriptsBlockedHandler)
    yield server_url(server)
    server.shutdown()
    server.server_close()
