"""设置 → 工作日历: a year at a glance, the agency's local rest days, importing a calendar file, what moved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import YishenError
from app.law.calendar import WorkCalendar, YearSchedule
from app.messages import describe
from app.services.calendar import CalendarChange
from app.services.calendar_years import (
    CalendarYear,
    calendar_years,
    load_calendar,
    local_schedule,
    read_calendar_file,
    save_calendar_year,
    year_view,
)
from ui.labels import format_date
from ui.session import Clock, Session
from ui.tasks import TaskRunner

# Background and text colour of each kind of special day (the legend shows the same).
DAY_COLORS: dict[str, tuple[str, str]] = {
    "rest": ("#fce8e6", "#a50e0e"),
    "fixed_rest": ("#fce8e6", "#a50e0e"),
    "make_up": ("#e8f0fe", "#174ea6"),
    "local_rest": ("#feefc3", "#8a4b00"),
    "local_make_up": ("#e6f4ea", "#0d652d"),
}
LEGEND: tuple[tuple[str, str], ...] = (
    ("rest", "法定节假日放假"),
    ("make_up", "调休上班"),
    ("local_rest", "本机关休息日"),
)
_INACTIVE = "QCalendarWidget QAbstractItemView { selection-background-color: transparent; selection-color: palette(text); }"
_ACTIVE = "QCalendarWidget QAbstractItemView { selection-background-color: #1a73e8; selection-color: white; }"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class MonthCalendar(QWidget):
    """One month of the year view: its name over a calendar without navigation."""

    def __init__(self, month: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.month = month
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        title = QLabel(f"{month}月")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-weight: bold;")
        self.calendar = QCalendarWidget()
        self.calendar.setNavigationBarVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(False)
        # Seven columns in the width of a quarter of the page: the view's default minimum section
        # size (from the font) is wider than that and it scrolled the weekend out of sight.
        view = self.calendar.findChild(QTableView)
        if view is not None:
            view.horizontalHeader().setMinimumSectionSize(18)
            view.verticalHeader().setMinimumSectionSize(16)
        self.calendar.setMinimumSize(170, 150)
        self.calendar.setStyleSheet(_INACTIVE)
        weekend = QTextCharFormat()
        weekend.setForeground(QBrush(QColor("#80868b")))
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.calendar.setWeekdayTextFormat(day, weekend)
        layout.addWidget(title)
        layout.addWidget(self.calendar)

    def show_month(self, year: int, special: dict[dt.date, str]) -> None:
        first = QDate(year, self.month, 1)
        cal = self.calendar
        cal.setDateTextFormat(QDate(), QTextCharFormat())  # clear the previous year's marks
        cal.setDateRange(first, first.addMonths(1).addDays(-1))
        cal.setCurrentPage(year, self.month)
        for day, kind in special.items():
            if day.year == year and day.month == self.month:
                background, text = DAY_COLORS[kind]
                fmt = QTextCharFormat()
                fmt.setBackground(QBrush(QColor(background)))
                fmt.setForeground(QBrush(QColor(text)))
                fmt.setFontWeight(700)
                cal.setDateTextFormat(_qdate(day), fmt)


class CalendarPanel(QWidget):
    """The working-day calendar of the agency: national schedules with a local overlay.

    Edits (a local rest day added or removed, a calendar file read) are kept as one pending year and
    shown at once; 保存 stores it through ``save_calendar_year`` off the GUI thread, then lists the open
    cases whose reply due date moved (domain.md §3.1: when a year changes, list what moved).

    Signals:
    saved(object): a year was stored; the ``CalendarChange`` (its ``moved`` list) is passed.
    """

    saved = Signal(object)

    def __init__(
        self, session: Session, clock: Clock, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.runner = runner or TaskRunner(self)
        self.stored: WorkCalendar | None = None
        self.pending: YearSchedule | None = None
        self.view: CalendarYear | None = None
        self.selected: dt.date | None = None
        self.last_change: CalendarChange | None = None
        self._saving = False
        self._updating = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        head = QHBoxLayout()
        head.addWidget(QLabel("年份："))
        self.year_combo = QComboBox()
        self.year_combo.currentIndexChanged.connect(self._on_year_combo_changed)
        head.addWidget(self.year_combo)
        head.addSpacing(12)
        self.status_label = QLabel()
        self.status_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        head.addWidget(self.status_label, 1)
        self.import_button = QPushButton("导入日历文件…")
        self.import_button.clicked.connect(self._on_import_button_clicked)
        head.addWidget(self.import_button)
        layout.addLayout(head)

        body = QHBoxLayout()
        months = QGridLayout()
        months.setSpacing(8)
        self.months = [MonthCalendar(m) for m in range(1, 13)]
        for i, month in enumerate(self.months):
            months.addWidget(month, i // 4, i % 4)
            month.calendar.selectionChanged.connect(lambda m=month: self._on_month_selection_changed(m))
        body.addLayout(months, 1)

        side = QVBoxLayout()
        side.setSpacing(6)
        legend = QHBoxLayout()
        for kind, text in LEGEND:
            background, color = DAY_COLORS[kind]
            swatch = QLabel(text)
            swatch.setStyleSheet(
                f"background: {background}; color: {color}; padding: 2px 6px; font-weight: bold;"
            )
            legend.addWidget(swatch)
        legend.addStretch(1)
        side.addLayout(legend)
        self.selected_label = QLabel("点击日历中的日期以选中。")
        self.selected_label.setObjectName("hint")
        self.selected_label.setWordWrap(True)
        side.addWidget(self.selected_label)
        self.toggle_button = QPushButton("设为本机关休息日")
        self.toggle_button.setEnabled(False)
        self.toggle_button.clicked.connect(self._on_toggle_button_clicked)
        side.addWidget(self.toggle_button)
        local_title = QLabel("本机关补充休息日（放假办法第四条）")
        local_title.setObjectName("sectionTitle")
        side.addWidget(local_title)
        self.local_list = QListWidget()
        self.local_list.setMaximumHeight(110)
        side.addWidget(self.local_list)
        self.remove_button = QPushButton("删除选中的休息日")
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        side.addWidget(self.remove_button)
        source_row = QHBoxLayout()
        source_row.addWidget(QLabel("依据："))
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("如：某自治州人民政府关于…的通知")
        source_row.addWidget(self.source_edit, 1)
        side.addLayout(source_row)

        self.pending_label = QLabel()
        self.pending_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.pending_label.setWordWrap(True)
        self.pending_label.setStyleSheet("color: #8a4b00;")
        side.addWidget(self.pending_label)
        buttons = QHBoxLayout()
        self.discard_button = QPushButton("放弃修改")
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        self.save_button = QPushButton("保存并重算期限")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        side.addLayout(buttons)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.progress.hide()
        side.addWidget(self.progress)
        self.message_label = QLabel()
        self.message_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        side.addWidget(self.message_label)
        self.moved_table = QTableWidget(0, 3)
        self.moved_table.setHorizontalHeaderLabels(["案件编号", "原答复期限", "新答复期限"])
        self.moved_table.verticalHeader().hide()
        self.moved_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.moved_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.moved_table.hide()
        side.addWidget(self.moved_table, 1)
        side.addStretch(0)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setFixedWidth(330)
        body.addWidget(side_widget)
        layout.addLayout(body, 1)
        self._update_buttons()

    # ------------------------------------------------------------------ data

    def load(self) -> None:
        """Read the stored calendar (pending edits are kept)."""
        with self.session.read() as uow:
            self.stored = load_calendar(uow)
        year = self.year() if self.year_combo.count() else self.clock().year
        self._fill_years(year)
        self._show_year()

    def year(self) -> int:
        return int(self.year_combo.currentData())

    def set_year(self, year: int) -> None:
        if self.year_combo.findData(year) < 0:
            self._fill_years(year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(year))

    def _fill_years(self, current: int) -> None:
        assert self.stored is not None
        years = set(calendar_years(self.stored, self.clock())) | {current}
        if self.pending is not None:
            years.add(self.pending.year)
        self._updating = True
        try:
            self.year_combo.clear()
            for year in sorted(years):
                self.year_combo.addItem(f"{year}年", year)
            self.year_combo.setCurrentIndex(self.year_combo.findData(current))
        finally:
            self._updating = False

    def _calendar(self) -> WorkCalendar:
        assert self.stored is not None
        if self.pending is not None:
            return self.stored.with_schedule(self.pending)
        return self.stored

    def _show_year(self) -> None:
        if self.stored is None:
            return
        year = self.year()
        view = year_view(self._calendar(), year)
        self.view = view
        special = {d.date: d.kind for d in view.special_days}
        self._updating = True
        try:
            for month in self.months:
                month.show_month(year, special)
        finally:
            self._updating = False
        if not view.loaded:
            self.status_label.setText(
                f"尚未载入国务院办公厅{year}年放假安排：期限暂按周末及元旦、劳动节、国庆节计算，标注为“暂定”。"
                "放假通知发布后请导入日历文件。"
            )
            self.status_label.setStyleSheet("color: #b3261e; font-weight: bold;")
        else:
            text = (
                f"{view.national_source}（版本 {view.national_version}），全年工作日 {view.working_days} 天。"
            )
            if view.provisional_from is not None:
                text += f"{format_date(view.provisional_from, with_weekday=False)}起的期限为暂定（下一年放假安排尚未载入）。"
            self.status_label.setText(text)
            self.status_label.setStyleSheet("")
        self.local_list.clear()
        for day in view.local_rest_days:
            item = QListWidgetItem(format_date(day))
            item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
            self.local_list.addItem(item)
        if self.pending is None:  # while a change is pending the clerk may be typing its source
            self.source_edit.setText(view.local_source)
        if self.pending is None:
            self.pending_label.clear()
        else:
            kind = "本机关补充休息日" if self.pending.local else "放假安排"
            self.pending_label.setText(
                f"尚未保存：{self.pending.year}年{kind}已修改（日历中已按修改后显示）。保存后将重算在办案件的答复期限。"
            )
        self._show_selected()
        self._update_buttons()

    def _show_selected(self) -> None:
        day = self.selected
        if day is None or day.year != self.year():
            self.selected = None
            self.selected_label.setText("点击日历中的日期以选中。")
            self.toggle_button.setText("设为本机关休息日")
            return
        reason = self._calendar().describe_day(day)
        self.selected_label.setText(f"已选中：{format_date(day)}，{reason}")
        is_local = self.view is not None and day in self.view.local_rest_days
        self.toggle_button.setText("取消本机关休息日" if is_local else "设为本机关休息日")

    def _update_buttons(self) -> None:
        idle = not self._saving
        self.toggle_button.setEnabled(idle and self.selected is not None)
        self.remove_button.setEnabled(idle and self.local_list.count() > 0)
        self.save_button.setEnabled(idle and self.pending is not None)
        self.discard_button.setEnabled(idle and self.pending is not None)
        self.import_button.setEnabled(idle)
        self.year_combo.setEnabled(idle)
        self.progress.setVisible(self._saving)

    # ------------------------------------------------------------------ edits

    def select_date(self, day: dt.date) -> None:
        """Select ``day`` (of the year shown) as if clicked in its month."""
        self.months[day.month - 1].calendar.setSelectedDate(_qdate(day))

    def _on_month_selection_changed(self, month: MonthCalendar) -> None:
        if self._updating:
            return
        self.selected = _pydate(month.calendar.selectedDate())
        for other in self.months:
            other.calendar.setStyleSheet(_ACTIVE if other is month else _INACTIVE)
        self._show_selected()
        self._update_buttons()

    def _set_local_days(self, days: set[dt.date]) -> None:
        if self.stored is None:
            return
        if self.pending is not None and not self.pending.local:
            self._say("请先保存或放弃导入的放假安排，再修改本机关休息日。", error=True)
            return
        year = self.year()
        schedule = local_schedule(self._calendar(), year, days, source=self.source_edit.text())
        stored_local = self.stored.local_schedule(year)
        unchanged = (stored_local is not None and stored_local.rest_days == schedule.rest_days) or (
            stored_local is None and not days
        )
        self.pending = None if unchanged else schedule
        self.message_label.clear()
        self._show_year()

    def _on_toggle_button_clicked(self) -> None:
        if self.selected is None or self.view is None:
            return
        days = set(self.view.local_rest_days)
        days ^= {self.selected}
        self._set_local_days(days)

    def _on_remove_button_clicked(self) -> None:
        if self.view is None:
            return
        item = self.local_list.currentItem() or self.local_list.item(0)
        if item is None:
            return
        day = dt.date.fromisoformat(str(item.data(Qt.ItemDataRole.UserRole)))
        self._set_local_days(set(self.view.local_rest_days) - {day})

    def _on_year_combo_changed(self, _index: int) -> None:
        if self._updating:
            return
        if self.pending is not None and self.pending.year != self.year():
            self._say("请先保存或放弃对另一年份的修改。", error=True)
            self.set_year(self.pending.year)
            return
        self._show_year()

    def _on_discard_button_clicked(self) -> None:
        self.pending = None
        self.message_label.clear()
        self._show_year()

    def _on_import_button_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "导入日历文件", str(Path.home()), "日历文件 (*.json);;所有文件 (*)"
        )
        if chosen:
            self.import_file(Path(chosen))

    def import_file(self, path: Path) -> None:
        """Read a calendar file and show it as a pending change of its year."""
        try:
            schedule = read_calendar_file(path)
        except YishenError as exc:
            self._say(f"无法导入：{describe(exc)}", error=True)
            return
        self.pending = schedule
        self.set_year(schedule.year)
        kind = "本机关补充休息日" if schedule.local else "放假安排"
        self._say(
            f"已读取 {path.name}：{schedule.year}年{kind}，放假 {len(schedule.rest_days)} 天，"
            f"调休上班 {len(schedule.make_up_days)} 天。核对无误后请点击“保存并重算期限”。"
        )
        self._show_year()

    # ------------------------------------------------------------------ saving

    def _on_save_button_clicked(self) -> None:
        schedule = self.pending
        if schedule is None or self._saving:
            return
        source = self.source_edit.text().strip()
        if schedule.local and source and source != schedule.source:
            schedule = local_schedule(self._calendar(), schedule.year, set(schedule.rest_days), source=source)
        session = self.session
        today = self.clock()

        def save() -> CalendarChange:
            with session.write() as uow:
                return save_calendar_year(uow, schedule, today=today)

        self._saving = True
        self._say("正在保存并重算在办案件的答复期限……")
        self._update_buttons()
        self.runner.submit(save, self._on_saved, self._on_save_failed)

    def _on_saved(self, change: CalendarChange) -> None:
        self._saving = False
        self.pending = None
        self.last_change = change
        with self.session.read() as uow:
            self.stored = load_calendar(uow)
        self._show_year()
        kind = "本机关补充休息日" if change.local else "放假安排"
        if change.version_before == change.version_after:
            self._say(f"{change.year}年{kind}与已保存的版本相同，未作改动。")
        elif not change.moved:
            self._say(
                f"已保存{change.year}年{kind}（版本 {change.version_after}）。在办案件的答复期限均未变化。"
            )
        else:
            self._say(
                f"已保存{change.year}年{kind}（版本 {change.version_after}）。"
                f"以下 {len(change.moved)} 件在办案件的答复期限发生变化："
            )
        self._show_moved(change)
        self.saved.emit(change)

    def _on_save_failed(self, exc: YishenError) -> None:
        self._saving = False
        self._update_buttons()
        self._say(f"未能保存：{describe(exc)}", error=True)

    def _show_moved(self, change: CalendarChange) -> None:
        table = self.moved_table
        table.setRowCount(len(change.moved))
        for r, moved in enumerate(change.moved):
            for c, text in enumerate((moved.number, format_date(moved.before), format_date(moved.after))):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(r, c, item)
        table.setVisible(bool(change.moved))

    def moved_rows(self) -> list[list[str]]:
        """The moved-cases table as shown (tests and screenshots read it)."""
        table = self.moved_table
        return [
            [
                (item.text() if (item := table.item(r, c)) is not None else "")
                for c in range(table.columnCount())
            ]
            for r in range(table.rowCount())
        ]

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setObjectName("error" if error else "hint")
        self.message_label.setStyleSheet("")
        self.message_label.setText(text)
