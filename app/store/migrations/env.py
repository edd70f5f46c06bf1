"""Alembic environment: migrates the already-keyed connection handed over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]

# SQLite can alter little in place; batch mode lets later revisions change columns by copy-and-move.
context.configure(connection=connection, target_metadata=None, render_as_batch=True)

with context.begin_transaction():
    context.run_migrations()
