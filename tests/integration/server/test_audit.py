"""The server's hash-chained audit log: every account change, login and pushed op, and tampering found."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.server import db
from app.server.errors import AuthError
from app.server.service import SyncService
from app.sync import protocol as p
from tests.integration.server.conftest import PASSWORD, Clerk, case_fields, new_id


def _actions(service: SyncService) -> list[str]:
    with service.engine.connect() as conn:
        return list(conn.execute(sa.select(db.audit.c.action).order_by(db.audit.c.seq)).scalars())


def test_the_chain_covers_accounts_logins_and_ops_and_stays_intact(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    cid = new_id()
    a.push(a.insert("case", cid, case_fields()), a.insert("spaceship", new_id(), {"x": 1}))
    a.push_one(a.update("case", cid, 1, {"applicant_phone": ("13800000000", "13911112222")}))
    with pytest.raises(AuthError):
        service.login(p.LoginRequest(name="zhang", password="wrong password", device_id=a.device_id))
    service.revoke("zhang")

    assert _actions(service) == [
        "server.init",
        "user.add",
        "login",
        "push.insert",
        "push.insert",  # the refused op is recorded too
        "push.update",
        "login.refused",
        "token.revoke",
    ]
    check = service.verify_audit()
    assert (check.entries, check.first_broken_seq, check.ok) == (8, None, True)


def test_an_edited_or_removed_entry_breaks_the_chain_where_it_happened(service: SyncService) -> None:
    service.add_user("zhang", "自然资源局", "clerk", PASSWORD)
    service.add_user("li", "自然资源局", "admin", PASSWORD)
    service.revoke("zhang")
    a = db.audit
    with service.engine.begin() as conn:
        conn.execute(
            sa.update(a).where(a.c.seq == 3).values(payload='{"department":"生态环境局","role":"admin"}')
        )
    assert service.verify_audit().first_broken_seq == 3
    with service.engine.begin() as conn:
        conn.execute(sa.delete(a).where(a.c.seq == 3))
    assert service.verify_audit().first_broken_seq == 4
