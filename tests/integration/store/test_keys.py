"""Keys and homes: keyring and passphrase modes, refused keyrings, wrong keys, damaged and missing files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import pytest

from app.domain.errors import StoreError
from app.store import change_passphrase, create_home, open_home, secure_keyring
from app.store.keystore import SERVICE, is_acceptable

from .conftest import PASSPHRASE, MemoryKeyring, make_case, snapshot


def _no_prompt() -> str:
    raise AssertionError("the passphrase provider must not be called in keyring mode")


def _plaintext_lookalike() -> keyring.backend.KeyringBackend:
    """A stand-in for keyrings.alt's PlaintextKeyring (that package is not installed here)."""

    def get_password(self: object, service: str, username: str) -> str | None:
        return None

    def set_password(self: object, service: str, username: str, password: str) -> None:
        pass

    cls = type(
        "PlaintextKeyring",
        (keyring.backend.KeyringBackend,),
        {
            "__module__": "keyrings.alt.file",
            "priority": 10,
            "viable": False,  # never picked by keyring's own detection in this test process
            "get_password": get_password,
            "set_password": set_password,
        },
    )
    backend: keyring.backend.KeyringBackend = cls()
    return backend


class LowPriority(MemoryKeyring):
    priority = 0


# --------------------------------------------------------------------------- keyring refusal


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param(keyring.backends.fail.Keyring(), id="fail"),
        pytest.param(keyring.backends.null.Keyring(), id="null"),
        pytest.param(_plaintext_lookalike(), id="keyrings.alt-plaintext"),
        pytest.param(LowPriority(), id="priority-0"),
    ],
)
def test_insecure_keyrings_are_refused(backend: keyring.backend.KeyringBackend, home: Path) -> None:
    assert not is_acceptable(backend)
    assert secure_keyring(backend) is None
    keyring.set_keyring(backend)
    with pytest.raises(StoreError) as err:
        create_home(home, passphrase=None)
    assert err.value.kind == "no_secure_keyring"
    assert not (home / "yishen.db").exists()


def test_chainer_without_acceptable_backend_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    chainer = keyring.backends.chainer.ChainerBackend()
    monkeypatch.setattr(
        keyring.backends.chainer.ChainerBackend,
        "backends",
        [keyring.backends.null.Keyring(), _plaintext_lookalike()],
    )
    assert secure_keyring(chainer) is None


def test_chainer_yields_its_best_acceptable_member_not_a_refused_one(monkeypatch: pytest.MonkeyPatch) -> None:
    good = MemoryKeyring()
    chainer = keyring.backends.chainer.ChainerBackend()
    # The plaintext look-alike has the higher priority: it must still never receive the key.
    monkeypatch.setattr(keyring.backends.chainer.ChainerBackend, "backends", [_plaintext_lookalike(), good])
    assert secure_keyring(chainer) is good


def test_memory_keyring_is_acceptable(memory_keyring: MemoryKeyring) -> None:
    assert secure_keyring() is memory_keyring


# --------------------------------------------------------------------------- modes


def test_keyring_mode_keeps_a_random_raw_key_in_the_keyring(
    home: Path, memory_keyring: MemoryKeyring
) -> None:
    create_home(home, passphrase=None).close()
    descriptor = json.loads((home / "store.json").read_text("utf-8"))
    assert set(descriptor) == {"format", "db_id", "key_mode"}
    assert descriptor["format"] == 1 and descriptor["key_mode"] == "keyring"
    key = memory_keyring.passwords[(SERVICE, descriptor["db_id"])]
    assert len(key) == 64 and int(key, 16) >= 0

    with open_home(home, _no_prompt) as db, db.unit_of_work() as uow:
        assert uow.cases.count() == 0


def test_keyring_mode_without_the_key_fails_clearly(home: Path, memory_keyring: MemoryKeyring) -> None:
    create_home(home, passphrase=None).close()
    memory_keyring.passwords.clear()
    with pytest.raises(StoreError) as err:
        open_home(home, _no_prompt)
    assert err.value.kind == "key_missing"


def test_passphrase_mode_asks_the_provider(home: Path, memory_keyring: MemoryKeyring) -> None:
    create_home(home, passphrase=PASSPHRASE).close()
    assert json.loads((home / "store.json").read_text("utf-8"))["key_mode"] == "passphrase"
    assert memory_keyring.passwords == {}
    asked = []

    def provider() -> str:
        asked.append(1)
        return PASSPHRASE

    with open_home(home, provider) as db, db.unit_of_work() as uow:
        assert uow.cases.count() == 0
    assert asked == [1]


@pytest.mark.parametrize("mode", ["create", "open"])
def test_empty_passphrase_is_refused(home: Path, mode: str) -> None:
    if mode == "open":
        create_home(home, passphrase=PASSPHRASE).close()
    with pytest.raises(StoreError) as err:
        if mode == "create":
            create_home(home, passphrase="")
        else:
            open_home(home, lambda: "")
    assert err.value.kind == "empty_passphrase"


# --------------------------------------------------------------------------- refusals


def test_create_never_overwrites(home: Path) -> None:
    create_home(home, passphrase=PASSPHRASE).close()
    before = snapshot(home)
    for passphrase in (None, PASSPHRASE, "other"):
        with pytest.raises(StoreError) as err:
            create_home(home, passphrase=passphrase)
        assert err.value.kind == "exists"
    assert snapshot(home) == before


def test_create_refuses_a_stray_wal(home: Path) -> None:
    # A WAL without its database would be replayed into a new one.
    home.mkdir()
    (home / "yishen.db-wal").write_bytes(b"x" * 100)
    with pytest.raises(StoreError) as err:
        create_home(home, passphrase=PASSPHRASE)
    assert err.value.kind == "exists"


def test_opening_a_missing_database_creates_nothing(home: Path) -> None:
    for setup in ("nothing", "descriptor only"):
        if setup == "descriptor only":
            create_home(home, passphrase=PASSPHRASE).close()
            (home / "yishen.db").unlink()
        before = snapshot(home) if home.exists() else {}
        with pytest.raises(StoreError) as err:
            open_home(home, lambda: PASSPHRASE)
        assert err.value.kind == "no_database"
        assert (snapshot(home) if home.exists() else {}) == before


def test_create_in_an_unusable_folder_is_an_io_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError) as err:
        create_home(blocker / "home", passphrase=PASSPHRASE)
    assert err.value.kind == "io"


# --------------------------------------------------------------------------- wrong key and damage


def _populated_passphrase_home(home: Path) -> None:
    with create_home(home, passphrase=PASSPHRASE) as db, db.unit_of_work() as uow:
        uow.cases.add(make_case())
        uow.commit()


def test_wrong_passphrase_is_a_clear_error_and_touches_nothing(
    home: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    _populated_passphrase_home(home)
    before = snapshot(home)
    with pytest.raises(StoreError) as err:
        open_home(home, lambda: "wrong passphrase")
    assert err.value.kind == "wrong_key"
    assert snapshot(home) == before  # byte-identical, and no -wal/-shm/backup created
    out, errout = capfd.readouterr()
    assert "HMAC" not in out + errout and errout == ""

    with open_home(home, lambda: PASSPHRASE) as db, db.unit_of_work() as uow:
        assert uow.cases.count() == 1


def test_wrong_raw_key_from_the_keyring(home: Path, memory_keyring: MemoryKeyring) -> None:
    create_home(home, passphrase=None).close()
    (slot,) = memory_keyring.passwords
    memory_keyring.passwords[slot] = "ab" * 32
    before = snapshot(home)
    with pytest.raises(StoreError) as err:
        open_home(home, _no_prompt)
    assert err.value.kind == "wrong_key"
    assert snapshot(home) == before


def test_wrong_key_after_a_crash_leaves_the_wal_alone(home: Path, tmp_path: Path) -> None:
    crashed = tmp_path / "crashed"
    with create_home(home, passphrase=PASSPHRASE) as db:
        with db.unit_of_work() as uow:
            uow.cases.add(make_case())
            uow.commit()
        # Copy the folder while the database is open: what a power cut would leave behind.
        assert (home / "yishen.db-wal").exists()
        shutil.copytree(home, crashed)
    before = snapshot(crashed)
    with pytest.raises(StoreError) as err:
        open_home(crashed, lambda: "wrong")
    assert err.value.kind == "wrong_key"
    assert snapshot(crashed) == before
    with open_home(crashed, lambda: PASSPHRASE) as db, db.unit_of_work() as uow:
        assert uow.cases.get_by_number("2026-0001") == make_case()


def test_damaged_first_page_is_told_apart_from_a_wrong_key(home: Path) -> None:
    _populated_passphrase_home(home)
    path = home / "yishen.db"
    data = bytearray(path.read_bytes())
    data[200:216] = bytes(16)  # inside page 1, after SQLCipher's salt
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as err:
        open_home(home, lambda: PASSPHRASE)
    assert err.value.kind == "damaged"
    with pytest.raises(StoreError) as err:
        open_home(home, lambda: "wrong")
    assert err.value.kind == "wrong_key"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        pytest.param(b"", "damaged", id="empty"),
        pytest.param(b"x" * 1000, "damaged", id="truncated"),
        # Random bytes cannot be told from ciphertext under another key.
        pytest.param(os.urandom(8192), "wrong_key", id="random-pages"),
    ],
)
def test_files_that_are_not_our_database(home: Path, content: bytes, kind: str) -> None:
    create_home(home, passphrase=PASSPHRASE).close()
    (home / "yishen.db").write_bytes(content)
    before = snapshot(home)
    with pytest.raises(StoreError) as err:
        open_home(home, lambda: PASSPHRASE)
    assert err.value.kind == kind
    assert snapshot(home) == before


def test_a_plaintext_sqlite_file_is_refused(home: Path) -> None:
    create_home(home, passphrase=PASSPHRASE).close()
    (home / "yishen.db").unlink()
    conn = sqlite3.connect(home / "yishen.db")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as err:
        open_home(home, lambda: PASSPHRASE)
    assert err.value.kind == "damaged"
    assert err.value.params["reason"] == "not_encrypted"


def test_bad_descriptor(home: Path) -> None:
    create_home(home, passphrase=PASSPHRASE).close()
    (home / "store.json").write_text('{"format": 2}', "utf-8")
    with pytest.raises(StoreError) as err:
        open_home(home, lambda: PASSPHRASE)
    assert err.value.kind == "bad_descriptor"


def test_change_passphrase(home: Path) -> None:
    _populated_passphrase_home(home)
    db = open_home(home, lambda: PASSPHRASE)
    db = change_passphrase(home, db, "新口令")
    with db, db.unit_of_work() as uow:
        assert uow.cases.count() == 1
    assert sorted(p.name for p in home.iterdir()) == ["store.json", "yishen.db"]
    with pytest.raises(StoreError) as err:
        open_home(home, lambda: PASSPHRASE)
    assert err.value.kind == "wrong_key"
    open_home(home, lambda: "新口令").close()


def test_change_passphrase_only_in_passphrase_mode(home: Path) -> None:
    with create_home(home, passphrase=None) as db, pytest.raises(StoreError) as err:
        change_passphrase(home, db, "x")
    assert err.value.kind == "not_passphrase_mode"
