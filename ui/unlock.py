"""Unlocking a passphrase-mode data folder: ask, try, say why not in Chinese, ask again."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import YishenError
from app.messages import describe
from ui.session import Session


class PassphraseDialog(QDialog):
    """Asks for the database passphrase until it opens the database or the clerk cancels.

    A wrong passphrase changes nothing on disk (the store only reads); the dialog shows the store's
    message and lets the clerk try again. ``session`` holds the opened folder after ``accept``.
    """

    def __init__(self, home: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.session: Session | None = None
        self.attempts = 0
        self.setWindowTitle("解锁数据库")
        self.setMinimumWidth(460)

        layout = QVBoxLayout(self)
        intro = QLabel("本机的案件数据库已加密，请输入数据库口令。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        folder = QLabel(f"数据文件夹：{home}")
        folder.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        folder.setWordWrap(True)
        folder.setObjectName("hint")
        layout.addWidget(folder)

        form = QFormLayout()
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setObjectName("passphrase")
        form.addRow("口令：", self.passphrase_edit)
        layout.addLayout(form)

        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _on_buttons_accepted(self) -> None:
        self.attempts += 1
        # The key derivation takes a moment (SQLCipher's PBKDF2): say so with the cursor.
        QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
        try:
            self.session = Session.open(self.home, self.passphrase_edit.text())
        except YishenError as exc:
            self.error_label.setText(describe(exc))
            self.error_label.show()
            self.passphrase_edit.selectAll()
            self.passphrase_edit.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()
