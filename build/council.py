"""MkDocs hook: the hosting council's details, set once in council.json.

The accessibility statement (a contact and a response time, which the accessibility
regulations require), the privacy notice (who to ask about data protection) and every
page's footer name the council that hosts the site. Its details live in one small file,
`docs/council.json`, which the build copies to the site's root as `council.json`:

- set before building, the details are written into the pages, so they read the same
  with JavaScript off;
- set after unzipping a release (no Python or Node needed: edit the one file in the web
  root), the pages read them from `council.json` when they open (cssc-council.js).

A detail left empty is never published as a placeholder: its line stays hidden and the
page keeps its plain words ("the council that hosts this website"). The build lists the
details still empty (in its log); after deployment, the hosting guide's page shows an
administrator which are set and which are missing, read from the deployed file.
"""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.council")

FILE = "council.json"
# Each detail, in the words the build and the hosting guide use for it.
FIELDS = {
    "name": "the council's name",
    "accessibility_email": "the email address for accessibility problems and requests",
    "accessibility_phone": "the telephone number for accessibility problems and requests",
    "accessibility_reply_within": "how soon you reply to them (for example \"5 working days\")",
    "data_protection_email": "the email address of your Data Protection Officer or Information Governance team",
}
GENERIC_NAME = "the council that hosts this website"
MARKER = re.compile(r"<!-- council: (accessibility|data-protection|check) -->")


def read_details(path: Path) -> dict[str, str]:
    """{field: text} from council.json, every field present (empty when unset)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise PluginError(f"{path} is missing: it holds the hosting council's details (see the hosting guide).") from None
    except json.JSONDecodeError as error:
        raise PluginError(f"{path} is not valid JSON ({error}): it holds the hosting council's details.") from None
    if not isinstance(data, dict):
        raise PluginError(f"{path} must hold one JSON object of the council's details.")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise PluginError(f"{path} has details this site does not use: {', '.join(unknown)}. "
                          f"It takes: {', '.join(FIELDS)}.")
    details = {}
    for field in FIELDS:
        value = data.get(field, "")
        if not isinstance(value, str):
            raise PluginError(f"{path}: '{field}' must be text (in quotes), not {value!r}.")
        details[field] = " ".join(value.split())
    for field in ("accessibility_email", "data_protection_email"):
        if details[field] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", details[field]):
            raise PluginError(f"{path}: '{field}' is not an email address: {details[field]!r}.")
    return details


def unset(details: dict[str, str]) -> list[str]:
    return [field for field in FIELDS if not details.get(field)]


def _item(field: str, value: str, inner: str, tag: str = "li") -> str:
    hidden = "" if value else " hidden"
    return f'<{tag} data-council-item="{field}"{hidden}>{inner}</{tag}>'


def _field(field: str, value: str) -> str:
    return f'<span data-council-field="{field}">{html.escape(value)}</span>'


def _email(field: str, value: str) -> str:
    href = f' href="mailto:{html.escape(value)}"' if value else ""
    return f'<a data-council-field="{field}"{href}>{html.escape(value)}</a>'


def block(kind: str, details: dict[str, str]) -> str:
    """The HTML a page's `<!-- council: kind -->` marker becomes."""
    name = details["name"] or GENERIC_NAME
    name_html = f'<span data-council-field="name" data-council-default="{GENERIC_NAME}">{html.escape(name)}</span>'
    if kind == "accessibility":
        items = [
            _item("accessibility_email", details["accessibility_email"],
                  "Email: " + _email("accessibility_email", details["accessibility_email"])),
            _item("accessibility_phone", details["accessibility_phone"],
                  "Telephone: " + _field("accessibility_phone", details["accessibility_phone"])),
        ]
        reply = _item("accessibility_reply_within", details["accessibility_reply_within"],
                      f"We will reply within {_field('accessibility_reply_within', details['accessibility_reply_within'])}.",
                      "p")
        hidden = "" if any(details[field] for field in FIELDS if field.startswith("accessibility")) else " hidden"
        return (f'<div class="cssc-council" data-council-block="accessibility"{hidden}>\n<p>Contact {name_html}:</p>\n'
                f'<ul>{"".join(items)}</ul>\n{reply}\n</div>')
    if kind == "data-protection":
        hidden = "" if details["data_protection_email"] else " hidden"
        return (f'<div class="cssc-council" data-council-block="data-protection"{hidden}>\n'
                + _item("data_protection_email", details["data_protection_email"],
                        f"Email {name_html}'s data protection team: "
                        + _email("data_protection_email", details["data_protection_email"]) + ".", "p")
                + "\n</div>")
    # kind == "check": what an administrator sees on the hosting guide's page.
    rows = "".join(f'<li data-council-check="{field}"><code>{field}</code>: {html.escape(words)}: '
                   f'<strong data-council-state>{"set" if details[field] else "not set"}</strong></li>'
                   for field, words in FIELDS.items())
    return (f'<div class="cssc-council-check" data-council-block="check">\n<p data-council-summary>As built: '
            f'{_summary(details)} With JavaScript on, this list is read from the <code>{FILE}</code> your server '
            f'sends.</p>\n<ul>{rows}</ul>\n</div>')


def _summary(details: dict[str, str]) -> str:
    missing = unset(details)
    if not missing:
        return "every detail is set."
    return f"{len(missing)} of {len(FIELDS)} details are not set, and their lines are left out of the pages."


def on_config(config):
    details = read_details(Path(config.docs_dir) / FILE)
    config.extra["cssc_council"] = details
    missing = unset(details)
    if missing:
        # A report to whoever builds the site, not a warning: a release is built with the
        # details empty, for each council to set in the web root (see the hosting guide).
        log.info("Council details not set in docs/%s (or in %s at the site's root once deployed): %s. Until they "
                 "are, the pages say \"%s\" and leave out the missing contact lines.", FILE, FILE,
                 ", ".join(missing), GENERIC_NAME)
    return config


def on_page_markdown(markdown, page, config, files):
    details = config.extra["cssc_council"]
    return MARKER.sub(lambda match: block(match.group(1), details), markdown)
