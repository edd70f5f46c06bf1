"""The Today (待办) view and the main window on a seeded data folder."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from app.progress import Progress
from app.services.letters import prepare_letter
from app.services.worklist import Group
from tests.ui.conftest import TODAY
from ui.main_window import NAV_SETTINGS, NAV_TODAY, MainWindow
from ui.session import Session
from ui.today.model import CaseRowsModel
from ui.today.view import TodayView


def _column(model: CaseRowsModel, column: int) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def _view(qtbot: QtBot, session: Session) -> TodayView:
    view = TodayView(session, lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    with qtbot.waitSignal(view.refreshed):
        view.refresh()
    return view


def test_until_the_first_worklist_the_cards_say_they_are_loading(
    qtbot: QtBot, seeded_session: Session
) -> None:
    view = TodayView(seeded_session, lambda: TODAY)
    qtbot.addWidget(view)
    view.show()
    assert {view.cards[g].count_label.text() for g in Group} == {"…"}  # not a misleading 0
    assert not any(lst.empty_label.isVisibleTo(view) for lst in view.lists.values())  # nor "没有…"
    with qtbot.waitSignal(view.refreshed):
        view.refresh()
        assert view.summary_label.text() == "正在计算各案件的期限……"
        assert view.busy_bar.isVisible() and view.busy_bar.maximum() == 0
        assert not view.refresh_button.isEnabled()
    assert view.busy_bar.isHidden() and view.refresh_button.isEnabled()
    assert view.cards[Group.OVERDUE].count_label.text() == "2"
    # A later refresh keeps the counts on screen while it computes.
    with qtbot.waitSignal(view.refreshed):
        view.refresh()
        assert view.busy_bar.isHidden() and view.cards[Group.OVERDUE].count_label.text() == "2"


def test_the_main_window_builds_a_screen_when_it_is_first_shown(
    qtbot: QtBot, seeded_session: Session
) -> None:
    window = MainWindow(seeded_session, lambda: TODAY)
    qtbot.addWidget(window)
    assert window.built_pages() == []
    window.show()
    qtbot.waitUntil(lambda: window.today_view.worklist is not None)  # 待办 computed after the first paint
    assert window.built_pages() == [window.today_view]
    window.nav.setCurrentRow(NAV_SETTINGS)
    assert window.built_pages() == [window.today_view, window.settings_page]
    assert window.stack.currentWidget() is window.settings_page
    window.nav.setCurrentRow(NAV_TODAY)
    assert window.stack.currentWidget() is window.today_view
    assert len(window.built_pages()) == 2


def test_cards_count_each_group_and_start_on_the_most_urgent(qtbot: QtBot, seeded_session: Session) -> None:
    view = _view(qtbot, seeded_session)
    counts = {g: view.cards[g].count_label.text() for g in Group}
    assert counts == {
        Group.OVERDUE: "2",
        Group.DUE_TODAY: "1",
        Group.WITHIN_3: "1",
        Group.WITHIN_5: "1",
        Group.PAUSED: "1",
        Group.AWAITING_CORRECTION: "1",
        Group.AWAITING_CONFIRMATION: "1",
        Group.AWAITING_REVIEW: "0",
    }
    assert view.summary_label.text() == "办理中 9 件，其中 1 件期限尚宽裕"
    assert view.current_group() is Group.OVERDUE and view.cards[Group.OVERDUE].isChecked()
    overdue = view.lists[Group.OVERDUE]
    assert view.stack.currentWidget() is overdue
    model = overdue.model
    assert isinstance(model, CaseRowsModel)
    assert _column(model, 0) == ["2026-0009", "2026-0001"]
    assert _column(model, 3) == ["2026-10-15 周四", "2026-10-19 周一"]
    assert _column(model, 4) == ["逾期3个工作日", "逾期1个工作日"]
    assert _column(model, 1) == ["申请人09", "申请人01"]
    assert model.headerData(4, Qt.Orientation.Horizontal) == "剩余工作日"


def test_each_group_lists_its_cases_with_what_the_clerk_waits_for(
    qtbot: QtBot, seeded_session: Session
) -> None:
    view = _view(qtbot, seeded_session)

    def rows(group: Group) -> list[list[str]]:
        model = view.lists[group].model
        return [[model.data(model.index(r, c)) for c in range(6)] for r in range(model.rowCount())]

    assert rows(Group.DUE_TODAY)[0][3:] == ["2026-10-20 周二", "今日到期", "2026-09-16 周三收到申请"]
    assert rows(Group.WITHIN_3)[0][3:5] == ["2026-10-22 周四", "2个工作日"]
    assert rows(Group.WITHIN_5)[0][3:5] == ["2026-10-27 周二", "5个工作日"]
    assert rows(Group.PAUSED) == [
        [
            "2026-0008",
            "申请人08",
            "2026-0008号申请的内容",
            "2026-11-26 周四",
            "27个工作日",
            "暂停计时至2026-11-04 周三（征求意见）",
        ]
    ]
    assert rows(Group.AWAITING_CORRECTION)[0][3:] == ["—", "—", "补正期限至2026-10-30 周五"]
    assert rows(Group.AWAITING_CONFIRMATION)[0][5] == "电子邮件，2026-10-19 周一到达，待与申请人确认收到"

    view.cards[Group.PAUSED].click()
    assert view.current_group() is Group.PAUSED
    assert view.stack.currentWidget() is view.lists[Group.PAUSED]
    assert view.group_title.text().startswith("暂停计时（1件）")

    review = view.lists[Group.AWAITING_REVIEW]
    assert review.model.rowCount() == 0
    assert review.empty_label.isVisibleTo(review) and not review.table.isVisibleTo(review)


def test_a_drafted_letter_shows_up_for_review_after_a_refresh(qtbot: QtBot, seeded_session: Session) -> None:
    view = _view(qtbot, seeded_session)
    with seeded_session.write() as uow:
        prepare_letter(uow, "2026-0005", "receipt", today=TODAY, actor="经办人")
    with qtbot.waitSignal(view.refreshed):
        view.refresh_button.click()
    assert view.cards[Group.AWAITING_REVIEW].count_label.text() == "1"
    model = view.lists[Group.AWAITING_REVIEW].model
    assert [model.data(model.index(0, c)) for c in (0, 2, 4, 5)] == [
        "2026-0005",
        "登记回执",
        "待审核",
        "拟稿：经办人",
    ]
    assert model.data(model.index(0, 3)).startswith("某区自然资源依公开登〔2026〕")


def test_double_clicking_a_row_opens_the_case_page_with_its_trace(
    qtbot: QtBot, seeded_session: Session
) -> None:
    window = MainWindow(seeded_session, lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.today_view.worklist is not None)
    assert window.folder_label.text() == f"数据文件夹：{seeded_session.home}"
    assert window.mode_label.text().endswith("密钥保存：系统密钥库")
    assert window.windowTitle() == "依申请公开办理台 — 某市某区自然资源局"

    today = window.today_view
    today.cards[Group.DUE_TODAY].click()
    table = today.lists[Group.DUE_TODAY].table
    index: QModelIndex = table.model().index(0, 1)
    with qtbot.waitSignal(today.case_activated) as signal:
        pos = table.visualRect(index).center()
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert signal.args == ["2026-0002"]

    page = window.case_page
    assert window.stack.currentWidget() is page
    assert page.title_label.text() == "案件 2026-0002 · 申请人02"
    assert page.due_labels["reply_due"].text() == "2026-10-20 周二"
    assert page.due_labels["days_left"].text() == "今日到期"
    trace = page.trace_table
    steps = [trace.model().index(r, 1).data() for r in range(trace.rowCount())]
    # 20 counted working days, each one a step, plus the start and the explanations.
    assert sum("计入，第" in s for s in steps) == 20
    assert trace.model().index(0, 0).data() == "2026-09-16 周三"
    assert page.events.note.isVisibleTo(page) and not page.events_table.isVisibleTo(page)

    with qtbot.waitSignal(today.refreshed):  # back on the list, it is recomputed
        page.back_button.click()
    assert window.stack.currentWidget() is today
    assert window.nav.currentRow() == NAV_TODAY


def test_settings_saves_the_profile_and_the_window_follows(qtbot: QtBot, seeded_session: Session) -> None:
    window = MainWindow(seeded_session, lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(NAV_SETTINGS)
    page = window.settings_page
    assert window.stack.currentWidget() is page
    assert page.form.edits["name"].text() == "某市某区自然资源局"
    page.form.edits["name"].setText("")
    page.save_button.click()
    assert page.message_label.text() == "机关名称：不能为空"
    page.form.edits["name"].setText("某市某区规划和自然资源局")
    page.save_button.click()
    assert page.message_label.text() == "已保存。"
    assert window.agency_label.text() == "某市某区规划和自然资源局"


def test_closing_the_main_window_stops_a_long_job_instead_of_waiting_for_it(
    qtbot: QtBot, seeded_session: Session
) -> None:
    window = MainWindow(seeded_session, lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.today_view.worklist is not None)
    started = threading.Event()
    steps: list[int] = []

    def long_import(progress: Progress) -> None:
        started.set()
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 20:  # a cancel ends it sooner
            progress.step(len(steps), 0, "正在导入")
            steps.append(1)
            time.sleep(0.005)

    window.runner.submit_long(long_import, lambda _result: None)
    assert started.wait(10)
    t0 = time.perf_counter()
    window.close()
    assert time.perf_counter() - t0 < 5
    assert window.runner.wait(0)  # nothing is left running on the closed session


def test_the_status_bar_names_the_current_user_and_follows_a_role_change(
    qtbot: QtBot, seeded_session: Session
) -> None:
    window = MainWindow(seeded_session, lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    assert window.user_label.text() == "当前用户：测试（测试）· 管理员"
    window.nav.setCurrentRow(NAV_SETTINGS)
    panel = window.settings_page.users_panel
    panel.login_edit.setText("lihua")
    panel.name_edit.setText("李华")
    panel.role_combo.setCurrentIndex(panel.role_combo.findData("admin"))
    panel.add_button.click()
    assert panel.select("测试")
    panel.edit_role.setCurrentIndex(panel.edit_role.findData("reviewer"))
    panel.save_button.click()
    assert window.user_label.text() == "当前用户：测试（测试）· 审核人"
