"""What a tool is: its bank, a validator, a scorer, views and downloads, as one frozen value.

The registry (`assessments/tools.py`) makes one `Tool` per slug; everything below it (records,
upgrade, the documents) is handed the resolved `Tool` and never looks one up by slug.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .html import Markup
from .provenance import ToolProvenance, tool_provenance

__all__ = ["Tool", "Export", "WORD_MEDIA_TYPE", "word_export"]


@dataclass(frozen=True)
class Export:
    """A download besides the JSON record (Markdown, CSV, Word), made from the same result."""

    label: str  # shown on the button: "Download <label>"
    suffix: str  # file name ending, e.g. ".md"
    media_type: str  # e.g. "text/markdown"
    # (answers, result) -> the file's text; for Word a WordDocument that the page's Word
    # writer turns into a .docx file; for a workbook (.xlsx) the file's bytes, written
    # by openpyxl, which the worker loads for that download only.
    render: Callable[[dict[str, Any], Any], Any]

    @property
    def is_word(self) -> bool:
        return self.suffix.endswith(".docx")

    @property
    def is_workbook(self) -> bool:
        return self.suffix.endswith(".xlsx")


WORD_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word_export(label: str, render: Callable[[dict[str, Any], Any], Any], suffix: str = ".docx") -> Export:
    """A Word download: `render` returns a word_document.WordDocument."""
    return Export(label, suffix, WORD_MEDIA_TYPE, render)


@dataclass(frozen=True)
class Tool:
    slug: str
    page: str  # the docs source path of the tool's own page
    load_bank: Callable[[], Any]  # returns a validated bank with .title and .version
    validate_answers: Callable[[Any], dict[str, Any]]  # raises InputError
    score: Callable[[dict[str, Any]], Any]  # returns a result with .to_dict()
    # (result, site_root, view) -> HTML. `view` lets a page show part of a tool, such
    # as one stage's checklist; "" means the whole tool.
    render_result: Callable[[Any, str, str], Markup]
    summarise: Callable[[Any], str]  # one line for the page's status region
    answers_schema: Callable[[Any], dict[str, Any]]  # JSON Schema of `answers`, from the bank
    # The parts of the tool a page marker may show on its own (e.g. checklist stages).
    views: Callable[[Any], tuple[str, ...]] = lambda bank: ()
    # Question ids that do not apply given the answers so far (branching). The page
    # hides them; the scorer ignores their answers. Python decides, never the page.
    inactive: Callable[[dict[str, Any]], tuple[str, ...]] = lambda answers: ()
    # Results of other tools this tool can take answers from: {source slug: function
    # (source's result, this form's current validated answers) -> {field name: value}}.
    # The current answers let a function fill only what is still empty (see api._bring_in).
    bring_in: dict[str, Callable[[Any, dict[str, Any]], dict[str, Any]]] = field(default_factory=dict)
    # Other tools whose saved answers the page sends with every request, so this tool's
    # result can summarise them (e.g. the business case shows the triage result).
    context_tools: tuple[str, ...] = ()
    # With context_tools: score(answers, {slug: that tool's result, or None}).
    score_in_context: Callable[[dict[str, Any], dict[str, Any]], Any] | None = None
    # Extra downloads, keyed by a short format name used in the page ("markdown").
    exports: dict[str, Export] = field(default_factory=dict)
    # Long free text: warn before the page is closed if answers changed since the last
    # download, because browser storage alone is easy to lose on a shared computer.
    warn_unexported: bool = False
    # A record a council files: printing the page gives the result alone, dated (the
    # form template marks it data-print-record; the stylesheet does the rest).
    prints_record: bool = False

    @property
    def template(self) -> str:
        """The Jinja template in overrides/ that renders the tool's form."""
        return f"cssc/tools/{self.slug}.html"

    @property
    def title(self) -> str:
        return self.load_bank().title

    @property
    def version(self) -> str:
        return self.load_bank().version

    @property
    def provenance(self) -> ToolProvenance:
        """Which parts of the tool are the Main Guidance's and which ours, and every rule's source."""
        return tool_provenance(self.slug)
