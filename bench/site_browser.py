"""What the benches that drive one built site share (answer_to_result.py, team_view.py,
data_quality.py, test_and_monitor.py): the site (the one given with --site, or one built
into a temporary folder for this run), served on 127.0.0.1, and a headless Chromium."""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from support_browser import CHROMIUM_BROWSER as CHROMIUM, CHROMIUM_ARGS, build_site, serve, server_url  # noqa: E402


@contextmanager
def chromium_on_site(site: Path | None) -> Iterator[tuple[Browser, str]]:
    """(browser, the site's address); the server and the browser stop on leaving."""
    with tempfile.TemporaryDirectory() as work:
        server = serve(site or build_site(Path(work) / "site"))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    yield browser, server_url(server)
                finally:
                    browser.close()
        finally:
            server.shutdown()
