"""When a page's first question can be answered, measured inside the page.

A question is answerable once it has been drawn and the page is free to take a click on
it. A probe added before any of the page's own scripts (Playwright's init script, which
the site's Content-Security-Policy does not apply to) looks at every frame the browser
draws: if the question has a layout box in that frame, the probe sets a zero-delay
timer, and the time that timer runs at, from the start of the navigation, is the answer.
The timer runs only once the main thread has finished the frame and anything queued
before it (our scripts, the theme's), which is when a click would be taken.

Playwright's own wait_for_selector is not used for this figure: it checks on a back-off
(0, 20, 70, 170, 270 ms, then every 500 ms) and each check takes several trips to the
page's main thread, so a page drawn a few milliseconds later, or busy for a moment just
when a check lands, can read 100 ms slower. bench/links.py prints what it sees too.
"""

from __future__ import annotations

import json

_PROBE = """(() => {
  const selector = %s;
  const look = () => requestAnimationFrame(() => {
    const question = document.querySelector(selector);
    const drawn = Boolean(question && question.checkVisibility());
    setTimeout(() => {
      if (drawn) window.__benchAnswerable = performance.now();
      else look();
    }, 0);
  });
  look();
})();"""


def watch_for(page, selector: str) -> None:
    """Call before navigating: the probe then runs on every page `page` loads."""
    page.add_init_script(_PROBE % json.dumps(selector))


def answerable_seconds(page) -> float:
    """Seconds from the start of the navigation until the question was answerable."""
    page.wait_for_function("() => window.__benchAnswerable !== undefined", timeout=300_000)
    return page.evaluate("() => window.__benchAnswerable") / 1000
