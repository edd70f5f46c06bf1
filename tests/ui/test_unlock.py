"""Unlocking: the keyring opens by itself; a passphrase is asked until it is right, changing nothing on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pytestqt.qtbot import QtBot

from app import bootstrap
from app.domain.errors import StoreError
from app.messages import describe
from app.services.settings import load_agency
from tests.ui.conftest import AGENCY, PASSPHRASE, TODAY
from ui.app import start
from ui.session import Session
from ui.unlock import PassphraseDialog


def _snapshot(home: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(home.iterdir()) if p.is_file()}


def test_a_wrong_passphrase_is_refused_in_chinese_then_the_right_one_opens(
    qtbot: QtBot, passphrase_home: Path
) -> None:
    before = _snapshot(passphrase_home)
    dialog = PassphraseDialog(passphrase_home)
    qtbot.addWidget(dialog)
    dialog.show()

    dialog.passphrase_edit.setText("不对的口令")
    dialog.buttons.accepted.emit()
    assert dialog.session is None
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.error_label.isVisibleTo(dialog)
    assert dialog.error_label.text() == describe(StoreError("wrong_key"))
    assert "数据库文件未被改动" in dialog.error_label.text()
    assert _snapshot(passphrase_home) == before  # no new file, no changed byte

    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.buttons.accepted.emit()
    assert dialog.result() == PassphraseDialog.DialogCode.Accepted
    session = dialog.session
    assert session is not None and session.key_mode == "passphrase"
    try:
        with session.read() as uow:
            assert load_agency(uow) == AGENCY
    finally:
        session.close()
    assert dialog.attempts == 2


def test_an_empty_passphrase_is_not_tried(qtbot: QtBot, passphrase_home: Path) -> None:
    dialog = PassphraseDialog(passphrase_home)
    qtbot.addWidget(dialog)
    dialog.buttons.accepted.emit()
    assert dialog.session is None
    assert dialog.error_label.text() == "口令不能为空。"


def test_a_keyring_folder_opens_without_a_dialog(qtbot: QtBot, home: Path) -> None:
    Session.create(home, passphrase=None, agency=AGENCY, actor="测试").close()
    assert bootstrap.key_mode(home) == "keyring"
    session = start(home, lambda: TODAY)  # would block on a dialog if it showed one
    assert session is not None and session.key_mode == "keyring"
    session.close()
