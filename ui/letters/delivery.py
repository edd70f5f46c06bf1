"""The 送达 dialog: how and when an issued letter reached the applicant, with the proof (domain.md §6.2).

Opened from the letter window for its letter, and from the case page's 送达 action with the case's
undelivered letters to choose from. Either way the delivery goes through ``app.services.actions``
(the ``delivered`` event and the proof in one transaction); storing a large scan runs off the GUI
thread when the opener passes its ``TaskRunner``.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.codes import DELIVERY_METHODS
from app.domain.errors import InputError, YishenError
from app.domain.letters import LetterRecord
from app.messages import describe
from app.services.actions import ActionKind, ActionResult, Deliverable, apply_action, deliver
from app.services.letters import Proof, letter_label
from ui.session import Clock, Session
from ui.tasks import TaskRunner

# What the clerk should keep as proof for each method (shown under the form).
_PROOF_HINTS = {
    "当面": "请申请人在送达回证上签收，扫描后作为凭证附上。",
    "邮寄": "请填写邮件单号；签收后附上邮寄回执或物流签收记录。",
    "电子邮件": "请附上发送成功的邮件截图或系统记录。",
    "网上平台": "请附上平台的送达或查阅记录截图。",
    "其他": "请附上能够证明送达的材料。",
}

# The fields the service names in its errors, as the clerk sees them.
_FIELD_NAMES = {
    "letter": "文书",
    "method": "送达方式",
    "date": "送达日期",
    "tracking": "邮件单号",
    "received": "签收日期",
    "proof": "送达凭证",
}
_MAX_PROOF = 50 * 1024 * 1024


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _of_record(record: LetterRecord) -> Deliverable:
    issued = dt.date.fromisoformat(str(record.content["date"]))
    return Deliverable(record.id, f"{letter_label(record)} {record.doc_number}", issued, record)


class DeliveryDialog(QDialog):
    """Records one delivery through the services; stays open (the error at its field) when refused.

    ``record``: the letter window's letter. ``choices`` and ``number``: the case page's 送达 action
    (the undelivered letters of case ``number``, the first preselected). With a ``runner`` the
    delivery is stored off the GUI thread, the buttons disabled meanwhile.

    Signals:
        applied: the delivery was stored (the ``ActionResult`` with the updated case).
    """

    applied = Signal(object)

    def __init__(
        self,
        session: Session,
        clock: Clock,
        record: LetterRecord | None = None,
        parent: QWidget | None = None,
        *,
        choices: Sequence[Deliverable] = (),
        number: str | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.number = number
        self.runner = runner
        self.choices: list[Deliverable] = list(choices) or ([_of_record(record)] if record else [])
        if not self.choices:
            raise ValueError("DeliveryDialog needs a letter or choices")
        self.record = record if record is not None else self.choices[0].record
        self.stored: ActionResult | None = None
        self.busy = False
        self.proof_path: Path | None = None
        first = self.choices[0]
        self.setWindowTitle(
            f"登记送达 — {first.label}" if len(self.choices) == 1 else f"登记送达 · 案件 {number}"
        )
        self.setMinimumWidth(520)
        self.today = clock()

        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("hint")
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.letter_combo = QComboBox()
        for choice in self.choices:
            self.letter_combo.addItem(f"{choice.label}（{choice.issued.isoformat()}签发）", choice.key)
        self.letter_combo.setVisible(len(self.choices) > 1)
        if len(self.choices) > 1:
            form.addRow("送达的文书：", self.letter_combo)
        self.method_combo = QComboBox()
        self.method_combo.addItems(list(DELIVERY_METHODS))
        self.method_combo.setCurrentText("邮寄")
        form.addRow("送达方式：", self.method_combo)
        self.date_edit = QDateEdit(_qdate(max(self.today, first.issued)))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(_qdate(self.today))
        form.addRow("送达（寄出）日期：", self.date_edit)
        self.tracking_edit = QLineEdit()
        self.tracking_edit.setMaxLength(100)
        self.tracking_edit.setPlaceholderText("邮件单号，如 EMS1234567890")
        form.addRow("邮件单号：", self.tracking_edit)
        received_row = QHBoxLayout()
        self.received_check = QCheckBox("已签收，签收日期：")
        self.received_edit = QDateEdit(_qdate(max(self.today, first.issued)))
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setDisplayFormat("yyyy-MM-dd")
        self.received_edit.setEnabled(False)
        self.received_check.toggled.connect(self.received_edit.setEnabled)
        received_row.addWidget(self.received_check)
        received_row.addWidget(self.received_edit, 1)
        form.addRow("签收：", received_row)
        proof_row = QHBoxLayout()
        self.proof_edit = QLineEdit()
        self.proof_edit.setReadOnly(True)
        self.proof_edit.setPlaceholderText("送达回证、邮寄回执或截图（可稍后补登）")
        self.proof_button = QPushButton("选择文件…")
        self.proof_button.clicked.connect(self._on_proof_button_clicked)
        proof_row.addWidget(self.proof_edit, 1)
        proof_row.addWidget(self.proof_button)
        form.addRow("送达凭证：", proof_row)
        layout.addLayout(form)

        self.hint_label = QLabel()
        self.hint_label.setObjectName("hint")
        self.hint_label.setWordWrap(True)
        layout.addWidget(self.hint_label)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.error_label.hide()
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登记送达")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.method_combo.currentTextChanged.connect(self._on_method_combo_changed)
        self._on_method_combo_changed(self.method_combo.currentText())
        self.letter_combo.currentIndexChanged.connect(self._on_letter_combo_changed)
        self._on_letter_combo_changed()

    def chosen(self) -> Deliverable:
        return self.choices[max(0, self.letter_combo.currentIndex())]

    def choose(self, key: str) -> None:
        self.letter_combo.setCurrentIndex(self.letter_combo.findData(key))

    def _on_letter_combo_changed(self) -> None:
        chosen = self.chosen()
        self.intro.setText(
            f"{chosen.label}于{chosen.issued.isoformat()}签发。救济期限自申请人收到之日起算，请如实登记签收日期。"
        )
        self.date_edit.setMinimumDate(_qdate(min(chosen.issued, self.today)))

    def _on_method_combo_changed(self, method: str) -> None:
        self.tracking_edit.setEnabled(method in ("邮寄", "其他"))
        self.tracking_edit.setPlaceholderText(
            "邮件单号（必填），如 EMS1234567890" if method == "邮寄" else "单号或记录编号（可不填）"
        )
        self.hint_label.setText(_PROOF_HINTS.get(method, ""))

    def _on_proof_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "选择送达凭证", "", "扫描件或截图 (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;所有文件 (*)"
        )
        if name:
            self.set_proof(Path(name))

    def set_proof(self, path: Path | None) -> None:
        self.proof_path = path
        self.proof_edit.setText(path.name if path else "")
        self.proof_edit.setToolTip(str(path) if path else "")

    @staticmethod
    def _proof(path: Path | None) -> Proof | None:
        """The proof scan read from ``path`` (in the worker: it may be tens of MB)."""
        if path is None:
            return None
        try:
            if path.stat().st_size > _MAX_PROOF:
                raise InputError("unreadable_file", field="proof", source=path.name, reason="文件超过50MB")
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError("file_not_found", field="proof", source=str(path)) from None
        except OSError as exc:
            raise InputError(
                "unreadable_file", field="proof", source=str(path), reason=exc.strerror or ""
            ) from None
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Proof(data=data, name=path.name, mime=mime)

    def values(self) -> dict[str, Any]:
        """The delivery as the 送达 action takes it (the proof is read when stored)."""
        tracking = self.tracking_edit.text().strip() if self.tracking_edit.isEnabled() else ""
        return {
            "letter": self.chosen().key,
            "method": self.method_combo.currentText(),
            "date": _date(self.date_edit.date()),
            "tracking": tracking,
            "received": _date(self.received_edit.date()) if self.received_check.isChecked() else None,
        }

    def _store(self, values: dict[str, Any], proof_path: Path | None) -> ActionResult:
        """Read the proof and store the delivery (in the worker when there is a runner)."""
        values = {**values, "proof": self._proof(proof_path)}
        with self.session.write() as uow:
            if self.number is not None:
                # The case page's action: the same rule as the button (an undelivered letter).
                return apply_action(uow, self.number, ActionKind.DELIVER, values, self.today)
            return deliver(
                uow,
                values["letter"],
                method=values["method"],
                date=values["date"],
                today=self.today,
                tracking=values["tracking"],
                received=values["received"],
                proof=values["proof"],
            )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.buttons.setEnabled(not busy)
        self.proof_button.setEnabled(not busy)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("正在保存…" if busy else "登记送达")

    def submit(self) -> bool:
        """Record the delivery; True when stored (or, with a runner, started: ``applied`` follows)."""
        if self.busy:
            return False
        self.error_label.hide()
        values, path = self.values(), self.proof_path
        if self.runner is None:
            try:
                result = self._store(values, path)
            except YishenError as exc:
                self._on_failed(exc)
                return False
            self._on_stored(result)
            return True
        self._set_busy(True)
        self.runner.submit(lambda: self._store(values, path), self._on_stored, self._on_failed)
        return True

    def reject(self) -> None:
        if not self.busy:  # not while storing (Esc): the outcome is shown here
            super().reject()

    def _on_stored(self, result: ActionResult) -> None:
        self._set_busy(False)
        self.stored = result
        self.applied.emit(result)
        self.accept()

    def _on_failed(self, exc: YishenError) -> None:
        self._set_busy(False)
        field = exc.field if isinstance(exc, InputError) else ""
        text = describe(InputError(exc.kind, **exc.params)) if isinstance(exc, InputError) else describe(exc)
        name = _FIELD_NAMES.get(field)
        self.error_label.setText(f"{name}：{text}" if name else text)
        self.error_label.show()
        widget = {
            "letter": self.letter_combo,
            "method": self.method_combo,
            "date": self.date_edit,
            "tracking": self.tracking_edit,
            "received": self.received_edit,
            "proof": self.proof_button,
        }.get(field)
        if widget is not None and widget.isEnabled():
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
