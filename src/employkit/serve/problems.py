"""Errors as RFC 9457 problem details (``application/problem+json``), chosen by exception type.

Every answer that is not a success is one JSON object::

    {"type": "urn:employkit:problem:invalid-input", "title": "Invalid input", "status": 422,
     "detail": "cannot read Seeker: 1 problem(s)", "request_id": "…",
     "problems": [{"path": "$.openings", "code": "out_of_range", "reason": "must be at least 1",
                   "reason_ko": "허용 범위를 벗어난 값입니다", "value": "0"}]}

Values are masked (resident numbers never shown); no traceback ever leaves the server.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from employkit.errors import Problem

__all__ = ["PROBLEM_SCHEMA", "TITLES", "ProblemError", "problem_body", "problem_items"]

#: The title and type slug of each status the server answers with.
TITLES: Mapping[int, tuple[str, str]] = {
    400: ("Bad request", "bad-request"),
    401: ("Authentication required", "unauthenticated"),
    403: ("Not allowed for this token", "forbidden"),
    404: ("Not found", "not-found"),
    405: ("Method not allowed", "method-not-allowed"),
    409: ("Conflict", "conflict"),
    413: ("Request too large", "too-large"),
    415: ("Unsupported media type", "unsupported-media-type"),
    422: ("Invalid input", "invalid-input"),
    429: ("Too many requests", "rate-limited"),
    500: ("Internal error", "internal"),
    503: ("Unavailable, retry", "unavailable"),
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `problems` lists every problem found in the request.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "reason"],
                "properties": {
                    "path": {
                        "type": "string",
                        "description": "where: $.field[0].sub, query.name, path.name, header.name",
                    },
                    "code": {
                        "type": ["string", "null"],
                        "description": "a stable code of the problem catalogue (docs: problems)",
                    },
                    "reason": {"type": "string"},
                    "reason_ko": {"type": ["string", "null"]},
                    "value": {"type": ["string", "null"], "description": "the value, masked"},
                },
            },
        },
    },
}


class ProblemError(Exception):
    """An answer with a status, a detail and the problems (raised by the server's own checks)."""

    def __init__(
        self,
        status: int,
        detail: str,
        problems: Sequence[Mapping[str, Any]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.problems = list(problems)
        self.headers = dict(headers or {})


def _path_text(problem: Problem) -> str:
    from employkit.problems import render_path

    return render_path(problem.path) if problem.path else problem.column or "$"


def item(path: str, code: str, reason: str, value: str | None = None) -> dict[str, Any]:
    """One problem of the service's own (a query, a header, the body's syntax) in catalogue terms."""
    from employkit.problems import describe

    return {"path": path, "code": code, "reason": reason, "reason_ko": describe(code).ko, "value": value}


def problem_items(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """The problems of a :class:`~employkit.errors.DataError` as JSON, values masked."""
    from employkit.sources.masking import safe_problem

    out = []
    for p in map(safe_problem, problems):
        value = None if p.value is None else str(p.value)[:200]
        reason = p.reason
        out.append(
            {
                "path": _path_text(p),
                "code": p.code,
                "reason": reason,
                "reason_ko": p.reason_ko,
                "value": value,
            }
        )
    return out


def problem_body(status: int, detail: str, problems: Sequence[Mapping[str, Any]], request_id: str | None) -> bytes:
    """The JSON text of a problem details object."""
    from employkit.sources.cells import mask_data

    title, slug = TITLES.get(status, ("Error", "error"))
    body: dict[str, Any] = {"type": f"urn:employkit:problem:{slug}", "title": title, "status": status}
    body["detail"] = mask_data(detail)
    if request_id:
        body["request_id"] = request_id
    if problems:
        body["problems"] = mask_data(list(problems))
    return json.dumps(body, ensure_ascii=False).encode("utf-8")
