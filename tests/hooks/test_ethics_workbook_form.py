"""The ethics workbook form (overrides/cssc/tools/ethics-workbook.html), rendered through
the theme's own Jinja environment as the marker hook renders it: the whole workbook, and
one phase on its own (a view)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from mkdocs.config import load_config

from assessments.ethics_workbook.model import MAX_ANSWER_CHARACTERS, MAX_COMMENT_CHARACTERS, PARTS, load_workbook_bank
from assessments.core.records import MAX_RECORD_BYTES
from assessments.tools import TOOLS
from support_build import Elements

BANK = load_workbook_bank()
TOOL = TOOLS["ethics-workbook"]
FIXTURE = Path(__file__).with_name("fixture") / "mkdocs.yml"


def render(view: str = "") -> Elements:
    # The fixture's config points into the repository; its docs folder is made by the
    # tests that build it, so name an existing one here: only the theme is used.
    env = load_config(str(FIXTURE), docs_dir=str(FIXTURE.parents[3] / "docs")).theme.get_env()
    html = env.get_template(TOOL.template).render(tool=TOOL, bank=BANK, view=view, site_root="../../",
                                                  max_record_bytes=MAX_RECORD_BYTES)
    parsed = Elements()
    parsed.feed(html)
    return parsed


@pytest.mark.parametrize("view", ["", "explore", "develop", "implement"])
def test_every_question_has_three_labelled_controls_and_ids_are_unique(view):
    form = render(view)
    questions = [q for q in BANK.questions.values() if not view or q.phase == view]
    named = form.named()
    for question in questions:
        for part in PARTS:
            tag, attributes = named.pop(f"{question.id}--{part}")
            assert tag == ("select" if part == "status" else "textarea")
            assert form.labels[attributes["id"]].strip(), attributes["id"]
            if part == "answer":
                assert attributes["maxlength"] == str(MAX_ANSWER_CHARACTERS)
            if part == "comments":
                assert attributes["maxlength"] == str(MAX_COMMENT_CHARACTERS)
    assert set(named) == set()  # nothing else is an answer
    ids = Counter(a["id"] for _t, a in form.tags if a.get("id"))
    assert [i for i, n in ids.items() if n > 1] == []
    assert len([1 for t, a in form.tags if t == "fieldset" and "cssc-workbook__question" in (a.get("class") or "")]) \
        == len(questions)


def test_a_phase_view_has_its_own_ids_and_form():
    form = render("develop")
    forms = [a for t, a in form.tags if t == "form"]
    assert forms[0]["id"] == "ethics-workbook-develop" and forms[0]["data-view"] == "develop"
    assert any(a.get("id") == "ethics-workbook-develop--develop-security" for _t, a in form.tags)
    assert "data-warn-unexported" in forms[0]


def test_the_first_status_stores_nothing_and_the_download_buttons_come_from_the_exports():
    form = render()
    options = [a.get("value") for t, a in form.tags if t == "option"][: len(BANK.statuses)]
    assert options == ["", "draft", "ready-for-oversight", "agreed"]
    formats = [a["data-format"] for t, a in form.tags if a.get("data-action") == "download-as"]
    assert formats == list(TOOL.exports)
    links = [a["href"] for t, a in form.tags if t == "a" and a.get("href", "").startswith("../../")]
    assert "../../explainers/data-quality/#how-to-audit-a-dataset" in links
    assert "../../guidance/explore/" in links
