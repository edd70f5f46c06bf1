"""The annual report on disk: the shared example file counted exactly, and the XLSX in the 30号 layout."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.domain.caseformat import parse_case
from app.domain.codes import FINDING_ORDER
from app.law.findings import entry
from app.reports.annual import AnnualReport, annual_report
from app.reports.annual_xlsx import SHEET3, SHEET4, write_annual_xlsx
from tests.unit.reports.test_annual import mixed_year

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "tests" / "data" / "examples" / "annual_report.json"  # a copy of ../shared/examples
AGENCY = "某市某区人民政府办公室"


def _example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text("utf-8"))
    return data


def test_shared_example_file_matches_exactly() -> None:
    data = _example()
    got = annual_report([parse_case(c) for c in data["cases"]], data["year"]).to_json()
    assert got == data["expected"]
    assert json.dumps(got, ensure_ascii=False) == json.dumps(data["expected"], ensure_ascii=False)


@pytest.fixture(scope="module")
def report() -> AnnualReport:
    return annual_report(mixed_year(), 2025)


@pytest.fixture(scope="module")
def workbook(report: AnnualReport, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("report") / "年度报告.xlsx"
    write_annual_xlsx(report, path, agency_name=AGENCY)
    return openpyxl.load_workbook(path)


def _cells(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _find(ws: Any, text: str) -> tuple[int, int]:
    """(row, column) of the cell holding exactly ``text``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not on sheet {ws.title}")


def _merged_at(ws: Any, row: int, col: int) -> str | None:
    for rng in ws.merged_cells.ranges:
        if rng.min_row == row and rng.min_col == col:
            return str(rng.coord)
    return None


def test_workbook_has_both_tables_with_the_title(workbook: Any) -> None:
    assert workbook.sheetnames == [SHEET3, SHEET4]
    for ws in workbook.worksheets:
        assert ws["A1"].value == f"{AGENCY}政府信息公开工作年度报告（2025年）"
    assert workbook[SHEET3]["A2"].value == "三、收到和处理政府信息公开申请情况"
    assert workbook[SHEET4]["A2"].value == "四、政府信息公开行政复议、行政诉讼情况"


def test_table_3_headers_are_the_official_multi_level_ones(workbook: Any) -> None:
    ws = workbook[SHEET3]
    assert _merged_at(ws, *_find(ws, "申请人情况")) == "D3:J3"
    assert _merged_at(ws, *_find(ws, "自然人")) == "D4:D5"  # spans both header rows
    assert _merged_at(ws, *_find(ws, "法人或其他组织")) == "E4:I4"
    assert [ws.cell(row=5, column=c).value for c in range(5, 10)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert _merged_at(ws, *_find(ws, "总计")) == "J4:J5"
    corner = ws["A3"].value
    assert "第一项加第二项之和，等于第三项加第四项之和" in corner
    assert _merged_at(ws, 3, 1) == "A3:C5"


def test_table_3_rows_carry_the_official_labels_and_the_numbers(workbook: Any, report: AnnualReport) -> None:
    ws = workbook[SHEET3]
    row_new = _find(ws, "一、本年新收政府信息公开申请数量")[0]
    assert [ws.cell(row=row_new, column=c).value for c in range(4, 11)] == [5, 6, 5, 4, 4, 4, 28]
    row_in = _find(ws, "二、上年结转政府信息公开申请数量")[0]
    assert [ws.cell(row=row_in, column=c).value for c in range(4, 11)] == [2, 1, 0, 0, 1, 0, 4]
    # 三、本年度办理结果 is one tall cell over every result row, （七）总计 included.
    results_row, _ = _find(ws, "三、本年度办理结果")
    assert _merged_at(ws, results_row, 1) == f"A{results_row}:A{results_row + len(FINDING_ORDER)}"
    group_3 = _find(ws, "（三）不予公开")
    assert _merged_at(ws, *group_3) == f"B{group_3[0]}:B{group_3[0] + 7}"  # its eight sub-rows
    for finding in FINDING_ORDER:
        e = entry(finding)
        if e.row_item:
            r, c = _find(ws, e.row_item)
            assert c == 3
        else:
            r, c = _find(ws, e.row_group)
            assert c == 2
        assert [ws.cell(row=r, column=col).value for col in range(4, 11)] == list(report.row(finding)), (
            finding
        )
    row_total = _find(ws, "（七）总计")[0]
    assert [ws.cell(row=row_total, column=c).value for c in range(4, 11)] == [7, 6, 4, 3, 4, 3, 27]
    row_out = _find(ws, "四、结转下年度继续办理")[0]
    assert [ws.cell(row=row_out, column=c).value for c in range(4, 11)] == [0, 1, 1, 1, 1, 1, 5]
    # The check, stated under the table.
    check = ws.cell(row=row_out + 1, column=1).value
    assert check.startswith("勾稽关系核对") and "各列均相符" in check


def test_table_3_cells_are_bordered_and_labels_wrap(workbook: Any) -> None:
    ws = workbook[SHEET3]
    row_out = _find(ws, "四、结转下年度继续办理")[0]
    ranges = list(ws.merged_cells.ranges)

    def span(r: int, c: int) -> tuple[int, int, int, int]:
        for rng in ranges:
            if rng.min_row <= r <= rng.max_row and rng.min_col <= c <= rng.max_col:
                return rng.min_row, rng.min_col, rng.max_row, rng.max_col
        return r, c, r, c

    # Every side of every cell that is an edge of its (merged) cell is drawn.
    for r in range(3, row_out + 1):
        for c in range(1, 11):
            top, left, bottom, right = span(r, c)
            border = ws.cell(row=r, column=c).border
            for side, edge in (
                ("top", r == top),
                ("bottom", r == bottom),
                ("left", c == left),
                ("right", c == right),
            ):
                if edge:
                    assert getattr(border, side).style == "thin", (r, c, side)
    assert ws.column_dimensions["C"].width >= 40  # the long 1.… labels of （六）
    r, c = _find(ws, entry("other.fee_unpaid").row_item)
    assert ws.cell(row=r, column=c).alignment.wrap_text
    assert ws.row_dimensions[r].height >= 30  # two lines: Excel does not size rows itself here


def test_table_4_headers_and_numbers(workbook: Any) -> None:
    ws = workbook[SHEET4]
    assert _merged_at(ws, *_find(ws, "行政复议")) == "A3:E3"
    assert _merged_at(ws, *_find(ws, "行政诉讼")) == "F3:O3"
    assert _merged_at(ws, *_find(ws, "未经复议直接起诉")) == "F4:J4"
    assert _merged_at(ws, *_find(ws, "复议后起诉")) == "K4:O4"
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [ws.cell(row=4, column=c).value for c in range(1, 6)] == five
    assert [ws.cell(row=5, column=c).value for c in range(6, 16)] == five * 2
    assert [ws.cell(row=6, column=c).value for c in range(1, 16)] == [
        *(2, 2, 1, 2, 7),  # 行政复议
        *(1, 1, 1, 1, 4),  # 未经复议直接起诉
        *(1, 1, 0, 1, 3),  # 复议后起诉
    ]


def test_a_failed_check_is_stated_with_the_columns(tmp_path: Path, report: AnnualReport) -> None:
    rows = dict(report.rows)
    rows["carried_out"] = (1, *rows["carried_out"][1:-1], rows["carried_out"][-1] + 1)
    bad = AnnualReport(
        2025, rows, report.reconsideration, report.litigation_direct, report.litigation_after_reconsideration
    )
    stream = io.BytesIO()
    write_annual_xlsx(bad, stream, agency_name=AGENCY)
    ws = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))[SHEET3]
    check = ws.cell(row=_find(ws, "四、结转下年度继续办理")[0] + 1, column=1).value
    assert "不相符" in check and "自然人" in check and "总计" in check
