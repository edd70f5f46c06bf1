"""Batch print (app.services.batch) on a real encrypted database: one PDF holding each case's letter,
cases without the chosen letter skipped with the reason, no file after a cancel."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import bootstrap
from app.domain.letters import LetterStatus
from app.letters import LetterKind
from app.progress import Cancelled, Progress
from app.services.batch import RENDERING, BatchChoice, batch_print
from app.services.letters import issue_letter, prepare_letter, review_letter
from app.services.transfer import import_case_file
from app.store.database import Database
from tests.integration.services.test_transfer import AGENCY, PASSPHRASE, TODAY, write_cases


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    home = tmp_path / "home"
    bootstrap.initialize(home, passphrase=PASSPHRASE, agency=AGENCY, actor="测试")
    with bootstrap.open_database(home, lambda: PASSPHRASE) as database:
        with database.unit_of_work("测试") as uow:
            report = import_case_file(
                uow, write_cases(tmp_path / "案件.jsonl", 4), today=TODAY, progress=Progress()
            )
            assert report.imported == 4
        yield database


def pdf_letters(path: Path) -> list[str]:
    """The text of each page of the PDF."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [page.extract_text() for page in reader.pages]


def test_receipts_of_three_cases_in_one_pdf(db: Database, tmp_path: Path) -> None:
    dest = tmp_path / "回执.pdf"
    numbers = ["2025-00003", "2025-00001", "2025-00002"]
    with db.unit_of_work("测试") as uow:
        result = batch_print(
            uow, numbers, BatchChoice.RECEIPT, dest, today=TODAY, actor="测试", progress=Progress()
        )
    assert [p.number for p in result.printed] == numbers and not result.skipped
    assert {p.label for p in result.printed} == {"登记回执"}
    pages = pdf_letters(dest)
    assert result.pages == len(pages) >= 3
    text = "\n".join(pages)
    assert text.count("政府信息公开申请登记回执") == 3
    positions = [text.find(f"申请人{n}") for n in (3, 1, 2)]
    assert -1 not in positions and positions == sorted(positions)  # in the order chosen
    for item in result.printed:
        assert item.doc_number and item.doc_number in text
    # The receipts were drafted with their numbers, as from the case page: asking again reuses them.
    with db.unit_of_work("测试") as uow:
        again = prepare_letter(uow, "2025-00001", LetterKind.RECEIPT, today=TODAY, actor="测试")
    assert again.record.doc_number == result.printed[1].doc_number


def test_latest_issued_letters_skip_cases_without_one(db: Database, tmp_path: Path) -> None:
    with db.unit_of_work("测试") as uow:
        draft = prepare_letter(uow, "2025-00002", LetterKind.RECEIPT, today=TODAY, actor="测试")
        review_letter(uow, draft.record.id, reviewer="测试", approve=True, today=TODAY)
        issued = issue_letter(uow, draft.record.id, by="测试", today=TODAY)
    assert issued.status == LetterStatus.ISSUED
    dest = tmp_path / "已签发.pdf"
    with db.unit_of_work("测试") as uow:
        result = batch_print(
            uow,
            ["2025-00001", "2025-00002", "2099-0001"],
            BatchChoice.LATEST_ISSUED,
            dest,
            today=TODAY,
            actor="测试",
            progress=Progress(),
        )
    assert [p.number for p in result.printed] == ["2025-00002"]
    assert [(s.number, s.error.kind) for s in result.skipped] == [
        ("2025-00001", "no_issued_letter"),
        ("2099-0001", "case_not_found"),
    ]
    assert issued.doc_number in "\n".join(pdf_letters(dest))


def test_a_cancel_while_rendering_leaves_no_file(db: Database, tmp_path: Path) -> None:
    progress = Progress()
    progress = Progress(lambda d, t, s: progress.cancel() if s == RENDERING and d >= 2 else None, interval=0)
    with pytest.raises(Cancelled), db.unit_of_work("测试") as uow:
        batch_print(
            uow,
            ["2025-00001", "2025-00002", "2025-00003", "2025-00004"],
            BatchChoice.RECEIPT,
            tmp_path / "取消.pdf",
            today=TODAY,
            actor="测试",
            progress=progress,
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "案件.jsonl"]
