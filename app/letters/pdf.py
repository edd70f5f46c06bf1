"""Print a ``Letter`` as a PDF with reportlab, in the layout of GB/T 9704-2012 (党政机关公文格式).

A4; 版心 156 mm × 225 mm (margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); body 3号
(15.75 pt, so 28 characters fill a line) on a grid of 22 lines a page, justified (两端对齐); title 2号
(22 pt); 发文机关标志 in red with the 文号 centred under it and a red rule; addressee flush left with a
full-width colon; paragraphs indented by two characters; the signature centred over the date, the date
four characters from the right; page numbers "— 1 —" in 4号 at the bottom, on the outside.

Text is laid out by ``app.letters.linebreak`` (行首行尾禁则) and written line by line, not by
reportlab's ``Paragraph``: no string is ever parsed as markup, so ``<img src=…>`` in a case field
prints as text and is never fetched (design.md §9). We measured why not ``Paragraph(wordWrap='CJK')``:
its CJK wrap put "》" and "，" at line starts and split "2026-0042", its CJK lines are never justified,
and it re-wraps a long paragraph at every page break (a 10 000-character reason took 3.2 s).
Every string still goes through ``clean_text`` (control and bidi characters).

The letter is laid out once: each block is broken into lines, then ``_paginate`` places the blocks
on pages arithmetically, with the rules platypus (reportlab's page layout) applied when this module
used it — the space before a block is dropped at the top of a page and overlaps the space after the
block above, a paragraph splits between lines (never leaving one line alone at a page's foot or
head), and the closing, 附件说明, signature and date move to the next page together unless they
would not fit on any page. Line breaks do not depend on the line pitch, so the refit of GB/T 9704
7.3.5.4 (a tighter pitch when the signature would stand on a page of its own) only paginates again.
The pages are then written as content streams: one text object a line, in absolute page
coordinates, the glyph codes (of reportlab's font subsets) as hexadecimal strings; ``_Document``
writes the file around them and reportlab's font objects (``CachedTTFont``: the embedded subsets).
With reportlab's built-in CID font (no font file found) the same content goes onto a reportlab
canvas. The mixed reply renders in about 2 ms, 2.5 times a minimal one-page reportlab document with
the same font embedded (benchmarks/letter_bench.py); the platypus version took 11 ms.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Literal, NamedTuple, TypeVar

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import BasicFonts, PDFObjectReference, PDFPage
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.letters.fontcache import FAST_FLATE, CachedTTFont, _Written
from app.letters.fonts import FontChoice, choose_font
from app.letters.linebreak import break_lines
from app.letters.model import KIND_LABELS, Letter, attachment_lines
from app.letters.text import clean_text

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 37 * mm
MARGIN_BOTTOM = 35 * mm
MARGIN_LEFT = 28 * mm
MARGIN_RIGHT = 26 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 156 mm
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM  # 225 mm
TEXT_TOP = MARGIN_BOTTOM + TEXT_HEIGHT  # the top of the text block, from the bottom of the page

LINES_PER_PAGE = 22
# 3号 is 16 pt in Word and 15.75 pt (5.6 mm) in Chinese typesetting; 28 × 15.75 pt = 441 pt fits the
# 442.2 pt line, where 16 pt would give 27 characters.
BODY_SIZE = 15.75
# 22 lines on 225 mm (≈ 28.98 pt); a hair less so rounding can never push the 22nd line over.
LEADING = TEXT_HEIGHT / LINES_PER_PAGE - 0.01
TITLE_SIZE = 22.0  # 2号
TITLE_LEADING = 34.0
HEADER_SIZE = 26.0  # 发文机关标志, shrunk for a long name
PAGE_NUMBER_SIZE = 14.0  # 4号
RED = colors.HexColor("#D8231B")
RULE_THICKNESS = 1.2
# Tighter line pitches tried when the signature block would otherwise stand on a page of its own.
REFIT_LEADINGS = (27.0, 25.5, 24.0)
MAX_REFIT_PAGES = 5
CHAR = BODY_SIZE  # one full-width character
_FUZZ = 1e-6  # how far a block may reach below the text block (reportlab's rl_config._FUZZ)

Align = Literal["justify", "left", "center", "right"]
_ATTACHMENT_PREFIX = re.compile(r"(附件：)?(\d+\.)?")


class LayoutError(ValueError):
    """A block that fits on no page (cannot happen with the letter's blocks; kept as a guard)."""


class _Line(NamedTuple):
    text: str
    indent: float  # from the block's left edge
    width: float  # of the text
    justify: bool  # stretch to the right edge (not the last line of a paragraph or before a break)


class _Widths(dict[str, float]):
    """Widths of single characters in one font at one size; a missing one is measured once."""

    def __init__(self, font: str, size: float) -> None:
        super().__init__()
        self.font, self.size = font, size

    def __missing__(self, char: str) -> float:
        value = self[char] = float(stringWidth(char, self.font, self.size))
        return value


_WIDTHS: dict[tuple[str, float], _Widths] = {}


def _width_of(font: str, size: float) -> Callable[[str], float]:
    """Width of one character in ``font`` at ``size``, remembered per process (fonts never change).

    The bound ``__getitem__`` of a dict: a known character costs no Python call (``sum(map(…))``).
    """
    widths = _WIDTHS.get((font, size))
    if widths is None:
        widths = _WIDTHS.setdefault((font, size), _Widths(font, size))
    return widths.__getitem__


@lru_cache(maxsize=4096)
def _layout(
    text: str, font: str, size: float, width: float, first_indent: float, left: float
) -> tuple[_Line, ...]:
    """The lines of one paragraph (cached: a letter being edited is printed again and again)."""
    measure = _width_of(font, size)
    out: list[_Line] = []
    for s, segment in enumerate(text.split("\n")):
        first = first_indent if s == 0 else 0.0
        broken = break_lines(segment, width - first, width, measure)
        for i, line in enumerate(broken):
            indent = left + (first if i == 0 else 0.0)
            out.append(_Line(line, indent, sum(map(measure, line)), i < len(broken) - 1))
    return tuple(out)


def layout_cache_clear() -> None:
    """Forget the cached paragraph layouts (benchmarks; the cache is bounded anyway)."""
    _layout.cache_clear()


def _fit(count: int, leading: float, avail_height: float) -> int:
    """How many of ``count`` lines go above a page break with ``avail_height`` left, or 0 when the
    block must move whole (widow and orphan control, as Word does it: never one line of a paragraph
    alone at the foot or at the head of a page, so a paragraph of two or three lines moves whole)."""
    fit = min(int((avail_height + 1e-6) // leading), count)
    if count - fit == 1:
        fit -= 1
    if fit < 2 or fit >= count:
        return 0
    return fit


def _number(value: float) -> str:
    """A number in a content stream: four decimals at most (1/10 000 pt), no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _rgb(color: colors.Color) -> str:
    return _rgb_text(color.red, color.green, color.blue)


@lru_cache(maxsize=64)
def _rgb_text(red: float, green: float, blue: float) -> str:
    return f"{_number(red)} {_number(green)} {_number(blue)}"


_RUNS = re.compile(r"(.)\1*", re.DOTALL)  # runs of one character (of one subset, in ``_Writer.show``)


class _Writer:
    """Writes text in one font on the pages of a reportlab canvas or a ``_Sheet``: one ``BT … ET``
    text object a line.

    For a TrueType font the glyph codes of reportlab's subsets are written as hexadecimal strings,
    so nothing needs escaping. ``prepare`` assigns the codes of all the document's characters at
    once (``CachedTTFont.assign_codes``, the same codes ``splitString`` gives, for each distinct
    character in code point order) and keeps them as translation tables, so a line's codes are one
    ``str.translate`` away instead of a Python loop over its characters; text not prepared goes
    through ``splitString``. The built-in CID font (a canvas only) goes through reportlab's text
    objects.
    """

    def __init__(self, canvas: Canvas, font_name: str) -> None:  # or a _Sheet (a TrueType font)
        self.canvas = canvas
        self.font_name = font_name
        self.font: Any = getFont(font_name)
        self.dynamic = bool(getattr(self.font, "_dynamicFont", False))
        self._names: dict[tuple[int, float], str] = {}
        self._code: list[str] = canvas._code
        self._doc = canvas._doc
        self.fill = "0 0 0"
        self._known: frozenset[str] = frozenset()
        self._codes: dict[int, int] = {}  # character -> its code (as a Latin-1 character)
        self._subsets: dict[int, int] | None = None  # character -> its subset (as "0" + subset), if several

    def prepare(self, text: str) -> None:
        """Assign the codes of the characters of ``text`` (all the document's text)."""
        if not self.dynamic:
            return
        known = self._known
        # In code point order (a set is cheaper than keeping the order of appearance; any fixed
        # order makes the same file every time).
        unique = "".join(sorted(set(text).difference(known)))
        if not unique:
            return
        assign = getattr(self.font, "assign_codes", None)
        if assign is not None:
            numbers: list[int] = assign(unique, self._doc)
        else:
            numbers = [
                subset << 8 | code
                for subset, chunk in self.font.splitString(unique, self._doc)
                for code in chunk  # one byte a character
            ]
        self._codes.update(str.maketrans(unique, bytes(map((0xFF).__and__, numbers)).decode("latin-1")))
        if self._subsets is not None or max(numbers) > 0xFF:
            if self._subsets is None:
                self._subsets = dict.fromkeys(map(ord, known), 0x30)
            self._subsets.update(str.maketrans(unique, "".join([chr(0x30 + (n >> 8)) for n in numbers])))
        self._known = known | frozenset(unique)

    def _font(self, subset: int, size: float) -> str:
        key = (subset, size)
        name = self._names.get(key)
        if name is None:
            # setFont's leading (1.2 × size) is kept, as reportlab's text objects write it.
            font = self.font.getSubsetInternalName(subset, self._doc)
            name = self._names[key] = f"{font} {_number(size)} Tf {_number(size * 1.2)} TL"
        return name

    def color(self, rgb: str) -> None:
        if rgb != self.fill:
            self._code.append(f"{rgb} rg")
            self.fill = rgb

    def show(self, text: str, x: float, y: float, size: float, char_space: float = 0.0) -> None:
        if not self.dynamic:
            obj = self.canvas.beginText(x, y)
            obj.setFont(self.font_name, size)
            obj.setCharSpace(char_space)
            obj.textOut(text)
            self.canvas.drawText(obj)
            return
        head = f"BT 1 0 0 1 {x:.4f} {y:.4f} Tm {char_space:.6f} Tc"  # the spacing adds up along a line
        if not self._known.issuperset(text):
            self._show_split(head, text, size)
        elif self._subsets is None:  # one subset: the whole line in one string
            codes = text.translate(self._codes).encode("latin-1").hex()
            self._code.append(f"{head} {self._font(0, size)} <{codes}> Tj ET")
        else:
            shown = [head]
            codes = text.translate(self._codes).encode("latin-1").hex()
            for run in _RUNS.finditer(text.translate(self._subsets)):
                start, end = run.span()
                shown.append(self._font(ord(run.group(1)) - 0x30, size))
                shown.append(f"<{codes[2 * start : 2 * end]}> Tj")
            shown.append("ET")
            self._code.append(" ".join(shown))

    def show_all(self, lines: list[tuple[str, float, float, float]], size: float) -> None:
        """``show`` for each (text, x, y, char_space) of ``lines``; one loop for the usual case of a
        document whose characters all fit one subset."""
        if not self.dynamic or self._subsets is not None:
            for text, x, y, char_space in lines:
                self.show(text, x, y, size, char_space)
            return
        font = self._font(0, size)
        known, codes, write = self._known, self._codes, self._code.append
        for text, x, y, char_space in lines:
            if known.issuperset(text):
                hexa = text.translate(codes).encode("latin-1").hex()
                write(f"BT 1 0 0 1 {x:.4f} {y:.4f} Tm {char_space:.6f} Tc {font} <{hexa}> Tj ET")
            else:
                self.show(text, x, y, size, char_space)

    def _show_split(self, head: str, text: str, size: float) -> None:
        shown = [head]
        current = -1
        for subset, chunk in self.font.splitString(text, self._doc):
            if subset != current:
                shown.append(self._font(subset, size))
                current = subset
            shown.append(f"<{chunk.hex()}> Tj")
        shown.append("ET")
        self._code.append(" ".join(shown))

    def new_page(self) -> None:
        """After ``canvas.showPage``: the next page's content, in the default graphics state."""
        self._code = self.canvas._code
        self.fill = "0 0 0"


class TextBlock:
    """Lines of plain text (never markup) on the letter's grid; splits between lines at a page break."""

    def __init__(
        self,
        text: str,
        font: str,
        *,
        size: float = BODY_SIZE,
        leading: float = LEADING,
        align: Align = "justify",
        first_indent: float = 2 * CHAR,
        left: float = 0.0,
        right: float = 0.0,
        color: colors.Color = colors.black,
        space_before: float = 0.0,
        space_after: float = 0.0,
        lines: list[_Line] | None = None,
    ) -> None:
        self.text = clean_text(text)
        self.font, self.size, self.leading, self.align = font, size, leading, align
        self.first_indent, self.left, self.right, self.color = first_indent, left, right, color
        self.rgb = _rgb(color)  # as a content stream writes it
        self.space_before, self.space_after = space_before, space_after
        self.mark = ""  # for _paginate: which block this is ("body_end", "signature")
        self.pitch: dict[str, float] = {}  # see _pitch
        self._fixed = lines is not None  # a part of a split block keeps its lines
        self._lines: list[_Line] = lines or []
        self._laid_for: float | None = None

    def lines(self, avail: float = TEXT_WIDTH) -> list[_Line]:
        """The laid-out lines for a text block ``avail`` points wide (computed once per width)."""
        if not self._fixed and self._laid_for != avail:
            self._lines = list(
                _layout(
                    self.text,
                    self.font,
                    self.size,
                    avail - self.left - self.right,
                    self.first_indent,
                    self.left,
                )
            )
            self._laid_for = avail
        return self._lines

    def split(self, avail_width: float, avail_height: float) -> list[TextBlock]:
        """The block as two parts, the first ``avail_height`` high at most; [] when it moves whole."""
        lines = self.lines(avail_width)
        fit = _fit(len(lines), self.leading, avail_height)
        if not fit:
            return []
        first, rest = (
            TextBlock(
                "",
                self.font,
                size=self.size,
                leading=self.leading,
                align=self.align,
                left=self.left,
                right=self.right,
                color=self.color,
                space_before=self.space_before if head else 0.0,
                space_after=0.0 if head else self.space_after,
                lines=part,
            )
            for head, part in ((True, lines[:fit]), (False, lines[fit:]))
        )
        rest.mark = self.mark
        return [first, rest]

    def draw(self, writer: _Writer, lines: list[_Line], bottom: float) -> None:
        """``lines`` (of this block) with the lowest line's cell at ``bottom``."""
        writer.color(self.rgb)
        size, leading = self.size, self.leading
        left = MARGIN_LEFT + self.left
        right_edge = MARGIN_LEFT + TEXT_WIDTH - self.right
        # The glyphs sit centred in their line of the grid (CJK glyphs span about −0.12 to 0.88 em).
        top = bottom + len(lines) * leading - 0.38 * size
        align = self.align
        placed: list[tuple[str, float, float, float]] = []
        for i, line in enumerate(lines):
            y = top - (i + 0.5) * leading
            x = MARGIN_LEFT + line.indent
            char_space = 0.0
            if align == "center":
                x = left + (right_edge - left - line.width) / 2
            elif align == "right":
                x = right_edge - line.width
            elif align == "justify" and line.justify and len(line.text) > 1:
                char_space = max(0.0, (right_edge - x - line.width) / (len(line.text) - 1))
            placed.append((line.text, x, y, char_space))
        writer.show_all(placed, size)


class _Space:
    """Empty space of a fixed height (platypus' ``Spacer``)."""

    space_before = space_after = 0.0
    mark = ""
    pitch: dict[str, float] = {}  # noqa: RUF012  # see _pitch; never mutated

    def __init__(self, height: float) -> None:
        self.height = height


class _Rule:
    """The red rule under the 文号 (GB/T 9704-2012 7.2), across the text block."""

    mark = ""
    pitch: dict[str, float] = {}  # noqa: RUF012  # see _pitch; never mutated
    height = RULE_THICKNESS

    def __init__(self, space_before: float, space_after: float) -> None:
        self.space_before, self.space_after = space_before, space_after

    def draw(self, writer: _Writer, bottom: float) -> None:
        left, right = _number(MARGIN_LEFT), _number(MARGIN_LEFT + TEXT_WIDTH)
        y = _number(bottom)
        writer._code.append(
            f"q {_number(RULE_THICKNESS)} w 1 J {_rgb(RED)} RG n {left} {y} m {right} {y} l S Q"
        )


class _Together:
    """Blocks kept on one page (platypus' ``KeepTogether``) unless they fit on no page."""

    def __init__(self, items: list[_Item]) -> None:
        self.items = items

    def height(self) -> float:
        """The height of the items one after the other, the spaces between them merged."""
        total = 0.0
        after = 0.0
        first = True
        for item in self.items:
            height = _height(item)
            if height <= _FUZZ:
                continue
            total += height
            if not first:
                total += max(item.space_before - after, 0.0)
            first = False
            after = item.space_after
            total += after
        return total - after


_Item = TextBlock | _Space | _Rule
_Entry = _Item | _Together
# A placed piece: the item, its lines from..to (text blocks), and the bottom of its box on the page.
_Placed = tuple[_Item, int, int, float]


def _height(item: _Item) -> float:
    if isinstance(item, TextBlock):
        return len(item.lines()) * item.leading
    return item.height


_BREAK = _Space(0.0)  # a page break, only ever pushed by _paginate


def _paginate(story: list[_Entry]) -> tuple[list[list[_Placed]], dict[str, int]]:
    """The pieces of ``story`` on each page, and the page (1-based) of each marked block.

    Each block goes below the one before: the space before it (none at the top of a page) less the
    space after the block above, then its height. What does not fit is split between lines if it
    is a text block (``_fit``) or moves to the next page; a ``_Together`` that does not fit moves to
    the next page whole unless it already starts one, where it flows like its items.
    """
    pages: list[list[_Placed]] = [[]]
    marks: dict[str, int] = {}
    y = TEXT_TOP
    at_top = True
    after = 0.0  # the space after the block above
    postponed: set[tuple[int, int]] = set()  # pieces already moved to a new page once
    stack: list[tuple[_Entry, int]] = [(entry, 0) for entry in reversed(story)]

    def new_page() -> None:
        nonlocal y, at_top, after
        pages.append([])
        y, at_top, after = TEXT_TOP, True, 0.0

    while stack:
        entry, start = stack.pop()
        if entry is _BREAK:
            new_page()
            continue
        if isinstance(entry, _Together):
            space = 0.0 if at_top else max(entry.items[0].space_before - after, 0.0)
            avail = y - MARGIN_BOTTOM - space
            if avail <= 0:
                stack.append((entry, 0))
                new_page()
                continue
            stack.extend((item, 0) for item in reversed(entry.items))
            if not at_top and entry.height() > avail:
                stack.append((_BREAK, 0))
            continue
        item = entry
        if isinstance(item, TextBlock):
            count = len(item.lines())
            leading = item.leading
            height = (count - start) * leading
        else:
            count, leading, height = 1, 0.0, item.height
        space = 0.0 if at_top else max((item.space_before if start == 0 else 0.0) - after, 0.0)
        avail = y - MARGIN_BOTTOM - space
        end = count
        if avail > 0 and y - (height + space) < MARGIN_BOTTOM - _FUZZ:
            fit = _fit(count - start, leading, avail) if isinstance(item, TextBlock) else 0
            if fit:
                end = start + fit
                height = fit * leading
                stack.append((item, end))
            else:
                avail = 0.0
        if avail <= 0:
            if (id(item), start) in postponed:
                raise LayoutError(f"a block of {height:.0f} pt fits on no page")
            postponed.add((id(item), start))
            stack.append((item, start))
            new_page()
            continue
        bottom = y - (height + space)
        pages[-1].append((item, start, end, bottom))
        space_after = item.space_after if end == count else 0.0
        below = bottom - space_after
        after = space_after
        if below != y:
            at_top = False
        y = below
        if item.mark and end == count:
            marks[item.mark] = len(pages)
    return pages, marks


_P = TypeVar("_P", TextBlock, _Space, _Rule)


def _pitch(item: _P, **factors: float) -> _P:
    """``item``, its attributes ``factors`` recorded as multiples of the line pitch (``_set_pitch``)."""
    item.pitch = factors
    return item


def _set_pitch(story: list[_Entry], leading: float) -> None:
    """Give the blocks of ``story`` the line pitch ``leading``: the same blocks and lines, only their
    vertical spacing changes (each value computed as ``_story`` computes it at that pitch)."""
    for entry in story:
        for item in entry.items if isinstance(entry, _Together) else (entry,):
            for name, factor in item.pitch.items():
                setattr(item, name, leading * factor)


def _header(letter: Letter, font: str, leading: float) -> list[_Entry]:
    """发文机关标志 (red, centred), the 文号 centred under it, then the red rule (GB/T 9704-2012 7.2)."""
    name = clean_text(letter.header)
    width = stringWidth(name, font, HEADER_SIZE) or 1.0
    size = max(BODY_SIZE, min(HEADER_SIZE, HEADER_SIZE * TEXT_WIDTH / width))
    out: list[_Entry] = [
        TextBlock(name, font, size=size, leading=size * 1.4, align="center", first_indent=0, color=RED)
    ]
    if letter.doc_number.strip():
        number = TextBlock(
            letter.doc_number, font, leading=leading, align="center", first_indent=0, space_before=4
        )
        out.append(_pitch(number, leading=1.0))
    out.append(_pitch(_Rule(space_before=4, space_after=leading * 0.6), space_after=0.6))
    return out


def _attachments(letter: Letter, font: str, leading: float) -> list[_Item]:
    """附件说明 (GB/T 9704-2012 7.3.4): a line below the body, "附件：" two characters in, the names
    numbered after it; a long name wraps under its own first character."""
    if not letter.attachments:
        return []

    def width(text: str) -> float:
        return float(stringWidth(text, font, BODY_SIZE))

    label = width("附件：")
    out: list[_Item] = [_pitch(_Space(leading), height=1.0)]
    for line in attachment_lines(letter.attachments):
        prefix = _ATTACHMENT_PREFIX.match(line)
        number = width(prefix.group(2) or "") if prefix else 0.0
        first = -(label + number) if line.startswith("附件：") else -number
        left = 2 * CHAR + label + number
        block = TextBlock(line, font, leading=leading, align="left", left=left, first_indent=first)
        out.append(_pitch(block, leading=1.0))
    return out


def signature_indents(signature: float, date: float) -> tuple[float, float]:
    """Right indents of the signature and the date (GB/T 9704-2012 7.3.5.2): the date four characters
    from the right, the signature centred over it; a longer signature two characters from the right
    with the date centred under it."""
    date_right = 4 * CHAR
    sig_right = date_right + (date - signature) / 2
    if sig_right < 2 * CHAR:
        sig_right = 2 * CHAR
        date_right = sig_right + (signature - date) / 2
    if signature > TEXT_WIDTH - sig_right:
        sig_right = 0.0
    return sig_right, date_right


def _signature(letter: Letter, font: str, leading: float) -> list[_Item]:
    """发文机关署名 over 成文日期; two empty lines above leave room for the seal, which covers both."""
    signature = clean_text(letter.signature).replace("\n", "")
    date = letter.date_text
    sig_right, date_right = signature_indents(
        stringWidth(signature, font, BODY_SIZE), stringWidth(date, font, BODY_SIZE)
    )
    block = TextBlock(signature, font, leading=leading, align="right", first_indent=0, right=sig_right)
    block.mark = "signature"
    date_block = TextBlock(date, font, leading=leading, align="right", first_indent=0, right=date_right)
    return [
        _pitch(_Space(2 * leading), height=2.0),
        _pitch(block, leading=1.0),
        _pitch(date_block, leading=1.0),
    ]


def _story(letter: Letter, font: str, leading: float) -> list[_Entry]:
    story = _header(letter, font, leading)
    title = TextBlock(
        letter.title,
        font,
        size=TITLE_SIZE,
        leading=TITLE_LEADING,
        align="center",
        first_indent=0,
        space_after=leading * 0.4,
    )
    story.append(_pitch(title, space_after=0.4))
    story.append(
        _pitch(TextBlock(letter.addressee + "：", font, leading=leading, first_indent=0), leading=1.0)
    )
    for p in letter.paragraphs:
        story.append(_pitch(TextBlock(p.text, font, leading=leading), leading=1.0))
    last = story[-1]
    assert isinstance(last, TextBlock)
    last.mark = "body_end"
    # The closing, 附件说明, signature and date stay on one page: GB/T 9704-2012 7.3.5.4 does not allow
    # a page with the signature and no body text. (The 附注 may follow on the next page: keeping it in
    # the group pushed a whole signature block over to a page of its own when two lines were missing.)
    tail: list[_Item] = []
    if letter.closing.strip():
        tail.append(_pitch(TextBlock(letter.closing, font, leading=leading), leading=1.0))
    tail += _attachments(letter, font, leading)
    tail += _signature(letter, font, leading)
    story.append(_Together(tail))
    if letter.contact.strip():
        # 附注 (GB/T 9704-2012 7.3.6): the line below the date, two characters in, in parentheses.
        story.append(_pitch(TextBlock(letter.contact, font, leading=leading), leading=1.0))
    return story


def _page_label(number: int) -> str:
    return f"— {number} —"


def _page_number(writer: _Writer, font: str, number: int) -> None:
    # GB/T 9704-2012 7.5: 4号 Arabic numerals between em dashes, 7 mm below the text block; odd
    # pages one character in from the right edge of the text block, even pages from the left.
    text = _page_label(number)
    y = MARGIN_BOTTOM - 7 * mm - PAGE_NUMBER_SIZE * 0.8
    if number % 2:
        width = sum(map(_width_of(font, PAGE_NUMBER_SIZE), text))
        x = PAGE_WIDTH - MARGIN_RIGHT - PAGE_NUMBER_SIZE - width
    else:
        x = MARGIN_LEFT + PAGE_NUMBER_SIZE
    writer.show(text, x, y, PAGE_NUMBER_SIZE)


class _Page(PDFPage):  # type: ignore[misc]  # reportlab has no type information
    """A page with text and lines only, written at once (``_LetterCanvas``)."""

    def format(self, document: Any) -> bytes:  # reportlab's name
        procs = b"/PDF /Text /ImageB /ImageC /ImageI" if self.hasImages else b"/PDF /Text"  # as reportlab
        parent = document.Reference(document.Pages).format(document)
        width = pdfdoc.format(self.pagewidth, document)
        height = pdfdoc.format(self.pageheight, document)
        contents = document.Reference(self.Contents).format(document)
        fonts = PDFObjectReference(BasicFonts).format(document)
        return (
            b"<< /Type /Page /Parent %s /MediaBox [ 0 0 %s %s ] /Contents %s /Resources << /Font %s /ProcSet [ %s ] >> >>"
            % (parent, width, height, contents, fonts, procs)
        )


class _LetterCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type information
    """The canvas a letter is drawn on: each page is written at once (``_Page``, ``_Written``), its
    content stream Flate-compressed only (at level 1).

    reportlab also wraps content streams in ASCII85 (``rl_config.useA85``, a global), in pure
    Python, for 7-bit-clean streams no reader needs (the embedded fonts are binary anyway), and
    formats a page's dictionary entry by entry. The decoded content is unchanged.
    """

    def showPage(self) -> None:  # reportlab's name
        super().showPage()
        page = self._doc.Pages.pages[-1]
        plain = not (
            page.Contents
            or page.Annots
            or page.XObjects
            or page._colorsUsed
            or page._shadingUsed
            or getattr(page, "ExtGState", None)
            or page.Rotate
            or (page.Trans and page.Trans.dict)
            or page.Dur is not None
        )
        if plain and page.stream and type(page) is PDFPage:
            data = page.stream.encode("utf-8")
            page.Contents = (
                _Written(b"/Filter /FlateDecode", FAST_FLATE.encode(data))
                if page.compression
                else _Written(b"", data)
            )
            page.__class__ = _Page


class _Ref:
    """A reference to an indirect object of a ``_Document`` (``N 0 R``)."""

    __slots__ = ("number",)

    def __init__(self, number: int) -> None:
        self.number = number

    def format(self, document: Any = None) -> bytes:  # reportlab's name
        return b"%d 0 R" % self.number


class _NoEncryption:
    @staticmethod
    def encode(data: bytes) -> bytes:
        return data


class _Fonts:
    """Stands in for reportlab's "BasicFonts" dictionary: internal font name -> font object."""

    def __init__(self) -> None:
        self.dict: dict[str, Any] = {}


class _Document:
    """A PDF file of pages of text in one TrueType font, written directly.

    reportlab's ``PDFDocument`` and ``Canvas`` format every object through generic machinery
    (dictionaries key by key, a page's defaults and resources, an ASCII85 pass); for a letter that
    was a fifth of the time. This writes the catalog, page tree, pages and document information
    at once. The font objects are still reportlab's: ``CachedTTFont`` adds them through the same
    interface as to a ``PDFDocument`` (``Reference``, ``fontMapping``, ``delayedFonts``, the
    "BasicFonts" dictionary), and its subsets, their state and names are reportlab's.
    """

    compression = 1
    encrypt = _NoEncryption
    encrypts = False  # (for _Written: stream pieces need no joining to be encrypted)

    def __init__(self) -> None:
        self.objects: list[Any] = []  # object number - 1 -> object (bytes, or with .format)
        self.names: dict[str, _Ref] = {}
        self.fontMapping: dict[str, str] = {}  # reportlab's name
        self.delayedFonts: list[Any] = []  # reportlab's name
        self.idToObject: dict[str, Any] = {"BasicFonts": _Fonts()}  # reportlab's name

    def Reference(self, obj: Any, name: str | None = None) -> _Ref:  # reportlab's name
        if name is not None and name in self.names:
            return self.names[name]
        self.objects.append(obj)
        ref = _Ref(len(self.objects))
        if name is not None:
            self.names[name] = ref
        return ref

    def write(self, pages: list[bytes], info: bytes) -> bytes:
        """The file: ``pages`` (content streams, uncompressed) and the fonts added so far."""
        catalog = self.Reference(None)
        tree = self.Reference(None)
        info_ref = self.Reference(b"<< %s >>" % info)
        fonts = b" ".join(
            b"%s %s" % (pdfdoc.format(pdfdoc.PDFName(name), self), self.names[name].format())
            for name in self.idToObject["BasicFonts"].dict
        )
        resources = b"<< /Font << %s >> /ProcSet [ /PDF /Text ] >>" % fonts
        kids = []
        for content in pages:
            # A page of body text is 2–3 kB of ASCII: stored as it is (about 2 kB more than
            # compressed, on a file of some 100 kB; compressing cost 6 % of the letter's time).
            # Denser pages (long runs of Latin text, many short lines) are compressed.
            if len(content) > STORED_PAGE_LIMIT:
                stream = self.Reference(_Written(b"/Filter /FlateDecode", FAST_FLATE.encode(content)))
            else:
                stream = self.Reference(_Written(b"", content))
            kids.append(
                self.Reference(
                    b"<< /Type /Page /Parent %s /MediaBox [ 0 0 %s %s ] /Contents %s /Resources %s >>"
                    % (tree.format(), _MEDIA_WIDTH, _MEDIA_HEIGHT, stream.format(), resources)
                ).format()
            )
        self.objects[catalog.number - 1] = b"<< /Type /Catalog /Pages %s >>" % tree.format()
        self.objects[tree.number - 1] = b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (
            b" ".join(kids),
            len(kids),
        )
        out = [b"%PDF-1.4\n%\x93\x8c\x8b\x9e yishen\n"]
        offsets = []
        at = len(out[0])
        for number, obj in enumerate(self.objects, 1):
            offsets.append(at)
            parts = [b"%d 0 obj\n" % number]
            if isinstance(obj, bytes):
                parts.append(obj)
            elif isinstance(obj, _Written):
                parts += obj.pieces(self)  # a font file stays in pieces until the file is joined
            else:
                parts.append(obj.format(self))
            parts.append(b"\nendobj\n")
            out += parts
            at += sum(map(len, parts))
        count = len(self.objects) + 1
        out.append(b"xref\n0 %d\n0000000000 65535 f \n" % count)
        out += [b"%010d 00000 n \n" % offset for offset in offsets]
        # A file identifier from what the file shows (the same letter gives the same file).
        digest = hashlib.md5(info + b"".join(pages), usedforsecurity=False).hexdigest().encode()
        out.append(
            b"trailer\n<< /Size %d /Root %s /Info %s /ID [ <%s> <%s> ] >>\nstartxref\n%d\n%%%%EOF\n"
            % (count, catalog.format(), info_ref.format(), digest, digest, at)
        )
        return b"".join(out)


STORED_PAGE_LIMIT = 4096  # bytes of page content written without compression
_MEDIA_WIDTH = pdfdoc.format(PAGE_WIDTH, None)
_MEDIA_HEIGHT = pdfdoc.format(PAGE_HEIGHT, None)


def _info(letter: Letter) -> bytes:
    """The document information dictionary's entries (what a PDF viewer shows as its properties)."""

    def text(value: str) -> bytes:
        return b"<FEFF%s>" % value.encode("utf-16-be").hex().upper().encode("ascii")

    # A fixed date, as reportlab's invariant mode writes (the same letter gives the same file).
    date = b"(D:20000101000000+00'00')"
    return b"/Title %s /Author %s /Subject %s /Creator %s /Producer %s /CreationDate %s /ModDate %s" % (
        text(clean_text(letter.title)),
        text(clean_text(letter.header)),
        text(KIND_LABELS[letter.kind]),
        text("yishen"),
        text("yishen (ReportLab)"),
        date,
        date,
    )


class _Sheet:
    """What ``_Writer`` writes on when there is no reportlab canvas: a page's content, a document."""

    def __init__(self, document: _Document) -> None:
        self._doc = document
        self._code: list[str] = []


def _draw_pages(writer: _Writer, font: str, pages: list[list[_Placed]], end_page: Callable[[], None]) -> None:
    text: list[str] = []
    for number, placed in enumerate(pages, 1):
        text.append(_page_label(number))
        for item, start, end, _ in placed:
            if isinstance(item, TextBlock):
                text += [line.text for line in item.lines()[start:end]]
    writer.prepare("".join(text))
    for number, placed in enumerate(pages, 1):
        _page_number(writer, font, number)
        for item, start, end, bottom in placed:
            if isinstance(item, TextBlock):
                item.draw(writer, item.lines()[start:end], bottom)
            elif isinstance(item, _Rule):
                item.draw(writer, bottom)
        end_page()
        writer.new_page()


def _write(letter: Letter, font: str, pages: list[list[_Placed]]) -> bytes:
    """The placed pages as PDF bytes: a TrueType font's written by ``_Document``, the built-in CID
    font's (no subsets to embed) on a reportlab canvas."""
    ttf = getFont(font)
    if not isinstance(ttf, CachedTTFont):
        return _write_canvas(letter, font, pages)
    document = _Document()
    sheet = _Sheet(document)
    writer = _Writer(sheet, font)
    contents: list[bytes] = []

    def end_page() -> None:
        contents.append("\n".join(sheet._code).encode("utf-8"))
        sheet._code = []

    _draw_pages(writer, font, pages, end_page)
    for delayed in document.delayedFonts:
        delayed.addObjects(document)
    return document.write(contents, _info(letter))


def _write_canvas(letter: Letter, font: str, pages: list[list[_Placed]]) -> bytes:
    """The placed pages as PDF bytes, drawn on a reportlab canvas."""
    buffer = io.BytesIO()
    # The letter's font as the canvas's initial font: no unused Helvetica in the file.
    canvas = _LetterCanvas(buffer, pagesize=A4, invariant=True, initialFontName=font)
    canvas.setTitle(clean_text(letter.title))
    canvas.setAuthor(clean_text(letter.header))
    canvas.setSubject(KIND_LABELS[letter.kind])
    canvas.setCreator("yishen")
    _draw_pages(_Writer(canvas, font), font, pages, canvas.showPage)
    canvas.save()
    return buffer.getvalue()


def _layout_letter(letter: Letter, font: str, leading: float) -> tuple[list[list[_Placed]], bool]:
    """The pages at line pitch ``leading``, and whether the signature shares a page with the last
    body paragraph."""
    pages, marks = _paginate(_story(letter, font, leading))
    together = marks.get("signature") == marks.get("body_end", marks.get("signature"))
    return pages, together


def _build(letter: Letter, font: str, leading: float, *, trial: bool = False) -> tuple[bytes, int, bool]:
    """(PDF bytes, pages, whether the signature shares a page with the last body paragraph) at line
    pitch ``leading``; a ``trial`` only paginates and returns no bytes."""
    pages, together = _layout_letter(letter, font, leading)
    return (b"" if trial else _write(letter, font, pages)), len(pages), together


def render_pdf(letter: Letter, *, font: FontChoice | None = None) -> bytes:
    """The letter as PDF bytes (A4). ``font`` defaults to ``choose_font()`` (no configured font).

    When the signature block would start a page after the last body paragraph, the letter is
    paginated again with a tighter line pitch, as GB/T 9704-2012 7.3.5.4 suggests ("调整行距"), and
    the tighter layout is kept if it saves that page (letters of up to five pages). The lines are
    broken once; only the pagination is repeated.
    """
    name = (font or choose_font()).name
    story = _story(letter, name, LEADING)
    pages, marks = _paginate(story)
    together = marks.get("signature") == marks.get("body_end", marks.get("signature"))
    if not together and len(pages) <= MAX_REFIT_PAGES:
        for candidate in REFIT_LEADINGS:
            _set_pitch(story, candidate)
            tighter, _ = _paginate(story)
            if len(tighter) < len(pages):
                return _write(letter, name, tighter)
        _set_pitch(story, LEADING)
    return _write(letter, name, pages)
