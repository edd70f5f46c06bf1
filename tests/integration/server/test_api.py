"""The HTTP API as a client sees it: login, bearer tokens, revocation, protocol versions, Chinese errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from app.server import db
from app.server.app import create_app
from app.server.service import SyncService, token_hash
from app.sync import protocol as p
from tests.integration.server.conftest import PASSWORD, case_fields, free_port, new_id, serve_in_thread

V = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}


@pytest.fixture
def client(service: SyncService) -> Iterator[httpx.Client]:
    service.add_user("zhang", "自然资源局", "clerk", PASSWORD)
    with serve_in_thread(create_app(service)) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c


def _login(
    client: httpx.Client, name: str = "zhang", password: str = PASSWORD, device: str | None = None
) -> Any:
    body = {
        "name": name,
        "password": password,
        "device_id": device or str(uuid.uuid4()),
        "device_name": "办公室电脑",
    }
    return client.post("/v1/login", json=body, headers=V)


def _auth(token: str) -> dict[str, str]:
    return {**V, "Authorization": f"Bearer {token}"}


def _push_body(device: str, seq: int = 1) -> dict[str, Any]:
    op = {
        "op_id": str(uuid.uuid4()),
        "seq": seq,
        "entity": "case",
        "entity_id": new_id(),
        "op": "insert",
        "changes": {k: {"old": None, "new": v} for k, v in case_fields().items()},
    }
    return {"device_id": device, "ops": [op]}


def _error(response: httpx.Response, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == kind
    message = str(body["message"])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # said in Chinese
    return message


def test_login_push_pull_round(client: httpx.Client) -> None:
    device = str(uuid.uuid4())
    login = _login(client, device=device)
    assert login.status_code == 200, login.text
    token = login.json()["token"]
    assert login.json()["department"] == "自然资源局"
    assert login.headers[p.PROTOCOL_HEADER] == "1"

    pushed = client.post("/v1/push", json=_push_body(device), headers=_auth(token))
    assert pushed.status_code == 200, pushed.text
    assert [r["status"] for r in pushed.json()["results"]] == ["applied"]
    assert pushed.json()["upgrade_required"] is False

    pulled = client.get("/v1/pull", params={"since": 0, "limit": 10}, headers=_auth(token))
    assert pulled.status_code == 200, pulled.text
    body = pulled.json()
    assert [e["data"]["applicant_name"] for e in body["entries"]] == ["张三"]
    assert body["has_more"] is False and body["next_cursor"] == body["entries"][0]["seq"]


def test_a_wrong_password_or_an_unknown_name_is_refused_alike(client: httpx.Client) -> None:
    wrong = _error(_login(client, password="not the password"), 401, "bad_credentials")
    unknown = _error(_login(client, name="nobody"), 401, "bad_credentials")
    assert wrong == unknown == "用户名或口令不正确"


def test_tokens_are_stored_hashed_and_passwords_as_argon2id(
    client: httpx.Client, service: SyncService
) -> None:
    token = _login(client).json()["token"]
    with service.engine.connect() as conn:
        stored = conn.execute(sa.select(db.tokens.c.token_hash)).scalars().all()
        hashed = conn.execute(sa.select(db.users.c.password_hash)).scalar_one()
    assert stored == [token_hash(token)] and token not in stored
    assert hashed.startswith("$argon2id$")


def test_a_revoked_token_is_refused_and_other_devices_keep_theirs(
    client: httpx.Client, service: SyncService
) -> None:
    d1, d2 = str(uuid.uuid4()), str(uuid.uuid4())
    t1 = _login(client, device=d1).json()["token"]
    t2 = _login(client, device=d2).json()["token"]
    assert service.revoke("zhang", d1) == 1

    _error(client.get("/v1/pull", headers=_auth(t1)), 401, "unauthorized")
    _error(client.post("/v1/push", json=_push_body(d1), headers=_auth(t1)), 401, "unauthorized")
    assert client.get("/v1/pull", headers=_auth(t2)).status_code == 200
    # The device can log in again with the password.
    assert _login(client, device=d1).status_code == 200

    # A new password signs every device out and the old one stops working.
    service.set_password("zhang", "新的口令 battery staple")
    _error(client.get("/v1/pull", headers=_auth(t2)), 401, "unauthorized")
    _error(_login(client), 401, "bad_credentials")
    assert _login(client, password="新的口令 battery staple").status_code == 200


def test_logout_ends_the_token(client: httpx.Client) -> None:
    token = _login(client).json()["token"]
    assert client.post("/v1/logout", headers=_auth(token)).status_code == 200
    _error(client.get("/v1/pull", headers=_auth(token)), 401, "unauthorized")


def test_requests_without_a_token_or_with_a_foreign_device_are_refused(client: httpx.Client) -> None:
    _error(client.get("/v1/pull", headers=V), 401, "unauthorized")
    _error(client.get("/v1/pull", headers={**V, "Authorization": "Basic eDp5"}), 401, "unauthorized")
    _error(client.get("/v1/pull", headers=_auth("made-up")), 401, "unauthorized")
    token = _login(client).json()["token"]
    _error(
        client.post("/v1/push", json=_push_body(str(uuid.uuid4())), headers=_auth(token)),
        403,
        "device_mismatch",
    )


def test_the_protocol_version_is_checked_in_every_request(client: httpx.Client) -> None:
    device = str(uuid.uuid4())
    token = _login(client, device=device).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    message = _error(client.get("/v1/pull", headers=bearer), 400, "protocol_missing")
    assert "X-Yishen-Protocol" in message
    _error(client.get("/v1/pull", headers={**bearer, p.PROTOCOL_HEADER: "abc"}), 400, "protocol_missing")
    newer = {**bearer, p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION + 1)}
    assert "升级同步服务器" in _error(client.get("/v1/pull", headers=newer), 400, "protocol_too_new")
    _error(client.post("/v1/push", json=_push_body(device), headers=newer), 400, "protocol_too_new")
    _error(client.post("/v1/login", json={}, headers={}), 400, "protocol_missing")
    # Health answers monitoring without a version, and names the versions it serves.
    health = client.get("/v1/health").json()
    assert (health["status"], health["protocol"], health["min_protocol"]) == ("ok", 1, 1)


def test_an_old_client_may_still_push_but_must_upgrade_to_pull(service: SyncService) -> None:
    service.add_user("zhang", "自然资源局", "clerk", PASSWORD)
    device = str(uuid.uuid4())
    token = service.login(p.LoginRequest(name="zhang", password=PASSWORD, device_id=device)).token
    # A server that already wants protocol 2 from everyone but pushers.
    app = create_app(service, min_protocol=p.PROTOCOL_VERSION + 1)
    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=30) as client:
        pushed = client.post("/v1/push", json=_push_body(device), headers=_auth(token))
        assert pushed.status_code == 200, pushed.text
        assert pushed.json()["upgrade_required"] is True
        assert [r["status"] for r in pushed.json()["results"]] == ["applied"]
        message = _error(client.get("/v1/pull", headers=_auth(token)), 426, "protocol_too_old")
        assert "升级客户端" in message
        _error(_login(client), 426, "protocol_too_old")


def test_malformed_requests_get_a_chinese_error_naming_the_field(client: httpx.Client) -> None:
    device = str(uuid.uuid4())
    token = _login(client, device=device).json()["token"]
    body = _push_body(device, seq=2)
    body["ops"].append({**body["ops"][0], "op_id": str(uuid.uuid4()), "seq": 1})  # out of seq order
    _error(client.post("/v1/push", json=body, headers=_auth(token)), 422, "bad_request")
    bad_op = _push_body(device)
    bad_op["ops"][0]["op"] = "upsert"
    assert "ops.0.op" in _error(
        client.post("/v1/push", json=bad_op, headers=_auth(token)), 422, "bad_request"
    )
    _error(client.get("/v1/pull", params={"limit": 0}, headers=_auth(token)), 422, "bad_request")
    _error(client.get("/v1/nothing", headers=V), 404, "no_such_endpoint")
    _error(
        client.post("/v1/login", content=b"{not json", headers={**V, "content-type": "application/json"}),
        422,
        "bad_request",
    )


def test_a_database_that_is_down_is_a_503_the_client_can_retry_after() -> None:
    url = db.database_url(f"postgresql://postgres@127.0.0.1:{free_port()}/yishen")
    service = SyncService(db.create_engine(url))
    with serve_in_thread(create_app(service)) as base, httpx.Client(base_url=base, timeout=30) as client:
        message = _error(client.get("/v1/pull", headers=_auth("some-token")), 503, "db_unavailable")
        assert "稍后再试" in message
    service.engine.dispose()
