"""The calendar editor's use cases: a year as the clerk sees it, local rest days, importing a calendar file."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import InputError
from app.law.calendar import WorkCalendar, YearSchedule, schedule_from_dict
from app.services.calendar import CalendarChange, effective_calendar, import_calendar_year
from app.services.ports import UnitOfWork
from app.services.settings import load_agency

LOCAL_SOURCE = "本机关补充休息日"
# The day kinds of ``WorkCalendar.day_info`` the year view marks (plain weekdays and weekends are not listed).
SPECIAL_KINDS = ("rest", "make_up", "local_rest", "local_make_up", "fixed_rest")


@dataclass(frozen=True)
class SpecialDay:
    """A day that is not what its weekday says: a holiday, a 调休 working day, a local rest day."""

    date: dt.date
    kind: str  # one of SPECIAL_KINDS
    working: bool
    reason: str  # "国庆节放假", "调休上班日", "本地休息日" … ("（暂定）" appended when provisional)


@dataclass(frozen=True)
class CalendarYear:
    """One year of the effective calendar, for display."""

    year: int
    loaded: bool  # the State Council's schedule of the year is loaded
    provisional_from: dt.date | None  # deadlines touching this day or later are provisional (domain.md §3.1)
    national_source: str
    national_version: str
    local_source: str
    local_version: str
    local_rest_days: tuple[dt.date, ...]
    local_make_up_days: tuple[dt.date, ...]
    special_days: tuple[SpecialDay, ...]
    working_days: int


def calendar_years(calendar: WorkCalendar, today: dt.date) -> list[int]:
    """The years worth offering: every loaded one, this year and next year (whose notice comes late)."""
    return sorted({*calendar.national_years, *calendar.local_years, today.year, today.year + 1})


def year_view(calendar: WorkCalendar, year: int) -> CalendarYear:
    """``year`` of ``calendar`` day by day: its special days, its working days, and whether it is provisional."""
    national = calendar.schedule(year)
    local = calendar.local_schedule(year)
    first = dt.date(year, 1, 1)
    special: list[SpecialDay] = []
    working = 0
    provisional_from: dt.date | None = None
    for offset in range((dt.date(year, 12, 31) - first).days + 1):
        info = calendar.day_info(first + dt.timedelta(days=offset))
        working += info.working
        if info.provisional and provisional_from is None:
            provisional_from = info.date
        if info.kind in SPECIAL_KINDS:
            special.append(SpecialDay(info.date, info.kind, info.working, info.reason))
    return CalendarYear(
        year=year,
        loaded=national is not None,
        provisional_from=provisional_from,
        national_source=national.source if national else "",
        national_version=national.version if national else "",
        local_source=local.source if local else "",
        local_version=local.version if local else "",
        local_rest_days=tuple(sorted(local.rest_days)) if local else (),
        local_make_up_days=tuple(sorted(local.make_up_days)) if local else (),
        special_days=tuple(special),
        working_days=working,
    )


def local_schedule(
    calendar: WorkCalendar, year: int, rest_days: set[dt.date] | frozenset[dt.date], *, source: str = ""
) -> YearSchedule:
    """The agency's overlay of ``year`` with ``rest_days`` (interfaces.md §4 ``local: true``).

    放假办法第四条: local rest days (少数民族节日 …) are added per agency. A stored overlay's make-up days
    and source are kept; the version is the fingerprint of the new dates.
    """
    for day in rest_days:
        if day.year != year:
            raise InputError("date_outside_year", field="rest_days", value=day.isoformat(), year=year)
    before = calendar.local_schedule(year)
    return YearSchedule(
        year=year,
        rest_days=frozenset(rest_days),
        make_up_days=before.make_up_days if before else frozenset(),
        source=source.strip() or (before.source if before else "") or LOCAL_SOURCE,
        local=True,
    )


def read_calendar_file(path: Path) -> YearSchedule:
    """A calendar file (interfaces.md §4) read and validated; ``InputError`` names the file and the field."""
    try:
        data = json.loads(path.read_text("utf-8-sig"))
    except FileNotFoundError:
        raise InputError("file_not_found", source=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("bad_encoding", source=path.name) from None
    except json.JSONDecodeError as exc:
        raise InputError("bad_json", source=path.name, line=exc.lineno, detail=exc.msg) from None
    try:
        return schedule_from_dict(data)
    except InputError as exc:
        raise exc.located(source=path.name) from None


def save_calendar_year(uow: UnitOfWork, schedule: YearSchedule, *, today: dt.date) -> CalendarChange:
    """Store ``schedule`` (national or local) and recompute the open cases with the agency's fee rule."""
    agency = load_agency(uow)
    return import_calendar_year(
        uow, schedule, today=today, fee_pauses_clock=agency.fee_pauses_clock if agency else True
    )


def load_calendar(uow: UnitOfWork) -> WorkCalendar:
    """The effective calendar (shipped national years, stored ones, local overlays)."""
    return effective_calendar(uow)
