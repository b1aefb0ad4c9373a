"""The package's shape: every module says what it offers in __all__ and offers exactly that,
uses the standard library only, no module imports another that imports it back, and the
tree shows the architecture (a shared core, one folder per tool, the readers of data)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

import assessments

PACKAGE_DIR = Path(assessments.__file__).parent
# Every module, in every folder; a folder's __init__ only says what the folder is for.
MODULES = sorted(m.name for m in pkgutil.walk_packages(assessments.__path__, "assessments.") if not m.ispkg)


def _name_of(path: Path, package_dir: Path = PACKAGE_DIR) -> str:
    parts = path.relative_to(package_dir.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """{module: the package's modules it imports}, at the top, in a function or under
    TYPE_CHECKING alike: an import on first use is still an arrow in the design."""
    modules = {_name_of(p, package_dir): p for p in package_dir.rglob("*.py")}
    graph = {}
    for own, path in modules.items():
        package = own if path.name == "__init__.py" else own.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - (node.level - 1)] + ([base] if base else []))
                # `from .folder import module` names a module; `from .module import name` a name.
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            else:
                continue
            found |= {t for t in targets if t in modules}
        graph[own] = found - {own}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Depth-first search with colours: a module met again while still open is a cycle."""
    colour: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        colour[module] = "open"
        for target in sorted(graph[module]):
            if colour.get(target) == "open":
                cycles.append(trail[trail.index(target):] + [module, target] if target in trail else [module, target])
            elif target not in colour:
                visit(target, trail + [module])
        colour[module] = "done"

    for module in sorted(graph):
        if module not in colour:
            visit(module, [])
    return cycles


ALL_MODULES = set(import_graph(PACKAGE_DIR))


@pytest.mark.parametrize("name", MODULES)
def test_all_is_explicit_and_exists(name):
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    for exported in module.__all__:
        assert hasattr(module, exported), f"{name}.__all__ names missing {exported}"


def test_package_uses_the_standard_library_only():
    allowed = set(sys.stdlib_module_names) | {"assessments"}
    # One exception, imported only when a reader opens a workbook or downloads the
    # transparency record's: the browser loads the pinned wheel then
    # (build/workbook_wheels.py). Nowhere else.
    optional = {"assessments.data.loader": {"openpyxl"}, "assessments.transparency_record.workbook": {"openpyxl"}}
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed | optional.get(_name_of(path), set()), f"{path} imports {name}"


def test_no_module_imports_one_that_imports_it_back():
    cycles = import_cycles(import_graph(PACKAGE_DIR))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def test_the_cycle_check_sees_a_cycle_through_an_import_on_first_use(tmp_path):
    """The walk above would pass on a graph it could not read: prove it finds one."""
    package = tmp_path / "pkg"
    (package / "tool").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "tool" / "__init__.py").write_text("")
    (package / "tool" / "model.py").write_text("from ..shared import thing\n")
    (package / "shared.py").write_text("def f():\n    from .tool import model\n")
    graph = import_graph(package)
    assert graph["pkg.shared"] == {"pkg.tool", "pkg.tool.model"}
    assert import_cycles(graph)


def test_the_tree_shows_the_architecture():
    top = sorted(p.stem for p in PACKAGE_DIR.glob("*.py"))
    assert len(top) <= 15, f"{len(top)} modules at the package's top level: group them into folders"
    folders = {p.name for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").is_file()}
    assert {"core", "data"} <= folders
    named_like_tests = [name for name in ALL_MODULES if name.rpartition(".")[2].startswith("test")]
    assert not named_like_tests, f"product modules named like tests: {named_like_tests}"
