"""The store as services see it: repository and unit-of-work protocols (the store and fakes implement them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, Protocol, Self

from app.domain.letters import LetterRecord
from app.domain.listing import CaseSource, Cursor, ListEntry, ListFilter, SortKey, Watermark
from app.domain.model import AttachmentRef, Case
from app.domain.similar import Candidate


class CaseRepository(Protocol):
    def add(self, case: Case) -> None:
        """Store a new case; Conflict("case_exists", field=id|number) if either is taken."""

    def add_many(self, cases: Iterable[Case]) -> int:
        """Store many new cases at once (import); returns how many."""

    def get(self, case_id: str) -> Case | None: ...

    def get_by_number(self, number: str) -> Case | None: ...

    def get_many(self, case_ids: Iterable[str]) -> dict[str, Case]: ...

    def find_existing(self, ids: Iterable[str], numbers: Iterable[str]) -> tuple[set[str], set[str]]:
        """The taken ones among ``ids`` and among ``numbers``."""

    def update(self, case: Case) -> bool:
        """Store changes to a case; returns False when nothing changed."""

    def iter_all(self, *, batch_size: int = ...) -> Iterator[Case]:
        """Every case ordered by number."""

    def iter_open(self, *, batch_size: int = ...) -> Iterator[Case]:
        """Cases with no concluding event, ordered by number."""

    def count(self) -> int: ...

    def next_number(self, year: int) -> str: ...

    def set_due_cache(self, dues: Mapping[str, dt.date | None]) -> None: ...


class SettingsRepository(Protocol):
    def get(self, key: str) -> Any | None: ...

    def put(self, key: str, value: Any) -> None: ...


class CalendarRepository(Protocol):
    """Working-day calendar years as their file objects (interfaces.md §4), kept with the settings."""

    def list(self) -> list[dict[str, Any]]: ...

    def put(self, data: dict[str, Any]) -> None: ...


class AttachmentRepository(Protocol):
    def put(self, data: bytes, *, case_id: str, name: str, mime: str, kind: str) -> str: ...

    def get(self, sha256: str) -> bytes: ...

    def list_for_case(self, case_id: str) -> list[AttachmentRef]: ...


class LetterRepository(Protocol):
    def take_number(self, counter: str) -> int:
        """The next number of a 文号 counter (never one given out before)."""
        ...

    def add(self, record: LetterRecord) -> None: ...

    def update(self, record: LetterRecord, *, action: str) -> LetterRecord: ...

    def get(self, letter_id: str) -> LetterRecord | None: ...

    def get_by_doc_number(self, doc_number: str) -> LetterRecord | None: ...

    def for_case(self, case_id: str) -> list[LetterRecord]: ...

    def register(self, counter_prefix: str = "") -> list[LetterRecord]: ...


class CaseListRepository(Protocol):
    """The case list's derived index (light rows and Chinese search tokens) and how far it is up to date."""

    def watermark(self) -> Watermark: ...

    def set_watermark(self, mark: Watermark) -> None: ...

    def audit_head(self) -> int: ...

    def changed_since(self, audit_seq: int) -> tuple[set[str], bool]:
        """Cases added or changed after the audit entry ``audit_seq``, and whether a setting changed."""

    def open_case_ids(self, *, computed_before: dt.date | None = ...) -> list[str]: ...

    def all_case_ids(self) -> list[str]: ...

    def sources(self, case_ids: Sequence[str]) -> list[CaseSource]:
        """What the index needs of each case, read without rebuilding the cases."""

    def deadline_cases(self, case_ids: Sequence[str]) -> dict[str, Case]:
        """The cases with only their channel, dates and timeline: for ``compute_deadline`` alone."""

    def rebuilding(self) -> AbstractContextManager[None]:
        """Emptied, then filled with ``put(..., fresh=True)`` of every case within."""

    def put(
        self, entries: Sequence[tuple[ListEntry, str, str]], computed_on: dt.date, *, fresh: bool = ...
    ) -> None:
        """Entries with their ``grams`` and ``chars`` search documents."""

    def optimize_search(self) -> None: ...

    def set_deadlines(
        self, rows: Sequence[tuple[str, dt.date | None, int | None, str, str]], computed_on: dt.date
    ) -> None: ...

    def choices(self) -> tuple[list[int], list[str], list[str]]:
        """The years, the tags and the clerks found among the indexed cases."""

    def count(self, where: ListFilter) -> int: ...

    def page(
        self,
        where: ListFilter,
        sort: SortKey,
        *,
        descending: bool = ...,
        after: Cursor | None = ...,
        limit: int = ...,
        dense: bool = ...,
    ) -> tuple[list[ListEntry], Cursor | None]: ...

    # The worklist (待办) over the index, when it is current for today.

    def open_counts(self) -> dict[tuple[str, str], int]:
        """(band, state) → how many indexed cases are not concluded."""

    def in_bands(self, bands: Sequence[str]) -> list[tuple[str, str, int]]:
        """(case_id, first_item, item_count) of the indexed cases in these bands."""


class SimilarCasesRepository(Protocol):
    """Look-ups for the registration's duplicate/repeat warning (case ids; the caller loads the cases)."""

    def by_text(self, match: str, *, limit: int) -> list[str]:
        """Cases matching an FTS5 expression on the case list's search index, best ranked first."""

    def token_counts(self, tokens: Iterable[str]) -> dict[str, int]:
        """How many indexed cases have each search token."""

    def by_applicant(
        self, *, id_number: str | None, name: str | None, limit: int, name_indexed: bool = ...
    ) -> list[str]:
        """Cases of the applicant with this identity number (white space and case ignored) or this
        name, latest first; the name from the case list's index (as of its last refresh) unless
        ``name_indexed`` is False."""

    def candidates(self, case_ids: Iterable[str]) -> list[Candidate]:
        """The applicant and item descriptions of each case (a light row, not the case)."""


class UnitOfWork(Protocol):
    """One use case's transaction: nothing is kept unless ``commit`` is called before leaving."""

    # Read-only members, so an implementation may narrow them to its own repository classes.
    @property
    def cases(self) -> CaseRepository: ...

    @property
    def settings(self) -> SettingsRepository: ...

    @property
    def calendar(self) -> CalendarRepository: ...

    @property
    def attachments(self) -> AttachmentRepository: ...

    @property
    def letters(self) -> LetterRepository: ...

    @property
    def case_list(self) -> CaseListRepository: ...

    @property
    def similar(self) -> SimilarCasesRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


# --------------------------------------------------------------------------- sync client (app.services.sync)


class SyncConflictRecord(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def base(self) -> Any: ...
    @property
    def mine(self) -> Any: ...
    @property
    def theirs(self) -> Any: ...
    @property
    def created_at(self) -> str: ...


class OutboxBatchLike(Protocol):
    @property
    def ops(self) -> Sequence[Any]: ...
    @property
    def rows(self) -> Mapping[int, Sequence[str]]: ...
    @property
    def last_seq(self) -> int: ...


class SyncRepository(Protocol):
    """The client's sync state: local-only values, the outbox as push ops, pulled pages, conflicts."""

    @property
    def device_id(self) -> str: ...

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str) -> None: ...

    def cursor(self) -> int: ...

    def outbox_batch(self, after_seq: int) -> OutboxBatchLike: ...

    def acknowledge(self, seqs: Iterable[int]) -> None: ...

    def record_conflict(self, c: Mapping[str, Any], *, resolved_at: str | None = None) -> bool: ...

    def conflicts(self, *, open_only: bool = ...) -> Sequence[SyncConflictRecord]: ...

    def resolve(self, conflict_id: str, value: Any) -> None: ...

    def apply(self, entries: Sequence[Any]) -> tuple[int, int]:
        """Apply one pulled page without writing the outbox; (rows changed, new conflicts)."""


class SyncUnitOfWork(UnitOfWork, Protocol):
    @property
    def sync(self) -> SyncRepository: ...


class TokenStore(Protocol):
    """Where the sync token is kept (the OS keyring); never the password."""

    def load(self, account: str) -> str | None: ...

    def save(self, account: str, token: str) -> None: ...

    def delete(self, account: str) -> None: ...
