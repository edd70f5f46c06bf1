"""The open data folder: its database, how the key is kept and who works in it — all through app.bootstrap."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Protocol

from app import bootstrap
from app.domain.errors import StoreError
from app.domain.model import Agency
from app.services.demo import DemoReport, load_demo_cases
from app.services.ports import UnitOfWork

Clock = Callable[[], dt.date]


class _Database(Protocol):
    """What the UI uses of the database ``bootstrap.open_database`` hands out."""

    def unit_of_work(self, actor: str = ..., *, read_only: bool = ...) -> UnitOfWork: ...

    def backup(self, dest: Path, *, passphrase: str | None = ..., overwrite: bool = ...) -> Path: ...


def current_actor() -> str:
    """The clerk's login name, recorded in the audit trail of every change."""
    try:
        return getpass.getuser()
    except Exception:  # no user name on some service accounts; the audit still needs one
        return "unknown"


class Session:
    """An unlocked data folder. Close it when the window closes."""

    def __init__(self, home: Path, db: _Database, key_mode: str, stack: ExitStack, actor: str) -> None:
        self.home = home
        self.key_mode = key_mode
        self.actor = actor
        self._db = db
        self._stack = stack

    @classmethod
    def open(cls, home: Path, passphrase: str | None = None, *, actor: str | None = None) -> Session:
        """Open the folder's database; ``passphrase`` is used only in passphrase mode.

        Raises the store's errors (``wrong_key``, ``key_missing``, ``passphrase_required`` …) unchanged,
        so the caller can show ``app.messages.describe`` of them.
        """

        def provide() -> str:
            if passphrase is None:
                raise StoreError("passphrase_required")
            return passphrase

        mode = bootstrap.key_mode(home)
        stack = ExitStack()
        try:
            db = stack.enter_context(bootstrap.open_database(home, provide))
        except BaseException:
            stack.close()
            raise
        return cls(home, db, mode or "keyring", stack, actor or current_actor())

    @classmethod
    def create(
        cls, home: Path, *, passphrase: str | None, agency: Agency, actor: str | None = None
    ) -> Session:
        """Create the folder's database (keyring mode when ``passphrase`` is None) and open it.

        Never touches an existing database: the store refuses with ``exists``.
        """
        who = actor or current_actor()
        bootstrap.initialize(home, passphrase=passphrase, agency=agency, actor=who)
        return cls.open(home, passphrase, actor=who)

    def load_demo(self, today: dt.date) -> DemoReport:
        """The demonstration cases, dated around ``today``."""
        with self.write() as uow:
            return load_demo_cases(uow, today, actor=self.actor)

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """A read-only unit of work (lists, the worklist, a case page)."""
        with self._db.unit_of_work(self.actor, read_only=True) as uow:
            yield uow

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """A unit of work that keeps nothing unless the service commits."""
        with self._db.unit_of_work(self.actor) as uow:
            yield uow

    def backup(self, dest: Path, *, passphrase: str | None = None) -> Path:
        """An encrypted copy of the database at ``dest`` (replaced if there: the save dialog asked).

        With ``passphrase`` the copy is keyed by it and can be restored on another computer; without,
        it is keyed like the database (in keyring mode only this computer's keyring opens it).
        """
        return self._db.backup(dest, passphrase=passphrase, overwrite=True)

    def close(self) -> None:
        self._stack.close()
