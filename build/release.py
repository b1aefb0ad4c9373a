"""`make release`: the built site as a versioned zip a council's IT team can verify.

Writes into dist/:
    <name>-<version>.zip                 the site, to unzip into a web root
    <name>-<version>.zip.sha256          its checksum, in `sha256sum -c` format
    <name>-<version>.sbom.cdx.json       the SBOM the build wrote (also in the zip)
    <name>-<version>-release-notes.md    what it ships, and which questions changed since
                                         the previous release (build/released/, the banks'
                                         [[migrations]])

<name> is package.json's name; <version> is assessments.__version__ (build/version.py).
A working tree with uncommitted changes is refused, unless --allow-dirty, and then its
version ends in "-dirty". The zip is reproducible: the site is built with
SOURCE_DATE_EPOCH set to the commit's time (MkDocs takes the sitemap's dates from it,
build/sbom.py its timestamp), and the zip holds its entries sorted, with that time, fixed
permissions and fixed compression, so the same commit gives the same bytes.

    python build/release.py [--site DIR] [--out DIR] [--allow-dirty]

--site zips an already-built site instead of building one (the tests use it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from siblings import load_sibling

ROOT = Path(__file__).resolve().parents[1]
# Already compressed: deflating them again costs time for nothing.
STORED_SUFFIXES = {".gz", ".br", ".zip", ".whl", ".png"}
ZIP_EPOCH_MIN = 315532800  # 1980-01-01, the earliest time a zip entry can hold


def release_name(root: Path = ROOT) -> str:
    return json.loads((root / "package.json").read_text("utf-8"))["name"]


def zip_time(epoch: int) -> tuple[int, ...]:
    """The time every entry carries: a zip holds times to the even second, from 1980."""
    stamp = time.gmtime(max(epoch, ZIP_EPOCH_MIN))[:6]
    return (*stamp[:5], stamp[5] - stamp[5] % 2)


def write_zip(site_dir: Path, target: Path, epoch: int) -> None:
    """The site's files, sorted, with one timestamp and fixed permissions: the same bytes every time."""
    stamp = zip_time(epoch)
    paths = sorted((path for path in site_dir.rglob("*") if path.is_file()),
                   key=lambda path: path.relative_to(site_dir).as_posix())
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for path in paths:
            info = zipfile.ZipInfo(path.relative_to(site_dir).as_posix(), date_time=stamp)
            info.create_system = 3  # Unix, whatever machine made it
            info.external_attr = 0o644 << 16
            stored = path.suffix in STORED_SUFFIXES
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=None if stored else 9)
    partial.replace(target)


def sha256_line(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return f"{digest.hexdigest()}  {path.name}\n"


# ------------------------------------------------------------------------- release notes


def question_changes(tools: dict, released_dir: Path) -> list[str]:
    """Markdown lines: for each tool, which questions changed since the frozen release."""
    from assessments.core.upgrade import _steps_between, parse_version

    ids = load_sibling("released_ids")
    lines = []
    for slug, tool in tools.items():
        title = tool.load_bank().title
        frozen_file = released_dir / f"{slug}.json"
        if not frozen_file.exists():
            lines += [f"### {title}", "", f"New since the previous release (version {tool.version}).", ""]
            continue
        frozen = json.loads(frozen_file.read_text("utf-8"))
        now = ids.answer_ids(tool)
        changes = []
        for step in _steps_between(tool, frozen["version"]):
            touched = {*step.renamed_questions, *step.merged_questions, *step.renamed_options,
                       *(removed.id for removed in step.removed)}
            if step.always and not touched & set(frozen["answers"]):
                continue  # a stage file's older step, already in the previous release
            where = f"{step.from_version} to {step.to_version}"
            changes += [f"- Renamed ({where}): `{old}` is now `{new}`." for old, new in step.renamed_questions.items()]
            changes += [f"- Merged ({where}): `{old}` goes into `{new}`." for old, new in step.merged_questions.items()]
            for question, options in step.renamed_options.items():
                changes += [f"- Option renamed ({where}): `{question}`: `{old}` is now `{new}`."
                            for old, new in options.items()]
            changes += [f"- Removed ({where}): `{removed.id}{'=' + removed.option if removed.option else ''}` "
                        f"({removed.text}): {removed.reason}" for removed in step.removed]
            if step.note:
                changes.append(f"- Readers are told: {step.note}")
        added = sorted(set(now["answers"]) - set(frozen["answers"]))
        if added:
            changes.append(f"- New answers: {', '.join(f'`{name}`' for name in added)}.")
        for name, options in now["answers"].items():
            before = frozen["answers"].get(name)
            if options and before:
                new_options = [option for option in options if option not in before]
                if new_options:
                    changes.append(f"- New options of `{name}`: {', '.join(f'`{o}`' for o in new_options)}.")
        heading = f"### {title}"
        if frozen["version"] == tool.version and not changes:
            lines += [heading, "", f"No change to its questions (version {tool.version}).", ""]
        else:
            lines += [heading, "", f"Version {frozen['version']} to {tool.version}. Answers saved with the "
                      "previous release carry over as listed.", "", *(changes or ["- No answer id changed."]), ""]
    return lines


def release_notes(name: str, version: str, commit: str, sbom: dict, tools: dict, released_dir: Path) -> str:
    lines = [f"# {name} {version}", "", f"Built from commit `{commit}`.", "",
             "## Verify", "", f"- Checksum: `{name}-{version}.zip.sha256` (`sha256sum -c` on Linux, "
             "`Get-FileHash -Algorithm SHA256` on Windows; see the hosting guide, Deploying a release).",
             f"- Software bill of materials: `{name}-{version}.sbom.cdx.json` (CycloneDX {sbom['specVersion']}), "
             "also in the site at `about/sbom.cdx.json`.", "",
             "## Third-party components", ""]
    def libraries(components):  # with those inside another's files (docx's, the theme's)
        for component in components:
            if component.get("type") == "library":
                yield component
                yield from libraries(component.get("components", []))

    for component in sorted(libraries(sbom.get("components", [])), key=lambda c: c["name"].lower()):
        licences = ", ".join(entry.get("license", {}).get("id") or entry.get("license", {}).get("name", "")
                             or entry.get("expression", "") for entry in component.get("licenses", []))
        lines.append(f"- {component['name']} {component.get('version', '')} ({licences})")
    lines += ["", "## Questions changed since the previous release", "",
              "Answers readers saved with the previous release are carried over by the tools themselves; "
              "this is what changed.", "", *question_changes(tools, released_dir)]
    return "\n".join(lines).rstrip() + "\n"


# ------------------------------------------------------------------------------------ main


def build_site(site_dir: Path, epoch: int) -> None:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "--strict", "--quiet", "-d", str(site_dir)], cwd=ROOT, env=environment,
                   check=True)


def make_release(site_dir: Path | None, out_dir: Path, allow_dirty: bool) -> list[Path]:
    version_module = load_sibling("version")
    if version_module.is_dirty(ROOT) and not allow_dirty:
        raise SystemExit("The working tree has uncommitted changes: commit them first, so the release is exactly a "
                         "commit (or pass --allow-dirty for a release whose version ends in -dirty).")
    epoch = version_module.source_date_epoch(ROOT)
    if site_dir is None:
        site_dir = ROOT / "site"
        build_site(site_dir, epoch)
    name = release_name()
    version = version_module.version_label(ROOT)
    stem = f"{name}-{version}"
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"{stem}.zip"
    write_zip(site_dir, archive, epoch)
    checksum = out_dir / f"{stem}.zip.sha256"
    checksum.write_text(sha256_line(archive), "utf-8")
    sbom_text = (site_dir / "about" / "sbom.cdx.json").read_text("utf-8")
    sbom = out_dir / f"{stem}.sbom.cdx.json"
    sbom.write_text(sbom_text, "utf-8")
    from assessments.tools import TOOLS

    commit = (version_module._git(ROOT, "rev-parse", "HEAD") or "unknown").strip()
    notes = out_dir / f"{stem}-release-notes.md"
    notes.write_text(release_notes(name, version, commit, json.loads(sbom_text), TOOLS,
                                   load_sibling("released_ids").RELEASED_DIR), "utf-8")
    return [archive, checksum, sbom, notes]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="zip this built site instead of building one")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--allow-dirty", action="store_true")
    options = parser.parse_args(argv)
    for path in make_release(options.site, options.out, options.allow_dirty):
        print(path)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(sys.argv[1:])
