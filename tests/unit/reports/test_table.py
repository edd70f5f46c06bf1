"""The label/value grids of tables 三 and 四 that every renderer draws (30号 layout)."""

from __future__ import annotations

import pytest

from app.domain.codes import FINDING_ORDER
from app.law import findings
from app.reports.annual import ROW_KEYS, AnnualReport, annual_report
from app.reports.table import (
    COLUMN_LABELS,
    SECTION3_LAYOUT,
    check_text,
    report_title,
    section4_rows,
    table_rows,
)
from tests.unit.reports.test_annual import mixed_year


@pytest.fixture(scope="module")
def report() -> AnnualReport:
    return annual_report(mixed_year(), 2025)


def test_columns_are_the_official_headers() -> None:
    assert COLUMN_LABELS == ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")


def test_layout_follows_the_row_keys_and_the_findings_catalogue() -> None:
    assert tuple(spec.key for spec in SECTION3_LAYOUT) == ROW_KEYS
    assert SECTION3_LAYOUT[0].label == findings.ROW_NEW
    assert SECTION3_LAYOUT[1].label == findings.ROW_CARRIED_IN
    for spec, finding in zip(SECTION3_LAYOUT[2:-2], FINDING_ORDER, strict=True):
        assert spec.section == findings.ROW_RESULTS
        assert spec.label == findings.entry(finding).row
    assert SECTION3_LAYOUT[-2].label == findings.ROW_TOTAL
    assert SECTION3_LAYOUT[-1].label == findings.ROW_CARRIED_OUT


def test_grids_for_other_renderers(report: AnnualReport) -> None:
    grid = table_rows(report)
    assert grid[0] == ("一、本年新收政府信息公开申请数量", [5, 6, 5, 4, 4, 4, 28])
    assert grid[4] == ("（三）不予公开 1.属于国家秘密", [0, 0, 1, 0, 0, 0, 1])
    assert grid[-2][0] == "（七）总计"
    assert grid[-1] == ("四、结转下年度继续办理", [0, 1, 1, 1, 1, 1, 5])
    assert len(grid) == 2 + len(FINDING_ORDER) + 2
    assert section4_rows(report) == [
        ("行政复议", [2, 2, 1, 2, 7]),
        ("行政诉讼 未经复议直接起诉", [1, 1, 1, 1, 4]),
        ("行政诉讼 复议后起诉", [1, 1, 0, 1, 3]),
    ]


def test_check_text_names_the_columns_that_fail(report: AnnualReport) -> None:
    assert check_text(report) == "勾稽关系核对：一 + 二 = 三（七）总计 + 四，各列均相符。"
    rows = dict(report.rows)
    rows["new"] = (rows["new"][0] + 2, *rows["new"][1:-1], rows["new"][-1] + 2)
    bad = AnnualReport(
        2025, rows, report.reconsideration, report.litigation_direct, report.litigation_after_reconsideration
    )
    assert check_text(bad) == (
        "勾稽关系核对：一 + 二 = 三（七）总计 + 四，以下各列不相符："
        "自然人（一+二＝9，（七）+四＝7）；总计（一+二＝34，（七）+四＝32）。"
    )


def test_title() -> None:
    assert report_title("某县民政局", 2025) == "某县民政局政府信息公开工作年度报告（2025年）"
