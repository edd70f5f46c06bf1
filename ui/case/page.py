"""The case page (first version): the case's particulars, its timeline and the deadline trace beside it."""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import (
    APPLICANT_KIND_LABELS,
    CHANNEL_LABELS,
    DELIVERY_LABELS,
    FINDING_LABELS,
    FORM_LABELS,
)
from app.domain.errors import YishenError
from app.domain.model import Case
from app.law.deadlines import DeadlineResult
from app.messages import describe
from app.services.cases import transfer_case
from app.services.users import list_users
from app.services.worklist import case_deadline
from ui.case.actions import ActionBar, action_hints
from ui.labels import EVENT_LABELS, STATE_LABELS, days_left_text, format_date
from ui.letters.panel import LettersPanel
from ui.session import Clock, Session


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    # Rows follow their wrapped text whenever a column's width changes (the panes are resizable).
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setHighlightSections(False)
    return table


def _columns(table: QTableWidget, *modes: QHeaderView.ResizeMode | int) -> None:
    """Each column either a fixed width (int) or a resize mode; wrapped text then fits the pane."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column, mode in enumerate(modes):
        if isinstance(mode, int):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            table.setColumnWidth(column, mode)
        else:
            header.setSectionResizeMode(column, mode)


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeRowsToContents()


class _TableOrNote(QWidget):
    """A table, or a sentence in its place when it has no rows (an empty grid looks broken)."""

    def __init__(self, table: QTableWidget, note: str) -> None:
        super().__init__()
        self.table = table
        self.note = QLabel(note)
        self.note.setObjectName("emptyList")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table)
        layout.addWidget(self.note)

    def fill(self, rows: list[tuple[str, ...]]) -> None:
        _fill(self.table, rows)
        self.table.setVisible(bool(rows))
        self.note.setVisible(not rows)


class CasePage(QWidget):
    """Shows one case with the actions the law allows now (ui.case.actions) and its letters.

    Signals:
        closed: the clerk asked to go back to the list they came from.
    """

    closed = Signal()

    def __init__(self, session: Session, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.case: Case | None = None
        self.deadline: DeadlineResult | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        head = QHBoxLayout()
        self.back_button = QPushButton("← 返回待办")
        self.back_button.clicked.connect(self.closed)
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.title_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        head.addWidget(self.back_button)
        head.addSpacing(12)
        head.addWidget(self.title_label, 1)
        layout.addLayout(head)
        self.action_bar = ActionBar(session, clock)
        self.action_bar.applied.connect(self._on_action_bar_applied)
        self.action_bar.letter_requested.connect(self._on_action_bar_letter_requested)
        layout.addWidget(self.action_bar)

        self.error_label = _plain()
        self.error_label.setObjectName("error")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        # Left: particulars, items, timeline. Right: the deadline and its trace.
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        facts = QGroupBox("案件信息")
        self.facts_form = QFormLayout(facts)
        self.fact_labels: dict[str, QLabel] = {}
        for key, label in (
            ("applicant", "申请人"),
            ("kind", "申请人类型"),
            ("contact", "联系方式"),
            ("channel", "收到方式"),
            ("received", "收到申请日期"),
            ("tags", "标签"),
        ):
            self.fact_labels[key] = _plain()
            self.facts_form.addRow(f"{label}：", self.fact_labels[key])
        # 经办人, with 移交 beside it: hand the case to another clerk.
        self.fact_labels["clerk"] = _plain()
        self.transfer_button = QPushButton("移交…")
        self.transfer_button.setObjectName("transferCase")
        self.transfer_button.setToolTip("把本案交给另一位经办人办理")
        self.transfer_button.clicked.connect(self._on_transfer_button_clicked)
        clerk_row = QHBoxLayout()
        clerk_row.setContentsMargins(0, 0, 0, 0)
        clerk_row.addWidget(self.fact_labels["clerk"], 1)
        clerk_row.addWidget(self.transfer_button)
        self.facts_form.addRow("经办人：", clerk_row)
        left_layout.addWidget(facts)
        items_box = QGroupBox("申请事项")
        items_layout = QVBoxLayout(items_box)
        self.items_table = _table(("序号", "申请内容", "载体形式", "获取方式"))
        _columns(self.items_table, 44, QHeaderView.ResizeMode.Stretch, 80, 80)
        items_layout.addWidget(self.items_table)
        left_layout.addWidget(items_box, 2)
        events_box = QGroupBox("办理过程")
        events_layout = QVBoxLayout(events_box)
        self.events_table = _table(("日期", "事项", "内容"))
        _columns(self.events_table, 124, 110, QHeaderView.ResizeMode.Stretch)
        self.events = _TableOrNote(
            self.events_table, "尚无办理记录。补正、征求意见、延期、收费、答复和送达都会记录在这里。"
        )
        events_layout.addWidget(self.events)
        left_layout.addWidget(events_box, 3)
        splitter.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        due_box = QGroupBox("答复期限")
        due_form = QFormLayout(due_box)
        self.due_labels: dict[str, QLabel] = {}
        for key, label in (
            ("state", "状态"),
            ("reply_due", "答复期限"),
            ("days_left", "剩余工作日"),
            ("correction_notice_due", "补正告知期限"),
            ("paused", "暂停计时"),
        ):
            self.due_labels[key] = _plain()
            due_form.addRow(f"{label}：", self.due_labels[key])
        right_layout.addWidget(due_box)
        trace_box = QGroupBox("期限计算过程")
        trace_layout = QVBoxLayout(trace_box)
        self.trace_table = _table(("日期", "说明", "依据"))
        self.trace_table.setObjectName("trace")
        _columns(self.trace_table, 124, QHeaderView.ResizeMode.Stretch, 170)
        trace_layout.addWidget(self.trace_table)
        right_layout.addWidget(trace_box, 1)
        self.letters_panel = LettersPanel(session, clock)
        # Issuing a reply or recording a delivery adds to the timeline: show the case again.
        self.letters_panel.changed.connect(self._on_letters_panel_changed)
        right_layout.addWidget(self.letters_panel, 1)
        splitter.addWidget(right)
        # The trace has the longest lines: give it the larger share.
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([480, 600])
        layout.addWidget(splitter, 1)

    def show_case(self, number: str) -> bool:
        """Load and show case ``number``; False (with the message shown) when it cannot be read."""
        try:
            with self.session.read() as uow:
                case, result = case_deadline(uow, number, self.clock())
                trace = result.trace  # built while the calendar is at hand; plain values after
        except YishenError as exc:
            self.case = self.deadline = None
            self.title_label.setText(f"案件 {number}")
            self.error_label.setText(describe(exc))
            self.error_label.show()
            return False
        self.error_label.hide()
        self.case, self.deadline = case, result
        a = case.applicant
        self.title_label.setText(f"案件 {case.number} · {a.name}")
        contact = "　".join(x for x in (a.phone, a.email, a.address) if x)
        self.fact_labels["applicant"].setText(a.name)
        self.fact_labels["kind"].setText(APPLICANT_KIND_LABELS.get(a.kind, str(a.kind)))
        self.fact_labels["contact"].setText(contact or "—")
        self.fact_labels["channel"].setText(CHANNEL_LABELS.get(case.channel, str(case.channel)))
        self.fact_labels["received"].setText(format_date(case.received) if case.received else "尚未确认收到")
        self.fact_labels["tags"].setText("、".join(case.tags) or "—")
        self.fact_labels["clerk"].setText(case.clerk or "未指定")

        _fill(
            self.items_table,
            [
                (
                    str(i),
                    it.description,
                    FORM_LABELS.get(it.form, str(it.form)),
                    DELIVERY_LABELS.get(it.delivery, ""),
                )
                for i, it in enumerate(case.items, 1)
            ],
        )
        self.events.fill(
            [
                (format_date(e.date), EVENT_LABELS.get(e.TYPE, e.TYPE), _event_detail(e.to_dict()))
                for e in case.events
            ],
        )

        self.due_labels["state"].setText(STATE_LABELS.get(str(result.state), str(result.state)))
        self.due_labels["reply_due"].setText(
            format_date(result.reply_due) + ("（暂定）" if result.provisional and result.reply_due else "")
        )
        self.due_labels["days_left"].setText(days_left_text(result.days_left))
        self.due_labels["correction_notice_due"].setText(format_date(result.correction_notice_due))
        pauses = result.active_pauses
        self.due_labels["paused"].setText(f"至{format_date(max(p.end for p in pauses))}" if pauses else "否")
        _fill(self.trace_table, [(format_date(s.date), s.step, s.basis) for s in trace])
        self.letters_panel.show_case(case)
        self.action_bar.show_case(case, action_hints(result), reply_due=result.reply_due)
        return True

    def state_text(self) -> str:
        return self.due_labels["state"].text()

    def open_transfer(self) -> TransferDialog | None:
        """移交: the dialog choosing the new 经办人, opened (the case is shown again once it is done)."""
        if self.case is None:
            return None
        dialog = TransferDialog(self.session, self.case.number, self.case.clerk, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.transferred.connect(self._on_transfer_dialog_transferred)
        dialog.open()
        return dialog

    def _on_transfer_button_clicked(self) -> None:
        self.open_transfer()

    def _on_transfer_dialog_transferred(self, _clerk: str) -> None:
        if self.case is not None:
            self.show_case(self.case.number)

    def _on_action_bar_applied(self) -> None:
        if self.case is not None:
            self.show_case(self.case.number)

    def _on_action_bar_letter_requested(self, kind: object, consultation_id: object) -> None:
        self.letters_panel.draft(kind, consultation_id if isinstance(consultation_id, str) else None)  # type: ignore[arg-type]

    def _on_letters_panel_changed(self) -> None:
        if self.case is not None:
            self.show_case(self.case.number)


class TransferDialog(QDialog):
    """移交: choose the clerk who handles the case from now on (a user of the folder, or any name).

    Signals:
        transferred(str): the case was handed over; the new clerk.
    """

    transferred = Signal(str)

    def __init__(
        self, session: Session, number: str, current: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.number = number
        self.setWindowTitle(f"移交案件 {number}")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("现经办人：", _plain(current or "未指定"))
        self.clerk_combo = QComboBox()
        self.clerk_combo.setObjectName("newClerk")
        self.clerk_combo.setEditable(True)  # a clerk who is not a user of this folder is typed in
        self.clerk_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        try:
            with session.read() as uow:
                users = [u for u in list_users(uow) if u.active]
        except YishenError:
            users = []  # the list is a convenience: a name can still be typed
        for user in users:
            if user.login != current:
                label = (
                    f"{user.name}（{user.login}）" if user.name and user.name != user.login else user.login
                )
                self.clerk_combo.addItem(label, user.login)
        self.clerk_combo.setCurrentIndex(-1)
        self.clerk_combo.setEditText("")
        line = self.clerk_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText("选择或输入经办人的登录名或姓名")
        form.addRow("移交给：", self.clerk_combo)
        layout.addLayout(form)
        self.error_label = _plain()
        self.error_label.setObjectName("error")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("移交")
        ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.clerk_combo.editTextChanged.connect(self._on_clerk_text_changed)
        layout.addWidget(self.buttons)

    def chosen_clerk(self) -> str:
        """The login of the user chosen from the list, or the text typed."""
        text = self.clerk_combo.currentText().strip()
        index = self.clerk_combo.findText(text)
        if index >= 0:
            return str(self.clerk_combo.itemData(index))
        return text

    def _on_clerk_text_changed(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))
        self.error_label.hide()

    def _on_buttons_accepted(self) -> None:
        clerk = self.chosen_clerk()
        try:
            with self.session.write() as uow:
                moved = transfer_case(uow, self.number, clerk)
        except YishenError as exc:
            self.error_label.setText(f"未能移交：{describe(exc)}")
            self.error_label.show()
            return
        self.transferred.emit(moved.clerk or clerk)
        self.accept()


_DETAIL_KEYS = {
    "name": "对象",
    "period_end": "补正期限",
    "days": "延期工作日",
    "until": "延迟至",
    "amount": "金额（元）",
    "method": "方式",
    "delivered": "送达",
    "outcome": "结果",
    "opinion": "意见",
    "reason": "理由",
    "approver": "批准人",
    "by": "经办",
    "tracking": "单号",
    "letter": "文书",
}


_VALUE_LABELS: dict[str, dict[str, str]] = {
    "outcome": {str(k): v for k, v in FINDING_LABELS.items()},
    "opinion": {"agree": "同意公开", "object": "不同意公开", "none": "未提出意见"},
    "method": {"per_request": "按件收费", "per_volume": "按量收费"},
}


def _event_detail(data: dict[str, object]) -> str:
    parts = []
    for key, label in _DETAIL_KEYS.items():
        value = data.get(key)
        if value in (None, ""):
            continue
        parts.append(f"{label}：{_VALUE_LABELS.get(key, {}).get(str(value), value)}")
    return "；".join(parts)
