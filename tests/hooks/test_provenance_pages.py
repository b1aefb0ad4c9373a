"""Provenance on the pages: our additions are labelled, tools say which parts are ours,
and the outbound links the issue named point where their words say.

Two kinds of check: the rendered forms and "Our addition" boxes on a small site built with
the real hooks, templates and Markdown extensions; and the links and boxes in the real
`docs/` Markdown, which is what the build turns into pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from assessments.checklists.model import load_checklist_bank
from assessments.core.provenance import tool_provenance
from support_build import ROOT

DOCS = ROOT / "docs"
LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)")
OURS_BOX = re.compile(r'^[!?]{3}\+? ours "(?P<title>[^"]*)"', re.MULTILINE)

LGA_ASSESSMENT = "https://www.local.gov.uk/publications/local-government-data-maturity-model"
DATA_TO_INSIGHT = "https://www.datatoinsight.org/"
ATRS_HUB = "https://www.gov.uk/government/collections/algorithmic-transparency-recording-standard-hub"
PETS_GUIDE = "https://cdeiuk.github.io/pets-adoption-guide/"
ENOC_CRIA = "https://enoc.eu/new-enoc-2020-position-statement-on-child-rights-impact-assessment-cria-out-today/"


def markdown(page: str) -> str:
    return (DOCS / page).read_text("utf-8")


def links(text: str) -> list[tuple[str, str]]:
    return [(m["text"], m["href"]) for m in LINK.finditer(text)]


def every_page() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


# ------------------------------------------------------------------- built pages


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A small site with the real theme overrides, hooks and Markdown extensions."""
    root = tmp_path_factory.mktemp("provenance")
    docs = root / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        "# Page\n\nThe guidance's own words.\n\n"
        '!!! ours "Our addition: a note"\n\n    Something we added.\n\n'
        "## Checklist\n\n<!-- checklist: choose-a-solution -->\n", "utf-8")
    (docs / "triage.md").write_text("# Triage\n\n## The tool\n\n<!-- tool: ethics-triage -->\n", "utf-8")
    real = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8").replace("!ENV", ""))
    config = {
        "site_name": "Provenance fixture",
        "theme": {"name": "material", "custom_dir": str(ROOT / "overrides")},
        "markdown_extensions": real["markdown_extensions"],
        "hooks": [str(ROOT / "build" / "tool_markers.py")],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    build(load_config(str(root / "mkdocs.yml")))
    return root / "site"


def test_an_ours_box_renders_with_its_words(site):
    html = (site / "index.html").read_text("utf-8")
    assert '<div class="admonition ours">\n<p class="admonition-title">Our addition: a note</p>' in html


def test_each_checklist_item_says_why_under_its_tick_box(site):
    html = (site / "index.html").read_text("utf-8")
    stage = load_checklist_bank().stage("choose-a-solution")
    whys = re.findall(r'<details class="cssc-source" data-source="(\w+)">\s*<summary>(.*?)</summary>\s*<p>(.*?)</p>',
                      html, re.DOTALL)
    # The key question (ours), then one per item in order.
    assert len(whys) == 1 + len(stage.items)
    assert whys[0][0] == "ours" and "Key question of the Choose a solution stage" in whys[0][1]
    for (kind, summary, text), item in zip(whys[1:], stage.items):
        assert kind == item.source.kind
        assert summary.startswith("Why this?" + (" (our addition)" if item.source.ours else "<span"))
        assert text == item.source.describe().replace("'", "&#39;").replace('"', "&#34;")
    assert "<strong>Key question (our wording):</strong> " + stage.key_question.replace("'", "&#39;") in html
    assert "This checklist is our compilation, drawn from the Main Guidance" in html


def test_a_tool_result_says_what_is_ours_and_lists_every_rule_source(site):
    html = (site / "triage" / "index.html").read_text("utf-8")
    about = tool_provenance("ethics-triage")
    result = html[html.index('class="cssc-result"'):]
    assert '<p class="cssc-result__provenance"><strong>Our addition:</strong> the Main Guidance asks you' in result
    listed = re.findall(r"<li><strong>[^<]*</strong>: (From the Main Guidance|Our addition)", result)
    assert len(listed) == len(about.entries) > 50


# ------------------------------------------------------------------ the Markdown


def test_every_ours_box_is_titled_our_addition():
    titles = [(p.relative_to(DOCS), m["title"]) for p in every_page() for m in OURS_BOX.finditer(p.read_text("utf-8"))]
    assert len(titles) > 20
    assert [t for t in titles if not t[1].startswith("Our addition")] == []


def test_who_to_engage_with_lists_and_phase_groups_are_marked_ours():
    for page in (DOCS / "guidance").rglob("*.md"):
        text = page.read_text("utf-8")
        if "## Who you will likely need to engage with" in text:
            after = text.split("## Who you will likely need to engage with", 1)[1].lstrip("\n")
            assert after.startswith('!!! ours "Our addition: who to engage with"'), page
        if "| Groups to engage |" in text:
            assert '!!! ours "Our addition: the groups column"' in text, page


def test_the_lga_assessment_is_linked_where_the_guidance_names_it():
    text = markdown("guidance/explore/exploratory.md")
    assert f"We advise that you complete the Local Government Association's [data maturity self-assessment]({LGA_ASSESSMENT})" in text
    tool_page = markdown("tools/data-maturity.md")
    assert LGA_ASSESSMENT in tool_page
    assert '!!! ours "Our addition: a companion to the LGA\'s assessment"' in tool_page
    assert '!!! ours "Our addition: the levels and thresholds"' in tool_page
    assert "is based on the Local Government Association" not in text + tool_page


def test_data_to_insight_has_one_address_everywhere():
    found = [(p.relative_to(DOCS), href) for p in every_page()
             for text, href in links(p.read_text("utf-8")) if re.search(r"data\s*(2|to)\s*insight", text, re.I)]
    assert len(found) >= 3
    assert {href for _, href in found} == {DATA_TO_INSIGHT}
    assert not [p for p in every_page() if "data2insight.org" in p.read_text("utf-8")]


def test_the_link_still_to_be_confirmed_says_so():
    for page in ("guidance/explore/exploratory.md", "guidance/explore/choose-a-solution.md",
                 "guidance/explore/problem-identification.md"):
        text = markdown(page)
        assert '!!! ours "Our addition: a link still to be confirmed"' in text, page
        assert "statistics-children-in-need" not in text, page


def test_transparency_template_links_are_named_for_the_hub_they_lead_to():
    """GOV.UK publishes the template in the standard's hub: a link there says "hub", and no
    link named "template" leads to the hub (issue: link text must match the target)."""
    page = links(markdown("guidance/develop/pre-deployment.md"))
    to_hub = [text for text, href in page if href == ATRS_HUB]
    assert len(to_hub) >= 2 and all(text.endswith("hub") for text in to_hub)
    assert not [text for text, href in page if "template" in text.lower() and href == ATRS_HUB]
    assert markdown("guidance/develop/pre-deployment.md").count("(../../tools/transparency-record.md)") >= 2


@pytest.mark.parametrize("page, words, href", [
    ("guidance/develop/development.md", "PETs adoption guide", PETS_GUIDE),
    ("explainers/data-use-and-sharing.md", "PETs adoption guide", PETS_GUIDE),
    ("guidance/explore/ethics-triage.md", "guidance on child rights impact assessment", ENOC_CRIA),
    ("guidance/develop/design.md", "Software Sustainability Institute", "https://www.software.ac.uk"),
])
def test_added_links_point_where_their_words_say(page, words, href):
    assert (words, href) in links(markdown(page))


def test_the_consent_note_sits_beside_the_guidance_sentence_and_links_the_explainer():
    text = markdown("guidance/develop/design.md")
    guidance = "permitted within UK data protection law where explicit consent has been provided"
    note = '!!! ours "Our addition: consent is one route, not the only one"'
    assert guidance in text and note in text
    between = text[text.index(guidance):text.index(note)]
    assert between.count("\n!!!") == 0  # nothing else comes between them
    assert "(../../explainers/data-use-and-sharing.md#lawful-basis-for-using-and-sharing-data)" in text
    explainer = markdown("explainers/data-use-and-sharing.md")
    assert "## Lawful basis for using and sharing data" in explainer
    assert "appropriate policy document" in explainer and "Schedule 1, paragraph 8" in explainer
