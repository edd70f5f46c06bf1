"""The unit of work: one connection, one transaction, nothing kept unless ``commit()`` is called."""

from __future__ import annotations

from types import TracebackType
from typing import Self

import sqlalchemy as sa

from app.store.attachments import SqlAttachmentRepository
from app.store.caselist import SqlCaseListRepository
from app.store.cases import SqlCaseRepository
from app.store.context import UnitContext
from app.store.engine import READ_ONLY_OPTION, translated
from app.store.letters import SqlLetterRepository
from app.store.settings import SqlCalendarRepository, SqlSettingsRepository
from app.store.similar import SqlSimilarCasesRepository
from app.store.syncstate import SqlSyncRepository


class SqlUnitOfWork:
    """``with db.unit_of_work(actor="clerk") as uow: …; uow.commit()`` — leaving the block rolls back.

    ``commit`` may be called more than once; each call ends the current transaction and the next
    statement begins a new one. A read-only unit takes no write lock (export, lists, reports) and
    refuses writes with StoreError("read_only_unit").
    """

    cases: SqlCaseRepository
    settings: SqlSettingsRepository
    calendar: SqlCalendarRepository
    attachments: SqlAttachmentRepository
    letters: SqlLetterRepository
    case_list: SqlCaseListRepository
    similar: SqlSimilarCasesRepository
    sync: SqlSyncRepository  # the sync client's state (app.services.sync)

    def __init__(self, engine: sa.Engine, *, actor: str, device_id: str, read_only: bool = False) -> None:
        self._engine = engine
        self._actor = actor
        self._device_id = device_id
        self._read_only = read_only
        self._conn: sa.Connection | None = None
        self._ctx: UnitContext | None = None

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("a unit of work cannot be entered twice")
        with translated():
            conn = self._engine.connect()
        if self._read_only:
            conn = conn.execution_options(**{READ_ONLY_OPTION: True})
        self._conn = conn
        self._ctx = UnitContext(conn, self._actor, self._device_id, read_only=self._read_only)
        self.cases = SqlCaseRepository(self._ctx)
        self.settings = SqlSettingsRepository(self._ctx)
        self.calendar = SqlCalendarRepository(self._ctx, self.settings)
        self.attachments = SqlAttachmentRepository(self._ctx)
        self.letters = SqlLetterRepository(self._ctx)
        self.case_list = SqlCaseListRepository(self._ctx)
        self.similar = SqlSimilarCasesRepository(self._ctx)
        self.sync = SqlSyncRepository(self._ctx)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.rollback()
        except sa.exc.DBAPIError:
            # The connection is unusable (disk gone); don't hide the error that brought us here.
            if exc is None:
                raise
        finally:
            conn.close()

    def _connection(self) -> sa.Connection:
        if self._conn is None or self._ctx is None:
            raise RuntimeError("the unit of work is not active (use it in a with block)")
        return self._conn

    def commit(self) -> None:
        conn = self._connection()
        with translated():
            conn.commit()
        assert self._ctx is not None
        self._ctx.audit.reset()

    def rollback(self) -> None:
        conn = self._connection()
        with translated():
            conn.rollback()
        assert self._ctx is not None
        self._ctx.audit.reset()
