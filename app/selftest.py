"""``yishen self-test``: a headless check of an installed copy (interfaces.md §3).

Everything happens in a temporary folder that is removed afterwards; the user's data folder and the
OS keyring are never touched (the temporary database uses a random passphrase). Each step checks a
result it can know in advance, so a broken installation (missing SQLCipher, a font that does not
embed, a damaged template) fails here with the step named instead of in front of a clerk.
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.model import Agency

# The worked example of interfaces.md §3.1: received on Wednesday 2026-09-16, the 20th working day
# after it — counting the National Day holiday and the 9-28 and 10-11 make-up days — is 2026-10-20.
_CASE: dict[str, Any] = {
    "format": "yishen-case/1",
    "number": "自检-0001",
    "channel": "post_signed",
    "received": "2026-09-16",
    "applicant": {"kind": "natural_person", "name": "自检申请人", "address": "某市某路1号"},
    "items": [
        {"description": "自检用政府信息一", "form": "paper", "delivery": "post", "finding": "disclosed"},
        {
            "description": "自检用政府信息二",
            "form": "paper",
            "delivery": "post",
            "finding": "withheld.process_info",
            "reasons": "该信息属于内部研究讨论过程中的信息",
        },
    ],
    "events": [],
}
_EXPECTED_DUE = "2026-10-20"
_TODAY = dt.date(2026, 10, 9)

_AGENCY = Agency(
    name="某市自检局",
    kind="department",
    level="city",
    short_name="自检",
    parent_government="某市人民政府",
    court="某市某区人民法院",
    office="某市自检局政府信息公开办公室",
    address="某市某路1号",
    phone="0000-00000000",
)


class SelfTestFailed(Exception):
    pass


@dataclass(frozen=True)
class Step:
    name: str
    ok: bool
    detail: str
    seconds: float


def _check(condition: bool, detail: str) -> None:
    if not condition:
        raise SelfTestFailed(detail)


def run(report: Callable[[Step], None]) -> bool:
    """Run every step, calling ``report`` after each; True when all passed. Never raises."""
    from app.domain.errors import YishenError
    from app.messages import describe
    from app.store import create_home, open_home

    with tempfile.TemporaryDirectory(prefix="yishen-selftest-") as tmp:
        home = Path(tmp) / "home"
        state: dict[str, Any] = {}
        steps: list[tuple[str, Callable[[], str]]] = []

        def step(name: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
            def register(fn: Callable[[], str]) -> Callable[[], str]:
                steps.append((name, fn))
                return fn

            return register

        @step("加密数据库（SQLCipher）")
        def _database() -> str:
            passphrase = secrets.token_urlsafe(24)
            db = create_home(home, passphrase=passphrase)
            state["db"] = db
            state["passphrase"] = passphrase
            with db.unit_of_work("self-test") as uow:
                version = uow._connection().exec_driver_sql("PRAGMA cipher_version").scalar()
            header = db.path.read_bytes()[:16]
            _check(bool(version), "SQLCipher 未启用")
            _check(header != b"SQLite format 3\x00", "数据库文件未加密")
            return f"SQLCipher {version}，文件已加密"

        @step("导入案件与机关信息")
        def _import() -> str:
            from app.domain.caseformat import parse_case
            from app.services.settings import save_agency

            db = state["db"]
            with db.unit_of_work("self-test") as uow:
                save_agency(uow, _AGENCY)
                uow.cases.add(parse_case(_CASE))
                uow.commit()
            # Reopen with the passphrase: what was written is readable again.
            db.close()
            db = state["db"] = open_home(home, lambda: state["passphrase"])
            with db.unit_of_work("self-test") as uow:
                _check(uow.cases.get_by_number(_CASE["number"]) is not None, "重新打开后找不到案件")
            return "1 件，重新打开后可读"

        @step("期限计算（含国庆假期与调休）")
        def _deadline() -> str:
            from app.law.deadlines import compute_deadline
            from app.services.calendar import effective_calendar
            from app.services.cases import get_case

            with state["db"].unit_of_work("self-test") as uow:
                case = get_case(uow, _CASE["number"])
                calendar = effective_calendar(uow)
            result = compute_deadline(case, calendar, _TODAY, fee_pauses_clock=True).to_json()
            _check(
                result["reply_due"] == _EXPECTED_DUE,
                f"答复期限算得 {result['reply_due']}，应为 {_EXPECTED_DUE}",
            )
            return f"收到 2026-09-16 → 答复期限 {result['reply_due']}"

        @step("答复书（PDF，嵌入字体）")
        def _pdf() -> str:
            from app.letters.fonts import choose_font
            from app.letters.pdf import render_pdf
            from app.services.letters import prepare_letter

            with state["db"].unit_of_work("self-test") as uow:
                prepared = prepare_letter(uow, _CASE["number"], "reply", today=_TODAY, actor="self-test")
            _check(prepared.missing == [], f"答复书缺少必备内容：{prepared.missing}")
            text = prepared.letter.plain_text()
            _check("某市人民政府申请行政复议" in text, "救济途径中没有复议机关")
            _check("第三十六条" in text, "答复书没有引用条例第三十六条")
            state["letter"] = prepared.letter
            font = choose_font()
            data = render_pdf(prepared.letter, font=font)
            _check(data.startswith(b"%PDF-"), "PDF 文件头不正确")
            if font.embedded:
                _check(b"/FontFile2" in data, "PDF 未嵌入字体")
            return (
                f"{len(data) // 1024} KB，文号 {prepared.record.doc_number}，字体 {font.family or font.name}"
            )

        @step("答复书（DOCX）")
        def _docx() -> str:
            from app.letters.docx import docx_text, render_docx

            data = render_docx(state["letter"])
            body = docx_text(data)
            _check("行政复议" in body and "自检申请人" in body, "DOCX 内容不完整")
            return f"{len(data) // 1024} KB，可由 Word/WPS 打开编辑"

        @step("年度报告表格")
        def _report() -> str:
            from app.reports.annual import annual_report
            from app.reports.annual_xlsx import write_annual_xlsx
            from app.services.cases import export_cases

            with state["db"].unit_of_work("self-test", read_only=True) as uow:
                report = annual_report(list(export_cases(uow)), 2026)
            data = report.to_json()
            _check(bool(data["section3"]["check_ok"]), "年度报告勾稽关系不成立")
            _check(data["section3"]["rows"]["new"][-1] == 1, "年度报告新收申请数不对")
            out = Path(tmp) / "report.xlsx"
            write_annual_xlsx(report, out, agency_name=_AGENCY.name)
            _check(out.stat().st_size > 0, "年度报告 XLSX 为空")
            return "新收 1 件，勾稽关系成立，XLSX 已生成"

        @step("完整性与审计链")
        def _verify() -> str:
            result = state["db"].verify()
            _check(result.ok, "；".join(result.problems))
            return "通过"

        all_ok = True
        try:
            for name, fn in steps:
                start = time.perf_counter()
                try:
                    detail = fn()
                    ok = True
                except SelfTestFailed as exc:
                    detail, ok = str(exc), False
                except YishenError as exc:
                    detail, ok = describe(exc), False
                except Exception as exc:  # a broken installation shows here, named by its step
                    detail, ok = f"{type(exc).__name__}: {exc}", False
                report(Step(name, ok, detail, time.perf_counter() - start))
                if not ok:
                    all_ok = False
                    break
        finally:
            db = state.get("db")
            if db is not None:
                db.close()
        return all_ok
