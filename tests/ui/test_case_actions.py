"""The case page's actions: buttons follow the law, each dialog stores its event and offers its letter.

Dates counted by hand on the 2026 schedule (中秋 9-25…27, 国庆 10-1…7; make-up days Sun 9-20, Sat 10-10):
a receipt on 2026-09-16 is due 2026-10-20 (the worked example of domain.md §3.2).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLineEdit, QPlainTextEdit, QSpinBox
from pytestqt.qtbot import QtBot

from app.domain.letters import LetterRecord
from app.domain.model import (
    ConsultationReplied,
    CorrectionReceived,
    DelayNotified,
    Delivered,
    ExtensionApproved,
)
from app.letters import LetterKind
from app.services.actions import ActionKind, apply_action
from app.services.cases import get_case
from app.services.letters import issue_letter, prepare_letter, review_letter
from tests.ui.conftest import case, seed_cases
from ui.case.actions import ActionDialog
from ui.case.page import CasePage
from ui.session import Session

NUMBER = "2026-0200"


class Clock:
    def __init__(self, day: str) -> None:
        self.day = dt.date.fromisoformat(day)

    def set(self, day: str) -> None:
        self.day = dt.date.fromisoformat(day)

    def __call__(self) -> dt.date:
        return self.day


@pytest.fixture
def clock() -> Clock:
    return Clock("2026-09-18")


@pytest.fixture
def page(qtbot: QtBot, seeded_session: Session, clock: Clock) -> CasePage:
    seed_cases(seeded_session, [case(NUMBER, "2026-09-16")])
    page = CasePage(seeded_session, clock)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    assert page.show_case(NUMBER)
    return page


def _dialog(qtbot: QtBot, page: CasePage, kind: ActionKind) -> ActionDialog:
    button = page.action_bar.buttons[kind]
    assert button.isEnabled(), button.toolTip()
    button.click()
    dialog = page.action_bar.dialog
    assert dialog is not None and dialog.action.kind == kind
    qtbot.addWidget(dialog)
    return dialog


def _set_date(dialog: ActionDialog, key: str, day: str) -> None:
    edit = dialog.widgets[key]
    assert isinstance(edit, QDateEdit)
    d = dt.date.fromisoformat(day)
    edit.setDate(edit.date().fromString(d.isoformat(), "yyyy-MM-dd"))


def _text(dialog: ActionDialog, key: str, text: str) -> None:
    widget = dialog.widgets[key]
    assert isinstance(widget, QLineEdit | QPlainTextEdit)
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    else:
        widget.setPlainText(text)


def test_correction_then_received_restarts_the_shown_deadline(
    qtbot: QtBot, page: CasePage, clock: Clock
) -> None:
    bar = page.action_bar
    assert page.due_labels["reply_due"].text() == "2026-10-20 周二"
    assert page.due_labels["correction_notice_due"].text() == "2026-09-24 周四"
    assert not bar.buttons[ActionKind.RECEIVE_CORRECTION].isEnabled()
    assert bar.buttons[ActionKind.RECEIVE_CORRECTION].toolTip() == "尚未发出补正告知"

    dialog = _dialog(qtbot, page, ActionKind.REQUEST_CORRECTION)
    assert not dialog.submit()  # nothing listed to correct
    assert dialog.errors["points"].text() == "不能为空"
    _text(dialog, "points", "请写明所需信息的名称或文号")
    _set_date(dialog, "period_end", "2026-10-16")
    assert dialog.submit()
    assert page.state_text() == "待补正"
    assert bar.letter_button.isVisible() and bar.letter_button.text() == "生成补正告知书"
    assert not bar.buttons[ActionKind.REQUEST_CORRECTION].isEnabled()
    assert "只能发出一次" in bar.buttons[ActionKind.REQUEST_CORRECTION].toolTip()
    bar.letter_button.click()
    (window,) = page.letters_panel.windows.values()
    qtbot.addWidget(window)
    assert window.record is not None and window.record.kind == "correction"

    clock.set("2026-09-28")
    page.show_case(NUMBER)
    dialog = _dialog(qtbot, page, ActionKind.RECEIVE_CORRECTION)
    assert dialog.submit()
    # New day 0 = 9-28: 9-29, 9-30, 10-8, 10-9, 10-10 (make-up), 10-12…16, 10-19…23, 10-26…30 → 10-30.
    assert page.due_labels["reply_due"].text() == "2026-10-30 周五"
    stored = get_case_of(page)
    assert isinstance(stored.events[-1], CorrectionReceived)


def get_case_of(page: CasePage):  # type: ignore[no-untyped-def]
    with page.session.read() as uow:
        return get_case(uow, NUMBER)


def test_third_party_consultation_pauses_then_reply(qtbot: QtBot, page: CasePage, clock: Clock) -> None:
    clock.set("2026-09-21")
    page.show_case(NUMBER)
    dialog = _dialog(qtbot, page, ActionKind.CONSULT_THIRD_PARTY)
    _text(dialog, "name", "某某置业有限公司")
    _text(dialog, "reason", "申请公开的补偿协议涉及该公司商业信息")
    assert dialog.submit()
    assert page.action_bar.letter_button.text() == "生成征求第三方意见书"
    clock.set("2026-09-23")
    page.show_case(NUMBER)
    assert page.state_text() == "暂停计时"

    clock.set("2026-09-24")
    page.show_case(NUMBER)
    dialog = _dialog(qtbot, page, ActionKind.RECORD_OPINION)
    dialog.widgets["opinion"].setCurrentIndex(dialog.widgets["opinion"].findData("agree"))
    assert dialog.submit()
    assert isinstance(get_case_of(page).events[-1], ConsultationReplied)
    # Paused on 9-22, 9-23, 9-24 (3 working days): 10-20 → 10-23.
    assert page.due_labels["reply_due"].text() == "2026-10-23 周五"
    assert not page.action_bar.buttons[ActionKind.RECORD_OPINION].isEnabled()

    clock.set("2026-10-12")
    page.show_case(NUMBER)
    dialog = _dialog(qtbot, page, ActionKind.REPLY)
    assert len(dialog.items) == 1
    item = dialog.items[0]
    item.finding.setCurrentIndex(item.finding.findData("withheld.third_party"))
    assert not dialog.submit()
    assert "须说明理由" in item.errors["reasons"].text()
    item.reasons.setPlainText("该公司不同意公开，且公开会损害其合法权益")
    assert dialog.submit()
    assert page.state_text() == "已办结"
    assert page.action_bar.letter_button.text() == "生成答复书"
    assert get_case_of(page).items[0].finding == "withheld.third_party"


def test_extension_moves_the_due_date_and_a_second_is_refused(
    qtbot: QtBot, page: CasePage, clock: Clock
) -> None:
    clock.set("2026-10-19")
    page.show_case(NUMBER)
    dialog = _dialog(qtbot, page, ActionKind.EXTEND)
    spin = dialog.widgets["days"]
    assert isinstance(spin, QSpinBox) and spin.maximum() == 20
    spin.setValue(10)
    _text(dialog, "reason", "申请内容涉及多个年度的档案，需调阅核对")
    assert not dialog.submit()
    assert dialog.errors["approver"].text() == "不能为空"
    _text(dialog, "approver", "王主任")
    assert dialog.submit()
    # 10-20 + 10 wd: 10-21…23, 10-26…30, 11-2, 11-3.
    assert page.due_labels["reply_due"].text() == "2026-11-03 周二"
    button = page.action_bar.buttons[ActionKind.EXTEND]
    assert not button.isEnabled()
    assert button.toolTip().startswith("延期答复只能批准一次")
    assert page.action_bar.open_dialog(ActionKind.EXTEND) is None
    assert [type(e) for e in get_case_of(page).events] == [ExtensionApproved]


def test_delay_under_article_35_moves_the_due_date(qtbot: QtBot, page: CasePage, clock: Clock) -> None:
    clock.set("2026-10-12")
    page.show_case(NUMBER)
    bar = page.action_bar
    assert "条例第三十五条" in bar.buttons[ActionKind.DELAY].toolTip()
    dialog = _dialog(qtbot, page, ActionKind.DELAY)
    assert bar.hints[ActionKind.DELAY].startswith("当前答复期限：2026-10-20 周二")
    # The proposed until lies past the current due date (a month later), never before it.
    assert dialog.widgets["until"].date().toString("yyyy-MM-dd") == "2026-11-19"
    # How often the applicant asked (one case here, received 2026-09-16), added when the worker has counted.
    qtbot.waitUntil(lambda: "本月已提出" in dialog.hint_label.text(), timeout=10_000)
    assert dialog.hint_label.text().endswith("该申请人（申请人00）本月已提出0件申请，近12个月共1件。")
    _set_date(dialog, "until", "2026-10-20")
    _text(dialog, "reason", "申请人本月已提出35件申请，需逐件调阅档案")
    assert not dialog.submit()
    assert dialog.errors["until"].text() == "延迟答复期限须晚于当前答复期限（2026-10-20）"
    assert dialog.isVisible()
    _set_date(dialog, "until", "2026-11-20")
    assert dialog.submit()
    assert page.due_labels["reply_due"].text() == "2026-11-20 周五"
    assert bar.done_label.text() == "已记录：延迟答复。"
    assert not bar.letter_button.isVisible()  # domain.md §6 names no letter for the Art 35 notice
    (event,) = get_case_of(page).events
    assert isinstance(event, DelayNotified) and event.until == dt.date(2026, 11, 20)

    clock.set("2026-11-23")  # after the delayed due date: too late for another delay
    page.show_case(NUMBER)
    assert not bar.buttons[ActionKind.DELAY].isEnabled()
    assert bar.buttons[ActionKind.DELAY].toolTip().startswith("已超过答复期限（2026-11-20）")


def _issue_correction(page: CasePage, clock: Clock) -> LetterRecord:
    with page.session.write() as uow:
        today = clock()
        apply_action(
            uow,
            NUMBER,
            ActionKind.REQUEST_CORRECTION,
            {"period_end": "2026-10-16", "points": "写明文号"},
            today,
        )
        prepared = prepare_letter(uow, NUMBER, LetterKind.CORRECTION, today=today, actor="测试")
        review_letter(uow, prepared.record.id, reviewer="测试", approve=True, today=today)
        return issue_letter(uow, prepared.record.id, by="测试", today=today)


def test_deliver_an_issued_letter_with_its_proof_off_the_gui_thread(
    qtbot: QtBot, page: CasePage, clock: Clock, tmp_path: Path
) -> None:
    bar = page.action_bar
    assert not bar.buttons[ActionKind.DELIVER].isEnabled()
    assert bar.buttons[ActionKind.DELIVER].toolTip() == "没有已签发但尚未登记送达的文书或答复"
    issued = _issue_correction(page, clock)
    clock.set("2026-09-22")
    page.show_case(NUMBER)
    button = bar.buttons[ActionKind.DELIVER]
    assert button.isEnabled()
    button.click()
    dialog = bar.delivery
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    assert dialog.chosen().key == issued.id and issued.doc_number in dialog.intro.text()
    dialog.method_combo.setCurrentText("邮寄")
    dialog.date_edit.setDate(QDate(2026, 9, 18))

    # No tracking number: refused (in the worker), the dialog stays open with the reason.
    assert dialog.submit()
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=10_000)
    assert dialog.error_label.text() == "邮件单号：邮寄送达须填写邮件单号，以便查证送达和签收日期"
    assert dialog.isVisible() and dialog.buttons.isEnabled()

    proof = tmp_path / "邮寄回执.png"
    proof.write_bytes(b"\x89PNG scan of the EMS receipt")
    dialog.set_proof(proof)
    dialog.tracking_edit.setText("EMS1234567890")
    dialog.received_check.setChecked(True)
    dialog.received_edit.setDate(QDate(2026, 9, 21))
    assert dialog.submit()
    assert not dialog.buttons.isEnabled()  # while the worker stores the proof
    qtbot.waitUntil(lambda: bar.done_label.text() == "已记录：送达。", timeout=10_000)
    assert not dialog.isVisible()
    stored = get_case_of(page)
    (delivered,) = [e for e in stored.events if isinstance(e, Delivered)]
    assert (delivered.method, delivered.tracking, delivered.received) == (
        "邮寄",
        "EMS1234567890",
        dt.date(2026, 9, 21),
    )
    assert delivered.extra["letter"] == issued.doc_number
    with page.session.read() as uow:
        assert uow.attachments.get(str(delivered.extra["proof"])) == proof.read_bytes()
    # The page showed the case again: nothing left to deliver.
    assert not bar.buttons[ActionKind.DELIVER].isEnabled()


def test_closing_the_window_waits_for_a_delivery_being_stored(
    qtbot: QtBot, page: CasePage, clock: Clock, tmp_path: Path
) -> None:
    _issue_correction(page, clock)
    page.show_case(NUMBER)
    dialog = page.action_bar.open_delivery_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.method_combo.setCurrentText("当面")
    proof = tmp_path / "送达回证.pdf"
    proof.write_bytes(b"%PDF " + b"0" * 5_000_000)
    dialog.set_proof(proof)
    assert dialog.submit() and dialog.busy
    page.close()  # the main window closes the session right after: the worker must be done by then
    with page.session.read() as uow:
        stored = get_case(uow, NUMBER)
    assert [e.method for e in stored.events if isinstance(e, Delivered)] == ["当面"]
