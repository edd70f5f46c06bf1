"""Import of a 台账 (ledger) kept in Excel (``.xlsx``) or CSV, with Chinese column headers, as cases.

Each data row becomes a dict in the case file format and goes through ``parse_case``, so the rules live
in one place (``app.domain.caseformat``); an error names the file, the row number as the spreadsheet
shows it, and the column header (``InputError.field`` and ``params["column"]``).

Decisions:

* The header row is the first of the first 20 rows with at least three recognised headers (ledgers often
  have a title row above it). Headers are matched after removing spaces, ``*`` and full-width forms; a
  trailing bracketed note is ignored (``联系电话（手机）``). Columns 申请人, 申请人类型, 收到日期, 收到方式
  and 申请内容 must exist; a missing one is a file-level error (the applicant kind is never guessed: it
  decides the annual-report column).
* One row is one case with **one** item: 申请内容 is kept whole, line breaks included. Splitting on line
  breaks would turn a wrapped description into several requests, each with its own finding in the letter
  and the report — a change the clerk did not make.
* 提供方式/载体形式 → form (default 纸质), 获取方式 → delivery (default 邮寄), as on the national form.
* 答复日期 and 答复类型 go together (one without the other is an error on the missing column). The item
  carries the finding; the timeline gets ``replied`` on that day with the finding as its outcome — except
  an ``other.*`` finding (逾期不补正, 逾期未缴费, 撤回 …), which ends the case without a reply letter and is
  recorded as ``terminated`` (interfaces.md §1). Both conclude the case the same way for the report.
* For 平常信函/互联网/传真/电子邮件 (条例第三十一条) the ledger's 收到日期 is the confirmed date: a
  ``receipt_confirmed`` event (method 其他, by 台账导入) is added; an empty 收到日期 leaves the case
  awaiting confirmation.
* 经办人/承办人 → the case's clerk (``clerk``, a login or a name, kept as written); an empty cell leaves
  the case without one (the import keeps what the ledger says, as ``add_many`` does).
* 备注 becomes a note by 台账导入 dated 收到日期 (else 答复日期); with no date at all it is kept in ``extra``.
* Unknown columns go into ``Case.extra`` under their header text (empty cells are left out).
* Dates: ``2026-09-16``, ``2026/9/16``, ``2026.9.16``, ``2026年9月16日``, ``20260916`` (a time after the
  date is ignored), full-width digits, Excel date cells and Excel serial numbers in date columns.
* CSV: UTF-8 (with or without BOM), else GB18030 (what Excel writes on a Chinese Windows); the delimiter is
  the most frequent of ``,`` ``\\t`` ``;`` in the first line. Line breaks inside cells become ``\\n``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import openpyxl
from openpyxl.utils.datetime import from_excel

from app.domain.caseformat import parse_case
from app.domain.codes import (
    APPLICANT_KIND_LABELS,
    CHANNEL_LABELS,
    CONFIRMATION_CHANNELS,
    DELIVERY_LABELS,
    FINDING_LABELS,
    FORM_LABELS,
    ID_TYPES,
    ApplicantKind,
    Channel,
    Delivery,
    Finding,
    Form,
)
from app.domain.errors import InputError
from app.interchange.lines import ParsedLine, mark_duplicates

__all__ = [
    "IMPORTED_BY",
    "LEDGER_SUFFIXES",
    "finding_of_label",
    "parse_csv_ledger",
    "parse_ledger_date",
    "read_ledger",
]

LEDGER_SUFFIXES = (".csv", ".xlsx", ".xlsm")
IMPORTED_BY = "台账导入"
_HEADER_SCAN_ROWS = 20

# --------------------------------------------------------------------------- text normalization

_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』《》")
_PARENS_RE = re.compile(r"\([^()]*\)$")
_SEPARATORS = " :;,.-—_/、，：；()"


def _norm(text: str) -> str:
    """The matching key of a header or label: NFKC (full-width → ASCII), no spaces or quotes, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).translate(_QUOTES).replace("*", "").lower()


def _without_note(key: str) -> str:
    """``联系电话(手机)`` → ``联系电话``: a trailing bracketed note does not change the meaning."""
    return _PARENS_RE.sub("", key)


# --------------------------------------------------------------------------- headers

_HEADERS: dict[str, tuple[str, ...]] = {
    # The first alias is the canonical header, used in errors about a missing column.
    "number": ("登记编号", "登记号", "编号", "申请编号", "受理编号", "number"),
    "received": (
        "收到日期",
        "收到时间",
        "收到申请日期",
        "收到申请时间",
        "收到申请之日",
        "受理日期",
        "受理时间",
        "登记日期",
        "登记时间",
        "received",
    ),
    "arrived": ("到达日期", "实际到达日期", "arrived"),
    "channel": ("收到方式", "申请方式", "提交方式", "申请渠道", "收到渠道", "申请途径", "channel"),
    "name": (
        "申请人",
        "申请人姓名",
        "申请人名称",
        "申请人姓名或名称",
        "申请人姓名/名称",
        "姓名/名称",
        "name",
    ),
    "kind": ("申请人类型", "申请人类别", "申请人性质", "申请主体类型", "申请人身份", "kind"),
    "id_type": ("证件类型", "证件名称", "身份证明类型", "id_type"),
    "id_number": ("证件号码", "证件号", "身份证号", "身份证号码", "id_number"),
    "phone": ("联系电话", "电话", "手机", "手机号码", "联系方式", "phone"),
    "address": ("联系地址", "地址", "通讯地址", "通信地址", "邮寄地址", "address"),
    "email": ("电子邮箱", "邮箱", "电子邮件", "电子邮件地址", "email", "e-mail"),
    "description": (
        "申请内容",
        "申请事项",
        "申请公开内容",
        "申请公开的内容",
        "申请公开的政府信息",
        "所需信息",
        "所需政府信息",
        "所需信息内容描述",
        "description",
    ),
    # The national application form: 所需信息的指定提供方式 (纸质/电子…) is the form;
    # 获取信息的方式 (邮寄/自行领取/电子邮件…) is the delivery.
    "form": ("提供方式", "指定提供方式", "载体形式", "信息载体", "提供形式", "信息形式", "form"),
    "delivery": ("获取方式", "获取信息方式", "获取信息的方式", "送达方式", "领取方式", "delivery"),
    "reply_date": ("答复日期", "答复时间", "办结日期", "办结时间"),
    "finding": ("答复类型", "答复结果", "处理结果", "办理结果", "finding"),
    "reasons": ("答复理由", "不予公开理由", "理由", "reasons"),
    "note": ("备注", "说明"),
    "tags": ("标签", "分类", "tags"),
    "clerk": ("经办人", "承办人", "经办人员", "承办人员", "clerk"),
    "ignore": ("序号", "no", "no.", "#"),
}
_REQUIRED_COLUMNS = ("name", "kind", "received", "channel", "description")
_HEADER_KEYS: dict[str, str] = {
    _norm(alias): field for field, aliases in _HEADERS.items() for alias in aliases
}
# Keys of the case format that a ledger column never maps to: an unknown column of that name would be
# read as the field on the next JSONL import, so its extra key is marked as a ledger column.
_RESERVED_KEYS = frozenset(
    {"format", "id", "items", "events", "outcome", "outcome_reason", "flags", "notes", "applicant"}
    | {"oral_filled_by", "assistance", "clerk"}
)


def _header_field(header: str) -> str | None:
    key = _norm(header)
    return _HEADER_KEYS.get(key) or _HEADER_KEYS.get(_without_note(key))


@dataclass(frozen=True)
class _Column:
    index: int
    header: str
    field: str | None  # None: unknown, kept in extra under ``header``


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _find_header(rows: Sequence[tuple[int, list[object]]], source: str) -> tuple[int, list[_Column]]:
    """The header row's position in ``rows`` and its columns; raises when there is none."""
    for position, (row_no, cells) in enumerate(rows[:_HEADER_SCAN_ROWS]):
        headers = [_cell_text(c) or "" for c in cells]
        fields = [_header_field(h) if h else None for h in headers]
        if sum(f is not None and f != "ignore" for f in fields) < 3:
            continue
        columns: list[_Column] = []
        seen: dict[str, str] = {}
        for index, (header, field) in enumerate(zip(headers, fields, strict=True)):
            header = header or f"{_column_letter(index)}列"
            # A column named twice would make one of the two silently win.
            key = field if field not in (None, "ignore") else f"extra:{header}"
            if key in seen:
                raise InputError("duplicate_column", source=source, line=row_no, field=header, column=header)
            seen[key] = header
            columns.append(_Column(index, header, field))
        for field in _REQUIRED_COLUMNS:
            if field not in seen:
                column = _HEADERS[field][0]
                raise InputError("missing_column", source=source, line=row_no, field=column, column=column)
        return position, columns
    expected = [_HEADERS[f][0] for f in _REQUIRED_COLUMNS]
    raise InputError("no_header_row", source=source, expected=expected)


# --------------------------------------------------------------------------- cell values


def _cell_text(value: object) -> str | None:
    """A cell as trimmed text with ``\\n`` line breaks; ``None`` when empty."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        # A number typed into a text column (phone, 编号) comes back from Excel as 13800138000.0.
        text = str(int(value))
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(value)
    return text or None


def _extra_value(value: object) -> Any:
    """An unknown column's cell as a JSON value (numbers stay numbers, dates become ``YYYY-MM-DD``)."""
    if isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    return _cell_text(value)


_DATE_RE = re.compile(
    r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?"
    r"(?:\s*[T\s]\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)
_COMPACT_DATE_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")


def parse_ledger_date(value: object) -> dt.date | None:
    """A ledger date cell as a date; ``None`` when empty; ``ValueError`` when it is not a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial day number in a cell not formatted as a date (46281 = 2026-09-16).
        if not (isinstance(value, int) or math.isfinite(value)) or not 1 <= value < 2958466:
            raise ValueError("not an Excel day number")
        serial = from_excel(value)
        if not isinstance(serial, dt.datetime):
            raise ValueError("not an Excel day number")
        return serial.date()
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    match = _DATE_RE.fullmatch(text) or _COMPACT_DATE_RE.fullmatch(text)
    if match is None:
        raise ValueError("not a date")
    year, month, day = (int(g) for g in match.groups())
    return dt.date(year, month, day)


# --------------------------------------------------------------------------- labels

_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")


def _label_map(enum: type[_E], labels: Mapping[_E, str], extra: Mapping[_E, Iterable[str]]) -> dict[str, _E]:
    """Normalized label → code: the codes themselves, the official labels and common variants."""
    out: dict[str, _E] = {}
    for member in enum:
        for word in (member.value, labels[member], *extra.get(member, ())):
            out[_norm(word)] = member
    return out


_CHANNEL_WORDS = _label_map(
    Channel,
    CHANNEL_LABELS,
    {
        Channel.IN_PERSON: (
            "当面",
            "当面申请",
            "当面递交",
            "现场",
            "现场提交",
            "现场申请",
            "窗口",
            "窗口提交",
        ),
        Channel.POST_SIGNED: ("邮寄", "挂号", "挂号信", "挂号信函", "EMS", "邮政EMS", "快递", "邮寄需签收"),
        Channel.POST_ORDINARY: ("平信", "平常信函", "普通信函", "平邮", "信函"),
        Channel.ONLINE: (
            "网上",
            "网上申请",
            "互联网",
            "网络",
            "网络申请",
            "在线",
            "在线申请",
            "网站",
            "政府网站",
            "网上平台",
            "依申请公开平台",
        ),
        Channel.FAX: ("传真申请",),
        Channel.EMAIL: ("邮箱", "电子邮箱", "电邮", "email", "e-mail"),
        Channel.ORAL: ("口头", "口头申请", "代为填写"),
    },
)
_KIND_WORDS = _label_map(
    ApplicantKind,
    APPLICANT_KIND_LABELS,
    {
        ApplicantKind.NATURAL_PERSON: ("个人", "公民"),
        ApplicantKind.BUSINESS: ("企业", "公司", "企业法人"),
        ApplicantKind.RESEARCH: ("科研院所", "研究机构"),
        ApplicantKind.PUBLIC_INTEREST: ("公益组织",),
        ApplicantKind.LEGAL_SERVICES: ("律师事务所", "律所"),
        ApplicantKind.OTHER_ORG: ("其他", "其它", "其他单位", "其他机构", "其他法人"),
    },
)
# 30号 table 三 groups the last five kinds under 法人或其他组织; "法人或其他组织-商业企业" names the sub-kind.
_ORG_PREFIXES = tuple(_norm(p) for p in ("法人或者其他组织", "法人或其他组织", "法人或其它组织"))
_ORG_KINDS = [k for k in ApplicantKind if k is not ApplicantKind.NATURAL_PERSON]
_ID_TYPE_WORDS: dict[str, str] = {_norm(t): t for t in ID_TYPES} | {
    _norm(word): id_type
    for id_type, words in (
        ("居民身份证", ("身份证", "二代身份证", "身份证件")),
        ("港澳居民来往内地通行证", ("港澳通行证", "回乡证")),
        ("台湾居民来往大陆通行证", ("台湾通行证", "台胞证")),
        ("统一社会信用代码", ("营业执照", "社会信用代码", "信用代码", "统一社会信用代码证")),
        ("其他", ("其它",)),
    )
    for word in words
}
_FORM_WORDS = _label_map(
    Form,
    FORM_LABELS,
    {
        Form.PAPER: ("纸质文本", "纸质文件", "纸质件", "纸质材料", "纸本", "书面", "复印件", "纸质复印件"),
        Form.ELECTRONIC: ("电子", "电子文档", "电子文件", "电子版", "光盘", "磁盘", "U盘"),
        Form.INSPECT: ("当场阅读", "现场查阅", "当场查阅"),
        Form.COPY_BY_HAND: ("当场抄录", "现场抄录"),
    },
)
_DELIVERY_WORDS = _label_map(
    Delivery,
    DELIVERY_LABELS,
    {
        Delivery.PICKUP: ("当面领取", "现场领取", "自取", "领取", "当面"),
        Delivery.POST: ("快递", "挂号", "EMS"),
        Delivery.EMAIL: ("邮箱", "电子邮箱", "email", "e-mail"),
        Delivery.ONLINE: ("网上", "在线", "互联网", "网络", "网上平台", "网上下载"),
    },
)


def _lookup(words: Mapping[str, _T], text: str) -> _T | None:
    key = _norm(text)
    found = words.get(key)
    return found if found is not None else words.get(_without_note(key))


# Findings (domain.md §5). The full label and its part after "：" are accepted, plus the forms clerks
# write. A category word alone (不予公开, 无法提供 …) is ambiguous: the letter, the remedy clause
# (复议前置 for every withheld.* finding) and the report row depend on which ground applies.
_FINDING_WORDS: dict[str, Finding] = {}
for _finding, _label in FINDING_LABELS.items():
    _FINDING_WORDS[_norm(_finding.value)] = _finding
    _FINDING_WORDS[_norm(_label)] = _finding
    _FINDING_WORDS[_norm(_label.split("：")[-1])] = _finding
for _word, _finding in (
    ("公开", Finding.DISCLOSED),
    ("同意公开", Finding.DISCLOSED),
    ("全部公开", Finding.DISCLOSED),
    ("已主动公开", Finding.DISCLOSED),
    ("部分予以公开", Finding.PARTLY_DISCLOSED),
    ("信息不存在", Finding.UNABLE_NOT_HELD),
    ("政府信息不存在", Finding.UNABLE_NOT_HELD),
    ("本机关不掌握", Finding.UNABLE_NOT_HELD),
    ("不掌握", Finding.UNABLE_NOT_HELD),
    ("非本机关政府信息", Finding.UNABLE_NOT_HELD),
    ("非本机关负责公开", Finding.UNABLE_NOT_HELD),
    ("需要另行制作", Finding.UNABLE_NEEDS_CREATION),
    ("需另行制作", Finding.UNABLE_NEEDS_CREATION),
    ("信访举报投诉", Finding.NOT_PROCESSED_PETITION),
    ("公开出版物", Finding.NOT_PROCESSED_PUBLICATION),
    ("撤回", Finding.OTHER_OTHER),
    ("撤回申请", Finding.OTHER_OTHER),
    ("申请人撤回", Finding.OTHER_OTHER),
):
    _FINDING_WORDS[_norm(_word)] = _finding

# Category prefixes; the rest of the text picks the ground by keyword. Single-code prefixes first.
_FINDING_PREFIXES: tuple[tuple[str, tuple[tuple[str, Finding], ...]], ...] = (
    ("部分公开", (("", Finding.PARTLY_DISCLOSED),)),
    ("部分予以公开", (("", Finding.PARTLY_DISCLOSED),)),
    ("予以公开", (("", Finding.DISCLOSED),)),
    ("同意公开", (("", Finding.DISCLOSED),)),
    ("全部公开", (("", Finding.DISCLOSED),)),
    (
        "不予公开",
        (
            ("国家秘密", Finding.WITHHELD_STATE_SECRET),
            ("法律行政法规禁止", Finding.WITHHELD_PROHIBITED_BY_LAW),
            ("法律法规禁止", Finding.WITHHELD_PROHIBITED_BY_LAW),
            ("禁止公开", Finding.WITHHELD_PROHIBITED_BY_LAW),
            ("三安全一稳定", Finding.WITHHELD_SECURITY_STABILITY),
            ("国家安全", Finding.WITHHELD_SECURITY_STABILITY),
            ("公共安全", Finding.WITHHELD_SECURITY_STABILITY),
            ("经济安全", Finding.WITHHELD_SECURITY_STABILITY),
            ("社会稳定", Finding.WITHHELD_SECURITY_STABILITY),
            ("第三方", Finding.WITHHELD_THIRD_PARTY),
            ("商业秘密", Finding.WITHHELD_THIRD_PARTY),
            ("个人隐私", Finding.WITHHELD_THIRD_PARTY),
            ("内部事务", Finding.WITHHELD_INTERNAL_AFFAIRS),
            ("过程性", Finding.WITHHELD_PROCESS_INFO),
            ("执法案卷", Finding.WITHHELD_ENFORCEMENT_FILE),
            ("行政查询", Finding.WITHHELD_ADMINISTRATIVE_QUERY),
        ),
    ),
    (
        "无法提供",
        (
            ("不掌握", Finding.UNABLE_NOT_HELD),
            ("不存在", Finding.UNABLE_NOT_HELD),
            ("非本机关", Finding.UNABLE_NOT_HELD),
            ("不属于本机关", Finding.UNABLE_NOT_HELD),
            ("另行制作", Finding.UNABLE_NEEDS_CREATION),
            ("没有现成", Finding.UNABLE_NEEDS_CREATION),
            ("不明确", Finding.UNABLE_UNCLEAR_AFTER_CORRECTION),
        ),
    ),
    (
        "不予处理",
        (
            ("信访", Finding.NOT_PROCESSED_PETITION),
            ("举报", Finding.NOT_PROCESSED_PETITION),
            ("投诉", Finding.NOT_PROCESSED_PETITION),
            ("重复", Finding.NOT_PROCESSED_REPEAT),
            ("出版物", Finding.NOT_PROCESSED_PUBLICATION),
            ("大量", Finding.NOT_PROCESSED_EXCESSIVE),
            ("反复", Finding.NOT_PROCESSED_EXCESSIVE),
            ("确认", Finding.NOT_PROCESSED_CONFIRM_EXISTING),
            ("重新出具", Finding.NOT_PROCESSED_CONFIRM_EXISTING),
        ),
    ),
    (
        "其他处理",
        (
            ("补正", Finding.OTHER_NO_CORRECTION),
            ("缴费", Finding.OTHER_FEE_UNPAID),
            ("缴纳", Finding.OTHER_FEE_UNPAID),
            ("撤回", Finding.OTHER_OTHER),
            ("其他", Finding.OTHER_OTHER),
        ),
    ),
)
# 视为放弃申请 is the consequence of both 逾期不补正 (条例第三十条) and 逾期未缴费 (第四十二条).
_AMBIGUOUS_FINDINGS: dict[str, tuple[Finding, ...]] = {
    _norm("视为放弃"): (Finding.OTHER_NO_CORRECTION, Finding.OTHER_FEE_UNPAID),
    _norm("视为放弃申请"): (Finding.OTHER_NO_CORRECTION, Finding.OTHER_FEE_UNPAID),
}


def finding_of_label(text: str) -> Finding:
    """The finding a ledger's 答复类型 cell names.

    Raises ``InputError`` ``ambiguous_choice`` (a category without its ground) or ``bad_choice``, with
    ``choices`` the official labels to pick from; the caller adds the location.
    """
    key = _norm(text)
    if key in _FINDING_WORDS:
        return _FINDING_WORDS[key]
    if key in _AMBIGUOUS_FINDINGS:
        raise InputError(
            "ambiguous_choice", value=text, choices=[FINDING_LABELS[f] for f in _AMBIGUOUS_FINDINGS[key]]
        )
    for prefix, grounds in _FINDING_PREFIXES:
        norm_prefix = _norm(prefix)
        if not key.startswith(norm_prefix):
            continue
        if len(grounds) == 1:
            return grounds[0][1]
        rest = key[len(norm_prefix) :].strip(_SEPARATORS)
        hits = {finding for word, finding in grounds if _norm(word) in rest}
        if len(hits) == 1:
            return hits.pop()
        choices = [FINDING_LABELS[f] for f in dict.fromkeys(f for _, f in grounds)]
        raise InputError(
            "ambiguous_choice" if not rest or hits else "bad_choice", value=text, choices=choices
        )
    raise InputError("bad_choice", value=text, choices=list(FINDING_LABELS.values()))


def _applicant_kind(text: str) -> ApplicantKind:
    key = _norm(text)
    for prefix in _ORG_PREFIXES:
        if key.startswith(prefix):
            rest = key[len(prefix) :].strip(_SEPARATORS)
            if not rest:
                # 30号 counts 法人或其他组织 in five columns: the sub-kind is needed.
                labels = [APPLICANT_KIND_LABELS[k] for k in _ORG_KINDS]
                raise InputError("ambiguous_choice", value=text, choices=labels)
            key = rest
            break
    found = _lookup(_KIND_WORDS, key)
    if found is None:
        raise InputError("bad_choice", value=text, choices=list(APPLICANT_KIND_LABELS.values()))
    return found


# --------------------------------------------------------------------------- rows → cases


class _Row:
    """One data row being turned into a case dict, remembering which column each field came from."""

    def __init__(self, columns: Sequence[_Column], cells: Sequence[object]) -> None:
        self.cells: dict[str, object] = {}
        self.headers: dict[str, str] = {}
        self.extra: dict[str, Any] = {}
        for column in columns:
            value = cells[column.index] if column.index < len(cells) else None
            if column.field is None:
                extra = _extra_value(value)
                if extra is not None:
                    key = column.header
                    if key in _RESERVED_KEYS:
                        key = f"{key}（台账列）"
                    self.extra[key] = extra
            elif column.field != "ignore":
                self.cells[column.field] = value
                self.headers[column.field] = column.header
        for index in range(len(columns), len(cells)):
            # Data right of the last header: kept, named by its column letter.
            extra = _extra_value(cells[index])
            if extra is not None:
                self.extra[f"{_column_letter(index)}列"] = extra
        self.paths: dict[str, str] = {}  # path prefix in the case dict → column header

    def header(self, field: str) -> str:
        return self.headers.get(field, _HEADERS[field][0])

    def text(self, field: str) -> str | None:
        return _cell_text(self.cells.get(field))

    def blank(self) -> bool:
        return not self.extra and all(_cell_text(v) is None for v in self.cells.values())

    def error(self, kind: str, field: str, **params: Any) -> InputError:
        header = self.header(field)
        return InputError(kind, field=header, column=header, **params)

    def date(self, field: str) -> str | None:
        value = self.cells.get(field)
        try:
            day = parse_ledger_date(value)
        except (ValueError, OverflowError):
            raise self.error("bad_date", field, value=_cell_text(value) or "") from None
        return day.isoformat() if day is not None else None

    def label(self, field: str, words: Mapping[str, _T], labels: Iterable[str]) -> _T | None:
        text = self.text(field)
        if text is None:
            return None
        found = _lookup(words, text)
        if found is None:
            raise self.error("bad_choice", field, value=text, choices=list(labels))
        return found

    def relabel(self, error: InputError, field: str) -> InputError:
        header = self.header(field)
        return InputError(error.kind, field=header, column=header, **error.params)

    def put(self, target: dict[str, Any], key: str, path: str, field: str, value: object) -> None:
        if value is not None:
            target[key] = value
        self.paths[path] = self.header(field)

    def case_dict(self) -> dict[str, Any]:
        """The row in the case file format; raises ``InputError`` (field = header) for a bad cell."""
        d: dict[str, Any] = {}
        self.put(d, "number", "number", "number", self.text("number"))
        channel = self.label("channel", _CHANNEL_WORDS, CHANNEL_LABELS.values())
        self.put(d, "channel", "channel", "channel", None if channel is None else channel.value)
        received = self.date("received")
        self.put(d, "received", "received", "received", received)
        self.put(d, "arrived", "arrived", "arrived", self.date("arrived"))
        # An empty cell leaves the case without a clerk: history is not given to whoever imports it.
        self.put(d, "clerk", "clerk", "clerk", self.text("clerk"))

        applicant: dict[str, Any] = {}
        kind_text = self.text("kind")
        if kind_text is not None:
            try:
                applicant["kind"] = _applicant_kind(kind_text).value
            except InputError as e:
                raise self.relabel(e, "kind") from None
        self.paths["applicant.kind"] = self.header("kind")
        self.put(applicant, "name", "applicant", "name", self.text("name"))
        id_type = self.label("id_type", _ID_TYPE_WORDS, ID_TYPES)
        self.put(applicant, "id_type", "applicant.id_type", "id_type", id_type)
        for field in ("id_number", "phone", "email", "address"):
            self.put(applicant, field, f"applicant.{field}", field, self.text(field))
        d["applicant"] = applicant

        item: dict[str, Any] = {}
        self.put(item, "description", "items", "description", self.text("description"))
        form = self.label("form", _FORM_WORDS, FORM_LABELS.values()) or Form.PAPER
        self.put(item, "form", "items.0.form", "form", form.value)
        delivery = self.label("delivery", _DELIVERY_WORDS, DELIVERY_LABELS.values()) or Delivery.POST
        self.put(item, "delivery", "items.0.delivery", "delivery", delivery.value)
        self.put(item, "reasons", "items.0.reasons", "reasons", self.text("reasons"))
        d["items"] = [item]

        events: list[dict[str, Any]] = []
        if channel in CONFIRMATION_CHANNELS and received is not None:
            # 条例第三十一条: the ledger's receipt date of these channels is the confirmed date.
            events.append(
                {"type": "receipt_confirmed", "date": received, "method": "其他", "by": IMPORTED_BY}
            )
            self.paths["events.0"] = self.header("received")
        reply_date = self.date("reply_date")
        finding_text = self.text("finding")
        if (reply_date is None) != (finding_text is None):
            raise self.error("required", "finding" if finding_text is None else "reply_date")
        if reply_date is not None and finding_text is not None:
            try:
                finding = finding_of_label(finding_text)
            except InputError as e:
                raise self.relabel(e, "finding") from None
            item["finding"] = finding.value
            self.paths["items.0.finding"] = self.header("finding")
            if finding.is_other:
                event = {
                    "type": "terminated",
                    "date": reply_date,
                    "outcome": finding.value,
                    "reason": finding_text,
                }
            else:
                event = {"type": "replied", "date": reply_date, "outcome": finding.value}
            self.paths[f"events.{len(events)}"] = self.header("reply_date")
            self.paths[f"events.{len(events)}.outcome"] = self.header("finding")
            self.paths[f"events.{len(events)}.reason"] = self.header("finding")
            events.append(event)
        d["events"] = events

        note = self.text("note")
        if note is not None:
            note_date = received or reply_date
            if note_date is None:
                self.extra[self.header("note")] = note
            else:
                d["notes"] = [{"date": note_date, "by": IMPORTED_BY, "text": note}]
                self.paths["notes"] = self.header("note")
        tags_text = self.text("tags")
        if tags_text is not None:
            d["tags"] = list(
                dict.fromkeys(t.strip() for t in re.split(r"[、,，;；\n]", tags_text) if t.strip())
            )
            self.paths["tags"] = self.header("tags")
        return d

    def column_of(self, path: str) -> str:
        """The header a ``parse_case`` field path came from (longest known prefix)."""
        parts = path.split(".")
        for end in range(len(parts), 0, -1):
            header = self.paths.get(".".join(parts[:end]))
            if header is not None:
                return header
        return path


def _parse_rows(rows: Sequence[tuple[int, list[object]]], source: str) -> list[ParsedLine]:
    start, columns = _find_header(rows, source)
    number_column = next((c.header for c in columns if c.field == "number"), None)
    parsed: list[ParsedLine] = []
    for row_no, cells in rows[start + 1 :]:
        row = _Row(columns, cells)
        if row.blank():
            continue
        try:
            case = parse_case(row.case_dict())
        except InputError as e:
            column = e.params.get("column") or row.column_of(e.field)
            params = {**e.params, "column": column}
            error = InputError(e.kind, field=column, source=source, line=row_no, **params)
            parsed.append(ParsedLine(row_no, error=error))
            continue
        if row.extra:
            case = replace(case, extra={**case.extra, **row.extra})
        parsed.append(ParsedLine(row_no, case=case))
    return mark_duplicates(parsed, source, number_column=number_column)


# --------------------------------------------------------------------------- files


def _csv_rows(data: bytes, source: str) -> list[tuple[int, list[object]]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("bad_encoding", source=source, line=1, encoding="UTF-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("unknown_encoding", source=source, tried=["UTF-8", "GB18030"])
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[object]]] = []
    try:
        for row_no, record in enumerate(reader, start=1):
            rows.append((row_no, list(record)))
    except csv.Error as e:
        raise InputError("bad_csv", source=source, line=len(rows) + 1, reason=str(e)) from None
    return rows


def _xlsx_rows(path: Path, source: str) -> list[tuple[int, list[object]]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise
    except Exception as e:
        # openpyxl lets a damaged or foreign file fail in many ways (BadZipFile, InvalidFileException,
        # KeyError for a missing part, XML parse errors …): all mean "not a workbook we can read".
        raise InputError("bad_xlsx", source=source, reason=type(e).__name__) from None
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        # Some writers record a wrong sheet size; without this, read-only mode would cut rows short.
        sheet.reset_dimensions()
        return [(row_no, list(cells)) for row_no, cells in enumerate(sheet.iter_rows(values_only=True), 1)]
    except Exception as e:
        raise InputError("bad_xlsx", source=source, reason=type(e).__name__) from None
    finally:
        workbook.close()


def parse_csv_ledger(data: bytes, source: str) -> list[ParsedLine]:
    """The cases of a CSV ledger given as bytes (as ``read_ledger`` reads a ``.csv`` file)."""
    return _parse_rows(_csv_rows(data, source), source)


def read_ledger(path: Path) -> list[ParsedLine]:
    """The cases of a ``.csv`` or ``.xlsx`` ledger, one ``ParsedLine`` per non-blank data row.

    Raises ``InputError`` for problems with the whole file: ``unreadable_file``, ``unsupported_file_type``,
    ``bad_encoding``/``unknown_encoding``, ``bad_csv``, ``bad_xlsx``, ``no_header_row``, ``missing_column``,
    ``duplicate_column``.
    """
    source = path.name
    suffix = path.suffix.lower()
    if suffix not in LEDGER_SUFFIXES:
        raise InputError("unsupported_file_type", source=source, suffix=suffix)
    try:
        if suffix == ".csv":
            return parse_csv_ledger(path.read_bytes(), source)
        if not path.is_file():
            raise FileNotFoundError(2, "No such file", str(path))
        rows = _xlsx_rows(path, source)
    except OSError as e:
        raise InputError("unreadable_file", source=source, reason=e.strerror or type(e).__name__) from None
    return _parse_rows(rows, source)
