"""设置 → 备份与数据: an encrypted backup the store can open; import and export of case files; 取消 on each,
with nothing half-written left behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services.transfer import STORING, WRITING
from app.store.database import Database
from app.store.engine import Passphrase
from tests.ui.conftest import SEED, TODAY
from tests.ui.gate import StepGate
from ui.session import Session
from ui.settings.backup import BackupPanel
from ui.settings.page import TAB_BACKUP, SettingsPage
from ui.tasks import TaskRunner


def test_backup_with_its_own_passphrase_opens_with_it(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path
) -> None:
    page = SettingsPage(seeded_session, lambda: TODAY)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentIndex(TAB_BACKUP)
    panel = page.backup_panel
    assert "只能在本机恢复" in panel.key_hint.text()
    dest = tmp_path / "备份" / "yishen-备份.db"
    panel.path_edit.setText(str(dest))
    panel.own_passphrase_check.setChecked(True)
    panel.passphrase_edit.setText("备份口令 2026")
    panel.confirm_edit.setText("备份口令 2027")
    panel.backup_button.click()
    assert panel.message_label.text() == "两次输入的备份口令不一致。" and not dest.exists()

    panel.confirm_edit.setText("备份口令 2026")
    with qtbot.waitSignal(panel.backed_up, timeout=20_000) as signal:
        panel.backup_button.click()
    assert signal.args == [str(dest.resolve())]
    assert panel.message_label.text().startswith(f"已生成加密备份：{dest.resolve()}")
    assert panel.passphrase_edit.text() == ""

    with (
        Database.open(dest, Passphrase("备份口令 2026")) as db,
        db.unit_of_work("测试", read_only=True) as uow,
    ):
        assert uow.cases.count() == 9


# ---------------------------------------------------------------------- cancel, import, export


def panel_for(qtbot: QtBot, session: Session) -> BackupPanel:
    panel = BackupPanel(session, lambda: TODAY, TaskRunner())
    qtbot.addWidget(panel)
    panel.show()
    return panel


def case_count(session: Session) -> int:
    with session.read() as uow:
        return uow.cases.count()


def write_case_file(path: Path, count: int) -> Path:
    lines = []
    for n in range(1, count + 1):
        obj = {
            "format": "yishen-case/1",
            "number": f"2025-{n:05d}",
            "channel": "in_person",
            "received": "2025-09-16",
            "applicant": {"kind": "natural_person", "name": f"导入申请人{n}"},
            "items": [{"description": f"第{n}号导入的申请", "form": "paper", "delivery": "post"}],
        }
        lines.append(json.dumps(obj, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_an_import_cancelled_while_storing_imports_nothing(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_case_file(tmp_path / "三千件.jsonl", 3000)
    gate = StepGate(monkeypatch, lambda done, total, text: text == STORING and done >= 1500)
    panel = panel_for(qtbot, seeded_session)
    progress = panel.transfer_progress
    panel.import_file(path)
    assert not panel.import_button.isEnabled() and progress.cancel_button.isVisible()
    assert gate.reached.wait(60)
    qtbot.waitUntil(lambda: STORING in progress.message_label.text(), timeout=10_000)
    progress.cancel_button.click()
    assert progress.message_label.text() == "正在取消……" and not progress.cancel_button.isEnabled()
    gate.release()
    with qtbot.waitSignal(progress.cancelled, timeout=20_000):
        pass
    assert progress.message_label.text() == "已取消导入，未导入任何案件。"
    assert not progress.cancel_button.isVisible() and not progress.bar.isVisible()
    assert panel.import_button.isEnabled()
    assert case_count(seeded_session) == len(SEED)

    # The same file, not cancelled, goes in whole.
    with qtbot.waitSignal(panel.imported, timeout=60_000) as signal:
        panel.import_file(path)
    assert signal.args == [3000] and case_count(seeded_session) == len(SEED) + 3000
    assert progress.message_label.text() == "已从 三千件.jsonl 导入 3000 件案件。"


def test_an_import_with_a_bad_line_names_file_line_and_field_and_imports_nothing(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path
) -> None:
    path = write_case_file(tmp_path / "台账导出.jsonl", 40)
    lines = path.read_text("utf-8").splitlines()
    bad = json.loads(lines[16])
    bad["applicant"]["kind"] = "外星人"
    lines[16] = json.dumps(bad, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    panel = panel_for(qtbot, seeded_session)
    panel.import_file(path)
    qtbot.waitUntil(lambda: panel.import_button.isEnabled(), timeout=20_000)
    text = panel.transfer_progress.message_label.text()
    assert text.startswith("导入失败，未导入任何案件：台账导出.jsonl 第17行 字段“applicant.kind”"), text
    assert "外星人" in text and panel.transfer_progress.message_label.objectName() == "error"
    assert not panel.errors_view.isVisible()
    assert case_count(seeded_session) == len(SEED)

    # Several bad lines: every one listed below, still nothing imported.
    lines[30] = lines[30].replace('"received": "2025-09-16"', '"received": "2025-02-30"')
    path.write_text("\n".join(lines) + "\n", "utf-8")
    panel.import_file(path)
    qtbot.waitUntil(lambda: panel.import_button.isEnabled(), timeout=20_000)
    assert panel.transfer_progress.message_label.text() == (
        "导入失败，未导入任何案件：发现 2 处错误，见下方列表。"
    )
    listed = panel.errors_view.toPlainText().splitlines()
    assert panel.errors_view.isVisible() and len(listed) == 2
    assert listed[0].startswith("台账导出.jsonl 第17行 字段“applicant.kind”")
    assert listed[1].startswith("台账导出.jsonl 第31行 字段“received”") and "2025-02-30" in listed[1]
    assert case_count(seeded_session) == len(SEED)


def test_an_export_cancelled_leaves_no_file_and_a_finished_one_has_every_case(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = StepGate(monkeypatch, lambda done, total, text: text == WRITING)
    panel = panel_for(qtbot, seeded_session)
    progress = panel.transfer_progress
    out = tmp_path / "导出"
    out.mkdir()
    dest = out / "全部案件.jsonl"
    panel.export_file(dest)
    assert gate.reached.wait(60)
    qtbot.waitUntil(lambda: WRITING in progress.message_label.text(), timeout=10_000)
    progress.cancel_button.click()
    gate.release()
    with qtbot.waitSignal(progress.cancelled, timeout=20_000):
        pass
    assert progress.message_label.text() == "已取消导出，未生成文件。"
    assert list(out.iterdir()) == []

    with qtbot.waitSignal(panel.exported, timeout=20_000) as signal:
        panel.export_file(dest)
    assert signal.args == [str(dest.resolve())]
    numbers = [json.loads(line)["number"] for line in dest.read_text("utf-8").splitlines()]
    assert numbers == [c["number"] for c in SEED]
    assert progress.message_label.text() == f"已导出 {len(SEED)} 件案件：{dest.resolve()}"


def test_a_cancelled_backup_leaves_no_file(
    qtbot: QtBot, seeded_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = StepGate(monkeypatch, lambda done, total, text: text == "正在生成备份")
    panel = panel_for(qtbot, seeded_session)
    folder = tmp_path / "备份"
    folder.mkdir()
    dest = folder / "yishen-备份.db"
    dest.write_bytes(b"an older backup")
    panel.path_edit.setText(str(dest))
    panel.backup_button.click()
    assert gate.reached.wait(60) and not panel.backup_button.isEnabled()
    panel.backup_progress.cancel_button.click()
    gate.release()
    with qtbot.waitSignal(panel.backup_progress.cancelled, timeout=20_000):
        pass
    assert panel.message_label.text() == "已取消，未生成备份文件。"
    assert panel.backup_button.isEnabled()
    # The copy made under a temporary name is gone; the older backup of that name is untouched.
    assert [p.name for p in folder.iterdir()] == ["yishen-备份.db"]
    assert dest.read_bytes() == b"an older backup"
