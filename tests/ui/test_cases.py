"""The 案件 screen on a seeded encrypted data folder: rows, instant Chinese search, filters, sorting, opening."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.conftest import SEED, TODAY, case, seed_cases
from ui.cases.model import COL_DUE, COL_NUMBER, COL_STATUS, CaseTableModel
from ui.cases.page import CaseListPage
from ui.main_window import NAV_CASES, MainWindow
from ui.session import Session

MORE = [
    case(
        "2026-0010",
        "2026-10-12",
        applicant={"kind": "natural_person", "name": "张三"},
        items=[{"description": "某村集体土地征收补偿安置方案", "form": "paper", "delivery": "post"}],
        tags=["土地征收"],
    ),
    case(
        "2026-0011",
        "2026-10-13",
        channel="online",
        applicant={"kind": "business", "name": "张三丰商贸有限公司"},
        items=[{"description": "房屋征收决定", "form": "paper", "delivery": "post"}],
        events=[{"type": "receipt_confirmed", "date": "2026-10-13", "method": "电话", "by": "经办人"}],
    ),
]


@pytest.fixture
def session(seeded_session: Session) -> Iterator[Session]:
    seed_cases(seeded_session, MORE)
    yield seeded_session


def numbers(model: CaseTableModel) -> list[str]:
    return [model.data(model.index(r, COL_NUMBER)) for r in range(model.rowCount())]


def _page(qtbot: QtBot, session: Session) -> CaseListPage:
    page = CaseListPage(session, lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.refresh()
    return page


def _search(qtbot: QtBot, page: CaseListPage, text: str) -> list[str]:
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.search_edit.setText(text)  # debounced: one query for the whole text
    return sorted(numbers(page.model))


def test_the_list_shows_every_case_newest_first_with_its_deadline(qtbot: QtBot, session: Session) -> None:
    page = _page(qtbot, session)
    assert page.count_label.text() == f"共 {len(SEED) + len(MORE)} 件"
    assert numbers(page.model)[:3] == ["2026-0011", "2026-0010", "2026-0009"]
    row = numbers(page.model).index("2026-0009")
    model = page.model
    assert model.data(model.index(row, COL_DUE)) == "2026-10-15 周四"
    assert model.data(model.index(row, COL_STATUS)) == "逾期3个工作日"
    assert (
        model.data(model.index(row, COL_STATUS), Qt.ItemDataRole.ForegroundRole).color().name() == "#b3261e"
    )


def test_search_finds_names_and_words_of_any_length(qtbot: QtBot, session: Session) -> None:
    page = _page(qtbot, session)
    assert _search(qtbot, page, "张三") == ["2026-0010", "2026-0011"]
    assert _search(qtbot, page, "征收") == ["2026-0010", "2026-0011"]
    assert _search(qtbot, page, "土地征收") == ["2026-0010"]
    assert _search(qtbot, page, "张") == ["2026-0010", "2026-0011"]
    assert _search(qtbot, page, "张三 房屋") == ["2026-0011"]
    assert page.count_label.text() == "找到 1 件"
    assert _search(qtbot, page, "赵钱孙") == []
    assert page.empty_label.isVisible() and "赵钱孙" in page.empty_label.text()
    assert len(_search(qtbot, page, "")) == len(SEED) + len(MORE)


def test_filters_narrow_the_rows(qtbot: QtBot, session: Session) -> None:
    page = _page(qtbot, session)

    def choose(combo_name: str, data: object) -> list[str]:
        combo = getattr(page, combo_name)
        with qtbot.waitSignal(page.listed, timeout=10_000):
            combo.setCurrentIndex(combo.findData(data))
        return sorted(numbers(page.model))

    assert choose("status_combo", "overdue") == ["2026-0001", "2026-0009"]
    assert choose("status_combo", "due_today") == ["2026-0002"]
    assert choose("status_combo", None) and choose("channel_combo", "online") == ["2026-0011"]
    assert choose("channel_combo", None) and choose("kind_combo", "business") == ["2026-0011"]
    assert choose("kind_combo", None) and choose("tag_combo", "土地征收") == ["2026-0010"]
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.clear_button.click()
    assert page.model.rowCount() == len(SEED) + len(MORE)
    assert page.year_combo.findData(2026) > 0


def test_a_header_click_sorts_by_due_date(qtbot: QtBot, session: Session) -> None:
    page = _page(qtbot, session)
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.table.sortByColumn(COL_DUE, Qt.SortOrder.AscendingOrder)
    assert numbers(page.model)[:3] == ["2026-0009", "2026-0001", "2026-0002"]


def test_enter_opens_the_case_and_closing_returns_to_the_list(qtbot: QtBot, session: Session) -> None:
    window = MainWindow(session, lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    page = window.cases_page
    with qtbot.waitSignal(page.listed, timeout=10_000):
        window.nav.setCurrentRow(NAV_CASES)
    assert window.stack.currentWidget() is page
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.search_edit.setText("土地征收")
    page.search_edit.setFocus()
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)  # into the list, first row selected
    assert page.selected_number() == "2026-0010"
    with qtbot.waitSignal(page.case_activated) as signal:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert signal.args == ["2026-0010"]
    assert window.stack.currentWidget() is window.case_page
    assert window.case_page.title_label.text() == "案件 2026-0010 · 张三"
    with qtbot.waitSignal(page.listed, timeout=10_000):
        window.case_page.back_button.click()
    assert window.stack.currentWidget() is page
    assert window.nav.currentRow() == NAV_CASES
