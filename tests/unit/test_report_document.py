"""A report written once as document blocks gives its Markdown and its Word model."""

from __future__ import annotations

from assessments.core.report_document import markdown_of, word_model_of
from assessments.core.word_document import Run, bullets, heading, numbered, paragraph, table


BLOCKS = [
    heading("Report: cases.csv", 0),
    paragraph(Run("Disclosure: ", bold=True), "Counts below 10 are not shown."),
    heading("By team", 1),
    table(["Group", "Rows"], [["North | South", "fewer than 10"], ["<b>East</b>", "12"]]),
    bullets(["one", "two"]),
    numbered(["first"]),
]


def test_each_block_becomes_its_markdown_with_typed_text_escaped():
    assert markdown_of(BLOCKS).splitlines() == [
        "# Report: cases.csv", "",
        "**Disclosure:** Counts below 10 are not shown.", "",
        "## By team", "",
        "| Group | Rows |", "| --- | --- |", "| North \\| South | fewer than 10 |", "| &lt;b>East&lt;/b> | 12 |", "",
        "- one", "- two", "",
        "1. first",
    ]


def test_the_word_model_holds_the_same_blocks_with_the_footer_every_tool_has():
    model = word_model_of("Report: cases.csv", BLOCKS, "Test and monitor", "1.2.0", "2026-12-01T10:00:00Z")
    assert model["format"] == "cssc-word-document" and model["title"] == "Report: cases.csv"
    assert model["blocks"] == BLOCKS
    assert model["footer"] == "Test and monitor, questions version 1.2.0. Made on 1 December 2026."
