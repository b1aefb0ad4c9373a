"""The lifecycle "you are here" navigation on stage pages, built by MkDocs from the
checklist banks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from assessments.checklists.model import load_checklist_bank
from support_build import ROOT, load_build_module

lifecycle_nav = load_build_module("lifecycle_nav")
BANK = load_checklist_bank()
FIRST, MIDDLE, LAST = BANK.stages[0], BANK.stage("design"), BANK.stages[-1]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A small site: a stub page for every stage, plus a page that is not a stage."""
    root = tmp_path_factory.mktemp("lifecycle")
    docs = root / "docs"
    for stage in BANK.stages:
        page = docs / stage.page
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# {stage.name} stage\n\nText of the stage.\n", "utf-8")
    (docs / "index.md").write_text("# Home\n\nNot a stage.\n", "utf-8")
    config_file = root / "mkdocs.yml"
    config_file.write_text(
        "site_name: Lifecycle fixture\n"
        "theme:\n  name: material\n"
        f"  custom_dir: {ROOT / 'overrides'}\n"
        f"hooks:\n  - {ROOT / 'build' / 'lifecycle_nav.py'}\n",
        "utf-8",
    )
    build(load_config(str(config_file)))
    return root / "site"


def html_of(site: Path, stage) -> str:
    return (site / stage.page.removesuffix(".md") / "index.html").read_text("utf-8")


def strip_of(html: str) -> str:
    return re.search(r'<nav class="cssc-lifecycle" aria-label="Lifecycle stages".*?</nav>', html, re.S).group(0)


def pager_of(html: str) -> str:
    return re.search(r'<nav class="cssc-lifecycle-pager".*?</nav>', html, re.S).group(0)


@pytest.mark.parametrize("stage", [FIRST, MIDDLE, LAST], ids=lambda s: s.slug)
def test_the_strip_lists_every_stage_and_marks_this_one(site, stage):
    html = html_of(site, stage)
    strip = strip_of(html)
    assert html.index("cssc-lifecycle") < html.index("<h1")  # at the top of the page
    assert strip.count("<a ") == len(BANK.stages)
    for phase in BANK.phases:
        assert f'<span class="cssc-lifecycle__phase-name">{phase.name}</span>' in strip
    current = re.findall(r'<a href="([^"]*)" aria-current="step">([^<]*)</a>\s*<strong[^>]*>You are here</strong>', strip)
    assert current == [("./", stage.name)]
    assert strip.count("aria-current") == 1
    # Stage names appear in lifecycle order.
    positions = [strip.index(f">{s.name}</a>") for s in BANK.stages]
    assert positions == sorted(positions)


def test_links_are_relative_and_reach_each_stage_page(site):
    strip = strip_of(html_of(site, MIDDLE))
    page_dir = site / MIDDLE.page.removesuffix(".md")
    for href in re.findall(r'href="([^"]+)"', strip):
        assert not href.startswith(("/", "http"))
        assert (page_dir / href / "index.html").resolve().is_file(), href


@pytest.mark.parametrize(
    "stage, previous, following",
    [
        (FIRST, None, BANK.stages[1]),
        (MIDDLE, BANK.stages[BANK.stages.index(MIDDLE) - 1], BANK.stages[BANK.stages.index(MIDDLE) + 1]),
        (LAST, BANK.stages[-2], None),
    ],
    ids=["first", "middle", "last"],
)
def test_previous_and_next_stage_links_at_the_bottom(site, stage, previous, following):
    html = html_of(site, stage)
    pager = pager_of(html)
    assert html.rindex("cssc-lifecycle-pager") > html.index("Text of the stage.")
    if previous:
        assert re.search(rf'rel="prev">Previous stage: {previous.name}</a>', pager)
    else:
        assert "Previous stage" not in pager and "first stage of the lifecycle" in pager
    if following:
        assert re.search(rf'rel="next">Next stage: {following.name}</a>', pager)
    else:
        assert "Next stage" not in pager and "last stage of the lifecycle" in pager


def test_pages_that_are_not_stages_are_left_alone(site):
    assert "cssc-lifecycle" not in (site / "index.html").read_text("utf-8")


def test_a_stage_whose_page_is_missing_fails_the_build():
    class NoFiles:
        def get_file_from_path(self, path):
            return None

    with pytest.raises(PluginError, match=r"checklists/exploratory.toml: page 'guidance/explore/exploratory.md'"):
        lifecycle_nav.on_files(NoFiles(), config=None)


def test_context_for_first_and_last_stage_has_no_previous_or_next():
    href = lambda stage: stage.slug  # noqa: E731
    first = lifecycle_nav.lifecycle_context(BANK, FIRST, href)
    last = lifecycle_nav.lifecycle_context(BANK, LAST, href)
    assert first["previous"] is None and first["next"] == {"name": BANK.stages[1].name, "href": BANK.stages[1].slug}
    assert last["next"] is None and last["previous"]["name"] == BANK.stages[-2].name
    assert [p["current"] for p in first["phases"]] == [True, False, False]
