"""The desktop client's side of the wire (app.sync.protocol) over HTTPS with httpx.

Plain ``http://`` is refused except to the loopback addresses (127.0.0.0/8, ::1, localhost): a
token or password must never cross a network in clear text. Every failure is a ``SyncError`` with
a stable kind (the Chinese wording is in ``app.messages``): ``sync_unreachable`` when no answer came
at all, ``sync_auth`` when the server refused the token or password, ``sync_server`` otherwise
(with the server's own Chinese message when it sent one).
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from app.domain.errors import InputError, YishenError
from app.sync import protocol as p

TIMEOUT = httpx.Timeout(30.0, connect=10.0)

M = TypeVar("M", bound=BaseModel)


class SyncError(YishenError):
    """Talking to the sync server failed; nothing was applied locally for the failed step."""

    kind = "sync_server"


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """The server's base URL without a trailing slash; InputError for anything but https or loopback http."""
    text = url.strip()
    parsed = urllib.parse.urlsplit(text)
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        raise InputError("sync_bad_url", field="--server", value=url)
    if parsed.scheme == "http" and not _is_loopback(parsed.hostname):
        raise InputError("sync_plain_http", field="--server", value=url)
    if parsed.query or parsed.fragment:
        raise InputError("sync_bad_url", field="--server", value=url)
    return text.rstrip("/")


class SyncClient:
    """One server; ``token`` is set by ``login`` (or given when one is stored)."""

    def __init__(
        self, base_url: str, token: str | None = None, *, transport: httpx.BaseTransport | None = None
    ):
        self.base_url = check_server_url(base_url)
        self.token = token
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=TIMEOUT,
            transport=transport,
            headers={p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- requests

    def _request(self, method: str, path: str, model: type[M], **kwargs: Any) -> M:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = self._http.request(
                method, path, headers={**headers, "Content-Type": "application/json"}, **kwargs
            )
        except httpx.TimeoutException as exc:
            raise SyncError("sync_unreachable", server=self.base_url, detail=type(exc).__name__) from None
        except httpx.TransportError as exc:
            raise SyncError("sync_unreachable", server=self.base_url, detail=type(exc).__name__) from None
        if response.status_code != 200:
            message = ""
            kind = ""
            try:
                err = p.ErrorResponse.model_validate_json(response.content)
                message, kind = err.message, err.error
            except ValidationError:
                message = f"HTTP {response.status_code}"
            if response.status_code in (401, 403):
                raise SyncError("sync_auth", server=self.base_url, detail=message, error=kind)
            raise SyncError("sync_server", server=self.base_url, detail=message, error=kind)
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise SyncError("sync_server", server=self.base_url, detail="无法识别的应答") from None

    def health(self) -> p.HealthResponse:
        return self._request("GET", "/v1/health", p.HealthResponse)

    def login(self, name: str, password: str, device_id: str, device_name: str = "") -> p.LoginResponse:
        body = p.LoginRequest(name=name, password=password, device_id=device_id, device_name=device_name)
        answer = self._request("POST", "/v1/login", p.LoginResponse, content=body.model_dump_json())
        self.token = answer.token
        return answer

    def push(self, request: p.PushRequest) -> p.PushResponse:
        return self._request(
            "POST",
            "/v1/push",
            p.PushResponse,
            content=request.model_dump_json(),
        )

    def pull(self, since: int, limit: int = p.DEFAULT_PULL_LIMIT) -> p.PullResponse:
        return self._request("GET", "/v1/pull", p.PullResponse, params={"since": since, "limit": limit})
