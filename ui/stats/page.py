"""The 统计 page: one year's annual-report tables (exportable), trends in charts and the periodic analysis."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import YishenError
from app.messages import describe
from app.progress import Progress, finished_file
from app.reports.grid import section3_grid, section4_grid
from app.reports.table import SECTION3_TITLE, SECTION4_TITLE, check_text
from app.services.statistics import (
    EXPORT_FORMATS,
    ExportFormat,
    YearStatistics,
    compute_statistics,
    default_report_year,
    export_annual_report,
    report_years,
)
from ui.progress import ProgressPanel
from ui.session import Clock, Session
from ui.stats.charts import (
    TAG_COLOR,
    TOPIC_COLOR,
    ChartPane,
    intake_chart,
    outcomes_chart,
    overdue_chart,
    ranking_chart,
)
from ui.stats.tables import GridTable
from ui.tasks import TaskRunner

# Table 三: the three label columns (一、… / （一）… / 1.…), then seven counts; table 四: fifteen counts.
# Both fit the page beside the navigation in a 1280-pixel window.
SECTION3_WIDTHS = (70, 130, 290, *([70] * 7))
SECTION4_WIDTHS = (64,) * 15
EXPORT_LABELS: dict[ExportFormat, tuple[str, str]] = {
    "xlsx": ("导出 XLSX", "Excel 工作簿 (*.xlsx)"),
    "docx": ("导出 DOCX", "Word 文档 (*.docx)"),
    "pdf": ("导出 PDF", "PDF 文件 (*.pdf)"),
}
CHECK_OK_STYLE = "color: #188038; font-weight: bold;"
CHECK_FAILED_STYLE = "color: #b3261e; font-weight: bold;"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    return label


def _list_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for col in range(1, len(headers)):
        table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c > 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeRowsToContents()


class StatisticsPage(QWidget):
    """Signals:
    computed: the statistics of the chosen year were computed and are shown.
    exported(str): the report was written to this path.
    """

    computed = Signal()
    exported = Signal(str)

    def __init__(
        self, session: Session, clock: Clock, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.runner = runner or TaskRunner(self)
        self.stats: YearStatistics | None = None
        self._generation = 0
        self._exporting = False
        self._computing = False
        self._recount = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        head = QHBoxLayout()
        title = QLabel("统计")
        title.setObjectName("pageTitle")
        head.addWidget(title)
        head.addSpacing(16)
        head.addWidget(QLabel("年度："))
        self.year_combo = QComboBox()
        today = clock()
        for year in report_years(today):
            self.year_combo.addItem(f"{year}年", year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(default_report_year(today)))
        self.year_combo.currentIndexChanged.connect(self._on_year_combo_changed)
        head.addWidget(self.year_combo)
        self.refresh_button = QPushButton("重新统计")
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(self.refresh_button)
        head.addStretch(1)
        self.export_buttons: dict[ExportFormat, QPushButton] = {}
        for fmt in EXPORT_FORMATS:
            button = QPushButton(EXPORT_LABELS[fmt][0])
            button.clicked.connect(lambda _checked=False, f=fmt: self.export(f))
            button.setEnabled(False)
            self.export_buttons[fmt] = button
            head.addWidget(button)
        layout.addLayout(head)

        status = QHBoxLayout()
        self.summary_label = QLabel("正在统计……")
        self.summary_label.setObjectName("hint")
        self.summary_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the services report no steps
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        # The export's progress line (text, bar, 取消); its text also carries the page's messages.
        self.export_progress = ProgressPanel()
        self.message_label = self.export_progress.message_label
        status.addWidget(self.summary_label, 1)
        status.addWidget(self.export_progress, 1)
        status.addWidget(self.progress)
        layout.addLayout(status)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._tables_tab(), "年度报告表格")
        self.tabs.addTab(self._charts_tab(), "趋势图表")
        self.tabs.addTab(self._analysis_tab(), "转主动公开与重复申请")
        layout.addWidget(self.tabs, 1)

    # ------------------------------------------------------------------ layout

    def _scroll(self, body: QWidget) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        return scroll

    def _tables_tab(self) -> QWidget:
        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(4, 10, 12, 10)
        col.addWidget(_section_title(SECTION3_TITLE))
        self.section3_table = GridTable(SECTION3_WIDTHS)
        col.addWidget(self.section3_table)
        self.check_label = QLabel()
        self.check_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.check_label.setWordWrap(True)
        col.addWidget(self.check_label)
        col.addSpacing(14)
        col.addWidget(_section_title(SECTION4_TITLE))
        self.section4_table = GridTable(SECTION4_WIDTHS)
        col.addWidget(self.section4_table)
        col.addStretch(1)
        return self._scroll(body)

    def _charts_tab(self) -> QWidget:
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(4, 10, 12, 10)
        grid.setSpacing(10)
        self.intake_view = ChartPane()
        self.outcomes_view = ChartPane()
        self.topics_view = ChartPane()
        self.tags_view = ChartPane()
        self.overdue_view = ChartPane()
        self.timeliness_label = QLabel()
        self.timeliness_label.setWordWrap(True)
        self.timeliness_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.timeliness_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.timeliness_label.setObjectName("timeliness")
        grid.addWidget(self.intake_view, 0, 0)
        grid.addWidget(self.outcomes_view, 0, 1)
        grid.addWidget(self.topics_view, 1, 0)
        grid.addWidget(self.tags_view, 1, 1)
        grid.addWidget(self.overdue_view, 2, 0)
        grid.addWidget(self.timeliness_label, 2, 1)
        return self._scroll(body)

    def _analysis_tab(self) -> QWidget:
        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(4, 10, 12, 10)
        col.addWidget(_section_title("依申请公开转主动公开候选（条例第四十四条）"))
        hint = QLabel("本年度有3个以上不同申请人申请公开的相同政府信息，可考虑纳入主动公开范围。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        col.addWidget(hint)
        self.candidates_table = _list_table(["申请公开的信息", "申请人数", "申请件数", "案件编号"])
        col.addWidget(self.candidates_table, 1)
        col.addSpacing(10)
        col.addWidget(_section_title("同一申请人单月申请较多（109号第四条、条例第三十五条）"))
        hint = QLabel("同一申请人一个自然月内申请11件以上的，可按件收取信息处理费，或要求其说明理由。")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        col.addWidget(hint)
        self.repeat_table = _list_table(["申请人", "月份", "申请件数", "可收费件数", "案件编号"])
        col.addWidget(self.repeat_table, 1)
        return body

    # ------------------------------------------------------------------ data

    def year(self) -> int:
        return int(self.year_combo.currentData())

    def set_year(self, year: int) -> None:
        """Choose ``year`` (recomputes when it changes)."""
        self.year_combo.setCurrentIndex(self.year_combo.findData(year))

    def ensure_computed(self) -> None:
        """Compute the chosen year unless it is shown or on its way (the page was opened)."""
        if self.stats is None and not self._computing:
            self.refresh()

    def refresh(self) -> None:
        """Count the chosen year over all cases in the background; ``computed`` says when it is shown.

        One count at a time: a year chosen while another is being counted is counted next (the count
        reads every case; two at once would only slow both down).
        """
        year = self.year()
        if self._computing:
            self._recount = True
            self.summary_label.setText(f"正在统计{year}年的申请……")
            return
        self._recount = False
        today = self.clock()
        self._generation += 1
        generation = self._generation
        session = self.session

        def compute() -> YearStatistics:
            with session.read() as uow:
                return compute_statistics(uow, year, today=today)

        self.summary_label.setText(f"正在统计{year}年的申请……")
        self.message_label.clear()
        self._computing = True
        self._busy(True)
        self.runner.submit(
            compute,
            lambda stats: self._on_statistics_computed(generation, stats),
            lambda exc: self._on_statistics_failed(generation, exc),
        )

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.refresh_button.setEnabled(not busy)
        for button in self.export_buttons.values():
            button.setEnabled(not busy and not self._exporting and self.stats is not None)

    def _on_year_combo_changed(self, _index: int) -> None:
        self.refresh()

    def _on_statistics_computed(self, generation: int, stats: YearStatistics) -> None:
        self._computing = False
        if self._recount or generation != self._generation:
            self.refresh()  # another year was chosen meanwhile
            return
        self.stats = stats
        self._busy(False)
        self._show(stats)
        self.computed.emit()

    def _on_statistics_failed(self, generation: int, exc: YishenError) -> None:
        self._computing = False
        if self._recount or generation != self._generation:
            self.refresh()
            return
        self._busy(False)
        self.summary_label.setText("未能完成统计。")
        self._say(describe(exc), error=True)

    def _show(self, stats: YearStatistics) -> None:
        report = stats.report
        analysis = stats.analysis
        received = sum(m.received for m in analysis.months)
        concluded = sum(m.concluded for m in analysis.months)
        t = analysis.timeliness
        self.summary_label.setText(
            f"{stats.year}年：收到申请 {received} 件，办结 {concluded} 件，"
            f"逾期答复率 {_percent(t.overdue_rate)}（共 {stats.cases} 件案件参与统计）"
        )
        self.section3_table.set_grid(section3_grid(report))
        self.section4_table.set_grid(section4_grid(report))
        self.check_label.setText(check_text(report))
        self.check_label.setStyleSheet(CHECK_OK_STYLE if report.check_ok else CHECK_FAILED_STYLE)

        font = self.font()
        self.intake_view.show_chart(intake_chart(stats, font))
        self.outcomes_view.show_chart(outcomes_chart(stats, font))
        self.topics_view.show_chart(
            ranking_chart("申请涉及的主题（关键词）", analysis.keywords, TOPIC_COLOR, font, empty="无")
        )
        self.tags_view.show_chart(ranking_chart("案件标签", analysis.tags, TAG_COLOR, font, empty="未加标签"))
        self.overdue_view.show_chart(overdue_chart(stats, font))
        average = "—" if t.average_working_days is None else f"{t.average_working_days:.1f} 个工作日"
        lines = [
            "答复及时性（条例第三十三条）",
            f"本年办结 {t.concluded} 件，其中有答复期限的 {t.with_due} 件，逾期 {t.overdue} 件，"
            f"逾期率 {_percent(t.overdue_rate)}。",
            f"平均答复用时（收到申请或补正至答复）：{average}。",
        ]
        if t.overdue_numbers:
            lines.append("逾期答复的案件：" + "、".join(t.overdue_numbers))
        self.timeliness_label.setText("\n".join(lines))

        _fill(
            self.candidates_table,
            [[c.text, str(c.applicants), str(c.requests), "、".join(c.numbers)] for c in analysis.candidates],
        )
        _fill(
            self.repeat_table,
            [
                [r.name, f"{r.year}年{r.month}月", str(r.count), str(r.chargeable), "、".join(r.numbers)]
                for r in analysis.repeat_applicants
            ],
        )

    # ------------------------------------------------------------------ export

    def _ask_path(self, fmt: ExportFormat) -> Path | None:
        stats = self.stats
        assert stats is not None
        name = f"{stats.agency_name}{stats.year}年政府信息公开工作年度报告表格.{fmt}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "导出年度报告表格", str(Path.home() / name), EXPORT_LABELS[fmt][1]
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == f".{fmt}" else path.with_name(f"{path.name}.{fmt}")

    def export(self, fmt: ExportFormat) -> None:
        """Ask where, then write tables 三 and 四 there in the background."""
        stats = self.stats
        if stats is None or self._exporting:
            return
        path = self._ask_path(fmt)
        if path is None:
            return
        self._exporting = True
        self._busy(self._computing)
        text = f"正在导出 {path.name}"

        def write(progress: Progress) -> str:
            # One call writes the whole file: a cancel takes effect when it returns, and the file,
            # written under a temporary name, is removed.
            progress.step(0, 0, text)
            with finished_file(path, progress) as tmp:
                return export_annual_report(stats, fmt, tmp)

        self.export_progress.run(
            self.runner,
            write,
            lambda note: self._on_export_done(path, note),
            self._on_export_failed,
            text=f"{text}……",
            on_cancelled=self._on_export_cancelled,
        )

    def _on_export_done(self, path: Path, note: str) -> None:
        self._exporting = False
        self._busy(self._computing)
        stats = self.stats
        warning = (
            "" if stats is None or stats.report.check_ok else "注意：表三勾稽关系不成立，请核对后再报送。"
        )
        font = f"（字体：{note}）" if note else ""
        self._say(f"已导出：{path}{font}{warning}", error=bool(warning))
        self.exported.emit(str(path))

    def _on_export_failed(self, exc: YishenError) -> None:
        self._exporting = False
        self._busy(self._computing)
        self._say(f"导出失败：{describe(exc)}", error=True)

    def _on_export_cancelled(self) -> None:
        self._exporting = False
        self._busy(self._computing)
        self._say("已取消导出，未生成文件。")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.export_progress.say(text, error=error)
