"""The 案件 screen: every case, searchable as the clerk types, filterable, sortable, opened with Enter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import APPLICANT_KIND_LABELS, CHANNEL_LABELS, FINDING_LABELS
from app.domain.errors import YishenError
from app.domain.listing import Cursor, SortKey
from app.messages import describe
from app.services.caselist import (
    CasePage,
    CaseQuery,
    ListChoices,
    case_list_is_current,
    list_cases,
    list_choices,
    more_cases,
    refresh_case_list,
)
from ui.cases.model import (
    COL_APPLICANT,
    COL_CLERK,
    COL_DUE,
    COL_ITEM,
    COL_NUMBER,
    COL_RECEIVED,
    COL_STATUS,
    NUMBER_ROLE,
    SORT_COLUMNS,
    CaseTableModel,
)
from ui.session import Clock, Session
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from ui.cases.batch import BatchPrintDialog

STATUS_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("全部状态", None),
    ("未办结", "open"),
    ("已逾期", "overdue"),
    ("今日到期", "due_today"),
    ("3个工作日内到期", "within_3"),
    ("4–5个工作日内到期", "within_5"),
    ("期限尚宽裕", "running"),
    ("暂停计时", "paused"),
    ("待确认收到或补正", "waiting"),
    ("已办结", "concluded"),
)

_SORT_SECTIONS = {
    SortKey.NUMBER: COL_NUMBER,
    SortKey.APPLICANT: COL_APPLICANT,
    SortKey.RECEIVED: COL_RECEIVED,
    SortKey.DUE: COL_DUE,
    SortKey.CLERK: COL_CLERK,
}
NO_CLERK = ""  # the 经办人 filter's value for the cases without one


def _combo(name: str, first: str, choices: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.addItem(first, None)
    for label, value in choices:
        combo.addItem(label, value)
    return combo


class _SearchKeys(QObject):
    """Down in the search box moves into the list; Enter there opens the selected (or first) case."""

    def __init__(self, page: CaseListPage) -> None:
        super().__init__(page)
        self._page = page

    def eventFilter(self, watched: QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down:
                self._page.focus_list()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._page.open_current()
                return True
        return False


class CaseListPage(QWidget):
    """案件: the list of every case over ``app.services.caselist``; queries run off the GUI thread.

    Signals:
        case_activated(str): Enter or a double click on a row; the case's 登记编号.
        listed(int): a query's first page is shown; the number of matching cases.
    """

    case_activated = Signal(str)
    listed = Signal(int)

    def __init__(
        self, session: Session, clock: Clock, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.runner = runner or TaskRunner(self)
        self._in_flight = False  # a query is running in the background
        self._again = False  # and the query changed meanwhile
        self._choices_loaded = False
        self._query = CaseQuery()  # the last query run; its sort is the list's order

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)

        head = QHBoxLayout()
        title = QLabel("案件")
        title.setObjectName("pageTitle")
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(self.count_label)
        head.addStretch(1)
        layout.addLayout(head)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("caseSearch")
        self.search_edit.setPlaceholderText(
            "检索申请人、申请内容或登记编号，如：张三　征收　土地征收（多个词用空格分开）"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(_SearchKeys(self))
        layout.addWidget(self.search_edit)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.status_combo = _combo("statusFilter", STATUS_CHOICES[0][0], list(STATUS_CHOICES[1:]))
        self.channel_combo = _combo(
            "channelFilter", "全部收到方式", [(label, str(c)) for c, label in CHANNEL_LABELS.items()]
        )
        self.kind_combo = _combo(
            "kindFilter", "全部申请人类型", [(label, str(k)) for k, label in APPLICANT_KIND_LABELS.items()]
        )
        self.year_combo = _combo("yearFilter", "全部年份", [])
        self.tag_combo = _combo("tagFilter", "全部标签", [])
        self.finding_combo = _combo(
            "findingFilter", "全部答复类型", [(label, str(f)) for f, label in FINDING_LABELS.items()]
        )
        self.finding_combo.setMaximumWidth(260)
        self.clerk_combo = _combo("clerkFilter", "全部经办人", [("未指定经办人", NO_CLERK)])
        self.clear_button = QPushButton("清除条件")
        self.clear_button.clicked.connect(self.clear_filters)
        self.combos = (
            self.status_combo,
            self.channel_combo,
            self.kind_combo,
            self.year_combo,
            self.tag_combo,
            self.finding_combo,
            self.clerk_combo,
        )
        for combo in self.combos:
            combo.currentIndexChanged.connect(self._on_filter_changed)
            filters.addWidget(combo)
        filters.addStretch(1)
        filters.addWidget(self.clear_button)
        layout.addLayout(filters)

        actions = QHBoxLayout()
        self.selection_label = QLabel()
        self.selection_label.setObjectName("hint")
        self.print_button = QPushButton("批量打印…")
        self.print_button.setObjectName("batchPrint")
        self.print_button.setToolTip("把所选案件的文书合并为一个 PDF 打印（按住 Ctrl 或 Shift 选择多件）")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        actions.addWidget(self.selection_label)
        actions.addStretch(1)
        actions.addWidget(self.print_button)

        self.model = CaseTableModel(self._fetch_more)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several cases can be selected (Ctrl/Shift) for 批量打印; Enter opens the current one.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Every row the same height: no measuring of 100 000 rows while scrolling.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_ITEM, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (COL_NUMBER, 110),
            (COL_APPLICANT, 200),
            (COL_RECEIVED, 100),
            (COL_DUE, 130),
            (COL_STATUS, 120),
            (COL_CLERK, 90),
        ):
            self.table.setColumnWidth(column, width)
        self.table.setSortingEnabled(True)
        header.setSortIndicator(COL_NUMBER, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self.table.activated.connect(self._on_table_activated)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyList")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(actions)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_selection_changed)

        self.search_edit.textChanged.connect(self._on_search_text_changed)

    # ------------------------------------------------------------------ queries

    def current_query(self) -> CaseQuery:
        sort = self._query.sort
        descending = self._query.descending
        return CaseQuery(
            text=self.search_edit.text().strip(),
            status=self.status_combo.currentData(),
            channel=self.channel_combo.currentData(),
            applicant_kind=self.kind_combo.currentData(),
            year=self.year_combo.currentData(),
            tag=self.tag_combo.currentData(),
            finding=self.finding_combo.currentData(),
            clerk=self.clerk_combo.currentData(),
            sort=sort,
            descending=descending,
        )

    def refresh(self) -> None:
        """Run the current query in the background; ``listed`` says when its first page is shown.

        No fixed delay: a query starts at once unless one is running, and then runs once more when
        that one ends, with whatever was typed meanwhile (an input method commits whole words, so
        each commit is one query). The first query after cases were added or changed, or on a new
        day, brings the list index up to date first: after importing 100 000 cases that takes a
        while, once.
        """
        if self._in_flight:
            self._again = True
            return
        query = self._query = self.current_query()
        session = self.session
        today = self.clock()
        load_choices = not self._choices_loaded

        def run() -> tuple[CasePage, ListChoices | None] | BaseException:
            try:
                with session.read() as uow:
                    if case_list_is_current(uow, today):
                        return list_cases(uow, query), (list_choices(uow) if load_choices else None)
                with session.write() as uow:
                    refresh_case_list(uow, today)
                with session.read() as uow:
                    # Cases changed: a new year, tag or clerk may have appeared among the choices.
                    return list_cases(uow, query), list_choices(uow)
            except BaseException as exc:  # handed back so the page never stays busy; raised there
                return exc

        with session.read() as uow:
            current = case_list_is_current(uow, today)  # a few look-ups
        if not current:
            self.count_label.setText("正在更新案件索引（导入或修改大量案件后的第一次检索需要多等一会儿）……")
        elif self.model.rowCount() == 0 and not self.count_label.text():
            self.count_label.setText("正在读取案件……")
        self._in_flight = True
        self.runner.submit(run, lambda result: self._on_query_done(query, result))

    def _fetch_more(self, query: CaseQuery, cursor: Cursor | None, total: int) -> CasePage:
        # On the GUI thread: a keyset page reads about as much as the first page, a few milliseconds.
        with self.session.read() as uow:
            return more_cases(uow, query, cursor, total=total)

    def _on_query_done(
        self, query: CaseQuery, result: tuple[CasePage, ListChoices | None] | BaseException
    ) -> None:
        self._in_flight = False
        if isinstance(result, YishenError):
            self.count_label.setText(f"未能读取案件：{describe(result)}")
            return
        if isinstance(result, BaseException):
            raise result  # a bug: the crash dialog
        if self._again:
            self._again = False
            self.refresh()  # the clerk typed on: this result is already stale
            return
        page, choices = result
        if choices is not None:
            self._set_choices(choices)
        selected = self.selected_number()
        self.model.set_page(query, page)
        total = self.model.total
        filtered = bool(query.text) or any(c.currentIndex() > 0 for c in self.combos)
        self.count_label.setText(f"找到 {total} 件" if filtered else f"共 {total} 件")
        empty = total == 0
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if empty:
            self.empty_label.setText(
                f"没有与“{query.text}”相符的案件。" if query.text else "没有符合条件的案件。"
            )
        elif selected is not None:
            self._select_number(selected)
        self.listed.emit(total)

    def _set_choices(self, choices: ListChoices) -> None:
        """Fill the year, tag and clerk filters; a choice already made stays chosen."""
        self._choices_loaded = True
        for combo, fixed, values in (
            (self.year_combo, 1, [(f"{y}年", y) for y in reversed(choices.years)]),
            (self.tag_combo, 1, [(t, t) for t in choices.tags]),
            (self.clerk_combo, 2, [(c, c) for c in choices.clerks]),
        ):
            chosen = combo.currentData() if combo.currentIndex() >= fixed else None
            combo.blockSignals(True)
            while combo.count() > fixed:
                combo.removeItem(fixed)
            for label, value in values:
                combo.addItem(label, value)
            if chosen is not None:
                at = combo.findData(chosen)
                if at < 0:  # no case has it any more: still shown, so the list matches the filter
                    combo.addItem(str(chosen), chosen)
                    at = combo.count() - 1
                combo.setCurrentIndex(at)
            combo.blockSignals(False)

    # ------------------------------------------------------------------ selection

    def selected_number(self) -> str | None:
        index = self.table.currentIndex()
        return str(index.data(NUMBER_ROLE)) if index.isValid() else None

    def _select_number(self, number: str) -> None:
        row = self.model.find_number(number)
        if row is not None:
            self.table.selectRow(row)

    def selected_numbers(self) -> list[str]:
        """The 登记编号 of the selected rows, in list order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        numbers = (self.model.index(row, COL_NUMBER).data(NUMBER_ROLE) for row in rows)
        return [str(n) for n in numbers if n]

    def open_batch_print(self) -> BatchPrintDialog | None:
        """批量打印 of the selected cases (ui.cases.batch); the dialog is returned, already shown."""
        numbers = self.selected_numbers()
        if not numbers:
            return None
        from ui.cases.batch import BatchPrintDialog  # imported when first used: listing needs none of it

        dialog = BatchPrintDialog(self.session, self.clock, self.runner, numbers, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def focus_list(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.selectRow(0)

    def open_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid():
            self._on_table_activated(index)

    def clear_filters(self) -> None:
        for combo in self.combos:
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.refresh()

    # ------------------------------------------------------------------ slots

    def _on_search_text_changed(self, _text: str) -> None:
        self.refresh()

    def _on_filter_changed(self, _index: int) -> None:
        self.refresh()

    def _on_model_sort_requested(self, key: str, descending: bool) -> None:
        sort = SortKey(key)
        if sort is self._query.sort and descending == self._query.descending:
            return
        self._query = CaseQuery(sort=sort, descending=descending)
        self.refresh()

    def _on_header_sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        if column not in SORT_COLUMNS:  # 申请内容 and 状态 have no order of their own: keep the current one
            self._show_sort_indicator()

    def _show_sort_indicator(self) -> None:
        order = Qt.SortOrder.DescendingOrder if self._query.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(_SORT_SECTIONS[self._query.sort], order)
        header.blockSignals(False)
        header.viewport().update()

    def _on_selection_changed(self, *_args: object) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.print_button.setEnabled(count > 0)
        self.selection_label.setText(f"已选 {count} 件" if count > 1 else "")

    def _on_print_button_clicked(self) -> None:
        self.open_batch_print()

    def _on_table_activated(self, index: QModelIndex) -> None:
        number = index.data(NUMBER_ROLE)
        if number:
            self.case_activated.emit(str(number))
