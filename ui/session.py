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
from app.domain.users import ROLE_LABELS, User, check_name
from app.services import users
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
    """An unlocked data folder and who works in it. Close it when the window closes.

    ``actor`` is the login name every change is recorded under; ``user`` is that login's user of the
    folder (its 姓名 and role), None when the login is not one of the folder's users. A folder
    without users records the login that opens it as its administrator.
    """

    def __init__(self, home: Path, db: _Database, key_mode: str, stack: ExitStack, actor: str) -> None:
        self.home = home
        self.key_mode = key_mode
        self.actor = actor
        self.user: User | None = None
        self._db = db
        self._stack = stack

    @property
    def role(self) -> str | None:
        """The current user's role code (clerk, reviewer, admin); None when not an active user."""
        return self.user.role if self.user is not None and self.user.active else None

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.is_admin

    @property
    def may_review(self) -> bool:
        return self.user is not None and self.user.may_review

    def describe_user(self) -> str:
        """Who is working, for a status line: ``张敏（zhangmin）· 管理员``."""
        if self.user is None:
            return f"{self.actor} · 不是本数据文件夹的用户"
        state = "" if self.user.active else "（已停用）"
        return (
            f"{self.user.name}（{self.user.login}）· {ROLE_LABELS.get(self.user.role, self.user.role)}{state}"
        )

    def refresh_user(self) -> User | None:
        """Read the current user again (after the users were changed)."""
        with self.read() as uow:
            self.user = users.get_user(uow, self.actor)
        return self.user

    def _sign_in(self, name: str = "") -> None:
        with self.write() as uow:
            self.user = users.sign_in(uow, self.actor, name=name)

    @classmethod
    def open(cls, home: Path, passphrase: str | None = None, *, actor: str | None = None) -> Session:
        """Open the folder's database; ``passphrase`` is used only in passphrase mode.

        Raises the store's errors (``wrong_key``, ``key_missing``, ``passphrase_required`` …) unchanged,
        so the caller can show ``app.messages.describe`` of them.
        """
        return cls._open(home, passphrase, actor=actor)

    @classmethod
    def _open(cls, home: Path, passphrase: str | None, *, actor: str | None, name: str = "") -> Session:

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
        session = cls(home, db, mode or "keyring", stack, actor or current_actor())
        try:
            session._sign_in(name)
        except BaseException:
            session.close()
            raise
        return session

    @classmethod
    def create(
        cls,
        home: Path,
        *,
        passphrase: str | None,
        agency: Agency,
        actor: str | None = None,
        name: str = "",
    ) -> Session:
        """Create the folder's database (keyring mode when ``passphrase`` is None) and open it.

        The creating login is recorded as the folder's first administrator, named ``name`` (姓名;
        the login name when empty). Never touches an existing database: the store refuses with ``exists``.
        """
        who = actor or current_actor()
        if name.strip():
            check_name(name)  # refused before anything is created, not after
        bootstrap.initialize(home, passphrase=passphrase, agency=agency, actor=who)
        return cls._open(home, passphrase, actor=who, name=name)

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
