"""Time the annual report over 100 000 cases (target: at most 1 s), and the periodic analysis beside it.

Run: .venv/bin/python benchmarks/report_bench.py [--cases N] [--seed S] [--repeat R] [--no-analysis]

The cases come from ``benchmarks/casegen.py`` (two years of realistic timelines, about a third still
open), with 复议/诉讼 added to some replied cases (decided, pending, second instance), parsed by the
case-file parser as an import would. Only ``annual_report`` is timed against the target; building the
cases, ``to_json``, the XLSX and the analysis are timed for information.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.caseformat import parse_case
from app.domain.model import Case
from app.law.calendar import shipped_calendar
from app.reports.analysis import analyse, year_period
from app.reports.annual import AnnualReport, annual_report
from app.reports.annual_xlsx import write_annual_xlsx
from benchmarks.casegen import generate_cases

DECISIONS = ["维持", "驳回行政复议申请", "撤销原答复，责令重新答复", "确认违法", "终止", "驳回诉讼请求"]


def _add_remedies(obj: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """复议 on about 4 % of replied cases, a suit on about 2 %, some decided, some appealed."""
    reply = next((e for e in obj["events"] if e["type"] == "replied"), None)
    if reply is None or rng.random() > 0.06:
        return obj
    day = dt.date.fromisoformat(reply["date"]) + dt.timedelta(days=rng.randrange(5, 60))
    events = obj["events"]
    after = False
    if rng.random() < 0.67:
        events.append(
            {"type": "reconsideration_filed", "date": day.isoformat(), "id": "r1", "organ": "某市人民政府"}
        )
        if rng.random() < 0.7:
            day += dt.timedelta(days=rng.randrange(30, 90))
            events.append(
                {
                    "type": "reconsideration_decided",
                    "date": day.isoformat(),
                    "id": "r1",
                    "decision": rng.choice(DECISIONS),
                }
            )
            after = True
    if rng.random() < 0.4:
        day += dt.timedelta(days=rng.randrange(5, 15))
        events.append(
            {"type": "litigation_filed", "date": day.isoformat(), "id": "l1", "after_reconsideration": after}
        )
        for instance in range(1, rng.choice((0, 1, 1, 2)) + 1):
            day += dt.timedelta(days=rng.randrange(60, 180))
            events.append(
                {
                    "type": "litigation_decided",
                    "date": day.isoformat(),
                    "id": "l1",
                    "decision": rng.choice(DECISIONS),
                    "instance": instance,
                }
            )
    return obj


def build(n: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    return [parse_case(_add_remedies(obj, rng)) for obj in generate_cases(n, seed=seed)]


def _timed(label: str, repeat: int, fn: Any) -> tuple[float, Any]:
    rounds: list[float] = []
    result = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        rounds.append(time.perf_counter() - t0)
    best = min(rounds)
    print(f"{label}: best {best:.3f} s of {repeat} ({', '.join(f'{r:.3f}' for r in rounds)})")
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-analysis", action="store_true", help="skip timing the periodic analysis")
    args = parser.parse_args()

    t0 = time.perf_counter()
    cases = build(args.cases, args.seed)
    print(f"{len(cases)} cases generated and parsed in {time.perf_counter() - t0:.1f} s (setup, not timed)")

    best, report = _timed(
        f"annual_report x {len(cases)}", args.repeat, lambda: annual_report(cases, args.year)
    )
    assert isinstance(report, AnnualReport)
    print(f"  {best / max(len(cases), 1) * 1e6:.2f} µs per case")
    data = report.to_json()
    s3 = data["section3"]["rows"]
    print(
        f"  一 新收 {s3['new'][-1]}, 二 结转 {s3['carried_in'][-1]}, （七）总计 {s3['total'][-1]}, "
        f"四 结转下年 {s3['carried_out'][-1]}, check_ok {data['section3']['check_ok']}"
    )
    print(f"  section 四: {data['section4']}")
    verdict = "met" if best * 100_000 / max(len(cases), 1) <= 1.0 else "NOT met"
    print(f"target ≤ 1 s per 100 000 cases: {verdict}")

    _timed("to_json", args.repeat, report.to_json)
    _timed(
        "write_annual_xlsx (in memory)",
        1,
        lambda: write_annual_xlsx(report, io.BytesIO(), agency_name="某区人民政府"),
    )

    if not args.no_analysis:
        cal = shipped_calendar()
        first, last = year_period(args.year)
        today = dt.date(args.year + 1, 3, 1)
        _, result = _timed(
            f"analyse (periodic analysis) x {len(cases)}",
            1,
            lambda: analyse(cases, first, last, calendar=cal, today=today),
        )
        t = result.timeliness
        rate = f"{t.overdue_rate:.1%}" if t.overdue_rate is not None else "—"
        avg = f"{t.average_working_days:.1f}" if t.average_working_days is not None else "—"
        print(
            f"  {len(result.candidates)} candidates for proactive disclosure, "
            f"{len(result.repeat_applicants)} repeat applicants, overdue {rate}, average {avg} working days to reply"
        )


if __name__ == "__main__":
    main()
