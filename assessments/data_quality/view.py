"""The data quality check on the page and in its downloads.

`render_settings_result` shows the reader's settings and rules (the tool's "result" as
answers are typed). `render_report` shows a report (data_quality.report): tables first,
then inline SVG charts that repeat a table's figures (with a text alternative), never
anything the report does not hold, so disclosure control applies to the page too.
`report_blocks` is the same report as a document (word_document.py's blocks), which
`report_markdown` and `report_word` write out (report_document.py): one text, two formats.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..data.loader import csv_cell
from .model import SettingsResult, load_data_quality_bank
from ..core.html import Markup, element, join
from ..core.links import page_href
from ..core.report_document import markdown_of, word_model_of
from ..core.word_document import heading, paragraph, table

__all__ = [
    "render_settings_result",
    "summarise_settings_result",
    "render_report",
    "summarise_report",
    "report_blocks",
    "report_markdown",
    "report_word",
    "report_csv",
]

_TYPE_NAMES = {"empty": "empty", "number": "numbers", "date": "dates", "category": "categories", "text": "text"}


def _percent(rate: float | None) -> str:
    return "not shown (small count)" if rate is None else f"{rate * 100:.1f}%"


def _shown(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


# ------------------------------------------------------------------ settings


def _rule_text(result: SettingsResult, rule) -> str:
    kind = result.bank.rule_kind(rule.kind)
    if rule.kind == "allowed-values":
        return f"‘{rule.column}’ {kind.label} {', '.join(rule.allowed)}"
    if rule.kind == "not-after":
        return f"‘{rule.column}’ {kind.label} ‘{rule.other_column}’"
    return f"‘{rule.column}’ {kind.label}"


def render_settings_result(result: SettingsResult, site_root: str) -> Markup:
    s = result.settings
    items = [
        element("li", f"Identifier column: ‘{s.identifier_column}’." if s.identifier_column
                else "No identifier column chosen: duplicates are looked for across whole rows only."),
        element("li", f"Completeness broken down by ‘{s.group_column}’, flagging differences of more than "
                      f"{s.bias_threshold:g} percentage points." if s.group_column
                else "No group column chosen: completeness is not broken down by group."),
        element("li", f"Counts below {s.suppress_below} are not shown."),
        element("li", "Example values from the data are included in the report." if s.show_examples
                else "No values from the data are included in the report."),
    ]
    rules = [element("li", _rule_text(result, rule)) for rule in s.rules]
    incomplete = [element("li", f"Rule {number} is not used yet: it needs {needs}.") for number, needs in s.incomplete_rules]
    return join([
        element("p", "These settings are saved in this browser and in Download JSON. They hold no data."),
        element("ul", items),
        element("h3", f"Your rules ({len(s.rules)})"),
        element("ul", rules) if rules else element("p", "No rules yet: the check profiles every column on its own."),
        element("ul", incomplete, class_="cssc-data-check__incomplete") if incomplete else None,
    ])


def summarise_settings_result(result: SettingsResult) -> str:
    s = result.settings
    rules = f"{len(s.rules)} rule{'' if len(s.rules) == 1 else 's'}"
    waiting = f", {len(s.incomplete_rules)} not complete" if s.incomplete_rules else ""
    return f"Result updated: your settings, with {rules}{waiting}."


# -------------------------------------------------------------------- report


def summarise_report(report: dict[str, Any]) -> str:
    found = sum(len(d["findings"]) for d in report["dimensions"])
    return (f"Checked “{report['file']['name']}”: {_shown(report['rows'])} rows, {report['column_count']} columns, "
            f"{found} finding{'' if found == 1 else 's'}.")


def _table(caption: str, headings: list[str], rows: list[list[Any]], class_: str = "cssc-table") -> Markup:
    head = element("thead", element("tr", [element("th", heading, scope="col") for heading in headings]))
    body = element("tbody", [element("tr", [element("th", row[0], scope="row")] + [element("td", cell) for cell in row[1:]])
                             for row in rows])
    return element("div", element("table", element("caption", caption), head, body, class_=class_),
                   class_="cssc-data-check__table")


def _bar_chart(chart_id: str, title: str, description: str, bars: list[tuple[str, float | None]]) -> Markup:
    """Horizontal bars (0-100%), drawn with presentation attributes only (no inline
    styles: the site's Content-Security-Policy forbids them). The table beside it holds
    the same figures; the SVG's title and description say what it shows."""
    row_height, label_width, width = 22, 200, 560
    height = row_height * len(bars) + 24
    parts = [element("title", title, id=f"{chart_id}-title"), element("desc", description, id=f"{chart_id}-desc")]
    for index, (label, rate) in enumerate(bars):
        y = index * row_height + 4
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(element("text", short, x=label_width - 6, y=y + 14, text_anchor="end", class_="cssc-chart__label"))
        if rate is None:
            parts.append(element("text", "not shown", x=label_width + 4, y=y + 14, class_="cssc-chart__note"))
            continue
        bar = round((width - label_width - 60) * rate, 1)
        parts.append(element("rect", x=label_width, y=y + 2, width=bar, height=row_height - 6, class_="cssc-chart__bar"))
        parts.append(element("text", f"{rate * 100:.0f}%", x=label_width + bar + 4, y=y + 14, class_="cssc-chart__value"))
    return element("svg", parts, role="img", viewBox=f"0 0 {width} {height}", class_="cssc-chart",
                   aria_labelledby=f"{chart_id}-title {chart_id}-desc", focusable="false")


def render_report(report: dict[str, Any], site_root: str) -> Markup:
    count_rows = [[c["name"], _TYPE_NAMES[c["type"]], _percent(c["complete_rate"]), _shown(c["missing"]),
                   _shown(c["null_like"]), _shown(c["distinct"])] for c in report["columns"]]
    disclosure = report["disclosure"]
    parts: list[Any] = [
        element("p", f"“{report['file']['name']}”, read as {report['file']['read_as']}: {_shown(report['rows'])} rows "
                     f"and {report['column_count']} columns, checked in {report['seconds']:g} s on this computer."),
        element("p", disclosure["note"], class_="cssc-data-check__disclosure"),
    ]
    if report["not_found"]:
        parts.append(element("p", "Not in this file, so not checked: " + ", ".join(f"‘{name}’" for name in report["not_found"])
                             + ". Check the spelling of the column names in your settings.", class_="cssc-data-check__warning"))
    parts.append(element("h3", "Findings by dimension"))
    for dimension in report["dimensions"]:
        link = element("a", f"About {dimension['title'].lower()}", href=page_href(dimension["link"]["target"], site_root))
        parts.append(element("h4", f"{dimension['title']} ({len(dimension['findings'])})"))
        parts.append(element("p", dimension["description"], " ", link))
        if dimension["findings"]:
            parts.append(_table(f"{dimension['title']}: findings", ["Column", "Rows", "Share of rows", "What was found"],
                                [[f["column"] or "Whole file", _shown(f["rows"]) if f["rows"] is not None else "",
                                  _percent(f["rate"]) if f["rows"] is not None else "", f["text"]]
                                 for f in dimension["findings"]]))
        else:
            parts.append(element("p", "Nothing found."))
    parts.append(element("h3", "Every column"))
    parts.append(_table("Every column: type and completeness", ["Column", "Type", "Complete", "Missing", "Of which ‘unknown’ and similar",
                                                                "Distinct values"], count_rows))
    parts.append(_bar_chart("cssc-dq-complete", "Share of rows with a value, by column",
                            "A bar for each column: the same figures as the Complete column of the table above.",
                            [(c["name"], c["complete_rate"]) for c in report["columns"]]))
    if disclosure["example_values"]:
        parts.append(element("h3", "Example values (you asked for them)"))
        example_rows = []
        for c in report["columns"]:
            common = "; ".join(f"{item['value']} ({_shown(item['rows'])})" for item in c.get("most_common", []))
            value_range = " to ".join(str(value) for value in c.get("range", []))
            spellings = " | ".join(", ".join(item["value"] for item in group) for group in c.get("spellings", []))
            example_rows.append([c["name"], common, value_range, spellings])
        parts.append(_table("Most common values, ranges and spellings", ["Column", "Most common", "Range",
                                                                         "Spellings of one value"], example_rows))
    bias = report["bias"]
    if bias:
        parts.append(element("h3", f"Completeness by ‘{bias['group_column']}’"))
        parts.append(element("p", _bias_summary(bias, disclosure["suppress_below"])))
        for title, note, rows in _bias_flag_tables(bias):
            parts.append(element("h4", title))
            parts.append(element("p", note))
            parts.append(_table(title, _BIAS_FLAG_HEADINGS, rows))
        parts.append(_table("Rows in each group", ["Group", "Rows", "Share of rows"],
                            [[g["group"], _shown(g["rows"]), _percent(g["share"])] for g in bias["groups"]]))
        parts.append(_bar_chart("cssc-dq-groups", f"Share of rows in each group of ‘{bias['group_column']}’",
                                "A bar for each group: the same figures as the table above.",
                                [(g["group"], g["share"]) for g in bias["groups"]]))
    return join(parts)


_BIAS_FLAG_HEADINGS = ["Group", "Column", "Missing in the group", "Missing in the rest", "What it means"]


def _bias_summary(bias: dict[str, Any], suppress_below: int) -> str:
    threshold = f"{bias['threshold_points']:g} percentage points"
    text = (f"Groups are listed when their share of missing values in a column differs from the rest's by more than "
            f"{threshold}: {bias['more_missing']} group and column pair(s) with more missing values than the rest "
            f"(recorded less completely), {bias['less_missing']} with fewer (recorded more completely).")
    if bias["groups_not_shown"]:
        text += (f" {bias['groups_not_shown']} group(s) with fewer than {suppress_below} rows (or too few outside "
                 "them) are not shown.")
    return text


def _bias_flag_tables(bias: dict[str, Any]) -> list[tuple[str, str, list[list[str]]]]:
    """(title, what it means, rows) for each direction that has a flag: more missing first."""
    tables = []
    for direction, title, note in (
        ("more", "Groups with more missing values than the rest",
         "These groups are recorded less completely than the rest: a tool built on this data may be less accurate "
         "or less fair for them. Find out why before the data is used."),
        ("less", "Groups with fewer missing values than the rest",
         "These groups are recorded more completely than the rest. That is not a problem with their own records; "
         "they are listed because the gap is over your threshold, which means other groups are recorded less well."),
    ):
        rows = [[f["group"], f["column"], _percent(f["missing_rate"]), _percent(f["rest_missing_rate"]), f["text"]]
                for f in bias["flags"] if f["direction"] == direction]
        if rows:
            tables.append((title, note, rows))
    return tables


def report_blocks(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report as a document, in reading order (for the Markdown and Word downloads)."""
    disclosure = report["disclosure"]
    blocks = [
        heading(f"Data quality report: {report['file']['name']}", 0),
        paragraph(f"Read as {report['file']['read_as']}: {_shown(report['rows'])} rows and "
                  f"{report['column_count']} columns, on {report['today']}."),
        paragraph(disclosure["note"]),
    ]
    if report["not_found"]:
        blocks.append(paragraph("Not in this file, so not checked: " + ", ".join(report["not_found"])))
    for dimension in report["dimensions"]:
        blocks += [heading(dimension["title"], 1), paragraph(dimension["description"])]
        if not dimension["findings"]:
            blocks.append(paragraph("Nothing found."))
            continue
        blocks.append(table(["Column", "Rows", "Share of rows", "What was found"],
                            [[f["column"] or "Whole file", _shown(f["rows"]) if f["rows"] is not None else "",
                              _percent(f["rate"]) if f["rows"] is not None else "", f["text"]]
                             for f in dimension["findings"]]))
    blocks += [heading("Every column", 1),
               table(["Column", "Type", "Complete", "Missing", "Distinct values"],
                     [[c["name"], _TYPE_NAMES[c["type"]], _percent(c["complete_rate"]), _shown(c["missing"]),
                       _shown(c["distinct"])] for c in report["columns"]])]
    if disclosure["example_values"]:
        blocks += [heading("Example values", 1),
                   table(["Column", "Most common", "Range"],
                         [[c["name"], "; ".join(f"{item['value']} ({_shown(item['rows'])})"
                                                for item in c.get("most_common", [])),
                           " to ".join(map(str, c.get("range", [])))] for c in report["columns"]])]
    bias = report["bias"]
    if bias:
        blocks += [heading(f"Completeness by {bias['group_column']}", 1),
                   paragraph(_bias_summary(bias, disclosure["suppress_below"]))]
        for title, note, rows in _bias_flag_tables(bias):
            blocks += [heading(title, 2), paragraph(note), table(_BIAS_FLAG_HEADINGS, rows)]
        blocks.append(table(["Group", "Rows", "Share of rows"],
                            [[g["group"], _shown(g["rows"]), _percent(g["share"])] for g in bias["groups"]]))
    return blocks


def report_markdown(report: dict[str, Any]) -> str:
    return markdown_of(report_blocks(report))


def report_word(report: dict[str, Any]) -> dict[str, Any]:
    """The model the page's Word writer turns into a .docx file."""
    bank = load_data_quality_bank()
    return word_model_of(f"Data quality report: {report['file']['name']}", report_blocks(report), bank.title,
                         bank.version, report["created"])


def report_csv(report: dict[str, Any]) -> str:
    """Every finding, one row each, for a spreadsheet. Column names come from the reader's
    file, so any text a spreadsheet would run as a formula is escaped (csv_cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Dimension", "Column", "Check", "Rows", "Share of rows", "What was found"])
    for dimension in report["dimensions"]:
        for f in dimension["findings"]:
            share = "" if f["rate"] is None else f"{f['rate'] * 100:.1f}%"
            rows = "" if f["rows"] is None else f["rows"]
            writer.writerow([csv_cell(str(cell)) for cell in (dimension["title"], f["column"], f["check"], rows, share,
                                                              f["text"])])
    return out.getvalue()
