"""移交 on the case page: the case's 经办人 shown, handed to another clerk in one audited transaction."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import TODAY
from ui.case.page import CasePage
from ui.session import Session


def _case_page(qtbot: QtBot, session: Session, number: str) -> CasePage:
    page = CasePage(session, lambda: TODAY)
    qtbot.addWidget(page)
    page.show()
    assert page.show_case(number)
    return page


def test_the_case_is_handed_to_another_clerk(qtbot: QtBot, seeded_session: Session) -> None:
    page = _case_page(qtbot, seeded_session, "2026-0001")
    assert page.fact_labels["clerk"].text() == "未指定"  # imported history records no clerk
    dialog = page.open_transfer()
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nobody chosen yet
    dialog.clerk_combo.setEditText("  王科员 ")
    assert ok.isEnabled()
    with qtbot.waitSignal(dialog.transferred) as signal:
        ok.click()
    assert signal.args == ["王科员"]
    assert not dialog.isVisible()
    assert page.fact_labels["clerk"].text() == "王科员"
    with seeded_session.read() as uow:
        case = uow.cases.get_by_number("2026-0001")
        actor, action, payload = (
            uow._connection()  # type: ignore[attr-defined]
            .exec_driver_sql("SELECT actor, action, payload FROM audit ORDER BY seq DESC LIMIT 1")
            .one()
        )
    assert case is not None and case.clerk == "王科员"
    assert (actor, action) == ("测试", "case.update") and "王科员" in payload


def test_a_refused_clerk_keeps_the_dialog_open_with_the_reason(qtbot: QtBot, seeded_session: Session) -> None:
    page = _case_page(qtbot, seeded_session, "2026-0002")
    dialog = page.open_transfer()
    assert dialog is not None
    dialog.clerk_combo.setEditText("张" * 201)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.error_label.text().startswith("未能移交：") and "经办人" in dialog.error_label.text()
    with seeded_session.read() as uow:
        case = uow.cases.get_by_number("2026-0002")
    assert case is not None and case.clerk is None
    dialog.reject()
    assert page.fact_labels["clerk"].text() == "未指定"
