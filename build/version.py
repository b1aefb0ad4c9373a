"""The guide's version label and the time a build stamps into what it writes.

The version has one source, `assessments.__version__` (which also names the wheel). A
working tree with uncommitted changes is labelled `<version>-dirty`, so a site or release
built from it never passes for the published one. The build time is SOURCE_DATE_EPOCH
when set (the reproducible-builds convention, which MkDocs also honours for the sitemap's
dates), otherwise the time of the commit checked out: two builds of one commit stamp the
same time.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def base_version(root: Path) -> str:
    """assessments.__version__, read from its file (the build may run before it is importable)."""
    for line in (root / "assessments" / "__init__.py").read_text("utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise RuntimeError("assessments/__init__.py has no __version__")


def is_dirty(root: Path) -> bool:
    """Uncommitted changes to tracked or new files (ignored files, such as site/, do not count)."""
    status = _git(root, "status", "--porcelain", "--untracked-files=normal")
    return bool(status and status.strip())


def version_label(root: Path) -> str:
    version = base_version(root)
    return f"{version}-dirty" if is_dirty(root) else version


def source_date_epoch(root: Path) -> int:
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    committed = _git(root, "log", "-1", "--format=%ct")
    return int(committed.strip()) if committed and committed.strip().isdigit() else 0


def fix_build_time(root: Path) -> int:
    """Set SOURCE_DATE_EPOCH for this build when it is not set (MkDocs reads it for the
    sitemap's dates and its .gz header), so every build of a commit is the same."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(source_date_epoch(root)))
    return int(os.environ["SOURCE_DATE_EPOCH"])
