"""Chinese line breaking (行首行尾禁则) for the PDF renderer."""

from __future__ import annotations

import itertools
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.letters.linebreak import NO_END, NO_START, break_lines


def width(char: str) -> float:
    """Full-width characters and the Chinese dash and ellipsis 1, others ½ (a stand-in for the font)."""
    return 1.0 if unicodedata.east_asian_width(char) in "WF" or char in "—…" else 0.5


def test_lines_fill_the_width_and_the_first_line_is_indented() -> None:
    text = "一二三四五六七八九十" * 3
    assert break_lines(text, 8, 10, width) == [
        "一二三四五六七八",
        "九十一二三四五六七八",
        "九十一二三四五六七八",
        "九十",
    ]


def test_closing_punctuation_never_starts_a_line() -> None:
    # reportlab's own CJK wrap put "》" first on the line in the 答复书 (seen on the page).
    lines = break_lines("根据《中华人民共和国政府信息公开条例》第三十六条的规定", 18, 18, width)
    assert lines == ["根据《中华人民共和国政府信息公开条", "例》第三十六条的规定"]


def test_opening_punctuation_never_ends_a_line() -> None:
    lines = break_lines("一二三四五六七八九“十一”", 10, 10, width)
    assert lines == ["一二三四五六七八九", "“十一”"]


def test_a_number_moves_to_the_next_line_whole() -> None:
    lines = break_lines("登记编号：2026-0042，请留存", 8, 8, width)
    assert lines[0] == "登记编号："
    assert lines[1].startswith("2026-0042")


def test_a_run_longer_than_half_a_line_is_broken() -> None:
    lines = break_lines("甲" + "a" * 40, 10, 10, width)
    assert all(sum(map(width, line)) <= 10 for line in lines)
    assert "".join(lines) == "甲" + "a" * 40


def test_dash_and_ellipsis_pairs_stay_whole() -> None:
    # GB/T 15834-2011: 破折号 and 省略号 are never split across lines.
    assert break_lines("一二三四五六七八九——十", 10, 10, width) == ["一二三四五六七八九", "——十"]
    assert break_lines("一二三四五六七八九……", 10, 10, width) == ["一二三四五六七八九", "……"]


def test_a_last_line_of_one_character_takes_one_more_character_down() -> None:
    # 孤字: "点。" alone on the last line of the 补正告知书 example paragraph (seen on the page).
    assert break_lines("一二三四五六七八九十点。", 10, 10, width) == ["一二三四五六七八九", "十点。"]
    assert break_lines("一二三四五六七八九十地。", 10, 10, width) == ["一二三四五六七八九", "十地。"]
    # Not when the earlier break is not allowed, nor for a short line above.
    assert break_lines("一二三四五六七八九《十》", 10, 10, width) == ["一二三四五六七八九", "《十》"]
    assert break_lines("一二三点。", 3, 10, width) == ["一二三", "点。"]


def test_newline_is_a_forced_break() -> None:
    assert break_lines("一\n\n二", 10, 10, width) == ["一", "", "二"]


def test_a_character_wider_than_the_line_still_makes_progress() -> None:
    assert break_lines("一二", 0.5, 0.5, width) == ["一", "二"]


_TEXT = st.text(
    alphabet=st.sampled_from("政府信息公开条例申请答复，。、；：？！（）《》“”—…0123456789ab- "),
    max_size=200,
)


@given(_TEXT, st.integers(min_value=4, max_value=30))
def test_breaking_keeps_every_character_in_order_and_within_the_width(text: str, columns: int) -> None:
    lines = break_lines(text, columns - 2, columns, width)
    assert "".join(lines) == text
    for i, line in enumerate(lines):
        limit = columns - 2 if i == 0 else columns
        assert sum(map(width, line)) <= limit or len(line) == 1


@given(_TEXT, st.integers(min_value=10, max_value=30))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation_when_avoidable(
    text: str, columns: int
) -> None:
    lines = break_lines(text, columns, columns, width)
    for before, after in itertools.pairwise(lines):
        if not before or not after:
            continue
        # Avoidable: the rule can only yield when a whole half line is punctuation or ASCII.
        window = before[-columns // 2 :]
        if any(c not in NO_START and c not in NO_END and not c.isascii() for c in window[1:]):
            assert after[0] not in NO_START, (before, after)
            assert before[-1] not in NO_END, (before, after)
