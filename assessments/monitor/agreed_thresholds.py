"""The accuracy thresholds agreed at Design, as the documents that ask about them show them.

The reader records the thresholds once, in the test and monitor tool (test_monitor.py:
minimum precision and recall, the largest acceptable difference between groups, the
smallest group to judge). The ethics workbook and the transparency record ask about
accuracy too; they read the thresholds from that tool's saved answers (the tool's
`context_tools`, as the business case reads the other tools) rather than asking for them
again, and show them beside the question or field that asks, on the page and in their
downloads. Which question or field that is, and what to say when nothing is saved, is data
in each bank's `[agreed_thresholds]` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..core.bank_reader import Fields
from ..core.html import Markup, element as e
from ..core.links import page_href
from .model import SLUG as TEST_MONITOR, ThresholdsResult
from ..core.word_document import Run, bullets, paragraph

__all__ = ["TEST_MONITOR", "ThresholdsPlacement", "AgreedThresholds", "parse_placement", "agreed_thresholds"]


@dataclass(frozen=True)
class ThresholdsPlacement:
    """Where a document shows the thresholds (from its bank)."""

    shown_with: str  # the id of the question or field that asks about accuracy
    title: str  # the heading shown above them
    target: str  # the test and monitor tool's page, where they are changed
    absent: str  # said when no thresholds are saved in this browser


def parse_placement(bank: Fields, known_ids: Iterable[str]) -> ThresholdsPlacement | None:
    """The bank's `[agreed_thresholds]` table, or None when it has none. Raises BankError."""
    if bank.raw("agreed_thresholds") is None:
        return None
    table = bank.table("agreed_thresholds")
    table.text("source")  # provenance.py requires it; read here so a bank without one fails too
    shown_with = table.ident("shown_with")
    if shown_with not in set(known_ids):
        raise table.fail("shown_with", f"'{shown_with}' is not a question or field of this document")
    return ThresholdsPlacement(shown_with, table.text("title"), table.text("target"), table.text("absent"))


@dataclass(frozen=True)
class AgreedThresholds:
    """The thresholds as saved in the test and monitor tool, or that none are saved."""

    placement: ThresholdsPlacement
    saved: bool
    thresholds: tuple[tuple[str, str], ...]  # (label, in words), in the tool's order

    @property
    def shown_with(self) -> str:
        return self.placement.shown_with

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": TEST_MONITOR,
            "shown_with": self.shown_with,
            "saved": self.saved,
            "thresholds": [{"label": label, "words": words} for label, words in self.thresholds],
        }

    def html(self, site_root: str) -> Markup:
        """The thresholds (or why there are none) with a link to where they are changed."""
        link = e("a", "test and monitor tool", href=page_href(self.placement.target, site_root))
        if not self.saved:
            body = [e("p", self.placement.absent, " Record them in the ", link, ".")]
        else:
            body = [
                e("ul", [e("li", e("strong", f"{label}: "), words) for label, words in self.thresholds]),
                e("p", "Recorded in the ", link, " in this browser; change them there."),
            ]
        return e("div", e("p", e("strong", self.placement.title)), body, class_="cssc-agreed-thresholds",
                 data_agreed_thresholds="saved" if self.saved else "absent")

    def markdown(self) -> list[str]:
        """Markdown lines for a download; none when nothing is saved (a download states what
        was agreed, not what is missing from one browser). The text is ours, not typed."""
        if not self.saved:
            return []
        return [f"**{self.placement.title}**", "",
                *(f"- **{label}:** {words}" for label, words in self.thresholds), ""]

    def word(self) -> list[dict[str, Any]]:
        """Word blocks for a download; none when nothing is saved."""
        if not self.saved:
            return []
        return [paragraph(Run(self.placement.title, bold=True), keep_with_next=True),
                bullets(f"{label}: {words}" for label, words in self.thresholds)]


def agreed_thresholds(placement: ThresholdsPlacement | None,
                      context: Mapping[str, Any] | None) -> AgreedThresholds | None:
    """What to show from `context` ({tool slug: its result, or None}, see
    records.score_with_context). A result of another type (a stale copy) counts as none."""
    if placement is None:
        return None
    result = (context or {}).get(TEST_MONITOR)
    if not isinstance(result, ThresholdsResult):
        return AgreedThresholds(placement, False, ())
    return AgreedThresholds(placement, True, tuple((t["label"], t["words"]) for t in result.threshold_words()))
