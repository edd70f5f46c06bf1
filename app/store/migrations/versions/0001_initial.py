"""The first schema: cases, items, append-only events and notes, attachments, settings, audit, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-01-01

Frozen: this script spells out its own DDL instead of importing ``app.store.tables``, so later
changes to the tables cannot change what this revision creates.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_APPEND_ONLY = "SELECT RAISE(ABORT, 'append_only');"


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("number", sa.Text, nullable=False, unique=True),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("arrived", sa.Text),
        sa.Column("received", sa.Text),
        sa.Column("oral_filled_by", sa.Text),
        sa.Column("assistance", sa.Text),
        sa.Column("applicant_kind", sa.Text, nullable=False),
        sa.Column("applicant_name", sa.Text, nullable=False),
        sa.Column("applicant_id_type", sa.Text),
        sa.Column("applicant_id_number", sa.Text),
        sa.Column("applicant_phone", sa.Text),
        sa.Column("applicant_email", sa.Text),
        sa.Column("applicant_address", sa.Text),
        sa.Column("applicant_agent", sa.Text),
        sa.Column("applicant_extra", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text),
        sa.Column("outcome_reason", sa.Text),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("flags", sa.Text, nullable=False),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("due_cache", sa.Text),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("doc_number", sa.Text),
        sa.Column("form", sa.Text, nullable=False),
        sa.Column("delivery", sa.Text, nullable=False),
        sa.Column("finding", sa.Text),
        sa.Column("reasons", sa.Text),
        sa.Column("responsible_organ", sa.Text),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
    )
    op.create_index("ix_items_case", "items", ["case_id", "position"])
    op.create_table(
        "events",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("date", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("device_id", sa.Text, nullable=False),
    )
    op.create_index("ix_events_case", "events", ["case_id", "position"])
    op.create_table(
        "notes",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("date", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("device_id", sa.Text, nullable=False),
    )
    op.create_index("ix_notes_case", "notes", ["case_id", "position"])
    op.create_table(
        "attachments",
        sa.Column("sha256", sa.Text, primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("mime", sa.Text, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_table(
        "case_attachments",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("sha256", sa.Text, sa.ForeignKey("attachments.sha256"), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("added_at", sa.Text, nullable=False),
    )
    op.create_index("ix_case_attachments_case", "case_attachments", ["case_id"])
    op.create_table(
        "settings",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("entity", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.Text, nullable=False),
        sa.Column("entry_hash", sa.Text, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("op_id", sa.Text, nullable=False, unique=True),
        sa.Column("device_id", sa.Text, nullable=False),
        sa.Column("entity", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("op", sa.Text, nullable=False),
        sa.Column("base_rev", sa.Integer),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "sync_base",
        sa.Column("entity", sa.Text, primary_key=True),
        sa.Column("entity_id", sa.Text, primary_key=True),
        sa.Column("rev", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )

    # design.md §3/§5: the timeline and the audit trail are append-only. Only the display order of
    # events and notes may move (a late-recorded event dated before existing ones).
    op.execute(
        "CREATE TRIGGER events_append_only_update BEFORE UPDATE OF "
        "id, case_id, type, date, payload, created_at, device_id ON events "
        f"BEGIN {_APPEND_ONLY} END"
    )
    op.execute(f"CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events BEGIN {_APPEND_ONLY} END")
    op.execute(
        "CREATE TRIGGER notes_append_only_update BEFORE UPDATE OF "
        "id, case_id, date, author, text, extra, created_at, device_id ON notes "
        f"BEGIN {_APPEND_ONLY} END"
    )
    op.execute(f"CREATE TRIGGER notes_append_only_delete BEFORE DELETE ON notes BEGIN {_APPEND_ONLY} END")
    op.execute(f"CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN {_APPEND_ONLY} END")
    op.execute(f"CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN {_APPEND_ONLY} END")


def downgrade() -> None:
    for table in (
        "meta",
        "sync_base",
        "outbox",
        "audit",
        "settings",
        "case_attachments",
        "attachments",
        "notes",
        "events",
        "items",
        "cases",
    ):
        op.drop_table(table)
