"""The ethics triage bank, its worked examples, its rules, its answers and its result view."""

from __future__ import annotations

import copy
import json
from html import escape

import pytest
from hypothesis import given, settings, strategies as st

from assessments import BankError, InputError, api
from assessments.ethics_triage import model as et
from assessments.data_maturity.model import load_data_maturity_bank, score_data_maturity
from assessments.ethics_triage.view import render_triage_result, summarise_triage_result
from support_records import export_record, import_record
from assessments.tools import get_tool
from support_banks import JUNK, raw_bank

BANK = et.load_triage_bank()
QUESTIONS = BANK.questions
EXAMPLES = {example.name: example for example in BANK.examples}
LOW = EXAMPLES["Descriptive strategic dashboard on aggregate data"]
MEDIUM = EXAMPLES["Diagnostic analysis of pseudonymised individual records"]
HIGH = EXAMPLES["Predictive individual risk scores with automatic referral"]


def _raw_bank() -> dict:
    return raw_bank("ethics-triage")


def _fired_rules(result: et.TriageResult) -> set[str]:
    """Every rule and trigger id that gave part of this result."""
    data = result.to_dict()
    fired = {r["rule"] for r in data["reasons"] + data["red_flags"]}
    for group in data["themes"] + data["impact_assessments"] + [data["independent_scrutiny"]]:
        fired.update(reason["rule"] for reason in group["why"])
    return fired


# ------------------------------------------------------------------------- the bank


def test_bank_loads_with_help_for_every_question_and_kebab_case_ids():
    assert BANK.title == "Ethics triage"
    assert len(QUESTIONS) >= 20
    for question in QUESTIONS.values():
        assert question.help.strip(), question.id
        assert question.kind in et.QUESTION_KINDS
        if question.kind in ("single", "multiple"):
            assert len(question.options) >= 2


def test_the_maturity_question_offers_every_data_maturity_level_and_not_assessed():
    options = [o.id for o in QUESTIONS[BANK.maturity_question].options]
    assert [level.id for level in load_data_maturity_bank().levels] == options[:-1]
    assert options[-1] == "not-assessed"


def test_there_are_three_risk_levels_ten_themes_and_three_impact_assessments():
    assert [level.id for level in BANK.risk_levels] == ["low", "medium", "high"]
    assert len(BANK.themes) == 10
    assert {a.id for a in BANK.impact_assessments} == {"dpia", "equality-impact-assessment", "child-rights-impact-assessment"}


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_every_worked_example_scores_as_the_bank_says(example):
    result = et.score_triage(example.answers)
    assert result.risk_level == example.expected_risk_level
    assert tuple(f.rule for f in result.red_flags) == example.expected_red_flags
    assert tuple(t.id for t in result.themes) == example.expected_themes
    assert tuple(a.id for a in result.impact_assessments if a.advised) == example.expected_impact_assessments
    assert result.independent_scrutiny.advised == example.expected_independent_scrutiny


def test_the_three_headline_examples_give_low_medium_and_high():
    assert et.score_triage(LOW.answers).risk_level == "low"
    medium = et.score_triage(MEDIUM.answers)
    assert medium.risk_level == "medium" and not medium.red_flags
    assert {"data-use-and-privacy", "security"} <= {t.id for t in medium.themes}
    high = et.score_triage(HIGH.answers)
    assert high.risk_level == "high" and "automatic-action" in {f.rule for f in high.red_flags}
    assert high.independent_scrutiny.advised
    assert all(a.advised for a in high.impact_assessments)


def test_every_rule_in_the_bank_is_met_by_at_least_one_example():
    fired = set().union(*(_fired_rules(et.score_triage(e.answers)) for e in BANK.examples))
    assert set(BANK.rule_ids) - fired == set()
    assert len(BANK.rule_ids) == len(set(BANK.rule_ids))


def test_every_example_has_its_own_name_and_valid_answers_that_json_carries_unchanged():
    # The parity and browser tests send each example as JSON and match results by name.
    names = [example.name for example in BANK.examples]
    assert all(names) and len(set(names)) == len(names)
    for example in BANK.examples:
        answers = dict(example.answers)
        sent = json.loads(json.dumps(answers))
        assert et.validate_triage_answers(sent) == et.validate_triage_answers(answers), example.name
        assert et.score_triage(sent) == et.score_triage(answers), example.name


def _load_modified(change) -> None:
    raw = _raw_bank()
    change(raw)
    et.parse_triage_bank(raw)


def _question_index(qid: str) -> tuple[int, int]:
    for s, section in enumerate(BANK.sections):
        for q, question in enumerate(section.questions):
            if question.id == qid:
                return s, q
    raise AssertionError(qid)


def _set_when(path: list, condition: dict):
    def change(raw):
        target = raw
        for key in path:
            target = target[key]
        target["when"][0] = condition
    return change


DQI = _question_index("data-quality-improvement")
MATURITY = _question_index("data-maturity")


@pytest.mark.parametrize(
    "change, field",
    [
        (_set_when(["risk_rules", 0], {"question": "no-such-question", "any_of": ["yes"]}), "risk_rules[0].when[0].question"),
        (_set_when(["risk_rules", 0], {"question": "level-of-analysis", "any_of": ["galaxy"]}), "risk_rules[0].when[0].any_of"),
        (_set_when(["risk_rules", 0], {"question": "intended-value", "any_of": ["x"]}), "risk_rules[0].when[0].question"),
        (_set_when(["red_flags", 0], {"risk_at_least": "high"}), "red_flags[0].when[0].risk_at_least"),
        (_set_when(["themes", 0, "triggers", 0], {"risk_at_least": "severe"}), "themes[0].triggers[0].when[0].risk_at_least"),
        (_set_when(["impact_assessments", 1, "triggers", 1], {"question": "users", "any_of": ["robots"]}),
         "impact_assessments[1].triggers[1].when[0].any_of"),
        (lambda raw: raw["risk_rules"][0].__setitem__("raises_to", "extreme"), "risk_rules[0].raises_to"),
        (lambda raw: raw["themes"][2]["triggers"][0].__setitem__("id", "personal-data"), "themes[2].triggers[0].id"),
        (lambda raw: raw["themes"][0].__setitem__("triggers", []), "themes[0].triggers"),
        (lambda raw: raw["sections"][0]["questions"][0].pop("help"), "sections[0].questions[0].help"),
        (lambda raw: raw["sections"][0]["questions"][0].__setitem__("kind", "essay"), "sections[0].questions[0].kind"),
        (lambda raw: raw["sections"][DQI[0]]["questions"][DQI[1]]["applies_if"].__setitem__("question", "uses-machine-learning"),
         f"sections[{DQI[0]}].questions[{DQI[1]}].applies_if.question"),
        (lambda raw: raw["sections"][MATURITY[0]]["questions"][MATURITY[1]]["options"].pop(4), "rules.maturity_question"),
        (lambda raw: raw["sections"][MATURITY[0]]["questions"][MATURITY[1]]["options"][0].__setitem__("exclusive", True),
         f"sections[{MATURITY[0]}].questions[{MATURITY[1]}].options[0].exclusive"),
        (lambda raw: raw["rules"].__setitem__("completed_on_question", "use-case-name"), "rules.completed_on_question"),
        (lambda raw: raw["rules"]["completed_by_questions"].__setitem__(1, "nobody"), "rules.completed_by_questions[1]"),
        (lambda raw: raw["examples"][0]["expected"].__setitem__("themes", ["astrology"]), "examples[0].expected.themes"),
        (lambda raw: raw["examples"][0]["answers"].__setitem__("data-quality", "splendid"), "examples[0].answers"),
        (lambda raw: raw["risk_levels"][0].pop("sign_off"), "risk_levels[0].sign_off"),
    ],
)
def test_an_invalid_bank_names_the_file_and_field(change, field):
    with pytest.raises(BankError) as raised:
        _load_modified(change)
    assert raised.value.bank == "ethics-triage.toml"
    assert raised.value.where == field
    assert str(raised.value).startswith(f"ethics-triage.toml: {field}")


def test_a_number_question_is_supported_by_the_loader_and_validator():
    raw = _raw_bank()
    raw["sections"][0]["questions"].append(
        {"id": "children-covered", "kind": "number", "text": "Roughly how many children?", "help": "An estimate."}
    )
    bank = et.parse_triage_bank(raw)
    assert et.validate_triage_answers({"children-covered": " 250 "}, bank) == {"children-covered": "250"}
    assert et.validate_triage_answers({"children-covered": 12}, bank) == {"children-covered": "12"}
    for bad in ("lots", "nan", True, [1]):
        with pytest.raises(InputError, match="number"):
            et.validate_triage_answers({"children-covered": bad}, bank)


# -------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    "answers, words",
    [
        (["yes"], "should be"),
        ({"no-such-question": "yes"}, "does not have"),
        ({3: "yes"}, "does not have"),
        ({"analytics-type": "magic"}, "not one of the options"),
        ({"analytics-type": ["predictive"]}, "not one of the options"),
        ({"users": "analysts"}, "should be a list"),
        ({"users": ["analysts", "robots"]}, "not one of its options"),
        ({"data-sensitivity": ["children", "none-of-these"]}, "cannot be ticked together"),
        ({"completed-on": "14/03/2025"}, "not a date"),
        ({"completed-on": "2025-02-30"}, "not a date"),
        ({"intended-value": {"nested": ["junk"]}}, "should be text"),
        ({"intended-value": "x" * (et.MAX_TEXT_LENGTH + 1)}, "too long"),
    ],
)
def test_bad_answers_are_refused_in_plain_words(answers, words):
    with pytest.raises(InputError, match=words):
        et.validate_triage_answers(answers)


def test_blank_answers_are_dropped_and_ticks_are_kept_in_bank_order():
    clean = et.validate_triage_answers(
        {"use-case-name": "  ", "users": [], "intended-value": None, "data-sources": ["police", "education", "police"]}
    )
    assert clean == {"data-sources": ["education", "police"]}


OPTION_IDS = sorted({o.id for q in QUESTIONS.values() for o in q.options})
ANSWER = st.one_of(
    JUNK,
    st.sampled_from(OPTION_IDS),
    st.lists(st.sampled_from(OPTION_IDS), max_size=4),
    st.sampled_from(["2025-03-14", "2025-13-01", "", "  "]),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(sorted(QUESTIONS)), st.text(max_size=12)), ANSWER, max_size=12),
    st.dictionaries(st.sampled_from(sorted(QUESTIONS)), ANSWER, max_size=24),
    JUNK,
))
def test_any_answers_give_a_valid_result_or_a_clear_error(answers):
    try:
        result = et.score_triage(answers) if isinstance(answers, dict) else et.score_triage(
            et.validate_triage_answers(answers))
    except InputError as problem:
        assert str(problem)
        return
    assert result.risk_level in {level.id for level in BANK.risk_levels}
    json.dumps(result.to_dict())
    assert render_triage_result(result).startswith("<div")
    assert summarise_triage_result(result).startswith("Result updated")


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(QUESTIONS)), ANSWER, max_size=24))
def test_the_api_always_answers_in_plain_words(answers):
    response = json.loads(api.handle(json.dumps({"op": "score", "tool": "ethics-triage", "answers": answers},
                                                default=str)))
    assert response["ok"] or "guide's own code" not in response["error"]


# ------------------------------------------------------------------------- branching


def test_a_question_applies_only_when_its_condition_is_met():
    assert "ml-claims" in et.inactive_questions({})
    assert "ml-claims" in et.inactive_questions({"uses-machine-learning": "no"})
    assert "ml-claims" not in et.inactive_questions({"uses-machine-learning": "not-sure"})
    assert "data-quality-improvement" in et.inactive_questions({"data-quality": "good"})
    assert "data-quality-improvement" not in et.inactive_questions({"data-quality": "poor"})
    assert get_tool("ethics-triage").inactive({"uses-machine-learning": "yes"}) == ("data-quality-improvement",)


def test_answers_to_questions_that_do_not_apply_are_kept_but_never_scored():
    answers = {"uses-machine-learning": "no", "ml-claims": "proven", "data-quality": "good",
               "data-quality-improvement": "no"}
    assert et.validate_triage_answers(answers) == answers
    result = et.score_triage(answers)
    assert not result.red_flags
    lines = {line.question: line for line in result.record}
    assert lines["ml-claims"].status == "not-applicable"
    assert "ml-claims" in result.not_applicable and "ml-claims" not in result.unanswered


def test_the_branching_condition_is_written_out_for_readers_without_javascript():
    text = BANK.applies_if_text(QUESTIONS["ml-claims"])
    assert text == ("Only if your answer to \u201cWill the tool use machine learning?\u201d is "
                    "\u201cYes\u201d or \u201cNot sure\u201d.")


# ----------------------------------------------------------------------- traceability


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_every_reason_names_a_question_that_was_answered_and_the_answer(example):
    result = et.score_triage(example.answers)
    answered = {line.question: line.answer for line in result.record if line.status == "answered"}
    groups = [result.reasons, result.red_flags, *(t.why for t in result.themes),
              *(a.why for a in result.impact_assessments), result.independent_scrutiny.why]
    for group in groups:
        for reason in group:
            traced = reason.evidence + getattr(reason, "risk_evidence", ())
            assert traced, reason.rule
            for evidence in traced:
                assert evidence.question in answered, (reason.rule, evidence.question)
                assert evidence.question_text == QUESTIONS[evidence.question].text
                for part in evidence.answer.split("; "):
                    assert part in answered[evidence.question]


def test_the_rendered_reason_quotes_the_question_and_the_answer():
    html = render_triage_result(et.score_triage(HIGH.answers))
    assert ("You answered \u201cHow will insights from the tool be used?\u201d: "
            "\u201cTo trigger an action automatically, such as a referral\u201d.") in html


# -------------------------------------------------------------------------- the view


def test_the_high_risk_result_shows_level_red_flags_themes_governance_and_record():
    result = et.score_triage(HIGH.answers)
    html = render_triage_result(result, "../../")
    assert "Risk level so far: <strong>High</strong>" in html  # names and roles were left blank
    assert "Red flags (4)" in html
    assert "The tool would act without a professional considering the evidence" in html
    assert "Themes flagged (10)" in html
    assert 'href="../../explainers/data-quality/#bias-in-data"' in html
    assert "<strong>Data Protection Impact Assessment (DPIA)</strong>: begin this now." in html
    assert "<strong>Child Rights Impact Assessment</strong>: begin this now." in html
    assert "Independent scrutiny" in html and 'data-scrutiny="advised"' in html
    assert escape(result.sign_off) in html
    assert "Record of the triage" in html and "20 March 2025" in html
    assert "Does not apply" not in html  # every branch applies in this example
    assert summarise_triage_result(result) == (
        "Result updated: risk level High, 4 red flags, 10 themes flagged. 4 questions not answered.")


def test_the_low_risk_record_lists_who_completed_it_and_when():
    result = et.score_triage(LOW.answers)
    assert result.complete
    html = render_triage_result(result)
    assert "Risk level: <strong>Low</strong>" in html
    assert "Data practitioner: Sam Patel, Senior Analyst" in html
    assert "14 March 2025" in html and "Placement sufficiency dashboard" in html
    assert "Themes flagged (0)" in html
    assert "<strong>Data Protection Impact Assessment (DPIA)</strong>: not indicated by your answers." in html
    assert summarise_triage_result(result) == "Result updated: risk level Low, 0 red flags, 0 themes flagged."


def test_nothing_answered_asks_for_answers():
    result = et.score_triage({})
    assert "Answer the questions above" in render_triage_result(result)
    assert summarise_triage_result(result) == "Result updated: no answers yet."


def test_text_from_the_reader_is_escaped():
    html = render_triage_result(et.score_triage({"use-case-name": "<script>alert(1)</script>", "users": ["analysts"]}))
    assert "<script>" not in html and "&lt;script&gt;" in html


# ------------------------------------------------------------------- records, bring in


@pytest.mark.parametrize("example", [LOW, MEDIUM, HIGH], ids=lambda e: e.name)
def test_export_then_import_gives_the_same_answers_and_result(example):
    record = export_record("ethics-triage", dict(example.answers), created="2025-03-20T10:00:00Z")
    text = json.dumps(record)
    imported = import_record("ethics-triage", text)
    assert imported.answers == dict(example.answers)
    assert imported.result.to_dict() == record["result"]
    assert imported.notes == ()


def test_an_older_record_loads_and_says_which_version_made_it():
    record = export_record("ethics-triage", dict(MEDIUM.answers))
    record["bank_version"] = "0.9.0"
    imported = import_record("ethics-triage", json.dumps(record))
    assert "version 0.9.0" in imported.notes[0]
    assert imported.result.risk_level == "medium"


def _maturity_answers(level_example: str) -> dict:
    return dict(next(e for e in load_data_maturity_bank().examples if e.name == level_example).answers)


def test_a_data_maturity_result_brings_in_its_overall_level():
    result = score_data_maturity(_maturity_answers("Medium maturity exactly at the ready line"))
    assert et.answers_from_maturity(result) == {"data-maturity": "learning"}
    with pytest.raises(InputError, match="no overall level yet"):
        et.answers_from_maturity(score_data_maturity({}))


def test_bring_in_through_the_api_from_saved_answers_and_from_a_file():
    answers = _maturity_answers("Embedded everywhere: proceed")
    response = json.loads(api.handle(json.dumps(
        {"op": "bring_in", "tool": "ethics-triage", "source": "data-maturity", "source_answers": answers})))
    assert response == {"ok": True, "updates": {"data-maturity": "leading"}}
    text = json.dumps(export_record("data-maturity", answers))
    response = json.loads(api.handle(json.dumps(
        {"op": "bring_in", "tool": "ethics-triage", "source": "data-maturity", "text": text})))
    assert response["updates"] == {"data-maturity": "leading"}
    empty = json.loads(api.handle(json.dumps(
        {"op": "bring_in", "tool": "ethics-triage", "source": "data-maturity",
         "source_answers": {"leaders-use-data": "mostly"}})))
    assert not empty["ok"] and "no overall level yet" in empty["error"]


# ---------------------------------------------------------------- completion time

# The guidance says the triage "should take no more than 15 minutes". A plain model of
# a reader: reading every word shown at 200 words a minute, plus time to decide each
# question and scan each option, plus typing for free-text answers.
WORDS_PER_MINUTE = 200
SECONDS_PER_QUESTION = 8
SECONDS_PER_OPTION = 1.5
SECONDS_PER_SHORT_TEXT = 20
SECONDS_PER_PARAGRAPH = 45


def estimated_minutes(bank: et.TriageBank) -> float:
    words = len(bank.intro.split())
    seconds = 0.0
    for section in bank.sections:
        words += len(section.title.split()) + len(section.intro.split())
        for question in section.questions:
            words += len(question.text.split()) + len(question.help.split())
            words += len(bank.applies_if_text(question).split())
            words += sum(len(option.label.split()) for option in question.options)
            seconds += SECONDS_PER_QUESTION + SECONDS_PER_OPTION * len(question.options)
            if question.kind == "text":
                seconds += SECONDS_PER_PARAGRAPH if question.rows > 1 else SECONDS_PER_SHORT_TEXT
    return (seconds + words / WORDS_PER_MINUTE * 60) / 60


def test_the_triage_takes_no_more_than_15_minutes():
    minutes = estimated_minutes(BANK)
    assert 5 < minutes <= 15, f"estimated {minutes:.1f} minutes"


def test_the_estimate_would_catch_a_bank_that_grew_too_long():
    raw = _raw_bank()
    raw["sections"][1]["questions"] += [
        {**copy.deepcopy(raw["sections"][1]["questions"][-1]), "id": f"extra-{n}"} for n in range(10)
    ]
    assert estimated_minutes(et.parse_triage_bank(raw)) > 15


def test_a_reason_that_rests_on_the_risk_level_points_to_the_answers_behind_it():
    result = et.score_triage(HIGH.answers)
    reason = next(r for r in result.independent_scrutiny.why if r.rule == "scrutiny-high-risk")
    assert reason.risk_level == "high" and reason.evidence == ()
    assert {e.question for e in reason.risk_evidence} >= {"analytics-type", "insight-use", "ml-claims"}
    html = render_triage_result(result)
    assert html.count('href="#ethics-triage--why"') == sum(
        1 for group in [*(t.why for t in result.themes), *(a.why for a in result.impact_assessments),
                        result.independent_scrutiny.why] for r in group if r.risk_level)
    assert 'id="ethics-triage--why"' in html and "See why the risk is high." in html
