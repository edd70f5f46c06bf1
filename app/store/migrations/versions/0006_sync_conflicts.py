"""Sync conflicts kept on the client until a clerk resolves them (design.md §5).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

One row per conflict record the server reported (in a push answer or in the pull feed): the row and
field both sides changed, the base value and both values as JSON text. ``resolved_at`` is set when
the server closes the record (pulled as deleted) or a clerk resolves it here; ``resolution_op_id``
is the outbox op that carries the resolution to the server.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("entity", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("base", sa.Text, nullable=False),
        sa.Column("mine", sa.Text, nullable=False),
        sa.Column("theirs", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("resolved_at", sa.Text),
        sa.Column("resolution_op_id", sa.Text),
    )
    op.create_index("ix_sync_conflicts_open", "sync_conflicts", ["resolved_at", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_sync_conflicts_open", table_name="sync_conflicts")
    op.drop_table("sync_conflicts")
