"""Registration through the form's widgets: checks as you type, the duplicate warning, save, the 登记回执."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.services.cases import get_case
from tests.ui.conftest import TODAY
from ui.main_window import NAV_REGISTER, MainWindow
from ui.register.page import RegistrationPage
from ui.session import Session


def type_into(qtbot: QtBot, widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Type like a clerk: keys for ASCII, an input-method commit for Chinese (QTest types ASCII only)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
    elif isinstance(widget, QLineEdit):
        widget.insert(text)
    else:
        widget.insertPlainText(text)


@pytest.fixture
def window(qtbot: QtBot, seeded_session: Session) -> MainWindow:
    window = MainWindow(seeded_session, lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.nav.setCurrentRow(NAV_REGISTER)
    page = window.register_page
    qtbot.waitUntil(lambda: page.checked is not None, timeout=10_000)
    return window


def looked_up(qtbot: QtBot, page: RegistrationPage) -> list[str]:
    """The duplicate list once the look-up asked for by the last check has answered."""
    qtbot.waitUntil(lambda: not page.dup_pending, timeout=10_000)
    return page.duplicate_numbers()


def test_register_in_person_then_print_the_receipt(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page: RegistrationPage = window.register_page
    assert window.stack.currentWidget() is page
    assert page.channel.currentData() == "in_person"
    assert page.received.isVisible() and not page.awaiting_check.isVisible()

    page.validate()
    assert page.fields["applicant.name"].message.text() == "不能为空"
    assert page.item_editors[0].fields["description"].message.text() == "不能为空"
    assert not page.save_button.isEnabled()

    type_into(qtbot, page.name, "申请人01")  # the seed's applicant 2026-0001, same phone
    type_into(qtbot, page.phone, "13800000000")
    type_into(qtbot, page.item_editors[0].description, "2026-0001号申请的内容")
    page.validate()
    assert page.fields["applicant.name"].message.isHidden()
    # Art 29: no identity proof is a warning (a 补正 can ask for it), not a bar to registering.
    assert page.fields["applicant.id_number"].message.text().startswith("未提供身份证明")
    assert page.save_button.isEnabled()
    assert looked_up(qtbot, page)[0] == "2026-0001"
    assert "同一姓名和电话" in page.duplicates.item(0).text()

    second = page.add_item()
    type_into(qtbot, second.description, "某项目用地预审意见")
    second.delivery.setCurrentIndex(second.delivery.findData("email"))
    page.id_type.setCurrentIndex(page.id_type.findData("居民身份证"))
    type_into(qtbot, page.id_number, "110101199001011234")
    scan = tmp_path / "申请表.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    page.set_attachment(scan)

    case = page.save()
    assert case is not None and case.number == "2026-0010"  # nine seed cases in 2026
    # The case as stored: its clerk (经办人) is whoever registered it.
    assert page.result_label.text() == "已登记：2026-0010（收到申请日期 2026-10-20；经办人 测试）"
    with page.session.read() as uow:
        stored = get_case(uow, "2026-0010")
        (ref,) = uow.attachments.list_for_case(stored.id)
    assert stored.clerk == "测试" and page.saved == stored
    assert [i.description for i in stored.items] == ["2026-0001号申请的内容", "某项目用地预审意见"]
    assert stored.applicant.id_number == "110101199001011234" and ref.name == "申请表.pdf"

    letter = page.print_receipt()
    assert letter is not None
    qtbot.addWidget(letter)
    qtbot.waitUntil(lambda: letter.pdf is not None, timeout=10_000)
    assert letter.record is not None and letter.record.kind == "receipt"
    assert letter.record.doc_number.endswith("〔2026〕1号")
    assert letter.title_label.text() == f"登记回执 · {letter.record.doc_number}"

    # A duplicate opens its case.
    page.clear()
    qtbot.waitUntil(lambda: page.checked == 10, timeout=10_000)
    type_into(qtbot, page.id_number, "110101199001011234")
    page.validate()
    assert looked_up(qtbot, page) == ["2026-0010"]
    assert page.dup_note.text().startswith("以下1件已登记的申请与本申请相似")
    # The text of the case registered before 登记下一件 is in the search index now.
    type_into(qtbot, page.item_editors[0].description, "某项目用地预审意见")
    page.validate()
    assert looked_up(qtbot, page) == ["2026-0010"]
    assert page.duplicates.item(0).text().endswith("同一证件号码；申请内容相近（100%）")
    page.duplicates.itemClicked.emit(page.duplicates.item(0))
    assert window.stack.currentWidget() is window.case_page
    assert window.case_page.case is not None and window.case_page.case.number == "2026-0010"


def test_email_channel_asks_for_the_confirmation_or_waits(qtbot: QtBot, window: MainWindow) -> None:
    page = window.register_page
    page.channel.setCurrentIndex(page.channel.findData("email"))
    assert page.awaiting_check.isVisible() and page.confirm_date.isVisible()
    assert not page.received.isVisible()
    assert "确认之日" in page.rule_label.text()
    type_into(qtbot, page.name, "李四")
    type_into(qtbot, page.email, "lisi@example.com")
    type_into(qtbot, page.item_editors[0].description, "某街道2025年财政预算")
    page.confirm_date.setDate(page.confirm_date.date().addDays(1))
    page.validate()
    assert page.fields["confirmation.date"].message.text().startswith("日期2026-10-21晚于今天")
    page.awaiting_check.setChecked(True)
    assert not page.confirm_date.isVisible()
    case = page.save()
    assert case is not None and case.received is None
    assert "待确认收到" in page.result_label.text()
    assert not page.receipt_button.isEnabled()


def test_oral_application_records_who_filled_it_in(qtbot: QtBot, window: MainWindow) -> None:
    page = window.register_page
    page.channel.setCurrentIndex(page.channel.findData("oral"))
    type_into(qtbot, page.name, "王五")
    type_into(qtbot, page.item_editors[0].description, "某村低保名单")
    page.validate()
    assert page.fields["oral_filled_by"].message.text().startswith("口头申请须记录代为填写人")
    assert not page.save_button.isEnabled()
    type_into(qtbot, page.oral_filled_by, "窗口工作人员赵敏")
    page.validate()
    case = page.save()
    assert case is not None and case.oral_filled_by == "窗口工作人员赵敏"
