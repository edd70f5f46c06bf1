"""One encrypted case database: create or open (migrating after a backup), units of work, backup, verify."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa

from app.domain.errors import StoreError
from app.store import migrate, tables
from app.store.engine import (
    READ_ONLY_OPTION,
    Key,
    Passphrase,
    check_key,
    connect,
    fsync_dir,
    key_parameter,
    make_engine,
    move_no_clobber,
    remove_quietly,
    sidecars,
    temp_sibling,
    translated,
)
from app.store.journal import utc_now
from app.store.uow import SqlUnitOfWork
from app.sync.chain import check_chain


@dataclass(frozen=True)
class VerifyReport:
    """What ``yishen verify`` found; ``first_broken_seq`` names the first audit entry that does not fit."""

    cipher_errors: tuple[str, ...]
    integrity_errors: tuple[str, ...]
    audit_entries: int
    first_broken_seq: int | None

    @property
    def problems(self) -> tuple[str, ...]:
        """SQLCipher's and SQLite's findings together (each a line of their own wording)."""
        return self.cipher_errors + self.integrity_errors

    @property
    def ok(self) -> bool:
        return not self.problems and self.first_broken_seq is None


def _timestamp() -> str:
    # Local time: clerks read these names in a file manager.
    return dt.datetime.now().strftime("%Y%m%d%H%M%S")


def export_to(dbapi_conn: Any, dest: Path, key: Key | None, *, overwrite: bool = False) -> Path:
    """Copy the whole database behind ``dbapi_conn`` into a new file ``dest`` encrypted with ``key``.

    Written under a temporary name in the destination folder and renamed when complete, so
    ``dest`` is never a half-written file. ``key`` None writes plaintext (benchmarks only).
    """
    dest = dest.resolve()
    with translated():
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists() and not overwrite:
            raise StoreError("exists", path=str(dest))
        tmp = temp_sibling(dest, "export")
        try:
            dbapi_conn.execute(
                "ATTACH DATABASE ? AS export KEY ?", (str(tmp), key_parameter(key) if key is not None else "")
            )
            try:
                dbapi_conn.execute("SELECT sqlcipher_export('export')").fetchall()
            finally:
                dbapi_conn.execute("DETACH DATABASE export")
            with tmp.open("rb+") as f:
                os.fsync(f.fileno())
            if overwrite:
                os.replace(tmp, dest)
            else:
                move_no_clobber(tmp, dest)
            fsync_dir(dest.parent)
        finally:
            remove_quietly(tmp, *sidecars(tmp))
    return dest


class Database:
    """An open case database. Build it with ``create``/``open`` (or ``app.store.home``), then ``close``."""

    def __init__(self, path: Path, key: Key | None, engine: sa.Engine, *, backups_dir: Path) -> None:
        self._path = path
        self._key = key
        self._engine = engine
        self._backups_dir = backups_dir
        self._device_id = ""
        self._closed = False

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def create(cls, path: Path, key: Key | None, *, backups_dir: Path | None = None) -> Database:
        """A new database at ``path`` with the current schema; StoreError("exists") if any file is there.

        Built under a temporary name and renamed into place only when complete, so an interrupted
        creation never leaves a half-made ``path`` behind.
        """
        path = path.resolve()
        if any(p.exists() for p in (path, *sidecars(path))):
            raise StoreError("exists", path=str(path))
        with translated():
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_sibling(path, "creating")
        try:
            engine = make_engine(tmp, key)
            try:
                with translated(), engine.begin() as conn:
                    migrate.upgrade(conn)
                    conn.execute(
                        tables.meta.insert(),
                        [
                            {"key": "device_id", "value": str(uuid.uuid4())},
                            {"key": "created_at", "value": utc_now()},
                        ],
                    )
            finally:
                # Closing the last connection checkpoints and removes the WAL.
                engine.dispose()
            if any(p.exists() for p in sidecars(tmp)[:1]):
                raise StoreError("io", detail="wal_not_checkpointed")
            with translated():
                move_no_clobber(tmp, path)
                fsync_dir(path.parent)
        finally:
            remove_quietly(tmp, *sidecars(tmp))
        return cls.open(path, key, backups_dir=backups_dir)

    @classmethod
    def open(cls, path: Path, key: Key | None, *, backups_dir: Path | None = None) -> Database:
        """Open an existing database; a schema behind the code is backed up, then migrated.

        StoreError kinds: no_database, wrong_key, damaged, newer_schema, io.
        """
        path = path.resolve()
        if not path.exists():
            raise StoreError("no_database", path=str(path))
        check_key(path, key)
        engine = make_engine(path, key)
        db = cls(path, key, engine, backups_dir=(backups_dir or path.parent / "backups"))
        try:
            db._migrate_if_needed()
            db._device_id = db._read_meta("device_id") or db._new_device_id()
        except BaseException:
            engine.dispose()
            raise
        return db

    @classmethod
    def create_plaintext(cls, path: Path) -> Database:
        """Benchmarks only: the same schema and code without encryption, to measure its cost."""
        return cls.create(path, None)

    @classmethod
    def open_plaintext(cls, path: Path) -> Database:
        """Benchmarks only (see ``create_plaintext``)."""
        return cls.open(path, None)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    @property
    def device_id(self) -> str:
        return self._device_id

    def _live_engine(self) -> sa.Engine:
        if self._closed:
            raise RuntimeError("the database is closed")
        return self._engine

    # ------------------------------------------------------------------ schema

    def _migrate_if_needed(self) -> None:
        engine = self._live_engine()
        with translated(), engine.connect() as conn:
            current = migrate.current_revision(conn)
        head = migrate.head_revision()
        if current == head:
            return
        if current is not None and current not in migrate.known_revisions():
            # Written by a newer version of the program: never touch it.
            raise StoreError("newer_schema", revision=current)
        # design.md §3: an automatic encrypted backup before any schema change.
        stem = f"pre-migrate-{current or 'base'}-{_timestamp()}"
        dest = self._backups_dir / f"{stem}.db"
        n = 2
        while dest.exists():
            dest = self._backups_dir / f"{stem}-{n}.db"
            n += 1
        self.backup(dest)
        with translated(), engine.begin() as conn:
            migrate.upgrade(conn)

    def _read_meta(self, key: str) -> str | None:
        with translated(), self._live_engine().connect() as conn:
            value = conn.execute(sa.select(tables.meta.c.value).where(tables.meta.c.key == key)).scalar()
            conn.rollback()
        return None if value is None else str(value)

    def _new_device_id(self) -> str:
        device_id = str(uuid.uuid4())
        with translated(), self._live_engine().begin() as conn:
            conn.execute(tables.meta.insert(), [{"key": "device_id", "value": device_id}])
        return device_id

    def schema_revision(self) -> str | None:
        with translated(), self._live_engine().connect() as conn:
            rev = migrate.current_revision(conn)
            conn.rollback()
        return rev

    # ------------------------------------------------------------------ work

    def unit_of_work(self, actor: str = "system", *, read_only: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._live_engine(), actor=actor, device_id=self._device_id, read_only=read_only)

    def backup(self, dest: Path, *, passphrase: str | None = None, overwrite: bool = False) -> Path:
        """An encrypted copy of the whole database at ``dest``; returns its path.

        With ``passphrase`` the copy is keyed by it (restorable on another machine); without, it
        is keyed like this database (keyring mode: restorable only where that key is).
        """
        key: Key | None = Passphrase(passphrase) if passphrase is not None else self._key
        raw = self._live_engine().raw_connection()
        try:
            return export_to(raw.driver_connection, dest, key, overwrite=overwrite)
        finally:
            raw.close()

    def verify(self) -> VerifyReport:
        """SQLCipher's page check, SQLite's integrity and foreign-key checks, and the audit chain."""
        engine = self._live_engine()
        with translated(), engine.connect().execution_options(**{READ_ONLY_OPTION: True}) as conn:
            cipher: tuple[str, ...] = ()
            if self._key is not None:
                cipher = tuple(str(r[0]) for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check"))
            integrity = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            if integrity == ["ok"]:
                integrity = []
            integrity += [
                f"foreign key: {r[0]} row {r[1]} -> {r[2]}"
                for r in conn.exec_driver_sql("PRAGMA foreign_key_check")
            ]
            rows = conn.execute(sa.select(tables.audit).order_by(tables.audit.c.seq))
            chain = check_chain(iter(rows))
            conn.rollback()
        return VerifyReport(
            cipher_errors=cipher,
            integrity_errors=tuple(integrity),
            audit_entries=chain.entries,
            first_broken_seq=chain.first_broken_seq,
        )


def copy_backup(backup_file: Path, backup_key: Key, dest: Path, dest_key: Key) -> None:
    """Check a backup file and write its data to the new file ``dest`` under ``dest_key``.

    The backup is read through an immutable read-only connection (it is never modified) and must
    pass SQLCipher's page check and SQLite's integrity check, and carry a schema this version knows.
    """
    check_key(backup_file, backup_key)
    conn = connect(backup_file, backup_key, uri_query="mode=ro&immutable=1")
    try:
        with translated():
            if conn.execute("PRAGMA cipher_integrity_check").fetchall():
                raise StoreError("damaged", reason="cipher_integrity", path=str(backup_file))
            if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                raise StoreError("damaged", reason="integrity", path=str(backup_file))
            has_version = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()[0]
            if has_version:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                if row is not None and row[0] not in migrate.known_revisions():
                    raise StoreError("newer_schema", revision=row[0])
            export_to(conn, dest, dest_key)
    finally:
        conn.close()
