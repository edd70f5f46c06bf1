"""Letter text helpers: cleaning, dates, numerals, widths."""

from __future__ import annotations

import datetime as dt

import pytest

from app.letters.text import clean_text, cn_date, cn_numeral, display_width


def test_clean_text_strips_controls_bidi_and_surrogates_but_keeps_line_breaks() -> None:
    hostile = "张\x00三\x07\x1b[31m\u202e<b>\u2066x\u2069\ud800\ufffe\r\nB\tC\x85"
    assert clean_text(hostile) == "张三[31m<b>x\nB C"


def test_clean_text_leaves_ordinary_text_alone() -> None:
    text = "《中华人民共和国政府信息公开条例》第三十六条第（二）项 <img src=x> & 🙂"
    assert clean_text(text) == text


def test_cn_date_uses_arabic_numerals_without_padding() -> None:
    # GB/T 9704-2012 7.3.5.1: 成文日期 in Arabic numerals, no leading zeros.
    assert cn_date(dt.date(2026, 9, 6)) == "2026年9月6日"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (200, "二百"),
        (999, "九百九十九"),
        (1000, "1000"),
    ],
)
def test_cn_numeral(n: int, text: str) -> None:
    assert cn_numeral(n) == text


def test_display_width_counts_cjk_as_one_and_ascii_as_half() -> None:
    assert display_width("2026年9月6日") == 3 * 1 + 6 * 0.5
