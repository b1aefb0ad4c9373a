"""The algorithmic transparency record: its bank, its answers, and what is still empty.

The Main Guidance says teams are encouraged to complete an Algorithmic Transparency
Recording Standard template in the Pre-deployment stage ("Prepare to share details of the
project publicly"), and to publish it, with the impact assessments completed, in the
Deploy stage ("Share information publicly"). Its fields follow version 4.0 of the
standard, in its order and with its names (Tier 1's Summary information, then Tier 2's
eight sections),
and are data in `banks/transparency-record.toml`, with a part of our own fields kept for
the council's files. Answers saved with an earlier version of the bank are carried over
by the bank's `[[migrations]]`, applied by the one upgrade path (upgrade.py) like every
tool's.

Much of the record is already written elsewhere: the business case holds the
description, rationale, datasets and owner; the ethics triage knows the type of
analytics, how insights are used, the data sources and the impact assessments advised.
`fill_from_business_case` and `fill_from_triage` offer that text for the fields that are
still empty, and never replace what someone has written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Mapping

from ..business_case import model as business_case
from ..ethics_triage import model as ethics_triage
from ..monitor.agreed_thresholds import AgreedThresholds, ThresholdsPlacement, agreed_thresholds, parse_placement
from ..core.bank_reader import Fields, read_bank
from ..core.document_fields import (
    DocumentField,
    DocumentSection,
    answer_words,
    document_answers_schema,
    empty_required_parts,
    entry_key,
    entry_of,
    list_entries,
    parse_sections,
    shorten,
    validate_document_answers,
)
from ..core.errors import InputError

__all__ = [
    "SLUG",
    "TRIAGE_RESULTS",
    "TRIAGE_LISTS",
    "Part",
    "Fill",
    "BringIn",
    "Example",
    "TransparencyBank",
    "RecordLine",
    "PartProgress",
    "TransparencyResult",
    "load_transparency_bank",
    "parse_transparency_bank",
    "validate_transparency_answers",
    "transparency_answers_schema",
    "score_transparency_record",
    "triage_values",
    "fill_from_business_case",
    "fill_from_triage",
]

SLUG = "transparency-record"
_ANSWER = "{answer}"


# ------------------------------------------------------------------------ the bank


@dataclass(frozen=True)
class Part:
    """A part of the record: the record's details, Tier 1 or Tier 2."""

    id: str
    title: str
    short_title: str  # for the one-line status, e.g. "Tier 1"
    intro: str


@dataclass(frozen=True)
class Fill:
    """Fill `field` with the source's value `source_key`, wrapped in `template`."""

    field: str  # a field id, or a part of a list's first entry ("impact-assessments-1--name")
    source_key: str
    template: str  # "" or text holding "{answer}" once
    each: bool = False  # one list entry for each of the source's values

    def text(self, value: str) -> str:
        return self.template.replace(_ANSWER, value) if self.template else value


@dataclass(frozen=True)
class BringIn:
    source: str  # the tool the text comes from
    fills: tuple[Fill, ...]


@dataclass(frozen=True)
class Example:
    name: str
    answers: Mapping[str, str]
    expected_missing_to_publish: tuple[str, ...]


@dataclass(frozen=True)
class TransparencyBank:
    slug: str
    title: str
    version: str
    intro: str
    standard: str  # the version of the standard the record follows, in words
    parts: tuple[Part, ...]
    sections: tuple[DocumentSection, ...]
    name_field: str
    bring_in: Mapping[str, BringIn]
    examples: tuple[Example, ...]
    # Where the record shows the thresholds agreed in the test and monitor tool.
    agreed_thresholds: ThresholdsPlacement | None = None

    @property
    def fields(self) -> dict[str, DocumentField]:
        return {f.id: f for s in self.sections for f in s.fields}

    def label_of(self, key: str) -> str:
        """A field's name, or for a part of a list's entry the list, the entry and the part
        ("Operational data specification, dataset 1: Data modality")."""
        if key in self.fields:
            return self.fields[key].label
        list_field, number, part = entry_of(key, self.fields)
        return f"{list_field.label}, {list_field.item_name} {number}: {part.label}"

    def standard_ref_of(self, key: str) -> str:
        """The standard's reference number of a field or of a part of a list's entry ("" if ours)."""
        if key in self.fields:
            return self.fields[key].standard_ref
        list_field, _, part = entry_of(key, self.fields)
        return part.standard_ref or list_field.standard_ref

    def part(self, part_id: str) -> Part:
        return next(p for p in self.parts if p.id == part_id)

    def part_sections(self, part_id: str) -> tuple[DocumentSection, ...]:
        return tuple(s for s in self.sections if s.group == part_id)

    def fillable_labels(self, source: str) -> tuple[str, ...]:
        """Labels of the fields text from `source` can fill, in form order (for the page)."""
        targets = {fill.field.split("-1--")[0] if "-1--" in fill.field else fill.field
                   for fill in self.bring_in[source].fills}
        return tuple(f.label for fid, f in self.fields.items() if fid in targets)

    def target(self, key: str) -> DocumentField | None:
        """The free-text field an answer key names: a field, or a part of a list entry."""
        field = self.fields.get(key)
        if field is not None:
            return field if field.is_free_text else None
        for list_field in (f for f in self.fields.values() if f.kind == "list"):
            for part in list_field.entry_fields:
                for number in range(1, list_field.max_entries + 1):
                    if key == entry_key(list_field.id, number, part.id):
                        return part if part.is_free_text else None
        return None


# Results of the ethics triage that are lists: a fill with `each = true` makes one list
# entry from each value.
TRIAGE_LISTS: dict[str, Callable[[ethics_triage.TriageResult], tuple[str, ...]]] = {
    "red-flags": lambda r: tuple(f.title for f in r.red_flags),
    "themes-flagged": lambda r: tuple(t.name for t in r.themes),
    "impact-assessments-advised": lambda r: tuple(a.name for a in r.impact_assessments if a.advised),
}
# Results of the ethics triage a fill may use besides its questions' answers.
TRIAGE_RESULTS: dict[str, Callable[[ethics_triage.TriageResult], str]] = {
    "risk-level": lambda r: r.risk_level_name,
    **{key: (lambda r, values=values: "; ".join(values(r))) for key, values in TRIAGE_LISTS.items()},
}


def _source_keys() -> dict[str, set[str]]:
    """The values each source tool offers: its fields or questions, and named results."""
    return {
        business_case.SLUG: set(business_case.load_business_case_bank().fields),
        ethics_triage.SLUG: set(ethics_triage.load_triage_bank().questions) | set(TRIAGE_RESULTS),
    }


@cache
def load_transparency_bank() -> TransparencyBank:
    """Read and validate `banks/transparency-record.toml`. Raises BankError naming the field."""
    bank = read_bank(SLUG)
    return parse_transparency_bank(bank.data, bank.bank)


def parse_transparency_bank(data: dict[str, Any], file_name: str = "transparency-record.toml") -> TransparencyBank:
    """Validate a parsed bank (tests pass a modified copy). Raises BankError naming the field."""
    bank = Fields(file_name, "", data)
    part_tables = bank.tables("parts")
    bank.unique_ids(part_tables)
    parts = tuple(Part(f.ident(), f.text("title"), f.text("short_title"), f.optional_text("intro"))
                  for f in part_tables)
    sections = parse_sections(bank, "required_to_publish", group_key="part", groups=tuple(p.id for p in parts))
    fields = {f.id: f for s in sections for f in s.fields}
    for index, part in enumerate(parts):
        if not any(s.group == part.id for s in sections):
            raise bank.fail(f"parts[{index}]", f"no section belongs to part '{part.id}'")

    rules = bank.table("rules")
    name_field = rules.ident("name_field")
    if name_field not in fields or fields[name_field].kind != "text":
        raise rules.fail("name_field", f"'{name_field}' must be a text field of this bank")

    keys = _source_keys()
    bring_in_tables = bank.tables("bring_in", required=False)
    bank.unique_ids(bring_in_tables, "source")
    bring_in: dict[str, BringIn] = {}
    for b in bring_in_tables:
        source = b.ident("source")
        if source not in keys:
            raise b.fail("source", f"'{source}' is not a tool this record can bring text in from "
                                   f"(known: {', '.join(keys)})")
    partial = TransparencyBank(
        slug=SLUG, title=bank.text("title"), version=bank.text("version"), intro=bank.optional_text("intro"),
        standard=bank.text("standard"), parts=parts, sections=sections, name_field=name_field, bring_in={},
        examples=(), agreed_thresholds=parse_placement(bank, fields),
    )
    for b in bring_in_tables:
        source = b.ident("source")
        fills = []
        for f in b.tables("fill"):
            target = f.text("field")
            if partial.target(target) is None:
                raise f.fail("field", f"'{target}' must be a text or paragraph field of this bank, or one in the "
                                      "first entry of a list")
            key = f.ident("from")
            if key not in keys[source]:
                raise f.fail("from", f"'{key}' is not something the {source} tool holds")
            template = f.optional_text("template")
            if template and (template.count(_ANSWER) != 1 or template.replace(_ANSWER, "").count("{")):
                raise f.fail("template", "must hold {answer} exactly once, and no other braces")
            each = f.flag("each")
            if each and ("-1--" not in target or source != ethics_triage.SLUG or key not in TRIAGE_LISTS):
                raise f.fail("each", f"needs a part of a list's first entry and one of the triage's lists "
                                     f"({', '.join(TRIAGE_LISTS)})")
            fills.append(Fill(target, key, template, each))
        bring_in[source] = BringIn(source, tuple(fills))
    partial = TransparencyBank(**{**partial.__dict__, "bring_in": bring_in})
    examples = tuple(_example(partial, f) for f in bank.tables("examples"))
    return TransparencyBank(**{**partial.__dict__, "examples": examples})


def _example(bank: TransparencyBank, f: Fields) -> Example:
    try:
        answers = validate_transparency_answers(f.table("answers", required=False).data, bank)
    except InputError as bad:
        raise f.fail("answers", str(bad)) from bad
    expected = f.table("expected")
    missing = expected.text_list("missing_to_publish", required=True)  # [] written out, never assumed
    for fid in missing:
        entry = entry_of(fid, bank.fields)
        if not (bank.fields[fid].required if fid in bank.fields else entry is not None and entry[2].required):
            raise expected.fail("missing_to_publish", f"'{fid}' is not a field, or a part of an entry, needed to publish")
    return Example(f.text("name"), answers, missing)


# ------------------------------------------------------------------------- answers


def validate_transparency_answers(answers: Any, bank: TransparencyBank | None = None) -> dict[str, str]:
    """Check answers are {field id: text}. Raises InputError in plain words; drops blanks."""
    bank = bank or load_transparency_bank()
    return validate_document_answers(answers, bank.fields, "this transparency record")


def transparency_answers_schema(bank: TransparencyBank) -> dict[str, Any]:
    return document_answers_schema(bank.fields)


# -------------------------------------------------------------------------- result


@dataclass(frozen=True)
class RecordLine:
    """One field of the record, answered in words ("" when empty)."""

    field: str
    section: str
    part: str
    label: str
    answer: str  # a list's answer is how many entries it has, in words ("" when none)
    required: bool
    publish: bool
    standard_ref: str = ""
    # A list's entries: for each, (label, answer in words) of every part written.
    entries: tuple[tuple[tuple[str, str], ...], ...] = ()
    # A list's needed parts still empty in its written entries, as answer names.
    empty_required_parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartProgress:
    id: str
    title: str
    short_title: str
    fields: int
    written: int
    # Field ids needed to publish that are empty, each followed by the answer names of the
    # needed parts still empty in that list's written entries ("operational-data-1--data-modality").
    empty_required: tuple[str, ...]
    empty_optional: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "fields": self.fields, "written": self.written,
                "empty_needed_to_publish": list(self.empty_required), "empty_optional": list(self.empty_optional)}


@dataclass(frozen=True)
class TransparencyResult:
    answered: int
    name: str
    parts: tuple[PartProgress, ...]
    lines: tuple[RecordLine, ...]
    # The thresholds saved in the test and monitor tool, shown with the field that asks.
    agreed_thresholds: AgreedThresholds | None = None

    @property
    def missing_to_publish(self) -> tuple[str, ...]:
        return tuple(fid for part in self.parts for fid in part.empty_required)

    @property
    def ready_to_publish(self) -> bool:
        return not self.missing_to_publish

    def to_dict(self) -> dict[str, Any]:
        # `record` is the published record in the standard's order (parts, sections,
        # fields), for people and software reading the file: written fields only.
        record = []
        for part in self.parts:
            sections: dict[str, list[dict[str, str]]] = {}
            for line in self.lines:
                if line.part == part.id and line.answer and line.publish:
                    entry: dict[str, Any] = {"field": line.field, "label": line.label, "value": line.answer}
                    if line.entries:
                        entry["entries"] = [dict(parts) for parts in line.entries]
                    sections.setdefault(line.section, []).append(entry)
            record.append({"part": part.id, "title": part.title,
                           "sections": [{"section": s, "fields": f} for s, f in sections.items()]})
        return {
            "answered": self.answered,
            "ready_to_publish": self.ready_to_publish,
            "missing_to_publish": list(self.missing_to_publish),
            "parts": [p.to_dict() for p in self.parts],
            "record": record,
            **({"agreed_thresholds": self.agreed_thresholds.to_dict()} if self.agreed_thresholds else {}),
        }


def score_transparency_record(answers: Mapping[str, Any], bank: TransparencyBank | None = None,
                              context: Mapping[str, Any] | None = None) -> TransparencyResult:
    """Which fields are written, and which are still empty, part by part.

    `context` is {tool slug: that tool's result, or None} (records.score_with_context):
    the test and monitor tool's thresholds, shown with the field that asks about them.
    """
    bank = bank or load_transparency_bank()
    answers = validate_transparency_answers(dict(answers), bank)
    lines = [_line(s, f, answers) for s in bank.sections for f in s.fields]
    parts = []
    for part in bank.parts:
        own = [line for line in lines if line.part == part.id]
        parts.append(PartProgress(
            part.id, part.title, part.short_title, len(own), sum(1 for line in own if line.answer),
            tuple(key for line in own
                  for key in ((line.field,) if not line.answer and line.required else line.empty_required_parts)),
            tuple(line.field for line in own if not line.answer and not line.required),
        ))
    name = answers.get(bank.name_field, "")
    return TransparencyResult(answered=len(answers), name=name, parts=tuple(parts), lines=tuple(lines),
                              agreed_thresholds=agreed_thresholds(bank.agreed_thresholds, context))


def _line(section: DocumentSection, field: DocumentField, answers: Mapping[str, str]) -> RecordLine:
    if field.kind != "list":
        return RecordLine(field.id, section.id, section.group, field.label,
                          answer_words(field, answers[field.id]) if field.id in answers else "",
                          field.required, field.publish, field.standard_ref)
    entries = tuple(
        tuple((part.label, answer_words(part, entry[part.id])) for part in field.entry_fields if part.id in entry)
        for entry in list_entries(field, answers)
    )
    count = f"{len(entries)} {field.item_name}{'' if len(entries) == 1 else 's'}" if entries else ""
    return RecordLine(field.id, section.id, section.group, field.label, count, field.required, field.publish,
                      field.standard_ref, entries, empty_required_parts(field, answers))


# ------------------------------------------------------------------------- bring in


def triage_values(result: ethics_triage.TriageResult) -> dict[str, Any]:
    """What an ethics triage offers: each answered question in words, and named results
    (the list results as tuples, for fills that make one entry each)."""
    values: dict[str, Any] = {line.question: line.answer for line in result.record if line.status == "answered"}
    for key, value in TRIAGE_RESULTS.items():
        values[key] = TRIAGE_LISTS[key](result) if key in TRIAGE_LISTS else value(result)
    return {key: value for key, value in values.items() if value}


def _fill(source: str, title: str, values: Mapping[str, str], current: Any,
          bank: TransparencyBank | None = None) -> dict[str, str]:
    """Text for the fields that are empty in `current`, from the source's `values`.

    Brought-in text never replaces what someone has written: a field with any answer
    is left alone. Several fills of one field are joined as paragraphs; text longer than
    the field allows is shortened to fit.
    """
    bank = bank or load_transparency_bank()
    written = validate_transparency_answers(current if isinstance(current, dict) else {}, bank)
    offered: dict[str, list[str]] = {}
    for fill in bank.bring_in[source].fills:
        value = values.get(fill.source_key)
        if fill.each:
            list_id, part = fill.field.split("-1--")
            if any(key.startswith(f"{list_id}-") for key in written):  # only into an empty list
                continue
            for number, item in enumerate(value or (), start=1):
                if number <= bank.fields[list_id].max_entries:
                    offered.setdefault(entry_key(list_id, number, part), []).append(fill.text(item))
        elif isinstance(value, tuple):
            if value:
                offered.setdefault(fill.field, []).append(fill.text("; ".join(value)))
        elif isinstance(value, str) and value.strip():
            offered.setdefault(fill.field, []).append(fill.text(value.strip()))
    if not offered:
        raise InputError(f"That {title} has nothing written yet that this record can use.")
    updates = {field: shorten("\n\n".join(texts), bank.target(field).max_length)
               for field, texts in offered.items() if field not in written}
    if not updates:
        raise InputError("Every field it could fill already has your own text, and brought-in text never "
                         "replaces what you have written.")
    return updates


def fill_from_business_case(result: business_case.BusinessCaseResult, current_answers: Any) -> dict[str, str]:
    """Business case text for the empty fields of this record (see `_fill`)."""
    return _fill(business_case.SLUG, "business case", result.words, current_answers)


def fill_from_triage(result: ethics_triage.TriageResult, current_answers: Any) -> dict[str, str]:
    """Ethics triage answers for the empty fields of this record (see `_fill`)."""
    return _fill(ethics_triage.SLUG, "ethics triage", triage_values(result), current_answers)
