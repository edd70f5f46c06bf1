"""The database key in the operating system's keyring, refusing keyrings that would store it in plain text."""

from __future__ import annotations

import re
import secrets
from typing import Any

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors

from app.domain.errors import StoreError

SERVICE = "yishen"

Backend = keyring.backend.KeyringBackend

_RAW_KEY = re.compile(r"[0-9a-f]{64}")

# design.md §9: with keyrings.alt installed the default backend silently becomes a plaintext (or
# weakly "encrypted") file next to the database, which would hand the key to anyone holding the
# folder. These are refused by class, not by a promise in their documentation.
_REFUSED_CLASSES: tuple[type[Any], ...] = (keyring.backends.fail.Keyring, keyring.backends.null.Keyring)
_REFUSED_MODULE_PREFIX = "keyrings.alt"


def new_raw_key() -> str:
    """A fresh random 256-bit key as 64 lowercase hex digits (SQLCipher raw key, no KDF)."""
    return secrets.token_hex(32)


def is_raw_key(text: str) -> bool:
    return _RAW_KEY.fullmatch(text) is not None


def is_acceptable(backend: Any) -> bool:
    """Whether a single (non-chainer) backend may hold the database key."""
    if isinstance(backend, _REFUSED_CLASSES):
        return False
    module = type(backend).__module__ or ""
    if module == _REFUSED_MODULE_PREFIX or module.startswith(_REFUSED_MODULE_PREFIX + "."):
        return False
    try:
        priority = float(backend.priority)
    except Exception:
        # A backend whose priority cannot even be computed is not usable on this machine.
        return False
    return priority > 0


def secure_keyring(backend: Any | None = None) -> Backend | None:
    """The keyring backend to keep the key in, or None when only insecure backends exist.

    For the chainer the best acceptable backend inside it is returned rather than the chainer
    itself, so a refused backend of higher priority in the chain can never receive the key.
    """
    if backend is None:
        try:
            backend = keyring.get_keyring()
        except Exception:
            return None
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        try:
            members = list(backend.backends)
        except Exception:
            return None
        acceptable = [b for b in members if is_acceptable(b)]
        if not acceptable:
            return None
        best: Backend = max(acceptable, key=lambda b: float(b.priority))
        return best
    return backend if is_acceptable(backend) else None


def store_key(backend: Backend, db_id: str, key_hex: str) -> None:
    try:
        backend.set_password(SERVICE, db_id, key_hex)
    except keyring.errors.KeyringError as exc:
        raise StoreError("keyring", detail=str(exc)) from exc
    # Read it back: some backends accept a write and drop it (locked collection, no daemon).
    if load_key(backend, db_id) != key_hex:
        raise StoreError("keyring", detail="key not readable after storing")


def load_key(backend: Backend, db_id: str) -> str | None:
    """The stored raw key, None when the keyring has no entry for this database."""
    try:
        value = backend.get_password(SERVICE, db_id)
    except keyring.errors.KeyringError as exc:
        raise StoreError("keyring", detail=str(exc)) from exc
    if value is None:
        return None
    if not is_raw_key(value):
        raise StoreError("key_invalid")
    return value


def delete_key(backend: Backend, db_id: str) -> None:
    try:
        backend.delete_password(SERVICE, db_id)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise StoreError("keyring", detail=str(exc)) from exc
