"""The 案件 screen on a seeded encrypted data folder: rows, instant Chinese search, filters, sorting, opening."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.listing import Cursor, SortKey
from app.services.caselist import CasePage, CaseQuery, list_cases, more_cases, refresh_case_list
from app.services.cases import transfer_case
from tests.ui.conftest import SEED, TODAY, case, seed_cases
from ui.cases.model import COL_CLERK, COL_DUE, COL_NUMBER, COL_STATUS, CaseTableModel
from ui.cases.page import NO_CLERK, CaseListPage
from ui.main_window import NAV_CASES, MainWindow
from ui.session import Session

MORE = [
    case(
        "2026-0010",
        "2026-10-12",
        applicant={"kind": "natural_person", "name": "张三"},
        items=[{"description": "某村集体土地征收补偿安置方案", "form": "paper", "delivery": "post"}],
        tags=["土地征收"],
        clerk="zhang",
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


def test_the_clerk_column_filters_and_sorts(qtbot: QtBot, session: Session) -> None:
    page = _page(qtbot, session)
    model = page.model
    clerks = {
        model.data(model.index(r, COL_NUMBER)): model.data(model.index(r, COL_CLERK))
        for r in range(model.rowCount())
    }
    assert clerks["2026-0010"] == "zhang" and clerks["2026-0011"] == "—"
    assert model.headerData(COL_CLERK, Qt.Orientation.Horizontal) == "经办人"
    assert [page.clerk_combo.itemText(i) for i in range(page.clerk_combo.count())] == [
        "全部经办人",
        "未指定经办人",
        "zhang",
    ]
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.clerk_combo.setCurrentIndex(page.clerk_combo.findData("zhang"))
    assert numbers(model) == ["2026-0010"]
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.clerk_combo.setCurrentIndex(page.clerk_combo.findData(NO_CLERK))
    assert len(numbers(model)) == len(SEED) + len(MORE) - 1 and "2026-0010" not in numbers(model)
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.clear_button.click()
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.table.sortByColumn(COL_CLERK, Qt.SortOrder.DescendingOrder)
    assert numbers(model)[0] == "2026-0010"  # the one clerk first; the cases without one after


def test_selected_rows_go_to_the_batch_print_dialog(qtbot: QtBot, session: Session) -> None:
    page = _page(qtbot, session)
    assert not page.print_button.isEnabled()
    selection = page.table.selectionModel()
    flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
    for row in (3, 0, 1):  # the order of clicking does not matter: list order
        selection.select(page.model.index(row, 0), flags)
    assert page.print_button.isEnabled() and page.selection_label.text() == "已选 3 件"
    expected = [numbers(page.model)[r] for r in (0, 1, 3)]
    assert page.selected_numbers() == expected
    dialog = page.open_batch_print()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.numbers == expected
    dialog.close()
    selection.clearSelection()
    assert not page.print_button.isEnabled() and page.open_batch_print() is None


def test_scrolled_rows_are_read_again_rather_than_all_held(session: Session) -> None:
    """The model keeps a few pages, not every row fetched; rows read again are the same rows."""
    query = CaseQuery(sort=SortKey.RECEIVED)
    calls: list[object] = []

    def fetch(q: CaseQuery, cursor: Cursor | None, total: int) -> CasePage:
        calls.append(cursor)
        with session.read() as uow:
            return more_cases(uow, q, cursor, total=total, limit=2)

    with session.write() as uow:
        refresh_case_list(uow, TODAY)
    model = CaseTableModel(fetch, page_size=2, cached_pages=2)
    with session.read() as uow:
        model.set_page(query, list_cases(uow, query, limit=2))
    while model.canFetchMore():
        model.fetchMore()
    with session.read() as uow:
        everything = [r.number for r in list_cases(uow, query, limit=1000).rows]
    assert model.rowCount() == len(everything) == len(SEED) + len(MORE)
    assert model.held_rows() <= 4
    calls.clear()
    assert numbers(model) == everything  # from the top again: every evicted page read again
    assert len(calls) >= len(everything) // 2 - 2
    assert model.held_rows() <= 4
    assert model.find_number(everything[-1]) == len(everything) - 1
    assert model.find_number(everything[0]) is None  # not held any more: no reading to find it


def test_a_new_clerk_joins_the_filter_and_the_choice_made_stays(qtbot: QtBot, session: Session) -> None:
    page = _page(qtbot, session)
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.clerk_combo.setCurrentIndex(page.clerk_combo.findData("zhang"))
    with session.write() as uow:
        transfer_case(uow, "2026-0011", "li")  # elsewhere (the case page): the list index is stale
    with qtbot.waitSignal(page.listed, timeout=10_000):
        page.refresh()
    combo = page.clerk_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [None, NO_CLERK, "li", "zhang"]
    assert combo.currentData() == "zhang" and numbers(page.model) == ["2026-0010"]
    with qtbot.waitSignal(page.listed, timeout=10_000):
        combo.setCurrentIndex(combo.findData("li"))
    assert numbers(page.model) == ["2026-0011"]
