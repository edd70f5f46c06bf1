"""批量打印: the selected cases' letters in one PDF, written off the GUI thread, then printed; 取消 leaves
no file and aborts a print run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from app.services.batch import RENDERING, BatchChoice
from tests.ui.conftest import TODAY
from tests.ui.gate import StepGate
from ui.cases.batch import PRINTING, BatchPrintDialog
from ui.letters.pages import prepare_printer
from ui.session import Session
from ui.tasks import TaskRunner


def dialog_for(qtbot: QtBot, session: Session, numbers: list[str], dest: Path) -> BatchPrintDialog:
    dialog = BatchPrintDialog(session, lambda: TODAY, TaskRunner(), numbers)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(dest))
    return dialog


def test_receipts_of_three_cases_become_one_pdf(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path
) -> None:
    (tmp_path / "批量").mkdir()
    dest = tmp_path / "批量" / "回执.pdf"
    numbers = ["2026-0003", "2026-0001", "2026-0005"]
    dialog = dialog_for(qtbot, seeded_session, numbers, dest)
    assert dialog.choice() == BatchChoice.RECEIPT and not dialog.open_button.isEnabled()
    with qtbot.waitSignal(dialog.printed, timeout=60_000) as signal:
        dialog.start_button.click()
        assert not dialog.start_button.isEnabled()
    assert signal.args == [str(dest.resolve())]
    result = dialog.batch_result
    assert result is not None and [p.number for p in result.printed] == numbers
    pages = [page.extract_text() for page in PdfReader(dest).pages]
    text = "\n".join(pages)
    assert text.count("政府信息公开申请登记回执") == 3
    for item in result.printed:
        assert item.doc_number in text
    for suffix in ("03", "01", "05"):  # each case's applicant (申请人NN in the seed)
        assert f"申请人{suffix}" in text
    assert dialog.progress_panel.message_label.text() == (
        f"已生成 3 份文书（共 {len(pages)} 页）：{dest.resolve()}"
    )
    assert dialog.open_button.isEnabled() and dialog.start_button.isEnabled()


def test_a_case_without_an_issued_letter_is_listed_as_skipped(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path
) -> None:
    dest = tmp_path / "已签发.pdf"
    dialog = dialog_for(qtbot, seeded_session, ["2026-0002", "2026-0004"], dest)
    dialog.set_choice(BatchChoice.LATEST_ISSUED)
    assert "跳过" in dialog.choice_hint.text()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=30_000)
    assert dialog.progress_panel.message_label.text() == "所选案件都没有可打印的文书，未生成PDF。"
    assert dialog.skipped_view.toPlainText().splitlines() == [
        "未打印的案件：",
        "2026-0002：没有已签发的文书",
        "2026-0004：没有已签发的文书",
    ]
    assert not dest.exists() and not dialog.open_button.isEnabled()


def test_cancelling_a_batch_print_leaves_no_pdf(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = StepGate(monkeypatch, lambda done, total, text: text == RENDERING and done == 1)
    folder = tmp_path / "批量"
    folder.mkdir()
    dialog = dialog_for(qtbot, seeded_session, ["2026-0001", "2026-0002", "2026-0003"], folder / "a.pdf")
    dialog.start()
    assert gate.reached.wait(60)
    dialog.progress_panel.cancel_button.click()
    gate.release()
    with qtbot.waitSignal(dialog.progress_panel.cancelled, timeout=20_000):
        pass
    assert dialog.progress_panel.message_label.text() == "已取消，未生成PDF。"
    assert list(folder.iterdir()) == [] and dialog.batch_result is None


def test_the_pdf_goes_to_the_printer_page_by_page_and_a_cancel_aborts_the_run(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "回执.pdf"
    dialog = dialog_for(qtbot, seeded_session, ["2026-0001", "2026-0002", "2026-0003"], dest)
    assert not dialog.print_button.isEnabled()
    with qtbot.waitSignal(dialog.printed, timeout=60_000):
        dialog.start()
    assert dialog.print_button.isEnabled()
    result = dialog.batch_result
    assert result is not None

    # A printer that writes what it prints to a PDF file (no printer is needed for the test).
    def printer_to(path: Path) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer)
        printer.setResolution(60)  # fast page images; the page count is what is checked
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return printer

    printed = tmp_path / "打印机.pdf"
    with qtbot.waitSignal(dialog.sent_to_printer, timeout=60_000) as signal:
        dialog.print_to(printer_to(printed))
    assert signal.args == [result.pages] and len(PdfReader(printed).pages) == result.pages
    assert dialog.progress_panel.message_label.text() == f"已发送到打印机（{result.pages} 页）。"

    gate = StepGate(monkeypatch, lambda done, total, text: text == PRINTING and done == 1)
    cancelled = tmp_path / "取消.pdf"
    dialog.print_to(printer_to(cancelled))
    assert gate.reached.wait(60)
    dialog.progress_panel.cancel_button.click()
    gate.release()
    with qtbot.waitSignal(dialog.progress_panel.cancelled, timeout=20_000):
        pass
    assert dialog.progress_panel.message_label.text() == "已取消打印。"
    assert dialog.print_button.isEnabled()
    # No page after the cancel was sent (a printer drops the aborted job; Qt's PDF printer, which
    # stands in for it here, keeps the pages drawn before the cancel was seen).
    assert not cancelled.exists() or len(PdfReader(cancelled).pages) < result.pages


def test_closing_the_dialog_while_it_works_cancels_quietly(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The case list opens the dialog with WA_DeleteOnClose: the work's answer finds it deleted."""
    hooked: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: hooked.append(exc))
    gate = StepGate(monkeypatch, lambda done, total, text: text == RENDERING)
    folder = tmp_path / "批量"
    folder.mkdir()
    runner = TaskRunner()
    dialog = BatchPrintDialog(seeded_session, lambda: TODAY, runner, ["2026-0001", "2026-0002"])
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.path_edit.setText(str(folder / "a.pdf"))
    dialog.open()
    dialog.start()
    assert gate.reached.wait(60)
    with qtbot.waitSignal(dialog.destroyed, timeout=10_000):
        dialog.close()
    gate.release()
    assert runner.wait(30_000)
    qtbot.waitUntil(lambda: not runner.busy(), timeout=10_000)
    assert hooked == [] and list(folder.iterdir()) == []
