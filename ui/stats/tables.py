"""Tables 三 and 四 of the annual report on screen, cell for cell as in 30号 (merged headers and labels)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.reports.grid import Grid

_HEAD_BACKGROUND = QColor("#f1f3f4")


class GridTable(QTableWidget):
    """A read-only table drawn from an ``app.reports.grid.Grid``: spans where the official layout merges
    cells, column widths fixed per column, and as tall as its rows (the page scrolls, not the table)."""

    def __init__(self, widths: Sequence[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widths = tuple(widths)
        self.grid: Grid | None = None
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("QTableWidget { gridline-color: #9aa0a6; border: 1px solid #9aa0a6; }")
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def set_grid(self, grid: Grid) -> None:
        self.grid = grid
        self.clearSpans()
        self.clearContents()
        self.setRowCount(grid.n_rows)
        self.setColumnCount(grid.n_cols)
        for col, width in enumerate(self.widths[: grid.n_cols]):
            self.setColumnWidth(col, width)
        bold = QFont(self.font())
        bold.setBold(True)
        for cell in grid.cells:
            item = QTableWidgetItem(cell.text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if cell.role == "label":
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            else:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if cell.role in ("head", "corner"):
                item.setBackground(QBrush(_HEAD_BACKGROUND))
            if cell.role == "head":
                item.setFont(bold)
            self.setItem(cell.row, cell.col, item)
            if cell.rows > 1 or cell.cols > 1:
                self.setSpan(cell.row, cell.col, cell.rows, cell.cols)
        self._fit_rows(grid)

    def _fit_rows(self, grid: Grid) -> None:
        # resizeRowsToContents ignores merged cells; give each row the height its own cells and the
        # merged cells starting in it need (a merged cell's height shared among its rows).
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        heights = [line + 12] * grid.n_rows
        for cell in grid.cells:
            width = sum(self.columnWidth(c) for c in range(cell.col, cell.last_col + 1)) - 10
            text_rect = metrics.boundingRect(
                0, 0, max(width, 10), 10_000, int(Qt.TextFlag.TextWordWrap), cell.text
            )
            needed = text_rect.height() + 12
            per_row = -(-needed // cell.rows)
            for r in range(cell.row, cell.last_row + 1):
                heights[r] = max(heights[r], per_row)
        for row, height in enumerate(heights):
            self.setRowHeight(row, height)
        total = sum(heights) + 2 * self.frameWidth() + 2
        if sum(self.widths[: grid.n_cols]) > self.viewport().width() > 0:
            total += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(total)
        # As wide as its columns: a wider widget would show an empty band right of the table.
        self.setMaximumWidth(sum(self.widths[: grid.n_cols]) + 2 * self.frameWidth() + 2)

    def text_at(self, row: int, col: int) -> str:
        """The text shown at (row, col): a merged cell's text at every position it covers."""
        if self.grid is None:
            return ""
        cell = self.grid.cell_at(row, col)
        item = self.item(cell.row, cell.col)
        return item.text() if item is not None else ""
