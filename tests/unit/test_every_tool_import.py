"""Every tool's import, fed arbitrary and hostile JSON, gives a clear answer.

Walks the registry, so a new tool is covered as soon as it is registered. "Clear" means
the page gets {"ok": true, ...} or a plain-words error, and never the fault message that
an unexpected exception in our own code produces.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from assessments import api
from assessments.core.records import RECORD_FORMAT
from support_records import export_record
from assessments.tools import TOOLS
from support_records import PAYLOAD, free_text_names, hostile_record

FAULT = "went wrong in this guide's own code"
SLUGS = sorted(TOOLS)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5),
    max_leaves=25,
)


def _import(slug: str, text: str) -> dict:
    return json.loads(api.handle(json.dumps({"op": "import", "tool": slug, "text": text})))


def _example_answers(slug: str) -> dict:
    return dict(TOOLS[slug].load_bank().examples[0].answers)


@pytest.mark.parametrize("slug", SLUGS)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=json_values)
def test_arbitrary_json_never_escapes_as_a_fault(slug, data):
    for candidate in (
        data,
        {"format": RECORD_FORMAT, "format_version": 1, "tool": slug, "bank_version": "1", "answers": data},
    ):
        response = _import(slug, json.dumps(candidate))
        assert response["ok"] or (response["error"] and FAULT not in response["error"])


@pytest.mark.parametrize("slug", SLUGS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=st.dictionaries(st.text(max_size=30), json_values, max_size=4))
def test_a_real_record_with_junk_answers_mixed_in_gives_a_clear_answer(slug, mutation):
    record = export_record(slug, _example_answers(slug))
    record["answers"] = {**record["answers"], **mutation}
    response = _import(slug, json.dumps(record))
    assert response["ok"] or (response["error"] and FAULT not in response["error"])


@pytest.mark.parametrize("slug", SLUGS)
def test_markup_in_an_accepted_file_comes_back_as_text(slug):
    record = hostile_record(slug)
    response = _import(slug, json.dumps(record))
    assert response["ok"], response.get("error")
    # Every free-text answer is given back exactly as typed, for the page to put in its fields.
    assert {k: v for k, v in response["answers"].items() if v == PAYLOAD} == \
        {k: PAYLOAD for k in free_text_names(slug, record["answers"])}
    assert "<script" not in response["html"] and "<img src=x" not in response["html"]
    if any(v == PAYLOAD for v in record["answers"].values()) and slug != "checklists":
        assert "&lt;img src=x" in response["html"]  # shown in the result, escaped


@pytest.mark.parametrize("slug", SLUGS)
def test_a_refused_file_names_its_markup_as_text(slug):
    record = export_record(slug, _example_answers(slug))
    record["answers"] = {**record["answers"], PAYLOAD: "yes"}
    response = _import(slug, json.dumps(record))
    assert not response["ok"]
    # A plain-words refusal that names the answer (perhaps shortened), not a fault; the
    # page shows it with textContent.
    assert PAYLOAD[:40] in response["error"] and FAULT not in response["error"]


@pytest.mark.parametrize("slug", SLUGS)
def test_oversized_and_wrong_version_files_are_refused(slug):
    huge = json.dumps({"format": RECORD_FORMAT, "format_version": 1, "tool": slug, "answers": {"x": "a" * 10_000_000}})
    assert "too large" in _import(slug, huge)["error"]
    future = export_record(slug, _example_answers(slug))
    future["format_version"] = 99
    assert "newer version" in _import(slug, json.dumps(future))["error"]
