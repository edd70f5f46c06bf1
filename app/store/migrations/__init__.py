"""Alembic migrations of the case store (run programmatically by ``app.store.migrate``)."""
