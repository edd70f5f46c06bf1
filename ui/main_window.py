"""The main window: navigation on the left (待办, 登记, 案件, 统计, 设置), the screens in a stack, the data folder below."""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.settings import load_agency
from ui.case.page import CasePage
from ui.cases.page import CaseListPage
from ui.labels import KEY_MODE_LABELS
from ui.register.page import RegistrationPage
from ui.session import Clock, Session
from ui.settings.page import SettingsPage
from ui.stats.page import StatisticsPage
from ui.tasks import TaskRunner
from ui.today.view import TodayView

NAV_TODAY, NAV_REGISTER, NAV_CASES, NAV_STATISTICS, NAV_SETTINGS = range(5)
NAV_LABELS = ("待办", "登记", "案件", "统计", "设置")


class MainWindow(QMainWindow):
    """Owns the session while it is shown and closes it with the window."""

    def __init__(self, session: Session, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.resize(1280, 800)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        side = QWidget()
        side.setFixedWidth(168)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        nav_title = QLabel("依申请公开办理台")
        nav_title.setObjectName("navTitle")
        self.agency_label = QLabel()
        self.agency_label.setObjectName("navAgency")
        self.agency_label.setWordWrap(True)
        self.agency_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.addItems(list(NAV_LABELS))
        side_layout.addWidget(nav_title)
        side_layout.addWidget(self.agency_label)
        side_layout.addWidget(self.nav, 1)
        row.addWidget(side)

        self.runner = TaskRunner(self)
        self.stack = QStackedWidget()
        self.today_view = TodayView(session, clock, self.runner)
        self.cases_page = CaseListPage(session, clock, self.runner)
        self.statistics_page = StatisticsPage(session, clock, self.runner)
        self.settings_page = SettingsPage(session, clock, self.runner)
        self.case_page = CasePage(session, clock)
        self.register_page = RegistrationPage(session, clock, self.runner)
        for page in (
            self.today_view,
            self.cases_page,
            self.statistics_page,
            self.settings_page,
            self.case_page,
            self.register_page,
        ):
            self.stack.addWidget(page)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.folder_label = QLabel(f"数据文件夹：{session.home}")
        self.folder_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.mode_label = QLabel(
            f"已加密（SQLCipher）· 密钥保存：{KEY_MODE_LABELS.get(session.key_mode, session.key_mode)}"
        )
        self.statusBar().addWidget(self.folder_label, 1)
        self.statusBar().addPermanentWidget(self.mode_label)

        self._return_row = NAV_TODAY
        self.nav.setCurrentRow(NAV_TODAY)
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)
        self.today_view.case_activated.connect(self.open_case)
        self.cases_page.case_activated.connect(self.open_case)
        self.case_page.closed.connect(self._on_case_page_closed)
        self.settings_page.agency_saved.connect(self._load_agency_name)
        self.register_page.case_requested.connect(self.open_case)

        self._load_agency_name()
        self.today_view.refresh()

    def _load_agency_name(self) -> None:
        with self.session.read() as uow:
            agency = load_agency(uow)
        name = agency.name if agency is not None else "（尚未填写本机关信息）"
        self.agency_label.setText(name)
        self.setWindowTitle(f"依申请公开办理台 — {name}")

    def open_case(self, number: str) -> None:
        # Closing the case page goes back to the case list when it was opened from there, else to 待办.
        if self.nav.currentRow() >= 0:
            self._return_row = NAV_CASES if self.nav.currentRow() == NAV_CASES else NAV_TODAY
        self.case_page.show_case(number)
        self.stack.setCurrentWidget(self.case_page)
        # No navigation entry is current on a case page, so clicking 待办 goes back.
        self.nav.setCurrentRow(-1)

    def _on_case_page_closed(self) -> None:
        self.nav.setCurrentRow(self._return_row)

    def _on_nav_row_changed(self, row: int) -> None:
        if row == NAV_TODAY:
            self.today_view.refresh()
            self.stack.setCurrentWidget(self.today_view)
        elif row == NAV_CASES:
            self.cases_page.refresh()  # cases may have been registered or changed meanwhile
            self.stack.setCurrentWidget(self.cases_page)
        elif row == NAV_STATISTICS:
            self.statistics_page.ensure_computed()
            self.stack.setCurrentWidget(self.statistics_page)
        elif row == NAV_SETTINGS:
            self.settings_page.load()
            self.stack.setCurrentWidget(self.settings_page)
        elif row == NAV_REGISTER:
            if self.register_page.saved is None:
                self.register_page.load()
            self.stack.setCurrentWidget(self.register_page)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.register_page.close_windows()
        self.case_page.letters_panel.close_windows()  # they render and write through the session
        self.runner.wait()  # a worker may still be reading the database
        self.session.close()
        super().closeEvent(event)
