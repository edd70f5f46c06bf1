"""Screenshots of the desktop application for docs/screenshots (rerun after changing a screen).

Run under a virtual display with a CJK font installed (Debian: fonts-noto-cjk)::

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m ui.tools.screenshots

It walks the real screens on a throw-away data folder: the first-run wizard (passphrase mode, the
agency profile, demo data), the unlock dialog (with a wrong passphrase first), the Today view, a
case page, the case list (案件, with a search), the settings page, the letters (panel, preview, review, 送达), registration, the case's
actions (延期, 延迟答复, 移交), 批量打印, 用户与角色 and the crash dialog. The date is fixed and the letters'
time stamps (drafted, reviewed, issued) come from a clock that starts at 09:00 that day and moves a
minute a stamp, so the pictures only change when the screens do.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QItemSelectionModel, QTimer
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from app.domain.caseformat import parse_case
from app.domain.errors import InputError
from app.domain.model import Case
from app.letters import LetterKind, Role
from app.services.actions import ActionKind
from app.services.cases import import_cases
from app.services.worklist import Group
from ui.app import setup_application
from ui.crash import CrashDialog, crash_report
from ui.main_window import NAV_CASES, NAV_REGISTER, NAV_SETTINGS, NAV_STATISTICS, MainWindow
from ui.session import Session
from ui.settings.page import TAB_BACKUP, TAB_CALENDAR, TAB_USERS
from ui.unlock import PassphraseDialog
from ui.wizard import SetupWizard

TODAY = dt.date(2026, 3, 18)
PASSPHRASE = "示例口令 2026"
LOCAL_REST_DAY = dt.date(2026, 3, 20)  # a Friday: the open demo cases due after it move by a day
ROOT = Path(__file__).resolve().parents[2]

AGENCY_FIELDS = {
    "name": "某市某区自然资源局",
    "short_name": "某区自然资源",
    "parent_government": "某市某区人民政府",
    "court": "某市中级人民法院",
    "office": "某区自然资源局办公室",
    "address": "某市某区人民路1号",
    "phone": "0571-12345678",
}


# A reply with mixed findings, in progress: the letters screens show it from draft to delivery.
LETTER_CASE = {
    "format": "yishen-case/1",
    "number": "2026-0900",
    "channel": "post_signed",
    "received": "2026-03-02",
    "applicant": {
        "kind": "natural_person",
        "name": "李明华",
        "phone": "13900000000",
        "email": "lmh@example.com",
        "address": "某市某区文化路18号3单元",
    },
    "items": [
        {
            "description": "2025年某村土地征收补偿安置方案",
            "form": "paper",
            "delivery": "post",
            "finding": "disclosed",
        },
        {
            "description": "某项目用地预审意见",
            "form": "electronic",
            "delivery": "email",
            "finding": "partly_disclosed",
            "reasons": "其中第3页含有个人身份证号码，属于个人隐私，已作区分处理",
        },
        {
            "description": "某项目专题会议纪要",
            "form": "paper",
            "delivery": "pickup",
            "finding": "withheld.process_info",
            "reasons": "该纪要系内部研究讨论记录",
        },
    ],
}


@dataclasses.dataclass(frozen=True)
class _Line:
    line: int
    case: Case | None
    error: InputError | None = None


def wait_until(done: Callable[[], bool], timeout_s: float = 120.0) -> None:
    """Run the event loop until ``done()`` (work off the GUI thread has delivered).

    Not ``while not done(): app.processEvents()``: PySide6 6.12 under Python 3.11 drops a reference
    to None on every call of a function returning nothing, so a busy loop of a few thousand
    ``processEvents`` calls aborts the interpreter ("none_dealloc"). A timer checks every 20 ms.
    """
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: loop.quit() if done() else None)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    if not done():
        timer.start()
        deadline.start(int(timeout_s * 1000))
        loop.exec()
        timer.stop()
    if not done():
        raise SystemExit("timed out waiting for work off the GUI thread")


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def shoot(app: QApplication, widget: QWidget, out: Path, name: str) -> Path:
    settle(app)
    path = out / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return path


def run(out: Path) -> None:
    # The audit name every change is recorded under is the login name (getpass reads LOGNAME first);
    # a clerk's, not that of whoever runs this script.
    os.environ["LOGNAME"] = "zhangmin"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    setup_application(app)
    out.mkdir(parents=True, exist_ok=True)

    # A fixed folder, so the paths the screens show do not change from one run to the next.
    tmp = Path(tempfile.gettempdir()) / "yishen-screenshots"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        home = tmp / "yishen"

        # First run: the wizard (a machine with a keyring, the clerk chooses a passphrase).
        wizard = SetupWizard(home, clock=lambda: TODAY, keyring_available=True)
        wizard.resize(760, 600)
        wizard.show()
        wizard.key_page.passphrase_radio.setChecked(True)
        wizard.key_page.passphrase_edit.setText(PASSPHRASE)
        wizard.key_page.confirm_edit.setText(PASSPHRASE)
        shoot(app, wizard, out, "wizard-1-key")
        wizard.next()
        form = wizard.agency_page.form
        for field, value in AGENCY_FIELDS.items():
            form.edits[field].setText(value)
        shoot(app, wizard, out, "wizard-2-agency")
        wizard.next()
        wizard.demo_page.name_edit.setText("张敏")
        wizard.demo_page.demo_check.setChecked(True)
        shoot(app, wizard, out, "wizard-3-demo")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        settle(app)
        if wizard.session is None:
            raise SystemExit("the wizard did not create the database")
        wizard.session.close()

        # Next start: the passphrase dialog, a wrong passphrase first.
        dialog = PassphraseDialog(home)
        dialog.show()
        shoot(app, dialog, out, "unlock")
        dialog.passphrase_edit.setText("错误的口令")
        dialog.buttons.accepted.emit()
        shoot(app, dialog, out, "unlock-wrong-passphrase")
        dialog.passphrase_edit.setText(PASSPHRASE)
        dialog.buttons.accepted.emit()
        session = dialog.session
        if session is None:
            raise SystemExit("the right passphrase did not open the database")

        window = MainWindow(session, lambda: TODAY)
        window.resize(1280, 800)
        window.show()
        wait_until(lambda: window.today_view.worklist is not None)  # computed off the GUI thread
        shoot(app, window, out, "today")
        today = window.today_view
        today.show_group(Group.PAUSED)
        shoot(app, window, out, "today-paused")
        today.show_group(Group.AWAITING_REVIEW)
        shoot(app, window, out, "today-review")

        paused = today.lists[Group.PAUSED].model.row_at(0)
        window.open_case(paused.number)
        shoot(app, window, out, "case")

        shoot_case_list(app, window, out, tmp)

        stats = window.statistics_page
        stats.set_year(TODAY.year)  # the demo cases are dated around TODAY
        window.nav.setCurrentRow(NAV_STATISTICS)
        wait_until(
            lambda: stats.stats is not None and stats.stats.year == TODAY.year
        )  # counted off the GUI thread
        shoot(app, window, out, "stats")
        stats.tabs.setCurrentIndex(1)
        shoot(app, window, out, "stats-charts")
        stats.tabs.setCurrentIndex(2)
        shoot(app, window, out, "stats-analysis")

        window.nav.setCurrentRow(NAV_SETTINGS)
        shoot(app, window, out, "settings")
        settings = window.settings_page
        settings.tabs.setCurrentIndex(TAB_CALENDAR)
        calendar = settings.calendar_panel
        calendar.set_year(TODAY.year)
        calendar.select_date(LOCAL_REST_DAY)
        calendar.toggle_button.click()
        calendar.source_edit.setText("某自治县人民政府关于民族传统节日放假的通知")
        shoot(app, window, out, "settings-calendar")
        calendar.save_button.click()
        wait_until(lambda: calendar.last_change is not None)  # saved and recomputed off the GUI thread
        shoot(app, window, out, "settings-calendar-moved")
        settings.tabs.setCurrentIndex(TAB_BACKUP)
        backup = settings.backup_panel
        backup.path_edit.setText(str(tmp / "备份" / f"yishen-备份-{TODAY:%Y%m%d}.db"))
        backup.own_passphrase_check.setChecked(True)
        backup.passphrase_edit.setText("备份口令示例2026")
        backup.confirm_edit.setText("备份口令示例2026")
        backup.backup_button.click()
        wait_until(lambda: not backup.message_label.text().startswith("正在"))
        shoot(app, window, out, "settings-backup")

        shoot_letters(app, window, out, tmp)
        shoot_registration_and_actions(app, window, out, tmp)
        shoot_users(app, window, out, home)

        try:
            raise RuntimeError("示例：这是一个演示用的内部错误")
        except RuntimeError as exc:
            report = crash_report(type(exc), exc, exc.__traceback__)
        crash = CrashDialog(report, tmp / "logs" / "crash-20260318-093000.log")
        crash.resize(720, 460)
        crash.show()
        shoot(app, crash, out, "crash-dialog")
        crash.close()
        window.close()
        session.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    QTimer.singleShot(0, app.quit)


def shoot_letters(app: QApplication, window: MainWindow, out: Path, tmp: Path) -> None:
    """The letters panel, the letter window (preview and paragraphs; review), the 送达 dialog."""
    with window.session.write() as uow:
        report = import_cases(
            uow, [_Line(1, parse_case(LETTER_CASE))], skip_invalid=False, source="screenshots", today=TODAY
        )
    if not report.ok:
        raise SystemExit(f"could not import the letter case: {report.errors}")
    window.open_case(str(LETTER_CASE["number"]))
    panel = window.case_page.letters_panel
    receipt = panel.draft(LetterKind.RECEIPT)
    letter = panel.draft(LetterKind.REPLY)
    if receipt is None or letter is None:
        raise SystemExit(f"could not draft the letters: {panel.error_label.text()}")
    receipt.close()

    def rendered() -> None:
        while letter.pdf is None:
            app.processEvents()

    # A free paragraph reworded; the next locked one selected to show why it is greyed.
    assert letter.letter is not None
    free = next(i for i, p in enumerate(letter.letter.paragraphs) if p.editable)
    letter.paragraph_list.setCurrentRow(free)
    letter.paragraph_edit.setPlainText("经认真审查，现答复如下：")
    letter.save_paragraph_button.click()
    rendered()
    letter.paragraph_list.setCurrentRow(free)
    shoot(app, letter, out, "letter-preview")
    locked = next(i for i, p in enumerate(letter.letter.paragraphs) if p.role == Role.REMEDY)
    letter.paragraph_list.setCurrentRow(locked)
    shoot(app, letter, out, "letter-locked-paragraph")

    letter.tabs.setCurrentIndex(1)
    letter.comment_edit.setPlainText("第2项请写明区分处理的页码和依据。")
    letter.send_back()
    letter.approve()
    rendered()
    letter.tabs.setCurrentIndex(1)
    shoot(app, letter, out, "letter-review")
    letter.issue()
    rendered()

    dialog = letter.delivery_dialog()
    dialog.tracking_edit.setText("EMS1234567890")
    dialog.received_check.setChecked(True)
    proof = tmp / "送达回执.pdf"
    proof.write_bytes(b"%PDF-1.4 scan")
    dialog.set_proof(proof)
    dialog.show()
    shoot(app, dialog, out, "letter-delivery")
    dialog.submit()
    letter.delivery_recorded()
    shoot(app, letter, out, "letter-delivered")
    letter.close()
    settle(app)
    shoot(app, window, out, "case-letters")


def shoot_case_list(app: QApplication, window: MainWindow, out: Path, tmp: Path) -> None:
    """案件: the whole list, a Chinese search, a status filter, and 批量打印 of three selected cases."""
    page = window.cases_page
    shown: list[int] = []
    page.listed.connect(shown.append)

    def listed_after(action: Callable[[], object]) -> None:
        before = len(shown)
        action()
        wait_until(lambda: len(shown) > before)  # queried off the GUI thread

    listed_after(lambda: window.nav.setCurrentRow(NAV_CASES))
    shoot(app, window, out, "cases")
    listed_after(lambda: page.search_edit.setText("征收"))
    page.focus_list()
    shoot(app, window, out, "cases-search")
    listed_after(lambda: page.status_combo.setCurrentIndex(page.status_combo.findData("open")))
    shoot(app, window, out, "cases-search-open")
    page.listed.disconnect(shown.append)
    page.clear_filters()
    wait_until(lambda: page.model.rowCount() >= 3)
    selection = page.table.selectionModel()
    page.table.selectRow(0)
    for row in (1, 2):
        selection.select(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    batch = page.open_batch_print()
    if batch is None:
        raise SystemExit("批量打印 was not available")
    batch.path_edit.setText(str(tmp / f"批量打印-{TODAY:%Y%m%d}.pdf"))
    batch.start()
    wait_until(lambda: batch.batch_result is not None)
    settle(app)
    shoot(app, batch, out, "batch-print")
    batch.close()


def shoot_registration_and_actions(app: QApplication, window: MainWindow, out: Path, tmp: Path) -> None:
    """The registration form (a message at a field, a duplicate warning), a case's action buttons, 延期."""
    window.nav.setCurrentRow(NAV_REGISTER)
    page = window.register_page
    wait_until(lambda: page.checked is not None)  # the search index brought up to date off the GUI thread
    letter_case = LETTER_CASE["applicant"]
    assert isinstance(letter_case, dict)
    page.name.setText(str(letter_case["name"]))  # the letters' applicant again: a repeat
    page.phone.setText(str(letter_case["phone"]))
    page.item_editors[0].description.setPlainText("2025年某村土地征收补偿安置方案及附件")
    second = page.add_item()
    second.doc_number.setText("某自然资规〔2025〕12号")  # no description yet: the message says so
    page.validate()
    wait_until(lambda: not page.dup_pending)  # the duplicate look-up answers from the worker
    shoot(app, window, out, "register")

    window.open_case(str(LETTER_CASE["number"]))
    number = "2026-0901"
    with window.session.write() as uow:
        import_cases(
            uow,
            [_Line(1, parse_case({**LETTER_CASE, "number": number, "items": ACTION_ITEMS}))],
            skip_invalid=False,
            source="screenshots",
            today=TODAY,
        )
    window.open_case(number)
    shoot(app, window, out, "case-actions")
    dialog = window.case_page.action_bar.open_dialog(ActionKind.EXTEND)
    if dialog is None:
        raise SystemExit("the extension was not available")
    dialog.widgets["days"].setValue(15)
    dialog.widgets["reason"].setPlainText("申请涉及2019年至2025年的征收档案，需调阅多个科室的纸质案卷核对")
    dialog.widgets["approver"].setText("")
    dialog.submit()  # no approver yet: the message shows at the field
    shoot(app, dialog, out, "action-extension")
    dialog.widgets["approver"].setText("王建国（政务公开办主任）")
    dialog.submit()
    shoot(app, window, out, "case-actions-after")

    delay = window.case_page.action_bar.open_dialog(ActionKind.DELAY)
    if delay is None:
        raise SystemExit("the Art 35 delay was not available")
    delay.widgets["reason"].setPlainText("申请人近期连续提出大量内容相近的申请，数量和频次明显超过合理范围")
    settle(app)
    shoot(app, delay, out, "action-delay")
    delay.reject()
    transfer = window.case_page.open_transfer()
    if transfer is None:
        raise SystemExit("移交 was not available")
    settle(app)
    shoot(app, transfer, out, "case-transfer")
    transfer.reject()


def shoot_users(app: QApplication, window: MainWindow, out: Path, home: Path) -> None:
    """用户与角色 as the administrator adds colleagues; then a clerk's letter window, review greyed out.

    Taken after the letters: until a second user exists the one-person office approves its own drafts.
    """
    window.nav.setCurrentRow(NAV_SETTINGS)
    settings = window.settings_page
    settings.tabs.setCurrentIndex(TAB_USERS)
    panel = settings.users_panel
    for login, name, role in (
        ("lihua", "李华", "reviewer"),
        ("wangfang", "王芳", "clerk"),
        ("zhaolei", "赵磊", "clerk"),
    ):
        panel.login_edit.setText(login)
        panel.name_edit.setText(name)
        panel.role_combo.setCurrentIndex(panel.role_combo.findData(role))
        if not panel.add_user():
            raise SystemExit(f"could not add {login}: {panel.message_label.text()}")
    panel.select("zhaolei")
    panel.toggle_selected()  # 赵磊 has left the office: deactivated, still listed
    panel.select("wangfang")
    shoot(app, window, out, "settings-users")

    # 王芳, a clerk, opens the receipt 张敏 drafted: the review buttons are greyed out, the reason shown.
    window.open_case(str(LETTER_CASE["number"]))
    clerk = Session.open(home, PASSPHRASE, actor="wangfang")
    try:
        from ui.letters.window import LetterWindow

        receipt = next(r for r in window.case_page.letters_panel.records if r.kind == LetterKind.RECEIPT)
        letter = LetterWindow(clerk, lambda: TODAY, str(LETTER_CASE["number"]), receipt.id)
        letter.resize(1280, 860)
        letter.show()
        if not letter.reload():
            raise SystemExit("could not open the receipt as the clerk")
        wait_until(lambda: letter.pdf is not None)
        letter.tabs.setCurrentIndex(1)
        shoot(app, letter, out, "letter-review-clerk")
        letter.close()
    finally:
        clerk.close()


ACTION_ITEMS = [
    {"description": "某项目征收补偿协议（含补偿金额）", "form": "paper", "delivery": "post"},
    {"description": "某项目社会稳定风险评估报告", "form": "electronic", "delivery": "email"},
]


def _fix_letter_clock() -> None:
    """The letters service stamps drafts, reviews and issues with the real time; here, TODAY's morning."""
    from app.services import letters as letters_service

    start = dt.datetime.combine(TODAY, dt.time(9, 0), tzinfo=dt.UTC)
    ticks = iter(range(1_000_000))

    def now() -> str:
        return (start + dt.timedelta(minutes=next(ticks))).isoformat(timespec="microseconds")

    letters_service._now = now


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    _fix_letter_clock()
    run(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
