"""Tables 三 and 四 of the annual report as an XLSX workbook in the official layout of 30号.

One worksheet per table (their column structures differ: table 三 has three label columns and seven
counts, table 四 fifteen counts), each with the report title, the section heading, the multi-level
headers of 30号 as merged cells, thin borders and widths sized for Chinese labels. Table 三 is followed
by its check line (一 + 二 = 三（七）总计 + 四). The labels come from ``app.reports.table``.
"""

from __future__ import annotations

import math
import os
import unicodedata
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from app.reports.annual import AnnualReport
from app.reports.table import (
    APPLICANTS_HEADER,
    COLUMN_LABELS,
    LITIGATION_HEADER,
    NATURAL_PERSON_HEADER,
    ORGANISATION_LABELS,
    ORGANISATIONS_HEADER,
    RESULT_LABELS,
    SECTION3_CORNER,
    SECTION3_LAYOUT,
    SECTION3_TITLE,
    SECTION4_LAYOUT,
    SECTION4_TITLE,
    TOTAL_HEADER,
    check_text,
    report_title,
    section4_rows,
    table_rows,
)

__all__ = ["section4_rows", "table_rows", "write_annual_xlsx"]

SHEET3 = "三、收到和处理申请情况"
SHEET4 = "四、行政复议行政诉讼情况"

_FONT = "宋体"
_TITLE_FONT = "黑体"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_BODY = Font(name=_FONT, size=11)
_BOLD = Font(name=_FONT, size=11, bold=True)
_TITLE = Font(name=_TITLE_FONT, size=16, bold=True)
_HEADING = Font(name=_TITLE_FONT, size=12, bold=True)
_LINE_HEIGHT = 15.0  # points per line of 11-pt text

# Table 三: label columns A–C, counts D–J. Widths in Excel units (≈ one Latin character; a Chinese
# character takes about two).
_T3_LABEL_WIDTHS = (12.0, 16.0, 44.0)
_T3_COUNT_WIDTH = 10.0
_T4_COUNT_WIDTH = 10.0


def _display_width(text: str) -> int:
    """Columns the text takes: 2 for wide (CJK, full-width) characters, 1 otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    usable = max(width - 1.5, 2.0)  # cell padding
    return max(1, math.ceil(_display_width(text) / usable))


class _Sheet:
    """A worksheet with the few writing helpers both tables need."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.heights: dict[int, float] = {}

    def cell(
        self, row: int, col: int, value: object, *, font: Font = _BODY, align: Alignment = _CENTER
    ) -> None:
        c = self.ws.cell(row=row, column=col, value=value)
        c.font = font
        c.alignment = align

    def box(
        self,
        first_row: int,
        first_col: int,
        last_row: int,
        last_col: int,
        value: object,
        *,
        font: Font = _BODY,
        align: Alignment = _CENTER,
        border: bool = True,
    ) -> None:
        """Write ``value`` into a (merged, when larger than one cell) range, bordered all round."""
        self.cell(first_row, first_col, value, font=font, align=align)
        if (first_row, first_col) != (last_row, last_col):
            self.ws.merge_cells(
                start_row=first_row, start_column=first_col, end_row=last_row, end_column=last_col
            )
        if border:
            for r in range(first_row, last_row + 1):
                for c in range(first_col, last_col + 1):
                    self.ws.cell(row=r, column=c).border = _BORDER
        if isinstance(value, str):
            # Excel does not grow rows for wrapped text in merged cells: size them here.
            width = sum(self.width(c) for c in range(first_col, last_col + 1))
            needed = _lines(value, width) * _LINE_HEIGHT * (font.size or 11) / 11
            rows = last_row - first_row + 1
            per_row = needed / rows
            for r in range(first_row, last_row + 1):
                self.heights[r] = max(self.heights.get(r, _LINE_HEIGHT), per_row)

    def width(self, col: int) -> float:
        w = self.ws.column_dimensions[get_column_letter(col)].width
        return float(w) if w else 8.43

    def set_widths(self, widths: list[float]) -> None:
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w

    def finish(self, *, last_col: int, last_row: int) -> None:
        for r, h in self.heights.items():
            self.ws.row_dimensions[r].height = max(h, _LINE_HEIGHT + 3)
        ws = self.ws
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
        ws.sheet_view.showGridLines = False


def _title(sheet: _Sheet, title: str, heading: str, last_col: int) -> None:
    sheet.box(1, 1, 1, last_col, title, font=_TITLE, border=False)
    sheet.heights[1] = max(sheet.heights.get(1, 0.0), 30.0)
    sheet.box(2, 1, 2, last_col, heading, font=_HEADING, align=_LEFT, border=False)


def _section3(ws: Any, report: AnnualReport, title: str) -> None:
    sheet = _Sheet(ws)
    n_counts = len(COLUMN_LABELS)
    first_count = len(_T3_LABEL_WIDTHS) + 1  # column D
    last_col = first_count + n_counts - 1  # column J
    sheet.set_widths([*_T3_LABEL_WIDTHS, *([_T3_COUNT_WIDTH] * n_counts)])
    _title(sheet, title, SECTION3_TITLE, last_col)

    # Headers, rows 3–5: 申请人情况 → 自然人 | 法人或其他组织 (five) | 总计.
    sheet.box(3, 1, 5, first_count - 1, SECTION3_CORNER)
    sheet.box(3, first_count, 3, last_col, APPLICANTS_HEADER, font=_BOLD)
    sheet.box(4, first_count, 5, first_count, NATURAL_PERSON_HEADER, font=_BOLD)
    org_first, org_last = first_count + 1, first_count + len(ORGANISATION_LABELS)
    sheet.box(4, org_first, 4, org_last, ORGANISATIONS_HEADER, font=_BOLD)
    for i, label in enumerate(ORGANISATION_LABELS):
        sheet.box(5, org_first + i, 5, org_first + i, label, font=_BOLD)
    sheet.box(4, last_col, 5, last_col, TOTAL_HEADER, font=_BOLD)

    # Body: the three label columns, merged where a label spans rows or columns.
    top = 6
    layout = list(SECTION3_LAYOUT)
    row_of = {spec.key: top + i for i, spec in enumerate(layout)}
    i = 0
    while i < len(layout):
        spec = layout[i]
        r = row_of[spec.key]
        if not spec.group:
            sheet.box(r, 1, r, 3, spec.section, align=_LEFT)  # 一、 二、 四、 span the three label columns
            i += 1
            continue
        # 三、本年度办理结果: one tall cell for the section, then its groups.
        j = i
        while j < len(layout) and layout[j].section == spec.section and layout[j].group:
            j += 1
        sheet.box(r, 1, row_of[layout[j - 1].key], 1, spec.section)
        k = i
        while k < j:
            group = layout[k].group
            m = k
            while m < j and layout[m].group == group:
                m += 1
            gr, gl = row_of[layout[k].key], row_of[layout[m - 1].key]
            if layout[k].item:
                sheet.box(gr, 2, gl, 2, group, align=_LEFT)
                for spec_item in layout[k:m]:
                    ri = row_of[spec_item.key]
                    sheet.box(ri, 3, ri, 3, spec_item.item, align=_LEFT)
            else:
                sheet.box(gr, 2, gl, 3, group, align=_LEFT)  # （一）（二）（七） span group and item columns
            k = m
        i = j
    for spec, (_, counts) in zip(layout, table_rows(report), strict=True):
        r = row_of[spec.key]
        for c, n in enumerate(counts):
            sheet.box(r, first_count + c, r, first_count + c, n)
            ws.cell(row=r, column=first_count + c).number_format = "0"
    last_row = top + len(layout) - 1

    # The check printed under the table (domain.md §7.1).
    check_row = last_row + 1
    sheet.box(check_row, 1, check_row, last_col, check_text(report), align=_LEFT, border=False)
    sheet.finish(last_col=last_col, last_row=check_row)


def _section4(ws: Any, report: AnnualReport, title: str) -> None:
    sheet = _Sheet(ws)
    cells = len(RESULT_LABELS)
    last_col = cells * len(SECTION4_LAYOUT)
    sheet.set_widths([_T4_COUNT_WIDTH] * last_col)
    _title(sheet, title, SECTION4_TITLE, last_col)

    # Headers, rows 3–5: 行政复议 (five, each spanning rows 4–5) | 行政诉讼 → 未经复议直接起诉 | 复议后起诉.
    rows = section4_rows(report)
    col = 1
    litigation_first = None
    for spec, (_, counts) in zip(SECTION4_LAYOUT, rows, strict=True):
        first, last = col, col + cells - 1
        if spec.sub:
            litigation_first = first if litigation_first is None else litigation_first
            sheet.box(4, first, 4, last, spec.sub, font=_BOLD)
            for i, label in enumerate(RESULT_LABELS):
                sheet.box(5, first + i, 5, first + i, label, font=_BOLD)
        else:
            sheet.box(3, first, 3, last, spec.head, font=_BOLD)
            for i, label in enumerate(RESULT_LABELS):
                sheet.box(4, first + i, 5, first + i, label, font=_BOLD)
        for i, n in enumerate(counts):
            sheet.box(6, first + i, 6, first + i, n)
            ws.cell(row=6, column=first + i).number_format = "0"
        col = last + 1
    assert litigation_first is not None
    sheet.box(3, litigation_first, 3, last_col, LITIGATION_HEADER, font=_BOLD)
    sheet.finish(last_col=last_col, last_row=6)


def write_annual_xlsx(
    report: AnnualReport, path_or_stream: str | os.PathLike[str] | IO[bytes], *, agency_name: str
) -> None:
    """Write tables 三 and 四 of ``report`` to an XLSX file (a path or a binary stream)."""
    title = report_title(agency_name, report.year)
    wb = Workbook()
    ws3 = wb.active
    ws3.title = SHEET3
    _section3(ws3, report, title)
    _section4(wb.create_sheet(SHEET4), report, title)
    wb.properties.title = title
    wb.properties.creator = agency_name
    wb.save(path_or_stream)
