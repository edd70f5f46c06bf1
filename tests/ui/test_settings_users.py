"""Settings → 用户与角色: an administrator manages the users; everyone else sees them read-only, told why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app import bootstrap
from app.domain.errors import InputError
from app.domain.users import User
from app.services import users as service
from tests.ui.conftest import AGENCY, TODAY
from ui.session import Session
from ui.settings.page import TAB_USERS, SettingsPage
from ui.settings.users import UsersPanel


@pytest.fixture
def page(qtbot: QtBot, seeded_session: Session) -> SettingsPage:
    page = SettingsPage(seeded_session, lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    page.load()
    page.tabs.setCurrentIndex(TAB_USERS)
    return page


def _rows(panel: UsersPanel) -> list[list[str]]:
    return [panel.row_values(r) for r in range(panel.table.rowCount())]


def _select_role(panel: UsersPanel, role: str) -> None:
    panel.edit_role.setCurrentIndex(panel.edit_role.findData(role))


def test_an_administrator_adds_changes_and_deactivates_users(qtbot: QtBot, page: SettingsPage) -> None:
    panel = page.users_panel
    assert page.tabs.tabText(TAB_USERS) == "用户与角色"
    # The wizard's creator (here the fixture's 测试) is the folder's administrator.
    assert _rows(panel) == [["测试", "测试", "管理员", "在用（当前用户）"]]
    assert panel.current_label.text() == "当前用户：测试（测试）· 管理员"
    assert panel.add_box.isEnabled() and panel.readonly_note.isHidden()

    changes: list[None] = []
    page.users_changed.connect(lambda: changes.append(None))
    panel.login_edit.setText("lihua")
    panel.name_edit.setText("李华")
    panel.role_combo.setCurrentIndex(panel.role_combo.findData("reviewer"))
    panel.add_button.click()
    assert _rows(panel)[1] == ["lihua", "李华", "审核人", "在用"]
    assert panel.message_label.text() == "已添加用户李华（lihua），角色：审核人。"
    assert panel.login_edit.text() == "" and len(changes) == 1

    # A login already taken, and a missing 姓名: said at the field, nothing added.
    panel.login_edit.setText("LiHua")
    panel.name_edit.setText("另一个李华")
    panel.add_button.click()
    assert panel.message_label.text() == "登录名：登录名“LiHua”已有用户（李华）"
    panel.login_edit.setText("wangfang")
    panel.name_edit.setText("")
    panel.add_button.click()
    assert panel.message_label.text() == "姓名：不能为空"
    assert panel.table.rowCount() == 2 and len(changes) == 1

    # The selected user: another role and 姓名, then 停用 and 启用 again.
    assert panel.select("lihua")
    assert panel.edit_box.isEnabled() and panel.edit_name.text() == "李华"
    _select_role(panel, "clerk")
    panel.edit_name.setText("李华（科员）")
    panel.save_button.click()
    assert _rows(panel)[1] == ["lihua", "李华（科员）", "经办人", "在用"]
    assert panel.toggle_button.text() == "停用"
    panel.toggle_button.click()
    assert _rows(panel)[1] == ["lihua", "李华（科员）", "经办人", "已停用"]
    assert panel.toggle_button.text() == "启用"
    assert "已停用" in panel.message_label.text()
    panel.toggle_button.click()
    assert _rows(panel)[1][3] == "在用"

    # The last active administrator keeps the role: refused in Chinese, the table unchanged.
    assert panel.select("测试")
    _select_role(panel, "reviewer")
    panel.save_button.click()
    assert panel.message_label.text().startswith("至少要保留一名在用的管理员")
    assert _rows(panel)[0][2] == "管理员"
    panel.toggle_button.click()
    assert panel.message_label.text().startswith("至少要保留一名在用的管理员")
    assert _rows(panel)[0][3] == "在用（当前用户）"

    with page.session.read() as uow:
        assert service.list_users(uow) == [
            User("测试", "测试", "admin"),
            User("lihua", "李华（科员）", "clerk", True),
        ]


@pytest.fixture
def colleague(seeded_session: Session, home: Path) -> Iterator[Session]:
    """The same folder opened by 王芳, a clerk (the administrator added her)."""
    with seeded_session.write() as uow:
        service.add_user(uow, seeded_session.actor, login="wangfang", name="王芳", role="clerk")
    session = Session.open(home, actor="wangfang")
    try:
        yield session
    finally:
        session.close()


def test_a_clerk_sees_the_users_read_only_and_why(qtbot: QtBot, colleague: Session) -> None:
    assert colleague.user == User("wangfang", "王芳", "clerk") and colleague.role == "clerk"
    assert not colleague.is_admin and not colleague.may_review
    panel = UsersPanel(colleague)
    qtbot.addWidget(panel)
    panel.show()
    panel.load()
    assert _rows(panel) == [
        ["测试", "测试", "管理员", "在用"],
        ["wangfang", "王芳", "经办人", "在用（当前用户）"],
    ]
    assert panel.readonly_note.isVisible()
    assert (
        panel.readonly_note.text()
        == "只有管理员可以添加用户、更改角色或停用用户；您的角色是经办人，只能查看。"
    )
    assert not panel.add_box.isEnabled()
    panel.select("测试")
    assert not panel.edit_box.isEnabled()
    # Even when called directly the service refuses: the rule is not only in the widgets.
    assert not panel.add_user()
    assert panel.message_label.text().startswith("只有管理员可以添加用户")


def test_a_login_that_is_not_a_user_is_told_so(qtbot: QtBot, seeded_session: Session, home: Path) -> None:
    stranger = Session.open(home, actor="zhaolei")
    try:
        assert stranger.user is None and stranger.role is None
        panel = UsersPanel(stranger)
        qtbot.addWidget(panel)
        panel.load()
        assert "“zhaolei”不是本数据文件夹的用户" in panel.readonly_note.text()
        assert panel.current_label.text() == "当前用户：zhaolei · 不是本数据文件夹的用户"
        with stranger.read() as uow:
            assert [u.login for u in service.list_users(uow)] == ["测试"]  # nothing recorded for them
    finally:
        stranger.close()


def test_a_bad_administrator_name_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "new"
    with pytest.raises(InputError) as exc:
        Session.create(home, passphrase=None, agency=AGENCY, actor="zhangmin", name="张" * 41)
    assert (exc.value.kind, exc.value.field) == ("too_long", "name")
    assert not bootstrap.database_exists(home)
