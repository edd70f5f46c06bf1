"""设置 → 工作日历, the journey "calendar edit moving a due date": a local rest day added through the
widgets, saved, the moved list shown and the case's due date changed; and importing a calendar file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from app.services.calendar_years import load_calendar
from app.services.worklist import case_deadline
from tests.ui.conftest import PASSPHRASE, TODAY, case, seed_cases
from ui.main_window import NAV_SETTINGS, MainWindow
from ui.session import Session
from ui.settings.page import TAB_CALENDAR

# Counted with the 2026 schedule (domain.md §3.1, §3.2): 2026-09-16 + 20 wd = 2026-10-20
# (9-20 Sun worked; 中秋 9-25…27 and 国庆 10-1…7 off; 10-10 Sat worked), the 17th counted day being
# Thursday 10-15. Make 10-15 a local rest day and the 20th counted day becomes Wednesday 10-21.
# 2026-10-16 + 20 wd = 2026-11-13 counts only days after 10-15: it does not move.
JOURNEY_SEED = [
    case("2026-0101", "2026-09-16"),
    case("2026-0102", "2026-10-16"),
    {
        **case("2026-0103", "2026-09-16"),
        "events": [{"type": "replied", "date": "2026-10-14", "outcome": "disclosed"}],
        "items": [
            {
                "description": "已答复的申请",
                "form": "paper",
                "delivery": "post",
                "finding": "disclosed",
                "reasons": "经检索，予以公开。",
            }
        ],
    },
]


@pytest.fixture
def encrypted_session(passphrase_home: Path) -> Iterator[Session]:
    """A passphrase-mode (SQLCipher) data folder with the journey's cases."""
    session = Session.open(passphrase_home, PASSPHRASE, actor="测试")
    try:
        seed_cases(session, JOURNEY_SEED)
        yield session
    finally:
        session.close()


def _due(session: Session, number: str) -> dt.date | None:
    with session.read() as uow:
        return case_deadline(uow, number, TODAY)[1].reply_due


def test_a_local_rest_day_moves_an_open_cases_due_date(qtbot: QtBot, encrypted_session: Session) -> None:
    assert _due(encrypted_session, "2026-0101") == dt.date(2026, 10, 20)
    assert _due(encrypted_session, "2026-0102") == dt.date(2026, 11, 13)
    window = MainWindow(encrypted_session, lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(NAV_SETTINGS)
    window.settings_page.tabs.setCurrentIndex(TAB_CALENDAR)
    panel = window.settings_page.calendar_panel
    assert panel.year() == 2026
    assert panel.status_label.text().startswith("国务院办公厅关于2026年部分节假日安排的通知")
    october = panel.months[9].calendar
    assert october.dateTextFormat(QDate(2026, 10, 1)).background().color().name() == "#fce8e6"  # 国庆
    assert october.dateTextFormat(QDate(2026, 10, 10)).background().color().name() == "#e8f0fe"  # 调休上班

    panel.select_date(dt.date(2026, 10, 15))
    assert panel.selected_label.text() == "已选中：2026-10-15 周四，工作日"
    assert not panel.save_button.isEnabled()
    panel.toggle_button.click()
    assert panel.local_list.count() == 1 and panel.local_list.item(0).text() == "2026-10-15 周四"
    assert october.dateTextFormat(QDate(2026, 10, 15)).background().color().name() == "#feefc3"
    assert panel.toggle_button.text() == "取消本机关休息日"
    assert panel.pending_label.text().startswith("尚未保存：2026年本机关补充休息日已修改")
    # Nothing is stored before 保存.
    assert _due(encrypted_session, "2026-0101") == dt.date(2026, 10, 20)

    panel.source_edit.setText("某自治县人民政府关于民族节日放假的通知")
    with qtbot.waitSignal(panel.saved, timeout=20_000):
        panel.save_button.click()
    assert panel.moved_rows() == [["2026-0101", "2026-10-20 周二", "2026-10-21 周三"]]
    assert panel.moved_table.isVisibleTo(panel)
    assert "以下 1 件在办案件的答复期限发生变化" in panel.message_label.text()
    assert panel.pending is None and not panel.save_button.isEnabled()
    assert _due(encrypted_session, "2026-0101") == dt.date(2026, 10, 21)
    assert _due(encrypted_session, "2026-0102") == dt.date(2026, 11, 13)
    with encrypted_session.read() as uow:
        local = load_calendar(uow).local_schedule(2026)
    assert local is not None and local.rest_days == {dt.date(2026, 10, 15)}
    assert local.source == "某自治县人民政府关于民族节日放假的通知"

    # Taking the day out again moves the case back.
    panel.local_list.setCurrentRow(0)
    panel.remove_button.click()
    with qtbot.waitSignal(panel.saved, timeout=20_000):
        panel.save_button.click()
    assert panel.moved_rows() == [["2026-0101", "2026-10-21 周三", "2026-10-20 周二"]]
    assert _due(encrypted_session, "2026-0101") == dt.date(2026, 10, 20)


def test_importing_a_calendar_file_shows_it_before_saving(
    qtbot: QtBot, encrypted_session: Session, tmp_path: Path
) -> None:
    window = MainWindow(encrypted_session, lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(NAV_SETTINGS)
    panel = window.settings_page.calendar_panel
    panel.set_year(2027)
    assert panel.status_label.text().startswith("尚未载入国务院办公厅2027年放假安排")

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "yishen-calendar/1", "year": 2027}', "utf-8")
    panel.import_file(bad)
    assert panel.message_label.text().startswith("无法导入：") and panel.pending is None

    good = tmp_path / "2027.json"
    good.write_text(
        json.dumps(
            {
                "format": "yishen-calendar/1",
                "year": 2027,
                "source": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
                "rest_days": ["2027-01-01", "2027-10-01", "2027-10-04"],
                "make_up_working_days": ["2027-10-09"],
                "local": False,
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    panel.import_file(good)
    assert panel.year() == 2027 and panel.pending is not None
    assert panel.status_label.text().startswith("国务院办公厅关于2027年部分节假日安排的通知（测试）")
    assert (
        panel.months[9].calendar.dateTextFormat(QDate(2027, 10, 9)).background().color().name() == "#e8f0fe"
    )
    with qtbot.waitSignal(panel.saved, timeout=20_000):
        panel.save_button.click()
    assert "在办案件的答复期限均未变化" in panel.message_label.text()
    assert not panel.moved_table.isVisibleTo(panel)
    with encrypted_session.read() as uow:
        assert load_calendar(uow).is_loaded(2027)
