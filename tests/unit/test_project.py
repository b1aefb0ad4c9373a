"""The project file: every tool's answers in one file, loaded back by replacing or merging,
upgraded from older versions, and refused in plain words when it cannot be used."""

from __future__ import annotations

import copy
import json
import re

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

from assessments import InputError, api
from assessments.project import model as project
from assessments.project.model import (
    MAX_PROJECT_BYTES,
    MIGRATIONS,
    PROJECT_FORMAT,
    PROJECT_FORMAT_VERSION,
    export_project,
    import_project,
    project_file_name,
    upgrade_project,
)
from assessments.project.view import confirm_import, describe_import, render_project_summary
from assessments.core.records import RECORD_FORMAT
from support_records import export_record
from assessments.schema import project_schema
from assessments.tools import TOOLS
from pathlib import Path
from support_records import free_text_names, schema_refuses, valid_answers

# Each tool's first worked example, as the tool's validator returns it.
FIRST_EXAMPLES = {
    slug: tool.validate_answers(dict(tool.load_bank().examples[0].answers))
    for slug, tool in TOOLS.items()
    if tool.load_bank().examples
}
WORKBOOK = "ethics-workbook"
ROOT = Path(__file__).resolve().parents[2]
MATURITY = "data-maturity"
WORKBOOK_QUESTION = "explore-problem-and-outcomes"


def test_every_registered_tool_has_an_example_with_answers():
    assert set(FIRST_EXAMPLES) == set(TOOLS)


def _text(data) -> str:
    return json.dumps(data)


def _file(tools=None, **changes) -> dict:
    saved = export_project(FIRST_EXAMPLES if tools is None else tools, "Family context tool",
                           created="2026-11-24T10:00:00Z")
    saved.update(changes)
    return saved


# --------------------------------------------------------------------------- export


def test_export_holds_every_tool_with_answers_versions_and_results():
    saved = _file()
    assert saved["format"] == PROJECT_FORMAT and saved["format_version"] == PROJECT_FORMAT_VERSION
    assert saved["created"] == "2026-11-24T10:00:00Z" and saved["title"] == "Family context tool"
    assert list(saved["tools"]) == [slug for slug in TOOLS if FIRST_EXAMPLES[slug]]
    for slug, entry in saved["tools"].items():
        tool = TOOLS[slug]
        assert entry["tool_title"] == tool.title and entry["bank_version"] == tool.version
        assert entry["answers"] == FIRST_EXAMPLES[slug]
        assert isinstance(entry["result"], dict)
    assert project_file_name(saved) == "project-family-context-tool-2026-11-24.json"
    assert project_file_name({**saved, "title": "  "}) == "project-2026-11-24.json"


def test_tools_with_nothing_saved_are_left_out_and_there_is_no_title_unless_given():
    saved = export_project({MATURITY: FIRST_EXAMPLES[MATURITY], WORKBOOK: {}}, "")
    assert list(saved["tools"]) == [MATURITY] and "title" not in saved


def test_every_export_matches_the_published_schema():
    schema = project_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_file(), schema)
    jsonschema.validate(export_project({}), schema)
    for broken in (
        _file(format_version=PROJECT_FORMAT_VERSION + 1),
        _file(format="cssc-analytics-guide/record"),
        {**_file(), "tools": {MATURITY: {"bank_version": "1.0.0", "answers": {"not-a-question": "x"}}}},
        {**_file(), "tools": {"Not A Slug": {"bank_version": "1", "answers": {}}}},
        {key: value for key, value in _file().items() if key != "tools"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)


def test_a_tool_from_a_later_version_of_the_guide_is_allowed_by_the_schema():
    later = {**_file(), "tools": {**_file()["tools"], "new-tool": {"bank_version": "1.0.0", "answers": {"a": 1}}}}
    jsonschema.validate(later, project_schema())


@pytest.mark.parametrize(
    "tools, title, words",
    [
        ([], "", "could not be read"),
        ({"spreadsheet": {}}, "", "no tool called 'spreadsheet'"),
        ({MATURITY: {"leaders-use-data": "sometimes-ish"}}, "", "The Data maturity self-assessment answers saved in "
                                                                "this browser cannot be put in a file"),
        ({MATURITY: "not json"}, "", "Data maturity self-assessment"),
        ({}, ["title"], "should be text"),
        ({}, "x" * 201, "up to 200 characters"),
    ],
)
def test_export_refuses_what_could_not_be_loaded_back(tools, title, words):
    with pytest.raises(InputError, match=words):
        export_project(tools, title)


# ---------------------------------------------------------------------- round trip


def test_round_trip_across_every_registered_tool_gives_the_same_answers_and_results():
    saved = _file()
    imported = import_project(_text(saved), {}, "replace")
    assert imported.final == FIRST_EXAMPLES
    assert imported.tools == {slug: answers for slug, answers in FIRST_EXAMPLES.items() if answers}
    assert imported.title == "Family context tool" and imported.created == "2026-11-24T10:00:00Z"
    assert imported.notes == ()
    again = export_project(imported.final, imported.title, created=saved["created"])
    assert again == saved  # the same answers give the same results, tool by tool


def test_round_trip_through_the_api_as_the_page_does_it():
    exported = json.loads(api.handle(json.dumps({"op": "project_export", "tools": FIRST_EXAMPLES, "title": "X"})))
    assert exported["ok"] and exported["file_name"].startswith("project-x-")
    loaded = json.loads(api.handle(json.dumps({"op": "project_import", "text": exported["text"], "current": {},
                                               "mode": "replace", "site_root": "../../"})))
    assert loaded["ok"] and loaded["tools"] == {s: a for s, a in FIRST_EXAMPLES.items() if a}
    assert loaded["changed"] == list(loaded["tools"])
    assert loaded["title"] == "X" and loaded["notes"] == []
    assert "Replace the answers saved in this browser" in loaded["confirm"]
    assert 'href="../../tools/ethics-workbook/"' in loaded["html"]
    assert loaded["summary"].startswith("The file replaced the answers saved here. Tools changed: ")


# --------------------------------------------------------------- replace and merge


LOCAL_ONLY = {"ethics-triage": FIRST_EXAMPLES["ethics-triage"]}


def test_replace_makes_every_tool_as_in_the_file_and_clears_the_others():
    saved = _file({MATURITY: FIRST_EXAMPLES[MATURITY]})
    current = {**LOCAL_ONLY, MATURITY: {"leaders-use-data": "not-yet"}}
    imported = import_project(_text(saved), current, "replace")
    assert imported.tools == {MATURITY: FIRST_EXAMPLES[MATURITY], "ethics-triage": {}}
    assert imported.final["ethics-triage"] == {} and imported.final[MATURITY] == FIRST_EXAMPLES[MATURITY]
    question = confirm_import(imported)
    assert "Tools that will change: Data maturity self-assessment." in question
    assert "Tools that will be cleared, because they are not in the file: Ethics triage." in question
    assert "Tools cleared (not in the file): Ethics triage." in describe_import(imported)


def test_merge_keeps_a_tool_answered_only_here_and_adds_the_files_tools():
    saved = _file({MATURITY: FIRST_EXAMPLES[MATURITY]})
    imported = import_project(_text(saved), LOCAL_ONLY, "merge")
    assert imported.tools == {MATURITY: FIRST_EXAMPLES[MATURITY]}
    assert imported.final["ethics-triage"] == LOCAL_ONLY["ethics-triage"]
    assert "will be cleared" not in confirm_import(imported)
    assert describe_import(imported) == ("The file was merged into the answers saved here. Tools changed: "
                                         "Data maturity self-assessment.")


def test_merge_adds_and_overwrites_answers_question_by_question():
    here = {f"{WORKBOOK_QUESTION}--answer": "Ours.", f"{WORKBOOK_QUESTION}--status": "draft",
            "explore-fairness--answer": "Kept."}
    incoming = {f"{WORKBOOK_QUESTION}--answer": "Theirs.", "develop-security--status": "agreed",
                "develop-security--answer": "Pen tested."}
    imported = import_project(_text(_file({WORKBOOK: incoming})), {WORKBOOK: here}, "merge")
    assert imported.tools[WORKBOOK] == TOOLS[WORKBOOK].validate_answers({
        f"{WORKBOOK_QUESTION}--answer": "Theirs.", f"{WORKBOOK_QUESTION}--status": "draft",
        "explore-fairness--answer": "Kept.", "develop-security--answer": "Pen tested.",
        "develop-security--status": "agreed",
    })


def test_loading_what_is_already_here_changes_nothing():
    imported = import_project(_text(_file()), dict(FIRST_EXAMPLES), "merge")
    assert imported.changed == ()
    assert "nothing needed changing" in describe_import(imported)
    assert import_project(_text(_file()), dict(FIRST_EXAMPLES), "replace").changed == ()


def test_merging_into_answers_here_that_cannot_be_read_is_refused_naming_the_tool():
    for broken in ("not json", {"a-question-it-no-longer-has": "mostly"}):
        with pytest.raises(InputError, match="Data maturity self-assessment.*Nothing has been loaded"):
            import_project(_text(_file({MATURITY: FIRST_EXAMPLES[MATURITY]})), {MATURITY: broken}, "merge")
    # Replacing does not need them.
    imported = import_project(_text(_file({MATURITY: FIRST_EXAMPLES[MATURITY]})), {MATURITY: "not json"}, "replace")
    assert imported.tools[MATURITY] == FIRST_EXAMPLES[MATURITY]


def test_the_mode_must_be_replace_or_merge():
    with pytest.raises(InputError, match="replace the answers here or be merged"):
        import_project(_text(_file()), {}, "append")


# ----------------------------------------------------------------- versions


def test_every_older_format_version_has_a_migration_to_the_next():
    # The registry is the source of truth: a step for each version below the current one,
    # each giving a file of the next version.
    assert set(MIGRATIONS) == set(range(1, PROJECT_FORMAT_VERSION))
    for version, step in sorted(MIGRATIONS.items()):
        older = {**_file(), "format_version": version}
        assert step(copy.deepcopy(older))["format_version"] == version + 1


def _pretend_version_2(data: dict) -> dict:
    """A pretend change of format for the tests: version 2 drops each entry's
    `tool_title` (the guide can always name the tool itself) and marks the file."""
    tools = {slug: {k: v for k, v in entry.items() if k != "tool_title"} for slug, entry in data["tools"].items()}
    return {**data, "format_version": 2, "tools": tools, "migrated": True}


def _version_1() -> dict:
    return {**_file(), "format_version": 1}


def test_a_file_of_the_previous_version_is_upgraded_through_the_registry(monkeypatch):
    # As if this site wrote format 2: a format 1 file (N-1) is upgraded to 2 (N) by the
    # registry's step, then loads; a format 3 file (from the future) is refused.
    monkeypatch.setattr(project, "PROJECT_FORMAT_VERSION", 2)
    monkeypatch.setattr(project, "MIGRATIONS", {1: _pretend_version_2})
    upgraded, notes = upgrade_project(_version_1())
    assert upgraded["format_version"] == 2 and upgraded["migrated"] is True and notes == ()
    assert all("tool_title" not in entry for entry in upgraded["tools"].values())
    imported = import_project(_text(_version_1()), {}, "replace")
    assert imported.final == FIRST_EXAMPLES
    assert import_project(_text({**_version_1(), "format_version": 2}), {}, "replace").final == FIRST_EXAMPLES
    with pytest.raises(InputError, match=r"newer version of this guide \(file format 3; this site reads up to 2\)"):
        import_project(_text({**_version_1(), "format_version": 3}), {}, "replace")


def test_a_single_record_is_upgraded_through_the_registry_too(monkeypatch):
    monkeypatch.setattr(project, "PROJECT_FORMAT_VERSION", 2)
    monkeypatch.setattr(project, "MIGRATIONS", {1: _pretend_version_2})
    upgraded, notes = upgrade_project(export_record(MATURITY, FIRST_EXAMPLES[MATURITY]))
    assert upgraded["format_version"] == 2 and upgraded["migrated"] is True and len(notes) == 1


def test_an_older_version_no_migration_reaches_is_refused(monkeypatch):
    monkeypatch.setattr(project, "PROJECT_FORMAT_VERSION", 3)
    monkeypatch.setattr(project, "MIGRATIONS", {2: _pretend_version_2})
    with pytest.raises(InputError, match="file format 1, which this site can no longer read"):
        import_project(_text(_version_1()), {}, "replace")


def test_a_migration_that_does_not_reach_the_next_version_is_a_fault_in_the_guide(monkeypatch):
    monkeypatch.setattr(project, "PROJECT_FORMAT_VERSION", 2)
    monkeypatch.setattr(project, "MIGRATIONS", {1: lambda data: data})
    response = json.loads(api.handle(json.dumps({"op": "project_import", "text": _text(_version_1()),
                                                 "mode": "replace"})))
    assert response["ok"] is False and "guide's own code" in response["error"]


@pytest.mark.parametrize("version", [PROJECT_FORMAT_VERSION + 1, 99, 10**6])
def test_unknown_future_versions_are_refused(version):
    with pytest.raises(InputError, match="newer version of this guide"):
        import_project(_text(_file(format_version=version)), {}, "replace")


# ------------------------------------------------------------- single tool records


def test_a_single_tools_record_loads_as_a_project_with_that_tool():
    record = export_record(WORKBOOK, FIRST_EXAMPLES[WORKBOOK])
    imported = import_project(_text(record), LOCAL_ONLY, "merge")
    assert imported.tools == {WORKBOOK: FIRST_EXAMPLES[WORKBOOK]}
    assert imported.final["ethics-triage"] == LOCAL_ONLY["ethics-triage"]
    assert imported.notes == ("This is a file for one tool, the Ethics workbook, not a project file: it was read as "
                              "a project holding that tool only.",)
    replaced = import_project(_text(record), LOCAL_ONLY, "replace")
    assert replaced.tools == {WORKBOOK: FIRST_EXAMPLES[WORKBOOK], "ethics-triage": {}}


@pytest.mark.parametrize("slug", sorted(TOOLS))
def test_every_tools_record_loads_as_a_project(slug):
    imported = import_project(_text(export_record(slug, FIRST_EXAMPLES[slug])), {}, "replace")
    assert imported.final[slug] == FIRST_EXAMPLES[slug]


def test_a_tool_from_an_older_version_with_a_question_since_removed_loads_and_says_so():
    saved = _file()
    entry = saved["tools"][MATURITY]
    entry["bank_version"] = "0.9.0"
    entry["answers"] = {**entry["answers"], "question-since-removed": "mostly"}
    imported = import_project(_text(saved), {}, "replace")
    assert imported.final[MATURITY] == FIRST_EXAMPLES[MATURITY]
    assert any(note.startswith(f"{TOOLS[MATURITY].title}: 1 of your answers is to questions this version of the "
                               "guide no longer has") and "question-since-removed" in note for note in imported.notes)


@pytest.mark.parametrize(
    "change, words",
    [
        ({"format_version": 2}, "newer version of this guide"),
        ({"format_version": "1"}, "which version of the file format"),
        ({"tool": "spreadsheet"}, "a tool this version of the guide does not have"),
        ({"answers": {"leaders-use-data": "sometimes-ish"}}, "answers for the Data maturity self-assessment cannot"),
        ({"answers": "all good"}, "has no answers"),
        ({"bank_version": None}, "which version of the questions"),
    ],
)
def test_a_record_that_cannot_be_used_is_refused(change, words):
    record = {**export_record(MATURITY, FIRST_EXAMPLES[MATURITY]), **change}
    with pytest.raises(InputError, match=words):
        import_project(_text(record), {}, "replace")


# ---------------------------------------------------------------- hostile files


def _with_tools(tools) -> str:
    return _text({**_file(), "tools": tools})


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("{not json", "not valid JSON (line 1"),
        ("[1, 2]", "not a file saved by this guide"),
        ("null", "not a file saved by this guide"),
        (_text({"format": "something-else"}), "not a file saved by this guide"),
        (_text(_file(format_version="1")), "which version of the file format"),
        (_text(_file(format_version=True)), "which version of the file format"),
        (_text(_file(format_version=0)), "which version of the file format"),
        (_with_tools([]), "no list of tools"),
        (_with_tools({}), "no answers for any tool in this guide"),
        (_with_tools({"spreadsheet": {"answers": {}}}), "no answers for any tool in this guide"),
        (_with_tools({MATURITY: "answers"}), "entry for the Data maturity self-assessment has no answers"),
        (_with_tools({MATURITY: {"answers": ["mostly"]}}), "has no answers"),
        # Of the current version, so checked strictly (another version is upgraded: what does not fit is left out).
        (_with_tools({MATURITY: {"answers": {"leaders-use-data": ["mostly"]}, "bank_version": TOOLS[MATURITY].version}}),
         "answers for the Data maturity self-assessment cannot be used"),
        (_with_tools({MATURITY: {"answers": {}}}), "does not say which version of the questions"),
        (_text(_file(title=["x"])), "project name in this file is not text"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (" " * (MAX_PROJECT_BYTES + 1), "too large"),
        ('{"a": "' + "x" * 10_000_000 + '"}', "too large (10.0 MB)"),
        (b"\xff\xfe\x00junk", "not a text file"),
        (None, "Nothing was read"),
        (42, "Nothing was read"),
    ],
)
def test_bad_files_are_refused_in_plain_words(text, words):
    with pytest.raises(InputError, match=re.escape(words)):
        import_project(text, {}, "replace")


def test_one_tools_invalid_answers_refuse_the_whole_file_naming_the_tool():
    saved = _file()
    saved["tools"][WORKBOOK]["answers"][f"{WORKBOOK_QUESTION}--status"] = "finished"
    with pytest.raises(InputError) as refused:
        import_project(_text(saved), {}, "replace")
    message = str(refused.value)
    assert message.startswith("The file's answers for the Ethics workbook cannot be used: The status of Explore "
                              "question 1")
    assert message.endswith("Nothing has been loaded.")
    response = json.loads(api.handle(json.dumps({"op": "project_import", "text": _text(saved), "mode": "merge",
                                                 "current": LOCAL_ONLY})))
    assert response == {"ok": False, "error": message}


def test_unknown_tools_are_noted_and_skipped():
    saved = _file({MATURITY: FIRST_EXAMPLES[MATURITY]})
    saved["tools"]["<script>alert(1)</script>"] = {"bank_version": "1.0.0", "answers": {"x": "y"}}
    imported = import_project(_text(saved), {}, "merge")
    assert set(imported.tools) == {MATURITY}
    assert imported.notes == ("The file has answers for a tool this version of the guide does not have "
                              "(\u201c<script>alert(1)</script>\u201d); they were left out.",)


def test_an_older_bank_version_is_noted():
    saved = _file({MATURITY: FIRST_EXAMPLES[MATURITY]})
    saved["tools"][MATURITY]["bank_version"] = "0.9.0"
    imported = import_project(_text(saved), {}, "replace")
    assert "version 0.9.0 of its questions" in imported.notes[0]


def test_script_tags_are_kept_as_inert_text():
    script = "<script>alert('x')</script>"
    answers = {f"{WORKBOOK_QUESTION}--answer": script, f"{WORKBOOK_QUESTION}--comments": script}
    saved = export_project({WORKBOOK: answers}, script)
    assert saved["title"] == script  # kept as written...
    response = json.loads(api.handle(json.dumps({"op": "project_import", "text": _text(saved), "mode": "replace",
                                                 "current": {}})))
    assert response["ok"] and response["tools"][WORKBOOK] == answers and response["title"] == script
    # ...and shown as text, never as markup.
    assert "<script>" not in response["html"]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in response["html"]
    summary = json.loads(api.handle(json.dumps({"op": "project_summary", "tools": {WORKBOOK: answers},
                                                "title": script})))
    assert "<script>" not in summary["html"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
TOOL_SLUGS = st.sampled_from(sorted(TOOLS) + ["unknown-tool"])


def answers_to_validate(slug: str) -> st.SearchStrategy:
    """Answers shaped as answers (a table of the tool's question ids), valid or spoilt (an
    unknown question, or a question given any JSON value), so that a file built from them
    passes the entry's shape and version checks and reaches the tool's answer validation."""
    valid = valid_answers(slug).filter(bool)
    unknown = st.tuples(valid, st.text(min_size=1, max_size=12), JSON).map(lambda t: {**t[0], t[1]: t[2]})
    wrong = valid.flatmap(lambda a: st.tuples(st.sampled_from(sorted(a)), JSON).map(lambda kv: {**a, kv[0]: kv[1]}))
    return st.one_of(valid, unknown, wrong)


@settings(max_examples=150, deadline=None)
@given(JSON, st.data(), st.dictionaries(TOOL_SLUGS, JSON, max_size=3), st.sampled_from(["replace", "merge"]))
def test_arbitrary_json_gives_a_valid_import_or_a_clear_error(data, draw, current, mode):
    # Arbitrary JSON as a file, and as a project's tools; then answers, valid or spoilt, in a
    # project entry and a single tool's record of the current version, so that each of those
    # reaches the tool's own answer validation: where the published schema refuses the
    # answers, the file must be refused there, by that validation, naming the tool.
    maturity = draw.draw(answers_to_validate(MATURITY), label="maturity answers")
    workbook = draw.draw(answers_to_validate(WORKBOOK), label="workbook answers")
    at_validation = {MATURITY: maturity, WORKBOOK: workbook}
    candidates = (
        (data, True, None),
        ({"format": PROJECT_FORMAT, "format_version": 1, "tools": data}, False, None),
        ({"format": PROJECT_FORMAT, "format_version": 1,
          "tools": {MATURITY: {"bank_version": TOOLS[MATURITY].version, "answers": maturity}}},
         schema_refuses(MATURITY, maturity), MATURITY),
        ({"format": PROJECT_FORMAT, "format_version": 1,
          "tools": {WORKBOOK: {"bank_version": TOOLS[WORKBOOK].version, "answers": workbook}}},
         schema_refuses(WORKBOOK, workbook), WORKBOOK),
        ({"format": RECORD_FORMAT, "format_version": 1, "tool": WORKBOOK, "bank_version": TOOLS[WORKBOOK].version,
          "answers": workbook}, schema_refuses(WORKBOOK, workbook), WORKBOOK),
    )
    for candidate, must_refuse, validated in candidates:
        try:
            imported = import_project(json.dumps(candidate), current, mode)
        except InputError as problem:
            message = str(problem)
            assert message and "own code" not in message
            # A merge may be refused for what this browser holds (`current`), not for the file.
            if validated and "saved in this browser" not in message:
                # Refused by the answers' validation, never before it on the entry's shape.
                assert must_refuse, (candidate, message)
                assert message.startswith(f"The file's answers for the {TOOLS[validated].title} cannot be used"), message
        else:
            assert not must_refuse, candidate
            assert set(imported.final) == set(TOOLS)
            for slug, answers in imported.tools.items():
                assert TOOLS[slug].validate_answers(answers) == answers
            if validated in imported.tools:  # (a tool whose answers are all "not started" has none to keep)
                assert imported.tools[validated] == TOOLS[validated].validate_answers(at_validation[validated])
            response = json.loads(api.handle(json.dumps({"op": "project_import", "text": json.dumps(candidate),
                                                         "current": current, "mode": mode})))
            assert response["ok"], response


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_a_project_of_valid_answers_is_accepted_with_every_typed_word_kept(data):
    slugs = data.draw(st.lists(st.sampled_from(sorted(TOOLS)), min_size=1, max_size=3, unique=True))
    answers = {slug: data.draw(valid_answers(slug).filter(bool)) for slug in slugs}
    saved = {"format": PROJECT_FORMAT, "format_version": PROJECT_FORMAT_VERSION, "title": "",
             "tools": {slug: {"bank_version": TOOLS[slug].version, "answers": a} for slug, a in answers.items()}}
    imported = import_project(json.dumps(saved), {}, "replace")  # never refused
    for slug, given_answers in answers.items():
        # A tool whose answers are all defaults ("not started") has nothing to keep.
        kept = [value for value in imported.tools.get(slug, {}).values() if isinstance(value, str)]
        for name in free_text_names(slug, given_answers):
            if name in given_answers:
                assert given_answers[name] in kept, (slug, name)


@settings(max_examples=100, deadline=None)
@given(st.one_of(JSON, st.dictionaries(TOOL_SLUGS, JSON, max_size=4)))
def test_the_summary_and_export_always_answer_in_plain_words(tools):
    for op in ("project_summary", "project_export"):
        response = json.loads(api.handle(json.dumps({"op": op, "tools": tools})))
        assert response["ok"] or "guide's own code" not in response["error"]


# ------------------------------------------------------------------------ summary


def test_the_summary_lists_every_tool_with_its_state_and_a_link():
    stored = {MATURITY: FIRST_EXAMPLES[MATURITY], WORKBOOK: {"explore-fairness--status": "finished"},
              "ethics-triage": "not json"}
    html = render_project_summary(stored, "../../", "Family context")
    assert html.count("data-project-tool=") == len(TOOLS)
    assert 'data-project-tool="data-maturity" data-saved="saved"' in html
    assert "<td>Overall Leading.</td>" in html  # the tool's own summary, without "Result updated"
    # Answers that do not fit the questions go through the upgrade path, as on the tool's page.
    assert 'data-project-tool="ethics-workbook" data-saved="saved" data-upgraded="true"' in html
    assert "Shown here with only the answers that fit this tool&#x27;s questions: " in html
    assert "Your answer \u201cfinished\u201d to \u201cStatus. Explore 4: " in html
    assert 'data-project-tool="ethics-triage" data-saved="unreadable"' in html
    assert 'data-project-tool="checklists" data-saved="empty"' in html
    assert 'href="../../tools/checklists/"' in html
    assert "Project: <strong>Family context</strong>" in html
    assert "3 of " in html


def test_the_project_ops_need_no_tool_and_unknown_ops_still_need_one():
    response = json.loads(api.handle(json.dumps({"op": "project_summary", "tools": {}})))
    assert response["ok"] and response["summary"] == f"Updated: 0 of {len(TOOLS)} tools have answers saved in this browser."
    response = json.loads(api.handle(json.dumps({"op": ["project_summary"], "tools": {}})))
    assert response["ok"] is False and "no tool called" in response["error"]


# ------------------------------------------------ answers saved by an earlier release


# The releases that saved each tool as one value with no version (up to 1.0.0).
RELEASED = sorted(path for path in (ROOT / "tests" / "fixtures" / "releases").glob("*/*/storage.json")
                  if all(key.startswith("cssc-guide:v1:") for key in json.loads(path.read_text("utf-8"))))


def test_answers_an_earlier_release_saved_are_shown_brought_up_to_date_by_the_one_upgrade_path():
    # As the page sends them: each tool's old single value, with no version (it had none).
    tools = {path.parent.name: json.loads(next(iter(json.loads(path.read_text("utf-8")).values())))
             for path in RELEASED}
    versions = {slug: None for slug in tools}
    html = render_project_summary(tools, "", "", versions)
    for slug in tools:
        assert f'data-project-tool="{slug}" data-saved="saved" data-upgraded="true"' in html, slug
    assert "Cannot be read" not in html
    # The triage's renamed option is named by its question, in plain words.
    assert ("Saved with an earlier version of this guide, and shown here as brought up to date: Your answer to "
            "\u201cWhat is your directorate\u2019s overall data maturity level?\u201d was carried over: the option "
            "you chose has a new name.") in html
    results = project.stored_results(tools, versions)
    for slug in tools:
        expected = json.loads((RELEASED[0].parents[1] / slug / "expected.json").read_text("utf-8"))
        if not TOOLS[slug].context_tools:
            assert results[slug].result == TOOLS[slug].score(expected["answers"]), slug
    # The project file holds the upgraded answers, for the current questions.
    saved = export_project(tools, "", versions=versions)
    assert saved["tools"]["ethics-triage"]["answers"]["data-maturity"] == "learning"
    assert saved["tools"]["transparency-record"]["bank_version"] == TOOLS["transparency-record"].version


def test_merging_a_file_into_answers_an_earlier_release_saved_upgrades_them_first():
    old = json.loads(next(iter(json.loads(
        (ROOT / "tests/fixtures/releases/1.0.0/ethics-triage/storage.json").read_text("utf-8")).values())))
    assert old["data-maturity"] == "developing"  # "learning" in this version
    text = json.dumps(export_record("ethics-triage", {"use-case-name": "From the file"}))
    with pytest.raises(InputError):
        import_project(text, {"ethics-triage": old}, "merge")  # read as the current version: refused
    merged = import_project(text, {"ethics-triage": old}, "merge", {"ethics-triage": None})
    assert merged.tools["ethics-triage"]["data-maturity"] == "learning"
    assert merged.tools["ethics-triage"]["use-case-name"] == "From the file"
