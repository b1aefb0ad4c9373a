"""Third-party notices: every component is read from its installed package, every file of
a site belongs to ours or a listed component, and what has no licence text stops the build.
(The walk of a whole built site is in test_release.py, which builds one.)"""

from __future__ import annotations

import json
import zipfile

import pytest
from mkdocs.exceptions import PluginError

from support_build import ROOT, load_build_module

notices = load_build_module("notices")
components = load_build_module("components")
wheels = load_build_module("workbook_wheels")


@pytest.fixture(scope="module")
def found():
    return {component.key: component for component in notices.third_party(ROOT, {})}


def _npm(name):
    return json.loads((ROOT / "node_modules" / name / "package.json").read_text("utf-8"))


def test_npm_components_carry_the_installed_version_licence_and_licence_file(found):
    for key in ("pyodide", "docx"):
        package = _npm(key)
        assert (found[key].version, found[key].licence) == (package["version"], package["license"])
        assert found[key].purl == f"pkg:npm/{key}@{package['version']}"
    docx_licence = (ROOT / "node_modules" / "docx" / "LICENSE").read_text("utf-8").strip()
    assert docx_licence in found["docx"].licence_text()


def test_the_libraries_inside_docx_are_listed_from_their_own_packages(found):
    bundled = [component for component in found.values() if component.bundled_in == "docx"]
    assert bundled, "docx's single file carries its dependencies"
    for component in bundled:
        package = _npm(component.name)
        assert component.version == package["version"] and component.licence == package["license"]
        assert "Permission is hereby granted" in component.licence_text() or package["license"] != "MIT"


def test_pyodide_without_a_licence_file_gets_its_licences_text_from_a_package_declaring_the_same(found):
    pyodide = found["pyodide"]
    assert not components._licence_files(ROOT / "node_modules" / "pyodide")  # why the fallback exists
    (text,) = pyodide.texts
    assert "same licence (MPL-2.0)" in text.source and "Mozilla Public License" in text.text


def test_cpython_is_labelled_with_pyodides_python_and_carries_the_psf_licence(found):
    lock = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text("utf-8"))
    cpython = found["cpython"]
    assert cpython.version == lock["info"]["python"]
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in cpython.licence_text()
    assert cpython.owns("assets/pyodide/python_stdlib.zip.br")


def test_the_workbook_wheels_are_read_from_their_own_dist_info(found):
    for wheel in wheels.cached_wheels(ROOT):
        key = wheel.name.split("-")[0].replace("_", "-").lower()
        with zipfile.ZipFile(wheel) as archive:
            metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            version = archive.read(metadata).decode().split("\nVersion: ")[1].split("\n")[0]
        assert found[key].version == version
        assert found[key].owns(f"assets/pyodide/{wheel.name}")
        assert found[key].texts and all(text.text.strip() for text in found[key].texts)


def test_the_theme_and_lunr_inside_its_worker(tmp_path):
    from importlib import metadata

    theme_dir = notices._theme_package_dir() / "templates"
    worker = next(theme_dir.glob("assets/javascripts/workers/search.*.min.js"))
    shipped = {worker.relative_to(theme_dir).as_posix(): worker}
    listed = {component.key: component for component in notices.third_party(ROOT, shipped)}
    assert listed["mkdocs-material"].version == metadata.version("mkdocs-material")
    assert listed["mkdocs-material"].owns(next(iter(shipped)))
    lunr = listed["lunr"]
    assert lunr.bundled_in == "mkdocs-material" and lunr.version in worker.read_text("utf-8")
    assert "@license" in lunr.licence_text()


def test_a_package_without_any_licence_text_stops_the_build(tmp_path):
    package = tmp_path / "node_modules" / "nolicence"
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"name": "nolicence", "version": "1.0.0", "license": "ISC"}))
    component = components.npm_component(tmp_path, "nolicence", key="nolicence", origin="npm")
    with pytest.raises(PluginError, match="No licence text was found for nolicence 1.0.0"):
        component.licence_text()


def test_every_file_is_ours_or_a_components_and_anything_else_is_named(tmp_path, found):
    site = tmp_path / "site"
    for path in ("index.html", "assets/css/cssc.css", "assets/pyodide/pyodide.asm.wasm",
                 "assets/pyodide/pyodide.asm.wasm.gz", "assets/vendor/docx/docx.mjs", "about/licences/docx.txt",
                 "assets/stray.js", "assets/stray.js.br"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("x")
    mapped, unknown = notices.map_site(site, list(found.values()), {"assets/css/cssc.css"})
    assert unknown == ["assets/stray.js", "assets/stray.js.br"]
    assert mapped["pyodide"] == ["assets/pyodide/pyodide.asm.wasm", "assets/pyodide/pyodide.asm.wasm.gz"]
    assert mapped["docx"] == ["about/licences/docx.txt", "assets/vendor/docx/docx.mjs"]
    assert mapped["ours"] == ["assets/css/cssc.css", "index.html"]


def test_the_page_lists_each_component_with_its_licence_and_a_link_to_its_text(found):
    page = notices.notices_markdown(list(found.values()))
    for component in found.values():
        assert f" {component.name} {component.version}\n" in page
        assert f"`{component.licence}`" in page and f"(licences/{component.key}.txt)" in page
