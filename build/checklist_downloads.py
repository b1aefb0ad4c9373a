"""MkDocs hook: write blank stage checklists to download, from the checklist banks.

After the build, `downloads/checklists/` in the site holds, for every stage and for all
stages in one file (`all-stages`):

- `<stage>.md`: Markdown with `- [ ]` task lists;
- `<stage>.csv`: one row per item (phase, stage, section, item id, item, link, where it
  comes from), with empty Done and Notes columns for a spreadsheet;
- `<stage>.docx`: a Word document with headings, the key question, a ☐ box per item
  and a Notes line under it, to print or take to a meeting. It is written from a
  document model (assessments/core/word_document.py) by the same Word writer the tools use
  in the page, run under Node, so every Word file of the guide has one look.

The output is deterministic (same banks, same bytes), so a rebuild changes nothing and
the files can be compared between releases. The stage pages link to these files from
the form template (overrides/cssc/tools/checklists.html); they work without JavaScript.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from mkdocs.exceptions import PluginError

from assessments import BankError
from assessments.checklists.model import PHASES, ChecklistBank, Stage, load_checklist_bank
from assessments.core.links import page_href
from assessments.core.word_document import Run, WordDocument, checkbox_item, heading, paragraph

ROOT = Path(__file__).resolve().parents[1]

ALL_STAGES = "all-stages"
FOLDER = ("downloads", "checklists")
FORMATS = ("md", "csv", "docx")
CSV_HEADER = ("Phase", "Stage", "Section", "Item id", "Item", "Link", "Source", "Done", "Notes")
# Every file says the checklists are ours, compiled from the Main Guidance, not the guidance's own.
COMPILATION = ("These checklists are our compilation from the Main Guidance, not part of it; "
               "the site shows where each item comes from.")
# Word files carry a creation date; a fixed one keeps the bytes the same on every build.
FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
NOTES_LINE = "Notes: " + "_" * 60
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _see(link_title: str) -> str:
    # Downloaded files are read away from the site, so a link is named, not linked.
    return f" (See: {link_title}.)"


def _title(stages: Sequence[Stage], bank: ChecklistBank) -> str:
    return stages[0].title if len(stages) == 1 else bank.title


def _intro(stages: Sequence[Stage], bank: ChecklistBank, site_name: str) -> str:
    source = f" From \u201c{site_name}\u201d." if site_name else ""
    if len(stages) == 1:
        stage = stages[0]
        return f"{stage.phase_name} phase, stage {stage.order} of {len(bank.stages)}.{source} {COMPILATION}"
    return f"The checklists for all {len(stages)} stages of the lifecycle, in order.{source} {COMPILATION}"


def _key_question_label(stage: Stage) -> str:
    return "Key question (our wording):" if stage.key_question_source.ours else "Key question:"


# ----------------------------------------------------------------------- Markdown


def checklist_markdown(stages: Sequence[Stage], bank: ChecklistBank, site_name: str = "") -> str:
    """One stage, or several grouped by phase, as Markdown task lists."""
    lines = [f"# {_title(stages, bank)}", "", _intro(stages, bank, site_name), ""]
    single = len(stages) == 1
    phase = ""
    for stage in stages:
        depth = "#" if single else "###"
        if not single:
            if stage.phase != phase:
                phase = stage.phase
                lines += [f"## {PHASES[phase]} phase", ""]
            lines += [f"{depth} {stage.order}. {stage.name}", ""]
        lines += [f"**{_key_question_label(stage)}** {stage.key_question}", ""]
        for section in stage.sections:
            lines += [f"{depth}# {section.title}", ""]
            for item in section.items:
                lines.append(f"- [ ] {item.text}" + (_see(item.link.title) if item.link else ""))
            lines.append("")
        lines += [f"{depth}# Notes", "", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------- CSV


def checklist_csv(stages: Sequence[Stage]) -> bytes:
    """One row per item. UTF-8 with a byte order mark, so Excel reads the characters right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for stage in stages:
        for section in stage.sections:
            for item in section.items:
                link = page_href(item.link.target) if item.link else ""
                writer.writerow((stage.phase_name, stage.name, section.title, item.id, item.text, link,
                                 item.source.describe(), "", ""))
    return out.getvalue().encode("utf-8-sig")


# --------------------------------------------------------------------------- Word


def checklist_document(stages: Sequence[Stage], bank: ChecklistBank, site_name: str = "") -> WordDocument:
    """The Word document as a model (real headings, for navigation and screen readers; a
    ☐ per item with a notes line under it), written by the same writer as the tools'."""
    single = len(stages) == 1
    blocks = [heading(_title(stages, bank), 0), paragraph(_intro(stages, bank, site_name))]
    phase = ""
    section_level = 1 if single else 3
    for stage in stages:
        if not single:
            if stage.phase != phase:
                phase = stage.phase
                blocks.append(heading(f"{PHASES[phase]} phase", 1))
            blocks.append(heading(f"{stage.order}. {stage.name}", 2))
        blocks.append(paragraph(Run(_key_question_label(stage) + " ", bold=True), stage.key_question))
        for section in stage.sections:
            blocks.append(heading(section.title, section_level))
            for item in section.items:
                blocks.append(checkbox_item(item.text + (_see(item.link.title) if item.link else "")))
                blocks.append(paragraph(NOTES_LINE, indent=True))
    footer = f"{bank.title}, version {bank.version}."
    return WordDocument(title=_title(stages, bank), author=site_name, subject=bank.title, footer=footer,
                        blocks=tuple(blocks))


def write_word_files(documents: dict[Path, WordDocument]) -> None:
    """Write each document with the page's own Word writer, run under Node
    (build/write_docx.mjs), then fix the dates inside so the bytes are the same on every build."""
    jobs = [{"path": str(path), "document": document.to_dict()} for path, document in documents.items()]
    done = subprocess.run(["node", str(ROOT / "build" / "write_docx.mjs")], input=json.dumps(jobs), text=True,
                          capture_output=True, cwd=ROOT)
    if done.returncode != 0:
        raise PluginError(f"Writing the Word files failed (is `npm ci` done?): {done.stderr.strip()[-1000:]}")
    for path in documents:
        path.write_bytes(_fixed_zip(path.read_bytes()))


def _fixed_zip(data: bytes) -> bytes:
    """The same .docx with every entry, and the document's own created and modified
    dates, set to FIXED_DATE (the writer stamps the current time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():  # original order: [Content_Types].xml must come first
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()


# ------------------------------------------------------------------------- writing


def write_downloads(bank: ChecklistBank, out_dir: Path, site_name: str = "") -> list[Path]:
    """Write every stage's files and the all-stages files into `out_dir`; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    documents = {}
    for stem, stages in [(s.slug, (s,)) for s in bank.stages] + [(ALL_STAGES, bank.stages)]:
        (out_dir / f"{stem}.md").write_bytes(checklist_markdown(stages, bank, site_name).encode("utf-8"))
        (out_dir / f"{stem}.csv").write_bytes(checklist_csv(stages))
        documents[out_dir / f"{stem}.docx"] = checklist_document(stages, bank, site_name)
        written += [out_dir / f"{stem}.{extension}" for extension in FORMATS]
    write_word_files(documents)
    return written


def on_post_build(config):
    try:
        bank = load_checklist_bank()
    except BankError as broken:
        raise PluginError(f"Invalid checklist bank: {broken}") from broken
    write_downloads(bank, Path(config["site_dir"]).joinpath(*FOLDER), config["site_name"])
