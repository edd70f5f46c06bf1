"""The sync server's HTTP API (FastAPI): login, push, pull, health — a thin layer over ``SyncService``.

Every request names its protocol version in ``X-Yishen-Protocol`` (``health`` may leave it out, for
monitoring). A version newer than the server's is refused; one older than ``min_protocol`` may still
push (design.md §5: old clients may always hand over what they have) but not log in or pull. Errors
are ``{"error": kind, "message": 中文}``; handlers are plain functions, run in the thread pool, so the
synchronous service and database never block the event loop.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.server.errors import AuthError, ServerError
from app.server.messages import describe
from app.server.service import Principal, SyncService
from app.sync import protocol as p

log = logging.getLogger("yishen.server")


class ApiError(Exception):
    def __init__(self, status: int, kind: str, headers: dict[str, str] | None = None, **params: Any) -> None:
        super().__init__(kind)
        self.status = status
        self.kind = kind
        self.params = params
        self.headers = headers or {}


def _error(status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = p.ErrorResponse(error=kind, message=message).model_dump()
    return JSONResponse(
        body, status_code=status, headers={p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION), **(headers or {})}
    )


def _auth_status(kind: str) -> int:
    return 403 if kind == "device_mismatch" else 401


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
        parts.append(f"{loc or '请求'}：{err.get('msg', '')}")
    return "；".join(parts)


def _service(request: Request) -> SyncService:
    service: SyncService = request.app.state.service
    return service


def _version(header: str | None) -> int:
    try:
        version = int(header or "")
    except ValueError:
        raise ApiError(400, "protocol_missing") from None
    if version > p.PROTOCOL_VERSION:
        raise ApiError(400, "protocol_too_new", client=version, server=p.PROTOCOL_VERSION)
    return version


def _current_version(request: Request, x_yishen_protocol: Annotated[str | None, Header()] = None) -> int:
    """The request's protocol version, which must be one served for everything."""
    version = _version(x_yishen_protocol)
    minimum: int = request.app.state.min_protocol
    if version < minimum:
        raise ApiError(426, "protocol_too_old", client=version, min=minimum)
    return version


def _push_version(request: Request, x_yishen_protocol: Annotated[str | None, Header()] = None) -> int:
    """The request's protocol version, which may be older than the one served for pulls."""
    version = _version(x_yishen_protocol)
    if version < p.OLDEST_PUSH_VERSION:
        raise ApiError(426, "protocol_too_old", client=version, min=request.app.state.min_protocol)
    return version


def _bearer(authorization: Annotated[str | None, Header()] = None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("unauthorized")
    return token.strip()


Service = Annotated[SyncService, Depends(_service)]
Token = Annotated[str, Depends(_bearer)]


def _principal(service: Service, token: Token) -> Principal:
    return service.authenticate(token)


Version = Annotated[int, Depends(_current_version)]
PushVersion = Annotated[int, Depends(_push_version)]
Caller = Annotated[Principal, Depends(_principal)]


def create_app(service: SyncService, *, min_protocol: int = p.MIN_PROTOCOL_VERSION) -> FastAPI:
    """The API over ``service``; ``min_protocol`` is the oldest version served for login and pull."""
    app = FastAPI(title="yishen-server", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.service = service
    app.state.min_protocol = min_protocol
    _add_error_handlers(app)

    @app.middleware("http")
    async def _protocol_header(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers[p.PROTOCOL_HEADER] = str(p.PROTOCOL_VERSION)
        return response

    @app.get("/v1/health")
    def health(x_yishen_protocol: Annotated[str | None, Header()] = None) -> p.HealthResponse:
        if x_yishen_protocol is not None:
            _version(x_yishen_protocol)
        return p.HealthResponse(server_id=service.server_id, min_protocol=min_protocol)

    @app.post("/v1/login")
    def login(body: p.LoginRequest, _v: Version) -> p.LoginResponse:
        return service.login(body)

    @app.post("/v1/logout")
    def logout(_v: PushVersion, who: Caller, token: Token) -> dict[str, str]:
        service.logout(who, token)
        return {"status": "ok"}

    @app.post("/v1/push")
    def push(body: p.PushRequest, version: PushVersion, who: Caller) -> p.PushResponse:
        response = service.push(who, body)
        if version < min_protocol:
            return response.model_copy(update={"upgrade_required": True})
        return response

    @app.get("/v1/pull")
    def pull(_v: Version, who: Caller, query: Annotated[p.PullRequest, Query()]) -> p.PullResponse:
        return service.pull(who, query.since, query.limit)

    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.kind, describe(exc.kind, exc.params), exc.headers)

    @app.exception_handler(AuthError)
    def _auth_error(_request: Request, exc: AuthError) -> JSONResponse:
        return _error(_auth_status(exc.kind), exc.kind, describe(exc), {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(ServerError)
    def _server_error(_request: Request, exc: ServerError) -> JSONResponse:
        return _error(503, exc.kind, describe(exc))

    @app.exception_handler(sa.exc.OperationalError)
    def _database_down(_request: Request, exc: sa.exc.OperationalError) -> JSONResponse:
        # Database restarting, unreachable or (SQLite) locked past the timeout: the client retries later.
        log.error("数据库不可用：%s", exc.orig)
        return _error(503, "db_unavailable", describe("db_unavailable"))

    @app.exception_handler(RequestValidationError)
    def _bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "bad_request", describe("bad_request", {"detail": _validation_detail(exc)}))

    @app.exception_handler(StarletteHTTPException)
    def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code in (404, 405):
            return _error(
                exc.status_code, "no_such_endpoint", describe("no_such_endpoint", {"path": request.url.path})
            )
        return _error(exc.status_code, "bad_request", describe("bad_request", {"detail": str(exc.detail)}))

    @app.exception_handler(Exception)
    def _internal(_request: Request, exc: Exception) -> JSONResponse:
        log.error("请求处理失败", exc_info=exc)
        return _error(500, "internal", describe("internal"))
