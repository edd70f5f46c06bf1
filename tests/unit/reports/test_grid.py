"""The grids the DOCX and PDF renderers draw: every position covered once, the merged cells of 30号
(the same ranges the XLSX merges) and the counts of the report in their cells."""

from __future__ import annotations

import pytest

from app.reports.annual import AnnualReport, annual_report
from app.reports.grid import Grid, section3_grid, section4_grid
from app.reports.table import SECTION3_LAYOUT, section4_rows, table_rows
from tests.unit.reports.test_annual import mixed_year


@pytest.fixture(scope="module")
def report() -> AnnualReport:
    return annual_report(mixed_year(), 2025)


def _covered_once(grid: Grid) -> None:
    seen: dict[tuple[int, int], str] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.last_row + 1):
            for c in range(cell.col, cell.last_col + 1):
                assert (r, c) not in seen, (r, c, cell.text, seen.get((r, c)))
                seen[(r, c)] = cell.text
    assert set(seen) == {(r, c) for r in range(grid.n_rows) for c in range(grid.n_cols)}


def _span(grid: Grid, text: str) -> tuple[int, int, int, int]:
    (cell,) = [c for c in grid.cells if c.text == text and c.role != "count"]
    return cell.row, cell.col, cell.last_row, cell.last_col


def test_table_3_grid_has_the_official_merged_cells(report: AnnualReport) -> None:
    grid = section3_grid(report)
    _covered_once(grid)
    assert (grid.n_rows, grid.n_cols, grid.header_rows) == (3 + len(SECTION3_LAYOUT), 10, 3)
    # The XLSX ranges A3:C5, D3:J3, D4:D5, E4:I4, J4:J5, shifted to start at (0, 0).
    corner = grid.cell_at(2, 2)
    assert (corner.role, corner.row, corner.col, corner.rows, corner.cols) == ("corner", 0, 0, 3, 3)
    assert _span(grid, "申请人情况") == (0, 3, 0, 9)
    assert _span(grid, "自然人") == (1, 3, 2, 3)
    assert _span(grid, "法人或其他组织") == (1, 4, 1, 8)
    assert _span(grid, "总计") == (1, 9, 2, 9)
    assert _span(grid, "一、本年新收政府信息公开申请数量") == (3, 0, 3, 2)
    assert _span(grid, "三、本年度办理结果") == (5, 0, 26, 0)  # every result row, （七）总计 included
    assert _span(grid, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == (6, 1, 6, 2)
    assert _span(grid, "（三）不予公开") == (7, 1, 14, 1)  # its eight sub-rows
    assert _span(grid, "1.属于国家秘密") == (7, 2, 7, 2)
    assert _span(grid, "（七）总计") == (26, 1, 26, 2)
    assert _span(grid, "四、结转下年度继续办理") == (27, 0, 27, 2)
    for r, (_, counts) in enumerate(table_rows(report)):
        assert [grid.cell_at(3 + r, 3 + c).text for c in range(7)] == [str(n) for n in counts]


def test_table_4_grid_has_the_official_merged_cells(report: AnnualReport) -> None:
    grid = section4_grid(report)
    _covered_once(grid)
    assert (grid.n_rows, grid.n_cols, grid.header_rows) == (4, 15, 3)
    assert _span(grid, "行政复议") == (0, 0, 0, 4)
    assert _span(grid, "行政诉讼") == (0, 5, 0, 14)
    assert _span(grid, "未经复议直接起诉") == (1, 5, 1, 9)
    assert _span(grid, "复议后起诉") == (1, 10, 1, 14)
    five = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [grid.cell_at(1, c).text for c in range(5)] == five
    assert all(grid.cell_at(1, c).rows == 2 for c in range(5))  # 行政复议's results span two rows
    assert [grid.cell_at(2, c).text for c in range(5, 15)] == five * 2
    counts = [str(n) for _, block in section4_rows(report) for n in block]
    assert [grid.cell_at(3, c).text for c in range(15)] == counts
