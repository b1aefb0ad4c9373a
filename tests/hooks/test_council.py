"""The hosting council's details, set once in council.json: checked when read, written
into the pages when set, and never shown as a placeholder when not."""

from __future__ import annotations

import json
import logging
import re

import pytest
from mkdocs.exceptions import PluginError

from support_build import ROOT, load_build_module

council = load_build_module("council")

SET = {
    "name": "Anytown Borough Council",
    "accessibility_email": "access@anytown.gov.uk",
    "accessibility_phone": "01234 567890",
    "accessibility_reply_within": "5 working days",
    "data_protection_email": "dpo@anytown.gov.uk",
}


def _write(tmp_path, data) -> object:
    path = tmp_path / "council.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")
    return path


def test_the_shipped_file_names_every_detail_and_sets_none():
    shipped = json.loads((ROOT / "docs" / "council.json").read_text("utf-8"))
    assert set(shipped) == set(council.FIELDS) and not any(shipped.values())


@pytest.mark.parametrize("data, message", [
    ("{not json", "not valid JSON"),
    ("[]", "one JSON object"),
    ({"name": "X", "phone": "1"}, "does not use: phone"),
    ({"name": 3}, "'name' must be text"),
    ({"accessibility_email": "accessibility at anytown"}, "not an email address"),
])
def test_a_wrong_file_stops_the_build_saying_what_is_wrong(tmp_path, data, message):
    with pytest.raises(PluginError, match=message):
        council.read_details(_write(tmp_path, data))


def test_an_unset_detail_hides_its_line_and_the_page_keeps_its_plain_words(tmp_path):
    details = council.read_details(_write(tmp_path, {"accessibility_email": "access@anytown.gov.uk"}))
    assert council.unset(details) == [field for field in council.FIELDS if field != "accessibility_email"]
    html = council.block("accessibility", details)
    assert re.search(r'<li data-council-item="accessibility_email">Email: <a data-council-field="accessibility_email" '
                     r'href="mailto:access@anytown.gov.uk">access@anytown.gov.uk</a></li>', html)
    assert '<li data-council-item="accessibility_phone" hidden>' in html
    assert '<p data-council-item="accessibility_reply_within" hidden>' in html
    assert "Contact <span data-council-field=\"name\" data-council-default=\"the council that hosts this website\">" \
           "the council that hosts this website</span>" in html
    protection = council.block("data-protection", details)
    assert protection.startswith('<div class="cssc-council" data-council-block="data-protection" hidden>')


def test_set_details_are_written_into_the_pages_escaped(tmp_path):
    details = council.read_details(_write(tmp_path, {**SET, "name": "Anytown & District <Council>"}))
    html = council.block("accessibility", details)
    assert " hidden" not in html
    assert "Anytown &amp; District &lt;Council&gt;" in html and "We will reply within <span " in html
    assert "5 working days" in html and "01234 567890" in html
    assert 'href="mailto:dpo@anytown.gov.uk"' in council.block("data-protection", details)
    check = council.block("check", details)
    assert check.count("<strong data-council-state>set</strong>") == len(council.FIELDS)


def test_nothing_set_publishes_no_placeholder(tmp_path):
    details = council.read_details(_write(tmp_path, {}))
    for kind in ("accessibility", "data-protection"):
        html = council.block(kind, details)
        visible = re.sub(r"<(li|p|div)[^>]* hidden>.*?</\1>", "", html, flags=re.DOTALL)
        assert not re.search(r"example|TODO|replace|\[|xxx", visible, re.IGNORECASE)
    assert "5 of 5 details are not set" in council.block("check", details)


def test_the_build_reports_the_details_still_unset(tmp_path, caplog):
    class Config(dict):
        docs_dir = str(tmp_path)
        extra: dict = {}

    _write(tmp_path, {"name": "Anytown Borough Council"})
    config = Config()
    config.extra = {}
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.council"):
        council.on_config(config)
    assert config.extra["cssc_council"]["name"] == "Anytown Borough Council"
    (record,) = caplog.records
    assert "Council details not set" in record.getMessage()
    assert "accessibility_email, accessibility_phone, accessibility_reply_within, data_protection_email" \
        in record.getMessage()


def test_the_file_a_council_edits_in_place_never_gets_a_compressed_copy(tmp_path):
    precompress = load_build_module("precompress")
    path = tmp_path / council.FILE
    path.write_text(json.dumps({**SET, "name": "A" * 4000}), "utf-8")  # large enough to compress otherwise
    other = tmp_path / "other.json"
    other.write_text(path.read_text("utf-8"), "utf-8")
    assert not precompress.worth_compressing(path) and precompress.worth_compressing(other)
