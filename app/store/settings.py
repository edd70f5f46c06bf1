"""Settings (agency profile, counters, preferences) as JSON values under text keys, synced like rows."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from app.domain.errors import InputError
from app.store import tables
from app.store.context import UnitContext
from app.store.engine import translated
from app.store.journal import AuditEntry, dumps, utc_now

_s = tables.settings


class SqlSettingsRepository:
    def __init__(self, ctx: UnitContext) -> None:
        self._ctx = ctx
        self._conn = ctx.conn

    def get(self, key: str) -> Any | None:
        with translated():
            value = self._conn.execute(sa.select(_s.c.value).where(_s.c.key == key)).scalar()
        return None if value is None else json.loads(value)

    def put(self, key: str, value: Any) -> None:
        """Store a JSON-serializable value; writing the value already stored changes nothing."""
        self._ctx.writable()
        text = dumps(value)
        new = json.loads(text)
        with translated():
            row = self._conn.execute(sa.select(_s).where(_s.c.key == key)).first()
            at = utc_now()
            if row is None:
                self._conn.execute(_s.insert(), [{"key": key, "value": text, "rev": 1}])
                op, base, old = "insert", None, None
            else:
                old = json.loads(row.value)
                if old == new:
                    return
                self._conn.execute(sa.update(_s).where(_s.c.key == key).values(value=text, rev=row.rev + 1))
                op, base = "update", int(row.rev)
            changes = {"value": {"old": old, "new": new}}
            outbox = self._ctx.outbox
            outbox.write([outbox.row("setting", key, op, base, changes, at)])
            self._ctx.audit.append([AuditEntry("setting.put", "setting", key, changes)], at=at)


class SqlCalendarRepository:
    """Calendar years stored as settings ``calendar:<year>`` and ``calendar:<year>:local``.

    Settings already carry rev, audit and outbox, and the calendar must sync like them
    (design.md §5), so a year needs no table of its own.
    """

    PREFIX = "calendar:"

    def __init__(self, ctx: UnitContext, settings: SqlSettingsRepository) -> None:
        self._conn = ctx.conn
        self._settings = settings

    def list(self) -> list[dict[str, Any]]:
        """Every stored year, national and local, ordered by key."""
        with translated():
            rows = self._conn.execute(
                sa.select(_s.c.value)
                .where(_s.c.key.startswith(self.PREFIX, autoescape=True))
                .order_by(_s.c.key)
            ).scalars()
            return [json.loads(v) for v in rows]

    def put(self, data: dict[str, Any]) -> None:
        """Add or replace one year (its ``year`` and ``local`` decide which)."""
        year = data.get("year")
        if not isinstance(year, int) or isinstance(year, bool):
            raise InputError("invalid", field="year")
        key = f"{self.PREFIX}{year:04d}" + (":local" if data.get("local") else "")
        self._settings.put(key, data)
