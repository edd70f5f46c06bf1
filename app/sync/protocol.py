"""The sync wire protocol, version 1: what the desktop client and the shared server exchange (design.md §5).

A round is a push, then pulls. The client pushes its outbox in ``seq`` order; each op carries a
client-made ``op_id`` (so a re-sent op is recognised), the row it touches, the revision it was
based on and ``changes`` = ``{field: {"old", "new"}}``: the base value the clerk saw and the value
the clerk wrote. An insert carries every field of the new row (``old`` is null); a delete carries
the fields as the clerk last saw them, so the server can tell whether someone edited the row since.
The server answers each op on its own (:class:`OpResult`). Pulls read the server's change log in
pages after a cursor; an entry carries the whole row as of its revision.

Every request names its protocol version in the ``X-Yishen-Protocol`` header. A server keeps
accepting pushes from every version it ever spoke, so an old client can always hand over what it
has before it is asked to upgrade.
"""

from __future__ import annotations

import itertools
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints, model_validator

PROTOCOL_VERSION = 1
"""The version this code speaks."""

MIN_PROTOCOL_VERSION = 1
"""The oldest version a server serves for login and pull (raise it to make old clients upgrade)."""

OLDEST_PUSH_VERSION = 1
"""The oldest version whose pushes a server still accepts; never raised (old clients may always push)."""

PROTOCOL_HEADER = "X-Yishen-Protocol"

MAX_OPS_PER_PUSH = 1000
MAX_PULL_LIMIT = 1000
DEFAULT_PULL_LIMIT = 500

# Entities (the client's synced tables). Items, events, notes and attachment links belong to a case
# through ``case_id``; events and notes are append-only timeline rows, attachments are content-addressed
# and immutable, so all three are insert-only.
ENTITIES = frozenset({"case", "item", "event", "note", "attachment", "case_attachment", "setting"})
PARENT_FIELD: dict[str, str] = {
    "item": "case_id",
    "event": "case_id",
    "note": "case_id",
    "case_attachment": "case_id",
}
INSERT_ONLY = frozenset({"event", "note", "attachment"})

CONFLICT_ENTITY = "conflict"
"""Pull entries of this entity are conflict records (open while not deleted, resolved once deleted)."""

ROW_FIELD = "*"
"""The ``field`` of a whole-row conflict: a delete against an edited row, or an edit of a deleted one."""

GLOBAL_DEPARTMENT = "*"
"""The department of rows every office shares (the national holiday calendar); only admins write them."""

_GLOBAL_SETTING = re.compile(r"calendar:\d{4}")


def is_global(entity: str, entity_id: str) -> bool:
    """Whether a row is shared by every department: the national calendar years (design.md §5).

    An agency's local overlay (``calendar:<year>:local``) and every other setting stay per department.
    """
    return entity == "setting" and _GLOBAL_SETTING.fullmatch(entity_id) is not None


_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

Uuid = Annotated[str, StringConstraints(pattern=_UUID, to_lower=True)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class _Model(BaseModel):
    # Unknown keys are ignored, so a newer client's additions do not break an older server.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Change(_Model):
    """One field of one op: the value the clerk started from and the value the clerk wrote."""

    old: JsonValue = None
    new: JsonValue = None


class PushOp(_Model):
    op_id: Uuid
    seq: int = Field(ge=1)
    entity: Name
    entity_id: Name
    op: Literal["insert", "update", "delete"]
    base_rev: int | None = Field(default=None, ge=0)
    changes: dict[FieldName, Change] = Field(default_factory=dict)
    resolves: list[Uuid] = Field(default_factory=list, max_length=100)
    """Conflict records this op settles (the change a clerk made in the base/theirs/mine dialog)."""


class PushRequest(_Model):
    device_id: Uuid
    ops: list[PushOp] = Field(max_length=MAX_OPS_PER_PUSH)

    @model_validator(mode="after")
    def _in_seq_order(self) -> PushRequest:
        seqs = [op.seq for op in self.ops]
        if any(a >= b for a, b in itertools.pairwise(seqs)):
            raise ValueError("ops must be in strictly increasing seq order")
        return self


class FieldConflict(_Model):
    """A conflict record: both sides changed ``field`` from ``base`` to different values."""

    id: Uuid
    entity: str
    entity_id: str
    field: str
    base: JsonValue = None
    mine: JsonValue = None
    theirs: JsonValue = None


OpStatus = Literal["applied", "duplicate", "conflict", "refused"]


class OpResult(_Model):
    """The server's answer to one op.

    - ``applied``: the op is in; ``rev`` is the row's revision afterwards.
    - ``duplicate``: this ``op_id`` was applied before; ``original_status``, ``rev`` and ``conflicts``
      are those of the first delivery, so a client that lost the first answer learns it now.
    - ``conflict``: the fields without a conflict were applied (``rev`` is the new revision, or the
      unchanged one when nothing was); each field both sides changed is a conflict record.
    - ``refused``: nothing was done; ``reason`` is a stable kind, ``message`` says why in Chinese.
    """

    op_id: str
    status: OpStatus
    rev: int | None = None
    conflicts: list[FieldConflict] = Field(default_factory=list)
    applied_fields: list[str] = Field(default_factory=list)
    original_status: OpStatus | None = None
    reason: str | None = None
    message: str | None = None


class PushResponse(_Model):
    protocol: int = PROTOCOL_VERSION
    results: list[OpResult]
    upgrade_required: bool = False
    """True when the client's protocol is too old for pulls: push what is left, then upgrade."""


class PullRequest(_Model):
    """The query of ``GET /v1/pull``: entries after ``since`` (0 for everything), at most ``limit``."""

    since: int = Field(default=0, ge=0)
    limit: int = Field(default=DEFAULT_PULL_LIMIT, ge=1, le=MAX_PULL_LIMIT)


class PullEntry(_Model):
    seq: int
    entity: str
    entity_id: str
    rev: int
    op_id: str | None
    deleted: bool
    data: dict[str, JsonValue]


class PullResponse(_Model):
    protocol: int = PROTOCOL_VERSION
    entries: list[PullEntry]
    next_cursor: int
    """Pass as ``since`` next time; store it in the same transaction as the applied page."""
    has_more: bool


class LoginRequest(_Model):
    name: Name
    password: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    device_id: Uuid
    device_name: Annotated[str, StringConstraints(max_length=200)] = ""


class LoginResponse(_Model):
    protocol: int = PROTOCOL_VERSION
    token: str
    server_id: str
    """Changes only when the server database is created anew: then a client's cursor means nothing."""
    name: str
    department: str
    role: Literal["clerk", "reviewer", "admin"]


class HealthResponse(_Model):
    status: Literal["ok"] = "ok"
    server_id: str
    protocol: int = PROTOCOL_VERSION
    min_protocol: int = MIN_PROTOCOL_VERSION
    oldest_push_protocol: int = OLDEST_PUSH_VERSION


class ErrorResponse(_Model):
    """The body of every error answer: a stable kind for programs and a Chinese sentence for people."""

    error: str
    message: str
