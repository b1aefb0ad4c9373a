"""The data maturity team view: colleagues' files combined, disagreements, roles, files
refused one by one, and two dates compared."""

from __future__ import annotations

import json

import pytest

from assessments import InputError, api
from assessments.data_maturity import team
from assessments.data_maturity.model import ROLE, TEAM, load_data_maturity_bank
from assessments.data_maturity.team_view import render_team_result, team_markdown
from assessments.tools import TOOLS
from support_records import export_record

BANK = load_data_maturity_bank()
SELF_ASSESSMENT = TOOLS["data-maturity"]


def as_file(name: str, answers: dict, created: str = "2026-11-24T10:00:00Z") -> dict:
    return {"name": name, "text": json.dumps(export_record("data-maturity", dict(answers), created=created))}


def example_files(example) -> list[dict]:
    return [as_file(f"respondent-{n}.json", answers) for n, answers in enumerate(example.respondents, start=1)]


@pytest.mark.parametrize("example", BANK.team_examples, ids=lambda e: e.name)
def test_every_team_example_combines_as_the_bank_says(example):
    result = team.combine_files(SELF_ASSESSMENT, example_files(example))
    assert result.respondents == example.expected_respondents
    assert result.overall_level == example.expected_overall_level
    assert {c.id: c.level for c in result.components} == dict(example.expected_component_levels)
    assert tuple(c.id for c in result.components if c.disagreement) == example.expected_disagreement_components
    assert len(result.disagreements) == example.expected_statements_to_discuss
    assert sum(1 for s in result.statements if s.dont_know) == example.expected_statements_with_dont_know


def test_the_median_is_not_pulled_by_one_far_view():
    # Scores 1, 4, 4 for every component: the median is 4 (Established); a mean would be 3.
    files = [as_file("a.json", {s: "not-yet" for s in BANK.statements}),
             as_file("b.json", {s: "mostly" for s in BANK.statements}),
             as_file("c.json", {s: "mostly" for s in BANK.statements}, created="2026-11-25T10:00:00Z")]
    result = team.combine_files(SELF_ASSESSMENT, files)
    assert result.overall_score == 4.0 and result.overall_level == "established"
    component = result.components[0]
    assert (component.lowest_level, component.highest_level, component.spread) == ("beginning", "established", 3)
    assert component.level_counts == (1, 0, 0, 2, 0)
    assert result.dates == ("2026-11-24T10:00:00Z", "2026-11-25T10:00:00Z")


def test_disagreements_are_listed_first_widest_first():
    first = {s: "mostly" for s in BANK.statements}
    second = dict(first)
    statements = list(BANK.statements)
    second[statements[5]] = "not-yet"  # 3 steps apart
    second[statements[9]] = "in-places"  # 2 steps apart
    result = team.combine_files(SELF_ASSESSMENT, [as_file("a.json", first), as_file("b.json", second)])
    assert [s.id for s in result.statements[:2]] == [statements[5], statements[9]]
    assert [s.spread for s in result.statements[:3]] == [3, 2, 0]
    assert [s.disagreement for s in result.statements[:3]] == [True, True, False]


def test_roles_are_broken_down_and_those_who_did_not_say_are_grouped():
    files = [as_file("a.json", {**{s: "embedded" for s in BANK.statements}, ROLE: "analyst", TEAM: "Insight"}),
             as_file("b.json", {**{s: "in-places" for s in BANK.statements}, ROLE: "senior-leader"}),
             as_file("c.json", {s: "partly" for s in BANK.statements})]
    roles = {r.role: r for r in team.combine_files(SELF_ASSESSMENT, files).roles}
    assert set(roles) == {"analyst", "senior-leader", ""}
    assert roles["analyst"].overall_level == "leading" and roles["analyst"].respondents == 1
    assert roles["senior-leader"].overall_level == "emerging"
    assert roles[""].label == "Role not given" and roles[""].overall_level == "learning"


def test_each_bad_file_gets_its_own_message_and_the_others_still_count():
    good = as_file("good.json", {s: "mostly" for s in BANK.statements})
    older = json.loads(good["text"])
    older["bank_version"] = "1.0.0"
    triage = {"name": "triage.json", "text": json.dumps(export_record("ethics-triage", {}))}
    files = [good, dict(good, name="copy.json"), {"name": "broken.json", "text": "{not json"}, triage,
             {"name": "older.json", "text": json.dumps(older)}]
    result = team.combine_files(SELF_ASSESSMENT, files)
    notes = {n.file_name: n for n in result.files}
    assert result.respondents == 2
    assert notes["good.json"].counted and notes["older.json"].counted
    assert "version 1.0.0" in notes["older.json"].message
    assert not notes["copy.json"].counted and "same file as “good.json”" in notes["copy.json"].message
    assert not notes["broken.json"].counted and "not valid JSON" in notes["broken.json"].message
    assert not notes["triage.json"].counted and "not the Data maturity self-assessment" in notes["triage.json"].message


def test_the_team_file_holds_counts_and_levels_never_anyone_s_answers():
    files = [as_file("a.json", {**{s: "mostly" for s in BANK.statements}, TEAM: "Early help hub"})]
    response = json.loads(api.handle(json.dumps({"op": "team_combine", "files": files})))
    assert response["ok"] and response["counted"] == 1
    saved = json.loads(response["downloads"]["json"]["text"])
    assert saved["format"] == team.TEAM_FORMAT and saved["result"]["overall"]["level"] == "established"
    assert "Early help hub" not in response["downloads"]["json"]["text"]
    assert "answers" not in saved
    markdown = response["downloads"]["markdown"]["text"]
    assert markdown.startswith("# Data maturity: team view") and "median" in markdown
    assert f"| {BANK.components[0].name} | Established | 4.00 | 1 |" in markdown


def test_markup_in_file_names_and_answers_stays_text():
    files = [as_file('<img src=x onerror="x()">.json', {ROLE: "other", TEAM: "<script>x</script>"}), {"name": "<b>b</b>", "text": "["}]
    result = team.combine_files(SELF_ASSESSMENT, files)
    html = render_team_result(result)
    assert "<img src=x" not in html and "<b>b</b>" not in html and "&lt;b&gt;b&lt;/b&gt;" in html
    assert "<script>" not in team_markdown(result, "2026-12-01")


def test_two_dates_show_what_moved_earlier_first_whatever_the_order_chosen():
    earlier = team.export_team(team.combine_files(SELF_ASSESSMENT, [as_file("a.json", {s: "in-places" for s in BANK.statements})]),
                               created="2026-01-10T09:00:00Z")
    later_answers = {**{s: "in-places" for s in BANK.statements},
                     **{s.id: "mostly" for s in BANK.components[3].statements}}
    later = as_file("later.json", later_answers, created="2026-06-10T09:00:00Z")
    comparison = team.compare_files(SELF_ASSESSMENT, [later, {"name": "january.json", "text": json.dumps(earlier)}])
    assert comparison.earlier.file_name == "january.json" and comparison.earlier.kind == "team"
    assert comparison.later.kind == "single"
    moved = {c.id: c.moved for c in comparison.components}
    assert moved == {"using-data": 0, "attitudes": 0, "data-foundations": 0, "analytical-capacity": 2, "governance": 0}
    response = json.loads(api.handle(json.dumps({"op": "team_compare", "files": [
        later, {"name": "january.json", "text": json.dumps(earlier)}]})))
    assert response["ok"] and "Up 2 levels" in response["html"] and response["summary"].startswith("Compared: 1")


@pytest.mark.parametrize("files, words", [
    ([], "Choose two result files"),
    ([{"name": "a", "text": "{}"}], "Choose two result files"),
    ([{"name": "a.json", "text": "[]"}, {"name": "b.json", "text": "{}"}], "“a.json” could not be read"),
    ([{"name": "t.json", "text": json.dumps({"format": team.TEAM_FORMAT, "format_version": 1, "result": {}})},
      {"name": "b.json", "text": "{}"}], "damaged"),
    ([{"name": "t.json", "text": json.dumps({"format": team.TEAM_FORMAT, "format_version": 9, "result": {}})},
      {"name": "b.json", "text": "{}"}], "newer version"),
])
def test_files_that_cannot_be_compared_are_refused_in_plain_words(files, words):
    with pytest.raises(InputError, match=words):
        team.compare_files(SELF_ASSESSMENT, files)


def test_too_many_files_are_refused_before_any_is_read():
    with pytest.raises(InputError, match="up to 1,000"):
        team.combine_files(SELF_ASSESSMENT, [{"name": "x", "text": "{}"}] * (team.MAX_TEAM_FILES + 1))
