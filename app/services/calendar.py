"""Use cases on the working-day calendar: the effective calendar, importing a year, what moved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.collector import collector_paused
from app.law.calendar import (
    WorkCalendar,
    YearSchedule,
    schedule_from_dict,
    schedule_to_dict,
    shipped_schedules,
)
from app.law.deadlines import compute_deadline
from app.services.ports import UnitOfWork


@dataclass(frozen=True)
class MovedDue:
    number: str
    before: dt.date | None
    after: dt.date | None


@dataclass
class CalendarChange:
    year: int
    local: bool
    version_before: str
    version_after: str
    moved: list[MovedDue] = field(default_factory=list)


def effective_calendar(uow: UnitOfWork) -> WorkCalendar:
    """The shipped national schedules, replaced year by year by stored ones, plus local overlays."""
    national = {s.year: s for s in shipped_schedules()}
    local: dict[int, YearSchedule] = {}
    for data in uow.calendar.list():
        schedule = schedule_from_dict(data)
        (local if schedule.local else national)[schedule.year] = schedule
    return WorkCalendar(national.values(), local.values())


def _dues(
    uow: UnitOfWork, calendar: WorkCalendar, today: dt.date, fee_pauses_clock: bool
) -> dict[str, tuple[str, dt.date | None]]:
    out: dict[str, tuple[str, dt.date | None]] = {}
    with collector_paused():
        for case in uow.cases.iter_open():
            result = compute_deadline(case, calendar, today, fee_pauses_clock=fee_pauses_clock)
            out[case.id] = (case.number, result.reply_due)
    return out


def import_calendar_year(
    uow: UnitOfWork, schedule: YearSchedule, *, today: dt.date, fee_pauses_clock: bool = True
) -> CalendarChange:
    """Add or replace one year (national or local) and recompute every open case (domain.md §3.1).

    Returns the open cases whose reply due date moved. The stored due dates (used for sorting)
    are updated in the same transaction as the calendar.
    """
    before_cal = effective_calendar(uow)
    version_before = (
        before_cal.local_schedule(schedule.year) if schedule.local else before_cal.schedule(schedule.year)
    ) or None
    before = _dues(uow, before_cal, today, fee_pauses_clock)
    uow.calendar.put(schedule_to_dict(schedule))
    after_cal = effective_calendar(uow)
    after = _dues(uow, after_cal, today, fee_pauses_clock)
    moved = [
        MovedDue(number, due_before, after[case_id][1])
        for case_id, (number, due_before) in before.items()
        if after[case_id][1] != due_before
    ]
    moved.sort(key=lambda m: m.number)
    uow.cases.set_due_cache({case_id: due for case_id, (_n, due) in after.items()})
    uow.commit()
    return CalendarChange(
        year=schedule.year,
        local=schedule.local,
        version_before=version_before.version if version_before else "",
        version_after=schedule.version,
        moved=moved,
    )
