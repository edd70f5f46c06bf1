"""The official layout of tables 三 and 四 of 30号: labels, header structure and the label/value grid.

Shared by every renderer (XLSX here, DOCX/PDF in ``app.letters``) so the labels are written once.
30号 = 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号); the result rows' labels
come from the findings catalogue (``app.law.findings``), which holds them next to each finding.
"""

from __future__ import annotations

from typing import NamedTuple

from app.law import findings
from app.law.findings import entry
from app.reports.annual import (
    BLOCK_LITIGATION_AFTER,
    BLOCK_LITIGATION_DIRECT,
    BLOCK_RECONSIDERATION,
    COLUMNS,
    RESULT_ROWS,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_KEYS,
    ROW_NEW,
    ROW_TOTAL,
    AnnualReport,
)

SECTION3_TITLE = "三、收到和处理政府信息公开申请情况"
SECTION4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"

# 30号 table 三, the top-left header cell (it states the check the table must satisfy).
SECTION3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS_HEADER = "申请人情况"
NATURAL_PERSON_HEADER = "自然人"
ORGANISATIONS_HEADER = "法人或其他组织"
# The five 法人或其他组织 columns and 总计, in the order of ``COLUMNS`` (30号 says "其他", not "其他组织").
ORGANISATION_LABELS: tuple[str, ...] = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
TOTAL_HEADER = "总计"
COLUMN_LABELS: tuple[str, ...] = (NATURAL_PERSON_HEADER, *ORGANISATION_LABELS, TOTAL_HEADER)
assert len(COLUMN_LABELS) == len(COLUMNS)

# 30号 table 四.
RECONSIDERATION_HEADER = "行政复议"
LITIGATION_HEADER = "行政诉讼"
RESULT_LABELS: tuple[str, ...] = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


class RowSpec(NamedTuple):
    """One row of table 三 and where it sits in the three label columns of the official layout.

    ``section`` is the outer label (一、… 二、… 三、本年度办理结果 四、…); ``group`` the （一）…（七） label
    within 三; ``item`` the 1. 2. … sub-row within a group. Empty strings mark a label that spans the
    columns to its right (a renderer merges those cells).
    """

    key: str
    section: str
    group: str
    item: str

    @property
    def label(self) -> str:
        """The row's own label: the innermost non-empty part, prefixed with its group for sub-rows."""
        if self.item:
            return f"{self.group} {self.item}"
        return self.group or self.section


def _layout() -> tuple[RowSpec, ...]:
    rows = [
        RowSpec(ROW_NEW, findings.ROW_NEW, "", ""),
        RowSpec(ROW_CARRIED_IN, findings.ROW_CARRIED_IN, "", ""),
    ]
    for key in RESULT_ROWS:
        e = entry(key)
        rows.append(RowSpec(key, findings.ROW_RESULTS, e.row_group, e.row_item))
    rows.append(RowSpec(ROW_TOTAL, findings.ROW_RESULTS, findings.ROW_TOTAL, ""))
    rows.append(RowSpec(ROW_CARRIED_OUT, findings.ROW_CARRIED_OUT, "", ""))
    assert tuple(r.key for r in rows) == ROW_KEYS
    return tuple(rows)


SECTION3_LAYOUT: tuple[RowSpec, ...] = _layout()


class BlockSpec(NamedTuple):
    """One block of table 四: its key in ``AnnualReport``, its header and its sub-header."""

    key: str
    head: str
    sub: str  # "" for 行政复议, which has no second header level

    @property
    def label(self) -> str:
        return f"{self.head} {self.sub}" if self.sub else self.head


SECTION4_LAYOUT: tuple[BlockSpec, ...] = (
    BlockSpec(BLOCK_RECONSIDERATION, RECONSIDERATION_HEADER, ""),
    BlockSpec(BLOCK_LITIGATION_DIRECT, LITIGATION_HEADER, "未经复议直接起诉"),
    BlockSpec(BLOCK_LITIGATION_AFTER, LITIGATION_HEADER, "复议后起诉"),
)

CHECK_FORMULA = "一 + 二 = 三（七）总计 + 四"


def table_rows(report: AnnualReport) -> list[tuple[str, list[int]]]:
    """Table 三 as (label, one count per column of ``COLUMN_LABELS``) in the official order.

    Labels are those of ``RowSpec.label``: "一、本年新收政府信息公开申请数量", "（一）予以公开",
    "（三）不予公开 1.属于国家秘密", …, "（七）总计", "四、结转下年度继续办理". ``SECTION3_LAYOUT`` gives the
    same rows split into the three label columns for a renderer that merges cells.
    """
    return [(spec.label, list(report.row(spec.key))) for spec in SECTION3_LAYOUT]


def section4_rows(report: AnnualReport) -> list[tuple[str, list[int]]]:
    """Table 四 as (block label, the five cells of ``RESULT_LABELS``), in the official order."""
    return [(spec.label, list(report.block(spec.key).values())) for spec in SECTION4_LAYOUT]


def check_text(report: AnnualReport) -> str:
    """The check line printed under table 三: the formula and whether every column satisfies it."""
    mismatches = report.check_mismatches()
    if not mismatches:
        return f"勾稽关系核对：{CHECK_FORMULA}，各列均相符。"
    new, carried_in = report.row(ROW_NEW), report.row(ROW_CARRIED_IN)
    total, carried_out = report.row(ROW_TOTAL), report.row(ROW_CARRIED_OUT)
    parts = [
        f"{COLUMN_LABELS[i]}（一+二＝{new[i] + carried_in[i]}，（七）+四＝{total[i] + carried_out[i]}）"
        for i in mismatches
    ]
    return f"勾稽关系核对：{CHECK_FORMULA}，以下各列不相符：{'；'.join(parts)}。"


def report_title(agency_name: str, year: int) -> str:
    """The title of the annual report (30号: "XX政府信息公开工作年度报告")."""
    return f"{agency_name}政府信息公开工作年度报告（{year}年）"
