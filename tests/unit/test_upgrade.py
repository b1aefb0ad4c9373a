"""Upgrading saved answers across versions of the questions (assessments/core/upgrade.py).

The migration steps here are written as a bank would write them (TOML) and read by the
bank's own reader, then stand in for the tool's real (empty) list of steps.
"""

from __future__ import annotations

import tomllib

import pytest

from assessments import BankError, InputError
from assessments.core import upgrade
from assessments.tools import TOOLS
from support_build import load_build_module

released_ids = load_build_module("released_ids")

MATURITY = TOOLS["data-maturity"]
CHECKLISTS = TOOLS["checklists"]
USER_NEEDS = TOOLS["user-needs"]

MATURITY_STEP = """
[[migrations]]
from = "0.9.0"
to = "1.0.0"
renamed_questions = { "senior-leaders" = "leaders-use-data" }
renamed_options = { "leaders-use-data" = { "sometimes" = "partly", "often" = "mostly" } }
[[migrations.removed]]
id = "board-reports"
text = "The board sees a data report every month"
reason = "it asked the same as the question on senior leaders."
[[migrations.removed]]
id = "managers-use-performance-data"
option = "unsure"
text = "Unsure"
reason = "it meant the same as \\u201cDon't know\\u201d."
"""


def steps(text: str, prefix: str = "") -> tuple[upgrade.MigrationStep, ...]:
    data = tomllib.loads(text)
    return tuple(upgrade._read_step("test.toml", f"migrations[{n}]", step, prefix)
                 for n, step in enumerate(data["migrations"]))


@pytest.fixture
def migrations(monkeypatch):
    """Give tools the steps a test writes: migrations({slug: steps})."""
    def use(by_slug):
        monkeypatch.setattr(upgrade, "bank_migrations", lambda slug: by_slug.get(slug, ()))
    return use


def test_renamed_questions_and_options_carry_over_and_removed_ones_are_named_with_their_reason(migrations):
    migrations({"data-maturity": steps(MATURITY_STEP)})
    saved = {"senior-leaders": "sometimes", "board-reports": "yes", "managers-use-performance-data": "unsure",
             "practitioners-see-data": "mostly"}
    done = upgrade.upgrade_answers(MATURITY, saved, "0.9.0")
    assert done.answers == {"leaders-use-data": "partly", "practitioners-see-data": "mostly"}
    assert done.left_out == (
        "Your answer to \u201cThe board sees a data report every month\u201d no longer applies and was left out: "
        "it asked the same as the question on senior leaders.",
        "The option \u201cUnsure\u201d you chose no longer exists and was left out: it meant the same as "
        "\u201cDon't know\u201d.",
    )
    assert done.unexplained == ()
    # Steps already behind the saved version are not applied again.
    assert upgrade.upgrade_answers(MATURITY, {"practitioners-see-data": "mostly"}, "1.0.0").left_out == ()


def test_a_checklist_item_removed_from_a_stage_file_takes_its_note_with_it_in_one_line(migrations):
    stage = CHECKLISTS.load_bank().stages[0]
    item = stage.items[0].id
    migrations({"checklists": steps(f"""
[[migrations]]
from = "0.9.0"
to = "1.0.0"
renamed_questions = {{ "old-item" = "{item}" }}
[[migrations.removed]]
id = "gone-item"
text = "An item since removed"
reason = "the guidance no longer asks for it."
""", prefix=f"{stage.slug}--")})
    saved = {f"{stage.slug}--old-item": ["done"], f"{stage.slug}--old-item--note": "Done in May",
             f"{stage.slug}--gone-item": ["done"], f"{stage.slug}--gone-item--note": "Asked IG"}
    done = upgrade.upgrade_answers(CHECKLISTS, saved, "0.9.0+12345678")
    assert done.answers == {f"{stage.slug}--{item}": ["done"], f"{stage.slug}--{item}--note": "Done in May"}
    assert done.left_out == ("Your answer to \u201cAn item since removed\u201d no longer applies and was left out: "
                             "the guidance no longer asks for it.",)


def test_a_renamed_field_of_repeating_rows_is_renamed_in_every_row(migrations):
    migrations({"user-needs": steps("""
[[migrations]]
from = "0.9.0"
to = "1.0.0"
renamed_questions = { "row-{n}--who" = "row-{n}--user" }
""")})
    saved = {"row-1--who": "Social worker", "row-12--who": "Team manager", "row-1--objective": "Plan visits"}
    done = upgrade.upgrade_answers(USER_NEEDS, saved, "0.9.0")
    # (The table's own validator then numbers the rows 1, 2, … again.)
    assert done.answers == {"row-1--user": "Social worker", "row-2--user": "Team manager",
                            "row-1--objective": "Plan visits"}


def test_answers_that_cannot_be_used_are_left_out_one_by_one_and_the_rest_still_give_a_result():
    saved = {"leaders-use-data": ["mostly"], "practitioners-see-data": "mostly", "question-nobody-knows": "yes",
             "managers-use-performance-data": "not-an-option"}
    done = upgrade.upgrade_answers(MATURITY, saved, None)
    assert done.answers == {"practitioners-see-data": "mostly"}
    assert MATURITY.score(done.answers) is not None
    notice = done.notice
    assert "\u201cquestion-nobody-knows\u201d" in notice and "\u201cnot-an-option\u201d" in notice
    assert "could not be used and was left out" in notice  # the list where one answer was expected
    assert done.unexplained == ("question-nobody-knows", "managers-use-performance-data=not-an-option")


def test_what_is_not_answers_at_all_gives_no_answers_and_says_so():
    done = upgrade.upgrade_answers(MATURITY, ["not", "answers"], "1.0.0")
    assert done.answers == {}
    assert done.left_out == ("Your saved answers could not be read, so none of them could be used.",)


def test_strict_refuses_what_lenient_leaves_out():
    with pytest.raises(InputError):
        upgrade.upgrade_answers(MATURITY, {"question-nobody-knows": "yes"}, MATURITY.version, strict=True)


@pytest.mark.parametrize("text, where", [
    ('[[migrations]]\nfrom = "1.0.0"\nto = "0.9.0"', "migrations[0].to"),
    ('[[migrations]]\nfrom = "x"\nto = "1.0.0"', "migrations[0].from"),
    ('[[migrations]]\nfrom = "0.9.0"\nto = "1.0.0"\nrenamed = { a = "b" }', "migrations[0].renamed"),
    ('[[migrations]]\nfrom = "0.9.0"\nto = "1.0.0"\n[[migrations.removed]]\nid = "a"\ntext = "A"',
     "migrations[0].removed[0].reason"),
    ('[[migrations]]\nfrom = "0.9.0"\nto = "1.0.0"\nrenamed_questions = { "A b" = "c" }',
     "migrations[0].renamed_questions.A b"),
    ('[[migrations]]\nfrom = "0.9.0"\nto = "1.0.0"\nmerged_questions = { a = "b" }\nmerged_labels = { c = "C" }',
     "migrations[0].merged_labels.c"),
    ('[[migrations]]\nfrom = "0.9.0"\nto = "1.0.0"\nmerged_questions = { a = "b" }\nmerged_labels = { a = " " }',
     "migrations[0].merged_labels.a"),
    ('[[migrations]]\nfrom = "0.9.0"\nto = "1.0.0"\nmerged_labels = "A"', "migrations[0].merged_labels"),
])
def test_a_badly_written_migration_fails_naming_the_field(text, where):
    with pytest.raises(BankError, match=f"test.toml.*{where.replace('[', '.').replace(']', '.')}"):
        steps(text)


# ------------------------------------------------------------- the build's release check


def frozen_with(tool, **extra_answers):
    ids = released_ids.answer_ids(tool)
    return {"version": "0.9.0", "answers": {**ids["answers"], **extra_answers}}


def test_the_real_banks_carry_every_released_id_over():
    assert released_ids.check_released(TOOLS) == []


def test_a_released_id_gone_without_a_migration_fails_the_build_naming_it(migrations):
    migrations({})
    problems = released_ids.release_problems(MATURITY, frozen_with(MATURITY, **{"board-reports": ["yes", "no"]}))
    assert len(problems) == 1 and "'board-reports' (released in version 0.9.0) is gone" in problems[0]
    frozen = frozen_with(MATURITY)
    frozen["answers"]["leaders-use-data"] = [*frozen["answers"]["leaders-use-data"], "sometimes"]
    problems = released_ids.release_problems(MATURITY, frozen)
    assert problems == [released_ids.release_problems(MATURITY, frozen)[0]]
    assert "option 'sometimes' of 'leaders-use-data'" in problems[0]


def test_a_migration_for_each_changed_id_passes_and_an_unraised_version_does_not(migrations):
    migrations({"data-maturity": steps(MATURITY_STEP)})
    frozen = frozen_with(MATURITY, **{"board-reports": ["yes"], "senior-leaders": ["sometimes", "often"]})
    del frozen["answers"]["leaders-use-data"]
    assert released_ids.release_problems(MATURITY, frozen) == []
    frozen["version"] = MATURITY.version
    assert any("did not rise" in problem for problem in released_ids.release_problems(MATURITY, frozen))


NEEDS_MERGE = """
[[migrations]]
from = "0.9.0"
to = "1.0.0"
note = "The notes and the comments are now one field."
merged_questions = { "row-{n}--notes" = "row-{n}--needs", "row-{n}--comments" = "row-{n}--needs" }
"""


def test_merged_questions_join_their_texts_into_one_field_the_new_fields_own_first(migrations):
    migrations({"user-needs": steps(NEEDS_MERGE)})
    saved = {"row-1--user": "Social workers", "row-1--needs": "Caseloads.", "row-1--notes": "Weekly.",
             "row-1--comments": "Asked in March.", "row-2--user": "Managers", "row-2--notes": "Monthly."}
    done = upgrade.upgrade_answers(USER_NEEDS, saved, "0.9.0")
    assert done.answers["row-1--needs"] == "Caseloads.\n\nWeekly.\n\nAsked in March."
    assert done.answers["row-2--needs"] == "Monthly."  # an empty field just takes the old text
    assert not any(name.endswith(("--notes", "--comments")) for name in done.answers)
    assert done.carried == ("The notes and the comments are now one field.",) and done.left_out == ()
    # The same text twice is kept once; with nothing to carry over, the reader is told nothing.
    same = upgrade.upgrade_answers(USER_NEEDS, {"row-1--user": "A", "row-1--needs": "X", "row-1--notes": "X"}, "0.9.0")
    assert same.answers == {"row-1--user": "A", "row-1--needs": "X"}
    assert upgrade.upgrade_answers(USER_NEEDS, {"row-1--user": "A"}, "0.9.0").carried == ()


LABELLED_MERGE = NEEDS_MERGE.replace('note = "The notes and the comments are now one field."',
                                     'merged_labels = { "row-{n}--needs" = "Needs", "row-{n}--notes" = "Notes", '
                                     '"row-{n}--comments" = "Comments" }')


def test_merged_labels_keep_each_text_under_the_name_it_was_written_under(migrations):
    migrations({"user-needs": steps(LABELLED_MERGE)})
    saved = {"row-1--user": "Social workers", "row-1--needs": "Caseloads.", "row-1--comments": "Asked in March.",
             "row-1--notes": "Weekly.", "row-2--user": "Managers", "row-2--comments": "Monthly."}
    done = upgrade.upgrade_answers(USER_NEEDS, saved, "0.9.0")
    # The field's own text first, then the merged ones in the migration's order, whatever the saved order.
    assert done.answers["row-1--needs"] == "Needs: Caseloads.\n\nNotes: Weekly.\n\nComments: Asked in March."
    assert done.answers["row-2--needs"] == "Comments: Monthly."  # alone, still under its old name
    assert done.notes == ()  # this step has no note to tell


def test_a_question_both_renamed_and_merged_is_refused_naming_it():
    with pytest.raises(BankError, match="merged_questions.a"):
        steps('[[migrations]]\nfrom = "1.0.0"\nto = "1.1.0"\nrenamed_questions = { a = "b" }\n'
              'merged_questions = { a = "c" }\n')


def test_a_renamed_option_is_named_by_its_question_text_not_its_id(migrations):
    migrations({"data-maturity": steps(MATURITY_STEP)})
    done = upgrade.upgrade_answers(MATURITY, {"senior-leaders": "often"}, "0.9.0")
    text = MATURITY.answers_schema(MATURITY.load_bank())["properties"]["leaders-use-data"]["description"]
    assert done.carried == (f"Your answer to \u201c{text}\u201d was carried over: the option you chose has a new name.",)
    assert "leaders-use-data" not in done.carried[0]


def test_a_migration_that_moves_an_id_the_current_questions_still_have_fails_the_build(migrations):
    migrations({"transparency-record": steps(
        '[[migrations]]\nfrom = "1.0.0"\nto = "2.0.0"\nmerged_questions = { "name" = "description" }\n')})
    tool = TOOLS["transparency-record"]
    problems = released_ids.release_problems(tool, released_ids.answer_ids(tool))
    assert problems == [problems[0]] and "'name' is renamed or merged" in problems[0]


def test_a_merge_into_a_field_the_bank_does_not_have_fails_the_build_naming_the_id(migrations):
    migrations({"transparency-record": steps(
        '[[migrations]]\nfrom = "1.0.0"\nto = "2.0.0"\nmerged_questions = { "website" = "nowhere" }\n')})
    tool = TOOLS["transparency-record"]
    frozen = {"version": "1.0.0", "answers": {"website": None}}
    problems = released_ids.release_problems(tool, frozen)
    assert len(problems) == 1 and "'nowhere'" in problems[0]
