"""What the built site redistributes: each third-party component, read from the packages.

Used by build/notices.py (the "Licences and notices" page, the licence texts and the
check that every file in site/ belongs to a known component) and build/sbom.py. Every
name, version, licence and licence text here is read from the installed package itself
(npm package.json and licence files, Python distribution metadata, the wheel's
dist-info, the notices a file carries in its own comments); nothing about a licence is
written down by hand. Where a package carries no licence text, the build fails, unless
the text of the same licence (the same SPDX id) is found in another installed package,
and the page then says where it was read.
"""

from __future__ import annotations

import fnmatch
import json
import re
import sysconfig
import zipfile
from dataclasses import dataclass, field
from email.parser import Parser
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError

LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING", "NOTICE")
# A bundled module is named in docx's single-file build by a comment such as
# "// node_modules/fflate/esm/browser.js" (its bundler's region markers).
_BUNDLED = re.compile(r"^// node_modules/((?:@[^/\s]+/)?[^/\s]+)/", re.MULTILINE)
# Licence comments minifiers keep: /*! ... */, and any comment naming a licence or copyright.
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_NOTICE = re.compile(r"^/\*!|@license|copyright", re.IGNORECASE)


@dataclass
class LicenceText:
    source: str  # where it was read, in words a reader can check
    text: str


@dataclass
class Component:
    key: str  # a slug: its licence file is about/licences/<key>.txt
    name: str
    version: str
    licence: str  # the SPDX expression the package declares
    purl: str
    origin: str  # where the build took it from, in words
    homepage: str = ""
    texts: list[LicenceText] = field(default_factory=list)
    patterns: tuple[str, ...] = ()  # the site's files it ships (globs, relative to site/)
    exact: frozenset[str] = frozenset()  # ... or exact paths (the theme's files)
    bundled_in: str = ""  # for a library inside another component's file: that component's key
    note: str = ""

    def owns(self, path: str) -> bool:
        path = _uncompressed(path)
        return path in self.exact or any(fnmatch.fnmatchcase(path, pattern) for pattern in self.patterns)

    def licence_text(self) -> str:
        """The file shipped beside the site for this component."""
        if not self.texts:
            raise PluginError(f"No licence text was found for {self.name} {self.version} ({self.origin}).")
        header = f"{self.name} {self.version}\nLicence: {self.licence}\n{self.origin}\n"
        parts = [header]
        for text in self.texts:
            parts.append(f"\n{'=' * 78}\n{text.source}\n{'=' * 78}\n\n{text.text.strip()}\n")
        return "".join(parts)


def _uncompressed(path: str) -> str:
    """A .gz or .br copy belongs to the component of the file it copies (build/precompress.py)."""
    for suffix in (".gz", ".br"):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path


def _purl(kind: str, name: str, version: str) -> str:
    from packageurl import PackageURL  # cyclonedx-python-lib's dependency, the reference implementation

    namespace, _, plain = name.rpartition("/")
    if kind == "pypi":
        plain = re.sub(r"[-_.]+", "-", plain).lower()
    return PackageURL(type=kind, namespace=namespace or None, name=plain, version=version).to_string()


def _licence_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir()
                  if path.is_file() and path.name.upper().startswith(LICENCE_NAMES))


# ------------------------------------------------------------------------------ npm


def npm_package(root: Path, name: str) -> dict:
    folder = root / "node_modules" / name
    try:
        return json.loads((folder / "package.json").read_text("utf-8"))
    except FileNotFoundError:
        raise PluginError(f"node_modules/{name} is missing: run `npm ci` (`make build` does this for you).") from None


def same_licence_elsewhere(root: Path, spdx: str, besides: str) -> LicenceText | None:
    """The text of licence `spdx` from another installed npm package that declares it."""
    for package_json in sorted((root / "node_modules").glob("*/package.json")):
        other = json.loads(package_json.read_text("utf-8"))
        files = _licence_files(package_json.parent)
        if other.get("name") != besides and other.get("license") == spdx and files:
            return LicenceText(
                f"{besides}'s package carries no licence file: this is the text of the same licence ({spdx}) "
                f"as {other['name']} {other['version']} ships it (node_modules/{other['name']}/{files[0].name})",
                files[0].read_text("utf-8"))
    return None


def npm_component(root: Path, name: str, *, key: str, patterns=(), origin: str, bundled_in: str = "",
                  note: str = "") -> Component:
    package = npm_package(root, name)
    folder = root / "node_modules" / name
    texts = [LicenceText(f"node_modules/{name}/{path.name} (npm package {name} {package['version']})",
                         path.read_text("utf-8")) for path in _licence_files(folder)]
    if not texts:
        found = same_licence_elsewhere(root, package.get("license", ""), name)
        texts = [found] if found else []
    repository = package.get("repository") or {}
    homepage = package.get("homepage") or (repository.get("url", "") if isinstance(repository, dict) else repository)
    return Component(key=key, name=name, version=package["version"], licence=package.get("license", ""),
                     purl=_purl("npm", name, package["version"]), origin=origin,
                     homepage=homepage.removeprefix("git+"), texts=texts, patterns=tuple(patterns),
                     bundled_in=bundled_in, note=note)


def bundled_npm(root: Path, parent: str, shipped_file: Path) -> list[str]:
    """The npm dependencies of `parent` its single-file build carries inside it."""
    declared = npm_package(root, parent).get("dependencies", {})
    named = set(_BUNDLED.findall(shipped_file.read_text("utf-8")))
    return sorted(name for name in declared if name in named)


# ------------------------------------------------------------------------------ Python


def wheel_component(wheel: Path, *, key: str, patterns, origin: str) -> Component:
    with zipfile.ZipFile(wheel) as archive:
        dist_info = next(name.split("/")[0] for name in archive.namelist() if name.split("/")[0].endswith(".dist-info"))
        meta = Parser().parsestr(archive.read(f"{dist_info}/METADATA").decode("utf-8"))
        names = set(archive.namelist())
        texts = []
        for licence_file in meta.get_all("License-File") or []:
            for candidate in (f"{dist_info}/licenses/{licence_file}", f"{dist_info}/{licence_file}"):
                if candidate in names:
                    texts.append(LicenceText(f"{candidate} in {wheel.name}", archive.read(candidate).decode("utf-8")))
                    break
    return _python_component(meta, texts, key=key, patterns=patterns, origin=origin)


def _python_component(meta, texts, *, key, patterns=(), exact=frozenset(), origin) -> Component:
    licence = meta.get("License-Expression") or meta.get("License") or ""
    homepage = meta.get("Home-page") or ""
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if not homepage or label.strip().lower() in {"source", "repository", "homepage"}:
            homepage = url.strip()
    return Component(key=key, name=meta["Name"], version=meta["Version"], licence=licence.strip(),
                     purl=_purl("pypi", meta["Name"], meta["Version"]), origin=origin, homepage=homepage,
                     texts=texts, patterns=tuple(patterns), exact=frozenset(exact))


def installed_distribution(name: str, *, key: str, exact, origin: str) -> Component:
    """A Python distribution installed in the build's environment (the theme)."""
    dist = metadata.distribution(name)
    texts = []
    for entry in dist.files or []:
        if entry.parts[0].endswith(".dist-info") and Path(entry.name).name.upper().startswith(LICENCE_NAMES):
            texts.append(LicenceText(f"{'/'.join(entry.parts)} (Python package {dist.metadata['Name']} "
                                     f"{dist.version})", Path(dist.locate_file(entry)).read_text("utf-8")))
    return _python_component(dist.metadata, texts, key=key, exact=exact, origin=origin)


def kept_comments(files: list[Path], base: Path) -> LicenceText | None:
    """The licence comments a minified file keeps (/*! ... */), as the notices it carries."""
    found = []
    for path in files:
        comments = [comment for comment in _COMMENT.findall(path.read_text("utf-8", errors="replace"))
                    if _NOTICE.search(comment)]
        if comments:
            unique = list(dict.fromkeys(comment.strip() for comment in comments))
            found.append(f"--- {path.relative_to(base).as_posix()} ---\n" + "\n".join(unique))
    if not found:
        return None
    return LicenceText("The notices the theme's shipped files carry in their own comments", "\n\n".join(found))


def lunr_in(worker: Path, *, parent: str) -> Component | None:
    """lunr, which the theme's search worker carries inside it, read from the worker's own header."""
    text = worker.read_text("utf-8")
    header = re.search(r"/\*[*!]\s*\*\s*lunr - (\S+) .*? - ([0-9][0-9.]*)\s*\n(.*?)\*/", text, re.DOTALL)
    if not header:
        return None
    licence = re.search(r"@license (\S+)", header.group(0))
    return Component(key="lunr", name="lunr", version=header.group(2), licence=licence.group(1) if licence else "",
                     purl=_purl("npm", "lunr", header.group(2)), homepage=header.group(1),
                     origin=f"inside mkdocs-material's search worker ({worker.name})",
                     texts=[LicenceText(f"The header lunr carries in {worker.name}", header.group(0))],
                     bundled_in=parent)


def cpython_component(pyodide_dir: Path, *, patterns) -> Component:
    """CPython's standard library as Pyodide ships it.

    Pyodide's npm package carries no copy of Python's licence, so its text is read from
    the build machine's own CPython (LICENSE.txt beside its standard library). The SPDX
    id names that text: the PSF licence with the BeOpen, CNRI and CWI licences before it."""
    info = json.loads((pyodide_dir / "pyodide-lock.json").read_text("utf-8"))["info"]
    licence_file = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    texts = []
    if licence_file.is_file():
        text = licence_file.read_text("utf-8")
        if "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in text and "BEOPEN" in text:
            texts.append(LicenceText(
                f"LICENSE.txt of the build machine's CPython {sysconfig.get_python_version()} (Pyodide's "
                "package carries no copy of Python's licence)", text))
    return Component(key="cpython", name="CPython standard library", version=info["python"], licence="Python-2.0",
                     purl=_purl("generic", "cpython", info["python"]),
                     origin="Python's standard library as Pyodide ships it (node_modules/pyodide/python_stdlib.zip)",
                     homepage="https://www.python.org/", texts=texts, patterns=tuple(patterns))
