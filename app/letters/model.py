"""A letter (文书) as plain data: what both renderers print and what the review step checks.

A ``Letter`` has no status, no counter and no delivery record: the 文号 is an input, and review,
issue and delivery (domain.md §6.2) are records the store keeps about a letter, not parts of it.
Paragraphs carry an ``editable`` flag: the legal-basis paragraphs, the finding paragraphs and the
remedy clause come from ``app.law`` and cannot be edited (design.md §4); ``Letter.edit`` refuses them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from app.domain.codes import Finding
from app.domain.errors import InputError, RuleError
from app.law.findings import ARTICLES
from app.letters.text import cn_date


class LetterKind(StrEnum):
    """The kinds of ``yishen letter --kind`` (interfaces.md §3)."""

    RECEIPT = "receipt"  # 登记回执
    CORRECTION = "correction"  # 补正告知书 (条例第三十条)
    EXTENSION = "extension"  # 延期答复告知书 (条例第三十三条第二款)
    CONSULTATION_THIRD_PARTY = "consultation_third_party"  # 征求第三方意见书 (条例第三十二条)
    PUBLIC_INTEREST_NOTICE = "public_interest_notice"  # 告知书 to the third party (条例第三十二条)
    CONSULTATION_AGENCY = "consultation_agency"  # 征求意见函 (条例第三十四条)
    FEE = "fee"  # 收费通知书 (条例第四十二条, 109号)
    REPLY = "reply"  # 答复书, every finding including 不予处理 (条例第三十六条)


KIND_LABELS: dict[LetterKind, str] = {
    LetterKind.RECEIPT: "登记回执",
    LetterKind.CORRECTION: "补正告知书",
    LetterKind.EXTENSION: "延期答复告知书",
    LetterKind.CONSULTATION_THIRD_PARTY: "征求第三方意见书",
    LetterKind.PUBLIC_INTEREST_NOTICE: "公开告知书（第三方）",
    LetterKind.CONSULTATION_AGENCY: "征求意见函",
    LetterKind.FEE: "收费通知书",
    LetterKind.REPLY: "答复书",
}

# Letters that carry a finding and therefore the remedy clause (domain.md §6.1: never without it).
FINDING_KINDS = frozenset({LetterKind.REPLY})


class Role(StrEnum):
    """What a paragraph is; decides whether it may be edited."""

    TEXT = "text"  # free wording from the template: editable
    DATA = "data"  # the record speaking (the items requested, fee lines): edit the case instead
    BASIS = "basis"  # legal basis, periods and consequences: generated, not editable
    FINDING = "finding"  # one item's finding with reasons and articles (app.law.findings)
    REMEDY = "remedy"  # the remedy clause (app.law.remedies), exactly one on a finding letter


LOCKED_ROLES = frozenset({Role.DATA, Role.BASIS, Role.FINDING, Role.REMEDY})


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph (printed indented by two characters)."""

    text: str
    role: Role = Role.TEXT
    item: int | None = None  # 1-based item number for a finding or "how to obtain" paragraph
    finding: Finding | None = None
    gaps: tuple[str, ...] = ()  # what the review step must see filled in (``missing_parts``)

    @property
    def editable(self) -> bool:
        return self.role not in LOCKED_ROLES


@dataclass(frozen=True)
class Letter:
    """One letter, ready for either renderer (GB/T 9704-2012 parts in print order)."""

    kind: LetterKind
    header: str  # 发文机关标志: the agency's name
    doc_number: str  # 发文字号 (文号), e.g. "某自然资规依公开〔2026〕12号"
    title: str
    addressee: str  # 主送: printed flush left and followed by a full-width colon
    paragraphs: tuple[Paragraph, ...]
    closing: str  # 特此告知。/ 特此答复。
    signature: str  # 发文机关署名: the agency or its 政府信息公开工作机构
    date: dt.date  # 成文日期
    contact: str = ""  # 附注: the contact line
    attachments: tuple[str, ...] = ()  # 附件说明
    case_number: str = ""  # the case's registration number (for the store; not printed separately)
    findings: tuple[Finding, ...] = ()  # the items' findings a finding letter carries
    warnings: tuple[str, ...] = ()  # stable codes for the reviewer, e.g. "correction_notice_late"

    @property
    def date_text(self) -> str:
        return cn_date(self.date)

    @property
    def remedy(self) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.role == Role.REMEDY), None)

    def edit(self, index: int, text: str) -> Letter:
        """A copy with paragraph ``index`` reworded; locked paragraphs (legal basis, findings,
        remedy clause, record data) are refused with ``RuleError("paragraph_locked")``."""
        if not 0 <= index < len(self.paragraphs):
            raise InputError(
                "out_of_range", field="paragraph", value=index, min=0, max=len(self.paragraphs) - 1
            )
        paragraph = self.paragraphs[index]
        if not paragraph.editable:
            raise RuleError("paragraph_locked", index=index, role=str(paragraph.role))
        if not text.strip():
            raise InputError("required", field=f"paragraphs.{index}")
        paragraphs = list(self.paragraphs)
        paragraphs[index] = replace(paragraph, text=text.strip())
        return replace(self, paragraphs=tuple(paragraphs))

    def lines(self) -> list[str]:
        """Every printed text in print order (without the page numbers): for search, review and tests."""
        out = [self.header, self.doc_number, self.title, f"{self.addressee}："]
        out.extend(p.text for p in self.paragraphs)
        out.append(self.closing)
        if self.attachments:
            out.extend(attachment_lines(self.attachments))
        out.extend([self.signature, self.date_text])
        if self.contact:
            out.append(self.contact)
        return [line for line in out if line]

    def plain_text(self) -> str:
        return "\n".join(self.lines())


def letter_to_dict(letter: Letter) -> dict[str, Any]:
    """The letter as JSON-ready data: what the store archives for an issued letter (the exact text)."""
    return {
        "kind": str(letter.kind),
        "header": letter.header,
        "doc_number": letter.doc_number,
        "title": letter.title,
        "addressee": letter.addressee,
        "paragraphs": [
            {
                "text": p.text,
                "role": str(p.role),
                "item": p.item,
                "finding": str(p.finding) if p.finding is not None else None,
                "gaps": list(p.gaps),
            }
            for p in letter.paragraphs
        ],
        "closing": letter.closing,
        "signature": letter.signature,
        "date": letter.date.isoformat(),
        "contact": letter.contact,
        "attachments": list(letter.attachments),
        "case_number": letter.case_number,
        "findings": [str(f) for f in letter.findings],
        "warnings": list(letter.warnings),
    }


def letter_from_dict(obj: Mapping[str, Any]) -> Letter:
    """A letter read back from ``letter_to_dict`` output (trusted data from the store)."""
    return Letter(
        kind=LetterKind(obj["kind"]),
        header=obj["header"],
        doc_number=obj["doc_number"],
        title=obj["title"],
        addressee=obj["addressee"],
        paragraphs=tuple(
            Paragraph(
                p["text"],
                Role(p["role"]),
                item=p.get("item"),
                finding=Finding(p["finding"]) if p.get("finding") else None,
                gaps=tuple(p.get("gaps", ())),
            )
            for p in obj["paragraphs"]
        ),
        closing=obj["closing"],
        signature=obj["signature"],
        date=dt.date.fromisoformat(obj["date"]),
        contact=obj.get("contact", ""),
        attachments=tuple(obj.get("attachments", ())),
        case_number=obj.get("case_number", ""),
        findings=tuple(Finding(f) for f in obj.get("findings", ())),
        warnings=tuple(obj.get("warnings", ())),
    )


def attachment_lines(attachments: tuple[str, ...]) -> list[str]:
    """附件说明 (GB/T 9704-2012 7.3.4): "附件：名称", or "附件：1.名称" then "2.名称" … for several."""
    if len(attachments) == 1:
        return [f"附件：{attachments[0]}"]
    return [f"{'附件：' if i == 1 else ''}{i}.{name}" for i, name in enumerate(attachments, 1)]


# --------------------------------------------------------------------------- review check

_ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")

# Stable codes of ``missing_parts`` and what they mean to a reviewer.
MISSING_PART_LABELS: dict[str, str] = {
    "addressee": "缺少主送（收件人）",
    "doc_number": "缺少文号",
    "title": "缺少标题",
    "signature": "缺少发文机关署名",
    "closing": "缺少结束语",
    "legal_basis": "缺少法律依据（条款）",
    "remedy_clause": "答复类文书缺少救济途径（复议法第二十条：未告知的，复议期限最长可延至一年）",
    "remedy_clause_twice": "一份文书只能有一条救济途径",
    "finding_article": "答复意见未引用条款",
    "reasons": "该答复类型须说明理由（条例第三十六条第（三）项、第三十七条）",
    "correction_points": "未列明需要补正的事项（条例第三十条：一次性告知）",
}


def missing_parts(letter: Letter) -> list[str]:
    """What a letter lacks before it may be issued, as stable codes (``MISSING_PART_LABELS``).

    A code about one item ends with its number, e.g. ``"reasons.2"``; an empty list means complete.
    The check is structural: it does not judge the wording.
    """
    missing: list[str] = []
    for code, value in (
        ("addressee", letter.addressee),
        ("doc_number", letter.doc_number),
        ("title", letter.title),
        ("signature", letter.signature),
        ("closing", letter.closing),
    ):
        if not value.strip():
            missing.append(code)
    # Every letter rests on an article, except a reply whose findings have none (other.other, "—").
    cites = not letter.findings or any(ARTICLES[f] for f in letter.findings)
    if cites and not any(_ARTICLE.search(p.text) for p in letter.paragraphs if not p.editable):
        missing.append("legal_basis")
    remedies = [p for p in letter.paragraphs if p.role == Role.REMEDY and p.text.strip()]
    if letter.kind in FINDING_KINDS or letter.findings:
        # 复议法第二十条第二款: without the right, the organ and the period the 复议 period runs up to a year.
        if not remedies:
            missing.append("remedy_clause")
        for p in letter.paragraphs:
            has_articles = p.finding is not None and bool(ARTICLES[p.finding])
            if p.role == Role.FINDING and has_articles and not _ARTICLE.search(p.text):
                missing.append(f"finding_article.{p.item}")
    if len(remedies) > 1:
        missing.append("remedy_clause_twice")
    for p in letter.paragraphs:
        for gap in p.gaps:
            missing.append(f"{gap}.{p.item}" if p.item is not None else gap)
    return missing


def describe_missing(code: str) -> str:
    """The reviewer's wording for one ``missing_parts`` code ("reasons.2" → "第2项：…")."""
    base, _, item = code.partition(".")
    label = MISSING_PART_LABELS.get(base, base)
    return f"第{item}项：{label}" if item else label
