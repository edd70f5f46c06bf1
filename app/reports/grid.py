"""Tables 三 and 四 of 30号 as grids of (merged) cells: the one layout the DOCX and PDF renderers draw.

The XLSX renderer places the same cells itself; a renderer of pages takes a ``Grid`` and only decides
fonts, widths and lines. Rows and columns count from 0; a merged cell is given once, at its top-left
position, with the number of rows and columns it covers. Labels come from ``app.reports.table``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    SECTION4_LAYOUT,
    TOTAL_HEADER,
    section4_rows,
    table_rows,
)

# corner: the top-left cell of table 三 (it states the check); head: a column header; label: a row
# label (left-aligned); count: a number (centred).
Role = Literal["corner", "head", "label", "count"]


@dataclass(frozen=True)
class Cell:
    """One cell of a grid; ``rows``/``cols`` > 1 for a merged cell."""

    row: int
    col: int
    text: str
    role: Role
    rows: int = 1
    cols: int = 1

    @property
    def last_row(self) -> int:
        return self.row + self.rows - 1

    @property
    def last_col(self) -> int:
        return self.col + self.cols - 1


@dataclass(frozen=True)
class Grid:
    """A table: its size, how many of its top rows are headers and its cells (each position covered once)."""

    n_rows: int
    n_cols: int
    header_rows: int
    label_cols: int  # the columns left of the counts (3 in table 三, none in table 四)
    cells: tuple[Cell, ...]

    def cell_at(self, row: int, col: int) -> Cell:
        """The cell covering (row, col), merged or not."""
        for cell in self.cells:
            if cell.row <= row <= cell.last_row and cell.col <= col <= cell.last_col:
                return cell
        raise KeyError((row, col))


SECTION3_HEADER_ROWS = 3
SECTION3_LABEL_COLS = 3


def section3_grid(report: AnnualReport) -> Grid:
    """Table 三: three header rows (申请人情况 → 自然人 | 法人或其他组织 → its five kinds | 总计), three label
    columns (一、… / （一）… / 1.…, merged where a label spans), then one count per column of ``COLUMN_LABELS``."""
    n_counts = len(COLUMN_LABELS)
    first = SECTION3_LABEL_COLS
    last = first + n_counts - 1
    cells: list[Cell] = [
        Cell(0, 0, SECTION3_CORNER, "corner", rows=SECTION3_HEADER_ROWS, cols=SECTION3_LABEL_COLS),
        Cell(0, first, APPLICANTS_HEADER, "head", cols=n_counts),
        Cell(1, first, NATURAL_PERSON_HEADER, "head", rows=2),
        Cell(1, first + 1, ORGANISATIONS_HEADER, "head", cols=len(ORGANISATION_LABELS)),
        *(Cell(2, first + 1 + i, label, "head") for i, label in enumerate(ORGANISATION_LABELS)),
        Cell(1, last, TOTAL_HEADER, "head", rows=2),
    ]
    layout = list(SECTION3_LAYOUT)
    top = SECTION3_HEADER_ROWS
    i = 0
    while i < len(layout):
        spec = layout[i]
        if not spec.group:
            # 一、 二、 四、 span the three label columns.
            cells.append(Cell(top + i, 0, spec.section, "label", cols=SECTION3_LABEL_COLS))
            i += 1
            continue
        # 三、本年度办理结果: one tall cell over its groups, （七）总计 included.
        j = i
        while j < len(layout) and layout[j].section == spec.section and layout[j].group:
            j += 1
        cells.append(Cell(top + i, 0, spec.section, "label", rows=j - i))
        k = i
        while k < j:
            m = k
            while m < j and layout[m].group == layout[k].group:
                m += 1
            if layout[k].item:
                cells.append(Cell(top + k, 1, layout[k].group, "label", rows=m - k))
                cells += [Cell(top + n, 2, layout[n].item, "label") for n in range(k, m)]
            else:
                # （一）（二）（七） span the group and item columns.
                cells.append(Cell(top + k, 1, layout[k].group, "label", cols=2))
            k = m
        i = j
    for r, (_, counts) in enumerate(table_rows(report)):
        cells += [Cell(top + r, first + c, str(n), "count") for c, n in enumerate(counts)]
    return Grid(
        n_rows=top + len(layout),
        n_cols=first + n_counts,
        header_rows=SECTION3_HEADER_ROWS,
        label_cols=SECTION3_LABEL_COLS,
        cells=tuple(cells),
    )


def section4_grid(report: AnnualReport) -> Grid:
    """Table 四: 行政复议 (its five results spanning two header rows) | 行政诉讼 → 未经复议直接起诉 |
    复议后起诉 (five results each), then one row of fifteen counts."""
    width = len(RESULT_LABELS)
    cells: list[Cell] = []
    litigation_first: int | None = None
    for b, (spec, (_, counts)) in enumerate(zip(SECTION4_LAYOUT, section4_rows(report), strict=True)):
        first = b * width
        if spec.sub:
            litigation_first = first if litigation_first is None else litigation_first
            cells.append(Cell(1, first, spec.sub, "head", cols=width))
            cells += [Cell(2, first + i, label, "head") for i, label in enumerate(RESULT_LABELS)]
        else:
            cells.append(Cell(0, first, spec.head, "head", cols=width))
            cells += [Cell(1, first + i, label, "head", rows=2) for i, label in enumerate(RESULT_LABELS)]
        cells += [Cell(3, first + i, str(n), "count") for i, n in enumerate(counts)]
    assert litigation_first is not None
    n_cols = width * len(SECTION4_LAYOUT)
    cells.append(Cell(0, litigation_first, LITIGATION_HEADER, "head", cols=n_cols - litigation_first))
    return Grid(n_rows=4, n_cols=n_cols, header_rows=3, label_cols=0, cells=tuple(cells))
