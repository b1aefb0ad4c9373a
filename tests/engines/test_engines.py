"""Every tool page in Firefox ESR and in WebKit, as a reader would use it.

For each tool page, in each engine: Python's result appears; answers loaded from a file
(Load JSON) show Python's result for them, and survive a reload (one reload, after every
page has its answers, then each page again); a Word download, where
the tool has one, is a .docx that python-docx opens with the title Python gave it; the
data quality check reads a CSV; an answer typed in one tab shows in another (on one
page); the page meets no error, nor anything the hosting
guide's Content-Security-Policy refuses; and with scripts off, every question shows with
the note saying what needs JavaScript. Then what the page tells a reader about keeping
their answers in this browser (cssc-keep.js).

One test per engine, which opens each page in turn in the one browser the engine has for
the run, by the site's navigation as a reader goes (starting a browser, or Python in a
page, costs seconds; a page's checks are grouped for the same reason). Each page's failure is reported with the page's name, after every page has run.
Chromium runs the same pages in far more detail in tests/browser.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from assessments.api import handle_request
from assessments.tools import TOOLS, get_tool
from support_browser import QuietHandler
from support_data_quality import ROWS, SETTINGS, defective_csv

pytestmark = [pytest.mark.browser, pytest.mark.long]

# The status line of the tool's form once Python has answered for its answers ('' before).
STATUS = """(slug) => {
    const form = document.querySelector(`form[data-tool="${slug}"]`);
    const status = form?.querySelector('[data-status]');
    const result = form?.querySelector('[data-result]');
    if (!status || !result || result.hasAttribute('aria-busy') || result.dataset.resultFrom !== 'python') return '';
    return status.textContent;
}"""

UPDATED = f"(slug) => {{ const text = ({STATUS})(slug); return text.startsWith('Result updated') && text; }}"
LOADED = f"([slug, name]) => {{ const text = ({STATUS})(slug); return text.startsWith(`Loaded “${{name}}”`) && text; }}"

# To the next tool page as a reader goes, by the site's navigation: the theme's instant
# navigation keeps the page, and the Python already started in it.
FOLLOW_LINK = """(address) => {
    if (location.href.split('#')[0] === address) return true;
    const link = [...document.querySelectorAll('a.md-nav__link[href]')].find((a) => a.href === address);
    if (!link) throw new Error(`no link in the site's navigation to ${address}`);
    link.click();
    return true;
}"""

# What shows with scripts off: every question (each control the page holds, outside the
# parts hidden until the script starts), drawn and labelled, and the note.
SCRIPTS_OFF = """() => {
    const drawn = (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden';
    const form = document.querySelector('form[data-tool]');
    const controls = [...form.querySelectorAll('input[name], select[name], textarea[name]')]
        .filter((control) => control.type !== 'hidden' && !control.closest('[hidden]'));
    const labelled = (control) => control.labels.length > 0 || Boolean(control.closest('fieldset')?.querySelector('legend'));
    const note = form.querySelector('.cssc-tool__nojs');
    return {
        questions: controls.length,
        drawn: controls.filter(drawn).length,
        labelled: controls.filter(labelled).length,
        note: note && drawn(note) ? note.textContent : '',
        buttons_hidden: form.querySelector('[data-action=download]').getClientRects().length === 0,
    };
}"""


# The note on keeping the answers (cssc-keep.js), once it has settled on its case.
KEEP_NOTE = """(slug) => {
    const notice = document.querySelector(`form[data-tool="${slug}"] [data-keep-notice]`);
    if (!notice || notice.dataset.keepCase === undefined) return null;
    return {case: notice.dataset.keepCase, shown: !notice.hidden, role: notice.getAttribute('role'),
            text: notice.innerText};
}"""

# What each engine's note says: WebKit deletes a site's storage after 7 days without a
# visit, and WebKitGTK offers no navigator.storage.persist() to ask otherwise; Firefox
# asks the reader before it grants persistent storage, and in the meantime (as with no
# reader to answer, here) the answers are simply in this browser.
KEEP_CASE = {"webkit": "may-delete", "firefox": "this-browser"}
KEEP_WORDS = {"may-delete": "This browser may delete your answers.",
              "this-browser": "Your answers are saved in this browser only."}


def page_address(slug: str) -> str:
    return get_tool(slug).page.removesuffix(".md") + "/"


def example(slug: str) -> dict:
    """The tool's fullest worked example (for the data quality check: the settings its
    test file is checked with)."""
    if slug == "data-quality":
        return dict(SETTINGS)
    return dict(max(get_tool(slug).load_bank().examples, key=lambda e: len(json.dumps(e.answers))).answers)


def python_says(slug: str, answers: dict, site_url: str, loaded: dict[str, dict]) -> str:
    """The status Python gives for `answers`, with the answers this browser holds for the
    tools this one summarises, as the page sends them."""
    context = {source: loaded.get(source, {}) for source in get_tool(slug).context_tools}
    response = handle_request({"op": "score", "tool": slug, "answers": answers, "site_root": site_url,
                               "context": context})
    assert response["ok"], response
    return response["summary"]


def go_to(engine, slug: str, site_url: str, first: bool) -> None:
    address = site_url + page_address(slug)
    if first:
        engine.fresh(site_url)
        engine.goto(address)
    else:
        engine.run(FOLLOW_LINK, address)


def check_tool_page(engine, slug: str, site_url: str, work: Path, first: bool, loaded: dict[str, dict]) -> None:
    """Everything but the reload, whose checks follow once every page has its answers."""
    go_to(engine, slug, site_url, first)

    # Python's result appears, for no answers yet.
    empty = python_says(slug, {}, site_url, loaded)
    assert engine.wait(UPDATED, slug, what="Python's first result") == empty

    # Load JSON reads a file back: the tool shows Python's result for its answers.
    answers = example(slug)
    record = handle_request({"op": "export", "tool": slug, "answers": answers})
    assert record["ok"], record
    saved = work / f"{engine.name}-{record['file_name']}"
    saved.write_text(record["text"], "utf-8")
    engine.choose_file("[data-action=load]", saved)
    engine.wait(LOADED, [slug, saved.name], what="the loaded file's result")
    loaded[slug] = answers
    assert python_says(slug, answers, site_url, loaded) != empty

    # A Word download is a .docx that opens, with the title Python gave it.
    if "word" in get_tool(slug).exports:
        model = handle_request({"op": "export_as", "tool": slug, "format": "word", "answers": answers,
                                "site_root": site_url})
        downloaded = engine.download("[data-action=download-as][data-format=word]")
        assert downloaded.name == model["file_name"]
        document = docx.Document(str(downloaded))
        assert document.core_properties.title == model["document"]["title"]
        assert any(p.style.name.startswith(("Title", "Heading")) for p in document.paragraphs)

    # The data quality check reads a CSV (the reader's data: a file made here).
    if slug == "data-quality":
        extract = work / "referrals.csv"
        extract.write_bytes(defective_csv())
        engine.choose_file("[data-data-check-file]", extract)
        checked = engine.wait(
            "() => { const t = document.querySelector('[data-data-check-status]').textContent;"
            " return t.startsWith('Checked “referrals.csv”') && t; }", what="the data quality report")
        assert f"{ROWS} rows" in checked
        assert "Completeness" in engine.run("() => document.querySelector('[data-data-check-report]').textContent")

    check_no_problems(engine, site_url)


def check_no_problems(engine, site_url: str) -> None:
    """No error on the page, and nothing refused by the hosting guide's policy."""
    assert engine.problems() == []
    refused = [report for report in QuietHandler.csp_reports if report[0].startswith(site_url)]
    assert refused == [], f"the Content-Security-Policy refused: {refused}"


# Typed as a reader types: the field's value, then the event the page listens for.
TYPE_INTO = """([name, text]) => {
    const field = document.querySelector(`form[data-tool] [name="${name}"]`);
    field.value = text;
    field.dispatchEvent(new Event('input', {bubbles: true}));
    return true;
}"""
STARTED = "(slug) => Boolean(document.querySelector(`form[data-tool=\"${slug}\"]`)?.dataset.csscStarted)"
VALUE_OF = "([name, text]) => document.querySelector(`form[data-tool] [name=\"${name}\"]`).value === text"


def check_other_tab_follows(engine, slug: str, site_url: str, loaded: dict[str, dict]) -> None:
    """A second tab of the same tool shows an answer typed in the first (the browser's
    storage event), and the first keeps it."""
    name, text = "use-case-name", "Typed in the first tab"
    assert name in loaded[slug]
    other = engine.new_tab(site_url + page_address(slug))
    try:
        engine.wait(STARTED, slug, what="the second tab's form")
        engine.use_tab(0)
        engine.run(TYPE_INTO, [name, text])
        loaded[slug] = {**loaded[slug], name: text}
        engine.use_tab(other)
        engine.wait(VALUE_OF, [name, text], what="the answer typed in the other tab")
        check_no_problems(engine, site_url)
    finally:
        engine.close_tab(other)


def check_after_reload(engine, slug: str, site_url: str, loaded: dict[str, dict]) -> None:
    """After the reload: the page shows Python's result for the answers loaded before it,
    and what this browser will do with them."""
    go_to(engine, slug, site_url, first=False)
    expected = python_says(slug, loaded[slug], site_url, loaded)
    assert engine.wait(UPDATED, slug, what="the result after a reload") == expected, "the answers did not survive a reload"

    note = engine.wait(KEEP_NOTE, slug, what="the note on keeping the answers")
    assert (note["case"], note["shown"], note["role"]) == (KEEP_CASE[engine.name], True, "status"), note
    assert KEEP_WORDS[note["case"]] in note["text"] and "Download JSON" in note["text"] and "My project" in note["text"]
    if note["case"] == "may-delete":
        assert "7 days without a visit" in note["text"]
    check_no_problems(engine, site_url)


def check_scripts_off(engine, slug: str, scripts_blocked_url: str) -> None:
    """With scripts off, every question shows, with the note."""
    engine.goto(scripts_blocked_url + page_address(slug))
    shown = engine.run(SCRIPTS_OFF)
    assert shown["questions"] > 0
    assert shown["drawn"] == shown["labelled"] == shown["questions"], f"questions hidden or unlabelled: {shown}"
    assert "needs JavaScript" in shown["note"]
    assert shown["buttons_hidden"]


@pytest.mark.parametrize("engine", ["firefox", "webkit"], indirect=True)
def test_every_tool_page_works(engine, site_url, scripts_blocked_url, tmp_path):
    failures = {}
    loaded: dict[str, dict] = {}  # the answers each tool page loaded from a file

    def attempt(name, check, *args) -> bool:
        try:
            check(*args)
            return True
        except Exception as failure:  # noqa: BLE001 - each page is reported, then the next runs
            failures[name] = f"{type(failure).__name__}: {failure}"
            engine.problems()  # what this page left is not the next page's
            return False

    # Each page in turn, by the site's navigation, keeping the Python started on the first
    # (a start is most of a page's time: about 5 s in Firefox and 7 s in WebKit here).
    first = True
    for slug in TOOLS:
        first = not attempt(slug, check_tool_page, engine, slug, site_url, tmp_path, first, loaded)

    # One reload, on a page reached by the site's navigation (where Firefox once put its
    # memory of the form into the wrong controls), then every page shows its answers.
    reloaded = "ethics-triage"
    if attempt("two tabs", lambda: (go_to(engine, reloaded, site_url, first),
                                    check_other_tab_follows(engine, reloaded, site_url, loaded))):
        first = False
    if attempt("reload", lambda: (go_to(engine, reloaded, site_url, first), engine.reload())):
        for slug in loaded:
            attempt(f"{slug}, after the reload", check_after_reload, engine, slug, site_url, loaded)

    # Last, as these pages come from another address (the same site, its scripts refused).
    for slug in TOOLS:
        attempt(f"{slug}, scripts off", check_scripts_off, engine, slug, scripts_blocked_url)

    assert not failures, f"{engine.name} ({engine.version}):\n" + "\n".join(
        f"- {name}: {failure}" for name, failure in failures.items())
