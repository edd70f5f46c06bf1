"""Import and export of case files as long work (app.services.transfer) on a real encrypted database:
a cancel or a bad line stores nothing, a cancelled export leaves no file, steps count lines and cases."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import bootstrap
from app.domain.errors import StoreError
from app.domain.model import Agency
from app.messages import describe
from app.progress import Cancelled, Progress, finished_file
from app.services.transfer import STORING, WRITING, export_case_file, import_case_file
from app.store.database import Database

PASSPHRASE = "导入导出测试口令"
TODAY = dt.date(2026, 10, 20)
AGENCY = Agency(
    name="某市某区自然资源局",
    kind="department",
    level="county",
    short_name="某区自然资源",
    parent_government="某区人民政府",
    court="某市中级人民法院",
)


def case_line(n: int, **more: Any) -> str:
    obj: dict[str, Any] = {
        "format": "yishen-case/1",
        "number": f"2025-{n:05d}",
        "channel": "in_person",
        "received": "2025-09-16",
        "applicant": {"kind": "natural_person", "name": f"申请人{n}", "phone": "13800000000"},
        "items": [{"description": f"第{n}号申请：某村土地征收补偿方案", "form": "paper", "delivery": "post"}],
    }
    obj.update(more)
    return json.dumps(obj, ensure_ascii=False)


def write_cases(path: Path, count: int, *, start: int = 1) -> Path:
    path.write_text("".join(case_line(n) + "\n" for n in range(start, start + count)), "utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    home = tmp_path / "home"
    bootstrap.initialize(home, passphrase=PASSPHRASE, agency=AGENCY, actor="测试")
    with bootstrap.open_database(home, lambda: PASSPHRASE) as database:
        yield database


def count(db: Database) -> int:
    with db.unit_of_work("测试", read_only=True) as uow:
        return uow.cases.count()


def test_an_import_reports_lines_read_then_cases_stored(db: Database, tmp_path: Path) -> None:
    path = write_cases(tmp_path / "案件.jsonl", 600)
    seen: list[tuple[int, int, str]] = []
    progress = Progress(lambda d, t, s: seen.append((d, t, s)), interval=0)
    with db.unit_of_work("测试") as uow:
        report = import_case_file(uow, path, today=TODAY, progress=progress)
    assert report.ok and report.imported == 600
    assert count(db) == 600
    texts = [s for _, _, s in seen]
    reading = [(d, t) for d, t, s in seen if s != STORING]
    storing = [(d, t) for d, t, s in seen if s == STORING]
    assert texts.index(STORING) > 0 and reading[-1] == (600, 600)  # lines first, then cases
    assert storing[0] == (0, 600) and storing[-1] == (600, 600)
    assert [d for d, _ in storing] == sorted(d for d, _ in storing) and len(storing) > 3


def test_a_cancel_while_storing_rolls_everything_back(db: Database, tmp_path: Path) -> None:
    path = write_cases(tmp_path / "案件.jsonl", 3000)
    progress = Progress()

    def on_step(done: int, total: int, text: str) -> None:
        if text == STORING and done >= 1500:
            progress.cancel()

    progress = Progress(on_step, interval=0)
    with pytest.raises(Cancelled), db.unit_of_work("测试") as uow:
        import_case_file(uow, path, today=TODAY, progress=progress)
    assert progress.done >= 1500  # half of the cases had gone to the database
    assert count(db) == 0


def test_a_cancel_while_reading_stores_nothing(db: Database, tmp_path: Path) -> None:
    path = write_cases(tmp_path / "案件.jsonl", 2000)
    progress = Progress()
    progress = Progress(lambda d, t, s: progress.cancel() if d >= 512 else None, interval=0)
    with pytest.raises(Cancelled), db.unit_of_work("测试") as uow:
        import_case_file(uow, path, today=TODAY, progress=progress)
    assert progress.text != STORING and count(db) == 0


def test_a_bad_line_is_located_and_nothing_is_imported(db: Database, tmp_path: Path) -> None:
    path = write_cases(tmp_path / "坏行.jsonl", 50)
    lines = path.read_text("utf-8").splitlines()
    lines[36] = case_line(37, received="2025-13-40")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with db.unit_of_work("测试") as uow:
        report = import_case_file(uow, path, today=TODAY, progress=Progress())
    assert report.imported == 0 and len(report.errors) == 1
    message = describe(report.errors[0])
    assert message.startswith("坏行.jsonl 第37行 字段“received”"), message
    assert "2025-13-40" in message
    assert count(db) == 0


def test_an_export_reads_back_identically_and_a_cancelled_one_leaves_no_file(
    db: Database, tmp_path: Path
) -> None:
    source = write_cases(tmp_path / "案件.jsonl", 300)
    with db.unit_of_work("测试") as uow:
        assert import_case_file(uow, source, today=TODAY, progress=Progress()).imported == 300

    dest = tmp_path / "导出" / "全部案件.jsonl"
    with pytest.raises(StoreError) as missing, db.unit_of_work("测试", read_only=True) as uow:
        export_case_file(uow, dest, progress=Progress())  # no such folder: an error, no folder made
    assert missing.value.kind == "io" and not dest.parent.exists()
    dest.parent.mkdir()
    seen: list[tuple[int, int, str]] = []
    with db.unit_of_work("测试", read_only=True) as uow:
        written = export_case_file(uow, dest, progress=Progress(lambda *a: seen.append(a), interval=0))
    assert written == 300 and seen[-1] == (300, 300, WRITING)
    exported = dest.read_text("utf-8").splitlines()
    assert len(exported) == 300 and json.loads(exported[0])["number"] == "2025-00001"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["全部案件.jsonl"]

    again = tmp_path / "导出" / "取消.jsonl"
    progress = Progress()
    progress = Progress(lambda d, t, s: progress.cancel() if d >= 100 else None, interval=0)
    with pytest.raises(Cancelled), db.unit_of_work("测试", read_only=True) as uow:
        export_case_file(uow, again, progress=progress)
    assert sorted(p.name for p in dest.parent.iterdir()) == ["全部案件.jsonl"]  # no partial file


def test_a_cancelled_file_keeps_the_one_it_would_replace(tmp_path: Path) -> None:
    dest = tmp_path / "报告.pdf"
    dest.write_bytes(b"old")
    progress = Progress()
    with pytest.raises(Cancelled), finished_file(dest, progress) as tmp:
        tmp.write_bytes(b"new, complete")
        progress.cancel()
    assert dest.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["报告.pdf"]
    with finished_file(dest, progress=Progress()) as tmp:
        tmp.write_bytes(b"new")
    assert dest.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["报告.pdf"]
