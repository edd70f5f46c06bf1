"""The state one unit of work shares with its repositories: connection, actor, device, journal."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from app.domain.errors import StoreError
from app.store.journal import AuditLog, Outbox


@dataclass
class UnitContext:
    conn: sa.Connection
    actor: str
    device_id: str
    read_only: bool = False
    audit: AuditLog = field(init=False)
    outbox: Outbox = field(init=False)

    def __post_init__(self) -> None:
        self.audit = AuditLog(self.conn, self.actor)
        self.outbox = Outbox(self.conn, self.device_id)

    def writable(self) -> None:
        if self.read_only:
            raise StoreError("read_only_unit")
