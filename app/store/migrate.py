"""Alembic configured in code: the scripts ship inside the package, no alembic.ini at run time."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

# A module attribute rather than a constant inside the functions so a test can point it at a copy
# with an extra revision and exercise a real upgrade.
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    # ConfigParser interpolation: a literal % in the folder name must be doubled.
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError("the migrations folder has no revision")
    return head


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: sa.Connection, target: str = "head") -> None:
    """Run the migrations on ``connection`` inside its current transaction (SQLite DDL is transactional)."""
    command.upgrade(_config(connection), target)


def downgrade(connection: sa.Connection, target: str) -> None:
    """Only for tests and developers: releases never downgrade a user's database."""
    command.downgrade(_config(connection), target)
