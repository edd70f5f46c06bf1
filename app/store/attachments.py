"""Attachments (scans, receipts) inside the encrypted database, stored once per SHA-256 of their bytes."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from app.domain.errors import NotFound
from app.domain.model import AttachmentRef
from app.store import tables
from app.store.context import UnitContext
from app.store.engine import translated
from app.store.ids import uuid7
from app.store.journal import AuditEntry, inserted, utc_now

_a = tables.attachments
_ca = tables.case_attachments


class SqlAttachmentRepository:
    def __init__(self, ctx: UnitContext) -> None:
        self._ctx = ctx
        self._conn = ctx.conn

    def put(self, data: bytes, *, case_id: str, name: str, mime: str, kind: str) -> str:
        """Attach ``data`` to a case; returns its SHA-256 (identical bytes are kept once)."""
        self._ctx.writable()
        sha = hashlib.sha256(data).hexdigest()
        at = utc_now()
        outbox = self._ctx.outbox
        out_rows = []
        with translated():
            if self._conn.execute(sa.select(_a.c.sha256).where(_a.c.sha256 == sha)).first() is None:
                self._conn.execute(
                    _a.insert(),
                    [{"sha256": sha, "size": len(data), "mime": mime, "data": data, "created_at": at}],
                )
                # The bytes travel separately (content-addressed, immutable); the row carries the metadata.
                out_rows.append(
                    outbox.row(
                        "attachment", sha, "insert", None, inserted({"size": len(data), "mime": mime}), at
                    )
                )
            link_id = uuid7()
            fields = {"case_id": case_id, "sha256": sha, "name": name, "kind": kind}
            self._conn.execute(_ca.insert(), [{"id": link_id, "added_at": at, **fields}])
            out_rows.append(outbox.row("case_attachment", link_id, "insert", None, inserted(fields), at))
            outbox.write(out_rows)
            self._ctx.audit.append(
                [
                    AuditEntry(
                        "attachment.add",
                        "case_attachment",
                        link_id,
                        {**fields, "size": len(data), "mime": mime},
                    )
                ],
                at=at,
            )
        return sha

    def get(self, sha256: str) -> bytes:
        with translated():
            data = self._conn.execute(sa.select(_a.c.data).where(_a.c.sha256 == sha256)).scalar()
        if data is None:
            raise NotFound("attachment", sha256=sha256)
        return bytes(data)

    def list_for_case(self, case_id: str) -> list[AttachmentRef]:
        stmt = (
            sa.select(_ca, _a.c.mime, _a.c.size)
            .join(_a, _a.c.sha256 == _ca.c.sha256)
            .where(_ca.c.case_id == case_id)
            .order_by(_ca.c.added_at, _ca.c.id)
        )
        with translated():
            rows = self._conn.execute(stmt).all()
        return [
            AttachmentRef(
                id=r.id,
                case_id=r.case_id,
                sha256=r.sha256,
                name=r.name,
                kind=r.kind,
                mime=r.mime,
                size=int(r.size),
                added_at=r.added_at,
            )
            for r in rows
        ]
