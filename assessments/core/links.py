"""Links from results to the site's pages.

Banks name pages by their Markdown source path (`explainers/data-quality.md#bias`), the
same way the docs link to each other, so the build can check that every target exists.
In the browser the page tells Python where the site's root is, and `page_href` turns
the source path into the URL MkDocs gives that page (directory URLs).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Link", "page_href"]


@dataclass(frozen=True)
class Link:
    """A link to a page of the guide: `target` is a docs source path, maybe with #anchor."""

    title: str
    target: str

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "target": self.target}


def page_href(target: str, site_root: str = "") -> str:
    """`explainers/data-quality.md#bias` -> `<site_root>explainers/data-quality/#bias`."""
    path, _, anchor = target.partition("#")
    if path.endswith("index.md"):
        url = path[: -len("index.md")]
    elif path.endswith(".md"):
        url = path[: -len(".md")] + "/"
    else:
        url = path
    if site_root and not site_root.endswith("/"):
        site_root += "/"
    return f"{site_root}{url}" + (f"#{anchor}" if anchor else "")
