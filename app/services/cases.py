"""Use cases on whole cases: import from case files and ledgers, export, look-up."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.domain.errors import InputError, NotFound
from app.domain.model import Case
from app.services.ports import UnitOfWork


class ParsedLine(Protocol):
    """One line of an input file: a valid case or the error that rejected it."""

    @property
    def line(self) -> int: ...

    @property
    def case(self) -> Case | None: ...

    @property
    def error(self) -> InputError | None: ...


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0
    unchanged: int = 0
    errors: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _number_year(case: Case, today: dt.date) -> int:
    # interfaces.md §1: generated numbers follow the legal receipt year (arrival, then today, while
    # a confirmation is still awaited).
    day = case.received or case.arrived or today
    return day.year


def import_cases(
    uow: UnitOfWork,
    lines: Sequence[ParsedLine],
    *,
    skip_invalid: bool,
    source: str,
    today: dt.date,
) -> ImportReport:
    """Import parsed case-file lines in one transaction.

    All-or-nothing unless ``skip_invalid``: with any error nothing is written and the report lists
    every error. A case whose id or number exists is unchanged when identical, an error otherwise.
    """
    report = ImportReport()
    report.errors.extend(ln.error for ln in lines if ln.error is not None)
    candidates = [(ln.line, ln.case) for ln in lines if ln.case is not None]

    ids = {c.id for _, c in candidates}
    numbers = {c.number for _, c in candidates if c.number}
    existing_ids, existing_numbers = uow.cases.find_existing(ids, numbers)

    fresh: list[tuple[int, Case]] = []
    for line, case in candidates:
        if case.id in existing_ids:
            stored = uow.cases.get(case.id)
            assert stored is not None
            comparable = case if case.number else dataclasses.replace(case, number=stored.number)
            if comparable == stored:
                report.unchanged += 1
            else:
                report.errors.append(InputError("exists_different", field="id", source=source, line=line))
            continue
        if case.number and case.number in existing_numbers:
            report.errors.append(
                InputError("number_taken", field="number", source=source, line=line, value=case.number)
            )
            continue
        fresh.append((line, case))

    report.errors.sort(key=lambda e: e.line or 0)
    report.skipped = len(report.errors)
    if report.errors and not skip_invalid:
        return report

    taken = {c.number for _, c in fresh if c.number} | existing_numbers
    counters: dict[int, int] = {}
    to_add: list[Case] = []
    for _, case in fresh:
        if not case.number:
            case = dataclasses.replace(case, number=_next_free_number(uow, case, today, taken, counters))
            taken.add(case.number)
        to_add.append(case)
    uow.cases.add_many(to_add)
    uow.commit()
    report.imported = len(to_add)
    return report


def _next_free_number(
    uow: UnitOfWork, case: Case, today: dt.date, taken: set[str], counters: dict[int, int]
) -> str:
    year = _number_year(case, today)
    if year not in counters:
        counters[year] = int(uow.cases.next_number(year).split("-")[1])
    while True:
        number = f"{year}-{counters[year]:04d}"
        counters[year] += 1
        if number not in taken:
            return number


def export_cases(uow: UnitOfWork) -> Iterator[Case]:
    """Every case, ordered by number (interfaces.md §3 ``export``)."""
    return uow.cases.iter_all()


def get_case(uow: UnitOfWork, number: str) -> Case:
    case = uow.cases.get_by_number(number)
    if case is None:
        raise NotFound("case_not_found", number=number)
    return case
