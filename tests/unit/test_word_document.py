"""The Word documents' model: text kept as typed, and every tool's Word export holding
every answer of every worked example."""

from __future__ import annotations

import json

import pytest

from assessments.api import handle
from assessments.tools import TOOLS
from assessments.core.word_document import heading, paragraph, table, word_text

WORD_TOOLS = [slug for slug, tool in TOOLS.items() if "word" in tool.exports]


def test_the_five_filed_documents_have_a_word_download():
    assert set(WORD_TOOLS) == {"data-maturity", "ethics-triage", "ethics-workbook", "business-case",
                               "transparency-record"}


def test_text_is_kept_as_typed_except_what_xml_cannot_hold():
    typed = 'Line <b>one</b> & "two"\r\n\tindented\rthird'
    assert word_text(typed) == 'Line <b>one</b> & "two"\n\tindented\nthird'
    assert word_text("form\x0cfeed\x00") == "form\ufffdfeed\ufffd"


def test_blocks_say_what_they_are():
    assert heading("Title", 0) == {"type": "heading", "level": 0, "text": "Title"}
    with pytest.raises(ValueError):
        heading("Too deep", 5)
    assert paragraph("a", "")["runs"] == [{"text": "a"}]
    assert table(("A",), [(1,)]) == {"type": "table", "header": ["A"], "rows": [["1"]]}


def _document_text(document: dict) -> str:
    parts = []
    for block in document["blocks"]:
        if block["type"] == "heading":
            parts.append(block["text"])
        elif block["type"] == "paragraph":
            parts.append("".join(run["text"] for run in block["runs"]))
        elif block["type"] == "table":
            parts += block["header"] + [cell for row in block["rows"] for cell in row]
        else:
            parts += block["items"]
    return "\n".join(parts)


@pytest.mark.parametrize("slug", WORD_TOOLS)
def test_every_example_answer_typed_is_in_the_word_document(slug):
    tool = TOOLS[slug]
    for example in tool.load_bank().examples:
        response = json.loads(handle(json.dumps({"op": "export_as", "tool": slug, "format": "word",
                                                 "answers": example.answers})))
        assert response["ok"], response
        document = response["document"]
        assert response["file_name"].endswith(".docx") and "text" not in response
        assert document["blocks"][0] == {"type": "heading", "level": 0, "text": document["title"]}
        assert f"questions version {tool.version}" in document["footer"]
        text = _document_text(document)
        for value in example.answers.values():
            if isinstance(value, str) and " " in value.strip():
                assert value.strip() in text, (example.name, value[:60])
