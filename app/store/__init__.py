"""The encrypted case store: SQLCipher database, keys, repositories, unit of work, backup and audit.

The only package that imports sqlalchemy, sqlcipher3 and keyring (style.md, Boundaries).
"""

from app.store.database import Database, VerifyReport
from app.store.engine import Passphrase, RawKey
from app.store.home import (
    HomeDescriptor,
    change_passphrase,
    create_home,
    db_path,
    default_home,
    open_home,
    read_descriptor,
    restore_home,
)
from app.store.keystore import secure_keyring
from app.store.uow import SqlUnitOfWork

__all__ = [
    "Database",
    "HomeDescriptor",
    "Passphrase",
    "RawKey",
    "SqlUnitOfWork",
    "VerifyReport",
    "change_passphrase",
    "create_home",
    "db_path",
    "default_home",
    "open_home",
    "read_descriptor",
    "restore_home",
    "secure_keyring",
]
