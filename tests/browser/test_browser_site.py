"""The whole built site: links, titles, the source's headings, and every page in a browser.

The static checks parse the built HTML; the browser checks visit every page and fail
on any request to another origin, any console error, or any accessibility violation
(axe-core, WCAG 2.2 AA tags) in the light and the dark palette.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from support_browser import COLOUR_RULES, PALETTE_TOGGLE, ROOT, SCHEME, axe_violations, axe_violations_in_both_palettes

pytestmark = pytest.mark.browser

# Pages of the theme that are not ours to audit: the 404 page is served for any
# missing address and has no content of ours.
NOT_CONTENT = {"404.html"}


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.assets: list[str] = []
        self.headings: list[str] = []
        self.title = ""
        self._in_title = False
        self._heading_depth = 0
        self._heading_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag in ("script", "img") and attributes.get("src"):
            self.assets.append(attributes["src"])
        if tag == "link" and attributes.get("href") and attributes.get("rel") in ("stylesheet", "icon", "modulepreload"):
            self.assets.append(attributes["href"])
        if tag == "title":
            self._in_title = True
        if re.fullmatch(r"h[1-6]", tag):
            self._heading_depth += 1
            self._heading_text = []

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if re.fullmatch(r"h[1-6]", tag) and self._heading_depth:
            self._heading_depth -= 1
            self.headings.append(" ".join("".join(self._heading_text).split()).rstrip("¶").strip())

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._heading_depth:
            self._heading_text.append(data)


@pytest.fixture(scope="module")
def pages(site_dir) -> dict[str, PageParser]:
    parsed = {}
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if relative in NOT_CONTENT:
            continue
        parser = PageParser()
        parser.feed(path.read_text("utf-8"))
        parsed[relative] = parser
    return parsed


def _target_file(site_dir: Path, page: str, href: str) -> tuple[Path | None, str]:
    resolved = urljoin("http://site.test/" + page, href)
    parts = urlsplit(resolved)
    if parts.netloc != "site.test":
        return None, ""
    path = unquote(parts.path.lstrip("/"))
    target = site_dir / path
    if path == "" or path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_no_internal_link_or_anchor_is_broken(site_dir, pages):
    broken = []
    for page, parser in pages.items():
        for href in parser.links + parser.assets:
            if href.startswith(("mailto:", "tel:", "javascript:")):
                continue
            target, anchor = _target_file(site_dir, page, href)
            if target is None:
                continue
            if not target.is_file():
                broken.append(f"{page}: {href} (no file)")
                continue
            if anchor and target.suffix == ".html":
                ids = pages.get(target.relative_to(site_dir).as_posix())
                if ids is not None and anchor not in ids.ids:
                    broken.append(f"{page}: {href} (no #{anchor})")
    assert not broken, "\n".join(broken)


def test_no_page_repeats_an_id(site_dir, pages):
    # A repeated id breaks in-page links and labels (a heading and a form sharing a slug).
    repeated = {}
    for page in pages:
        ids = re.findall(r'\sid="([^"]+)"', (site_dir / page).read_text("utf-8"))
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            repeated[page] = twice
    assert not repeated, repeated


def test_page_titles_are_unique(pages):
    seen: dict[str, str] = {}
    duplicates = []
    for page, parser in pages.items():
        title = " ".join(parser.title.split())
        if title in seen:
            duplicates.append(f"{title!r}: {seen[title]} and {page}")
        seen[title] = page
    assert not duplicates, "\n".join(duplicates)


def test_every_section_heading_of_the_source_is_a_heading_in_the_site(pages):
    # Typos in the source that the site corrects.
    corrected = {"controller trials": "controlled trials", "adopt appropriate data practises": "adopt appropriate data practices"}
    source = (ROOT / "tests" / "fixtures" / "main-guidance-source.txt").read_text("utf-8").splitlines()
    expected = [
        line.strip() for line in (ROOT / "tests" / "fixtures" / "source-headings.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    site_headings = " | ".join(h.lower() for parser in pages.values() for h in parser.headings)
    missing = []
    for heading in expected:
        assert heading in source, f"not a line of the source: {heading}"
        wanted = corrected.get(heading.lower(), heading.lower())
        if wanted not in site_headings:
            missing.append(heading)
    assert not missing, f"source headings not in the site: {missing}"


def _content_pages(pages) -> list[str]:
    return [page for page in pages if not page.startswith("assets/")]


def _url(site_url: str, page: str) -> str:
    return site_url + (page[: -len("index.html")] if page.endswith("index.html") else page)


CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  (window.__cspViolations ||= []).push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


# The browser crawl is split by the site's folders, so the parts can run side by side;
# a page belongs to the longest folder that matches ("" holds the rest), and a test
# below checks that every part has pages. The two longest tool pages are parts of their
# own: axe takes longest over their hundreds of controls.
SECTIONS = ("about/", "explainers/", "guidance/explore/", "guidance/develop/", "guidance/implement/", "tools/",
            "tools/checklists/", "tools/ethics-workbook/", "")


def _section(page: str) -> str:
    return max((folder for folder in SECTIONS if page.startswith(folder)), key=len)


def test_every_page_belongs_to_a_section_of_the_crawl(pages):
    assert {_section(page) for page in _content_pages(pages)} == set(SECTIONS)


# The theme's script bundle, loaded the theme's own way (one blocking script at the end
# of the page), has run once.
THEME_STARTED_ONCE = ("() => Boolean(window.document$)"
                      " && document.querySelectorAll('script[src*=\"assets/javascripts/bundle.\"]').length === 1")


@pytest.mark.long
@pytest.mark.parametrize("section", SECTIONS, ids=lambda section: section.strip("/") or "home")
def test_every_page_works_under_the_hosting_csp_and_axe_finds_nothing_in_either_palette(
    open_page, site_url, pages, section
):
    """Each page once: no other origin, no console error, no inline script the hosting
    guide's Content-Security-Policy blocks, the theme started by "load", and axe-core
    finds nothing in the palette the page opened in and, after the reader's palette
    switch, nothing in the other one by the rules that read colours."""
    tab, problems = open_page()
    tab.context.add_init_script(CSP_LISTENER)
    # The policy the pages are served under (asked for without drawing a page).
    served = tab.request.get(site_url)
    assert "script-src 'self' 'wasm-unsafe-eval'" in served.headers["content-security-policy"]
    violations, theme_not_started, failures, audited = {}, [], {}, {}

    def audit(page: str, rules: list[str] | None = None) -> str:
        """axe-core on the page in its current palette (every rule, or `rules`); returns
        that palette."""
        scheme = tab.evaluate(SCHEME)
        audited.setdefault(page, set()).add(scheme)
        # The palette switch leaves the pointer and focus on the header's toggle, whose
        # tooltip fades in after a moment: axe read it half faded as low contrast. A
        # reader moves on; so does the test, to a corner with nothing to point at.
        tab.mouse.move(tab.viewport_size["width"] - 2, tab.viewport_size["height"] - 2)
        tab.evaluate("() => document.activeElement && document.activeElement.blur()")
        found = axe_violations(tab, rules=rules)
        if found:
            failures[f"{page} ({scheme})"] = found
        return scheme

    for page in [page for page in _content_pages(pages) if _section(page) == section]:
        tab.goto(_url(site_url, page), wait_until="load")
        found = tab.evaluate("window.__cspViolations || []")
        if found:
            violations[page] = found
        if not tab.evaluate(THEME_STARTED_ONCE):
            theme_not_started.append(page)
        # The palette chosen last is kept from page to page, so pages open in either one,
        # and every rule is run in both across the pages; on each page, the rules that read
        # colours are run again in the other palette.
        opened_in = audit(page)
        tab.locator(PALETTE_TOGGLE).click()
        tab.wait_for_function(f"(before) => ({SCHEME})() !== before", arg=opened_in)
        audit(page, COLOUR_RULES)
    tab.wait_for_load_state("networkidle")  # a late request, and any error it brings, still counts
    assert not violations, violations
    assert not theme_not_started, theme_not_started
    assert not failures, failures
    assert audited and all(schemes == {"default", "slate"} for schemes in audited.values()), audited


def test_every_explainer_is_linked_from_the_guidance(site_dir, pages):
    explainers = {p for p in pages if p.startswith("explainers/") and p != "explainers/index.html"}
    linked = set()
    for page, parser in pages.items():
        if not page.startswith("guidance/"):
            continue
        for href in parser.links:
            target, _ = _target_file(site_dir, page, href)
            if target is not None and target.is_file():
                linked.add(target.relative_to(site_dir).as_posix())
    assert explainers and not explainers - linked, f"explainers no guidance page links to: {explainers - linked}"


def test_glossary_lists_every_term_once_and_every_tooltip_has_an_entry(site_dir, pages):
    source = (ROOT / "includes" / "abbreviations.md").read_text("utf-8")
    terms = {m.group(1).lower() for m in re.finditer(r"^\*\[([^\]]+)\]:", source, re.M)}
    glossary = (site_dir / "glossary" / "index.html").read_text("utf-8")
    listed = [t.lower() for t in re.findall(r'<dt id="term-[^"]*">([^<]+)</dt>', glossary)]
    assert set(listed) == terms and len(listed) == len(set(listed))
    used = set()
    for path in site_dir.rglob("*.html"):
        used |= {t.lower() for t in re.findall(r"<abbr title=\"[^\"]+\">([^<]+)</abbr>", path.read_text("utf-8"))}
    assert used, "no term on any page has a tooltip"
    assert used <= terms


def test_search_works_offline(page, site_url):
    page.goto(site_url)
    page.locator("input.md-search__input").click()
    page.keyboard.type("pseudonymisation")
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    assert results.count() >= 1
    assert "data-use-and-sharing" in page.locator(".md-search-result__link").first.get_attribute("href")


# The theme's small scripts (overrides/partials/javascripts/) are deferred, so the parser
# does not wait for them on a slow link; the two that set the palette a reader chose also
# block rendering, since it must be on the page before anything is drawn, or a
# dark-palette reader sees a light flash.
RECORD_PALETTE_AND_PAINT = """
window.__paletteSetAt = null;
new MutationObserver(() => {
    if (window.__paletteSetAt === null && document.body?.getAttribute('data-md-color-scheme') === 'slate') {
        window.__paletteSetAt = performance.now();
    }
}).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-md-color-scheme'] });
"""


def test_a_chosen_palette_is_on_the_page_before_its_first_paint_over_a_slow_link(open_page, site_url):
    page, _problems = open_page(color_scheme="light")
    page.goto(site_url)
    page.locator(PALETTE_TOGGLE).click()  # the reader chooses the dark palette
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.add_init_script(RECORD_PALETTE_AND_PAINT)
    link = page.context.new_cdp_session(page)
    link.send("Network.enable")
    link.send("Network.emulateNetworkConditions", {"offline": False, "latency": 80,
                                                   "downloadThroughput": 5e6 / 8, "uploadThroughput": 1e6 / 8})
    page.goto(site_url + "tools/data-maturity/", wait_until="load")
    page.wait_for_function("() => performance.getEntriesByName('first-paint').length > 0")
    first_paint = page.evaluate("() => performance.getEntriesByName('first-paint')[0].startTime")
    palette_set = page.evaluate("() => window.__paletteSetAt")
    # The first paint's time is when its frame was due, which the script run just ahead of
    # that frame can pass by a millisecond or two on a loaded machine; a light frame drawn
    # before the palette would be a whole frame (1/60 s) or more ahead of it.
    assert palette_set is not None and palette_set < first_paint + 1000 / 60, (palette_set, first_paint)


def test_the_offline_guard_names_a_request_to_another_origin_from_a_page_or_its_worker(open_page, site_url):
    # Every browser test relies on this guard to prove that nothing is asked of another
    # origin, Python's worker included; and the browser resolves no other host, so a
    # request that slips through still reaches nothing.
    page, problems = open_page()
    page.goto("about:blank")  # no site policy here to block the requests first
    page.evaluate("() => fetch('http://elsewhere.invalid/from-page').catch(() => null)")
    page.evaluate("""() => new Promise((done) => {
        const code = "fetch('http://elsewhere.invalid/from-worker').catch(() => null).then(() => postMessage('tried'))";
        const worker = new Worker(URL.createObjectURL(new Blob([code], {type: 'text/javascript'})));
        worker.onmessage = () => done();
    })""")
    assert problems.foreign_requests == ["http://elsewhere.invalid/from-page", "http://elsewhere.invalid/from-worker"]
    # The test's own server, under another name: reachable, were any host but 127.0.0.1 resolved.
    elsewhere = site_url.replace("127.0.0.1", "localhost")
    reached = page.evaluate("(address) => fetch(address, {mode: 'no-cors'}).then(() => true, () => false)", elsewhere)
    assert reached is False, f"the browser reached {elsewhere}"
    # Expected here: the test's own requests, and the browser's errors for them.
    assert all("ERR_NAME_NOT_RESOLVED" in text for text, _url in problems.console_errors), problems.console_errors
    problems.foreign_requests.clear()
    problems.console_errors.clear()


def test_the_audit_in_both_palettes_reads_each_palettes_own_colours(open_page, site_url):
    # The tools' accessibility tests rely on this: text too faint in the dark palette alone
    # is found there, and only there.
    page, _problems = open_page(color_scheme="light")
    page.goto(site_url + "about/")
    page.evaluate("""() => {
        const style = document.createElement('style');
        style.textContent = '[data-md-color-scheme=slate] .md-content p { color: #333 !important }';
        document.head.append(style);
    }""")
    found = axe_violations_in_both_palettes(page)
    assert found["default"] == []
    assert [violation["id"] for violation in found["slate"]] == ["color-contrast"]
    assert page.evaluate(SCHEME) == "default"  # left in the palette it opened in
