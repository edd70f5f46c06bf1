"""Print a ``Letter`` as a PDF with reportlab, in the layout of GB/T 9704-2012 (党政机关公文格式).

A4; 版心 156 mm × 225 mm (margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm); body 3号
(15.75 pt, so 28 characters fill a line) on a grid of 22 lines a page, justified (两端对齐); title 2号
(22 pt); 发文机关标志 in red with the 文号 centred under it and a red rule; addressee flush left with a
full-width colon; paragraphs indented by two characters; the signature centred over the date, the date
four characters from the right; page numbers "— 1 —" in 4号 at the bottom, on the outside.

Text is laid out by ``app.letters.linebreak`` (行首行尾禁则) and drawn line by line by ``TextBlock``,
not by reportlab's ``Paragraph``: no string is ever parsed as markup, so ``<img src=…>`` in a case field
prints as text and is never fetched (design.md §9). We measured why not ``Paragraph(wordWrap='CJK')``:
its CJK wrap put "》" and "，" at line starts and split "2026-0042", its CJK lines are never justified,
and it re-wraps a long paragraph at every page break (a 10 000-character reason took 3.2 s).
Every string still goes through ``clean_text`` (control and bidi characters).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFStream, PDFZCompress
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Spacer,
)

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
# Tighter line pitches tried when the signature block would otherwise stand on a page of its own.
REFIT_LEADINGS = (27.0, 25.5, 24.0)
MAX_REFIT_PAGES = 5
CHAR = BODY_SIZE  # one full-width character

Align = Literal["justify", "left", "center", "right"]
_ATTACHMENT_PREFIX = re.compile(r"(附件：)?(\d+\.)?")


@dataclass(frozen=True)
class _Line:
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
    """The lines of one paragraph; cached, as render_pdf lays a letter out more than once."""
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


def _line_writer(
    canvas: Canvas, font_name: str, size: float
) -> Callable[[str, float, float, float], None] | None:
    """A writer of one line of text in a TrueType font, or None for other fonts (the built-in CID font).

    It writes exactly what ``beginText(x, y)``, ``setFont``, ``setCharSpace``, ``textOut`` and
    ``drawText`` write for a TrueType font (one BT … ET text object, reportlab's subsets and escaping),
    without building a text object and measuring the line again for every line: the mixed reply's
    44 lines are drawn in about 0.5 ms instead of 1.5 ms.
    """
    font = getFont(font_name)
    if not getattr(font, "_dynamicFont", False) or not canvas.bottomup:
        return None
    doc = canvas._doc
    escape = canvas._escape
    split = font.splitString
    subset_name = font.getSubsetInternalName
    size_and_leading = f"{fp_str(size)} Tf {fp_str(size * 1.2)} TL"  # setFont's leading: 1.2 × size
    write = canvas._code.append

    def show(text: str, x: float, y: float, char_space: float) -> None:
        shown: list[str] = []
        current = -1
        for subset, chunk in split(text, doc):
            if subset != current:
                shown.append(f"{subset_name(subset, doc)} {size_and_leading}")
                current = subset
            shown.append(f"({escape(chunk)}) Tj")
        # As a text object does it: an empty line still leaves its (empty) part between Tc and ET.
        write(f"BT 1 0 0 1 {fp_str(x, y)} Tm {fp_str(char_space)} Tc {' '.join(shown)} ET")

    return show


class TextBlock(Flowable):  # type: ignore[misc]  # reportlab has no type information
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
        super().__init__()
        self.text = clean_text(text)
        self.font, self.size, self.leading, self.align = font, size, leading, align
        self.first_indent, self.left, self.right, self.color = first_indent, left, right, color
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self.mark = ""  # for _LetterDoc: which block this is ("body_end", "signature")
        self._fixed = lines is not None  # a part of a split block keeps its lines
        self._lines: list[_Line] = lines or []
        self._laid_for: float | None = None

    def lines(self, avail: float) -> list[_Line]:
        """The laid-out lines for a frame ``avail`` points wide (computed once per width)."""
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

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = len(self.lines(avail_width)) * self.leading
        return avail_width, self.height

    def _part(self, lines: list[_Line], *, first: bool, last: bool) -> TextBlock:
        part = TextBlock(
            "",
            self.font,
            size=self.size,
            leading=self.leading,
            align=self.align,
            left=self.left,
            right=self.right,
            color=self.color,
            space_before=self.spaceBefore if first else 0.0,
            space_after=self.spaceAfter if last else 0.0,
            lines=lines,
        )
        part.mark = self.mark if last else ""
        return part

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self.lines(avail_width)
        fit = min(int((avail_height + 1e-6) // self.leading), len(lines))
        # Widow and orphan control, as Word does it: never one line of a paragraph alone at the foot
        # or at the head of a page (so a paragraph of two or three lines moves whole).
        if len(lines) - fit == 1:
            fit -= 1
        if fit < 2 or fit >= len(lines):
            return []
        return [
            self._part(lines[:fit], first=True, last=False),
            self._part(lines[fit:], first=False, last=True),
        ]

    def draw(self) -> None:
        canvas: Canvas = self.canv
        if getattr(canvas, "trial", False):
            return  # a pagination trial (render_pdf): the position is all that matters
        canvas.saveState()
        canvas.setFillColor(self.color)
        show = _line_writer(canvas, self.font, self.size)
        right_edge = self.width - self.right
        for i, line in enumerate(self.lines(self.width)):
            # The glyphs sit centred in their line of the grid (CJK glyphs span about −0.12 to 0.88 em).
            y = self.height - (i + 0.5) * self.leading - 0.38 * self.size
            x = line.indent
            char_space = 0.0
            if self.align == "center":
                x = self.left + (right_edge - self.left - line.width) / 2
            elif self.align == "right":
                x = right_edge - line.width
            elif self.align == "justify" and line.justify and len(line.text) > 1:
                char_space = max(0.0, (right_edge - line.indent - line.width) / (len(line.text) - 1))
            if show is not None:
                show(line.text, x, y, char_space)
            else:
                text = canvas.beginText(x, y)
                text.setFont(self.font, self.size)
                text.setCharSpace(char_space)
                text.textOut(line.text)
                canvas.drawText(text)
        canvas.restoreState()


def _header(letter: Letter, font: str, leading: float) -> list[Flowable]:
    """发文机关标志 (red, centred), the 文号 centred under it, then the red rule (GB/T 9704-2012 7.2)."""
    name = clean_text(letter.header)
    width = stringWidth(name, font, HEADER_SIZE) or 1.0
    size = max(BODY_SIZE, min(HEADER_SIZE, HEADER_SIZE * TEXT_WIDTH / width))
    out: list[Flowable] = [
        TextBlock(name, font, size=size, leading=size * 1.4, align="center", first_indent=0, color=RED)
    ]
    if letter.doc_number.strip():
        out.append(
            TextBlock(
                letter.doc_number, font, leading=leading, align="center", first_indent=0, space_before=4
            )
        )
    out.append(HRFlowable(width="100%", thickness=1.2, color=RED, spaceBefore=4, spaceAfter=leading * 0.6))
    return out


def _attachments(letter: Letter, font: str, leading: float) -> list[Flowable]:
    """附件说明 (GB/T 9704-2012 7.3.4): a line below the body, "附件：" two characters in, the names
    numbered after it; a long name wraps under its own first character."""
    if not letter.attachments:
        return []

    def width(text: str) -> float:
        return float(stringWidth(text, font, BODY_SIZE))

    label = width("附件：")
    out: list[Flowable] = [Spacer(1, leading)]
    for line in attachment_lines(letter.attachments):
        prefix = _ATTACHMENT_PREFIX.match(line)
        number = width(prefix.group(2) or "") if prefix else 0.0
        first = -(label + number) if line.startswith("附件：") else -number
        left = 2 * CHAR + label + number
        out.append(TextBlock(line, font, leading=leading, align="left", left=left, first_indent=first))
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


def _signature(letter: Letter, font: str, leading: float) -> list[Flowable]:
    """发文机关署名 over 成文日期; two empty lines above leave room for the seal, which covers both."""
    signature = clean_text(letter.signature).replace("\n", "")
    date = letter.date_text
    sig_right, date_right = signature_indents(
        stringWidth(signature, font, BODY_SIZE), stringWidth(date, font, BODY_SIZE)
    )
    block = TextBlock(signature, font, leading=leading, align="right", first_indent=0, right=sig_right)
    block.mark = "signature"
    return [
        Spacer(1, 2 * leading),
        block,
        TextBlock(date, font, leading=leading, align="right", first_indent=0, right=date_right),
    ]


def _story(letter: Letter, font: str, leading: float) -> list[Flowable]:
    story = _header(letter, font, leading)
    story.append(
        TextBlock(
            letter.title,
            font,
            size=TITLE_SIZE,
            leading=TITLE_LEADING,
            align="center",
            first_indent=0,
            space_after=leading * 0.4,
        )
    )
    story.append(TextBlock(letter.addressee + "：", font, leading=leading, first_indent=0))
    for p in letter.paragraphs:
        story.append(TextBlock(p.text, font, leading=leading))
    story[-1].mark = "body_end"
    # The closing, 附件说明, signature and date stay on one page: GB/T 9704-2012 7.3.5.4 does not allow
    # a page with the signature and no body text. (The 附注 may follow on the next page: keeping it in
    # the group pushed a whole signature block over to a page of its own when two lines were missing.)
    tail: list[Flowable] = []
    if letter.closing.strip():
        tail.append(TextBlock(letter.closing, font, leading=leading))
    tail += _attachments(letter, font, leading)
    tail += _signature(letter, font, leading)
    story.append(KeepTogether(tail))
    if letter.contact.strip():
        # 附注 (GB/T 9704-2012 7.3.6): the line below the date, two characters in, in parentheses.
        story.append(TextBlock(letter.contact, font, leading=leading))
    return story


def _page_number(font: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        # GB/T 9704-2012 7.5: 4号 Arabic numerals between em dashes, 7 mm below the text block; odd
        # pages one character in from the right edge of the text block, even pages from the left.
        number = doc.page
        text = f"— {number} —"
        y = MARGIN_BOTTOM - 7 * mm - PAGE_NUMBER_SIZE * 0.8
        canvas.saveState()
        canvas.setFont(font, PAGE_NUMBER_SIZE)
        if number % 2:
            canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT - PAGE_NUMBER_SIZE, y, text)
        else:
            canvas.drawString(MARGIN_LEFT + PAGE_NUMBER_SIZE, y, text)
        canvas.restoreState()

    return draw


class _LetterDoc(BaseDocTemplate):  # type: ignore[misc]  # reportlab has no type information
    """Records the page on which the marked blocks (last body paragraph, signature) were drawn."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks: dict[str, int] = {}

    def afterFlowable(self, flowable: Flowable) -> None:  # reportlab's hook, called after each flowable
        mark = getattr(flowable, "mark", "")
        if mark:
            self.marks[mark] = self.page


class _TrialCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type information
    """A canvas for pagination trials: text blocks skip drawing, nothing is written.

    A trial only needs where the flowables fall, so what they would draw (the ``q``/``cm``/``Q`` of
    every ``drawOn``, the rule under the header) and the pages are not recorded: without them a
    trial of the mixed reply takes about 0.7 ms instead of 1.0 ms.
    """

    trial = True

    def save(self) -> None:
        pass

    def showPage(self) -> None:  # reportlab's names
        self._pageNumber += 1
        self._code.clear()

    def saveState(self) -> None:
        pass

    def restoreState(self) -> None:
        pass

    def transform(self, *args: float) -> None:
        pass

    def translate(self, dx: float, dy: float) -> None:
        pass

    def setLineWidth(self, width: float) -> None:
        pass

    def setLineCap(self, mode: int) -> None:
        pass

    def setStrokeColor(self, color: Any, alpha: float | None = None) -> None:
        pass

    def setDash(self, *args: Any, **kwargs: Any) -> None:
        pass

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        pass


class _LetterCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type information
    """The canvas a letter is drawn on: page content streams are Flate-compressed only.

    reportlab also wraps them in ASCII85 (``rl_config.useA85``, a global), in pure Python: 0.5 ms for
    the mixed reply's two pages, and a quarter more bytes, for 7-bit-clean streams no reader needs
    (the embedded fonts are binary anyway). The decoded content is unchanged.
    """

    def showPage(self) -> None:  # reportlab's name
        super().showPage()
        page = self._doc.Pages.pages[-1]
        if page.compression and page.stream and not page.Contents:
            contents = PDFStream(content=page.stream, filters=[PDFZCompress])
            contents.__Comment__ = "page stream"
            page.Contents = contents


def _build(letter: Letter, font: str, leading: float, *, trial: bool = False) -> tuple[bytes, int, bool]:
    """(PDF bytes, pages, whether the signature shares a page with the last body paragraph).

    A ``trial`` build only paginates (a few milliseconds) and returns no bytes.
    """
    buffer = io.BytesIO()
    doc = _LetterDoc(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=clean_text(letter.title),
        author=clean_text(letter.header),
        subject=KIND_LABELS[letter.kind],
        creator="yishen",
        invariant=True,
    )
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        TEXT_WIDTH,
        TEXT_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    on_page = None if trial else _page_number(font)
    doc.addPageTemplates([PageTemplate(id="letter", frames=[frame], onPage=on_page or _no_page_number)])
    doc.build(_story(letter, font, leading), canvasmaker=_TrialCanvas if trial else _LetterCanvas)
    together = doc.marks.get("signature") == doc.marks.get("body_end", doc.marks.get("signature"))
    return (b"" if trial else buffer.getvalue()), doc.page, together


def _no_page_number(canvas: Canvas, doc: BaseDocTemplate) -> None:
    pass


def render_pdf(letter: Letter, *, font: FontChoice | None = None) -> bytes:
    """The letter as PDF bytes (A4). ``font`` defaults to ``choose_font()`` (no configured font).

    When the signature block would start a page after the last body paragraph, the letter is laid out
    again with a tighter line pitch, as GB/T 9704-2012 7.3.5.4 suggests ("调整行距"), and the tighter
    layout is kept if it saves that page (letters of up to five pages). The trials only paginate;
    the letter is drawn once.
    """
    name = (font or choose_font()).name
    leading = LEADING
    _, pages, together = _build(letter, name, LEADING, trial=True)
    if not together and pages <= MAX_REFIT_PAGES:
        for candidate in REFIT_LEADINGS:
            if _build(letter, name, candidate, trial=True)[1] < pages:
                leading = candidate
                break
    return _build(letter, name, leading)[0]
