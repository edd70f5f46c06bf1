"""The hash-chained audit trail and ``verify``: the first tampered entry is named by its seq."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest

from app.store import Database

from .conftest import make_case


def _populate(db: Database) -> None:
    with db.unit_of_work("张三") as uow:
        uow.cases.add_many([make_case(f"2026-{i:04d}") for i in range(1, 6)])
        uow.commit()
    with db.unit_of_work("李四") as uow:
        case = make_case("2026-0003")
        uow.cases.update(dataclasses.replace(case, tags=("改过",)))
        uow.settings.put("agency", {"name": "某局"})
        uow.commit()


def _tamper(db: Database, *sql: str) -> None:
    # The triggers stop this through any normal path; an attacker with the key can drop them.
    with db.unit_of_work() as uow:
        conn = uow._connection()
        conn.exec_driver_sql("DROP TRIGGER audit_append_only_update")
        conn.exec_driver_sql("DROP TRIGGER audit_append_only_delete")
        for statement in sql:
            conn.exec_driver_sql(statement)
        uow.commit()


def test_chain_follows_the_documented_formula(db: Database) -> None:
    _populate(db)
    with db.unit_of_work() as uow:
        rows = uow._connection().exec_driver_sql("SELECT * FROM audit ORDER BY seq").mappings().all()
    assert [r["seq"] for r in rows] == list(range(1, 8))
    prev = "0" * 64
    for r in rows:
        body = json.dumps(
            {
                k: (json.loads(r[k]) if k == "payload" else r[k])
                for k in ("seq", "at", "actor", "action", "entity", "entity_id", "payload")
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert r["prev_hash"] == prev
        assert r["entry_hash"] == hashlib.sha256((prev + body).encode("utf-8")).hexdigest()
        prev = r["entry_hash"]
    assert rows[0]["actor"] == "张三" and rows[-1]["actor"] == "李四"


def test_verify_passes_on_an_untouched_database(db: Database) -> None:
    _populate(db)
    report = db.verify()
    assert report.ok
    assert report.audit_entries == 7 and report.first_broken_seq is None
    assert report.cipher_errors == () and report.integrity_errors == ()


@pytest.mark.parametrize(
    ("statement", "broken"),
    [
        pytest.param(
            'UPDATE audit SET payload = \'{"number":"2026-0099"}\' WHERE seq = 4', 4, id="edited-payload"
        ),
        pytest.param("UPDATE audit SET actor = 'nobody' WHERE seq = 2", 2, id="edited-actor"),
        pytest.param("DELETE FROM audit WHERE seq = 3", 4, id="deleted-entry"),
    ],
)
def test_verify_names_the_first_broken_entry(db: Database, statement: str, broken: int) -> None:
    _populate(db)
    _tamper(db, statement)
    report = db.verify()
    assert not report.ok
    assert report.first_broken_seq == broken


def test_rehashing_one_entry_still_breaks_the_next_link(db: Database) -> None:
    _populate(db)
    with db.unit_of_work() as uow:
        row = uow._connection().exec_driver_sql("SELECT * FROM audit WHERE seq = 5").mappings().one()
    fake = dict(row, actor="nobody")
    body = json.dumps(
        {
            k: (json.loads(fake[k]) if k == "payload" else fake[k])
            for k in ("seq", "at", "actor", "action", "entity", "entity_id", "payload")
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    new_hash = hashlib.sha256((row["prev_hash"] + body).encode("utf-8")).hexdigest()
    _tamper(db, f"UPDATE audit SET actor = 'nobody', entry_hash = '{new_hash}' WHERE seq = 5")
    assert db.verify().first_broken_seq == 6
