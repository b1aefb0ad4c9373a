"""Browser helpers for the working documents (business case, transparency record): forms
whose bank describes each field (assessments/core/document_fields.py), and the "Leave site?"
guard that holds the page while typed work has not been downloaded."""

from __future__ import annotations

from pathlib import Path
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
        """The control for a field (for a choice, the radio button of `value`), or for a
        part of a list's entry, named as its answer ("impact-assessments-1--name")."""
        if fid not in self.fields:
            return page.locator(f"#{self.slug}--{fid}")
        if self.fields[fid].kind == "choice":
            return page.locator(f"#{self.slug}--{fid}--{value}")
        return page.locator(f"#{self.slug}--{fid}--answer")

    def fill(self, page, answers: Mapping[str, str]) -> None:
        for fid, value in answers.items():
            if fid in self.fields and self.fields[fid].kind == "choice":
                self.control(page, fid, value).check()
            else:
                self.control(page, fid).fill(value)

    def answers(self, page) -> dict[str, str]:
        """What the form shows, as answers (empty fields left out; a list's entries as
        their parts' answer names)."""
        return page.evaluate("""(slug) => {
            const found = {};
            for (const control of document.querySelector(`form[data-tool="${slug}"]`).elements) {
                if (!control.name || control.type === 'file' || control.type === 'button') continue;
                if (control.type === 'radio' && !control.checked) continue;
                if (control.value) found[control.name] = control.value;
            }
            return found;
        }""", self.slug)

    def refuses_each(self, page, folder: Path, bad_files: Mapping[str, tuple[str, str]]) -> None:
        """Load each bad file ({name: (content, words its message holds)}) in turn: each is
        refused with its own message, and the form's answers stay as they were."""
        before = self.answers(page)
        for name, (content, words) in bad_files.items():
            path = folder / name
            path.write_text(content, "utf-8")
            page.set_input_files("[data-action=load]", str(path))
            message = wait_for_message(page, name)
            assert words in message, (name, message)
            assert "Your answers have not been changed" in message
            assert self.answers(page) == before


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
