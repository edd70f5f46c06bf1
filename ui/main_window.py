"""The main window: navigation on the left (待办, 登记, 案件, 统计, 设置), the screens in a stack, the data folder below.

It starts light so the clerk sees it at once: the window, its navigation and a 待办 page that says it is
loading are painted before anything heavy is imported. Right after the first paint the data folder is
opened (when the window was started without a session, see ``ui.app.open_main_window``), the 待办 view
is built and its worklist computed in the background. Every other screen — and the modules behind it
(QtCharts, the letter renderers, the case list's models) — is built the first time it is shown:
``cases_page``, ``statistics_page``, ``settings_page``, ``case_page`` and ``register_page`` are
properties that build their page on first use.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6 import QtCore
from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.domain.errors import YishenError
    from ui.case.page import CasePage
    from ui.cases.page import CaseListPage
    from ui.register.page import RegistrationPage
    from ui.session import Clock, Session
    from ui.settings.page import SettingsPage
    from ui.stats.page import StatisticsPage
    from ui.today.view import TodayView

NAV_TODAY, NAV_REGISTER, NAV_CASES, NAV_STATISTICS, NAV_SETTINGS = range(5)
NAV_LABELS = ("待办", "登记", "案件", "统计", "设置")

APP_TITLE = "依申请公开办理台"


class FolderOpener(NamedTuple):
    """How a window started without a session opens its data folder once it is painted.

    ``prepare`` runs on a worker thread, so the window keeps painting while the store loads: it opens
    the folder when that needs no question (keyring mode) and returns the session, or None with what
    ``finish`` needs. ``finish`` runs on the GUI thread when ``prepare`` returned no session: it asks
    (passphrase, first-run wizard) or says why the folder cannot be opened, over ``parent``; None
    when the clerk gives up, which closes the window.
    """

    prepare: Callable[[], tuple[Session | None, object]]
    finish: Callable[[QWidget, object], Session | None]


# If the platform never paints the window (shown minimised), start anyway after this long.
_PAINT_FALLBACK_MS = 300


class LoadingPage(QWidget):
    """Stands in for 待办 until the data folder is open and the view is built: a title, a sentence, a busy bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)
        title = QLabel("待办")
        title.setObjectName("pageTitle")
        self.message_label = QLabel("正在打开数据文件夹……")
        self.message_label.setObjectName("hint")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # indeterminate: it moves while the folder opens
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(360)
        layout.addWidget(title)
        layout.addWidget(self.message_label)
        layout.addWidget(self.busy_bar)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    """Owns the session while it is shown and closes it with the window.

    ``session`` may be None when ``opener`` is given: the window then shows at once and opens the data
    folder right after its first paint (``session_opened`` fires, or the window closes when the clerk
    gives up).
    """

    session_opened = QtCore.Signal()

    def __init__(
        self,
        session: Session | None,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        opener: FolderOpener | None = None,
    ) -> None:
        super().__init__(parent)
        if session is None and opener is None:
            raise ValueError("MainWindow needs a session or an opener")
        self._session: Session | None = None
        self._opener = opener
        self._stray: Session | None = None  # opened by the worker; closed if the window closed first
        self.clock = clock
        self._started = False  # the after-first-paint step ran
        self._closed = False
        self._today_view: TodayView | None = None
        self._cases_page: CaseListPage | None = None
        self._statistics_page: StatisticsPage | None = None
        self._settings_page: SettingsPage | None = None
        self._case_page: CasePage | None = None
        self._register_page: RegistrationPage | None = None
        self.resize(1280, 800)
        self.setWindowTitle(APP_TITLE)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        side = QWidget()
        side.setFixedWidth(168)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        nav_title = QLabel(APP_TITLE)
        nav_title.setObjectName("navTitle")
        self.agency_label = QLabel()
        self.agency_label.setObjectName("navAgency")
        self.agency_label.setWordWrap(True)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.addItems(list(NAV_LABELS))
        side_layout.addWidget(nav_title)
        side_layout.addWidget(self.agency_label)
        side_layout.addWidget(self.nav, 1)
        row.addWidget(side)

        self.runner = TaskRunner(self)
        self.stack = QStackedWidget()
        self.loading_page = LoadingPage()
        self.stack.addWidget(self.loading_page)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.folder_label = QLabel("正在打开数据文件夹……")
        self.mode_label = QLabel()
        self.user_label = QLabel()
        self.statusBar().addWidget(self.folder_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.mode_label)

        self._return_row = NAV_TODAY
        self.nav.setCurrentRow(NAV_TODAY)
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)

        if session is not None:
            self._attach(session)

    # ------------------------------------------------------------------ the session

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the data folder is not open yet")
        return self._session

    def has_session(self) -> bool:
        return self._session is not None

    def _attach(self, session: Session) -> None:
        from ui.labels import KEY_MODE_LABELS

        self._session = session
        # Set here, not before the first paint: the first use of Qt's namespace creates all of its
        # enums (some 40 ms). A folder or agency name is never read as rich text.
        for label in (self.agency_label, self.folder_label):
            label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.loading_page.message_label.setText("正在计算各案件的期限……")
        self.folder_label.setText(f"数据文件夹：{session.home}")
        self.mode_label.setText(
            f"已加密（SQLCipher）· 密钥保存：{KEY_MODE_LABELS.get(session.key_mode, session.key_mode)}"
        )
        self._load_agency_name()
        self._show_user()

    def _on_users_changed(self) -> None:
        self.session.refresh_user()  # an administrator may have changed their own role
        self._show_user()

    def _show_user(self) -> None:
        """Who works in the folder and in which role: what 审核 and 用户与角色 will allow."""
        self.user_label.setText(f"当前用户：{self.session.describe_user()}")

    def _load_agency_name(self) -> None:
        from app.services.settings import load_agency

        with self.session.read() as uow:
            agency = load_agency(uow)
        name = agency.name if agency is not None else "（尚未填写本机关信息）"
        self.agency_label.setText(name)
        self.setWindowTitle(f"{APP_TITLE} — {name}")

    # ------------------------------------------------------------------ start after the first paint

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            QTimer.singleShot(_PAINT_FALLBACK_MS, self._start)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._started:
            # Queued: the children paint in this same pass, and the frame reaches the screen first.
            QTimer.singleShot(0, self._start)

    def _start(self) -> None:
        """Open the data folder if needed, then build 待办 and compute its worklist (once)."""
        if self._started or self._closed:
            return
        self._started = True
        if self._session is None:
            assert self._opener is not None
            prepare = self._opener.prepare

            def open_folder() -> tuple[Session | None, object]:
                session, data = prepare()
                self._stray = session
                return session, data

            self.runner.submit(open_folder, self._on_folder_prepared, self._on_folder_failed)
            return
        if self.nav.currentRow() == NAV_TODAY:
            self._on_nav_row_changed(NAV_TODAY)  # builds 待办 and starts its worklist

    def _on_folder_prepared(self, prepared: tuple[Session | None, object]) -> None:
        session, data = prepared
        self._stray = None
        if self._closed:  # closed meanwhile: closeEvent closed the session already
            if session is not None:
                session.close()
            return
        if session is None:
            assert self._opener is not None
            session = self._opener.finish(self, data)
        if session is None or self._closed:
            if session is not None:
                session.close()
            if not self._closed:
                self.close()
            return
        self._attach(session)
        self.session_opened.emit()
        # 待办, or whatever the clerk clicked while the folder opened.
        if self.nav.currentRow() >= 0:
            self._on_nav_row_changed(self.nav.currentRow())

    def _on_folder_failed(self, exc: YishenError) -> None:
        from PySide6.QtWidgets import QMessageBox

        from app.messages import describe

        if not self._closed:
            QMessageBox.critical(self, "无法打开数据库", describe(exc))
            self.close()

    # ------------------------------------------------------------------ pages, built on first use

    def _add_page(self, page: QWidget) -> None:
        self.stack.addWidget(page)
        # A page and the modules it imported live as long as the window. Frozen, the collector no
        # longer walks them on every full collection: one such walk (~80 ms at 100 000 cases) was
        # the only step of scrolling the case list over 100 ms in ui_bench.
        gc.freeze()

    @property
    def today_view(self) -> TodayView:
        if self._today_view is None:
            from ui.today.view import TodayView

            view = TodayView(self.session, self.clock, self.runner)
            view.case_activated.connect(self.open_case)
            self._add_page(view)
            self._today_view = view
        return self._today_view

    @property
    def cases_page(self) -> CaseListPage:
        if self._cases_page is None:
            from ui.cases.page import CaseListPage

            page = CaseListPage(self.session, self.clock, self.runner)
            page.case_activated.connect(self.open_case)
            self._add_page(page)
            self._cases_page = page
        return self._cases_page

    @property
    def statistics_page(self) -> StatisticsPage:
        if self._statistics_page is None:
            from ui.stats.page import StatisticsPage

            page = StatisticsPage(self.session, self.clock, self.runner)
            self._add_page(page)
            self._statistics_page = page
        return self._statistics_page

    @property
    def settings_page(self) -> SettingsPage:
        if self._settings_page is None:
            from ui.settings.page import SettingsPage

            page = SettingsPage(self.session, self.clock, self.runner)
            page.agency_saved.connect(self._load_agency_name)
            page.users_changed.connect(self._on_users_changed)
            self._add_page(page)
            self._settings_page = page
        return self._settings_page

    @property
    def case_page(self) -> CasePage:
        if self._case_page is None:
            from ui.case.page import CasePage

            page = CasePage(self.session, self.clock)
            page.closed.connect(self._on_case_page_closed)
            self._add_page(page)
            self._case_page = page
        return self._case_page

    @property
    def register_page(self) -> RegistrationPage:
        if self._register_page is None:
            from ui.register.page import RegistrationPage

            page = RegistrationPage(self.session, self.clock, self.runner)
            page.case_requested.connect(self.open_case)
            self._add_page(page)
            self._register_page = page
        return self._register_page

    def built_pages(self) -> list[QWidget]:
        """The screens built so far (the others are built when first shown)."""
        pages: list[QWidget | None] = [
            self._today_view,
            self._cases_page,
            self._statistics_page,
            self._settings_page,
            self._case_page,
            self._register_page,
        ]
        return [page for page in pages if page is not None]

    # ------------------------------------------------------------------ navigation

    def open_case(self, number: str) -> None:
        # Closing the case page goes back to the case list when it was opened from there, else to 待办.
        if self.nav.currentRow() >= 0:
            self._return_row = NAV_CASES if self.nav.currentRow() == NAV_CASES else NAV_TODAY
        page = self.case_page
        page.show_case(number)
        self.stack.setCurrentWidget(page)
        # No navigation entry is current on a case page, so clicking 待办 goes back.
        self.nav.setCurrentRow(-1)

    def _on_case_page_closed(self) -> None:
        self.nav.setCurrentRow(self._return_row)

    def _on_nav_row_changed(self, row: int) -> None:
        if self._session is None or (row == NAV_TODAY and not self._started):
            return  # _start shows what the clerk chose once the window is painted and the folder open
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
        self._closed = True
        if self._register_page is not None:
            self._register_page.close_windows()
        if self._case_page is not None:
            self._case_page.letters_panel.close_windows()  # they render and write through the session
        self.runner.cancel_all()  # a long job (an import, a batch print) need not finish first
        self.runner.wait()  # a worker may still be reading the database
        if self._session is not None:
            self._session.close()
        elif self._stray is not None:
            self._stray.close()  # the folder opened while the window was closing
        super().closeEvent(event)
