"""The reply clock against domain.md §3.3: the shared worked examples, every 2025/2026 holiday at the
start, inside and at the end of a period, 补正 restarts, pauses, fees, extensions, year boundaries,
states, bands and the trace (interfaces.md §3.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from app.domain.codes import ApplicantKind, Channel, Delivery, Form
from app.domain.errors import InputError
from app.domain.model import Applicant, Case, Item, event_from_dict
from app.law.calendar import WorkCalendar, YearSchedule, shipped_calendar
from app.law.deadlines import Band, DeadlineResult, State, compute_deadline, standard_periods
from tests.unit.law.independent_cases import CASES
from tests.unit.law.test_calendar import OFFICIAL

D = dt.date.fromisoformat
CAL = shipped_calendar()

# ----------------------------------------------------------------- a test-only case builder

# Required fields that do not matter to the clock, so a test names only what it is about.
EVENT_DEFAULTS: dict[str, dict[str, Any]] = {
    "receipt_confirmed": {"method": "电话", "by": "经办人"},
    "consultation_sent": {"id": "c", "party": "third_party", "name": "某公司"},
    "consultation_replied": {"id": "c", "opinion": "agree"},
    "extension_approved": {"approver": "主任", "reason": "检索量大"},
    "delay_notified": {"reason": "申请数量明显超过合理范围"},
    "fee_notified": {"amount": 200, "method": "per_request"},
    "fee_waived": {"reason": "经济困难"},
    "terminated": {"outcome": "other.other", "reason": "申请人撤回"},
    "delivered": {"method": "邮寄"},
}


def ev(type_: str, date: str, **fields: Any) -> dict[str, Any]:
    """One event in the case-file shape (interfaces.md §1)."""
    return {"type": type_, "date": date, **EVENT_DEFAULTS.get(type_, {}), **fields}


def build_case(obj: Mapping[str, Any]) -> Case:
    """A ``Case`` from a case-file object, enough of it for the clock (tests only; the real
    reader with its validation is app.domain.caseformat)."""
    applicant = obj.get("applicant", {"kind": "natural_person", "name": "示例申请人"})
    items = obj.get("items", [{"description": "示例事项", "form": "paper", "delivery": "post"}])
    received = obj.get("received")
    return Case(
        id=obj.get("id", "test-case"),
        number=obj.get("number", "T-1"),
        channel=Channel(obj.get("channel", "in_person")),
        received=D(received) if received else None,
        applicant=Applicant(ApplicantKind(applicant["kind"]), applicant["name"]),
        items=tuple(Item(i["description"], Form(i["form"]), Delivery(i["delivery"])) for i in items),
        events=tuple(event_from_dict(e) for e in obj.get("events", [])),
    )


def make_case(
    received: str | None, events: Iterable[Mapping[str, Any]] = (), channel: str = "in_person"
) -> Case:
    return build_case({"received": received, "events": list(events), "channel": channel})


def run(
    received: str | None,
    events: Iterable[Mapping[str, Any]] = (),
    today: str = "2025-01-01",
    *,
    channel: str = "in_person",
    calendar: WorkCalendar = CAL,
    fee_pauses_clock: bool = True,
) -> DeadlineResult:
    return compute_deadline(
        make_case(received, events, channel), calendar, D(today), fee_pauses_clock=fee_pauses_clock
    )


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def steps(result: DeadlineResult, kind: str) -> list[str]:
    return [s.step for s in result.trace if s.kind == kind]


# ----------------------------------------------------------------- ../shared/examples/deadlines.json

# Transcribed literally from the shared examples (the suite must not depend on a file outside the
# repository): received, channel, events, today, expected fields of `deadline --json`.
SHARED_EXAMPLES = [
    pytest.param(
        "2025-04-28",
        "in_person",
        [],
        "2025-04-28",
        {
            "start": "2025-04-28",
            "correction_notice_due": "2025-05-12",
            "reply_due": "2025-05-29",
            "state": "running",
            "days_left": 20,
            "extension_days": 0,
            "paused_days": 0,
            "provisional": False,
        },
        id="examples-plain receipt before 劳动节 2025",
    ),
    pytest.param(
        "2026-01-29",
        "in_person",
        [],
        "2026-02-02",
        {
            "start": "2026-01-29",
            "correction_notice_due": "2026-02-09",
            "reply_due": "2026-03-04",
            "state": "running",
            "days_left": 18,
            "extension_days": 0,
            "paused_days": 0,
            "provisional": False,
        },
        id="examples-plain receipt before 春节 2026",
    ),
    pytest.param(
        "2025-07-01",
        "in_person",
        [
            {"type": "correction_requested", "date": "2025-07-04", "period_end": "2025-07-18"},
            {"type": "correction_received", "date": "2025-07-10"},
        ],
        "2025-07-14",
        {
            "start": "2025-07-10",
            "correction_notice_due": None,
            "reply_due": "2025-08-07",
            "state": "running",
            "days_left": 18,
            "extension_days": 0,
            "paused_days": 0,
            "provisional": False,
        },
        id="examples-补正 restarts the clock",
    ),
    pytest.param(
        "2025-11-03",
        "in_person",
        [
            {
                "type": "consultation_sent",
                "date": "2025-11-05",
                "id": "c",
                "party": "third_party",
                "name": "某公司",
            },
            {"type": "consultation_replied", "date": "2025-11-14", "id": "c", "opinion": "agree"},
        ],
        "2025-11-17",
        {
            "start": "2025-11-03",
            "correction_notice_due": "2025-11-12",
            "reply_due": "2025-12-10",
            "state": "running",
            "days_left": 17,
            "extension_days": 0,
            "paused_days": 7,
            "provisional": False,
        },
        id="examples-third-party consultation answered: (S, R] paused",
    ),
    pytest.param(
        "2025-08-04",
        "in_person",
        [{"type": "consultation_sent", "date": "2025-08-06", "id": "c", "party": "agency", "name": "某局"}],
        "2025-08-12",
        {
            "start": "2025-08-04",
            "correction_notice_due": "2025-08-13",
            "reply_due": "2025-09-22",
            "state": "paused",
            "days_left": 29,
            "extension_days": 0,
            "paused_days": 15,
            "provisional": False,
        },
        id="examples-agency consultation unanswered, window open",
    ),
    pytest.param(
        "2025-06-02",
        "in_person",
        [
            {"type": "fee_notified", "date": "2025-06-09", "amount": 200, "method": "per_request"},
            {"type": "fee_paid", "date": "2025-06-13"},
        ],
        "2025-06-16",
        {
            "start": "2025-06-02",
            "correction_notice_due": "2025-06-11",
            "reply_due": "2025-07-04",
            "state": "running",
            "days_left": 14,
            "extension_days": 0,
            "paused_days": 4,
            "provisional": False,
        },
        id="examples-fee notified then paid",
    ),
    pytest.param(
        "2025-10-20",
        "in_person",
        [
            {
                "type": "extension_approved",
                "date": "2025-11-14",
                "days": 20,
                "approver": "主任",
                "reason": "检索量大",
            }
        ],
        "2025-11-17",
        {
            "start": "2025-10-20",
            "correction_notice_due": "2025-10-29",
            "reply_due": "2025-12-15",
            "state": "running",
            "days_left": 20,
            "extension_days": 20,
            "paused_days": 0,
            "provisional": False,
        },
        id="examples-extension of 20 working days",
    ),
    pytest.param(
        "2026-12-21",
        "in_person",
        [],
        "2026-12-21",
        {
            "start": "2026-12-21",
            "correction_notice_due": "2026-12-30",
            "reply_due": "2027-01-19",
            "state": "running",
            "days_left": 20,
            "extension_days": 0,
            "paused_days": 0,
            "provisional": True,
        },
        id="examples-runs into a year with no schedule loaded (weekends + fixed-date holidays, provisional)",
    ),
    pytest.param(
        "2025-02-10",
        "in_person",
        [],
        "2025-04-01",
        {
            "start": "2025-02-10",
            "correction_notice_due": "2025-02-19",
            "reply_due": "2025-03-10",
            "state": "overdue",
            "days_left": -16,
            "extension_days": 0,
            "paused_days": 0,
            "provisional": False,
        },
        id="examples-overdue, no reply",
    ),
    pytest.param(
        "2025-03-03",
        "in_person",
        [
            {
                "type": "consultation_sent",
                "date": "2025-03-04",
                "id": "c",
                "party": "third_party",
                "name": "某人",
            },
            {"type": "consultation_replied", "date": "2025-04-15", "id": "c", "opinion": "object"},
        ],
        "2025-04-16",
        {
            "start": "2025-03-03",
            "correction_notice_due": "2025-03-12",
            "reply_due": "2025-04-22",
            "state": "running",
            "days_left": 4,
            "extension_days": 0,
            "paused_days": 15,
            "provisional": False,
        },
        id="examples-late answer: the pause ends with the 15-wd window",
    ),
]

KEYS = [
    "received",
    "start",
    "correction_notice_due",
    "reply_due",
    "days_left",
    "state",
    "band",
    "paused_days",
    "extension_days",
    "provisional",
    "calendar_version",
    "trace",
]


@pytest.mark.parametrize(("received", "channel", "events", "today", "expected"), SHARED_EXAMPLES)
def test_shared_examples(
    received: str, channel: str, events: list[dict[str, Any]], today: str, expected: dict[str, Any]
) -> None:
    out = run(received, events, today, channel=channel).to_json()
    assert {k: out[k] for k in expected} == expected


def test_json_shape_is_the_documented_one() -> None:
    out = run("2026-09-16", [], "2026-10-08").to_json()
    assert list(out)[: len(KEYS)] == KEYS
    assert out["calendar_version"] == {"2026": CAL.version_of(2026)}
    assert out["received"] == "2026-09-16"
    assert isinstance(out["trace"][0], dict)
    assert set(out["trace"][0]) >= {"date", "step", "basis", "counted"}


# ----------------------------------------------------------------- domain.md §3.2 worked examples

WORKED = [
    ("2026-09-16", "2026-09-24", "2026-10-13", "2026-10-20", "2026-11-17"),
    ("2026-02-10", "2026-02-26", "2026-03-09", "2026-03-16", "2026-04-14"),
    ("2025-09-24", "2025-10-10", "2025-10-21", "2025-10-28", "2025-11-25"),
]


@pytest.mark.parametrize(("received", "d7", "d15", "d20", "d40"), WORKED, ids=lambda v: f"§3.2-{v}")
def test_quick_calculator_worked_examples(received: str, d7: str, d15: str, d20: str, d40: str) -> None:
    assert standard_periods(D(received), CAL) == {
        "received": received,
        "correction_notice_due": d7,
        "reply_due": d20,
        "periods": {"7": d7, "15": d15, "20": d20, "40": d40},
        "provisional": False,
    }


@pytest.mark.parametrize(("received", "d7", "d15", "d20", "d40"), WORKED, ids=lambda v: f"条例33-{v}")
def test_worked_examples_as_cases(received: str, d7: str, d15: str, d20: str, d40: str) -> None:
    r = run(received, [], received)
    assert (iso(r.correction_notice_due), iso(r.reply_due), r.days_left) == (d7, d20, 20)
    # with the longest extension approved on day 1: day 40
    r = run(received, [ev("extension_approved", d7, days=20)], received)
    assert iso(r.reply_due) == d40


def test_quick_calculator_marks_unloaded_years_provisional() -> None:
    assert standard_periods(D("2026-12-01"), CAL)["provisional"] is True


# ----------------------------------------------------------------- every 2025/2026 holiday, three positions

REST = {
    D(a) + dt.timedelta(days=i)
    for _, (r, _) in OFFICIAL.items()
    for _, a, b in r
    for i in range((D(b) - D(a)).days + 1)
}
MAKE_UP = {D(d) for _, (_, m) in OFFICIAL.items() for d in m}


FIRST, LAST = D("2025-01-01"), D("2026-12-24")  # the oracle knows 2025 and 2026 only


def oracle_working(day: dt.date) -> bool:
    """domain.md §3.1 from the typed notice table, independent of app.law.schedules."""
    assert FIRST <= day <= D("2026-12-31")
    return day in MAKE_UP or (day.weekday() < 5 and day not in REST)


def oracle_add(start: dt.date, n: int) -> dt.date | None:
    """domain.md §3.2 step by step: the Nth working day after ``start`` (None past the oracle)."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        if day > LAST:
            return None
        n -= oracle_working(day)
    return day


def oracle_back(end: dt.date, n: int) -> dt.date | None:
    """The latest working day whose Nth working day after it is ``end``."""
    day = end
    while n or not oracle_working(day):
        if oracle_working(day):
            n -= 1
        day -= dt.timedelta(days=1)
        if day < FIRST:
            return None
    return day


def holiday_positions() -> list[Any]:
    out = []
    for year, (ranges, _) in OFFICIAL.items():
        for name, first, last in ranges:
            a, b = D(first), D(last)
            last_before = a - dt.timedelta(days=1)
            while last_before >= FIRST and not oracle_working(last_before):
                last_before -= dt.timedelta(days=1)
            ends_before = oracle_back(last_before, 20) if last_before >= FIRST else None
            positions = {
                "holiday-right-after-day-0": a - dt.timedelta(days=1),
                "receipt-inside-holiday": a + (b - a) // 2,
                "period-ends-just-before-holiday": ends_before,
                "period-runs-over-holiday-at-its-end": oracle_add(ends_before, 1) if ends_before else None,
            }
            for position, receipt in positions.items():
                if receipt is None or receipt < FIRST or oracle_add(receipt, 20) is None:
                    continue
                out.append(pytest.param(name, a, b, receipt, id=f"条例33-{year}{name}-{position}"))
    return out


@pytest.mark.parametrize(("name", "first", "last", "receipt"), holiday_positions())
def test_holiday_in_every_position(name: str, first: dt.date, last: dt.date, receipt: dt.date) -> None:
    r = run(receipt.isoformat(), [], receipt.isoformat())
    assert r.reply_due is not None
    assert r.reply_due == oracle_add(receipt, 20)
    assert r.correction_notice_due == oracle_add(receipt, 7)
    assert r.provisional is False
    skipped = any(receipt < d <= r.reply_due for d in REST if first <= d <= last)
    mentioned = [s for s in steps(r, "rest") if name in s and s.endswith("放假，不计入")]
    assert bool(mentioned) is skipped


# ----------------------------------------------------------------- make-up days and odd receipt days


@pytest.mark.parametrize(
    ("received", "step"),
    [
        pytest.param("2026-02-10", "2月14日（周六）为调休上班日，计入，第4个工作日", id="调休-2026春节周六"),
        pytest.param(
            "2026-02-10", "2月28日（周六）为调休上班日，计入，第9个工作日", id="调休-2026春节后周六"
        ),
        pytest.param("2025-09-24", "9月28日（周日）为调休上班日，计入，第3个工作日", id="调休-2025国庆周日"),
        pytest.param(
            "2025-09-24", "10月11日（周六）为调休上班日，计入，第8个工作日", id="调休-2025国庆后周六"
        ),
        pytest.param(
            "2026-09-16", "9月20日（周日）为调休上班日，计入，第3个工作日", id="调休-2026国庆前周日"
        ),
    ],
)
def test_make_up_days_are_counted_and_said_so(received: str, step: str) -> None:
    r = run(received, [], received)
    assert step in [s.step for s in r.trace if s.counted]


@pytest.mark.parametrize(
    ("received", "reply_due", "note"),
    [
        pytest.param("2025-03-08", "2025-04-07", "该日为周六，不影响起算", id="收到日-周六"),
        pytest.param("2026-02-14", "2026-03-20", "", id="收到日-调休上班日"),
        pytest.param("2026-10-03", "2026-11-03", "该日为国庆节放假，不影响起算", id="收到日-国庆假期中"),
        pytest.param("2025-06-02", "2025-06-30", "该日为端午节放假，不影响起算", id="收到日-端午假期末日"),
    ],
)
def test_receipt_on_a_rest_or_make_up_day_is_still_day_0(received: str, reply_due: str, note: str) -> None:
    r = run(received, [], received)
    assert iso(r.reply_due) == reply_due
    assert r.start == D(received)
    (receipt,) = steps(r, "receipt")
    assert "第0日" in receipt
    assert receipt.endswith(note)


# ----------------------------------------------------------------- 补正 (条例第三十条)


def test_awaiting_correction_has_no_reply_due() -> None:
    r = run("2025-07-01", [ev("correction_requested", "2025-07-04", period_end="2025-07-18")], "2025-07-08")
    assert (r.state, r.band) == (State.AWAITING_CORRECTION, Band.WAITING)
    assert (r.reply_due, r.days_left, r.correction_notice_due) == (None, None, None)
    assert r.correction_period_end == D("2025-07-18")
    assert r.start == D("2025-07-01")
    assert steps(r, "awaiting_correction")


def test_correction_restarts_from_day_0_and_voids_an_earlier_extension() -> None:
    r = run(
        "2025-04-21",
        [
            ev("correction_requested", "2025-04-24", period_end="2025-05-09"),
            ev("extension_approved", "2025-04-25", days=20),
            ev("correction_received", "2025-05-07"),
        ],
        "2025-05-08",
    )
    assert r.start == D("2025-05-07")
    assert r.reply_due == CAL.add_working_days(D("2025-05-07"), 20) == D("2025-06-05")
    assert r.extension_days == 0
    assert [x.refusal for x in r.extensions] == ["void_after_restart"]
    assert steps(r, "restart") and steps(r, "extension_refused")
    assert r.correction_notice_due is None


def test_extension_after_the_restart_counts() -> None:
    r = run(
        "2025-04-21",
        [
            ev("correction_requested", "2025-04-24", period_end="2025-05-09"),
            ev("correction_received", "2025-05-07"),
            ev("extension_approved", "2025-06-03", days=5),
        ],
        "2025-06-03",
    )
    assert r.reply_due == CAL.add_working_days(D("2025-05-07"), 25)
    assert r.extension_days == 5


def test_pause_before_the_restart_still_covers_the_days_after_it() -> None:
    # consultation sent 2025-07-03 (unanswered, window ends 2025-07-24); correction received 07-10
    r = run(
        "2025-07-01",
        [
            ev("consultation_sent", "2025-07-03"),
            ev("correction_requested", "2025-07-04", period_end="2025-07-18"),
            ev("correction_received", "2025-07-10"),
        ],
        "2025-07-14",
    )
    window_end = CAL.add_working_days(D("2025-07-03"), 15)
    assert window_end == D("2025-07-24")
    assert r.reply_due == CAL.add_working_days(window_end, 20)
    assert r.paused_days == CAL.working_days_between(D("2025-07-10"), window_end)
    assert r.state == State.PAUSED


def test_correction_notice_due_is_never_paused() -> None:
    r = run("2025-11-03", [ev("consultation_sent", "2025-11-04")], "2025-11-05")
    assert r.correction_notice_due == CAL.add_working_days(D("2025-11-03"), 7) == D("2025-11-12")


def test_correction_notice_due_disappears_once_a_reply_is_sent() -> None:
    r = run("2025-11-03", [ev("replied", "2025-11-05")], "2025-11-05")
    assert r.correction_notice_due is None
    assert (r.state, r.band, r.days_left) == (State.CONCLUDED, Band.CONCLUDED, None)


def test_no_correction_ends_the_case() -> None:
    r = run(
        "2025-07-01",
        [
            ev("correction_requested", "2025-07-04", period_end="2025-07-18"),
            ev("terminated", "2025-07-21", outcome="other.no_correction", reason="逾期未补正"),
        ],
        "2025-07-22",
    )
    assert (r.state, r.band, r.reply_due) == (State.CONCLUDED, Band.CONCLUDED, None)
    assert r.concluded_on == D("2025-07-21")
    (step,) = steps(r, "concluded")
    assert "逾期不补正" in step


# ----------------------------------------------------------------- consultations (条例第三十二、三十三、三十四条)


def test_overlapping_pauses_count_each_day_once() -> None:
    # third party 03-12..03-19, agency 03-17..03-26, fee 03-20..03-21: one union (03-12, 03-26]
    events = [
        ev("consultation_sent", "2025-03-12", id="a"),
        ev("consultation_sent", "2025-03-17", id="b", party="agency", name="某局"),
        ev("consultation_replied", "2025-03-19", id="a"),
        ev("fee_notified", "2025-03-20"),
        ev("fee_paid", "2025-03-21"),
        ev("consultation_replied", "2025-03-26", id="b"),
    ]
    r = run("2025-03-10", events, "2025-03-27")
    assert r.paused_days == 10
    assert r.reply_due == D("2025-04-22")
    assert len(r.pauses) == 3
    assert r.state == State.RUNNING


def test_unanswered_consultation_pauses_until_its_window_ends() -> None:
    events = [ev("consultation_sent", "2026-06-03", party="agency", name="某局", delivered="2026-06-05")]
    paused = run("2026-06-01", events, "2026-06-29")
    after = run("2026-06-01", events, "2026-06-30")
    assert paused.consultation_windows[0].window_end == D("2026-06-29")  # 15 wd from delivery, 端午 skipped
    assert (paused.state, paused.band) == (State.PAUSED, Band.PAUSED)
    assert [p.ref for p in paused.active_pauses] == ["c"]
    assert after.state == State.RUNNING and not after.active_pauses
    assert paused.reply_due == after.reply_due == D("2026-07-23")
    assert paused.paused_days == 17
    assert "视为同意公开" in steps(paused, "pause_end")[0]


def test_unanswered_third_party_leaves_the_decision_to_the_agency() -> None:
    r = run("2026-06-01", [ev("consultation_sent", "2026-06-03")], "2026-06-04")
    assert "由本机关依法决定是否公开" in steps(r, "pause_end")[0]


def test_late_answer_does_not_extend_the_pause() -> None:
    on_time = run("2025-03-03", [ev("consultation_sent", "2025-03-04")], "2025-04-16")
    late = run(
        "2025-03-03",
        [ev("consultation_sent", "2025-03-04"), ev("consultation_replied", "2025-04-15", opinion="object")],
        "2025-04-16",
    )
    assert late.reply_due == on_time.reply_due == D("2025-04-22")
    assert late.consultation_windows[0].late is True
    assert steps(late, "late_answer")


def test_answer_on_the_day_it_was_sent_pauses_nothing() -> None:
    r = run("2025-03-03", [ev("consultation_sent", "2025-03-04"), ev("consultation_replied", "2025-03-04")])
    assert r.paused_days == 0
    assert r.reply_due == CAL.add_working_days(D("2025-03-03"), 20)


# ----------------------------------------------------------------- fees (条例第四十二条, 109号)


@pytest.mark.parametrize(
    ("events", "pauses_clock", "reply_due", "paused"),
    [
        pytest.param(
            [ev("fee_notified", "2025-06-11"), ev("fee_paid", "2025-06-20")],
            True,
            "2025-07-16",
            7,
            id="109号-缴费",
        ),
        pytest.param(
            [ev("fee_notified", "2025-06-11"), ev("fee_waived", "2025-06-13")],
            True,
            "2025-07-09",
            2,
            id="109号-免收",
        ),
        pytest.param([ev("fee_notified", "2025-06-11")], True, "2025-08-04", 20, id="109号-未缴费至期满"),
        pytest.param(
            [ev("fee_notified", "2025-06-11"), ev("fee_paid", "2025-06-20")],
            False,
            "2025-07-07",
            0,
            id="109号-机关设置不暂停",
        ),
    ],
)
def test_fee_pause(events: list[dict[str, Any]], pauses_clock: bool, reply_due: str, paused: int) -> None:
    r = run("2025-06-09", events, "2025-06-12", fee_pauses_clock=pauses_clock)
    assert (iso(r.reply_due), r.paused_days) == (reply_due, paused)
    assert r.fee_deadline == D("2025-07-09")  # 20 wd after the notice date (no receipt recorded)


def test_fee_window_runs_from_the_notice_receipt() -> None:
    r = run("2025-12-01", [ev("fee_notified", "2025-12-03", delivered="2025-12-05")], "2025-12-04")
    assert r.fee_deadline == D("2026-01-05")
    assert r.state == State.PAUSED


# ----------------------------------------------------------------- extensions (条例第三十三条第二款)


@pytest.mark.parametrize(
    ("approved", "days", "reply_due", "extension", "refusal"),
    [
        pytest.param("2025-11-17", 20, "2025-12-15", 20, None, id="条例33-延期-当日届满前批准"),
        pytest.param("2025-10-21", 1, "2025-11-18", 1, None, id="条例33-延期-1日"),
        pytest.param("2025-11-18", 20, "2025-11-17", 0, "late", id="条例33-延期-届满后批准不计"),
        pytest.param("2025-11-03", 25, "2025-11-17", 0, "out_of_range", id="条例33-延期-超过20日不计"),
        pytest.param("2025-11-03", 0, "2025-11-17", 0, "out_of_range", id="条例33-延期-0日不计"),
    ],
)
def test_extension_limits(
    approved: str, days: int, reply_due: str, extension: int, refusal: str | None
) -> None:
    r = run("2025-10-20", [ev("extension_approved", approved, days=days)], "2025-11-17")
    assert (iso(r.reply_due), r.extension_days) == (reply_due, extension)
    assert [x.refusal for x in r.extensions] == [refusal]
    assert bool(steps(r, "extension_refused")) is (refusal is not None)


def test_second_extension_is_refused() -> None:
    r = run(
        "2025-10-20",
        [ev("extension_approved", "2025-11-03", days=10), ev("extension_approved", "2025-11-10", days=10)],
        "2025-11-17",
    )
    assert r.extension_days == 10
    assert r.reply_due == CAL.add_working_days(D("2025-10-20"), 30)
    assert [x.refusal for x in r.extensions] == [None, "second"]
    assert "只能延长一次" in steps(r, "extension_refused")[0]


def test_extension_crossing_national_day() -> None:
    r = run("2026-09-01", [ev("extension_approved", "2026-09-28", days=20)], "2026-10-09")
    assert r.reply_due == D("2026-11-02")
    assert r.days_left == 17
    assert any("国庆节放假，不计入" in s for s in steps(r, "rest"))


def test_extension_is_checked_against_the_due_date_moved_by_a_pause() -> None:
    # without the consultation the due date is 2025-11-17 and an approval on 11-20 would be late
    events = [ev("consultation_sent", "2025-10-22"), ev("extension_approved", "2025-11-20", days=5)]
    r = run("2025-10-20", events, "2025-11-20")
    assert r.extension_days == 5


# ----------------------------------------------------------------- Art 35 delay


def test_art35_delay_replaces_the_due_date() -> None:
    r = run(
        "2025-08-01",
        [
            ev("delay_notified", "2025-08-15", until="2025-10-31"),
            ev("extension_approved", "2025-08-20", days=20),
        ],
        "2025-10-27",
    )
    assert r.reply_due == D("2025-10-31")
    assert (r.days_left, r.band) == (4, Band.WITHIN_5)
    assert steps(r, "delay")
    assert r.counted_days == CAL.working_days_between(D("2025-08-01"), D("2025-10-31"))


# ----------------------------------------------------------------- year boundaries


def test_running_into_an_unloaded_year_is_provisional() -> None:
    r = run("2026-12-21", [], "2026-12-21")
    assert r.reply_due == D("2027-01-19")
    assert r.provisional is True
    assert r.calendar_version == {"2026": CAL.version_of(2026), "2027": "unloaded"}
    (note,) = steps(r, "provisional")
    assert note.startswith("2027年节假日安排尚未加载")
    assert any("元旦放假（2027年安排未加载，按法定日期暂定）" in s for s in steps(r, "rest"))


@pytest.mark.parametrize(
    ("received", "reply_due", "provisional"),
    [
        pytest.param("2026-11-25", "2026-12-23", False, id="年末规则-止于12月23日"),
        pytest.param("2026-11-27", "2026-12-25", True, id="年末规则-止于12月25日"),
    ],
)
def test_late_december_rule(received: str, reply_due: str, provisional: bool) -> None:
    r = run(received, [], received)
    assert (iso(r.reply_due), r.provisional) == (reply_due, provisional)


def test_a_loaded_next_year_is_used_and_recorded() -> None:
    y2027 = YearSchedule(
        2027,
        frozenset(D("2027-01-01") + dt.timedelta(days=i) for i in range(3)),
        frozenset({D("2027-01-09")}),
        source="测试用2027年安排",
    )
    cal = CAL.with_schedule(y2027)
    r = run("2026-12-21", [], "2026-12-21", calendar=cal)
    assert r.provisional is False
    assert r.calendar_version == {"2026": CAL.version_of(2026), "2027": y2027.version}
    assert r.reply_due == D("2027-01-18")  # 1-1..3 off (Fri–Sun) and Saturday 1-9 worked


# ----------------------------------------------------------------- states and bands


@pytest.mark.parametrize(
    ("today", "state", "band", "days_left"),
    [
        pytest.param("2025-05-06", State.RUNNING, Band.RUNNING, 17, id="状态-计时中"),
        pytest.param("2025-05-22", State.RUNNING, Band.WITHIN_5, 5, id="状态-5日内"),
        pytest.param("2025-05-26", State.RUNNING, Band.WITHIN_3, 3, id="状态-3日内"),
        pytest.param("2025-05-29", State.RUNNING, Band.DUE_TODAY, 0, id="状态-当日届满"),
        pytest.param("2025-05-30", State.OVERDUE, Band.OVERDUE, -1, id="状态-逾期1日"),
        pytest.param("2025-05-31", State.OVERDUE, Band.OVERDUE, -1, id="状态-逾期遇假日"),
        pytest.param("2025-04-20", State.RUNNING, Band.RUNNING, 27, id="状态-收到前查看"),
    ],
)
def test_states_and_bands(today: str, state: State, band: Band, days_left: int) -> None:
    r = run("2025-04-28", [], today)
    assert r.reply_due == D("2025-05-29")
    assert (r.state, r.band, r.days_left) == (state, band, days_left)


def test_overdue_on_the_weekend_after_the_due_date() -> None:
    # interfaces.md §3.1: minus the working days after reply_due up to today — none yet on Saturday
    r = run("2025-07-04", [], "2025-08-02")
    assert r.reply_due == D("2025-08-01")
    assert (r.state, r.band, r.days_left) == (State.OVERDUE, Band.OVERDUE, 0)


def test_paused_case_that_is_urgent_shows_its_urgency() -> None:
    events = [ev("consultation_sent", "2025-05-27")]  # day 20 would be 05-29; sent on day 18
    r = run("2025-04-28", events, "2025-05-28")
    assert r.state == State.PAUSED
    assert r.band == Band.PAUSED  # 2 counted days remain after a 15-wd window: not urgent
    assert r.days_left is not None and r.days_left > 5


def test_replied_case_is_concluded_and_says_whether_on_time() -> None:
    r = run("2025-04-28", [ev("replied", "2025-06-03", outcome="disclosed")], "2025-06-10")
    assert (r.state, r.band, r.days_left) == (State.CONCLUDED, Band.CONCLUDED, None)
    assert r.reply_due == D("2025-05-29")
    assert steps(r, "concluded") == ["6月3日作出答复，办理终结（超过答复期限2个工作日）"]


def test_first_concluding_event_counts() -> None:
    events = [ev("replied", "2025-05-20"), ev("replied", "2025-09-01")]
    assert run("2025-04-28", events, "2025-09-02").concluded_on == D("2025-05-20")


def test_awaiting_confirmation() -> None:
    r = run(None, [], "2025-06-01", channel="online")
    assert (r.state, r.band) == (State.AWAITING_CONFIRMATION, Band.WAITING)
    assert (r.reply_due, r.correction_notice_due, r.days_left, r.start) == (None, None, None, None)
    assert r.to_json()["calendar_version"] == {}


def test_confirmed_online_case_runs_from_the_confirmation() -> None:
    r = run("2025-06-05", [ev("receipt_confirmed", "2025-06-05")], "2025-06-05", channel="online")
    assert r.reply_due == CAL.add_working_days(D("2025-06-05"), 20)
    assert "双方确认收到网上申请" in steps(r, "receipt")[0]


def test_missing_receipt_on_a_channel_without_confirmation_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        run(None, [], "2025-06-01", channel="in_person")
    assert err.value.field == "received"


# ----------------------------------------------------------------- the trace


TRACE_CASES = [
    pytest.param("2026-09-16", [], id="trace-国庆中秋"),
    pytest.param("2026-02-10", [], id="trace-春节调休"),
    pytest.param("2026-12-10", [ev("extension_approved", "2027-01-05", days=10)], id="trace-延期入未加载年"),
    pytest.param(
        "2025-09-15",
        [
            ev("consultation_sent", "2025-09-17", delivered="2025-09-19"),
            ev("consultation_replied", "2025-10-16"),
            ev("extension_approved", "2025-11-10", days=7),
        ],
        id="trace-征求意见跨国庆加延期",
    ),
    pytest.param(
        "2025-07-01",
        [
            ev("consultation_sent", "2025-07-03"),
            ev("correction_requested", "2025-07-04", period_end="2025-07-18"),
            ev("correction_received", "2025-07-10"),
            ev("fee_notified", "2025-07-30"),
            ev("fee_waived", "2025-08-04"),
        ],
        id="trace-补正重新起算加暂停",
    ),
]


@pytest.mark.parametrize(("received", "events"), TRACE_CASES)
def test_trace_counted_steps_add_up_to_the_period(received: str, events: list[dict[str, Any]]) -> None:
    r = run(received, events, received)
    assert r.reply_due is not None and r.start is not None
    counted = [s for s in r.trace if s.counted]
    assert len(counted) == sum(s.days for s in r.trace) == REPLY_PERIOD_PLUS(r)
    assert [s.day for s in counted] == list(range(1, len(counted) + 1))
    assert counted[-1].date == r.reply_due
    dates = [s.date for s in counted]
    assert dates == sorted(set(dates))
    assert all(CAL.is_working_day(d) and r.start < d for d in dates)
    assert len(counted) + r.paused_days == CAL.working_days_between(r.start, r.reply_due)
    assert all(s.basis for s in r.trace)
    assert [s.date for s in r.trace] == sorted(s.date for s in r.trace)
    json_trace = r.to_json()["trace"]
    assert sum(1 for s in json_trace if s["counted"]) == len(counted)


def REPLY_PERIOD_PLUS(r: DeadlineResult) -> int:
    return 20 + r.extension_days


def test_trace_names_the_articles_and_pauses() -> None:
    r = run(
        "2025-11-03",
        [ev("consultation_sent", "2025-11-05"), ev("consultation_replied", "2025-11-14")],
        "2025-11-17",
    )
    (start,) = steps(r, "pause_start")
    assert start.startswith("11月5日向某公司发出征求第三方意见书，当日计入，自次日起暂停计算")
    assert [s.basis for s in r.trace if s.kind == "pause_start"] == ["条例第三十二条、第三十三条第三款"]
    assert steps(r, "pause_end") == ["11月14日收到某公司的答复，暂停至此日止，次日起恢复计算"]
    assert steps(r, "reply_due") == ["答复期限届满日：12月10日（周三），共计20个工作日"]
    holiday = [s for s in run("2026-09-16", [], "2026-09-16").trace if s.kind == "rest"]
    assert [s.step for s in holiday] == [
        "9月25日至9月27日中秋节放假，不计入",
        "10月1日至10月7日国庆节放假，不计入",
    ]
    assert all("国办发明电〔2025〕7号" in s.basis for s in holiday)


def test_result_without_events_equals_the_general_path() -> None:
    # an event the clock ignores forces the general path; the dates must not change
    for received, today in [
        ("2025-04-28", "2025-05-30"),
        ("2026-12-21", "2026-12-01"),
        ("2025-12-25", "2026-01-05"),
    ]:
        plain = run(received, [], today)
        general = run(received, [ev("delivered", received)], today)
        assert plain == general


# ----------------------------------------------------------------- independent hand-counted cases


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_independent_cases(case: dict[str, Any]) -> None:
    r = run(
        case["received"],
        case["events"],
        case["today"],
        channel=case.get("channel", "in_person"),
        fee_pauses_clock=case.get("fee_pauses_clock", True),
    )
    out = r.to_json()
    assert {k: out[k] for k in case["expected"]} == case["expected"], case["why"]


def test_extension_dated_before_receipt_is_not_mistaken_for_a_restart() -> None:
    r = run("2025-10-20", [ev("extension_approved", "2025-10-17", days=10)], "2025-10-21")
    assert r.extension_days == 0
    assert [x.refusal for x in r.extensions] == ["before_receipt"]
    assert "早于收到申请之日" in steps(r, "extension_refused")[0]
