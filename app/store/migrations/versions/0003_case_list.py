"""The case list's index: one light row per case for sorting and filtering, and a Chinese search index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Frozen like 0001: the DDL is spelled out here. Both tables are derived from the cases (no rev, no
audit, not synced) and are brought up to date by ``app.services.caselist`` before a search, so the
bulk import never pays for them. ``case_fts`` holds overlapping character bigrams (``grams``) and
single characters (``chars``) as space-separated tokens, because FTS5's trigram tokenizer finds
nothing for the one- and two-character queries most Chinese names and words are (design.md §9).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_list",
        sa.Column("doc", sa.Integer, primary_key=True, autoincrement=False),  # the case_fts rowid
        sa.Column("case_id", sa.Text, nullable=False, unique=True),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("applicant", sa.Text, nullable=False),
        sa.Column("applicant_kind", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("first_item", sa.Text, nullable=False),
        sa.Column("item_count", sa.Integer, nullable=False),
        sa.Column("received", sa.Text, nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("tags", sa.Text, nullable=False),
        sa.Column("findings", sa.Text, nullable=False),
        sa.Column("due", sa.Text, nullable=False),
        sa.Column("days_left", sa.Integer),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("band", sa.Text, nullable=False),
        sa.Column("computed_on", sa.Text, nullable=False),
    )
    op.create_index("ix_case_list_number", "case_list", ["number"])
    op.create_index("ix_case_list_received", "case_list", ["received", "number"])
    op.create_index("ix_case_list_due", "case_list", ["due", "number"])
    op.create_index("ix_case_list_applicant", "case_list", ["applicant", "number"])
    op.create_index("ix_case_list_band", "case_list", ["band", "computed_on"])
    op.execute(
        "CREATE VIRTUAL TABLE case_fts USING fts5("
        "grams, chars, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')"
    )


def downgrade() -> None:
    op.execute("DROP TABLE case_fts")
    op.drop_table("case_list")
