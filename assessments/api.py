"""The one entry point the browser worker calls: JSON request in, JSON response out.

Requests: {"op": "score" | "export" | "export_as" | "import" | "bring_in" | "upgrade", "tool": slug,
...}, or {"op": "project_summary" | "project_export" | "project_import" | "project_pack", ...} for every
tool at once (the "My project" page; "versions": {slug: the version of the questions its
saved answers were saved with, or null}, so those of another version go through the
upgrade), or {"op": "team_combine" | "team_compare", "files":
[{name, text}]} for the data maturity team view; tools that summarise other tools also get
"context": {slug: saved answers}. Every response has "ok"; a failure carries "error" in
plain words. No exception ever escapes to the page: an unexpected one is reported as a
fault in the guide, not in the reader's answers.

"export_as" answers with "text" (Markdown, CSV), for a workbook "base64" (the .xlsx file,
which openpyxl wrote), or, for Word, "document": the model the
page's Word writer turns into a .docx file (see word_document.py). "upgrade" carries
answers saved with another version of the questions over to this one (upgrade.py).
"""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any

from .core.errors import InputError
from .core.records import export_record, import_record, record_file_name, score_with_context
from .tools import Tool, context_tools_of, get_tool
from .core.upgrade import upgrade_answers
from .core.word_document import WordDocument, footer_text

__all__ = ["handle", "handle_request"]


def handle(request_json: str) -> str:
    """Answer one JSON request with one JSON response."""
    try:
        request = json.loads(request_json)
        if not isinstance(request, dict):
            raise InputError("The request was not understood.")
        response = handle_request(request)
    except InputError as problem:
        response = {"ok": False, "error": str(problem)}
    except Exception as fault:  # noqa: BLE001 - the page must always get an answer
        response = {
            "ok": False,
            "error": f"Something went wrong in this guide's own code ({type(fault).__name__}). "
            "Your answers are unchanged. Please report this to whoever runs this site.",
        }
    return json.dumps(response)


def handle_request(request: dict[str, Any]) -> dict[str, Any]:
    op = request.get("op")
    if isinstance(op, str) and op in _PROJECT_OPS:  # the "My project" page: every tool at once, so no "tool"
        return _PROJECT_OPS[op](request)
    # The one place a request's tool is looked up: everything below is handed it.
    tool = get_tool(request.get("tool"))
    return _handle_tool_request(op, tool, request)


def _handle_tool_request(op: Any, tool: Tool, request: dict[str, Any]) -> dict[str, Any]:
    if op == "bring_in":
        return _bring_in(tool, request)
    if op == "upgrade":
        return _upgrade(tool, request)
    scoring = _SCORING_OPS.get(op) if isinstance(op, str) else None
    if scoring is None:
        raise InputError(f"Unknown request '{str(op)[:40]}'.")
    # These score the answers, so they alone need the tools whose saved answers this one
    # summarises: resolved once for the request and handed down.
    return scoring(tool, request, context_tools_of(tool))


def _score(tool: Tool, request: dict[str, Any], others: dict[str, Tool]) -> dict[str, Any]:
    answers = tool.validate_answers(request.get("answers"))
    result = score_with_context(tool, answers, request.get("context"), others)
    return {
        "ok": True,
        "inactive": list(tool.inactive(answers)),
        "result": result.to_dict(),
        "html": tool.render_result(result, _text(request, "site_root"), _text(request, "view")),
        "summary": tool.summarise(result),
    }


def _export(tool: Tool, request: dict[str, Any], others: dict[str, Tool]) -> dict[str, Any]:
    record = export_record(tool, request.get("answers"), context=request.get("context"), others=others)
    return {
        "ok": True,
        "file_name": record_file_name(tool.slug, record["created"]),
        "text": json.dumps(record, indent=2, ensure_ascii=False),
    }


def _import(tool: Tool, request: dict[str, Any], others: dict[str, Tool]) -> dict[str, Any]:
    imported = import_record(tool, request.get("text"), context=request.get("context"), others=others)
    return {
        "ok": True,
        "inactive": list(tool.inactive(imported.answers)),
        "answers": imported.answers,
        "result": imported.result.to_dict(),
        "html": tool.render_result(imported.result, _text(request, "site_root"), _text(request, "view")),
        "summary": tool.summarise(imported.result),
        "notes": list(imported.notes),
    }


def _export_as(tool: Tool, request: dict[str, Any], others: dict[str, Tool]) -> dict[str, Any]:
    export = tool.exports.get(request.get("format"))
    if export is None:
        raise InputError(f"The {tool.title} cannot be downloaded in that format.")
    answers = tool.validate_answers(request.get("answers"))
    context = request.get("context")
    result = score_with_context(tool, answers, context, others)
    created = export_record(tool, answers, context=context, others=others)["created"]
    response = {
        "ok": True,
        "file_name": record_file_name(tool.slug, created).removesuffix(".json") + export.suffix,
        "media_type": export.media_type,
    }
    if export.is_word:
        # The page's Word writer makes the file from this model (see word_document.py).
        response["document"] = _dated(export.render(answers, result), tool, created)
    elif export.is_workbook:
        # Python wrote the whole file (openpyxl, loaded by the worker for this request).
        response["base64"] = base64.b64encode(export.render(answers, result)).decode("ascii")
    else:
        response["text"] = export.render(answers, result)
    return response


# The requests on one tool that score its answers (and so summarise other tools' answers).
_SCORING_OPS = {"score": _score, "export": _export, "import": _import, "export_as": _export_as}


def _upgrade(tool: Tool, request: dict[str, Any]) -> dict[str, Any]:
    """Answers saved in this browser by another version of the questions (or of unknown
    version: null), made fit for this one before anything is scored."""
    upgrade = upgrade_answers(tool, request.get("answers"), request.get("bank_version"))
    return {
        "ok": True,
        "answers": upgrade.answers,
        "bank_version": tool.version,
        "left_out": list(upgrade.left_out),
        # What the bank says it moved (the transparency record's move to a new version
        # of the standard): told to the reader with what was left out.
        "moved": list(upgrade.notes),
        "notice": upgrade.notice,
    }


def _dated(document: WordDocument, tool: Tool, created: str) -> dict[str, Any]:
    """The document as the page's writer takes it, with one footer for every tool: what
    made it, which version of the questions it answers, and when."""
    return replace(document, footer=footer_text(tool.title, tool.version, created)).to_dict()


def _bring_in(tool: Tool, request: dict[str, Any]) -> dict[str, Any]:
    """Take answers for this tool from another tool's result: saved in this browser
    (`source_answers`) or in a downloaded file (`text`).

    `answers` are this form's current answers. The bring-in function gets them
    (validated), so it can fill only the fields still empty; the page then merges the
    updates over its answers.
    """
    source = get_tool(request.get("source"))
    if source.slug not in tool.bring_in:
        raise InputError(f"The {tool.title} cannot use a result from the {source.title}.")
    if isinstance(request.get("text"), str):
        result = import_record(source, request["text"], others=context_tools_of(source)).result
    else:
        answers = source.validate_answers(request.get("source_answers") or {})
        if not answers:
            raise InputError(f"There are no {source.title} answers saved in this browser.")
        result = source.score(answers)
    current = tool.validate_answers(request.get("answers") or {})
    return {"ok": True, "updates": tool.bring_in[source.slug](result, current)}


def _project_summary(request: dict[str, Any]) -> dict[str, Any]:
    """{tools: {slug: saved answers}, versions: {slug: version saved with}} -> the table of
    every tool's state in this browser (answers of another version brought up to date)."""
    from .project import view as project_view  # on first use: see _PROJECT_OPS
    tools = request.get("tools")
    versions = request.get("versions")
    return {
        "ok": True,
        "html": project_view.render_project_summary(tools, _text(request, "site_root"), _text(request, "title"),
                                                    versions),
        "summary": project_view.summarise_project(tools, versions),
    }


def _project_export(request: dict[str, Any]) -> dict[str, Any]:
    """{tools, title} -> one project file holding every tool's answers."""
    from .project import model as project  # on first use: see _PROJECT_OPS
    saved = project.export_project(request.get("tools"), request.get("title"), versions=request.get("versions"))
    return {
        "ok": True,
        "file_name": project.project_file_name(saved),
        "text": json.dumps(saved, indent=2, ensure_ascii=False),
    }


def _project_import(request: dict[str, Any]) -> dict[str, Any]:
    """{text, current, mode} -> the answers to store per tool (only those that change),
    with what to ask before writing and what to say after. Writes nothing itself."""
    from .project import model as project, view as project_view  # on first use: see _PROJECT_OPS
    imported = project.import_project(request.get("text"), request.get("current"), request.get("mode"),
                                      request.get("versions"))
    return {
        "ok": True,
        "tools": imported.tools,
        # The version of the questions each tool's answers are now for, saved beside them.
        "versions": {slug: get_tool(slug).version for slug in imported.tools},
        "changed": list(imported.changed),
        "title": imported.title,
        "notes": list(imported.notes),
        "confirm": project_view.confirm_import(imported),
        "summary": project_view.describe_import(imported),
        "html": project_view.render_project_summary(imported.final, _text(request, "site_root"), imported.title),
    }


def _project_pack(request: dict[str, Any]) -> dict[str, Any]:
    """{tools, versions, title, view} -> the governance pack: for "print" its HTML, else
    the Word document model the page's Word writer turns into a .docx file."""
    from .project import pack as project_pack  # on first use: see _PROJECT_OPS
    from .tools import WORD_MEDIA_TYPE
    document = project_pack.governance_pack(request.get("tools"), request.get("versions"), request.get("title"))
    if request.get("view") == "print":
        return {"ok": True, "html": project_pack.pack_html(document)}
    return {
        "ok": True,
        "document": document.to_dict(),
        "file_name": project_pack.pack_file_name(request.get("title")),
        "media_type": WORD_MEDIA_TYPE,
    }


def _team_combine(request: dict[str, Any]) -> dict[str, Any]:
    """{files: [{name, text}]} -> the combined team view, and its JSON and Markdown files."""
    from .data_maturity import team as data_maturity_team, team_view as data_maturity_team_view  # on first use: see _PROJECT_OPS
    result = data_maturity_team.combine_files(get_tool("data-maturity"), request.get("files"))
    saved = data_maturity_team.export_team(result)
    name = data_maturity_team.team_file_name(saved)
    return {
        "ok": True,
        "html": data_maturity_team_view.render_team_result(result, _text(request, "site_root")),
        "summary": data_maturity_team_view.summarise_team_result(result),
        "counted": result.respondents,
        "downloads": {
            "json": {"file_name": name, "media_type": "application/json",
                     "text": json.dumps(saved, indent=2, ensure_ascii=False)},
            "markdown": {"file_name": name.removesuffix(".json") + ".md", "media_type": "text/markdown",
                         "text": data_maturity_team_view.team_markdown(result, saved["created"])},
        },
    }


def _team_compare(request: dict[str, Any]) -> dict[str, Any]:
    """{files: [two {name, text}]} -> what moved per component, earlier to later."""
    from .data_maturity import team as data_maturity_team, team_view as data_maturity_team_view  # on first use: see _PROJECT_OPS
    comparison = data_maturity_team.compare_files(get_tool("data-maturity"), request.get("files"))
    return {
        "ok": True,
        "html": data_maturity_team_view.render_comparison(comparison),
        "summary": data_maturity_team_view.summarise_comparison(comparison),
    }


# The "My project" page and the team view import their modules when first asked, like
# the tools themselves (tools.py): a page that scores one tool never loads them.
_PROJECT_OPS = {
    "project_summary": _project_summary,
    "project_export": _project_export,
    "project_import": _project_import,
    "project_pack": _project_pack,
    "team_combine": _team_combine,
    "team_compare": _team_compare,
}


def _text(request: dict[str, Any], key: str) -> str:
    value = request.get(key)
    return value if isinstance(value, str) else ""
