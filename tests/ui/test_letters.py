"""Letters on the case page: a reply with mixed findings from draft to review, print, save and 送达."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from app.domain.letters import LetterStatus
from app.domain.model import Delivered, Replied
from app.domain.users import SELF_REVIEW_NOTE
from app.letters import Role
from app.services.cases import get_case
from app.services.letters import PROOF_KIND, deliveries_of, get_letter
from app.services.users import add_user
from tests.ui.conftest import TODAY, case, seed_cases
from ui.case.page import CasePage
from ui.letters.pages import prepare_printer
from ui.letters.text import LOCK_REASONS
from ui.letters.window import LetterWindow
from ui.session import Session

NUMBER = "2026-0100"
MIXED = case(
    NUMBER,
    "2026-09-28",
    items=[
        {
            "description": "2025年某村土地征收补偿安置方案",
            "form": "paper",
            "delivery": "post",
            "finding": "disclosed",
        },
        {
            "description": "某项目用地预审意见",
            "form": "electronic",
            "delivery": "email",
            "finding": "partly_disclosed",
            "reasons": "其中第3页含有个人身份证号码，已作区分处理",
        },
        {
            "description": "某项目专题会议纪要",
            "form": "paper",
            "delivery": "pickup",
            "finding": "withheld.process_info",
            "reasons": "该纪要系内部研究讨论记录",
        },
    ],
    applicant={
        "kind": "natural_person",
        "name": "张三",
        "phone": "13800000000",
        "email": "zhangsan@example.com",
        "address": "某市某街2号",
    },
)
NO_REASONS = case(
    "2026-0101",
    "2026-09-28",
    items=[
        {"description": "某会议纪要", "form": "paper", "delivery": "post", "finding": "withheld.process_info"}
    ],
)


@pytest.fixture
def page(qtbot: QtBot, seeded_session: Session) -> CasePage:
    seed_cases(seeded_session, [MIXED, NO_REASONS])
    page = CasePage(seeded_session, lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    return page


def _action(page: CasePage, label: str) -> QAction:
    return next(a for a in page.letters_panel.new_menu.actions() if a.text() == label)


def _draft(qtbot: QtBot, page: CasePage, label: str) -> LetterWindow:
    _action(page, label).trigger()
    (window,) = page.letters_panel.windows.values()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.pdf is not None, timeout=10_000)
    return window


def _pdf_text(data: bytes) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def test_reply_with_mixed_findings_from_draft_to_delivery(
    qtbot: QtBot, page: CasePage, tmp_path: Path
) -> None:
    session = page.session
    assert page.show_case(NUMBER)
    panel = page.letters_panel
    assert panel.table.rowCount() == 0 and panel.note.isVisibleTo(panel)

    window = _draft(qtbot, page, "答复书")
    record = window.record
    assert record is not None and record.status == LetterStatus.DRAFT
    doc_number = record.doc_number
    assert doc_number.endswith("〔2026〕1号")
    assert panel.row_values(0) == [doc_number, "答复书", "草稿", "待审核", ""]
    assert window.title_label.text() == f"答复书 · {doc_number}"
    # The preview shows the rendered PDF's pages.
    assert window.preview.page_labels and not window.preview.page_labels[0].pixmap().isNull()

    # Locked paragraphs are shown greyed, read-only, with the reason; the remedy clause among them.
    assert window.letter is not None
    paragraphs = window.letter.paragraphs
    remedy = next(i for i, p in enumerate(paragraphs) if p.role == Role.REMEDY)
    window.paragraph_list.setCurrentRow(remedy)
    assert window.paragraph_edit.isReadOnly()
    assert window.paragraph_edit.toolTip() == LOCK_REASONS[Role.REMEDY]
    assert window.paragraph_list.item(remedy).toolTip() == LOCK_REASONS[Role.REMEDY]
    assert not window.save_paragraph_button.isEnabled()

    # Edit a free paragraph: stored, marked, and in the preview's PDF.
    free = next(i for i, p in enumerate(paragraphs) if p.editable)
    window.paragraph_list.setCurrentRow(free)
    assert not window.paragraph_edit.isReadOnly() and window.save_paragraph_button.isEnabled()
    window.paragraph_edit.setPlainText("经认真审查，现答复如下：")
    window.save_paragraph_button.click()
    qtbot.waitUntil(lambda: window.pdf is not None, timeout=10_000)
    assert "〔已修改〕经认真审查" in window.paragraph_list.item(free).text()
    assert window.revert_paragraph_button.isEnabled()
    assert "经认真审查" in _pdf_text(window.pdf or b"")

    # Send back: a comment is required first.
    window.return_button.click()
    assert not window.review_error.isHidden() and "审核意见" in window.review_error.text()
    window.comment_edit.setPlainText("第2项请写明区分处理的页码")
    window.return_button.click()
    assert window.status_label.text() == "草稿"
    assert [window.reviews_table.item(0, c).text() for c in (0, 2, 3)] == [
        "测试",
        "退回",
        "第2项请写明区分处理的页码",
    ]
    assert panel.row_values(0)[3] == "测试 退回：第2项请写明区分处理的页码"

    # Approve: the text is frozen (the edit survived the rebuild), paragraphs no longer editable.
    window.approve_button.click()
    assert window.status_label.text() == "已审核"
    assert window.message_label.text().endswith("已审核通过" + SELF_REVIEW_NOTE + "。")
    assert window.letter.paragraphs[free].text == "经认真审查，现答复如下："
    window.paragraph_list.setCurrentRow(free)
    assert window.paragraph_edit.isReadOnly() and not window.save_paragraph_button.isEnabled()
    assert window.issue_button.isEnabled() and not window.approve_button.isEnabled()

    # Issue: the reply is on the case's timeline and in the panel.
    window.issue_button.click()
    qtbot.waitUntil(lambda: window.pdf is not None, timeout=10_000)
    assert window.status_label.text() == "已签发"
    assert panel.row_values(0)[2:] == ["已签发", "测试 通过", "未登记送达"]
    events = [page.events_table.item(r, 1).text() for r in range(page.events_table.rowCount())]
    assert "答复" in events

    # Print to a PDF file through QPrinter (the rasterized pages at 300 dpi), and save as PDF.
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    pages = window.print_to(printer)
    assert printer.resolution() == 300
    assert pages == len(window.preview.images) == len(pypdf.PdfReader(printed).pages)
    saved = tmp_path / "答复书.pdf"
    assert window.save_pdf(saved)
    text = _pdf_text(saved.read_bytes())
    assert doc_number in text and "经认真审查，现答复如下" in text
    # 复议前置 (withheld and partly disclosed items): reconsideration first, then the court.
    assert "申请行政复议；对行政复议决定不服的" in text
    docx = tmp_path / "答复书.docx"
    assert window.save_docx(docx) and docx.read_bytes()[:2] == b"PK"

    # 送达 by post with a proof scan.
    proof = tmp_path / "回执.png"
    proof.write_bytes(b"\x89PNG scan of the EMS receipt")
    dialog = window.delivery_dialog()
    qtbot.addWidget(dialog)
    dialog.method_combo.setCurrentText("邮寄")
    dialog.tracking_edit.setText("EMS1234567890")
    dialog.received_check.setChecked(True)
    dialog.received_edit.setDate(dialog.received_edit.date().addDays(2))
    dialog.set_proof(proof)
    assert dialog.submit()
    window.delivery_recorded()
    assert window.deliveries_table.rowCount() == 1
    assert [window.deliveries_table.item(0, c).text() for c in range(5)] == [
        "2026-10-20",
        "邮寄",
        "EMS1234567890",
        "2026-10-22",
        "已附",
    ]
    assert panel.row_values(0)[4] == "2026-10-20 邮寄 单号 EMS1234567890 签收 2026-10-22（已附凭证）"

    # What the services recorded.
    with session.read() as uow:
        stored = get_letter(uow, record.id)
        the_case = get_case(uow, NUMBER)
        (delivered,) = deliveries_of(the_case, stored)
        proof_data = uow.attachments.get(str(delivered.extra["proof"]))
        (ref,) = uow.attachments.list_for_case(the_case.id)
    assert stored.status == LetterStatus.ISSUED and stored.issued_by == "测试"
    # 测试 is the folder's only user: the drafter approves alone, and the review says so.
    assert [(r.approved, r.comment) for r in stored.reviews] == [
        (False, "第2项请写明区分处理的页码"),
        (True, SELF_REVIEW_NOTE),
    ]
    assert stored.content["paragraphs"][free]["text"] == "经认真审查，现答复如下："
    assert isinstance(delivered, Delivered) and delivered.received == dt.date(2026, 10, 22)
    assert proof_data == proof.read_bytes() and ref.kind == PROOF_KIND
    assert [e.extra.get("letter") for e in the_case.events if isinstance(e, Replied)] == [doc_number]


def test_a_letter_the_case_cannot_have_yet_is_refused_in_chinese(qtbot: QtBot, page: CasePage) -> None:
    assert page.show_case(NUMBER)
    _action(page, "延期答复告知书").trigger()
    assert page.letters_panel.windows == {}
    assert page.letters_panel.error_label.text() == (
        "不能生成延期答复告知书：该案件还没有生成这份文书所需的办理记录"
    )
    assert page.letters_panel.table.rowCount() == 0


def test_issue_refused_lists_what_is_missing_and_cancel_needs_a_reason(qtbot: QtBot, page: CasePage) -> None:
    assert page.show_case("2026-0101")
    window = _draft(qtbot, page, "答复书")
    assert "第1项：该答复类型须说明理由" in window.missing_label.text()
    window.approve_button.click()
    window.issue_button.click()
    assert window.review_error.text().startswith("不能签发，文书缺少必备内容：")
    assert "· 第1项：该答复类型须说明理由" in window.review_error.text()
    assert window.status_label.text() == "已审核"

    window.cancel_button.click()
    assert "作废须填写理由" in window.review_error.text()
    window.cancel_reason_edit.setText("答复类型有误，重新拟稿")
    window.cancel_button.click()
    assert window.status_label.text() == "已作废"
    assert not window.cancel_button.isEnabled() and not window.issue_button.isEnabled()
    assert page.letters_panel.row_values(0)[2] == "已作废"


def _window(qtbot: QtBot, session: Session, letter_id: str) -> LetterWindow:
    """The letter window as another login opens it on the same folder."""
    window = LetterWindow(session, lambda: TODAY, NUMBER, letter_id)
    qtbot.addWidget(window)
    assert window.reload()
    qtbot.waitUntil(lambda: window.pdf is not None, timeout=10_000)
    return window


def test_review_buttons_follow_the_role_and_the_four_eyes_rule(
    qtbot: QtBot, page: CasePage, home: Path
) -> None:
    session = page.session
    with session.write() as uow:
        add_user(uow, session.actor, login="lihua", name="李华", role="reviewer")
        add_user(uow, session.actor, login="wangfang", name="王芳", role="clerk")
    assert page.show_case(NUMBER)
    drafted = _draft(qtbot, page, "答复书")  # drafted by 测试, the administrator
    assert drafted.record is not None
    letter_id = drafted.record.id

    # The drafter may send back but not approve their own draft while others could.
    assert drafted.return_button.isEnabled() and not drafted.approve_button.isEnabled()
    assert drafted.approve_button.toolTip().startswith("不能审核通过自己拟稿的文书（拟稿人：测试）")
    assert not drafted.review_role_note.isHidden()
    assert drafted.review_role_note.text() == drafted.approve_button.toolTip()
    assert not drafted.approve()  # the service refuses it too, in the same words
    assert drafted.review_error.text() == drafted.approve_button.toolTip()

    clerk_session = Session.open(home, actor="wangfang")
    reviewer_session = Session.open(home, actor="lihua")
    try:
        clerk = _window(qtbot, clerk_session, letter_id)
        reason = "只有审核人或管理员可以审核文书（审核通过或退回修改）；王芳（wangfang）的角色是经办人。"
        assert not clerk.approve_button.isEnabled() and not clerk.return_button.isEnabled()
        assert clerk.approve_button.toolTip() == clerk.return_button.toolTip() == reason
        assert clerk.review_role_note.text() == reason and not clerk.comment_edit.isEnabled()
        # Issue stays a status step: nothing to issue before the review.
        assert not clerk.issue_button.isEnabled()

        reviewer = _window(qtbot, reviewer_session, letter_id)
        assert reviewer.approve_button.isEnabled() and reviewer.return_button.isEnabled()
        assert reviewer.review_role_note.isHidden()
        assert reviewer.approve()
        assert reviewer.status_label.text() == "已审核"
        assert reviewer.message_label.text().endswith("已审核通过。")  # no one-person note here
        with reviewer_session.read() as uow:
            stored = get_letter(uow, letter_id)
        assert [(r.by, r.approved, r.comment) for r in stored.reviews] == [("lihua", True, "")]
        clerk.close()
        reviewer.close()
    finally:
        clerk_session.close()
        reviewer_session.close()
