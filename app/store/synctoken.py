"""The sync server's token in the OS keyring (never in the database, never the password)."""

from __future__ import annotations

import keyring.errors

from app.domain.errors import StoreError
from app.store import keystore

SERVICE = "yishen-sync"


class KeyringTokenStore:
    """Tokens under service ``yishen-sync``, one per device id (a data folder is one device)."""

    def _backend(self) -> keystore.Backend:
        backend = keystore.secure_keyring()
        if backend is None:
            raise StoreError("no_secure_keyring")
        return backend

    def load(self, account: str) -> str | None:
        try:
            return self._backend().get_password(SERVICE, account)
        except keyring.errors.KeyringError as exc:
            raise StoreError("keyring", detail=str(exc)) from exc

    def save(self, account: str, token: str) -> None:
        backend = self._backend()
        try:
            backend.set_password(SERVICE, account, token)
        except keyring.errors.KeyringError as exc:
            raise StoreError("keyring", detail=str(exc)) from exc
        if self.load(account) != token:
            raise StoreError("keyring", detail="token not readable after storing")

    def delete(self, account: str) -> None:
        try:
            self._backend().delete_password(SERVICE, account)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise StoreError("keyring", detail=str(exc)) from exc
