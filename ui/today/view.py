"""The Today (待办) screen: a card with the count of each worklist group and the group's list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import YishenError
from app.services.caselist import case_list_is_current, case_list_refresh_is_quick, refresh_case_list
from app.services.worklist import Group, WorkCounts, WorkList, compute_worklist, worklist_counts
from ui.labels import GROUP_HINTS, GROUP_LABELS, long_date
from ui.tasks import TaskRunner
from ui.today.model import NUMBER_ROLE, CaseRowsModel, ReviewRowsModel

if TYPE_CHECKING:
    from ui.session import Clock, Session

# Card accents: red for what is late, amber for what is close, blue for waiting, grey for review.
_ACCENTS: dict[Group, str] = {
    Group.OVERDUE: "overdue",
    Group.DUE_TODAY: "urgent",
    Group.WITHIN_3: "urgent",
    Group.WITHIN_5: "soon",
    Group.PAUSED: "waiting",
    Group.AWAITING_CORRECTION: "waiting",
    Group.AWAITING_CONFIRMATION: "waiting",
    Group.AWAITING_REVIEW: "review",
}


class GroupCard(QPushButton):
    """A checkable card: the group's count, large, over its name."""

    def __init__(self, group: Group, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worklist_group = group
        self.setObjectName("card")
        self.setProperty("accent", _ACCENTS[group])
        self.setCheckable(True)
        self.setToolTip(GROUP_HINTS[group])
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(118, 84)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        self.count_label = QLabel("…")  # until the worklist is computed
        self.count_label.setObjectName("cardCount")
        self.name_label = QLabel(GROUP_LABELS[group])
        self.name_label.setObjectName("cardName")
        self.name_label.setWordWrap(True)
        for label in (self.count_label, self.name_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)

    def set_count(self, count: int) -> None:
        self.count_label.setText(str(count))
        self.setProperty("empty", count == 0)
        # The colour rules select on this property of the card from its labels: re-read them all.
        for widget in (self, self.count_label, self.name_label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)


class GroupList(QWidget):
    """One group's table, or a sentence when the group is empty."""

    def __init__(self, group: Group, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = group
        self.model: CaseRowsModel | ReviewRowsModel = (
            ReviewRowsModel() if group is Group.AWAITING_REVIEW else CaseRowsModel()
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableView()
        self.table.setObjectName(f"table_{group}")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.empty_label = QLabel(
            f"没有{GROUP_LABELS[group]}的{'文书' if group is Group.AWAITING_REVIEW else '案件'}。"
        )
        self.empty_label.setObjectName("emptyList")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()  # until the worklist says the group is empty
        layout.addWidget(self.table)
        layout.addWidget(self.empty_label)

    def set_rows(self, rows: list) -> None:  # type: ignore[type-arg]
        self.model.set_rows(rows)
        empty = not rows
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        widths = (
            (96, 150, 330, 130, 110) if self.group is not Group.AWAITING_REVIEW else (96, 150, 130, 230, 120)
        )
        for column, width in enumerate(widths):
            self.table.setColumnWidth(column, width)


class TodayView(QWidget):
    """待办: counts and lists of the worklist groups, computed off the GUI thread.

    A refresh runs in two steps. First the case list's index is brought up to date when that is
    quick (a few changed cases, a new day's bands) and the counts are read from it — the cards show
    them within a fraction of a second; then the lists are computed (over the index when it is
    current, else from every open case) and replace the cards' counts with their own, the same.

    Signals:
        case_activated(str): the clerk double-clicked (or pressed Enter on) a row; the case's 登记编号.
        counted: the cards show the counts read from the index, before the lists are there.
        refreshed: a refresh finished and the cards and lists show its result.
    """

    case_activated = Signal(str)
    counted = Signal()
    refreshed = Signal()
    _counts_read = Signal(int, object)  # generation, WorkCounts: emitted on the worker thread

    def __init__(
        self, session: Session, clock: Clock, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.runner = runner or TaskRunner(self)
        self.worklist: WorkList | None = None
        self.counts: WorkCounts | None = None  # of the refresh on its way, until its lists are there
        self._generation = 0
        self._counts_read.connect(self._on_counted)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)

        head = QHBoxLayout()
        title = QLabel("待办")
        title.setObjectName("pageTitle")
        self.date_label = QLabel()
        self.date_label.setObjectName("hint")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("hint")
        self.busy_bar = QProgressBar()  # moves while the first worklist is computed
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.hide()
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(self.date_label)
        head.addStretch(1)
        head.addWidget(self.busy_bar)
        head.addWidget(self.summary_label)
        head.addSpacing(12)
        head.addWidget(self.refresh_button)
        layout.addLayout(head)

        cards = QHBoxLayout()
        cards.setSpacing(8)
        self.cards: dict[Group, GroupCard] = {}
        self._card_group = QButtonGroup(self)
        self._card_group.setExclusive(True)
        for group in Group:
            card = GroupCard(group)
            card.clicked.connect(lambda _checked=False, g=group: self.show_group(g))
            self._card_group.addButton(card)
            self.cards[group] = card
            cards.addWidget(card, 1)
        layout.addLayout(cards)

        self.group_title = QLabel()
        self.group_title.setObjectName("sectionTitle")
        self.group_title.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        layout.addWidget(self.group_title)

        self.stack = QStackedWidget()
        self.lists: dict[Group, GroupList] = {}
        for group in Group:
            lst = GroupList(group)
            # activated: a double click, or Enter on the selected row (Qt emits it for both).
            lst.table.activated.connect(self._on_table_activated)
            self.lists[group] = lst
            self.stack.addWidget(lst)
        layout.addWidget(self.stack, 1)
        self._current: Group | None = None

    # ------------------------------------------------------------------ data

    def refresh(self) -> None:
        """Recompute the worklist in the background; ``counted`` says when the cards show the
        counts (when the index gives them), ``refreshed`` when the whole worklist is shown."""
        today = self.clock()
        self._generation += 1
        generation = self._generation
        session = self.session
        counted = self._counts_read

        def count() -> WorkCounts | None:
            with session.read() as uow:
                if case_list_is_current(uow, today):
                    return worklist_counts(uow, today)
                if not case_list_refresh_is_quick(uow):
                    return None  # the lists are computed from every open case instead
            with session.write() as uow:
                refresh_case_list(uow, today)
            with session.read() as uow:
                return worklist_counts(uow, today)

        def compute() -> WorkList:
            # One job, so that closing the window (which waits for the jobs, then closes the
            # database) never finds a second one about to start.
            try:
                counts = count()
            except YishenError:
                counts = None  # the index could not be brought up to date (the store is busy, say)
            if counts is not None:
                counted.emit(generation, counts)  # queued to the GUI thread, before the result
            with session.read() as uow:
                return compute_worklist(uow, today)

        self.date_label.setText(long_date(today))
        if self.worklist is None:
            self.summary_label.setText("正在计算各案件的期限……")
            self.busy_bar.show()
        self.refresh_button.setEnabled(False)
        self.runner.submit(
            compute,
            lambda work: self._on_worklist_computed(generation, work),
            lambda exc: self._on_worklist_failed(generation, exc),
        )

    def _on_counted(self, generation: int, counts: WorkCounts) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self.counts = counts
        self._show_counts(counts)
        if self.worklist is None:
            self.summary_label.setText(
                f"办理中 {counts.open_cases} 件，其中 {counts.running} 件期限尚宽裕；正在读取各组案件……"
            )
        if self._current is not None:
            self.show_group(self._current)
        self.counted.emit()

    def _show_counts(self, counts: WorkCounts | WorkList) -> None:
        for group in Group:
            self.cards[group].set_count(counts.count(group))

    def _on_worklist_computed(self, generation: int, work: WorkList) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self.refresh_button.setEnabled(True)
        self.busy_bar.hide()
        self.worklist = work
        self.counts = None
        self.summary_label.setText(f"办理中 {work.open_cases} 件，其中 {work.running} 件期限尚宽裕")
        self._show_counts(work)
        for group in Group:
            self.lists[group].set_rows(work.review if group is Group.AWAITING_REVIEW else work.cases[group])
        current = self._current
        if current is None:
            # Start on the most urgent group that has something in it.
            current = next((g for g in Group if work.count(g)), Group.OVERDUE)
        self.show_group(current)
        self.refreshed.emit()

    def _on_worklist_failed(self, generation: int, exc: YishenError) -> None:
        if generation != self._generation:
            return
        from app.messages import describe

        self.refresh_button.setEnabled(True)
        self.busy_bar.hide()
        self.summary_label.setText(f"未能计算期限：{describe(exc)}")

    def show_group(self, group: Group) -> None:
        self._current = group
        self.cards[group].setChecked(True)
        self.stack.setCurrentWidget(self.lists[group])
        shown = self.counts or self.worklist
        count = shown.count(group) if shown is not None else 0
        unit = "份" if group is Group.AWAITING_REVIEW else "件"
        self.group_title.setText(f"{GROUP_LABELS[group]}（{count}{unit}）— {GROUP_HINTS[group]}")

    def current_group(self) -> Group | None:
        return self._current

    # ------------------------------------------------------------------ slots

    def _on_table_activated(self, index: QModelIndex) -> None:
        number = index.data(NUMBER_ROLE)
        if number:
            self.case_activated.emit(str(number))
