"""Bring saved answers from an older version of a tool's questions up to the current one.

One path for everything a reader saved: answers kept in the browser, a single tool's
record (records.py) and each tool in a project file (project.py). Nothing here reads a
file or the page; the callers decode, this module upgrades and checks.

Migrations are data, in the bank
--------------------------------
A bank says what changed between its versions in `[[migrations]]`, one table per version
step. Ids are never reused for a different meaning, so a step that does not apply (its
old ids are not in the answers) changes nothing:

    [[migrations]]
    from = "1.0.0"                      # the version this step upgrades from
    to = "1.1.0"                        # the version it gives (at most the bank's `version`)
    # A question (or checklist item) whose id changed: old id = new id.
    renamed_questions = { "old-question" = "new-question" }
    # Options whose id changed, or that were merged into one, by question id as it is
    # AFTER this step's renamed_questions: {question = {old option = new option}}; "*"
    # for every question (a scale all statements share).
    renamed_options = { "new-question" = { "old-option" = "kept-option", "other" = "kept-option" } }
    # Free-text questions folded into one (or renamed onto a field the reader may already
    # have written): old id = new id. The old text is carried over; where the new field
    # already holds text, both are kept, joined by a blank line, the new field's first.
    merged_questions = { "old-notes" = "notes", "old-comments" = "notes" }
    # Optional: the names readers knew the merged fields by (old ids, and the field they
    # go into). Each text merged into a field then starts with its old name ("Scope: …"),
    # and the field's own text too once another is joined to it, so two texts in one
    # field can still be told apart.
    merged_labels = { "old-notes" = "Notes", "old-comments" = "Comments" }
    note = "What changed, told to the reader when an answer was carried over (optional)"

    [[migrations.removed]]              # a question or checklist item taken out
    id = "question-id"
    text = "The question as readers saw it"
    reason = "Why it went, in words a reader understands"

    [[migrations.removed]]              # one option of a question taken out
    id = "question-id"
    option = "option-id"
    text = "The option's label as readers saw it"
    reason = "Why it went"

Ids are answer names as the tool saves them. Two extensions keep this short:

- an id also covers the answer names made from it with "--" (a checklist item's note,
  `<item>--note`; a workbook question's `<question>--answer`, `--status`, `--comments`);
- `{n}` in an id stands for a row number (`row-{n}--user` in the user needs table).

A bank split over files in a folder (the stage checklists: `checklists/<stage>.toml`)
keeps each file's migrations in that file, with ids as the file writes them; they are
read as `<stage>--<id>`. Saved checklists record the tool's version, not each stage's, so
every stage step is applied to them (harmless: ids are never reused).

What upgrading does
-------------------
`upgrade_answers(tool, answers, saved_version)` applies the steps between the saved
version and the tool's own, then keeps what the current bank can still use:

1. renamed questions and options are carried over, merged questions' texts joined
   (each under its old name where the step gives `merged_labels`);
2. answers to removed questions or options are left out with the bank's reason;
3. answers to names or options the bank no longer has (with no migration saying why)
   are left out and named (`unexplained`: the build refuses a release that leaves any,
   see build/released_ids.py);
4. what is left is checked by the tool's own validator; answers it refuses are left out
   one by one, each with the validator's message, so the rest still gives a result.

Nothing is ever refused as a whole: a tool always gets answers it can score, and
`left_out` says in plain words what could not be carried over. `strict=True` is for a
file that claims the current version: there an unknown answer means the file was edited,
and it is refused (InputError) as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Callable

from .bank_reader import bank_files, read_bank
from .errors import BankError, InputError

__all__ = [
    "Removed",
    "MigrationStep",
    "Upgrade",
    "bank_migrations",
    "parse_version",
    "question_text",
    "upgrade_answers",
]

_ROW = "{n}"
_ROW_NUMBER = "[1-9][0-9]{0,5}"
# Kebab-case, with "--" between the parts of an answer name and {n} for a row number.
_ID = re.compile(r"(?:[a-z0-9]+|\{n\})(?:--?(?:[a-z0-9]+|\{n\}))*")


@dataclass(frozen=True)
class Removed:
    """A question (option == "") or one option of it, taken out in a version step."""

    id: str
    option: str
    text: str
    reason: str


@dataclass(frozen=True)
class MigrationStep:
    bank: str  # the bank file it came from, for messages
    from_version: str
    to_version: str
    renamed_questions: dict[str, str]
    renamed_options: dict[str, dict[str, str]]
    removed: tuple[Removed, ...]
    always: bool  # apply whatever the saved version (steps of a stage file, see above)
    note: str = ""  # told to the reader when the step carried an answer over (optional)
    merged_questions: dict[str, str] = field(default_factory=dict)  # old id = new id, texts joined
    merged_labels: dict[str, str] = field(default_factory=dict)  # id = the name readers knew it by


@dataclass(frozen=True)
class Upgrade:
    """Answers ready for the current bank, and what the reader should be told."""

    answers: dict[str, Any]
    left_out: tuple[str, ...]  # plain-words lines, one per answer not carried over
    carried: tuple[str, ...]  # plain-words lines, one per renamed answer carried over
    # "name" or "name=option" dropped with no migration explaining it (for the build check).
    unexplained: tuple[str, ...]
    # The bank's own notes of the steps that carried something over (also in `carried`):
    # what a page tells the reader about answers it kept but moved.
    notes: tuple[str, ...] = ()

    @property
    def notice(self) -> str:
        """Everything the reader should know, in one paragraph ("" when nothing)."""
        return " ".join(self.left_out)


def parse_version(version: Any) -> tuple[int, ...] | None:
    """"1.2.0" -> (1, 2, 0); a build label after "+" is ignored; None if not a version."""
    if not isinstance(version, str):
        return None
    core = version.partition("+")[0]
    if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)*", core):
        return None
    return tuple(int(part) for part in core.split("."))


# --------------------------------------------------------------------- reading banks


def _text_table(bank: str, where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise BankError(bank, where, "must be a table of old id = new id")
    for old, new in value.items():
        if not isinstance(new, str) or not _ID.fullmatch(old) or not _ID.fullmatch(new):
            raise BankError(bank, f"{where}.{old}", "must be old id = \"new id\", both kebab-case ids")
    return dict(value)


def _read_step(bank: str, where: str, data: Any, prefix: str) -> MigrationStep:
    if not isinstance(data, dict):
        raise BankError(bank, where, "must be a table")
    known = {"from", "to", "renamed_questions", "merged_questions", "merged_labels", "renamed_options", "removed",
             "note"}
    for key in data:
        if key not in known:
            raise BankError(bank, f"{where}.{key}", f"unknown field (a step has {', '.join(sorted(known))})")
    versions = []
    for key in ("from", "to"):
        if parse_version(data.get(key)) is None:
            raise BankError(bank, f"{where}.{key}", "must be a version such as \"1.1.0\"")
        versions.append(data[key])
    if parse_version(versions[0]) >= parse_version(versions[1]):
        raise BankError(bank, f"{where}.to", "must be a later version than `from`")
    renamed = _text_table(bank, f"{where}.renamed_questions", data.get("renamed_questions", {}))
    merged = _text_table(bank, f"{where}.merged_questions", data.get("merged_questions", {}))
    for old in merged:
        if old in renamed:
            raise BankError(bank, f"{where}.merged_questions.{old}", "is also in renamed_questions: name it once")
    labels = data.get("merged_labels", {})
    if not isinstance(labels, dict):
        raise BankError(bank, f"{where}.merged_labels", "must be a table: id = \"the name readers knew it by\"")
    for name, label in labels.items():
        if not _ID.fullmatch(name) or not isinstance(label, str) or not label.strip():
            raise BankError(bank, f"{where}.merged_labels.{name}", "must be id = \"the name readers knew it by\"")
        if name not in merged and name not in merged.values():
            raise BankError(bank, f"{where}.merged_labels.{name}", "names no id of this step's merged_questions")
    options_data = data.get("renamed_options", {})
    if not isinstance(options_data, dict):
        raise BankError(bank, f"{where}.renamed_options", "must be a table: question = { old option = new option }")
    options = {question: _text_table(bank, f"{where}.renamed_options.{question}", table)
               for question, table in options_data.items()}
    removed = []
    removed_data = data.get("removed", [])
    if not isinstance(removed_data, list):
        raise BankError(bank, f"{where}.removed", "must be a list of tables ([[migrations.removed]])")
    for index, entry in enumerate(removed_data):
        place = f"{where}.removed[{index}]"
        if not isinstance(entry, dict):
            raise BankError(bank, place, "must be a table")
        for key in ("id", "text", "reason"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise BankError(bank, f"{place}.{key}", "missing field (a removed question needs its id, the text "
                                "readers saw, and the reason they will be told)")
        option = entry.get("option", "")
        if not isinstance(option, str):
            raise BankError(bank, f"{place}.option", "must be text")
        removed.append(Removed(prefix + entry["id"], option, entry["text"], entry["reason"]))
    note = data.get("note", "")
    if not isinstance(note, str):
        raise BankError(bank, f"{where}.note", "must be text")
    return MigrationStep(
        bank=bank,
        note=note,
        from_version=versions[0],
        to_version=versions[1],
        renamed_questions={prefix + old: prefix + new for old, new in renamed.items()},
        merged_questions={prefix + old: prefix + new for old, new in merged.items()},
        merged_labels={prefix + name: label for name, label in labels.items()},
        renamed_options={question if question == "*" else prefix + question: table
                         for question, table in options.items()},
        removed=tuple(removed),
        always=bool(prefix),
    )


def _bank_steps(name: str, prefix: str) -> list[MigrationStep]:
    bank = read_bank(name.removesuffix(".toml"))
    steps = bank.data.get("migrations", [])
    if not isinstance(steps, list):
        raise BankError(bank.bank, "migrations", "must be a list of tables ([[migrations]])")
    return [_read_step(bank.bank, f"migrations[{index}]", step, prefix) for index, step in enumerate(steps)]


@cache
def bank_migrations(slug: str) -> tuple[MigrationStep, ...]:
    """Every migration step of a tool's bank (and of the files in its folder), oldest first."""
    steps: list[MigrationStep] = []
    for name in bank_files():
        if name == f"{slug}.toml":
            steps += _bank_steps(name, "")
        elif name.startswith(f"{slug}/"):
            steps += _bank_steps(name, name.removeprefix(f"{slug}/").removesuffix(".toml") + "--")
    return tuple(sorted(steps, key=lambda step: parse_version(step.to_version)))


# ------------------------------------------------------------------------ matching ids


def _pattern(question: str) -> re.Pattern[str]:
    """The answer names a migration id covers (see the module docstring)."""
    body = re.escape(question).replace(re.escape(_ROW), f"({_ROW_NUMBER})")
    return re.compile(f"^{body}(--.+)?$")


def _rename(name: str, old: str, new: str) -> str | None:
    match = _pattern(old).match(name)
    if not match:
        return None
    groups = match.groups()
    row = groups[0] if _ROW in old else None
    renamed = new.replace(_ROW, row) if row is not None else new
    return renamed + (groups[-1] or "")


def _covers(question: str, name: str) -> bool:
    return question == "*" or _pattern(question).match(name) is not None


# ---------------------------------------------------------------------------- upgrade


def _steps_between(tool: Any, saved_version: Any) -> list[MigrationStep]:
    saved = parse_version(saved_version)
    current = parse_version(tool.version)
    steps = []
    for step in bank_migrations(tool.slug):
        if step.always or saved is None or current is None:
            steps.append(step)
        elif saved < parse_version(step.to_version) <= current:
            steps.append(step)
    return steps


def _quote(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return f"\u201c{text if len(text) <= limit else text[: limit - 1] + chr(0x2026)}\u201d"


def _value_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _written(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _label_of(name: str, labels: dict[str, str]) -> str:
    """The name readers knew an answer by, from a step's merged_labels ("" if none)."""
    return next((label for key, label in labels.items() if _pattern(key).match(name)), "")


def _labelled(text: Any, label: str) -> Any:
    return f"{label}: {text}" if label and _written(text) else text


def _merge(answers: dict[str, Any], merged: dict[str, str], labels: dict[str, str] | None = None) -> bool:
    """Carry merged questions' answers to their new names, joining texts; True if any moved.

    With `labels` (a step's merged_labels), each merged text starts with the name it was
    written under, and a field's own text too once another text joins it."""
    labels = labels or {}
    moved = False
    # In the step's order, not the answers' (browser storage lists them alphabetically), so
    # the texts joined in one field always read in the order the bank gives.
    for old, new in merged.items():
        for name in list(answers):
            target = _rename(name, old, new)
            if target is None:
                continue
            value = _labelled(answers.pop(name), _label_of(name, labels))
            if target not in answers or not _written(answers[target]):
                answers[target] = value
                moved = True
            elif _written(value) and value != answers[target]:
                # Both written: keep both, the new field's own text first (under its own
                # name, when it has one and does not start with it yet).
                own = answers[target]
                own_label = _label_of(target, labels)
                if own_label and not own.startswith(f"{own_label}: ") and \
                        not any(own.startswith(f"{label}: ") for label in labels.values()):
                    own = _labelled(own, own_label)
                answers[target] = f"{own}\n\n{value}"
                moved = True
    return moved


def _migrate(answers: dict[str, Any], steps: list[MigrationStep],
             describe: Callable[[str], str] = lambda name: name) -> tuple[dict[str, Any], list[str], list[str]]:
    """Apply the steps in order: (answers, left out lines, carried over lines).

    `describe(name)` is the question's text as readers see it in the current bank, to
    name it in a line (the id itself when the bank has no text for it)."""
    left_out: list[str] = []
    carried: list[str] = []
    for step in steps:
        renamed: dict[str, Any] = {}
        moved = False
        for name, value in answers.items():
            new_name = name
            for old, new in step.renamed_questions.items():
                candidate = _rename(name, old, new)
                if candidate is not None:
                    new_name = candidate
                    moved = True
                    break
            renamed[new_name] = value
        answers = renamed
        moved = _merge(answers, step.merged_questions, step.merged_labels) or moved
        if moved and step.note:
            carried.append(step.note)
        for question, table in step.renamed_options.items():
            for name, value in list(answers.items()):
                if not _covers(question, name) or name.endswith("--note"):
                    continue
                values = [table.get(item, item) if isinstance(item, str) else item for item in _value_list(value)]
                if isinstance(value, list):
                    answers[name] = list(dict.fromkeys(values))  # two options merged into one: tick it once
                else:
                    answers[name] = values[0]
                if answers[name] != value:
                    carried.append(f"Your answer to {_quote(describe(name))} was carried over: the option you chose "
                                   "has a new name.")
        for removed in step.removed:
            for name, value in list(answers.items()):
                if not _covers(removed.id, name):
                    continue
                if not removed.option:
                    del answers[name]
                    if not name.endswith("--note") or removed.id.endswith("--note"):
                        left_out.append(f"Your answer to {_quote(removed.text)} no longer applies and was left out: "
                                        f"{removed.reason}")
                    continue
                values = _value_list(value)
                if removed.option not in values:
                    continue
                kept = [item for item in values if item != removed.option]
                if isinstance(value, list) and kept:
                    answers[name] = kept
                else:
                    del answers[name]
                left_out.append(f"The option {_quote(removed.text)} you chose no longer exists and was left out: "
                                f"{removed.reason}")
    return answers, left_out, carried


def _described(schema: dict[str, Any], name: str) -> tuple[dict[str, Any] | None, str]:
    """The schema of an answer name (or None if the bank has no such answer) and its question text."""
    if name in schema.get("properties", {}):
        entry = schema["properties"][name]
        return entry, entry.get("description", name)
    for pattern, entry in schema.get("patternProperties", {}).items():
        if re.search(pattern, name):
            return entry, entry.get("description", name)
    return None, name


def question_text(tool: Any) -> Callable[[str], str]:
    """name -> the question's text in the tool's current bank (the name itself if it has none)."""
    schema = tool.answers_schema(tool.load_bank())
    return lambda name: _described(schema, name)[1]


def _options(entry: dict[str, Any]) -> list[Any] | None:
    if "enum" in entry:
        return entry["enum"]
    items = entry.get("items", {})
    if isinstance(items, dict) and "enum" in items:
        return items["enum"]
    if isinstance(items, dict) and "const" in items:
        return [items["const"]]
    return None


def _known(tool: Any, answers: dict[str, Any]) -> tuple[dict[str, Any], list[str], list[str]]:
    """Answers less names and options the bank does not have: (answers, left out lines, unexplained)."""
    schema = tool.answers_schema(tool.load_bank())
    kept: dict[str, Any] = {}
    left_out: list[str] = []
    unexplained: list[str] = []
    for name, value in answers.items():
        entry, text = _described(schema, name)
        if entry is None:
            unexplained.append(name)
            continue
        options = _options(entry)
        if options is None:
            kept[name] = value
            continue
        unknown = [item for item in _value_list(value) if item not in options]
        for item in unknown:
            unexplained.append(f"{name}={item}")
            left_out.append(f"Your answer {_quote(str(item), 60)} to {_quote(text)} is not one of its options "
                            "in this version of the guide, and was left out.")
        if not unknown:
            kept[name] = value
        elif isinstance(value, list) and len(unknown) < len(value):
            kept[name] = [item for item in value if item in options]
    gone = [name for name in unexplained if "=" not in name]
    if gone:
        listed = ", ".join(_quote(name, 60) for name in gone[:5])
        more = f" and {len(gone) - 5} more" if len(gone) > 5 else ""
        one = len(gone) == 1
        left_out.insert(0, f"{len(gone)} of your answers {'is' if one else 'are'} to questions this version of the "
                        f"guide no longer has, and {'was' if one else 'were'} left out: {listed}{more}.")
    return kept, left_out, unexplained


def _valid_part(tool: Any, answers: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The largest part of the answers, in order, the tool's validator accepts, and why the rest was not."""
    try:
        return tool.validate_answers(answers), []
    except InputError:
        pass
    accepted: dict[str, Any] = {}
    left_out: list[str] = []
    schema = tool.answers_schema(tool.load_bank())
    for name, value in answers.items():
        try:
            tool.validate_answers({**accepted, name: value})
        except InputError as problem:
            left_out.append(f"Your answer to {_quote(_described(schema, name)[1])} could not be used and was left "
                            f"out: {problem}")
            continue
        accepted[name] = value
    return tool.validate_answers(accepted), left_out


def upgrade_answers(tool: Any, answers: Any, saved_version: Any, *, strict: bool = False) -> Upgrade:
    """Answers saved with `saved_version` of a tool's questions, for its current version.

    `tool` is the resolved tools.Tool. `answers` is whatever was saved ({name: value});
    anything else is left out as a whole, with a line saying so. With `strict` (a file
    that says it was made with the current version) any problem raises InputError.
    """
    if strict:
        return Upgrade(tool.validate_answers(answers), (), (), ())
    if not isinstance(answers, dict):
        return Upgrade(tool.validate_answers({}), ("Your saved answers could not be read, so none of them could be "
                                                   "used.",), (), ())
    migrated, removed_lines, carried = _migrate(dict(answers), _steps_between(tool, saved_version),
                                                question_text(tool)) \
        if saved_version != tool.version else (dict(answers), [], [])
    known, unknown_lines, unexplained = _known(tool, migrated)
    valid, invalid_lines = _valid_part(tool, known)
    step_notes = {step.note for step in _steps_between(tool, saved_version) if step.note}
    return Upgrade(valid, tuple(removed_lines + unknown_lines + invalid_lines), tuple(carried), tuple(unexplained),
                   tuple(line for line in carried if line in step_notes))
