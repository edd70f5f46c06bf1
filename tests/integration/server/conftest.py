"""Fixtures for the sync server tests: a real PostgreSQL on 127.0.0.1, SQLite files, services and clerks.

The PostgreSQL cluster is made once per test process in a temporary folder (``initdb`` and ``pg_ctl``
from Debian's ``postgresql`` package, which ``scripts/setup.sh --dev`` installs), listening on loopback
only, on a free port; each test gets a database of its own. PostgreSQL refuses to run as root, so as
root the cluster runs as the ``postgres`` system user. Missing binaries fail the tests: the server is
meant for PostgreSQL, and a silent skip would hide that it was never tested there.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi import FastAPI

from app.server import db
from app.server.service import Principal, SyncService
from app.sync import protocol as p

# Still Argon2id, with the cheapest parameters: the tests log in dozens of times on two cores.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "口令 correct horse 1"
BACKENDS = ["sqlite", "postgresql"]


def _pg_bindir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda s: int(Path(s).parts[-3].split(".")[0])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    pytest.fail(
        "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH): "
        "the sync server tests need it — run scripts/setup.sh --dev (Debian package 'postgresql')",
        pytrace=False,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgCluster:
    """A running cluster with one database; each test gets a schema of its own (a database costs 0.7 s)."""

    port: int
    _counter: Iterator[int] = field(default_factory=itertools.count)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/yishen"

    def create_schema(self) -> str:
        """A URL whose search_path is a new, empty schema."""
        name = f"t{os.getpid()}_{next(self._counter)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return f"{self.url}?options=-csearch_path%3D{name}"

    def drop_schema(self, url: str) -> None:
        name = url.rsplit("%3D", 1)[1]
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(scope="session")
def postgres() -> Iterator[PgCluster]:
    bindir = _pg_bindir()
    as_user: list[str] = []
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail(
                "running as root, and there is no 'postgres' user to run PostgreSQL as", pytrace=False
            )
        as_user = ["runuser", "-u", "postgres", "--"]
    tmp = Path(tempfile.mkdtemp(prefix="yishen-pg-"))
    if owner is not None:
        os.chown(tmp, owner.pw_uid, owner.pw_gid)
    data = tmp / "data"
    log = tmp / "postgres.log"

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*as_user, *argv], capture_output=True, text=True, timeout=120, check=False)

    init = run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync",
    )
    if init.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"initdb failed:\n{init.stdout}\n{init.stderr}", pytrace=False)
    started = None
    for _attempt in range(3):  # the free port can be taken between the check and the start
        port = free_port()
        options = (
            f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        )
        start = run(
            str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options, "start"
        )
        if start.returncode == 0:
            started = port
            break
    if started is None:
        text = log.read_text("utf-8", "replace") if log.exists() else ""
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start:\n{text[-3000:]}", pytrace=False)
    try:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{started}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE yishen")
        yield PgCluster(started)
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file path, or a fresh schema on the test PostgreSQL."""
    if request.param == "sqlite":
        yield str(tmp_path / "server.db")
        return
    cluster: PgCluster = request.getfixturevalue("postgres")
    url = cluster.create_schema()
    try:
        yield url
    finally:
        cluster.drop_schema(url)


@pytest.fixture
def service(db_url: str) -> Iterator[SyncService]:
    svc = SyncService(db.create_engine(db.database_url(db_url)), hasher=FAST_HASHER)
    svc.initialize()
    try:
        yield svc
    finally:
        svc.engine.dispose()


@contextmanager
def serve_in_thread(app: FastAPI) -> Iterator[str]:
    """The app behind a real uvicorn on 127.0.0.1 (a free port), in a thread; yields its base URL.

    Starlette's TestClient now wants a fork of httpx; a real server needs nothing extra and goes
    through the same HTTP parsing as production.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)
        sock.close()


class Clerk:
    """One clerk on one device, pushing ops the way a client's outbox would."""

    def __init__(self, service: SyncService, name: str, department: str, role: str = "clerk") -> None:
        self.service = service
        self.name = name
        self.device_id = str(uuid.uuid4())
        try:
            service.add_user(name, department, role, PASSWORD)
        except Exception as exc:  # the same clerk on a second device
            if getattr(exc, "kind", "") != "user_exists":
                raise
        login = service.login(p.LoginRequest(name=name, password=PASSWORD, device_id=self.device_id))
        self.token = login.token
        self.who: Principal = service.authenticate(login.token)
        self._seq = itertools.count(1)

    def op(
        self,
        entity: str,
        entity_id: str,
        op: str,
        changes: dict[str, tuple[Any, Any]],
        base_rev: int | None = None,
        resolves: list[str] | None = None,
    ) -> p.PushOp:
        return p.PushOp.model_validate(
            {
                "op_id": str(uuid.uuid4()),
                "seq": next(self._seq),
                "entity": entity,
                "entity_id": entity_id,
                "op": op,
                "base_rev": base_rev,
                "changes": {k: {"old": old, "new": new} for k, (old, new) in changes.items()},
                "resolves": resolves or [],
            }
        )

    def insert(self, entity: str, entity_id: str, fields: dict[str, Any]) -> p.PushOp:
        return self.op(entity, entity_id, "insert", {k: (None, v) for k, v in fields.items()})

    def update(
        self, entity: str, entity_id: str, base_rev: int, changes: dict[str, tuple[Any, Any]]
    ) -> p.PushOp:
        return self.op(entity, entity_id, "update", changes, base_rev)

    def delete(self, entity: str, entity_id: str, base_rev: int, fields: dict[str, Any]) -> p.PushOp:
        return self.op(entity, entity_id, "delete", {k: (v, None) for k, v in fields.items()}, base_rev)

    def push(self, *ops: p.PushOp) -> list[p.OpResult]:
        return self.service.push(self.who, p.PushRequest(device_id=self.device_id, ops=list(ops))).results

    def push_one(self, op: p.PushOp) -> p.OpResult:
        (result,) = self.push(op)
        return result

    def pull_all(self, since: int = 0, limit: int = 100) -> tuple[list[p.PullEntry], int]:
        entries: list[p.PullEntry] = []
        cursor = since
        while True:
            page = self.service.pull(self.who, cursor, limit)
            entries += page.entries
            cursor = page.next_cursor
            if not page.has_more:
                return entries, cursor


def case_fields(number: str = "2026-0001", name: str = "张三", **extra: Any) -> dict[str, Any]:
    return {
        "number": number,
        "channel": "in_person",
        "received": "2026-09-16",
        "applicant_kind": "natural_person",
        "applicant_name": name,
        "applicant_phone": "13800000000",
        "tags": ["土地征收"],
        **extra,
    }


def new_id() -> str:
    return str(uuid.uuid4())
