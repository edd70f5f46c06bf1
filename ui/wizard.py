"""The first-run wizard: create the encrypted database, fill in the agency profile, name the first
administrator, optionally load demo data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import bootstrap
from app.domain.errors import InputError, StoreError, YishenError
from app.domain.users import MAX_NAME, check_name
from app.messages import describe
from ui.agency_form import AgencyForm, describe_field_error
from ui.session import Clock, Session, current_actor
from ui.settings.users import say_user_error


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.hide()
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.show()


class KeyPage(QWizardPage):
    """How the database key is kept: the system keyring (opens by itself) or a passphrase."""

    def __init__(self, home: Path, keyring_available: bool) -> None:
        super().__init__()
        self.setTitle("加密数据库")
        self.setSubTitle("案件数据只保存在本机的加密数据库中。请选择如何保管数据库的密钥。")
        layout = QVBoxLayout(self)

        folder = QLabel(f"数据文件夹：{home}")
        folder.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        folder.setWordWrap(True)
        layout.addWidget(folder)

        self.keyring_radio = QRadioButton("由系统凭据管理器保管密钥（推荐：启动时自动解锁）")
        self.passphrase_radio = QRadioButton("设置数据库口令（每次启动时输入）")
        group = QButtonGroup(self)
        group.addButton(self.keyring_radio)
        group.addButton(self.passphrase_radio)
        layout.addWidget(self.keyring_radio)
        if not keyring_available:
            self.keyring_radio.setEnabled(False)
            note = QLabel("本机没有可用的安全系统密钥库，需要设置口令。")
            note.setObjectName("hint")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.passphrase_radio)

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setObjectName("passphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setObjectName("confirm")
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.form_box = QWidget()
        form = QFormLayout(self.form_box)
        form.setContentsMargins(24, 0, 0, 0)
        form.addRow("口令：", self.passphrase_edit)
        form.addRow("再次输入：", self.confirm_edit)
        warning = QLabel("请牢记口令：忘记口令将无法打开数据库，任何人都无法找回。")
        warning.setObjectName("hint")
        warning.setWordWrap(True)
        form.addRow(warning)
        layout.addWidget(self.form_box)

        self.error_label = _error_label()
        layout.addWidget(self.error_label)
        layout.addStretch(1)

        (self.keyring_radio if keyring_available else self.passphrase_radio).setChecked(True)
        self.passphrase_radio.toggled.connect(self._on_mode_toggled)
        self._on_mode_toggled()

    def uses_passphrase(self) -> bool:
        return self.passphrase_radio.isChecked()

    def passphrase(self) -> str | None:
        return self.passphrase_edit.text() if self.uses_passphrase() else None

    def _on_mode_toggled(self) -> None:
        self.form_box.setEnabled(self.uses_passphrase())
        self.error_label.hide()

    def validatePage(self) -> bool:
        if not self.uses_passphrase():
            return True
        if not self.passphrase_edit.text():
            _show_error(self.error_label, describe(StoreError("empty_passphrase")))
            return False
        if self.passphrase_edit.text() != self.confirm_edit.text():
            _show_error(self.error_label, describe(InputError("passphrase_mismatch")))
            self.confirm_edit.clear()
            self.confirm_edit.setFocus()
            return False
        self.error_label.hide()
        return True


class AgencyPage(QWizardPage):
    """The agency profile: what every letter's header, 文号 and remedy clause are made from."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("本机关信息")
        self.setSubTitle("用于文书的机关名称、文号和救济途径。带 * 的为必填项，其余可以以后在“设置”中补充。")
        layout = QVBoxLayout(self)
        self.form = AgencyForm()
        layout.addWidget(self.form)
        self.error_label = _error_label()
        layout.addWidget(self.error_label)
        self.form.changed.connect(self.error_label.hide)

    def validatePage(self) -> bool:
        try:
            self.form.agency()
        except InputError as exc:
            _show_error(self.error_label, describe_field_error(exc))
            return False
        return True


class DemoPage(QWizardPage):
    """The first administrator's 姓名 and optional demonstration cases; finishing creates everything."""

    def __init__(self, login: str) -> None:
        super().__init__()
        self.setTitle("管理员和示例数据")
        self.setSubTitle("创建数据库的人是本数据文件夹的第一位管理员；可以先载入一些虚构的案件熟悉用法。")
        layout = QVBoxLayout(self)
        admin = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("adminName")
        self.name_edit.setMaxLength(MAX_NAME)
        self.name_edit.setPlaceholderText("如：张敏")
        admin.addRow("您的姓名：*", self.name_edit)
        login_label = QLabel(login)
        login_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        admin.addRow("登录名：", login_label)
        layout.addLayout(admin)
        admin_note = QLabel(
            "您将是管理员（可审核文书、管理用户）。以后可在“设置 → 用户与角色”中添加审核人和经办人："
            "经办人拟稿，审核人或管理员审核；有两名以上用户时，拟稿人不能审核自己的文书。"
        )
        admin_note.setObjectName("hint")
        admin_note.setWordWrap(True)
        layout.addWidget(admin_note)
        layout.addSpacing(12)
        self.demo_check = QCheckBox("载入示例数据（约30件虚构案件，带有“示例数据”标签）")
        self.demo_check.setObjectName("demo")
        layout.addWidget(self.demo_check)
        note = QLabel(
            "示例案件的日期围绕今天生成：有已逾期、即将到期、暂停计时、待补正、待确认收到的案件，"
            "以及两份待审核的登记回执。示例案件都带有“示例数据”标签，申请人和事项均为虚构。"
        )
        note.setObjectName("hint")
        note.setWordWrap(True)
        layout.addWidget(note)
        done = QLabel("点击“完成”后将创建加密数据库并保存机关信息。")
        done.setWordWrap(True)
        layout.addSpacing(12)
        layout.addWidget(done)
        self.error_label = _error_label()
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self.on_finish: Callable[[], bool] = lambda: True

    def admin_name(self) -> str:
        return self.name_edit.text().strip()

    def validatePage(self) -> bool:
        try:
            check_name(self.name_edit.text())
        except InputError as exc:
            _show_error(self.error_label, "您的" + say_user_error(exc))
            self.name_edit.setFocus()
            return False
        return bool(self.on_finish())


class SetupWizard(QWizard):
    """First run: nothing in the data folder yet. ``session`` is the opened folder after ``accept``.

    The database is created when the clerk clicks 完成; an error (a disk problem, a keyring that
    refuses) keeps the wizard open with the message, and never touches an existing database.
    """

    def __init__(
        self,
        home: Path,
        *,
        clock: Clock,
        keyring_available: bool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.home = home
        self.clock = clock
        self.session: Session | None = None
        self.demo_loaded = 0
        self.setWindowTitle("依申请公开办理台 · 首次使用")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(720, 560)
        available = bootstrap.has_secure_keyring() if keyring_available is None else keyring_available
        self.key_page = KeyPage(home, available)
        self.agency_page = AgencyPage()
        self.actor = current_actor()
        self.demo_page = DemoPage(self.actor)
        self.demo_page.on_finish = self._create
        for page in (self.key_page, self.agency_page, self.demo_page):
            self.addPage(page)

    def _create(self) -> bool:
        if self.session is not None:
            return True
        error = self.demo_page.error_label
        try:
            agency = self.agency_page.form.agency()
            self.session = Session.create(
                self.home,
                passphrase=self.key_page.passphrase(),
                agency=agency,
                actor=self.actor,
                name=self.demo_page.admin_name(),
            )
        except YishenError as exc:
            _show_error(error, describe(exc))
            return False
        if self.demo_page.demo_check.isChecked():
            try:
                self.demo_loaded = self.session.load_demo(self.clock()).imported
            except YishenError as exc:
                # The database exists now; the demo is optional, so say so and go on.
                QMessageBox.warning(self, "示例数据", f"示例数据未能载入：{describe(exc)}")
        return True

    def reject(self) -> None:
        if self.session is None:
            super().reject()
        else:  # created already (the wizard was finished): keep it
            self.accept()
