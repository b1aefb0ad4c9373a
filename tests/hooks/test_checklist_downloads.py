"""The blank checklists the build writes for download: every stage and all stages, as
Markdown, CSV and Word, from the same banks as the forms."""

from __future__ import annotations

import csv
import io

import docx
import pytest

from assessments.checklists.model import load_checklist_bank
from support_build import load_build_module

downloads = load_build_module("checklist_downloads")
BANK = load_checklist_bank()
STEMS = [s.slug for s in BANK.stages] + ["all-stages"]


def stages_of(stem: str):
    return BANK.stages if stem == "all-stages" else (BANK.stage(stem),)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    downloads.on_post_build({"site_dir": str(site), "site_name": "Test guide"})
    return site / "downloads" / "checklists"


def test_every_stage_and_all_stages_have_each_format(written):
    expected = {f"{stem}.{extension}" for stem in STEMS for extension in ("md", "csv", "docx")}
    assert {p.name for p in written.iterdir()} == expected


@pytest.mark.parametrize("stem", STEMS)
def test_csv_has_one_row_per_item(written, stem):
    text = (written / f"{stem}.csv").read_bytes().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == ["Phase", "Stage", "Section", "Item id", "Item", "Link", "Source", "Done", "Notes"]
    items = [(stage, section, item) for stage in stages_of(stem) for section in stage.sections for item in section.items]
    assert len(rows) == len(items)
    for row, (stage, section, item) in zip(rows, items):
        assert row[:5] == [stage.phase_name, stage.name, section.title, item.id, item.text]
        assert row[5] == (item.href() if item.link else "")
        assert row[6] == item.source.describe()


@pytest.mark.parametrize("stem", STEMS)
def test_markdown_is_a_task_list_with_every_item(written, stem):
    text = (written / f"{stem}.md").read_text("utf-8")
    stages = stages_of(stem)
    assert text.count("\n- [ ] ") == sum(len(s.items) for s in stages)
    for stage in stages:
        label = "Key question (our wording):" if stage.key_question_source.ours else "Key question:"
        assert f"**{label}** {stage.key_question}" in text
        for item in stage.items:
            assert f"- [ ] {item.text}" in text


@pytest.mark.parametrize("stem", STEMS)
def test_word_document_opens_and_holds_every_item(written, stem):
    document = docx.Document(str(written / f"{stem}.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    stages = stages_of(stem)
    boxes = [p for p in paragraphs if p.startswith("\u2610")]
    assert len(boxes) == sum(len(s.items) for s in stages)
    for stage in stages:
        label = "Key question (our wording):" if stage.key_question_source.ours else "Key question:"
        assert f"{label} {stage.key_question}" in paragraphs
        for item in stage.items:
            assert any(item.text in p for p in boxes), item.id
    assert sum(p.startswith("Notes:") for p in paragraphs) == len(boxes)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Before moving on" in headings
    assert any("our compilation from the Main Guidance, not part of it" in p for p in paragraphs)
    assert document.core_properties.title == (stages[0].title if len(stages) == 1 else BANK.title)


def test_output_is_the_same_on_every_build(written, tmp_path):
    again = downloads.write_downloads(BANK, tmp_path, "Test guide")
    assert len(again) == len(STEMS) * 3
    for path in again:
        assert path.read_bytes() == (written / path.name).read_bytes(), path.name
