"""The sync server's database: schema (SQLAlchemy Core), engines for PostgreSQL and SQLite, write transactions.

Every write goes through :func:`write_tx`, which serializes writers: on PostgreSQL with a
transaction-scoped advisory lock taken before anything is read, on SQLite with ``BEGIN IMMEDIATE``
(the database write lock). Sequence numbers of the change log and the audit log are then
``max + 1`` read under that lock, so they commit in order and without gaps, and a reader that has
seen ``seq = n`` has already seen every smaller one — a pull cursor can never skip an entry, which a
database sequence (allocated at insert, committed in any order) would not promise. Row merges read
and write under the same lock, so two pushes never interleave on one row.

JSON is stored as canonical text (the exact text the audit hashes) for the same behaviour on both
backends.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.domain.errors import InputError
from app.sync.chain import canonical_json

SCHEMA_VERSION = 1

# Any constant bigint; "yishen" in ASCII, so it is recognisable in pg_locks.
ADVISORY_LOCK_KEY = 0x796973_68656E

metadata = sa.MetaData()

meta = sa.Table(
    "server_meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("department", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),  # clerk | reviewer | admin
    sa.Column("password_hash", sa.Text, nullable=False),  # Argon2id, PHC string
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
)

devices = sa.Table(
    "devices",
    metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("device_id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("enrolled_at", sa.Text, nullable=False),
    sa.Column("last_seen_at", sa.Text),
    sa.Column("last_seq", sa.BigInteger, nullable=False, default=0),
)

# Only sha256(token) is kept: a copy of the database does not let anyone sync as a clerk.
tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("device_id", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("revoked_at", sa.Text),
    sa.Index("ix_tokens_user", "user_id", "device_id"),
)

# The current state of every synced row. The department is part of the key: client ids are made
# by clients, so one department can never reach another's row by naming its id.
entity_rows = sa.Table(
    "entity_rows",
    metadata,
    sa.Column("department", sa.Text, primary_key=True),
    sa.Column("entity", sa.Text, primary_key=True),
    sa.Column("entity_id", sa.Text, primary_key=True),
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # canonical JSON object
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("op_id", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
)

# The pull feed: append-only, one entry per new revision of a row (its whole state then).
change_log = sa.Table(
    "change_log",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("department", sa.Text, nullable=False),
    sa.Column("entity", sa.Text, nullable=False),
    sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Column("op_id", sa.Text),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # canonical JSON object
    sa.Column("at", sa.Text, nullable=False),
    sa.Index("ix_change_log_department_seq", "department", "seq"),
)

# Idempotence: an op_id seen once is answered from here ever after.
applied_ops = sa.Table(
    "applied_ops",
    metadata,
    sa.Column("op_id", sa.Text, primary_key=True),
    sa.Column("department", sa.Text, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("device_id", sa.Text, nullable=False),
    sa.Column("device_seq", sa.BigInteger, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("result", sa.Text, nullable=False),  # JSON of the OpResult first given
)

conflicts = sa.Table(
    "conflicts",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("department", sa.Text, nullable=False),
    sa.Column("entity", sa.Text, nullable=False),
    sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("base", sa.Text, nullable=False),  # JSON
    sa.Column("mine", sa.Text, nullable=False),  # JSON
    sa.Column("theirs", sa.Text, nullable=False),  # JSON
    sa.Column("op_id", sa.Text, nullable=False),
    sa.Column("user_name", sa.Text, nullable=False),
    sa.Column("device_id", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("resolved_at", sa.Text),
    sa.Column("resolved_by", sa.Text),
    sa.Column("resolution_op_id", sa.Text),
    sa.Index("ix_conflicts_row", "department", "entity", "entity_id"),
)

# Hash-chained like the client's (design.md §3): entry_hash = sha256(prev_hash + canonical JSON of the entry).
audit = sa.Table(
    "server_audit",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("entity", sa.Text, nullable=False),
    sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),  # canonical JSON
    sa.Column("prev_hash", sa.Text, nullable=False),
    sa.Column("entry_hash", sa.Text, nullable=False),
)


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def dumps(value: Any) -> str:
    return canonical_json(value)


def loads(text: str) -> Any:
    return json.loads(text)


# --------------------------------------------------------------------------- engines


def is_postgres_url(text: str) -> bool:
    return text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def database_url(text: str) -> sa.URL:
    """A ``postgresql://…`` URL (driven by psycopg 3), ``sqlite:///…``, or a SQLite file path."""
    text = text.strip()
    if not text:
        raise InputError("db_missing")
    if is_postgres_url(text):
        try:
            url = sa.make_url(text)
        except sa.exc.ArgumentError as exc:
            raise InputError("db_unreachable", db=text, detail=str(exc)) from None
        return url.set(drivername="postgresql+psycopg")
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    path = Path(text).expanduser().resolve()
    return sa.URL.create("sqlite+pysqlite", database=str(path))


def display(url: sa.URL) -> str:
    """The URL as shown in messages: never the password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def create_engine(url: sa.URL) -> sa.Engine:
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # Driver-level autocommit so that our own BEGIN below is the only one (design.md §9: with the
    # driver's implicit transactions a write lock is taken only at the first write, too late).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
    finally:
        cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    # Writers take the write lock before they read, so a read-merge-write cannot interleave.
    write = conn.get_execution_options().get("yishen_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def write_tx(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction that holds the server's single writer lock from its start to its commit."""
    with engine.connect() as conn:
        conn.execution_options(yishen_write=True)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            yield conn


@contextmanager
def read_tx(engine: sa.Engine) -> Iterator[sa.Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn


# --------------------------------------------------------------------------- schema state


def schema_version(conn: sa.Connection) -> int | None:
    """The schema version recorded by ``init``, or None for a database that is not ours (yet)."""
    if not sa.inspect(conn).has_table(meta.name):
        return None
    value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return None if value is None else int(value)


def meta_value(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()
