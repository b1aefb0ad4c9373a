"""The team view as HTML and Markdown: text and tables first, a chart with a text
alternative, and what moved between two dates.

Nothing here depends on colour: every level is written as a word, every count as a
number, and the chart repeats what the component table says.
"""

from __future__ import annotations

from .model import MaturityBank, load_data_maturity_bank
from .team import Comparison, TeamResult
from ..core.document_fields import markdown_text
from ..core.html import Markup, element as e
from ..core.links import page_href

__all__ = [
    "render_team_result",
    "summarise_team_result",
    "team_markdown",
    "render_comparison",
    "summarise_comparison",
]

RULE = ("How the answers were combined (our rule, not the guidance's): each component's level comes from the median "
        "of the respondents' scores for it, so one very high or very low view does not move it; the overall level "
        "comes from the mean of the five combined component scores, as for one person. Respondents disagree where "
        "their answers are {steps} or more steps apart.")


def _level(bank: MaturityBank, level_id: str | None) -> str:
    return bank.level(level_id).name if level_id else "Not enough answers"


def _option(bank: MaturityBank, option_id: str | None) -> str:
    return bank.option(option_id).label if option_id else "–"


def _score(score: float | None) -> str:
    return "–" if score is None else f"{score:.2f}"


def _table(caption: str, head: list[str], rows: list[list[object]], row_headers: bool = True) -> Markup:
    body = [e("tr", [e("th", row[0], scope="row") if row_headers else e("td", row[0])] + [e("td", c) for c in row[1:]])
            for row in rows]
    return e("table", e("caption", caption), e("thead", e("tr", [e("th", h, scope="col") for h in head])),
             e("tbody", body), class_="cssc-table")


def _chart(result: TeamResult, bank: MaturityBank) -> Markup:
    """One row per component: a dot per level sized by how many respondents reached it,
    and a line at the combined level. Drawn from the same numbers as the table before it."""
    width, row, left = 560, 40, 200
    step = (width - left - 20) / (len(bank.levels) - 1)
    height = row * (len(result.components) + 1)
    shapes: list[Markup] = []
    for index, level in enumerate(bank.levels):
        x = left + index * step
        shapes.append(e("text", level.name, x=f"{x:.0f}", y="16", text_anchor="middle", class_="cssc-team-chart__axis"))
    for number, component in enumerate(result.components, start=1):
        y = row * number + 10
        shapes.append(e("text", component.name[:30], x="0", y=f"{y + 4}", class_="cssc-team-chart__label"))
        for index, count in enumerate(component.level_counts):
            if count:
                radius = 4 + 10 * (count / max(1, result.respondents)) ** 0.5
                shapes.append(e("circle", cx=f"{left + index * step:.0f}", cy=f"{y}", r=f"{radius:.1f}",
                                class_="cssc-team-chart__dot"))
        if component.level:
            x = left + bank.rank(component.level) * step
            shapes.append(e("line", x1=f"{x:.0f}", x2=f"{x:.0f}", y1=f"{y - 14}", y2=f"{y + 14}",
                            class_="cssc-team-chart__median"))
    return e("figure",
             e("svg", e("title", "How many respondents reached each level, by component"),
               e("desc", "The same numbers as the table above: a dot for each level reached, larger for more "
                         "respondents, and an upright line at the combined level."),
               shapes, viewBox=f"0 0 {width} {height}", role="img", class_="cssc-team-chart"),
             e("figcaption", "Dots: respondents at each level (larger for more). Line: the combined level."),
             class_="cssc-team-figure")


def render_team_result(result: TeamResult, site_root: str = "", bank: MaturityBank | None = None) -> Markup:
    bank = bank or load_data_maturity_bank()
    statements = bank.statements
    parts: list[Markup] = []
    if not result.respondents:
        parts.append(e("p", "No result file could be counted yet.", class_="cssc-result__headline"))
    else:
        headline = [f"{result.respondents} respondent{'s' if result.respondents != 1 else ''}. "]
        if result.overall_level:
            headline += ["Combined overall data maturity: ", e("strong", _level(bank, result.overall_level)),
                         f" (score {result.overall_score:.2f} out of 5)."]
        else:
            headline.append("Combined overall data maturity: not known yet (a component has too few scored answers).")
        parts.append(e("p", headline, class_="cssc-result__headline"))
    parts.append(e("p", RULE.format(steps=bank.team.disagreement_steps), class_="cssc-ours"))

    notes = [n for n in result.files if n.message != "Counted."]
    parts.append(e("h3", f"Files ({sum(1 for n in result.files if n.counted)} of {len(result.files)} counted)"))
    if notes:
        parts.append(e("ul", [e("li", e("strong", n.file_name), ": ", n.message) for n in notes], data_file_notes=True))
    else:
        parts.append(e("p", "Every file was counted."))
    if not result.respondents:
        return e("div", parts, class_="cssc-result__body")

    component_disagreements = [c for c in result.components if c.disagreement]
    parts.append(e("h3", "Where you disagree: discuss these first"))
    if component_disagreements or result.disagreements:
        if component_disagreements:
            parts.append(e("ul", [e("li", e("strong", c.name), f": respondents' levels range from "
                                            f"{_level(bank, c.lowest_level)} to {_level(bank, c.highest_level)}.")
                                  for c in component_disagreements], data_component_disagreements=True))
        if result.disagreements:
            parts.append(_table(
                f"Statements where answers are {bank.team.disagreement_steps} or more steps apart, widest first",
                ["Statement", "Lowest answer", "Highest answer", "Scored answers", "Don\u2019t know"],
                [[statements[s.id].text, _option(bank, s.lowest), _option(bank, s.highest), s.scored, s.dont_know]
                 for s in result.disagreements]))
    else:
        parts.append(e("p", f"No statement or component has answers {bank.team.disagreement_steps} or more steps apart."))

    parts.append(e("h3", "Combined level by component"))
    parts.append(_table(
        "Combined level by component (median of respondents)",
        ["Component", "Combined level", "Median score", "Respondents with a score", "Lowest level", "Highest level"],
        [[c.name, _level(bank, c.level), _score(c.score), c.respondents, _level(bank, c.lowest_level),
          _level(bank, c.highest_level)] for c in result.components]))
    parts.append(_chart(result, bank))

    parts.append(e("h3", "By role"))
    parts.append(_table(
        "Combined level by role",
        ["Role", "Respondents"] + [c.short_name for c in bank.components] + ["Overall"],
        [[r.label, r.respondents] + [_level(bank, level) for _cid, level in r.levels] + [_level(bank, r.overall_level)]
         for r in result.roles]))

    unknown = [s for s in result.statements if s.dont_know]
    parts.append(e("h3", "\u201cDon\u2019t know\u201d answers: knowledge gaps, not low scores"))
    if unknown:
        parts.append(_table("Statements some respondents did not know about",
                            ["Statement", "Don\u2019t know", "Scored answers"],
                            [[statements[s.id].text, s.dont_know, s.scored]
                             for s in sorted(unknown, key=lambda s: -s.dont_know)]))
    else:
        parts.append(e("p", "Nobody answered \u201cdon\u2019t know\u201d."))

    if result.overall_level:
        fit = bank.analytics_fit[result.overall_level]
        parts.append(e("div", e("h3", "Which type of analytics fits the combined result"),
                       e("p", "Suitable now: ", ", ".join(fit.suitable), "."),
                       e("p", "Avoid for now: ", ", ".join(fit.avoid), ".") if fit.avoid else None,
                       e("p", fit.advice), class_="cssc-result__fit"))

    parts.append(e("h3", "Every statement"))
    parts.append(_table("How many respondents answered each statement",
                        ["Statement", "Scored answers", "Don\u2019t know", "Not answered", "Lowest", "Highest"],
                        [[statements[s.id].text, s.scored, s.dont_know, s.unanswered, _option(bank, s.lowest),
                          _option(bank, s.highest)] for s in _in_bank_order(result.statements, bank)]))
    parts.append(e("p", e("a", "About the data maturity self-assessment", href=page_href("tools/data-maturity.md", site_root))))
    return e("div", parts, class_="cssc-result__body")


def _in_bank_order(statements, bank: MaturityBank) -> list:
    order = {sid: index for index, sid in enumerate(bank.statements)}
    return sorted(statements, key=lambda s: order[s.id])


def summarise_team_result(result: TeamResult, bank: MaturityBank | None = None) -> str:
    bank = bank or load_data_maturity_bank()
    refused = sum(1 for n in result.files if not n.counted)
    text = f"Team view updated: {result.respondents} respondent{'s' if result.respondents != 1 else ''} counted"
    text += f", {refused} file{'s' if refused != 1 else ''} not counted." if refused else "."
    if result.overall_level:
        text += f" Combined overall {_level(bank, result.overall_level)}."
    if result.disagreements:
        text += f" {len(result.disagreements)} statement{'s' if len(result.disagreements) != 1 else ''} to discuss."
    return text


def _md_table(head: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(markdown_text(str(c)).replace("|", "\\|").replace("\n", " ") for c in row) + " |"
              for row in rows]
    return "\n".join(lines)


def team_markdown(result: TeamResult, created: str, bank: MaturityBank | None = None) -> str:
    """The team view as a Markdown document for a meeting or a board paper."""
    bank = bank or load_data_maturity_bank()
    statements = bank.statements
    out = ["# Data maturity: team view", "",
           f"Made on {created[:10]} from {result.respondents} respondents' result files "
           f"(statements version {bank.version}).", ""]
    if result.overall_level:
        out += [f"**Combined overall data maturity:** {_level(bank, result.overall_level)} "
                f"(score {result.overall_score:.2f} out of 5)", ""]
    out += [RULE.format(steps=bank.team.disagreement_steps), "", "## Where you disagree", ""]
    if result.disagreements or any(c.disagreement for c in result.components):
        out += [f"- **{markdown_text(c.name)}**: from {_level(bank, c.lowest_level)} to {_level(bank, c.highest_level)}"
                for c in result.components if c.disagreement]
        out += ["", _md_table(["Statement", "Lowest answer", "Highest answer", "Scored answers", "Don't know"],
                              [[statements[s.id].text, _option(bank, s.lowest), _option(bank, s.highest), s.scored,
                                s.dont_know] for s in result.disagreements]), ""]
    else:
        out += ["No statement or component has answers that far apart.", ""]
    out += ["## Combined level by component", "",
            _md_table(["Component", "Combined level", "Median score", "Respondents with a score"],
                      [[c.name, _level(bank, c.level), _score(c.score), c.respondents] for c in result.components]),
            "", "## By role", "",
            _md_table(["Role", "Respondents"] + [c.short_name for c in bank.components] + ["Overall"],
                      [[r.label, r.respondents] + [_level(bank, level) for _c, level in r.levels]
                       + [_level(bank, r.overall_level)] for r in result.roles]),
            "", "## \u201cDon\u2019t know\u201d answers", ""]
    unknown = [s for s in result.statements if s.dont_know]
    out += [_md_table(["Statement", "Don't know", "Scored answers"],
                      [[statements[s.id].text, s.dont_know, s.scored] for s in unknown]) if unknown
            else "Nobody answered \u201cdon\u2019t know\u201d.", ""]
    if result.overall_level:
        fit = bank.analytics_fit[result.overall_level]
        out += ["## Which type of analytics fits", "", f"Suitable now: {', '.join(fit.suitable)}.",
                f"Avoid for now: {', '.join(fit.avoid)}." if fit.avoid else "", "", markdown_text(fit.advice), ""]
    return "\n".join(out).rstrip() + "\n"


def _moved(steps: int | None) -> str:
    if steps is None:
        return "Cannot compare (not enough answers)"
    if steps == 0:
        return "No change"
    return f"{'Up' if steps > 0 else 'Down'} {abs(steps)} level{'s' if abs(steps) != 1 else ''}"


def render_comparison(comparison: Comparison, bank: MaturityBank | None = None) -> Markup:
    bank = bank or load_data_maturity_bank()
    earlier, later = comparison.earlier, comparison.later

    def label(snapshot) -> str:
        who = "team" if snapshot.kind == "team" else "one person"
        return f"{snapshot.created[:10] or 'undated'} ({who}, {snapshot.respondents} respondent{'s' if snapshot.respondents != 1 else ''})"

    rows = [[c.name, f"{_level(bank, c.before_level)} ({_score(c.before_score)})",
             f"{_level(bank, c.after_level)} ({_score(c.after_score)})", _moved(c.moved)] for c in comparison.components]
    rows.append(["Overall", f"{_level(bank, earlier.overall_level)} ({_score(earlier.overall_score)})",
                 f"{_level(bank, later.overall_level)} ({_score(later.overall_score)})", _moved(comparison.overall_moved)])
    return e("div",
             e("p", f"From {label(earlier)} to {label(later)}.", class_="cssc-result__headline"),
             _table("What moved per component (level and score)",
                    ["Component", f"Earlier: {earlier.file_name}", f"Later: {later.file_name}", "Change"], rows),
             class_="cssc-result__body")


def summarise_comparison(comparison: Comparison) -> str:
    up = sum(1 for c in comparison.components if c.moved and c.moved > 0)
    down = sum(1 for c in comparison.components if c.moved and c.moved < 0)
    return f"Compared: {up} component{'s' if up != 1 else ''} up, {down} down."
