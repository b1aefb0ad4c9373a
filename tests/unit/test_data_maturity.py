"""The data maturity bank, its worked examples, and its scoring rules."""

from __future__ import annotations


import pytest
from hypothesis import given, settings, strategies as st

from assessments import BankError, InputError
from assessments.data_maturity import model as dm
from support_banks import raw_bank

BANK = dm.load_data_maturity_bank()


def _raw_bank() -> dict:
    return raw_bank("data-maturity")


def test_bank_has_five_components_of_five_to_seven_statements():
    assert len(BANK.components) == 5
    for component in BANK.components:
        assert 5 <= len(component.statements) <= 7, component.id


def test_scale_has_five_scored_levels_and_an_unscored_dont_know():
    scored = [o for o in BANK.scale if o.points is not None]
    assert len(scored) == 5
    assert [o.id for o in BANK.scale if o.points is None] == ["dont-know"]


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_every_worked_example_scores_as_the_bank_says(example):
    result = dm.score_data_maturity(example.answers)
    assert result.overall_level == example.expected_overall_level
    assert result.reading == example.expected_reading
    assert {c.id: c.level for c in result.components} == dict(example.expected_component_levels)


def test_examples_cover_every_reading():
    assert {e.expected_reading for e in BANK.examples} == set(dm.READING_CONDITIONS)


def test_dont_know_is_counted_not_scored_as_zero():
    answers = {s.id: "embedded" for s in BANK.statements.values()}
    answers["leaders-use-data"] = "dont-know"
    result = dm.score_data_maturity(answers)
    using = result.components[0]
    assert using.score == 5.0  # a zero would have pulled the mean down
    assert using.dont_know == 1
    assert result.dont_know == ("leaders-use-data",)


def test_incomplete_assessment_names_what_is_missing():
    answers = {s.id: "mostly" for s in BANK.statements.values()}
    del answers["ethics-oversight-exists"]
    result = dm.score_data_maturity(answers)
    assert not result.complete
    assert result.unanswered == ("ethics-oversight-exists",)


def test_weak_components_are_named_for_a_mixed_result():
    example = next(e for e in BANK.examples if e.expected_reading == "some-components-ready")
    result = dm.score_data_maturity(example.answers)
    assert result.weak_components == ("analytical-capacity",)


def test_levels_follow_the_named_thresholds():
    for level in BANK.levels:
        assert BANK.level_for(level.min_score).id == level.id
    assert BANK.level_for(BANK.levels[1].min_score - 0.01).id == BANK.levels[0].id


@pytest.mark.parametrize(
    "answers, words",
    [
        ({"no-such-statement": "mostly"}, "does not have"),
        ({"leaders-use-data": "sometimes"}, "not one of the options"),
        ({"leaders-use-data": 3}, "not one of the options"),
        (["mostly"], "should be"),
    ],
)
def test_bad_answers_are_refused_in_plain_words(answers, words):
    with pytest.raises(InputError, match=words):
        dm.validate_maturity_answers(answers)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.one_of(st.sampled_from(sorted(BANK.statements)), st.text(max_size=20)),
        st.one_of(st.sampled_from([o.id for o in BANK.scale]), st.text(max_size=10), st.integers(), st.none()),
        max_size=40,
    )
)
def test_any_answers_give_a_valid_result_or_a_clear_error(answers):
    try:
        result = dm.score_data_maturity(answers)
    except InputError as problem:
        assert str(problem)
        return
    level_ids = {level.id for level in BANK.levels}
    for component in result.components:
        assert component.level is None or component.level in level_ids
        assert component.score is None or 1 <= component.score <= 5
        assert component.answered + component.dont_know + component.unanswered == component.statements
    assert result.reading in dm.READING_CONDITIONS


def _load_modified(monkeypatch, change) -> None:
    raw = _raw_bank()
    change(raw)
    monkeypatch.setattr(dm, "read_bank", lambda slug: dm.Fields("data-maturity.toml", "", raw))
    dm.load_data_maturity_bank.cache_clear()
    try:
        dm.load_data_maturity_bank()
    finally:
        dm.load_data_maturity_bank.cache_clear()


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda raw: raw["components"][0]["statements"][0].pop("text"), "components[0].statements[0].text"),
        (lambda raw: raw["rules"].__setitem__("ready_level", "excellent"), "rules.ready_level"),
        (lambda raw: raw["levels"][2].__setitem__("min_score", 1.0), "levels"),
        (lambda raw: raw["components"][1]["statements"][0].__setitem__("id", "leaders-use-data"), "components[1].statements[0].id"),
        (lambda raw: raw["scale"][0].__setitem__("points", True), "scale[0].points"),
        (lambda raw: raw["examples"][0].__setitem__("answer_all", "brilliant"), "examples[0].answers"),
        (lambda raw: raw["readings"].pop(), "readings"),
    ],
)
def test_an_invalid_bank_names_the_file_and_field(monkeypatch, change, field):
    with pytest.raises(BankError) as raised:
        _load_modified(monkeypatch, change)
    assert raised.value.bank == "data-maturity.toml"
    assert raised.value.where == field
    assert str(raised.value).startswith(f"data-maturity.toml: {field}")


def test_the_word_record_says_who_answered_as_the_page_does():
    from assessments.data_maturity.view import maturity_word, render_maturity_result

    answers = {**dict(BANK.examples[0].answers), dm.ROLE: "analyst", dm.TEAM: "Performance & <insight>"}
    result = dm.score_data_maturity(answers, BANK)
    texts = ["".join(run["text"] for run in block["runs"]) for block in maturity_word(answers, result, BANK).blocks
             if block["type"] == "paragraph"]
    assert "Role: Analyst" in texts and "Team: Performance & <insight>" in texts
    assert "Answered by: Analyst, Performance &amp; &lt;insight&gt;." in str(render_maturity_result(result, "", BANK))
    unnamed = dm.score_data_maturity(dict(BANK.examples[0].answers), BANK)
    assert not [b for b in maturity_word({}, unnamed, BANK).blocks
                if b["type"] == "paragraph" and b["runs"][0]["text"].startswith(("Role", "Team"))]
