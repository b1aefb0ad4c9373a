"""Loading build hooks by path: build/ is deliberately not a package (a package named
`build` would shadow PyPA's `build`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_build_module(name: str):
    """Import build/<name>.py as a module (cached in sys.modules)."""
    key = f"cssc_build_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, ROOT / "build" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]
