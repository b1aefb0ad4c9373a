"""Every tool page, loaded with a file full of HTML and script payloads, shows them as
text (or refuses the file) and runs none of them. Walks the registry of tools."""

from __future__ import annotations

import json

import pytest

from assessments.links import page_href
from assessments.records import export_record
from assessments.tools import TOOLS
from support_browser import wait_for_result

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><b>bold</b>'


@pytest.mark.parametrize("slug", sorted(TOOLS))
def test_payloads_in_a_loaded_file_are_inert(page, site_url, page_problems, tmp_path, slug):
    tool = TOOLS[slug]
    example = dict(tool.load_bank().examples[0].answers)
    record = export_record(slug, example)
    record["answers"] = {key: (PAYLOAD if isinstance(value, str) else value) for key, value in example.items()}
    record["bank_version"] = PAYLOAD
    saved = tmp_path / "hostile.json"
    saved.write_text(json.dumps(record), "utf-8")

    page.goto(site_url + page_href(tool.page))
    form = f"form[data-tool='{slug}']"
    wait_for_result(page, form)
    page.set_input_files(f"{form} [data-action=load]", str(saved))
    page.wait_for_function(
        """(form) => {
            const root = document.querySelector(form);
            return root.querySelector('[data-message]').textContent || root.querySelector('[data-status]').textContent.startsWith('Loaded');
        }""",
        arg=form,
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.locator(f"{form} [onerror], {form} [data-result] script, {form} [data-result] b").count() == 0
