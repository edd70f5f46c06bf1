"""Errors of the sync server, each with a stable ``kind``; ``app.server.messages`` words them in Chinese."""

from __future__ import annotations

from app.domain.errors import YishenError


class ServerError(YishenError):
    """A failure the operator or the clerk can act on: database unreachable, not initialized, …"""

    kind = "server"


class AuthError(ServerError):
    """No valid token, wrong password, or a request for another device (HTTP 401/403)."""

    kind = "unauthorized"


class ProtocolError(ServerError):
    """The client speaks a protocol version this server does not serve for that request."""

    kind = "protocol"
