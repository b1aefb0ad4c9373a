"""Browser helpers for the working documents (business case, transparency record): forms
whose bank describes each field (assessments/document_fields.py), and the "Leave site?"
guard that holds the page while typed work has not been downloaded."""

from __future__ import annotations

from typing import Any, Mapping

from support_browser import RUNTIME_TIMEOUT_MS

_UNLOAD_WOULD_ASK = """() => {
    const event = new Event('beforeunload', {cancelable: true});
    window.dispatchEvent(event);
    return event.defaultPrevented;
}"""


class DocumentForm:
    """A document's form on the page, field by field."""

    def __init__(self, slug: str, fields: Mapping[str, Any]) -> None:
        self.slug = slug
        self.fields = fields

    def control(self, page, fid: str, value: str = ""):
        """The control for a field (for a choice, the radio button of `value`)."""
        if self.fields[fid].kind == "choice":
            return page.locator(f"#{self.slug}--{fid}--{value}")
        return page.locator(f"#{self.slug}--{fid}--answer")

    def fill(self, page, answers: Mapping[str, str]) -> None:
        for fid, value in answers.items():
            if self.fields[fid].kind == "choice":
                self.control(page, fid, value).check()
            else:
                self.control(page, fid).fill(value)

    def answers(self, page) -> dict[str, str]:
        """What the form shows, as answers (empty fields left out)."""
        found = {}
        for fid, field in self.fields.items():
            if field.kind == "choice":
                checked = [o.id for o in field.options if self.control(page, fid, o.id).is_checked()]
                if checked:
                    found[fid] = checked[0]
            elif self.control(page, fid).input_value():
                found[fid] = self.control(page, fid).input_value()
        return found


def unload_is_held(page) -> bool:
    """Whether leaving the page now would ask "Leave site?" (a synthetic beforeunload)."""
    return page.evaluate(_UNLOAD_WOULD_ASK)


def wait_until_not_held(page) -> None:
    """Wait until leaving would no longer ask (the download is recorded once it is made)."""
    page.wait_for_function(f"() => !({_UNLOAD_WOULD_ASK})()", timeout=RUNTIME_TIMEOUT_MS)


def wait_for_message(page, text: str) -> str:
    message = page.locator("[data-message]")
    message.filter(has_text=text).wait_for(timeout=RUNTIME_TIMEOUT_MS)
    return message.inner_text()
