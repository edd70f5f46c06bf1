"""The annual-report tables 三 and 四 of 30号 counted from cases (条例第四十九条、第五十条; domain.md §7).

30号 = 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号). The counting rules are the
**Decisions** of domain.md §7.1 and §7.2; every one of them is applied in ``annual_report`` and named
where it is applied. The outcome of a case and the day it concluded come from ``app.law.outcome`` so
that the report, the case list and the letters agree on them.

One pass over the cases, no sorting: 100 000 cases are counted well within a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.caseformat import result_of_decision
from app.domain.codes import FINDING_ORDER, ApplicantKind, Finding, RemedyResult
from app.domain.model import (
    Case,
    Event,
    LitigationDecided,
    LitigationFiled,
    ReceiptConfirmed,
    ReconsiderationDecided,
    ReconsiderationFiled,
)
from app.law.outcome import case_outcome, concluded_on

# 30号 table 三, the columns: 自然人 | 法人或其他组织 (five kinds) | 总计 (interfaces.md §3.2).
KINDS: tuple[ApplicantKind, ...] = tuple(ApplicantKind)
COLUMNS: tuple[str, ...] = (*(str(k) for k in KINDS), "total")
TOTAL_COLUMN = len(KINDS)

# 30号 table 三, the rows in the official order (domain.md §7.1).
ROW_NEW = "new"
ROW_CARRIED_IN = "carried_in"
ROW_TOTAL = "total"
ROW_CARRIED_OUT = "carried_out"
RESULT_ROWS: tuple[str, ...] = tuple(str(f) for f in FINDING_ORDER)
ROW_KEYS: tuple[str, ...] = (ROW_NEW, ROW_CARRIED_IN, *RESULT_ROWS, ROW_TOTAL, ROW_CARRIED_OUT)

# 30号 table 四, the three blocks and the five cells of each (domain.md §7.2).
BLOCK_RECONSIDERATION = "reconsideration"
BLOCK_LITIGATION_DIRECT = "litigation_direct"
BLOCK_LITIGATION_AFTER = "litigation_after_reconsideration"
BLOCKS: tuple[str, ...] = (BLOCK_RECONSIDERATION, BLOCK_LITIGATION_DIRECT, BLOCK_LITIGATION_AFTER)
CELLS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")

_KIND_INDEX: dict[str, int] = {str(k): i for i, k in enumerate(KINDS)}
_RESULT_INDEX: dict[RemedyResult, int] = {
    RemedyResult.UPHELD: 0,
    RemedyResult.CORRECTED: 1,
    RemedyResult.OTHER: 2,
}
_PENDING = 3
_REMEDY_TYPES: frozenset[type[Event]] = frozenset(
    {ReconsiderationFiled, LitigationFiled, ReconsiderationDecided, LitigationDecided}
)


@dataclass(frozen=True)
class RemedyCounts:
    """One block of table 四: filings of the year by the result known at 31 December."""

    upheld: int = 0
    corrected: int = 0
    other: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        # domain.md §7.2: 总计 = the sum of the four in each block.
        return self.upheld + self.corrected + self.other + self.pending

    def values(self) -> tuple[int, int, int, int, int]:
        """The five cells in table order: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计."""
        return (self.upheld, self.corrected, self.other, self.pending, self.total)

    def to_json(self) -> dict[str, int]:
        return dict(zip(CELLS, self.values(), strict=True))


@dataclass(frozen=True)
class AnnualReport:
    """The counted tables of one year. ``rows`` maps every key of ``ROW_KEYS`` (in that order) to
    one count per column of ``COLUMNS`` (the last one is the row's total)."""

    year: int
    rows: Mapping[str, tuple[int, ...]]
    reconsideration: RemedyCounts
    litigation_direct: RemedyCounts
    litigation_after_reconsideration: RemedyCounts

    def row(self, key: str | Finding) -> tuple[int, ...]:
        """The counts of one row (a key of ``ROW_KEYS`` or a finding), one per column."""
        return self.rows[str(key)]

    def block(self, key: str) -> RemedyCounts:
        """One block of table 四 by its key in ``BLOCKS``."""
        blocks = {
            BLOCK_RECONSIDERATION: self.reconsideration,
            BLOCK_LITIGATION_DIRECT: self.litigation_direct,
            BLOCK_LITIGATION_AFTER: self.litigation_after_reconsideration,
        }
        return blocks[key]

    def check_mismatches(self) -> tuple[int, ...]:
        """Indexes of the columns where 一 + 二 ≠ (七)总计 + 四 (30号, the check printed in table 三)."""
        new, carried_in = self.rows[ROW_NEW], self.rows[ROW_CARRIED_IN]
        total, carried_out = self.rows[ROW_TOTAL], self.rows[ROW_CARRIED_OUT]
        return tuple(i for i in range(len(COLUMNS)) if new[i] + carried_in[i] != total[i] + carried_out[i])

    @property
    def check_ok(self) -> bool:
        """Whether 一 + 二 = (七)总计 + 四 holds in every column."""
        return not self.check_mismatches()

    def to_json(self) -> dict[str, Any]:
        """The ``report annual --json`` object (interfaces.md §3.2), keys in the documented order."""
        return {
            "year": self.year,
            "section3": {
                "columns": list(COLUMNS),
                "rows": {key: list(self.rows[key]) for key in ROW_KEYS},
                "check_ok": self.check_ok,
            },
            "section4": {key: self.block(key).to_json() for key in BLOCKS},
        }


def _with_total(counts: Sequence[int]) -> tuple[int, ...]:
    return (*counts, sum(counts))


def receipt_date(case: Case) -> dt.date | None:
    """The legal receipt date the report counts by, None while a confirmation is awaited.

    domain.md §7.1 Decision: a case awaiting confirmation of receipt (条例第三十一条) is counted only
    once confirmed, by its confirmation date. A valid case carries that date in ``received``; the
    event is read only when ``received`` is missing, so a case built in memory counts the same way.
    A correction restart (条例第三十条) does not change ``received``: the first receipt date counts.
    """
    if case.received is not None:
        return case.received
    for event in case.events:
        if type(event) is ReceiptConfirmed:
            return event.date
    return None


def _decision_result(event: ReconsiderationDecided | LitigationDecided) -> RemedyResult:
    # domain.md §7.2: the case file's result, else the decision text mapped by the case-file parser's rule.
    if event.result is not None:
        return RemedyResult(event.result)
    return result_of_decision(event.decision or "")


def _count_remedies(events: Sequence[Event], first: dt.date, last: dt.date, cells: list[list[int]]) -> None:
    """Add one case's 复议/诉讼 filings of the year to ``cells`` (block × result).

    domain.md §7.2 Decision: each filing (its ``id`` within the case, 复议 and 诉讼 apart) is counted
    once, by its filing date in the year; its result is the latest decision of any instance dated by
    31 December (a second-instance judgment replaces the first), none → 尚未审结.
    """
    filings: dict[tuple[bool, str], tuple[dt.date, int]] = {}
    decided: dict[tuple[bool, str], tuple[dt.date, int, ReconsiderationDecided | LitigationDecided]] = {}
    for event in events:
        if type(event) not in _REMEDY_TYPES:  # one set lookup for the events every case has
            continue
        if isinstance(event, ReconsiderationFiled):
            filings.setdefault((False, event.id), (event.date, 0))  # the first filing of an id counts
        elif isinstance(event, LitigationFiled):
            block = 2 if event.after_reconsideration else 1
            filings.setdefault((True, event.id), (event.date, block))
        elif isinstance(event, ReconsiderationDecided | LitigationDecided) and event.date <= last:
            key = (isinstance(event, LitigationDecided), event.id)
            instance = (event.instance or 0) if isinstance(event, LitigationDecided) else 0
            known = decided.get(key)
            # The latest by date; on the same day the higher instance, then the later entry of the timeline.
            if known is None or (event.date, instance) >= known[:2]:
                decided[key] = (event.date, instance, event)
    for key, (filed, block) in filings.items():
        if not first <= filed <= last:
            continue
        decision = decided.get(key)
        cells[block][_PENDING if decision is None else _RESULT_INDEX[_decision_result(decision[2])]] += 1


def annual_report(cases: Iterable[Case], year: int) -> AnnualReport:
    """Count tables 三 and 四 of the annual report of ``year`` (domain.md §7.1, §7.2)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    width = len(KINDS)
    new = [0] * width
    carried_in = [0] * width
    carried_out = [0] * width
    results: dict[Finding, list[int]] = {f: [0] * width for f in FINDING_ORDER}
    cells = [[0] * 4 for _ in BLOCKS]
    kind_index = _KIND_INDEX

    for case in cases:
        # Table 四 counts filings whatever became of the case itself.
        if case.events:
            _count_remedies(case.events, first, last, cells)

        received = case.received if case.received is not None else receipt_date(case)
        if received is None or received > last:
            continue  # awaiting confirmation, or received after the year
        # domain.md §7.1 Decision: a case counts once, in the column of its applicant's kind.
        col = kind_index[case.applicant.kind]
        # domain.md §7.1 Decision: concluded on its first reply or terminating event (条例第三十三条).
        concluded = concluded_on(case)
        if received >= first:
            new[col] += 1  # 一、本年新收: received in the year
        elif concluded is None or concluded >= first:
            carried_in[col] += 1  # 二、上年结转: received before, still open on 1 January
        else:
            continue  # concluded in an earlier year: not in this report
        if concluded is not None and first <= concluded <= last:
            results[case_outcome(case)][col] += 1  # 三、办理结果: concluded in the year, by outcome
        elif concluded is None or concluded > last:
            carried_out[col] += 1  # 四、结转下年度: received by 31 December, open then

    rows: dict[str, tuple[int, ...]] = {ROW_NEW: _with_total(new), ROW_CARRIED_IN: _with_total(carried_in)}
    total = [0] * width
    for finding in FINDING_ORDER:
        counts = results[finding]
        rows[str(finding)] = _with_total(counts)
        for i, n in enumerate(counts):
            total[i] += n
    rows[ROW_TOTAL] = _with_total(total)
    rows[ROW_CARRIED_OUT] = _with_total(carried_out)

    blocks = [RemedyCounts(*c) for c in cells]
    return AnnualReport(
        year=year,
        rows=rows,
        reconsideration=blocks[0],
        litigation_direct=blocks[1],
        litigation_after_reconsideration=blocks[2],
    )
