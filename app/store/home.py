"""The per-user data folder: the database, its plaintext descriptor, pre-migration backups, restore.

Layout::

    <home>/yishen.db      the SQLCipher database
    <home>/store.json     {"format": 1, "db_id": "<uuid>", "key_mode": "keyring"|"passphrase"}
                          (never any case data: it is not encrypted)
    <home>/backups/       automatic pre-migration backups

The caller (CLI or UI) chooses the key mode and supplies passphrases; nothing here reads the
environment or prompts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs

from app.domain.errors import StoreError
from app.store import keystore
from app.store.database import Database, copy_backup
from app.store.engine import (
    Key,
    Passphrase,
    RawKey,
    fsync_dir,
    remove_quietly,
    sidecars,
    temp_sibling,
    translated,
)

DB_NAME = "yishen.db"
DESCRIPTOR_NAME = "store.json"
BACKUPS_DIR = "backups"
DESCRIPTOR_FORMAT = 1

KeyMode = Literal["keyring", "passphrase"]
PassphraseProvider = Callable[[], str]


@dataclass(frozen=True)
class HomeDescriptor:
    db_id: str
    key_mode: KeyMode


def default_home() -> Path:
    """The per-user data folder (``%LOCALAPPDATA%\\yishen`` on Windows)."""
    return Path(platformdirs.user_data_dir("yishen", appauthor=False))


def db_path(home: Path) -> Path:
    return home / DB_NAME


def read_descriptor(home: Path) -> HomeDescriptor | None:
    """The descriptor, None when the folder has none; StoreError("bad_descriptor") when unreadable."""
    path = home / DESCRIPTOR_NAME
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError("io", detail=str(exc), path=str(path)) from exc
    try:
        obj = json.loads(raw)
        fmt, db_id, mode = obj["format"], obj["db_id"], obj["key_mode"]
        uuid.UUID(db_id)
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError("bad_descriptor", path=str(path)) from exc
    if fmt != DESCRIPTOR_FORMAT or mode not in ("keyring", "passphrase"):
        raise StoreError("bad_descriptor", path=str(path))
    return HomeDescriptor(db_id=db_id, key_mode=mode)


def _write_descriptor(home: Path, desc: HomeDescriptor) -> None:
    path = home / DESCRIPTOR_NAME
    text = json.dumps({"format": DESCRIPTOR_FORMAT, "db_id": desc.db_id, "key_mode": desc.key_mode}, indent=2)
    tmp = temp_sibling(path, "writing")
    with translated():
        try:
            with tmp.open("w", encoding="utf-8") as f:
                f.write(text + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
            fsync_dir(home)
        finally:
            remove_quietly(tmp)


def _check_passphrase(passphrase: str) -> Passphrase:
    if not passphrase:
        raise StoreError("empty_passphrase")
    return Passphrase(passphrase)


def _require_keyring() -> keystore.Backend:
    backend = keystore.secure_keyring()
    if backend is None:
        raise StoreError("no_secure_keyring")
    return backend


def _new_descriptor(home: Path, passphrase: str | None) -> tuple[HomeDescriptor, Key]:
    """A fresh identity and key for a new database (keyring mode stores the key first)."""
    db_id = str(uuid.uuid4())
    if passphrase is None:
        backend = _require_keyring()
        key_hex = keystore.new_raw_key()
        keystore.store_key(backend, db_id, key_hex)
        return HomeDescriptor(db_id, "keyring"), RawKey(key_hex)
    return HomeDescriptor(db_id, "passphrase"), _check_passphrase(passphrase)


def _home_key(desc: HomeDescriptor, passphrase_provider: PassphraseProvider | None) -> Key:
    if desc.key_mode == "keyring":
        key_hex = keystore.load_key(_require_keyring(), desc.db_id)
        if key_hex is None:
            raise StoreError("key_missing", db_id=desc.db_id)
        return RawKey(key_hex)
    if passphrase_provider is None:
        raise StoreError("passphrase_required")
    return _check_passphrase(passphrase_provider())


def _database_present(home: Path) -> bool:
    db = db_path(home)
    return any(p.exists() for p in (db, *sidecars(db)))


def create_home(home: Path, *, passphrase: str | None) -> Database:
    """A new encrypted database in ``home``: keyring mode when ``passphrase`` is None.

    StoreError kinds: exists, empty_passphrase, no_secure_keyring, keyring, io.
    """
    if passphrase is not None:
        _check_passphrase(passphrase)
    if _database_present(home):
        raise StoreError("exists", path=str(db_path(home)))
    with translated():
        home.mkdir(parents=True, exist_ok=True)
    desc, key = _new_descriptor(home, passphrase)
    # The descriptor goes first: a crash before the database exists leaves a home that open
    # reports as "no_database" and create simply overwrites, never a database nobody can open.
    _write_descriptor(home, desc)
    return Database.create(db_path(home), key, backups_dir=home / BACKUPS_DIR)


def open_home(home: Path, passphrase_provider: PassphraseProvider) -> Database:
    """Open the database in ``home``; the provider is called only in passphrase mode.

    StoreError kinds: no_database, bad_descriptor, no_secure_keyring, key_missing, keyring,
    empty_passphrase, wrong_key, damaged, newer_schema, io.
    """
    desc = read_descriptor(home)
    if not db_path(home).exists():
        raise StoreError("no_database", path=str(db_path(home)))
    if desc is None:
        raise StoreError("bad_descriptor", path=str(home / DESCRIPTOR_NAME))
    key = _home_key(desc, passphrase_provider)
    return Database.open(db_path(home), key, backups_dir=home / BACKUPS_DIR)


def _replaced_name(db: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    candidate = db.with_name(f"{db.name}.replaced-{stamp}")
    n = 2
    while candidate.exists():
        candidate = db.with_name(f"{db.name}.replaced-{stamp}-{n}")
        n += 1
    return candidate


def restore_home(
    home: Path,
    backup_file: Path,
    *,
    backup_passphrase: str | None = None,
    passphrase_for_new: str | None = None,
    force: bool = False,
    passphrase_provider: PassphraseProvider | None = None,
) -> Path | None:
    """Replace (or create) the home's database with the contents of a backup.

    The backup is opened with ``backup_passphrase``, or else with the home's own key, checked,
    and written to a new file keyed with the home's key (``passphrase_provider`` supplies it for
    a passphrase-mode home). Without a home, one is created: keyring mode when
    ``passphrase_for_new`` is None. An existing database is replaced only with ``force``, and is
    kept as ``yishen.db.replaced-<YYYYmmddHHMMSS>``, whose path is returned (None when nothing was
    replaced). The swap is a rename of a complete file: ``yishen.db`` is never half-written.
    The database must not be open while this runs.

    StoreError kinds: no_backup, exists, wrong_key, damaged, newer_schema, passphrase_required,
    empty_passphrase, no_secure_keyring, key_missing, keyring, io.
    """
    if not backup_file.is_file():
        raise StoreError("no_backup", path=str(backup_file))
    backup_file = backup_file.resolve()
    home = home.resolve()
    db = db_path(home)
    present = _database_present(home)
    if present and not force:
        raise StoreError("exists", path=str(db))
    desc = read_descriptor(home)
    new_desc: HomeDescriptor | None = None
    new_backend = None
    if desc is not None:
        home_key = _home_key(desc, passphrase_provider)
    else:
        if passphrase_for_new is not None:
            _check_passphrase(passphrase_for_new)
        else:
            new_backend = _require_keyring()
        with translated():
            home.mkdir(parents=True, exist_ok=True)
        new_desc, home_key = _new_descriptor(home, passphrase_for_new)
    backup_key = _check_passphrase(backup_passphrase) if backup_passphrase is not None else home_key

    tmp = temp_sibling(db, "restoring")
    try:
        try:
            copy_backup(backup_file, backup_key, tmp, home_key)
        except BaseException:
            if new_desc is not None and new_desc.key_mode == "keyring" and new_backend is not None:
                keystore.delete_key(new_backend, new_desc.db_id)
            raise
        if new_desc is not None:
            _write_descriptor(home, new_desc)
        replaced = _swap_in(tmp, db) if present else None
        if replaced is None:
            with translated():
                os.replace(tmp, db)
                fsync_dir(db.parent)
        return replaced
    finally:
        remove_quietly(tmp, *sidecars(tmp))


def _swap_in(new_file: Path, db: Path) -> Path:
    """Put ``new_file`` in place of ``db``, keeping the old database (and its WAL) beside it."""
    replaced = _replaced_name(db)
    wal, shm, journal = sidecars(db)
    with translated():
        if db.exists():
            # A hard link keeps yishen.db complete until the atomic replace below.
            try:
                os.link(db, replaced)
            except OSError:
                shutil.copy2(db, replaced)
        # The old WAL belongs to the old file: left in place, SQLite would replay it into the new one.
        rwal, _, rjournal = sidecars(replaced)
        if wal.exists():
            os.replace(wal, rwal)
        if journal.exists():
            os.replace(journal, rjournal)
        with contextlib.suppress(FileNotFoundError):
            shm.unlink()
        os.replace(new_file, db)
        fsync_dir(db.parent)
    return replaced


def change_passphrase(home: Path, db: Database, new_passphrase: str) -> Database:
    """Re-encrypt a passphrase-mode home under a new passphrase; returns the database reopened.

    The data is exported into a new file under the new passphrase, ``db`` is closed, and the new
    file is renamed over the old one: a crash leaves either the old file with the old passphrase
    or the new file with the new one, never a mix (an in-place ``PRAGMA rekey`` in WAL mode can
    leave page 1 and the WAL under different keys). ``db`` must be this home's open database with
    no unit of work in progress and no other program using it. The old file is not kept: a
    passphrase is usually changed because the old one is no longer secret.

    StoreError kinds: not_passphrase_mode, empty_passphrase, busy, io.
    """
    desc = read_descriptor(home)
    if desc is None or desc.key_mode != "passphrase":
        raise StoreError("not_passphrase_mode")
    key = _check_passphrase(new_passphrase)
    path = db_path(home).resolve()
    if db.path != path:
        raise ValueError("db is not the database of this home")
    tmp = temp_sibling(path, "rekeying")
    try:
        db.backup(tmp, passphrase=new_passphrase)
        db.close()
        wal, shm, _ = sidecars(path)
        if wal.exists():
            # Another connection still has the database open; its WAL would be replayed into
            # the new file.
            raise StoreError("busy")
        with translated():
            os.replace(tmp, path)
            with contextlib.suppress(FileNotFoundError):
                shm.unlink()
            fsync_dir(path.parent)
    finally:
        remove_quietly(tmp, *sidecars(tmp))
    return Database.open(path, key, backups_dir=home / BACKUPS_DIR)
