"""The client's sync state in the encrypted store: outbox to push ops, pulled rows applied, conflicts.

Used by ``app.services.sync`` through ``uow.sync``. Pulled rows are written straight to their
tables with an audit entry (actor ``sync:<server user>``, action ``sync.pull``) and NO outbox row:
they are the server's state, and sending them back would echo every change forever. Local state
of the round (server URL, user, cursor, server id) lives in ``meta``, which never syncs; settings
rows would be pushed to the whole department.

Outbox rows of an insert carry no values (``journal.Outbox``): the push sends the row as stored,
and a new case (one ``case`` insert row) as its case row followed by its items, events and notes.
Those derived ops get op ids made from the outbox op id (uuid5), so a re-sent batch is recognised
by the server exactly like the outbox's own ops; their wire ``seq`` is ``outbox seq * 4096 + k``,
increasing like the outbox.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.domain.errors import Conflict, InputError, NotFound
from app.store import tables
from app.store.codec import (
    CASE_FIELD_NAMES,
    CASE_JSON_FIELDS,
    ITEM_FIELD_NAMES,
    ITEM_JSON_FIELDS,
    NOTE_JSON_FIELDS,
    decode,
    encode,
)
from app.store.context import UnitContext
from app.store.engine import translated
from app.store.journal import AuditEntry, dumps, utc_now
from app.sync import protocol as p

_o = tables.outbox
_k = tables.sync_conflicts
_m = tables.meta

SEQ_STRIDE = 4096
_DERIVED = uuid.UUID("6b1d7e0e-4c41-4c59-9a43-8f1f3c2f5a10")

# Entities this client pushes. Letters, 文号 counters and attachments are not in protocol 1 yet:
# their outbox rows stay until a later version carries them.
PUSHED = frozenset({"case", "item", "event", "note", "setting"})

META_SERVER, META_USER, META_CURSOR, META_SERVER_ID = (
    "sync.server",
    "sync.user",
    "sync.cursor",
    "sync.server_id",
)

_EVENT_NAMES = ("case_id", "position", "type", "date", "payload", "created_at", "device_id")
_NOTE_NAMES = ("case_id", "position", "date", "author", "text", "extra", "created_at", "device_id")
_ITEM_NAMES = ("case_id", "position", *ITEM_FIELD_NAMES)
_JSON_DEFAULTS: dict[str, Any] = {
    "applicant_extra": {},
    "tags": [],
    "flags": [],
    "extra": {},
}


@dataclass(frozen=True)
class OutboxBatch:
    """Ops to push and, for each outbox row they come from, the op ids that must all be answered."""

    ops: list[p.PushOp]
    rows: dict[int, list[str]]  # outbox seq -> op ids
    last_seq: int


@dataclass(frozen=True)
class StoredConflict:
    id: str
    entity: str
    entity_id: str
    field: str
    base: Any
    mine: Any
    theirs: Any
    created_at: str
    resolved_at: str | None


def _derived_id(op_id: str, entity: str, entity_id: str) -> str:
    return str(uuid.uuid5(_DERIVED, f"{op_id}|{entity}|{entity_id}"))


class SqlSyncRepository:
    def __init__(self, ctx: UnitContext) -> None:
        self._ctx = ctx
        self._conn = ctx.conn

    # ------------------------------------------------------------------ local state (meta)

    def get(self, key: str) -> str | None:
        with translated():
            value = self._conn.execute(sa.select(_m.c.value).where(_m.c.key == key)).scalar()
        return None if value is None else str(value)

    def put(self, key: str, value: str) -> None:
        self._ctx.writable()
        with translated():
            if self._conn.execute(sa.select(_m.c.key).where(_m.c.key == key)).first() is None:
                self._conn.execute(_m.insert(), [{"key": key, "value": value}])
            else:
                self._conn.execute(sa.update(_m).where(_m.c.key == key).values(value=value))

    @property
    def device_id(self) -> str:
        return self._ctx.device_id

    def cursor(self) -> int:
        return int(self.get(META_CURSOR) or 0)

    # ------------------------------------------------------------------ push

    def pending(self) -> int:
        with translated():
            return int(
                self._conn.execute(
                    sa.select(sa.func.count()).select_from(_o).where(_o.c.entity.in_(sorted(PUSHED)))
                ).scalar_one()
            )

    def outbox_batch(self, after_seq: int, max_ops: int = p.MAX_OPS_PER_PUSH) -> OutboxBatch:
        """The next outbox rows after ``after_seq`` as push ops (at least one row when any is left)."""
        with translated():
            rows = self._conn.execute(
                sa.select(_o)
                .where(_o.c.seq > after_seq, _o.c.entity.in_(sorted(PUSHED)))
                .order_by(_o.c.seq)
                .limit(max_ops)
            ).all()
            ops: list[p.PushOp] = []
            mapping: dict[int, list[str]] = {}
            last = after_seq
            for row in rows:
                row_ops = self._ops_of(row)
                if ops and len(ops) + len(row_ops) > max_ops:
                    break
                ops.extend(row_ops)
                mapping[int(row.seq)] = [o.op_id for o in row_ops]
                last = int(row.seq)
        return OutboxBatch(ops, mapping, last)

    def _resolves(self, op_id: str) -> list[str]:
        return list(self._conn.execute(sa.select(_k.c.id).where(_k.c.resolution_op_id == op_id)).scalars())

    def _ops_of(self, row: Any) -> list[p.PushOp]:
        seq = int(row.seq) * SEQ_STRIDE
        op_id = str(row.op_id)
        if row.op != "insert":
            return [
                p.PushOp(
                    op_id=op_id,
                    seq=seq,
                    entity=row.entity,
                    entity_id=row.entity_id,
                    op=row.op,
                    base_rev=row.base_rev,
                    changes=json.loads(row.changes),
                    resolves=self._resolves(op_id),
                )
            ]
        found = self.row_fields(row.entity, row.entity_id)
        if found is None:  # gone locally since (nothing in protocol 1 deletes these): nothing to send
            return []
        rows: list[tuple[str, str, dict[str, Any]]] = [(row.entity, row.entity_id, found)]
        if row.entity == "case":
            rows += self._children(row.entity_id)
        out = []
        for k, (entity, entity_id, fields) in enumerate(rows):
            out.append(
                p.PushOp(
                    op_id=op_id if k == 0 else _derived_id(op_id, entity, entity_id),
                    seq=seq + k,
                    entity=entity,
                    entity_id=entity_id,
                    op="insert",
                    changes={name: p.Change(old=None, new=value) for name, value in fields.items()},
                )
            )
        return out

    def row_fields(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        """A stored row as the wire carries it (JSON columns parsed), None when there is none."""
        conn = self._conn
        if entity == "case":
            r = conn.execute(sa.select(tables.cases).where(tables.cases.c.id == entity_id)).first()
            return None if r is None else decode(r._mapping, CASE_FIELD_NAMES, CASE_JSON_FIELDS)
        if entity == "item":
            r = conn.execute(sa.select(tables.items).where(tables.items.c.id == entity_id)).first()
            return None if r is None else decode(r._mapping, _ITEM_NAMES, ITEM_JSON_FIELDS)
        if entity == "event":
            r = conn.execute(sa.select(tables.events).where(tables.events.c.id == entity_id)).first()
            return None if r is None else decode(r._mapping, _EVENT_NAMES, frozenset({"payload"}))
        if entity == "note":
            r = conn.execute(sa.select(tables.notes).where(tables.notes.c.id == entity_id)).first()
            return None if r is None else decode(r._mapping, _NOTE_NAMES, NOTE_JSON_FIELDS)
        if entity == "setting":
            r = conn.execute(sa.select(tables.settings).where(tables.settings.c.key == entity_id)).first()
            return None if r is None else {"value": json.loads(r.value)}
        return None

    def _children(self, case_id: str) -> list[tuple[str, str, dict[str, Any]]]:
        out: list[tuple[str, str, dict[str, Any]]] = []
        for entity, table, names, json_fields in (
            ("item", tables.items, _ITEM_NAMES, ITEM_JSON_FIELDS),
            ("event", tables.events, _EVENT_NAMES, frozenset({"payload"})),
            ("note", tables.notes, _NOTE_NAMES, NOTE_JSON_FIELDS),
        ):
            for r in self._conn.execute(
                sa.select(table).where(table.c.case_id == case_id).order_by(table.c.position)
            ):
                out.append((entity, str(r.id), decode(r._mapping, names, json_fields)))
        return out

    def acknowledge(self, seqs: Iterable[int]) -> None:
        """Remove outbox rows the server has answered (in the caller's transaction)."""
        self._ctx.writable()
        chunk = list(seqs)
        with translated():
            for i in range(0, len(chunk), 500):
                self._conn.execute(sa.delete(_o).where(_o.c.seq.in_(chunk[i : i + 500])))

    # ------------------------------------------------------------------ conflicts

    def record_conflict(self, c: Mapping[str, Any], *, resolved_at: str | None = None) -> bool:
        """Store (or close) one conflict record; True when it is new."""
        self._ctx.writable()
        with translated():
            exists = self._conn.execute(sa.select(_k.c.resolved_at).where(_k.c.id == c["id"])).first()
            if exists is None:
                self._conn.execute(
                    _k.insert(),
                    [
                        {
                            "id": c["id"],
                            "entity": c["entity"],
                            "entity_id": c["entity_id"],
                            "field": c["field"],
                            "base": dumps(c.get("base")),
                            "mine": dumps(c.get("mine")),
                            "theirs": dumps(c.get("theirs")),
                            "created_at": c.get("created_at") or utc_now(),
                            "resolved_at": resolved_at,
                        }
                    ],
                )
                return True
            if resolved_at is not None and exists.resolved_at is None:
                self._conn.execute(sa.update(_k).where(_k.c.id == c["id"]).values(resolved_at=resolved_at))
            return False

    def conflicts(self, *, open_only: bool = True) -> list[StoredConflict]:
        stmt = sa.select(_k).order_by(_k.c.created_at, _k.c.id)
        if open_only:
            stmt = stmt.where(_k.c.resolved_at.is_(None))
        with translated():
            rows = self._conn.execute(stmt).all()
        return [
            StoredConflict(
                r.id,
                r.entity,
                r.entity_id,
                r.field,
                json.loads(r.base),
                json.loads(r.mine),
                json.loads(r.theirs),
                r.created_at,
                r.resolved_at,
            )
            for r in rows
        ]

    def resolve(self, conflict_id: str, value: Any) -> None:
        """Settle an open conflict by making ``field`` = ``value`` locally, as a normal change.

        The row's rev goes up, the audit records ``sync.resolve`` and an outbox ``update`` carries
        the change (or, when the row already holds ``value``, an empty update) with the conflict id
        in ``resolves`` when it is pushed.
        """
        self._ctx.writable()
        with translated():
            r = self._conn.execute(sa.select(_k).where(_k.c.id == conflict_id)).first()
            if r is None or r.resolved_at is not None:
                raise NotFound("conflict_not_found", id=conflict_id)
            entity, entity_id, name = str(r.entity), str(r.entity_id), str(r.field)
            table, key, json_fields, names = _mutable(entity)
            if name == p.ROW_FIELD or name not in names:
                raise InputError("conflict_row", id=conflict_id)
            row = self._conn.execute(sa.select(table).where(key == entity_id)).first()
            if row is None:
                raise NotFound("conflict_not_found", id=conflict_id)
            current = decode(row._mapping, names, json_fields)[name]
            at = utc_now()
            changes: dict[str, Any] = {}
            if current != value:
                encoded = encode({name: value}, json_fields)
                if entity == "setting":
                    encoded = {"value": dumps(value)}
                self._conn.execute(
                    sa.update(table).where(key == entity_id).values(**encoded, rev=row.rev + 1)
                )
                changes = {name: {"old": current, "new": value}}
            outbox = self._ctx.outbox
            out = outbox.row(entity, entity_id, "update", int(row.rev), changes, at)
            outbox.write([out])
            self._conn.execute(
                sa.update(_k).where(_k.c.id == conflict_id).values(resolved_at=at, resolution_op_id=out[0])
            )
            audit_entity, audit_id = self._audit_target(entity, entity_id, row)
            self._ctx.audit.append(
                [
                    AuditEntry(
                        "sync.resolve",
                        audit_entity,
                        audit_id,
                        {"conflict": conflict_id, "entity": entity, "id": entity_id, "changes": changes},
                    )
                ],
                at=at,
            )

    @staticmethod
    def _audit_target(entity: str, entity_id: str, row: Any) -> tuple[str, str]:
        """Audit entries of a case's rows name the case (the case list re-indexes what they name)."""
        if entity in ("item", "event", "note"):
            return "case", str(row.case_id)
        return entity, entity_id

    # ------------------------------------------------------------------ pull

    def apply(self, entries: Sequence[p.PullEntry]) -> tuple[int, int]:
        """Apply one pulled page; returns (rows changed locally, new conflict records)."""
        self._ctx.writable()
        changed = 0
        new_conflicts = 0
        at = utc_now()
        audit: list[AuditEntry] = []
        with translated():
            for e in _latest_first(entries):
                if e.entity == p.CONFLICT_ENTITY:
                    record = {"id": e.entity_id, **e.data}
                    closed = e.data.get("resolved_at")
                    new_conflicts += self.record_conflict(
                        record, resolved_at=(closed if isinstance(closed, str) else at) if e.deleted else None
                    )
                    continue
                fields = self._apply_row(e, at)
                if fields is None:
                    continue
                self._base(e)
                if fields:
                    changed += 1
                    target = (
                        ("case", str(e.data.get("case_id")))
                        if e.entity in ("item", "event", "note")
                        else (e.entity, e.entity_id)
                    )
                    audit.append(
                        AuditEntry(
                            "sync.pull",
                            target[0],
                            target[1],
                            {"entity": e.entity, "id": e.entity_id, "rev": e.rev, "fields": fields},
                        )
                    )
            self._ctx.audit.append(audit, at=at)
        return changed, new_conflicts

    def _base(self, e: p.PullEntry) -> None:
        b = tables.sync_base
        where = (b.c.entity == e.entity, b.c.entity_id == e.entity_id)
        self._conn.execute(sa.delete(b).where(*where))
        if not e.deleted:
            self._conn.execute(
                b.insert(),
                [{"entity": e.entity, "entity_id": e.entity_id, "rev": e.rev, "data": dumps(e.data)}],
            )

    def _apply_row(self, e: p.PullEntry, at: str) -> list[str] | None:
        """Write one pulled row; the fields that changed ([] when none), None when it is not applied."""
        conn = self._conn
        data = e.data
        if e.entity in ("event", "note"):
            table = tables.events if e.entity == "event" else tables.notes
            if e.deleted or conn.execute(sa.select(table.c.id).where(table.c.id == e.entity_id)).first():
                return []
            if not self._has_case(data.get("case_id")):
                return None
            names: tuple[str, ...] = _EVENT_NAMES if e.entity == "event" else _NOTE_NAMES
            json_fields = frozenset({"payload"}) if e.entity == "event" else NOTE_JSON_FIELDS
            values = {n: data.get(n) for n in names}
            values["created_at"] = values["created_at"] or at
            values["device_id"] = values["device_id"] or "sync"
            if values.get("extra") is None and e.entity == "note":
                values["extra"] = {}
            conn.execute(table.insert(), [{"id": e.entity_id, **encode(values, json_fields)}])
            return sorted(names)
        if e.entity not in ("case", "item", "setting"):
            return None
        table, key, json_fields, names = _mutable(e.entity)
        row = conn.execute(sa.select(table).where(key == e.entity_id)).first()
        if e.deleted:
            if row is None or e.entity == "case":  # cases are never deleted locally in this version
                return [] if row is None else None
            conn.execute(sa.delete(table).where(key == e.entity_id))
            return [p.ROW_FIELD]
        if e.entity == "setting":
            incoming: dict[str, Any] = {"value": data.get("value")}
        else:
            incoming = {n: data[n] for n in names if n in data}
        if e.entity == "item":
            if not self._has_case(data.get("case_id")):
                return None
            incoming["case_id"] = data.get("case_id")
            incoming["position"] = data.get("position", 0)
        if row is None:
            if e.entity == "case":
                self._check_number_free(e.entity_id, incoming.get("number"))
            values = {
                n: incoming.get(n, _JSON_DEFAULTS.get(n)) for n in incoming.keys() | _required(e.entity)
            }
            if e.entity == "setting":
                conn.execute(
                    table.insert(), [{"key": e.entity_id, "value": dumps(values["value"]), "rev": e.rev}]
                )
            else:
                extra = {"created_at": at, "updated_at": at} if e.entity == "case" else {}
                conn.execute(
                    table.insert(),
                    [{"id": e.entity_id, **encode(values, json_fields), "rev": e.rev, **extra}],
                )
            return sorted(values)
        all_names = (*names, "case_id", "position") if e.entity == "item" else names
        current = decode(row._mapping, all_names, json_fields)
        diff = {n: v for n, v in incoming.items() if current.get(n) != v}
        if not diff and int(row.rev) == e.rev:
            return []
        if e.entity == "setting":
            values2: dict[str, Any] = {"value": dumps(incoming["value"])} if diff else {}
        else:
            values2 = encode(diff, json_fields)
            if e.entity == "case" and diff:
                values2["updated_at"] = at
        conn.execute(sa.update(table).where(key == e.entity_id).values(**values2, rev=e.rev))
        return sorted(diff)

    def _check_number_free(self, case_id: str, number: Any) -> None:
        """Two desks that registered different cases under one number offline: stop with a clear error.

        Nothing of the page is applied (its transaction rolls back) and the cursor stays, so the next
        round tries again once the number has been changed on one of the desks.
        """
        c = tables.cases
        other = self._conn.execute(sa.select(c.c.id).where(c.c.number == number, c.c.id != case_id)).first()
        if other is not None:
            raise Conflict("sync_number_taken", number=number)

    def _has_case(self, case_id: Any) -> bool:
        if not isinstance(case_id, str):
            return False
        return (
            self._conn.execute(sa.select(tables.cases.c.id).where(tables.cases.c.id == case_id)).first()
            is not None
        )


def _latest_first(entries: Sequence[p.PullEntry]) -> list[p.PullEntry]:
    """Each row once, at the place of its first revision in the page but with its last one.

    A row edited after it was created shows up once per revision; applying only the last, where
    the first stood, keeps children after their case and never applies a state that was already
    replaced (a case number changed on the other desk to settle a clash stays settled).
    """
    last: dict[tuple[str, str], p.PullEntry] = {}
    for e in entries:
        last[(e.entity, e.entity_id)] = e
    out: list[p.PullEntry] = []
    for e in entries:
        latest = last.pop((e.entity, e.entity_id), None)
        if latest is not None:
            out.append(latest)
    return out


def _required(entity: str) -> set[str]:
    if entity == "case":
        return {
            "number",
            "channel",
            "applicant_kind",
            "applicant_name",
            "applicant_extra",
            "tags",
            "flags",
            "extra",
        }
    if entity == "item":
        return {"case_id", "position", "description", "form", "delivery", "extra"}
    return {"value"}


def _mutable(entity: str) -> tuple[sa.Table, Any, frozenset[str], tuple[str, ...]]:
    if entity == "case":
        return tables.cases, tables.cases.c.id, CASE_JSON_FIELDS, CASE_FIELD_NAMES
    if entity == "item":
        return tables.items, tables.items.c.id, ITEM_JSON_FIELDS, ITEM_FIELD_NAMES
    if entity == "setting":
        return tables.settings, tables.settings.c.key, frozenset({"value"}), ("value",)
    raise InputError("conflict_row", id=entity)
