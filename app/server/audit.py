"""The server's own hash-chained audit log (design.md §5): logins, accounts, tokens and every pushed op.

Same chain as the client's (design.md §3): ``entry_hash = sha256(prev_hash + canonical JSON of the entry)``
where the entry is ``{action, actor, at, entity, entity_id, payload, seq}``; the first entry's
``prev_hash`` is 64 zeros. Appends happen inside :func:`app.server.db.write_tx`, so the tail read here
is the tail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from app.server import db
from app.sync.chain import GENESIS_HASH, ChainCheck, canonical_json, check_chain, entry_hash


class AuditLog:
    """Appends to the chain within one write transaction (the tail is read once, under the lock)."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn
        self._tail: tuple[int, str] | None = None

    def _load_tail(self) -> tuple[int, str]:
        if self._tail is None:
            a = db.audit
            row = self._conn.execute(
                sa.select(a.c.seq, a.c.entry_hash).order_by(a.c.seq.desc()).limit(1)
            ).first()
            self._tail = (0, GENESIS_HASH) if row is None else (int(row.seq), str(row.entry_hash))
        return self._tail

    def append(
        self, actor: str, action: str, entity: str, entity_id: str, payload: Mapping[str, Any], *, at: str
    ) -> None:
        seq, prev = self._load_tail()
        seq += 1
        digest = entry_hash(
            prev,
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            payload=payload,
        )
        self._conn.execute(
            db.audit.insert(),
            [
                {
                    "seq": seq,
                    "at": at,
                    "actor": actor,
                    "action": action,
                    "entity": entity,
                    "entity_id": entity_id,
                    "payload": canonical_json(payload),
                    "prev_hash": prev,
                    "entry_hash": digest,
                }
            ],
        )
        self._tail = (seq, digest)


def verify(conn: sa.Connection) -> ChainCheck:
    return check_chain(conn.execute(sa.select(db.audit).order_by(db.audit.c.seq)))
