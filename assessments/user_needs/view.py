"""The user needs table as HTML, CSV and Markdown, and its one-line summary.

The result is the table itself, read back in rows, so a team can check it before they
download it, plus gentle checks from the bank (never blocking). Every cell is text the
reader typed or a file supplied, so each format escapes it its own way: HTML through
`assessments.core.html`, CSV against spreadsheet formulas, Markdown against table breaks
and raw HTML.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..core.html import Markup, element as e
from ..core.links import page_href
from ..core.word_document import Run, WordDocument, heading, paragraph, table
from .model import CheckResult, FlaggedRow, UserNeedsBank, UserNeedsResult, load_user_needs_bank

__all__ = [
    "user_needs_word",
    "render_user_needs_result",
    "summarise_user_needs_result",
    "user_needs_csv",
    "user_needs_markdown",
    "csv_cell",
    "markdown_cell",
]

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV
# injection"); tab and carriage return can hide one. An apostrophe makes it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _row_label(bank: UserNeedsBank, row: FlaggedRow) -> str:
    name = bank.row_name(row.number)
    return f"{name} ({row.user})" if row.user else name


def _check(check: CheckResult, bank: UserNeedsBank, site_root: str) -> Markup:
    parts: list[Markup] = [e("h4", check.title), e("p", check.advice)]
    if check.rows:
        parts.append(e("ul", [
            e("li", _row_label(bank, row), f": uses {row.detail}" if row.detail else "") for row in check.rows
        ]))
    if check.links:
        parts.append(e("p", "Read more: ", [
            Markup((", " if i else "") + e("a", link.title, href=page_href(link.target, site_root)))
            for i, link in enumerate(check.links)
        ], "."))
    return e("section", parts, class_="cssc-user-needs__check", data_check=check.id)


def render_user_needs_result(result: UserNeedsResult, site_root: str = "", bank: UserNeedsBank | None = None) -> Markup:
    """The table as the reader filled it in, with counts and things to check, as escaped HTML."""
    bank = bank or load_user_needs_bank()
    if not result.rows:
        return e("div", e("p", f"No {bank.item_name_plural} listed yet. Fill in a row above and your table appears "
                               "here, ready to check and download.", class_="cssc-result__headline"),
                 class_="cssc-result__body cssc-user-needs")
    rows = len(result.rows)
    parts: list[Markup] = [
        e("p", e("strong", f"{bank.count(rows)} listed"),
          f"; {result.complete_rows} with every column filled in.", class_="cssc-result__headline",
          data_rows=rows),
    ]
    user_index = bank.column_ids.index(bank.user_column)
    body = []
    for row in result.rows:
        cells = []
        for index, (column, text) in enumerate(zip(bank.columns, row.cells)):
            content = text or e("span", "Not filled in", class_="cssc-user-needs__empty")
            if index == user_index:
                cells.append(e("th", content, scope="row"))
            else:
                cells.append(e("td", content))
        body.append(e("tr", cells, data_row=row.number))
    parts.append(e(
        "div",
        e("table",
          e("caption", "Your user needs table"),
          e("thead", e("tr", [e("th", column.label, scope="col") for column in bank.columns])),
          e("tbody", body),
          class_="cssc-table cssc-user-needs__table"),
        class_="cssc-user-needs__scroll", tabindex="0", role="region", aria_label="Your user needs table (scrolls sideways on a narrow screen)",
    ))
    parts.append(e("p", "Use Download CSV to open the table in a spreadsheet, or Download Markdown to paste it "
                        "into a document. Download JSON keeps a copy you can load back here."))
    parts.append(e("h3", f"Things to check ({len(result.checks)})"))
    if result.checks:
        parts.extend(_check(check, bank, site_root) for check in result.checks)
    else:
        parts.append(e("p", "Nothing to check at the moment."))
    return e("div", parts, class_="cssc-result__body cssc-user-needs")


def summarise_user_needs_result(result: UserNeedsResult, bank: UserNeedsBank | None = None) -> str:
    """One line for the page's status region (read out by screen readers)."""
    bank = bank or load_user_needs_bank()
    if not result.rows:
        return f"Result updated: no {bank.item_name_plural} listed yet."
    checks = len(result.checks)
    return (f"Result updated: {bank.count(len(result.rows))} listed, "
            f"{checks} thing{'' if checks == 1 else 's'} to check.")


# ------------------------------------------------------------------------- downloads


def csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs: `=SUM(A1)` -> `'=SUM(A1)`."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def user_needs_csv(answers: dict[str, Any], result: UserNeedsResult, bank: UserNeedsBank | None = None) -> str:
    """One line per user row; the header is the column labels.

    Starts with a byte order mark, so Excel on Windows reads the UTF-8 correctly
    (curly quotes, accents) instead of guessing an older code page.
    """
    bank = bank or load_user_needs_bank()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow([csv_cell(column.label) for column in bank.columns])
    for row in result.rows:
        writer.writerow([csv_cell(text) for text in row.cells])
    return "\ufeff" + out.getvalue()


def markdown_cell(text: str) -> str:
    """Text that stays in its table cell and shows as typed in any Markdown viewer.

    Pipes would end the cell and newlines the row; `<` could start raw HTML; `*`, `_`,
    brackets and backticks would turn into formatting or links. Line breaks become
    `<br>`, which table cells allow.
    """
    escaped = text.replace("\\", "\\\\")
    for mark in "|*_[]`":
        escaped = escaped.replace(mark, "\\" + mark)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    lines = [line.strip() for line in escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "<br>".join(lines).strip()


def user_needs_markdown(answers: dict[str, Any], result: UserNeedsResult, bank: UserNeedsBank | None = None) -> str:
    """The table as a Markdown table, then the things to check."""
    bank = bank or load_user_needs_bank()
    lines = [f"# {bank.title}", ""]
    if result.rows:
        lines.append("| " + " | ".join(markdown_cell(c.label) for c in bank.columns) + " |")
        lines.append("|" + " --- |" * len(bank.columns))
        for row in result.rows:
            lines.append("| " + " | ".join(markdown_cell(text) for text in row.cells) + " |")
    else:
        lines.append(f"No {bank.item_name_plural} listed yet.")
    if result.checks:
        lines += ["", "## Things to check", ""]
        for check in result.checks:
            where = "; ".join(
                markdown_cell(_row_label(bank, row) + (f": uses {row.detail}" if row.detail else ""))
                for row in check.rows
            )
            lines.append(f"- **{markdown_cell(check.title)}.** {markdown_cell(check.advice)}"
                         + (f" Rows: {where}." if where else ""))
    lines += ["", f"Made with the {bank.title} (version {bank.version}) of the guide to developing data analytics "
                  "tools in children\u2019s social care.", ""]
    return "\n".join(lines)


def user_needs_word(answers: dict[str, Any], result: UserNeedsResult, bank: UserNeedsBank | None = None) -> WordDocument:
    """The table for Word, one row per user, then the things to check."""
    bank = bank or load_user_needs_bank()
    blocks: list[dict[str, Any]] = [heading(bank.title, 0)]
    if result.rows:
        blocks.append(table([column.label for column in bank.columns], [row.cells for row in result.rows]))
    else:
        blocks.append(paragraph(f"No {bank.item_name_plural} listed yet."))
    if result.checks:
        blocks.append(heading("Things to check", 1))
        for check in result.checks:
            where = "; ".join(_row_label(bank, row) + (f": uses {row.detail}" if row.detail else "")
                              for row in check.rows)
            blocks.append(paragraph(Run(f"{check.title}. ", bold=True), check.advice,
                                    f" Rows: {where}." if where else ""))
    return WordDocument(title=bank.title, subject=bank.title, blocks=tuple(blocks))
