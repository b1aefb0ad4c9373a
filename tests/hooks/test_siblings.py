"""build/siblings.py: a module of build/ is loaded once, shared, and never kept half-made."""

from __future__ import annotations

import sys

import pytest

from support_build import ROOT, load_build_module

siblings = sys.modules[load_build_module.__module__]


@pytest.fixture
def build_dir(tmp_path, monkeypatch):
    """A stand-in build/ folder; whatever the test loads from it is forgotten afterwards."""
    monkeypatch.setattr(siblings, "BUILD_DIR", tmp_path)
    before = set(sys.modules)
    yield tmp_path
    for key in set(sys.modules) - before:
        del sys.modules[key]


def test_it_loads_the_modules_beside_it():
    assert siblings.BUILD_DIR == ROOT / "build"
    assert load_build_module("version").__file__ == str(ROOT / "build" / "version.py")


def test_a_module_is_loaded_once_and_shared_by_every_user():
    notices = load_build_module("notices")
    assert load_build_module("notices") is notices
    assert sys.modules["cssc_build_notices"] is notices
    # notices.py reaches components.py through the same loader: one copy, not two.
    components = load_build_module("components")
    assert notices.load_sibling("components") is components


def test_a_dataclass_in_a_sibling_works(build_dir):
    # A dataclass looks its module up in sys.modules while the class is made.
    (build_dir / "record_kind.py").write_text(
        "from __future__ import annotations\nimport dataclasses\n\n"
        "@dataclasses.dataclass(frozen=True)\nclass Kind:\n    name: str\n", "utf-8")
    assert load_build_module("record_kind").Kind("x").name == "x"


def test_a_module_that_fails_to_load_is_not_kept_half_made(build_dir):
    broken = build_dir / "half_made.py"
    broken.write_text("READY = True\nraise RuntimeError('the cache is unreadable')\n", "utf-8")
    for _ in range(2):  # the second call shows the same error, not a module without its names
        with pytest.raises(RuntimeError, match="the cache is unreadable"):
            load_build_module("half_made")
    assert "cssc_build_half_made" not in sys.modules
    broken.write_text("READY = True\n", "utf-8")
    assert load_build_module("half_made").READY is True
