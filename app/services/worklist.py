"""The clerk's worklist (待办, design.md §6): every open case's deadline, grouped by what needs doing.

Each open case falls in at most one deadline group, decided by its ``DeadlineResult`` (computed with
the effective calendar and the agency's ``fee_pauses_clock``):

* ``awaiting_confirmation`` — 待确认收到: the channel's receipt date is the day of the confirmation with
  the applicant and none is recorded, so no clock runs (条例第三十一条);
* ``awaiting_correction`` — 待补正: a 补正 notice was sent and the corrected application has not come
  back; the row carries the end of the correction period (条例第三十条);
* otherwise the status band, urgency first (domain.md §3.3): ``overdue`` (已逾期), ``due_today``
  (今日到期), ``within_3`` (1–3 working days left), ``within_5`` (4–5 left), ``paused`` (the clock
  is paused today and more than 5 working days are left; the row says until when and why).

A running case with more than five working days left is in no group; it is counted in
``WorkList.running``.

The review group (待审核) lists letters, not cases: every letter record that is neither issued nor
cancelled — a draft waiting for the reviewer's sign-off (including one sent back with comments) or a
reviewed letter waiting to be issued — whatever the state of its case, because an unissued letter is
unfinished work even after the case was replied to.

Two ways to the same worklist. When the case list's index (``app.services.caselist``) is current for
today, each indexed case's band and state are those ``compute_deadline`` gives today, so the open
cases are counted there and only the cases whose band can put them in a group are read (their
timelines, not whole cases) and computed; a running case with more than five working days left is
only counted. Otherwise every open case is read and computed. ``worklist_counts`` gives the counts
alone from the index, in milliseconds, so 待办 can show them before its lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from app.collector import collector_paused
from app.domain.letters import LetterRecord, LetterStatus
from app.domain.model import Case
from app.law.deadlines import Band, DeadlineResult, PauseKind, State, compute_deadline
from app.services.calendar import effective_calendar
from app.services.caselist import case_list_is_current
from app.services.cases import get_case
from app.services.ports import UnitOfWork
from app.services.settings import load_agency


class Group(StrEnum):
    """A worklist group, in the order the clerk sees them."""

    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    WITHIN_3 = "within_3"
    WITHIN_5 = "within_5"
    PAUSED = "paused"
    AWAITING_CORRECTION = "awaiting_correction"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    AWAITING_REVIEW = "awaiting_review"


CASE_GROUPS: tuple[Group, ...] = tuple(g for g in Group if g is not Group.AWAITING_REVIEW)

_BAND_GROUPS: dict[Band, Group] = {
    Band.OVERDUE: Group.OVERDUE,
    Band.DUE_TODAY: Group.DUE_TODAY,
    Band.WITHIN_3: Group.WITHIN_3,
    Band.WITHIN_5: Group.WITHIN_5,
    Band.PAUSED: Group.PAUSED,
}


# The bands whose cases can be in a group: the urgency bands, paused, and waiting (the two waiting
# states). The other open cases (band running) are counted, not listed.
_GROUP_BANDS: tuple[str, ...] = tuple(str(b) for b in (*_BAND_GROUPS, Band.WAITING))
_CHUNK = 2000  # cases read and computed at once on the path over the index
_STATES: dict[str, State] = {str(s): s for s in State}
_BANDS: dict[str, Band] = {str(b): b for b in Band}


class ReviewStage(StrEnum):
    """Where an unissued letter stands."""

    AWAITING_REVIEW = "awaiting_review"  # a draft nobody has reviewed yet
    SENT_BACK = "sent_back"  # a draft whose last review asked for changes
    AWAITING_ISSUE = "awaiting_issue"  # reviewed, not yet issued


@dataclass(frozen=True)
class CaseRow:
    """One open case as the worklist shows it."""

    case_id: str
    number: str
    applicant: str
    first_item: str
    item_count: int
    received: dt.date | None
    arrived: dt.date | None
    channel: str
    reply_due: dt.date | None
    days_left: int | None
    state: State
    band: Band
    provisional: bool
    # Paused today: the last day of the pause (the clock runs again the next working day) and why.
    paused_until: dt.date | None = None
    paused_by: tuple[PauseKind, ...] = ()
    # Awaiting the corrected application: the end of the correction period the notice set.
    correction_period_end: dt.date | None = None


@dataclass(frozen=True)
class ReviewRow:
    """One letter that is not issued yet."""

    letter_id: str
    case_id: str
    number: str
    applicant: str
    letter_kind: str  # app.letters.LetterKind value
    doc_number: str
    status: LetterStatus
    stage: ReviewStage
    created_at: str
    created_by: str
    comment: str = ""  # the reviewer's comment when sent back


@dataclass
class WorkList:
    today: dt.date
    open_cases: int = 0
    running: int = 0  # open cases with more than five working days left and no pause
    cases: dict[Group, list[CaseRow]] = field(default_factory=lambda: {g: [] for g in CASE_GROUPS})
    review: list[ReviewRow] = field(default_factory=list)

    def count(self, group: Group) -> int:
        return len(self.review) if group is Group.AWAITING_REVIEW else len(self.cases[group])


@dataclass(frozen=True)
class WorkCounts:
    """The worklist's counts without its rows (``worklist_counts``); ``count`` as ``WorkList.count``."""

    today: dt.date
    open_cases: int
    running: int
    groups: Mapping[Group, int]

    def count(self, group: Group) -> int:
        return self.groups.get(group, 0)


def _group(state: State, band: Band) -> Group | None:
    if state is State.CONCLUDED:
        return None
    if state is State.AWAITING_CONFIRMATION:
        return Group.AWAITING_CONFIRMATION
    if state is State.AWAITING_CORRECTION:
        return Group.AWAITING_CORRECTION
    return _BAND_GROUPS.get(band)


def group_of(result: DeadlineResult) -> Group | None:
    """The worklist group of an open case's deadline, None when it needs no attention yet."""
    return _group(result.state, result.band)


def _row(case: Case, result: DeadlineResult, first_item: str, item_count: int) -> CaseRow:
    paused_until: dt.date | None = None
    paused_by: tuple[PauseKind, ...] = ()
    if result.state is State.PAUSED:
        active = result.active_pauses
        if active:
            # Overlapping pauses: the clock runs again only after the last one ends.
            paused_until = max(p.end for p in active)
            paused_by = tuple(dict.fromkeys(p.kind for p in active))
    return CaseRow(
        case_id=case.id,
        number=case.number,
        applicant=case.applicant.name,
        first_item=first_item,
        item_count=item_count,
        received=case.received,
        arrived=case.arrived,
        channel=str(case.channel),
        reply_due=result.reply_due,
        days_left=result.days_left,
        state=result.state,
        band=result.band,
        provisional=result.provisional,
        paused_until=paused_until,
        paused_by=paused_by,
        correction_period_end=result.correction_period_end,
    )


def _sort_key(row: CaseRow) -> tuple[dt.date, dt.date, str]:
    far = dt.date.max
    return (row.reply_due or row.correction_period_end or far, row.received or row.arrived or far, row.number)


def _stage(record: LetterRecord) -> ReviewStage:
    if record.status is LetterStatus.REVIEWED:
        return ReviewStage.AWAITING_ISSUE
    if record.reviews and not record.reviews[-1].approved:
        return ReviewStage.SENT_BACK
    return ReviewStage.AWAITING_REVIEW


def _pending_letters(uow: UnitOfWork) -> list[LetterRecord]:
    return [r for r in uow.letters.register() if r.status in (LetterStatus.DRAFT, LetterStatus.REVIEWED)]


def _review_rows(uow: UnitOfWork) -> list[ReviewRow]:
    pending = _pending_letters(uow)
    cases = uow.cases.get_many({r.case_id for r in pending})
    rows: list[ReviewRow] = []
    for r in pending:
        case = cases.get(r.case_id)
        last = r.reviews[-1] if r.reviews else None
        rows.append(
            ReviewRow(
                letter_id=r.id,
                case_id=r.case_id,
                number=case.number if case else "",
                applicant=case.applicant.name if case else "",
                letter_kind=r.kind,
                doc_number=r.doc_number,
                status=r.status,
                stage=_stage(r),
                created_at=r.created_at,
                created_by=r.created_by,
                comment=last.comment if last is not None and not last.approved else "",
            )
        )
    rows.sort(key=lambda row: (row.created_at, row.doc_number))
    return rows


def _fee_pauses_clock(uow: UnitOfWork) -> bool:
    agency = load_agency(uow)
    # domain.md §3.3: whether a fee notice pauses the clock is the agency's setting, pausing by default.
    return agency.fee_pauses_clock if agency is not None else True


def build_worklist(cases: Iterable[Case], uow: UnitOfWork, today: dt.date) -> WorkList:
    """The worklist of the given open cases (``compute_worklist`` reads them from the store)."""
    calendar = effective_calendar(uow)
    fee_pauses_clock = _fee_pauses_clock(uow)
    work = WorkList(today=today)
    for case in cases:
        result = compute_deadline(case, calendar, today, fee_pauses_clock=fee_pauses_clock)
        if result.state is State.CONCLUDED:
            continue
        work.open_cases += 1
        group = group_of(result)
        if group is None:
            work.running += 1
            continue
        first = case.items[0].description if case.items else ""
        work.cases[group].append(_row(case, result, first, len(case.items)))
    for rows in work.cases.values():
        rows.sort(key=_sort_key)
    work.review = _review_rows(uow)
    return work


def _worklist_from_index(uow: UnitOfWork, today: dt.date) -> WorkList:
    """``build_worklist`` of the open cases, with the case list's index current for ``today``.

    The index counts the open cases; the cases in a group-forming band are read with their
    timelines only (``deadline_cases``; the first item and the item count come from the index) and
    computed as ``build_worklist`` computes them, so their rows, and the group each falls in, are the
    same. Should a case's deadline say otherwise than its band in the index, the computed one wins.
    """
    calendar = effective_calendar(uow)
    fee_pauses_clock = _fee_pauses_clock(uow)
    work = WorkList(today=today)
    counts = uow.case_list.open_counts()
    work.open_cases = sum(counts.values())
    work.running = sum(n for (band, _state), n in counts.items() if band not in _GROUP_BANDS)
    light = uow.case_list.in_bands(_GROUP_BANDS)
    for start in range(0, len(light), _CHUNK):
        chunk = light[start : start + _CHUNK]
        cases = uow.case_list.deadline_cases([cid for cid, _, _ in chunk])
        for cid, first, item_count in chunk:
            case = cases.get(cid)
            if case is None:  # indexed, not stored: cannot be while the index is current
                work.open_cases -= 1
                continue
            result = compute_deadline(case, calendar, today, fee_pauses_clock=fee_pauses_clock)
            if result.state is State.CONCLUDED:
                work.open_cases -= 1
                continue
            group = group_of(result)
            if group is None:
                work.running += 1
                continue
            work.cases[group].append(_row(case, result, first, item_count))
    for rows in work.cases.values():
        rows.sort(key=_sort_key)
    work.review = _review_rows(uow)
    return work


def compute_worklist(uow: UnitOfWork, today: dt.date, *, use_index: bool = True) -> WorkList:
    """Every open case grouped by what needs doing as of ``today``, and the letters awaiting review.

    Over the case list's index when it is current for today (``use_index``), else from every open
    case; both give the same worklist.
    """
    with collector_paused():
        if use_index and case_list_is_current(uow, today):
            return _worklist_from_index(uow, today)
        return build_worklist(uow.cases.iter_open(), uow, today)


def worklist_counts(uow: UnitOfWork, today: dt.date) -> WorkCounts | None:
    """The worklist's counts read from the case list's index (milliseconds on 100 000 cases), or
    None when the index is not current for today (``refresh_case_list`` brings it current).

    The counts are those of ``compute_worklist`` in the same state of the store.
    """
    if not case_list_is_current(uow, today):
        return None
    groups: dict[Group, int] = dict.fromkeys(Group, 0)
    open_cases = running = 0
    for (band, state), n in uow.case_list.open_counts().items():
        open_cases += n
        group = _group(_STATES[state], _BANDS[band])
        if group is None:
            running += n
        else:
            groups[group] += n
    groups[Group.AWAITING_REVIEW] = len(_pending_letters(uow))
    return WorkCounts(today=today, open_cases=open_cases, running=running, groups=groups)


def case_deadline(uow: UnitOfWork, number: str, today: dt.date) -> tuple[Case, DeadlineResult]:
    """One case and its deadline (with the trace on demand), computed as the worklist computes it."""
    case = get_case(uow, number)
    fee_pauses_clock = _fee_pauses_clock(uow)
    return case, compute_deadline(case, effective_calendar(uow), today, fee_pauses_clock=fee_pauses_clock)
