"""Starting the desktop application: Qt in Chinese, a CJK font, the crash dialog, unlock or first run, the main window."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.domain.errors import YishenError
from ui.main_window import FolderOpener, MainWindow
from ui.style import STYLE_SHEET

if TYPE_CHECKING:
    from ui.session import Clock, Session

# The store (sqlalchemy, SQLCipher, keyring), the dialogs and the screens are imported when first
# needed: the main window is painted before any of them is loaded (see open_main_window).

# Fonts with Simplified Chinese glyphs, best first: Windows, macOS, then the Linux packages
# (fonts-noto-cjk, fonts-wqy-*, fonts-arphic-*).
CJK_FONTS: tuple[str, ...] = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Serif CJK SC",
    "SimSun",
    "AR PL UMing CN",
)

# Kept alive for the life of the process: a collected QTranslator is silently uninstalled.
_translators: list[QTranslator] = []


def install_translations(app: QApplication) -> bool:
    """Qt's own zh_CN strings, so standard buttons read 确定/取消 (design.md §6)."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load("qtbase_zh_CN", folder):
        return False
    app.installTranslator(translator)
    _translators.append(translator)
    return True


def _has_chinese(family: str) -> bool:
    return QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


def choose_ui_font(app: QApplication) -> str | None:
    """Switch to a CJK font when the platform's default has no Chinese glyphs; returns the family chosen.

    Glyph fallback would still draw the characters, but mixing fonts within a line looks uneven
    and some fallbacks (bitmap or Traditional-first fonts) are hard to read.
    """
    current = app.font()
    if _has_chinese(current.family()):
        return None
    available = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in available and _has_chinese(family):
            font = QFont(current)
            font.setFamilies([family])
            app.setFont(font)
            return family
    return None


def setup_application(app: QApplication) -> None:
    app.setApplicationName("依申请公开办理台")
    app.setOrganizationName("yishen")
    install_translations(app)
    choose_ui_font(app)
    app.setStyleSheet(STYLE_SHEET)


def start(home: Path, clock: Clock, parent: QWidget | None = None) -> Session | None:
    """Unlock the data folder, or set it up on first run; None when the clerk gives up."""
    from app import bootstrap
    from app.messages import describe
    from ui.session import Session
    from ui.unlock import PassphraseDialog
    from ui.wizard import SetupWizard

    if not bootstrap.database_exists(home):
        wizard = SetupWizard(home, clock=clock, parent=parent)
        wizard.exec()
        return wizard.session
    try:
        mode = bootstrap.key_mode(home)
        if mode == "passphrase":
            dialog = PassphraseDialog(home, parent)
            dialog.exec()
            return dialog.session
        return Session.open(home)
    except YishenError as exc:
        QMessageBox.critical(parent, "无法打开数据库", describe(exc))
        return None


def open_main_window(home: Path | None, clock: Clock) -> MainWindow:
    """Show the main window at once; right after its first paint open ``home`` (the per-user data folder
    when None), then fill 待办.

    The store is loaded and a keyring-mode folder opened on a worker thread, so the window keeps
    painting meanwhile; a passphrase folder is unlocked, or a new one set up, with a dialog over the
    window. The window closes (and with it the application) when the clerk gives up.
    """

    def prepare() -> tuple[Session | None, object]:
        from app import bootstrap
        from ui.session import Session
        from ui.today import view  # noqa: F401  (loaded here, off the GUI thread, for 待办)

        folder = home or bootstrap.default_home()
        if bootstrap.key_mode(folder) != "keyring":
            return None, folder  # first run or a passphrase: the clerk is asked on the GUI thread
        try:
            return Session.open(folder), folder
        except YishenError as exc:
            return None, exc

    def finish(parent: QWidget, data: object) -> Session | None:
        if isinstance(data, YishenError):
            from app.messages import describe

            QMessageBox.critical(parent, "无法打开数据库", describe(data))
            return None
        assert isinstance(data, Path)
        return start(data, clock, parent)

    window = MainWindow(None, clock, opener=FolderOpener(prepare, finish))
    window.show()
    return window


def main(argv: Sequence[str] | None = None, home: Path | None = None) -> int:
    """Run the desktop application on ``home`` (the per-user data folder by default)."""
    from ui.crash import CrashHandler

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    setup_application(app)
    crash = CrashHandler()
    crash.install()
    try:
        window = open_main_window(home, dt.date.today)
        try:
            return int(app.exec())
        finally:
            if window.has_session():
                window.session.close()  # closed with the window already, unless the loop ended otherwise
    finally:
        crash.uninstall()
