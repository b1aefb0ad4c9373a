"""A tiny, always-escaping HTML builder for result views.

Results are rendered to HTML by Python (in the browser through Pyodide) so the page's
JavaScript never has to know a tool's result shape. Every piece of text goes through
`html.escape`, so text that came from an imported file can never become markup.
"""

from __future__ import annotations

from html import escape
from typing import Iterable, Union

__all__ = ["Markup", "element", "join", "text"]


class Markup(str):
    """A string that is already safe HTML (built here, never from user text)."""


Child = Union["Markup", str, int, float, None, Iterable["Child"]]


def text(value: object) -> Markup:
    """Escape any value as text."""
    return Markup(escape(str(value), quote=True))


def join(children: Child) -> Markup:
    if children is None:
        return Markup("")
    if isinstance(children, Markup):
        return children
    if isinstance(children, (str, int, float)):
        return text(children)
    return Markup("".join(join(child) for child in children))


def element(tag: str, *children: Child, **attributes: object) -> Markup:
    """`element("p", "Hello", class_="x")` -> `<p class="x">Hello</p>`.

    Attribute names: a trailing underscore is dropped (`class_`), underscores become
    hyphens (`aria_label`). `True` gives a bare attribute; `None` and `False` omit it.
    """
    parts = [tag]
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{escape(str(value), quote=True)}"')
    opening = "<" + " ".join(parts) + ">"
    if tag in _VOID:
        return Markup(opening)
    return Markup(f"{opening}{join(children)}</{tag}>")


_VOID = {"br", "hr", "img", "input", "meta", "link"}
