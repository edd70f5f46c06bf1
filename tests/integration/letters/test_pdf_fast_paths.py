"""The PDF renderer's shortcuts print what reportlab would have printed (render_pdf's speed work)."""

from __future__ import annotations

import io
import zlib

import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.letters import LetterKind
from app.letters.fontcache import CachedTTFont, CachedTTFontFace
from app.letters.fonts import choose_font
from app.letters.pdf import _Writer, render_pdf
from tests.unit.letters.samples import make_letter, mixed_case

# More than 256 distinct characters, so the lines switch between two subsets of the font.
CHARS = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 300))
LINES = [
    CHARS[:28],
    CHARS[28:200],
    "（" + CHARS[250:270] + "）2026-0042号\\",
    CHARS[200:300] + "()\\",
    "政",
    "<img src=x>",
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
    writer = _Writer(canvas, font)
    for i, line in enumerate(LINES):
        writer.show(line, 10.5 * i, 700 - 20 * i, size, 0.324276 * i)


def _printed(draw: object, font: str) -> tuple[list[tuple[float, float, str]], bytes]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    draw(canvas, font, 15.75)  # type: ignore[operator]
    canvas.showPage()
    canvas.save()
    shown: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text:
            shown.append((round(tm[4] * cm[0] + cm[4], 3), round(tm[5] * cm[3] + cm[5], 3), text))

    page = pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    page.extract_text(visitor_text=visit)
    return shown, page.get_contents().get_data()


@pytest.mark.parametrize("embedded", [True, False])
def test_the_writer_prints_what_a_reportlab_text_object_prints(embedded: bool) -> None:
    font = choose_font() if embedded else choose_font(candidates=())  # else the built-in CID font
    if embedded and not font.embedded:
        pytest.skip("no TrueType CJK font on this machine")
    theirs, _ = _printed(_reportlab, font.name)
    ours, content = _printed(_ours, font.name)
    assert ours == theirs
    assert "".join(text for _, _, text in ours).replace("\n", "") == "".join(LINES)
    if embedded:
        assert b"+1 " in content  # the second subset was used
        assert b"(" not in content  # glyph codes as hexadecimal strings: nothing to escape


def test_one_subset_holds_254_characters() -> None:
    # Without reportlab's asciiReadable the first subset does not keep 96 codes for ASCII.
    font = choose_font()
    if not font.embedded:
        pytest.skip("no TrueType CJK font on this machine")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    writer = _Writer(canvas, font.name)
    writer.show(CHARS[:254], 0, 0, 15.75)
    split = pdfmetrics.getFont(font.name).splitString
    assert [subset for subset, _ in split(CHARS[:254], canvas._doc)] == [0]
    writer.show(CHARS[254:256], 0, 0, 15.75)
    assert b"+1 " in "".join(canvas._code).encode()


def test_embedded_font_files_are_the_subsets() -> None:
    font = choose_font()
    if not font.embedded:
        pytest.skip("no TrueType CJK font on this machine")
    face = pdfmetrics.getFont(font.name).face
    assert isinstance(face, CachedTTFontFace)
    for forget in (True, False):  # glyphs compressed for this letter, then from the process cache
        if forget:
            face.forget()
        reader = pypdf.PdfReader(io.BytesIO(render_pdf(make_letter(LetterKind.REPLY, mixed_case()))))
        fonts = reader.pages[0]["/Resources"]["/Font"]
        assert len(fonts) == 1  # the reply's 246 distinct characters fit one subset
        for ref in fonts.values():
            font_dict = ref.get_object()
            stream = font_dict["/FontDescriptor"]["/FontFile2"].get_object()
            data = zlib.decompress(stream._data)  # the stream as stored, Adler-32 checked
            assert len(data) == stream["/Length1"]
            codes = [ord(c) for c in _to_unicode(font_dict["/ToUnicode"].get_object().get_data())]
            assert data == face.makeSubset(codes)


def _to_unicode(cmap: bytes) -> str:
    """The characters of a subset, in code order, from its ToUnicode CMap (``<00> <0000>`` lines)."""
    chars = []
    for line in cmap.decode("ascii").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].startswith("<") and len(parts[1]) == 6:
            chars.append(chr(int(parts[1][1:-1], 16)))
    return "".join(chars)


def test_a_composite_glyph_is_embedded_with_its_components() -> None:
    path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # accented letters are composites
    try:
        font = CachedTTFont("test-fast-dejavu", path)
    except OSError:
        pytest.skip(f"{path} not installed")
    pdfmetrics.registerFont(font)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True, initialFontName=font.fontName)
    _Writer(canvas, font.fontName).show("Ééàüñ Åç", 50, 700, 12)
    canvas.showPage()
    canvas.save()
    page = pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    assert page.extract_text() == "Ééàüñ Åç"
    stream = page["/Resources"]["/Font"]["/F1+0"]["/FontDescriptor"]["/FontFile2"].get_object()
    assert len(zlib.decompress(stream._data)) == stream["/Length1"]


def test_codes_are_assigned_as_reportlab_assigns_them() -> None:
    # CachedTTFont.assign_codes (slices and dictionary updates) against splitString (one by one):
    # the same codes, subsets and state, over several subsets, missing characters and U+00A0.
    import random

    font = choose_font()
    if not font.embedded:
        pytest.skip("no TrueType CJK font on this machine")
    ttf = pdfmetrics.getFont(font.name)
    rnd = random.Random(3)
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 900)] + list("abc 123\xa0\u0001\U0001f600—")
    for _ in range(40):
        theirs, ours = Canvas(io.BytesIO()), Canvas(io.BytesIO())
        for _ in range(rnd.randint(1, 3)):
            text = "".join(rnd.choice(pool) for _ in range(rnd.randint(0, 500)))
            split = ttf.splitString(text, theirs._doc)
            assert ttf.assign_codes(text, ours._doc) == [s << 8 | c for s, chunk in split for c in chunk]
        a, b = ttf.state[theirs._doc], ttf.state[ours._doc]
        assert (a.assignments, a.subsets, a.nextCode) == (b.assignments, b.subsets, b.nextCode)


def test_to_unicode_cmaps_are_reportlabs() -> None:
    from reportlab.pdfbase.ttfonts import makeToUnicodeCMap

    from app.letters.fontcache import _to_unicode_cmap

    for subset in ([0], [0, 0x4E00], [0, *range(0x4E00, 0x4E00 + 255)], [0, 32, 0x10000, 65]):
        assert _to_unicode_cmap("AAAAAA+Font", subset) == makeToUnicodeCMap("AAAAAA+Font", subset)
