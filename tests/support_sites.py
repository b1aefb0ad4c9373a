"""The built sites that browser tests share: each built once per run, however many xdist
workers there are, and served by one server for the whole run.

A site takes about 20 s of a core to build, and it is built for the address it is served
from (the theme's instant navigation works only for the address in sitemap.xml). So:

- the process that runs the session (xdist's controller, or pytest itself without xdist)
  starts one server per site at the start, on a folder still empty, and hands the
  addresses and folders to the workers (pytest_configure_node);
- once a process has collected its tests, it starts building the sites they use, one
  after the other, in a background thread, each under a file lock, so the first process to
  get to a site builds it and the others find it built (or build the next one meanwhile);
  tests that need no site (the unit tests, which conftest.py runs first) run meanwhile;
- a test that uses a site waits for that lock, not for a clock;
- the server and the folders go when the session ends.

CSSC_SITE_DIR (and CSSC_OPTIONS_SITE_DIR) serve a site already built instead, for a few
tests run by hand.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from support_browser import build_site, serve, server_url

# Each shared site: the environment variables mkdocs.yml reads when building it, and the
# variable that names one already built.
SITES = {
    # The site as `make build` makes it.
    "site": ({}, "CSSC_SITE_DIR"),
    # The administrator's two runtime options, off by default, turned on: pages that link
    # to a tool fetch the runtime ahead (extra.cssc_prefetch_runtime) and tools start
    # Python from the build's snapshot (extra.cssc_python_snapshot).
    "site-with-options": ({"CSSC_PREFETCH_RUNTIME": "true", "CSSC_PYTHON_SNAPSHOT": "true"}, "CSSC_OPTIONS_SITE_DIR"),
    # The site as `make build` makes it, built a second time for the first one's address:
    # the release test compares the two, byte for byte (tests/hooks/test_release.py).
    "site-again": ({}, "CSSC_SITE_AGAIN_DIR"),
}
# The fixture (tests/conftest.py) through which a test uses each site.
FIXTURE = {"site": "served_site", "site-with-options": "site_with_options", "site-again": "site_built_again"}
# A site built for another site's address (and not served itself).
BUILT_FOR = {"site-again": "site"}

_KEY = pytest.StashKey[dict]()
_SERVERS = pytest.StashKey[list]()
_BUILDS = pytest.StashKey[dict]()


def start_servers(config: pytest.Config) -> None:
    """In the session's own process: a folder for each site, and a server for each one served."""
    shared = Path(tempfile.mkdtemp(prefix="cssc-sites-"))
    sites, servers = {}, []
    for name, (_settings, prebuilt_variable) in SITES.items():
        prebuilt = os.environ.get(prebuilt_variable)
        folder = Path(prebuilt) if prebuilt else shared / name
        folder.mkdir(exist_ok=True)
        sites[name] = {"folder": str(folder), "url": None, "prebuilt": bool(prebuilt)}
        if name not in BUILT_FOR:  # one built for another's address is never served
            server = serve(folder)
            servers.append(server)
            sites[name]["url"] = server_url(server)
    config.stash[_KEY] = {"shared": str(shared), "sites": sites}
    config.stash[_SERVERS] = servers


def stop_servers(config: pytest.Config) -> None:
    for server in config.stash.get(_SERVERS, []):
        server.shutdown()
        server.server_close()
    shared = config.stash.get(_KEY, {}).get("shared")
    if shared:
        shutil.rmtree(shared, ignore_errors=True)


def for_worker(config: pytest.Config) -> str:
    """What an xdist worker is told (workerinput), as text."""
    return json.dumps(config.stash[_KEY])


def take_from_controller(config: pytest.Config, text: str) -> None:
    config.stash[_KEY] = json.loads(text)


def start_builds(config: pytest.Config, items) -> None:
    """Start building, in the background, the sites the collected tests use, one after the
    other in the order of SITES: the site most tests use is ready first, and the builds
    after it find the runtime's compressed copies made (build/precompress.py) instead of
    compressing it again at the same moment."""
    builds = config.stash.setdefault(_BUILDS, {})
    needed = [name for name in SITES
              if name not in builds and any(FIXTURE[name] in item.fixturenames for item in items)]
    if not needed:
        return
    thread = threading.Thread(target=_build_in_turn, args=(config, needed), daemon=True)
    for name in needed:
        builds[name] = thread
    thread.start()


def site(config: pytest.Config, name: str) -> tuple[Path, str]:
    """(folder, url) of a shared site, once it is built: fails the test if it could not be."""
    _build_once(config, name)  # waits for the lock while another thread or process builds it
    info = config.stash[_KEY]
    failed = Path(info["shared"]) / f"{name}.failed"
    if failed.exists():
        pytest.fail(failed.read_text("utf-8"), pytrace=False)
    return Path(info["sites"][name]["folder"]), _address(info, name)


def _address(info: dict, name: str) -> str:
    """The address a site is built for: its server's, or that of the site it copies."""
    return info["sites"][BUILT_FOR.get(name, name)]["url"]


def _build_in_turn(config: pytest.Config, names: list[str]) -> None:
    """Build each site in turn; one another process is building already is left to it until
    the others are done, then waited for."""
    for name in names:
        _build_once(config, name, wait=name == names[0])
    for name in names:
        _build_once(config, name)


def _build_once(config: pytest.Config, name: str, wait: bool = True) -> None:
    """Build the site unless it is built; with `wait` False, leave it if another thread or
    process is building it now."""
    info = config.stash[_KEY]
    entry = info["sites"][name]
    if entry["prebuilt"]:
        return
    shared = Path(info["shared"])
    done, failed = shared / f"{name}.done", shared / f"{name}.failed"
    with open(shared / f"{name}.lock", "w") as lock:
        try:  # held by whoever is building it; released when the file closes
            fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        if done.exists() or failed.exists():
            return
        try:
            build_site(Path(entry["folder"]), site_url=_address(info, name), settings=SITES[name][0])
        except AssertionError as error:  # mkdocs failed: every test that uses the site says why
            failed.write_text(str(error), "utf-8")
            return
        done.write_text("", "utf-8")
