"""The registration form (登记): Art 29 content, the Art 31 receipt rule per channel, checks as you type,
the duplicate/repeat warning, one-transaction save and the 登记回执 in one click.

The duplicate/repeat warning asks the store (the case list's search index and the applicant's
cases) off the GUI thread after each pause in typing; an answer overtaken by a later change is
dropped.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import (
    APPLICANT_KIND_LABELS,
    CHANNEL_LABELS,
    CONFIRMATION_CHANNELS,
    CONFIRMATION_METHODS,
    DELIVERY_LABELS,
    FORM_LABELS,
    ID_TYPES,
    Channel,
)
from app.domain.errors import YishenError
from app.domain.model import Case
from app.letters import LetterKind
from app.messages import FIELD_LABELS, describe
from app.services.letters import prepare_letter
from app.services.registration import (
    AgentForm,
    Attachment,
    Confirmation,
    DuplicateCheck,
    ItemForm,
    RegistrationCheck,
    RegistrationForm,
    Similar,
    check_registration,
    find_similar,
    prepare_duplicate_check,
    register_case,
)
from ui.case.actions import message_of
from ui.letters.window import LetterWindow
from ui.session import Clock, Session
from ui.tasks import TaskRunner

CHECK_DELAY_MS = 250


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _message_label(name: str = "error") -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def _field_name(path: str) -> str:
    """``items.1.description`` → ``申请事项2的申请内容：``; ``applicant.name`` → ``姓名或名称：``."""
    parts = path.split(".")
    if parts[0] == "items" and len(parts) > 2 and parts[1].isdigit():
        item_label = FIELD_LABELS.get(f"items.*.{parts[2]}", parts[2])
        return f"申请事项{int(parts[1]) + 1}的{item_label}："
    label = FIELD_LABELS.get(path)
    return f"{label}：" if label else ""


class _Field(QWidget):
    """A widget with its message below it (an error in red, or a warning)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.widget = widget
        self.message = _message_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self.message)

    def say(self, text: str, *, warning: bool = False) -> None:
        self.message.setObjectName("warning" if warning else "error")
        self.message.setStyleSheet("color: #8a5a00;" if warning else "")
        self.message.setText(text)
        self.message.setVisible(bool(text))


class ItemEditor(QGroupBox):
    """One requested item: description, 文号, form and delivery."""

    def __init__(self, number: int) -> None:
        super().__init__(f"申请事项 {number}")
        form = QFormLayout(self)
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(60)
        self.description.setPlaceholderText("所需信息的名称、文号或其他特征性描述")
        self.doc_number = QLineEdit()
        self.form = QComboBox()
        for code, label in FORM_LABELS.items():
            self.form.addItem(label, str(code))
        self.delivery = QComboBox()
        for dcode, dlabel in DELIVERY_LABELS.items():
            self.delivery.addItem(dlabel, str(dcode))
        self.delivery.setCurrentIndex(self.delivery.findData("post"))
        self.remove_button = QPushButton("删除此项")
        self.fields = {
            "description": _Field(self.description),
            "doc_number": _Field(self.doc_number),
        }
        form.addRow("申请内容：", self.fields["description"])
        form.addRow("文号：", self.fields["doc_number"])
        row = QHBoxLayout()
        row.addWidget(QLabel("载体形式："))
        row.addWidget(self.form)
        row.addSpacing(12)
        row.addWidget(QLabel("获取方式："))
        row.addWidget(self.delivery)
        row.addStretch(1)
        row.addWidget(self.remove_button)
        form.addRow(row)

    def value(self) -> ItemForm:
        return ItemForm(
            self.description.toPlainText(),
            self.doc_number.text(),
            self.form.currentData(),
            self.delivery.currentData(),
        )


class RegistrationPage(QWidget):
    """Registers one application at a time.

    Signals:
        case_requested: the clerk wants to open a case (a duplicate's number, or the one just saved).
        case_registered: a new case was stored (its number).
    """

    case_requested = Signal(str)
    case_registered = Signal(str)

    def __init__(
        self, session: Session, clock: Clock, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.runner = runner
        self.duplicate_check: DuplicateCheck | None = None  # once prepared (off the GUI thread)
        self._dup_request = 0  # the latest duplicate look-up asked for; older answers are dropped
        self.dup_pending = False
        self.check: RegistrationCheck | None = None
        self.attachment: Attachment | None = None
        self.saved: Case | None = None
        self.letter_window: LetterWindow | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.validate)
        today = clock()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 12)
        title = QLabel("登记申请")
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        columns = QHBoxLayout()
        outer.addLayout(columns, 1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        left = QVBoxLayout(body)
        left.setContentsMargins(0, 0, 12, 0)
        scroll.setWidget(body)
        columns.addWidget(scroll, 3)
        self.fields: dict[str, _Field] = {}

        # ---- receipt (条例第三十一条)
        receipt = QGroupBox("收到申请")
        rform = QFormLayout(receipt)
        self.channel = QComboBox()
        for code, label in CHANNEL_LABELS.items():
            self.channel.addItem(label, str(code))
        self.received = _date_edit(today)
        self.arrived = _date_edit(today)
        self.rule_label = QLabel()
        self.rule_label.setObjectName("hint")
        self.rule_label.setWordWrap(True)
        self.awaiting_check = QCheckBox("尚未与申请人确认（登记为“待确认收到”，暂不计算期限）")
        self.confirm_date = _date_edit(today)
        self.confirm_method = QComboBox()
        self.confirm_method.addItems(list(CONFIRMATION_METHODS))
        self.confirm_by = QLineEdit()
        self.oral_filled_by = QLineEdit()
        self.assistance = QLineEdit()
        self.assistance.setPlaceholderText("如为视力、听力障碍等申请人提供的帮助（条例第四十三条）")
        for key, widget in (
            ("channel", self.channel),
            ("received", self.received),
            ("arrived", self.arrived),
            ("confirmation.date", self.confirm_date),
            ("confirmation.method", self.confirm_method),
            ("confirmation.by", self.confirm_by),
            ("oral_filled_by", self.oral_filled_by),
            ("assistance", self.assistance),
        ):
            self.fields[key] = _Field(widget)
        self.received_label = QLabel("收到日期：")
        self.arrived_label = QLabel("到达日期：")
        self.confirm_labels = [QLabel("确认日期："), QLabel("确认方式："), QLabel("确认人：")]
        self.oral_label = QLabel("代为填写人：")
        rform.addRow("收到方式：", self.fields["channel"])
        rform.addRow(self.rule_label)
        rform.addRow(self.received_label, self.fields["received"])
        rform.addRow(self.arrived_label, self.fields["arrived"])
        rform.addRow(self.awaiting_check)
        for caption, key in zip(
            self.confirm_labels, ("confirmation.date", "confirmation.method", "confirmation.by"), strict=True
        ):
            rform.addRow(caption, self.fields[key])
        rform.addRow(self.oral_label, self.fields["oral_filled_by"])
        rform.addRow("提供的帮助：", self.fields["assistance"])
        left.addWidget(receipt)

        # ---- applicant (条例第二十九条)
        applicant = QGroupBox("申请人")
        aform = QFormLayout(applicant)
        self.kind = QComboBox()
        for kcode, klabel in APPLICANT_KIND_LABELS.items():
            self.kind.addItem(klabel, str(kcode))
        self.name = QLineEdit()
        self.id_type = QComboBox()
        self.id_type.addItem("（未提供）", "")
        for id_type in ID_TYPES:
            self.id_type.addItem(id_type, id_type)
        self.id_number = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.address = QLineEdit()
        for key, widget in (
            ("applicant.kind", self.kind),
            ("applicant.name", self.name),
            ("applicant.id_type", self.id_type),
            ("applicant.id_number", self.id_number),
            ("applicant.phone", self.phone),
            ("applicant.email", self.email),
            ("applicant.address", self.address),
        ):
            self.fields[key] = _Field(widget)
        aform.addRow("申请人类型：", self.fields["applicant.kind"])
        aform.addRow("姓名或名称：", self.fields["applicant.name"])
        aform.addRow("证件类型：", self.fields["applicant.id_type"])
        aform.addRow("证件号码：", self.fields["applicant.id_number"])
        aform.addRow("联系电话：", self.fields["applicant.phone"])
        aform.addRow("电子邮箱：", self.fields["applicant.email"])
        aform.addRow("通信地址：", self.fields["applicant.address"])
        self.agent_check = QCheckBox("由代理人代为申请")
        aform.addRow(self.agent_check)
        self.agent_box = QWidget()
        agent_form = QFormLayout(self.agent_box)
        agent_form.setContentsMargins(0, 0, 0, 0)
        self.agent_name = QLineEdit()
        self.agent_id_type = QComboBox()
        self.agent_id_type.addItem("（未提供）", "")
        for id_type in ID_TYPES:
            self.agent_id_type.addItem(id_type, id_type)
        self.agent_id_number = QLineEdit()
        self.agent_phone = QLineEdit()
        self.agent_authorization = QLineEdit()
        self.agent_authorization.setPlaceholderText("授权委托书等")
        for key, label, widget in (
            ("applicant.agent.name", "代理人姓名：", self.agent_name),
            ("applicant.agent.id_type", "代理人证件类型：", self.agent_id_type),
            ("applicant.agent.id_number", "代理人证件号码：", self.agent_id_number),
            ("applicant.agent.phone", "代理人电话：", self.agent_phone),
            ("applicant.agent.authorization", "授权委托：", self.agent_authorization),
        ):
            self.fields[key] = _Field(widget)
            agent_form.addRow(label, self.fields[key])
        aform.addRow(self.agent_box)
        left.addWidget(applicant)

        # ---- items
        self.items_box = QVBoxLayout()
        self.item_editors: list[ItemEditor] = []
        left.addLayout(self.items_box)
        self.add_item_button = QPushButton("增加申请事项")
        self.add_item_button.clicked.connect(self.add_item)
        self.items_message = _message_label()
        left.addWidget(self.items_message)
        left.addWidget(self.add_item_button, 0, Qt.AlignmentFlag.AlignLeft)

        # ---- attachment
        scan = QGroupBox("申请材料扫描件")
        srow = QHBoxLayout(scan)
        self.attach_button = QPushButton("选择文件…")
        self.attach_button.clicked.connect(self._on_attach_button_clicked)
        self.attach_label = QLabel("未选择")
        self.attach_label.setTextFormat(Qt.TextFormat.PlainText)
        srow.addWidget(self.attach_button)
        srow.addWidget(self.attach_label, 1)
        left.addWidget(scan)
        left.addStretch(1)

        # ---- right column: duplicates, save, receipt
        right = QVBoxLayout()
        columns.addLayout(right, 2)
        dup_box = QGroupBox("重复申请提示")
        dup_layout = QVBoxLayout(dup_box)
        self.dup_note = QLabel("正在读取已登记的申请…")
        self.dup_note.setObjectName("hint")
        self.dup_note.setWordWrap(True)
        self.duplicates = QListWidget()
        self.duplicates.setWordWrap(True)
        self.duplicates.itemActivated.connect(self._on_duplicates_item_activated)
        self.duplicates.itemClicked.connect(self._on_duplicates_item_activated)
        self.duplicates.hide()
        dup_layout.addWidget(self.dup_note)
        dup_layout.addWidget(self.duplicates, 1)
        right.addWidget(dup_box, 1)
        self.summary = _message_label()
        right.addWidget(self.summary)
        self.save_button = QPushButton("登记")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.receipt_button = QPushButton("打印登记回执")
        self.receipt_button.setEnabled(False)
        self.receipt_button.clicked.connect(self.print_receipt)
        self.open_button = QPushButton("打开案件")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.new_button = QPushButton("登记下一件")
        self.new_button.clicked.connect(self.clear)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.receipt_button, self.open_button, self.new_button):
            buttons.addWidget(button)
        right.addLayout(buttons)
        right.addWidget(self.result_label)

        self.add_item()
        for widget in (self.channel, self.kind, self.id_type, self.agent_id_type, self.confirm_method):
            widget.currentIndexChanged.connect(self._changed)
        for date_edit in (self.received, self.arrived, self.confirm_date):
            date_edit.dateChanged.connect(self._changed)
        for line in (
            self.name,
            self.id_number,
            self.phone,
            self.email,
            self.address,
            self.confirm_by,
            self.oral_filled_by,
            self.assistance,
            self.agent_name,
            self.agent_id_number,
            self.agent_phone,
            self.agent_authorization,
        ):
            line.textChanged.connect(self._changed)
        self.awaiting_check.toggled.connect(self._changed)
        self.agent_check.toggled.connect(self._changed)
        self._update_channel()

    # ------------------------------------------------------------------ loading

    @property
    def checked(self) -> int | None:
        """How many registered cases the warning looks among; None until prepared."""
        return len(self.duplicate_check) if self.duplicate_check is not None else None

    def load(self, *, again: bool = False) -> None:
        """Bring the search index up to date for the duplicate warning (off the GUI thread);
        ``again``: after a registration (the search index is then brought up to date incrementally)."""
        previous = self.duplicate_check if again else None
        self.duplicate_check = None
        self.dup_note.setText("正在读取已登记的申请…")
        session, today = self.session, self.clock()

        def prepare() -> DuplicateCheck:
            with session.write() as uow:
                return prepare_duplicate_check(uow, today, previous)

        self.runner.submit(prepare, self._on_prepared, self._on_duplicates_failed)

    def _on_prepared(self, check: DuplicateCheck) -> None:
        self.duplicate_check = check
        self.validate()

    def _on_duplicates_failed(self, exc: YishenError) -> None:
        self.dup_pending = False
        self.dup_note.setText(f"无法检查重复申请：{describe(exc)}")

    # ------------------------------------------------------------------ the form

    def add_item(self) -> ItemEditor:
        editor = ItemEditor(len(self.item_editors) + 1)
        editor.description.textChanged.connect(self._changed)
        editor.doc_number.textChanged.connect(self._changed)
        editor.form.currentIndexChanged.connect(self._changed)
        editor.delivery.currentIndexChanged.connect(self._changed)
        editor.remove_button.clicked.connect(lambda _=False, e=editor: self.remove_item(e))
        self.item_editors.append(editor)
        self.items_box.addWidget(editor)
        self._renumber()
        return editor

    def remove_item(self, editor: ItemEditor) -> None:
        if len(self.item_editors) <= 1:
            return
        self.item_editors.remove(editor)
        editor.setParent(None)
        editor.deleteLater()
        self._renumber()
        self._changed()

    def _renumber(self) -> None:
        for n, editor in enumerate(self.item_editors, 1):
            editor.setTitle(f"申请事项 {n}")
            editor.remove_button.setVisible(len(self.item_editors) > 1)

    def set_attachment(self, path: Path) -> None:
        data = path.read_bytes()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.attachment = Attachment(data, path.name, mime)
        self.attach_label.setText(f"{path.name}（{max(1, len(data) // 1024)} KB）")

    def _on_attach_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "选择申请材料扫描件", "", "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)"
        )
        if name:
            self.set_attachment(Path(name))

    def _confirmation_channel(self) -> bool:
        return self.channel.currentData() in {str(c) for c in CONFIRMATION_CHANNELS}

    def _update_channel(self) -> None:
        confirm = self._confirmation_channel()
        oral = self.channel.currentData() == Channel.ORAL
        awaiting = self.awaiting_check.isChecked()
        if confirm:
            rule = "以与申请人确认之日为收到申请之日；确认前不计算答复期限（条例第三十一条第二、三项）。"
        elif oral:
            rule = "口头申请由本机关代为填写，以填写完成并经申请人确认之日为收到申请之日。"
        elif self.channel.currentData() == Channel.POST_SIGNED:
            rule = "以本机关签收之日为收到申请之日（条例第三十一条第二项）。"
        else:
            rule = "以提交之日为收到申请之日（条例第三十一条第一项）。"
        self.rule_label.setText(rule)
        self.received_label.setText(
            "填写完成日期："
            if oral
            else "签收日期："
            if not confirm and self.channel.currentData() == Channel.POST_SIGNED
            else "收到日期："
        )
        for widget in (self.received_label, self.fields["received"]):
            widget.setVisible(not confirm)
        self.arrived_label.setVisible(confirm)
        self.fields["arrived"].setVisible(confirm)
        self.awaiting_check.setVisible(confirm)
        for label, key in zip(
            self.confirm_labels, ("confirmation.date", "confirmation.method", "confirmation.by"), strict=True
        ):
            label.setVisible(confirm and not awaiting)
            self.fields[key].setVisible(confirm and not awaiting)
        self.oral_label.setVisible(oral)
        self.fields["oral_filled_by"].setVisible(oral)
        self.agent_box.setVisible(self.agent_check.isChecked())

    def form(self) -> RegistrationForm:
        confirm = self._confirmation_channel()
        confirmation = None
        if confirm and not self.awaiting_check.isChecked():
            confirmation = Confirmation(
                _pydate(self.confirm_date.date()), self.confirm_method.currentText(), self.confirm_by.text()
            )
        agent = None
        if self.agent_check.isChecked():
            agent = AgentForm(
                self.agent_name.text(),
                self.agent_id_type.currentData(),
                self.agent_id_number.text(),
                self.agent_phone.text(),
                self.agent_authorization.text(),
            )
        return RegistrationForm(
            channel=self.channel.currentData(),
            received=None if confirm else _pydate(self.received.date()),
            arrived=_pydate(self.arrived.date()) if confirm else None,
            confirmation=confirmation,
            oral_filled_by=self.oral_filled_by.text(),
            assistance=self.assistance.text(),
            kind=self.kind.currentData(),
            name=self.name.text(),
            id_type=self.id_type.currentData(),
            id_number=self.id_number.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.text(),
            agent=agent,
            items=tuple(e.value() for e in self.item_editors),
        )

    def _changed(self) -> None:
        self._update_channel()
        self._timer.start()

    def _field_of(self, path: str) -> _Field | None:
        if path.startswith("items."):
            parts = path.split(".")
            if parts[1].isdigit() and int(parts[1]) < len(self.item_editors) and len(parts) > 2:
                return self.item_editors[int(parts[1])].fields.get(parts[2])
            return None
        return self.fields.get(path)

    def validate(self) -> RegistrationCheck:
        """Check the form now: messages next to their fields, duplicates listed; returns the check."""
        self._timer.stop()
        form = self.form()
        check = check_registration(form, self.clock())
        self.check = check
        all_fields = [*self.fields.values(), *(f for e in self.item_editors for f in e.fields.values())]
        for field in all_fields:
            field.say("")
        self.items_message.hide()
        unplaced: list[str] = []
        for warning in check.warnings:
            target = self._field_of(warning.field)
            if target is not None:
                target.say(message_of(warning), warning=True)
        for error in check.errors:
            target = self._field_of(error.field)
            if target is not None:
                target.say(message_of(error))
            elif error.field == "items":
                self.items_message.setText(message_of(error))
                self.items_message.show()
            else:
                unplaced.append(describe(error))
        # The fields may be scrolled out of sight: say next to the 登记 button what still blocks it.
        if check.errors:
            first = check.errors[0]
            unplaced.insert(
                0, f"尚有{len(check.errors)}处需要修改，如：{_field_name(first.field)}{message_of(first)}"
            )
        self.summary.setText("\n".join(dict.fromkeys(unplaced)))
        self.summary.setVisible(bool(unplaced))
        if self.saved is None:
            self.save_button.setEnabled(check.ok)
        self._show_duplicates(form)
        return check

    def _show_duplicates(self, form: RegistrationForm) -> None:
        """Look the form up in the worker; the answer is shown by ``_on_duplicates_found``."""
        check = self.duplicate_check
        if check is None:
            return
        self._dup_request += 1
        request, session = self._dup_request, self.session

        def find() -> tuple[int, list[Similar]]:
            with session.read() as uow:
                return request, find_similar(uow, form, check)

        self.dup_pending = True
        self.runner.submit(find, self._on_duplicates_found, self._on_duplicates_failed)

    def _on_duplicates_found(self, answer: tuple[int, list[Similar]]) -> None:
        request, found = answer
        if request != self._dup_request:
            return  # the form changed since: a newer look-up is on its way
        self.dup_pending = False
        self.duplicates.clear()
        found = [s for s in found if self.saved is None or s.number != self.saved.number]
        for similar in found:
            when = f"，{similar.received.isoformat()}收到" if similar.received else ""
            item = QListWidgetItem(f"{similar.number}　{similar.name}{when}\n{'；'.join(similar.reasons)}")
            item.setData(Qt.ItemDataRole.UserRole, similar.number)
            item.setToolTip("点击打开该案件")
            self.duplicates.addItem(item)
        self.duplicates.setVisible(bool(found))
        if found:
            self.dup_note.setText(
                f"以下{len(found)}件已登记的申请与本申请相似，请核对是否为重复申请（条例第三十六条第六项）："
            )
        else:
            self.dup_note.setText(f"已对照{self.checked}件已登记的申请，未发现相同申请人或相近内容。")

    def duplicate_numbers(self) -> list[str]:
        return [
            self.duplicates.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.duplicates.count())
        ]

    def _on_duplicates_item_activated(self, item: QListWidgetItem) -> None:
        self.case_requested.emit(item.data(Qt.ItemDataRole.UserRole))

    # ------------------------------------------------------------------ saving and the receipt

    def save(self) -> Case | None:
        if self.saved is not None:
            return self.saved
        if not self.validate().ok:
            return None
        try:
            with self.session.write() as uow:
                case = register_case(uow, self.form(), today=self.clock(), attachment=self.attachment)
        except YishenError as exc:
            self.summary.setText(describe(exc))
            self.summary.show()
            return None
        self.saved = case
        state = (
            "收到申请日期 " + case.received.isoformat() if case.received else "待确认收到，确认后开始计算期限"
        )
        clerk = f"；经办人 {case.clerk}" if case.clerk else ""
        self.result_label.setText(f"已登记：{case.number}（{state}{clerk}）")
        self.save_button.setEnabled(False)
        self.receipt_button.setEnabled(case.received is not None)
        if case.received is None:
            self.receipt_button.setToolTip("确认收到后才能出具登记回执（回执载明收到申请日期）")
        self.open_button.setEnabled(True)
        self.case_registered.emit(case.number)
        return case

    def print_receipt(self) -> LetterWindow | None:
        """Draft the 登记回执 (taking its 文号) and open it in the letter window."""
        if self.saved is None:
            return None
        try:
            with self.session.write() as uow:
                prepared = prepare_letter(
                    uow, self.saved.number, LetterKind.RECEIPT, today=self.clock(), actor=self.session.actor
                )
        except YishenError as exc:
            self.result_label.setText(f"不能生成登记回执：{describe(exc)}")
            return None
        window = LetterWindow(self.session, self.clock, self.saved.number, prepared.record.id, self)
        self.letter_window = window
        if window.reload():
            window.show()
            window.raise_()
        return window

    def _on_open_button_clicked(self) -> None:
        if self.saved is not None:
            self.case_requested.emit(self.saved.number)

    def clear(self) -> None:
        """An empty form for the next application (the search index is brought up to date again)."""
        self.saved = None
        self.attachment = None
        self.attach_label.setText("未选择")
        for line in (
            self.name,
            self.id_number,
            self.phone,
            self.email,
            self.address,
            self.confirm_by,
            self.oral_filled_by,
            self.assistance,
            self.agent_name,
            self.agent_id_number,
            self.agent_phone,
            self.agent_authorization,
        ):
            line.clear()
        self.agent_check.setChecked(False)
        self.awaiting_check.setChecked(False)
        for editor in list(self.item_editors[1:]):
            self.remove_item(editor)
        self.item_editors[0].description.clear()
        self.item_editors[0].doc_number.clear()
        self.result_label.clear()
        self.receipt_button.setEnabled(False)
        self.open_button.setEnabled(False)
        self.load(again=True)

    def close_windows(self) -> None:
        if self.letter_window is not None:
            self.letter_window.close()
            self.letter_window = None
