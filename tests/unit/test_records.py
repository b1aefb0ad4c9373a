"""The JSON record: export, import, and refusing bad files in plain words."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from assessments import InputError
from assessments.checklists.model import DONE, done_name, load_checklist_bank
from assessments.data_maturity.model import load_data_maturity_bank
from assessments.core.records import MAX_RECORD_BYTES, RECORD_FORMAT, RECORD_FORMAT_VERSION, record_file_name
from assessments.tools import TOOLS
from support_records import export_record, free_text_names, import_record, schema_refuses, valid_answers

JUNK_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)

EXAMPLE = load_data_maturity_bank().examples[1]


def _record(**changes) -> str:
    record = export_record("data-maturity", dict(EXAMPLE.answers), created="2026-11-24T10:00:00Z")
    record.update(changes)
    return json.dumps(record)


def test_export_carries_format_tool_versions_answers_result_and_date():
    record = export_record("data-maturity", dict(EXAMPLE.answers), created="2026-11-24T10:00:00Z")
    assert record["format"] == RECORD_FORMAT
    assert record["format_version"] == RECORD_FORMAT_VERSION
    assert record["tool"] == "data-maturity"
    assert record["bank_version"] == load_data_maturity_bank().version
    assert record["answers"] == dict(EXAMPLE.answers)
    assert record["result"]["overall"]["level"] == EXAMPLE.expected_overall_level
    assert record["created"] == "2026-11-24T10:00:00Z"
    assert record_file_name("data-maturity", record["created"]) == "data-maturity-2026-11-24.json"


def test_round_trip_gives_the_same_answers_and_result():
    imported = import_record("data-maturity", _record())
    assert imported.answers == dict(EXAMPLE.answers)
    assert imported.result.overall_level == EXAMPLE.expected_overall_level
    assert imported.notes == ()


def test_an_older_bank_version_loads_and_says_so():
    imported = import_record("data-maturity", _record(bank_version="0.9.0"))
    assert "version 0.9.0" in imported.notes[0]


def test_a_file_from_an_older_version_with_a_question_since_removed_loads_the_rest_and_names_it():
    # A later release dropped a question: the reader's older file still loads.
    answers = {**EXAMPLE.answers, "question-since-removed": "mostly"}
    imported = import_record("data-maturity", _record(bank_version="0.9.0", answers=answers))
    assert imported.answers == dict(EXAMPLE.answers)
    assert imported.result.overall_level == EXAMPLE.expected_overall_level
    assert imported.notes[1:] == ("1 of your answers is to questions this version of the guide no longer has, and "
                                  "was left out: \u201cquestion-since-removed\u201d.", "The file itself is unchanged.")
    # The same answer in a file of the current version means the file was edited.
    with pytest.raises(InputError, match="does not have"):
        import_record("data-maturity", _record(answers=answers))


def test_a_checklist_file_ticking_an_item_since_removed_keeps_every_other_tick():
    bank = load_checklist_bank()
    stage = bank.stages[0]
    ticked = {done_name(stage.slug, item.id): [DONE] for item in stage.items[:3]}
    record = export_record("checklists", ticked)
    removed = {f"{stage.slug}--item-removed-{n}": [DONE] for n in range(7)}
    record.update(bank_version="0.1.0", answers={**ticked, **removed})
    imported = import_record("checklists", json.dumps(record))
    assert imported.answers == ticked
    assert imported.notes[1].startswith("7 of your answers are to questions this version of the guide no longer has")
    assert "and 2 more." in imported.notes[1]


def test_a_tampered_result_is_recomputed_and_noted():
    imported = import_record("data-maturity", _record(result={"overall": {"level": "leading"}}))
    assert imported.result.overall_level == EXAMPLE.expected_overall_level
    assert any("differed" in note for note in imported.notes)


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "empty"),
        ("{not json", "not valid JSON (line 1"),
        ("[1, 2]", "not a file saved by this guide"),
        (json.dumps({"format": "something-else"}), "not a file saved by this guide"),
        (_record(format_version=99), "newer version"),
        (_record(format_version="1"), "which version of the file format"),
        (_record(tool="ethics-triage"), "not the Data maturity self-assessment"),
        (_record(tool="spreadsheet"), "from something else"),
        (_record(answers="all good"), "no answers"),
        (_record(answers={"unknown-question": "mostly"}), "does not have"),
        (_record(answers={"leaders-use-data": ["mostly"]}), "not one of the options"),
        (_record(bank_version=None), "which version of the questions"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (" " * (MAX_RECORD_BYTES + 1), "too large"),
        (b"\xff\xfe\x00junk", "not a text file"),
    ],
)
def test_bad_files_are_refused_in_plain_words(text, words):
    with pytest.raises(InputError) as refused:
        import_record("data-maturity", text)
    assert words in str(refused.value)


@pytest.mark.parametrize("slug", sorted(TOOLS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_valid_answers_are_accepted_with_every_typed_word_kept(slug, data):
    answers = data.draw(valid_answers(slug))
    record = export_record(slug, {})
    record["answers"] = answers
    imported = import_record(slug, json.dumps(record))  # never refused
    kept = [value for value in imported.answers.values() if isinstance(value, str)]
    for name in free_text_names(slug, answers):
        if name in answers:
            assert answers[name] in kept, name
    assert TOOLS[slug].validate_answers(imported.answers) == imported.answers


@settings(max_examples=300, deadline=None)
@given(JUNK_JSON)
def test_answers_the_published_schema_refuses_are_refused_in_plain_words(data):
    # Not a record at all: refused.
    with pytest.raises(InputError) as refused:
        import_record("data-maturity", json.dumps(data))
    assert str(refused.value)
    # Dressed as a record, the answers are refused exactly when the published schema
    # refuses them (the self-assessment's answers are all choices, so the schema says all).
    record = {"format": RECORD_FORMAT, "format_version": 1, "tool": "data-maturity",
              "bank_version": TOOLS["data-maturity"].version, "answers": data}
    if schema_refuses("data-maturity", data):
        with pytest.raises(InputError) as refused:
            import_record("data-maturity", json.dumps(record))
        assert str(refused.value) and "own code" not in str(refused.value)
    else:
        assert import_record("data-maturity", json.dumps(record)).answers == data


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_valid_answers_with_one_answer_broken_are_refused(data):
    answers = data.draw(valid_answers("data-maturity").filter(bool))
    name = data.draw(st.sampled_from(sorted(answers)))
    broken = data.draw(JUNK_JSON.filter(lambda value: schema_refuses("data-maturity", {name: value})))
    record = export_record("data-maturity", {})
    record["answers"] = {**answers, name: broken}
    with pytest.raises(InputError) as refused:
        import_record("data-maturity", json.dumps(record))
    assert "own code" not in str(refused.value)
