"""Time recomputing the deadlines of 100 000 open cases (target: at most 1 s in total).

Run: .venv/bin/python benchmarks/deadline_bench.py [--cases N] [--seed S] [--trace N]

The cases are generated in memory with realistic timelines: plain ones, corrections (pending and
received), third-party and agency consultations (answered, late, unanswered, with and without a
recorded delivery), fee notices (paid, waived, unpaid), extensions and a few Art 35 delays. The
timed part is exactly what a service does after a calendar change: ``compute_deadline`` for every
case. Building the trace (only done for the case a clerk opens) is timed separately.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.codes import ApplicantKind, Channel, Delivery, FeeMethod, Form, Opinion, Party
from app.domain.model import (
    Applicant,
    Case,
    ConsultationReplied,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    DelayNotified,
    Event,
    ExtensionApproved,
    FeeNotified,
    FeePaid,
    FeeWaived,
    Item,
)
from app.law.calendar import WorkCalendar, shipped_calendar
from app.law.deadlines import DeadlineResult, compute_deadline

TODAY = dt.date(2026, 6, 15)
APPLICANT = Applicant(ApplicantKind.NATURAL_PERSON, "示例申请人")
ITEMS = (Item("示例事项", Form.PAPER, Delivery.POST),)


def make_case(i: int, rng: random.Random, cal: WorkCalendar) -> Case:
    received = TODAY - dt.timedelta(days=rng.randint(0, 50))  # open cases: mostly within their period

    def wd(base: dt.date, lo: int, hi: int) -> dt.date:
        return cal.add_working_days(base, rng.randint(lo, hi))

    events: list[Event] = []
    kind = rng.random()
    if kind < 0.12:
        # 补正: notice within 7 wd; two thirds come back corrected
        asked = wd(received, 1, 7)
        events.append(CorrectionRequested(date=asked, period_end=wd(asked, 10, 15)))
        if rng.random() < 0.67:
            events.append(CorrectionReceived(date=wd(asked, 1, 10)))
    if 0.12 <= kind < 0.35 or rng.random() < 0.05:
        # one or two consultations
        for n in range(rng.choice((1, 1, 1, 2))):
            sent = wd(received, 1, 10)
            delivered = wd(sent, 0, 3) if rng.random() < 0.5 else None
            party = Party.THIRD_PARTY if rng.random() < 0.6 else Party.AGENCY
            events.append(
                ConsultationSent(date=sent, id=f"c{n}", party=party, name="某单位", delivered=delivered)
            )
            fate = rng.random()
            if fate < 0.6:
                events.append(ConsultationReplied(date=wd(sent, 1, 15), id=f"c{n}", opinion=Opinion.AGREE))
            elif fate < 0.75:
                events.append(ConsultationReplied(date=wd(sent, 16, 25), id=f"c{n}", opinion=Opinion.OBJECT))
    if 0.35 <= kind < 0.47:
        notice = wd(received, 3, 12)
        events.append(
            FeeNotified(
                date=notice,
                amount=200,
                method=FeeMethod.PER_REQUEST,
                delivered=wd(notice, 0, 3) if rng.random() < 0.5 else None,
            )
        )
        fate = rng.random()
        if fate < 0.6:
            events.append(FeePaid(date=wd(notice, 1, 18)))
        elif fate < 0.75:
            events.append(FeeWaived(date=wd(notice, 1, 5), reason="困难群众"))
    if 0.47 <= kind < 0.57 or rng.random() < 0.03:
        events.append(
            ExtensionApproved(
                date=wd(received, 12, 22), days=rng.randint(5, 20), approver="主任", reason="检索量大"
            )
        )
    if kind > 0.995:
        events.append(
            DelayNotified(
                date=wd(received, 5, 15), until=wd(received, 40, 60), reason="申请数量明显超过合理范围"
            )
        )
    events.sort(key=lambda e: e.date)
    return Case(
        id=f"case-{i}",
        number=f"2026-{i:06d}",
        channel=Channel.IN_PERSON,
        received=received,
        applicant=APPLICANT,
        items=ITEMS,
        events=tuple(events),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260615)
    parser.add_argument("--trace", type=int, default=1_000, help="cases whose trace is built and timed")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds; the best is reported")
    args = parser.parse_args()

    t0 = time.perf_counter()
    cal = shipped_calendar()
    t_cal = time.perf_counter() - t0
    bests: dict[bool, float] = {}
    rng = random.Random(args.seed)
    cases = [make_case(i, rng, cal) for i in range(args.cases)]
    mix = Counter(type(e).__name__ for c in cases for e in c.events)
    plain = sum(1 for c in cases if not c.events)
    print(
        f"calendar built in {t_cal * 1000:.1f} ms; {len(cases)} cases ({plain} without events); events: {dict(mix)}"
    )

    def timed(gc_on: bool) -> tuple[list[float], list[DeadlineResult]]:
        rounds: list[float] = []
        results: list[DeadlineResult] = []
        for _ in range(args.repeat):
            results = []  # drop the previous round's results outside the timed part
            gc.collect()
            if not gc_on:
                gc.disable()
            t0 = time.perf_counter()
            results = [compute_deadline(c, cal, TODAY) for c in cases]
            rounds.append(time.perf_counter() - t0)
            gc.enable()
        return rounds, results

    results: list[DeadlineResult] = []
    for label, gc_on in (
        ("garbage collector on (plain code)", True),
        ("garbage collector off (as app.services.calendar recomputes open cases)", False),
    ):
        rounds, results = timed(gc_on)
        best = min(rounds)
        print(
            f"compute_deadline x {len(cases)}, {label}: best {best:.3f} s of {args.repeat} "
            f"({', '.join(f'{r:.3f}' for r in rounds)}); {best / len(cases) * 1e6:.2f} µs per case"
        )
        bests[gc_on] = best
    states = Counter(str(r.state) for r in results)
    bands = Counter(str(r.band) for r in results)
    print(f"states: {dict(states)}")
    print(f"bands: {dict(bands)}")

    sample = results[: args.trace]
    t0 = time.perf_counter()
    for r in sample:
        r.to_json()
    t_trace = time.perf_counter() - t0
    if sample:
        print(
            f"trace + to_json x {len(sample)}: {t_trace:.3f} s; {t_trace / len(sample) * 1e6:.0f} µs per case"
        )
    for gc_on, best in bests.items():
        verdict = "met" if best * 100_000 / max(len(cases), 1) <= 1.0 else "NOT met"
        print(f"target ≤ 1 s per 100 000 cases, garbage collector {'on' if gc_on else 'off'}: {verdict}")


if __name__ == "__main__":
    main()
