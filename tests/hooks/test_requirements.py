"""The README's minimum Python and Node are true for everything `make setup` installs,
and `make setup` stops with a plain message on anything older."""

from __future__ import annotations

import json
import re
import subprocess
from importlib import metadata

import pytest

from support_build import ROOT, load_build_module

components = load_build_module("components")


def _makefile(name: str) -> str:
    return re.search(rf"^{name} := (\S+)$", (ROOT / "Makefile").read_text("utf-8"), re.MULTILINE).group(1)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_the_readme_states_the_makefiles_minimums():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert f"Python {_makefile('MIN_PYTHON')} or newer" in readme
    assert f"Node.js {_makefile('MIN_NODE')} or newer" in readme


def test_every_installed_python_distribution_runs_on_the_minimum_python():
    minimum = _version(_makefile("MIN_PYTHON"))
    too_new = []
    for dist in metadata.distributions():
        for bound in re.findall(r">=\s*([0-9.]+)", dist.metadata.get("Requires-Python") or ""):
            if _version(bound.rstrip(".")) > minimum:
                too_new.append(f"{dist.metadata['Name']} requires Python {bound}")
    assert not too_new


def _lowest_major(engines: str) -> int:
    """The oldest Node major an engines range such as "^22 || ^24 || >=26" allows ("*": any)."""
    return min(int(found.group()) if (found := re.search(r"\d+", part)) else 0 for part in engines.split("||"))


def test_every_npm_package_the_build_runs_allows_the_minimum_node():
    minimum = int(_makefile("MIN_NODE"))
    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    shipped = ROOT / "node_modules" / "docx" / "dist" / "index.mjs"
    only_inside_docx = set(components.bundled_npm(ROOT, "docx", shipped))
    refused = []
    for path, package in lock["packages"].items():
        engines = (package.get("engines") or {}).get("node")
        if not path or not engines or _lowest_major(engines) <= minimum:
            continue
        name = path.removeprefix("node_modules/")
        # Declared too new, yet never run: docx carries its own copy inside its single file.
        if name not in only_inside_docx:
            refused.append(f"{name} declares Node {engines}")
    assert not refused
    assert "nanoid" in (ROOT / "Makefile").read_text("utf-8")  # the exception is said where the minimum is


@pytest.mark.parametrize("fake, says", [
    ("node", "Node.js {MIN_NODE} or newer is needed to build the site; 'node' is v18.19.0."),
    ("python", "Python {MIN_PYTHON} or newer is needed; '{path}' is 3.11.2."),
])
def test_setup_stops_on_an_older_python_or_node_saying_so(tmp_path, fake, says):
    script = tmp_path / fake
    script.write_text("#!/bin/sh\necho " + ("v18.19.0" if fake == "node" else "3.11.2") + "\n")
    script.chmod(0o755)
    import os

    environment = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"} if fake == "node" else dict(os.environ)
    arguments = ["make", "--no-print-directory", "check-versions"] + ([f"PYTHON={script}"] if fake == "python" else [])
    done = subprocess.run(arguments, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert says.format(MIN_NODE=_makefile("MIN_NODE"), MIN_PYTHON=_makefile("MIN_PYTHON"), path=script) in done.stdout
