"""The case page's actions: a button per action the law allows now (the others greyed, with the reason),
a small dialog for each action's values, and an offer to generate the letter the action produces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import CONFIRMATION_METHODS, FINDING_LABELS, Finding, Opinion, Party
from app.domain.errors import InputError, YishenError
from app.domain.model import (
    Case,
    ConsultationReplied,
    ConsultationSent,
    LitigationDecided,
    LitigationFiled,
    PublicInterestNotice,
    ReconsiderationDecided,
    ReconsiderationFiled,
)
from app.law.deadlines import DeadlineResult
from app.law.findings import REASONS_REQUIRED
from app.letters import KIND_LABELS, LetterKind
from app.messages import describe
from app.services.actions import (
    ACTION_LABELS,
    REPLY_FINDINGS,
    Action,
    ActionKind,
    ActionResult,
    ApplicantRequests,
    applicant_requests,
    apply_action,
    case_actions,
    case_deliverables,
)
from ui.labels import format_date
from ui.letters.delivery import DeliveryDialog
from ui.session import Clock, Session
from ui.tasks import TaskRunner

OPINION_LABELS = {
    str(Opinion.AGREE): "同意公开",
    str(Opinion.OBJECT): "不同意公开",
    str(Opinion.NONE): "未提出意见",
}
RESULT_LABELS = {"": "按决定内容判断", "upheld": "维持", "corrected": "纠正", "other": "其他结果"}
FEE_METHOD_LABELS = {"per_volume": "按量收费（页数）", "per_request": "按件收费（本月件数）"}
BUTTONS_PER_ROW = 10


def message_of(exc: YishenError) -> str:
    """The error's sentence without its location (it is shown next to its field)."""
    if isinstance(exc, InputError):
        return describe(InputError(exc.kind, **exc.params))
    return describe(exc)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


# --------------------------------------------------------------------------- field specs

# (key, label, kind, extra): kind is date | optdate | text | multiline | int | choice | bool.
Spec = tuple[str, str, str, Any]


def _consultations(case: Case, pending: Callable[[ConsultationSent], bool]) -> dict[str, str]:
    return {
        e.id: f"{e.name}（{e.date.isoformat()}发出）"
        for e in case.events
        if isinstance(e, ConsultationSent) and pending(e)
    }


def _open_filings(case: Case, filed: type[Any], decided: type[Any]) -> dict[str, str]:
    events: list[Any] = list(case.events)
    done = {e.id for e in events if isinstance(e, decided)}
    return {
        e.id: f"{e.id}（{e.date.isoformat()}）" for e in events if isinstance(e, filed) and e.id not in done
    }


def specs_for(kind: ActionKind, case: Case, today: dt.date) -> list[Spec]:
    """The values an action asks for, with their labels and defaults."""
    date: Spec = ("date", "日期", "date", today)
    if kind == ActionKind.CONFIRM_RECEIPT:
        return [
            ("date", "确认日期", "date", today),
            ("method", "确认方式", "choice", {m: m for m in CONFIRMATION_METHODS}),
            ("by", "确认人", "text", ""),
        ]
    if kind == ActionKind.REQUEST_CORRECTION:
        return [
            ("date", "告知日期", "date", today),
            ("period_end", "补正期限", "date", today + dt.timedelta(days=15)),
            ("points", "需补正的事项（每行一项）", "multiline", ""),
        ]
    if kind == ActionKind.RECEIVE_CORRECTION:
        return [("date", "收到补正日期", "date", today)]
    if kind in (ActionKind.CONSULT_THIRD_PARTY, ActionKind.CONSULT_AGENCY):
        who = "第三方名称" if kind == ActionKind.CONSULT_THIRD_PARTY else "被征求意见的机关"
        return [
            ("date", "发出日期", "date", today),
            ("name", who, "text", ""),
            ("reason", "征求意见的原因", "multiline", ""),
            ("delivered", "对方收到日期", "optdate", today),
        ]
    if kind == ActionKind.RECORD_OPINION:
        answered = {e.id for e in case.events if isinstance(e, ConsultationReplied)}
        return [
            ("id", "征求意见", "choice", _consultations(case, lambda e: e.id not in answered)),
            ("date", "回复日期", "date", today),
            ("opinion", "意见", "choice", OPINION_LABELS),
            ("reasons", "理由", "multiline", ""),
        ]
    if kind == ActionKind.PUBLIC_INTEREST_NOTICE:
        objected = {
            e.id for e in case.events if isinstance(e, ConsultationReplied) and e.opinion == Opinion.OBJECT
        }
        told = {e.id for e in case.events if isinstance(e, PublicInterestNotice)}
        return [
            (
                "id",
                "提出异议的第三方",
                "choice",
                _consultations(
                    case, lambda e: e.party == Party.THIRD_PARTY and e.id in objected and e.id not in told
                ),
            ),
            date,
            ("content", "拟公开的内容", "multiline", ""),
            ("reasons", "公开的理由（公共利益）", "multiline", ""),
        ]
    if kind == ActionKind.EXTEND:
        return [
            ("date", "批准日期", "date", today),
            ("days", "延长工作日数", "int", (1, 20, 20)),
            ("approver", "批准人（工作机构负责人）", "text", ""),
            ("reason", "延期理由", "multiline", ""),
        ]
    if kind == ActionKind.DELAY:
        return [
            ("date", "告知日期", "date", today),
            ("until", "延迟答复期限（答复期限改为）", "date", today + dt.timedelta(days=30)),
            ("reason", "延迟理由（申请数量、频次明显超过合理范围的情况）", "multiline", ""),
        ]
    if kind == ActionKind.NOTIFY_FEE:
        return [
            ("date", "通知日期", "date", today),
            ("method", "收费方式", "choice", FEE_METHOD_LABELS),
            ("units", "页数或本月此前件数", "int", (0, 100_000, 31)),
            ("delivered", "申请人收到日期", "optdate", today),
        ]
    if kind == ActionKind.FEE_PAID:
        return [("date", "缴费日期", "date", today)]
    if kind == ActionKind.WAIVE_FEE:
        return [date, ("reason", "免收理由", "multiline", "")]
    if kind == ActionKind.REPLY:
        return [("date", "答复日期", "date", today), ("items", "", "items", None)]
    if kind == ActionKind.WITHDRAW:
        return [date, ("reason", "撤回情况", "text", "申请人书面撤回申请")]
    if kind == ActionKind.DEEM_ABANDONED:
        return [date, ("reason", "说明", "text", "")]
    if kind == ActionKind.FILE_DIFFICULT:
        return [
            date,
            ("reason", "疑难原因", "multiline", ""),
            ("filed_with_city", "已报市政务公开办备案", "bool", False),
            ("guidance", "收到的指导意见", "multiline", ""),
        ]
    if kind == ActionKind.ARCHIVE:
        return []
    if kind == ActionKind.RECONSIDERATION_FILED:
        return [
            ("date", "申请复议日期", "date", today),
            ("organ", "复议机关（不填按本机关信息）", "text", ""),
        ]
    if kind == ActionKind.LITIGATION_FILED:
        return [
            ("date", "起诉日期", "date", today),
            ("court", "法院（不填按本机关信息）", "text", ""),
            ("after_reconsideration", "经复议后起诉", "bool", False),
        ]
    filed, decided = (
        (ReconsiderationFiled, ReconsiderationDecided)
        if kind == ActionKind.RECONSIDERATION_DECIDED
        else (LitigationFiled, LitigationDecided)
    )
    specs: list[Spec] = [
        ("id", "复议或诉讼", "choice", _open_filings(case, filed, decided)),
        ("date", "决定日期", "date", today),
        ("result", "结果", "choice", RESULT_LABELS),
        ("decision", "决定内容", "multiline", ""),
    ]
    if kind == ActionKind.LITIGATION_DECIDED:
        specs.append(("instance", "审级", "int", (1, 9, 1)))
    return specs


# --------------------------------------------------------------------------- the reply's items


class _ItemFinding(QGroupBox):
    """One item's finding, its reasons and (for 不掌握 held elsewhere) the responsible organ."""

    def __init__(self, number: int, description: str) -> None:
        super().__init__(f"第{number}项：{description[:40]}{'…' if len(description) > 40 else ''}")
        form = QFormLayout(self)
        self.finding = QComboBox()
        self.finding.addItem("（请选择）", "")
        for finding in REPLY_FINDINGS:
            self.finding.addItem(FINDING_LABELS[finding], str(finding))
        self.reasons = QPlainTextEdit()
        self.reasons.setFixedHeight(56)
        self.organ = QLineEdit()
        self.organ.setPlaceholderText("由其他机关负责公开时填写")
        self.contact = QLineEdit()
        self.errors = {key: _error_label() for key in ("finding", "reasons", "organ")}
        form.addRow("答复类型：", _with_error(self.finding, self.errors["finding"]))
        self.reasons_label = QLabel("理由：")
        form.addRow(self.reasons_label, _with_error(self.reasons, self.errors["reasons"]))
        self.organ_label = QLabel("负责公开的机关：")
        self.contact_label = QLabel("联系方式：")
        form.addRow(self.organ_label, _with_error(self.organ, self.errors["organ"]))
        form.addRow(self.contact_label, self.contact)
        self.finding.currentIndexChanged.connect(self._on_finding_changed)
        self._on_finding_changed()

    def _on_finding_changed(self) -> None:
        code = self.finding.currentData()
        required = bool(code) and Finding(code) in REASONS_REQUIRED
        self.reasons_label.setText("理由（必填）：" if required else "理由：")
        not_held = code == str(Finding.UNABLE_NOT_HELD)
        for widget in (self.organ, self.contact, self.organ_label, self.contact_label):
            widget.setVisible(not_held)

    def values(self) -> dict[str, Any]:
        return {
            "finding": self.finding.currentData(),
            "reasons": self.reasons.toPlainText(),
            "organ": self.organ.text() if self.organ.isVisibleTo(self) else "",
            "contact": self.contact.text(),
        }


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def _with_error(widget: QWidget, error: QLabel) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    layout.addWidget(error)
    return box


# --------------------------------------------------------------------------- the dialog


class ActionDialog(QDialog):
    """The values of one action; 确定 applies it through the service, errors shown at their field.

    Signals:
        applied: the action was stored (the ``ActionResult``).
    """

    applied = Signal(object)

    def __init__(
        self,
        session: Session,
        clock: Clock,
        case: Case,
        action: Action,
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.case = case
        self.action = action
        self.action_result: ActionResult | None = None
        self.setWindowTitle(f"{action.label} · 案件 {case.number}")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        self.hint_label = QLabel(hint)
        self.hint_label.setObjectName("hint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setVisible(bool(hint))
        layout.addWidget(self.hint_label)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.addLayout(form)
        self.widgets: dict[str, Any] = {}
        self.errors: dict[str, QLabel] = {}
        self.items: list[_ItemFinding] = []
        today = clock()
        for key, label, kind, extra in specs_for(action.kind, case, today):
            if kind == "items":
                for n, item in enumerate(case.items, 1):
                    box = _ItemFinding(n, item.description)
                    self.items.append(box)
                    layout.addWidget(box)
                continue
            widget = self._widget(kind, extra, label)
            self.widgets[key] = widget
            self.errors[key] = _error_label()
            form.addRow("" if kind == "bool" else f"{label}：", _with_error(widget, self.errors[key]))
        if action.kind == ActionKind.ARCHIVE:
            note = QLabel("归档后案件的文书、附件和办理过程作为完整案卷保存。")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.error_label = _error_label()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(action.label)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _widget(self, kind: str, extra: Any, label: str) -> QWidget:
        if kind == "date":
            edit = QDateEdit(_qdate(extra))
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            return edit
        if kind == "optdate":
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            check = QCheckBox("已收到")
            edit = QDateEdit(_qdate(extra))
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            row.addWidget(check)
            row.addWidget(edit, 1)
            box.setProperty("check", check)
            box.check, box.edit = check, edit  # type: ignore[attr-defined]
            return box
        if kind == "multiline":
            text = QPlainTextEdit(extra)
            text.setFixedHeight(72)
            return text
        if kind == "int":
            low, high, value = extra
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setValue(value)
            return spin
        if kind == "choice":
            combo = QComboBox()
            for value, text in extra.items():
                combo.addItem(text, value)
            return combo
        if kind == "bool":
            return QCheckBox(label)
        line = QLineEdit(extra)
        return line

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, widget in self.widgets.items():
            if isinstance(widget, QDateEdit):
                out[key] = _pydate(widget.date())
            elif isinstance(widget, QPlainTextEdit):
                out[key] = widget.toPlainText()
            elif isinstance(widget, QSpinBox):
                out[key] = widget.value()
            elif isinstance(widget, QComboBox):
                out[key] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QLineEdit):
                out[key] = widget.text()
            else:  # optional date
                out[key] = _pydate(widget.edit.date()) if widget.check.isChecked() else None
        if self.action.kind == ActionKind.NOTIFY_FEE:
            units = out.pop("units")
            out["pages" if out.get("method") == "per_volume" else "count_in_month_before"] = units
        if self.items:
            out["items"] = [box.values() for box in self.items]
        return out

    def _show_error(self, exc: YishenError) -> None:
        field = exc.field if isinstance(exc, InputError) else ""
        text = message_of(exc)
        if field.startswith("items."):
            parts = field.split(".")
            box = (
                self.items[int(parts[1])] if parts[1].isdigit() and int(parts[1]) < len(self.items) else None
            )
            label = box.errors.get(parts[2]) if box is not None and len(parts) > 2 else None
            if label is not None:
                label.setText(text)
                label.show()
                return
        key = {"pages": "units", "count_in_month_before": "units", "amount": "units"}.get(field, field)
        if key in self.errors:
            self.errors[key].setText(text)
            self.errors[key].show()
        else:
            self.error_label.setText(text)
            self.error_label.show()

    def submit(self) -> bool:
        """Apply the action; True when stored (the dialog closes), else the error is shown at its field."""
        for label in [
            self.error_label,
            *self.errors.values(),
            *(e for b in self.items for e in b.errors.values()),
        ]:
            label.hide()
        try:
            with self.session.write() as uow:
                self.action_result = apply_action(
                    uow,
                    self.case.number,
                    self.action.kind,
                    self.values(),
                    self.clock(),
                    actor=self.session.actor,
                )
        except YishenError as exc:
            self._show_error(exc)
            return False
        self.applied.emit(self.action_result)
        self.accept()
        return True


# --------------------------------------------------------------------------- the bar


def action_hints(deadline: DeadlineResult | None) -> dict[ActionKind, str]:
    """What the dialogs remind the clerk of: the dates the action is measured against."""
    if deadline is None:
        return {}
    hints: dict[ActionKind, str] = {}
    if deadline.correction_notice_due is not None:
        hints[ActionKind.REQUEST_CORRECTION] = (
            f"补正告知须在{format_date(deadline.correction_notice_due)}前发出，且只能一次性告知（条例第三十条）。"
        )
    if deadline.reply_due is not None:
        hints[ActionKind.EXTEND] = (
            f"当前答复期限：{format_date(deadline.reply_due)}。延期最长20个工作日，须经政府信息公开工作机构负责人"
            "同意，并在期限届满前书面告知申请人（条例第三十三条第二款）。"
        )
        hints[ActionKind.REPLY] = f"答复期限：{format_date(deadline.reply_due)}。"
        hints[ActionKind.DELAY] = (
            f"当前答复期限：{format_date(deadline.reply_due)}。申请公开政府信息的数量、频次明显超过合理范围，"
            "申请人说明理由且理由合理的，可以确定延迟答复的合理期限并告知申请人；"
            "延迟答复期限即为新的答复期限（条例第三十五条）。"
        )
    hints[ActionKind.CONSULT_THIRD_PARTY] = (
        "第三方自收到征求意见书之日起15个工作日内提出意见；征求意见期间不计入答复期限（条例第三十二条、第三十三条第三款）。"
    )
    hints[ActionKind.CONSULT_AGENCY] = (
        "被征求意见机关自收到之日起15个工作日内提出意见，逾期未提出视为同意公开（条例第三十四条）。"
    )
    return hints


class ActionBar(QWidget):
    """The buttons of every action, enabled when lawful now; the letter offer after an action.

    Signals:
        applied: an action was stored (the ``ActionResult``): the page shows the case again.
        letter_requested: the clerk asked for the letter an action produced (kind, consultation id).
    """

    applied = Signal(object)
    letter_requested = Signal(object, object)

    def __init__(
        self, session: Session, clock: Clock, parent: QWidget | None = None, runner: TaskRunner | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        # Storing a delivery proof (a scan of up to 50 MB, encrypted) runs off the GUI thread.
        self.runner = runner if runner is not None else TaskRunner(self)
        self.case: Case | None = None
        self.by_kind: dict[ActionKind, Action] = {}
        self.buttons: dict[ActionKind, QPushButton] = {}
        self.hints: dict[ActionKind, str] = {}
        self.reply_due: dt.date | None = None
        self.dialog: ActionDialog | None = None
        self.delivery: DeliveryDialog | None = None
        self._window: QWidget | None = None  # the window whose closing waits for the runner
        self.last: ActionResult | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        for i, kind in enumerate(ActionKind):
            button = QPushButton()
            button.clicked.connect(lambda _=False, k=kind: self.open_dialog(k))
            self.buttons[kind] = button
            grid.addWidget(button, i // BUTTONS_PER_ROW, i % BUTTONS_PER_ROW)
        layout.addLayout(grid)
        offer = QHBoxLayout()
        self.done_label = QLabel()
        self.done_label.setTextFormat(Qt.TextFormat.PlainText)
        self.letter_button = QPushButton()
        self.letter_button.clicked.connect(self._on_letter_button_clicked)
        self.error_label = _error_label()
        offer.addWidget(self.done_label)
        offer.addWidget(self.letter_button)
        offer.addWidget(self.error_label, 1)
        offer.addStretch(0)
        layout.addLayout(offer)
        self._hide_offer()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self._window and window is not self:
            window.installEventFilter(self)
            self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            # Before the window closes the session: a delivery may still be storing its proof.
            self.runner.wait()
        return False

    def _hide_offer(self) -> None:
        self.done_label.hide()
        self.letter_button.hide()

    def show_case(
        self, case: Case, hints: dict[ActionKind, str] | None = None, *, reply_due: dt.date | None = None
    ) -> None:
        """``reply_due``: the current reply due date, from which the 延迟答复 dialog proposes its ``until``."""
        if self.case is None or self.case.number != case.number:
            self._hide_offer()
        self.case = case
        self.hints = hints or {}
        self.reply_due = reply_due
        self.error_label.hide()
        try:
            with self.session.read() as uow:
                actions = case_actions(uow, case.number, self.clock())
        except YishenError as exc:
            self.error_label.setText(describe(exc))
            self.error_label.show()
            actions = []
        self.by_kind = {a.kind: a for a in actions}
        for kind, button in self.buttons.items():
            action = self.by_kind.get(kind)
            button.setText(action.label if action else kind)
            button.setEnabled(action is not None and action.available)
            tip = action.reason if action is not None and not action.available else self.hints.get(kind, "")
            if action is not None and action.available and action.letter is not None:
                tip = (tip + "\n" if tip else "") + f"办理后可生成{KIND_LABELS[action.letter]}"
            button.setToolTip(tip)

    def open_dialog(self, kind: ActionKind) -> ActionDialog | None:
        """The action's dialog (送达 opens ``open_delivery_dialog`` instead and returns None)."""
        action = self.by_kind.get(kind)
        if self.case is None or action is None or not action.available:
            return None
        if kind == ActionKind.DELIVER:
            self.open_delivery_dialog()
            return None
        self.dialog = ActionDialog(
            self.session, self.clock, self.case, action, self.hints.get(kind, ""), self
        )
        self.dialog.applied.connect(self._on_dialog_applied)
        self.dialog.open()
        if kind == ActionKind.DELAY:
            if (
                self.reply_due is not None
            ):  # a proposal the clerk changes: one month past the current due date
                self.dialog.widgets["until"].setDate(_qdate(self.reply_due + dt.timedelta(days=30)))
            self._count_requests(self.dialog, self.case.number)
        return self.dialog

    def _count_requests(self, dialog: ActionDialog, number: str) -> None:
        """Add to the 延迟答复 hint how often this applicant asked (an identity-number look-up over
        every case: off the GUI thread)."""
        session, today = self.session, self.clock()

        def count() -> ApplicantRequests:
            with session.read() as uow:
                return applicant_requests(uow, number, today)

        def show(counted: ApplicantRequests) -> None:
            if dialog is not self.dialog:
                return
            text = (
                f"该申请人（{counted.name}）本月已提出{counted.this_month}件申请，"
                f"近12个月共{counted.last_12_months}件"
                + (f"，其中{counted.months_over_ten}个月超过10件" if counted.months_over_ten else "")
                + "。"
            )
            dialog.hint_label.setText("\n".join(t for t in (dialog.hint_label.text(), text) if t))
            dialog.hint_label.show()

        self.runner.submit(count, show, lambda exc: None)

    def open_delivery_dialog(self) -> DeliveryDialog | None:
        """送达: the letter window's delivery dialog, choosing among the case's undelivered letters."""
        action = self.by_kind.get(ActionKind.DELIVER)
        if self.case is None or action is None or not action.available:
            return None
        try:
            with self.session.read() as uow:
                choices = [d for d in case_deliverables(uow, self.case.number) if not d.delivered]
        except YishenError as exc:
            self.error_label.setText(describe(exc))
            self.error_label.show()
            return None
        if not choices:
            return None
        self.delivery = DeliveryDialog(
            self.session, self.clock, None, self, choices=choices, number=self.case.number, runner=self.runner
        )
        self.delivery.applied.connect(self._on_delivery_applied)
        self.delivery.open()
        return self.delivery

    def _on_delivery_applied(self, result: ActionResult) -> None:
        self._show_done(result, ACTION_LABELS[ActionKind.DELIVER])

    def _on_dialog_applied(self, result: ActionResult) -> None:
        self._show_done(result, self.dialog.action.label if self.dialog is not None else "")

    def _show_done(self, result: ActionResult, label: str) -> None:
        self.last = result
        self.done_label.setText(f"已记录：{label}。")
        self.done_label.show()
        if result.letter is not None:
            self.letter_button.setText(f"生成{KIND_LABELS[result.letter]}")
            self.letter_button.show()
        else:
            self.letter_button.hide()
        self.applied.emit(result)

    def _on_letter_button_clicked(self) -> None:
        if self.last is not None and self.last.letter is not None:
            self.letter_requested.emit(LetterKind(self.last.letter), self.last.consultation_id)
            self._hide_offer()
