"""MkDocs hook: the "Licences and notices" page, the licence texts beside it, the SBOM,
and the check that every file of the built site is ours or a listed third party's.

- on_files: finds the theme's files in the site, leaves out the theme's search-language
  files when the site searches in English only (the search worker loads none of them
  then), reads every third-party component from its installed package
  (build/components.py), and adds each one's licence text as about/licences/<key>.txt.
- on_page_markdown: writes the components into the page that holds `<!-- notices -->`.
- on_post_build: walks site/ (after every other hook, the .gz/.br copies included) and
  fails the build naming any file that belongs to no known component, then writes the
  CycloneDX SBOM (build/sbom.py) to about/sbom.cdx.json with the SHA-256 of every file.

Our own files are those MkDocs takes from docs/ and overrides/, the pages, and what our
hooks generate (OUR_GENERATED): anything else must be claimed by a component.
"""

from __future__ import annotations

import fnmatch
import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from siblings import load_sibling

log = logging.getLogger("mkdocs.hooks.notices")

MARKER = "<!-- notices -->"
LICENCE_DIR = "about/licences"
SBOM_PATH = "about/sbom.cdx.json"
OUR_LICENCE = f"{LICENCE_DIR}/this-guide.txt"
# Files our own hooks write (build/*.py), and what MkDocs makes from our pages.
OUR_GENERATED = (
    "*.html", "sitemap.xml", "search/search_index.json",
    "assets/pyodide/assessments-*.whl", "assets/pyodide/cssc-runtime.json", "assets/pyodide/workbook-wheels.json",
    "schemas/*.schema.json", "downloads/checklists/*", SBOM_PATH,
)
LUNR_LANGUAGES = "assets/javascripts/lunr/*"

_state: dict = {}


def _theme_package_dir() -> Path:
    import material

    return Path(material.__file__).resolve().parent


def third_party(root: Path, theme_files: dict[str, Path]) -> list:
    """Every third-party component the site ships, read from the installed packages.

    `theme_files`: {path in the site: source file} of the theme's own files."""
    components = load_sibling("components")
    runtime = load_sibling("pyodide_runtime")
    wheels = load_sibling("workbook_wheels")
    word = load_sibling("word_writer")
    pyodide_dir = root / "node_modules" / "pyodide"
    in_runtime = [f"{runtime.RUNTIME_DIR}/{name}" for name in runtime.PYODIDE_FILES if name != "python_stdlib.zip"]
    found = [
        components.npm_component(
            root, "pyodide", key="pyodide", patterns=[*in_runtime, f"{runtime.RUNTIME_DIR}/{runtime.SNAPSHOT_FILE}"],
            origin="npm, pinned in package-lock.json, copied from node_modules/pyodide by build/pyodide_runtime.py",
            note=f"{runtime.SNAPSHOT_FILE}, where the administrator turns it on, is Python's memory once started in "
                 "this runtime with the tools imported, made when the site is built."),
        components.cpython_component(
            pyodide_dir, patterns=[f"{runtime.RUNTIME_DIR}/python_stdlib.zip",
                                   f"{runtime.RUNTIME_DIR}/{runtime.TOOLS_STDLIB_FILE}"]),
    ]
    found[-1].note = (f"{runtime.TOOLS_STDLIB_FILE} holds the modules the tools use, compiled by the build, and our "
                      "small finder that fetches python_stdlib.zip for any other (build/stdlib_fallback.py).")
    docx_dir = "/".join(word.TARGET)
    found.append(components.npm_component(
        root, "docx", key="docx", patterns=[f"{docx_dir}/*"],
        origin="npm, pinned in package-lock.json, copied from node_modules/docx by build/word_writer.py"))
    shipped_docx = root / "node_modules" / "docx" / next(src for src, dst in word.LIBRARY_FILES.items()
                                                          if dst.endswith(".mjs"))
    for name in components.bundled_npm(root, "docx", shipped_docx):
        found.append(components.npm_component(
            root, name, key=name.replace("/", "-").lstrip("@"), bundled_in="docx",
            origin=f"npm, inside docx's single-file build ({docx_dir}/docx.mjs), installed as docx's dependency"))
    for wheel in wheels.cached_wheels(root):
        distribution = wheel.name.split("-")[0]
        found.append(components.wheel_component(
            wheel, key=distribution.replace("_", "-").lower(), patterns=[f"{wheels.RUNTIME_DIR}/{wheel.name}"],
            origin="PyPI, pinned by SHA-256 in build/workbook_wheels.py, which copies the wheel as published"))
    theme = components.installed_distribution(
        "mkdocs-material", key="mkdocs-material", exact=theme_files,
        origin="PyPI (the site's theme, pinned in pyproject.toml): its scripts, stylesheets and images, "
               "copied by MkDocs")
    shipped_scripts = [source for path, source in sorted(theme_files.items()) if path.endswith((".js", ".css"))]
    carried = components.kept_comments(shipped_scripts, _theme_package_dir())
    if carried:
        theme.texts.append(carried)
    found.append(theme)
    workers = [source for path, source in sorted(theme_files.items())
               if fnmatch.fnmatchcase(path, "assets/javascripts/workers/search.*.min.js")]
    lunr = components.lunr_in(workers[0], parent="mkdocs-material") if workers else None
    if lunr:
        found.append(lunr)
    for component in found:
        component.patterns = (*component.patterns, f"{LICENCE_DIR}/{component.key}.txt")
    return found


def is_ours(path: str, our_files: set[str]) -> bool:
    plain = path.removesuffix(".gz").removesuffix(".br")
    return plain in our_files or any(fnmatch.fnmatchcase(plain, pattern) for pattern in OUR_GENERATED)


def owner(path: str, components: list, our_files: set[str]):
    """"ours", the component that ships `path`, or None."""
    if is_ours(path, our_files):
        return "ours"
    for component in components:
        if component.owns(path):
            return component
    return None


def map_site(site_dir: Path, components: list, our_files: set[str]) -> tuple[dict, list[str]]:
    """({"ours" or component key: [paths]}, [paths that belong to nothing])."""
    mapped: dict[str, list[str]] = {"ours": []}
    unknown = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site_dir).as_posix()
        found = owner(relative, components, our_files)
        if found is None:
            unknown.append(relative)
        else:
            mapped.setdefault("ours" if found == "ours" else found.key, []).append(relative)
    return mapped, unknown


def _search_languages(config) -> list[str]:
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None:
            return list(plugin.config.lang or [])
    return []


def on_files(files, config):
    root = Path(config.config_file_path).parent
    theme_dir = _theme_package_dir()
    ours_dirs = [Path(config.docs_dir).resolve(), (root / "overrides").resolve()]
    english_only = _search_languages(config) == ["en"]
    theme_files, our_files = {}, set()
    for file in list(files):
        source = Path(file.abs_src_path).resolve() if file.abs_src_path else None
        if source and source.is_relative_to(theme_dir):
            if english_only and fnmatch.fnmatchcase(file.dest_uri, LUNR_LANGUAGES):
                # The search worker loads these only for languages other than English.
                files.remove(file)
                continue
            theme_files[file.dest_uri] = source
        elif source is None or any(source.is_relative_to(folder) for folder in ours_dirs):
            our_files.add(file.dest_uri)
    components = third_party(root, theme_files)
    # Our own licence, beside the others.
    files.append(File.generated(config, OUR_LICENCE, content=(root / "LICENSE").read_text("utf-8")))
    our_files.add(OUR_LICENCE)
    for component in components:
        files.append(File.generated(config, f"{LICENCE_DIR}/{component.key}.txt", content=component.licence_text()))
    _state.update(components=components, our_files=our_files)
    return files


def notices_markdown(components: list) -> str:
    """The page's list of components, with links to their licence texts."""
    lines = []
    children: dict[str, list] = {}
    for component in components:
        if component.bundled_in:
            children.setdefault(component.bundled_in, []).append(component)
    for component in components:
        if component.bundled_in:
            continue
        lines += _component_section(component, "##")
        for child in children.get(component.key, []):
            lines += _component_section(child, "###")
    return "\n".join(lines) + "\n"


def _component_section(component, level: str) -> list[str]:
    files = sorted(component.exact) + [pattern for pattern in component.patterns
                                       if not pattern.startswith(LICENCE_DIR)]
    where = (f"Inside the files of {component.bundled_in}." if component.bundled_in
             else ", ".join(f"`{path}`" for path in files) + " (and their `.gz` and `.br` copies, where made)")
    rows = [f"{level} {component.name} {component.version}", ""]

    def term(name: str, text: str) -> None:  # a definition list: each term read with its value
        rows.extend([name, f":   {text}", ""])

    term("Licence", f"`{component.licence}`")
    term("Where it came from", component.origin)
    if component.homepage.startswith(("https://", "http://")):
        term("Project", f"<{component.homepage}>")
    term("Package URL", f"`{component.purl}`")
    term("In this site", where)
    term("Licence text", f"[{component.key}.txt](licences/{component.key}.txt) (read from: "
         + "; ".join(text.source for text in component.texts) + ")")
    if component.note:
        rows += [component.note, ""]
    return rows


VERSION_MARKER = "<!-- guide-version -->"


def on_config(config):
    """The version the footer and the About page show (build/version.py)."""
    root = Path(config.config_file_path).parent
    version = load_sibling("version")
    config.extra["cssc_version"] = version.version_label(root)
    version.fix_build_time(root)
    return config


def on_page_markdown(markdown, page, config, files):
    markdown = markdown.replace(VERSION_MARKER, config.extra["cssc_version"])
    if MARKER in markdown:
        return markdown.replace(MARKER, notices_markdown(_state["components"]))
    return markdown


def on_post_build(config):
    root = Path(config.config_file_path).parent
    site_dir = Path(config.site_dir)
    components = _state["components"]
    mapped, unknown = map_site(site_dir, components, _state["our_files"])
    if unknown:
        raise PluginError(
            "These files in the built site belong to no known component, ours or a listed third party's "
            f"(build/notices.py): {', '.join(unknown[:20])}{' …' if len(unknown) > 20 else ''}")
    sbom = load_sibling("sbom")
    text = sbom.bom_json(config.site_name, config.extra["cssc_version"], components, mapped, site_dir,
                         int(os.environ["SOURCE_DATE_EPOCH"]))
    (site_dir / SBOM_PATH).write_text(text, "utf-8")
    log.info("Licences and notices: %d third-party components; SBOM written to %s", len(components), SBOM_PATH)
