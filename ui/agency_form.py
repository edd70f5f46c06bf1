"""The agency profile form (interfaces.md §2), with the 复议机关 derived as the clerk types."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.domain.errors import InputError
from app.domain.model import AGENCY_LEVELS, Agency, AgencyKind
from app.law.agency import agency_from_dict
from app.law.remedies import reconsideration_organ
from app.messages import describe
from ui.labels import AGENCY_FIELD_LABELS, AGENCY_KIND_LABELS, AGENCY_LEVEL_LABELS

# (field, placeholder) of the text fields in the order of the form; kind and level go after short_name.
_TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "如：某市某区自然资源局"),
    ("short_name", "用于文号，如：某区自然资源"),
    ("parent_government", "如：某市某区人民政府"),
    ("parent_department", "如：某市自然资源和规划局（垂直领导、派出机构等需要）"),
    ("court", "如：某市中级人民法院"),
    ("office", "如：某区自然资源局办公室"),
    ("address", "如：某市某区人民路1号"),
    ("phone", "如：0571-12345678"),
)


def describe_field_error(exc: InputError) -> str:
    """``机关名称：不能为空`` — the form's own label instead of the file-format field path."""
    label = AGENCY_FIELD_LABELS.get(exc.field.split(".")[0], "")
    text = describe(InputError(exc.kind, **exc.params))
    return f"{label}：{text}" if label else text


class AgencyForm(QWidget):
    """Edits an ``Agency``; keys the form does not show (文号 patterns, font …) are kept as they were.

    Signals:
        changed: any field was edited.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base: Agency | None = None
        self.edits: dict[str, QLineEdit] = {}
        self.form_layout = layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        layout.setLabelAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)

        for field, placeholder in _TEXT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(field)
            edit.setPlaceholderText(placeholder)
            edit.textChanged.connect(self._on_field_changed)
            self.edits[field] = edit

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind")
        for code in AgencyKind.ALL:
            self.kind_combo.addItem(AGENCY_KIND_LABELS[code], code)
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("level")
        for code in AGENCY_LEVELS:
            self.level_combo.addItem(AGENCY_LEVEL_LABELS[code], code)
        self.level_combo.setCurrentIndex(AGENCY_LEVELS.index("county"))
        self.kind_combo.currentIndexChanged.connect(self._on_field_changed)
        self.level_combo.currentIndexChanged.connect(self._on_field_changed)

        self.organ_label = QLabel()
        self.organ_label.setObjectName("organ")
        self.organ_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.organ_label.setWordWrap(True)

        def label(field: str, required: bool = False) -> str:
            return AGENCY_FIELD_LABELS[field] + ("*" if required else "") + "："

        layout.addRow(label("name", True), self.edits["name"])
        layout.addRow(label("short_name"), self.edits["short_name"])
        layout.addRow(label("kind", True), self.kind_combo)
        layout.addRow(label("level", True), self.level_combo)
        layout.addRow(label("parent_government"), self.edits["parent_government"])
        layout.addRow(label("parent_department"), self.edits["parent_department"])
        layout.addRow("复议机关（自动确定）：", self.organ_label)
        for field in ("court", "office", "address", "phone"):
            layout.addRow(label(field), self.edits[field])
        self._update_organ()

    # ------------------------------------------------------------------ values

    def set_agency(self, agency: Agency | None) -> None:
        self._base = agency
        if agency is None:
            return
        for field, edit in self.edits.items():
            edit.setText(getattr(agency, field))
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(agency.kind)))
        self.level_combo.setCurrentIndex(max(0, self.level_combo.findData(agency.level)))
        self._update_organ()

    def values(self) -> dict[str, Any]:
        """The profile as ``agency.toml`` keys: the base profile's keys overlaid with the form's."""
        data = self._base.to_dict() if self._base is not None else {}
        for field, edit in self.edits.items():
            data[field] = edit.text().strip()
        data["kind"] = self.kind_combo.currentData()
        data["level"] = self.level_combo.currentData()
        return data

    def agency(self) -> Agency:
        """The checked profile; ``InputError`` (with ``field``) when a value is not acceptable."""
        return agency_from_dict(self.values())

    # ------------------------------------------------------------------ the derived organ

    def organ_text(self) -> str:
        try:
            agency = self.agency()
        except InputError as exc:
            if exc.field == "name":
                # The organ does not depend on the name; show it already while the name is empty.
                agency = dataclasses.replace(agency_from_dict({**self.values(), "name": "本机关"}))
            else:
                return describe_field_error(exc)
        try:
            organ = reconsideration_organ(agency)
        except InputError as exc:
            if exc.kind == "agency_incomplete":
                return f"请填写“{AGENCY_FIELD_LABELS.get(exc.field, exc.field)}”，据此确定复议机关"
            if exc.kind == "bad_choice" and exc.field == "level":
                return "这一类型的机关没有这个层级，请检查“机关类型”和“层级”"
            return describe(exc)
        who = "本机关（自行复议）" if organ.self_review else organ.text
        return f"{who}\n依据：{organ.article}"

    def _update_organ(self) -> None:
        self.organ_label.setText(self.organ_text())

    def _on_field_changed(self) -> None:
        self._update_organ()
        self.changed.emit()
