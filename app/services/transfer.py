"""Import and export of case files as long work: steps by line and by case, and a cancel that undoes.

``import_case_file`` reads a ``.jsonl`` case file (or a ``.csv``/``.xlsx`` ledger) and stores it through
``app.services.cases.import_cases`` in one transaction, all or nothing: a cancel or a bad line leaves
the database as it was. The storing steps come from a unit of work whose case repository counts the
cases it is handed, so ``import_cases`` itself needs no progress parameter.

``export_case_file`` writes every case (interfaces.md §1, as ``yishen export``) under a temporary name
and renames it when complete: a cancel leaves no file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from app.domain.model import Case
from app.interchange import read_file
from app.interchange.jsonl import write_jsonl
from app.progress import Progress, finished_file
from app.services.cases import ImportReport, export_cases, import_cases
from app.services.ports import CaseRepository, UnitOfWork

__all__ = ["STORING", "WRITING", "export_case_file", "import_case_file"]

STORING = "正在写入数据库"
WRITING = "正在导出案件"


class _CountingCases:
    """A case repository that reports (and checks for a cancel) while ``add_many`` consumes its cases."""

    def __init__(self, inner: CaseRepository, progress: Progress) -> None:
        self._inner = inner
        self._progress = progress

    def add_many(self, cases: Iterable[Case]) -> int:
        batch = list(cases)
        return self._inner.add_many(self._progress.track(batch, len(batch), STORING))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _ProgressUnitOfWork:
    """``uow`` with its case repository counted; every other member is ``uow``'s own (forwarded, so
    a repository added to the unit of work later needs nothing here)."""

    def __init__(self, uow: UnitOfWork, progress: Progress) -> None:
        self._uow = uow
        self.cases = cast(CaseRepository, _CountingCases(uow.cases, progress))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)


def import_case_file(
    uow: UnitOfWork, path: Path, *, today: dt.date, progress: Progress, skip_invalid: bool = False
) -> ImportReport:
    """Import a case file or ledger in one transaction (interfaces.md §3 ``import``).

    Steps: lines read out of the file's lines, then cases stored out of the cases to store. With any
    bad line (unless ``skip_invalid``) nothing is stored and the report lists every error, located by
    file, line and field. ``Cancelled`` leaves the unit of work uncommitted: the caller's ``with``
    rolls it back.
    """
    lines = read_file(path, progress)
    progress.check()
    report = import_cases(
        cast(UnitOfWork, _ProgressUnitOfWork(uow, progress)),
        lines,
        skip_invalid=skip_invalid,
        source=path.name,
        today=today,
    )
    return report


def export_case_file(uow: UnitOfWork, dest: Path, *, progress: Progress) -> int:
    """Every case, ordered by number, to ``dest`` as JSON Lines; returns how many were written."""
    total = uow.cases.count()
    with finished_file(dest, progress) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
        count = write_jsonl(progress.track(export_cases(uow), total, WRITING), fh)
        fh.flush()
        os.fsync(fh.fileno())
    return count
