"""The first-run wizard: it checks the passphrase and the profile, then creates the database and the profile."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app import bootstrap
from app.domain.users import User
from app.services.settings import load_agency
from app.services.users import list_users
from app.services.worklist import Group, compute_worklist
from tests.ui.conftest import AGENCY, TODAY
from ui.session import Session
from ui.wizard import SetupWizard


def _wizard(qtbot: QtBot, home: Path, *, keyring: bool) -> SetupWizard:
    wizard = SetupWizard(home, clock=lambda: TODAY, keyring_available=keyring)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _finish(wizard: SetupWizard) -> None:
    wizard.button(QWizard.WizardButton.FinishButton).click()


def test_passphrase_mode_creates_the_database_the_profile_and_the_demo_cases(
    qtbot: QtBot, home: Path
) -> None:
    wizard = _wizard(qtbot, home, keyring=False)
    key = wizard.key_page
    assert not key.keyring_radio.isEnabled() and key.passphrase_radio.isChecked()

    key.passphrase_edit.setText("口令一")
    key.confirm_edit.setText("口令二")
    wizard.next()
    assert wizard.currentPage() is key
    assert key.error_label.text() == "两次输入的口令不一致。"
    key.confirm_edit.setText("口令一")
    wizard.next()
    assert wizard.currentPage() is wizard.agency_page

    form = wizard.agency_page.form
    wizard.next()  # the name is required
    assert wizard.currentPage() is wizard.agency_page
    assert wizard.agency_page.error_label.text() == "机关名称：不能为空"

    form.edits["name"].setText("某市某区人民政府")
    form.kind_combo.setCurrentIndex(form.kind_combo.findData("government"))
    form.level_combo.setCurrentIndex(form.level_combo.findData("county"))
    assert "请填写“所属或上一级人民政府”" in form.organ_label.text()
    form.edits["parent_government"].setText("某市人民政府")
    # 复议法第二十四条第一款第（二）项: a county government → the next-higher government.
    assert form.organ_label.text().startswith(
        "某市人民政府\n依据：《中华人民共和国行政复议法》第二十四条第一款第（二）项"
    )
    form.edits["short_name"].setText("某区政府")
    form.edits["court"].setText("某市中级人民法院")
    form.edits["phone"].setText("0571-1234")
    wizard.next()
    assert wizard.currentPage() is wizard.demo_page
    assert not bootstrap.database_exists(home)  # nothing is created before 完成

    wizard.demo_page.demo_check.setChecked(True)
    _finish(wizard)  # the first administrator's 姓名 is required
    assert wizard.session is None and not bootstrap.database_exists(home)
    assert wizard.demo_page.error_label.text() == "您的姓名：不能为空"
    wizard.demo_page.name_edit.setText("  张敏 ")
    _finish(wizard)
    assert wizard.result() == QWizard.DialogCode.Accepted
    session = wizard.session
    assert session is not None
    session.close()

    assert bootstrap.key_mode(home) == "passphrase"
    reopened = Session.open(home, "口令一")
    try:
        with reopened.read() as uow:
            agency = load_agency(uow)
            assert agency is not None
            assert (agency.name, agency.kind, agency.level, agency.parent_government) == (
                "某市某区人民政府",
                "government",
                "county",
                "某市人民政府",
            )
            assert (agency.short_name, agency.court, agency.phone) == (
                "某区政府",
                "某市中级人民法院",
                "0571-1234",
            )
            assert uow.cases.count() == wizard.demo_loaded == 30
            # The creating login is the folder's first administrator, under the 姓名 given.
            assert list_users(uow) == [User(login=wizard.actor, name="张敏", role="admin", active=True)]
            assert compute_worklist(uow, TODAY).count(Group.OVERDUE) == 3
        assert reopened.user is not None and reopened.is_admin and reopened.user.name == "张敏"
    finally:
        reopened.close()


def test_keyring_mode_is_the_default_where_a_secure_keyring_exists(qtbot: QtBot, home: Path) -> None:
    wizard = _wizard(qtbot, home, keyring=True)
    assert wizard.key_page.keyring_radio.isChecked()
    assert not wizard.key_page.form_box.isEnabled()
    wizard.next()
    wizard.agency_page.form.set_agency(AGENCY)
    wizard.next()
    wizard.demo_page.name_edit.setText("张敏")
    _finish(wizard)
    assert wizard.session is not None
    wizard.session.close()
    assert bootstrap.key_mode(home) == "keyring"
    session = Session.open(home)  # no passphrase needed
    with session.read() as uow:
        assert load_agency(uow) == AGENCY
        assert uow.cases.count() == 0  # demo data only when asked for
    session.close()


def test_the_wizard_never_creates_over_an_existing_database(qtbot: QtBot, home: Path) -> None:
    Session.create(home, passphrase=None, agency=AGENCY, actor="测试").close()
    before = (home / "yishen.db").read_bytes()
    wizard = _wizard(qtbot, home, keyring=True)
    wizard.next()
    wizard.agency_page.form.edits["name"].setText("另一个机关")
    wizard.next()
    wizard.demo_page.name_edit.setText("张敏")
    _finish(wizard)
    assert wizard.session is None and wizard.isVisible()
    assert "数据库文件已存在" in wizard.demo_page.error_label.text()
    assert (home / "yishen.db").read_bytes() == before
