"""The ``yishen`` command line (interfaces.md §3): thin argument handling over the services."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
import tempfile
import tomllib
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from app import bootstrap
from app.domain.errors import InputError, StoreError, YishenError
from app.messages import describe

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        # argparse passes prefix="" when it builds a subcommand's prog name; keep that one.
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese headings, Chinese usage errors and exit code 2 (bad input)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}：命令参数有误：{message}\n")


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


def _home(args: argparse.Namespace) -> Path:
    if args.home:
        return Path(args.home).expanduser()
    env = os.environ.get("YISHEN_HOME")
    return Path(env).expanduser() if env else bootstrap.default_home()


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
    from app.law.calendar import schedule_from_dict
    from app.services.calendar import import_calendar_year
    from app.services.settings import load_agency

    path = Path(args.file)
    try:
        data = json.loads(path.read_text("utf-8-sig"))
    except FileNotFoundError:
        raise InputError("file_not_found", source=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("bad_encoding", source=path.name) from None
    except json.JSONDecodeError as exc:
        raise InputError("bad_json", source=path.name, line=exc.lineno, detail=exc.msg) from None
    try:
        schedule = schedule_from_dict(data)
    except InputError as exc:
        raise exc.located(source=path.name) from None
    today = _parse_date(args.today, "--today") if args.today else dt.date.today()
    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        agency = load_agency(uow)
        change = import_calendar_year(
            uow, schedule, today=today, fee_pauses_clock=agency.fee_pauses_clock if agency else True
        )
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

    if args.format and not args.output:
        raise InputError("required", field="-o")
    if args.format not in (None, "xlsx"):
        raise InputError("not_yet", field="--format", value=args.format)
    with bootstrap.open_database(_home(args), passphrase_provider()) as db, db.unit_of_work(_actor()) as uow:
        report = annual_report(export_cases(uow), args.year)
        agency = load_agency(uow)
    if args.format == "xlsx":
        from app.reports.annual_xlsx import write_annual_xlsx

        out = Path(args.output).resolve()
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        os.close(fd)
        try:
            write_annual_xlsx(report, Path(tmp), agency_name=agency.name if agency else "")
            os.replace(tmp, out)
        finally:
            Path(tmp).unlink(missing_ok=True)
        _err(f"已生成年度报告表格：{out}")
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


def cmd_gui(args: argparse.Namespace) -> int:
    home = _home(args)
    if not bootstrap.database_exists(home):
        _out("首次运行：将创建本机加密数据库。")
        args.agency = None
        args.passphrase = False
        cmd_init(args)
    _out("桌面界面尚在开发中；目前可使用以下命令办理：\n")
    build_parser().print_help()
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="yishen", description="依申请公开办理台：政府信息公开申请办理、期限计算、文书与年度报告。"
    )
    p.add_argument("--home", help="数据文件夹（默认：本用户的数据文件夹；也可用环境变量 YISHEN_HOME）")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    s = sub.add_parser("gui", help="打开桌面程序")
    s.set_defaults(func=cmd_gui)

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
    s.add_argument("--format", choices=["xlsx", "docx", "pdf"], help="输出文件格式（docx/pdf 尚在开发中）")
    s.add_argument("-o", "--output", metavar="FILE")
    s.set_defaults(func=cmd_report_annual)

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
