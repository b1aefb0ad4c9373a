"""Fields of working documents: reading them from a bank, checking answers, safe Markdown."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from assessments import BankError, InputError
from assessments.core.bank_reader import Fields
from assessments.core import document_fields as df


def _bank(*fields: dict, **section: object) -> Fields:
    return Fields("test.toml", "", {"sections": [{"id": "s", "title": "S", "fields": list(fields), **section}]})


TEXT = {"id": "name", "kind": "text", "label": "Name", "help": "Help.", "max_length": 10, "needed": True}
CHOICE = {"id": "colour", "kind": "choice", "label": "Colour", "help": "Help.",
          "options": [{"id": "red", "label": "Red"}, {"id": "blue", "label": "Blue"}]}
DATE = {"id": "when", "kind": "date", "label": "When", "help": "Help."}


def test_fields_are_read_with_their_flags_and_defaults():
    (section,) = df.parse_sections(_bank(TEXT, CHOICE, DATE, {**TEXT, "id": "notes", "kind": "paragraph",
                                                               "publish": False}), "needed")
    name, colour, when, notes = section.fields
    assert (name.required, name.max_length, name.rows, name.publish) == (True, 10, 1, True)
    assert (colour.required, colour.max_length, [o.id for o in colour.options]) == (False, 0, ["red", "blue"])
    assert when.kind == "date" and not when.is_free_text
    assert notes.rows == 4 and notes.publish is False and notes.is_free_text


@pytest.mark.parametrize(
    "field, where",
    [
        ({**TEXT, "kind": "essay"}, "sections[0].fields[0].kind"),
        ({**TEXT, "max_length": 0}, "sections[0].fields[0].max_length"),
        ({**TEXT, "max_length": df.MAX_FIELD_LENGTH + 1}, "sections[0].fields[0].max_length"),
        ({k: v for k, v in TEXT.items() if k != "max_length"}, "sections[0].fields[0].max_length"),
        ({**DATE, "max_length": 5}, "sections[0].fields[0].max_length"),
        ({**TEXT, "rows": 3}, "sections[0].fields[0].rows"),
        ({**CHOICE, "options": [{"id": "red", "label": "Red"}]}, "sections[0].fields[0].options"),
        ({**TEXT, "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}, "sections[0].fields[0].options"),
        ({**TEXT, "id": "Not Kebab"}, "sections[0].fields[0].id"),
        ({**TEXT, "needed": "yes"}, "sections[0].fields[0].needed"),
        ({k: v for k, v in TEXT.items() if k != "help"}, "sections[0].fields[0].help"),
    ],
)
def test_a_broken_field_names_the_file_and_field(field, where):
    with pytest.raises(BankError) as raised:
        df.parse_sections(_bank(field), "needed")
    assert raised.value.bank == "test.toml" and raised.value.where == where


def test_two_fields_with_one_id_are_refused():
    with pytest.raises(BankError, match="duplicate field id"):
        df.parse_sections(_bank(TEXT, TEXT), "needed")


def test_groups_must_be_known_and_in_order():
    bank = Fields("test.toml", "", {"sections": [
        {"id": "a", "title": "A", "part": "two", "fields": [TEXT]},
        {"id": "b", "title": "B", "part": "one", "fields": [{**TEXT, "id": "other"}]},
    ]})
    with pytest.raises(BankError) as raised:
        df.parse_sections(bank, "needed", group_key="part", groups=("one", "two"))
    assert raised.value.where == "sections[1].part"
    with pytest.raises(BankError, match="must be one of"):
        df.parse_sections(bank, "needed", group_key="part", groups=("one",))


FIELDS = {f.id: f for f in df.parse_sections(_bank(TEXT, CHOICE, DATE), "needed")[0].fields}


@pytest.mark.parametrize(
    "answers, words",
    [
        ([], "should be a list"),
        ({"nope": "x"}, "does not have"),
        ({1: "x"}, "does not have"),
        ({"name": 5}, "should be text"),
        ({"name": ["a"]}, "should be text"),
        ({"name": "x" * 11}, "too long (11 characters; at most 10)"),
        ({"colour": "green"}, "not one of the options (Red, Blue)"),
        ({"when": "14/03/2025"}, "not a date"),
        ({"when": "2025-02-30"}, "not a date"),
    ],
)
def test_bad_answers_are_refused_in_plain_words(answers, words):
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        df.validate_document_answers(answers, FIELDS, "this test")


def test_blanks_are_dropped_and_answers_come_back_in_bank_order():
    clean = df.validate_document_answers({"when": "2025-03-14", "colour": "red", "name": "  "}, FIELDS, "this test")
    assert list(clean) == ["colour", "when"]
    assert df.validate_document_answers({"name": None}, FIELDS, "this test") == {}


def test_answers_in_words():
    assert df.answer_words(FIELDS["colour"], "blue") == "Blue"
    assert df.answer_words(FIELDS["when"], "2025-03-14") == "14 March 2025"
    assert df.answer_words(FIELDS["name"], "Sam") == "Sam"


def test_the_schema_describes_every_field():
    schema = df.document_answers_schema(FIELDS)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["name"]["maxLength"] == 10
    assert schema["properties"]["colour"]["enum"] == ["red", "blue"]


# ------------------------------------------------------------------------- Markdown


@pytest.mark.parametrize(
    "typed, written",
    [
        ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)>"),
        ("[click](javascript:alert(1))", "\\[click](javascript:alert(1))"),
        ("![tracker](https://evil.example/x.png)", "!\\[tracker](https://evil.example/x.png)"),
        ("# Not a heading", "\\# Not a heading"),
        ("   ## Nor this", "\\## Nor this"),
        ("```\ncode", "\\```  \ncode"),
        ("Title\n===", "Title  \n\\==="),
        ("- one\n- two", "- one  \n- two"),
        ("First paragraph\n\nSecond", "First paragraph\n\nSecond"),
        ("Line one\r\nLine two", "Line one  \nLine two"),
        ("Q&A at 5 > 3", "Q&A at 5 > 3"),
    ],
)
def test_typed_text_becomes_markdown_that_cannot_be_markup(typed, written):
    assert df.markdown_text(typed) == written


def test_a_line_for_a_heading_is_one_line():
    assert df.markdown_line("  Two\nlines <b> ") == "Two lines &lt;b>"


@given(st.text(max_size=200))
def test_no_typed_text_can_open_a_tag_or_a_link(typed):
    written = df.markdown_text(typed)
    assert "<" not in written
    assert "[" not in written.replace("\\[", "")
    for line in written.split("\n"):
        assert not line.lstrip().startswith(("#", "```", "~~~"))
