"""An index of the applicants' identity numbers, normalized, for the registration's duplicate check.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Frozen like 0001: the expression is spelled out here (built from a frozen list of code points, not
from the code's). The key is the identity number as ``"".join(n.split()).upper()`` compares it:
every white space character Python splits on removed, ASCII letters upper-cased; a number of digits
and capitals only is its own key, so most rows skip the replacements. ``tables.applicant_id_key``
must produce the same text, which ``tests/integration/store`` checks.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# str.isspace() code points (Python 3.11-3.13).
_SPACES = (
    *range(0x09, 0x0E),
    *range(0x1C, 0x21),
    0x85,
    0xA0,
    0x1680,
    *range(0x2000, 0x200B),
    0x2028,
    0x2029,
    0x202F,
    0x205F,
    0x3000,
)


def _key(column: str) -> str:
    stripped = column
    for code in _SPACES:
        stripped = f"replace({stripped}, char({code}), '')"
    return f"CASE WHEN {column} GLOB '*[^0-9A-Z]*' THEN upper({stripped}) ELSE {column} END"


def upgrade() -> None:
    op.execute(f"CREATE INDEX ix_cases_applicant_id ON cases ({_key('applicant_id_number')})")


def downgrade() -> None:
    op.execute("DROP INDEX ix_cases_applicant_id")
