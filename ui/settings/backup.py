"""设置 → 备份: an encrypted copy of the whole database in a file the clerk chooses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import YishenError
from app.messages import describe
from ui.session import Clock, Session
from ui.tasks import TaskRunner

MIN_PASSPHRASE = 8


class BackupPanel(QWidget):
    """Signals:
    backed_up(str): a backup was written to this path.
    """

    backed_up = Signal(str)

    def __init__(
        self, session: Session, clock: Clock, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.runner = runner or TaskRunner(self)
        self._running = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        intro = QLabel(
            "备份是整个数据库（案件、文书、日历和设置）的加密副本。请定期备份，并把备份文件保存在另一块磁盘或移动存储上。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        form.setContentsMargins(0, 8, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        path_row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("选择备份文件的保存位置")
        self.browse_button = QPushButton("选择…")
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        form.addRow("备份文件：", path_row)
        self.own_passphrase_check = QCheckBox("使用单独的备份口令（可在其他电脑上恢复）")
        self.own_passphrase_check.toggled.connect(self._on_own_passphrase_toggled)
        form.addRow("", self.own_passphrase_check)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("备份口令：", self.passphrase_edit)
        form.addRow("再次输入：", self.confirm_edit)
        layout.addLayout(form)

        self.key_hint = QLabel()
        self.key_hint.setObjectName("hint")
        self.key_hint.setWordWrap(True)
        layout.addWidget(self.key_hint)

        row = QHBoxLayout()
        self.message_label = QLabel()
        self.message_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.backup_button = QPushButton("生成备份")
        self.backup_button.setMinimumWidth(96)
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        row.addWidget(self.message_label, 1)
        row.addWidget(self.progress)
        row.addWidget(self.backup_button)
        layout.addLayout(row)
        layout.addStretch(1)
        self._on_own_passphrase_toggled(False)

    def default_path(self) -> Path:
        return Path.home() / f"yishen-备份-{self.clock():%Y%m%d}.db"

    def _on_browse_button_clicked(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            "保存备份",
            self.path_edit.text() or str(self.default_path()),
            "加密备份 (*.db);;所有文件 (*)",
        )
        if chosen:
            self.path_edit.setText(chosen)

    def _on_own_passphrase_toggled(self, checked: bool) -> None:
        self.passphrase_edit.setEnabled(checked)
        self.confirm_edit.setEnabled(checked)
        if checked:
            self.key_hint.setText("恢复时需要输入这个备份口令；口令遗失将无法恢复，请妥善保管。")
        elif self.session.key_mode == "keyring":
            self.key_hint.setText(
                "不设备份口令时，备份使用本机系统密钥库中的密钥加密，只能在本机恢复；"
                "如需在其他电脑上恢复，请设置备份口令。"
            )
        else:
            self.key_hint.setText("不设备份口令时，备份使用当前数据库的口令加密，恢复时输入同一口令。")

    def _passphrase(self) -> str | None:
        """The separate passphrase, None for the database's own key; raises ValueError with the reason."""
        if not self.own_passphrase_check.isChecked():
            return None
        passphrase = self.passphrase_edit.text()
        if len(passphrase) < MIN_PASSPHRASE:
            raise ValueError(f"备份口令至少需要{MIN_PASSPHRASE}个字符。")
        if passphrase != self.confirm_edit.text():
            raise ValueError("两次输入的备份口令不一致。")
        return passphrase

    def _on_backup_button_clicked(self) -> None:
        if self._running:
            return
        text = self.path_edit.text().strip()
        if not text:
            self._on_browse_button_clicked()
            text = self.path_edit.text().strip()
            if not text:
                return
        try:
            passphrase = self._passphrase()
        except ValueError as exc:
            self._say(str(exc), error=True)
            return
        dest = Path(text).expanduser()
        session = self.session

        def backup() -> tuple[Path, int]:
            path = session.backup(dest, passphrase=passphrase)
            return path, path.stat().st_size

        self._running = True
        self._set_busy(True)
        self._say("正在生成备份……")
        started = dt.datetime.now()
        self.runner.submit(
            backup, lambda result: self._on_backup_done(result, started), self._on_backup_failed
        )

    def _on_backup_done(self, result: tuple[Path, int], started: dt.datetime) -> None:
        path, size = result
        self._running = False
        self._set_busy(False)
        self.passphrase_edit.clear()
        self.confirm_edit.clear()
        seconds = (dt.datetime.now() - started).total_seconds()
        self._say(f"已生成加密备份：{path}（{size / 1024:.0f} KB，用时 {seconds:.1f} 秒）")
        self.backed_up.emit(str(path))

    def _on_backup_failed(self, exc: YishenError) -> None:
        self._running = False
        self._set_busy(False)
        self._say(f"备份失败：{describe(exc)}", error=True)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.backup_button.setEnabled(not busy)
        self.browse_button.setEnabled(not busy)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setObjectName("error" if error else "hint")
        self.message_label.setStyleSheet("")
        self.message_label.setText(text)
