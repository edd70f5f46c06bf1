"""Import files from disk: JSONL, CSV and XLSX ledgers through ``read_file``, as ``yishen import`` does."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from app.domain.caseformat import dump_case_line
from app.domain.codes import ApplicantKind, Channel, Finding, Form
from app.domain.errors import InputError
from app.domain.model import ReceiptConfirmed, Replied
from app.interchange import read_file
from app.interchange.jsonl import write_jsonl
from app.messages import describe
from tests.unit.domain.casegen import minimal_case

HEADERS = ["序号", "登记编号", "收到日期", "收到方式", "申请人", "申请人类型", "联系电话", "申请内容", "载体形式",
           "答复日期", "答复类型", "经办人"]  # fmt: skip


def write_xlsx(path: Path, rows: list[list[object]], title: str | None = "2026年依申请公开台账") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title is not None:
        sheet.append([title])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_ledger_with_date_cells_numbers_and_labels(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "台账.xlsx",
        [
            [1, "2026-0001", dt.datetime(2026, 9, 16), "邮寄", "张三", "自然人", 13800138000, "某村\r\n征收方案",
             "纸质", dt.date(2026, 10, 9), "部分公开", "李四"],
            [2, "2026-0002", 46282, "电子邮件", "某律师事务所", "法律服务机构", None, "某文件", "电子数据",
             None, None, None],
            [None] * 12,
            [4, "2026-0003", "2026/9/18", "传真", "王五", "个人", "010-1234", "某文件", "光盘", "2026年9月30日",
             "不予公开（国家秘密）", None],
        ],
    )  # fmt: skip
    parsed = read_file(path)
    assert [(p.line, p.ok) for p in parsed] == [(3, True), (4, True), (6, True)]
    first, second, third = (p.case for p in parsed)
    assert first is not None and second is not None and third is not None
    assert (first.channel, first.received, first.applicant.phone) == (
        Channel.POST_SIGNED,
        dt.date(2026, 9, 16),
        "13800138000",
    )
    assert first.items[0].description == "某村\n征收方案" and first.items[0].form is Form.PAPER
    assert first.events == (Replied(date=dt.date(2026, 10, 9), outcome=Finding.PARTLY_DISCLOSED),)
    assert (first.clerk, second.clerk, first.extra) == ("李四", None, {})  # 经办人 → the clerk
    assert (second.channel, second.received, second.applicant.kind) == (
        Channel.EMAIL,
        dt.date(2026, 9, 17),
        ApplicantKind.LEGAL_SERVICES,
    )
    assert isinstance(second.events[0], ReceiptConfirmed)
    assert third.items[0].finding is Finding.WITHHELD_STATE_SECRET and third.items[0].form is Form.ELECTRONIC
    # the imported cases are ordinary cases: they survive the case file format unchanged
    for case in (first, second, third):
        assert read_file(_jsonl(tmp_path, dump_case_line(case)))[0].case == case


def _jsonl(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "one.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_xlsx_bad_date_names_the_row_and_the_column(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "台账.xlsx",
        [
            [1, "A", "2026-09-16", "当面", "张三", "个人", None, "某文件", None, None, None, None],
            [2, "B", "2026-13-01", "当面", "李四", "个人", None, "某文件", None, None, None, None],
        ],
    )
    parsed = read_file(path)
    assert parsed[0].ok
    error = parsed[1].error
    assert error is not None and (error.kind, error.field, error.line) == ("bad_date", "收到日期", 4)
    assert describe(error).startswith("台账.xlsx 第4行 “收到日期”列：“2026-13-01”不是有效日期")


def test_xlsx_without_title_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "t.xlsx", [[1, "A", "2026-09-16", "当面", "张三", "个人", None, "某文件"]], title=None
    )
    assert [(p.line, p.ok) for p in read_file(path)] == [(2, True)]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_ledger_from_disk(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "台账.csv"
    text = (
        ",".join(HEADERS) + "\r\n1,2026-0001,2026年9月16日,平信,张三,个人,,某文件,,2026-10-09,信息不存在,\r\n"
    )
    path.write_bytes(text.encode(encoding))
    (parsed,) = read_file(path)
    assert parsed.case is not None
    assert parsed.case.channel is Channel.POST_ORDINARY
    assert parsed.case.items[0].finding is Finding.UNABLE_NOT_HELD


def test_jsonl_export_then_import(tmp_path: Path) -> None:
    source = _jsonl(tmp_path, *(json.dumps(minimal_case(number=str(n), x_kept=n)) for n in range(3)))
    cases = [p.case for p in read_file(source)]
    path = tmp_path / "export.jsonl"
    with path.open("w", encoding="utf-8", newline="\n") as out:
        assert write_jsonl([c for c in cases if c is not None], out) == 3
    assert [p.case for p in read_file(path)] == cases


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("cases.xls", b"\xd0\xcf\x11\xe0", "unsupported_file_type"),
        ("cases.txt", b"{}", "unsupported_file_type"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "bad_xlsx"),
        ("text.xlsx", "登记编号,收到日期".encode(), "bad_xlsx"),
        ("empty.csv", b"", "no_header_row"),
    ],
    ids=["xls", "txt", "broken-zip", "csv-named-xlsx", "empty-csv"],
)
def test_files_that_cannot_be_imported(tmp_path: Path, name: str, content: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_file(path)
    assert (info.value.kind, info.value.source) == (kind, name)
    assert describe(info.value).startswith(name)


@pytest.mark.parametrize("name", ["missing.jsonl", "missing.csv", "missing.xlsx"])
def test_missing_file(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError) as info:
        read_file(tmp_path / name)
    assert info.value.kind == "unreadable_file"


def test_a_directory_is_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "cases.jsonl"
    folder.mkdir()
    with pytest.raises(InputError) as info:
        read_file(folder)
    assert info.value.kind == "unreadable_file"


def test_empty_jsonl_has_no_cases(tmp_path: Path) -> None:
    assert read_file(_jsonl(tmp_path, "", "  ")) == []
