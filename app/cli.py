"""The ``yishen`` command line (interfaces.md §3): thin argument handling over the services."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import importlib
import json
import os
import sys
import tempfile
import tomllib
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from app.cliparse import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK
from app.cliparse import ChineseArgumentParser as _Parser
from app.domain.errors import InputError, RuleError, StoreError, YishenError

if TYPE_CHECKING:
    from app import bootstrap
    from app.messages import describe
else:

    class _OnFirstUse:
        """A module imported when one of its names is first used: ``yishen`` without a command opens the
        desktop application, whose window is painted before the store (sqlalchemy, SQLCipher) and the
        messages (the letter model) are loaded."""

        def __init__(self, name: str) -> None:
            self._name = name

        def __getattr__(self, attr: str) -> Any:
            return getattr(importlib.import_module(self._name), attr)

    bootstrap = _OnFirstUse("app.bootstrap")

    def describe(err: YishenError) -> str:
        return _OnFirstUse("app.messages").describe(err)

# --------------------------------------------------------------------------- helpers


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def passphrase_provider(*, confirm: bool = False) -> Callable[[], str]:
    """The database passphrase: env ``YISHEN_PASSPHRASE``, else a prompt on a terminal."""

    def provide() -> str:
        value = os.environ.get("YISHEN_PASSPHRASE")
        if value is not None:
            return value
        if not sys.stdin.isatty():
            raise StoreError("passphrase_required")
        first = getpass.getpass("数据库口令：")
        if confirm and getpass.getpass("再次输入口令：") != first:
            raise InputError("passphrase_mismatch")
        return first

    return provide


def _given_home(args: argparse.Namespace) -> Path | None:
    if args.home:
        return Path(args.home).expanduser()
    env = os.environ.get("YISHEN_HOME")
    return Path(env).expanduser() if env else None


def _home(args: argparse.Namespace) -> Path:
    return _given_home(args) or bootstrap.default_home()


def _parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _bad_date(text, option)
    except ValueError:
        return _bad_date(text, option)


def _bad_date(text: str, option: str) -> NoReturn:
    raise InputError("bad_date", field=option, value=text)


def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some service accounts; the audit still needs one
        return "unknown"


def _atomic_write_text(path: Path, write: Callable[[TextIO], Any]) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then a rename."""
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_agency(path: str) -> Any:
    from app.law.agency import agency_from_dict

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError("file_not_found", source=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError("bad_toml", source=Path(path).name, detail=str(exc)) from None
    try:
        return agency_from_dict(data)
    except InputError as exc:
        raise exc.located(source=Path(path).name) from None


# --------------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    agency = _read_agency(args.agency) if args.agency else None
    use_passphrase = (
        args.passphrase or "YISHEN_PASSPHRASE" in os.environ or not bootstrap.has_secure_keyring()
    )
    passphrase = passphrase_provider(confirm=True)() if use_passphrase else None
    home = _home(args)
    bootstrap.initialize(home, passphrase=passphrase, agency=agency, actor=_actor())
    mode = "口令" if use_passphrase else "系统密钥环"
    _out(f"已创建加密数据库：{home / 'yishen.db'}（密钥保存方式：{mode}）")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from app.interchange import read_file
    from app.services.cases import import_cases

    path = Path(args.file)
    lines = read_file(path)
    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        report = import_cases(
            uow, lines, skip_invalid=args.skip_invalid, source=path.name, today=dt.date.today()
        )
    for error in report.errors[:200]:
        _err(describe(error))
    if len(report.errors) > 200:
        _err(f"……另有 {len(report.errors) - 200} 处错误未列出")
    if report.errors and not args.skip_invalid:
        _err(
            f"导入失败：发现 {len(report.errors)} 处错误，未导入任何案件（可用 --skip-invalid 跳过有误的行）。"
        )
        return EXIT_BAD_INPUT
    _out(f"已导入 {report.imported} 件，跳过 {report.skipped} 件，未变化 {report.unchanged} 件。")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from app.interchange.jsonl import write_jsonl
    from app.services.cases import export_cases

    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        if args.output and args.output != "-":
            count = 0

            def write(fh: TextIO) -> None:
                nonlocal count
                count = write_jsonl(export_cases(uow), fh)

            _atomic_write_text(Path(args.output), write)
            _err(f"已导出 {count} 件：{args.output}")
        else:
            write_jsonl(export_cases(uow), sys.stdout)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    passphrase = None
    if args.passphrase_env:
        passphrase = os.environ.get(args.passphrase_env)
        if not passphrase:
            raise InputError("env_missing", field="--passphrase-env", value=args.passphrase_env)
    dest = Path(args.output)
    with bootstrap.open_database(_home(args), passphrase_provider()) as db:
        db.backup(dest, passphrase=passphrase)
    _out(f"已生成加密备份：{dest}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    backup_passphrase = None
    if args.passphrase_env:
        backup_passphrase = os.environ.get(args.passphrase_env)
        if not backup_passphrase:
            raise InputError("env_missing", field="--passphrase-env", value=args.passphrase_env)
    home = _home(args)
    try:
        kept = bootstrap.restore(
            home,
            Path(args.file),
            backup_passphrase=backup_passphrase,
            passphrase_provider=passphrase_provider(),
            force=args.force,
        )
    except StoreError as exc:
        if exc.kind == "exists":
            raise StoreError("restore_exists") from None
        raise
    _out(f"已从备份恢复数据库：{home / 'yishen.db'}")
    if kept is not None:
        _out(f"原数据库已保留为：{kept}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    with bootstrap.open_database(_home(args), passphrase_provider()) as db:
        report = db.verify()
    if report.ok:
        _out(f"数据库完整；审计链 {report.audit_entries} 条记录全部校验通过。")
        return EXIT_OK
    for problem in report.problems:
        _err(problem)
    if report.first_broken_seq is not None:
        _err(f"审计链自第 {report.first_broken_seq} 条记录起被篡改或损坏。")
    return EXIT_FAILURE


def cmd_case_show(args: argparse.Namespace) -> int:
    from app.domain.caseformat import dump_case_line
    from app.services.cases import get_case

    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        case = get_case(uow, args.number)
    if args.json:
        _out(dump_case_line(case))
    else:
        from app.domain.model import case_to_dict

        _out(json.dumps(case_to_dict(case), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_case_edit(args: argparse.Namespace) -> int:
    from app.services.cases import edit_case

    sets: list[tuple[str, str]] = []
    for item in args.set or []:
        field, sep, value = item.partition("=")
        if not sep or not field:
            raise InputError("bad_set", field="--set", value=item)
        sets.append((field.strip(), value))
    if not sets and not args.add_event:
        raise InputError("nothing_to_do", field="case edit")
    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        edit_case(uow, args.number, sets=sets, add_events=args.add_event or [])
    _out(f"已修改案件 {args.number}。")
    return EXIT_OK


def _read_case_input(source: str) -> tuple[Any, str]:
    from app.domain.caseformat import parse_case

    name = "标准输入" if source == "-" else source
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except FileNotFoundError:
        raise InputError("file_not_found", source=name) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("bad_encoding", source=name, line=1) from None
    lines = [ln for ln in text.splitlines() if ln.strip()]
    # A case is one JSON object: either the whole input (pretty-printed) or its first line.
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        try:
            obj = json.loads(lines[0]) if lines else None
        except json.JSONDecodeError as exc:
            raise InputError("bad_json", source=name, line=1, detail=exc.msg) from None
    if obj is None:
        raise InputError("empty_input", source=name)
    try:
        return parse_case(obj), name
    except InputError as exc:
        raise exc.located(source=name, line=1) from None


def cmd_deadline(args: argparse.Namespace) -> int:
    from app.law.deadlines import compute_deadline, standard_periods

    today = _parse_date(args.today, "--today") if args.today else dt.date.today()
    calendar = _calendar_for(args, quiet_fallback=True)
    if args.received:
        received = _parse_date(args.received, "--received")
        result = standard_periods(received, calendar)
        if args.json:
            _out(json.dumps(result, ensure_ascii=False))
        else:
            _out(f"收到申请日：{result['received']}")
            _out(f"补正告知期限（7个工作日）：{result['correction_notice_due']}")
            _out(f"答复期限（20个工作日）：{result['reply_due']}")
            for n, day in result["periods"].items():
                _out(f"  {n}个工作日：{day}")
            if result["provisional"]:
                _out("注意：涉及尚未发布放假安排的年份，结果为暂定。")
        return EXIT_OK
    fee_pauses_clock = True
    if args.agency:
        fee_pauses_clock = _read_agency(args.agency).fee_pauses_clock
    case, _name = _read_case_input(args.file or "-")
    result_obj = compute_deadline(case, calendar, today, fee_pauses_clock=fee_pauses_clock)
    data = result_obj.to_json()
    if args.json:
        _out(json.dumps(data, ensure_ascii=False))
        return EXIT_OK
    _print_deadline(data)
    return EXIT_OK


_STATE_LABELS = {
    "running": "计时中",
    "paused": "暂停计时",
    "awaiting_correction": "等待补正",
    "awaiting_confirmation": "待确认收到",
    "concluded": "已办结",
    "overdue": "已逾期",
}


def _print_deadline(data: dict[str, Any]) -> None:
    _out(f"收到申请日：{data['received'] or '待确认'}　起算日：{data['start'] or '—'}")
    if data.get("correction_notice_due"):
        _out(f"补正告知期限：{data['correction_notice_due']}")
    _out(f"答复期限：{data['reply_due'] or '—'}　状态：{_STATE_LABELS.get(data['state'], data['state'])}")
    if data.get("days_left") is not None:
        left = data["days_left"]
        _out(f"剩余工作日：{left}" if left >= 0 else f"已逾期 {-left} 个工作日")
    if data.get("provisional"):
        _out("注意：涉及尚未发布放假安排的年份，结果为暂定。")
    _out("计算过程：")
    for step in _compact_trace(data.get("trace", [])):
        basis = f"（{step['basis']}）" if step.get("basis") else ""
        _out(f"  {step['date']}  {step['step']}{basis}")


def _md(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.month}月{day.day}日"


def _compact_trace(trace: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs of ordinary counted days read as one line on a terminal; --json keeps every day."""
    out: list[dict[str, Any]] = []
    run: list[dict[str, Any]] = []

    def flush() -> None:
        if len(run) <= 2:
            out.extend(run)
        else:
            first, last = run[0], run[-1]
            out.append(
                {
                    "date": first["date"],
                    "step": f"{_md(first['date'])}至{_md(last['date'])}的工作日逐日计入，"
                    f"第{first['day']}—{last['day']}个工作日",
                    "basis": first.get("basis"),
                }
            )
        run.clear()

    for step in trace:
        if step.get("kind") == "count" and (not run or step.get("basis") == run[-1].get("basis")):
            run.append(step)
            continue
        flush()
        if step.get("kind") == "count":
            run.append(step)
        else:
            out.append(step)
    flush()
    return out


def _calendar_for(args: argparse.Namespace, *, quiet_fallback: bool = False) -> Any:
    """The effective calendar: the data folder's when it has a database, else the shipped one.

    With ``quiet_fallback`` (the ``deadline`` command, which needs no database) a database that
    cannot be opened without asking is skipped with a note on stderr instead of failing.
    """
    from app.law.calendar import shipped_calendar
    from app.services.calendar import effective_calendar

    home = _home(args)
    if not bootstrap.database_exists(home):
        return shipped_calendar()
    try:
        with bootstrap.open_database(home, passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
            return effective_calendar(uow)
    except StoreError as exc:
        if not quiet_fallback:
            raise
        _err(f"提示：未能打开数据库（{describe(exc)}），按程序内置的放假安排计算。")
        return shipped_calendar()


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def cmd_calendar_show(args: argparse.Namespace) -> int:
    from app.law.calendar import schedule_to_dict

    year = args.year
    calendar = _calendar_for(args)
    national = calendar.schedule(year)
    local = calendar.local_schedule(year)
    if args.json:
        _out(
            json.dumps(
                {
                    "year": year,
                    "loaded": national is not None,
                    "provisional": national is None,
                    "national": schedule_to_dict(national) if national else None,
                    "local": schedule_to_dict(local) if local else None,
                    "working_days": sum(
                        1
                        for i in range((dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1)
                        if calendar.is_working_day(dt.date(year, 1, 1) + dt.timedelta(days=i))
                    ),
                },
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    if national is None:
        _out(f"{year}年：尚未载入国务院办公厅放假安排。")
        _out(
            "期限暂按周末及元旦（1月1日）、劳动节（5月1日—2日）、国庆节（10月1日—3日）计算，结果标注为暂定。"
        )
    else:
        _out(f"{year}年放假安排　来源：{national.source or '（未注明）'}　版本：{national.version}")
        for first, last in _runs(list(national.rest_days)):
            span = f"{first:%m-%d}" if first == last else f"{first:%m-%d} 至 {last:%m-%d}"
            _out(f"  放假　{span}　{calendar.describe_day(first)}")
        for day in sorted(national.make_up_days):
            _out(f"  调休上班　{day:%m-%d}（{'周六' if day.weekday() == 5 else '周日'}）")
    if local is not None:
        _out(f"本机关补充休息日（{local.source or '地方规定'}，版本 {local.version}）：")
        for day in sorted(local.rest_days):
            _out(f"  休息　{day:%m-%d}")
    return EXIT_OK


def cmd_calendar_import(args: argparse.Namespace) -> int:
    from app.services.calendar_years import read_calendar_file, save_calendar_year

    schedule = read_calendar_file(Path(args.file))
    today = _parse_date(args.today, "--today") if args.today else dt.date.today()
    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        change = save_calendar_year(uow, schedule, today=today)
    kind = "本机关补充休息日" if change.local else "放假安排"
    if change.version_before == change.version_after:
        _out(f"{change.year}年{kind}与已载入的版本相同（{change.version_after}），未作改动。")
        return EXIT_OK
    verb = "替换" if change.version_before else "载入"
    _out(f"已{verb}{change.year}年{kind}（版本 {change.version_after}）。")
    if not change.moved:
        _out("在办案件的答复期限均未变化。")
    else:
        _out(f"以下 {len(change.moved)} 件在办案件的答复期限发生变化：")
        for m in change.moved:
            _out(f"  {m.number}：{m.before or '—'} → {m.after or '—'}")
    return EXIT_OK


def cmd_report_annual(args: argparse.Namespace) -> int:
    from app.reports.annual import annual_report
    from app.services.cases import export_cases
    from app.services.settings import load_agency

    if args.output and not args.format:
        args.format = _output_format(args, ("xlsx", "docx", "pdf"))
    if args.format and not args.output:
        raise InputError("required", field="-o")
    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        report = annual_report(export_cases(uow), args.year)
        agency = load_agency(uow)
    if args.format:
        out = Path(args.output).resolve()
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        os.close(fd)
        name = agency.name if agency else ""
        note = ""
        try:
            if args.format == "xlsx":
                from app.reports.annual_xlsx import write_annual_xlsx

                write_annual_xlsx(report, Path(tmp), agency_name=name)
            elif args.format == "docx":
                from app.letters.report_docx import write_annual_docx

                write_annual_docx(report, tmp, agency_name=name or None)
            else:
                from app.letters.fonts import choose_font
                from app.letters.report_pdf import write_annual_pdf

                font = write_annual_pdf(
                    report, tmp, agency_name=name or None, font=choose_font(agency.font if agency else "")
                )
                note = f"（字体：{font.family or font.name}）"
            os.replace(tmp, out)
        finally:
            Path(tmp).unlink(missing_ok=True)
        _err(f"已生成年度报告表格：{out}{note}")
        if not report.to_json()["section3"]["check_ok"]:
            _err("注意：表三勾稽关系不成立，请核对后再报送。")
        return EXIT_OK
    data = report.to_json()
    if args.json:
        _out(json.dumps(data, ensure_ascii=False))
        return EXIT_OK
    from app.reports.table import check_text, section4_rows, table_rows

    _out(f"{args.year}年政府信息公开工作年度报告")
    _out(
        "三、收到和处理政府信息公开申请情况（自然人｜商业企业｜科研机构｜社会公益组织｜法律服务机构｜其他｜总计）"
    )
    for label, values in table_rows(report):
        _out(f"  {label}：{'｜'.join(str(v) for v in values)}")
    _out(f"  {check_text(report)}")
    _out("四、政府信息公开行政复议、行政诉讼情况（结果维持｜结果纠正｜其他结果｜尚未审结｜总计）")
    for label, values in section4_rows(report):
        _out(f"  {label}：{'｜'.join(str(v) for v in values)}")
    return EXIT_OK


# --------------------------------------------------------------------------- letters


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _output_format(args: argparse.Namespace, choices: tuple[str, ...]) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".")
    return suffix if suffix in choices else choices[0]


def _render_letter(letter: Any, fmt: str, font_setting: str) -> tuple[bytes, str]:
    """The letter's bytes in ``fmt`` and a note on the font it uses."""
    if fmt == "docx":
        from app.letters.docx import render_docx

        return render_docx(letter), "DOCX 使用“仿宋_GB2312/仿宋/宋体”（在打开文件的电脑上显示）"
    from app.letters.fonts import choose_font
    from app.letters.pdf import render_pdf

    font = choose_font(font_setting)
    where = font.path or "reportlab 内置 STSong-Light（未嵌入）"
    return render_pdf(letter, font=font), f"PDF 字体：{font.family or font.name}（{where}）"


_LETTER_ACTIONS = ("review", "return_", "reopen", "issue", "cancel", "deliver")


def cmd_letter(args: argparse.Namespace) -> int:
    from app.domain.letters import LETTER_STATUS_LABELS
    from app.letters import KIND_LABELS, LetterKind, describe_missing
    from app.services import letters as service
    from app.services.settings import load_agency

    actions = [a for a in _LETTER_ACTIONS if getattr(args, a)]
    if len(actions) > 1:
        raise InputError("one_action", field="letter", value=[f"--{a.rstrip('_')}" for a in actions])
    today = _parse_date(args.today, "--today") if args.today else dt.date.today()
    by = args.by or _actor()
    action = actions[0] if actions else None
    if action is None and not args.output:
        raise InputError("required", field="-o")
    if args.proof and action != "deliver":
        raise InputError("not_for_action", field="--proof")
    proof = None
    if action == "deliver":
        proof = _read_proof(args.proof) if args.proof else None
    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(by) as uow:
        if action is None:
            prepared = service.prepare_letter(
                uow, args.number, args.kind, consultation_id=args.consultation, today=today, actor=by
            )
            agency = load_agency(uow)
            record, letter = prepared.record, prepared.letter
            missing = prepared.missing
        else:
            record = service.find_letter(uow, args.number, args.kind, args.consultation)
            if action == "review":
                record = service.review_letter(
                    uow, record.id, reviewer=by, approve=True, comment=args.comment or "", today=today
                )
            elif action == "return_":
                record = service.review_letter(
                    uow, record.id, reviewer=by, approve=False, comment=args.comment or "", today=today
                )
            elif action == "reopen":
                record = service.reopen_letter(uow, record.id, by=by, reason=args.reason or "")
            elif action == "issue":
                record = service.issue_letter(uow, record.id, by=by, today=today)
            elif action == "cancel":
                record = service.cancel_letter(uow, record.id, by=by, reason=args.reason or "")
            else:
                if not args.date:
                    raise InputError("required", field="--date")
                service.record_delivery(
                    uow,
                    record.id,
                    method=args.deliver,
                    date=_parse_date(args.date, "--date"),
                    tracking=args.tracking,
                    received=_parse_date(args.received, "--received") if args.received else None,
                    proof=proof,
                )
    kind_label = KIND_LABELS[LetterKind(record.kind)]
    status = LETTER_STATUS_LABELS[record.status]
    if action is not None:
        done = {
            "review": "已审核通过",
            "return_": "已退回修改（意见已记录）",
            "reopen": "已退回重拟",
            "issue": "已签发",
            "cancel": "已作废（文号保留在登记簿中，不再使用）",
            "deliver": "已登记送达",
        }[action]
        _out(f"{kind_label} {record.doc_number}：{done}。当前状态：{status}。")
        return EXIT_OK
    fmt = _output_format(args, ("pdf", "docx"))
    data, font_note = _render_letter(letter, fmt, agency.font if agency else "")
    out = Path(args.output)
    _atomic_write_bytes(out, data)
    _err(f"已生成{kind_label}（{status}）文号 {record.doc_number}：{out.resolve()}")
    _err(font_note)
    if missing:
        _err("注意：签发前须补齐：" + "；".join(describe_missing(m) for m in missing))
    return EXIT_OK


def _read_proof(path: str) -> Any:
    import mimetypes

    from app.services.letters import Proof

    source = Path(path)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise InputError("file_not_found", field="--proof", source=path) from None
    except OSError as exc:
        raise InputError("unreadable_file", field="--proof", source=path, reason=exc.strerror or "") from None
    mime = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    return Proof(data=data, name=source.name, mime=mime)


def cmd_letters(args: argparse.Namespace) -> int:
    from app.domain.letters import LETTER_STATUS_LABELS
    from app.letters import KIND_LABELS, LetterKind
    from app.services import letters as service
    from app.services.cases import get_case

    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        case = get_case(uow, args.number)
        records = uow.letters.for_case(case.id)
    rows: list[dict[str, Any]] = []
    for r in records:
        deliveries = [e.to_dict() for e in service.deliveries_of(case, r)]
        rows.append(
            {
                "id": r.id,
                "kind": r.kind,
                "consultation": r.consultation_id,
                "doc_number": r.doc_number,
                "status": str(r.status),
                "created_at": r.created_at,
                "created_by": r.created_by,
                "reviews": [v.to_dict() for v in r.reviews],
                "issued_at": r.issued_at,
                "issued_by": r.issued_by,
                "cancelled_at": r.cancelled_at,
                "cancel_reason": r.cancel_reason,
                "deliveries": deliveries,
            }
        )
    if args.json:
        _out(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        _out(f"案件 {args.number} 还没有文书。")
    for r, row in zip(records, rows, strict=True):
        _out(f"{row['doc_number']}  {KIND_LABELS[LetterKind(r.kind)]}  {LETTER_STATUS_LABELS[r.status]}")
        for v in r.reviews:
            verdict = "通过" if v.approved else "退回"
            _out(
                f"    审核：{v.by} {v.at[:16].replace('T', ' ')} {verdict}"
                + (f"：{v.comment}" if v.comment else "")
            )
        if r.issued_at:
            _out(f"    签发：{r.issued_by} {r.issued_at[:16].replace('T', ' ')}")
        if r.cancelled_at:
            _out(f"    作废：{r.cancelled_by} {r.cancelled_at[:16].replace('T', ' ')}：{r.cancel_reason}")
        for d in row["deliveries"]:
            line = f"    送达：{d['date']} {d['method']}"
            if d.get("tracking"):
                line += f" 单号 {d['tracking']}"
            if d.get("received"):
                line += f" 签收 {d['received']}"
            if d.get("proof"):
                line += " （已附送达凭证）"
            _out(line)
    return EXIT_OK


# --------------------------------------------------------------------------- agency profile


def cmd_agency_show(args: argparse.Namespace) -> int:
    from app.services.settings import load_agency

    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        agency = load_agency(uow)
    if agency is None:
        raise RuleError("agency_missing")
    data = agency.to_dict()
    if args.json:
        _out(json.dumps(data, ensure_ascii=False))
    else:
        for key, value in data.items():
            _out(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    return EXIT_OK


def cmd_agency_set(args: argparse.Namespace) -> int:
    from app.services.settings import save_agency

    agency = _read_agency(args.file)
    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        save_agency(uow, agency)
    _out(f"已保存机关信息：{agency.name}")
    return EXIT_OK


def cmd_self_test(args: argparse.Namespace) -> int:
    from app import selftest

    def show(step: selftest.Step) -> None:
        mark = "✓" if step.ok else "✗"
        _out(f"{mark} {step.name}：{step.detail}（{step.seconds:.2f} 秒）")

    _out("自检：在临时文件夹中运行，不触及本机数据与系统密钥环。")
    if selftest.run(show):
        _out("自检通过。")
        return EXIT_OK
    _err("自检未通过：请把以上输出发给技术支持。")
    return EXIT_FAILURE


def cmd_gui(args: argparse.Namespace) -> int:
    # app/ never imports ui (tests/test_architecture.py parses every import statement in app/, even
    # inside functions), so the desktop launcher is looked up by name. The UI's first-run wizard
    # creates the database; an existing one is only ever opened.
    try:
        launcher = importlib.import_module("ui.app")
    except ImportError as exc:
        _err(f"无法启动桌面界面（{exc}）；命令行仍可使用，见 yishen --help。")
        return EXIT_FAILURE
    return int(launcher.main(sys.argv[:1], _given_home(args)))  # None: the per-user folder


# --------------------------------------------------------------------------- sync (design.md §5)


def _sync_units(db: Any) -> Callable[[str], Any]:
    def units(actor: str) -> Any:
        return db.unit_of_work(actor)

    return units


def _sync_password() -> str:
    value = os.environ.get("YISHEN_SYNC_PASSWORD")
    if value:
        return value
    if not sys.stdin.isatty():
        raise InputError("sync_password_required")
    value = getpass.getpass("同步服务器登录口令：")
    if not value:
        raise InputError("sync_password_required")
    return value


def cmd_sync(args: argparse.Namespace) -> int:
    import socket

    from app.services import sync as sync_service
    from app.store.synctoken import KeyringTokenStore
    from app.sync.client import check_server_url

    if (args.server is None) != (args.user is None):
        raise InputError("sync_login_args")
    tokens = KeyringTokenStore()
    with bootstrap.open_database(_home(args), passphrase_provider()) as db:
        units = _sync_units(db)
        if args.server is not None:
            url = check_server_url(args.server)  # refused before anything is asked or sent
            answer = sync_service.login(
                units,
                tokens,
                server=url,
                user=args.user,
                password=_sync_password(),
                actor=_actor(),
                device_name=socket.gethostname(),
            )
            _out(f"已登录同步服务器 {url}（用户 {answer.name}，部门 {answer.department}）。")
        summary = sync_service.sync_round(units, tokens, actor=_actor())
    for message in summary.refusals[:50]:
        _err(f"服务器拒绝：{message}")
    if summary.refused:
        _err(f"有 {summary.refused} 项修改被服务器拒绝，仍保留在本机待同步。")
    _out(f"同步完成：推送 {summary.pushed} 项、拉取 {summary.pulled} 项、冲突 {summary.conflicts} 项。")
    if summary.open_conflicts:
        _out(f"尚有 {summary.open_conflicts} 项冲突未解决，请用 yishen conflicts 查看并处理。")
    return EXIT_OK


_CONFLICT_ENTITIES = {
    "case": "案件",
    "item": "申请事项",
    "setting": "设置",
    "event": "办理记录",
    "note": "备注",
}


def _shown(value: Any) -> str:
    return "（空）" if value is None else json.dumps(value, ensure_ascii=False)


def cmd_conflicts(args: argparse.Namespace) -> int:
    from app.services import sync as sync_service

    with bootstrap.open_database(_home(args), passphrase_provider()) as db:
        units = _sync_units(db)
        if args.conflicts_command == "resolve":
            sync_service.resolve_conflict(units, _actor(), args.id, keep=args.keep, value=args.value)
            _out(f"已处理冲突 {args.id}；该修改将在下次同步时发送到服务器（yishen sync）。")
            return EXIT_OK
        found = sync_service.open_conflicts(units, _actor())
    if args.json:
        json.dump([sync_service.conflict_dict(c) for c in found], sys.stdout, ensure_ascii=False, indent=2)
        _out()
        return EXIT_OK
    if not found:
        _out("没有未解决的同步冲突。")
        return EXIT_OK
    for c in found:
        entity = _CONFLICT_ENTITIES.get(c.entity, c.entity)
        _out(f"{c.id}  {entity} {c.entity_id}  字段 {c.field}")
        _out(f"    原值：{_shown(c.base)}")
        _out(f"    本机：{_shown(c.mine)}")
        _out(f"    对方：{_shown(c.theirs)}")
    _out(f"共 {len(found)} 项。处理：yishen conflicts resolve ID --keep mine|theirs 或 --value 值")
    return EXIT_OK


# --------------------------------------------------------------------------- parser


_LETTER_KINDS = (
    "receipt",
    "correction",
    "extension",
    "consultation_third_party",
    "consultation_agency",
    "public_interest_notice",
    "fee",
    "reply",
)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="yishen", description="依申请公开办理台：政府信息公开申请办理、期限计算、文书与年度报告。"
    )
    p.add_argument("--home", help="数据文件夹（默认：本用户的数据文件夹；也可用环境变量 YISHEN_HOME）")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    s = sub.add_parser("gui", help="打开桌面程序")
    s.set_defaults(func=cmd_gui)

    s = sub.add_parser("self-test", help="自检：临时加密数据库、期限、PDF 与 DOCX 文书、年度报告")
    s.set_defaults(func=cmd_self_test)

    s = sub.add_parser("init", help="创建加密数据库")
    s.add_argument("--agency", metavar="FILE", help="机关配置文件 agency.toml")
    s.add_argument("--passphrase", action="store_true", help="使用口令而不是系统密钥环保存密钥")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("import", help="导入案件文件（.jsonl）或台账（.csv/.xlsx）")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--skip-invalid", action="store_true", help="跳过有误的行，导入其余各行")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("export", help="导出全部案件（yishen-case/1 格式）")
    s.add_argument("-o", "--output", metavar="FILE", help="输出文件（默认：标准输出）")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("deadline", help="计算一件案件的各项期限")
    s.add_argument("file", nargs="?", metavar="FILE|-", help="案件文件（- 表示标准输入）")
    s.add_argument("--today", metavar="YYYY-MM-DD", help="以该日为今天（默认：今天）")
    s.add_argument("--agency", metavar="FILE", help="机关配置文件 agency.toml")
    s.add_argument("--received", metavar="YYYY-MM-DD", help="只计算该收到日的各标准期限")
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_deadline)

    s = sub.add_parser("backup", help="生成加密备份")
    s.add_argument("-o", "--output", required=True, metavar="FILE")
    s.add_argument(
        "--passphrase-env", metavar="VAR", help="备份使用该环境变量中的口令加密（便于在其他电脑恢复）"
    )
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", help="从加密备份恢复（保留被替换的数据库文件）")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--force", action="store_true", help="替换现有数据库")
    s.add_argument("--passphrase-env", metavar="VAR", help="备份口令所在的环境变量")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("verify", help="检查数据库完整性与审计链")
    s.set_defaults(func=cmd_verify)

    cal = sub.add_parser("calendar", help="工作日历（国务院放假安排及本机关补充休息日）")
    cal_sub = cal.add_subparsers(
        dest="calendar_command", metavar="子命令", parser_class=_Parser, required=True
    )
    s = cal_sub.add_parser("show", help="显示某年的放假安排")
    s.add_argument("year", type=int, metavar="YEAR")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_calendar_show)
    s = cal_sub.add_parser("import", help="载入或替换某年的放假安排（JSON 文件）")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--today", metavar="YYYY-MM-DD", help="以该日为今天重新计算在办案件（默认：今天）")
    s.set_defaults(func=cmd_calendar_import)

    rep = sub.add_parser("report", help="统计报表")
    rep_sub = rep.add_subparsers(dest="report_command", metavar="子命令", parser_class=_Parser, required=True)
    s = rep_sub.add_parser(
        "annual", help="政府信息公开工作年度报告表格（条例第五十条，国办公开办函〔2021〕30号）"
    )
    s.add_argument("--year", type=int, required=True, metavar="YEAR")
    s.add_argument("--json", action="store_true")
    s.add_argument("--format", choices=["xlsx", "docx", "pdf"], help="输出文件格式（默认按 -o 的扩展名）")
    s.add_argument("-o", "--output", metavar="FILE")
    s.set_defaults(func=cmd_report_annual)

    s = sub.add_parser("letter", help="生成、审核、签发、作废文书，登记送达")
    s.add_argument("number", metavar="NUMBER", help="登记编号")
    s.add_argument("--kind", required=True, metavar="KIND", help="文书种类：" + "、".join(_LETTER_KINDS))
    s.add_argument("--consultation", metavar="ID", help="征求意见编号（征求意见类文书）")
    s.add_argument("--format", choices=["pdf", "docx"], help="输出格式（默认按 -o 的扩展名，否则 pdf）")
    s.add_argument("-o", "--output", metavar="FILE", help="输出文件（生成文书时必填）")
    s.add_argument("--today", metavar="YYYY-MM-DD", help="以该日为今天（成文日期；默认：今天）")
    group = s.add_argument_group("办理步骤（每次一项）")
    group.add_argument("--review", action="store_true", help="审核通过（文本自此固定）")
    group.add_argument("--return", dest="return_", action="store_true", help="审核退回修改（须 --comment）")
    group.add_argument("--reopen", action="store_true", help="已审核的文书退回重拟（须 --reason）")
    group.add_argument("--issue", action="store_true", help="签发（须已审核且内容完整）")
    group.add_argument("--cancel", action="store_true", help="作废（须 --reason；文号保留不再使用）")
    group.add_argument("--deliver", metavar="METHOD", help="登记送达：当面、邮寄、电子邮件、网上平台、其他")
    group.add_argument("--by", metavar="NAME", help="经办人或审核人（默认：当前系统用户）")
    group.add_argument("--comment", metavar="TEXT", help="审核意见（答复书点评）")
    group.add_argument("--reason", metavar="TEXT", help="作废或退回重拟的理由")
    group.add_argument("--date", metavar="YYYY-MM-DD", help="送达（寄出、发送）日期")
    group.add_argument("--tracking", metavar="TEXT", help="邮件单号等")
    group.add_argument("--received", metavar="YYYY-MM-DD", help="申请人签收日期")
    group.add_argument("--proof", metavar="FILE", help="送达凭证扫描件（存入加密数据库）")
    s.set_defaults(func=cmd_letter)

    s = sub.add_parser("letters", help="一件案件的全部文书（文号、状态、审核、送达）")
    s.add_argument("number", metavar="NUMBER")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_letters)

    ag = sub.add_parser("agency", help="本机关信息（机关名称、复议机关、法院、文号格式等）")
    ag_sub = ag.add_subparsers(dest="agency_command", metavar="子命令", parser_class=_Parser, required=True)
    s = ag_sub.add_parser("show", help="显示本机关信息")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_agency_show)
    s = ag_sub.add_parser("set", help="从 agency.toml 导入或替换本机关信息")
    s.add_argument("file", metavar="FILE")
    s.set_defaults(func=cmd_agency_set)

    case = sub.add_parser("case", help="查看或修改案件")
    case_sub = case.add_subparsers(dest="case_command", metavar="子命令", parser_class=_Parser, required=True)
    s = case_sub.add_parser("show", help="显示一件案件")
    s.add_argument("number", metavar="NUMBER")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_case_show)
    s = case_sub.add_parser("edit", help="修改一件案件（与界面相同的校验和审计）")
    s.add_argument("number", metavar="NUMBER")
    s.add_argument("--set", action="append", metavar="FIELD=VALUE", help="如 applicant.phone=13800000000")
    s.add_argument(
        "--add-event", action="append", metavar="JSON", help='如 {"type": "replied", "date": "2026-10-09"}'
    )
    s.set_defaults(func=cmd_case_edit)

    s = sub.add_parser("sync", help="与单位的同步服务器同步一次（先发送本机修改，再接收他人修改）")
    s.add_argument("--server", metavar="URL", help="首次使用时给出服务器地址（https://…）")
    s.add_argument(
        "--user",
        metavar="NAME",
        help="首次使用时给出服务器上的用户名（口令取自 YISHEN_SYNC_PASSWORD 或提示输入）",
    )
    s.set_defaults(func=cmd_sync)

    s = sub.add_parser("conflicts", help="查看或处理同步冲突")
    s.add_argument(
        "--json", action="store_true", help="以 JSON 列出（id、entity、field、base、mine、theirs）"
    )
    s.set_defaults(func=cmd_conflicts, conflicts_command=None)
    con_sub = s.add_subparsers(dest="conflicts_command", metavar="子命令", parser_class=_Parser)
    r = con_sub.add_parser("resolve", help="处理一项冲突：保留本机值、对方值或填写新值")
    r.add_argument("id", metavar="ID")
    how = r.add_mutually_exclusive_group(required=True)
    how.add_argument("--keep", choices=("mine", "theirs"), help="mine：保留本机的值；theirs：采用对方的值")
    how.add_argument("--value", metavar="V", help="改为这个新值")
    r.set_defaults(func=cmd_conflicts)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_gui)
    try:
        return int(func(args))
    except InputError as exc:
        _err(describe(exc))
        return EXIT_BAD_INPUT
    except YishenError as exc:
        _err(describe(exc))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        _err("已取消。")
        return EXIT_FAILURE
    except BrokenPipeError:
        return EXIT_FAILURE
    except Exception:
        log = bootstrap.write_crash_log(traceback.format_exc())
        _err(f"程序内部错误，操作未完成。详细信息已写入：{log}")
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
