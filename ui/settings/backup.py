"""设置 → 备份与数据: an encrypted copy of the whole database, and import/export of case files.

All three are long work with a progress line and 取消: a cancelled backup or export leaves no file (it is
written under a temporary name and renamed when complete), a cancelled import stores nothing (one
transaction, rolled back).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import YishenError
from app.messages import describe
from app.progress import Progress, finished_file
from app.services.cases import ImportReport
from app.services.transfer import export_case_file, import_case_file
from ui.progress import ProgressPanel
from ui.session import Clock, Session
from ui.tasks import TaskRunner

MIN_PASSPHRASE = 8
MAX_LISTED_ERRORS = 200
IMPORT_FILTER = "案件文件 (*.jsonl *.ndjson);;台账 (*.xlsx *.xlsm *.csv);;所有文件 (*)"


class BackupPanel(QWidget):
    """Signals:
    backed_up(str): a backup was written to this path.
    imported(int): cases were imported (how many); lists showing cases should refresh.
    exported(str): the cases were exported to this path.
    """

    backed_up = Signal(str)
    imported = Signal(int)
    exported = Signal(str)

    def __init__(
        self, session: Session, clock: Clock, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.runner = runner or TaskRunner(self)
        self._running = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        backup_box = QGroupBox("加密备份")
        backup_layout = QVBoxLayout(backup_box)
        intro = QLabel(
            "备份是整个数据库（案件、文书、日历和设置）的加密副本。请定期备份，并把备份文件保存在另一块磁盘或移动存储上。"
        )
        intro.setWordWrap(True)
        backup_layout.addWidget(intro)

        form = QFormLayout()
        form.setContentsMargins(0, 8, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        path_row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("选择备份文件的保存位置")
        self.browse_button = QPushButton("选择…")
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        form.addRow("备份文件：", path_row)
        self.own_passphrase_check = QCheckBox("使用单独的备份口令（可在其他电脑上恢复）")
        self.own_passphrase_check.toggled.connect(self._on_own_passphrase_toggled)
        form.addRow("", self.own_passphrase_check)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("备份口令：", self.passphrase_edit)
        form.addRow("再次输入：", self.confirm_edit)
        backup_layout.addLayout(form)

        self.key_hint = QLabel()
        self.key_hint.setObjectName("hint")
        self.key_hint.setWordWrap(True)
        backup_layout.addWidget(self.key_hint)

        row = QHBoxLayout()
        self.backup_progress = ProgressPanel()
        self.message_label = self.backup_progress.message_label
        self.backup_button = QPushButton("生成备份")
        self.backup_button.setMinimumWidth(96)
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        row.addWidget(self.backup_progress, 1)
        row.addWidget(self.backup_button)
        backup_layout.addLayout(row)
        layout.addWidget(backup_box)

        data_box = QGroupBox("导入与导出案件")
        data_layout = QVBoxLayout(data_box)
        data_intro = QLabel(
            "导入 yishen-case/1 案件文件（.jsonl）或 Excel/CSV 台账；导入在一个事务中完成，"
            "文件中任何一行有误或中途取消，都不会导入任何案件。导出把全部案件按登记编号写入 .jsonl 文件。"
        )
        data_intro.setWordWrap(True)
        data_layout.addWidget(data_intro)
        data_row = QHBoxLayout()
        self.transfer_progress = ProgressPanel()
        self.import_button = QPushButton("导入案件…")
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_button = QPushButton("导出案件…")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        data_row.addWidget(self.transfer_progress, 1)
        data_row.addWidget(self.import_button)
        data_row.addWidget(self.export_button)
        data_layout.addLayout(data_row)
        self.errors_view = QPlainTextEdit()
        self.errors_view.setReadOnly(True)
        self.errors_view.setMaximumHeight(160)
        self.errors_view.hide()
        data_layout.addWidget(self.errors_view)
        layout.addWidget(data_box)
        layout.addStretch(1)
        self._on_own_passphrase_toggled(False)

    def default_path(self) -> Path:
        return Path.home() / f"yishen-备份-{self.clock():%Y%m%d}.db"

    def _on_browse_button_clicked(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            "保存备份",
            self.path_edit.text() or str(self.default_path()),
            "加密备份 (*.db);;所有文件 (*)",
        )
        if chosen:
            self.path_edit.setText(chosen)

    def _on_own_passphrase_toggled(self, checked: bool) -> None:
        self.passphrase_edit.setEnabled(checked)
        self.confirm_edit.setEnabled(checked)
        if checked:
            self.key_hint.setText("恢复时需要输入这个备份口令；口令遗失将无法恢复，请妥善保管。")
        elif self.session.key_mode == "keyring":
            self.key_hint.setText(
                "不设备份口令时，备份使用本机系统密钥库中的密钥加密，只能在本机恢复；"
                "如需在其他电脑上恢复，请设置备份口令。"
            )
        else:
            self.key_hint.setText("不设备份口令时，备份使用当前数据库的口令加密，恢复时输入同一口令。")

    def _passphrase(self) -> str | None:
        """The separate passphrase, None for the database's own key; raises ValueError with the reason."""
        if not self.own_passphrase_check.isChecked():
            return None
        passphrase = self.passphrase_edit.text()
        if len(passphrase) < MIN_PASSPHRASE:
            raise ValueError(f"备份口令至少需要{MIN_PASSPHRASE}个字符。")
        if passphrase != self.confirm_edit.text():
            raise ValueError("两次输入的备份口令不一致。")
        return passphrase

    def _on_backup_button_clicked(self) -> None:
        if self._running:
            return
        text = self.path_edit.text().strip()
        if not text:
            self._on_browse_button_clicked()
            text = self.path_edit.text().strip()
            if not text:
                return
        try:
            passphrase = self._passphrase()
        except ValueError as exc:
            self._say(str(exc), error=True)
            return
        dest = Path(text).expanduser()
        session = self.session

        def backup(progress: Progress) -> tuple[Path, int]:
            # SQLCipher copies the database in one call that cannot stop half-way: a cancel takes
            # effect when it returns, and the copy (under a temporary name) is removed.
            progress.step(0, 0, "正在生成备份")
            with finished_file(dest, progress, make_folder=True) as tmp:
                session.backup(tmp, passphrase=passphrase)
                size = tmp.stat().st_size
            return dest.resolve(), size

        self._running = True
        self._set_busy(True)
        started = dt.datetime.now()
        self.backup_progress.run(
            self.runner,
            backup,
            lambda result: self._on_backup_done(result, started),
            self._on_backup_failed,
            text="正在生成备份……",
            on_cancelled=self._on_backup_cancelled,
        )

    def _on_backup_done(self, result: tuple[Path, int], started: dt.datetime) -> None:
        path, size = result
        self._running = False
        self._set_busy(False)
        self.passphrase_edit.clear()
        self.confirm_edit.clear()
        seconds = (dt.datetime.now() - started).total_seconds()
        self._say(f"已生成加密备份：{path}（{size / 1024:.0f} KB，用时 {seconds:.1f} 秒）")
        self.backed_up.emit(str(path))

    def _on_backup_failed(self, exc: YishenError) -> None:
        self._running = False
        self._set_busy(False)
        self._say(f"备份失败：{describe(exc)}", error=True)

    def _on_backup_cancelled(self) -> None:
        self._running = False
        self._set_busy(False)
        self._say("已取消，未生成备份文件。")

    def _set_busy(self, busy: bool) -> None:
        self.backup_button.setEnabled(not busy)
        self.browse_button.setEnabled(not busy)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.backup_progress.say(text, error=error)

    # ------------------------------------------------------------------ import and export of cases

    def _on_import_button_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, "导入案件", str(Path.home()), IMPORT_FILTER)
        if chosen:
            self.import_file(Path(chosen))

    def _on_export_button_clicked(self) -> None:
        default = Path.home() / f"yishen-案件-{self.clock():%Y%m%d}.jsonl"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "导出案件", str(default), "案件文件 (*.jsonl);;所有文件 (*)"
        )
        if chosen:
            path = Path(chosen)
            self.export_file(
                path if path.suffix.lower() == ".jsonl" else path.with_name(f"{path.name}.jsonl")
            )

    def import_file(self, path: Path) -> None:
        """Import ``path`` in the background (one transaction); the outcome is shown below the buttons."""
        if self.transfer_progress.running():
            return
        session = self.session
        today = self.clock()

        def work(progress: Progress) -> ImportReport:
            with session.write() as uow:
                return import_case_file(uow, path, today=today, progress=progress)

        self._set_transfer_busy(True)
        self.errors_view.clear()
        self.errors_view.hide()
        self.transfer_progress.run(
            self.runner,
            work,
            lambda report: self._on_import_done(path, report),
            self._on_import_failed,
            text=f"正在导入 {path.name} ……",
            on_cancelled=lambda: self._on_transfer_cancelled("已取消导入，未导入任何案件。"),
        )

    def export_file(self, path: Path) -> None:
        """Write every case to ``path`` in the background; a cancel leaves no file."""
        if self.transfer_progress.running():
            return
        session = self.session

        def work(progress: Progress) -> int:
            with session.read() as uow:
                return export_case_file(uow, path, progress=progress)

        self._set_transfer_busy(True)
        self.errors_view.hide()
        self.transfer_progress.run(
            self.runner,
            work,
            lambda count: self._on_export_done(path, count),
            self._on_export_failed,
            text=f"正在导出到 {path.name} ……",
            on_cancelled=lambda: self._on_transfer_cancelled("已取消导出，未生成文件。"),
        )

    def _on_import_done(self, path: Path, report: ImportReport) -> None:
        self._set_transfer_busy(False)
        errors = report.errors
        if errors:
            if len(errors) == 1:
                self.transfer_progress.say(f"导入失败，未导入任何案件：{describe(errors[0])}", error=True)
                return
            shown = [describe(e) for e in errors[:MAX_LISTED_ERRORS]]
            if len(errors) > MAX_LISTED_ERRORS:
                shown.append(f"……另有 {len(errors) - MAX_LISTED_ERRORS} 处错误未列出")
            self.errors_view.setPlainText("\n".join(shown))
            self.errors_view.show()
            self.transfer_progress.say(
                f"导入失败，未导入任何案件：发现 {len(errors)} 处错误，见下方列表。", error=True
            )
            return
        self.transfer_progress.say(
            f"已从 {path.name} 导入 {report.imported} 件案件"
            + (f"，{report.unchanged} 件已有且相同" if report.unchanged else "")
            + "。"
        )
        self.imported.emit(report.imported)

    def _on_import_failed(self, exc: YishenError) -> None:
        self._set_transfer_busy(False)
        self.transfer_progress.say(f"导入失败，未导入任何案件：{describe(exc)}", error=True)

    def _on_export_done(self, path: Path, count: int) -> None:
        self._set_transfer_busy(False)
        self.transfer_progress.say(f"已导出 {count} 件案件：{path.expanduser().resolve()}")
        self.exported.emit(str(path.expanduser().resolve()))

    def _on_export_failed(self, exc: YishenError) -> None:
        self._set_transfer_busy(False)
        self.transfer_progress.say(f"导出失败：{describe(exc)}", error=True)

    def _on_transfer_cancelled(self, text: str) -> None:
        self._set_transfer_busy(False)
        self.transfer_progress.say(text)

    def _set_transfer_busy(self, busy: bool) -> None:
        self.import_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy)
