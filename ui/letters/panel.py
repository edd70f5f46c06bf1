"""The case page's letters panel: the case's letters (文号, kind, status, review, delivery) and 生成文书."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import YishenError
from app.domain.letters import LETTER_STATUS_LABELS, LetterRecord, LetterStatus
from app.domain.model import Case, ConsultationSent
from app.letters import KIND_LABELS, LetterKind
from app.services.letters import deliveries_of, letter_label, letters_of_case, prepare_letter
from ui.letters.text import say
from ui.letters.window import LetterWindow, delivery_text
from ui.session import Clock, Session

# The party a consultation kind is addressed to (one letter per consultation of that party).
_PARTY = {
    LetterKind.CONSULTATION_THIRD_PARTY: "third_party",
    LetterKind.PUBLIC_INTEREST_NOTICE: "third_party",
    LetterKind.CONSULTATION_AGENCY: "agency",
}
# The order a clerk meets them while handling a request.
KIND_ORDER = (
    LetterKind.RECEIPT,
    LetterKind.CORRECTION,
    LetterKind.CONSULTATION_THIRD_PARTY,
    LetterKind.PUBLIC_INTEREST_NOTICE,
    LetterKind.CONSULTATION_AGENCY,
    LetterKind.EXTENSION,
    LetterKind.FEE,
    LetterKind.REPLY,
)
COLUMNS = ("文号", "文书", "状态", "审核", "送达")


def review_text(record: LetterRecord) -> str:
    """The latest review step in a few words: ``李科长 退回：请核对地址`` / ``李科长 通过``."""
    if not record.reviews:
        return "待审核" if record.status == LetterStatus.DRAFT else ""
    last = record.reviews[-1]
    if last.approved:
        return f"{last.by} 通过"
    return f"{last.by} 退回：{last.comment}"


class LettersPanel(QGroupBox):
    """Lists one case's letters; drafts a letter of a chosen kind and opens letter windows.

    Signals:
        changed: a letter was drafted or changed in one of its windows (the case page reloads).
    """

    changed = Signal()

    def __init__(self, session: Session, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__("文书", parent)
        self.session = session
        self.clock = clock
        self.case: Case | None = None
        self.records: list[LetterRecord] = []
        self.windows: dict[str, LetterWindow] = {}

        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.new_button = QPushButton("生成文书")
        self.new_menu = QMenu(self.new_button)
        self.new_button.setMenu(self.new_menu)
        self.open_button = QPushButton("打开")
        self.open_button.clicked.connect(self._on_open_button_clicked)
        row.addWidget(self.new_button)
        row.addWidget(self.open_button)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.error_label, 1)
        layout.addLayout(row)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.note = QLabel("尚无文书。点“生成文书”选择种类，如登记回执、补正告知书、答复书。")
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note, 1)  # the buttons stay on top when there is no table

    # ------------------------------------------------------------------ showing

    def show_case(self, case: Case) -> None:
        """List ``case``'s letters and offer the kinds it can have."""
        self.case = case
        self.error_label.clear()
        try:
            with self.session.read() as uow:
                self.records = letters_of_case(uow, case.number)
        except YishenError as exc:
            self.records = []
            self.error_label.setText(say(exc))
        self.table.setRowCount(len(self.records))
        for r, record in enumerate(self.records):
            deliveries = "；".join(delivery_text(d) for d in deliveries_of(case, record))
            if record.status == LetterStatus.ISSUED and not deliveries:
                deliveries = "未登记送达"
            values = (
                record.doc_number,
                letter_label(record),
                LETTER_STATUS_LABELS[record.status],
                review_text(record),
                deliveries,
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, record.id)
                if record.status == LetterStatus.CANCELLED:
                    item.setForeground(Qt.GlobalColor.gray)
                    item.setToolTip(f"已作废：{record.cancel_reason}")
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(self.records))
        self.note.setVisible(not self.records)
        self.open_button.setEnabled(bool(self.records))
        self._fill_menu(case)

    def _fill_menu(self, case: Case) -> None:
        self.new_menu.clear()
        for kind in KIND_ORDER:
            party = _PARTY.get(kind)
            sent = [e for e in case.events if isinstance(e, ConsultationSent) and e.party == party]
            if party is not None and len(sent) > 1:
                sub = self.new_menu.addMenu(KIND_LABELS[kind])
                for event in sent:
                    action = sub.addAction(f"{event.name}（{event.date.isoformat()}）")
                    action.triggered.connect(lambda _=False, k=kind, c=event.id: self.draft(k, c))
            else:
                action = self.new_menu.addAction(KIND_LABELS[kind])
                action.triggered.connect(lambda _=False, k=kind: self.draft(k))

    def row_values(self, row: int) -> list[str]:
        items = (self.table.item(row, c) for c in range(self.table.columnCount()))
        return [item.text() if item is not None else "" for item in items]

    # ------------------------------------------------------------------ drafting and opening

    def draft(self, kind: LetterKind, consultation_id: str | None = None) -> LetterWindow | None:
        """Draft (or find) the case's letter of ``kind`` and open it; None with the reason shown."""
        if self.case is None:
            return None
        self.error_label.clear()
        try:
            with self.session.write() as uow:
                prepared = prepare_letter(
                    uow,
                    self.case.number,
                    kind,
                    consultation_id=consultation_id,
                    today=self.clock(),
                    actor=self.session.actor,
                )
        except YishenError as exc:
            self.error_label.setText(f"不能生成{KIND_LABELS[kind]}：{say(exc)}")
            return None
        self.changed.emit()
        return self.open_letter(prepared.record.id)

    def open_letter(self, letter_id: str) -> LetterWindow | None:
        if self.case is None:
            return None
        window = self.windows.get(letter_id)
        if window is None:
            window = LetterWindow(self.session, self.clock, self.case.number, letter_id, self.window())
            window.changed.connect(self._on_window_changed)
            window.finished.connect(lambda _=0, i=letter_id: self.windows.pop(i, None))
            self.windows[letter_id] = window
        if not window.reload():
            return window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def close_windows(self) -> None:
        """Close every letter window (before the session closes)."""
        for window in list(self.windows.values()):
            window.close()
        self.windows.clear()

    def selected_letter(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else self.table.currentRow()
        if not 0 <= row < len(self.records):
            return None
        return self.records[row].id

    def _on_open_button_clicked(self) -> None:
        letter_id = self.selected_letter()
        if letter_id is None and len(self.records) == 1:
            letter_id = self.records[0].id
        if letter_id is not None:
            self.open_letter(letter_id)

    def _on_table_double_clicked(self) -> None:
        letter_id = self.selected_letter()
        if letter_id is not None:
            self.open_letter(letter_id)

    def _on_window_changed(self, _letter_id: str) -> None:
        self.changed.emit()
