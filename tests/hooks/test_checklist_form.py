"""The checklist form (overrides/cssc/tools/checklists.html) rendered by the marker hook:
one stage on a stage page, every stage on the checklists page."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from assessments.checklists.model import load_checklist_bank
from support_build import Elements, ROOT

BANK = load_checklist_bank()
DESIGN = BANK.stage("design")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("form")
    docs = root / "docs"
    (docs / "guidance" / "develop").mkdir(parents=True)
    (docs / "guidance" / "develop" / "design.md").write_text("# Design\n\n## Checklist\n\n<!-- checklist: design -->\n", "utf-8")
    (docs / "checklists.md").write_text("# All stages\n\n## Every checklist\n\n<!-- tool: checklists -->\n", "utf-8")
    config_file = root / "mkdocs.yml"
    config_file.write_text(
        "site_name: Form fixture\ntheme:\n  name: material\n"
        f"  custom_dir: {ROOT / 'overrides'}\n"
        f"hooks:\n  - {ROOT / 'build' / 'tool_markers.py'}\n",
        "utf-8",
    )
    build(load_config(str(config_file)))
    return root / "site"


def parsed(site: Path, page: str) -> Elements:
    elements = Elements()
    elements.feed((site / page / "index.html").read_text("utf-8"))
    return elements


@pytest.mark.parametrize("page, stages", [("guidance/develop/design", (DESIGN,)), ("checklists", BANK.stages)])
def test_every_item_has_a_labelled_tick_box_and_note(site, page, stages):
    html = parsed(site, page)
    # Only named controls: the theme has its own unnamed tick boxes (menu toggles).
    boxes = [a for a in html.find("input", type="checkbox") if a.get("name")]
    notes = [a for a in html.find("textarea") if a.get("name")]
    assert [b["name"] for b in boxes] == [f"{s.slug}--{i.id}" for s in stages for i in s.items]
    assert [n["name"] for n in notes] == [f"{s.slug}--{i.id}--note" for s in stages for i in s.items]
    texts = [i.text for s in stages for i in s.items]
    assert [html.labels[b["id"]] for b in boxes] == texts
    assert [html.labels[n["id"]] for n in notes] == [f"Add a note on: {t}" for t in texts]
    assert all(b["value"] == "done" for b in boxes)
    assert len(html.find("fieldset")) == sum(len(s.sections) for s in stages)
    assert len(html.find("legend")) == len(html.find("fieldset"))


@pytest.mark.parametrize("page", ["guidance/develop/design", "checklists"])
def test_no_two_elements_share_an_id(site, page):
    ids = Counter(a["id"] for _, a in parsed(site, page).tags if a.get("id"))
    assert [i for i, n in ids.items() if n > 1] == []


def test_a_stage_page_shows_its_key_question_and_download_links(site):
    text = (site / "guidance/develop/design/index.html").read_text("utf-8")
    assert DESIGN.key_question in text
    hrefs = [a["href"] for a in parsed(site, "guidance/develop/design").find("a") if "downloads/" in (a.get("href") or "")]
    assert hrefs == [f"../../../downloads/checklists/{stem}.{ext}" for stem in ("design", "all-stages") for ext in ("docx", "md", "csv")]


def test_item_links_sit_outside_their_labels(site):
    text = (site / "guidance/develop/design/index.html").read_text("utf-8")
    linked = next(i for i in DESIGN.items if i.link)
    assert f'See: <a href="../../../{linked.href()}">{linked.link.title}</a>' in text
    form = text[text.index('<form class="cssc-tool"'):text.index("</form>")]
    for label in form.split("<label")[1:]:
        assert "<a " not in label.split("</label>")[0]
