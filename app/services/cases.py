"""Use cases on whole cases: import from case files and ledgers, export, look-up, scripted edits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.collector import collector_paused
from app.domain.caseformat import parse_case
from app.domain.errors import InputError, NotFound
from app.domain.model import Case, case_to_dict
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
    with collector_paused():
        return _import_cases(uow, lines, skip_invalid=skip_invalid, source=source, today=today)


def _import_cases(
    uow: UnitOfWork,
    lines: Sequence[ParsedLine],
    *,
    skip_invalid: bool,
    source: str,
    today: dt.date,
) -> ImportReport:
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


# --------------------------------------------------------------------------- case edit

_NOT_EDITABLE = {"id", "format", "events"}


def _parse_value(text: str) -> object:
    """``--set`` values are text, except JSON lists/objects/strings and null/true/false.

    Numbers stay text on purpose: phone and id numbers must not turn into integers.
    """
    if text in ("null", "true", "false") or text[:1] in ("[", "{", '"'):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise InputError("bad_json", field="--set", detail=text[:50]) from None
    return text


def _assign(obj: dict[str, Any], path: str, value: object) -> None:
    keys = path.split(".")
    if not path or keys[0] in _NOT_EDITABLE:
        raise InputError("not_editable", field=path)
    target: Any = obj
    for i, key in enumerate(keys):
        last = i == len(keys) - 1
        if isinstance(target, list):
            if not key.isdigit() or int(key) >= len(target):
                raise InputError("bad_field", field=path)
            index = int(key)
            if last:
                target[index] = value
            else:
                target = target[index]
        elif isinstance(target, dict):
            if last:
                target[key] = value
            elif isinstance(target.get(key), dict | list):
                target = target[key]
            elif key in target and target[key] is None and keys[i + 1].isidentifier():
                target[key] = {}
                target = target[key]
            else:
                raise InputError("bad_field", field=path)
        else:
            raise InputError("bad_field", field=path)


def edit_case(
    uow: UnitOfWork,
    number: str,
    *,
    sets: Sequence[tuple[str, str]] = (),
    add_events: Sequence[str] = (),
) -> Case:
    """Change a case from a script (interfaces.md ``case edit``): the same validation as an import.

    The edited case is parsed again as a whole, so every field rule and timeline rule applies; the
    store keeps the event list append-only and records the change in the audit and the outbox.
    """
    case = get_case(uow, number)
    data = case_to_dict(case)
    for path, text in sets:
        _assign(data, path, _parse_value(text))
    for i, raw in enumerate(add_events):
        try:
            event = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError("bad_json", field=f"--add-event {i + 1}", detail=exc.msg) from None
        data["events"].append(event)
    edited = parse_case(data)
    if edited.number != case.number and uow.cases.find_existing((), (edited.number,))[1]:
        raise InputError("number_taken", field="number", value=edited.number)
    uow.cases.update(edited)
    uow.commit()
    return edited


def transfer_case(uow: UnitOfWork, number: str, clerk: str) -> Case:
    """移交: make ``clerk`` (a login or a name) the case's 经办人, in one transaction.

    The same field checks as an import (length, control characters); the store records the change
    of the clerk, old and new, in the audit trail and the outbox like any edit. Handing a case to
    the clerk it already has changes nothing.
    """
    clerk = clerk.strip()
    if not clerk:
        raise InputError("required", field="clerk")
    case = get_case(uow, number)
    if case.clerk == clerk:
        return case
    data = case_to_dict(case)
    data["clerk"] = clerk
    moved = parse_case(data)
    uow.cases.update(moved)
    uow.commit()
    return moved
