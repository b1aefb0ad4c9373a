"""Fixtures shared by every kind of test, and a guard on what a whole run collects."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support_browser import build_site, serve, server_url
from support_build import ROOT

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def repo_root():
    return ROOT


# --- The built site, served: one per session for every browser's tests ---------------

@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """(folder, url): the server starts first, so the site can be built for its address."""
    # CSSC_SITE_DIR reuses a site already built (e.g. by `make build`) to save time when
    # running a few tests by hand; by default every run builds afresh.
    prebuilt = os.environ.get("CSSC_SITE_DIR")
    folder = Path(prebuilt) if prebuilt else tmp_path_factory.mktemp("site")
    server = serve(folder)
    url = server_url(server)
    if not prebuilt:
        build_site(folder, site_url=url)
    yield folder, url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_dir(served_site):
    return served_site[0]


@pytest.fixture(scope="session")
def site_url(served_site):
    return served_site[1]


# --- Every test folder runs --------------------------------------------------------
# pytest silently passes over some folder names (a folder called `build` went unrun for
# months), so a run of the whole suite fails when a folder with test modules collects
# nothing. Runs of a part of the suite (a path, -k or -m) are not checked. Under xdist
# the workers collect and the controller hears of it, so both ways are handled.

_silent_folders: list[str] = []


def _folders_with_tests() -> set[Path]:
    return {path.parent for path in TESTS.rglob("test_*.py") if "fixture" not in path.parts}


def _is_whole_run(config: pytest.Config) -> bool:
    paths = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    return paths in ([TESTS], [ROOT]) and not config.option.keyword and not config.option.markexpr


def _check(config: pytest.Config, collected_files: set[Path]) -> None:
    if not _is_whole_run(config):
        return
    collected = {path.parent for path in collected_files}
    _silent_folders[:] = sorted(str(f.relative_to(ROOT)) for f in _folders_with_tests() - collected)


def pytest_collection_finish(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workerinput") or config.pluginmanager.hasplugin("dsession"):
        return  # under xdist the controller checks what all the workers collected
    _check(config, {Path(str(item.path)) for item in session.items})


# Optional: a run with xdist turned off (-p no:xdist) does not know this hook.
@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    _check(node.config, {ROOT / nodeid.split("::")[0] for nodeid in ids})


def pytest_sessionfinish(session: pytest.Session, exitstatus) -> None:
    if _silent_folders and not hasattr(session.config, "workerinput"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if _silent_folders:
        terminalreporter.write_line(
            f"FAILED: these test folders collected no tests: {', '.join(_silent_folders)}", red=True)
