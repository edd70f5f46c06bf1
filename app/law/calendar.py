"""The working-day calendar (工作日): national schedules, local overlays and a working-day index.

A working day is Monday to Friday unless the State Council's annual notice
(《国务院办公厅关于YYYY年部分节假日安排的通知》) makes it a rest day, plus any Saturday or Sunday the
notice makes a make-up working day (调休上班). The schedule is data published once a year, so a
``WorkCalendar`` is built from ``YearSchedule`` values (the shipped ones from ``app.law.schedules``,
others imported by an administrator) and answers every question arithmetically: it keeps a
cumulative working-day count per day over a range of years, so "the Nth working day after D" and
"working days in (A, B]" are index look-ups, not loops over days.

Pure: no I/O. Reading a calendar file is the caller's job; ``schedule_from_dict`` validates the
parsed object (interfaces.md §4).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

from app.domain.errors import InputError

CALENDAR_FORMAT = "yishen-calendar/1"

# domain.md §3.1 Decision: a year with no loaded national schedule is computed with weekends plus the
# fixed-date statutory holidays of 《全国年节及纪念日放假办法》(2024 revision) Art 2: 元旦 1 Jan,
# 劳动节 1–2 May, 国庆节 1–3 Oct (the lunar holidays cannot be guessed), and is provisional.
FIXED_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "元旦"),
    (5, 1, "劳动节"),
    (5, 2, "劳动节"),
    (10, 1, "国庆节"),
    (10, 2, "国庆节"),
    (10, 3, "国庆节"),
)

# domain.md §3.1 Decision: a notice can move late-December days of the year before (the 2019 notice
# made 2018-12-29 a working day), so 25–31 December is provisional while the next year is not loaded,
# and a notice for year Y may list days from 25 December of Y-1 on.
LATE_DECEMBER_FROM = 25

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

UNLOADED_VERSION = "unloaded"

DayKind = Literal["weekday", "weekend", "rest", "make_up", "local_rest", "local_make_up", "fixed_rest"]

# The index covers at least these years and grows on demand (a rebuild of the lists).
_INDEX_FIRST_YEAR = 2000
_INDEX_LAST_YEAR = 2100
_INDEX_GROWTH_YEARS = 20


def weekday_name(day: dt.date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def schedule_fingerprint(
    year: int, rest_days: Iterable[dt.date], make_up_days: Iterable[dt.date], *, local: bool
) -> str:
    """The default version of a schedule: the year and a digest of its dates.

    The same dates always give the same version (an identical re-import changes nothing); any moved
    date gives another one, which is what a due date records (domain.md §3.3).
    """
    text = "|".join(
        (
            str(year),
            "local" if local else "national",
            ",".join(sorted(d.isoformat() for d in rest_days)),
            ",".join(sorted(d.isoformat() for d in make_up_days)),
        )
    )
    return f"{year}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class YearSchedule:
    """One year of a national notice, or an agency's local overlay (``local``: extra local rest days).

    ``rest_days`` are the official rest days (weekend days inside a holiday period may be listed too);
    ``make_up_days`` are the Saturdays and Sundays worked instead (调休上班). ``names`` gives the
    holiday a listed date belongs to, when known (files need not carry it).
    """

    year: int
    rest_days: frozenset[dt.date]
    make_up_days: frozenset[dt.date] = frozenset()
    source: str = ""
    version: str = ""
    local: bool = False
    names: Mapping[dt.date, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.version:
            object.__setattr__(
                self,
                "version",
                schedule_fingerprint(self.year, self.rest_days, self.make_up_days, local=self.local),
            )


# --------------------------------------------------------------------------- calendar file


def _parse_date_list(obj: Mapping[str, Any], key: str, year: int) -> list[dt.date]:
    if key not in obj or obj[key] is None:
        raise InputError("required", field=key)
    raw = obj[key]
    if not isinstance(raw, list):
        raise InputError("not_a_list", field=key)
    out: list[dt.date] = []
    seen: set[dt.date] = set()
    first = dt.date(year - 1, 12, LATE_DECEMBER_FROM)
    last = dt.date(year, 12, 31)
    for i, value in enumerate(raw):
        where = f"{key}.{i}"
        if not isinstance(value, str):
            raise InputError("bad_date", field=where, value=value)
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise InputError("bad_date", field=where, value=value) from None
        if len(value) != 10:  # fromisoformat also takes "20260101" and the like
            raise InputError("bad_date", field=where, value=value)
        if not first <= day <= last:
            raise InputError("date_outside_year", field=where, value=value, year=year)
        if day in seen:
            raise InputError("duplicate_date", field=where, value=value)
        seen.add(day)
        out.append(day)
    return out


def schedule_from_dict(obj: Any) -> YearSchedule:
    """A validated ``YearSchedule`` from a parsed calendar file (interfaces.md §4).

    Accepts the documented keys plus the optional ``version`` (kept when given) and ``names``
    (``{"2026-10-01": "国庆节"}``). Raises ``InputError`` with the offending ``field``.
    """
    if not isinstance(obj, Mapping):
        raise InputError("not_an_object", field="")
    if obj.get("format") != CALENDAR_FORMAT:
        raise InputError("bad_format", field="format", expected=CALENDAR_FORMAT, value=obj.get("format"))
    year = obj.get("year")
    if year is None:
        raise InputError("required", field="year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1950 <= year <= 2200:
        raise InputError("bad_year", field="year", value=year)
    source = obj.get("source")
    if source is None or (isinstance(source, str) and not source.strip()):
        raise InputError("required", field="source")
    if not isinstance(source, str):
        raise InputError("not_text", field="source")
    if len(source) > 500:
        raise InputError("too_long", field="source", max_len=500)
    local = obj.get("local", False)
    if not isinstance(local, bool):
        raise InputError("not_a_bool", field="local", value=local)
    rest = _parse_date_list(obj, "rest_days", year)
    make_up = _parse_date_list(obj, "make_up_working_days", year)
    rest_set = frozenset(rest)
    for i, day in enumerate(make_up):
        where = f"make_up_working_days.{i}"
        # 调休上班 turns a Saturday or Sunday into a working day; a weekday is one already.
        if day.weekday() < 5:
            raise InputError("make_up_not_weekend", field=where, value=day.isoformat())
        if day in rest_set:
            raise InputError("rest_and_make_up_overlap", field=where, value=day.isoformat())
    names: dict[dt.date, str] = {}
    raw_names = obj.get("names")
    if raw_names is not None:
        if not isinstance(raw_names, Mapping):
            raise InputError("not_an_object", field="names")
        listed = rest_set | frozenset(make_up)
        for key, name in raw_names.items():
            where = f"names.{key}"
            named: dt.date | None
            try:
                named = dt.date.fromisoformat(key) if isinstance(key, str) else None
            except ValueError:
                named = None
            if named is None or named not in listed:
                raise InputError("bad_date", field=where, value=key)
            if not isinstance(name, str) or not name.strip() or len(name) > 50:
                raise InputError("not_text", field=where, value=name)
            names[named] = name
    version = obj.get("version")
    if version is not None and (not isinstance(version, str) or not version.strip() or len(version) > 100):
        raise InputError("not_text", field="version", value=version)
    return YearSchedule(
        year=year,
        rest_days=rest_set,
        make_up_days=frozenset(make_up),
        source=source,
        version=version or "",
        local=local,
        names=names,
    )


def schedule_to_dict(schedule: YearSchedule) -> dict[str, Any]:
    """The schedule as a calendar file object: the documented keys in order, then version and names."""
    out: dict[str, Any] = {
        "format": CALENDAR_FORMAT,
        "year": schedule.year,
        "source": schedule.source,
        "rest_days": [d.isoformat() for d in sorted(schedule.rest_days)],
        "make_up_working_days": [d.isoformat() for d in sorted(schedule.make_up_days)],
        "local": schedule.local,
        "version": schedule.version,
    }
    if schedule.names:
        out["names"] = {d.isoformat(): schedule.names[d] for d in sorted(schedule.names)}
    return out


# --------------------------------------------------------------------------- the calendar


@dataclass(frozen=True, slots=True)
class DayInfo:
    """Why a day is or is not a working day, in words a clerk reads (``reason``)."""

    date: dt.date
    working: bool
    kind: DayKind
    name: str
    reason: str
    source: str
    provisional: bool


@dataclass(frozen=True, slots=True)
class WorkingDayIndex:
    """Working-day counts over [first, last] as ordinals (``date.toordinal()``).

    ``cum[i]`` is the number of working days in [first, first + i]; ``days[k]`` the ordinal of the
    (k+1)-th working day from ``first`` on. So, for ordinals inside the range:
    working days in (a, b] = ``cum[b - first] - cum[a - first]``, and the Nth working day after a
    = ``days[cum[a - first] + n - 1]``. Read it through ``WorkCalendar.index_covering`` (which
    guarantees the range) in code where even a method call per period counts.
    """

    first: int
    last: int
    cum: list[int]
    days: list[int]


class WorkCalendar:
    """Working days from national schedules plus optional local overlays, kept apart.

    Every query is O(1) or O(log n) on a lazily grown index; the calendar never raises for a year
    without a schedule (domain.md §3.1 Decision), it reports such results as provisional.
    """

    def __init__(self, national: Iterable[YearSchedule] = (), local: Iterable[YearSchedule] = ()) -> None:
        self._national: dict[int, YearSchedule] = {}
        self._local: dict[int, YearSchedule] = {}
        for s in national:
            if s.local:
                raise ValueError(f"local overlay {s.year} passed as a national schedule")
            self._national[s.year] = s
        for s in local:
            if not s.local:
                raise ValueError(f"national schedule {s.year} passed as a local overlay")
            self._local[s.year] = s
        # Listed dates of all schedules: a notice may list days of the previous December.
        self._rest: dict[int, tuple[str, str]] = {}
        self._make_up: dict[int, tuple[str, str]] = {}
        for s in sorted(self._national.values(), key=lambda s: s.year):
            for d in s.rest_days:
                self._rest[d.toordinal()] = (s.names.get(d, ""), s.source)
            for d in s.make_up_days:
                self._make_up[d.toordinal()] = (s.names.get(d, ""), s.source)
        self._local_rest: dict[int, tuple[str, str]] = {}
        self._local_make_up: dict[int, tuple[str, str]] = {}
        for s in self._local.values():
            for d in s.rest_days:
                self._local_rest[d.toordinal()] = (s.names.get(d, ""), s.source)
            for d in s.make_up_days:
                self._local_make_up[d.toordinal()] = (s.names.get(d, ""), s.source)
        self._loaded = frozenset(self._national)
        self._prov_starts, self._prov_ends = self._provisional_intervals()
        self._versions: dict[tuple[int, int], Mapping[str, str]] = {}
        years = [*self._national, *self._local]
        self._index = self._build(
            min([_INDEX_FIRST_YEAR, *(y - 1 for y in years)]),
            max([_INDEX_LAST_YEAR, *(y + 1 for y in years)]),
        )

    # ----------------------------------------------------------------- schedules

    @property
    def national_years(self) -> tuple[int, ...]:
        return tuple(sorted(self._national))

    @property
    def local_years(self) -> tuple[int, ...]:
        return tuple(sorted(self._local))

    def schedule(self, year: int) -> YearSchedule | None:
        return self._national.get(year)

    def local_schedule(self, year: int) -> YearSchedule | None:
        return self._local.get(year)

    def schedules(self) -> tuple[YearSchedule, ...]:
        """Every schedule, national ones first, each group by year."""
        return (
            *(self._national[y] for y in sorted(self._national)),
            *(self._local[y] for y in sorted(self._local)),
        )

    def is_loaded(self, year: int) -> bool:
        """Whether the national schedule of ``year`` is loaded (local overlays do not count)."""
        return year in self._loaded

    def with_schedule(self, schedule: YearSchedule) -> WorkCalendar:
        """A new calendar where ``schedule`` replaces the year (national or local as it says)."""
        national = dict(self._national)
        local = dict(self._local)
        (local if schedule.local else national)[schedule.year] = schedule
        return WorkCalendar(national.values(), local.values())

    def without_year(self, year: int, *, local: bool = False) -> WorkCalendar:
        national = dict(self._national)
        overlays = dict(self._local)
        (overlays if local else national).pop(year, None)
        return WorkCalendar(national.values(), overlays.values())

    def version_of(self, year: int) -> str:
        """The version of the schedule used for ``year``: the national one, ``+local:`` the overlay's.

        ``"unloaded"`` when no national schedule is loaded (the fallback rule applies).
        """
        national = self._national.get(year)
        version = national.version if national is not None else UNLOADED_VERSION
        overlay = self._local.get(year)
        if overlay is not None:
            version = f"{version}+local:{overlay.version}"
        return version

    def versions_between(self, first: dt.date, last: dt.date) -> Mapping[str, str]:
        """``{"2026": version, …}`` for every year from ``first`` to ``last`` (interfaces.md §3.1).

        Read-only and shared between calls (a calendar never changes; a new one is built instead).
        """
        key = (first.year, last.year)
        versions = self._versions.get(key)
        if versions is None:
            versions = MappingProxyType({str(y): self.version_of(y) for y in range(key[0], key[1] + 1)})
            self._versions[key] = versions
        return versions

    # ----------------------------------------------------------------- single days

    def is_working_day(self, day: dt.date) -> bool:
        o = day.toordinal()
        ix = self._index
        if not ix.first <= o <= ix.last:
            ix = self._cover(o)
        i = o - ix.first
        return ix.cum[i] != (ix.cum[i - 1] if i else 0)

    def is_provisional_day(self, day: dt.date) -> bool:
        """No loaded schedule for its year, or late December before the next year is loaded."""
        if day.year not in self._loaded:
            return True
        return day.month == 12 and day.day >= LATE_DECEMBER_FROM and day.year + 1 not in self._loaded

    def day_info(self, day: dt.date) -> DayInfo:
        o = day.toordinal()
        provisional = self.is_provisional_day(day)
        kind: DayKind
        name = source = ""
        if o in self._local_rest:
            kind, (name, source), working = "local_rest", self._local_rest[o], False
            reason = f"{name}放假（本地）" if name else "本地休息日"
        elif o in self._local_make_up:
            kind, (name, source), working = "local_make_up", self._local_make_up[o], True
            reason = "本地调休上班日"
        elif o in self._rest:
            kind, (name, source), working = "rest", self._rest[o], False
            reason = f"{name}放假" if name else "法定节假日放假"
        elif o in self._make_up:
            kind, (name, source), working = "make_up", self._make_up[o], True
            reason = "调休上班日"
        elif day.year not in self._loaded and (
            fixed := [n for m, d, n in FIXED_HOLIDAYS if m == day.month and d == day.day]
        ):
            kind, name, working = "fixed_rest", fixed[0], False
            reason = f"{name}放假"
            source = "《全国年节及纪念日放假办法》第二条"
        elif day.weekday() >= 5:
            kind, working, reason = "weekend", False, weekday_name(day)
        else:
            kind, working, reason = "weekday", True, "工作日"
        if provisional:
            reason += "（暂定）"
        return DayInfo(day, working, kind, name, reason, source, provisional)

    def describe_day(self, day: dt.date) -> str:
        """The Chinese reason a day is or is not a working day: "国庆节放假", "调休上班日", "周六"…"""
        return self.day_info(day).reason

    # ----------------------------------------------------------------- periods

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The day on which the Nth working day after ``start`` falls (day 0 not counted).

        domain.md §3.2: counting starts the day after ``start``; the result is always a working day
        for n ≥ 1. ``n = 0`` gives ``start``; a negative ``n`` counts backwards (the |n|-th working day
        before ``start``).
        """
        return dt.date.fromordinal(self.add_working_days_ord(start.toordinal(), n))

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """The number of working days in (a, b]; minus the count in (b, a] when b < a."""
        return self.working_days_between_ord(a.toordinal(), b.toordinal())

    def add_working_days_ord(self, start: int, n: int) -> int:
        """``add_working_days`` on ordinals (``date.toordinal()``), for tight loops."""
        ix = self._index
        i = start - ix.first
        if n > 0 and i >= 0 and start <= ix.last:
            k = ix.cum[i] + n
            if k <= len(ix.days):
                return ix.days[k - 1]
        return self._add_slow(start, n)

    def _add_slow(self, start: int, n: int) -> int:
        ix = self._cover(start)
        if n == 0:
            return start
        while True:
            i = start - ix.first
            if n > 0:
                k = ix.cum[i] + n
                if k <= len(ix.days):
                    return ix.days[k - 1]
                ix = self._cover(ix.last + 1)
            else:
                k = (ix.cum[i - 1] if i else 0) + n + 1
                if k >= 1:
                    return ix.days[k - 1]
                ix = self._cover(ix.first - 1)

    def index_covering(self, lo: int, hi: int) -> WorkingDayIndex:
        """The index, grown if needed so that it covers ordinals [lo, hi + 1000] (a margin of about
        690 working days after ``hi``, so any period of a few dozen working days after a covered
        day stays inside it)."""
        ix = self._index
        if ix.first <= lo and hi + 1000 <= ix.last:
            return ix
        self._cover(lo)
        return self._cover(hi + 1000)

    def working_days_between_ord(self, a: int, b: int) -> int:
        """``working_days_between`` on ordinals."""
        ix = self._index
        if not (ix.first <= a <= ix.last and ix.first <= b <= ix.last):
            self._cover(a)
            ix = self._cover(b)
        return ix.cum[b - ix.first] - ix.cum[a - ix.first]

    def is_provisional_period(self, start: dt.date, end: dt.date) -> bool:
        """Whether any day of (start, end] is provisional (domain.md §3.1 Decision)."""
        return self.is_provisional_period_ord(start.toordinal(), end.toordinal())

    def is_provisional_period_ord(self, start: int, end: int) -> bool:
        """``is_provisional_period`` on ordinals: a bisection over the provisional intervals."""
        if end <= start:
            return False
        i = bisect_left(self._prov_ends, start + 1)
        return i < len(self._prov_ends) and self._prov_starts[i] <= end

    def _provisional_intervals(self) -> tuple[list[int], list[int]]:
        """Closed ordinal intervals of provisional days, sorted and merged: every day of a year
        without a national schedule, and 25–31 December of a year whose next year has none."""
        lowest, highest = dt.date.min.toordinal(), dt.date.max.toordinal()
        if not self._loaded:
            return [lowest], [highest]
        first, last = min(self._loaded), max(self._loaded)
        intervals: list[tuple[int, int]] = [(lowest, dt.date(first - 1, 12, 31).toordinal())]
        for year in range(first, last + 1):
            if year not in self._loaded:
                intervals.append((dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()))
            elif year + 1 not in self._loaded:
                intervals.append(
                    (dt.date(year, 12, LATE_DECEMBER_FROM).toordinal(), dt.date(year, 12, 31).toordinal())
                )
        if last < dt.MAXYEAR:
            intervals.append((dt.date(last + 1, 1, 1).toordinal(), highest))
        starts: list[int] = []
        ends: list[int] = []
        for a, b in intervals:
            if ends and a <= ends[-1] + 1:
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        return starts, ends

    def next_working_day_on_or_after(self, day: dt.date) -> dt.date:
        return self.add_working_days(day - dt.timedelta(days=1), 1)

    # ----------------------------------------------------------------- the index

    def _build(self, first_year: int, last_year: int) -> WorkingDayIndex:
        first = dt.date(first_year, 1, 1).toordinal()
        last = dt.date(last_year, 12, 31).toordinal()
        non_working: set[int] = set()
        working: set[int] = set()
        for year in range(first_year, last_year + 1):
            if year not in self._loaded:
                non_working.update(dt.date(year, m, d).toordinal() for m, d, _ in FIXED_HOLIDAYS)
        non_working.update(self._rest)
        non_working -= self._make_up.keys()
        working.update(self._make_up)
        non_working.update(self._local_rest)
        working -= self._local_rest.keys()
        non_working -= self._local_make_up.keys()
        working.update(self._local_make_up)
        cum: list[int] = []
        days: list[int] = []
        count = 0
        weekday = (first - 1) % 7
        for o in range(first, last + 1):
            if o in working or (weekday < 5 and o not in non_working):
                count += 1
                days.append(o)
            cum.append(count)
            weekday = 0 if weekday == 6 else weekday + 1
        return WorkingDayIndex(first, last, cum, days)

    def _cover(self, o: int) -> WorkingDayIndex:
        """Grow the index so it covers ordinal ``o`` (whole years, with room to spare)."""
        ix = self._index
        if ix.first <= o <= ix.last:
            return ix
        lowest, highest = dt.date.min.toordinal(), dt.date.max.toordinal()
        if not lowest <= o <= highest:
            raise OverflowError("date outside the supported range")
        year = dt.date.fromordinal(o).year
        first_year = dt.date.fromordinal(ix.first).year
        last_year = dt.date.fromordinal(ix.last).year
        if o < ix.first:
            first_year = max(dt.MINYEAR, year - _INDEX_GROWTH_YEARS)
        else:
            last_year = min(dt.MAXYEAR, year + _INDEX_GROWTH_YEARS)
        self._index = self._build(first_year, last_year)
        return self._index


def _national_from_data() -> list[YearSchedule]:
    from app.law.schedules import NATIONAL_SCHEDULES

    out = []
    for data in NATIONAL_SCHEDULES:
        out.append(
            schedule_from_dict(
                {
                    "format": CALENDAR_FORMAT,
                    "year": data["year"],
                    "source": data["source"],
                    "version": data["version"],
                    "rest_days": [d for d, _ in data["rest_days"]],
                    "make_up_working_days": [d for d, _ in data["make_up_working_days"]],
                    "names": dict((*data["rest_days"], *data["make_up_working_days"])),
                    "local": False,
                }
            )
        )
    return out


@cache
def shipped_calendar() -> WorkCalendar:
    """The calendar of the national schedules shipped in ``app.law.schedules`` (2019–2026)."""
    return WorkCalendar(_national_from_data())


def shipped_schedules() -> tuple[YearSchedule, ...]:
    """The shipped national schedules, validated like an imported file."""
    return shipped_calendar().schedules()


def moved_due_dates(
    before: Mapping[str, dt.date | None], after: Mapping[str, dt.date | None]
) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """``(key, old, new)`` for every key whose date differs, in key order (domain.md §3.1: list what moved)."""
    return [
        (key, before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]


__all__ = [
    "CALENDAR_FORMAT",
    "FIXED_HOLIDAYS",
    "UNLOADED_VERSION",
    "DayInfo",
    "WorkCalendar",
    "WorkingDayIndex",
    "YearSchedule",
    "moved_due_dates",
    "schedule_fingerprint",
    "schedule_from_dict",
    "schedule_to_dict",
    "shipped_calendar",
    "shipped_schedules",
    "weekday_name",
]
