"""Letter records and 文号 counters: every number taken is kept, audited and queued for sync."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from app.domain.errors import Conflict, NotFound
from app.domain.letters import LetterRecord, LetterStatus, Review
from app.store import tables
from app.store.context import UnitContext
from app.store.engine import translated
from app.store.journal import AuditEntry, changed, dumps, inserted, utc_now

_l = tables.letters
_c = tables.doc_counters


def _row(record: LetterRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "case_id": record.case_id,
        "kind": record.kind,
        "consultation_id": record.consultation_id,
        "counter": record.counter,
        "seq": record.seq,
        "doc_number": record.doc_number,
        "status": str(record.status),
        "content": dumps(record.content),
        "created_at": record.created_at,
        "created_by": record.created_by,
        "reviews": dumps([r.to_dict() for r in record.reviews]),
        "issued_at": record.issued_at,
        "issued_by": record.issued_by,
        "cancelled_at": record.cancelled_at,
        "cancelled_by": record.cancelled_by,
        "cancel_reason": record.cancel_reason,
        "extra": dumps(dict(record.extra)),
        "rev": record.rev,
    }


def _record(row: sa.Row[Any]) -> LetterRecord:
    return LetterRecord(
        id=row.id,
        case_id=row.case_id,
        kind=row.kind,
        consultation_id=row.consultation_id,
        counter=row.counter,
        seq=int(row.seq),
        doc_number=row.doc_number,
        status=LetterStatus(row.status),
        content=json.loads(row.content),
        created_at=row.created_at,
        created_by=row.created_by,
        reviews=tuple(Review.from_dict(r) for r in json.loads(row.reviews)),
        issued_at=row.issued_at,
        issued_by=row.issued_by,
        cancelled_at=row.cancelled_at,
        cancelled_by=row.cancelled_by,
        cancel_reason=row.cancel_reason,
        rev=int(row.rev),
        extra=json.loads(row.extra),
    )


# Fields that are sync/audit payload rather than content a reviewer reads in the audit log.
_SYNCED = tuple(c.name for c in _l.columns if c.name not in ("id", "rev"))


def _synced(row: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: row[k] for k in _SYNCED}
    for key in ("content", "reviews", "extra"):
        out[key] = json.loads(out[key])
    return out


class SqlLetterRepository:
    def __init__(self, ctx: UnitContext) -> None:
        self._ctx = ctx
        self._conn = ctx.conn

    def take_number(self, counter: str) -> int:
        """The next sequence number of ``counter``; counters only ever count up (never reused)."""
        self._ctx.writable()
        at = utc_now()
        with translated():
            row = self._conn.execute(sa.select(_c).where(_c.c.counter == counter)).first()
            if row is None:
                seq, base, op = 1, None, "insert"
                self._conn.execute(_c.insert(), [{"counter": counter, "last_seq": 1, "rev": 1}])
                changes = inserted({"last_seq": 1})
            else:
                seq, base, op = int(row.last_seq) + 1, int(row.rev), "update"
                self._conn.execute(
                    sa.update(_c).where(_c.c.counter == counter).values(last_seq=seq, rev=row.rev + 1)
                )
                changes = {"last_seq": {"old": int(row.last_seq), "new": seq}}
            # Two numbers of one counter never both come from one base value, even across devices:
            # the sync merge turns concurrent takes into a conflict instead of a repeat.
            outbox = self._ctx.outbox
            outbox.write([outbox.row("doc_counter", counter, op, base, changes, at)])
            self._ctx.audit.append(
                [AuditEntry("doc_number.take", "doc_counter", counter, {"seq": seq})], at=at
            )
        return seq

    def add(self, record: LetterRecord) -> None:
        self._ctx.writable()
        row = _row(record)
        at = record.created_at
        with translated():
            self._conn.execute(_l.insert(), [row])
            outbox = self._ctx.outbox
            outbox.write([outbox.row("letter", record.id, "insert", None, {}, at)])
            payload = {k: v for k, v in _synced(row).items() if k != "content"}
            self._ctx.audit.append([AuditEntry("letter.draft", "letter", record.id, payload)], at=at)

    def update(self, record: LetterRecord, *, action: str) -> LetterRecord:
        """Store a changed record (rev + 1) with its audit entry ``action`` and outbox row."""
        self._ctx.writable()
        with translated():
            old = self._conn.execute(sa.select(_l).where(_l.c.id == record.id)).first()
            if old is None:
                raise NotFound("letter", id=record.id)
            if int(old.rev) != record.rev:
                raise Conflict("changed_elsewhere", entity="letter", id=record.id)
            stored = replace(record, rev=int(old.rev) + 1)
            new_row = _row(stored)
            diff = changed(_synced(dict(old._mapping)), _synced(new_row))
            if not diff:
                return _record(old)
            self._conn.execute(sa.update(_l).where(_l.c.id == record.id).values(**new_row))
            at = utc_now()
            outbox = self._ctx.outbox
            outbox.write([outbox.row("letter", record.id, "update", int(old.rev), diff, at)])
            audit = {k: v for k, v in diff.items() if k != "content"}
            if "content" in diff:
                audit["content"] = {"changed": True}
            self._ctx.audit.append([AuditEntry(action, "letter", record.id, audit)], at=at)
        return stored

    def get(self, letter_id: str) -> LetterRecord | None:
        with translated():
            row = self._conn.execute(sa.select(_l).where(_l.c.id == letter_id)).first()
        return None if row is None else _record(row)

    def get_by_doc_number(self, doc_number: str) -> LetterRecord | None:
        with translated():
            row = self._conn.execute(sa.select(_l).where(_l.c.doc_number == doc_number)).first()
        return None if row is None else _record(row)

    def for_case(self, case_id: str) -> list[LetterRecord]:
        """Every letter of a case, cancelled ones included, in the order they were drafted."""
        with translated():
            rows = self._conn.execute(
                sa.select(_l).where(_l.c.case_id == case_id).order_by(_l.c.created_at, _l.c.id)
            ).all()
        return [_record(r) for r in rows]

    def register(self, counter_prefix: str = "") -> list[LetterRecord]:
        """The register of numbers (发文登记): every letter whose counter starts with the prefix."""
        stmt = sa.select(_l).order_by(_l.c.counter, _l.c.seq)
        if counter_prefix:
            stmt = stmt.where(_l.c.counter.startswith(counter_prefix, autoescape=True))
        with translated():
            rows = self._conn.execute(stmt).all()
        return [_record(r) for r in rows]
