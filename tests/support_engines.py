"""The engines other than Chromium, behind one small interface for tests/engines.

- Firefox ESR (Debian's /usr/bin/firefox-esr) over WebDriver BiDi, through puppeteer-core
  in a Node process (tests/engines/firefox_bridge.mjs): Playwright's Firefox is a patched
  build it would download, which is neither possible here nor what readers run.
- WebKit: WebKitGTK's MiniBrowser driven by WebKitWebDriver (Debian's webkit2gtk-driver),
  under its own X server (xvfb-run), through Selenium. Selenium is given the driver's
  address, so it never looks for or downloads a driver.

One browser per engine per run. A missing browser fails the run: never skipped.

Both engines take a page function as JavaScript source of one argument, e.g.
`engine.run("(slug) => localStorage.length", "ethics-triage")`; it may return a promise.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from support_browser import ROOT

FIREFOX = os.environ.get("FIREFOX", "/usr/bin/firefox-esr")
WEBKIT_DRIVER = os.environ.get("WEBKIT_DRIVER", "/usr/bin/WebKitWebDriver")
MINIBROWSER_PLACES = ("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
                      "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser")
TIMEOUT_S = 60


def minibrowser() -> str:
    found = os.environ.get("MINIBROWSER") or next((p for p in MINIBROWSER_PLACES if os.path.exists(p)), "")
    assert found, f"WebKitGTK's MiniBrowser is missing (install webkit2gtk-driver): looked in {MINIBROWSER_PLACES}"
    return found


class EngineError(AssertionError):
    pass


# Errors a page meets after it has loaded: WebKitWebDriver cannot hear the console, so
# the page is watched from just after load (the hosting guide's CSP violations, from the
# first moment, are counted by the test server's report address instead).
_WATCH = """() => {
    if (window.__csscProblems) return;
    window.__csscProblems = [];
    const seen = (text) => window.__csscProblems.push(text);
    window.addEventListener('error', (event) => seen(`uncaught: ${event.message}`));
    window.addEventListener('unhandledrejection', (event) => seen(`unhandled rejection: ${event.reason}`));
    const error = console.error.bind(console);
    console.error = (...parts) => { seen(`console error: ${parts.join(' ')}`); error(...parts); };
}"""


class Engine:
    """What the engine tests need of a browser: one tab, used page after page."""

    name = ""
    downloads: Path

    def fresh(self, origin: str) -> None:
        """Empty this site's storage, as a new reader's browser has it."""
        raise NotImplementedError

    def goto(self, url: str) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def run(self, fn: str, arg=None):
        raise NotImplementedError

    def wait(self, fn: str, arg=None, timeout: float = TIMEOUT_S, what: str = ""):
        """Wait until `fn(arg)` is truthy in the page; return its value."""
        raise NotImplementedError

    def click(self, selector: str) -> None:
        raise NotImplementedError

    def choose_file(self, selector: str, path: Path) -> None:
        raise NotImplementedError

    def problems(self) -> list[str]:
        """Console errors and uncaught errors seen since the last call."""
        raise NotImplementedError

    def new_tab(self, url: str) -> int:
        """Open `url` in another tab of this browser (its storage shared); commands go to
        it until use_tab. Returns its index (the first tab is 0)."""
        raise NotImplementedError

    def use_tab(self, index: int) -> None:
        raise NotImplementedError

    def close_tab(self, index: int) -> None:
        """Close that tab; commands go to the first."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def download(self, selector: str, timeout: float = TIMEOUT_S) -> Path:
        """Click `selector` and return the file the browser saved."""
        before = set(self.downloads.iterdir())
        self.click(selector)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = [p for p in set(self.downloads.iterdir()) - before
                   if not p.name.endswith((".part", ".download")) and p.stat().st_size > 0]
            if new:
                time.sleep(0.2)  # let the browser finish writing and renaming it
                return max(new, key=lambda p: p.stat().st_mtime)
            time.sleep(0.1)
        raise EngineError(f"{self.name}: no download from {selector} in {timeout} s "
                          f"(folder holds {sorted(p.name for p in self.downloads.iterdir())})")


class Firefox(Engine):
    name = "firefox"

    def __init__(self, downloads: Path) -> None:
        assert os.access(FIREFOX, os.X_OK), f"Firefox ESR is missing: {FIREFOX} (apt-get install firefox-esr)"
        bridge = ROOT / "tests" / "engines" / "firefox_bridge.mjs"
        assert (ROOT / "node_modules" / "puppeteer-core").is_dir(), "puppeteer-core is missing: run npm ci"
        self.downloads = downloads
        self._process = subprocess.Popen(
            ["node", str(bridge), FIREFOX, str(downloads)], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True)
        self._next = 1
        first = self._process.stdout.readline()
        assert first and json.loads(first)["ok"], f"Firefox did not start: {first!r}"
        self.version = self._send("version")

    def _send(self, op: str, **fields):
        request_id = self._next
        self._next += 1
        self._process.stdin.write(json.dumps({"id": request_id, "op": op, **fields}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise EngineError(f"firefox: the bridge ended during {op}")
        answer = json.loads(line)
        assert answer["id"] == request_id
        if not answer["ok"]:
            raise EngineError(f"firefox: {op} failed: {answer['error'][:2000]}")
        return answer["value"]

    def fresh(self, origin: str) -> None:
        self._send("fresh")

    def goto(self, url: str) -> None:
        self._send("goto", url=url)

    def reload(self) -> None:
        self._send("reload")

    def run(self, fn: str, arg=None):
        return self._send("run", fn=fn, arg=arg)

    def wait(self, fn: str, arg=None, timeout: float = TIMEOUT_S, what: str = ""):
        try:
            return self._send("wait", fn=fn, arg=arg, timeout=int(timeout * 1000))
        except EngineError as error:
            raise EngineError(f"firefox: waited in vain for {what or fn}: {error}") from None

    def click(self, selector: str) -> None:
        self._send("click", selector=selector)

    def choose_file(self, selector: str, path: Path) -> None:
        self._send("choose", selector=selector, path=str(path))

    def problems(self) -> list[str]:
        return self._send("problems")

    def new_tab(self, url: str) -> int:
        return self._send("newTab", url=url)

    def use_tab(self, index: int) -> None:
        self._send("useTab", index=index)

    def close_tab(self, index: int) -> None:
        self._send("closeTab", index=index)

    def close(self) -> None:
        try:
            self._send("close")
        except EngineError:
            pass
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        finally:
            # Pipes left open are closed by the garbage collector with a ResourceWarning,
            # which fails whichever test happens to be running then (filterwarnings = error).
            self._process.stdin.close()
            self._process.stdout.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebKit(Engine):
    name = "webkit"

    def __init__(self, downloads: Path) -> None:
        from selenium import webdriver
        from selenium.webdriver.remote.client_config import ClientConfig
        from selenium.webdriver.remote.file_detector import UselessFileDetector
        from selenium.webdriver.remote.remote_connection import RemoteConnection
        from selenium.webdriver.webkitgtk.options import Options

        assert os.access(WEBKIT_DRIVER, os.X_OK), f"WebKitWebDriver is missing: {WEBKIT_DRIVER} (apt-get install webkit2gtk-driver)"
        assert shutil.which("xvfb-run"), "xvfb-run is missing (apt-get install xvfb)"
        self.downloads = downloads
        port = _free_port()
        # MiniBrowser draws to a screen of its own; xvfb-run gives it one and ends with it.
        # MiniBrowser saves a download without asking, in the user's download folder
        # (GLib's XDG_DOWNLOAD_DIR): this run's folder, named in a config of its own.
        config = downloads.parent / "webkit-config"
        config.mkdir(exist_ok=True)
        (config / "user-dirs.dirs").write_text(f'XDG_DOWNLOAD_DIR="{downloads}"\n', "utf-8")
        # As the tests' Chromium (support_browser.CHROMIUM_TEST_ARGS), WebKit compiles
        # WebAssembly with its baseline compiler only (JavaScriptCore's options are read from
        # JSC_ variables): optimising the runtime's hot functions again costs more than it
        # saves in the moments a test runs Python (this test: 57 s of processor time to
        # 38 s). What a page does is the same.
        self._process = subprocess.Popen(
            ["xvfb-run", "--auto-servernum", WEBKIT_DRIVER, f"--port={port}"],
            env={**os.environ, "XDG_CONFIG_HOME": str(config), "JSC_useOMGJIT": "0"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        options = Options()
        options.binary_location = minibrowser()
        options.add_argument("--automation")
        address = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self._stop()
                    raise EngineError("WebKitWebDriver did not start") from None
                time.sleep(0.1)
        try:
            connection = RemoteConnection(client_config=ClientConfig(remote_server_addr=address))
            self._driver = webdriver.Remote(command_executor=connection, options=options)
        except Exception:
            self._stop()
            raise
        # The driver runs on this machine and reads the file itself: no copying it over.
        self._driver.file_detector = UselessFileDetector()
        self._driver.set_script_timeout(TIMEOUT_S)
        self.version = f"WebKitGTK {self._driver.capabilities.get('browserVersion')}"

    def _watch(self) -> None:
        self._driver.execute_script(f"({_WATCH})()")

    def fresh(self, origin: str) -> None:
        self._driver.get(origin)
        self._driver.execute_script("localStorage.clear(); sessionStorage.clear();")

    def goto(self, url: str) -> None:
        self._driver.get(url)
        self._watch()

    def reload(self) -> None:
        self._driver.refresh()
        self._watch()

    def run(self, fn: str, arg=None):
        answer = self._driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve().then(() => ({fn})(arguments[0]))"
            ".then((value) => done({value: value === undefined ? null : value}), (error) => done({error: String(error)}));",
            arg)
        if "error" in answer:
            raise EngineError(f"webkit: {answer['error']}")
        return answer["value"]

    def wait(self, fn: str, arg=None, timeout: float = TIMEOUT_S, what: str = ""):
        deadline = time.monotonic() + timeout
        while True:
            value = self.run(fn, arg)
            if value:
                return value
            if time.monotonic() > deadline:
                raise EngineError(f"webkit: waited {timeout} s in vain for {what or fn}")
            time.sleep(0.1)

    def click(self, selector: str) -> None:
        from selenium.webdriver.common.by import By

        element = self._driver.find_element(By.CSS_SELECTOR, selector)
        self._driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def choose_file(self, selector: str, path: Path) -> None:
        from selenium.webdriver.common.by import By

        self._driver.find_element(By.CSS_SELECTOR, selector).send_keys(str(path))

    def problems(self) -> list[str]:
        return self._driver.execute_script(
            "const found = window.__csscProblems || []; window.__csscProblems = []; return found;")

    def new_tab(self, url: str) -> int:
        self._driver.switch_to.new_window("tab")
        self.goto(url)
        return self._driver.window_handles.index(self._driver.current_window_handle)

    def use_tab(self, index: int) -> None:
        self._driver.switch_to.window(self._driver.window_handles[index])

    def close_tab(self, index: int) -> None:
        self.use_tab(index)
        self._driver.close()
        self.use_tab(0)

    def _stop(self) -> None:
        try:
            os.killpg(self._process.pid, signal.SIGTERM)
            self._process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass

    def close(self) -> None:
        try:
            self._driver.quit()
        finally:
            self._stop()


ENGINES = {"firefox": Firefox, "webkit": WebKit}
