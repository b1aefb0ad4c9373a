"""Provenance in a tool's result: a line saying what is ours, and "Why this?" for detail.

The same words and markup as the checklists' "Why this?" (overrides/cssc/tools/checklists.html),
so a reader meets one convention everywhere.
"""

from __future__ import annotations

from .html import Markup, element as e
from .provenance import Source

__all__ = ["provenance_line", "why_this"]


def provenance_line(text: str) -> Markup:
    """The one line in a result that says which parts are ours (`text`, a sentence)."""
    return e("p", e("strong", "Our addition: "), text, class_="cssc-result__provenance")


def why_this(sources: list[tuple[str, Source]]) -> Markup:
    """A closed "Why this?" disclosure listing (what, where it comes from) pairs."""
    ours = any(source.ours for _, source in sources)
    return e(
        "details",
        e("summary", "Why this?", " (our addition)" if ours else ""),
        e("ul", [e("li", e("strong", what), ": ", source.describe()) for what, source in sources]),
        class_="cssc-source", data_source="ours" if ours else "guidance",
    )
