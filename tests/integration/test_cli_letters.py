"""``yishen letter`` / ``letters`` / ``agency`` as a clerk runs them: real processes, real encrypted database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pypdf

from app import bootstrap
from app.services import users
from tests.integration.clirunner import Cli

AGENCY_TOML = """\
name = "某市自然资源和规划局"
short_name = "某自然资规"
kind = "department"
level = "city"
parent_government = "某市人民政府"
court = "某市某区人民法院"
office = "某市自然资源和规划局政府信息公开办公室"
address = "某市某路1号"
phone = "0000-00000000"
"""

CASE = {
    "format": "yishen-case/1",
    "number": "2026-0007",
    "channel": "post_signed",
    "received": "2026-09-16",
    "applicant": {"kind": "natural_person", "name": "张三", "address": "某市某街2号", "phone": "13800000000"},
    "items": [
        {"description": "某地块征收补偿方案", "form": "paper", "delivery": "post", "finding": "disclosed"},
        {
            "description": "某项目专题会议纪要",
            "form": "paper",
            "delivery": "post",
            "finding": "withheld.process_info",
            "reasons": "该纪要系内部研究讨论记录",
        },
    ],
    "events": [
        {"type": "correction_requested", "date": "2026-09-18", "period_end": "2026-10-10"},
        {"type": "correction_received", "date": "2026-09-22"},
    ],
}


def _office(cli: Cli, tmp_path: Path) -> None:
    agency = tmp_path / "agency.toml"
    agency.write_text(AGENCY_TOML, "utf-8")
    assert cli("init", "--agency", str(agency)).returncode == 0
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(CASE, ensure_ascii=False) + "\n", "utf-8")
    assert cli("import", str(cases)).returncode == 0


def _pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_a_reply_from_draft_to_delivery(cli: Cli, tmp_path: Path) -> None:
    _office(cli, tmp_path)
    pdf = tmp_path / "答复书.pdf"
    p = cli("letter", "2026-0007", "--kind", "reply", "-o", str(pdf), "--today", "2026-10-09")
    assert p.returncode == 0, p.stderr
    assert "某自然资规依公开〔2026〕1号" in p.stderr and "草稿" in p.stderr and "字体" in p.stderr
    text = _pdf_text(pdf).replace("\n", "")
    assert "某自然资规依公开〔2026〕1号" in text
    assert "张三" in text and "某市人民政府申请行政复议" in text

    # The same letter again, as DOCX (format from the suffix): same number, no second draft.
    out_docx = tmp_path / "答复书.docx"
    assert cli("letter", "2026-0007", "--kind", "reply", "-o", str(out_docx)).returncode == 0
    body = "\n".join(par.text for par in docx.Document(str(out_docx)).paragraphs)
    assert "某自然资规依公开〔2026〕1号" in body

    p = cli("letter", "2026-0007", "--kind", "reply", "--issue")
    assert p.returncode == 1 and "不能签发" in p.stderr and "已审核" in p.stderr
    p = cli("letter", "2026-0007", "--kind", "reply", "--return", "--by", "李科长")
    assert p.returncode == 2 and "--comment" in p.stderr
    assert (
        cli(
            "letter",
            "2026-0007",
            "--kind",
            "reply",
            "--return",
            "--by",
            "李科长",
            "--comment",
            "理由请再具体些",
        ).returncode
        == 0
    )
    assert cli("letter", "2026-0007", "--kind", "reply", "--review", "--by", "李科长").returncode == 0
    p = cli("letter", "2026-0007", "--kind", "reply", "--issue", "--by", "局长", "--today", "2026-10-12")
    assert p.returncode == 0, p.stderr
    assert "已签发" in p.stdout

    proof = tmp_path / "邮寄回执.png"
    proof.write_bytes(b"\x89PNG\r\n\x1a\n scan")
    p = cli("letter", "2026-0007", "--kind", "reply", "--deliver", "快递", "--date", "2026-10-12")
    assert p.returncode == 2 and "--deliver" in p.stderr and "邮寄" in p.stderr
    p = cli(
        "letter", "2026-0007", "--kind", "reply", "--deliver", "邮寄", "--date", "2026-10-12",
        "--tracking", "EMS1234567890", "--proof", str(proof),
    )  # fmt: skip
    assert p.returncode == 0, p.stderr

    p = cli("letters", "2026-0007", "--json")
    assert p.returncode == 0, p.stderr
    (letter,) = json.loads(p.stdout)
    assert (letter["doc_number"], letter["status"], letter["issued_by"]) == (
        "某自然资规依公开〔2026〕1号",
        "issued",
        "局长",
    )
    assert [(r["by"], r["approved"], r["comment"]) for r in letter["reviews"]] == [
        ("李科长", False, "理由请再具体些"),
        ("李科长", True, ""),
    ]
    (delivery,) = letter["deliveries"]
    assert (delivery["method"], delivery["tracking"], delivery["date"]) == (
        "邮寄",
        "EMS1234567890",
        "2026-10-12",
    )
    assert len(delivery["proof"]) == 64

    # Issuing the reply concluded the case that day; the printed issued letter carries that date.
    case = json.loads(cli("case", "show", "2026-0007", "--json").stdout)
    assert [e["type"] for e in case["events"]][-2:] == ["replied", "delivered"]
    assert case["events"][-2]["date"] == "2026-10-12"
    reprint = tmp_path / "重印.pdf"
    assert cli("letter", "2026-0007", "--kind", "reply", "-o", str(reprint)).returncode == 0
    assert "2026年10月12日" in _pdf_text(reprint).replace("\n", "")
    assert cli("verify").returncode == 0


def test_cancelled_numbers_are_kept_and_not_reused(cli: Cli, tmp_path: Path) -> None:
    _office(cli, tmp_path)
    out = tmp_path / "补正.pdf"
    assert cli("letter", "2026-0007", "--kind", "correction", "-o", str(out)).returncode == 0
    p = cli("letter", "2026-0007", "--kind", "correction", "--cancel")
    assert p.returncode == 2 and "--reason" in p.stderr
    assert cli("letter", "2026-0007", "--kind", "correction", "--cancel", "--reason", "卡纸").returncode == 0
    p = cli("letter", "2026-0007", "--kind", "correction", "-o", str(out))
    assert "某自然资规依公开补〔2026〕2号" in p.stderr
    listing = cli("letters", "2026-0007").stdout
    assert "某自然资规依公开补〔2026〕1号  补正告知书  已作废" in listing
    assert "某自然资规依公开补〔2026〕2号  补正告知书  草稿" in listing


def test_letter_errors_are_plain_chinese(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(CASE, ensure_ascii=False) + "\n", "utf-8")
    cli("import", str(cases))
    out = tmp_path / "x.pdf"
    p = cli("letter", "2026-0007", "--kind", "reply", "-o", str(out))
    assert p.returncode == 1 and "本机关信息" in p.stderr and not out.exists()
    p = cli("letter", "2026-0007", "--kind", "letterz", "-o", str(out))
    assert p.returncode == 2 and "--kind" in p.stderr
    p = cli("letter", "2026-0007", "--kind", "reply")
    assert p.returncode == 2 and "-o" in p.stderr
    p = cli("letter", "2026-0099", "--kind", "reply", "-o", str(out))
    assert p.returncode == 1 and "2026-0099" in p.stderr

    agency = tmp_path / "agency.toml"
    agency.write_text(AGENCY_TOML, "utf-8")
    assert cli("agency", "set", str(agency)).returncode == 0
    shown = json.loads(cli("agency", "show", "--json").stdout)
    assert shown["short_name"] == "某自然资规"
    p = cli("letter", "2026-0007", "--kind", "extension", "-o", str(out))
    assert p.returncode == 1 and "办理记录" in p.stderr and not out.exists()
    p = cli("letter", "2026-0007", "--kind", "reply", "--review", "--issue")
    assert p.returncode == 2 and "一次只能做一项" in p.stderr
    assert json.loads(cli("letters", "2026-0007", "--json").stdout) == []


def test_the_review_follows_the_folders_users_and_roles(cli: Cli, tmp_path: Path) -> None:
    """The CLI acts as the OS login (or ``--by``): the same rule as the desktop — role and four-eyes."""
    _office(cli, tmp_path)
    as_zhang = {"LOGNAME": "zhangmin", "USER": "zhangmin"}
    out = tmp_path / "答复书.pdf"
    assert cli("letter", "2026-0007", "--kind", "reply", "-o", str(out), **as_zhang).returncode == 0
    home = Path(cli.env["YISHEN_HOME"])
    with (
        bootstrap.open_database(home, lambda: cli.env["YISHEN_PASSPHRASE"]) as db,
        db.unit_of_work("zhangmin") as uow,
    ):
        users.sign_in(uow, "zhangmin", name="张敏")
        users.add_user(uow, "zhangmin", login="lihua", name="李华", role="reviewer")
        users.add_user(uow, "zhangmin", login="wangfang", name="王芳", role="clerk")

    p = cli("letter", "2026-0007", "--kind", "reply", "--review", "--by", "wangfang")
    assert p.returncode == 1
    assert "只有审核人或管理员可以审核文书" in p.stderr and "王芳（wangfang）的角色是经办人" in p.stderr
    p = cli("letter", "2026-0007", "--kind", "reply", "--review", **as_zhang)  # the drafter, others exist
    assert p.returncode == 1 and "不能审核通过自己拟稿的文书（拟稿人：张敏）" in p.stderr
    p = cli("letter", "2026-0007", "--kind", "reply", "--review", "--by", "局长")
    assert p.returncode == 1 and "登录名“局长”不是本数据文件夹的用户" in p.stderr
    p = cli("letter", "2026-0007", "--kind", "reply", "--review", "--by", "lihua")
    assert p.returncode == 0, p.stderr
    (letter,) = json.loads(cli("letters", "2026-0007", "--json").stdout)
    assert letter["status"] == "reviewed" and letter["created_by"] == "zhangmin"
    assert [(r["by"], r["approved"], r["comment"]) for r in letter["reviews"]] == [("lihua", True, "")]
