"""The case list (案件, design.md §6): filters, sort, Chinese full-text search, counted and paged.

The list reads a derived index (``uow.case_list``: one light row per case and its search tokens,
see ``app.domain.listing``) instead of the cases, so a page of 100 000 cases costs a few
milliseconds. The index is not maintained by the write paths — the bulk import stays as fast as it
was — but brought up to date by ``refresh_case_list`` from what the audit trail says changed since
it last ran, and once a day (a band such as 今日到期 moves with the date) or when the calendar or
the agency's fee setting changes (due dates move). The first search after a bulk import of
100 000 cases therefore pays once, off the GUI thread; later ones re-index only what changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from app.collector import collector_paused
from app.domain.listing import (
    CaseSource,
    Cursor,
    ListEntry,
    ListFilter,
    SortKey,
    Watermark,
    match_expression,
    search_tokens,
)
from app.domain.model import Case
from app.law.calendar import WorkCalendar, shipped_schedules
from app.law.deadlines import Band, DeadlineResult, State, compute_deadline
from app.services.calendar import effective_calendar
from app.services.ports import UnitOfWork
from app.services.settings import load_agency

PAGE_SIZE = 200
_BATCH = 1000
_OPTIMIZE_AFTER = 5000  # cases re-indexed at once (an import) before the search index is compacted

# The 状态 filter: each choice and the deadline bands it covers.
STATUS_BANDS: dict[str, tuple[Band, ...]] = {
    "open": tuple(b for b in Band if b is not Band.CONCLUDED),
    "overdue": (Band.OVERDUE,),
    "due_today": (Band.DUE_TODAY,),
    "within_3": (Band.WITHIN_3,),
    "within_5": (Band.WITHIN_5,),
    "running": (Band.RUNNING,),
    "paused": (Band.PAUSED,),
    "waiting": (Band.WAITING,),
    "concluded": (Band.CONCLUDED,),
}


@dataclass(frozen=True)
class CaseQuery:
    """What the clerk asked the list for."""

    text: str = ""
    status: str | None = None  # a key of STATUS_BANDS
    channel: str | None = None
    applicant_kind: str | None = None
    year: int | None = None
    tag: str | None = None
    finding: str | None = None
    clerk: str | None = None  # 经办人; "" for the cases without one
    sort: SortKey = SortKey.NUMBER
    descending: bool = True


@dataclass(frozen=True, slots=True)  # 100 000 of them once the list is scrolled to its end
class ListRow:
    """One case as the list shows it (band and days left as of the day the index was refreshed)."""

    number: str
    applicant: str
    first_item: str
    item_count: int
    received: dt.date | None
    due: dt.date | None
    days_left: int | None
    state: State
    band: Band
    clerk: str = ""


@dataclass(frozen=True)
class CasePage:
    """A page of rows; ``total`` counts every matching case (None on the pages after the first)."""

    rows: list[ListRow]
    cursor: Cursor | None  # where the next page starts; None when this page is the last
    total: int | None = None


@dataclass(frozen=True)
class ListChoices:
    """The values the year, tag and clerk filters can take."""

    years: list[int]
    tags: list[str]
    clerks: list[str] = field(default_factory=list)


def _chunks(values: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(values)
    while chunk := list(islice(it, size)):
        yield chunk


def _stamp(uow: UnitOfWork, fee_pauses_clock: bool) -> str:
    """Changes whenever the due dates may: a calendar year stored or shipped, the fee setting."""
    data = {
        "shipped": sorted((s.year, s.version) for s in shipped_schedules()),
        "stored": uow.calendar.list(),
        "fee_pauses_clock": fee_pauses_clock,
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _fee_pauses_clock(uow: UnitOfWork) -> bool:
    agency = load_agency(uow)
    # domain.md §3.3: whether a fee notice pauses the clock is the agency's setting, pausing by default.
    return agency.fee_pauses_clock if agency is not None else True


def _due(result: DeadlineResult) -> dt.date | None:
    # A concluded case has no deadline left: it sorts after every open one by 答复期限.
    return None if result.state is State.CONCLUDED else result.reply_due


def case_entry(case: Case, calendar: WorkCalendar, today: dt.date, fee_pauses_clock: bool) -> ListEntry:
    result = compute_deadline(case, calendar, today, fee_pauses_clock=fee_pauses_clock)
    received = case.received or case.arrived
    return ListEntry(
        case_id=case.id,
        number=case.number,
        applicant=case.applicant.name,
        applicant_kind=str(case.applicant.kind),
        channel=str(case.channel),
        first_item=case.items[0].description if case.items else "",
        item_count=len(case.items),
        received=received,
        year=received.year if received is not None else None,
        tags=tuple(case.tags),
        findings=tuple(dict.fromkeys(str(i.finding) for i in case.items if i.finding is not None)),
        due=_due(result),
        days_left=result.days_left,
        state=str(result.state),
        band=str(result.band),
        clerk=case.clerk or "",
    )


def case_search_texts(case: Case) -> list[str]:
    """What the search box finds a case by: the applicant's name, the items' descriptions, the number."""
    return [case.applicant.name, *(i.description for i in case.items), case.number]


_CONCLUDED = (None, None, str(State.CONCLUDED), str(Band.CONCLUDED))


def index_entries(
    uow: UnitOfWork, case_ids: list[str], calendar: WorkCalendar, today: dt.date, fee_pauses_clock: bool
) -> list[tuple[ListEntry, str, str]]:
    """The list entries and search documents of these cases: what ``case_entry`` and
    ``case_search_texts`` give, without building the concluded cases at all.

    The light fields and texts are read in plain SQL (``CaseSource``); only an open case's timeline
    is read, because its deadline needs it (``deadline_cases``: no items, notes or particulars). A concluded case has no deadline left
    (``compute_deadline`` says 已办结 whatever the calendar), and most cases are concluded.
    """
    sources = uow.case_list.sources(case_ids)
    open_ids = [s.case_id for s in sources if not s.concluded]
    cases = uow.case_list.deadline_cases(open_ids) if open_ids else {}
    out: list[tuple[ListEntry, str, str]] = []
    for s in sources:
        if s.concluded:
            due, left, state, band = _CONCLUDED
        else:
            r = compute_deadline(cases[s.case_id], calendar, today, fee_pauses_clock=fee_pauses_clock)
            due, left, state, band = _due(r), r.days_left, str(r.state), str(r.band)
        out.append((_source_entry(s, due, left, state, band), *search_tokens(_source_texts(s))))
    return out


def _source_entry(
    s: CaseSource, due: dt.date | None, days_left: int | None, state: str, band: str
) -> ListEntry:
    received = s.received or s.arrived
    items = s.items
    return ListEntry(
        case_id=s.case_id,
        number=s.number,
        applicant=s.applicant,
        applicant_kind=s.applicant_kind,
        channel=s.channel,
        first_item=items[0][0] if items else "",
        item_count=len(items),
        received=received,
        year=received.year if received is not None else None,
        tags=s.tags,
        findings=tuple(dict.fromkeys(f for _, f in items if f is not None)),
        due=due,
        days_left=days_left,
        state=state,
        band=band,
        clerk=s.clerk or "",
    )


def _source_texts(s: CaseSource) -> list[str]:
    # case_search_texts of the case: keep the two in step.
    return [s.applicant, *(d for d, _ in s.items), s.number]


def case_list_is_current(uow: UnitOfWork, today: dt.date) -> bool:
    """Whether the index already reflects every change and today's bands (cheap: a few look-ups)."""
    mark = uow.case_list.watermark()
    return bool(mark.stamp) and mark.day == today.isoformat() and mark.audit_seq == uow.case_list.audit_head()


def refresh_case_list(uow: UnitOfWork, today: dt.date) -> int:
    """Bring the list index up to date and commit; returns how many cases were (re)computed.

    Run it in a writable unit of work: it holds the write lock, so nothing changes between reading
    the audit trail and recording how far it got.
    """
    mark = uow.case_list.watermark()
    head = uow.case_list.audit_head()
    day = today.isoformat()
    if mark.stamp and mark.day == day and mark.audit_seq == head:
        return 0
    with collector_paused():
        changed, settings_changed = uow.case_list.changed_since(mark.audit_seq)
        fee = _fee_pauses_clock(uow)
        stamp = _stamp(uow, fee) if settings_changed or not mark.stamp else mark.stamp
        if stamp != mark.stamp:
            recompute = set(uow.case_list.open_case_ids())
        elif mark.day != day:
            recompute = set(uow.case_list.open_case_ids(computed_before=today))
        else:
            recompute = set()
        recompute -= changed
        calendar = effective_calendar(uow)
        if mark.audit_seq == 0:  # never indexed (or the index was reset): build it from nothing
            with uow.case_list.rebuilding():
                for chunk in _chunks(uow.case_list.all_case_ids(), _BATCH):
                    uow.case_list.put(index_entries(uow, chunk, calendar, today, fee), today, fresh=True)
        else:
            for chunk in _chunks(sorted(changed), _BATCH):
                uow.case_list.put(index_entries(uow, chunk, calendar, today, fee), today)
        for chunk in _chunks(sorted(recompute), _BATCH):
            rows: list[tuple[str, dt.date | None, int | None, str, str]] = []
            for case in uow.case_list.deadline_cases(chunk).values():
                r = compute_deadline(case, calendar, today, fee_pauses_clock=fee)
                rows.append((case.id, _due(r), r.days_left, str(r.state), str(r.band)))
            uow.case_list.set_deadlines(rows, today)
        if len(changed) > _OPTIMIZE_AFTER:
            uow.case_list.optimize_search()
        uow.case_list.set_watermark(Watermark(head, day, stamp))
        uow.commit()
    return len(changed) + len(recompute)


def _filter(query: CaseQuery) -> ListFilter:
    return ListFilter(
        bands=tuple(str(b) for b in STATUS_BANDS[query.status]) if query.status else (),
        channel=query.channel,
        applicant_kind=query.applicant_kind,
        year=query.year,
        tag=query.tag,
        finding=query.finding,
        clerk=query.clerk,
        match=match_expression(query.text),
    )


# Code → member by look-up: calling an enum class costs a microsecond, and every row of every page does.
_STATES: dict[str, State] = {str(s): s for s in State}
_BANDS: dict[str, Band] = {str(b): b for b in Band}


def _row(e: ListEntry) -> ListRow:
    return ListRow(
        number=e.number,
        applicant=e.applicant,
        first_item=e.first_item,
        item_count=e.item_count,
        received=e.received,
        due=e.due,
        days_left=e.days_left,
        state=_STATES[e.state],
        band=_BANDS[e.band],
        clerk=e.clerk,
    )


# Above this many matches a search reads the list in its order and keeps the matches, rather than
# reading every match and sorting them (measured on 100 000 cases: 征收, 29 000 matches, 175 ms → a
# few ms; a rare name stays fast the other way).
_DENSE = 2000


def list_cases(uow: UnitOfWork, query: CaseQuery, *, limit: int = PAGE_SIZE) -> CasePage:
    """The first page of the cases matching ``query`` in its order, with the number of all of them.

    Reads the index as it is: call ``refresh_case_list`` first when ``case_list_is_current`` says no.
    """
    where = _filter(query)
    total = uow.case_list.count(where)
    entries, cursor = uow.case_list.page(
        where, query.sort, descending=query.descending, limit=limit, dense=total > _DENSE
    )
    return CasePage([_row(e) for e in entries], cursor if len(entries) == limit else None, total)


def more_cases(
    uow: UnitOfWork, query: CaseQuery, after: Cursor | None, *, total: int, limit: int = PAGE_SIZE
) -> CasePage:
    """The page after ``after`` (None: the first page again; no count: ``total`` is the first page's)."""
    entries, cursor = uow.case_list.page(
        _filter(query),
        query.sort,
        descending=query.descending,
        after=after,
        limit=limit,
        dense=total > _DENSE,
    )
    return CasePage([_row(e) for e in entries], cursor if len(entries) == limit else None)


def list_choices(uow: UnitOfWork) -> ListChoices:
    years, tags, clerks = uow.case_list.choices()
    return ListChoices(years, tags, clerks)


# A refresh re-indexes each case changed since the last one (its texts and deadline, ~0.15 ms each)
# and re-bands the open cases on a new day (23 000 in 1.8 s); computing the worklist from every
# open case instead takes ~4 s on 100 000 cases, building the index from nothing ~13 s.
QUICK_REFRESH_CHANGES = 2000


def case_list_refresh_is_quick(uow: UnitOfWork, *, limit: int = QUICK_REFRESH_CHANGES) -> bool:
    """Whether ``refresh_case_list`` would be quick: at most ``limit`` cases changed since the index
    was last brought up to date, or it was never built and there are at most ``limit`` cases (a new
    day's re-banding of the open cases is counted quick)."""
    mark = uow.case_list.watermark()
    if not mark.stamp or mark.audit_seq == 0:
        return uow.cases.count() <= limit
    changed, _settings_changed = uow.case_list.changed_since(mark.audit_seq)
    return len(changed) <= limit
