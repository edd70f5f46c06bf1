"""The record the store keeps about a letter: its 文号, its review and issue steps (domain.md §6).

A letter's text is built from the case (``app.letters``); this record is what happens to it:

- the **文号** is taken when the letter is first drafted and is never given out again, whatever
  happens to the letter afterwards (a failed print, a cancellation) — a cancelled letter keeps its
  number, so the register of numbers has no holes and no repeats;
- **draft** → **reviewed** (who, when, the comments: 答复书点评) → **issued**; a reviewer may also
  send a draft back with comments, which keeps it a draft; issuing needs a complete letter;
- **cancelled** (作废) from any state, with a reason; the number stays recorded;
- delivery (送达) is a ``delivered`` event on the case naming the letter's 文号 (``extra.letter``).

``content`` is the letter as ``letter_to_dict`` made it: rebuilt from the case while the letter is a
draft, frozen from the moment it is reviewed, so what was reviewed is exactly what is issued.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class LetterStatus(StrEnum):
    DRAFT = "draft"
    REVIEWED = "reviewed"
    ISSUED = "issued"
    CANCELLED = "cancelled"


LETTER_STATUS_LABELS: dict[LetterStatus, str] = {
    LetterStatus.DRAFT: "草稿",
    LetterStatus.REVIEWED: "已审核",
    LetterStatus.ISSUED: "已签发",
    LetterStatus.CANCELLED: "已作废",
}


@dataclass(frozen=True)
class Review:
    """One reviewer's word on a letter: approved, or sent back with comments (答复书点评)."""

    by: str
    at: str  # ISO 8601 UTC timestamp
    approved: bool
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "at": self.at, "approved": self.approved, "comment": self.comment}

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> Review:
        return cls(by=obj["by"], at=obj["at"], approved=bool(obj["approved"]), comment=obj.get("comment", ""))


@dataclass(frozen=True)
class LetterRecord:
    id: str
    case_id: str
    kind: str  # app.letters.LetterKind value
    consultation_id: str | None
    counter: str  # the counter the number came from: "<agency short name>|<kind>|<year>"
    seq: int
    doc_number: str
    status: LetterStatus
    content: Mapping[str, Any]
    created_at: str
    created_by: str
    reviews: tuple[Review, ...] = ()
    issued_at: str | None = None
    issued_by: str | None = None
    cancelled_at: str | None = None
    cancelled_by: str | None = None
    cancel_reason: str | None = None
    rev: int = 1
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def last_approval(self) -> Review | None:
        approvals = [r for r in self.reviews if r.approved]
        return approvals[-1] if approvals else None
