"""Application start: Qt in Chinese, a CJK font, the crash dialog, and ``yishen gui`` opening the window."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app import cli
from tests.ui.conftest import AGENCY
from ui.app import CJK_FONTS, choose_ui_font, install_translations
from ui.crash import CrashDialog, CrashHandler
from ui.main_window import MainWindow
from ui.session import Session


def test_standard_buttons_read_in_chinese(qapp: QApplication, qtbot: QtBot) -> None:
    assert install_translations(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    ok = box.button(QDialogButtonBox.StandardButton.Ok).text().replace("&", "")
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")
    assert (ok.split("(")[0], cancel.split("(")[0]) == ("确定", "取消")


def test_the_ui_font_has_chinese_glyphs(qapp: QApplication) -> None:
    if not any(f in QFontDatabase.families() for f in CJK_FONTS):
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    choose_ui_font(qapp)
    writing = QFontDatabase.writingSystems(qapp.font().family())
    assert QFontDatabase.WritingSystem.SimplifiedChinese in writing


def test_an_unexpected_error_shows_a_copyable_report_and_the_log_path(
    qapp: QApplication, tmp_path: Path
) -> None:
    logs: list[Path] = []

    def write_log(text: str) -> Path:
        path = tmp_path / f"crash-{len(logs)}.log"
        path.write_text(text, "utf-8")
        logs.append(path)
        return path

    shown: list[CrashDialog] = []
    handler = CrashHandler(write_log=write_log, show=shown.append)
    try:
        raise ZeroDivisionError("division by zero in a slot")
    except ZeroDivisionError as exc:
        handler(type(exc), exc, exc.__traceback__)

    assert len(logs) == 1 and len(shown) == 1
    dialog = handler.last_dialog
    assert dialog is not None and shown[0] is dialog
    report = dialog.report_edit.toPlainText()
    assert "ZeroDivisionError: division by zero in a slot" in report
    assert "test_an_unexpected_error_shows" in report  # the traceback, not just the message
    assert logs[0].read_text("utf-8") == report
    assert dialog.path_label.text() == f"报告已保存到：{logs[0]}"
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == report
    dialog.close()


def test_the_crash_hook_is_installed_and_removed(qapp: QApplication) -> None:
    before = sys.excepthook
    handler = CrashHandler(write_log=lambda text: Path("unused"), show=lambda d: None)
    handler.install()
    assert sys.excepthook is handler
    handler.uninstall()
    assert sys.excepthook is before


def test_yishen_gui_opens_the_main_window_of_a_keyring_folder(qapp: QApplication, home: Path) -> None:
    Session.create(home, passphrase=None, agency=AGENCY, actor="测试").close()
    seen: list[str] = []

    def close_main_window() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            QTimer.singleShot(20, close_main_window)
            return
        seen.extend(w.windowTitle() for w in windows)
        for w in windows:
            w.close()

    QTimer.singleShot(0, close_main_window)
    assert cli.main(["--home", str(home), "gui"]) == 0
    assert seen == ["依申请公开办理台 — 某市某区自然资源局"]
    assert not isinstance(sys.excepthook, CrashHandler)  # main() put the previous hook back
