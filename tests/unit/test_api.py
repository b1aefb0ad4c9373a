"""The worker's entry point: every request gets a JSON answer, never an exception."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assessments import api
from assessments.data_maturity.model import load_data_maturity_bank
from assessments.tools import get_tool

EXAMPLE = load_data_maturity_bank().examples[0]


def call(**request) -> dict:
    return json.loads(api.handle(json.dumps(request)))


def test_score_returns_result_html_and_summary():
    response = call(op="score", tool="data-maturity", answers=dict(EXAMPLE.answers), site_root="https://x.test/guide/")
    assert response["ok"]
    assert response["result"]["overall"]["level"] == "leading"
    assert "Leading" in response["html"]
    assert 'href="https://x.test/guide/guidance/explore/problem-identification/"' in response["html"]
    assert response["summary"] == "Result updated: overall Leading."
    assert response["inactive"] == []


def test_export_then_import_round_trips():
    exported = call(op="export", tool="data-maturity", answers=dict(EXAMPLE.answers))
    assert exported["file_name"].startswith("data-maturity-") and exported["file_name"].endswith(".json")
    imported = call(op="import", tool="data-maturity", text=exported["text"])
    assert imported["ok"] and imported["answers"] == dict(EXAMPLE.answers)


@pytest.mark.parametrize(
    "request_json, words",
    [
        ("not json", "went wrong"),
        ("[]", "not understood"),
        (json.dumps({"op": "score", "tool": "nope"}), "no tool called 'nope'"),
        (json.dumps({"op": "dance", "tool": "data-maturity"}), "Unknown request"),
        (json.dumps({"op": "score", "tool": "data-maturity", "answers": {"x": "y"}}), "does not have"),
    ],
)
def test_problems_come_back_as_plain_messages(request_json, words):
    response = json.loads(api.handle(request_json))
    assert response["ok"] is False
    assert words in response["error"]


def test_an_unexpected_fault_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr(api, "handle_request", lambda request: 1 / 0)
    response = json.loads(api.handle(json.dumps({"op": "score", "tool": "data-maturity"})))
    assert response["ok"] is False
    assert "ZeroDivisionError" in response["error"] and "unchanged" in response["error"]


def test_only_the_requests_that_score_resolve_the_tools_a_tool_summarises(monkeypatch):
    """The transparency record summarises test and monitor's thresholds: scoring, exporting and
    importing it need that tool, resolved once per request; carrying saved answers over to new
    questions and bringing in another tool's answers do not."""
    record = "transparency-record"
    answers = {"name": "Placement sufficiency dashboard"}
    saved_record = call(op="export", tool=record, answers=answers)["text"]
    triage_file = call(op="export", tool="ethics-triage",
                       answers=dict(get_tool("ethics-triage").load_bank().examples[0].answers))["text"]
    resolved = []
    real = api.context_tools_of
    monkeypatch.setattr(api, "context_tools_of", lambda tool: resolved.append(tool.slug) or real(tool))

    def resolved_for(**request) -> list[str]:
        resolved.clear()
        assert call(**request)["ok"]
        return list(resolved)

    for scoring in ({"op": "score", "answers": answers}, {"op": "export", "answers": answers},
                    {"op": "import", "text": saved_record}, {"op": "export_as", "format": "markdown", "answers": answers}):
        assert resolved_for(tool=record, **scoring) == [record], scoring["op"]
    assert resolved_for(op="upgrade", tool=record, answers=answers, bank_version=None) == []
    case = dict(get_tool("business-case").load_bank().examples[0].answers)
    assert resolved_for(op="bring_in", tool=record, source="business-case", source_answers=case, answers={}) == []
    # From a file, the other tool's record is read as its own import reads it: with its tools, not the record's.
    assert resolved_for(op="bring_in", tool=record, source="ethics-triage", text=triage_file, answers={}) == [
        "ethics-triage"]


def test_a_page_scoring_one_tool_imports_only_that_tools_modules():
    """Python's start in the browser is most of the wait for a first result, and importing
    every tool took most of that: a tool page loads its own modules and no others."""
    script = (
        "import json, sys\n"
        "from assessments import api\n"
        "before = {name for name in sys.modules if name.startswith('assessments.')}\n"
        "api.handle(json.dumps({'op': 'score', 'tool': 'data-maturity', 'answers': {}}))\n"
        "after = {name for name in sys.modules if name.startswith('assessments.')}\n"
        "print(json.dumps([sorted(before), sorted(after)]))\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    before, after = (set(names) for names in json.loads(ran.stdout))
    tools = {f"assessments.{name}" for name in ("data_maturity", "ethics_triage", "checklists", "ethics_workbook",
                                                   "user_needs", "business_case", "transparency_record",
                                                   "data_quality", "monitor", "project")}
    assert not before & tools
    assert after & tools == {"assessments.data_maturity"}
    assert "assessments.data_maturity.team" not in after
    assert "assessments.data_maturity.view" in after
