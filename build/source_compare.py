"""Compare a revised Main Guidance with the text the site was built from.

    make source-compare NEW=path/to/revised.txt [OUT=report.md]
    .venv/bin/python build/source_compare.py path/to/revised.txt [--old OLD] [--out REPORT.md]

Lists every sentence added, removed or changed (a changed one old beside new), every section
moved, renamed, added or removed, and for each the site pages (`docs/**/*.md`) and question-bank
entries (`assessments/banks/**/*.toml`) that carry it: a page carries a sentence when the
sentence appears in it; a bank entry carries it when one of its texts holds the sentence, or
when its `source = "guidance: <heading>"` names the heading the sentence sits under (the same
provenance the build checks, read by `assessments`' provenance module). The report is printed
and written as Markdown. An empty or binary file is refused with a message and exit status 2.

Build code, not a hook: it reads the repository and writes one report, nothing else. Sentences
are matched with difflib: a section's sentences old against new, a changed sentence being one
close enough to a removed one (`CHANGED_RATIO`); a sentence or a whole section found again in
another place is reported as moved, not as removed and added.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILT_FROM = ROOT / "tests" / "fixtures" / "main-guidance-source.txt"
KNOWN_HEADINGS = ROOT / "tests" / "fixtures" / "source-headings.txt"
DOCS = ROOT / "docs"
BANKS = ROOT / "assessments" / "banks"
DEFAULT_REPORT = ROOT / "source-compare.md"

# Two sentences at least this alike (difflib's ratio, 0 to 1) are one sentence changed, not one
# removed and one added. 0.6 pairs a reworded sentence and leaves apart two that share a topic.
CHANGED_RATIO = 0.6
# A sentence shorter than this many words ("Users", "Page 24") is too short to look for on a page
# or in a bank's text: it would be found everywhere. It is still compared and reported.
MIN_WORDS_TO_FIND = 4

__all__ = ["SourceError", "Sentence", "Comparison", "read_text", "parse", "compare", "render", "main"]


class SourceError(Exception):
    """A file that cannot be compared, with a message for the person who gave it."""


# ------------------------------------------------------------------------ reading


def read_text(path: Path) -> str:
    """The file's text, or SourceError saying in plain words why it cannot be compared."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise SourceError(f"{path} is a folder, not a text file.") from None
    if not data.strip():
        raise SourceError(f"{path} is empty: there is nothing to compare. Give the revised Main Guidance "
                          "as a plain text file.")
    if b"\x00" in data:
        raise SourceError(f"{path} is not a text file (it holds binary data, as a Word, PDF or zip file "
                          "does). Save the revised Main Guidance as plain text (UTF-8) and compare that.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(f"{path} is not UTF-8 text (byte {error.start} cannot be read). Save the revised "
                          "Main Guidance as plain text in UTF-8 and compare that.") from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > len(text) / 100:
        raise SourceError(f"{path} is not a text file (it is full of control characters). Save the revised "
                          "Main Guidance as plain text (UTF-8) and compare that.")
    return text


# ------------------------------------------------------------------------ parsing

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?!\s)|(?<=\S)\*(?!\w)")
_BULLET = re.compile(r"^\s*(?:[-+*•➤➔◆]\s*|\d+[.)]\s+|[a-z][.)]\s+|\(\w\)\s+)+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def plain(text: str) -> str:
    """Text as a reader reads it: links as their words, no markup or bullets, quotes straight."""
    text = _LINK.sub(r"\1", text.translate(_QUOTES))
    text = _TAG.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def key(text: str) -> str:
    """What two sentences must share to be the same sentence: words, case aside."""
    return plain(text).lower()


@dataclass(frozen=True)
class Sentence:
    text: str  # as a reader reads it (plain)
    heading: str  # the heading it sits under ("" before the first)
    line: int  # 1-based line in its file

    @property
    def key(self) -> str:
        return self.text.lower()


@dataclass
class Section:
    heading: str
    line: int
    sentences: list[Sentence] = field(default_factory=list)


def _known_headings() -> set[str]:
    if not KNOWN_HEADINGS.exists():
        return set()
    return {line.strip() for line in KNOWN_HEADINGS.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def _looks_like_heading(line: str, before: str, after: str) -> bool:
    """A short line standing alone, without a sentence's end, that is not a list item or a table row."""
    text = line.strip()
    if before.strip() or after.strip() or "\t" in text or _BULLET.match(text) or _LINK.search(text):
        return False
    words = text.split()
    return (1 <= len(words) <= 10 and text[0].isupper() and text[-1] not in ".,:;" and "**" not in text
            and text.count("(") == text.count(")") and not re.search(r"\b[Pp]age\b", text))


def parse(text: str) -> list[Section]:
    """The text's sections: each heading with the sentences under it, in order."""
    known = _known_headings()
    lines = text.splitlines()
    sections = [Section("", 0)]
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            continue
        before = lines[number - 2] if number > 1 else ""
        after = lines[number] if number < len(lines) else ""
        if stripped in known or _looks_like_heading(line, before, after):
            sections.append(Section(stripped, number))
            continue
        # A table row from the source's word processor: its cells and list items are sentences too.
        pieces = re.split(r"\t|•", stripped) if "\t" in stripped or "•" in stripped else [stripped]
        for piece in pieces:
            body = plain(_BULLET.sub("", piece))
            for sentence in _SENTENCE_END.split(body):
                sentence = sentence.strip()
                if sentence and re.search(r"[A-Za-z]", sentence) and not re.fullmatch(r"-+", sentence):
                    sections[-1].sentences.append(Sentence(sentence, sections[-1].heading, number))
    return [s for s in sections if s.heading or s.sentences]


# ---------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Change:
    kind: str  # "changed", "added", "removed" or "moved"
    old: Sentence | None
    new: Sentence | None


@dataclass(frozen=True)
class SectionChange:
    kind: str  # "moved", "renamed", "added" or "removed"
    old: Section | None
    new: Section | None
    old_after: str = ""  # the heading it followed
    new_after: str = ""


@dataclass
class Comparison:
    sentences: list[Change]
    sections: list[SectionChange]

    @property
    def unchanged(self) -> bool:
        return not self.sentences and not self.sections

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.sentences if c.kind == kind]


def _pair_similar(removed: list[Sentence], added: list[Sentence]) -> tuple[list[Change], list[Sentence], list[Sentence]]:
    """Pair each removed sentence with the most alike added one, best pairs first."""
    scored = []
    for i, old in enumerate(removed):
        for j, new in enumerate(added):
            matcher = difflib.SequenceMatcher(None, old.key, new.key, autojunk=False)
            if matcher.real_quick_ratio() >= CHANGED_RATIO and matcher.quick_ratio() >= CHANGED_RATIO:
                ratio = matcher.ratio()
                if ratio >= CHANGED_RATIO:
                    scored.append((ratio, i, j))
    pairs, used_old, used_new = [], set(), set()
    for _, i, j in sorted(scored, reverse=True):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append(Change("changed", removed[i], added[j]))
    left_old = [s for i, s in enumerate(removed) if i not in used_old]
    left_new = [s for j, s in enumerate(added) if j not in used_new]
    return pairs, left_old, left_new


def _diff(old: list[Sentence], new: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """The sentences only in `old` and only in `new`, in order (equal runs set aside)."""
    matcher = difflib.SequenceMatcher(None, [s.key for s in old], [s.key for s in new], autojunk=False)
    removed, added = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


def _overlap(a: Section, b: Section) -> float:
    keys_a, keys_b = {s.key for s in a.sentences}, {s.key for s in b.sentences}
    return len(keys_a & keys_b) / max(1, min(len(keys_a), len(keys_b)))


def _idents(sections: list[Section]) -> dict[tuple[str, int], Section]:
    """Each section by its heading and which of that heading's sections it is (a heading can recur)."""
    seen: dict[str, int] = {}
    out = {}
    for section in sections:
        name = section.heading.lower()
        seen[name] = seen.get(name, 0) + 1
        out[(name, seen[name])] = section
    return out


def compare(old_text: str, new_text: str) -> Comparison:
    old_sections, new_sections = parse(old_text), parse(new_text)
    old_by, new_by = _idents(old_sections), _idents(new_sections)
    section_changes: list[SectionChange] = []

    # The old section each new one continues: the same heading, or, for a heading in one text
    # only, the other text's section with mostly the same sentences (the heading was renamed).
    counterpart: dict[int, Section] = {id(old_by[k]): new_by[k] for k in old_by if k in new_by}
    only_old = [old_by[k] for k in old_by if k not in new_by]
    only_new = [new_by[k] for k in new_by if k not in old_by]
    for old in only_old:
        free = [new for new in only_new if new.sentences and all(new is not c for c in counterpart.values())]
        best = max(free, key=lambda new: _overlap(old, new), default=None)
        if best is not None and _overlap(old, best) >= 0.5:
            counterpart[id(old)] = best
            section_changes.append(SectionChange("renamed", old, best))
    continued = {id(s) for s in counterpart.values()}
    section_changes += [SectionChange("removed", old, None) for old in only_old if id(old) not in counterpart]
    section_changes += [SectionChange("added", None, new) for new in only_new if id(new) not in continued]

    # Sections in both texts: those out of their old order moved. The longest run that kept its
    # order stays put; a section outside it moved, with its sentences (compared as usual below).
    in_both = [s for s in old_sections if id(s) in counterpart]
    position = {id(s): n for n, s in enumerate(new_sections)}
    old_order = list(range(len(in_both)))
    new_order = sorted(old_order, key=lambda n: position[id(counterpart[id(in_both[n])])])
    kept = set()
    for block in difflib.SequenceMatcher(None, old_order, new_order, autojunk=False).get_matching_blocks():
        kept.update(old_order[block.a:block.a + block.size])
    for n, section in enumerate(in_both):
        if n not in kept:
            new = counterpart[id(section)]
            section_changes.append(SectionChange(
                "moved", section, new,
                old_after=_heading_before(old_sections, section), new_after=_heading_before(new_sections, new)))

    # Sentences: each section against its counterpart, then what is left across the whole text.
    changes: list[Change] = []
    removed: list[Sentence] = []
    added: list[Sentence] = []
    for section in old_sections:
        new = counterpart.get(id(section))
        gone, come = _diff(section.sentences, new.sentences if new else [])
        pairs, gone, come = _pair_similar(gone, come)
        changes += pairs
        removed += gone
        added += come
    for section in new_sections:
        if id(section) not in continued:
            added += section.sentences
    # A sentence gone from one section and found in another moved; one reworded on the way changed.
    waiting: dict[str, list[Sentence]] = {}
    for sentence in added:
        waiting.setdefault(sentence.key, []).append(sentence)
    still_removed = []
    for sentence in removed:
        if waiting.get(sentence.key):
            changes.append(Change("moved", sentence, waiting[sentence.key].pop(0)))
        else:
            still_removed.append(sentence)
    still_added = sorted((s for group in waiting.values() for s in group), key=lambda s: s.line)
    pairs, still_removed, still_added = _pair_similar(still_removed, still_added)
    changes += pairs
    changes += [Change("removed", s, None) for s in still_removed]
    changes += [Change("added", None, s) for s in still_added]
    changes.sort(key=lambda c: (0, c.old.line) if c.old else (1, c.new.line))
    return Comparison(changes, section_changes)


def _heading_before(sections: list[Section], section: Section) -> str:
    index = next(i for i, s in enumerate(sections) if s is section)
    return sections[index - 1].heading if index > 0 else ""


# ---------------------------------------------------- where the site carries it


@dataclass(frozen=True)
class BankEntry:
    bank: str  # relative to assessments/banks/
    path: str  # e.g. "sections[1].items[3]"
    label: str
    source: str  # its `source` line, or ""


@dataclass
class Site:
    pages: dict[str, str]  # docs-relative path -> the page's text as a reader reads it (lower case)
    page_headings: dict[str, set[str]]  # path -> its headings (lower case)
    entries: list[tuple[BankEntry, str]]  # each sourced entry with all its texts (lower case)
    by_heading: dict[str, list[BankEntry]]  # guidance heading (lower case) -> entries citing it

    @classmethod
    def read(cls, docs: Path = DOCS, banks: Path = BANKS) -> "Site":
        pages, headings = {}, {}
        for path in sorted(docs.rglob("*.md")):
            text = path.read_text("utf-8")
            name = str(path.relative_to(docs))
            # Admonition bodies and table cells are the page's words too; their markup is not.
            pages[name] = key(re.sub(r"^\s*(?:!!!|\?\?\?)\+?.*$|\|", " ", text, flags=re.MULTILINE))
            headings[name] = {plain(h).lower() for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", text, re.MULTILINE)}
        entries, by_heading = [], {}
        for entry, texts in _bank_entries(banks):
            entries.append((entry, texts))
            section = _guidance_heading(entry.source)
            if section:
                by_heading.setdefault(section.lower(), []).append(entry)
        return cls(pages, headings, entries, by_heading)

    def pages_with(self, sentence: Sentence) -> list[str]:
        if len(sentence.text.split()) < MIN_WORDS_TO_FIND:
            return []
        return [name for name, text in self.pages.items() if sentence.key in text]

    def pages_with_heading(self, heading: str) -> list[str]:
        return [name for name, found in self.page_headings.items() if plain(heading).lower() in found]

    def entries_holding(self, sentence: Sentence) -> list[BankEntry]:
        """Entries one of whose texts holds the sentence, word for word."""
        if len(sentence.text.split()) < MIN_WORDS_TO_FIND:
            return []
        return [entry for entry, texts in self.entries if sentence.key in texts]

    def entries_with(self, sentence: Sentence) -> list[BankEntry]:
        """Entries whose text holds the sentence, then those citing the heading it sits under."""
        found = self.entries_holding(sentence)
        return found + [e for e in self.entries_citing(sentence.heading) if e not in found]

    def entries_citing(self, heading: str) -> list[BankEntry]:
        return self.by_heading.get(heading.lower(), [])


def _guidance_heading(source: str) -> str:
    kind, _, text = source.partition(":")
    return text.split(" (", 1)[0].strip() if kind.strip() == "guidance" else ""


def _bank_entries(banks: Path):
    """Every table in every bank that carries a `source`, with its texts.

    Uses the provenance module's own reading where it can (the entries the build checks, with
    the labels the tools show); any other table with a `source` is found by walking the TOML.
    """
    labelled = {}
    try:
        labelled = {(e.bank, e.path): e.label for e in _provenance_entries()}
    except Exception:  # noqa: BLE001 - the package may be mid-change; the walk below still finds every entry
        labelled = {}
    for path in sorted(banks.rglob("*.toml")):
        name = str(path.relative_to(banks))
        data = tomllib.loads(path.read_text("utf-8"))
        for table_path, table in _tables(data, ""):
            source = table.get("source")
            if not isinstance(source, str):
                continue
            texts = " ".join(key(value) for value in _strings(table))
            label = labelled.get((name, table_path)) or _label(table, table_path)
            yield BankEntry(name, table_path, label, source), texts


def _provenance_entries():
    try:  # the package as it is grouped after the regrouping
        from assessments.core.provenance import bank_sources  # type: ignore[import-not-found]
    except ImportError:
        from assessments.provenance import bank_sources
    return bank_sources()


def _tables(value, path: str):
    if isinstance(value, dict):
        yield path, value
        for name, child in value.items():
            yield from _tables(child, f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, dict):
                yield from _tables(child, f"{path}[{index}]")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for name, child in value.items():
            if name not in ("id", "source", "when"):
                yield from _strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child)


def _label(table: dict, path: str) -> str:
    for name in ("name", "title", "label", "text", "why", "reason", "id"):
        if isinstance(table.get(name), str) and table[name].strip():
            return table[name]
    return path


# ---------------------------------------------------------------------- reporting


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _carried(site: Site, sentence: Sentence) -> list[str]:
    """Where the site carries a sentence of the old text: pages and bank items with its words, and
    bank items whose provenance cites the heading it sits under."""
    pages = site.pages_with(sentence)
    holding = site.entries_holding(sentence)
    citing = [e for e in site.entries_citing(sentence.heading) if e not in holding]
    return ["  - Pages: " + (", ".join(f"`docs/{p}`" for p in pages) if pages else "none carries it word for word"),
            "  - Bank items with its words: " + ("; ".join(_entry(e) for e in holding) or "none"),
            f"  - Bank items citing \u201c{sentence.heading}\u201d: " + ("; ".join(_entry(e) for e in citing) or "none")]


def _entry(entry: BankEntry) -> str:
    label = entry.label if len(entry.label) <= 80 else entry.label[:77] + "…"
    return f"`{entry.bank}` {entry.path} \u201c{_cell(label)}\u201d"


def render(result: Comparison, site: Site, old_name: str, new_name: str) -> str:
    out = [f"# The Main Guidance: what changed", "",
           f"Compared `{new_name}` (revised) with `{old_name}` (the text this site was built from).", ""]
    if result.unchanged:
        out.append("Nothing changed: no sentence was added, removed or changed, and no section moved. "
                   "The site needs no update for this text.")
        return "\n".join(out) + "\n"
    counts = [(len(result.of("changed")), "changed"), (len(result.of("added")), "added"),
              (len(result.of("removed")), "removed"), (len(result.of("moved")), "moved to another section")]
    out.append("Sentences: " + ", ".join(f"{n} {what}" for n, what in counts) +
               f". Sections: {len(result.sections)} moved, renamed, added or removed.")
    out.append("")
    if result.sections:
        out += ["## Sections", ""]
        for change in result.sections:
            if change.kind == "moved":
                out.append(f"- **Moved:** \u201c{change.old.heading}\u201d, with its {len(change.old.sentences)} "
                           f"sentences (line {change.old.line}, after \u201c{change.old_after}\u201d; now line "
                           f"{change.new.line}, after \u201c{change.new_after}\u201d).")
            elif change.kind == "renamed":
                out.append(f"- **Renamed:** \u201c{change.old.heading}\u201d is now \u201c{change.new.heading}\u201d "
                           f"(line {change.new.line}). A `guidance:` source naming the old heading must name the new one.")
            elif change.kind == "removed":
                out.append(f"- **Removed:** \u201c{change.old.heading}\u201d (line {change.old.line}), with its "
                           f"{len(change.old.sentences)} sentences, listed below.")
            else:
                out.append(f"- **Added:** \u201c{change.new.heading}\u201d (line {change.new.line}), with its "
                           f"{len(change.new.sentences)} sentences, listed below.")
            section = change.old or change.new
            pages = site.pages_with_heading(section.heading)
            out.append("  - Pages with this heading: " + (", ".join(f"`docs/{p}`" for p in pages) or "none"))
            entries = site.entries_citing(change.old.heading if change.old else change.new.heading)
            out.append("  - Bank items citing it: " + ("; ".join(_entry(e) for e in entries) or "none"))
        out.append("")
    for kind, title in (("changed", "Changed sentences"), ("added", "Added sentences"),
                        ("removed", "Removed sentences"), ("moved", "Sentences moved to another section")):
        changes = result.of(kind)
        if not changes:
            continue
        out += [f"## {title}", ""]
        for change in changes:
            if kind == "changed":
                out += [f"- Under \u201c{change.new.heading}\u201d (line {change.old.line} \u2192 {change.new.line}):", "",
                        "  | Old | New |", "  | --- | --- |",
                        f"  | {_cell(change.old.text)} | {_cell(change.new.text)} |", ""]
                out += _carried(site, change.old)
            elif kind == "added":
                out.append(f"- Under \u201c{change.new.heading}\u201d (line {change.new.line}): {change.new.text}")
                pages = site.pages_with_heading(change.new.heading)
                out.append("  - Pages with its section: " + (", ".join(f"`docs/{p}`" for p in pages) or "none"))
                entries = site.entries_citing(change.new.heading)
                out.append(f"  - Bank items citing \u201c{change.new.heading}\u201d: "
                           + ("; ".join(_entry(e) for e in entries) or "none"))
            elif kind == "removed":
                out.append(f"- Under \u201c{change.old.heading}\u201d (line {change.old.line}): {change.old.text}")
                out += _carried(site, change.old)
            else:
                out.append(f"- From \u201c{change.old.heading}\u201d (line {change.old.line}) to "
                           f"\u201c{change.new.heading}\u201d (line {change.new.line}): {change.old.text}")
                out += _carried(site, change.old)
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare a revised Main Guidance with the one the site was built from.")
    parser.add_argument("new", type=Path, help="the revised Main Guidance, as plain text")
    parser.add_argument("--old", type=Path, default=BUILT_FROM, help="the text the site was built from")
    parser.add_argument("--out", type=Path, default=DEFAULT_REPORT, help="where to write the Markdown report")
    args = parser.parse_args(argv)
    try:
        old_text, new_text = read_text(args.old), read_text(args.new)
    except SourceError as error:
        print(f"source-compare: {error}", file=sys.stderr)
        return 2
    report = render(compare(old_text, new_text), Site.read(), _shown(args.old), _shown(args.new))
    args.out.write_text(report, "utf-8")
    print(report)
    print(f"Report written to {args.out}")
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
