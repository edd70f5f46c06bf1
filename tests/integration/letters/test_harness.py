"""The template harness: every letter kind, every finding, both formats, read back from the files.

Each letter is rendered to PDF and DOCX, its text extracted again (pypdf; python-docx) and checked
for what a reader must find: the addressee, the receipt date, each item's finding paragraph with its
articles, exactly one remedy clause with the right 复议机关 and periods (the 复议前置 wording for
withheld.* and partly_disclosed, domain.md §6.1), and no template residue.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import socket
from dataclasses import replace

import docx
import pypdf
import pytest

from app.domain.codes import FINDING_ORDER, Finding
from app.domain.model import Agency, Case, Note, ResponsibleOrgan
from app.law.findings import finding_paragraph
from app.letters import Letter, LetterKind, Role, missing_parts
from app.letters.docx import render_docx
from app.letters.pdf import render_pdf
from tests.unit.letters.samples import (
    AGENCY,
    APPLICANT,
    DOC_NUMBER,
    JUSTICE,
    PROVINCE,
    TODAY,
    case_for,
    full_case,
    make_letter,
    mixed_case,
)

FORMATS = ("pdf", "docx")
_PAGE_NUMBER = re.compile(r"—\d+—")
_ARTICLE = re.compile(
    r"第[一二三四五六七八九十百]+条(?:第[一二三四五六七八九十]+款)?(?:第（[一二三四五六七八九十]+）项)?"
)


def build(
    kind: LetterKind,
    case: Case,
    *,
    agency: Agency = AGENCY,
    today: dt.date = TODAY,
    consultation_id: str | None = None,
) -> Letter:
    return make_letter(kind, case, agency=agency, today=today, consultation_id=consultation_id)


def squeeze(text: str) -> str:
    """Text without whitespace (PDF lines break anywhere) and without the page numbers "— 1 —"."""
    return _PAGE_NUMBER.sub("", re.sub(r"\s+", "", text))


def extract(letter: Letter, fmt: str) -> str:
    if fmt == "pdf":
        data = render_pdf(letter)
        assert data.startswith(b"%PDF-")
        reader = pypdf.PdfReader(io.BytesIO(data))
        return squeeze("".join(page.extract_text() for page in reader.pages))
    data = render_docx(letter)
    document = docx.Document(io.BytesIO(data))
    return squeeze("".join(p.text for p in document.paragraphs))


def assert_no_residue(text: str) -> None:
    for residue in ("{", "}", "None", "：。", "（）", "“”", "：；", "，。", "[", "]", "：）"):
        assert residue not in text, residue


def reconsideration_first(organ: str) -> str:
    return (
        f"如对本答复不服，可以自收到本答复之日起六十日内向{organ}申请行政复议；对行政复议决定不服的，"
        "可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
    )


def either_or(organ: str, court: str) -> str:
    return (
        f"如对本答复不服，可以自收到本答复之日起六十日内向{organ}申请行政复议，"
        f"或者自收到本答复之日起六个月内向{court}提起行政诉讼。"
    )


def check_reply(letter: Letter, case: Case, text: str) -> None:
    assert "张三：" in text
    assert "2026年9月16日" in text
    for item in case.items:
        assert item.finding is not None
        organ = item.responsible_organ
        paragraph = finding_paragraph(
            item.finding,
            description=item.description,
            reasons=item.reasons,
            organ=organ.name if organ else None,
            contact=organ.contact if organ else None,
        )
        assert squeeze(paragraph) in text, item.finding
        for article in _ARTICLE.findall(paragraph):
            assert article in text
    assert text.count("如对本答复不服") == 1
    assert_no_residue(text)


# --------------------------------------------------------------------------- every finding


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("finding", FINDING_ORDER, ids=str)
def test_reply_for_every_finding(finding: Finding, fmt: str) -> None:
    case = case_for(finding)
    letter = build(LetterKind.REPLY, case)
    text = extract(letter, fmt)
    check_reply(letter, case, text)
    if finding.is_withheld or finding == Finding.PARTLY_DISCLOSED:
        # 复议法第二十三条第一款第（四）项: 复议 first, then court within 15 days of the decision.
        assert reconsideration_first("某市人民政府") in text
        assert "六个月" not in text
    else:
        assert either_or("某市人民政府", "某市某区人民法院") in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_mixed_reply(fmt: str) -> None:
    case = mixed_case()
    text = extract(build(LetterKind.REPLY, case), fmt)
    check_reply(build(LetterKind.REPLY, case), case, text)
    for heading in ("一、经审查", "二、经审查", "三、经审查", "四、经审查"):
        assert heading in text
    assert reconsideration_first("某市人民政府") in text
    assert "该信息由某市市场监督管理局负责公开（联系方式：0000-11111111）" in text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("agency", "finding", "clause"),
    [
        (
            PROVINCE,
            Finding.WITHHELD_STATE_SECRET,
            "如对本答复不服，可以自收到本答复之日起六十日内向本机关申请行政复议；对行政复议决定不服的，"
            "可以依法向人民法院提起行政诉讼，也可以向国务院申请裁决。",
        ),
        (
            PROVINCE,
            Finding.DISCLOSED,
            either_or("本机关", "某市中级人民法院")[:-1]
            + "；申请行政复议后对行政复议决定不服的，可以依法向人民法院提起行政诉讼，也可以向国务院申请裁决。",
        ),
        (JUSTICE, Finding.PARTLY_DISCLOSED, reconsideration_first("某市人民政府或者某省司法厅")),
        (JUSTICE, Finding.NOT_PROCESSED_REPEAT, either_or("某市人民政府或者某省司法厅", "某市某区人民法院")),
    ],
    ids=["省政府-前置", "省政府-选择", "司法局-前置", "司法局-选择"],
)
def test_reply_clause_of_other_organs(agency: Agency, finding: Finding, clause: str, fmt: str) -> None:
    case = case_for(finding)
    text = extract(build(LetterKind.REPLY, case, agency=agency), fmt)
    check_reply(build(LetterKind.REPLY, case, agency=agency), case, text)
    assert squeeze(clause) in text


# --------------------------------------------------------------------------- every other kind


KINDS = [
    (
        LetterKind.RECEIPT,
        None,
        dt.date(2026, 9, 16),
        ["张三：", "2026年9月16日", "2026-0044", "第三十条、第三十三条", "（最迟于2026年10月20日）作出答复"],
    ),
    (
        LetterKind.CORRECTION,
        None,
        dt.date(2026, 9, 18),
        [
            "张三：",
            "2026年9月16日",
            "第三十条",
            "一次性告知",
            "2026年10月16日前（含当日）",
            "视为放弃申请",
            "重新计算答复期限",
        ],
    ),
    (
        LetterKind.EXTENSION,
        None,
        dt.date(2026, 10, 20),
        ["张三：", "2026年9月16日", "第三十三条第二款", "延长15个工作日", "最迟于2026年12月15日作出答复"],
    ),
    (
        LetterKind.CONSULTATION_THIRD_PARTY,
        "c1",
        dt.date(2026, 9, 28),
        ["某置业有限公司：", "2026年9月16日", "第三十二条", "15个工作日", "说明理由", "决定是否公开"],
    ),
    (
        LetterKind.CONSULTATION_AGENCY,
        "c2",
        dt.date(2026, 9, 28),
        ["某市住房和城乡建设局：", "2026年9月16日", "第三十四条", "15个工作日", "视为同意公开"],
    ),
    (
        LetterKind.PUBLIC_INTEREST_NOTICE,
        "c1",
        dt.date(2026, 10, 14),
        ["某置业有限公司：", "第三十二条", "决定公开的政府信息内容：", "决定公开的理由："],
    ),
    (
        LetterKind.FEE,
        None,
        dt.date(2026, 10, 21),
        [
            "张三：",
            "2026年9月16日",
            "109号",
            "第31—100页：70页×10元/页＝700元",
            "共计1700元",
            "20个工作日",
            "视为放弃申请",
        ],
    ),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("kind", "cid", "today", "expected"), KINDS, ids=lambda v: str(v))
def test_every_other_kind(
    kind: LetterKind, cid: str | None, today: dt.date, expected: list[str], fmt: str
) -> None:
    letter = build(kind, full_case(), today=today, consultation_id=cid)
    assert missing_parts(letter) == []
    text = extract(letter, fmt)
    for phrase in expected:
        assert squeeze(phrase) in text, phrase
    assert DOC_NUMBER in text and letter.date_text in text and squeeze(letter.title) in text
    for p in letter.paragraphs:
        if p.role in (Role.BASIS, Role.DATA):
            assert squeeze(p.text) in text
    assert "如对本答复不服" not in text
    assert_no_residue(text)
    if kind in (
        LetterKind.CONSULTATION_THIRD_PARTY,
        LetterKind.CONSULTATION_AGENCY,
        LetterKind.PUBLIC_INTEREST_NOTICE,
    ):
        # 条例第三十二条、第三十四条: the consulted party learns nothing about the applicant.
        for value in (APPLICANT.name, APPLICANT.phone, APPLICANT.id_number, APPLICANT.address):
            assert value is not None and squeeze(value) not in text


# --------------------------------------------------------------------------- hostile input


HOSTILE = [
    '<img src="http://127.0.0.1:9/x">',
    '<b>粗体</b><font name="Helvetica" size="40">大字</font><para>',
    "&amp; &lt; & < > ]]> <!-- --> <![CDATA[x]]>",
    "控制\x00字符\x01\x07\x08\x0b\x0c\x1b[31m\x7f\x85\u202e反向\u2066",
    "{description} {reasons} [可选|备选] None \\n",
]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test (an <img src=http://…> must never be fetched)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def hostile_case() -> Case:
    text = "".join(HOSTILE)
    long = ("经检索" + "很长的理由" * 20 + "。") * 80 + "x" * 2000  # > 10 000 characters, one unbroken run
    assert len(long) > 10_000
    case = mixed_case()
    items = tuple(
        replace(
            item,
            description=f"{item.description}{text}",
            reasons=long if i == 2 else f"{text}{item.reasons}",
            doc_number=text,
            responsible_organ=ResponsibleOrgan(text, text) if item.responsible_organ else None,
        )
        for i, item in enumerate(case.items)
    )
    return replace(
        case,
        number=text[:60],
        applicant=replace(APPLICANT, name=text, address=text, email=text),
        items=items,
        notes=(Note(TODAY, "x", "补正：" + text),),
    )


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", [LetterKind.REPLY, LetterKind.RECEIPT, LetterKind.CORRECTION])
def test_hostile_text_prints_as_text_without_network(kind: LetterKind, fmt: str) -> None:
    agency = replace(
        AGENCY, name="某局" + HOSTILE[0], office=HOSTILE[1], address=HOSTILE[3], phone=HOSTILE[4]
    )
    letter = build(kind, hostile_case(), agency=agency)
    text = extract(letter, fmt)
    assert squeeze(HOSTILE[0]) in text  # the markup is printed, not interpreted
    assert squeeze("<b>粗体</b>") in text
    assert "控制字符" in text and "反向" in text  # control characters gone, the text kept
    if kind == LetterKind.REPLY:
        assert text.count("如对本答复不服") == 1


@pytest.mark.usefixtures("no_network")
def test_a_10000_character_paragraph_flows_over_pages() -> None:
    letter = build(LetterKind.REPLY, hostile_case())
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(letter)))
    assert len(reader.pages) >= 8
    for number, page in enumerate(reader.pages, 1):
        assert f"— {number} —" in page.extract_text()
