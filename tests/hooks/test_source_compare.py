"""`make source-compare NEW=…`: a revised Main Guidance against the text the site was built from.

Each revision is made here from the source text itself (a sentence reworded, one added, one
removed, a section moved), so the expected changes are known; the pages and bank items the
report names are checked against the repository, read here independently (the pages' files and
the banks' TOML), not against the module's own lookup.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from support_build import ROOT, load_build_module

compare_module = load_build_module("source_compare")
SOURCE_PATH = ROOT / "tests" / "fixtures" / "main-guidance-source.txt"
SOURCE = SOURCE_PATH.read_text("utf-8")
SEED = ROOT.parent / "shared" / "seeds" / "000_fa9ee6d4451f571f.txt"
# The SHA-256 of the source the site was built from (the seed above, where it is at hand).
BUILT_FROM_SHA256 = "68b8580690e20ae811074b6e1dc9a50d0b7ae0d354766ecccfca9e20467d3382"

PHASED = "A phased approach, where the tool is first deprecated before being decommissioned may be beneficial."
PHASED_NEW = "A phased approach, where the tool is first deprecated before it is decommissioned, is usually beneficial."
TEMPLATES = "You may find open source analysis templates and tools useful. "
ADDED = "You should record each dataset's owner and lawful basis in a catalogue."
SIGN_OFF = "Senior leaders in Children's Services should sign off on the Business Case, to allow you to progress."


def revised(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def run(tmp_path, text: str | bytes, capsys) -> tuple[int, str, str, str]:
    """Run the command line on a revision; its exit status, output, errors and written report."""
    new = tmp_path / "revised.txt"
    new.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    report = tmp_path / "report.md"
    status = compare_module.main([str(new), "--out", str(report)])
    out, err = capsys.readouterr()
    return status, out, err, report.read_text("utf-8") if report.exists() else ""


def sourced_entries(heading: str) -> set[tuple[str, str]]:
    """(bank, path) of every bank table whose `source` is "guidance: <heading>…", read from the TOML."""
    found = set()

    def walk(value, path, bank):
        if isinstance(value, dict):
            source = value.get("source")
            if isinstance(source, str) and source.startswith("guidance:") and (
                    source.removeprefix("guidance:").strip().split(" (", 1)[0] == heading):
                found.add((bank, path))
            for name, child in value.items():
                walk(child, f"{path}.{name}" if path else name, bank)
        elif isinstance(value, list):
            for n, child in enumerate(value):
                walk(child, f"{path}[{n}]", bank)

    banks = ROOT / "assessments" / "banks"
    for file in banks.rglob("*.toml"):
        walk(tomllib.loads(file.read_text("utf-8")), "", str(file.relative_to(banks)))
    return found


def pages_with(words: str) -> list[str]:
    docs = ROOT / "docs"
    return sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md") if words in p.read_text("utf-8"))


def named_entries(lines: list[str]) -> set[tuple[str, str]]:
    """The (bank, path) pairs a report line names."""
    import re
    return {(m[1], m[2]) for line in lines for m in re.finditer(r"`([^`]+\.toml)` (\S+) \u201c", line)}


def test_the_text_compared_against_is_the_one_the_site_was_built_from():
    import hashlib
    assert hashlib.sha256(SOURCE_PATH.read_bytes()).hexdigest() == BUILT_FROM_SHA256
    assert compare_module.BUILT_FROM == SOURCE_PATH
    if SEED.exists():  # where the original source is at hand, the fixture is it, byte for byte
        assert SEED.read_bytes() == SOURCE_PATH.read_bytes()


def test_no_change_says_so_plainly(tmp_path, capsys):
    # Spacing and line endings are not a change to the guidance's words.
    status, out, err, report = run(tmp_path, SOURCE.replace("\n", "\r\n").replace(". ", ".  "), capsys)
    assert status == 0 and err == ""
    assert "Nothing changed: no sentence was added, removed or changed, and no section moved." in out
    assert report in out and "Nothing changed" in report
    assert f"Report written to {tmp_path / 'report.md'}" in out


def test_a_changed_sentence_is_shown_old_beside_new_with_its_page_and_the_items_citing_its_section(tmp_path, capsys):
    status, out, _, report = run(tmp_path, revised(SOURCE, (PHASED, PHASED_NEW)), capsys)
    assert status == 0
    result = compare_module.compare(SOURCE, revised(SOURCE, (PHASED, PHASED_NEW)))
    assert [(c.kind, c.old.text, c.new.text) for c in result.sentences] == [("changed", PHASED, PHASED_NEW)]
    assert result.sections == []
    assert "Sentences: 1 changed, 0 added, 0 removed, 0 moved to another section." in report
    assert f"  | {PHASED} | {PHASED_NEW} |" in report
    block = report[report.index("## Changed sentences"):].splitlines()
    assert "  - Pages: `docs/guidance/implement/retire.md`" in block
    assert pages_with("first deprecated before being decommissioned") == ["guidance/implement/retire.md"]
    citing = [line for line in block if line.startswith("  - Bank items citing \u201cRetirement\u201d")]
    assert named_entries(citing) == sourced_entries("Retirement") != set()


def test_a_changed_sentence_names_the_bank_item_that_holds_its_words(tmp_path, capsys):
    reworded = "Senior leaders in Children's Services must sign off on the Business Case before you progress."
    _, _, _, report = run(tmp_path, revised(SOURCE, (SIGN_OFF, reworded)), capsys)
    block = report[report.index("## Changed sentences"):].splitlines()
    holding = [line for line in block if line.startswith("  - Bank items with its words:")]
    banks = ROOT / "assessments" / "banks"
    stage = tomllib.loads((banks / "checklists" / "ethics-triage.toml").read_text("utf-8"))
    expected = {("checklists/ethics-triage.toml", f"sections[{s}].items[{i}]")
                for s, section in enumerate(stage["sections"]) for i, item in enumerate(section["items"])
                if item["text"] == SIGN_OFF}
    assert len(expected) == 1 and named_entries(holding) == expected
    pages = block[block.index(next(line for line in block if line.startswith("  - Pages:")))]
    for page in pages_with(SIGN_OFF):
        assert f"`docs/{page}`" in pages
    assert "`docs/guidance/explore/ethics-triage.md`" in pages


def test_an_added_sentence_is_listed_with_the_pages_of_its_section(tmp_path, capsys):
    text = revised(SOURCE, ("Identify the datasets needed\n\n", f"Identify the datasets needed\n\n{ADDED}\n\n"))
    status, _, _, report = run(tmp_path, text, capsys)
    assert status == 0
    result = compare_module.compare(SOURCE, text)
    assert [(c.kind, c.new.text, c.new.heading) for c in result.sentences] == [
        ("added", ADDED, "Identify the datasets needed")]
    block = report[report.index("## Added sentences"):].splitlines()
    assert f"- Under \u201cIdentify the datasets needed\u201d (line 384): {ADDED}" in block
    assert "  - Pages with its section: `docs/guidance/explore/choose-a-solution.md`" in block
    assert named_entries(block) == sourced_entries("Identify the datasets needed") != set()


def test_a_removed_sentence_is_listed_with_the_page_that_carries_it(tmp_path, capsys):
    text = revised(SOURCE, (TEMPLATES, ""))
    _, _, _, report = run(tmp_path, text, capsys)
    result = compare_module.compare(SOURCE, text)
    assert [(c.kind, c.old.text) for c in result.sentences] == [("removed", TEMPLATES.strip())]
    block = report[report.index("## Removed sentences"):].splitlines()
    assert f"- Under \u201cImproving data maturity\u201d (line 201): {TEMPLATES.strip()}" in block
    assert pages_with(TEMPLATES.strip()) == ["guidance/explore/exploratory.md"]
    assert "  - Pages: `docs/guidance/explore/exploratory.md`" in block


def test_a_moved_section_is_reported_as_moved_not_removed_and_added(tmp_path, capsys):
    start, end = SOURCE.index("Independent scrutiny\n"), SOURCE.index("Overview of Develop\n")
    section = SOURCE[start:end]
    text = SOURCE[:start] + SOURCE[end:] + "\n\n" + section
    status, _, _, report = run(tmp_path, text, capsys)
    assert status == 0
    result = compare_module.compare(SOURCE, text)
    assert result.sentences == []  # not one sentence reported removed or added
    assert [(c.kind, c.old.heading, c.old_after, c.new_after) for c in result.sections] == [
        ("moved", "Independent scrutiny", "Establish appropriate scrutiny and oversight", "Retirement")]
    assert "- **Moved:** \u201cIndependent scrutiny\u201d, with its 9 sentences" in report
    assert "Removed sentences" not in report and "Added sentences" not in report
    block = report[report.index("## Sections"):].splitlines()
    assert "  - Pages with this heading: `docs/guidance/explore/ethics-triage.md`" in block
    assert named_entries(block) == sourced_entries("Independent scrutiny") != set()


def test_a_sentence_moved_to_another_section_is_moved_and_a_renamed_heading_is_renamed(tmp_path, capsys):
    text = revised(SOURCE, (TEMPLATES, ""), ("Identify the datasets needed\n\n",
                                            f"Identify the datasets needed\n\n{TEMPLATES.strip()}\n\n"),
                   ("\nRetirement\n", "\nRetiring a tool\n"))
    result = compare_module.compare(SOURCE, text)
    assert [(c.kind, c.old.heading, c.new.heading) for c in result.sentences] == [
        ("moved", "Improving data maturity", "Identify the datasets needed")]
    assert [(c.kind, c.old.heading, c.new.heading) for c in result.sections] == [
        ("renamed", "Retirement", "Retiring a tool")]
    _, _, _, report = run(tmp_path, text, capsys)
    assert "- **Renamed:** \u201cRetirement\u201d is now \u201cRetiring a tool\u201d" in report


@pytest.mark.parametrize("content", [b"", b"  \n\n\t \r\n"], ids=["empty", "blank"])
def test_an_empty_file_is_refused_with_a_message(tmp_path, capsys, content):
    status, out, err, report = run(tmp_path, content, capsys)
    assert status == 2 and out == "" and report == ""
    assert "is empty: there is nothing to compare" in err


@pytest.mark.parametrize("content, words", [
    (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40 + b"word/document.xml", "is not a text file"),
    ("Main Guidance\n\nCaf\u00e9 society.\n".encode("utf-16"), "is not a text file"),
    ("Main Guidance\n\nCaf\u00e9 society.\n".encode("cp1252"), "is not UTF-8 text"),
], ids=["docx", "utf-16", "windows-1252"])
def test_a_binary_or_non_utf8_file_is_refused_with_a_message(tmp_path, capsys, content, words):
    status, out, err, report = run(tmp_path, content, capsys)
    assert status == 2 and out == "" and report == ""
    assert words in err and "Save the revised Main Guidance as plain text" in err


def test_make_source_compare_runs_the_comparison_and_refuses_a_missing_new(tmp_path):
    new = tmp_path / "revised.txt"
    new.write_text(revised(SOURCE, (PHASED, PHASED_NEW)), "utf-8")
    report = tmp_path / "report.md"
    # -o: never set the environment up again from inside a test; this one's Python runs it.
    done = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "source-compare", f"NEW={new}",
                           f"OUT={report}", f"BIN={sys.prefix}/bin"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert PHASED_NEW in done.stdout and PHASED_NEW in report.read_text("utf-8")
    missing = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "source-compare"], cwd=ROOT,
                             capture_output=True, text=True)
    assert missing.returncode != 0
    assert "make source-compare NEW=path/to/revised.txt" in missing.stderr
