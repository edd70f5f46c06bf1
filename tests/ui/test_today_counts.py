"""待办 shows the counts read from the case list's index before its lists, and they are the lists' counts."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.services.caselist import case_list_is_current
from app.services.worklist import Group
from tests.ui.conftest import TODAY, case, seed_cases
from ui.session import Session
from ui.today.view import TodayView


def _cards(view: TodayView) -> dict[Group, str]:
    return {g: view.cards[g].count_label.text() for g in Group}


def _view(qtbot: QtBot, session: Session) -> tuple[TodayView, list[tuple[dict[Group, str], bool, bool, str]]]:
    view = TodayView(session, lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    seen: list[tuple[dict[Group, str], bool, bool, str]] = []

    def on_counted() -> None:  # what the clerk sees at that moment, before the lists are computed
        seen.append(
            (_cards(view), view.worklist is None, view.busy_bar.isVisible(), view.summary_label.text())
        )

    view.counted.connect(on_counted)
    return view, seen


def test_the_counts_come_first_and_are_the_lists_counts(qtbot: QtBot, seeded_session: Session) -> None:
    view, seen = _view(qtbot, seeded_session)
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.refresh()
    # The index was never built: with a few cases building it is quick, so the view did, and
    # counted from it before computing the lists.
    with seeded_session.read() as uow:
        assert case_list_is_current(uow, TODAY)
    assert len(seen) == 1
    cards, no_lists_yet, busy, summary = seen[0]
    assert no_lists_yet and busy
    assert view.worklist is not None
    work = view.worklist
    assert cards == {g: str(work.count(g)) for g in Group} == _cards(view)
    assert cards[Group.OVERDUE] == "2"
    assert summary == f"办理中 {work.open_cases} 件，其中 {work.running} 件期限尚宽裕；正在读取各组案件……"
    assert view.summary_label.text() == f"办理中 {work.open_cases} 件，其中 {work.running} 件期限尚宽裕"
    assert view.busy_bar.isHidden()


def test_a_refresh_after_a_new_case_counts_it(qtbot: QtBot, seeded_session: Session) -> None:
    view, seen = _view(qtbot, seeded_session)
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.refresh()
    before = view.worklist
    assert before is not None
    # Received 9-10: due 10-14, overdue on 10-20 (the index is one case behind until refreshed).
    seed_cases(seeded_session, [case("2026-0099", "2026-09-10")])
    with seeded_session.read() as uow:
        assert not case_list_is_current(uow, TODAY)
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.refresh()
    assert len(seen) == 2
    cards, _, _, _ = seen[1]
    assert cards[Group.OVERDUE] == str(before.count(Group.OVERDUE) + 1) == _cards(view)[Group.OVERDUE]
    assert view.worklist is not None
    assert "2026-0099" in {r.number for r in view.worklist.cases[Group.OVERDUE]}
    assert view.worklist.open_cases == before.open_cases + 1
    with seeded_session.read() as uow:
        assert case_list_is_current(uow, TODAY)  # the one new case was indexed by the refresh
