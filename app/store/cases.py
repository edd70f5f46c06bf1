"""Cases in the encrypted store: bulk import, exact rebuild, diffing updates against the stored case."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import islice
from typing import Any, TypeVar

import sqlalchemy as sa

from app.domain.errors import Conflict, InputError, NotFound
from app.domain.model import Case, Event, Note
from app.store import tables
from app.store.codec import (
    CASE_FIELD_NAMES,
    CASE_JSON_FIELDS,
    ITEM_FIELD_NAMES,
    ITEM_JSON_FIELDS,
    build_case,
    build_event,
    build_item,
    build_note,
    case_fields,
    case_row,
    decode,
    encode,
    event_fields,
    event_payload,
    item_fields,
    item_row,
    normalized,
    note_fields,
    note_row,
)
from app.store.context import UnitContext
from app.store.engine import translated
from app.store.ids import uuid7, uuid7_many
from app.store.journal import (
    AuditEntry,
    canonical_json,
    changed,
    deleted,
    dumps,
    insert_sql,
    inserted,
    utc_now,
)

T = TypeVar("T")

_encode_text = json.encoder.encode_basestring  # a JSON string literal, unescaped (ensure_ascii=False)

# One changed row: entity, id, op (insert | update | delete), base rev, {field: {"old", "new"}}.
_Op = tuple[str, str, str, int | None, dict[str, Any]]

# Cases per executemany round in add_many: large enough to amortize statement overhead, small
# enough that a 100 000-case import never holds all its rows in memory at once.
_WRITE_BATCH = 2000
_IMPORT_CACHE_KIB = 128 * 1024
# Bound parameters per IN (…) list, well under SQLite's limit.
_IN_CHUNK = 500

_c = tables.cases
_i = tables.items
_e = tables.events
_n = tables.notes

_CASES_INSERT = insert_sql(_c)
_ITEMS_INSERT = insert_sql(_i)
_EVENTS_INSERT = insert_sql(_e)
_NOTES_INSERT = insert_sql(_n)


def _chunks(values: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(values)
    while chunk := list(islice(it, size)):
        yield chunk


def _match_append_only(stored: Sequence[str], new: Sequence[str], kind: str) -> list[int | None]:
    """For each new element, the index of the stored element it is, or None when it is new.

    The stored elements must all reappear, unchanged and in the same relative order; anything
    else means an existing entry was edited or removed, which the timeline forbids.
    """
    out: list[int | None] = []
    i = 0
    for key in new:
        if i < len(stored) and key == stored[i]:
            out.append(i)
            i += 1
        else:
            out.append(None)
    if i < len(stored):
        raise Conflict(f"{kind}_immutable", index=i)
    return out


def _event_key(event: Event) -> str:
    return canonical_json(event.to_dict())


def _note_key(note: Note) -> str:
    return canonical_json(note_fields(note))


class SqlCaseRepository:
    """``CaseRepository`` on SQLAlchemy Core; every write adds its audit entry and outbox rows."""

    def __init__(self, ctx: UnitContext) -> None:
        self._ctx = ctx
        self._conn = ctx.conn

    # ------------------------------------------------------------------ writes

    def add(self, case: Case) -> None:
        """Register one case. Without a clerk (经办人) it is the case of whoever registers it: the
        unit's actor. ``add_many`` (the import of history) keeps what the file says."""
        if case.clerk is None:
            case = replace(case, clerk=self._ctx.actor)
        self.add_many((case,))

    def add_many(self, cases: Iterable[Case]) -> int:
        self._ctx.writable()
        total = 0
        with translated():
            conn = self._conn
            previous = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            # A large page cache for the duration: pages spilled to the WAL mid-transaction are
            # encrypted each time they are written, so spills would make encryption dominate.
            conn.exec_driver_sql(f"PRAGMA cache_size = {-_IMPORT_CACHE_KIB}")
            try:
                for chunk in _chunks(cases, _WRITE_BATCH):
                    self._insert(chunk)
                    total += len(chunk)
            finally:
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(previous or 0)}")
        return total

    def _insert(self, chunk: Sequence[Case]) -> None:
        # The bulk-import path (≥ 5 000 cases/s with audit and outbox rows): positional tuples
        # straight to the driver's executemany, skipping per-row parameter processing.
        at = utc_now()
        device = self._ctx.device_id
        ids = iter(uuid7_many(sum(len(c.items) + len(c.events) + len(c.notes) for c in chunk)))
        case_rows: list[tuple[Any, ...]] = []
        item_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        note_rows: list[tuple[Any, ...]] = []
        entries: list[tuple[str, str, str, str]] = []
        for case in chunk:
            cid = case.id
            case_rows.append(case_row(case, at))
            items = case.items
            events = case.events
            notes = case.notes
            for pos, item in enumerate(items):
                item_rows.append(item_row(next(ids), cid, pos, item))
            for pos, event in enumerate(events):
                event_rows.append(
                    (
                        next(ids),
                        cid,
                        pos,
                        event.TYPE,
                        event.date.isoformat(),
                        event_payload(event),
                        at,
                        device,
                    )
                )
            for pos, note in enumerate(notes):
                note_rows.append(note_row(next(ids), cid, pos, note, at, device))
            # canonical_json({"number", "items", "events", "notes"}): keys in sorted order.
            payload = (
                f'{{"events":{len(events)},"items":{len(items)},"notes":{len(notes)},'
                f'"number":{_encode_text(case.number)}}}'
            )
            entries.append(("case.add", "case", cid, payload))
        conn = self._conn
        for sql, rows in (
            (_CASES_INSERT, case_rows),
            (_ITEMS_INSERT, item_rows),
            (_EVENTS_INSERT, event_rows),
            (_NOTES_INSERT, note_rows),
        ):
            if rows:
                conn.exec_driver_sql(sql, rows)
        outbox = self._ctx.outbox
        outbox.write(outbox.inserts("case", [c.id for c in chunk], at))
        self._ctx.audit.append_canonical(entries, at=at)

    @staticmethod
    def _event_row(
        case_id: str, pos: int, event: Event, at: str, device: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The row to write and the fields the outbox reports."""
        fields = {"case_id": case_id, "position": pos, **event_fields(event)}
        row = {
            "id": uuid7(),
            "case_id": case_id,
            "position": pos,
            "type": fields["type"],
            "date": fields["date"],
            "payload": dumps(fields["payload"]),
            "created_at": at,
            "device_id": device,
        }
        return row, fields

    @staticmethod
    def _note_row(
        case_id: str, pos: int, note: Note, at: str, device: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        fields = {"case_id": case_id, "position": pos, **note_fields(note)}
        row = dict(fields)
        row.update(id=uuid7(), extra=dumps(fields["extra"]), created_at=at, device_id=device)
        return row, fields

    def update(self, case: Case) -> bool:
        """Write what differs from the stored case; False when nothing does.

        Case and item fields are mutable (rev + 1, old and new values in the outbox). Events and
        notes are append-only: new ones may appear anywhere in the list, but every stored one must
        still be there unchanged and in order, else Conflict("event_immutable"/"note_immutable").
        Items are matched by position (the domain gives them no identity of their own).
        """
        self._ctx.writable()
        with translated():
            return self._update(case)

    def _update(self, case: Case) -> bool:
        conn = self._conn
        row = conn.execute(sa.select(_c).where(_c.c.id == case.id)).first()
        if row is None:
            raise NotFound("case", id=case.id)
        at = utc_now()
        ops: list[_Op] = []

        old = decode(row._mapping, CASE_FIELD_NAMES, CASE_JSON_FIELDS)
        new = normalized(case_fields(case), CASE_JSON_FIELDS)
        diff = changed(old, new)
        if diff:
            values = encode({k: new[k] for k in diff}, CASE_JSON_FIELDS)
            conn.execute(
                sa.update(_c).where(_c.c.id == case.id).values(**values, rev=row.rev + 1, updated_at=at)
            )
            ops.append(("case", case.id, "update", row.rev, diff))

        self._update_items(case, at, ops)
        self._append_timeline(case, at, ops)

        if not ops:
            return False
        outbox = self._ctx.outbox
        # The outbox drops the values of inserts (see journal.Outbox); the audit keeps them.
        outbox.write([outbox.row(e, i, op, base, ch, at) for e, i, op, base, ch in ops])
        self._ctx.audit.append(
            [
                AuditEntry(
                    "case.update",
                    "case",
                    case.id,
                    {
                        "number": case.number,
                        "changes": [
                            {"entity": e, "id": i, "op": op, "changes": ch} for e, i, op, _, ch in ops
                        ],
                    },
                )
            ],
            at=at,
        )
        return True

    def _update_items(self, case: Case, at: str, ops: list[_Op]) -> None:
        conn = self._conn
        stored = conn.execute(sa.select(_i).where(_i.c.case_id == case.id).order_by(_i.c.position)).all()
        for pos, item in enumerate(case.items):
            new = normalized(item_fields(item), ITEM_JSON_FIELDS)
            if pos < len(stored):
                srow = stored[pos]
                diff = changed(decode(srow._mapping, ITEM_FIELD_NAMES, ITEM_JSON_FIELDS), new)
                if diff:
                    values = encode({k: new[k] for k in diff}, ITEM_JSON_FIELDS)
                    conn.execute(sa.update(_i).where(_i.c.id == srow.id).values(**values, rev=srow.rev + 1))
                    ops.append(("item", srow.id, "update", srow.rev, diff))
            else:
                item_id = uuid7()
                fields = {"case_id": case.id, "position": pos, **new}
                row = encode(fields, ITEM_JSON_FIELDS)
                row.update(id=item_id, rev=1)
                conn.execute(_i.insert(), [row])
                ops.append(("item", item_id, "insert", None, inserted(fields)))
        for srow in stored[len(case.items) :]:
            fields = {"case_id": case.id, "position": srow.position}
            fields.update(decode(srow._mapping, ITEM_FIELD_NAMES, ITEM_JSON_FIELDS))
            conn.execute(sa.delete(_i).where(_i.c.id == srow.id))
            ops.append(("item", srow.id, "delete", srow.rev, deleted(fields)))

    def _append_timeline(self, case: Case, at: str, ops: list[_Op]) -> None:
        conn = self._conn
        device = self._ctx.device_id

        stored_events = conn.execute(
            sa.select(_e).where(_e.c.case_id == case.id).order_by(_e.c.position)
        ).all()
        matches = _match_append_only(
            [_event_key(build_event(r._mapping)) for r in stored_events],
            [_event_key(e) for e in case.events],
            "event",
        )
        new_events: list[dict[str, Any]] = []
        for pos, (event, idx) in enumerate(zip(case.events, matches, strict=True)):
            if idx is None:
                erow, efields = self._event_row(case.id, pos, event, at, device)
                new_events.append(erow)
                ops.append(("event", erow["id"], "insert", None, inserted(efields)))
            elif stored_events[idx].position != pos:
                # Only the display order moves; the trigger allows nothing else on an event row.
                conn.execute(sa.update(_e).where(_e.c.id == stored_events[idx].id).values(position=pos))
        if new_events:
            conn.execute(_e.insert(), new_events)

        stored_notes = conn.execute(
            sa.select(_n).where(_n.c.case_id == case.id).order_by(_n.c.position)
        ).all()
        note_matches = _match_append_only(
            [_note_key(build_note(r._mapping)) for r in stored_notes],
            [_note_key(n) for n in case.notes],
            "note",
        )
        new_notes: list[dict[str, Any]] = []
        for pos, (note, idx) in enumerate(zip(case.notes, note_matches, strict=True)):
            if idx is None:
                nrow, nfields = self._note_row(case.id, pos, note, at, device)
                new_notes.append(nrow)
                ops.append(("note", nrow["id"], "insert", None, inserted(nfields)))
            elif stored_notes[idx].position != pos:
                conn.execute(sa.update(_n).where(_n.c.id == stored_notes[idx].id).values(position=pos))
        if new_notes:
            conn.execute(_n.insert(), new_notes)

    def set_due_cache(self, dues: Mapping[str, dt.date | None]) -> None:
        """Store derived due dates used for sorting (a cache: no rev, no audit, not synced)."""
        self._ctx.writable()
        rows = [(due.isoformat() if due is not None else None, case_id) for case_id, due in dues.items()]
        if not rows:
            return
        with translated():
            result = self._conn.exec_driver_sql("UPDATE cases SET due_cache = ? WHERE id = ?", rows)
            if result.rowcount != len(rows):
                raise NotFound("case")

    # ------------------------------------------------------------------ reads

    def get(self, case_id: str) -> Case | None:
        with translated():
            row = self._conn.execute(sa.select(_c).where(_c.c.id == case_id)).first()
            return None if row is None else self._build([row])[0]

    def get_by_number(self, number: str) -> Case | None:
        with translated():
            row = self._conn.execute(sa.select(_c).where(_c.c.number == number)).first()
            return None if row is None else self._build([row])[0]

    def get_many(self, case_ids: Iterable[str]) -> dict[str, Case]:
        out: dict[str, Case] = {}
        with translated():
            for chunk in _chunks(dict.fromkeys(case_ids), _IN_CHUNK):
                # Plain SQL, as in find_existing: compiling an IN of hundreds of bound values per
                # chunk cost more than reading the rows (the list index reads every open case).
                marks = ", ".join("?" * len(chunk))
                rows = self._conn.exec_driver_sql(
                    f"SELECT * FROM cases WHERE id IN ({marks})", tuple(chunk)
                ).all()
                out.update((c.id, c) for c in self._build(rows))
        return out

    def find_existing(self, ids: Iterable[str], numbers: Iterable[str]) -> tuple[set[str], set[str]]:
        """Which of ``ids`` and which of ``numbers`` are taken (import conflict detection)."""
        found_ids: set[str] = set()
        found_numbers: set[str] = set()
        conn = self._conn
        with translated():
            for column, values, found in (("id", ids, found_ids), ("number", numbers, found_numbers)):
                # Plain SQL: an import looks up every id and number, and compiling a statement
                # with hundreds of bound values for each chunk cost more than the look-ups.
                for chunk in _chunks(dict.fromkeys(values), _IN_CHUNK):
                    marks = ", ".join("?" * len(chunk))
                    sql = f"SELECT {column} FROM cases WHERE {column} IN ({marks})"
                    found.update(row[0] for row in conn.exec_driver_sql(sql, tuple(chunk)))
        return found_ids, found_numbers

    def iter_open(self, *, batch_size: int = 1000) -> Iterator[Case]:
        """Cases without a concluding event (``replied`` or ``terminated``), ordered by number."""
        concluded = (
            sa.select(_e.c.id)
            .where(_e.c.case_id == _c.c.id, _e.c.type.in_(("replied", "terminated")))
            .exists()
        )
        return self._iter(sa.not_(concluded), batch_size)

    def iter_all(self, *, batch_size: int = 1000) -> Iterator[Case]:
        """Every case ordered by number, read in batches (one query per table per batch)."""
        return self._iter(None, batch_size)

    def _iter(self, condition: sa.ColumnElement[bool] | None, batch_size: int) -> Iterator[Case]:
        last: str | None = None
        while True:
            stmt = sa.select(_c).order_by(_c.c.number).limit(batch_size)
            if condition is not None:
                stmt = stmt.where(condition)
            if last is not None:
                stmt = stmt.where(_c.c.number > last)
            with translated():
                rows = self._conn.execute(stmt).all()
                batch = self._build(rows)
            if not rows:
                return
            yield from batch
            last = rows[-1].number

    def count(self) -> int:
        with translated():
            return int(self._conn.execute(sa.select(sa.func.count()).select_from(_c)).scalar_one())

    def next_number(self, year: int) -> str:
        """The next ``YYYY-NNNN`` registration number: the largest of that year plus one."""
        if not 1000 <= year <= 9999:
            raise InputError("year_out_of_range", field="year")
        prefix = f"{year}-"
        start = len(prefix) + 1
        with translated():
            largest = self._conn.execute(
                sa.text(
                    "SELECT max(CAST(substr(number, :start) AS INTEGER)) FROM cases "
                    "WHERE number GLOB :pattern AND substr(number, :start) NOT GLOB '*[^0-9]*'"
                ),
                {"start": start, "pattern": prefix + "[0-9]*"},
            ).scalar()
        return f"{prefix}{(int(largest or 0)) + 1:04d}"

    # ------------------------------------------------------------------ rebuild

    def _build(self, rows: Sequence[sa.Row[Any]]) -> list[Case]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        items = self._children(_i, ids, build_item)
        events = self._children(_e, ids, build_event)
        notes = self._children(_n, ids, build_note)
        return [
            build_case(r._mapping, items.get(r.id, ()), events.get(r.id, ()), notes.get(r.id, ()))
            for r in rows
        ]

    def _children(
        self, table: sa.Table, case_ids: list[str], build: Callable[[Any], T]
    ) -> dict[str, list[T]]:
        grouped: dict[str, list[T]] = defaultdict(list)
        for chunk in _chunks(case_ids, _IN_CHUNK):
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT * FROM {table.name} WHERE case_id IN ({marks}) ORDER BY case_id, position"
            for r in self._conn.exec_driver_sql(sql, tuple(chunk)).all():
                grouped[r.case_id].append(build(r._mapping))
        return grouped
