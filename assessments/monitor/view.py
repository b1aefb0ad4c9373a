"""The test and monitor tool on the page and in its downloads.

`render_thresholds_result` shows the thresholds and mapping (the tool's result as answers
are typed). `render_report` shows a report (test_monitor.report): the thresholds met or
not in words first, then tables, then inline SVG charts that repeat a table's figures with
a text alternative. Everything shown comes from the report, which holds counts and
measures under disclosure control, never a row; so the page and the downloads are under
the same control. `report_blocks` and `monitor_blocks` write a report once as a document
(word_document.py's blocks); the Markdown and Word downloads are made from them
(report_document.py).
"""

from __future__ import annotations

from typing import Any

from ..data.fairness import MEASURES
from ..core.html import Markup, element, join
from ..core.links import page_href
from ..core.report_document import markdown_of, word_model_of
from .model import TestMonitorBank, ThresholdsResult, load_test_monitor_bank
from ..core.word_document import Run, bullets, heading, paragraph, table

__all__ = [
    "render_thresholds_result",
    "summarise_thresholds_result",
    "render_report",
    "summarise_report",
    "report_blocks",
    "report_markdown",
    "render_monitor",
    "monitor_blocks",
    "monitor_markdown",
    "report_word",
]

EXPLAINER = "explainers/testing-and-evaluation.md#accuracy-by-demographic-group"
CONFUSION = "explainers/testing-and-evaluation.md#measuring-accuracy-the-confusion-matrix"
_VERDICT_WORDS = {True: "Met", False: "Not met", None: "Not judged"}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _shown(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _measure_cell(entry: dict[str, Any]) -> str:
    """A measure's value, or "not defined" / "not shown" with the reason."""
    if entry["value"] is None:
        return ("not shown" if entry.get("suppressed") else "not defined") + f" ({entry['reason']})"
    return _percent(entry["value"])


def _interval(entry: dict[str, Any]) -> str:
    if entry["value"] is None or "low" not in entry:
        return "—"
    return f"{entry['low'] * 100:.1f}% to {entry['high'] * 100:.1f}%"


def _title(bank: TestMonitorBank, name: str) -> str:
    return bank.measure_info(name).title


# ------------------------------------------------------------------ thresholds


def render_thresholds_result(result: ThresholdsResult, site_root: str) -> Markup:
    data = result.to_dict()
    mapping = data["mapping"]
    items = [element("li", element("strong", f"{t['label']}: "), t["words"]) for t in data["thresholds"]]
    if mapping["outcome_column"] and (mapping["prediction_column"] or mapping["score_column"]):
        said = (f"the score in ‘{mapping['score_column']}’ (yes at {mapping['score_threshold']:g} or above)"
                if mapping["score_column"] else f"the prediction in ‘{mapping['prediction_column']}’")
        groups = ", ".join(f"‘{name}’" for name in mapping["group_columns"]) or "no group column yet"
        columns = element("p", f"Columns: what happened is ‘{mapping['outcome_column']}’; the tool's answer is {said}; "
                               f"groups compared: {groups}.")
    else:
        columns = element("p", "Columns: not chosen yet. Choose a file, then the column with what happened and the "
                               "column with the tool's prediction or score.")
    return join([
        element("h3", "Thresholds agreed at Design"),
        element("ul", items),
        columns,
        element("p", "Read how to choose them in ",
                element("a", "Testing and evaluation: choosing thresholds",
                        href=page_href("explainers/testing-and-evaluation.md#choosing-thresholds", site_root)), "."),
    ])


def summarise_thresholds_result(result: ThresholdsResult) -> str:
    unset = len(result.unset)
    return ("Result updated: all four thresholds recorded." if not unset
            else f"Result updated: {4 - unset} of 4 thresholds recorded, {unset} still to agree.")


# ---------------------------------------------------------------------- report


def _verdicts(data: dict[str, Any]) -> Markup:
    rows = [element("tr", element("th", v["label"], scope="row"), element("td", _VERDICT_WORDS[v["met"]]),
                    element("td", v["words"])) for v in data["verdicts"]]
    return element("table", element("caption", "Your thresholds, met or not"),
                   element("thead", element("tr", element("th", "Threshold", scope="col"),
                                            element("th", "Result", scope="col"),
                                            element("th", "In words", scope="col"))),
                   element("tbody", rows))


def _overall(data: dict[str, Any], bank: TestMonitorBank, site_root: str) -> Markup:
    rows = []
    for name in MEASURES:
        entry = data["overall"]["measures"][name]
        rows.append(element("tr", element("th", _title(bank, name), scope="row"), element("td", _measure_cell(entry)),
                            element("td", _interval(entry)),
                            element("td", bank.measure_info(name).explanation)))
    counts = data["overall"]["counts"]
    return join([
        element("table",
                element("caption", "Everyone: the measures, with 95% intervals"),
                element("thead", element("tr", *(element("th", h, scope="col") for h in
                                                  ("Measure", "Value", "95% interval", "What it means")))),
                element("tbody", rows)),
        element("p", f"Cases: {_shown(counts['cases'])}. Predicted yes and it happened (true positives): "
                     f"{_shown(counts['tp'])}; predicted yes and it did not (false positives): {_shown(counts['fp'])}; "
                     f"predicted no and it happened (false negatives): {_shown(counts['fn'])}; predicted no and it did "
                     f"not (true negatives): {_shown(counts['tn'])}. ",
                element("a", "The confusion matrix explained", href=page_href(CONFUSION, site_root)), "."),
    ])


def _group_table(column: dict[str, Any], bank: TestMonitorBank) -> Markup:
    heads = ["Group", "Cases"] + [_title(bank, name) for name in MEASURES]
    rows = []
    for entry in column["groups"]:
        label = entry["group"] + ("" if entry["judged"] else f" — {entry['too_small']}")
        if entry["group"] == column["reference"]:
            label += " (reference group)"
        rows.append(element("tr", element("th", label, scope="row"), element("td", _shown(entry["counts"]["cases"])),
                            *(element("td", _measure_cell(entry["measures"][name])) for name in MEASURES)))
    note = (element("p", f"{column['groups_not_shown']} group(s) with fewer cases than the disclosure threshold are "
                         "not shown.") if column["groups_not_shown"] else "")
    return join([element("table", element("caption", f"By {column['column']}"),
                         element("thead", element("tr", *(element("th", h, scope="col") for h in heads))),
                         element("tbody", rows)), note])


def _comparison_cells(c: dict[str, Any]) -> tuple[str, str]:
    """A comparison's difference and ratio in words, or why they are not shown or not defined."""
    if c.get("suppressed"):
        return f"not shown ({c['reason']})", "not shown"
    if c["difference"] is None:
        difference = f"not defined ({c['reason']})"
    else:
        low, high = c["difference_interval"]
        difference = f"{c['difference'] * 100:+.1f} points (95% interval {low * 100:+.1f} to {high * 100:+.1f})"
    if c["ratio"] is None:
        ratio = "not defined"
    elif c["ratio_interval"] is None:
        ratio = f"{c['ratio']:.2f} (no interval: {c['reason']})"
    else:
        ratio = f"{c['ratio']:.2f} ({c['ratio_interval'][0]:.2f} to {c['ratio_interval'][1]:.2f})"
    return difference, ratio


def _comparison_table(column: dict[str, Any], bank: TestMonitorBank) -> Markup:
    if not column["comparisons"]:
        return element("p", f"No comparison for {column['column']}: fewer than two groups are large enough to judge.")
    rows = []
    for c in column["comparisons"]:
        difference, ratio = _comparison_cells(c)
        rows.append(element("tr", element("th", f"{c['group']}: {_title(bank, c['measure'])}", scope="row"),
                            element("td", difference), element("td", ratio)))
    return element("table",
                   element("caption", f"By {column['column']}: each group against {column['reference']} (the largest)"),
                   element("thead", element("tr", element("th", "Group and measure", scope="col"),
                                            element("th", "Difference", scope="col"),
                                            element("th", "Ratio", scope="col"))),
                   element("tbody", rows))


def _bar_chart(column: dict[str, Any], bank: TestMonitorBank) -> Markup:
    """Precision and recall by group as bars, each labelled with its figure (so no
    meaning rests on colour or length alone); the table above holds the same figures."""
    judged = [entry for entry in column["groups"] if entry["judged"]]
    if not judged:
        return Markup("")
    row_height, width, label_width = 22, 640, 200
    bars, described = [], []
    y = 0
    for entry in judged:
        for name, style in (("precision", "cssc-chart__bar"), ("recall", "cssc-chart__bar cssc-chart__bar--second")):
            value = entry["measures"][name]["value"]
            text = f"{entry['group']}, {_title(bank, name).lower()}: {_measure_cell(entry['measures'][name])}"
            described.append(text)
            length = 0 if value is None else value * (width - label_width - 60)
            bars.append(element("g",
                                element("text", f"{entry['group']} {_title(bank, name).lower()}", x=0, y=y + 15,
                                        class_="cssc-chart__label"),
                                element("rect", x=label_width, y=y + 3, width=f"{length:.1f}", height=16, class_=style),
                                element("text", _percent(value), x=f"{label_width + length + 4:.1f}", y=y + 15,
                                        class_="cssc-chart__label")))
            y += row_height
        y += 6
    summary = f"Bar chart of precision and recall by {column['column']}. " + "; ".join(described) + "."
    return element("figure", element("svg", element("title", summary), bars, role="img",
                                     viewBox=f"0 0 {width} {y}", class_="cssc-chart", aria_label=summary),
                   element("figcaption", f"Precision and recall by {column['column']} (groups judged)."))


def _calibration(data: dict[str, Any]) -> Markup:
    bands = data.get("calibration")
    if not bands:
        return Markup("")
    rows, points = [], []
    for band in bands:
        rows.append(element("tr", element("th", f"{band['low']:g} to {band['high']:g}", scope="row"),
                            element("td", _shown(band["cases"])),
                            element("td", "—" if band["mean_score"] is None else f"{band['mean_score']:.3f}"),
                            element("td", _measure_cell(band["observed"])), element("td", _interval(band["observed"]))))
        if band["mean_score"] is not None and band["observed"]["value"] is not None:
            points.append((band["mean_score"], band["observed"]["value"]))
    low, high = data["prediction"]["lowest"], data["prediction"]["highest"]
    size = 240
    scale = lambda v: (v - low) / (high - low) * size  # noqa: E731

    dots = [element("circle", cx=f"{scale(x) + 30:.1f}", cy=f"{size - y * size + 10:.1f}", r=4,
                    class_="cssc-chart__point") for x, y in points]
    summary = ("Calibration chart: mean score against the share where the outcome happened, by score band. "
               + "; ".join(f"mean score {x:.2f}, happened {y * 100:.1f}%" for x, y in points) + ".")
    chart = element("figure", element("svg", element("title", summary),
                                      element("line", x1=30, y1=size + 10, x2=size + 30, y2=10, class_="cssc-chart__guide"),
                                      element("line", x1=30, y1=size + 10, x2=size + 30, y2=size + 10, class_="cssc-chart__axis"),
                                      element("line", x1=30, y1=10, x2=30, y2=size + 10, class_="cssc-chart__axis"),
                                      dots, role="img", viewBox=f"0 0 {size + 40} {size + 20}", class_="cssc-chart",
                                      aria_label=summary),
                    element("figcaption", "Calibration: the closer the points are to the diagonal, the better a score "
                                          "matches how often the outcome happened (scores scaled to the range you set)."))
    return join([element("h3", "Calibration by score band"),
                 element("table", element("caption", "Calibration: everyone, by score band"),
                         element("thead", element("tr", *(element("th", h, scope="col") for h in (
                             "Score band", "Cases", "Mean score", "Outcome happened", "95% interval")))),
                         element("tbody", rows)),
                 chart])


def _what_was_compared(data: dict[str, Any]) -> str:
    prediction = data["prediction"]
    said = (f"score in ‘{prediction['score_column']}’, yes at {prediction['threshold']:g} or above"
            if "score_column" in prediction else f"prediction in ‘{prediction['prediction_column']}’")
    return f"what happened is ‘{data['outcome_column']}’, the tool's answer is the {said}"


def render_report(data: dict[str, Any], site_root: str, bank: TestMonitorBank | None = None) -> Markup:
    bank = bank or load_test_monitor_bank()
    parts = [
        element("p", f"“{data['file']['name']}” ({data['file']['read_as']}): {_shown(data['cases'])} cases; "
                     f"{_what_was_compared(data)}."),
        element("h3", "Thresholds"),
        _verdicts(data),
        element("h3", "Everyone"),
        _overall(data, bank, site_root),
    ]
    for column in data["group_columns"]:
        parts += [element("h3", f"By {column['column']}"), _group_table(column, bank), _comparison_table(column, bank),
                  _bar_chart(column, bank)]
    parts += [_calibration(data),
              element("p", data["intervals"], " Groups with fewer than ", f"{data['min_group_size']:,}",
                      " cases are too small to judge, never counted as passing. ",
                      element("a", "Accuracy by demographic group", href=page_href(EXPLAINER, site_root)),
                      " says how to read these figures."),
              element("p", element("strong", "Disclosure: "), data["disclosure"]["note"])]
    return join(parts)


def summarise_report(data: dict[str, Any]) -> str:
    verdicts = [v for v in data["verdicts"] if v["met"] is not None]
    met = sum(1 for v in verdicts if v["met"])
    return (f"Tested {_shown(data['cases'])} cases: {met} of {len(verdicts)} thresholds met."
            if verdicts else f"Tested {_shown(data['cases'])} cases. Record your thresholds to see them judged.")


def report_blocks(data: dict[str, Any], bank: TestMonitorBank | None = None) -> list[dict[str, Any]]:
    """A test's report as a document, in reading order (for the Markdown and Word downloads)."""
    bank = bank or load_test_monitor_bank()
    blocks = [heading(f"{bank.title}: report", 0),
              paragraph(f"File: {data['file']['name']} ({data['file']['read_as']}); {_shown(data['cases'])} cases. "
                        f"Created {data['created']}."),
              paragraph(_what_was_compared(data)[0].upper() + _what_was_compared(data)[1:] + "."),
              heading("Thresholds", 1),
              table(["Threshold", "Result", "In words"],
                    [[v["label"], _VERDICT_WORDS[v["met"]], v["words"]] for v in data["verdicts"]]),
              heading("Everyone", 1),
              table(["Measure", "Value", "95% interval"],
                    [[_title(bank, n), _measure_cell(data["overall"]["measures"][n]),
                      _interval(data["overall"]["measures"][n])] for n in MEASURES])]
    for column in data["group_columns"]:
        blocks += [heading(f"By {column['column']}", 1),
                   table(["Group", "Cases"] + [_title(bank, n) for n in MEASURES],
                         [[entry["group"] + ("" if entry["judged"] else " (too small to judge)"),
                           _shown(entry["counts"]["cases"])] + [_measure_cell(entry["measures"][n]) for n in MEASURES]
                          for entry in column["groups"]])]
        differences = []
        for c in column["comparisons"]:
            if c["difference"] is not None:
                low, high = c["difference_interval"]
                differences.append(f"{c['group']} against {c['reference']}, {_title(bank, c['measure']).lower()}: "
                                   f"{c['difference'] * 100:+.1f} points (95% interval {low * 100:+.1f} to "
                                   f"{high * 100:+.1f})")
        if differences:
            blocks.append(bullets(differences))
    if data.get("calibration"):
        blocks += [heading("Calibration", 1),
                   table(["Score band", "Cases", "Mean score", "Outcome happened"],
                         [[f"{b['low']:g} to {b['high']:g}", _shown(b["cases"]),
                           "—" if b["mean_score"] is None else format(b["mean_score"], ".3f"),
                           _measure_cell(b["observed"])] for b in data["calibration"]])]
    blocks += [paragraph(f"{data['intervals']} Groups with fewer than {data['min_group_size']:,} cases are too small to "
                         "judge, never counted as passing."),
               paragraph(Run("Disclosure: ", bold=True), data["disclosure"]["note"])]
    return blocks


def report_markdown(data: dict[str, Any], bank: TestMonitorBank | None = None) -> str:
    return markdown_of(report_blocks(data, bank))


# --------------------------------------------------------------------- monitor


def _change_rows(data: dict[str, Any], bank: TestMonitorBank) -> list[Markup]:
    rows = []
    for c in data["changes"]:
        who = "Everyone" if c["who"] == "everyone" else f"{c['who']} ({c['column']})"
        change = "—" if c["change"] is None else f"{c['change'] * 100:+.1f} points"
        rows.append(element("tr", element("th", f"{who}: {_title(bank, c['measure'])}", scope="row"),
                            element("td", _percent(c["before"])), element("td", _percent(c["after"])),
                            element("td", change)))
    return rows


def render_monitor(data: dict[str, Any], site_root: str, bank: TestMonitorBank | None = None) -> Markup:
    bank = bank or load_test_monitor_bank()
    drift_rows = [element("tr", element("th", d["column"], scope="row"),
                          element("td", "not defined" if d["index"] is None else f"{d['index']:.3f}"),
                          element("td", d["reading"]), element("td", d["binned_as"])) for d in data["drift"]]
    return join([
        element("p", f"Earlier period: “{data['before']['file']['name']}”, {_shown(data['before']['cases'])} cases. "
                     f"Later period: “{data['after']['file']['name']}”, {_shown(data['after']['cases'])} cases."),
        element("h3", "Drift in the columns you chose"),
        element("table", element("caption", "Population stability index, earlier to later period"),
                element("thead", element("tr", *(element("th", h, scope="col") for h in
                                                  ("Column", "Index", "Reading", "Compared as")))),
                element("tbody", drift_rows)) if drift_rows else element("p", "No drift column chosen."),
        element("p", data["drift_reading"]),
        element("h3", "What changed"),
        element("table", element("caption", "Each measure in the two periods"),
                element("thead", element("tr", *(element("th", h, scope="col") for h in
                                                  ("Who and measure", "Earlier", "Later", "Change")))),
                element("tbody", _change_rows(data, bank))),
        element("h3", "Thresholds in the later period"),
        _verdicts(data["after"]),
        element("p", element("strong", "Disclosure: "), data["after"]["disclosure"]["note"]),
    ])


def monitor_blocks(data: dict[str, Any], bank: TestMonitorBank | None = None) -> list[dict[str, Any]]:
    """Two periods compared, as a document (for the Markdown and Word downloads)."""
    bank = bank or load_test_monitor_bank()
    return [
        heading(f"{bank.title}: monitoring", 0),
        paragraph(f"Earlier: {data['before']['file']['name']} ({_shown(data['before']['cases'])} cases). "
                  f"Later: {data['after']['file']['name']} ({_shown(data['after']['cases'])} cases)."),
        heading("Drift", 1),
        table(["Column", "Index", "Reading"],
              [[d["column"], "not defined" if d["index"] is None else format(d["index"], ".3f"), d["reading"]]
               for d in data["drift"]]),
        paragraph(data["drift_reading"]),
        heading("What changed", 1),
        table(["Who", "Measure", "Earlier", "Later", "Change"],
              [[c["who"], _title(bank, c["measure"]), _percent(c["before"]), _percent(c["after"]),
                "—" if c["change"] is None else format(c["change"] * 100, "+.1f") + " points"]
               for c in data["changes"]]),
        heading("Thresholds in the later period", 1),
        bullets(f"{v['label']}: {_VERDICT_WORDS[v['met']]}. {v['words']}" for v in data["after"]["verdicts"]),
        paragraph(Run("Disclosure: ", bold=True), data["after"]["disclosure"]["note"]),
    ]


def monitor_markdown(data: dict[str, Any], bank: TestMonitorBank | None = None) -> str:
    return markdown_of(monitor_blocks(data, bank))


def report_word(data: dict[str, Any], monitoring: bool, bank: TestMonitorBank | None = None) -> dict[str, Any]:
    """The model the page's Word writer turns into a .docx file: a test's report, or (with
    `monitoring`) two periods compared."""
    bank = bank or load_test_monitor_bank()
    blocks = monitor_blocks(data, bank) if monitoring else report_blocks(data, bank)
    created = data["after"]["created"] if monitoring else data["created"]
    return word_model_of(blocks[0]["text"], blocks, bank.title, bank.version, created)
