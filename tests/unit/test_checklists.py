"""The stage checklists: their banks, answers, progress, worked examples and result view."""

from __future__ import annotations

import copy
import json
import tomllib
from importlib import resources

import pytest
from hypothesis import given, settings, strategies as st

from assessments import BankError, InputError
from assessments.checklists import model as cl
from assessments.core.bank_reader import Fields
from assessments.checklists.view import item_anchor, render_checklist_result, summarise_checklist_result
from support_records import export_record, import_record

BANK = cl.load_checklist_bank()
STAGES = ("exploratory", "problem-identification", "choose-a-solution", "ethics-triage", "design", "development",
          "testing", "pre-deployment", "deploy", "monitor", "retire")


def _raw(name: str) -> dict:
    return tomllib.loads(resources.files("assessments").joinpath("banks", name).read_text("utf-8"))


def _raw_stages() -> dict[str, dict]:
    return {slug: _raw(f"checklists/{slug}.toml") for slug in cl.stage_slugs(BANK)}


def _build(tool: dict, stages: dict[str, dict]) -> cl.ChecklistBank:
    return cl.build_checklist_bank(
        Fields("checklists.toml", "", tool),
        {slug: Fields(f"checklists/{slug}.toml", "", data) for slug, data in stages.items()},
    )


# -------------------------------------------------------------------------- banks


def test_every_stage_of_the_lifecycle_has_a_checklist_in_order():
    assert cl.stage_slugs(BANK) == STAGES
    assert [s.order for s in BANK.stages] == list(range(1, len(STAGES) + 1))
    assert [p.id for p in BANK.phases] == list(cl.PHASES)
    for stage in BANK.stages:
        assert stage.page.startswith(f"guidance/{stage.phase}/")
        assert stage.items and stage.key_question
        assert [s.kind for s in stage.sections] == [k for k in cl.KINDS if k in {s.kind for s in stage.sections}]


def test_the_checklists_bank_file_is_not_a_stage():
    assert "checklists" not in cl.stage_slugs(BANK)
    assert BANK.title == "Stage checklists"


def test_the_version_changes_when_any_stage_version_changes():
    stages = _raw_stages()
    assert _build(_raw("checklists.toml"), stages).version == BANK.version
    stages["monitor"]["version"] = "1.0.1"
    changed = _build(_raw("checklists.toml"), stages).version
    assert changed != BANK.version and changed.startswith("1.0.0+")


def _broken(stage: str, change) -> BankError:
    stages = _raw_stages()
    change(stages[stage])
    with pytest.raises(BankError) as raised:
        _build(_raw("checklists.toml"), stages)
    return raised.value


def _items(raw: dict, section: int = 0) -> list:
    return raw["sections"][section]["items"]


@pytest.mark.parametrize(
    "stage, change, field, words",
    [
        ("design", lambda raw: _items(raw)[1].__setitem__("id", _items(raw)[0]["id"]),
         "sections[0].items[1].id", "duplicate id"),
        ("design", lambda raw: _items(raw, 1)[0].__setitem__("id", _items(raw)[0]["id"]),
         "sections[1].items[0].id", "duplicate id"),
        ("testing", lambda raw: raw["sections"][1].__setitem__("kind", "musings"), "sections[1].kind", "must be one of"),
        ("testing", lambda raw: raw["sections"][2].__setitem__("kind", "actions"), "sections[2].kind", "one 'actions' section"),
        ("deploy", lambda raw: _items(raw)[0].update(link="tools/data-maturity.md", link_title=""),
         "sections[0].items[0].link_title", "needed with link"),
        ("deploy", lambda raw: _items(raw)[0].update(link="tools/data-maturity.md") or _items(raw)[0].pop("link_title", None),
         "sections[0].items[0].link_title", "needed with link"),
        ("monitor", lambda raw: raw.__setitem__("stage", "monitoring"), "stage", "same as the file name"),
        ("retire", lambda raw: raw.__setitem__("phase", "dismantle"), "phase", "must be one of"),
        ("retire", lambda raw: raw.__setitem__("order", 3), "order", "must run 1 to 11"),
        ("retire", lambda raw: raw.__setitem__("order", True), "order", "whole number"),
        ("exploratory", lambda raw: raw.pop("key_question"), "key_question", "missing field"),
        ("exploratory", lambda raw: _items(raw)[0].__setitem__("id", "Has Spaces"), "sections[0].items[0].id", "lower-case"),
        ("retire", lambda raw: raw.__setitem__("phase", "explore"), "phase", "phases must run"),
    ],
)
def test_an_invalid_stage_names_the_file_and_field(stage, change, field, words):
    problem = _broken(stage, change)
    assert problem.bank == f"checklists/{stage}.toml"
    assert problem.where == field
    assert words in problem.problem
    assert str(problem).startswith(f"checklists/{stage}.toml: {field}")


def test_an_invalid_example_names_the_example():
    tool = _raw("checklists.toml")
    tool["examples"][1]["answers"] = {"design--no-such-item": ["done"]}
    with pytest.raises(BankError) as raised:
        _build(tool, _raw_stages())
    assert (raised.value.bank, raised.value.where) == ("checklists.toml", "examples[1].answers")
    tool = _raw("checklists.toml")
    tool["examples"][0]["expected"]["next_stage"] = "nowhere"
    with pytest.raises(BankError, match=r"examples\[0\].expected.next_stage"):
        _build(tool, _raw_stages())


def test_the_loader_reads_the_files_in_the_package(monkeypatch):
    """A broken stage file on disk fails load_checklist_bank, naming the file."""
    original = cl.read_bank

    def broken(slug):
        fields = original(slug)
        if slug == "checklists/design":
            fields.data = copy.deepcopy(fields.data)
            del fields.data["sections"][0]["items"][2]["text"]
        return fields

    monkeypatch.setattr(cl, "read_bank", broken)
    cl.load_checklist_bank.cache_clear()
    try:
        with pytest.raises(BankError, match=r"^checklists/design.toml: sections\[0\].items\[2\].text: missing field"):
            cl.load_checklist_bank()
    finally:
        cl.load_checklist_bank.cache_clear()


# ------------------------------------------------------------------------ answers


@pytest.mark.parametrize("example", BANK.examples, ids=lambda e: e.name)
def test_every_worked_example_scores_as_the_bank_says(example):
    result = cl.score_checklists(example.answers)
    assert result.next_stage == example.expected_next_stage
    assert result.complete_stages == example.expected_complete_stages
    for stage, status in example.expected_statuses.items():
        assert result.stage(stage).status == status, stage


def test_examples_cover_every_status_and_the_end_of_the_lifecycle():
    statuses = {status for e in BANK.examples for status in e.expected_statuses.values()}
    assert statuses == set(cl.STATUSES)
    assert any(e.expected_next_stage is None for e in BANK.examples)


def test_progress_is_counted_per_stage_per_kind_and_for_the_lifecycle():
    design = BANK.stage("design")
    actions = design.sections[0]
    answers = {cl.done_name("design", item.id): ["done"] for item in actions.items[:3]}
    answers[cl.note_name("design", actions.items[5].id)] = "Ask the IG team."
    result = cl.score_checklists(answers)
    progress = result.stage("design")
    assert (progress.done, progress.total, progress.notes) == (3, len(design.items), 1)
    assert progress.kinds[0].to_dict() == {"kind": "actions", "title": "Actions", "done": 3, "total": len(actions.items)}
    assert progress.open_gates == tuple(i.id for s in design.sections if s.kind == "gates" for i in s.items)
    assert (result.done, result.total) == (3, BANK.total_items)
    assert progress.status == "in-progress"


def test_answers_come_back_in_lifecycle_order_without_empty_ones():
    last, first = BANK.stages[-1].items[0], BANK.stages[0].items[0]
    clean = cl.validate_checklist_answers({
        cl.done_name("retire", last.id): ["done"],
        cl.note_name("exploratory", first.id): "A note",
        cl.done_name("exploratory", first.id): [],
        cl.note_name("retire", last.id): "",
    })
    assert list(clean) == [cl.note_name("exploratory", first.id), cl.done_name("retire", last.id)]


FIRST = BANK.stages[0].items[0]


@pytest.mark.parametrize(
    "answers, words",
    [
        ({"design--no-such-item": ["done"]}, "do not have"),
        ({"<script>": ["done"]}, "do not have"),
        ({f"exploratory--{FIRST.id}": True}, "ticked or not"),
        ({f"exploratory--{FIRST.id}": ["yes"]}, "ticked or not"),
        ({f"exploratory--{FIRST.id}": "done"}, "ticked or not"),
        ({f"exploratory--{FIRST.id}--note": ["text"]}, "should be text"),
        ({f"exploratory--{FIRST.id}--note": "x" * (cl.MAX_NOTE_CHARACTERS + 1)}, "up to 5,000 characters"),
        (["done"], "should be"),
    ],
)
def test_bad_answers_are_refused_in_plain_words(answers, words):
    with pytest.raises(InputError, match=words):
        cl.validate_checklist_answers(answers)


def test_a_note_at_the_limit_is_accepted():
    name = cl.note_name("exploratory", FIRST.id)
    assert cl.validate_checklist_answers({name: "x" * cl.MAX_NOTE_CHARACTERS})[name]


NAMES = sorted(name for s in BANK.stages for i in s.items for name in (cl.done_name(s.slug, i.id), cl.note_name(s.slug, i.id)))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.one_of(st.sampled_from(NAMES), st.text(max_size=30)),
        st.one_of(st.just(["done"]), st.lists(st.text(max_size=5), max_size=2), st.text(max_size=50), st.integers(),
                  st.booleans(), st.none()),
        max_size=40,
    )
)
def test_any_answers_give_a_valid_result_or_a_clear_error(answers):
    try:
        result = cl.score_checklists(answers)
    except InputError as problem:
        assert str(problem)
        return
    assert sum(p.done for p in result.stages) == result.done <= result.total == BANK.total_items
    for progress in result.stages:
        assert 0 <= progress.done <= progress.total
        assert progress.status in cl.STATUSES
        assert sum(k.done for k in progress.kinds) == progress.done
    assert result.next_stage is None or BANK.has_stage(result.next_stage)
    json.dumps(result.to_dict())


# ------------------------------------------------------------------------ records


def test_export_and_import_round_trip_the_whole_lifecycle():
    example = next(e for e in BANK.examples if any(k.endswith("--note") for k in e.answers))
    record = export_record("checklists", dict(example.answers), created="2026-11-24T10:00:00Z")
    assert record["bank_version"] == BANK.version
    imported = import_record("checklists", json.dumps(record))
    assert imported.answers == dict(example.answers)
    # The result loaded from the file is the one the bank's worked example says.
    assert imported.result.next_stage == example.expected_next_stage
    statuses = {progress.stage: progress.status for progress in imported.result.stages}
    assert example.expected_statuses and statuses.items() >= dict(example.expected_statuses).items()
    assert imported.notes == ()


def test_a_file_with_an_item_these_checklists_do_not_have_is_refused():
    record = export_record("checklists", {}, created="2026-11-24T10:00:00Z")
    record["answers"] = {"design--an-item-from-elsewhere": ["done"]}
    with pytest.raises(InputError, match="do not have"):
        import_record("checklists", json.dumps(record))


# --------------------------------------------------------------------------- view


def test_a_stage_view_shows_this_stage_its_open_gates_and_the_lifecycle():
    design = BANK.stage("design")
    answers = {cl.done_name("design", design.items[0].id): ["done"]}
    html = render_checklist_result(cl.score_checklists(answers), "../../../", "design")
    assert f"1 of {len(design.items)} done" in html
    assert "Still to do before moving on" in html
    gate = next(s for s in design.sections if s.kind == "gates").items[0]
    assert f'href="#{item_anchor("design", "design", gate.id)}"' in html
    assert 'href="../../../guidance/explore/exploratory/"' in html
    assert html.count("<tr") == len(BANK.stages) + len(BANK.phases) + 1
    assert 'aria-hidden="true"' in html and "In progress" in html and "(this stage)" in html


def test_the_lifecycle_view_and_summary_name_the_stage_to_focus_on():
    example = next(e for e in BANK.examples if e.expected_next_stage == "design")
    result = cl.score_checklists(example.answers)
    html = render_checklist_result(result, "", "")
    assert "Stage to focus on next: Design." in html
    assert "(this stage)" not in html
    assert summarise_checklist_result(result).startswith("Result updated: ")
    done = cl.score_checklists(next(e for e in BANK.examples if e.expected_next_stage is None).answers)
    assert "Every item of every stage is ticked" in render_checklist_result(done, "", "")


def test_text_from_the_banks_is_escaped_in_the_view():
    stages = _raw_stages()
    stages["design"]["stage_name"] = "<b>Design</b>"
    next(s for s in stages["design"]["sections"] if s["kind"] == "gates")["items"][0]["text"] = "<img src=x>"
    bank = _build(_raw("checklists.toml"), stages)
    html = render_checklist_result(cl.score_checklists({}, bank), "", "design", bank)
    assert "<b>" not in html and "<img" not in html
    assert "&lt;b&gt;Design&lt;/b&gt;" in html and "&lt;img src=x&gt;" in html
