"""Letters: the record of every letter drafted (文号, review, issue, cancellation) and the 文号 counters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Frozen like 0001: the DDL is spelled out here. A letter row is never deleted and its number never
changes (triggers), so a 文号 once given out stays in the register whatever happens to the letter.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_REFUSE = "SELECT RAISE(ABORT, 'doc_number_kept');"


def upgrade() -> None:
    op.create_table(
        "doc_counters",
        sa.Column("counter", sa.Text, primary_key=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
    )
    op.create_table(
        "letters",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("consultation_id", sa.Text),
        sa.Column("counter", sa.Text, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("doc_number", sa.Text, nullable=False, unique=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("reviews", sa.Text, nullable=False),
        sa.Column("issued_at", sa.Text),
        sa.Column("issued_by", sa.Text),
        sa.Column("cancelled_at", sa.Text),
        sa.Column("cancelled_by", sa.Text),
        sa.Column("cancel_reason", sa.Text),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("rev", sa.Integer, nullable=False),
        sa.UniqueConstraint("counter", "seq", name="uq_letters_counter_seq"),
    )
    op.create_index("ix_letters_case", "letters", ["case_id", "kind"])
    # SQLite fires "UPDATE OF col" whenever col is in the SET list, so compare the values.
    kept = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in ("counter", "seq", "doc_number", "case_id", "kind"))
    op.execute(f"CREATE TRIGGER letters_number_kept BEFORE UPDATE ON letters WHEN {kept} BEGIN {_REFUSE} END")
    op.execute(f"CREATE TRIGGER letters_never_deleted BEFORE DELETE ON letters BEGIN {_REFUSE} END")


def downgrade() -> None:
    op.drop_table("letters")
    op.drop_table("doc_counters")
