"""The marker hook renders forms from banks, and refuses what it does not know."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from assessments.data_maturity import model as data_maturity
from assessments.data_maturity.model import load_data_maturity_bank

FIXTURE = Path(__file__).with_name("fixture")


def build_fixture(tmp_path: Path, page: str) -> str:
    """Build the fixture site with `page` as its only page; return the page's HTML."""
    # The fixture's config stays where it is (its paths point into the repository);
    # only its docs and output move to the temporary folder.
    config_file = FIXTURE / "mkdocs.yml"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(page, "utf-8")
    config = load_config(str(config_file), docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    build(config)
    return (tmp_path / "site" / "index.html").read_text("utf-8")


def test_a_tool_marker_becomes_the_whole_form(tmp_path):
    html = build_fixture(tmp_path, "# Page\n\n<!-- tool: data-maturity -->\n")
    bank = load_data_maturity_bank()
    assert 'data-tool="data-maturity"' in html
    assert "<!-- tool:" not in html
    assert html.count('type="radio"') == len(bank.statements) * len(bank.scale) + len(bank.respondent.roles)
    for statement in bank.statements.values():
        assert f'id="data-maturity--{statement.id}"' in html
    assert "needs JavaScript" in html
    assert 'method="dialog"' in html  # Enter never submits answers anywhere


@pytest.mark.parametrize("marker", ["<!-- tool: no-such-tool -->", "<!-- tool: -->", "<!-- checklist: nowhere -->"])
def test_an_unknown_marker_fails_the_build_naming_the_page(tmp_path, caplog, marker):
    with pytest.raises((PluginError, Abort)):
        build_fixture(tmp_path, f"# Page\n\n{marker}\n")
    # MkDocs logs the hook's message, then aborts.
    assert "index.md: unknown marker" in caplog.text


def test_an_invalid_bank_fails_the_build_naming_file_and_field(tmp_path, monkeypatch, caplog):
    original = data_maturity.read_bank

    def broken(slug):
        fields = original(slug)
        del fields.data["components"][2]["statements"][1]["text"]
        return fields

    monkeypatch.setattr(data_maturity, "read_bank", broken)
    load_data_maturity_bank.cache_clear()
    try:
        with pytest.raises((PluginError, Abort)):
            build_fixture(tmp_path, "# Page\n\n<!-- tool: data-maturity -->\n")
    finally:
        load_data_maturity_bank.cache_clear()
    assert "data-maturity.toml: components[2].statements[1].text: missing field" in caplog.text


def test_markers_in_code_blocks_are_left_alone(tmp_path):
    html = build_fixture(tmp_path, "# Page\n\n    <!-- tool: not-a-real-one -->\n")
    assert "not-a-real-one" in html and "data-tool" not in html


def test_the_project_marker_lists_every_tool_for_the_project_page(tmp_path):
    from assessments.project.model import MAX_PROJECT_BYTES
    from assessments.tools import TOOLS

    html = build_fixture(tmp_path, "# Page\n\n<!-- project -->\n")
    assert "<!-- project" not in html
    assert "data-project" in html and 'data-tool="' not in html  # the tools' script leaves it alone
    # The only storage keys the page's script may touch: one per registered tool.
    assert f'data-tools="{" ".join(TOOLS)}"' in html
    assert f'data-max-project-bytes="{MAX_PROJECT_BYTES}"' in html
    for tool in TOOLS.values():  # without JavaScript, a link to each tool's page
        assert f">{tool.title}</a>" in html
    assert "needs JavaScript" in html
    assert 'method="dialog"' in html


def test_a_project_marker_with_a_name_fails_the_build(tmp_path, caplog):
    with pytest.raises((PluginError, Abort)):
        build_fixture(tmp_path, "# Page\n\n<!-- project: mine -->\n")
    assert "index.md: unknown marker '<!-- project: mine -->'" in caplog.text


def test_the_team_view_marker_becomes_its_form_and_a_name_fails_the_build(tmp_path, caplog):
    from assessments.data_maturity.team import MAX_TEAM_FILES

    (tmp_path / "ok").mkdir()
    html = build_fixture(tmp_path / "ok", "# Page\n\n<!-- team-view -->\n")
    assert "<!-- team-view" not in html
    assert "data-team-view" in html and 'data-tool="' not in html  # not a tool with answers to store
    assert f'data-max-files="{MAX_TEAM_FILES}"' in html and "multiple" in html
    assert "needs JavaScript" in html and 'method="dialog"' in html
    (tmp_path / "named").mkdir()
    with pytest.raises((PluginError, Abort)):
        build_fixture(tmp_path / "named", "# Page\n\n<!-- team-view: ours -->\n")
    assert "index.md: unknown marker '<!-- team-view: ours -->'" in caplog.text
