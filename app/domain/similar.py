"""What the registration's duplicate/repeat warning reads of a registered case (a light row, not the case)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    """A registered case that may be a duplicate: its applicant's identifying data and its requests."""

    case_id: str
    number: str
    name: str
    id_number: str | None
    phone: str | None
    received: dt.date | None  # the legal receipt date, else the arrival (awaiting confirmation)
    items: tuple[str, ...]  # the descriptions, in order
