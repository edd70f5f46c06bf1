"""A ledger's 经办人/承办人 column, imported into a real database: each case keeps the clerk the
ledger names (or none), not the person importing the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from app import bootstrap
from app.domain.model import Agency
from app.interchange import read_file
from app.services.cases import get_case, import_cases
from app.store.database import Database

AGENCY = Agency(name="某区自然资源局", kind="department", level="county", short_name="某区", court="某法院")
TODAY = dt.date(2026, 10, 20)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    home = tmp_path / "home"
    bootstrap.initialize(home, passphrase="台账经办人", agency=AGENCY, actor="导入员")
    with bootstrap.open_database(home, lambda: "台账经办人") as database:
        yield database


def _import(db: Database, path: Path) -> dict[str, str | None]:
    lines = read_file(path)
    assert all(line.ok for line in lines), [line.error for line in lines]
    with db.unit_of_work("导入员") as uow:
        report = import_cases(uow, lines, skip_invalid=False, source=path.name, today=TODAY)
        assert report.ok, report.errors
    with db.unit_of_work("导入员", read_only=True) as uow:
        return {number: get_case(uow, number).clerk for number in ("2026-0001", "2026-0002")}


def test_csv_ledger_clerks(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_text(
        "登记编号,收到日期,收到方式,申请人,申请人类型,申请内容,经办人\n"
        "2026-0001,2026-09-16,当面,张三,自然人,某村征收方案,李四\n"
        "2026-0002,2026-09-17,网上,某公司,企业,某文件,\n",
        encoding="gb18030",
    )
    assert _import(db, path) == {"2026-0001": "李四", "2026-0002": None}


def test_xlsx_ledger_clerks(db: Database, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["2026年依申请公开台账"])
    sheet.append(["登记编号", "收到日期", "收到方式", "申请人", "申请人类型", "申请内容", "承办人（姓名）"])
    sheet.append(["2026-0001", dt.date(2026, 9, 16), "邮寄", "张三", "个人", "某文件", None])
    sheet.append(["2026-0002", dt.date(2026, 9, 18), "当面", "王五", "个人", "某文件", " 赵六 "])
    path = tmp_path / "台账.xlsx"
    workbook.save(path)
    assert _import(db, path) == {"2026-0001": None, "2026-0002": "赵六"}
