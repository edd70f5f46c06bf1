"""Encrypted backups and restore: own passphrase for another machine, refusal without force, kept file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import keyring
import pytest

from app.domain.errors import StoreError
from app.store import Database, Passphrase, RawKey, create_home, open_home, read_descriptor, restore_home
from app.store.keystore import SERVICE

from .conftest import PASSPHRASE, MemoryKeyring, make_case, snapshot

BACKUP_PASSPHRASE = "备份口令 for the other office"


def _numbers(db: Database) -> list[str]:
    with db.unit_of_work(read_only=True) as uow:
        return [c.number for c in uow.cases.iter_all()]


def _add(db: Database, number: str) -> None:
    with db.unit_of_work() as uow:
        uow.cases.add(make_case(number))
        uow.commit()


def _no_prompt() -> str:
    raise AssertionError("not in passphrase mode")


def test_backup_is_encrypted_and_refuses_to_overwrite(db: Database, tmp_path: Path) -> None:
    _add(db, "2026-0001")
    dest = db.backup(tmp_path / "out" / "b.db")
    assert dest.read_bytes()[:16] != b"SQLite format 3\x00"
    assert [p.name for p in dest.parent.iterdir()] == ["b.db"]  # no temp file, no -wal
    with pytest.raises(StoreError) as err:
        db.backup(dest)
    assert err.value.kind == "exists"
    db.backup(dest, overwrite=True)


def test_restore_own_backup_needs_force_and_keeps_the_replaced_file(
    home: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    with create_home(home, passphrase=None) as db:
        _add(db, "2026-0001")
        backup = db.backup(tmp_path / "b.db")
        _add(db, "2026-0002")

    before = snapshot(home)
    with pytest.raises(StoreError) as err:
        restore_home(home, backup)
    assert err.value.kind == "exists"
    assert snapshot(home) == before

    replaced = restore_home(home, backup, force=True)
    assert replaced is not None and replaced.parent == home.resolve()
    assert re.fullmatch(r"yishen\.db\.replaced-\d{14}", replaced.name)
    with open_home(home, _no_prompt) as db:
        assert _numbers(db) == ["2026-0001"]
    desc = read_descriptor(home)
    assert desc is not None
    key = RawKey(memory_keyring.passwords[(SERVICE, desc.db_id)])
    with Database.open(replaced, key) as old:
        assert _numbers(old) == ["2026-0001", "2026-0002"]


def test_backup_with_its_own_passphrase_restores_on_another_machine(tmp_path: Path) -> None:
    with create_home(tmp_path / "office-a", passphrase=None) as db:
        _add(db, "2026-0001")
        backup = db.backup(tmp_path / "transfer.db", passphrase=BACKUP_PASSPHRASE)

    other_machine = MemoryKeyring()
    keyring.set_keyring(other_machine)
    new_home = tmp_path / "office-b"
    assert restore_home(new_home, backup, backup_passphrase=BACKUP_PASSPHRASE) is None
    desc = read_descriptor(new_home)
    assert desc is not None and desc.key_mode == "keyring"
    assert (SERVICE, desc.db_id) in other_machine.passwords
    with open_home(new_home, _no_prompt) as db:
        assert _numbers(db) == ["2026-0001"]
        assert db.verify().ok

    pass_home = tmp_path / "office-c"
    restore_home(pass_home, backup, backup_passphrase=BACKUP_PASSPHRASE, passphrase_for_new=PASSPHRASE)
    with open_home(pass_home, lambda: PASSPHRASE) as db:
        assert _numbers(db) == ["2026-0001"]


def test_restore_into_a_passphrase_home_uses_its_passphrase(home: Path, tmp_path: Path) -> None:
    with create_home(home, passphrase=PASSPHRASE) as db:
        _add(db, "2026-0001")
        backup = db.backup(tmp_path / "b.db")  # keyed with the home's own passphrase
        _add(db, "2026-0002")
    with pytest.raises(StoreError) as err:
        restore_home(home, backup, force=True)
    assert err.value.kind == "passphrase_required"
    restore_home(home, backup, force=True, passphrase_provider=lambda: PASSPHRASE)
    with open_home(home, lambda: PASSPHRASE) as db:
        assert _numbers(db) == ["2026-0001"]


def test_wrong_backup_passphrase_changes_nothing(
    home: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    with create_home(tmp_path / "source", passphrase=None) as db:
        _add(db, "2026-0001")
        backup = db.backup(tmp_path / "b.db", passphrase=BACKUP_PASSPHRASE)
    keys_before = dict(memory_keyring.passwords)
    backup_before = snapshot(tmp_path / "source")

    with pytest.raises(StoreError) as err:
        restore_home(home, backup, backup_passphrase="wrong")
    assert err.value.kind == "wrong_key"
    assert not (home / "yishen.db").exists() and not (home / "store.json").exists()
    assert memory_keyring.passwords == keys_before  # the key made for the new home was removed again

    create_home(home, passphrase=None).close()
    before = snapshot(home)
    for kwargs in ({"backup_passphrase": "wrong"}, {}):  # {}: the home's own key is not the backup's
        with pytest.raises(StoreError) as err:
            restore_home(home, backup, force=True, **kwargs)  # type: ignore[arg-type]
        assert err.value.kind == "wrong_key"
        assert snapshot(home) == before
    assert snapshot(tmp_path / "source") == backup_before


def test_damaged_backup_is_refused(db: Database, home: Path, tmp_path: Path) -> None:
    _add(db, "2026-0001")
    backup = db.backup(tmp_path / "b.db")
    db.close()
    data = bytearray(backup.read_bytes())
    data[4096 + 300] ^= 0xFF  # page 2
    backup.write_bytes(bytes(data))
    before = snapshot(home)
    with pytest.raises(StoreError) as err:
        restore_home(home, backup, force=True)
    assert err.value.kind == "damaged"
    assert snapshot(home) == before


def test_restore_over_a_crashed_database_keeps_its_wal_with_it(home: Path, tmp_path: Path) -> None:
    crashed = tmp_path / "crashed"
    with create_home(home, passphrase=PASSPHRASE) as db:
        _add(db, "2026-0001")
        backup = db.backup(tmp_path / "b.db")
        _add(db, "2026-0002")
        shutil.copytree(home, crashed)
    assert (crashed / "yishen.db-wal").exists()

    replaced = restore_home(crashed, backup, force=True, passphrase_provider=lambda: PASSPHRASE)
    assert replaced is not None
    assert not (crashed / "yishen.db-wal").exists()
    assert (crashed / (replaced.name + "-wal")).exists()
    with open_home(crashed, lambda: PASSPHRASE) as db:
        assert _numbers(db) == ["2026-0001"]
    with Database.open(replaced, Passphrase(PASSPHRASE)) as old:
        assert _numbers(old) == ["2026-0001", "2026-0002"]


def test_missing_backup_file(home: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        restore_home(home, tmp_path / "nope.db")
    assert err.value.kind == "no_backup"
