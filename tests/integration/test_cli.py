"""The ``yishen`` command line as a user runs it: real processes on a real encrypted database."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.integration.clirunner import Cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "data" / "examples"  # a copy of ../shared/examples
MARKER = "标记ZQX9"


def _example_cases() -> list[dict[str, Any]]:
    cases = [e["case"] for e in json.loads((EXAMPLES / "deadlines.json").read_text("utf-8"))]
    cases += json.loads((EXAMPLES / "annual_report.json").read_text("utf-8"))["cases"]
    return cases


def _write_jsonl(path: Path, cases: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), "utf-8")
    return path


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_round_trip_import_export_import_elsewhere_is_identical(cli: Cli, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", _example_cases())
    assert cli("init").returncode == 0
    p = cli("import", str(src))
    assert p.returncode == 0, p.stderr
    assert "已导入" in p.stdout
    out1 = tmp_path / "out1.jsonl"
    assert cli("export", "-o", str(out1)).returncode == 0

    other = tmp_path / "other"
    assert cli("init", home=other).returncode == 0
    assert cli("import", str(out1), home=other).returncode == 0
    out2 = tmp_path / "out2.jsonl"
    assert cli("export", "-o", str(out2), home=other).returncode == 0
    assert out1.read_bytes() == out2.read_bytes()
    lines = out1.read_text("utf-8").splitlines()
    assert len(lines) == len(_example_cases())
    numbers = [json.loads(ln)["number"] for ln in lines]
    assert numbers == sorted(numbers)

    # Importing the same file again changes nothing and says so.
    again = cli("import", str(out1))
    assert again.returncode == 0
    assert f"未变化 {len(lines)} 件" in again.stdout


def test_one_bad_line_imports_nothing_and_names_file_line_field(cli: Cli, tmp_path: Path) -> None:
    cases = _example_cases()[:5]
    cases[2] = json.loads(json.dumps(cases[2]))
    cases[2]["applicant"]["kind"] = "alien"
    src = _write_jsonl(tmp_path / "bad.jsonl", cases)
    cli("init")
    p = cli("import", str(src))
    assert p.returncode == 2
    assert "bad.jsonl" in p.stderr and "第3行" in p.stderr and "applicant.kind" in p.stderr
    exported = cli("export")
    assert exported.stdout == ""

    p = cli("import", str(src), "--skip-invalid")
    assert p.returncode == 0
    assert "已导入 4 件" in p.stdout and "跳过 1 件" in p.stdout
    assert len(cli("export").stdout.splitlines()) == 4


def test_existing_number_with_other_content_is_an_error(cli: Cli, tmp_path: Path) -> None:
    case = _example_cases()[0]
    cli("init")
    assert cli("import", str(_write_jsonl(tmp_path / "a.jsonl", [case]))).returncode == 0
    changed = {**case, "applicant": {**case["applicant"], "name": "另一个人"}}
    p = cli("import", str(_write_jsonl(tmp_path / "b.jsonl", [changed])))
    assert p.returncode == 2
    assert "b.jsonl" in p.stderr and "number" in p.stderr


HOSTILE = [
    '<img src="http://127.0.0.1:9/x.png">',
    "<b>粗体</b> & <script>alert(1)</script>",
    "控制\u0007字符",
    "长" * 10_000,
    "\u202eRTL override",
    "'; DROP TABLE cases; --",
]


@pytest.mark.parametrize("text", HOSTILE, ids=["img", "markup", "control", "10000", "bidi", "sql"])
def test_hostile_text_never_causes_a_traceback(cli: Cli, tmp_path: Path, text: str) -> None:
    case = json.loads(json.dumps(_example_cases()[0]))
    case["applicant"]["name"] = text[:200]
    case["items"][0]["description"] = text
    case["notes"] = [{"date": "2025-04-28", "by": text[:50], "text": text}]
    cli("init")
    p = cli("import", str(_write_jsonl(tmp_path / "h.jsonl", [case])))
    assert p.returncode in (0, 2)
    if p.returncode == 2:
        assert "h.jsonl" in p.stderr and "第1行" in p.stderr
    else:
        exported = json.loads(cli("export").stdout)
        assert exported["items"][0]["description"] == text


def test_no_case_text_in_plaintext_anywhere_under_the_data_folder(cli: Cli, tmp_path: Path) -> None:
    cases = _example_cases()
    for i, c in enumerate(cases):
        c["applicant"] = {
            **c["applicant"],
            "name": f"{MARKER}{i}",
            "address": f"{MARKER}地址",
            "phone": "MARK3R77",
        }
        c["items"] = [{**it, "description": f"{MARKER}事项{i}"} for it in c["items"]]
        c["tags"] = [f"{MARKER}标签"]
        c["x_unknown"] = f"{MARKER}未知字段"
    cli("init")
    assert cli("import", str(_write_jsonl(tmp_path / "m.jsonl", cases))).returncode == 0
    assert cli("backup", "-o", str(tmp_path / "home" / "manual-backup.db")).returncode == 0
    home = tmp_path / "home"
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.name == "yishen.db" for p in files)
    needles = [MARKER.encode("utf-8"), MARKER.encode("utf-16-le"), b"MARK3R77"]
    leaks = [str(p) for p in files for n in needles if n in p.read_bytes()]
    assert leaks == []


def test_wrong_passphrase_is_clear_and_changes_no_file(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    cli("import", str(_write_jsonl(tmp_path / "a.jsonl", _example_cases()[:3])))
    home = tmp_path / "home"
    before = _snapshot(home)
    for command in (["export"], ["verify"], ["import", str(tmp_path / "a.jsonl")], ["backup", "-o", "x.db"]):
        p = cli(*command, YISHEN_PASSPHRASE="错误的口令")
        assert p.returncode != 0
        assert "口令" in p.stderr and "不正确" in p.stderr
    assert _snapshot(home) == before
    assert cli("export").returncode == 0


def test_init_refuses_to_overwrite(cli: Cli) -> None:
    assert cli("init").returncode == 0
    p = cli("init")
    assert p.returncode != 0
    assert "已存在" in p.stderr


def test_commands_without_a_database_say_so(cli: Cli) -> None:
    p = cli("export")
    assert p.returncode == 1
    assert "yishen init" in p.stderr


def test_keyring_mode_needs_no_passphrase(cli: Cli, tmp_path: Path) -> None:
    ring = {
        "PYTHON_KEYRING_BACKEND": "tests.support.filekeyring.FileKeyring",
        "YISHEN_TEST_KEYRING": str(tmp_path / "ring.json"),
    }
    env = {**cli.env, **ring}
    env.pop("YISHEN_PASSPHRASE")
    kcli = Cli(tmp_path, env)
    p = kcli("init")
    assert p.returncode == 0, p.stderr
    assert "密钥环" in p.stdout
    assert len(json.loads((tmp_path / "ring.json").read_text("utf-8"))) == 1
    assert kcli("import", str(_write_jsonl(tmp_path / "a.jsonl", _example_cases()[:2]))).returncode == 0
    assert len(kcli("export").stdout.splitlines()) == 2
    store = json.loads((tmp_path / "home" / "store.json").read_text("utf-8"))
    assert store["key_mode"] == "keyring"

    # Without the keyring entry the database cannot be opened, and the message says why.
    (tmp_path / "ring.json").write_text("{}", "utf-8")
    p = kcli("export")
    assert p.returncode == 1
    assert "密钥" in p.stderr


def test_backup_and_restore(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    cli("import", str(_write_jsonl(tmp_path / "a.jsonl", _example_cases()[:3])))
    bak = tmp_path / "b.db"
    p = cli("backup", "-o", str(bak), "--passphrase-env", "BACKUP_PW", BACKUP_PW="备份口令")
    assert p.returncode == 0, p.stderr
    cli("import", str(_write_jsonl(tmp_path / "b.jsonl", _example_cases()[3:5])))
    assert len(cli("export").stdout.splitlines()) == 5

    p = cli("restore", str(bak), "--passphrase-env", "BACKUP_PW", BACKUP_PW="备份口令")
    assert p.returncode != 0
    assert "--force" in p.stderr
    p = cli("restore", str(bak), "--force", "--passphrase-env", "BACKUP_PW", BACKUP_PW="备份口令")
    assert p.returncode == 0, p.stderr
    assert len(cli("export").stdout.splitlines()) == 3
    kept = list((tmp_path / "home").glob("yishen.db.replaced-*"))
    assert len(kept) == 1

    # On another machine: a new folder, restored with the backup's own passphrase.
    other = tmp_path / "other"
    p = cli("restore", str(bak), "--passphrase-env", "BACKUP_PW", home=other, BACKUP_PW="备份口令")
    assert p.returncode == 0, p.stderr
    assert len(cli("export", home=other).stdout.splitlines()) == 3
    assert cli("verify", home=other).returncode == 0

    p = cli("restore", str(bak), "--force", "--passphrase-env", "BACKUP_PW", BACKUP_PW="不对")
    assert p.returncode != 0


def test_verify_reports_ok(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    cli("import", str(_write_jsonl(tmp_path / "a.jsonl", _example_cases())))
    p = cli("verify")
    assert p.returncode == 0, p.stderr
    assert "校验通过" in p.stdout


def test_init_with_agency_profile_and_bad_profile(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "agency.toml"
    good.write_text(
        'name = "某市自然资源和规划局"\nshort_name = "某自然资规"\nkind = "department"\nlevel = "city"\n'
        'parent_government = "某市人民政府"\ncourt = "某市某区人民法院"\n',
        "utf-8",
    )
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "某局"\nkind = "ministry"\nlevel = "city"\n', "utf-8")
    p = cli("init", "--agency", str(bad))
    assert p.returncode == 2
    assert "bad.toml" in p.stderr and "kind" in p.stderr
    assert not (tmp_path / "home" / "yishen.db").exists()
    assert cli("init", "--agency", str(good)).returncode == 0


def test_ledger_csv_import(cli: Cli, tmp_path: Path) -> None:
    csv = tmp_path / "台账.csv"
    csv.write_text(
        "登记编号,收到日期,收到方式,申请人,申请人类型,联系电话,申请内容,答复日期,答复类型\n"
        "2025-0001,2025-03-03,当面,张三,自然人,13800000000,某村土地征收补偿方案,2025-03-20,予以公开\n"
        "2025-0002,2025/3/5,网上,某某有限公司,商业企业,,某项目环评文件,,\n",
        encoding="utf-8-sig",
    )
    cli("init")
    p = cli("import", str(csv))
    assert p.returncode == 0, p.stderr
    cases = [json.loads(ln) for ln in cli("export").stdout.splitlines()]
    assert [c["number"] for c in cases] == ["2025-0001", "2025-0002"]
    assert cases[0]["channel"] == "in_person" and cases[0]["items"][0]["finding"] == "disclosed"
    assert cases[1]["applicant"]["kind"] == "business" and cases[1]["channel"] == "online"


def test_deadline_command_matches_the_worked_examples(cli: Cli) -> None:
    keys = ["start", "correction_notice_due", "reply_due", "state", "days_left", "paused_days", "provisional"]
    for example in json.loads((EXAMPLES / "deadlines.json").read_text("utf-8")):
        p = cli("deadline", "-", "--today", example["today"], "--json", input=json.dumps(example["case"]))
        assert p.returncode == 0, p.stderr
        got = json.loads(p.stdout)
        assert {k: got[k] for k in keys} == {k: example["expected"][k] for k in keys}, example["title"]


def test_deadline_quick_calculator(cli: Cli) -> None:
    p = cli("deadline", "--received", "2026-09-16", "--json")
    assert p.returncode == 0, p.stderr
    got = json.loads(p.stdout)
    assert got["periods"] == {"7": "2026-09-24", "15": "2026-10-13", "20": "2026-10-20", "40": "2026-11-17"}
    assert got["reply_due"] == "2026-10-20"


def test_deadline_bad_input_exit_2(cli: Cli) -> None:
    p = cli("deadline", "-", "--json", input='{"channel": "in_person"}')
    assert p.returncode == 2
    assert "标准输入" in p.stderr


def test_calendar_import_recomputes_open_cases_and_lists_what_moved(cli: Cli, tmp_path: Path) -> None:
    # An open case received 2026-12-10 runs into 2027, which has no schedule yet: provisional.
    case = {
        "format": "yishen-case/1",
        "number": "2026-0900",
        "channel": "in_person",
        "received": "2026-12-10",
        "applicant": {"kind": "natural_person", "name": "王五"},
        "items": [{"description": "某文件", "form": "paper", "delivery": "post"}],
        "events": [],
    }
    closed = {**case, "number": "2026-0901", "events": [{"type": "replied", "date": "2026-12-11"}]}
    cli("init")
    assert cli("import", str(_write_jsonl(tmp_path / "c.jsonl", [case, closed]))).returncode == 0
    before = json.loads(
        cli("deadline", "-", "--today", "2026-12-11", "--json", input=json.dumps(case)).stdout
    )
    assert before["provisional"] is True
    assert before["reply_due"] == "2027-01-08"

    # A schedule for 2027 that makes 4–8 January rest days moves the due date past them.
    schedule = {
        "format": "yishen-calendar/1",
        "year": 2027,
        "source": "测试用放假安排",
        "rest_days": ["2027-01-01", "2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08"],
        "make_up_working_days": [],
        "local": False,
    }
    f = tmp_path / "2027.json"
    f.write_text(json.dumps(schedule, ensure_ascii=False), "utf-8")
    p = cli("calendar", "import", str(f), "--today", "2026-12-11")
    assert p.returncode == 0, p.stderr
    assert "2026-0900：2027-01-08 → 2027-01-15" in p.stdout
    assert "2026-0901" not in p.stdout

    shown = json.loads(cli("calendar", "show", "2027", "--json").stdout)
    assert shown["loaded"] is True and shown["national"]["source"] == "测试用放假安排"

    # The same file again changes nothing.
    again = cli("calendar", "import", str(f), "--today", "2026-12-11")
    assert again.returncode == 0 and "未作改动" in again.stdout


def test_calendar_import_bad_file_names_the_field(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "bad.json"
    f.write_text(
        json.dumps(
            {
                "format": "yishen-calendar/1",
                "year": 2027,
                "source": "x",
                "rest_days": ["2027-02-30"],
                "make_up_working_days": [],
                "local": False,
            }
        ),
        "utf-8",
    )
    cli("init")
    p = cli("calendar", "import", str(f))
    assert p.returncode == 2
    assert "bad.json" in p.stderr and "rest_days" in p.stderr


def test_deadline_uses_the_data_folders_calendar(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    schedule = {
        "format": "yishen-calendar/1",
        "year": 2027,
        "source": "测试",
        "local": False,
        "rest_days": ["2027-01-01", "2027-01-04"],
        "make_up_working_days": [],
    }
    f = tmp_path / "2027.json"
    f.write_text(json.dumps(schedule, ensure_ascii=False), "utf-8")
    assert cli("calendar", "import", str(f)).returncode == 0
    got = json.loads(cli("deadline", "--received", "2026-12-31", "--json").stdout)
    assert got["provisional"] is False
    assert got["periods"]["7"] == "2027-01-13"  # 1–4 Jan rest (2–3 weekend), 5–8, 11–13
    # Without the key the command still answers, from the built-in calendar, and says so.
    p = cli("deadline", "--received", "2026-12-31", "--json", YISHEN_PASSPHRASE="错")
    assert p.returncode == 0
    assert json.loads(p.stdout)["provisional"] is True
    assert "内置" in p.stderr


def test_local_overlay_adds_a_rest_day_kept_apart_from_the_national_schedule(
    cli: Cli, tmp_path: Path
) -> None:
    case = {
        "format": "yishen-case/1",
        "number": "2026-0100",
        "channel": "in_person",
        "received": "2026-09-16",
        "applicant": {"kind": "natural_person", "name": "赵六"},
        "items": [{"description": "某文件", "form": "paper", "delivery": "post"}],
        "events": [],
    }
    cli("init")
    cli("import", str(_write_jsonl(tmp_path / "c.jsonl", [case])))
    overlay = {
        "format": "yishen-calendar/1",
        "year": 2026,
        "source": "某自治州条例：民族节日",
        "local": True,
        "rest_days": ["2026-10-09"],
        "make_up_working_days": [],
    }
    f = tmp_path / "local.json"
    f.write_text(json.dumps(overlay, ensure_ascii=False), "utf-8")
    p = cli("calendar", "import", str(f), "--today", "2026-09-17")
    assert p.returncode == 0, p.stderr
    assert "2026-0100：2026-10-20 → 2026-10-21" in p.stdout
    shown = json.loads(cli("calendar", "show", "2026", "--json").stdout)
    assert shown["national"]["source"].startswith("国务院办公厅关于2026年")
    assert shown["local"]["rest_days"] == ["2026-10-09"]


def test_case_edit_validates_like_import_and_keeps_the_timeline_append_only(cli: Cli, tmp_path: Path) -> None:
    case = json.loads(json.dumps(_example_cases()[0]))
    cli("init")
    cli("import", str(_write_jsonl(tmp_path / "c.jsonl", [case])))
    number = case["number"]
    p = cli("case", "edit", number, "--set", "applicant.phone=01012345678", "--set", 'tags=["征收","补偿"]')
    assert p.returncode == 0, p.stderr
    shown = json.loads(cli("case", "show", number, "--json").stdout)
    assert shown["applicant"]["phone"] == "01012345678" and shown["tags"] == ["征收", "补偿"]

    p = cli(
        "case",
        "edit",
        number,
        "--add-event",
        '{"type": "replied", "date": "2025-05-20", "outcome": "disclosed"}',
    )
    assert p.returncode == 0, p.stderr
    shown = json.loads(cli("case", "show", number, "--json").stdout)
    assert shown["events"][-1]["type"] == "replied"

    # The same rules as an import: a bad value is refused with its field, nothing changes.
    p = cli("case", "edit", number, "--set", "applicant.kind=robot")
    assert p.returncode == 2 and "applicant.kind" in p.stderr
    p = cli(
        "case",
        "edit",
        number,
        "--add-event",
        '{"type": "extension_approved", "date": "2025-05-06", "days": 30, "approver": "主任", "reason": "多"}',
    )
    assert p.returncode == 2 and "days" in p.stderr
    p = cli("case", "edit", number, "--set", "events=[]")
    assert p.returncode == 2
    assert json.loads(cli("case", "show", number, "--json").stdout) == shown
    assert cli("verify").returncode == 0


def test_deadline_text_output_explains_the_holiday_and_make_up_days(cli: Cli) -> None:
    example = json.loads((EXAMPLES / "deadlines.json").read_text("utf-8"))[1]  # receipt before 春节 2026
    p = cli("deadline", "-", "--today", example["today"], input=json.dumps(example["case"]))
    assert p.returncode == 0, p.stderr
    assert "答复期限：2026-03-04" in p.stdout
    assert "2月15日至2月23日春节放假，不计入" in p.stdout
    assert "2月14日（周六）为调休上班日，计入，第12个工作日" in p.stdout
    assert "第1—7个工作日" in p.stdout


def test_report_annual_matches_the_worked_example(cli: Cli, tmp_path: Path) -> None:
    example = json.loads((EXAMPLES / "annual_report.json").read_text("utf-8"))
    cli("init")
    assert cli("import", str(_write_jsonl(tmp_path / "r.jsonl", example["cases"]))).returncode == 0
    p = cli("report", "annual", "--year", "2025", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == example["expected"]
    text = cli("report", "annual", "--year", "2025")
    assert "一、本年新收政府信息公开申请数量" in text.stdout
    xlsx = tmp_path / "2025.xlsx"
    p = cli("report", "annual", "--year", "2025", "--format", "xlsx", "-o", str(xlsx))
    assert p.returncode == 0, p.stderr
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    labels = {
        c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    }
    assert "四、结转下年度继续办理" in labels

    # The same tables as DOCX and PDF (format taken from the file name), the numbers of the example in them.
    import docx
    import pypdf

    out_docx, out_pdf = tmp_path / "2025.docx", tmp_path / "2025.pdf"
    assert cli("report", "annual", "--year", "2025", "-o", str(out_docx)).returncode == 0
    p = cli("report", "annual", "--year", "2025", "--format", "pdf", "-o", str(out_pdf))
    assert p.returncode == 0 and "字体" in p.stderr, p.stderr
    table3 = docx.Document(str(out_docx)).tables[0]
    cells = {c.text for row in table3.rows for c in row.cells}
    assert "四、结转下年度继续办理" in cells
    total_new = str(example["expected"]["section3"]["rows"]["new"][-1])
    assert total_new in cells
    pdf_text = "".join(page.extract_text() for page in pypdf.PdfReader(str(out_pdf)).pages)
    assert "结转下年度继续办理" in pdf_text.replace("\n", "")
