"""Loading build hooks by path: build/ is deliberately not a package (a package named
`build` would shadow PyPA's `build`). build/siblings.py loads them, for the build and the
tests alike."""

from __future__ import annotations

import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_in_pyodide_command(*args) -> list[str]:
    """The command that runs build/run_in_pyodide.mjs under Node with `args`.

    Node runs it with V8's baseline WebAssembly compiler only, as the tests' Chromium does
    (support_browser.CHROMIUM_TEST_ARGS): what runs is the same, and optimising the
    runtime's hot functions costs more than it saves in the seconds a test runs
    (tests/pyodide: 13.1 s of processor time to 7.0 s)."""
    return [shutil.which("node"), "--liftoff-only", str(ROOT / "build" / "run_in_pyodide.mjs"), *map(str, args)]


# Imported as MkDocs imports it for a hook: with build/ on sys.path while it loads.
sys.path.insert(0, str(ROOT / "build"))
try:
    from siblings import load_sibling as load_build_module
finally:
    sys.path.remove(str(ROOT / "build"))


class Elements(HTMLParser):
    """A rendered form's start tags as (tag, attributes), in order, with the text of each label."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.labels: dict[str, str] = {}
        self._label: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "label":
            self._label = attributes.get("for")
            self.labels[self._label] = ""

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None

    def handle_data(self, data):
        if self._label:
            self.labels[self._label] += data

    def find(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())]

    def named(self) -> dict[str, tuple[str, dict]]:
        return {a["name"]: (t, a) for t, a in self.tags if a.get("name")}
