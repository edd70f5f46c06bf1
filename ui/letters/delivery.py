"""The 送达 dialog: how and when an issued letter reached the applicant, with the proof (domain.md §6.2)."""

from __future__ import annotations

import datetime as dt
import mimetypes
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import QDate, Qt
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
from app.services.letters import Proof, letter_label, record_delivery
from ui.letters.text import say
from ui.session import Clock, Session

# What the clerk should keep as proof for each method (shown under the form).
_PROOF_HINTS = {
    "当面": "请申请人在送达回证上签收，扫描后作为凭证附上。",
    "邮寄": "请填写邮件单号；签收后附上邮寄回执或物流签收记录。",
    "电子邮件": "请附上发送成功的邮件截图或系统记录。",
    "网上平台": "请附上平台的送达或查阅记录截图。",
    "其他": "请附上能够证明送达的材料。",
}

# The option names the service reports in errors, and the widget each one means.
_FIELDS = {"--deliver": "method", "--date": "date", "--tracking": "tracking", "--received": "received"}
_MAX_PROOF = 50 * 1024 * 1024


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class DeliveryDialog(QDialog):
    """Records one delivery of an issued letter through ``record_delivery``; stays open on an error."""

    def __init__(
        self, session: Session, clock: Clock, record: LetterRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.record = record
        self.proof_path: Path | None = None
        self.setWindowTitle(f"登记送达 — {letter_label(record)} {record.doc_number}")
        self.setMinimumWidth(520)
        today = clock()
        issued = dt.date.fromisoformat(str(record.content["date"]))

        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{letter_label(record)}（{record.doc_number}）于{issued.isoformat()}签发。"
            "救济期限自申请人收到之日起算，请如实登记签收日期。"
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        layout.addWidget(intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.method_combo = QComboBox()
        self.method_combo.addItems(list(DELIVERY_METHODS))
        self.method_combo.setCurrentText("邮寄")
        form.addRow("送达方式：", self.method_combo)
        self.date_edit = QDateEdit(_qdate(max(today, issued)))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMinimumDate(_qdate(issued))
        form.addRow("送达（寄出）日期：", self.date_edit)
        self.tracking_edit = QLineEdit()
        self.tracking_edit.setMaxLength(100)
        self.tracking_edit.setPlaceholderText("邮件单号，如 EMS1234567890")
        form.addRow("邮件单号：", self.tracking_edit)
        received_row = QHBoxLayout()
        self.received_check = QCheckBox("已签收，签收日期：")
        self.received_edit = QDateEdit(_qdate(max(today, issued)))
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

    def _on_method_combo_changed(self, method: str) -> None:
        self.tracking_edit.setEnabled(method in ("邮寄", "其他"))
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

    def _proof(self) -> Proof | None:
        if self.proof_path is None:
            return None
        try:
            if self.proof_path.stat().st_size > _MAX_PROOF:
                raise InputError(
                    "unreadable_file", field="--proof", source=self.proof_path.name, reason="文件超过50MB"
                )
            data = self.proof_path.read_bytes()
        except FileNotFoundError:
            raise InputError("file_not_found", field="--proof", source=str(self.proof_path)) from None
        except OSError as exc:
            raise InputError(
                "unreadable_file", field="--proof", source=str(self.proof_path), reason=exc.strerror or ""
            ) from None
        mime = mimetypes.guess_type(self.proof_path.name)[0] or "application/octet-stream"
        return Proof(data=data, name=self.proof_path.name, mime=mime)

    def submit(self) -> bool:
        """Record the delivery; True (and the dialog accepted) when stored."""
        tracking = self.tracking_edit.text().strip() if self.tracking_edit.isEnabled() else ""
        received = _date(self.received_edit.date()) if self.received_check.isChecked() else None
        try:
            proof = self._proof()
            with self.session.write() as uow:
                record_delivery(
                    uow,
                    self.record.id,
                    method=self.method_combo.currentText(),
                    date=_date(self.date_edit.date()),
                    tracking=tracking or None,
                    received=received,
                    proof=proof,
                )
        except YishenError as exc:
            self.error_label.setText(say(exc))
            self.error_label.show()
            field = _FIELDS.get(getattr(exc, "field", ""), "")
            widget = {
                "method": self.method_combo,
                "date": self.date_edit,
                "tracking": self.tracking_edit,
                "received": self.received_edit,
            }.get(field)
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.accept()
        return True
