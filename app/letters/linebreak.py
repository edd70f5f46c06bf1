"""Chinese line breaking for the PDF renderer: lines filled to a width without breaking the 禁则.

reportlab's CJK wrapping lets "，" "》" "”" start a line and "《" "“" end one, and splits numbers such
as "2026-0042" anywhere. The renderer therefore breaks lines itself and hands reportlab finished lines.
Rules (GB/T 15834-2011 标点符号用法, 行首行尾禁则): closing punctuation never starts a line, opening
punctuation never ends one, "——" and "……" stay whole, and a run of ASCII (a number, a code, an address)
moves to the next line whole unless it is longer than half a line. A break moves back (the line gets a
little shorter) rather than letting punctuation hang into the margin.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable

# Closing punctuation: may not start a line.
NO_START = frozenset("，。、；：？！）》」』】〕〗〉”’％‰℃°·,.;:?!)]}>%'\"")
# Opening punctuation: may not end a line.
NO_END = frozenset("（《「『【〔〖〈“‘([{<￥$")
_NO_START_TEXT = "".join(sorted(NO_START))  # for str.rstrip
# Marks written as a pair that may not be split.
PAIRED = frozenset("—…")

Measure = Callable[[str], float]


def _word(char: str) -> bool:
    return char.isascii() and not char.isspace()


def _allowed(text: str, j: int) -> bool:
    """May a line end between text[j-1] and text[j]?"""
    before, after = text[j - 1], text[j]
    if after in NO_START or before in NO_END:
        return False
    if before == after and after in PAIRED:
        return False
    return not (_word(before) and _word(after))


def break_lines(text: str, first_width: float, width: float, measure: Measure) -> list[str]:
    """``text`` as lines: the first at most ``first_width`` wide, the others ``width``.

    ``measure`` gives the width of one character. A newline in ``text`` is a forced break. A line
    always takes at least one character, so a width smaller than a character still makes progress.
    A last line of a single character is avoided by taking one more character down (孤字).
    """
    lines: list[str] = []
    for segment in text.split("\n"):
        available = first_width if not lines else width
        starts: list[int] = []  # where each line of this segment starts
        start, n = 0, len(segment)
        widths = list(map(measure, segment))
        narrowest = min(widths, default=0.0)
        while start < n:
            starts.append(start)
            # The running total of the widths from the line's start (as a loop adding them one by
            # one would have it), over enough characters to fill the line; the line takes those
            # whose total fits. reportlab breaks only beyond width + 1e-6, so a line that fits here
            # is never re-broken.
            stop = n if narrowest <= 0 else min(n, start + int(available / narrowest) + 2)
            totals = list(itertools.accumulate(widths[start:stop]))
            i = start + bisect.bisect_right(totals, available + 1e-9)
            if i >= n:
                break
            start = _break_before(segment, start, max(i, start + 1), available, widths)
            available = width
        if len(starts) >= 2:
            _avoid_lone_last_character(segment, starts)
        bounds = [*starts, n] if starts else [0, 0]
        lines += [segment[a:b] for a, b in itertools.pairwise(bounds)]
    return lines


def _avoid_lone_last_character(text: str, starts: list[int]) -> None:
    """孤字: a paragraph's last line holding one character (and its closing punctuation) takes one
    more character from the line above when the rules allow the earlier break."""
    last = text[starts[-1] :]
    if len(last.rstrip(_NO_START_TEXT)) != 1 or starts[-1] - starts[-2] < 4:
        return
    if _allowed(text, starts[-1] - 1):
        starts[-1] -= 1


def _break_before(text: str, start: int, i: int, available: float, widths: list[float]) -> int:
    """The break at or before ``i`` (the first character that did not fit) that keeps the rules,
    looking back at most half a line; ``i`` itself when there is none. ``widths`` are the widths
    of the characters of ``text``."""
    back = 0.0
    j = i
    while j > start + 1 and back <= available / 2:
        if _allowed(text, j):
            return j
        j -= 1
        back += widths[j]
    return i
