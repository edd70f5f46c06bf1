"""The clerk (经办人) of a case: a column of ``cases`` and of the case list's index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Frozen like 0001: the DDL is spelled out here. ``cases.clerk`` is optional text (NULL: nobody
recorded; imported history has none). ``case_list.clerk`` holds "" for none so that the list can
sort and page by it with plain comparisons. The list index's watermark is cleared, so the next
search rebuilds the index and fills the new column from the cases.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("clerk", sa.Text))
    op.add_column("case_list", sa.Column("clerk", sa.Text, nullable=False, server_default=""))
    op.create_index("ix_case_list_clerk", "case_list", ["clerk", "number"])
    op.execute("DELETE FROM meta WHERE key LIKE 'case\\_list.%' ESCAPE '\\'")


def downgrade() -> None:
    op.drop_index("ix_case_list_clerk", "case_list")
    # SQLite ≥ 3.35 drops a column in place: no table rebuild, the other tables' references stay.
    op.execute("ALTER TABLE case_list DROP COLUMN clerk")
    op.execute("ALTER TABLE cases DROP COLUMN clerk")
    # The index stays valid for 0003 (it only lacks the clerks): no rebuild needed going down.
