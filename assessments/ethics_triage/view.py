"""The ethics triage result as HTML: risk level, red flags, themes, governance, next steps,
and a record of the triage fit to print or attach to the Business Case.

Every reason is followed by the answers that gave it ("You answered ..."), so a reader
can trace each part of the result back to the questions, as the guidance asks the
triage to be recorded and discussed with an oversight group.
"""

from __future__ import annotations

from .model import Evidence, Reason, TriageBank, TriageResult, load_triage_bank
from ..core.html import Markup, element as e
from ..core.links import Link, page_href
from ..core.word_document import Run, WordDocument, bullets, heading, numbered, paragraph, table

__all__ = ["render_triage_result", "summarise_triage_result", "triage_facts", "triage_word"]


def _quoted(value: str) -> str:
    return f"\u201c{value}\u201d"


def _evidence(evidence: tuple[Evidence, ...]) -> Markup:
    if not evidence:
        return Markup("")
    answers = "; ".join(f"{_quoted(item.question_text)}: {_quoted(item.answer)}" for item in evidence)
    label = "You answered " if len(evidence) == 1 else "Your answers: "
    return e("span", label, answers, ".", class_="cssc-evidence")


def _links(links: tuple[Link, ...] | list[Link], site_root: str) -> Markup:
    unique = list(dict.fromkeys(links))
    return e("ul", [e("li", e("a", link.title, href=page_href(link.target, site_root))) for link in unique])


def _reasons(reasons: tuple[Reason, ...], level_name: str) -> Markup:
    items = []
    for reason in reasons:
        # A reason that rests on the risk level points to the answers behind that level
        # (listed once, under "Why the risk is ...") instead of repeating them all.
        see = e("a", f"See why the risk is {level_name.lower()}.", href="#ethics-triage--why") if reason.risk_level else ""
        items.append(e("li", reason.text, " ", _evidence(reason.evidence), " " if see else "", see,
                       data_rule=reason.rule))
    return e("ul", items)


def render_triage_result(result: TriageResult, site_root: str = "", bank: TriageBank | None = None) -> Markup:
    """The whole result, in reading order, as escaped HTML."""
    bank = bank or load_triage_bank()
    level = bank.level(result.risk_level)
    parts: list[Markup] = []

    if not result.answered:
        parts.append(e("p", "Answer the questions above to see the risk level, the themes flagged and the "
                            "governance that fits.", class_="cssc-result__headline"))
        return e("div", parts, class_="cssc-result__body cssc-triage")

    so_far = "" if result.complete else " so far"
    parts.append(e("p", f"Risk level{so_far}: ", e("strong", level.name), ". ", level.description,
                   class_="cssc-result__headline", data_risk_level=result.risk_level))
    if not result.complete:
        parts.append(e("p", f"{len(result.unanswered)} questions are not answered yet, so the result may change. "
                            "They are listed in the record of the triage below."))

    if result.red_flags:
        parts.append(e("div",
                       e("h3", f"Red flags ({len(result.red_flags)})"),
                       e("ul", [e("li", e("strong", flag.title), ". ", flag.text, " ", _evidence(flag.evidence),
                                      data_rule=flag.rule) for flag in result.red_flags]),
                       class_="cssc-callout cssc-triage__red-flags"))

    parts.append(e("h3", f"Why the risk is {level.name.lower()}", id="ethics-triage--why"))
    if result.reasons:
        parts.append(e("ul", [e("li", e("strong", bank.level(r.raises_to).name), ": ", r.text, " ",
                                    _evidence(r.evidence), data_rule=r.rule) for r in result.reasons]))
    else:
        parts.append(e("p", "None of your answers so far raises the risk."))

    parts.append(e("h3", f"Themes flagged ({len(result.themes)})"))
    if not result.themes:
        parts.append(e("p", "None of your answers so far flags a theme."))
    for theme in result.themes:
        parts.append(e("section",
                       e("h4", theme.name, id=f"ethics-triage--theme-{theme.id}"),
                       e("p", e("strong", "Why it was flagged:")), _reasons(theme.why, level.name),
                       e("p", e("strong", "The risk: "), theme.risk),
                       e("p", e("strong", "Mitigations to consider:")),
                       e("ul", [e("li", m) for m in theme.mitigations]),
                       e("p", e("strong", "Read more:")), _links(theme.links, site_root),
                       class_="cssc-triage__theme", aria_labelledby=f"ethics-triage--theme-{theme.id}",
                       data_theme=theme.id))

    parts.append(e("h3", "Proportionate governance"))
    parts.append(e("h4", "Impact assessments"))
    items = []
    for assessment in result.impact_assessments:
        if assessment.advised:
            items.append(e("li", e("strong", assessment.name), ": begin this now. ", assessment.about,
                           _reasons(assessment.why, level.name), data_assessment=assessment.id, data_advised="true"))
        else:
            items.append(e("li", e("strong", assessment.name), ": not indicated by your answers. ", assessment.note,
                           data_assessment=assessment.id, data_advised="false"))
    parts.append(e("ul", items))
    parts.append(_links([link for a in result.impact_assessments for link in a.links], site_root))

    scrutiny = result.independent_scrutiny
    parts.append(e("h4", "Independent scrutiny"))
    parts.append(e("p", e("strong", "Advised. " if scrutiny.advised else "Not advised by your answers. "),
                   scrutiny.advice, data_scrutiny="advised" if scrutiny.advised else "not-advised"))
    if scrutiny.advised:
        parts.append(_reasons(scrutiny.why, level.name))
    parts.append(_links(scrutiny.links, site_root))

    parts.append(e("h4", "Who should sign off"))
    parts.append(e("p", result.sign_off))

    parts.append(e("h3", "Next steps"))
    parts.append(e("ol", [e("li", step) for step in result.next_steps]))
    parts.append(_links(bank.next_step_links, site_root))

    parts.append(_record(result, bank))
    return e("div", parts, class_="cssc-result__body cssc-triage")


def _record(result: TriageResult, bank: TriageBank) -> Markup:
    """Every answer in words, with the result's essentials: the part to print or attach."""
    section_titles = {s.id: s.title for s in bank.sections}
    facts = triage_facts(result, bank)
    rows = []
    current = ""
    for line in result.record:
        if line.section != current:
            current = line.section
            rows.append(e("tr", e("th", section_titles[current], colspan="2", scope="colgroup")))
        rows.append(e("tr", e("th", line.text, scope="row"), e("td", line.answer), data_answer_status=line.status))
    return e("section",
             e("h3", "Record of the triage", id="ethics-triage--record"),
             e("p", "To print this record or save it as a PDF, use your browser\u2019s Print command (Ctrl+P, or "
                    "\u2318+P on a Mac): the site\u2019s menus and the tool\u2019s buttons are left out of the printout."),
             e("dl", [Markup(e("dt", term) + e("dd", value)) for term, value in facts], class_="cssc-triage__facts"),
             e("table",
               e("caption", "Every answer"),
               e("thead", e("tr", e("th", "Question", scope="col"), e("th", "Answer", scope="col"))),
               e("tbody", rows), class_="cssc-table"),
             class_="cssc-triage__record", aria_labelledby="ethics-triage--record")


def triage_facts(result: TriageResult, bank: TriageBank) -> list[tuple[str, str]]:
    """The record's essentials, (term, value), as the page and the Word file show them."""
    return [
        ("Use case", result.use_case_name or "Not given"),
        ("Date", result.completed_on or "Not given"),
        ("Completed by", "; ".join(f"{role}: {name}" for role, name in result.completed_by) or "Not given"),
        ("Risk level", result.risk_level_name + ("" if result.complete else " (not every question answered)")),
        ("Red flags", "; ".join(f.title for f in result.red_flags) or "None"),
        ("Themes flagged", "; ".join(t.name for t in result.themes) or "None"),
        ("Impact assessments to begin", "; ".join(a.name for a in result.impact_assessments if a.advised) or "None indicated"),
        ("Independent scrutiny", "Advised" if result.independent_scrutiny.advised else "Not advised"),
        ("Questions version", f"{bank.title} {bank.version}"),
    ]


def triage_word(answers: dict, result: TriageResult, bank: TriageBank | None = None) -> WordDocument:
    """The record of the triage for Word: the essentials, why, the themes, governance,
    next steps, then every question with its answer in words, one table per section."""
    bank = bank or load_triage_bank()
    title = f"Ethics triage record: {result.use_case_name or 'untitled'}"
    blocks = [heading(title, 0), table(("Record", "Details"), triage_facts(result, bank))]
    if result.answered:
        level = bank.level(result.risk_level)
        blocks += [heading("Risk level", 1), paragraph(Run(level.name, bold=True), ". ", level.description)]
        if result.red_flags:
            blocks += [heading(f"Red flags ({len(result.red_flags)})", 1),
                       bullets(f"{flag.title}. {flag.text}" for flag in result.red_flags)]
        blocks.append(heading(f"Why the risk is {level.name.lower()}", 1))
        blocks.append(bullets(f"{bank.level(r.raises_to).name}: {r.text}" for r in result.reasons) if result.reasons
                      else paragraph("None of the answers raises the risk."))
        blocks.append(heading(f"Themes flagged ({len(result.themes)})", 1))
        for theme in result.themes:
            blocks += [heading(theme.name, 2),
                       paragraph(Run("Why it was flagged: ", bold=True), " ".join(r.text for r in theme.why)),
                       paragraph(Run("The risk: ", bold=True), theme.risk),
                       paragraph(Run("Mitigations to consider:", bold=True)), bullets(theme.mitigations)]
        blocks += [heading("Proportionate governance", 1), heading("Impact assessments", 2),
                   bullets(f"{a.name}: begin this now. {a.about}" if a.advised
                           else f"{a.name}: not indicated by the answers. {a.note}" for a in result.impact_assessments),
                   heading("Independent scrutiny", 2),
                   paragraph(Run("Advised. " if result.independent_scrutiny.advised else "Not advised by the answers. ",
                                 bold=True), result.independent_scrutiny.advice),
                   heading("Who should sign off", 2), paragraph(result.sign_off),
                   heading("Next steps", 1), numbered(result.next_steps)]
    blocks.append(heading("Every answer", 1))
    section_titles = {s.id: s.title for s in bank.sections}
    by_section: dict[str, list] = {}
    for line in result.record:
        by_section.setdefault(line.section, []).append(line)
    for section, lines in by_section.items():
        blocks += [heading(section_titles[section], 2),
                   table(("Question", "Answer"), [(line.text, line.answer) for line in lines])]
    return WordDocument(title=title, subject=bank.title, blocks=tuple(blocks))


def summarise_triage_result(result: TriageResult) -> str:
    """One line for the page's status region (read out by screen readers)."""
    if not result.answered:
        return "Result updated: no answers yet."
    flags = len(result.red_flags)
    summary = (f"Result updated: risk level {result.risk_level_name}, {flags} red flag{'' if flags == 1 else 's'}, "
               f"{len(result.themes)} theme{'' if len(result.themes) == 1 else 's'} flagged.")
    if result.unanswered:
        summary += f" {len(result.unanswered)} questions not answered."
    return summary
