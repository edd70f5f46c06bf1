"""The crash dialog: an unexpected error (a bug, not a user-fixable problem) with a copyable report and its log file."""

from __future__ import annotations

import platform
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6 import QtCore
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The text a clerk sends to support: versions, then the traceback."""
    try:
        from importlib.metadata import version

        app_version = version("yishen")
    except Exception:  # running from a source tree that is not installed
        app_version = "未安装"
    header = [
        f"依申请公开办理台 {app_version}",
        f"Python {platform.python_version()} · PySide6 {_pyside_version()} · Qt {QtCore.qVersion()}",
        f"{platform.platform()}",
        "",
    ]
    return "\n".join(header) + "".join(traceback.format_exception(exc_type, exc, tb))


def _pyside_version() -> str:
    import PySide6

    return str(PySide6.__version__)


class CrashDialog(QDialog):
    """Says that the program hit an internal error, shows the report and where it was saved."""

    def __init__(self, report: str, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("程序内部错误")
        self.setMinimumSize(640, 420)
        layout = QVBoxLayout(self)

        intro = QLabel(
            "程序遇到了一个内部错误，刚才的操作可能没有完成；已保存的数据不受影响。\n"
            "请把下面的报告复制给技术支持人员，并说明出错前在做什么。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.report_edit = QPlainTextEdit(report)
        self.report_edit.setReadOnly(True)
        self.report_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.report_edit, 1)

        where = f"报告已保存到：{log_path}" if log_path else "报告未能保存到文件，请直接复制上面的内容。"
        self.path_label = QLabel(where)
        self.path_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.path_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("复制报告")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.report_edit.toPlainText())
        self.copy_button.setText("已复制")


def _write_crash_log(text: str) -> Path:
    from app import bootstrap  # imported late: the store is not loaded before the main window is painted

    return bootstrap.write_crash_log(text)


class CrashHandler:
    """``sys.excepthook`` for the GUI: log the error, then show the crash dialog once at a time."""

    def __init__(
        self,
        write_log: Callable[[str], Path] = _write_crash_log,
        show: Callable[[CrashDialog], object] = CrashDialog.exec,
    ) -> None:
        self._write_log = write_log
        self._show = show
        self._showing = False
        self._previous: Callable[..., object] | None = None
        self.last_dialog: CrashDialog | None = None

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self and self._previous is not None:
            sys.excepthook = self._previous

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        report = crash_report(exc_type, exc, tb)
        sys.stderr.write(report)
        try:
            log_path: Path | None = self._write_log(report)
        except Exception:  # a full disk must not hide the original error
            log_path = None
        if self._showing or QApplication.instance() is None:
            return  # an error while the dialog is up (or with no GUI): logged, not stacked
        self._showing = True
        try:
            self.last_dialog = CrashDialog(report, log_path, QApplication.activeWindow())
            self._show(self.last_dialog)
        finally:
            self._showing = False
