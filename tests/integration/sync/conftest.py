"""Fixtures for the sync client tests: a real server on loopback and two clients' data folders.

The server is the one the server tests start (``serve_in_thread`` over ``SyncService``) on each of
their backends, a SQLite file and the test PostgreSQL; the clients are real SQLCipher data folders
driven through ``app.cli.main`` in this process, so the in-memory keyring holds the tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import cli
from app.server.app import create_app
from app.server.service import SyncService
from tests.integration.server.conftest import (  # noqa: F401  (fixtures)
    PASSWORD,
    db_url,
    postgres,
    serve_in_thread,
    service,
)
from tests.support.memorykeyring import MemoryKeyring, memory_keyring  # noqa: F401  (autouse fixture)

DEPARTMENT = "自然资源局"


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Client:
    """One clerk's data folder; ``run`` is ``yishen --home FOLDER …``."""

    home: Path
    capsys: pytest.CaptureFixture[str]

    def run(self, *args: str) -> Result:
        self.capsys.readouterr()
        code = cli.main(["--home", str(self.home), *args])
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)


@pytest.fixture
def server(service: SyncService) -> Iterator[str]:  # noqa: F811  (the fixture imported above)
    service.add_user("zhang", DEPARTMENT, "clerk", PASSWORD)
    service.add_user("wang", DEPARTMENT, "clerk", PASSWORD)
    with serve_in_thread(create_app(service)) as url:
        yield url


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YISHEN_PASSPHRASE", "本机口令 correct horse")
    monkeypatch.setenv("YISHEN_SYNC_PASSWORD", PASSWORD)


def _client(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> Client:
    c = Client(tmp_path / name, capsys)
    r = c.run("init")
    assert r.code == 0, r.err
    return c


@pytest.fixture
def a(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Client:
    return _client(tmp_path, "a", capsys)


@pytest.fixture
def b(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Client:
    return _client(tmp_path, "b", capsys)
