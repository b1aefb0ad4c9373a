"""The thresholds agreed in the test and monitor tool, as the ethics workbook and the
transparency record show them: beside the question or field that asks about accuracy, on
the page and in every download, read from that tool's saved answers (the request's
context), never typed twice."""

from __future__ import annotations

import json

import pytest

from assessments import BankError, api
from assessments.ethics_workbook.model import parse_workbook_bank
from assessments.tools import TOOLS
from support_banks import raw_bank

THRESHOLDS = {"min-precision": "72", "min-recall": "65", "max-difference": "8", "min-group-size": "40"}
SAID = ("At least 72% of the cases the tool flags", "find at least 65% of the cases",
        "by more than 8 percentage points", "fewer than 40 cases")
# Where each document shows them: the question (workbook) or field (record) that asks.
SHOWN_WITH = {"ethics-workbook": "develop-success-criteria", "transparency-record": "model-specifications"}
DOWNLOADS = {"ethics-workbook": ("markdown-develop", "markdown", "word"), "transparency-record": ("markdown", "word")}


def ask(slug: str, op: str, context: dict, **fields) -> dict:
    request = {"op": op, "tool": slug, "answers": {}, "context": {"test-and-monitor": context}, "site_root": "../",
               **fields}
    response = json.loads(api.handle(json.dumps(request)))
    assert response["ok"], response
    return response


@pytest.mark.parametrize("slug", SHOWN_WITH)
def test_the_saved_thresholds_are_shown_where_the_document_asks_and_in_every_download(slug):
    assert TOOLS[slug].context_tools == ("test-and-monitor",)
    html = ask(slug, "score", THRESHOLDS)["html"]
    shown = html[html.index('data-agreed-thresholds="saved"'):]
    assert all(words in shown for words in SAID)
    assert 'href="../tools/test-and-monitor/"' in shown
    # Beside the question or field that asks, not elsewhere.
    asks = html.index(f'data-record="{SHOWN_WITH[slug]}"') if slug == "ethics-workbook" else html.index(
        "<dt>Model specification</dt>")
    assert html.index('data-agreed-thresholds="saved"') > asks
    assert html.count("data-agreed-thresholds") == 1
    record = json.loads(ask(slug, "export", THRESHOLDS)["text"])
    assert record["result"]["agreed_thresholds"]["saved"] is True
    assert record["result"]["agreed_thresholds"]["shown_with"] == SHOWN_WITH[slug]
    assert "test-and-monitor" not in json.dumps(record["answers"])  # read, never copied into this tool's answers
    for format_ in DOWNLOADS[slug]:
        made = ask(slug, "export_as", THRESHOLDS, format=format_)
        text = made.get("text") or json.dumps(made["document"])
        assert all(words in text for words in SAID), format_


def test_the_workbook_shows_them_only_in_the_phase_that_asks():
    explore = ask("ethics-workbook", "export_as", THRESHOLDS, format="markdown-explore")["text"]
    assert "Accuracy thresholds agreed at Design" not in explore
    assert "data-agreed-thresholds" not in ask("ethics-workbook", "score", THRESHOLDS, view="explore")["html"]
    assert "data-agreed-thresholds" in ask("ethics-workbook", "score", THRESHOLDS, view="develop")["html"]


@pytest.mark.parametrize("slug", SHOWN_WITH)
@pytest.mark.parametrize("saved", [{}, {"score-lowest": "5", "score-highest": "1"}], ids=["none", "unusable"])
def test_without_usable_thresholds_the_page_says_where_to_record_them_and_downloads_leave_them_out(slug, saved):
    html = ask(slug, "score", saved)["html"]
    assert 'data-agreed-thresholds="absent"' in html and "No accuracy thresholds are saved in this browser" in html
    assert 'href="../tools/test-and-monitor/"' in html
    for format_ in DOWNLOADS[slug]:
        made = ask(slug, "export_as", saved, format=format_)
        assert "Accuracy thresholds agreed" not in (made.get("text") or json.dumps(made["document"]))


def test_a_bank_that_shows_them_with_a_question_it_does_not_have_is_named():
    raw = raw_bank("ethics-workbook")
    raw["agreed_thresholds"]["shown_with"] = "no-such-question"
    with pytest.raises(BankError) as broken:
        parse_workbook_bank(raw)
    assert broken.value.where == "agreed_thresholds.shown_with"
