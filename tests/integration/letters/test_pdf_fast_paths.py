"""The PDF renderer's shortcuts write what reportlab would have written (render_pdf's speed work)."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from app.letters.fonts import choose_font
from app.letters.pdf import _line_writer

# More than 256 distinct characters, so the lines switch between two subsets of the font.
CHARS = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 300))
LINES = [
    CHARS[:28],
    CHARS[28:200],
    "（" + CHARS[250:270] + "）2026-0042号\\",
    CHARS[200:300] + "()\\",
    "政",
    "",
]


def _reportlab(canvas: Canvas, font: str, size: float) -> None:
    for i, line in enumerate(LINES):
        text = canvas.beginText(10.5 * i, 700 - 20 * i)
        text.setFont(font, size)
        text.setCharSpace(0.324276 * i)
        text.textOut(line)
        canvas.drawText(text)


def _ours(canvas: Canvas, font: str, size: float) -> None:
    show = _line_writer(canvas, font, size)
    assert show is not None
    for i, line in enumerate(LINES):
        show(line, 10.5 * i, 700 - 20 * i, 0.324276 * i)


def test_the_line_writer_writes_what_a_reportlab_text_object_writes() -> None:
    font = choose_font()
    if not font.embedded:
        pytest.skip("no TrueType CJK font on this machine")
    pdfs = []
    for draw in (_reportlab, _ours):
        buffer = io.BytesIO()
        canvas = Canvas(buffer, invariant=True)
        draw(canvas, font.name, 15.75)
        code = list(canvas._code)
        canvas.showPage()
        canvas.save()
        pdfs.append((code, buffer.getvalue()))
    assert pdfs[0] == pdfs[1]
    assert any("+1 " in part for part in pdfs[1][0])  # the second subset was used


def test_other_fonts_keep_reportlabs_text_objects() -> None:
    font = choose_font(candidates=())  # the built-in STSong-Light CID font
    assert _line_writer(Canvas(io.BytesIO()), font.name, 15.75) is None
