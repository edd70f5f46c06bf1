"""The reply clock (条例第三十条至第三十五条): due dates, days left, state and a trace a clerk can check.

``compute_deadline`` reads only a case's legal receipt date and its timeline events and applies the
product's Decisions of domain.md §3.3 exactly:

* day 0 is the legal receipt date (条例第三十一条); the Nth counted working day ends a period;
* the 补正 notice is due on day 0 + 7 working days and is never paused (条例第三十条);
* a correction request stops the clock; the corrected application's day is a new day 0;
* a consultation pauses the days (S, E], E the earlier of the answer and the end of the
  15-working-day window (条例第三十二条、第三十四条、第三十三条第三款); pauses may overlap;
* a fee notice pauses (notice, E] the same way when the agency says so (条例第四十二条, 109号);
* one approved extension of at most 20 working days, approved by the current due date
  (条例第三十三条第二款); a notified Art 35 delay replaces the due date (条例第三十五条).

The arithmetic runs on the calendar's working-day index (a period is a few look-ups, pauses are
merged intervals), so recomputing every open case is cheap. The records behind the dates
(consultation and fee windows, pauses, extension decisions) and the trace come from a second,
detailed pass over the same code, run only when someone asks for them.

Pure: no I/O, ``today`` is always a parameter. Events dated after ``today`` are taken as recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from app.domain.codes import FINDING_LABELS, Channel, Finding, Opinion, Party
from app.domain.errors import InputError
from app.domain.model import (
    Case,
    ConsultationReplied,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    DelayNotified,
    ExtensionApproved,
    FeeNotified,
    FeePaid,
    FeeWaived,
    Replied,
    Terminated,
)
from app.law.calendar import FIXED_HOLIDAYS, WorkCalendar, weekday_name

# 条例第三十三条第一款: reply within 20 working days of receipt.
REPLY_PERIOD = 20
# 条例第三十三条第二款: extension of at most 20 working days, approved by the head of the office.
MAX_EXTENSION = 20
# 条例第三十条: the 补正 notice within 7 working days of receipt, once.
CORRECTION_NOTICE_PERIOD = 7
# 条例第三十二条 (third party), 第三十四条 (another agency): answer within 15 working days of receipt.
CONSULTATION_WINDOW = 15
# 条例第四十二条 and 109号: pay within 20 working days counted from the day after the notice arrives.
FEE_WINDOW = 20

BASIS_RECEIPT = "条例第三十一条"
BASIS_REPLY = "条例第三十三条第一款"
BASIS_EXTENSION = "条例第三十三条第二款"
BASIS_PAUSE = "条例第三十三条第三款"
BASIS_CORRECTION = "条例第三十条"
BASIS_THIRD_PARTY = "条例第三十二条、第三十三条第三款"
BASIS_AGENCY = "条例第三十四条、第三十三条第三款"
BASIS_DELAY = "条例第三十五条"
BASIS_FEE = "条例第四十二条、《政府信息公开信息处理费管理办法》"
BASIS_FIXED = "《全国年节及纪念日放假办法》第二条"
BASIS_NOTICE = "国务院办公厅节假日安排通知"


class State(StrEnum):
    """The case's clock state; the first that applies wins (interfaces.md §3.1)."""

    CONCLUDED = "concluded"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    AWAITING_CORRECTION = "awaiting_correction"
    OVERDUE = "overdue"
    PAUSED = "paused"
    RUNNING = "running"


class Band(StrEnum):
    """Status band for lists and reminders (domain.md §3.3)."""

    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    WITHIN_3 = "within_3"
    WITHIN_5 = "within_5"
    RUNNING = "running"
    PAUSED = "paused"
    WAITING = "waiting"
    CONCLUDED = "concluded"


_NO_VERSIONS: Mapping[str, str] = MappingProxyType({})

ExtensionRefusal = Literal["void_after_restart", "before_receipt", "second", "out_of_range", "late"]
PauseKind = Literal["consultation", "fee"]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


# --------------------------------------------------------------------------- records


class Pause(NamedTuple):
    """The clock is paused on every day in (start, end]; ``start`` itself still counts."""

    kind: PauseKind
    ref: str
    start: dt.date
    end: dt.date

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


class ConsultationWindow(NamedTuple):
    """One consultation: the consulted party's 15-working-day window and the pause it causes."""

    id: str
    party: Party
    name: str
    sent: dt.date
    delivered: dt.date | None
    window_end: dt.date
    replied: dt.date | None
    opinion: Opinion | None
    pause_end: dt.date
    late: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "party": str(self.party),
            "name": self.name,
            "sent": self.sent.isoformat(),
            "delivered": _iso(self.delivered),
            "window_end": self.window_end.isoformat(),
            "replied": _iso(self.replied),
            "opinion": str(self.opinion) if self.opinion is not None else None,
            "pause_end": self.pause_end.isoformat(),
            "late": self.late,
        }


class FeeWindow(NamedTuple):
    """One fee notice: the applicant's 20-working-day payment window and how it ended."""

    notified: dt.date
    delivered: dt.date | None
    amount: int
    window_end: dt.date
    settled: dt.date | None
    settled_by: Literal["paid", "waived"] | None
    pause_end: dt.date

    def to_json(self) -> dict[str, Any]:
        return {
            "notified": self.notified.isoformat(),
            "delivered": _iso(self.delivered),
            "amount": self.amount,
            "window_end": self.window_end.isoformat(),
            "settled": _iso(self.settled),
            "settled_by": self.settled_by,
            "pause_end": self.pause_end.isoformat(),
        }


class ExtensionDecision(NamedTuple):
    """What the engine did with one ``extension_approved`` event."""

    date: dt.date
    days: int
    applied: bool
    refusal: ExtensionRefusal | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "days": self.days,
            "applied": self.applied,
            "refusal": self.refusal,
        }


class TraceStep(NamedTuple):
    """One line of the trace.

    ``counted`` steps are exactly the counted working days, one step per day (``day`` is its number
    in the count, ``days`` is 1), so the counted steps add up to the days counted to the reply due
    date, whether one counts the steps or sums their ``days``. Every other step (``counted: false``,
    ``days: 0``) explains: the start, a holiday skipped, a pause, a restart, an extension, the due date.
    """

    date: dt.date
    step: str
    basis: str
    counted: bool
    kind: str
    day: int | None = None

    @property
    def days(self) -> int:
        return 1 if self.counted else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "step": self.step,
            "basis": self.basis,
            "counted": self.counted,
            "kind": self.kind,
            "day": self.day,
            "days": self.days,
        }


class _Details:
    """What the detailed pass records besides the dates: the records and what the trace needs."""

    __slots__ = (
        "active_pauses",
        "calendar",
        "case",
        "concluding",
        "consultation_windows",
        "correction_received",
        "correction_requested",
        "delay",
        "extension_base_due",
        "extensions",
        "fee_pauses_clock",
        "fee_windows",
        "merged_pauses",
        "pauses",
        "void_delays",
    )

    def __init__(self, calendar: WorkCalendar, case: Case, fee_pauses_clock: bool) -> None:
        self.calendar = calendar
        self.case = case
        self.fee_pauses_clock = fee_pauses_clock
        self.concluding: Replied | Terminated | None = None
        self.correction_requested: CorrectionRequested | None = None
        self.correction_received: CorrectionReceived | None = None
        self.extension_base_due: dt.date | None = None
        self.delay: DelayNotified | None = None
        self.void_delays: tuple[DelayNotified, ...] = ()
        self.merged_pauses: tuple[tuple[int, int], ...] = ()
        self.pauses: list[Pause] = []
        self.active_pauses: list[Pause] = []
        self.consultation_windows: list[ConsultationWindow] = []
        self.fee_windows: list[FeeWindow] = []
        self.extensions: list[ExtensionDecision] = []


@dataclass(slots=True)
class DeadlineResult:
    """Derived dates of one case (interfaces.md §3.1); ``to_json`` gives the documented shape.

    A value: treat it as read-only. It is not frozen because a frozen dataclass costs several
    microseconds more to build and every open case is recomputed after a calendar change; the
    records behind the dates and the trace are computed on first use and cached.
    """

    received: dt.date | None
    start: dt.date | None
    correction_notice_due: dt.date | None
    reply_due: dt.date | None
    days_left: int | None
    state: State
    band: Band
    paused_days: int
    extension_days: int
    provisional: bool
    calendar_version: Mapping[str, str]
    concluded_on: dt.date | None = None
    correction_period_end: dt.date | None = None
    # The inputs, kept (as plain slots: one object less for the garbage collector per case) so the
    # records and the trace can be computed on demand.
    _case: Case | None = field(default=None, repr=False, compare=False)
    _calendar: WorkCalendar | None = field(default=None, repr=False, compare=False)
    _today: dt.date | None = field(default=None, repr=False, compare=False)
    _fee_pauses_clock: bool = field(default=True, repr=False, compare=False)
    _details: _Details | None = field(default=None, init=False, repr=False, compare=False)
    _trace: tuple[TraceStep, ...] | None = field(default=None, init=False, repr=False, compare=False)

    def details(self) -> _Details | None:
        case, cal, today = self._case, self._calendar, self._today
        if self._details is None and case is not None and cal is not None and today is not None:
            details = _Details(cal, case, self._fee_pauses_clock)
            _compute(case, cal, today, self._fee_pauses_clock, details)
            self._details = details
        return self._details

    @property
    def pauses(self) -> tuple[Pause, ...]:
        """Every pause as recorded (before merging overlaps and clipping to the start)."""
        d = self.details()
        return tuple(d.pauses) if d is not None else ()

    @property
    def active_pauses(self) -> tuple[Pause, ...]:
        """The pauses covering ``today`` (why the case is paused)."""
        d = self.details()
        return tuple(d.active_pauses) if d is not None else ()

    @property
    def consultation_windows(self) -> tuple[ConsultationWindow, ...]:
        d = self.details()
        return tuple(d.consultation_windows) if d is not None else ()

    @property
    def fee_windows(self) -> tuple[FeeWindow, ...]:
        d = self.details()
        return tuple(d.fee_windows) if d is not None else ()

    @property
    def extensions(self) -> tuple[ExtensionDecision, ...]:
        """Each ``extension_approved`` event and whether it was applied (or why not)."""
        d = self.details()
        return tuple(d.extensions) if d is not None else ()

    @property
    def fee_deadline(self) -> dt.date | None:
        """The applicant's payment deadline under the latest fee notice."""
        windows = self.fee_windows
        return windows[-1].window_end if windows else None

    @property
    def counted_days(self) -> int:
        """Working days counted in (start, reply_due]: the counted steps of the trace."""
        return sum(1 for s in self.trace if s.counted)

    @property
    def trace(self) -> tuple[TraceStep, ...]:
        """The ordered steps that explain the dates (built on first use)."""
        if self._trace is None:
            details = self.details()
            self._trace = _build_trace(self, details) if details is not None else ()
        return self._trace

    def to_json(self) -> dict[str, Any]:
        """The ``deadline --json`` object: the documented keys in order, then additions."""
        return {
            "received": _iso(self.received),
            "start": _iso(self.start),
            "correction_notice_due": _iso(self.correction_notice_due),
            "reply_due": _iso(self.reply_due),
            "days_left": self.days_left,
            "state": str(self.state),
            "band": str(self.band),
            "paused_days": self.paused_days,
            "extension_days": self.extension_days,
            "provisional": self.provisional,
            "calendar_version": dict(self.calendar_version),
            "trace": [s.to_json() for s in self.trace],
            "concluded_on": _iso(self.concluded_on),
            "correction_period_end": _iso(self.correction_period_end),
            "pauses": [p.to_json() for p in self.pauses],
            "paused_by": [p.to_json() for p in self.active_pauses],
            "consultation_windows": [w.to_json() for w in self.consultation_windows],
            "fee_deadline": _iso(self.fee_deadline),
            "fee_windows": [w.to_json() for w in self.fee_windows],
            "extensions": [x.to_json() for x in self.extensions],
        }


# --------------------------------------------------------------------------- the engine


def compute_deadline(
    case: Case, calendar: WorkCalendar, today: dt.date, *, fee_pauses_clock: bool = True
) -> DeadlineResult:
    """Every derived date of ``case`` as of ``today`` (domain.md §3.3, interfaces.md §3.1).

    ``fee_pauses_clock`` is the agency setting of domain.md §3.3 (``agency.toml``). Raises
    ``InputError`` only for a case that has no receipt date although its channel needs none.
    """
    received = case.received
    if received is not None and not case.events:
        return _compute_plain(case, received, calendar, today, fee_pauses_clock)
    return _compute(case, calendar, today, fee_pauses_clock, None)


def standard_periods(received: dt.date, calendar: WorkCalendar) -> dict[str, Any]:
    """The quick calculator (``deadline --received D``), JSON-ready with ISO dates.

    ``periods`` are receipt + 7 / 15 / 20 / 40 working days (补正 notice, consultation window,
    reply, reply with the longest extension).
    """
    periods = {str(n): calendar.add_working_days(received, n) for n in (7, 15, 20, 40)}
    return {
        "received": received.isoformat(),
        "correction_notice_due": periods["7"].isoformat(),
        "reply_due": periods["20"].isoformat(),
        "periods": {k: v.isoformat() for k, v in periods.items()},
        "provisional": calendar.is_provisional_period(received, periods["40"]),
    }


def _walk(cal: WorkCalendar, start: int, n: int, pauses: tuple[tuple[int, int], ...]) -> int:
    """The ordinal of the Nth counted day after ``start``, skipping the merged pauses (s, e]."""
    cursor, remaining = start, n
    for s, e in pauses:
        available = cal.working_days_between_ord(cursor, s)
        if remaining <= available:
            break
        remaining -= available
        cursor = e
    return cal.add_working_days_ord(cursor, remaining)


def _merge(raw: list[tuple[int, int]], start: int) -> tuple[tuple[int, int], ...]:
    """Union of pauses (s, e], clipped to the days after ``start`` (domain.md §3.3: a day is paused
    when any pause covers it)."""
    if len(raw) == 1:
        s, e = raw[0]
        return ((s if s > start else start, e),) if e > start else ()
    merged: list[tuple[int, int]] = []
    for s, e in sorted(raw):
        if e <= start:
            continue
        if s < start:
            s = start
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return tuple(merged)


def _state_and_band(days_left: int, overdue: bool, paused: bool) -> tuple[State, Band]:
    """interfaces.md §3.1 precedence for an open case with a due date; the band puts urgency first,
    so a paused case due within 5 working days shows its urgency band, not "paused"."""
    if overdue:
        return State.OVERDUE, Band.OVERDUE
    state = State.PAUSED if paused else State.RUNNING
    if days_left == 0:
        return state, Band.DUE_TODAY
    if days_left <= 3:
        return state, Band.WITHIN_3
    if days_left <= 5:
        return state, Band.WITHIN_5
    return state, Band.PAUSED if paused else Band.RUNNING


def _compute_plain(
    case: Case, received: dt.date, cal: WorkCalendar, today: dt.date, fee_pauses_clock: bool
) -> DeadlineResult:
    """A case without a timeline (most open cases): the rules of ``_compute`` with nothing to pause,
    restart or extend, read straight off the calendar's index (a test checks both agree)."""
    fromordinal = dt.date.fromordinal
    rec = received.toordinal()
    t_o = today.toordinal()
    ix = cal.index_covering(rec if rec < t_o else t_o, rec if rec > t_o else t_o)
    first, cum, wdays = ix.first, ix.cum, ix.days
    rank = cum[rec - first]
    cn_due = wdays[rank + CORRECTION_NOTICE_PERIOD - 1]  # 条例第三十条
    due = wdays[rank + REPLY_PERIOD - 1]  # 条例第三十三条第一款
    days_left = cum[due - first] - cum[t_o - first]
    state, band = _state_and_band(days_left, t_o > due, False)
    due_date = fromordinal(due)
    return DeadlineResult(
        received,
        received,
        fromordinal(cn_due),
        due_date,
        days_left,
        state,
        band,
        0,
        0,
        cal.is_provisional_period_ord(rec, due),
        cal.versions_between(received, due_date),
        None,
        None,
        case,
        cal,
        today,
        fee_pauses_clock,
    )


def _compute(
    case: Case, cal: WorkCalendar, today: dt.date, fee_pauses_clock: bool, details: _Details | None
) -> DeadlineResult:
    """The engine. With ``details`` it also records the windows, pauses, extension decisions and
    what the trace needs; without, it computes the dates only (the pass every open case gets)."""
    fromordinal = dt.date.fromordinal
    received = case.received
    events = case.events
    add = cal.add_working_days_ord
    between = cal.working_days_between_ord
    concluding: Replied | Terminated | None = None
    reply_sent = False
    corr_req: CorrectionRequested | None = None
    corr_rec: CorrectionReceived | None = None
    sent: list[ConsultationSent] = []
    answers: dict[str, ConsultationReplied] = {}
    extensions: list[ExtensionApproved] = []
    delays: list[DelayNotified] = []
    fee_events: list[FeeNotified | FeePaid | FeeWaived] = []
    for e in events:
        # exact types: cheaper than isinstance, and event classes are final
        if type(e) is ConsultationSent:
            sent.append(e)
        elif type(e) is ConsultationReplied:
            answers.setdefault(e.id, e)  # the first answer counts
        elif type(e) is ExtensionApproved:
            extensions.append(e)
        elif type(e) is CorrectionRequested:
            if corr_req is None:  # 条例第三十条: once
                corr_req = e
        elif type(e) is CorrectionReceived:
            if corr_rec is None and corr_req is not None and e.date >= corr_req.date:
                corr_rec = e
        elif type(e) is FeeNotified or type(e) is FeePaid or type(e) is FeeWaived:
            fee_events.append(e)
        elif type(e) is Replied or type(e) is Terminated:
            if concluding is None:
                concluding = e  # domain.md §5: the first concluding event counts
            if type(e) is Replied:
                reply_sent = True
        elif type(e) is DelayNotified:
            delays.append(e)
    if details is not None:
        details.concluding = concluding
        details.correction_requested = corr_req
        details.correction_received = corr_rec
    concluded_on = concluding.date if concluding is not None else None

    if received is None:
        if not case.needs_confirmation:
            raise InputError("required", field="received")
        # 条例第三十一条: no clock until the receipt is confirmed with the applicant.
        done = concluding is not None
        return DeadlineResult(
            None,
            None,
            None,
            None,
            None,
            State.CONCLUDED if done else State.AWAITING_CONFIRMATION,
            Band.CONCLUDED if done else Band.WAITING,
            0,
            0,
            False,
            _NO_VERSIONS,
            concluded_on,
            None,
            case,
            cal,
            today,
            fee_pauses_clock,
        )

    rec = received.toordinal()
    t_o = today.toordinal()
    # 条例第三十条: the 补正 notice is due 7 working days after receipt, never paused; it no longer
    # applies once the notice (or a reply) has gone out.
    cn_due = None if corr_req is not None or reply_sent else add(rec, CORRECTION_NOTICE_PERIOD)
    start = rec
    awaiting_correction = False
    if corr_req is not None:
        if corr_rec is not None:
            # 条例第三十条: the corrected application's day is a new day 0.
            start = corr_rec.date.toordinal()
        else:
            awaiting_correction = True
    latest = cn_due if cn_due is not None else rec

    # Pauses as ordinal intervals (s, e]; the detailed pass also keeps them as records.
    raw: list[tuple[int, int]] = []
    for c in sent:
        # 条例第三十三条第三款: the time a consultation takes is not counted; 条例第三十二条、
        # 第三十四条: the consulted party answers within 15 working days of receiving the letter.
        s_o = c.date.toordinal()
        w_end = add((c.delivered or c.date).toordinal(), CONSULTATION_WINDOW)
        answer = answers.get(c.id)
        a_o = answer.date.toordinal() if answer is not None else None
        # A late answer does not extend the pause (domain.md §3.3 Decision).
        e_o = w_end if a_o is None or a_o > w_end else a_o
        if e_o > s_o:
            raw.append((s_o, e_o))
        if w_end > latest:
            latest = w_end
        if details is not None:
            if e_o > s_o:
                details.pauses.append(Pause("consultation", c.id, c.date, fromordinal(e_o)))
            details.consultation_windows.append(
                ConsultationWindow(
                    c.id,
                    c.party,
                    c.name,
                    c.date,
                    c.delivered,
                    fromordinal(w_end),
                    answer.date if answer is not None else None,
                    answer.opinion if answer is not None else None,
                    fromordinal(max(e_o, s_o)),
                    a_o is not None and a_o > w_end,
                )
            )

    if fee_events:
        settlements = [f for f in fee_events if isinstance(f, (FeePaid, FeeWaived))]
        used: set[int] = set()
        for f in fee_events:
            if type(f) is not FeeNotified:
                continue
            n_o = f.date.toordinal()
            # 109号: pay within 20 working days counted from the day after receiving the notice.
            w_end = add((f.delivered or f.date).toordinal(), FEE_WINDOW)
            settle: FeePaid | FeeWaived | None = None
            for i, candidate in enumerate(settlements):
                if i not in used and candidate.date >= f.date:
                    used.add(i)
                    settle = candidate
                    break
            settle_o = settle.date.toordinal() if settle is not None else None
            e_o = w_end if settle_o is None or settle_o > w_end else settle_o
            pausing = fee_pauses_clock and e_o > n_o
            if pausing:
                # domain.md §3.3 Decision: the fee period (notice, E] is paused by default.
                raw.append((n_o, e_o))
            if w_end > latest:
                latest = w_end
            if details is not None:
                if pausing:
                    details.pauses.append(Pause("fee", f.date.isoformat(), f.date, fromordinal(e_o)))
                details.fee_windows.append(
                    FeeWindow(
                        f.date,
                        f.delivered,
                        f.amount,
                        fromordinal(w_end),
                        settle.date if settle is not None else None,
                        None if settle is None else ("paid" if type(settle) is FeePaid else "waived"),
                        fromordinal(max(e_o, n_o)),
                    )
                )

    merged = _merge(raw, start) if raw else ()
    reply_due: int | None = None
    extension_days = 0
    if not awaiting_correction:
        base_due = _walk(cal, start, REPLY_PERIOD, merged) if merged else add(start, REPLY_PERIOD)
        for ext in extensions:
            x_o = ext.date.toordinal()
            refusal: ExtensionRefusal | None = None
            if x_o < start:
                # 条例第三十条: a restart voids an earlier extension (one before receipt is a data error)
                refusal = "void_after_restart" if corr_rec is not None else "before_receipt"
            elif extension_days:
                refusal = "second"  # 条例第三十三条第二款: one extension
            elif not 1 <= ext.days <= MAX_EXTENSION:
                refusal = "out_of_range"  # 条例第三十三条第二款: at most 20 working days
            elif x_o > base_due:
                refusal = "late"  # approved on or before the current due date (延期答复告知书 in time)
            else:
                extension_days = ext.days
            if details is not None:
                details.extensions.append(ExtensionDecision(ext.date, ext.days, refusal is None, refusal))
        reply_due = base_due
        if extension_days:
            reply_due = _walk(cal, start, REPLY_PERIOD + extension_days, merged)
        delay = None
        for d in delays:
            if d.date.toordinal() >= start:
                delay = d  # the latest notified delay counts; one before a restart is void
        if delay is not None:
            # 条例第三十五条: the notified reasonable delayed period replaces the due date.
            reply_due = delay.until.toordinal()
        if reply_due > latest:
            latest = reply_due
        if details is not None:
            details.extension_base_due = fromordinal(base_due)
            details.delay = delay
            details.void_delays = tuple(d for d in delays if d.date.toordinal() < start)
    else:
        # Awaiting the correction: no clock, so nothing to extend or delay yet.
        if details is not None:
            details.extensions = [
                ExtensionDecision(x.date, x.days, False, "void_after_restart") for x in extensions
            ]
            details.void_delays = tuple(delays)

    paused_days = 0
    paused_today = False
    for ps, pe in merged:
        if reply_due is not None and ps < reply_due:
            # domain.md §3.3: working days in (start, reply_due] covered by a pause.
            paused_days += between(ps, pe if pe < reply_due else reply_due)
        if ps < t_o <= pe:
            paused_today = True

    days_left: int | None = None
    if concluding is not None:
        state, band = State.CONCLUDED, Band.CONCLUDED
    elif reply_due is None:
        state, band = State.AWAITING_CORRECTION, Band.WAITING
    else:
        days_left = between(t_o, reply_due)
        state, band = _state_and_band(days_left, t_o > reply_due, paused_today)

    if details is not None:
        details.merged_pauses = merged
        details.active_pauses = [
            p for p in details.pauses if p.start.toordinal() < t_o <= p.end.toordinal() and start < t_o
        ]

    # Positional on purpose: this runs for every open case (see the class docstring).
    return DeadlineResult(
        received,
        fromordinal(start) if start != rec else received,
        fromordinal(cn_due) if cn_due is not None else None,
        fromordinal(reply_due) if reply_due is not None else None,
        days_left,
        state,
        band,
        paused_days,
        extension_days,
        cal.is_provisional_period_ord(rec, latest),
        cal.versions_between(received, fromordinal(latest)),
        concluded_on,
        corr_req.period_end if corr_req is not None and corr_rec is None else None,
        case,
        cal,
        today,
        fee_pauses_clock,
    )


# --------------------------------------------------------------------------- the trace


_RECEIPT_WORDS: dict[Channel, tuple[str, str]] = {
    Channel.IN_PERSON: ("当面提交申请", "条例第三十一条第（一）项"),
    Channel.POST_SIGNED: ("签收邮寄的申请", "条例第三十一条第（二）项"),
    Channel.POST_ORDINARY: ("与申请人确认收到平常信函申请", "条例第三十一条第（二）项"),
    Channel.ONLINE: ("双方确认收到网上申请", "条例第三十一条第（三）项"),
    Channel.FAX: ("双方确认收到传真申请", "条例第三十一条第（三）项"),
    Channel.EMAIL: ("双方确认收到电子邮件申请", "条例第三十一条第（三）项"),
    # domain.md §2.1 Decision (Art 31 is silent): the day the form was completed with the applicant.
    Channel.ORAL: ("代为填写口头申请并经申请人确认", "条例第二十九条、第三十一条"),
}

_PARTY_WORDS: dict[Party, tuple[str, str]] = {
    Party.THIRD_PARTY: ("征求第三方意见书", BASIS_THIRD_PARTY),
    Party.AGENCY: ("征求意见函", BASIS_AGENCY),
}

_REFUSAL_WORDS: dict[str, str] = {
    "void_after_restart": "批准于补正后重新起算之前，已失效",
    "before_receipt": "批准日期早于收到申请之日",
    "second": "答复期限只能延长一次",
    "out_of_range": "延长期限最长不得超过20个工作日",
    "late": "延期应在答复期限届满之日或之前批准",
}

# Sort order of steps on the same day: what happened that day, then the counted day, then notes.
_ORDER = {
    "receipt": 0,
    "awaiting_confirmation": 0,
    "correction_requested": 1,
    "awaiting_correction": 2,
    "restart": 3,
    "rest": 4,
    "count": 5,
    "correction_notice_due": 6,
    "pause_start": 7,
    "fee_notice": 7,
    "pause_end": 8,
    "late_answer": 9,
    "fee_settled": 9,
    "extension": 10,
    "extension_refused": 10,
    "delay": 10,
    "delay_void": 10,
    "provisional": 11,
    "reply_due": 12,
    "concluded": 13,
}


class _Writer:
    def __init__(self, ref_year: int) -> None:
        self.ref_year = ref_year
        self.steps: list[tuple[int, int, int, TraceStep]] = []

    def md(self, day: dt.date) -> str:
        if day.year != self.ref_year:
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day.month}月{day.day}日"

    def mdw(self, day: dt.date) -> str:
        return f"{self.md(day)}（{weekday_name(day)}）"

    def add(
        self, day: dt.date, kind: str, text: str, basis: str, *, counted: bool = False, n: int | None = None
    ) -> None:
        step = TraceStep(day, text, basis, counted, kind, n)
        self.steps.append((day.toordinal(), _ORDER[kind], len(self.steps), step))

    def done(self) -> tuple[TraceStep, ...]:
        return tuple(s for *_, s in sorted(self.steps, key=lambda x: x[:3]))


def _build_trace(r: DeadlineResult, facts: _Details) -> tuple[TraceStep, ...]:
    cal, case = facts.calendar, facts.case
    if r.received is None:
        assert r._today is not None
        day = case.arrived or r._today
        w = _Writer(day.year)
        arrived = f"申请于{w.md(case.arrived)}到达，" if case.arrived is not None else ""
        w.add(
            day,
            "awaiting_confirmation",
            f"{arrived}尚未与申请人确认收到申请，答复期限暂不起算；以确认之日为收到申请之日",
            BASIS_RECEIPT,
        )
        _concluded(w, facts, r)
        return w.done()

    received = r.received
    assert r.start is not None
    w = _Writer(received.year)
    words, basis = _RECEIPT_WORDS[case.channel]
    text = f"{received.year}年{w.mdw(received)}{words}，为收到申请之日（第0日，不计入），次日起算"
    if not cal.is_working_day(received):
        text += f"；该日为{cal.describe_day(received)}，不影响起算"
    w.add(received, "receipt", text, basis)

    if r.correction_notice_due is not None:
        w.add(
            r.correction_notice_due,
            "correction_notice_due",
            f"补正告知期限：{w.mdw(r.correction_notice_due)}（收到申请后第7个工作日，不因征求意见或缴费而暂停）",
            BASIS_CORRECTION,
        )
    req, rec = facts.correction_requested, facts.correction_received
    if req is not None:
        w.add(
            req.date,
            "correction_requested",
            f"{w.md(req.date)}发出补正告知书，答复期限停止计算；补正期限至{w.md(req.period_end)}",
            BASIS_CORRECTION,
        )
        if rec is None:
            w.add(
                req.date,
                "awaiting_correction",
                "等待申请人补正；收到补正后的申请之日重新起算，无正当理由逾期不补正的，视为放弃申请",
                BASIS_CORRECTION,
            )
    if rec is not None:
        w.add(
            rec.date,
            "restart",
            f"{w.mdw(rec.date)}收到补正后的申请，以此日为新的第0日重新起算，此前已计算的日数不再计入",
            BASIS_CORRECTION,
        )

    start = r.start.toordinal()
    due = r.reply_due
    for c in r.consultation_windows:
        _consultation_steps(w, cal, c, start)
    for f in r.fee_windows:
        _fee_steps(w, cal, f, facts.fee_pauses_clock, start)
    for x in r.extensions:
        _extension_step(w, x, facts, r)
    for d in facts.void_delays:
        why = "因补正后重新起算而失效" if rec is not None else "早于收到申请之日，不予采用"
        w.add(d.date, "delay_void", f"{w.md(d.date)}告知的延迟答复期限{why}", BASIS_DELAY)
    if facts.delay is not None and due is not None:
        w.add(
            facts.delay.date,
            "delay",
            f"{w.md(facts.delay.date)}告知申请人合理的延迟答复期限（{facts.delay.reason}），答复期限改为{w.mdw(due)}",
            BASIS_DELAY,
        )

    if due is not None:
        _count_steps(
            w,
            cal,
            start,
            due.toordinal(),
            facts.merged_pauses,
            r.extension_days,
            delayed=facts.delay is not None,
        )
        total = (
            cal.working_days_between_ord(start, due.toordinal()) - r.paused_days
            if due.toordinal() > start
            else 0
        )
        if facts.delay is not None:
            text = f"答复期限：{w.mdw(due)}（告知的合理延迟期限，计{total}个工作日）"
            basis = BASIS_DELAY
        else:
            text = f"答复期限届满日：{w.mdw(due)}，共计{total}个工作日"
            basis = BASIS_EXTENSION if r.extension_days else BASIS_REPLY
        w.add(due, "reply_due", text, basis)
    if r.provisional:
        _provisional_step(w, cal, received, r)
    _concluded(w, facts, r)
    return w.done()


def _count_steps(
    w: _Writer,
    cal: WorkCalendar,
    start: int,
    due: int,
    pauses: tuple[tuple[int, int], ...],
    extension_days: int,
    *,
    delayed: bool,
) -> None:
    """One counted step per counted day in (start, due], and one step per holiday skipped."""
    k = 0
    p = 0
    run: list[dt.date] = []

    def flush() -> None:
        listed = [d for d in run if cal.day_info(d).kind in ("rest", "local_rest", "fixed_rest")]
        run.clear()
        if not listed:
            return  # an ordinary weekend needs no explanation
        infos = [cal.day_info(d) for d in listed]
        names: list[str] = []
        for i in infos:
            for n in (i.name or "节假日").split("、"):
                if n not in names:
                    names.append(n)
        first, last = listed[0], listed[-1]
        span = w.md(first) if first == last else f"{w.md(first)}至{w.md(last)}"
        kinds = {i.kind for i in infos}
        label = "、".join(names)
        if kinds == {"fixed_rest"}:
            text = f"{span}{label}放假（{first.year}年安排未加载，按法定日期暂定），不计入"
            basis = BASIS_FIXED
        else:
            local = " 本地" if "local_rest" in kinds else ""
            text = f"{span}{label}{local.strip()}放假，不计入"
            basis = next((i.source for i in infos if i.source), BASIS_NOTICE)
        w.add(first, "rest", text, basis)

    for o in range(start + 1, due + 1):
        while p < len(pauses) and pauses[p][1] < o:
            p += 1
        if p < len(pauses) and pauses[p][0] < o <= pauses[p][1]:
            flush()
            continue
        day = dt.date.fromordinal(o)
        if not cal.is_working_day(day):
            run.append(day)
            continue
        flush()
        k += 1
        info = cal.day_info(day)
        if info.kind in ("make_up", "local_make_up"):
            local = "本地" if info.kind == "local_make_up" else ""
            text = f"{w.mdw(day)}为{local}调休上班日，计入，第{k}个工作日"
            basis = info.source or BASIS_NOTICE
        else:
            text = f"{w.mdw(day)}计入，第{k}个工作日"
            basis = BASIS_REPLY
        if k > REPLY_PERIOD and k <= REPLY_PERIOD + extension_days:
            text += f"（延长期限第{k - REPLY_PERIOD}日）"
            if info.kind not in ("make_up", "local_make_up"):
                basis = BASIS_EXTENSION
        elif k > REPLY_PERIOD + extension_days and delayed:
            text += "（合理延迟期限内）"
            if info.kind not in ("make_up", "local_make_up"):
                basis = BASIS_DELAY
        if info.provisional:
            text += "（暂定）"
        w.add(day, "count", text, basis, counted=True, n=k)
    flush()


def _same_day(cal: WorkCalendar, day: dt.date, start: int) -> str:
    """ "当日计入，" when the day a pause starts is itself a counted day (domain.md §3.3: day S counts)."""
    return "当日计入，" if day.toordinal() > start and cal.is_working_day(day) else ""


def _consultation_steps(w: _Writer, cal: WorkCalendar, c: ConsultationWindow, start: int) -> None:
    letter, basis = _PARTY_WORDS[c.party]
    base = f"{w.md(c.delivered)}送达" if c.delivered is not None else f"{w.md(c.sent)}发出"
    w.add(
        c.sent,
        "pause_start",
        f"{w.md(c.sent)}向{c.name}发出{letter}，{_same_day(cal, c.sent, start)}自次日起暂停计算；"
        f"对方答复期限至{w.mdw(c.window_end)}，即自{base}之日起15个工作日",
        basis,
    )
    if c.pause_end <= c.sent:
        return
    if c.replied is not None and not c.late:
        text = f"{w.md(c.replied)}收到{c.name}的答复，暂停至此日止，次日起恢复计算"
    else:
        text = f"{w.md(c.window_end)}{c.name}的答复期限届满，暂停至此日止，次日起恢复计算"
        if c.replied is None:
            # 条例第三十二条: silence leaves the decision to the agency; 第三十四条: silence = consent.
            if c.party is Party.THIRD_PARTY:
                text += "；第三方逾期未提出意见的，由本机关依法决定是否公开"
            else:
                text += "；逾期未答复的，视为同意公开"
    if c.pause_end.toordinal() <= start:
        text += "（该期间在重新起算之前，不影响答复期限）"
    w.add(c.pause_end, "pause_end", text, basis)
    if c.late and c.replied is not None:
        w.add(
            c.replied,
            "late_answer",
            f"{w.md(c.replied)}收到{c.name}的答复，已超过答复期限（{w.md(c.window_end)}），不再延长暂停",
            BASIS_PAUSE,
        )


def _fee_steps(w: _Writer, cal: WorkCalendar, f: FeeWindow, pauses_clock: bool, start: int) -> None:
    base = f"{w.md(f.delivered)}收到通知" if f.delivered is not None else f"{w.md(f.notified)}发出通知"
    deadline = f"缴费期限至{w.mdw(f.window_end)}，即自{base}次日起20个工作日"
    if pauses_clock:
        same_day = _same_day(cal, f.notified, start)
        text = f"{w.md(f.notified)}发出收费通知书（{f.amount}元），{same_day}自次日起暂停计算；{deadline}"
    else:
        text = (
            f"{w.md(f.notified)}发出收费通知书（{f.amount}元），{deadline}；按本机关设置，缴费期间不暂停计算"
        )
    w.add(f.notified, "fee_notice", text, BASIS_FEE)
    tail = "，暂停至此日止，次日起恢复计算" if pauses_clock else ""
    if f.settled is not None and f.settled <= f.window_end:
        what = "申请人缴纳信息处理费" if f.settled_by == "paid" else "决定免收信息处理费"
        w.add(f.settled, "fee_settled", f"{w.md(f.settled)}{what}{tail}", BASIS_FEE)
    else:
        w.add(
            f.window_end,
            "fee_settled",
            f"{w.md(f.window_end)}缴费期限届满{tail}；逾期未缴纳的，视为放弃申请",
            BASIS_FEE,
        )
        if f.settled is not None:
            w.add(f.settled, "fee_settled", f"{w.md(f.settled)}缴费已超过缴费期限，不再延长暂停", BASIS_FEE)


def _extension_step(w: _Writer, x: ExtensionDecision, facts: _Details, r: DeadlineResult) -> None:
    if x.applied and r.reply_due is not None and facts.extension_base_due is not None:
        text = (
            f"{w.md(x.date)}经批准延长答复期限{x.days}个工作日，"
            f"答复期限由{w.md(facts.extension_base_due)}延至{w.md(r.reply_due)}"
        )
        if facts.delay is not None:
            text = f"{w.md(x.date)}经批准延长答复期限{x.days}个工作日"
        w.add(x.date, "extension", text, BASIS_EXTENSION)
        return
    reason = _REFUSAL_WORDS[x.refusal or "late"]
    if x.refusal == "late" and facts.extension_base_due is not None:
        reason += f"（{w.md(facts.extension_base_due)}）"
    w.add(
        x.date,
        "extension_refused",
        f"{w.md(x.date)}批准的延期{x.days}个工作日未计入：{reason}",
        BASIS_EXTENSION,
    )


def _provisional_step(w: _Writer, cal: WorkCalendar, received: dt.date, r: DeadlineResult) -> None:
    last_candidates = [d for d in (r.reply_due, r.correction_notice_due, r.fee_deadline) if d is not None]
    last_candidates += [c.window_end for c in r.consultation_windows]
    last = max(last_candidates, default=received)
    for year in range(received.year, last.year + 1):
        first_day = max(received + dt.timedelta(days=1), dt.date(year, 1, 1))
        if not cal.is_loaded(year) and first_day <= last:
            fixed = "、".join(dict.fromkeys(n for *_, n in FIXED_HOLIDAYS))
            w.add(
                first_day,
                "provisional",
                f"{year}年节假日安排尚未加载，暂按周末及{fixed}的法定日期计算，结果为暂定，安排公布后将重新计算",
                BASIS_FIXED,
            )
            return
        late_dec = dt.date(year, 12, 25)
        if not cal.is_loaded(year + 1) and late_dec <= last:
            w.add(
                max(late_dec, first_day),
                "provisional",
                f"{year + 1}年节假日安排尚未加载，{year}年12月25日至31日可能被调整，结果为暂定",
                BASIS_NOTICE,
            )
            return


def _concluded(w: _Writer, facts: _Details, r: DeadlineResult) -> None:
    c = facts.concluding
    if c is None:
        return
    if isinstance(c, Replied):
        text = f"{w.md(c.date)}作出答复，办理终结"
        if r.reply_due is not None:
            if c.date <= r.reply_due:
                text += "（在答复期限内）"
            else:
                late = facts.calendar.working_days_between(r.reply_due, c.date)
                text += f"（超过答复期限{late}个工作日）"
        w.add(c.date, "concluded", text, BASIS_REPLY)
        return
    basis = {
        Finding.OTHER_NO_CORRECTION: BASIS_CORRECTION,
        Finding.OTHER_FEE_UNPAID: BASIS_FEE,
    }.get(c.outcome, "")
    reason = f"（{c.reason}）" if c.reason else ""
    w.add(c.date, "concluded", f"{w.md(c.date)}终止办理：{FINDING_LABELS[c.outcome]}{reason}", basis)
