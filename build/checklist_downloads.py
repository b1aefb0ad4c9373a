"""MkDocs hook: write blank stage checklists to download, from the checklist banks.

After the build, `downloads/checklists/` in the site holds, for every stage and for all
stages in one file (`all-stages`):

- `<stage>.md`: Markdown with `- [ ]` task lists;
- `<stage>.csv`: one row per item (phase, stage, section, item id, item, link, where it
  comes from), with empty Done and Notes columns for a spreadsheet;
- `<stage>.docx`: a Word document with headings, the key question, a ☐ box per item
  and a Notes line under it, to print or take to a meeting.

The output is deterministic (same banks, same bytes), so a rebuild changes nothing and
the files can be compared between releases. The stage pages link to these files from
the form template (overrides/cssc/tools/checklists.html); they work without JavaScript.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import docx
from docx.shared import Pt
from mkdocs.exceptions import PluginError

from assessments import BankError
from assessments.checklists import PHASES, ChecklistBank, Stage, load_checklist_bank
from assessments.links import page_href

ALL_STAGES = "all-stages"
FOLDER = ("downloads", "checklists")
FORMATS = ("md", "csv", "docx")
CHECKBOX = "\u2610"  # ☐
CSV_HEADER = ("Phase", "Stage", "Section", "Item id", "Item", "Link", "Source", "Done", "Notes")
# Every file says the checklists are ours, compiled from the Main Guidance, not the guidance's own.
COMPILATION = ("These checklists are our compilation from the Main Guidance, not part of it; "
               "the site shows where each item comes from.")
# Word files carry a creation date; a fixed one keeps the bytes the same on every build.
FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
NOTES_LINE = "Notes: " + "_" * 60


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


def checklist_docx(stages: Sequence[Stage], bank: ChecklistBank, site_name: str = "") -> bytes:
    """A Word document: real headings (for navigation and screen readers), ☐ items, notes lines."""
    document = docx.Document()
    properties = document.core_properties
    properties.title = _title(stages, bank)
    properties.author = site_name
    properties.comments = ""
    properties.created = properties.modified = FIXED_DATE
    document.styles["Normal"].font.size = Pt(11)

    single = len(stages) == 1
    document.add_heading(_title(stages, bank), 0)
    document.add_paragraph(_intro(stages, bank, site_name))
    phase = ""
    section_level = 1 if single else 3
    for stage in stages:
        if not single:
            if stage.phase != phase:
                phase = stage.phase
                document.add_heading(f"{PHASES[phase]} phase", 1)
            document.add_heading(f"{stage.order}. {stage.name}", 2)
        question = document.add_paragraph()
        question.add_run(_key_question_label(stage) + " ").bold = True
        question.add_run(stage.key_question)
        for section in stage.sections:
            document.add_heading(section.title, section_level)
            for item in section.items:
                paragraph = document.add_paragraph(f"{CHECKBOX}  {item.text}" + (_see(item.link.title) if item.link else ""))
                paragraph.paragraph_format.keep_with_next = True  # the item and its notes line stay together
                paragraph.paragraph_format.keep_together = True
                paragraph.paragraph_format.space_after = Pt(2)
                notes = document.add_paragraph(NOTES_LINE)
                notes.paragraph_format.left_indent = Pt(18)
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same .docx with every entry dated FIXED_DATE (python-docx stamps the current time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():  # original order: [Content_Types].xml must come first
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# ------------------------------------------------------------------------- writing


def write_downloads(bank: ChecklistBank, out_dir: Path, site_name: str = "") -> list[Path]:
    """Write every stage's files and the all-stages files into `out_dir`; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, stages in [(s.slug, (s,)) for s in bank.stages] + [(ALL_STAGES, bank.stages)]:
        contents = {
            "md": checklist_markdown(stages, bank, site_name).encode("utf-8"),
            "csv": checklist_csv(stages),
            "docx": checklist_docx(stages, bank, site_name),
        }
        for extension in FORMATS:
            path = out_dir / f"{stem}.{extension}"
            path.write_bytes(contents[extension])
            written.append(path)
    return written


def on_post_build(config):
    try:
        bank = load_checklist_bank()
    except BankError as broken:
        raise PluginError(f"Invalid checklist bank: {broken}") from broken
    write_downloads(bank, Path(config["site_dir"]).joinpath(*FOLDER), config["site_name"])
