"""A council that deploys a release sets its details in council.json at the site's root,
with no rebuild; the pages show them, and show no placeholder for what is left unset."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from support_browser import serve, server_url

pytestmark = pytest.mark.browser

DETAILS = {
    "name": "Anytown Borough Council",
    "accessibility_email": "access@anytown.gov.uk",
    "accessibility_phone": "01234 567890",
    "accessibility_reply_within": "5 working days",
    "data_protection_email": "dpo@anytown.gov.uk",
}


@pytest.fixture(scope="module")
def deployed_url(site_dir, tmp_path_factory):
    """The built site as a council deploys it: unzipped, then council.json edited."""
    folder = tmp_path_factory.mktemp("deployed") / "site"
    shutil.copytree(site_dir, folder, copy_function=os.link)  # links: fast, and the original is untouched
    (folder / "council.json").unlink()
    (folder / "council.json").write_text(json.dumps(DETAILS), "utf-8")
    server = serve(folder)
    yield server_url(server)
    server.shutdown()
    server.server_close()


def _visible_text(page, selector: str) -> str:
    return " ".join(page.locator(selector).inner_text().split())


def test_the_deployed_file_fills_the_statement_the_notice_and_the_footer(open_page, deployed_url):
    page, _ = open_page(deployed_url)
    page.goto(deployed_url + "about/accessibility/")
    page.locator("[data-council-block='accessibility']").wait_for(state="visible")
    statement = _visible_text(page, "[data-council-block='accessibility']")
    assert statement == ("Contact Anytown Borough Council: Email: access@anytown.gov.uk Telephone: 01234 567890 "
                         "We will reply within 5 working days.")
    assert page.locator("a[href='mailto:access@anytown.gov.uk']").is_visible()
    assert "Hosted by Anytown Borough Council." in _visible_text(page, ".md-footer")
    page.goto(deployed_url + "about/privacy/")
    page.locator("a[href='mailto:dpo@anytown.gov.uk']").wait_for(state="visible")
    page.goto(deployed_url + "about/hosting/")
    page.get_by_text("Read from the site's council.json: every detail is set.").wait_for()


def test_without_javascript_the_deployed_pages_keep_their_plain_words(open_page, deployed_url):
    page, _ = open_page(deployed_url, java_script_enabled=False)
    page.goto(deployed_url + "about/accessibility/")
    body = _visible_text(page, "article")
    assert "contact the council that hosts this website" in body
    assert not page.locator("[data-council-block='accessibility']").is_visible()
    assert "Hosted by" not in _visible_text(page, ".md-footer")


def test_details_left_unset_show_no_line_and_the_administrator_is_told(page, site_url):
    page.goto(site_url + "about/hosting/")
    page.get_by_text("Read from the site's council.json: 5 of 5 details are not set").wait_for()
    assert page.locator("[data-council-check] [data-council-state]").all_inner_texts() == ["not set"] * 5
    page.goto(site_url + "about/accessibility/")
    page.wait_for_load_state("networkidle")
    assert not page.locator("[data-council-block='accessibility']").is_visible()
    assert not page.locator("[data-council-item='name']").is_visible()
    assert "undefined" not in page.locator("body").inner_text()
