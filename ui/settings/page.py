"""Settings: the agency profile, the working-day calendar, backups, users and roles (sync comes later)."""

from __future__ import annotations

import datetime as dt

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.domain.errors import InputError, YishenError
from app.messages import describe
from app.services.settings import load_agency, save_agency
from ui.agency_form import AgencyForm, describe_field_error
from ui.session import Clock, Session
from ui.settings.backup import BackupPanel
from ui.settings.calendar import CalendarPanel
from ui.settings.users import UsersPanel
from ui.tasks import TaskRunner

TAB_AGENCY, TAB_CALENDAR, TAB_BACKUP, TAB_USERS = range(4)


class SettingsPage(QWidget):
    """Signals:
    agency_saved: the profile was saved (titles and the remedy clause may have changed).
    users_changed: a user was added or changed (the current user's role may be another now).
    """

    agency_saved = Signal()
    users_changed = Signal()

    def __init__(
        self,
        session: Session,
        clock: Clock = dt.date.today,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner or TaskRunner(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 12)
        title = QLabel("设置")
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)
        agency_tab = QWidget()
        layout = QVBoxLayout(agency_tab)
        layout.setContentsMargins(10, 10, 10, 0)
        hint = QLabel("文书的机关名称、文号和救济途径都由这里的信息生成。")
        hint.setObjectName("hint")
        layout.addWidget(hint)

        # The form and its button stay together at a readable width, whatever the window's size.
        body = QWidget()
        body.setMaximumWidth(760)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 8, 0, 0)
        self.form = AgencyForm()
        self.form.form_layout.setContentsMargins(0, 0, 0, 0)  # so the 保存 button lines up with the fields
        body_layout.addWidget(self.form)
        self.message_label = QLabel()
        self.message_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("保存")
        self.save_button.setMinimumWidth(96)
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.addWidget(self.message_label, 1)
        buttons.addWidget(self.save_button)
        body_layout.addLayout(buttons)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Inside a tab the scroll area would paint a grey window-coloured block on the white pane.
        scroll.viewport().setAutoFillBackground(False)
        body.setAutoFillBackground(False)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.form.changed.connect(self.message_label.clear)
        self.calendar_panel = CalendarPanel(session, clock, self.runner)
        self.backup_panel = BackupPanel(session, clock, self.runner)
        backup_tab = QWidget()
        backup_layout = QVBoxLayout(backup_tab)
        backup_layout.setContentsMargins(0, 0, 0, 0)
        self.backup_panel.setMaximumWidth(760)
        backup_layout.addWidget(self.backup_panel)
        self.tabs.addTab(agency_tab, "本机关信息")
        self.tabs.addTab(self.calendar_panel, "工作日历")
        self.tabs.addTab(backup_tab, "备份与数据")
        self.users_panel = UsersPanel(session)
        self.users_panel.setMaximumWidth(900)
        users_tab = QWidget()
        users_layout = QVBoxLayout(users_tab)
        users_layout.setContentsMargins(0, 0, 0, 0)
        users_layout.addWidget(self.users_panel)
        self.tabs.addTab(users_tab, "用户与角色")
        self.users_panel.users_changed.connect(self.users_changed)

    def load(self) -> None:
        with self.session.read() as uow:
            self.form.set_agency(load_agency(uow))
        self.message_label.clear()
        self.calendar_panel.load()
        self.users_panel.load()

    def _on_save_clicked(self) -> None:
        try:
            agency = self.form.agency()
            with self.session.write() as uow:
                save_agency(uow, agency)
        except InputError as exc:
            self._say(describe_field_error(exc), error=True)
            return
        except YishenError as exc:
            self._say(describe(exc), error=True)
            return
        self.form.set_agency(agency)
        self._say("已保存。")
        self.agency_saved.emit()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setObjectName("error" if error else "hint")
        self.message_label.setStyleSheet("")  # re-read the object-name rule
        self.message_label.setText(text)
