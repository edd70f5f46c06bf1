"""SQLCipher connections: keying, key checking without side effects, the SQLAlchemy engine, error mapping."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import sqlalchemy as sa
import sqlcipher3
from sqlalchemy import event, pool

from app.domain.errors import Conflict, NotFound, StoreError, YishenError
from app.store import keystore

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 10.0

# design.md §3: every connection runs these after the key; WAL + FULL so a committed unit of work
# survives a power cut, MEMORY so no temporary file can ever hold decrypted pages.
CONNECTION_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA temp_store = MEMORY",
)


@dataclass(frozen=True, repr=False)
class RawKey:
    """A 256-bit key given to SQLCipher as raw bytes (keyring mode; no KDF, opening is instant)."""

    hex: str

    def __post_init__(self) -> None:
        if not keystore.is_raw_key(self.hex):
            raise StoreError("key_invalid")

    def __repr__(self) -> str:
        return "RawKey(<hidden>)"


@dataclass(frozen=True, repr=False)
class Passphrase:
    """A passphrase SQLCipher stretches with its own KDF (PBKDF2-HMAC-SHA512)."""

    text: str

    def __post_init__(self) -> None:
        if not self.text:
            raise StoreError("empty_passphrase")
        if "\x00" in self.text:
            raise StoreError("invalid_passphrase")

    def __repr__(self) -> str:
        return "Passphrase(<hidden>)"


Key = RawKey | Passphrase


def key_pragma(key: Key) -> str:
    """``PRAGMA key`` for this key; PRAGMA takes no bound parameters, hence the quoting."""
    if isinstance(key, RawKey):
        return f"PRAGMA key = \"x'{key.hex}'\""
    return "PRAGMA key = '" + key.text.replace("'", "''") + "'"


def key_parameter(key: Key) -> str:
    """The key as a bound value for ``ATTACH … KEY ?`` (SQLCipher parses the x'…' form itself)."""
    if isinstance(key, RawKey):
        return f"x'{key.hex}'"
    return key.text


def _uri(path: Path, query: str) -> str:
    return f"{path.resolve().as_uri()}?{query}"


def _apply_key(conn: Any, key: Key) -> None:
    conn.execute(key_pragma(key))
    # design.md §9: a wrong key makes SQLCipher log HMAC failures to stderr; the caller reports it.
    with contextlib.suppress(sqlcipher3.DatabaseError):
        conn.execute("PRAGMA cipher_log_level = NONE")


def check_key(path: Path, key: Key | None) -> None:
    """Raise a StoreError unless ``key`` opens the database at ``path``; never changes any file.

    The check reads page 1 through an ``immutable`` read-only connection, so even a WAL left by a
    crash is neither checkpointed nor removed by an attempt with the wrong key. When page 1 does not
    decrypt, SQLCipher's page check tells a wrong key (no page verifies) from damage (others do).
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError as exc:
        raise StoreError("no_database", path=str(path)) from exc
    except OSError as exc:
        raise StoreError("io", detail=str(exc), path=str(path)) from exc
    if size == 0:
        raise StoreError("damaged", reason="empty", path=str(path))
    if key is not None and head == SQLITE_HEADER:
        raise StoreError("damaged", reason="not_encrypted", path=str(path))
    if key is None and head != SQLITE_HEADER:
        raise StoreError("damaged", reason="not_plaintext", path=str(path))
    if size % 512:
        raise StoreError("damaged", reason="truncated", path=str(path))
    try:
        conn = sqlcipher3.connect(_uri(path, "mode=ro&immutable=1"), uri=True, isolation_level=None)
    except sqlcipher3.Error as exc:
        raise StoreError("io", detail=str(exc), path=str(path)) from exc
    try:
        if key is not None:
            _apply_key(conn, key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return
        except sqlcipher3.DatabaseError:
            pass
        if key is None:
            raise StoreError("damaged", reason="unreadable", path=str(path))
        try:
            page_size = int(conn.execute("PRAGMA cipher_page_size").fetchone()[0])
            failures = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        except sqlcipher3.Error:
            raise StoreError("wrong_key", path=str(path)) from None
        pages = size // page_size
        if pages > 1 and len(failures) < pages:
            raise StoreError("damaged", reason="page_1", path=str(path))
        raise StoreError("wrong_key", path=str(path))
    finally:
        conn.close()


def connect(path: Path, key: Key | None, *, uri_query: str = "") -> Any:
    """A keyed DBAPI connection in autocommit mode (transactions are begun explicitly, see ``make_engine``)."""
    target = _uri(path, uri_query) if uri_query else str(path)
    try:
        conn = sqlcipher3.connect(
            target,
            uri=bool(uri_query),
            isolation_level=None,
            check_same_thread=False,
            timeout=BUSY_TIMEOUT_S,
        )
    except sqlcipher3.Error as exc:
        raise StoreError("io", detail=str(exc), path=str(path)) from exc
    try:
        if key is not None:
            _apply_key(conn, key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        _raise_translated(exc)
    except BaseException:
        conn.close()
        raise
    return conn


def make_engine(path: Path, key: Key | None) -> sa.Engine:
    """An engine whose every connection is keyed first, then configured (design.md §3)."""

    def creator() -> Any:
        conn = connect(path, key)
        try:
            for pragma in CONNECTION_PRAGMAS:
                conn.execute(pragma).fetchall()
        except sqlcipher3.Error as exc:
            conn.close()
            _raise_translated(exc)
        return conn

    engine = sa.create_engine(
        "sqlite://",
        creator=creator,
        module=sqlcipher3,
        poolclass=pool.QueuePool,
        pool_size=2,
        max_overflow=6,
    )
    event.listen(engine, "begin", _begin)
    return engine


READ_ONLY_OPTION = "yishen_read_only"


def _begin(conn: sa.Connection) -> None:
    # design.md §9: the DBAPI connection is in autocommit mode, so without this BEGIN SQLAlchemy's
    # rollback would be a no-op. IMMEDIATE takes the write lock up front so two writers never
    # deadlock upgrading from a read lock; read-only units use a plain deferred BEGIN.
    if conn.get_execution_options().get(READ_ONLY_OPTION):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# --------------------------------------------------------------------------- errors


def translate_dbapi(exc: BaseException) -> YishenError | BaseException:
    """A YishenError for database failures the user can act on; the exception itself for bugs."""
    orig = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
    message = str(orig)
    low = message.lower()
    if "unique constraint failed: cases.number" in low:
        return Conflict("case_exists", field="number")
    if "unique constraint failed: cases.id" in low:
        return Conflict("case_exists", field="id")
    if "append_only" in low:
        return Conflict("append_only")
    if "doc_number_kept" in low:
        return Conflict("doc_number_kept")
    if "unique constraint failed: letters.doc_number" in low:
        return Conflict("doc_number_taken", field="doc_number")
    if "foreign key constraint failed" in low:
        return NotFound("case")
    if "database or disk is full" in low:
        return StoreError("io", detail="disk_full")
    if "readonly database" in low or "read-only" in low:
        return StoreError("io", detail="read_only")
    if "unable to open database" in low or "disk i/o error" in low:
        return StoreError("io", detail=message)
    if "database is locked" in low or "database table is locked" in low:
        return StoreError("busy")
    if "file is not a database" in low:
        return StoreError("wrong_key")
    if "malformed" in low or "hmac" in low:
        return StoreError("damaged", reason=message)
    return exc


def _raise_translated(exc: BaseException) -> NoReturn:
    mapped = translate_dbapi(exc)
    if mapped is exc:
        raise exc
    raise mapped from exc


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """Turn database and file-system failures into the domain's errors (kinds, no text)."""
    try:
        yield
    except (sa.exc.DBAPIError, sqlcipher3.Error) as exc:
        _raise_translated(exc)
    except PermissionError as exc:
        # Read-only folder, or (Windows) a file another program holds open.
        raise StoreError("io", detail="permission", path=str(exc.filename or "")) from exc
    except OSError as exc:
        raise StoreError("io", detail=str(exc), path=str(exc.filename or "")) from exc


# --------------------------------------------------------------------------- files


def sidecars(path: Path) -> tuple[Path, Path, Path]:
    """SQLite's companion files of ``path``: WAL, shared memory, rollback journal."""
    return (
        path.with_name(path.name + "-wal"),
        path.with_name(path.name + "-shm"),
        path.with_name(path.name + "-journal"),
    )


def temp_sibling(path: Path, label: str) -> Path:
    """A fresh name in the same folder, so the final rename stays on one file system (atomic)."""
    return path.with_name(f".{path.name}.{label}-{secrets.token_hex(6)}")


def move_no_clobber(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst`` atomically, failing with StoreError("exists") if ``dst`` exists."""
    try:
        if os.name == "nt":
            # Windows' rename already refuses an existing target.
            os.rename(src, dst)
            return
        try:
            os.link(src, dst)
        except FileExistsError:
            raise
        except OSError:
            # No hard links on this file system (some network shares): check, then rename.
            if dst.exists():
                raise FileExistsError(str(dst)) from None
            os.rename(src, dst)
            return
        os.unlink(src)
    except FileExistsError as exc:
        raise StoreError("exists", path=str(dst)) from exc


def fsync_dir(folder: Path) -> None:
    """Make a rename durable on POSIX (directories cannot be opened for fsync on Windows)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_quietly(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
