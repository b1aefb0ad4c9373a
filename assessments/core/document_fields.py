"""Working documents as data: the fields of a business case or a transparency record.

A working document is a list of sections, each a list of fields. Every field is a named
table in the tool's bank: an `id` (the answer's key), a `label`, `help`, a `kind` and,
for free text, a `max_length`, plus a flag saying whether the document needs it (the
name of that flag is the bank's own: `required_for_sign_off`, `required`). A list's flag
says whether the document needs an entry at all; each part of its entries carries the
flag too, saying whether every entry written needs that part. This module
reads and validates those fields, checks answers against them, describes the answers
as JSON Schema, and writes answers as plain words or as safe Markdown, so each tool
holds only what is its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from .bank_reader import Fields
from .dates import check_date_answer, date_words
from .errors import InputError
from .links import Link, page_href

__all__ = [
    "FIELD_KINDS",
    "MAX_FIELD_LENGTH",
    "Option",
    "DocumentField",
    "DocumentSection",
    "parse_sections",
    "parse_links",
    "validate_document_answers",
    "document_answers_schema",
    "answer_words",
    "entry_key",
    "entry_of",
    "list_entries",
    "numbered_entries",
    "empty_required_parts",
    "date_words",
    "markdown_text",
    "markdown_line",
    "shorten",
]

# text: one line; paragraph: a box of several lines; choice: one of the options
# (radio buttons); date: a calendar date (year-month-day); list: entries a reader adds
# (one impact assessment, one risk...), each with its own `entry_fields`.
FIELD_KINDS = ("text", "paragraph", "choice", "date", "list")
_FREE_TEXT = ("text", "paragraph")
_ENTRY_KINDS = ("text", "paragraph", "date")
# An entry's answers are named "<list id>-<entry number>--<entry field id>", as the
# form's rows (overrides/assets/js/cssc-repeater.js numbers them 1, 2, 3...).
_ENTRY_KEY = re.compile(r"^([a-z0-9-]+?)-([1-9][0-9]{0,3})--([a-z0-9-]+)$")
MAX_ENTRIES_LIMIT = 50
# No field may allow more than this: with every field full, a record stays well inside
# records.MAX_RECORD_BYTES (5 MB), so a real file is never refused as too large.
MAX_FIELD_LENGTH = 20_000


@dataclass(frozen=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True)
class DocumentField:
    """One field of a working document, as its bank describes it."""

    id: str
    section: str
    kind: str  # one of FIELD_KINDS
    label: str
    help: str
    max_length: int  # free text only; 0 for choices and dates
    required: bool  # needed before the document is finished (sign-off, publication)
    options: tuple[Option, ...] = ()
    rows: int = 1  # paragraph fields: the height of the box
    publish: bool = True  # False: kept in the record but left out of published text
    # The field's number in a published standard the document follows ("2.1.1"), or "".
    standard_ref: str = ""
    # kind "list" only: what one entry holds, what to call it, and how many there may be
    # (`blank_entries` show without JavaScript).
    entry_fields: tuple["DocumentField", ...] = ()
    item_name: str = ""
    max_entries: int = 0
    blank_entries: int = 0

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    def entry_field(self, entry_field_id: str) -> "DocumentField | None":
        return next((f for f in self.entry_fields if f.id == entry_field_id), None)

    @property
    def is_free_text(self) -> bool:
        return self.kind in _FREE_TEXT


@dataclass(frozen=True)
class DocumentSection:
    id: str
    title: str
    intro: str
    links: tuple[Link, ...]
    fields: tuple[DocumentField, ...]
    group: str = ""  # e.g. the tier of a transparency record section

    def hrefs(self, site_root: str = "") -> tuple[tuple[str, str], ...]:
        """(title, URL) of the section's links, for the form template."""
        return tuple((link.title, page_href(link.target, site_root)) for link in self.links)


def parse_links(fields: Fields) -> tuple[Link, ...]:
    """`links = [{ title = "...", target = "explainers/....md" }]` (optional)."""
    return tuple(Link(f.text("title"), f.text("target")) for f in fields.tables("links", required=False))


def parse_sections(bank: Fields, required_key: str, *, group_key: str = "",
                   groups: tuple[str, ...] = ()) -> tuple[DocumentSection, ...]:
    """Read `[[sections]]` with their `[[sections.fields]]`. Raises BankError naming the field.

    `required_key` is the name of the bank's "needed" flag. With `group_key`, every
    section must name one of `groups` in that key, and the groups must come in order.
    """
    section_tables = bank.tables("sections")
    bank.unique_ids(section_tables)
    sections: list[DocumentSection] = []
    seen: set[str] = set()
    last_group = 0
    for s in section_tables:
        group = ""
        if group_key:
            group = s.ident(group_key)
            if group not in groups:
                raise s.fail(group_key, f"'{group}' must be one of {', '.join(groups)}")
            if groups.index(group) < last_group:
                raise s.fail(group_key, f"sections of '{group}' must come before those of '{groups[last_group]}'")
            last_group = groups.index(group)
        fields = []
        for f in s.tables("fields"):
            field = _parse_field(f, s.ident(), required_key)
            if field.id in seen:
                raise f.fail("id", f"duplicate field id '{field.id}' (ids must be unique in the bank)")
            seen.add(field.id)
            fields.append(field)
        sections.append(DocumentSection(s.ident(), s.text("title"), s.optional_text("intro"), parse_links(s),
                                        tuple(fields), group))
    return tuple(sections)


def _parse_field(f: Fields, section: str, required_key: str, kinds: tuple[str, ...] = FIELD_KINDS) -> DocumentField:
    kind = f.text("kind")
    if kind not in kinds:
        raise f.fail("kind", f"must be one of {', '.join(kinds)}")
    if kind == "list":
        return _parse_list_field(f, section, required_key)
    if "entry_fields" in f.data:
        raise f.fail("entry_fields", f"only a list field has entry fields, not a {kind} field")
    option_tables = f.tables("options", required=kind == "choice")
    if kind != "choice" and option_tables:
        raise f.fail("options", f"a {kind} field has no options")
    if kind == "choice" and len(option_tables) < 2:
        raise f.fail("options", "needs at least two options")
    f.unique_ids(option_tables)
    options = tuple(Option(o.ident(), o.text("label")) for o in option_tables)
    if kind in _FREE_TEXT:
        max_length = f.integer("max_length")
        if not 1 <= max_length <= MAX_FIELD_LENGTH:
            raise f.fail("max_length", f"must be between 1 and {MAX_FIELD_LENGTH:,}")
    elif "max_length" in f.data:
        raise f.fail("max_length", f"only free text has a maximum length, not a {kind} field")
    else:
        max_length = 0
    rows = f.integer("rows", 4 if kind == "paragraph" else 1)
    if kind != "paragraph" and "rows" in f.data:
        raise f.fail("rows", "only a paragraph field has rows")
    if not 1 <= rows <= 30:
        raise f.fail("rows", "must be between 1 and 30")
    return DocumentField(f.ident(), section, kind, f.text("label"), f.text("help"), max_length,
                         f.flag(required_key) if required_key else False, options, rows, f.flag("publish", True),
                         f.optional_text("standard_ref"))


def _parse_list_field(f: Fields, section: str, required_key: str) -> DocumentField:
    entry_tables = f.tables("entry_fields")
    f.unique_ids(entry_tables)
    entries = tuple(_parse_field(e, section, required_key, _ENTRY_KINDS) for e in entry_tables)
    for table in entry_tables:
        # Each part says whether every entry needs it: the list's own flag says only
        # whether the list needs an entry at all (a tool with no model needs no model).
        if required_key and required_key not in table.data:
            raise table.fail(required_key, "each part of an entry must say whether it is needed (true or false)")
    max_entries = f.integer("max_entries")
    if not 1 <= max_entries <= MAX_ENTRIES_LIMIT:
        raise f.fail("max_entries", f"must be between 1 and {MAX_ENTRIES_LIMIT}")
    blank = f.integer("blank_entries", 1)
    if not 1 <= blank <= max_entries:
        raise f.fail("blank_entries", "must be between 1 and max_entries")
    return DocumentField(f.ident(), section, "list", f.text("label"), f.text("help"), 0, f.flag(required_key),
                         publish=f.flag("publish", True), standard_ref=f.optional_text("standard_ref"),
                         entry_fields=entries, item_name=f.text("item_name"), max_entries=max_entries,
                         blank_entries=blank)


def entry_key(list_id: str, number: int | str, entry_field_id: str) -> str:
    """The answer name of one part of one entry of a list field."""
    return f"{list_id}-{number}--{entry_field_id}"


def _entry_of(key: str, fields: Mapping[str, DocumentField]) -> tuple[DocumentField, int, DocumentField] | None:
    """(list field, entry number, entry field) for an entry's answer name, or None."""
    match = _ENTRY_KEY.match(key)
    if not match:
        return None
    field = fields.get(match.group(1))
    if field is None or field.kind != "list":
        return None
    number = int(match.group(2))
    part = field.entry_field(match.group(3))
    if part is None or number > field.max_entries:
        return None
    return field, number, part


# Public name: other modules name an entry's part from its answer name.
entry_of = _entry_of


def numbered_entries(field: DocumentField, answers: Mapping[str, str]) -> list[tuple[int, dict[str, str]]]:
    """The list's entries that hold anything, in order, with the number in their answers'
    names (the form's "Model 2" is "model-specifications-2--..."): [(number, {part id: answer})]."""
    numbers = sorted({int(m.group(2)) for key in answers if (m := _ENTRY_KEY.match(key)) and m.group(1) == field.id})
    entries = []
    for number in numbers:
        entry = {part.id: answers[entry_key(field.id, number, part.id)] for part in field.entry_fields
                 if entry_key(field.id, number, part.id) in answers}
        if entry:
            entries.append((number, entry))
    return entries


def list_entries(field: DocumentField, answers: Mapping[str, str]) -> list[dict[str, str]]:
    """The list's entries that hold anything, in order: [{entry field id: answer}]."""
    return [entry for _, entry in numbered_entries(field, answers)]


def empty_required_parts(field: DocumentField, answers: Mapping[str, str]) -> tuple[str, ...]:
    """Answer names of the needed parts still empty in the entries that hold anything:
    an entry once started needs every part its bank marks needed."""
    return tuple(entry_key(field.id, number, part.id) for number, entry in numbered_entries(field, answers)
                 for part in field.entry_fields if part.required and part.id not in entry)


# ------------------------------------------------------------------------- answers


def shorten(value: object, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def validate_document_answers(answers: Any, fields: Mapping[str, DocumentField], title: str) -> dict[str, str]:
    """Check answers are {field id: text, option id or date}. Raises InputError in plain words.

    Blank answers are dropped; the answers come back in the bank's order, so records
    are stable. `title` names the document in messages ("this business case").
    """
    if not isinstance(answers, dict):
        raise InputError("The answers should be a list of fields and what was written in each.")
    clean: dict[str, str] = {}
    order: dict[str, tuple[int, int, int]] = {}
    positions = {fid: index for index, fid in enumerate(fields)}
    for key, value in answers.items():
        field = fields.get(key) if isinstance(key, str) else None
        entry = _entry_of(key, fields) if isinstance(key, str) and field is None else None
        if entry:
            list_field, number, field = entry
            order[key] = (positions[list_field.id], number, list_field.entry_fields.index(field))
        elif field is None or field.kind == "list":
            raise InputError(f"There is an answer to a field {title} does not have: '{shorten(key)}'.")
        else:
            order[key] = (positions[key], 0, 0)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        clean[key] = _clean_answer(field, value)
    return dict(sorted(clean.items(), key=lambda item: order[item[0]]))


def _clean_answer(field: DocumentField, value: Any) -> str:
    name = f"\u2018{shorten(field.label)}\u2019"
    if not isinstance(value, str):
        raise InputError(f"The answer to {name} should be text.")
    if field.kind == "choice":
        if value not in {o.id for o in field.options}:
            labels = ", ".join(o.label for o in field.options)
            raise InputError(f"The answer to {name} is not one of the options ({labels}).")
        return value
    if field.kind == "date":
        return check_date_answer(value, name)
    if len(value) > field.max_length:
        raise InputError(f"The answer to {name} is too long ({len(value):,} characters; at most "
                         f"{field.max_length:,}). Shorten it, or keep the detail in a document of its own "
                         "and refer to it here.")
    return value


def document_answers_schema(fields: Mapping[str, DocumentField]) -> dict[str, Any]:
    """JSON Schema of the answers, as `validate_document_answers` leaves them."""
    properties: dict[str, Any] = {}
    patterns: dict[str, Any] = {}
    for fid, field in fields.items():
        if field.kind == "list":
            for part in field.entry_fields:
                # Entry numbers spelt out (ids are kebab-case: nothing to escape), as the
                # user needs table's rows are.
                numbers = "|".join(str(number) for number in range(1, field.max_entries + 1))
                pattern = f"^{fid}-({numbers})--{part.id}$"
                patterns[pattern] = {**_value_schema(part), "description": f"{field.label}: {part.label}"}
            continue
        properties[fid] = {**_value_schema(field), "description": field.label}
    schema: dict[str, Any] = {
        "type": "object",
        "description": "Field id -> what was written (text, an option id or a date); a list's entries are "
                       "'<list id>-<entry number>--<entry field id>'. Fields left out are empty.",
        "properties": properties,
        "additionalProperties": False,
    }
    if patterns:
        schema["patternProperties"] = patterns
    return schema


def _value_schema(field: DocumentField) -> dict[str, Any]:
    if field.kind == "choice":
        return {"enum": [o.id for o in field.options]}
    if field.kind == "date":
        return {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    return {"type": "string", "minLength": 1, "maxLength": field.max_length}


def answer_words(field: DocumentField, value: str) -> str:
    """A validated answer as a reader would say it: the option's label, the date in words."""
    if field.kind == "choice":
        return field.option(value).label
    if field.kind == "date":
        return date_words(value)
    return value


# ------------------------------------------------------------------------- Markdown

_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")
# Lines that would start a heading or a fenced code block (which would swallow the rest
# of the document).
_STRUCTURE_START = ("#", "```", "~~~")


def markdown_text(value: str) -> str:
    """Text someone typed, as Markdown that reads as they typed it and can never be markup.

    The document is plain Markdown for publishing, so what a user types must stay text:
    `<` becomes `&lt;` (no HTML, no `<script>`, no autolinks) and `[` is escaped (no
    links or images that would fetch from elsewhere). A line that would start a heading,
    underline one or open a code fence is escaped, so typed text cannot break the
    document's structure;
    lists the user typed stay lists. Line breaks are kept as hard breaks.
    """
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    for line in lines:
        line = line.replace("<", "&lt;").replace("[", "\\[")
        if _UNDERLINE.match(line) or line.lstrip().startswith(_STRUCTURE_START):
            line = "\\" + line.lstrip()
        out.append(line.rstrip())
    # A single line break inside a paragraph is a hard break ("  " at the end of the line).
    for index in range(len(out) - 1):
        if out[index].strip() and out[index + 1].strip():
            out[index] += "  "
    return "\n".join(out).strip("\n")


def markdown_line(value: str) -> str:
    """Typed text for a heading or a list item: one line, escaped as in `markdown_text`."""
    return markdown_text(" ".join(value.split()))
