"""Application start: Qt in Chinese, a CJK font, the crash dialog, and ``yishen gui`` opening the window."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from app import cli
from app.services.worklist import Group
from tests.support.memorykeyring import MemoryKeyring
from tests.ui.conftest import AGENCY, PASSPHRASE, SEED, TODAY, seed_cases
from ui.app import CJK_FONTS, choose_ui_font, install_translations, open_main_window
from ui.crash import CrashDialog, CrashHandler
from ui.main_window import NAV_CASES, NAV_TODAY, MainWindow
from ui.session import Session
from ui.unlock import PassphraseDialog

ROOT = Path(__file__).resolve().parents[2]


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
        # The window is shown first; the folder is opened right after its first paint.
        if not windows or not all(w.has_session() for w in windows):
            QTimer.singleShot(20, close_main_window)
            return
        seen.extend(w.windowTitle() for w in windows)
        for w in windows:
            w.close()

    QTimer.singleShot(0, close_main_window)
    assert cli.main(["--home", str(home), "gui"]) == 0
    assert seen == ["依申请公开办理台 — 某市某区自然资源局"]
    assert not isinstance(sys.excepthook, CrashHandler)  # main() put the previous hook back


def _seeded_folder(home: Path) -> Path:
    session = Session.create(home, passphrase=None, agency=AGENCY, actor="测试")
    try:
        seed_cases(session, SEED)
    finally:
        session.close()
    return home


def test_the_window_is_shown_before_the_folder_opens_then_fills_its_today_view(
    qtbot: QtBot, home: Path
) -> None:
    window = open_main_window(_seeded_folder(home), lambda: TODAY)
    qtbot.addWidget(window)
    # Shown at once: the navigation, and 待办 saying it is loading with a moving busy bar.
    assert window.isVisible() and not window.has_session()
    assert [window.nav.item(r).text() for r in range(window.nav.count())] == [
        "待办",
        "登记",
        "案件",
        "统计",
        "设置",
    ]
    assert window.nav.currentRow() == NAV_TODAY
    assert window.stack.currentWidget() is window.loading_page
    assert window.loading_page.message_label.text() == "正在打开数据文件夹……"
    assert window.loading_page.busy_bar.maximum() == 0  # indeterminate
    assert window.built_pages() == []

    # Right after the first paint the folder is opened and 待办 computed in the background.
    qtbot.waitUntil(lambda: window.has_session() and window.today_view.worklist is not None, timeout=10_000)
    assert window.windowTitle() == "依申请公开办理台 — 某市某区自然资源局"
    assert window.folder_label.text() == f"数据文件夹：{home}"
    today = window.today_view
    assert window.stack.currentWidget() is today
    assert today.cards[Group.OVERDUE].count_label.text() == "2"
    assert today.busy_bar.isHidden()
    # The other screens are built when first shown.
    assert window.built_pages() == [today]
    window.nav.setCurrentRow(NAV_CASES)
    assert window.stack.currentWidget() is window.cases_page
    assert window.built_pages() == [today, window.cases_page]
    window.close()


def test_a_screen_chosen_while_the_folder_opens_is_shown_once_it_is_open(qtbot: QtBot, home: Path) -> None:
    window = open_main_window(_seeded_folder(home), lambda: TODAY)
    qtbot.addWidget(window)
    window.nav.setCurrentRow(NAV_CASES)  # clicked before the first paint
    assert window.stack.currentWidget() is window.loading_page
    qtbot.waitUntil(window.has_session, timeout=10_000)
    page = window.cases_page
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() == len(SEED), timeout=10_000)
    assert window.built_pages() == [page]  # 待办 waits until it is shown
    window.close()


def test_a_passphrase_folder_asks_over_the_window_and_giving_up_closes_it(
    qtbot: QtBot, passphrase_home: Path
) -> None:
    asked: list[str] = []

    def answer(give_up: bool) -> None:
        dialogs = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, PassphraseDialog) and w.isVisible()
        ]
        if not dialogs:
            QTimer.singleShot(20, lambda: answer(give_up))
            return
        dialog = dialogs[0]
        asked.append(dialog.parent().windowTitle())  # type: ignore[union-attr]
        if give_up:
            dialog.reject()
        else:
            dialog.passphrase_edit.setText(PASSPHRASE)
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, lambda: answer(give_up=True))
    window = open_main_window(passphrase_home, lambda: TODAY)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert asked == ["依申请公开办理台"] and not window.has_session()

    QTimer.singleShot(0, lambda: answer(give_up=False))
    window = open_main_window(passphrase_home, lambda: TODAY)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.has_session() and window.today_view.worklist is not None, timeout=30_000)
    assert window.isVisible() and window.mode_label.text().endswith("密钥保存：口令")
    window.close()


def test_a_folder_whose_key_is_gone_says_why_and_the_window_closes(
    qtbot: QtBot, home: Path, memory_keyring: MemoryKeyring
) -> None:
    _seeded_folder(home)
    memory_keyring.passwords.clear()  # the OS keyring lost the database key
    said: list[str] = []

    def read_the_message() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(20, read_the_message)
            return
        said.append(f"{boxes[0].windowTitle()}：{boxes[0].text()}")
        boxes[0].accept()

    QTimer.singleShot(0, read_the_message)
    window = open_main_window(home, lambda: TODAY)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert not window.has_session()
    assert len(said) == 1 and said[0].startswith("无法打开数据库：") and "密钥" in said[0]


def test_closing_the_window_while_the_folder_opens_leaves_it_closed(qtbot: QtBot, home: Path) -> None:
    window = open_main_window(_seeded_folder(home), lambda: TODAY)
    qtbot.addWidget(window)
    qtbot.waitUntil(window.runner.busy, timeout=10_000)  # painted; the folder is opening on a worker
    window.close()
    assert not window.has_session()
    qtbot.wait(50)  # the worker's result arrives after the close: nothing is shown, nothing stays open
    assert not window.isVisible() and not window.has_session()
    # And the folder opens again as usual.
    again = open_main_window(home, lambda: TODAY)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.has_session() and again.today_view.worklist is not None, timeout=10_000)
    again.close()


_START_PROBE = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

HEAVY = ("sqlalchemy", "app.store", "keyring", "app.services.worklist", "app.messages", "PySide6.QtCharts",
         "reportlab", "docx", "pypdfium2", "openpyxl", "ui.cases.page", "ui.stats.page", "ui.case.page",
         "ui.letters.window")
seen = {}

def loaded():
    return [name for name in HEAVY if name in sys.modules]

qapp = QApplication(sys.argv[:1])
from app import cli
from ui.main_window import MainWindow

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, MainWindow) and "painted" not in seen:
            seen["painted"] = loaded()
            QTimer.singleShot(10, lambda: counts(obj))
        return False

def counts(window):
    if window.has_session() and window.today_view.worklist is not None:
        seen["counts"] = loaded()
        print(json.dumps(seen), flush=True)
        window.close()
    else:
        QTimer.singleShot(10, lambda: counts(window))

probe = FirstPaint()
qapp.installEventFilter(probe)
sys.exit(cli.main(["--home", sys.argv[1], "gui"]))
"""


def test_nothing_heavy_is_loaded_before_the_first_paint(home: Path, tmp_path: Path) -> None:
    """A fresh process started as ``yishen gui``: the store and the other screens load after the paint."""
    ring = tmp_path / "ring.json"
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.support.filekeyring.FileKeyring",
        "YISHEN_TEST_KEYRING": str(ring),
        "QT_QPA_PLATFORM": "offscreen",
    }
    create = "import sys; from ui.session import Session; from tests.ui.conftest import AGENCY; " + (
        "Session.create(__import__('pathlib').Path(sys.argv[1]), passphrase=None, agency=AGENCY, actor='测试').close()"
    )
    subprocess.run([sys.executable, "-c", create, str(home)], env=env, cwd=ROOT, check=True, timeout=120)
    done = subprocess.run(
        [sys.executable, "-c", _START_PROBE, str(home)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["painted"] == []
    # After 待办 shows its counts the store is loaded, but not the other screens nor what they use.
    assert {"sqlalchemy", "app.store", "keyring", "app.services.worklist"} <= set(seen["counts"])
    assert not {"PySide6.QtCharts", "reportlab", "docx", "pypdfium2", "openpyxl"} & set(seen["counts"])
    assert not {"ui.cases.page", "ui.stats.page", "ui.case.page", "ui.letters.window"} & set(seen["counts"])
