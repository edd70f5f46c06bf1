"""The case list (案件): what its index keeps per case, what a query asks for, and Chinese search tokens.

Chinese has no spaces and most names (张三) and key words (征收) are two characters, which FTS5's
trigram tokenizer cannot find (design.md §9). Text is therefore cut here, in Python, into overlapping
character bigrams (``grams``) and single characters (``chars``) and stored as space-separated tokens
for FTS5's ``unicode61`` tokenizer. A query term of one character matches ``chars``; a longer one is
the phrase of its bigrams in ``grams`` (土地征收 → "土地 地征 征收", consecutive), so every query
length hits the index. Runs of Latin letters and digits stay whole words and match as prefixes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

# Between two texts of one case, so that a bigram phrase never spans the end of one and the start
# of the next (the applicant's name and the first item's description are not one sentence).
_GAP = "qgapq"


class SortKey(StrEnum):
    NUMBER = "number"
    RECEIVED = "received"
    DUE = "due"
    APPLICANT = "applicant"
    CLERK = "clerk"


@dataclass(frozen=True)
class ListEntry:
    """One case as the list index keeps it (derived from the case; the deadline as of ``computed_on``)."""

    case_id: str
    number: str
    applicant: str
    applicant_kind: str
    channel: str
    first_item: str
    item_count: int
    received: dt.date | None
    year: int | None
    tags: tuple[str, ...]
    findings: tuple[str, ...]
    due: dt.date | None
    days_left: int | None
    state: str  # app.law.deadlines.State value
    band: str  # app.law.deadlines.Band value
    clerk: str = ""  # 经办人; "" when none is recorded


@dataclass(frozen=True, slots=True)
class CaseSource:
    """What the list index is derived from, read from the stored case without rebuilding it."""

    case_id: str
    number: str
    applicant: str
    applicant_kind: str
    channel: str
    received: dt.date | None
    arrived: dt.date | None
    tags: tuple[str, ...]
    clerk: str | None
    concluded: bool  # a replied or terminated event: no deadline is left to compute
    items: tuple[tuple[str, str | None], ...]  # (description, finding code) in order


# The stored sort key of the last row of a page and its number (numbers are unique): where the
# next page starts (keyset paging: every page costs the same, however deep the list is scrolled).
Cursor = tuple[str, str]


@dataclass(frozen=True)
class Watermark:
    """How far the list index is up to date: audit entries up to ``audit_seq`` are indexed, bands
    are as of ``day`` (ISO), deadlines were computed with the calendar whose stamp is ``stamp``."""

    audit_seq: int = 0
    day: str = ""
    stamp: str = ""


@dataclass(frozen=True)
class ListFilter:
    """What the list is narrowed to; empty fields do not narrow. ``match`` is an FTS5 expression."""

    bands: tuple[str, ...] = ()
    channel: str | None = None
    applicant_kind: str | None = None
    year: int | None = None
    tag: str | None = None
    finding: str | None = None
    clerk: str | None = None  # "" finds the cases without a clerk
    match: str | None = None


def _is_cjk(ch: str) -> bool:
    return ch >= "\u2e80"


def _runs(text: str) -> list[tuple[bool, str]]:
    """Runs of letters/digits, each marked CJK or not; everything else separates."""
    runs: list[tuple[bool, str]] = []
    current: list[str] = []
    kind = False
    for ch in text:
        if ch.isalnum():
            cjk = _is_cjk(ch)
            if current and cjk != kind:
                runs.append((kind, "".join(current)))
                current = []
            kind = cjk
            current.append(ch)
        elif current:
            runs.append((kind, "".join(current)))
            current = []
    if current:
        runs.append((kind, "".join(current)))
    return runs


def search_tokens(texts: Iterable[str]) -> tuple[str, str]:
    """The ``grams`` and ``chars`` documents of a case's searchable texts."""
    grams: list[str] = []
    chars: list[str] = []
    for text in texts:
        if grams:
            grams.append(_GAP)
        for cjk, run in _runs(text):
            if not cjk:
                word = run.lower()
                grams.append(word)
                continue
            chars.extend(run)
            if len(run) == 1:
                grams.append(run)  # a one-character run still ends a phrase correctly
            else:
                grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(grams), " ".join(chars)


def match_expression(query: str) -> str | None:
    """The FTS5 expression finding every case whose texts contain each term of ``query``; None if empty.

    Terms are separated by spaces (or punctuation) and must all match (AND).
    """
    parts: list[str] = []
    for cjk, run in _runs(query):
        if not cjk:
            parts.append(f'grams : "{run.lower()}" *')
        elif len(run) == 1:
            parts.append(f'chars : "{run}"')
        else:
            phrase = " ".join(run[i : i + 2] for i in range(len(run) - 1))
            parts.append(f'grams : "{phrase}"')
    return " AND ".join(parts) or None
