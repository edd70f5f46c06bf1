"""What every write leaves behind in its own transaction: a hash-chained audit entry and outbox rows."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
import sqlcipher3

from app.store import tables
from app.store.ids import uuid7, uuid7_many
from app.sync.chain import GENESIS_HASH, compact_json, json_text
from app.sync.chain import canonical_json as canonical_json  # what app.store.cases hashes payloads with


def insert_sql(table: sa.Table) -> str:
    """A positional INSERT of every column of ``table`` in definition order, for driver executemany."""
    names = [c.name for c in table.columns]
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


_AUDIT_INSERT = insert_sql(tables.audit)


def _null(value: None) -> None:
    return value


# The driver binds a None by looking for an adapter and then for ``__conform__`` on None, raising
# and clearing an AttributeError each time: 1.4 µs per NULL, a tenth of the bulk import with its
# many empty columns. Found in the adapter table, None is bound as NULL at once, exactly as before.
sqlcipher3.register_adapter(type(None), _null)


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


_compact = compact_json
_canonical = canonical_json


def dumps(value: Any) -> str:
    """Compact JSON as stored in JSON columns (UTF-8 text, no escaping of Chinese)."""
    return _compact(value)


@dataclass(frozen=True)
class AuditEntry:
    action: str
    entity: str
    entity_id: str
    payload: Mapping[str, Any]


class AuditLog:
    """Appends chained entries; the chain tail is read once per transaction (under its write lock)."""

    def __init__(self, conn: sa.Connection, actor: str) -> None:
        self._conn = conn
        self._actor = actor
        self._tail: tuple[int, str] | None = None

    def reset(self) -> None:
        """Forget the cached tail (after commit or rollback another writer may have appended)."""
        self._tail = None

    def _load_tail(self) -> tuple[int, str]:
        if self._tail is None:
            row = self._conn.execute(
                sa.select(tables.audit.c.seq, tables.audit.c.entry_hash)
                .order_by(tables.audit.c.seq.desc())
                .limit(1)
            ).first()
            self._tail = (0, GENESIS_HASH) if row is None else (int(row.seq), str(row.entry_hash))
        return self._tail

    def append(self, entries: Iterable[AuditEntry], *, at: str | None = None) -> None:
        self.append_canonical(
            ((e.action, e.entity, e.entity_id, _canonical(e.payload)) for e in entries), at=at or utc_now()
        )

    def append_canonical(self, entries: Iterable[tuple[str, str, str, str]], *, at: str) -> None:
        """``append`` for entries given as (action, entity, entity_id, canonical JSON of the payload).

        The bulk import writes its payloads' canonical text itself, one entry per case; a payload
        text that is not ``canonical_json`` of its value would fail ``check_chain``.
        """
        seq, prev = self._load_tail()
        actor = self._actor
        rows: list[tuple[Any, ...]] = []
        # _entry_body with the parts every entry of the call shares encoded once.
        actor_at = f'"actor":{json_text(actor)},"at":{json_text(at)},'
        sha256 = hashlib.sha256
        for action, entity, entity_id, payload_json in entries:
            seq += 1
            body = (
                f'{{"action":{json_text(action)},{actor_at}"entity":{json_text(entity)},'
                f'"entity_id":{json_text(entity_id)},"payload":{payload_json},"seq":{seq}}}'
            )
            digest = sha256((prev + body).encode("utf-8")).hexdigest()
            rows.append((seq, at, actor, action, entity, entity_id, payload_json, prev, digest))
            prev = digest
        if rows:
            self._conn.exec_driver_sql(_AUDIT_INSERT, rows)
            self._tail = (seq, prev)


_OUTBOX_INSERT = (
    "INSERT INTO outbox (op_id, device_id, entity, entity_id, op, base_rev, changes, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


class Outbox:
    """Outbox rows for sync (design.md §5), written in the transaction of the change they describe.

    One row per inserted, updated or deleted table row (a new case is one ``case`` insert that
    covers its items, events and notes). ``changes`` holds ``{field: {"old", "new"}}`` for
    updates and deletes, the values the three-way merge needs. An insert has no old values, so
    its ``changes`` is ``{}`` and the pusher sends the row as stored: copying every new case into
    the outbox as well measured 40 % slower imports and a database twice the size.
    """

    def __init__(self, conn: sa.Connection, device_id: str) -> None:
        self._conn = conn
        self._device_id = device_id

    def row(
        self,
        entity: str,
        entity_id: str,
        op: str,
        base_rev: int | None,
        changes: Mapping[str, Mapping[str, Any]],
        at: str,
    ) -> tuple[Any, ...]:
        encoded = "{}" if op == "insert" else _compact(changes)
        return (uuid7(), self._device_id, entity, entity_id, op, base_rev, encoded, at)

    def inserts(self, entity: str, entity_ids: Sequence[str], at: str) -> list[tuple[Any, ...]]:
        """``row(entity, id, "insert", None, {}, at)`` for each id, their op ids made at once."""
        device = self._device_id
        return [
            (op_id, device, entity, entity_id, "insert", None, "{}", at)
            for op_id, entity_id in zip(uuid7_many(len(entity_ids)), entity_ids, strict=True)
        ]

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self._conn.exec_driver_sql(_OUTBOX_INSERT, rows)


def inserted(fields: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The ``changes`` of a new row: every field from nothing to its value."""
    return {k: {"old": None, "new": v} for k, v in fields.items()}


def deleted(fields: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: {"old": v, "new": None} for k, v in fields.items()}


def changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: {"old": old.get(k), "new": v} for k, v in new.items() if old.get(k) != v}
