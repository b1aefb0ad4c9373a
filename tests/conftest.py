"""Fixtures shared by every kind of test, the built sites the browser tests share, and a
guard on what a whole run collects.

- `served_site`: (folder, url), the site built once per run with `mkdocs build --strict`
  for the address it is served from, shared by every xdist worker (support_sites.py);
  `site_dir` and `site_url` are its two halves.
- `site_with_options`: (folder, url), the same with the administrator's two runtime
  options turned on (the runtime fetched ahead, Python's snapshot), for their tests.
- `instant_site_url`: an address whose site was built for it, where the theme's instant
  navigation is on (the same as `site_url` unless CSSC_SITE_DIR gives a prebuilt site).

The sites are served on 127.0.0.1 with the MIME types and the security headers the
hosting guide asks of real servers (support_browser.QuietHandler). Tests that use a site
run after the others, so that the others run while it builds.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import support_sites
from support_browser import build_site, serve, server_url
from support_build import ROOT

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def repo_root():
    return ROOT


# --- The shared sites (support_sites.py) --------------------------------------------

def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        support_sites.take_from_controller(config, config.workerinput["cssc_sites"])
    else:
        support_sites.start_servers(config)


# Optional: a run with xdist turned off (-p no:xdist) does not know this hook.
@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    node.workerinput["cssc_sites"] = support_sites.for_worker(node.config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):
        support_sites.stop_servers(config)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items) -> None:
    # Tests that use a built site go last (a stable sort: each group keeps its order), so
    # the rest run while the site builds; xdist's `load` hands tests out in this order.
    # Among them the long ones go first: one handed out at the end would leave the other
    # processes with nothing to do while it runs.
    uses_site = {fixture for fixture in support_sites.FIXTURE.values()}
    items.sort(key=lambda item: (bool(uses_site & set(item.fixturenames)), item.get_closest_marker("long") is None))


@pytest.fixture(scope="session")
def served_site(pytestconfig):
    """(folder, url) of the site, built once per run (or CSSC_SITE_DIR's, already built)."""
    return support_sites.site(pytestconfig, "site")


@pytest.fixture(scope="session")
def site_dir(served_site):
    return served_site[0]


@pytest.fixture(scope="session")
def site_url(served_site):
    return served_site[1]


@pytest.fixture(scope="session")
def site_with_options(pytestconfig):
    """(folder, url): the site built with both of the administrator's runtime options, off
    by default, turned on: pages that link to a tool fetch the runtime ahead
    (extra.cssc_prefetch_runtime) and tools start Python from the build's snapshot
    (extra.cssc_python_snapshot). Built once per run, shared by the tests of both, which
    do not get in each other's way. CSSC_OPTIONS_SITE_DIR reuses one already built so."""
    return support_sites.site(pytestconfig, "site-with-options")


@pytest.fixture(scope="session")
def site_built_again(pytestconfig):
    """(folder, url of `served_site`): the same site built a second time, the same way and
    for the same address, once per run (tests/hooks/test_release.py compares the two)."""
    return support_sites.site(pytestconfig, "site-again")


@pytest.fixture(scope="session")
def instant_site_url(served_site, tmp_path_factory):
    """An address whose site was built for it, so the theme's instant navigation is on.

    The run's own build is; a site reused with CSSC_SITE_DIR may have been built for no
    address, so then a second site is built here for its own server.
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
    if not config.option.collectonly:
        support_sites.start_builds(config, session.items)  # (xdist's controller collects none)
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
