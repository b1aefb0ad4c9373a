"""Release notes: which questions changed since the previous release, read from the frozen
ids of that release (build/released/) and the banks' [[migrations]]."""

from __future__ import annotations

import json

from support_build import load_build_module

release = load_build_module("release")
released_ids = load_build_module("released_ids")


def _tools():
    from assessments.tools import TOOLS

    return TOOLS


def test_every_migration_since_the_previous_release_is_in_the_notes():
    from assessments.core.upgrade import _steps_between

    tools = _tools()
    text = "\n".join(release.question_changes(tools, released_ids.RELEASED_DIR))
    seen = 0
    for slug, tool in tools.items():
        frozen = released_ids.RELEASED_DIR / f"{slug}.json"
        if not frozen.exists():
            assert f"### {tool.load_bank().title}\n\nNew since the previous release" in text
            continue
        for step in _steps_between(tool, json.loads(frozen.read_text("utf-8"))["version"]):
            if step.always:
                continue
            for old, new in {**step.renamed_questions, **step.merged_questions}.items():
                assert f"`{old}`" in text and f"`{new}`" in text
                seen += 1
            for question, options in step.renamed_options.items():
                for old, new in options.items():
                    assert f"`{question}`: `{old}` is now `{new}`" in text
                    seen += 1
            for removed in step.removed:
                assert removed.reason in text
                seen += 1
    assert seen, "the current banks have migrations since the frozen release"


def test_a_new_answer_and_an_unchanged_tool_are_told_apart(tmp_path):
    tools = _tools()
    slug, tool = next(iter(tools.items()))
    now = released_ids.answer_ids(tool)
    (tmp_path / f"{slug}.json").write_text(json.dumps(now))
    unchanged = "\n".join(release.question_changes({slug: tool}, tmp_path))
    assert f"No change to its questions (version {tool.version})" in unchanged
    gone = next(iter(now["answers"]))
    del now["answers"][gone]
    (tmp_path / f"{slug}.json").write_text(json.dumps(now))
    changed = "\n".join(release.question_changes({slug: tool}, tmp_path))
    assert f"- New answers: `{gone}`." in changed


def test_the_notes_list_every_library_of_the_sbom_nested_ones_too():
    sbom = {"specVersion": "1.6", "components": [
        {"type": "library", "name": "docx", "version": "1", "licenses": [{"license": {"id": "MIT"}}],
         "components": [{"type": "library", "name": "fflate", "version": "2", "licenses": [{"license": {"id": "MIT"}}]},
                        {"type": "file", "name": "assets/vendor/docx/docx.mjs"}]}]}
    notes = release.release_notes("guide", "1.2.3", "abc", sbom, {}, released_ids.RELEASED_DIR)
    assert "- docx 1 (MIT)\n- fflate 2 (MIT)\n" in notes and "docx.mjs" not in notes
    assert "guide-1.2.3.zip.sha256" in notes
