"""The case list's table model: pages of ``app.services.caselist`` rows, fetched as the view scrolls."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.domain.listing import Cursor, SortKey
from app.law.deadlines import Band
from app.services.caselist import PAGE_SIZE, CasePage, CaseQuery, ListRow
from ui.labels import STATE_LABELS, days_left_text, format_date

NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1  # the case's 登记编号, whatever the column

COLUMNS = ("登记编号", "申请人", "申请内容", "收到日期", "答复期限", "状态", "经办人")
COL_NUMBER, COL_APPLICANT, COL_ITEM, COL_RECEIVED, COL_DUE, COL_STATUS, COL_CLERK = range(len(COLUMNS))
SORT_COLUMNS: dict[int, SortKey] = {
    COL_NUMBER: SortKey.NUMBER,
    COL_APPLICANT: SortKey.APPLICANT,
    COL_RECEIVED: SortKey.RECEIVED,
    COL_DUE: SortKey.DUE,
    COL_CLERK: SortKey.CLERK,
}
# Pages of rows kept at once (the view shows a few dozen rows; a page is refetched when it is
# scrolled back to): the model's memory does not grow with how far the list was scrolled.
CACHED_PAGES = 24

BAND_LABELS: dict[Band, str] = {
    Band.OVERDUE: "已逾期",
    Band.DUE_TODAY: "今日到期",
    Band.WITHIN_3: "3日内到期",
    Band.WITHIN_5: "5日内到期",
    Band.RUNNING: "办理中",
    Band.PAUSED: "暂停计时",
    Band.WAITING: "待确认或补正",
    Band.CONCLUDED: "已办结",
}

# Foreground and background of the 答复期限 and 状态 cells: red late, amber close, blue waiting.
_BAND_COLOURS: dict[Band, tuple[str, str | None]] = {
    Band.OVERDUE: ("#b3261e", "#fce8e6"),
    Band.DUE_TODAY: ("#b25e00", "#fef0dc"),
    Band.WITHIN_3: ("#b25e00", "#fef7e0"),
    Band.WITHIN_5: ("#8a6d00", None),
    Band.PAUSED: ("#1967d2", "#e8f0fe"),
    Band.WAITING: ("#1967d2", "#e8f0fe"),
    Band.CONCLUDED: ("#80868b", None),
}
_BRUSHES: dict[str, tuple[QBrush, QBrush | None]] = {
    str(band): (QBrush(QColor(fg)), QBrush(QColor(bg)) if bg else None)
    for band, (fg, bg) in _BAND_COLOURS.items()
}

_Index = QModelIndex | QPersistentModelIndex
# query, where the page starts (None: at the top), total
Fetch = Callable[[CaseQuery, Cursor | None, int], CasePage]


def status_text(row: ListRow) -> str:
    if row.band is Band.WAITING:
        return STATE_LABELS.get(row.state, BAND_LABELS[row.band])
    if row.band in (Band.DUE_TODAY, Band.CONCLUDED, Band.PAUSED):
        return BAND_LABELS[row.band]
    if row.days_left is not None and row.band is not Band.RUNNING:
        return days_left_text(row.days_left)
    return BAND_LABELS[row.band]


def item_text(row: ListRow) -> str:
    return row.first_item if row.item_count <= 1 else f"{row.first_item}（等{row.item_count}项）"


# One row as the view shows it: the text of each column in order, then the band's code (colours).
# A plain tuple of strings: the collector stops tracking it after one pass, so the rows held do not
# lengthen its full passes (objects held across pages were what made scrolling stall).
Cells = tuple[str, str, str, str, str, str, str, str]
_BAND = len(COLUMNS)


def row_cells(row: ListRow) -> Cells:
    return (
        row.number,
        row.applicant,
        item_text(row),
        format_date(row.received, with_weekday=False) if row.received else "—",
        format_date(row.due) if row.due else "—",
        status_text(row),
        row.clerk or "—",
        str(row.band),
    )


_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
# The roles answered; the view asks for about ten per cell while painting, most of them answered None.
_ROLES = frozenset({_DISPLAY, NUMBER_ROLE, _TOOLTIP, _FOREGROUND, _BACKGROUND})


class CaseTableModel(QAbstractTableModel):
    """The rows of one query; more pages are read when the view asks (``canFetchMore``/``fetchMore``).

    Only the rows of the last ``CACHED_PAGES`` pages used are held, as the texts shown
    (``row_cells``), with where each page fetched so far starts (its keyset cursor): a page
    scrolled back to is read again, one indexed query. Holding every fetched row as objects made
    the memory grow with the scrolling and the collector's full passes over them stall it.

    Sorting by a header asks the page for a new query rather than sorting the rows held: only the
    store knows the order of the rows not fetched yet.

    Signals:
        sort_requested(str, bool): a header was clicked; the ``SortKey`` value and whether descending.
        page_fetched(int): a further page was appended; how many rows the model holds now.
    """

    sort_requested = Signal(str, bool)
    page_fetched = Signal(int)

    def __init__(self, fetch: Fetch, *, page_size: int = PAGE_SIZE, cached_pages: int = CACHED_PAGES) -> None:
        super().__init__()
        self._fetch = fetch
        self._page_size = page_size
        self._cached_pages = max(2, cached_pages)
        self._pages: OrderedDict[int, list[Cells]] = OrderedDict()  # page number → rows, LRU
        self._starts: list[Cursor | None] = []  # where each page fetched so far starts
        self._count = 0  # rows fetched so far: the view's row count
        self._cursor: Cursor | None = None  # where the next page starts; None at the end
        self._query = CaseQuery()
        self.total = 0

    # ------------------------------------------------------------------ content

    @property
    def query(self) -> CaseQuery:
        return self._query

    def set_page(self, query: CaseQuery, page: CasePage) -> None:
        """Show the first page of ``query``; ``page.total`` is the number of all matching cases."""
        self.beginResetModel()
        self._query = query
        self._pages = OrderedDict([(0, [row_cells(r) for r in page.rows])])
        self._starts = [None]
        self._count = len(page.rows)
        self._cursor = page.cursor
        self.total = page.total if page.total is not None else len(page.rows)
        self.endResetModel()

    def cells_at(self, row: int) -> Cells:
        """The texts of row ``row`` (0 ≤ row < rowCount), reading its page again if it is not held."""
        found = self._cells(row)
        if found is None:
            raise IndexError(row)
        return found

    def find_number(self, number: str) -> int | None:
        """The row of case ``number`` among the rows held now (no reading), or None."""
        size = self._page_size
        for page, rows in self._pages.items():
            for i, cells in enumerate(rows):
                if cells[COL_NUMBER] == number:
                    return page * size + i
        return None

    def held_rows(self) -> int:
        """How many rows the model holds now (bounded by the page cache, not by the rows fetched)."""
        return sum(len(rows) for rows in self._pages.values())

    def _cells(self, row: int) -> Cells | None:
        if not 0 <= row < self._count:
            return None
        page, offset = divmod(row, self._page_size)
        rows = self._pages.get(page)
        if rows is None:
            # Scrolled back to a page no longer held: read it again from where it starts.
            rows = [row_cells(r) for r in self._fetch(self._query, self._starts[page], self.total).rows]
            self._hold(page, rows)
        elif page != next(reversed(self._pages)):
            self._pages.move_to_end(page)
        return rows[offset] if offset < len(rows) else None  # shorter: the index changed meanwhile

    def _hold(self, page: int, rows: list[Cells]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self._cached_pages:
            self._pages.popitem(last=False)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 (Qt's name and default)
        return not parent.isValid() and self._cursor is not None

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._cursor is None:
            return
        start = self._cursor
        page = self._fetch(self._query, start, self.total)
        self._cursor = page.cursor
        if page.rows:
            first = self._count
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._starts.append(start)
            self._hold(len(self._starts) - 1, [row_cells(r) for r in page.rows])
            self._count += len(page.rows)
            self.endInsertRows()
        self.page_fetched.emit(self._count)

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "单击按此列排序" if section in SORT_COLUMNS else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES:
            return None
        cells = self._cells(index.row())  # an invalid index has row -1: None
        if cells is None:
            return None
        if role == _DISPLAY:
            return cells[index.column()]
        column = index.column()
        if role == NUMBER_ROLE:
            return cells[COL_NUMBER]
        if role == _TOOLTIP:
            return cells[column] if column in (COL_APPLICANT, COL_ITEM) else None
        if column in (COL_DUE, COL_STATUS):
            brushes = _BRUSHES.get(cells[_BAND])
            if brushes is None:
                return None
            return brushes[0] if role == _FOREGROUND else brushes[1]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_COLUMNS.get(column)
        if key is not None:
            self.sort_requested.emit(str(key), order == Qt.SortOrder.DescendingOrder)
