"""Where each rule, threshold and checklist item of a question bank comes from.

The Main Guidance's words are its authors'; the rules, thresholds and checklists this guide
wrote around them are ours. Both are fine, confusing them is not, so every entry that
decides something for the reader says where it comes from, in a `source` field:

    source = "guidance: Identify the datasets needed"
    source = "guidance: Independent scrutiny (the 'Before moving to the Develop Phase' list)"
    source = "ours: the guidance gives no threshold; equal fifths of the 1-5 scale"

"guidance:" names a section heading of the Main Guidance, optionally followed by where in
it, in brackets; "ours:" gives a one-line reason. `PROVENANCE_TABLES` lists, for every
bank, the tables whose entries must carry one: the bank readers read it into the model,
the build stops when an entry has none (build/bank_checks.py), and the pages show it to a
reader who asks ("Why this?").
"""

from __future__ import annotations

from dataclasses import dataclass

from .bank_reader import Fields, bank_files, read_bank

__all__ = [
    "GUIDANCE",
    "OURS",
    "PROVENANCE_TABLES",
    "Source",
    "SourcedEntry",
    "read_source",
    "provenance_tables",
    "bank_sources",
    "ToolProvenance",
    "tool_provenance",
]

GUIDANCE = "guidance"
OURS = "ours"

# Per bank file (relative to banks/), the dotted paths of the lists of tables (or single
# tables) whose every entry needs a `source`. "checklists/" covers every stage file.
# A path through a list of tables ("themes.triggers") means every trigger of every theme.
PROVENANCE_TABLES: dict[str, tuple[str, ...]] = {
    "checklists/": ("sections.items",),
    "data-maturity.toml": ("levels", "rules", "readings", "analytics_fit", "components", "team"),
    "ethics-triage.toml": (
        "rules", "risk_levels", "risk_rules", "red_flags", "themes", "themes.triggers",
        "impact_assessments", "impact_assessments.triggers", "independent_scrutiny",
        "independent_scrutiny.triggers",
    ),
    "business-case.toml": ("rules", "sections"),
    "user-needs.toml": ("rules", "limits", "checks", "columns"),
    "ethics-workbook.toml": ("phases", "themes", "agreed_thresholds"),
    "transparency-record.toml": ("rules", "sections", "agreed_thresholds"),
    "data-quality.toml": ("limits", "defaults", "reading", "dimensions", "rule_kinds"),
    "test-and-monitor.toml": ("limits", "defaults", "reading", "measures"),
}


@dataclass(frozen=True)
class Source:
    """Where one bank entry comes from."""

    kind: str  # GUIDANCE or OURS
    text: str  # the Main Guidance's section (and where in it), or why we added it

    @property
    def ours(self) -> bool:
        return self.kind == OURS

    @property
    def section(self) -> str:
        """The heading of the Main Guidance named ("" for our own)."""
        return "" if self.ours else self.text.split(" (", 1)[0].strip()

    def describe(self) -> str:
        """One sentence for the reader."""
        if self.ours:
            return f"Our addition, not the Main Guidance's words: {self.text}."
        return f"From the Main Guidance, \u201c{self.section}\u201d" + (
            f" {self.text[len(self.section):].strip()}." if self.text != self.section else "."
        )

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class SourcedEntry:
    bank: str  # the bank file, relative to banks/
    path: str  # the entry's dotted path, e.g. "themes[2].triggers[0]"
    label: str  # what a reader would call it (its name, title, label, text or id)
    source: Source


def read_source(fields: Fields, key: str = "source") -> Source:
    """The entry's `source`, or BankError naming the bank and the field."""
    value = fields.text(key).strip()
    kind, colon, text = value.partition(":")
    kind, text = kind.strip(), text.strip()
    if not colon or kind not in (GUIDANCE, OURS) or not text:
        raise fields.fail(
            key, f"'{value}' must be 'guidance: <a heading of the Main Guidance>' or 'ours: <why we added it>'"
        )
    return Source(kind, text)


def provenance_tables(bank_file: str) -> tuple[str, ...]:
    """The tables of `bank_file` whose entries need a source (none for a bank not listed)."""
    if bank_file.startswith("checklists/"):
        return PROVENANCE_TABLES["checklists/"]
    return PROVENANCE_TABLES.get(bank_file, ())


def _entries(fields: Fields, path: str) -> list[Fields]:
    head, _, rest = path.partition(".")
    value = fields.raw(head)
    if value is None:
        return []
    found = [fields.table(head)] if isinstance(value, dict) else fields.tables(head, required=False)
    if not rest:
        return found
    return [deeper for entry in found for deeper in _entries(entry, rest)]


def _label(entry: Fields) -> str:
    for key in ("name", "title", "label", "text", "why", "reason", "applies_when", "level", "id"):
        value = entry.raw(key)
        if isinstance(value, str) and value.strip():
            return value
    # A single table such as [rules]: its name, in words.
    return entry.path.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def bank_sources(bank_file: str | None = None) -> list[SourcedEntry]:
    """Every entry that needs a source, with it, for one bank file or all of them.

    Raises BankError when an entry has no source or a malformed one.
    """
    files = [bank_file] if bank_file else bank_files()
    out = []
    for name in files:
        tables = provenance_tables(name)
        if not tables:
            continue
        bank = read_bank(name.removesuffix(".toml"))
        for path in tables:
            for entry in _entries(bank, path):
                out.append(SourcedEntry(name, entry.path, _label(entry), read_source(entry)))
    return out


@dataclass(frozen=True)
class ToolProvenance:
    """What a tool's result says about its provenance: one line, and every sourced entry."""

    line: str  # the bank's top-level `provenance`: which parts are the guidance's, which ours
    entries: tuple[SourcedEntry, ...]  # listed under "Why this?" (none where items show their own)


def tool_provenance(slug: str) -> ToolProvenance:
    """The provenance line of the tool whose bank is `banks/<slug>.toml`, and its sources.

    The checklists' items each show their own "Why this?", so their list is left empty.
    """
    line = read_bank(slug).text("provenance")
    entries = () if slug == "checklists" else tuple(bank_sources(f"{slug}.toml"))
    return ToolProvenance(line, entries)
