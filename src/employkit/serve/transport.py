"""The HTTP edge of the service: the ASGI layer (request ids, size limit, resident numbers
outside the body, the access log), the per-token rate limit and reading JSON bodies.

:func:`read_json` and :func:`build` turn a request body into a library record through
:func:`employkit.converter.structure`, the library's one validating edge.
"""

import datetime as dt
import json
import re
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any, TextIO, TypeVar
from urllib.parse import parse_qsl, unquote

from employkit.errors import (
    DataError,
    InvalidValue,
    Problem,
)
from employkit.serve.config import ServerConfig
from employkit.serve.problems import ProblemError, item, problem_body

if TYPE_CHECKING:
    from fastapi import Request, Response


__all__ = ["AccessLog", "Edge", "RateLimiter", "answer", "build", "call", "json_response", "read_json"]

T = TypeVar("T")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
API_VERSION = "1"


# --------------------------------------------------------------------------- the edge (ASGI)


class _TooLarge(Exception):
    pass


class AccessLog:
    """JSON lines, one per request: no path values, no query, no body, no token."""

    def __init__(self, target: str | None) -> None:
        self._lock = threading.Lock()
        self._stream: TextIO | None = None
        if target == "-":
            self._stream = sys.stderr
        elif target:
            self._stream = open(target, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 (closed at shutdown)

    def write(self, record: dict[str, Any]) -> None:
        if self._stream is None:
            return
        line = json.dumps(record, ensure_ascii=False)
        with self._lock:
            self._stream.write(line + "\n")

    def close(self) -> None:
        if self._stream is not None and self._stream is not sys.stderr:
            self._stream.close()
        self._stream = None


class Edge:
    """What every request passes first: its id, the size limit, resident numbers in the
    path or query, the catch-all for unexpected errors, and the access log line."""

    def __init__(self, app: ASGIApp, config: ServerConfig, log: AccessLog) -> None:
        self.app = app
        self.config = config
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        rid = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        status = {"code": 0, "sent": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["sent"] = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        async def reply(code: int, detail: str, problems: list[dict[str, Any]], headers: dict[str, str]) -> None:
            body = problem_body(code, detail, problems, rid)
            raw = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
            raw += [(k.encode(), v.encode()) for k, v in headers.items()]
            await send_with_id({"type": "http.response.start", "status": code, "headers": raw})
            await send_with_id({"type": "http.response.body", "body": body})

        try:
            found = self._refused(scope)
            limit = self.config.max_body_bytes
            length = dict(scope.get("headers") or []).get(b"content-length")
            if found is not None:
                await reply(
                    422, "a resident registration number (주민등록번호) is refused anywhere in a request", [found], {}
                )
            elif length is not None and not length.isdigit():
                await reply(400, "Content-Length must be a whole number of bytes", [], {})
            elif length is not None and int(length) > limit:
                await reply(413, f"the request body is larger than {limit} bytes", [], {})
            else:
                seen = 0

                async def counted() -> Message:
                    nonlocal seen
                    message = await receive()
                    if message["type"] == "http.request":
                        seen += len(message.get("body", b""))
                        if seen > limit:
                            raise _TooLarge
                    return message

                await self.app(scope, counted, send_with_id)
        except _TooLarge:
            if not status["sent"]:
                await reply(413, f"the request body is larger than {self.config.max_body_bytes} bytes", [], {})
        except Exception as exc:  # the last guard: no traceback ever reaches a client or the log
            sys.stderr.write(f"employkit serve: request {rid}: unexpected {type(exc).__name__}\n")
            if not status["sent"]:
                await reply(500, "an unexpected error; the request id names it in the server's log", [], {})
        finally:
            route = scope.get("route")
            centre = (scope.get("path_params") or {}).get("centre")
            self.log.write(
                {
                    "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                    "request_id": rid,
                    "method": scope.get("method"),
                    "endpoint": getattr(route, "path", None) or "(unrouted)",
                    "centre": centre if centre in self.config.centres else None,
                    "token": scope["state"].get("token_name"),
                    "status": status["code"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                }
            )

    @staticmethod
    def _refused(scope: Scope) -> dict[str, Any] | None:
        from employkit.sources.cells import RRN_REASON, find_rrn, mask_rrn

        raw_path = unquote(scope.get("path", ""))
        for n, part in enumerate(raw_path.split("/")):
            if part and find_rrn(part):
                return item(f"path[{n}]", "rrn", RRN_REASON, mask_rrn(part))
        query = scope.get("query_string", b"").decode("latin-1")
        if query:
            if find_rrn(unquote(query)):
                return item("query", "rrn", RRN_REASON)
            for name, value in parse_qsl(query, keep_blank_values=True):
                if find_rrn(value) or find_rrn(name):
                    return item(f"query.{mask_rrn(name)}", "rrn", RRN_REASON, mask_rrn(value))
        for name, value in scope.get("headers") or []:
            if name == b"idempotency-key" and find_rrn(value.decode("latin-1")):
                return item(f"header.{name.decode()}", "rrn", RRN_REASON)
        return None


# --------------------------------------------------------------------------- rate limit


class RateLimiter:
    """A token bucket per token name: ``per_minute`` requests, in bursts up to a tenth of it.

    Kept in each worker process's memory: with N workers a token may reach N times the
    rate (a reverse proxy in front can enforce a global one).
    """

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, name: str, per_minute: int) -> float:
        """0 when allowed, else the seconds to wait."""
        rate = per_minute / 60.0
        capacity = max(1.0, per_minute / 10.0)
        now = time.monotonic()
        with self._lock:
            level, last = self._buckets.get(name, (capacity, now))
            level = min(capacity, level + (now - last) * rate)
            if level >= 1.0:
                self._buckets[name] = (level - 1.0, now)
                return 0.0
            self._buckets[name] = (level, now)
            return (1.0 - level) / rate


# --------------------------------------------------------------------------- bodies


def _json_error(where: str, reason: str) -> ProblemError:
    return ProblemError(422, f"the request body is not valid JSON: {reason}", [item(where, "bad_syntax", reason)])


def _refuse_constant(name: str) -> Any:
    raise InvalidValue(f"{name} is not a JSON number")


async def read_json(request: "Request") -> Any:
    """The request body as JSON data; resident numbers refused (422)."""
    from employkit.sources.cells import RRN_REASON, rrn_found

    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if kind not in ("application/json", "application/problem+json") and not kind.endswith("+json"):
        raise ProblemError(415, f"send the body as application/json, not {kind or 'nothing'}")
    raw = await request.body()
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise _json_error("$", "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _json_error("$", f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise _json_error("$", str(exc) if isinstance(exc, ValueError) else "nested too deeply") from None
    found = rrn_found(data)
    if found is not None:
        raise ProblemError(
            422,
            "a resident registration number (주민등록번호) is refused anywhere in a request",
            [item(found[0], "rrn", RRN_REASON, found[1])],
        )
    return data


def build(data: Any, cls: type[T]) -> T:
    """``cls`` from JSON data through the library's edge (:func:`employkit.converter.structure`)."""
    from employkit.converter import structure

    try:
        return structure(data, cls)
    except DataError:
        raise
    except RecursionError:
        raise ProblemError(422, f"cannot read {cls.__name__}: nested too deeply") from None
    except Exception as exc:  # the converter's edge missed it: still the client's input
        raise DataError([Problem(reason=f"{type(exc).__name__}: {exc}"[:300])], f"cannot read {cls.__name__}") from None


def _encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, allow_nan=False).encode("utf-8")


def json_response(data: Any, status: int = 200) -> "Response":
    from fastapi.responses import Response

    return Response(_encode(data), status, media_type="application/json")


async def call(func: Callable[..., Any], *args: Any) -> "Response":
    """``func(*args)`` and its JSON text in the thread pool, off the event loop: one hop per request."""
    from fastapi.responses import Response
    from starlette.concurrency import run_in_threadpool

    body = await run_in_threadpool(lambda: _encode(func(*args)))
    return Response(body, 200, media_type="application/json")


async def answer(request: "Request", cls: type[T], work: Callable[[T], Any]) -> "Response":
    """Read the body, then validate it as ``cls`` and do ``work`` with it in the thread pool."""
    data = await read_json(request)
    return await call(lambda: work(build(data, cls)))
