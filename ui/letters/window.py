"""The letter window: the letter as it will print, its free paragraphs, review and issue, print, save, 送达.

The preview is the PDF that is saved and printed, rasterized (``ui.letters.pages``), rendered off the
GUI thread. Every change goes through ``app.services.letters`` in one unit of work; a draft is rebuilt
from the case whenever it is opened, with the clerk's paragraph edits reapplied.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QImage, QPixmap, QResizeEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import RuleError, YishenError
from app.domain.letters import LETTER_STATUS_LABELS, LetterRecord, LetterStatus
from app.domain.model import Delivered
from app.domain.users import SELF_REVIEW_NOTE, User, who
from app.letters import Letter, describe_missing, missing_parts
from app.services.cases import get_case
from app.services.letters import (
    DroppedEdit,
    cancel_letter,
    deliveries_of,
    dropped_edits,
    edit_letter_paragraph,
    edited_paragraphs,
    get_letter,
    issue_letter,
    letter_label,
    letter_of,
    prepare_letter,
    render_letter,
    reopen_letter,
    review_letter,
    review_refusal_for,
)
from app.services.settings import load_agency
from app.services.users import list_users
from ui.letters.delivery import DeliveryDialog
from ui.letters.pages import prepare_printer, print_pdf, render_pages
from ui.letters.text import LOCK_REASONS, ROLE_LABELS, say
from ui.session import Clock, Session
from ui.tasks import TaskRunner

PREVIEW_DPI = 110  # an A4 page 910 px wide: sharp at the preview's usual width, light to keep in memory
_STYLE = """
QScrollArea#preview { background: #e8eaed; border: none; }
QWidget#previewPages { background: #e8eaed; }
QLabel#page { background: white; border: 1px solid #c4c7c5; }
QLabel#warning { color: #7a4100; background: #fff4e5; border: 1px solid #f6c77d; border-radius: 4px; padding: 6px 8px; }
QLabel#missing { color: #b3261e; }
QLabel#ok { color: #137333; }
QLabel#lockNote { color: #5f6368; }
QPlainTextEdit[locked="true"] { background: #f1f3f4; color: #5f6368; }
QLabel#status { font-weight: bold; }
"""
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


def _plain(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setWordWrap(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setHighlightSections(False)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeRowsToContents()


def _when(timestamp: str | None) -> str:
    """A stored timestamp (ISO 8601, UTC) as the local minute it names."""
    if not timestamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(timestamp)
    except ValueError:
        return timestamp[:16].replace("T", " ")
    if moment.tzinfo is not None:
        moment = moment.astimezone()  # the clerk's time zone
    return moment.strftime("%Y-%m-%d %H:%M")


def delivery_text(event: Delivered) -> str:
    """``2026-10-21 邮寄 单号 EMS… 签收 2026-10-23（已附凭证）``."""
    parts = [event.date.isoformat(), event.method]
    if event.tracking:
        parts.append(f"单号 {event.tracking}")
    if event.received:
        parts.append(f"签收 {event.received.isoformat()}")
    text = " ".join(parts)
    return text + ("（已附凭证）" if event.extra.get("proof") else "")


class PagePreview(QScrollArea):
    """The pages one under another, scaled to the pane's width (never above their rendered size)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.images: list[QImage] = []
        self.page_labels: list[QLabel] = []
        inner = QWidget()
        inner.setObjectName("previewPages")
        self._column = QVBoxLayout(inner)
        self._column.setContentsMargins(16, 16, 16, 16)
        self._column.setSpacing(16)
        self.note = QLabel("正在生成预览…")
        self.note.setObjectName("emptyList")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self._column.addWidget(self.note)
        self._column.addStretch(1)
        self.setWidget(inner)

    def show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.show()

    def set_pages(self, images: list[QImage]) -> None:
        for label in self.page_labels:
            self._column.removeWidget(label)
            label.deleteLater()
        self.images = images
        self.page_labels = []
        for i, _image in enumerate(images):
            label = QLabel()
            label.setObjectName("page")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setToolTip(f"第{i + 1}页，共{len(images)}页")
            self._column.insertWidget(self._column.count() - 1, label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.note.setVisible(not images)
        self._scale()

    def _scale(self) -> None:
        width = max(200, self.viewport().width() - 34)
        for label, image in zip(self.page_labels, self.images, strict=True):
            pixmap = QPixmap.fromImage(image)
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.size() + QtCore.QSize(2, 2))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale()


class LetterWindow(QDialog):
    """One letter of one case, from draft to delivery.

    Signals:
        changed: the letter's record or the case's timeline changed (issue, delivery …); views refresh.
        rendered: the preview shows the current text (its PDF bytes are in ``pdf``).
    """

    changed = Signal(str)
    rendered = Signal()

    def __init__(
        self,
        session: Session,
        clock: Clock,
        case_number: str,
        letter_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setStyleSheet(_STYLE)
        self.session = session
        self.clock = clock
        self.case_number = case_number
        self.letter_id = letter_id
        self.record: LetterRecord | None = None
        self.users: list[User] = []  # for showing logins with their 姓名
        self.letter: Letter | None = None
        self.pdf: bytes | None = None
        self.font_setting = ""
        self.dropped: list[DroppedEdit] = []
        self.deliveries: list[Delivered] = []
        self.runner = TaskRunner(self)
        self._generation = 0
        self.resize(1280, 860)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        head = QHBoxLayout()
        self.title_label = _plain(name="pageTitle")
        self.title_label.setWordWrap(False)
        self.status_label = _plain(name="status")
        self.status_label.setWordWrap(False)
        head.addWidget(self.title_label)
        head.addSpacing(12)
        head.addWidget(self.status_label)
        head.addStretch(1)
        self.print_button = QPushButton("打印…")
        self.print_preview_button = QPushButton("打印预览…")
        self.save_pdf_button = QPushButton("另存为 PDF…")
        self.save_docx_button = QPushButton("另存为 DOCX…")
        for button in (
            self.print_button,
            self.print_preview_button,
            self.save_pdf_button,
            self.save_docx_button,
        ):
            head.addWidget(button)
        self.print_button.clicked.connect(self.print_letter)
        self.print_preview_button.clicked.connect(self.print_preview)
        self.save_pdf_button.clicked.connect(self._on_save_pdf_button_clicked)
        self.save_docx_button.clicked.connect(self._on_save_docx_button_clicked)
        layout.addLayout(head)

        self.warning_label = _plain(name="warning")
        self.warning_label.hide()
        layout.addWidget(self.warning_label)
        self.message_label = _plain(name="hint")
        self.message_label.hide()
        layout.addWidget(self.message_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.preview = PagePreview()
        splitter.addWidget(self.preview)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._paragraphs_tab(), "修改段落")
        self.tabs.addTab(self._review_tab(), "审核与签发")
        self.tabs.addTab(self._delivery_tab(), "送达")
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([700, 560])
        layout.addWidget(splitter, 1)

    # ------------------------------------------------------------------ building the tabs

    def _paragraphs_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        hint = _plain(
            "只能修改系统标为“可修改”的段落（说明性文字）。法律依据、答复意见和救济途径由系统生成，显示为灰色。"
            "修改会保存下来；案件信息变化后重新生成文书时，修改仍然保留，除非该段内容也随案件变化。",
            "hint",
        )
        layout.addWidget(hint)
        self.paragraph_list = QListWidget()
        self.paragraph_list.setWordWrap(True)
        self.paragraph_list.setAlternatingRowColors(True)
        self.paragraph_list.currentRowChanged.connect(self._on_paragraph_list_row_changed)
        layout.addWidget(self.paragraph_list, 3)
        self.paragraph_edit = QPlainTextEdit()
        self.paragraph_edit.setPlaceholderText("选择一个可修改的段落")
        self.paragraph_edit.setMinimumHeight(110)
        layout.addWidget(self.paragraph_edit, 2)
        self.lock_note = _plain(name="lockNote")
        layout.addWidget(self.lock_note)
        row = QHBoxLayout()
        self.paragraph_error = _plain(name="error")
        row.addWidget(self.paragraph_error, 1)
        self.revert_paragraph_button = QPushButton("恢复系统原文")
        self.save_paragraph_button = QPushButton("保存修改")
        self.save_paragraph_button.setDefault(False)
        self.save_paragraph_button.setAutoDefault(False)
        self.revert_paragraph_button.setAutoDefault(False)
        self.save_paragraph_button.clicked.connect(self._on_save_paragraph_button_clicked)
        self.revert_paragraph_button.clicked.connect(self._on_revert_paragraph_button_clicked)
        row.addWidget(self.revert_paragraph_button)
        row.addWidget(self.save_paragraph_button)
        layout.addLayout(row)
        return tab

    def _review_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        check_box = QGroupBox("签发前检查")
        check_layout = QVBoxLayout(check_box)
        self.missing_label = _plain()
        check_layout.addWidget(self.missing_label)
        layout.addWidget(check_box)

        sign_box = QGroupBox("审核签发")
        grid = QGridLayout(sign_box)
        grid.addWidget(QLabel("审核意见："), 0, 0, Qt.AlignmentFlag.AlignTop)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setPlaceholderText("退回修改或退回重拟时必须填写；审核通过时可不填")
        self.comment_edit.setFixedHeight(72)
        grid.addWidget(self.comment_edit, 0, 1, 1, 4)
        self.approve_button = QPushButton("审核通过")
        self.return_button = QPushButton("退回修改")
        self.reopen_button = QPushButton("退回重拟")
        self.reopen_button.setToolTip("已审核的文书退回草稿（案件在审核后有变化时）")
        self.issue_button = QPushButton("签发")
        self.issue_button.setToolTip("签发后成文日期为今天，答复书签发即记为已答复")
        self.approve_button.clicked.connect(self._on_approve_button_clicked)
        self.return_button.clicked.connect(self._on_return_button_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_button_clicked)
        self.issue_button.clicked.connect(self._on_issue_button_clicked)
        grid.addWidget(self.approve_button, 1, 1)
        grid.addWidget(self.return_button, 1, 2)
        grid.addWidget(self.reopen_button, 1, 3)
        grid.addWidget(self.issue_button, 1, 4)
        # Why this user may not approve or send back (role, own draft): the buttons' tooltip, shown here too.
        self.review_role_note = _plain(name="lockNote")
        self.review_role_note.hide()
        grid.addWidget(self.review_role_note, 2, 1, 1, 4)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        grid.addWidget(line, 3, 0, 1, 5)
        grid.addWidget(QLabel("作废理由："), 4, 0)
        self.cancel_reason_edit = QLineEdit()
        self.cancel_reason_edit.setMaxLength(2000)
        self.cancel_reason_edit.setPlaceholderText("必须填写；作废后文号保留在登记簿中，不再使用")
        grid.addWidget(self.cancel_reason_edit, 4, 1, 1, 3)
        self.cancel_button = QPushButton("作废")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        grid.addWidget(self.cancel_button, 4, 4)
        self.review_error = _plain(name="error")
        self.review_error.hide()
        grid.addWidget(self.review_error, 5, 0, 1, 5)
        for column in range(1, 5):
            grid.setColumnStretch(column, 1)
        layout.addWidget(sign_box)
        history_box = QGroupBox("审核记录")
        history_layout = QVBoxLayout(history_box)
        self.reviews_table = _table(("审核人", "时间", "结论", "意见"))
        header = self.reviews_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        history_layout.addWidget(self.reviews_table)
        self.issued_label = _plain(name="hint")
        history_layout.addWidget(self.issued_label)
        layout.addWidget(history_box, 1)

        return tab

    def _delivery_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.delivery_note = _plain(name="hint")
        layout.addWidget(self.delivery_note)
        self.deliveries_table = _table(("送达日期", "方式", "单号", "签收日期", "凭证"))
        header = self.deliveries_table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.deliveries_table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.deliver_button = QPushButton("登记送达…")
        self.deliver_button.clicked.connect(self.open_delivery_dialog)
        row.addWidget(self.deliver_button)
        layout.addLayout(row)
        return tab

    # ------------------------------------------------------------------ loading and showing

    def reload(self) -> bool:
        """Read the letter (a draft is rebuilt from the case first) and show it; False on an error."""
        try:
            with self.session.read() as uow:
                record = get_letter(uow, self.letter_id)
            if record.status == LetterStatus.DRAFT:
                with self.session.write() as uow:
                    prepared = prepare_letter(
                        uow,
                        self.case_number,
                        record.kind,
                        consultation_id=record.consultation_id,
                        today=self.clock(),
                        actor=self.session.actor,
                    )
                if prepared.record.id == record.id:
                    record = prepared.record
                    self.dropped = prepared.dropped
        except YishenError as exc:
            self._show_message(say(exc), error=True)
            return False
        self._show_record(record)
        return True

    def _show_record(self, record: LetterRecord) -> None:
        with self.session.read() as uow:
            case = get_case(uow, self.case_number)
            agency = load_agency(uow)
            self.users = list_users(uow)
        self.record = record
        self.letter = letter_of(record)
        self.font_setting = agency.font if agency else ""
        self.deliveries = deliveries_of(case, record)
        status = record.status
        self.setWindowTitle(f"{letter_label(record)} {record.doc_number} — 案件 {self.case_number}")
        self.title_label.setText(f"{letter_label(record)} · {record.doc_number}")
        self.status_label.setText(LETTER_STATUS_LABELS[status])
        self._show_dropped()
        self._fill_paragraphs()
        self._fill_review()
        self._fill_deliveries()
        draft = status == LetterStatus.DRAFT
        self._gate_review(record, draft)
        self.reopen_button.setEnabled(status == LetterStatus.REVIEWED)
        self.issue_button.setEnabled(status == LetterStatus.REVIEWED)
        # A draft's comment is for the reviewer; a reviewed letter's is the reason to send it back (any user).
        may_comment = self.approve_button.isEnabled() or self.return_button.isEnabled()
        self.comment_edit.setEnabled((draft and may_comment) or status == LetterStatus.REVIEWED)
        self.cancel_button.setEnabled(status != LetterStatus.CANCELLED)
        self.cancel_reason_edit.setEnabled(status != LetterStatus.CANCELLED)
        self.deliver_button.setEnabled(status == LetterStatus.ISSUED)
        self._render()

    def _gate_review(self, record: LetterRecord, draft: bool) -> None:
        """Approve and send back only for whom the service allows them, with the reason as tooltip."""
        approve_why = return_why = None
        if draft:
            with self.session.read() as uow:
                approve_why = review_refusal_for(uow, self.session.actor, record, approve=True)
                return_why = review_refusal_for(uow, self.session.actor, record, approve=False)
        self.approve_button.setEnabled(draft and approve_why is None)
        self.return_button.setEnabled(draft and return_why is None)
        self.approve_button.setToolTip(
            say(approve_why) if approve_why else "审核通过后文书内容固定，可以签发"
        )
        self.return_button.setToolTip(say(return_why) if return_why else "退回拟稿人修改，须写明审核意见")
        reasons = list(dict.fromkeys(say(e) for e in (return_why, approve_why) if e is not None))
        self.review_role_note.setText("\n".join(reasons))
        self.review_role_note.setVisible(bool(reasons))

    def _show_dropped(self) -> None:
        if not self.dropped or self.record is None or self.record.status != LetterStatus.DRAFT:
            self.warning_label.hide()
            return
        lines = ["案件信息变化后，以下段落已由系统重新生成，您原来的修改不再适用（如仍需要，请重新修改）："]
        for d in self.dropped:
            lines.append(f"第{d.index + 1}段，您的修改：{d.text}")
        self.warning_label.setText("\n".join(lines))
        self.warning_label.show()

    def _show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setObjectName("error" if error else "hint")
        self.message_label.style().unpolish(self.message_label)
        self.message_label.style().polish(self.message_label)
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _fill_paragraphs(self) -> None:
        assert self.letter is not None and self.record is not None
        edited = edited_paragraphs(self.record)
        current = max(self.paragraph_list.currentRow(), 0)
        self.paragraph_list.blockSignals(True)
        self.paragraph_list.clear()
        draft = self.record.status == LetterStatus.DRAFT
        for i, p in enumerate(self.letter.paragraphs):
            tag = "已修改" if i in edited else ROLE_LABELS[p.role]
            short = p.text if len(p.text) <= 60 else p.text[:60] + "…"
            item = QListWidgetItem(f"{i + 1}. 〔{tag}〕{short}")
            item.setData(Qt.ItemDataRole.UserRole, i)
            if p.editable and draft:
                item.setToolTip(p.text)
            elif p.editable:
                item.setToolTip("已审核或已签发的文书不能修改；如需修改，请先退回重拟。")
                item.setForeground(QColor("#80868b"))
            else:
                item.setToolTip(LOCK_REASONS[p.role])
                item.setForeground(QColor("#80868b"))
            self.paragraph_list.addItem(item)
        self.paragraph_list.blockSignals(False)
        first_editable = next((i for i, p in enumerate(self.letter.paragraphs) if p.editable), 0)
        row = current if 0 < current < self.paragraph_list.count() else first_editable
        self.paragraph_list.setCurrentRow(row)
        self._on_paragraph_list_row_changed(row)

    def _on_paragraph_list_row_changed(self, row: int) -> None:
        self.paragraph_error.clear()
        if self.letter is None or self.record is None or not 0 <= row < len(self.letter.paragraphs):
            self.paragraph_edit.clear()
            return
        p = self.letter.paragraphs[row]
        draft = self.record.status == LetterStatus.DRAFT
        editable = p.editable and draft
        self.paragraph_edit.setPlainText(p.text)
        self.paragraph_edit.setReadOnly(not editable)
        self.paragraph_edit.setProperty("locked", "false" if editable else "true")
        self.paragraph_edit.style().unpolish(self.paragraph_edit)
        self.paragraph_edit.style().polish(self.paragraph_edit)
        if not p.editable:
            reason = LOCK_REASONS[p.role]
        elif not draft:
            reason = "已审核或已签发的文书不能修改；如需修改，请先退回重拟。"
        else:
            reason = ""
        self.paragraph_edit.setToolTip(reason)
        self.lock_note.setText(("🔒 " + reason) if reason else f"第{row + 1}段可以修改。")
        self.save_paragraph_button.setEnabled(editable)
        self.revert_paragraph_button.setEnabled(editable and row in edited_paragraphs(self.record))

    def _fill_review(self) -> None:
        assert self.letter is not None and self.record is not None
        record = self.record
        missing = missing_parts(self.letter)
        if missing:
            self.missing_label.setObjectName("missing")
            self.missing_label.setText(
                "签发前须补齐：\n" + "\n".join(f"· {describe_missing(m)}" for m in missing)
            )
        else:
            self.missing_label.setObjectName("ok")
            self.missing_label.setText(
                "必备内容齐全：文号、主送、法律依据" + ("、救济途径" if self.letter.remedy else "") + "。"
            )
        self.missing_label.style().unpolish(self.missing_label)
        self.missing_label.style().polish(self.missing_label)
        _fill(
            self.reviews_table,
            [
                (who(self.users, r.by), _when(r.at), "通过" if r.approved else "退回", r.comment)
                for r in record.reviews
            ],
        )
        lines = [f"拟稿：{who(self.users, record.created_by)} {_when(record.created_at)}"]
        if record.issued_at:
            lines.append(f"签发：{who(self.users, record.issued_by or '')} {_when(record.issued_at)}")
        if record.cancelled_at:
            by = who(self.users, record.cancelled_by or "")
            lines.append(f"作废：{by} {_when(record.cancelled_at)}：{record.cancel_reason}")
        self.issued_label.setText("\n".join(lines))

    def _fill_deliveries(self) -> None:
        assert self.record is not None
        _fill(
            self.deliveries_table,
            [
                (
                    d.date.isoformat(),
                    d.method,
                    d.tracking or "",
                    d.received.isoformat() if d.received else "",
                    "已附" if d.extra.get("proof") else "",
                )
                for d in self.deliveries
            ],
        )
        if self.record.status == LetterStatus.ISSUED:
            note = "已签发。请登记每一次送达（方式、日期、签收与凭证）；救济期限自申请人收到之日起算。"
        else:
            note = "文书签发后才能登记送达。"
        self.delivery_note.setText(note)

    # ------------------------------------------------------------------ rendering (off the GUI thread)

    def _render(self) -> None:
        assert self.letter is not None
        self._generation += 1
        generation, letter, font = self._generation, self.letter, self.font_setting
        self.pdf = None
        self.preview.show_note("正在生成预览…")

        def work() -> tuple[int, bytes, list[QImage]]:
            pdf = render_letter(letter, "pdf", font=font)
            return generation, pdf, render_pages(pdf, PREVIEW_DPI)

        self.runner.submit(work, self._on_rendered, self._on_render_failed)

    def _on_rendered(self, result: tuple[int, bytes, list[QImage]]) -> None:
        generation, pdf, images = result
        if generation != self._generation:
            return  # an older text; the newer one is on its way
        self.pdf = pdf
        self.preview.set_pages(images)
        self.rendered.emit()

    def _on_render_failed(self, exc: YishenError) -> None:
        self.preview.set_pages([])
        self.preview.show_note(f"无法生成预览：{say(exc)}")

    def current_pdf(self) -> bytes:
        """The PDF the preview shows (rendered now if the preview is still on its way)."""
        if self.pdf is None:
            assert self.letter is not None
            self.pdf = render_letter(self.letter, "pdf", font=self.font_setting)
        return self.pdf

    # ------------------------------------------------------------------ printing and saving

    def print_to(self, printer: QPrinter) -> int:
        """Draw the letter on ``printer`` (already set up); returns the number of pages."""
        return print_pdf(printer, self.current_pdf())

    def print_letter(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer)
        printer.setDocName(self._file_stem())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印文书")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            pages = self.print_to(printer)
            self._show_message(f"已发送到打印机（{pages}页）。")

    def print_preview(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle("打印预览")
        dialog.paintRequested.connect(self.print_to)
        dialog.resize(900, 900)
        dialog.exec()

    def _file_stem(self) -> str:
        assert self.record is not None
        return _UNSAFE_FILENAME.sub("_", f"{self.record.doc_number}-{letter_label(self.record)}")

    def save_pdf(self, path: Path) -> bool:
        return self._write(path, self.current_pdf())

    def save_docx(self, path: Path) -> bool:
        assert self.letter is not None
        try:
            data = render_letter(self.letter, "docx")
        except YishenError as exc:
            self._show_message(say(exc), error=True)
            return False
        return self._write(path, data)

    def _write(self, path: Path, data: bytes) -> bool:
        try:
            path.write_bytes(data)
        except OSError as exc:
            self._show_message(f"未能保存到 {path}：{exc.strerror or exc}", error=True)
            return False
        self._show_message(f"已保存：{path}")
        return True

    def _ask_path(self, suffix: str, kind: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            f"另存为 {kind}",
            str(Path.home() / f"{self._file_stem()}.{suffix}"),
            f"{kind} 文件 (*.{suffix})",
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == f".{suffix}" else path.with_name(path.name + f".{suffix}")

    def _on_save_pdf_button_clicked(self) -> None:
        path = self._ask_path("pdf", "PDF")
        if path is not None:
            self.save_pdf(path)

    def _on_save_docx_button_clicked(self) -> None:
        path = self._ask_path("docx", "DOCX")
        if path is not None:
            self.save_docx(path)

    # ------------------------------------------------------------------ paragraph edits

    def _edit(self, text: str) -> None:
        row = self.paragraph_list.currentRow()
        try:
            with self.session.write() as uow:
                prepared = edit_letter_paragraph(uow, self.letter_id, row, text)
        except YishenError as exc:
            self.paragraph_error.setText(say(exc))
            return
        self.dropped = []
        self._show_record(prepared.record)
        self.changed.emit(self.letter_id)

    def _on_save_paragraph_button_clicked(self) -> None:
        self._edit(self.paragraph_edit.toPlainText())

    def _on_revert_paragraph_button_clicked(self) -> None:
        assert self.record is not None
        original = edited_paragraphs(self.record).get(self.paragraph_list.currentRow())
        if original is not None:
            self._edit(original)

    # ------------------------------------------------------------------ review, issue, cancel

    def _act(self, action: str, done: str) -> bool:
        """Run one review step through its service; show the outcome or the refusal."""
        comment = self.comment_edit.toPlainText().strip()
        today = self.clock()
        actor = self.session.actor
        self.review_error.hide()
        try:
            with self.session.write() as uow:
                if action == "approve":
                    record = review_letter(
                        uow, self.letter_id, reviewer=actor, approve=True, comment=comment, today=today
                    )
                elif action == "return":
                    record = review_letter(
                        uow, self.letter_id, reviewer=actor, approve=False, comment=comment, today=today
                    )
                elif action == "reopen":
                    record = reopen_letter(uow, self.letter_id, by=actor, reason=comment)
                elif action == "issue":
                    record = issue_letter(uow, self.letter_id, by=actor, today=today)
                else:
                    reason = self.cancel_reason_edit.text().strip()
                    record = cancel_letter(uow, self.letter_id, by=actor, reason=reason)
        except YishenError as exc:
            self._refused(exc)
            return False
        self.comment_edit.clear()
        self.cancel_reason_edit.clear()
        self.dropped = dropped_edits(record) if action in ("approve", "return") else []
        self._show_record(record)
        if self.dropped:
            # The case changed after the window was opened: say what the reviewer's text lost.
            self.warning_label.setText(
                "审核时文书已按最新案件信息重新生成，以下修改不再适用：\n"
                + "\n".join(f"第{d.index + 1}段，原修改：{d.text}" for d in self.dropped)
            )
            self.warning_label.show()
        if action == "approve" and record.reviews and record.reviews[-1].comment.endswith(SELF_REVIEW_NOTE):
            done += SELF_REVIEW_NOTE
        self._show_message(f"{letter_label(record)} {record.doc_number}：{done}。")
        self.changed.emit(self.letter_id)
        return True

    def _refused(self, exc: YishenError) -> None:
        if isinstance(exc, RuleError) and exc.kind == "letter_incomplete":
            parts = exc.params.get("parts") or []
            text = "不能签发，文书缺少必备内容：\n" + "\n".join(f"· {p}" for p in parts)
        else:
            text = say(exc)
        self.review_error.setText(text)
        self.review_error.show()

    def approve(self) -> bool:
        return self._act("approve", "已审核通过")

    def send_back(self) -> bool:
        if not self.comment_edit.toPlainText().strip():
            self.review_error.setText("退回修改须写明审核意见，让拟稿人知道要改什么。")
            self.review_error.show()
            self.comment_edit.setFocus()
            return False
        return self._act("return", "已退回修改（意见已记录）")

    def reopen(self) -> bool:
        if not self.comment_edit.toPlainText().strip():
            self.review_error.setText("退回重拟须在“审核意见”中写明理由。")
            self.review_error.show()
            self.comment_edit.setFocus()
            return False
        return self._act("reopen", "已退回重拟")

    def issue(self) -> bool:
        return self._act("issue", "已签发")

    def cancel_letter(self) -> bool:
        if not self.cancel_reason_edit.text().strip():
            self.review_error.setText("作废须填写理由；文号保留在登记簿中，不会再给其他文书使用。")
            self.review_error.show()
            self.cancel_reason_edit.setFocus()
            return False
        return self._act("cancel", "已作废（文号保留，不再使用）")

    def _on_approve_button_clicked(self) -> None:
        self.approve()

    def _on_return_button_clicked(self) -> None:
        self.send_back()

    def _on_reopen_button_clicked(self) -> None:
        self.reopen()

    def _on_issue_button_clicked(self) -> None:
        self.issue()

    def _on_cancel_button_clicked(self) -> None:
        self.cancel_letter()

    # ------------------------------------------------------------------ delivery

    def delivery_dialog(self) -> DeliveryDialog:
        assert self.record is not None
        return DeliveryDialog(self.session, self.clock, self.record, self)

    def open_delivery_dialog(self) -> None:
        dialog = self.delivery_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.delivery_recorded()

    def delivery_recorded(self) -> None:
        """Show the new delivery (the dialog stored it) and tell the case page."""
        assert self.record is not None
        self._show_record(self.record)
        self.tabs.setCurrentIndex(2)
        self._show_message("已登记送达。")
        self.changed.emit(self.letter_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.wait()  # a render may still be running
        super().closeEvent(event)
