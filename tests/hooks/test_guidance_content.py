"""The pages say what the Main Guidance says, in its words, and say so where the words are ours.

These read the Markdown in `docs/` (what the build turns into pages) and the question banks as
TOML, against the source text the site was built from (tests/fixtures/main-guidance-source.txt).
The lists the source gives are read from the source itself, so a page that paraphrases one, or
drops one of its bullets, fails here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from support_build import ROOT

DOCS = ROOT / "docs"
BANKS = ROOT / "assessments" / "banks"
SOURCE = (ROOT / "tests" / "fixtures" / "main-guidance-source.txt").read_text("utf-8")
LINK = re.compile(r"\[([^\]]+)\]\([^)\s]*\)")
OURS_BOX = re.compile(r'^!!! ours "(?P<title>[^"]*)"\n(?P<body>(?:\n|    .*\n)*)', re.MULTILINE)


def page(path: str) -> str:
    return (DOCS / path).read_text("utf-8")


def words(text: str) -> str:
    """Text as a reader sees its words: links reduced to their text, spacing collapsed."""
    return " ".join(LINK.sub(r"\1", text).split())


def source_list(lead: str) -> str:
    """The source's line that starts `lead`, with the bullets under it, as written there."""
    lines = SOURCE[SOURCE.index(lead):].splitlines()
    block = [lines[0]]
    for line in lines[1:]:
        if line.strip().startswith("- "):
            block.append(line.strip())
        elif line.strip() or len(block) > 1:
            break
    assert len(block) > 2, f"no list under '{lead}' in the source"
    return "\n".join(block)


def outside_ours_boxes(text: str) -> str:
    return OURS_BOX.sub("", text)


def ours_boxes(text: str) -> list[tuple[str, str]]:
    return [(m["title"], m["body"]) for m in OURS_BOX.finditer(text)]


def section(text: str, heading: str) -> str:
    """A `## heading` section's Markdown, up to the next heading of its level."""
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


# ------------------------------------------------- the source's lists, word for word

GATES = [
    ("Before moving to the Develop Phase, you should:",
     ["guidance/explore/ethics-triage.md", "guidance/explore/index.md"]),
    ("You should only proceed to the pre-deployment stage if:",
     ["guidance/develop/testing.md"]),
    ("Before moving to the Implement Stage, you should:",
     ["guidance/develop/pre-deployment.md", "guidance/develop/index.md"]),
    ("This stage will help project teams to prepare to develop the tool. You should:",
     ["guidance/develop/design.md"]),
    ("This stage will help you to ensure that the right governance is in place ahead of deployment. You will:",
     ["guidance/develop/pre-deployment.md"]),
]


@pytest.mark.parametrize("lead, pages", GATES, ids=[g[0][:40] for g in GATES])
def test_stage_and_phase_pages_carry_the_sources_lists_word_for_word(lead, pages):
    expected = words(source_list(lead))
    for path in pages:
        # Not inside one of our boxes: these are the guidance's words, shown as its own.
        assert expected in words(outside_ours_boxes(page(path))), f"{path} lacks the source's list: {lead}"


def test_the_testing_explainer_quotes_the_gate_where_the_source_puts_it():
    text = page("explainers/testing-and-evaluation.md")
    quoted = words(text.replace("> ", "").replace(">\n", "\n"))
    assert words(source_list("You should only proceed to the pre-deployment stage if:")) in quoted
    assert "Only proceed to deployment if" not in text


def test_our_summaries_of_a_stage_are_in_our_boxes():
    for path in sorted((DOCS / "guidance").rglob("*.md")):
        text = path.read_text("utf-8")
        assert "**On this page.**" not in text, path
        for title, body in ours_boxes(text):
            if title == "Our addition: on this page":
                assert "This stage will help you to:" in body


# ------------------------------------------------------------------ no stray lines


def test_no_page_publishes_a_stray_eof():
    stray = [str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")
             if any(line.strip() == "EOF" for line in p.read_text("utf-8").splitlines())]
    assert stray == []


# ---------------------------------------------------------- what is ours says so


def test_documents_the_source_does_not_list_are_in_our_boxes():
    triage = section(page("guidance/explore/ethics-triage.md"), "Documents required")
    assert "Ethics Workbook" not in outside_ours_boxes(triage)
    assert words(source_list("In this stage, you will complete:")) in words(triage)
    pre = section(page("guidance/develop/pre-deployment.md"), "Documents required")
    assert "Impact Assessments" not in outside_ours_boxes(pre) and "Ethics Workbook" not in outside_ours_boxes(pre)
    for path in ("guidance/implement/deploy.md", "guidance/implement/monitor.md",
                 "guidance/implement/retire.md", "guidance/develop/development.md"):
        documents = section(page(path), "Documents required")
        assert outside_ours_boxes(documents).strip() == "## Documents required", path


def test_the_home_pages_outline_is_ours_and_gives_sign_off_to_senior_leaders():
    text = page("index.md")
    outline = [body for title, body in ours_boxes(text) if title == "Our addition: who is involved, in outline"]
    assert len(outline) == 1
    assert "In outline" not in outside_ours_boxes(text)
    digital = next(line for line in outline[0].splitlines() if "**Digital Transformation**" in line)
    senior = next(line for line in outline[0].splitlines() if "**Senior Leaders in Children's Services**" in line)
    assert "sign off" not in digital and "deployed" not in digital
    assert "sign off the Business Case" in senior and "deployed live" in senior
    # The source: sign-off of the Business Case "with support from Senior Leaders in Children's Services".
    assert "Sign off on a Business Case, with support from **Senior Leaders in Children's Services**" in SOURCE


def test_the_explore_table_says_its_data_maturity_link_is_our_companion():
    text = page("guidance/explore/index.md")
    assert "[Data maturity self-assessment](../../tools/data-maturity.md)" in text
    boxes = dict(ours_boxes(text))
    body = boxes["Our addition: the links to this site's tools"]
    assert "our companion" in body and "Local Government Association" in body


def test_data_maturity_is_not_said_to_come_before_anything_else():
    assert "may complete the steps in the Exploratory and Problem Identification stages in a different order" in SOURCE
    found = [str(p.relative_to(ROOT)) for p in [*DOCS.rglob("*.md"), *(ROOT / "assessments").rglob("*.py")]
             if "before anything else" in p.read_text("utf-8")]
    assert found == []
    assert "different order" in page("tools/data-maturity.md")
    assert "either order" in page("tools/index.md")


def test_the_procurement_explainer_lists_the_fuller_understanding_as_the_source_does():
    text = page("explainers/procurement.md")
    row = next(line for line in text.splitlines() if line.startswith("| In-house development |"))
    _, _, _, advantages, disadvantages, _ = row.split("|")
    assert "understanding" not in advantages
    assert "fuller understanding of your data quality and infrastructure" in disadvantages
    assert "- Requires a fuller understanding of data quality and infrastructure." in SOURCE
    assert "choose-a-solution.md#opportunities-and-risks-for-procurement" in text


def test_the_dpia_explainer_tells_article_35_from_the_icos_template():
    text = page("explainers/impact-assessments.md")
    assert "Article 35(7) of the UK GDPR says a DPIA must contain at least:" in text
    assert "Article 35(7) does not require you to record the risk that remains" in text
    assert "and the risk that remains." not in text


def test_data_use_and_sharing_says_a_dpia_will_likely_be_required():
    assert "will likely require a **Data Protection Impact Assessment (DPIA)**" in SOURCE
    text = page("explainers/data-use-and-sharing.md")
    assert "it will likely require a [DPIA]" in text
    assert "a [DPIA](impact-assessments.md#data-protection-impact-assessment-dpia), and proportionate" not in text


def test_the_schedule_1_notice_is_worded_as_the_act_words_it():
    text = page("explainers/data-use-and-sharing.md")
    assert "not to process their data for this purpose" not in text
    assert "notice in writing requiring you not to process personal data about them" in text
    assert "paragraph 8(5)" in text


def test_the_anonymisation_code_is_named_as_the_source_names_it_and_link_texts_match_targets():
    assert "in line with the ICO's [**Anonymisation Code of Practice**](#)" in SOURCE
    development = page("guidance/develop/development.md")
    assert "in line with the ICO's **Anonymisation Code of Practice**." in development
    assert "Our addition: the ICO's current guidance on anonymisation" in development
    triage = page("guidance/explore/ethics-triage.md")
    assert "The ICO has developed DPIA templates or you may use your organisation's own template." in triage
    # A link's words say where it goes: the hub is the ICO's guidance on DPIAs, not a template.
    assert not re.search(r"\[DPIA templates?\]\(", triage)
    assert "[guidance on data protection impact assessments](https://ico.org.uk/" in triage


# ------------------------------------------------------------------- the banks


def bank(name: str) -> dict:
    return tomllib.loads((BANKS / name).read_text("utf-8"))


def test_the_service_manual_item_cites_the_sources_last_sentence():
    assert SOURCE.rstrip().endswith("The government's [service manual](#) provides advice on retiring a product or service.")
    items = [i for s in bank("checklists/retire.toml")["sections"] for i in s["items"] if i["id"] == "use-service-manual"]
    assert items and items[0]["source"].startswith("guidance: Retirement")


def test_triage_red_flags_say_in_their_own_words_what_is_ours():
    """A red flag resting partly on a rule of ours says so where the reader sees it: in its text."""
    flags = {f["id"]: f for f in bank("ethics-triage.toml")["red_flags"]}
    for flag_id in ("predictive-beyond-maturity", "predictive-without-data-scientists"):
        flag = flags[flag_id]
        assert "is ours" in flag["source"], flag_id
        assert "Our addition:" in flag["text"], flag_id
    assert "Learning" in flags["predictive-beyond-maturity"]["text"]
    assert "machine learning or not" in flags["predictive-without-data-scientists"]["text"]
    # Every flag whose source says part of it is ours tells the reader so.
    partly_ours = [f["id"] for f in flags.values() if "is ours" in f["source"] and "Our addition" not in f["text"]]
    assert partly_ours == []
