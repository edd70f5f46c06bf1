"""Ledger (台账) import from CSV bytes: headers, Chinese labels, dates, and errors naming row and column."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.codes import FINDING_LABELS, ApplicantKind, Channel, Delivery, Finding, Form
from app.domain.errors import InputError
from app.domain.model import Case, ReceiptConfirmed, Replied, Terminated
from app.interchange.ledger import IMPORTED_BY, finding_of_label, parse_csv_ledger, parse_ledger_date
from app.interchange.lines import ParsedLine
from app.messages import describe

SOURCE = "台账.csv"
HEADER = "登记编号,收到日期,收到方式,申请人,申请人类型,申请内容,答复日期,答复类型"


def ledger(*rows: str, header: str = HEADER, encoding: str = "utf-8-sig") -> list[ParsedLine]:
    return parse_csv_ledger("\n".join((header, *rows)).encode(encoding), SOURCE)


def only_case(*rows: str, header: str = HEADER) -> Case:
    parsed = ledger(*rows, header=header)
    assert len(parsed) == 1
    assert parsed[0].case is not None, parsed[0].error and describe(parsed[0].error)
    return parsed[0].case


def only_error(*rows: str, header: str = HEADER) -> InputError:
    """The one error among the rows (the others must be valid)."""
    bad = [p.error for p in ledger(*rows, header=header) if p.error is not None]
    assert len(bad) == 1
    return bad[0]


# --------------------------------------------------------------------------- whole rows


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_a_ledger_row_becomes_a_case(encoding: str) -> None:
    header = "序号,登记编号,收到日期 *,收到方式,申请人,申请人类型,联系电话（手机）,申请内容,答复日期,答复类型,备注,经办人"
    rows = (
        '1,2026-0001,2026/9/16,当面提交,张三,自然人,13800138000,"某村征收\r\n补偿方案",2026年10月9日,公开,已电话告知,李四',
        "2,2026-0002,2026.9.17,网上,某公司,企业,,某文件,,,,",
    )
    parsed = ledger(*rows, header=header, encoding=encoding)
    assert [p.line for p in parsed] == [2, 3] and all(p.ok for p in parsed)
    first, second = (p.case for p in parsed)
    assert first is not None and second is not None
    assert (first.number, first.channel, first.received) == (
        "2026-0001",
        Channel.IN_PERSON,
        dt.date(2026, 9, 16),
    )
    assert (first.applicant.name, first.applicant.kind, first.applicant.phone) == (
        "张三",
        ApplicantKind.NATURAL_PERSON,
        "13800138000",
    )
    item = first.items[0]
    assert (item.description, item.form, item.delivery, item.finding) == (
        "某村征收\n补偿方案",
        Form.PAPER,
        Delivery.POST,
        Finding.DISCLOSED,
    )
    assert first.events == (Replied(date=dt.date(2026, 10, 9), outcome=Finding.DISCLOSED),)
    assert [(n.date, n.by, n.text) for n in first.notes] == [
        (dt.date(2026, 9, 16), IMPORTED_BY, "已电话告知")
    ]
    assert first.clerk == "李四" and first.extra == {}  # 经办人 is the case's clerk
    assert second.clerk is None  # an empty cell: no clerk, not whoever imports the ledger
    # 条例第三十一条: the ledger's date of an online application is its confirmed date.
    assert second.channel is Channel.ONLINE and second.received == dt.date(2026, 9, 17)
    assert second.events == (ReceiptConfirmed(date=dt.date(2026, 9, 17), method="其他", by=IMPORTED_BY),)
    assert second.applicant.kind is ApplicantKind.BUSINESS


def test_title_rows_above_the_header_and_blank_rows_are_skipped() -> None:
    text = "\n".join(
        [
            "某局2026年依申请公开台账,,,,,",
            ",,,,,",
            HEADER,
            "2026-0001,2026-09-16,当面,张三,个人,某文件,,",
            ",,,,,,,",
        ]
    )
    parsed = parse_csv_ledger(text.encode(), SOURCE)
    assert [(p.line, p.ok) for p in parsed] == [(4, True)]


def test_other_findings_end_the_case_as_terminated() -> None:
    case = only_case("1,2026-09-16,当面,张三,个人,某文件,2026-10-20,其他处理：逾期不补正")
    assert case.items[0].finding is Finding.OTHER_NO_CORRECTION
    assert case.events == (
        Terminated(
            date=dt.date(2026, 10, 20), outcome=Finding.OTHER_NO_CORRECTION, reason="其他处理：逾期不补正"
        ),
    )


def test_form_delivery_tags_and_identity_columns() -> None:
    header = HEADER + ",提供方式,获取方式,证件类型,证件号码,标签,答复理由"
    case = only_case(
        "1,2026-09-16,挂号,张三,个人,某文件,,,电子版,电子邮件,身份证,110101199003070000,征收、补偿，征收,因……",
        header=header,
    )
    assert (case.items[0].form, case.items[0].delivery) == (Form.ELECTRONIC, Delivery.EMAIL)
    assert (case.applicant.id_type, case.applicant.id_number) == ("居民身份证", "110101199003070000")
    assert case.tags == ("征收", "补偿") and case.items[0].reasons == "因……"
    assert case.channel is Channel.POST_SIGNED


@pytest.mark.parametrize("header", ["经办人", "承办人", " 承办人员 *", "经办人（姓名）", "clerk"])
def test_the_clerk_column(header: str) -> None:
    case = only_case("1,2026-09-16,当面,张三,个人,某文件,,,  王 小明 ", header=f"{HEADER},{header}")
    assert case.clerk == "王 小明" and case.extra == {}


def test_a_clerk_too_long_names_its_column() -> None:
    error = only_error("1,2026-09-16,当面,张三,个人,某文件,,," + "王" * 201, header=HEADER + ",承办人")
    assert (error.kind, error.params["column"]) == ("too_long", "承办人")


def test_unknown_column_named_like_a_format_key_does_not_become_that_key() -> None:
    case = only_case("1,2026-09-16,当面,张三,个人,某文件,,,x", header=HEADER + ",id")
    assert case.extra == {"id（台账列）": "x"}


# --------------------------------------------------------------------------- errors name the row and the column


@pytest.mark.parametrize(
    ("row", "kind", "column"),
    [
        ("1,2026-09-31,当面,张三,个人,某文件,,", "bad_date", "收到日期"),
        ("1,16/9/2026,当面,张三,个人,某文件,,", "bad_date", "收到日期"),
        ("1,2206-09-16,当面,张三,个人,某文件,,", "out_of_range", "收到日期"),
        ("1,2026-09-16,微信,张三,个人,某文件,,", "bad_choice", "收到方式"),
        ("1,2026-09-16,当面,,个人,某文件,,", "required", "申请人"),
        ("1,2026-09-16,当面,张\x07三,个人,某文件,,", "control_char", "申请人"),
        ("1,2026-09-16,当面,张三,,某文件,,", "required", "申请人类型"),
        ("1,2026-09-16,当面,张三,法人或其他组织,某文件,,", "ambiguous_choice", "申请人类型"),
        ("1,2026-09-16,当面,张三,外星人,某文件,,", "bad_choice", "申请人类型"),
        ("1,2026-09-16,当面,张三,个人,,,", "required", "申请内容"),
        ("1,2026-09-16,当面,张三,个人," + "x" * 2001 + ",,", "too_long", "申请内容"),
        ("1,2026-09-16,当面,张三,个人,某文件,2026-10-09,", "required", "答复类型"),
        ("1,2026-09-16,当面,张三,个人,某文件,,公开", "required", "答复日期"),
        ("1,2026-09-16,当面,张三,个人,某文件,2026-10-09,不予公开", "ambiguous_choice", "答复类型"),
        ("1,2026-09-16,当面,张三,个人,某文件,2026-10-09,同意", "bad_choice", "答复类型"),
        ("1,2026-09-16,当面,张三,个人,某文件,2026-09-10,公开", "timeline_before_received", "答复日期"),
        ("1,,当面,张三,个人,某文件,,", "required", "收到日期"),
        ("x" * 51 + ",2026-09-16,当面,张三,个人,某文件,,", "too_long", "登记编号"),
    ],
    ids=[
        "impossible-date",
        "day-first-date",
        "year-typo",
        "unknown-channel",
        "no-applicant",
        "control-char",
        "no-applicant-kind",
        "30号-org-kind-needs-sub-kind",
        "unknown-applicant-kind",
        "no-description",
        "description-too-long",
        "reply-date-without-finding",
        "finding-without-reply-date",
        "条例36-withheld-needs-its-ground",
        "unknown-finding",
        "reply-before-receipt",
        "条例31-in-person-needs-receipt-date",
        "number-too-long",
    ],
)
def test_bad_cell_names_row_and_column(row: str, kind: str, column: str) -> None:
    error = only_error("0,2026-09-16,当面,张三,个人,某文件,,", row)  # the error is on the second data row
    assert (error.kind, error.field, error.params["column"], error.source, error.line) == (
        kind,
        column,
        column,
        SOURCE,
        3,
    )
    assert describe(error).startswith(f"台账.csv 第3行 “{column}”列：")


def test_bad_date_message_names_the_value() -> None:
    error = only_error("1,2026年13月1日,当面,张三,个人,某文件,,")
    assert (
        describe(error)
        == "台账.csv 第2行 “收到日期”列：“2026年13月1日”不是有效日期，应写作YYYY-MM-DD（如2026-09-16）"
    )


def test_ambiguous_finding_lists_the_grounds() -> None:
    error = only_error("1,2026-09-16,当面,张三,个人,某文件,2026-10-09,不予公开")
    assert error.params["choices"] == [label for f, label in FINDING_LABELS.items() if f.is_withheld]


def test_confirmation_channel_without_date_awaits_confirmation() -> None:
    case = only_case("1,,网上,张三,个人,某文件,,")
    assert case.received is None and case.events == ()


def test_duplicate_number_names_the_number_column() -> None:
    parsed = ledger("A-1,2026-09-16,当面,张三,个人,某文件,,", "A-1,2026-09-17,当面,李四,个人,某文件,,")
    error = parsed[1].error
    assert error is not None and (error.kind, error.field, error.line, error.params["first_line"]) == (
        "duplicate_in_file",
        "登记编号",
        3,
        2,
    )
    assert describe(error) == "台账.csv 第3行 “登记编号”列：与第2行重复（“A-1”）"


@pytest.mark.parametrize(
    ("text", "kind", "params"),
    [
        (
            "说明,备注\n1,2",
            "no_header_row",
            {"expected": ["申请人", "申请人类型", "收到日期", "收到方式", "申请内容"]},
        ),
        ("登记编号,收到日期,收到方式,申请人,申请内容\n1,2,3,4,5", "missing_column", {"column": "申请人类型"}),
        (HEADER + ",备注,备注", "duplicate_column", {"column": "备注"}),
        (HEADER + ",收到时间", "duplicate_column", {"column": "收到时间"}),
    ],
    ids=["no-header", "missing-applicant-kind", "two-notes-columns", "two-receipt-columns"],
)
def test_file_level_errors(text: str, kind: str, params: dict[str, object]) -> None:
    with pytest.raises(InputError) as info:
        parse_csv_ledger(text.encode(), SOURCE)
    assert info.value.kind == kind and info.value.source == SOURCE
    assert params.items() <= info.value.params.items()
    assert describe(info.value).startswith("台账.csv")


def test_undecodable_bytes_are_an_encoding_error() -> None:
    with pytest.raises(InputError) as info:
        parse_csv_ledger(HEADER.encode() + b"\n\x80\xff\x81", SOURCE)
    assert info.value.kind == "unknown_encoding"


def test_tab_separated_text_is_read() -> None:
    parsed = ledger("1\t2026-09-16\t当面\t张三\t个人\t某文件\t\t", header=HEADER.replace(",", "\t"))
    assert [p.ok for p in parsed] == [True]


# --------------------------------------------------------------------------- labels and dates

FINDINGS = [
    *[(label, finding) for finding, label in FINDING_LABELS.items()],
    *[(label.split("：")[-1], finding) for finding, label in FINDING_LABELS.items()],
    *[(finding.value, finding) for finding in Finding],
    ("公开", Finding.DISCLOSED),
    ("予以公开（已主动公开）", Finding.DISCLOSED),
    ("部分公开", Finding.PARTLY_DISCLOSED),
    ("不予公开（国家秘密）", Finding.WITHHELD_STATE_SECRET),
    ("不予公开-属于国家秘密", Finding.WITHHELD_STATE_SECRET),
    ("不予公开:涉及商业秘密", Finding.WITHHELD_THIRD_PARTY),
    ("不予公开，过程性信息", Finding.WITHHELD_PROCESS_INFO),
    ("不予公开：危及三安全一稳定", Finding.WITHHELD_SECURITY_STABILITY),
    ("不予公开（行政执法案卷）", Finding.WITHHELD_ENFORCEMENT_FILE),
    ("信息不存在", Finding.UNABLE_NOT_HELD),
    ("本机关不掌握", Finding.UNABLE_NOT_HELD),
    ("无法提供（非本机关负责公开）", Finding.UNABLE_NOT_HELD),
    ("无法提供：需另行制作", Finding.UNABLE_NEEDS_CREATION),
    ("不予处理（重复申请）", Finding.NOT_PROCESSED_REPEAT),
    ("不予处理：信访", Finding.NOT_PROCESSED_PETITION),
    ("申请人撤回", Finding.OTHER_OTHER),
    ("其他处理（逾期未缴费）", Finding.OTHER_FEE_UNPAID),
    (" 予以公开 ", Finding.DISCLOSED),
]


@pytest.mark.parametrize(("text", "finding"), FINDINGS, ids=[t for t, _ in FINDINGS])
def test_finding_labels(text: str, finding: Finding) -> None:
    assert finding_of_label(text) is finding


@pytest.mark.parametrize(
    ("text", "kind", "count"),
    [
        ("不予公开", "ambiguous_choice", 8),
        ("无法提供", "ambiguous_choice", 3),
        ("不予处理", "ambiguous_choice", 5),
        ("其他处理", "ambiguous_choice", 3),
        ("视为放弃申请", "ambiguous_choice", 2),
        ("不予公开（保密）", "bad_choice", 8),
        ("同意", "bad_choice", len(Finding)),
        ("<img src=x>", "bad_choice", len(Finding)),
    ],
)
def test_finding_labels_that_are_refused(text: str, kind: str, count: int) -> None:
    with pytest.raises(InputError) as info:
        finding_of_label(text)
    assert info.value.kind == kind and len(info.value.params["choices"]) == count


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-09-16", dt.date(2026, 9, 16)),
        ("2026/9/16", dt.date(2026, 9, 16)),
        ("2026.9.16", dt.date(2026, 9, 16)),
        ("2026年9月16日", dt.date(2026, 9, 16)),
        ("2026 年 9 月 16 日", dt.date(2026, 9, 16)),
        ("２０２６年９月１６日", dt.date(2026, 9, 16)),
        ("20260916", dt.date(2026, 9, 16)),
        ("2026/9/16 14:30:00", dt.date(2026, 9, 16)),
        (dt.datetime(2026, 9, 16, 14, 30), dt.date(2026, 9, 16)),
        (dt.date(2026, 9, 16), dt.date(2026, 9, 16)),
        (46281, dt.date(2026, 9, 16)),
        (46281.0, dt.date(2026, 9, 16)),
        ("", None),
        (None, None),
    ],
)
def test_ledger_dates(value: object, day: dt.date | None) -> None:
    assert parse_ledger_date(value) == day


@pytest.mark.parametrize(
    "value", ["2026-02-30", "16/09/2026", "九月十六日", "2026-09", "x", -1, 1e20, float("nan"), True]
)
def test_ledger_dates_that_are_refused(value: object) -> None:
    with pytest.raises((ValueError, OverflowError)):
        parse_ledger_date(value)
