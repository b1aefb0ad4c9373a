"""The answer ids of the last release of every tool, and the check that keeps them loadable.

`build/released/<tool>.json` is a frozen copy of what the last released version of each
tool's questions saved: its version, and every answer name with its options. Readers have
answers and files with those ids. The build (bank_checks.py) fails, naming the id, when
the current bank no longer has one of them and no `[[migrations]]` step says where it went
(renamed) or why it is gone (removed), or when ids changed but the version did not rise.
It runs as an MkDocs hook (after bank_checks.py, which validates the banks). The check runs the frozen ids through the same upgrade that readers' answers take
(assessments/core/upgrade.py), so what passes here is exactly what will carry over.

After publishing a release, freeze its ids for the next one:

    .venv/bin/python build/released_ids.py --freeze
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

RELEASED_DIR = Path(__file__).resolve().parent / "released"


def _sample(pattern: str) -> str:
    """An answer name a pattern property matches: "^row-(1|2|…)--user$" -> "row-1--user"."""
    name = re.sub(r"\(([^()|]+)(?:\|[^()]*)?\)", r"\1", pattern).removeprefix("^").removesuffix("$")
    return re.sub(r"\\(.)", r"\1", name)


def answer_ids(tool: Any) -> dict[str, Any]:
    """{"version", "answers": {answer name: [options] or null (free text)}} of a tool now."""
    from assessments.core.upgrade import _options  # the same reading of options as the upgrade's

    schema = tool.answers_schema(tool.load_bank())
    answers = {name: _options(entry) for name, entry in schema.get("properties", {}).items()}
    for pattern, entry in schema.get("patternProperties", {}).items():
        answers[_sample(pattern)] = _options(entry)
    return {"version": tool.version, "answers": answers}


def release_problems(tool: Any, frozen: dict[str, Any]) -> list[str]:
    """What stops answers saved with the frozen release from carrying over, in words naming the id."""
    from assessments.core.upgrade import _described, _known, _migrate, _steps_between, parse_version

    problems = []
    released = frozen["version"]
    schema = tool.answers_schema(tool.load_bank())
    for step in _steps_between(tool, None):
        if (parse_version(step.to_version) or ()) > (parse_version(tool.version) or ()):
            problems.append(f"{step.bank}: a migration goes to version {step.to_version}, later than the bank's "
                            f"own version {tool.version}")
        # Answers saved with no version (the first releases) go through every step, so an
        # id a step moves away must not be an answer of the current questions.
        for old in [*step.renamed_questions, *step.merged_questions]:
            if _described(schema, old.replace("{n}", "1"))[0] is not None:
                problems.append(f"{step.bank}: '{old}' is renamed or merged in a migration but is still an answer "
                                "of the current questions: ids are never reused, so give the new one another id")
    steps = _steps_between(tool, released)
    changed = False
    for name, options in frozen["answers"].items():
        value = list(options) if options else "text"
        migrated, removed, _ = _migrate({name: value}, steps)
        _, _, unexplained = _known(tool, migrated)
        changed = changed or bool(removed) or migrated != {name: value}
        for gone in unexplained:
            gone_name, _, option = gone.partition("=")
            changed = True
            if option:
                problems.append(f"{tool.slug}: option '{option}' of '{gone_name}' (released in version {released}) "
                                "is gone with no migration: add it to renamed_options, or to [[migrations.removed]] "
                                "with the reason readers will see")
            else:
                problems.append(f"{tool.slug}: the answer id '{gone_name}' (released in version {released}) is gone "
                                "with no migration: add it to renamed_questions (or merged_questions), or to [[migrations.removed]] with "
                                "the reason readers will see")
    if changed and tool.version == released:
        problems.append(f"{tool.slug}: ids released in version {released} changed, but the bank's version did not "
                        "rise: raise `version` and add a [[migrations]] step from it")
    return problems


def check_released(tools: dict[str, Any], folder: Path = RELEASED_DIR) -> list[str]:
    """Every problem for every tool that has a frozen release (a new tool has none yet)."""
    problems = []
    for slug, tool in tools.items():
        frozen_file = folder / f"{slug}.json"
        if frozen_file.exists():
            problems += release_problems(tool, json.loads(frozen_file.read_text("utf-8")))
    return problems


def on_files(files, config):
    """MkDocs hook: stop the build when answers saved with the last release would not carry over."""
    from mkdocs.exceptions import PluginError

    from assessments.tools import TOOLS

    problems = check_released(TOOLS, RELEASED_DIR)
    if problems:
        raise PluginError("Saved answers of the last release would not carry over: " + "; ".join(problems))
    return files


def freeze(tools: dict[str, Any], folder: Path = RELEASED_DIR) -> None:
    folder.mkdir(exist_ok=True)
    for slug, tool in tools.items():
        text = json.dumps(answer_ids(tool), indent=1, ensure_ascii=False) + "\n"
        (folder / f"{slug}.json").write_text(text, "utf-8")


if __name__ == "__main__":
    from assessments.tools import TOOLS

    if sys.argv[1:] == ["--freeze"]:
        freeze(TOOLS)
    else:
        found = check_released(TOOLS)
        print("\n".join(found) or "Every released id carries over.")
        sys.exit(1 if found else 0)
