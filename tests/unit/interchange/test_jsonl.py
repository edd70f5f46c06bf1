"""JSON Lines case files: every line becomes a case or a located error, never a traceback."""

from __future__ import annotations

import codecs
import io
import json
from typing import Any

import pytest

from app.domain.caseformat import dump_case_line, parse_case
from app.domain.errors import InputError
from app.interchange.jsonl import parse_jsonl, write_jsonl
from app.messages import describe
from tests.unit.domain.casegen import minimal_case

SOURCE = "cases.jsonl"
UUID_A = "0193e0b2-7c1a-4f6e-9d2a-3b5c8e1f0a47"
UUID_B = "0193e0b2-7c1a-4f6e-9d2a-3b5c8e1f0a48"


def line(**changes: Any) -> bytes:
    return json.dumps(minimal_case(**changes), ensure_ascii=False).encode("utf-8")


def lines(*parts: bytes, sep: bytes = b"\n") -> bytes:
    return sep.join(parts)


def errors(data: bytes) -> list[tuple[int, str, str]]:
    return [(p.line, p.error.kind, p.error.field) for p in parse_jsonl(data, SOURCE) if p.error is not None]


@pytest.mark.parametrize(
    "data",
    [
        lines(line(number="A"), line(number="B")),
        codecs.BOM_UTF8 + lines(line(number="A"), line(number="B")),
        lines(line(number="A"), line(number="B"), sep=b"\r\n") + b"\r\n",
    ],
    ids=["utf-8", "utf-8-with-bom", "crlf"],
)
def test_reads_utf8_with_or_without_bom_and_crlf(data: bytes) -> None:
    parsed = parse_jsonl(data, SOURCE)
    assert [(p.line, p.case.number if p.case else None) for p in parsed] == [(1, "A"), (2, "B")]


def test_blank_lines_are_skipped_but_counted() -> None:
    parsed = parse_jsonl(lines(b"", line(number="A"), b"   ", b"\t", line(number="B"), b""), SOURCE)
    assert [p.line for p in parsed] == [2, 5]
    assert all(p.ok for p in parsed)


def test_a_bad_line_does_not_stop_the_others() -> None:
    data = lines(line(number="A"), b"{not json", line(number="C", received="2026-2-3"), line(number="D"))
    parsed = parse_jsonl(data, SOURCE)
    assert [p.ok for p in parsed] == [True, False, False, True]
    bad = parsed[2].error
    assert bad is not None and (bad.kind, bad.field, bad.source, bad.line) == (
        "bad_date",
        "received",
        SOURCE,
        3,
    )
    assert describe(bad).startswith("cases.jsonl 第3行 字段“received”")


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"{not json", "bad_json"),
        (b'{"a": 1,}', "bad_json"),
        (b"\xef\xbb\xbf{}", "bad_json"),  # a second BOM in the middle of a file
        (b'{"number": NaN}', "bad_number"),
        (b'{"number": -Infinity}', "bad_number"),
        (b'{"number": ' + b"9" * 5000 + b"}", "number_too_long"),
        (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
        (b'{"received": "2026-09-16", "received": "2026-09-17"}', "duplicate_key"),
        (b"[1, 2]", "not_object"),
        (b'"case"', "not_object"),
        (b"\xff\xfe{", "bad_encoding"),
        ('{"applicant": "张三"}'.encode("gb18030"), "bad_encoding"),
    ],
    ids=[
        "syntax",
        "trailing-comma",
        "bom-mid-file",
        "nan",
        "infinity",
        "4300-digit-limit",
        "nested-100000",
        "duplicate-key",
        "list",
        "string",
        "invalid-utf8",
        "gb18030",
    ],
)
def test_line_errors_are_located(raw: bytes, kind: str) -> None:
    parsed = parse_jsonl(lines(line(number="A"), raw), SOURCE)
    assert parsed[0].ok
    error = parsed[1].error
    assert error is not None
    assert (error.kind, error.source, error.line) == (kind, SOURCE, 2)
    assert describe(error).startswith("cases.jsonl 第2行")


def test_bad_json_message_points_at_the_column() -> None:
    error = parse_jsonl(b'{"number": }', SOURCE)[0].error
    assert error is not None and error.params["position"] == 12
    assert "第12个字符附近" in describe(error)


def test_utf16_file_is_refused_as_a_whole() -> None:
    data = codecs.BOM_UTF16_LE + json.dumps(minimal_case()).encode("utf-16-le")
    with pytest.raises(InputError) as info:
        parse_jsonl(data, SOURCE)
    assert (info.value.kind, info.value.params["encoding"]) == ("bad_encoding", "UTF-16")


def test_unicode_line_separators_inside_strings_do_not_split_lines() -> None:
    parsed = parse_jsonl(line(number="A", tags=["甲\u2028乙\u2029丙"]), SOURCE)
    assert len(parsed) == 1 and parsed[0].case is not None and parsed[0].case.tags == ("甲\u2028乙\u2029丙",)


def test_duplicate_id_or_number_in_one_file_fails_the_later_line() -> None:
    data = lines(
        line(id=UUID_A, number="A"),
        line(id=UUID_B, number="B"),
        line(id=UUID_A, number="C"),
        line(id=None, number="B"),
        line(number=""),
        line(number=""),
    )
    parsed = parse_jsonl(data, SOURCE)
    assert [p.ok for p in parsed] == [True, True, False, False, True, True]
    by_id, by_number = parsed[2].error, parsed[3].error
    assert by_id is not None and by_number is not None
    assert (by_id.kind, by_id.field, by_id.params["first_line"]) == ("duplicate_in_file", "id", 1)
    assert (by_number.field, by_number.params["value"], by_number.params["first_line"]) == ("number", "B", 2)
    assert describe(by_number) == "cases.jsonl 第4行 字段“number”（登记编号）：与第2行重复（“B”）"


def test_write_then_read_reproduces_the_cases() -> None:
    cases = [parse_case(minimal_case(number=n, x_custom={"k": [n]})) for n in ("2026-0001", "2026-0002", "")]
    out = io.StringIO()
    assert write_jsonl(cases, out) == 3
    text = out.getvalue()
    assert text.count("\n") == 3 and text.endswith("\n")
    assert text.splitlines()[0] == dump_case_line(cases[0])
    assert [p.case for p in parse_jsonl(text.encode("utf-8"), SOURCE)] == cases
