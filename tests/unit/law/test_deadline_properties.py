"""Properties of the reply clock over generated timelines (domain.md §3.2–3.3): the due date is a
working day, a pause never brings it forward, a restart never ends before start + 20 working days,
the trace's counted steps add up, and the index agrees with counting day by day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.law.deadlines import State, compute_deadline
from tests.unit.law.test_deadlines import CAL, build_case, ev

PROPS = settings(max_examples=150, deadline=None, database=None)

FIRST = dt.date(2019, 1, 2)
LAST = dt.date(2027, 6, 30)


@st.composite
def timelines(draw: st.DrawFn, *, with_correction: bool | None = None) -> tuple[dict[str, Any], dt.date]:
    """A case-file object with a realistic timeline in date order, and a ``today``."""
    received = draw(st.dates(FIRST, LAST))

    def wd(base: dt.date, lo: int, hi: int) -> dt.date:
        return CAL.add_working_days(base, draw(st.integers(lo, hi)))

    events: list[dict[str, Any]] = []
    correction = draw(st.booleans()) if with_correction is None else with_correction
    if correction:
        asked = wd(received, 0, 7)
        events.append(ev("correction_requested", asked.isoformat(), period_end=wd(asked, 10, 15).isoformat()))
        if with_correction or draw(st.booleans()):
            events.append(ev("correction_received", wd(asked, 0, 12).isoformat()))
    for i in range(draw(st.integers(0, 3))):
        sent = wd(received, 0, 25)
        fields: dict[str, Any] = {"id": f"c{i}", "party": draw(st.sampled_from(["third_party", "agency"]))}
        if draw(st.booleans()):
            fields["delivered"] = wd(sent, 0, 5).isoformat()
        events.append(ev("consultation_sent", sent.isoformat(), **fields))
        if draw(st.booleans()):
            events.append(ev("consultation_replied", wd(sent, 0, 25).isoformat(), id=f"c{i}"))
    if draw(st.booleans()):
        notice = wd(received, 0, 20)
        fields = {"delivered": wd(notice, 0, 4).isoformat()} if draw(st.booleans()) else {}
        events.append(ev("fee_notified", notice.isoformat(), **fields))
        settle = draw(st.sampled_from(["fee_paid", "fee_waived", None]))
        if settle is not None:
            events.append(ev(settle, wd(notice, 0, 25).isoformat()))
    if draw(st.booleans()):
        events.append(
            ev("extension_approved", wd(received, 1, 45).isoformat(), days=draw(st.integers(1, 20)))
        )
    events.sort(key=lambda e: e["date"])
    today = received + dt.timedelta(days=draw(st.integers(-10, 150)))
    return {"received": received.isoformat(), "events": events}, today


def with_event(obj: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    return {**obj, "events": sorted([*obj["events"], event], key=lambda e: e["date"])}


@PROPS
@given(timelines())
def test_reply_due_is_a_working_day(data: tuple[dict[str, Any], dt.date]) -> None:
    obj, today = data
    r = compute_deadline(build_case(obj), CAL, today)
    if r.reply_due is not None:
        assert CAL.is_working_day(r.reply_due)
        assert r.start is not None and r.reply_due > r.start
    if r.correction_notice_due is not None:
        assert CAL.is_working_day(r.correction_notice_due)


@PROPS
@given(timelines(), st.integers(0, 30), st.integers(0, 30), st.booleans())
def test_a_pause_never_makes_the_due_date_earlier(
    data: tuple[dict[str, Any], dt.date], sent_after: int, answered_after: int, answered: bool
) -> None:
    obj, today = data
    received = dt.date.fromisoformat(obj["received"])
    sent = CAL.add_working_days(received, sent_after)
    extra = [ev("consultation_sent", sent.isoformat(), id="extra")]
    before = compute_deadline(build_case(obj), CAL, today)
    paused_obj = with_event(obj, extra[0])
    if answered:
        answer = ev(
            "consultation_replied", CAL.add_working_days(sent, answered_after).isoformat(), id="extra"
        )
        paused_obj = with_event(paused_obj, answer)
    after = compute_deadline(build_case(paused_obj), CAL, today)
    if before.reply_due is not None:
        assert after.reply_due is not None and after.reply_due >= before.reply_due
        assert after.paused_days >= before.paused_days


@PROPS
@given(timelines(with_correction=True))
def test_a_restart_never_ends_before_start_plus_20(data: tuple[dict[str, Any], dt.date]) -> None:
    obj, today = data
    r = compute_deadline(build_case(obj), CAL, today)
    assert r.start is not None and r.reply_due is not None
    assert r.received is not None and r.start >= r.received
    assert r.reply_due >= CAL.add_working_days(r.start, 20)
    assert r.correction_notice_due is None


@PROPS
@given(timelines())
def test_trace_counted_steps_add_up(data: tuple[dict[str, Any], dt.date]) -> None:
    obj, today = data
    r = compute_deadline(build_case(obj), CAL, today)
    counted = [s for s in r.trace if s.counted]
    if r.reply_due is None:
        assert counted == []
        return
    assert r.start is not None
    assert len(counted) == sum(s.days for s in r.trace) == 20 + r.extension_days
    assert len(counted) + r.paused_days == CAL.working_days_between(r.start, r.reply_due)
    assert [s.day for s in counted] == list(range(1, len(counted) + 1))
    assert counted[-1].date == r.reply_due


@PROPS
@given(timelines())
def test_days_left_and_state_agree(data: tuple[dict[str, Any], dt.date]) -> None:
    obj, today = data
    r = compute_deadline(build_case(obj), CAL, today)
    if r.reply_due is None:
        assert r.days_left is None
        assert r.state in (State.AWAITING_CORRECTION, State.AWAITING_CONFIRMATION, State.CONCLUDED)
        return
    assert r.days_left == CAL.working_days_between(today, r.reply_due)
    assert (r.state is State.OVERDUE) is (today > r.reply_due)
    if r.state is State.PAUSED:
        assert r.active_pauses and r.days_left > 0


@PROPS
@given(st.dates(FIRST, LAST), st.integers(-30, 200))
def test_cases_without_events_take_the_same_rules(received: dt.date, offset: int) -> None:
    today = received + dt.timedelta(days=offset)
    plain = compute_deadline(build_case({"received": received.isoformat()}), CAL, today)
    ignored = ev("delivered", received.isoformat())
    general = compute_deadline(
        build_case({"received": received.isoformat(), "events": [ignored]}), CAL, today
    )
    assert plain == general
    assert plain.to_json() == general.to_json()


@PROPS
@given(st.dates(FIRST, LAST))
def test_provisional_exactly_when_an_unloaded_year_or_late_december_is_touched(received: dt.date) -> None:
    r = compute_deadline(build_case({"received": received.isoformat()}), CAL, received)
    assert r.reply_due is not None
    days = [received + dt.timedelta(days=i) for i in range(1, (r.reply_due - received).days + 1)]
    touched = any(
        not 2019 <= d.year <= 2026 or (d.year == 2026 and d.month == 12 and d.day >= 25) for d in days
    )
    assert r.provisional is touched


@PROPS
@given(st.dates(dt.date(2018, 1, 1), dt.date(2028, 12, 31)), st.integers(0, 60))
def test_index_agrees_with_counting_day_by_day(start: dt.date, n: int) -> None:
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        counted += CAL.is_working_day(day)
    assert CAL.add_working_days(start, n) == day
    assert CAL.working_days_between(start, day) == n
    if n:
        assert CAL.add_working_days(day, -n) <= start
