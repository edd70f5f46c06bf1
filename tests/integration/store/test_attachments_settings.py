"""Attachments stored once per SHA-256 inside the database, and audited settings."""

from __future__ import annotations

import hashlib

import pytest

from app.domain.errors import NotFound
from app.store import Database

from .conftest import make_case


def test_identical_content_is_stored_once(db: Database) -> None:
    a, b = make_case("2026-0001"), make_case("2026-0002")
    scan = b"%PDF-1.7 scan of the application" * 100
    with db.unit_of_work("clerk") as uow:
        uow.cases.add_many([a, b])
        sha1 = uow.attachments.put(
            scan, case_id=a.id, name="申请书.pdf", mime="application/pdf", kind="application"
        )
        sha2 = uow.attachments.put(
            scan, case_id=b.id, name="副本.pdf", mime="application/pdf", kind="application"
        )
        sha3 = uow.attachments.put(
            b"receipt", case_id=a.id, name="回执.jpg", mime="image/jpeg", kind="receipt"
        )
        uow.commit()
    assert sha1 == sha2 == hashlib.sha256(scan).hexdigest() != sha3
    with db.unit_of_work() as uow:
        conn = uow._connection()
        assert conn.exec_driver_sql("SELECT count(*) FROM attachments").scalar_one() == 2
        assert uow.attachments.get(sha1) == scan
        refs = uow.attachments.list_for_case(a.id)
        assert [(r.name, r.kind, r.size, r.mime) for r in refs] == [
            ("申请书.pdf", "application", len(scan), "application/pdf"),
            ("回执.jpg", "receipt", 7, "image/jpeg"),
        ]
        assert [r.name for r in uow.attachments.list_for_case(b.id)] == ["副本.pdf"]
        assert (
            conn.exec_driver_sql("SELECT count(*) FROM audit WHERE action = 'attachment.add'").scalar_one()
            == 3
        )
        entities = conn.exec_driver_sql("SELECT entity FROM outbox WHERE entity != 'case' ORDER BY seq").all()
        assert [e for (e,) in entities] == [
            "attachment",
            "case_attachment",
            "case_attachment",
            "attachment",
            "case_attachment",
        ]


def test_unknown_attachment_and_unknown_case(db: Database) -> None:
    with db.unit_of_work() as uow:
        with pytest.raises(NotFound) as err:
            uow.attachments.get("0" * 64)
        assert err.value.kind == "attachment"
        with pytest.raises(NotFound) as err:
            uow.attachments.put(b"x", case_id="no-such-case", name="a", mime="text/plain", kind="other")
        assert err.value.kind == "case"


def test_settings_round_trip_with_rev_audit_and_outbox(db: Database) -> None:
    profile = {"name": "某市自然资源和规划局", "fee_pauses_clock": True, "reconsideration_first_findings": []}
    with db.unit_of_work("admin") as uow:
        assert uow.settings.get("agency") is None
        uow.settings.put("agency", profile)
        uow.settings.put("agency", profile)  # unchanged: no new rev, no audit
        uow.settings.put("agency", {**profile, "name": "新名称"})
        uow.commit()
    with db.unit_of_work() as uow:
        assert uow.settings.get("agency") == {**profile, "name": "新名称"}
        conn = uow._connection()
        assert conn.exec_driver_sql("SELECT rev FROM settings").scalar_one() == 2
        assert conn.exec_driver_sql("SELECT count(*) FROM audit").scalar_one() == 2
        ops = conn.exec_driver_sql("SELECT op, base_rev, changes FROM outbox ORDER BY seq").all()
        assert [(op, base) for op, base, _ in ops] == [("insert", None), ("update", 1)]
        assert '"old":{"name":"某市自然资源和规划局"' in ops[1][2].replace(", ", ",")


def test_calendar_years_are_synced_settings(db: Database) -> None:
    national = {"format": "yishen-calendar/1", "year": 2027, "rest_days": ["2027-01-01"], "local": False}
    local = {**national, "rest_days": ["2027-03-03"], "local": True}
    with db.unit_of_work("admin") as uow:
        uow.calendar.put(local)
        uow.calendar.put(national)
        uow.calendar.put({**national, "year": 2026})
        uow.settings.put("agency", {"name": "某局"})  # not a calendar year
        uow.commit()
    with db.unit_of_work() as uow:
        assert [(d["year"], d["local"]) for d in uow.calendar.list()] == [
            (2026, False),
            (2027, False),
            (2027, True),
        ]
        uow.calendar.put({**national, "rest_days": []})
        assert uow.calendar.list()[1]["rest_days"] == []
        assert uow.settings.get("calendar:2027") == {**national, "rest_days": []}
