"""The ASGI application: routes, authentication, limits, problem details and the access log.

Built by :func:`create_app` from a :class:`~employkit.serve.config.ServerConfig`.
Request bodies are read raw and validated by :func:`employkit.converter.structure`
(the library's one edge); their schemas in ``/openapi.json`` are generated from the same
attrs classes (:mod:`employkit.serve.schema`), so there is one validator. Work that
takes CPU (profiling, ranking, KPIs) and every store call runs in the thread pool, off
the event loop.
"""

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

from employkit._version import __version__
from employkit.errors import (
    ConfigError,
    DataError,
    EmploykitError,
    PackFailure,
    ParameterError,
    RuleNotFound,
)
from employkit.serve.centres import CentreRuntime, NoRecords, UnknownPlacement
from employkit.serve.config import ServerConfig, TokenEntry
from employkit.serve.problems import PROBLEM_SCHEMA, ProblemError, item, problem_body, problem_items
from employkit.serve.responses import RESPONSE_SCHEMAS
from employkit.serve.transport import API_VERSION, AccessLog, Edge, RateLimiter, answer, call, json_response

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def _body_spec(name: str, description: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    }


def _responses(name: str, *codes: int) -> dict[int | str, dict[str, Any]]:
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    out: dict[int | str, dict[str, Any]] = {
        200: {
            "description": "OK",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    }
    words = {
        401: "no or unknown bearer token",
        403: "the token may not use this centre",
        404: "unknown centre, placement or route",
        409: "conflict: an idempotency key used for another report, a closed follow-up",
        503: "the follow-up store stayed busy with other writers; nothing was written, retry (Retry-After)",
        413: "the body is larger than the server's limit",
        415: "the body is not JSON",
        422: "invalid input: every problem with its path, code and masked value",
        429: "too many requests for this token; see Retry-After",
    }
    for code in (*codes, 413, 422):
        out[code] = {"description": words[code], "content": problem}
    return out


def create_app(config: ServerConfig, *, host: Any = None) -> "FastAPI":
    """The HTTP service for the centres of ``config`` (see :mod:`employkit.serve`).

    ``host`` is a plugin host to share (default: one loaded for this app). Each centre's
    configuration and records are read now, so a broken centre fails at start-up.
    """
    from fastapi import Depends, FastAPI, Header, Query, Request
    from fastapi import Path as PathParam
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import Response
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from employkit.model import Employer, Placement, Seeker, Vacancy
    from employkit.plugins import PluginHost
    from employkit.serve.requests import EmployerRequest, OutcomeReport
    from employkit.serve.schema import model_schema

    shared = host if host is not None else PluginHost()
    runtimes = {cid: CentreRuntime(entry, shared) for cid, entry in config.centres.items()}
    log = AccessLog(config.access_log)
    limiter = RateLimiter()
    bearer = HTTPBearer(auto_error=False, description="a token from the server configuration, scoped to centres")

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        for rt in runtimes.values():
            rt.close()
        log.close()

    app = FastAPI(
        lifespan=lifespan,
        title="employkit",
        version=__version__,
        summary="Profiling, matching, follow-up and KPIs of Korean public employment services, per centre.",
        description=(
            "Every path under `/centres/{centre}` works for one centre: its configuration, its region's packs, "
            "its vacancy pool, its follow-up store and its keys. Errors are RFC 9457 problem details. "
            "Resident registration numbers (주민등록번호) are refused anywhere in a request."
        ),
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.runtimes = runtimes

    # ------------------------------------------------------------------ errors by type

    def _problem(
        request: Request,
        status: int,
        detail: str,
        problems: Sequence[Mapping[str, Any]],
        headers: dict[str, str] | None = None,
    ) -> Response:
        rid = request.scope.get("state", {}).get("request_id")
        return Response(
            problem_body(status, detail, problems, rid), status, headers=headers, media_type="application/problem+json"
        )

    def _status_of(exc: Exception) -> int:
        from employkit.stores.followup import IdempotencyConflict, OutcomeDateError, StoreBusy, StoreError

        if isinstance(exc, ProblemError):
            return exc.status
        if isinstance(exc, StoreBusy):
            return 503
        if isinstance(exc, UnknownPlacement | NoRecords):
            return 404
        if isinstance(exc, IdempotencyConflict):
            return 409
        if isinstance(exc, OutcomeDateError | DataError):
            return 422
        if isinstance(exc, StoreError):
            return 409
        if isinstance(exc, PackFailure):  # a pack's code failed: the server's fault, logged by request id
            return 500
        if isinstance(exc, RuleNotFound | ParameterError | ConfigError | EmploykitError):
            return 422
        return 500

    async def _any(request: Request, exc: Exception) -> Response:
        status = _status_of(exc)
        if status == 500:
            raise exc  # the edge answers 500 without a traceback
        if isinstance(exc, ProblemError):
            return _problem(request, status, exc.detail, exc.problems, exc.headers)
        if status == 503:  # the store stayed locked by another writer: say so, not how
            detail = "the follow-up store is busy with other writes; nothing was written, retry"
            return _problem(request, 503, detail, [], {"Retry-After": "1"})
        problems: list[dict[str, Any]] = []
        if isinstance(exc, DataError):
            problems = problem_items(exc.problems)
            detail = str(exc).split("\n")[0]
        else:
            detail = str(exc)
        return _problem(request, status, detail, problems)

    for kind in (ProblemError, DataError, EmploykitError, UnknownPlacement, NoRecords):
        app.add_exception_handler(kind, _any)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        from employkit.sources.cells import mask_data

        problems = [
            {
                "path": ".".join(str(p) for p in e.get("loc", ())) or "$",
                "code": str(e.get("type")),
                "reason": str(e.get("msg")),
                "value": None if e.get("input") is None else str(mask_data(e.get("input")))[:200],
            }
            for e in exc.errors()
        ]
        return _problem(request, 422, "invalid parameters", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        return _problem(request, exc.status_code, detail, [], dict(exc.headers or {}))

    # ------------------------------------------------------------------ who may use which centre

    async def access(
        request: Request,
        centre: Annotated[
            str,
            PathParam(
                description="the centre's id in the server configuration", json_schema_extra={"enum": sorted(runtimes)}
            ),
        ],
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> CentreRuntime:
        token: TokenEntry | None = None
        if credentials is not None and credentials.scheme.lower() == "bearer":
            token = config.authorise(credentials.credentials)
        if token is None:
            raise ProblemError(
                401, "give a valid bearer token (Authorization: Bearer …)", headers={"WWW-Authenticate": "Bearer"}
            )
        request.scope["state"]["token_name"] = token.name
        wait = limiter.take(token.name, token.rate_per_minute or config.rate_per_minute)
        if wait > 0:
            raise ProblemError(
                429, "too many requests for this token", headers={"Retry-After": str(max(1, round(wait + 0.5)))}
            )
        runtime = runtimes.get(centre)
        if runtime is None:
            raise ProblemError(
                404,
                "no such centre on this server",
                [item("path.centre", "unknown_reference", "unknown centre")],
            )
        if centre not in token.centres:
            raise ProblemError(403, f"this token may not use centre {centre}")
        return runtime

    Centre = Annotated[CentreRuntime, Depends(access)]
    AsOf = Annotated[
        dt.date | None,
        Query(
            description="the evaluation date (default: the seeker's registration, the vacancy's posting "
            "or the centre's reference date)"
        ),
    ]
    Top = Annotated[int, Query(ge=1, le=100, description="how many to return")]
    Region = Annotated[str | None, Query(pattern=r"^[0-9]{1,10}$", description="a region code prefix (11: Seoul)")]
    Occupation = Annotated[str | None, Query(pattern=r"^[0-9]{1,6}$", description="a KECO code prefix")]
    Full = Annotated[bool, Query(description="also each result's whole explanation, rendered in Korean and English")]

    def filters(region: str | None, occupation: str | None) -> Any:
        from employkit.matching.ranking import Filters

        if region is None and occupation is None:
            return None
        return Filters(region=region, occupation=occupation)

    # ------------------------------------------------------------------ service

    @app.get("/health", tags=["service"], responses=_responses("Health"))
    async def health() -> Response:
        """Whether the server is up, and the centres it serves."""
        return json_response({"status": "ok", "centres": sorted(runtimes)})

    @app.get("/version", tags=["service"], responses=_responses("Version"))
    async def version() -> Response:
        """The employkit version and the API version."""
        return json_response({"employkit": __version__, "api": API_VERSION})

    @app.get("/centres/{centre}", tags=["centre"], responses=_responses("CentreInfo", 401, 403, 404, 429))
    async def centre_info(rt: Centre) -> Response:
        """The centre's name, region and reference date."""
        return await call(rt.describe)

    # ------------------------------------------------------------------ profiling

    @app.post(
        "/centres/{centre}/profile/seeker",
        tags=["profiling"],
        openapi_extra=_body_spec("Seeker", "the jobseeker (구직자)"),
        responses=_responses("SeekerProfile", 401, 403, 404, 415, 429),
    )
    async def profile_seeker(
        request: Request, rt: Centre, as_of: AsOf = None, typology: Annotated[str | None, Query(max_length=120)] = None
    ) -> Response:
        """Profile one seeker: the segment, its services and the explanation in Korean and English."""
        return await answer(request, Seeker, lambda seeker: rt.profile_seeker(seeker, as_of, typology))

    @app.post(
        "/centres/{centre}/profile/employer",
        tags=["profiling"],
        openapi_extra=_body_spec("EmployerRequest", "the employer (구인기업) and optionally one of its vacancies"),
        responses=_responses("EmployerProfile", 401, 403, 404, 415, 429),
    )
    async def profile_employer(
        request: Request, rt: Centre, as_of: AsOf = None, typology: Annotated[str | None, Query(max_length=120)] = None
    ) -> Response:
        """Profile one employer: the type, the intervention level, the services and the explanation."""
        return await answer(
            request, EmployerRequest, lambda body: rt.profile_employer(body.employer, body.vacancy, as_of, typology)
        )

    # ------------------------------------------------------------------ matching

    @app.post(
        "/centres/{centre}/match/vacancies",
        tags=["matching"],
        openapi_extra=_body_spec("Seeker", "the jobseeker to find vacancies for"),
        responses=_responses("Ranking", 401, 403, 404, 415, 429),
    )
    async def match_vacancies(
        request: Request,
        rt: Centre,
        top: Top = 10,
        region: Region = None,
        occupation: Occupation = None,
        explain: Full = False,
    ) -> Response:
        """The best open vacancies of the centre's pool for a seeker, with per-component explanations and coverage."""
        chosen = filters(region, occupation)
        return await answer(request, Seeker, lambda seeker: rt.rank_vacancies(seeker, top, chosen, explain))

    @app.post(
        "/centres/{centre}/match/seekers",
        tags=["matching"],
        openapi_extra=_body_spec("Vacancy", "the vacancy to find seekers for"),
        responses=_responses("Ranking", 401, 403, 404, 415, 429),
    )
    async def match_seekers(
        request: Request,
        rt: Centre,
        top: Top = 10,
        region: Region = None,
        occupation: Occupation = None,
        pseudonymise: Annotated[bool, Query(description="seeker ids as pseudonyms under the centre's key")] = False,
        explain: Full = False,
    ) -> Response:
        """The best seekers of the centre's pool for a vacancy, with per-component explanations and coverage."""
        chosen = filters(region, occupation)
        return await answer(
            request, Vacancy, lambda vacancy: rt.rank_seekers(vacancy, top, chosen, pseudonymise, explain)
        )

    @app.get("/centres/{centre}/pool", tags=["matching"], responses=_responses("Pool", 401, 403, 404, 429))
    async def pool(rt: Centre) -> Response:
        """The pool's size and when it was loaded (it reloads by itself when its files change)."""
        return await call(rt.pool_info)

    @app.post("/centres/{centre}/pool/reload", tags=["matching"], responses=_responses("Pool", 401, 403, 404, 429))
    async def pool_reload(rt: Centre) -> Response:
        """Read the centre's records again and rebuild its pool now."""
        return await call(rt.reload)

    # ------------------------------------------------------------------ follow-up

    @app.post(
        "/centres/{centre}/placements",
        tags=["follow-up"],
        openapi_extra=_body_spec("Placement", "the placement (취업) to follow up"),
        responses=_responses("Schedule", 401, 403, 404, 409, 415, 429, 503),
    )
    async def schedule(
        request: Request,
        rt: Centre,
        counsellor: Annotated[str | None, Query(max_length=200, description="the counsellor responsible")] = None,
        as_of: Annotated[dt.date | None, Query(description="the day the policy is read on (default today)")] = None,
    ) -> Response:
        """Schedule a placement's follow-up contacts (idempotent: scheduling again adds nothing)."""
        return await answer(request, Placement, lambda placement: rt.schedule(placement, counsellor, as_of))

    @app.get(
        "/centres/{centre}/placements/{placement_id}",
        tags=["follow-up"],
        responses=_responses("Contacts", 401, 403, 404, 429),
    )
    async def contacts(rt: Centre, placement_id: Annotated[str, PathParam(max_length=200)]) -> Response:
        """A placement's contacts, outcomes and follow-up status."""
        return await call(rt.contacts, placement_id)

    @app.post(
        "/centres/{centre}/placements/{placement_id}/outcomes",
        tags=["follow-up"],
        openapi_extra=_body_spec("OutcomeReport", "what the contact found"),
        responses=_responses("Recorded", 401, 403, 404, 409, 415, 429, 503),
    )
    async def record(
        request: Request,
        rt: Centre,
        placement_id: Annotated[str, PathParam(max_length=200)],
        idempotency_key: Annotated[
            str | None,
            Header(
                alias="Idempotency-Key",
                max_length=200,
                description="repeat-safe: the same key and payload return the first answer; another payload gets 409",
            ),
        ] = None,
    ) -> Response:
        """Record an outcome; its actions are scheduled in the same transaction."""

        def work(report: OutcomeReport) -> Any:
            payload = {
                "outcome": report.outcome,
                "contacted_on": report.contacted_on,
                "contact": report.contact,
                "counsellor": report.counsellor,
                "note": report.note,
            }
            return rt.record(placement_id, payload, idempotency_key)

        return await answer(request, OutcomeReport, work)

    @app.get("/centres/{centre}/agenda", tags=["follow-up"], responses=_responses("Agenda", 401, 403, 404, 429))
    async def agenda(
        rt: Centre,
        start: Annotated[dt.date, Query(description="first day")],
        end: Annotated[dt.date, Query(description="last day")],
        counsellor: Annotated[str | None, Query(max_length=200)] = None,
        overdue: Annotated[bool, Query(description="also items overdue before start")] = True,
    ) -> Response:
        """Contacts and actions due per counsellor in a date range."""
        if end < start:
            raise ProblemError(422, "end is before start", [item("query.end", "date_order", "end is before start")])
        return await call(rt.agenda, start, end, counsellor, overdue)

    # ------------------------------------------------------------------ KPIs, rules, packs

    @app.get("/centres/{centre}/kpis", tags=["metrics"], responses=_responses("Kpis", 401, 403, 404, 429))
    async def kpis(
        rt: Centre,
        start: Annotated[dt.date, Query(description="first day of the period")],
        end: Annotated[dt.date, Query(description="last day of the period")],
        by: Annotated[
            str | None, Query(max_length=60, description="a breakdown column: age_band, occupation, …")
        ] = None,
        ci: Annotated[bool, Query(description="Wilson intervals for proportions")] = True,
    ) -> Response:
        """Every KPI of the centre's packs for the period, with breakdowns and intervals."""
        if end < start:
            raise ProblemError(422, "end is before start", [item("query.end", "date_order", "end is before start")])
        return await call(rt.kpis, start, end, by, ci)

    @app.get("/centres/{centre}/rules", tags=["rules"], responses=_responses("Rules", 401, 403, 404, 429))
    async def rules(
        rt: Centre,
        on: Annotated[dt.date | None, Query(description="the date (default: the centre's reference date)")] = None,
        kind: Annotated[
            str | None, Query(max_length=60, description="only this kind: parameter, seeker_typology, kpi…")
        ] = None,
    ) -> Response:
        """The rules and parameters in force on a date, with their packs, dates and sources."""
        return await call(lambda: rt.rules(on or rt.reference(), kind))

    @app.get("/centres/{centre}/packs", tags=["rules"], responses=_responses("Packs", 401, 403, 404, 429))
    async def packs(rt: Centre) -> Response:
        """The packs installed, whether each applies to the centre and why."""
        return await call(rt.packs)

    # ------------------------------------------------------------------ the schema

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for cls in (Seeker, Employer, Vacancy, Placement, EmployerRequest, OutcomeReport):
            components[cls.__name__] = model_schema(cls, components)
        components["Problem"] = PROBLEM_SCHEMA
        components.update(RESPONSE_SCHEMAS)
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

    if config.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
        )

    app.add_middleware(Edge, config=config, log=log)
    return app
