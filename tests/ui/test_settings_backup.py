"""设置 → 备份: an encrypted backup written off the GUI thread that the store can open."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.store.database import Database
from app.store.engine import Passphrase
from tests.ui.conftest import TODAY
from ui.session import Session
from ui.settings.page import TAB_BACKUP, SettingsPage


def test_backup_with_its_own_passphrase_opens_with_it(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path
) -> None:
    page = SettingsPage(seeded_session, lambda: TODAY)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(TAB_BACKUP)
    panel = page.backup_panel
    assert "只能在本机恢复" in panel.key_hint.text()
    dest = tmp_path / "备份" / "yishen-备份.db"
    panel.path_edit.setText(str(dest))
    panel.own_passphrase_check.setChecked(True)
    panel.passphrase_edit.setText("备份口令 2026")
    panel.confirm_edit.setText("备份口令 2027")
    panel.backup_button.click()
    assert panel.message_label.text() == "两次输入的备份口令不一致。" and not dest.exists()

    panel.confirm_edit.setText("备份口令 2026")
    with qtbot.waitSignal(panel.backed_up, timeout=20_000) as signal:
        panel.backup_button.click()
    assert signal.args == [str(dest.resolve())]
    assert panel.message_label.text().startswith(f"已生成加密备份：{dest.resolve()}")
    assert panel.passphrase_edit.text() == ""

    with (
        Database.open(dest, Passphrase("备份口令 2026")) as db,
        db.unit_of_work("测试", read_only=True) as uow,
    ):
        assert uow.cases.count() == 9
