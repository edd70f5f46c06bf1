"""Text helpers shared by the letter builders and renderers: dates, numerals, widths and cleaning.

Nothing here imports a renderer; ``clean_text`` is what both renderers apply to every string before
it reaches reportlab or python-docx (design.md §9: control characters make python-docx raise, and a
string of bidi overrides could make a printed letter read differently from the stored one).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# C0/C1 control characters except TAB and LF (kept: a line break typed in a reason stays a line break),
# lone surrogates, the non-characters U+FFFE/U+FFFF, and the bidi embedding/override/isolate controls.
_STRIP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_CR = re.compile("\r\n?")

_DIGITS = "零一二三四五六七八九"


def clean_text(text: str) -> str:
    """``text`` without the characters a letter must not carry; CR/CRLF become LF, TAB a space."""
    text = _CR.sub("\n", text)
    return _STRIP.sub("", text).replace("\t", " ")


def cn_date(day: dt.date) -> str:
    """The date as a letter prints it (GB/T 9704-2012 7.3.5: Arabic numerals), e.g. "2026年9月16日"."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_numeral(n: int) -> str:
    """1 → "一", 10 → "十", 21 → "二十一", 105 → "一百零五" (item headings "一、" "二、" …; 1–999)."""
    if not 1 <= n <= 999:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("一" if hundreds else "") + "十" if tens == 1 else _DIGITS[tens] + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def display_width(text: str) -> float:
    """Width of ``text`` in full-width characters (a CJK character 1, ASCII ½)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)
