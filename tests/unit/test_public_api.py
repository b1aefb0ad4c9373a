"""Every module says what it offers in __all__, and offers exactly that."""

import importlib
import pkgutil

import pytest

import assessments

MODULES = [m.name for m in pkgutil.iter_modules(assessments.__path__)]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_explicit_and_exists(name):
    module = importlib.import_module(f"assessments.{name}")
    assert hasattr(module, "__all__"), f"assessments.{name} has no __all__"
    for exported in module.__all__:
        assert hasattr(module, exported), f"assessments.{name}.__all__ names missing {exported}"


def test_package_uses_the_standard_library_only():
    import sys

    allowed = set(sys.stdlib_module_names) | {"assessments"}
    # One exception, imported only when a reader opens a workbook: the browser loads the
    # pinned wheel then (build/workbook_wheels.py). Nowhere else.
    optional = {"data_loader.py": {"openpyxl"}}
    import ast
    from pathlib import Path

    for path in Path(assessments.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed | optional.get(path.name, set()), f"{path.name} imports {name}"
