"""The current schema as SQLAlchemy Core tables (the migrations create it; this is what queries use).

Shaped for sync (design.md §5): client-generated UUID text keys, a ``rev`` on every synced mutable
row, append-only events, notes and audit, and an outbox written in the same transaction as each
change. Dates are ISO ``YYYY-MM-DD`` text, timestamps ISO 8601 UTC text, and JSON columns hold
compact UTF-8 JSON text the repositories encode and decode themselves (cheaper than a JSON type on
the bulk-import path, and the exact text is what the audit hashes).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# Every character ``str.split()`` takes for white space (29 code points), as SQLite ``char()`` codes.
_SPACES = tuple(c for c in range(0x110000) if chr(c).isspace())


def applicant_id_key(column: str = "applicant_id_number") -> str:
    """The SQL expression of an applicant's identity number as the duplicate check compares it
    (``"".join(n.split()).upper()``): white space removed, ASCII letters upper-cased (SQLite's
    ``upper`` leaves other letters alone). A number of digits and capitals only (nearly all) is its
    own key, so inserting a case rarely evaluates the replacements. ``ix_cases_applicant_id`` (0005)
    indexes exactly this text; a query must spell it the same to use the index.
    """
    stripped = column
    for code in _SPACES:
        stripped = f"replace({stripped}, char({code}), '')"
    return f"CASE WHEN {column} GLOB '*[^0-9A-Z]*' THEN upper({stripped}) ELSE {column} END"


cases = sa.Table(
    "cases",
    metadata,
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
    sa.Column("applicant_agent", sa.Text),  # JSON object or NULL
    sa.Column("applicant_extra", sa.Text, nullable=False),  # JSON object
    sa.Column("outcome", sa.Text),
    sa.Column("outcome_reason", sa.Text),
    sa.Column("tags", sa.Text, nullable=False),  # JSON array
    sa.Column("flags", sa.Text, nullable=False),  # JSON array
    sa.Column("extra", sa.Text, nullable=False),  # JSON object
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    # Derived reply due date for sorting only; never the truth (design.md §3).
    sa.Column("due_cache", sa.Text),
    # The clerk (经办人) responsible for the case (0004; added last, as SQLite adds columns).
    sa.Column("clerk", sa.Text),
    # The identity number as the duplicate check compares it (0005).
    sa.Index("ix_cases_applicant_id", sa.text(applicant_id_key())),
)

items = sa.Table(
    "items",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("doc_number", sa.Text),
    sa.Column("form", sa.Text, nullable=False),
    sa.Column("delivery", sa.Text, nullable=False),
    sa.Column("finding", sa.Text),
    sa.Column("reasons", sa.Text),
    sa.Column("responsible_organ", sa.Text),  # JSON object or NULL
    sa.Column("extra", sa.Text, nullable=False),  # JSON object
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Index("ix_items_case", "case_id", "position"),
)

# Append-only: triggers refuse UPDATE of anything but ``position`` (the display order, renumbered
# when a late-recorded event is dated before existing ones) and refuse every DELETE.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("date", sa.Text, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),  # JSON: Event.to_dict() without type and date
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("device_id", sa.Text, nullable=False),
    sa.Index("ix_events_case", "case_id", "position"),
)

notes = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("date", sa.Text, nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("extra", sa.Text, nullable=False),  # JSON object
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("device_id", sa.Text, nullable=False),
    sa.Index("ix_notes_case", "case_id", "position"),
)

# Content-addressed: identical scans are stored once whichever cases refer to them.
attachments = sa.Table(
    "attachments",
    metadata,
    sa.Column("sha256", sa.Text, primary_key=True),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("mime", sa.Text, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
)

case_attachments = sa.Table(
    "case_attachments",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("sha256", sa.Text, sa.ForeignKey("attachments.sha256"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("added_at", sa.Text, nullable=False),
    sa.Index("ix_case_attachments_case", "case_id"),
)

settings = sa.Table(
    "settings",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),  # JSON
    sa.Column("rev", sa.Integer, nullable=False),
)

# 文号 counters, one row per "<agency short name>|<letter kind>|<year>"; only ever counts up.
doc_counters = sa.Table(
    "doc_counters",
    metadata,
    sa.Column("counter", sa.Text, primary_key=True),
    sa.Column("last_seq", sa.Integer, nullable=False),
    sa.Column("rev", sa.Integer, nullable=False),
)

# Every letter drafted (app.domain.letters.LetterRecord). Triggers refuse DELETE and any change of
# the number, so a 文号 once given out is recorded for good, cancelled letters included.
letters = sa.Table(
    "letters",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("case_id", sa.Text, sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("consultation_id", sa.Text),
    sa.Column("counter", sa.Text, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("doc_number", sa.Text, nullable=False, unique=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("content", sa.Text, nullable=False),  # JSON: app.letters.letter_to_dict
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("reviews", sa.Text, nullable=False),  # JSON array of Review.to_dict
    sa.Column("issued_at", sa.Text),
    sa.Column("issued_by", sa.Text),
    sa.Column("cancelled_at", sa.Text),
    sa.Column("cancelled_by", sa.Text),
    sa.Column("cancel_reason", sa.Text),
    sa.Column("extra", sa.Text, nullable=False),  # JSON object
    sa.Column("rev", sa.Integer, nullable=False),
    sa.UniqueConstraint("counter", "seq", name="uq_letters_counter_seq"),
    sa.Index("ix_letters_case", "case_id", "kind"),
)

# Hash-chained: entry_hash = sha256(prev_hash + canonical JSON of the entry); see audit.py.
audit = sa.Table(
    "audit",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("entity", sa.Text, nullable=False),
    sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),  # JSON
    sa.Column("prev_hash", sa.Text, nullable=False),
    sa.Column("entry_hash", sa.Text, nullable=False),
)

# AUTOINCREMENT: acknowledged rows will be deleted by sync, and a reused seq would look like an
# operation the server has already applied.
outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("op_id", sa.Text, nullable=False, unique=True),
    sa.Column("device_id", sa.Text, nullable=False),
    sa.Column("entity", sa.Text, nullable=False),
    sa.Column("entity_id", sa.Text, nullable=False),
    sa.Column("op", sa.Text, nullable=False),  # insert | update | delete
    sa.Column("base_rev", sa.Integer),
    sa.Column("changes", sa.Text, nullable=False),  # JSON {field: {"old": …, "new": …}}
    sa.Column("created_at", sa.Text, nullable=False),
    sqlite_autoincrement=True,
)

sync_base = sa.Table(
    "sync_base",
    metadata,
    sa.Column("entity", sa.Text, primary_key=True),
    sa.Column("entity_id", sa.Text, primary_key=True),
    sa.Column("rev", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # JSON
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# The case list's index (0003): one light row per case, derived and rebuilt lazily by
# app.services.caselist from the audit trail (no rev, no audit, not synced). ``doc`` is the rowid of
# the case's row in the FTS5 table ``case_fts`` (created by the migration; not declared here).
# ``received`` and ``due`` hold "~" when there is no date, so they sort after every date.
case_list = sa.Table(
    "case_list",
    metadata,
    sa.Column("doc", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("case_id", sa.Text, nullable=False, unique=True),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("applicant", sa.Text, nullable=False),
    sa.Column("applicant_kind", sa.Text, nullable=False),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("first_item", sa.Text, nullable=False),
    sa.Column("item_count", sa.Integer, nullable=False),
    sa.Column("received", sa.Text, nullable=False),
    sa.Column("year", sa.Integer),
    sa.Column("tags", sa.Text, nullable=False),  # "\n"-delimited, with a leading and trailing "\n"
    sa.Column("findings", sa.Text, nullable=False),  # likewise
    sa.Column("due", sa.Text, nullable=False),
    sa.Column("days_left", sa.Integer),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("band", sa.Text, nullable=False),
    sa.Column("computed_on", sa.Text, nullable=False),
    sa.Column("clerk", sa.Text, nullable=False, server_default=""),  # 0004; "" when none is recorded
    sa.Index("ix_case_list_number", "number"),
    sa.Index("ix_case_list_received", "received", "number"),
    sa.Index("ix_case_list_due", "due", "number"),
    sa.Index("ix_case_list_applicant", "applicant", "number"),
    sa.Index("ix_case_list_band", "band", "computed_on"),
    sa.Index("ix_case_list_clerk", "clerk", "number"),
)

# Sync conflicts (0006): what the server reported, kept until resolved. JSON text in base/mine/theirs.
sync_conflicts = sa.Table(
    "sync_conflicts",
    metadata,
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
    sa.Index("ix_sync_conflicts_open", "resolved_at", "created_at"),
)
