"""The 统计 page on a seeded data folder: tables 三 and 四 as annual_report counts them, the check,
the export to XLSX/DOCX/PDF off the GUI thread, the charts and the analysis lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.reports.annual import BLOCKS, ROW_KEYS, annual_report
from app.services.cases import export_cases
from tests.ui.conftest import case, seed_cases
from tests.ui.gate import StepGate
from ui.session import Session
from ui.stats.page import StatisticsPage

CLOCK_DAY = dt.date(2026, 2, 10)  # in the reporting season: the page opens on 2025


def _replied(
    number: str, received: str, reply: str, finding: str, kind: str = "natural_person", **more: Any
) -> dict[str, Any]:
    obj = case(number, received, **more)
    obj["applicant"]["kind"] = kind
    if kind != "natural_person":
        obj["applicant"]["name"] = f"某某{number[-2:]}有限公司"
    for item in obj["items"]:
        item["finding"] = finding
        item["reasons"] = "经检索，相关信息情况如答复书所述。"
    obj["events"] = [{"type": "replied", "date": reply, "outcome": finding}, *obj.get("events", [])]
    return obj


def _asking(obj: dict[str, Any], text: str) -> dict[str, Any]:
    obj["items"][0]["description"] = text
    return obj


BUDGET = "2025年某街道财政预算执行情况"
SEED_2025 = [
    # 二、上年结转: received in 2024, replied in 2025.
    _replied("2024-0031", "2024-12-20", "2025-01-10", "disclosed"),
    _asking(
        _replied("2025-0001", "2025-03-03", "2025-03-20", "disclosed", tags=["土地征收"]),
        "东城村土地征收补偿方案",
    ),
    # Replied after its due date (2025-04-30), then 复议 upheld.
    _replied(
        "2025-0002",
        "2025-04-01",
        "2025-05-20",
        "partly_disclosed",
        kind="business",
        events=[
            {"type": "reconsideration_filed", "date": "2025-06-10", "id": "r1", "organ": "某区人民政府"},
            {
                "type": "reconsideration_decided",
                "date": "2025-08-01",
                "id": "r1",
                "decision": "维持",
                "result": "upheld",
            },
        ],
    ),
    # The same information asked for by three applicants (条例第四十四条).
    _asking(_replied("2025-0003", "2025-06-02", "2025-06-20", "unable.not_held"), BUDGET),
    _asking(_replied("2025-0004", "2025-06-03", "2025-06-20", "unable.not_held"), BUDGET),
    _asking(_replied("2025-0005", "2025-06-04", "2025-06-23", "unable.not_held"), f"申请公开{BUDGET}"),
    # 四、结转下年度: open on 31 December.
    {**case("2025-0006", "2025-12-15"), "applicant": {"kind": "legal_services", "name": "某某律师事务所"}},
]


@pytest.fixture
def stats_session(seeded_session: Session) -> Session:
    seed_cases(seeded_session, SEED_2025)
    return seeded_session


def _page(qtbot: QtBot, session: Session) -> StatisticsPage:
    page = StatisticsPage(session, lambda: CLOCK_DAY)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    with qtbot.waitSignal(page.computed, timeout=20_000):
        page.ensure_computed()
    return page


def test_tables_show_what_annual_report_counts(qtbot: QtBot, stats_session: Session) -> None:
    page = _page(qtbot, stats_session)
    assert page.year() == 2025
    with stats_session.read() as uow:
        expected = annual_report(list(export_cases(uow)), 2025).to_json()
    rows = expected["section3"]["rows"]
    # Hand-counted: six received in 2025 (one a business, one a law firm), one carried in, one carried out.
    assert rows["new"] == [4, 1, 0, 0, 1, 0, 6]
    assert rows["carried_in"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["unable.not_held"] == [3, 0, 0, 0, 0, 0, 3]
    assert rows["carried_out"] == [0, 0, 0, 0, 1, 0, 1]
    table = page.section3_table
    assert table.text_at(0, 0).startswith("（本列数据的勾稽关系为")
    assert [table.text_at(2, c) for c in range(3, 10)] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert table.text_at(1, 4) == "法人或其他组织" == table.text_at(1, 8)
    assert table.rowSpan(3 + 2, 0) == 22  # 三、本年度办理结果 spans its 21 result rows and （七）总计
    for r, key in enumerate(ROW_KEYS):
        assert [table.text_at(3 + r, 3 + c) for c in range(7)] == [str(n) for n in rows[key]], key
    assert table.text_at(3, 0) == "一、本年新收政府信息公开申请数量"
    assert table.text_at(3 + 12, 2) == "1.本机关不掌握相关政府信息"

    four = page.section4_table
    cells = [four.text_at(3, c) for c in range(15)]
    assert cells == [str(n) for block in BLOCKS for n in expected["section4"][block].values()]
    assert cells[:5] == ["1", "0", "0", "0", "1"]
    assert four.text_at(0, 7) == "行政诉讼" and four.text_at(1, 5) == "未经复议直接起诉"

    assert expected["section3"]["check_ok"]
    assert page.check_label.text().endswith("各列均相符。")
    assert "#188038" in page.check_label.styleSheet()  # green


def test_charts_and_analysis_lists(qtbot: QtBot, stats_session: Session) -> None:
    page = _page(qtbot, stats_session)
    assert page.summary_label.text().startswith("2025年：收到申请 6 件，办结 6 件，逾期答复率 16.7%")
    intake = page.intake_view.chart()
    received, concluded = intake.series()[0].barSets()
    assert [received.at(i) for i in range(12)] == [0, 0, 1, 1, 0, 3, 0, 0, 0, 0, 0, 1]
    assert [concluded.at(i) for i in range(12)] == [1, 0, 1, 0, 1, 3, 0, 0, 0, 0, 0, 0]
    overdue = page.overdue_view.chart().series()[0]
    assert [(p.x(), p.y()) for p in overdue.points()] == [(0, 0), (2, 0), (4, 100), (5, 0)]
    assert "2025-0002" in page.timeliness_label.text()
    topics = page.topics_view.chart().axes()[0]
    assert "征收" in topics.categories()

    assert page.candidates_table.rowCount() == 1
    assert page.candidates_table.item(0, 0).text() == BUDGET
    assert page.candidates_table.item(0, 1).text() == "3"
    assert page.candidates_table.item(0, 3).text() == "2025-0003、2025-0004、2025-0005"
    assert page.repeat_table.rowCount() == 0

    with qtbot.waitSignal(page.computed, timeout=20_000):
        page.set_year(2026)
    assert page.section3_table.text_at(3, 9) == "8"  # conftest's seed less the one awaiting confirmation


def test_export_writes_files_that_open(
    qtbot: QtBot, stats_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, stats_session)
    chosen: list[str] = []

    def save_name(*_args: Any, **_kwargs: Any) -> tuple[str, str]:
        return chosen[-1], ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    for fmt in ("xlsx", "docx", "pdf"):
        chosen.append(str(tmp_path / f"年度报告{fmt}"))  # no suffix typed: the page adds it
        with qtbot.waitSignal(page.exported, timeout=20_000) as signal:
            page.export_buttons[fmt].click()
        assert signal.args == [str(tmp_path / f"年度报告{fmt}.{fmt}")]
        assert page.message_label.text().startswith("已导出：")
        assert all(b.isEnabled() for b in page.export_buttons.values())

    wb = openpyxl.load_workbook(tmp_path / "年度报告xlsx.xlsx")
    ws = wb.worksheets[0]
    assert ws["A6"].value == "一、本年新收政府信息公开申请数量" and ws["J6"].value == 6
    text = "\n".join(
        c.text for t in docx.Document(str(tmp_path / "年度报告docx.docx")).tables for c in t._cells
    )
    assert "结转下年度继续办理" in text
    pdf = PdfReader(tmp_path / "年度报告pdf.pdf")
    assert "本年新收" in pdf.pages[0].extract_text()

    # A folder that does not exist: a Chinese message, not the crash dialog.
    chosen.append(str(tmp_path / "没有这个文件夹" / "报告.xlsx"))
    page.export_buttons["xlsx"].click()
    qtbot.waitUntil(lambda: page.message_label.text().startswith("导出失败："))
    assert "读写文件失败" in page.message_label.text()


def test_a_cancelled_export_leaves_no_file(
    qtbot: QtBot, stats_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, stats_session)
    out = tmp_path / "导出"
    out.mkdir()
    dest = out / "年度报告.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(dest), "")))
    gate = StepGate(monkeypatch, lambda done, total, text: text.startswith("正在导出"))
    page.export_buttons["pdf"].click()
    assert gate.reached.wait(60)
    assert not any(b.isEnabled() for b in page.export_buttons.values())
    page.export_progress.cancel_button.click()
    gate.release()
    with qtbot.waitSignal(page.export_progress.cancelled, timeout=30_000):
        pass
    assert page.message_label.text() == "已取消导出，未生成文件。"
    assert list(out.iterdir()) == []
    assert all(b.isEnabled() for b in page.export_buttons.values())
