"""The data maturity result as HTML: text first, a bar chart, and the numbers in a table.

The chart's bars are decoration (aria-hidden): every level is also written as a word
and every score as a number, so nothing depends on seeing the bar or its colour.
"""

from __future__ import annotations

from .model import MaturityBank, MaturityResult, load_data_maturity_bank
from ..core.html import Markup, element as e
from ..core.links import Link, page_href
from ..core.word_document import Run, WordDocument, bullets, heading, paragraph, table
from ..core.provenance_view import provenance_line, why_this

__all__ = ["render_maturity_result", "summarise_maturity_result", "maturity_word"]


def _score_text(score: float | None, top: float) -> str:
    return "not enough answers" if score is None else f"{score:.1f} out of {top:g}"


def _link_list(links: list[Link], site_root: str) -> Markup:
    unique = list(dict.fromkeys(links))
    return e("ul", [e("li", e("a", link.title, href=page_href(link.target, site_root))) for link in unique])


def render_maturity_result(
    result: MaturityResult, site_root: str = "", bank: MaturityBank | None = None
) -> Markup:
    bank = bank or load_data_maturity_bank()
    top = max(o.points for o in bank.scale if o.points is not None)
    level_name = {level.id: level.name for level in bank.levels}
    components = {c.id: c for c in bank.components}
    statements = bank.statements
    reading = bank.readings[result.reading]
    parts: list[Markup] = []
    who = ", ".join(part for part in (bank.respondent.role_label(result.role), result.team) if part)
    if who:
        parts.append(e("p", "Answered by: ", who, ".", class_="cssc-result__respondent"))

    if result.overall_level:
        overall = bank.level(result.overall_level)
        parts.append(
            e("p", "Overall data maturity: ", e("strong", overall.name),
              f" ({_score_text(result.overall_score, top)}). ", overall.description,
              class_="cssc-result__headline")
        )
    else:
        parts.append(e("p", "Overall data maturity: not yet known. ", reading.text, class_="cssc-result__headline"))

    # The guidance's reading of the result, naming the components that hold it back.
    reading_children: list[Markup] = [e("p", e("strong", reading.title))]
    if result.overall_level:
        reading_children.append(e("p", reading.text))
    if result.weak_components:
        reading_children.append(e("p", "Components to strengthen first:"))
        reading_children.append(e("ul", [e("li", components[c].name) for c in result.weak_components]))
    reading_links = list(reading.links) + [link for c in result.weak_components for link in components[c].links]
    if reading_links:
        reading_children.append(e("p", "Where to go next:"))
        reading_children.append(_link_list(reading_links, site_root))
    # Say what is ours: the guidance gives the components and what a higher or lower score
    # means, never a number; the levels and thresholds that turn answers into a reading are ours.
    reading_children.append(provenance_line(
        "the Main Guidance names the five components and what \u201ca higher score\u201d or \u201ca lower score\u201d "
        "means, but gives no scores or thresholds. The statements, the five levels and their score bands, "
        f"\u201c{bank.level(bank.ready_level).name} or above\u201d as a higher score, and needing half of a "
        "component\u2019s statements answered are ours."
    ))
    reading_children.append(why_this([
        ("This reading", reading.source),
        ("The levels", bank.levels[0].source),
        ("The thresholds", bank.rules_source),
    ]))
    parts.append(e("div", reading_children, class_="cssc-callout", data_reading=result.reading))

    if result.overall_level:
        fit = bank.analytics_fit[result.overall_level]
        fit_children = [
            e("h3", "Which type of analytics fits"),
            e("p", "Suitable now: ", ", ".join(fit.suitable), "."),
        ]
        if fit.avoid:
            fit_children.append(e("p", "Avoid for now: ", ", ".join(fit.avoid), "."))
        fit_children.append(e("p", fit.advice))
        fit_children.append(why_this([("This advice", fit.source)]))
        parts.append(e("div", fit_children, class_="cssc-result__fit"))

    # Chart: one bar per component, with its level written beside it.
    bars = []
    for c in result.components:
        width = 0 if c.score is None else round(100 * c.score / top)
        bars.append(
            e("li",
              e("span", components[c.id].short_name, class_="cssc-bars__label"),
              e("span", e("span", class_="cssc-bars__fill", style=f"width:{width}%"),
                class_="cssc-bars__track", aria_hidden="true"),
              e("span", level_name.get(c.level, "Not enough answers") if c.level else "Not enough answers",
                class_="cssc-bars__value"))
        )
    parts.append(e("h3", "Maturity by component"))
    parts.append(e("ul", bars, class_="cssc-bars"))

    rows = [
        e("tr",
          e("th", components[c.id].name, scope="row"),
          e("td", level_name[c.level] if c.level else "Not enough answers"),
          e("td", "–" if c.score is None else f"{c.score:.2f}"),
          e("td", str(c.answered)), e("td", str(c.dont_know)), e("td", str(c.unanswered)))
        for c in result.components
    ]
    parts.append(
        e("table",
          e("caption", f"Scores by component (1 to {top:g}; \u201cdon\u2019t know\u201d is not scored)"),
          e("thead", e("tr", e("th", "Component", scope="col"), e("th", "Level", scope="col"),
                       e("th", "Score", scope="col"), e("th", "Scored answers", scope="col"),
                       e("th", "Don\u2019t know", scope="col"), e("th", "Not answered", scope="col"))),
          e("tbody", rows), class_="cssc-table")
    )

    if result.dont_know:
        parts.append(e("h3", f"\u201cDon\u2019t know\u201d answers ({len(result.dont_know)})"))
        parts.append(e("p", "These are counted but not scored. Colleagues in the teams concerned "
                            "(for example Information Governance or performance) may know the answer."))
        parts.append(_statement_links(result.dont_know, statements))
    if result.unanswered:
        parts.append(e("h3", f"Not answered yet ({len(result.unanswered)})"))
        parts.append(_statement_links(result.unanswered, statements))
    parts.append(_record(result, bank))
    return e("div", parts, class_="cssc-result__body")


def _answer_rows(result: MaturityResult, bank: MaturityBank) -> list[tuple[str, list[tuple[str, str]]]]:
    """(component heading, [(numbered statement, answer in words)]) for every component."""
    chosen = dict(result.chosen)
    scale = {option.id: option.label for option in bank.scale}
    return [(f"{number}. {component.name}",
             [(f"{number}.{index} {statement.text}", scale[chosen[statement.id]] if statement.id in chosen
               else "Not answered") for index, statement in enumerate(component.statements, start=1)])
            for number, component in enumerate(bank.components, start=1)]


def _record(result: MaturityResult, bank: MaturityBank) -> Markup:
    """Every statement with the answer given: with the result above, the part to print."""
    rows = []
    for title, lines in _answer_rows(result, bank):
        rows.append(e("tr", e("th", title, colspan="2", scope="colgroup")))
        rows += [e("tr", e("th", text, scope="row"), e("td", words)) for text, words in lines]
    return e("section",
             e("h3", "Record of the answers", id="data-maturity--record"),
             e("p", "To print the result and this record or save them as a PDF, use your browser\u2019s Print "
                    "command (Ctrl+P, or \u2318+P on a Mac): the questions, the site\u2019s menus and the buttons "
                    "are left out of the printout."),
             e("p", f"Questions version: {bank.title} {bank.version}.", class_="cssc-maturity__version"),
             e("table", e("caption", "Every answer"),
               e("thead", e("tr", e("th", "Statement", scope="col"), e("th", "Answer", scope="col"))),
               e("tbody", rows), class_="cssc-table"),
             class_="cssc-maturity__record", aria_labelledby="data-maturity--record")


def _statement_links(ids: tuple[str, ...], statements) -> Markup:
    # The form gives each statement's fieldset the id "data-maturity--<statement id>".
    return e("ul", [e("li", e("a", statements[s].text, href=f"#data-maturity--{s}")) for s in ids])


def summarise_maturity_result(result: MaturityResult, bank: MaturityBank | None = None) -> str:
    bank = bank or load_data_maturity_bank()
    if result.overall_level is None:
        return f"Result updated: not enough answers yet ({len(result.unanswered)} statements not answered)."
    summary = f"Result updated: overall {bank.level(result.overall_level).name}."
    if result.unanswered:
        summary += f" {len(result.unanswered)} statements not answered."
    return summary


def maturity_word(answers: dict, result: MaturityResult, bank: MaturityBank | None = None) -> WordDocument:
    """The result for Word: who answered (role and team), the overall level and its
    reading, the analytics that fit, the scores by component, then every statement with
    the answer given."""
    bank = bank or load_data_maturity_bank()
    top = max(o.points for o in bank.scale if o.points is not None)
    level_name = {level.id: level.name for level in bank.levels}
    components = {c.id: c for c in bank.components}
    reading = bank.readings[result.reading]
    title = f"{bank.title}: result"
    blocks = [heading(title, 0)]
    # Who answered, as the page and the JSON record say it (a role, a team), so a result
    # filed or compared later still says whose view it is.
    role = bank.respondent.role_label(result.role)
    if role:
        blocks.append(paragraph("Role: ", Run(role, bold=True)))
    if result.team:
        blocks.append(paragraph("Team: ", Run(result.team, bold=True)))
    if result.overall_level:
        overall = bank.level(result.overall_level)
        blocks.append(paragraph("Overall data maturity: ", Run(overall.name, bold=True),
                                f" ({_score_text(result.overall_score, top)}). {overall.description}"))
    else:
        blocks.append(paragraph("Overall data maturity: not yet known."))
    blocks += [heading(reading.title, 1), paragraph(reading.text)]
    if result.weak_components:
        blocks += [paragraph("Components to strengthen first:"),
                   bullets(components[c].name for c in result.weak_components)]
    if result.overall_level:
        fit = bank.analytics_fit[result.overall_level]
        blocks += [heading("Which type of analytics fits", 1),
                   paragraph("Suitable now: ", ", ".join(fit.suitable), ".")]
        if fit.avoid:
            blocks.append(paragraph("Avoid for now: ", ", ".join(fit.avoid), "."))
        blocks.append(paragraph(fit.advice))
    blocks += [heading("Scores by component", 1),
               paragraph(f"Scores run from 1 to {top:g}; \u201cdon\u2019t know\u201d is counted but not scored."),
               table(("Component", "Level", "Score", "Scored answers", "Don\u2019t know", "Not answered"),
                     [(components[c.id].name, level_name[c.level] if c.level else "Not enough answers",
                       "\u2013" if c.score is None else f"{c.score:.2f}", c.answered, c.dont_know, c.unanswered)
                      for c in result.components])]
    blocks.append(heading("Every answer", 1))
    for component_title, lines in _answer_rows(result, bank):
        blocks += [heading(component_title, 2), table(("Statement", "Answer"), lines)]
    return WordDocument(title=title, subject=bank.title, blocks=tuple(blocks))
