"""MkDocs hook: tell overrides/main.html where the theme's script bundle is.

mkdocs-material ends every page with its bundle (about 100 KB of JavaScript) as a
blocking script, so the browser draws nothing until it has run. Measured on a 2-core
laptop, that made a tool page's first question answerable about 70 % later than the
same page as plain HTML. main.html loads the bundle through md-late-bundle.js instead,
once the page is parsed (on a page whose tool starts Python, once Python has answered,
so the two do not compete for the processor; md-late-bundle.js says when else).

The bundle's file name carries a hash that changes with each theme release, so it is
read from the theme's own base.html rather than written down here.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

LATE_SETTING = "cssc_late_theme"
BUNDLE = re.compile(r"""['"](assets/javascripts/bundle\.[0-9a-f]+\.min\.js)['"]""")


def theme_bundle(theme_dirs: list[str]) -> str:
    """The bundle's path in the site, as the theme's base.html names it."""
    for folder in theme_dirs:
        base = Path(folder) / "base.html"
        if base.is_file():
            found = BUNDLE.findall(base.read_text("utf-8"))
            if len(found) == 1:
                return found[0]
    raise PluginError(
        "Could not find the theme's script bundle in its base.html. If mkdocs-material was "
        "upgraded, check build/theme_scripts.py and overrides/main.html."
    )


def on_config(config):
    # extra.cssc_late_theme off (CSSC_LATE_THEME=false): the theme's own blocking script,
    # as main.html keeps it when it is told no bundle (bench/links.py --theme-boot).
    late = config.extra.get(LATE_SETTING, True)
    if not isinstance(late, bool):
        raise PluginError(f"extra.{LATE_SETTING} in mkdocs.yml (or CSSC_LATE_THEME) must be true or false, not {late!r}.")
    if late:
        config.extra["cssc_theme_bundle"] = theme_bundle(config.theme.dirs)
    return config
