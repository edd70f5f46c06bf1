"""Composition root: opens the store for a data folder and hands out what the CLI and the UI need.

Nothing is created at import time; every entry point asks for what it uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.domain.model import Agency
from app.store import home as store_home
from app.store import keystore
from app.store.database import Database

DB_FILE = "yishen.db"


def default_home() -> Path:
    return store_home.default_home()


def has_secure_keyring() -> bool:
    return keystore.secure_keyring() is not None


def database_exists(home: Path) -> bool:
    return (home / DB_FILE).exists()


def key_mode(home: Path) -> str | None:
    """How the data folder's key is kept ("keyring" or "passphrase"); None when it has no database.

    Lets the desktop application decide between opening at once and asking for the passphrase.
    """
    if not database_exists(home):
        return None
    desc = store_home.read_descriptor(home)
    return desc.key_mode if desc is not None else None


def initialize(home: Path, *, passphrase: str | None, agency: Agency | None, actor: str) -> None:
    """Create the encrypted database of a data folder, with the agency profile when given."""
    db = store_home.create_home(home, passphrase=passphrase)
    try:
        if agency is not None:
            from app.services.settings import save_agency

            with db.unit_of_work(actor) as uow:
                save_agency(uow, agency)
    finally:
        db.close()


@contextmanager
def open_database(home: Path, passphrase_provider: Callable[[], str]) -> Iterator[Database]:
    db = store_home.open_home(home, passphrase_provider)
    try:
        yield db
    finally:
        db.close()


def restore(
    home: Path,
    backup: Path,
    *,
    backup_passphrase: str | None,
    passphrase_provider: Callable[[], str],
    force: bool,
) -> Path | None:
    """Replace (or create) the data folder's database from an encrypted backup."""
    new_passphrase: str | None = None
    if not database_exists(home) and not has_secure_keyring():
        new_passphrase = passphrase_provider()
    return store_home.restore_home(
        home,
        backup,
        backup_passphrase=backup_passphrase,
        passphrase_for_new=new_passphrase,
        passphrase_provider=passphrase_provider,
        force=force,
    )


def write_crash_log(text: str) -> Path:
    """Keep an unexpected error's details for support, outside the data folder."""
    import platformdirs

    folder = Path(platformdirs.user_log_dir("yishen", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    path.write_text(text, "utf-8")
    return path
