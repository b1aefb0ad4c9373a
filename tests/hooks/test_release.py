"""The built site and its release: the same commit gives the same bytes, every file of the
site belongs to ours or to a component listed on the notices page and in the SBOM, and the
SBOM is valid CycloneDX.

Builds the site a second time, the same way as the run's shared site (about 30 s on an
idle 2-core machine), so the site's determinism is checked for real, not only the zip
step's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from support_build import ROOT, load_build_module

notices = load_build_module("notices")
release = load_build_module("release")
version = load_build_module("version")


def _build(folder: Path) -> Path:
    environment = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    environment["NO_MKDOCS_2_WARNING"] = "1"
    subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "--quiet", "-d", str(folder)],
                   cwd=ROOT, env=environment, check=True, timeout=900)
    return folder


@pytest.fixture(scope="module")
def two_sites(served_site, site_built_again, tmp_path_factory):
    """The site built twice from the same tree in the same way: the run's shared site, and
    the run's second build of it for the same address (each built once per run, whichever
    processes run these tests). A site given with CSSC_SITE_DIR may have been built
    otherwise, so then both are built here, with no SOURCE_DATE_EPOCH given."""
    if os.environ.get("CSSC_SITE_DIR"):
        return _build(tmp_path_factory.mktemp("first")), _build(tmp_path_factory.mktemp("second"))
    return served_site[0], site_built_again[0]


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_building_twice_gives_the_same_files(two_sites):
    first, second = (_files(folder) for folder in two_sites)
    assert sorted(first) == sorted(second)
    differ = [path for path in first if first[path] != second[path]]
    assert not differ, f"built differently the second time: {differ[:10]}"


def test_the_release_zip_of_either_build_has_the_same_bytes_and_a_matching_checksum(two_sites, tmp_path):
    epoch = version.source_date_epoch(ROOT)
    zips = []
    for index, folder in enumerate(two_sites):
        target = tmp_path / f"guide-{index}.zip"
        release.write_zip(folder, target, epoch)
        zips.append(target)
    assert zips[0].read_bytes() == zips[1].read_bytes()
    with zipfile.ZipFile(zips[0]) as archive:
        names = archive.namelist()
        assert names == sorted(names) and "index.html" in names and "council.json" in names
        assert {info.date_time for info in archive.infolist()} == {release.zip_time(epoch)}
        assert archive.read("about/sbom.cdx.json") == (two_sites[0] / "about" / "sbom.cdx.json").read_bytes()
    checksum = tmp_path / "guide-0.zip.sha256"
    checksum.write_text(release.sha256_line(zips[0]))
    checked = subprocess.run(["sha256sum", "-c", checksum.name], cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0 and "guide-0.zip: OK" in checked.stdout


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_data(self, data):
        self.text.append(data)


def _page(site: Path, path: str) -> _Text:
    parser = _Text()
    parser.feed((site / path).read_text("utf-8"))
    return parser


def _libraries(components: list[dict]):
    """Every library of the SBOM, those inside another's files (docx's, the theme's) too."""
    for component in components:
        if component["type"] == "library":
            yield component
            yield from _libraries(component.get("components", []))


def _sbom_files(component: dict) -> dict[str, str]:
    return {child["name"]: child["hashes"][0]["content"]
            for child in component.get("components", []) if child["type"] == "file"}


def test_every_file_is_ours_or_a_listed_components_in_the_notices_and_the_sbom(two_sites):
    site = two_sites[0]
    sbom = json.loads((site / notices.SBOM_PATH).read_text("utf-8"))
    page = " ".join("".join(_page(site, "about/licences/index.html").text).split())
    ours = _sbom_files(sbom["metadata"]["component"])
    libraries = {component["name"]: component for component in _libraries(sbom["components"])}
    listed = {name: _sbom_files(component) for name, component in libraries.items()}
    shipped = _files(site)
    third_party = 0
    for path, data in shipped.items():
        if path == notices.SBOM_PATH:
            continue
        owners = [name for name, files in listed.items() if path in files]
        if path in ours:
            assert not owners, f"{path} is both ours and {owners}'s"
            assert ours[path] == _sha256(data), f"{path}'s SHA-256 in the SBOM"
            continue
        assert len(owners) == 1, f"{path} belongs to no component in the SBOM, or to several: {owners}"
        component = libraries[owners[0]]
        assert listed[owners[0]][path] == _sha256(data), f"{path}'s SHA-256 in the SBOM"
        assert f"{component['name']} {component['version']}" in page, f"{component['name']} on the notices page"
        assert component["licenses"] and component["purl"]
        third_party += 1
    assert third_party > 20  # the runtime, the standard library, the wheels, docx, the theme
    assert not any(path.startswith("assets/javascripts/lunr/") for path in shipped)


def test_each_components_licence_text_is_shipped_beside_it_and_linked(two_sites):
    site = two_sites[0]
    sbom = json.loads((site / notices.SBOM_PATH).read_text("utf-8"))
    links = _page(site, "about/licences/index.html").links
    for component in _libraries(sbom["components"]):
        texts = [name for name in _sbom_files(component) if name.startswith(notices.LICENCE_DIR + "/")
                 and name.endswith(".txt")]
        assert len(texts) == 1, component["name"]
        text = (site / texts[0]).read_text("utf-8")
        assert text.startswith(f"{component['name']} {component['version']}\n")
        assert len(text.splitlines()) > 8, f"{texts[0]} holds a licence's text, not only its name"
        assert Path(texts[0]).name in links
    assert "../sbom.cdx.json" in links
    assert (site / notices.OUR_LICENCE).read_text("utf-8") == (ROOT / "LICENSE").read_text("utf-8")


def test_the_sbom_is_valid_cyclonedx(two_sites):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = (two_sites[0] / notices.SBOM_PATH).read_text("utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    document = json.loads(text)
    assert document["metadata"]["component"]["version"] == version.version_label(ROOT)


def test_every_page_states_the_licences_and_the_version(two_sites):
    site = two_sites[0]
    label = version.version_label(ROOT)
    for path in ("index.html", "tools/data-maturity/index.html", "about/index.html", "404.html"):
        text = " ".join("".join(_page(site, path).text).split())
        assert "The Main Guidance text is © Crown copyright." in text, path
        assert "Contains public sector information licensed under the Open Government Licence v3.0." in text, path
        assert "CC BY 4.0" in text and "MIT licence" in text and f"Version {label}." in text, path
    about = " ".join("".join(_page(site, "about/index.html").text).split())
    assert f"This is version {label} of the guide." in about


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                        "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z", "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z"})


def test_a_tree_with_uncommitted_changes_is_refused_or_labelled_dirty(tmp_path, monkeypatch):
    (tmp_path / "assessments").mkdir()
    shutil.copy(ROOT / "assessments" / "__init__.py", tmp_path / "assessments" / "__init__.py")
    shutil.copy(ROOT / "package.json", tmp_path / "package.json")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "one")
    assert version.version_label(tmp_path) == version.base_version(ROOT)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert version.source_date_epoch(tmp_path) == 1767323045  # the commit's time
    (tmp_path / "package.json").write_text("{}")
    assert version.version_label(tmp_path) == f"{version.base_version(ROOT)}-dirty"
    monkeypatch.setattr(release, "ROOT", tmp_path)
    with pytest.raises(SystemExit, match="uncommitted changes"):
        release.make_release(tmp_path / "no-site", tmp_path / "dist", allow_dirty=False)
    assert not (tmp_path / "dist").exists()


def test_make_release_writes_the_zip_its_checksum_the_sbom_and_the_notes(two_sites, tmp_path):
    written = release.make_release(two_sites[0], tmp_path / "dist", allow_dirty=True)
    stem = f"{release.release_name()}-{version.version_label(ROOT)}"
    assert [path.name for path in written] == [f"{stem}.zip", f"{stem}.zip.sha256", f"{stem}.sbom.cdx.json",
                                                f"{stem}-release-notes.md"]
    archive, checksum, sbom, notes = written
    assert checksum.read_text() == f"{_sha256(archive.read_bytes())}  {archive.name}\n"
    assert sbom.read_bytes() == (two_sites[0] / notices.SBOM_PATH).read_bytes()
    text = notes.read_text("utf-8")
    assert "## Questions changed since the previous release" in text and "- pyodide " in text
