"""Batch print: one letter of each chosen case, rendered and merged into one PDF to print at once.

Which letter: the 登记回执 (drafted now when the case has none yet, like 打印登记回执 on the case page,
so it takes its 文号 then), or each case's most recently issued letter. A case that has no such letter
is skipped with the reason; the others are printed. The PDF is written under a temporary name and
renamed when complete, so a cancel or a failure leaves no file.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.domain.errors import NotFound, YishenError
from app.domain.letters import LetterRecord, LetterStatus
from app.letters import Letter, LetterKind
from app.progress import Progress, finished_file
from app.services.cases import get_case
from app.services.letters import letter_label, letter_of, prepare_letter, render_letter
from app.services.ports import UnitOfWork
from app.services.settings import load_agency

__all__ = [
    "BATCH_CHOICE_LABELS",
    "BatchChoice",
    "BatchLetter",
    "BatchResult",
    "BatchSkip",
    "batch_print",
    "collect_letters",
    "render_batch",
]

COLLECTING = "正在准备文书"
RENDERING = "正在生成PDF"


class BatchChoice(StrEnum):
    RECEIPT = "receipt"  # 登记回执
    LATEST_ISSUED = "latest_issued"  # each case's most recently issued letter


BATCH_CHOICE_LABELS: dict[BatchChoice, str] = {
    BatchChoice.RECEIPT: "登记回执",
    BatchChoice.LATEST_ISSUED: "每件案件最近签发的文书",
}

# Kinds of the errors a skipped case carries besides those of app.services.letters and app.letters.
ERROR_KINDS: dict[str, str] = {
    "no_issued_letter": "the case has no issued letter; params: number",
}


@dataclass(frozen=True)
class BatchLetter:
    """One letter to print: its case, its kind in Chinese and its 文号."""

    number: str
    label: str
    doc_number: str
    letter: Letter


@dataclass(frozen=True)
class BatchSkip:
    """A case left out, and why (an error the UI describes)."""

    number: str
    error: YishenError


@dataclass(frozen=True)
class BatchResult:
    path: Path
    printed: tuple[BatchLetter, ...]
    skipped: tuple[BatchSkip, ...]
    pages: int
    font: str  # the font the letters were set in


def _latest_issued(records: Sequence[LetterRecord]) -> LetterRecord | None:
    issued = [r for r in records if r.status == LetterStatus.ISSUED]
    if not issued:
        return None
    return max(issued, key=lambda r: (r.issued_at or "", r.created_at))


def collect_letters(
    uow: UnitOfWork,
    numbers: Sequence[str],
    choice: BatchChoice,
    *,
    today: dt.date,
    actor: str,
    progress: Progress,
) -> tuple[list[BatchLetter], list[BatchSkip]]:
    """The letter of each case in ``numbers`` (in that order), and the cases skipped.

    For receipts a case without one gets it drafted and committed, one case at a time: a cancel keeps
    the receipts already drafted (each is complete, as if printed from its case page).
    """
    letters: list[BatchLetter] = []
    skipped: list[BatchSkip] = []
    total = len(numbers)
    for done, number in enumerate(numbers):
        progress.step(done, total, COLLECTING)
        try:
            if choice == BatchChoice.RECEIPT:
                prepared = prepare_letter(uow, number, LetterKind.RECEIPT, today=today, actor=actor)
                record, letter = prepared.record, prepared.letter
            else:
                case = get_case(uow, number)
                found = _latest_issued(uow.letters.for_case(case.id))
                if found is None:
                    raise NotFound("no_issued_letter", number=number)
                record, letter = found, letter_of(found)
        except YishenError as exc:
            uow.rollback()  # nothing half-done of this case stays in the transaction
            skipped.append(BatchSkip(number, exc))
            continue
        letters.append(BatchLetter(number, letter_label(record), record.doc_number, letter))
    progress.step(total, total, COLLECTING)
    return letters, skipped


def render_batch(letters: Sequence[BatchLetter], dest: Path, *, font: str, progress: Progress) -> int:
    """Render ``letters`` as PDF and merge them, in order, into ``dest``; returns the page count.

    Each letter starts on a new page and has a bookmark (its case number and kind).
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    total = len(letters)
    for done, item in enumerate(letters):
        progress.step(done, total, RENDERING)
        data = render_letter(item.letter, "pdf", font=font)
        writer.append(PdfReader(io.BytesIO(data)), outline_item=f"{item.number} {item.label}")
    progress.step(total, total, RENDERING)
    pages = len(writer.pages)
    with finished_file(dest, progress) as tmp, tmp.open("wb") as fh:
        writer.write(fh)
    return pages


def batch_print(
    uow: UnitOfWork,
    numbers: Sequence[str],
    choice: BatchChoice,
    dest: Path,
    *,
    today: dt.date,
    actor: str,
    progress: Progress,
) -> BatchResult:
    """Collect the letters of ``numbers`` and write them as one PDF at ``dest`` (none when no case has
    its letter: then ``pages`` is 0 and no file is written)."""
    from app.letters.fonts import choose_font

    letters, skipped = collect_letters(uow, numbers, choice, today=today, actor=actor, progress=progress)
    agency = load_agency(uow)
    configured = agency.font if agency else ""
    chosen = choose_font(configured)
    pages = render_batch(letters, dest, font=configured, progress=progress) if letters else 0
    return BatchResult(
        path=dest.expanduser().resolve(),
        printed=tuple(letters),
        skipped=tuple(skipped),
        pages=pages,
        font=chosen.family or chosen.name,
    )
