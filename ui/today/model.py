"""Qt table models over the worklist's rows (``app.services.worklist``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.domain.codes import CHANNEL_LABELS, Channel
from app.law.deadlines import Band, State
from app.letters import KIND_LABELS, LetterKind
from app.services.worklist import CaseRow, ReviewRow
from ui.labels import PAUSE_KIND_LABELS, REVIEW_STAGE_LABELS, days_left_text, format_date

NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1  # the case's 登记编号, whatever the column

_Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")

_URGENT = QColor("#b3261e")
_SOON = QColor("#b25e00")


def case_note(row: CaseRow) -> str:
    """The 说明 column: why the case is where it is and what the clerk waits for."""
    notes: list[str] = []
    if row.paused_until is not None:
        why = "、".join(PAUSE_KIND_LABELS.get(k, k) for k in row.paused_by)
        notes.append(f"暂停计时至{format_date(row.paused_until)}" + (f"（{why}）" if why else ""))
    if row.state is State.AWAITING_CORRECTION:
        if row.correction_period_end is not None:
            notes.append(f"补正期限至{format_date(row.correction_period_end)}")
        else:
            notes.append("等待申请人补正")
    if row.state is State.AWAITING_CONFIRMATION:
        channel = CHANNEL_LABELS.get(Channel(row.channel), row.channel)
        arrived = f"{format_date(row.arrived)}到达，" if row.arrived else ""
        notes.append(f"{channel}，{arrived}待与申请人确认收到")
    if row.provisional:
        notes.append("期限暂定：所跨年份的节假日安排尚未载入")
    if not notes and row.received is not None:
        notes.append(f"{format_date(row.received)}收到申请")
    return "；".join(notes)


def item_text(row: CaseRow) -> str:
    return row.first_item if row.item_count <= 1 else f"{row.first_item}（等{row.item_count}项）"


class _RowsModel(QAbstractTableModel, Generic[R]):
    COLUMNS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's name and default)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self._data(self._rows[index.row()], index.column(), role)

    def _data(self, row: R, column: int, role: int) -> Any:
        raise NotImplementedError


class CaseRowsModel(_RowsModel[CaseRow]):
    """One worklist group of cases."""

    COLUMNS = ("登记编号", "申请人", "申请内容", "答复期限", "剩余工作日", "说明")

    def _data(self, row: CaseRow, column: int, role: int) -> Any:
        if role == NUMBER_ROLE:
            return row.number
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.number,
                row.applicant,
                item_text(row),
                format_date(row.reply_due),
                days_left_text(row.days_left),
                case_note(row),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 5):
            return item_text(row) if column == 2 else case_note(row) or None
        if role == Qt.ItemDataRole.ForegroundRole and column in (3, 4):
            if row.band is Band.OVERDUE:
                return _URGENT
            if row.band in (Band.DUE_TODAY, Band.WITHIN_3):
                return _SOON
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReviewRowsModel(_RowsModel[ReviewRow]):
    """Letters that are not issued yet (待审核)."""

    COLUMNS = ("登记编号", "申请人", "文书", "文号", "状态", "说明")

    def _data(self, row: ReviewRow, column: int, role: int) -> Any:
        if role == NUMBER_ROLE:
            return row.number
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            try:
                kind = KIND_LABELS[LetterKind(row.letter_kind)]
            except ValueError:
                kind = row.letter_kind
            note = f"审核意见：{row.comment}" if row.comment else f"拟稿：{row.created_by}"
            values = (row.number, row.applicant, kind, row.doc_number, REVIEW_STAGE_LABELS[row.stage], note)
            if role == Qt.ItemDataRole.ToolTipRole:
                return values[column] if column == 5 else None
            return values[column]
        return None
