"""The working-day calendar: shipped schedules against the notices, the fallback for unloaded years,
calendar files, local overlays and the working-day index (domain.md §3.1, interfaces.md §4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.domain.errors import InputError
from app.law.calendar import (
    CALENDAR_FORMAT,
    WorkCalendar,
    YearSchedule,
    moved_due_dates,
    schedule_fingerprint,
    schedule_from_dict,
    schedule_to_dict,
    shipped_calendar,
)
from app.law.schedules import NATIONAL_SCHEDULES

D = dt.date.fromisoformat
CAL = shipped_calendar()

# domain.md §3.1, typed from the notices (国办发明电〔2024〕12号, 国办发明电〔2025〕7号): (name, first, last).
OFFICIAL: dict[int, tuple[list[tuple[str, str, str]], list[str]]] = {
    2025: (
        [
            ("元旦", "2025-01-01", "2025-01-01"),
            ("春节", "2025-01-28", "2025-02-04"),
            ("清明节", "2025-04-04", "2025-04-06"),
            ("劳动节", "2025-05-01", "2025-05-05"),
            ("端午节", "2025-05-31", "2025-06-02"),
            ("国庆节、中秋节", "2025-10-01", "2025-10-08"),
        ],
        ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    ),
    2026: (
        [
            ("元旦", "2026-01-01", "2026-01-03"),
            ("春节", "2026-02-15", "2026-02-23"),
            ("清明节", "2026-04-04", "2026-04-06"),
            ("劳动节", "2026-05-01", "2026-05-05"),
            ("端午节", "2026-06-19", "2026-06-21"),
            ("中秋节", "2026-09-25", "2026-09-27"),
            ("国庆节", "2026-10-01", "2026-10-07"),
        ],
        ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    ),
}


def days(first: str, last: str) -> list[dt.date]:
    a, b = D(first), D(last)
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


def naive_add(cal: WorkCalendar, start: dt.date, n: int) -> dt.date:
    """Step one calendar day at a time (domain.md §3.2), the definition the index must match."""
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if cal.is_working_day(day):
            counted += 1
    return day


# --------------------------------------------------------------------------- the shipped notices


HOLIDAY_CASES = [
    pytest.param(year, name, first, last, id=f"通知{year}-{name}")
    for year, (ranges, _) in OFFICIAL.items()
    for name, first, last in ranges
]


@pytest.mark.parametrize(("year", "name", "first", "last"), HOLIDAY_CASES)
def test_each_official_holiday_is_a_named_rest_day(year: int, name: str, first: str, last: str) -> None:
    for day in days(first, last):
        assert not CAL.is_working_day(day), day
        assert CAL.describe_day(day) == f"{name}放假", day
    # the days around the period are ordinary (or make-up) days, not part of it
    before, after = D(first) - dt.timedelta(days=1), D(last) + dt.timedelta(days=1)
    assert CAL.day_info(before).kind != "rest"
    assert CAL.day_info(after).kind != "rest"


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(d, id=f"通知{d[:4]}-调休上班-{d}")
        for _, (_, make_up) in OFFICIAL.items()
        for d in make_up
    ],
)
def test_each_official_make_up_day_is_a_working_weekend_day(day: str) -> None:
    assert D(day).weekday() >= 5
    assert CAL.is_working_day(D(day))
    assert CAL.describe_day(D(day)) == "调休上班日"


@pytest.mark.parametrize("year", [2025, 2026])
def test_shipped_year_lists_exactly_the_notice(year: int) -> None:
    ranges, make_up = OFFICIAL[year]
    schedule = CAL.schedule(year)
    assert schedule is not None
    assert schedule.rest_days == {d for _, a, b in ranges for d in days(a, b)}
    assert schedule.make_up_days == {D(d) for d in make_up}


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_other_day_of_the_year_is_monday_to_friday(year: int) -> None:
    ranges, make_up = OFFICIAL[year]
    rest = {d for _, a, b in ranges for d in days(a, b)}
    extra = {D(d) for d in make_up}
    for day in days(f"{year}-01-01", f"{year}-12-31"):
        expected = day in extra or (day.weekday() < 5 and day not in rest)
        assert CAL.is_working_day(day) is expected, day


def test_notices_carry_their_numbers() -> None:
    sources = {s.year: s.source for s in CAL.schedules()}
    assert "国办发明电〔2024〕12号" in sources[2025]
    assert "国办发明电〔2025〕7号" in sources[2026]
    assert sources[2026].startswith("国务院办公厅关于2026年部分节假日安排的通知")
    assert CAL.national_years == tuple(range(2019, 2027))


def test_2019_notice_moves_december_2018() -> None:
    # 国办发明电〔2018〕15号: 2018-12-29 (Sat) worked, 12-30 to 2019-01-01 off.
    assert CAL.is_working_day(D("2018-12-29"))
    assert not CAL.is_working_day(D("2018-12-31"))
    assert CAL.describe_day(D("2018-12-31")).startswith("元旦放假")


def test_2020_spring_festival_extension_is_shipped() -> None:
    # 国务院办公厅关于延长2020年春节假期的通知: off to 2 February; Saturday 1 February not worked.
    assert not CAL.is_working_day(D("2020-01-31"))
    assert not CAL.is_working_day(D("2020-02-01"))
    assert CAL.is_working_day(D("2020-02-03"))


@pytest.mark.parametrize("data", NATIONAL_SCHEDULES, ids=lambda d: f"schedules-{d['year']}")
def test_shipped_data_is_consistent(data: Any) -> None:
    schedule = CAL.schedule(data["year"])
    assert schedule is not None
    # the version is the fingerprint of the dates: a changed date must come with a new version
    assert data["version"] == schedule_fingerprint(
        schedule.year, schedule.rest_days, schedule.make_up_days, local=False
    )
    assert all(d.weekday() >= 5 for d in schedule.make_up_days)
    assert not schedule.rest_days & schedule.make_up_days
    assert schedule_from_dict(schedule_to_dict(schedule)) == schedule


# --------------------------------------------------------------------------- years without a schedule


@pytest.mark.parametrize(
    ("day", "working", "reason"),
    [
        pytest.param("2027-01-01", False, "元旦放假（暂定）", id="未加载年-元旦"),
        pytest.param("2027-05-01", False, "劳动节放假（暂定）", id="未加载年-劳动节1"),
        pytest.param("2027-05-03", True, "工作日（暂定）", id="未加载年-5月3日照常"),
        pytest.param("2027-10-01", False, "国庆节放假（暂定）", id="未加载年-国庆1"),
        pytest.param("2027-10-04", True, "工作日（暂定）", id="未加载年-国庆第4日照常"),
        pytest.param("2027-02-06", False, "周六（暂定）", id="未加载年-春节不可推定"),
        pytest.param("2027-02-08", True, "工作日（暂定）", id="未加载年-农历节日不推定"),
    ],
)
def test_unloaded_year_uses_weekends_and_fixed_holidays(day: str, working: bool, reason: str) -> None:
    assert CAL.is_working_day(D(day)) is working
    assert CAL.describe_day(D(day)) == reason
    assert CAL.is_provisional_day(D(day))
    assert CAL.version_of(D(day).year) == "unloaded"


@pytest.mark.parametrize(
    ("start", "end", "provisional"),
    [
        pytest.param("2026-11-20", "2026-12-24", False, id="年末规则-止于12月24日"),
        pytest.param("2026-11-20", "2026-12-25", True, id="年末规则-触及12月25日"),
        pytest.param("2026-12-26", "2026-12-28", True, id="年末规则-全在年末"),
        pytest.param("2025-12-01", "2026-01-20", False, id="跨入已加载年"),
        pytest.param("2026-12-21", "2027-01-19", True, id="跨入未加载年"),
        pytest.param("2018-12-20", "2019-01-10", True, id="起于未加载的2018年"),
        pytest.param("2026-12-25", "2026-12-25", False, id="空区间"),
    ],
)
def test_provisional_periods(start: str, end: str, provisional: bool) -> None:
    assert CAL.is_provisional_period(D(start), D(end)) is provisional


def test_loading_the_next_year_lifts_provisional() -> None:
    y2027 = YearSchedule(2027, frozenset({D("2027-01-01")}), source="测试")
    cal = CAL.with_schedule(y2027)
    assert not cal.is_provisional_period(D("2026-11-20"), D("2026-12-31"))
    assert cal.is_provisional_period(D("2027-11-20"), D("2027-12-31"))
    assert cal.version_of(2027) == y2027.version
    assert CAL.version_of(2027) == "unloaded"  # the original is untouched


def test_empty_calendar_is_all_provisional_but_still_counts() -> None:
    cal = WorkCalendar()
    assert cal.is_provisional_period(D("2026-03-01"), D("2026-03-02"))
    assert cal.add_working_days(D("2026-09-30"), 1) == D("2026-10-05")  # 10-1..3 fixed, then a weekend


# --------------------------------------------------------------------------- periods and the index


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        pytest.param(
            "2026-09-16", ("2026-09-24", "2026-10-13", "2026-10-20", "2026-11-17"), id="§3.2-2026-09-16"
        ),
        pytest.param(
            "2026-02-10", ("2026-02-26", "2026-03-09", "2026-03-16", "2026-04-14"), id="§3.2-2026-02-10"
        ),
        pytest.param(
            "2025-09-24", ("2025-10-10", "2025-10-21", "2025-10-28", "2025-11-25"), id="§3.2-2025-09-24"
        ),
    ],
)
def test_worked_examples(received: str, expected: tuple[str, ...]) -> None:
    got = tuple(CAL.add_working_days(D(received), n).isoformat() for n in (7, 15, 20, 40))
    assert got == expected


@pytest.mark.parametrize(
    "start",
    ["2018-06-01", "2019-01-15", "2020-01-20", "2024-12-20", "2025-09-20", "2026-12-15", "2027-09-28"],
)
def test_index_matches_day_by_day_counting(start: str) -> None:
    for n in (1, 5, 7, 15, 20, 40, 60):
        got = CAL.add_working_days(D(start), n)
        assert got == naive_add(CAL, D(start), n)
        assert CAL.working_days_between(D(start), got) == n
        assert CAL.is_working_day(got)


def test_between_is_signed_and_half_open() -> None:
    a, b = D("2026-09-30"), D("2026-10-09")  # 10-1..7 off, 10-8 and 10-9 worked
    assert CAL.working_days_between(a, b) == 2
    assert CAL.working_days_between(b, a) == -2
    assert CAL.working_days_between(a, a) == 0


def test_negative_and_zero_counts() -> None:
    assert CAL.add_working_days(D("2026-10-08"), -1) == D("2026-09-30")
    assert CAL.add_working_days(D("2026-10-08"), 0) == D("2026-10-08")
    assert CAL.add_working_days(D("2026-10-09"), -2) == D("2026-09-30")


@pytest.mark.parametrize("start", ["1960-03-01", "2150-06-30", "2250-01-01"])
def test_index_grows_outside_its_first_range(start: str) -> None:
    cal = WorkCalendar(CAL.schedules())
    week_later = D(start) + dt.timedelta(days=7)
    assert cal.add_working_days(D(start), 20) == naive_add(cal, D(start), 20)
    assert cal.working_days_between(D(start), week_later) == sum(
        cal.is_working_day(D(start) + dt.timedelta(days=i)) for i in range(1, 8)
    )
    back = cal.add_working_days(D(start), -3)
    assert cal.working_days_between(back, D(start)) == 3 - (not cal.is_working_day(D(start)))


# --------------------------------------------------------------------------- local overlays


def test_local_overlay_adds_rest_days_kept_apart() -> None:
    local = YearSchedule(
        2026,
        frozenset({D("2026-04-20")}),
        source="某自治州人民政府关于2026年民族传统节日放假的通知",
        local=True,
        names={D("2026-04-20"): "三月三"},
    )
    cal = CAL.with_schedule(local)
    assert not cal.is_working_day(D("2026-04-20"))
    assert cal.describe_day(D("2026-04-20")) == "三月三放假（本地）"
    assert cal.schedule(2026) == CAL.schedule(2026)
    assert cal.local_schedule(2026) == local
    assert cal.version_of(2026) == f"{CAL.version_of(2026)}+local:{local.version}"
    assert CAL.is_working_day(D("2026-04-20"))  # the national calendar is unchanged
    assert cal.without_year(2026, local=True).is_working_day(D("2026-04-20"))


def test_local_and_national_are_not_mixed_up() -> None:
    with pytest.raises(ValueError, match="local"):
        WorkCalendar([YearSchedule(2026, frozenset(), local=True)])
    with pytest.raises(ValueError, match="national"):
        WorkCalendar(local=[YearSchedule(2026, frozenset())])


# --------------------------------------------------------------------------- calendar files


def calendar_file(**changes: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "format": CALENDAR_FORMAT,
        "year": 2027,
        "source": "国务院办公厅关于2027年部分节假日安排的通知",
        "rest_days": ["2027-01-01", "2027-01-02", "2027-01-03"],
        "make_up_working_days": ["2027-01-09"],
        "local": False,
    }
    obj.update(changes)
    return {k: v for k, v in obj.items() if v is not ...}


def test_calendar_file_round_trip() -> None:
    schedule = schedule_from_dict(calendar_file())
    assert schedule.year == 2027
    assert schedule.make_up_days == {D("2027-01-09")}
    assert schedule.version == schedule_fingerprint(
        2027, schedule.rest_days, schedule.make_up_days, local=False
    )
    out = schedule_to_dict(schedule)
    assert list(out)[:6] == ["format", "year", "source", "rest_days", "make_up_working_days", "local"]
    assert schedule_from_dict(out) == schedule


def test_calendar_file_may_reach_back_into_late_december() -> None:
    # like the 2019 notice, which moved 2018-12-29/30/31
    schedule = schedule_from_dict(
        calendar_file(rest_days=["2026-12-31", "2027-01-01"], make_up_working_days=["2026-12-26"])
    )
    assert D("2026-12-26") in schedule.make_up_days


def test_same_dates_same_version_other_dates_other_version() -> None:
    a = schedule_from_dict(calendar_file())
    b = schedule_from_dict(calendar_file(source="另一个标题"))
    c = schedule_from_dict(calendar_file(rest_days=["2027-01-01"]))
    assert a.version == b.version != c.version


@pytest.mark.parametrize(
    ("changes", "kind", "field"),
    [
        pytest.param({"format": "yishen-calendar/2"}, "bad_format", "format", id="format"),
        pytest.param({"year": ...}, "required", "year", id="year-missing"),
        pytest.param({"year": "2027"}, "bad_year", "year", id="year-text"),
        pytest.param({"year": True}, "bad_year", "year", id="year-bool"),
        pytest.param({"source": ""}, "required", "source", id="source-empty"),
        pytest.param({"source": ...}, "required", "source", id="source-missing"),
        pytest.param({"rest_days": ...}, "required", "rest_days", id="rest-missing"),
        pytest.param({"rest_days": "2027-01-01"}, "not_a_list", "rest_days", id="rest-not-list"),
        pytest.param({"rest_days": ["2027-02-30"]}, "bad_date", "rest_days.0", id="bad-date"),
        pytest.param({"rest_days": ["2027/01/01"]}, "bad_date", "rest_days.0", id="bad-date-slash"),
        pytest.param({"rest_days": [20270101]}, "bad_date", "rest_days.0", id="bad-date-number"),
        pytest.param(
            {"rest_days": ["2027-01-01", "2028-01-01"]}, "date_outside_year", "rest_days.1", id="next-year"
        ),
        pytest.param(
            {"rest_days": ["2026-12-24"]}, "date_outside_year", "rest_days.0", id="too-early-december"
        ),
        pytest.param(
            {"rest_days": ["2027-01-01", "2027-01-01"]}, "duplicate_date", "rest_days.1", id="duplicate"
        ),
        pytest.param(
            {"make_up_working_days": ["2027-01-08"]},
            "make_up_not_weekend",
            "make_up_working_days.0",
            id="make-up-friday",
        ),
        pytest.param(
            {"make_up_working_days": ["2027-01-02"]},
            "rest_and_make_up_overlap",
            "make_up_working_days.0",
            id="overlap",
        ),
        pytest.param({"make_up_working_days": ...}, "required", "make_up_working_days", id="make-up-missing"),
        pytest.param({"local": "no"}, "not_a_bool", "local", id="local-text"),
        pytest.param({"names": {"2027-03-01": "某节"}}, "bad_date", "names.2027-03-01", id="name-unlisted"),
    ],
)
def test_calendar_file_errors(changes: dict[str, Any], kind: str, field: str) -> None:
    with pytest.raises(InputError) as err:
        schedule_from_dict(calendar_file(**changes))
    assert err.value.kind == kind
    assert err.value.field == field


def test_calendar_file_must_be_an_object() -> None:
    with pytest.raises(InputError) as err:
        schedule_from_dict(["2027-01-01"])
    assert err.value.kind == "not_an_object"


def test_moved_due_dates_lists_only_changes() -> None:
    before = {"2026-0001": D("2026-12-30"), "2026-0002": D("2027-01-04"), "2026-0003": None}
    after = {"2026-0001": D("2026-12-30"), "2026-0002": D("2027-01-11"), "2026-0003": None}
    assert moved_due_dates(before, after) == [("2026-0002", D("2027-01-04"), D("2027-01-11"))]
