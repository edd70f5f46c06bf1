"""批量打印: one letter of each selected case in one PDF, made off the GUI thread with progress and 取消,
then saved, opened or sent to a printer (the same page images as a single letter's print, also off the
GUI thread: Qt paints on a QPrinter from any thread)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import StoreError, YishenError
from app.messages import describe
from app.progress import Cancelled, Progress
from app.services.batch import BATCH_CHOICE_LABELS, BatchChoice, BatchResult, BatchSkip, batch_print
from ui.letters.pages import PRINT_DPI, page_count, prepare_printer, render_page
from ui.progress import ProgressPanel
from ui.session import Clock, Session
from ui.tasks import TaskRunner

CHOICE_HINTS: dict[BatchChoice, str] = {
    BatchChoice.RECEIPT: "尚无登记回执的案件将生成回执并编号，与在案件页打印登记回执相同。",
    BatchChoice.LATEST_ISSUED: "没有已签发文书的案件将被跳过。",
}


PRINTING = "正在打印"


class PrinterError(YishenError):
    """The printer could not be started (switched off, no driver, no permission)."""

    kind = "printer"


def print_pages(printer: QPrinter, pdf: bytes, progress: Progress) -> int:
    """Draw every page of ``pdf`` on ``printer`` (set up and chosen already); returns the page count.

    A cancel stops before the next page and aborts the print run, so a printer drops the job instead
    of printing part of the batch (Qt's PDF printer cannot abort and keeps the pages drawn so far).
    """
    total = page_count(pdf)
    dpi = printer.resolution() or PRINT_DPI
    painter = QPainter()
    if not painter.begin(printer):
        raise PrinterError()
    try:
        for index in range(total):
            progress.step(index, total, PRINTING)
            image = render_page(pdf, index, dpi)
            if index:
                printer.newPage()
            painter.drawImage(printer.pageLayout().fullRectPixels(printer.resolution()), image)
        progress.step(total, total, PRINTING)
    except Cancelled:
        printer.abort()
        raise
    finally:
        if painter.isActive():
            painter.end()
    return total


def skip_text(skip: BatchSkip) -> str:
    """Why a case was left out, in Chinese."""
    reason = "没有已签发的文书" if skip.error.kind == "no_issued_letter" else describe(skip.error)
    return f"{skip.number}：{reason}"


class BatchPrintDialog(QDialog):
    """Choose the letter, then write the selected cases' letters into one PDF to print.

    Signals:
    printed(str): the PDF was written to this path.
    sent_to_printer(int): the PDF went to the printer (how many pages).
    """

    printed = Signal(str)
    sent_to_printer = Signal(int)

    def __init__(
        self,
        session: Session,
        clock: Clock,
        runner: TaskRunner,
        numbers: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.runner = runner
        self.numbers = list(dict.fromkeys(numbers))  # once each, in the order selected
        self.batch_result: BatchResult | None = None
        self.setWindowTitle("批量打印")
        self.setMinimumWidth(560)

        layout = QVBoxLayout(self)
        shown = "、".join(self.numbers[:8]) + ("……" if len(self.numbers) > 8 else "")
        count_label = QLabel(f"已选 {len(self.numbers)} 件案件：{shown}")
        count_label.setWordWrap(True)
        layout.addWidget(count_label)

        form = QFormLayout()
        self.choice_group = QButtonGroup(self)
        self.choice_buttons: dict[BatchChoice, QRadioButton] = {}
        choices = QVBoxLayout()
        for i, (choice, label) in enumerate(BATCH_CHOICE_LABELS.items()):
            button = QRadioButton(label)
            button.setToolTip(CHOICE_HINTS[choice])
            self.choice_group.addButton(button, i)
            self.choice_buttons[choice] = button
            choices.addWidget(button)
        self.choice_buttons[BatchChoice.RECEIPT].setChecked(True)
        self.choice_hint = QLabel()
        self.choice_hint.setObjectName("hint")
        self.choice_hint.setWordWrap(True)
        choices.addWidget(self.choice_hint)
        self.choice_group.buttonToggled.connect(self._on_choice_toggled)
        form.addRow("打印的文书：", choices)

        path_row = QHBoxLayout()
        self.path_edit = QLineEdit(str(Path.home() / f"批量打印-{clock():%Y%m%d}.pdf"))
        self.browse_button = QPushButton("选择…")
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        form.addRow("保存为：", path_row)
        layout.addLayout(form)

        self.progress_panel = ProgressPanel()
        layout.addWidget(self.progress_panel)
        self.skipped_view = QPlainTextEdit()
        self.skipped_view.setReadOnly(True)
        self.skipped_view.setMaximumHeight(140)
        self.skipped_view.hide()
        layout.addWidget(self.skipped_view)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.start_button = QPushButton("生成PDF")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.open_button = QPushButton("打开PDF")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.print_button = QPushButton("打印…")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._on_choice_toggled()
        if not self.numbers:
            self.start_button.setEnabled(False)
            self.progress_panel.say("没有选中案件。", error=True)

    def choice(self) -> BatchChoice:
        for choice, button in self.choice_buttons.items():
            if button.isChecked():
                return choice
        return BatchChoice.RECEIPT

    def set_choice(self, choice: BatchChoice) -> None:
        self.choice_buttons[choice].setChecked(True)

    def start(self) -> None:
        """Collect, render and merge in the background."""
        if self.progress_panel.running() or not self.numbers:
            return
        text = self.path_edit.text().strip()
        if not text:
            self._on_browse_button_clicked()
            text = self.path_edit.text().strip()
            if not text:
                return
        dest = Path(text).expanduser()
        if dest.suffix.lower() != ".pdf":
            dest = dest.with_name(f"{dest.name}.pdf")
            self.path_edit.setText(str(dest))
        session = self.session
        numbers = list(self.numbers)
        choice = self.choice()
        today = self.clock()

        def work(progress: Progress) -> BatchResult:
            with session.write() as uow:
                return batch_print(
                    uow, numbers, choice, dest, today=today, actor=session.actor, progress=progress
                )

        self.batch_result = None
        self.open_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.skipped_view.hide()
        self._set_busy(True)
        self.progress_panel.run(
            self.runner,
            work,
            self._on_done,
            self._on_failed,
            text="正在准备文书……",
            on_cancelled=self._on_cancelled,
        )

    def _on_done(self, result: BatchResult) -> None:
        self.batch_result = result
        self._set_busy(False)
        skipped = [skip_text(s) for s in result.skipped]
        if skipped:
            self.skipped_view.setPlainText("未打印的案件：\n" + "\n".join(skipped))
            self.skipped_view.show()
        if not result.printed:
            self.progress_panel.say("所选案件都没有可打印的文书，未生成PDF。", error=True)
            return
        more = f"，跳过 {len(result.skipped)} 件" if result.skipped else ""
        self.progress_panel.say(
            f"已生成 {len(result.printed)} 份文书（共 {result.pages} 页{more}）：{result.path}"
        )
        self.printed.emit(str(result.path))

    def _on_failed(self, exc: YishenError) -> None:
        self._set_busy(False)
        self.progress_panel.say(f"批量打印失败：{describe(exc)}", error=True)

    def _on_cancelled(self) -> None:
        self._set_busy(False)
        self.progress_panel.say("已取消，未生成PDF。")

    def print_to(self, printer: QPrinter) -> None:
        """Send the PDF made last to ``printer`` in the background (the print dialog has been shown)."""
        result = self.batch_result
        if result is None or not result.printed or self.progress_panel.running():
            return
        path = result.path

        def work(progress: Progress) -> int:
            try:
                pdf = path.read_bytes()
            except OSError as exc:
                raise StoreError("io", detail=exc.strerror or str(exc), path=str(path)) from exc
            return print_pages(printer, pdf, progress)

        self._set_busy(True)
        self.progress_panel.run(
            self.runner,
            work,
            self._on_print_done,
            self._on_print_failed,
            text="正在打印……",
            on_cancelled=self._on_print_cancelled,
        )

    def _on_print_done(self, pages: int) -> None:
        self._set_busy(False)
        self.progress_panel.say(f"已发送到打印机（{pages} 页）。")
        self.sent_to_printer.emit(pages)

    def _on_print_failed(self, exc: YishenError) -> None:
        self._set_busy(False)
        if isinstance(exc, PrinterError):
            text = "打印机无法启动，请检查打印机是否开启并已连接后重试。"
        else:
            text = describe(exc)
        self.progress_panel.say(f"打印失败：{text}", error=True)

    def _on_print_cancelled(self) -> None:
        self._set_busy(False)
        self.progress_panel.say("已取消打印。")

    def _on_print_button_clicked(self) -> None:
        if self.batch_result is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer)
        printer.setDocName(self.batch_result.path.stem)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("批量打印")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def _set_busy(self, busy: bool) -> None:
        self.start_button.setEnabled(not busy)
        has_pdf = self.batch_result is not None and bool(self.batch_result.printed)
        self.open_button.setEnabled(not busy and has_pdf)
        self.print_button.setEnabled(not busy and has_pdf)
        self.browse_button.setEnabled(not busy)
        self.path_edit.setEnabled(not busy)
        for button in self.choice_buttons.values():
            button.setEnabled(not busy)

    def _on_choice_toggled(self, *_args: object) -> None:
        self.choice_hint.setText(CHOICE_HINTS[self.choice()])

    def _on_browse_button_clicked(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "保存批量打印的PDF", self.path_edit.text(), "PDF 文件 (*.pdf)"
        )
        if chosen:
            self.path_edit.setText(chosen)

    def _on_open_button_clicked(self) -> None:
        if self.batch_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.batch_result.path)))

    def reject(self) -> None:
        """Closing while it runs cancels the work (nothing half-written stays)."""
        if self.progress_panel.running():
            self.progress_panel.cancel()
        super().reject()
