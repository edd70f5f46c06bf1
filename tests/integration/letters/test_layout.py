"""Page layout of the PDF and the DOCX (GB/T 9704-2012): page, margins, grid, signature, page numbers."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from app.letters import Letter, LetterKind
from app.letters import pdf as letter_pdf
from app.letters.docx import BODY_FONT, render_docx
from app.letters.fonts import choose_font
from app.letters.pdf import (
    BODY_SIZE,
    CHAR,
    LEADING,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_TOP,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TextBlock,
    render_pdf,
    signature_indents,
)
from tests.unit.letters.samples import make_letter, mixed_case

A4 = (595.2756, 841.8898)


def reply() -> Letter:
    return make_letter(LetterKind.REPLY, mixed_case())


def positions(page: pypdf.PageObject) -> list[tuple[float, float, str]]:
    out: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            # The text origin on the page: the text matrix under the current transformation.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            out.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return out


def test_a_body_line_holds_28_characters_and_a_page_22_lines() -> None:
    font = choose_font().name
    block = TextBlock("政" * 100, font)
    lines = block.lines(TEXT_WIDTH)
    assert [len(line.text) for line in lines] == [26, 28, 28, 18]  # two characters of indent
    assert int(TEXT_HEIGHT // LEADING) == 22
    assert BODY_SIZE * 28 <= TEXT_WIDTH


def test_pdf_page_margins_and_page_numbers() -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(reply())))
    assert len(reader.pages) == 2
    for number, page in enumerate(reader.pages, 1):
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.01)
        texts = positions(page)
        body = [(x, y) for x, y, t in texts if not re.fullmatch(r"— \d+ —", t.strip())]
        assert min(x for x, _ in body) >= MARGIN_LEFT - 0.01
        assert max(y for _, y in body) <= A4[1] - MARGIN_TOP
        assert min(y for _, y in body) >= MARGIN_BOTTOM
        marker = [(x, y) for x, y, t in texts if t.strip() == f"— {number} —"]
        assert len(marker) == 1
        x, y = marker[0]
        assert y < MARGIN_BOTTOM - 7 * 72 / 25.4 + 1
        # GB/T 9704-2012 7.5: odd pages on the right, even pages on the left.
        assert (x > A4[0] / 2) == (number % 2 == 1)


def test_pdf_body_is_indented_two_characters_and_the_addressee_is_flush_left() -> None:
    page = pypdf.PdfReader(io.BytesIO(render_pdf(reply()))).pages[0]
    texts = positions(page)
    addressee = next((x, t) for x, _, t in texts if t.startswith("张三"))
    assert addressee[0] == pytest.approx(MARGIN_LEFT, abs=0.01)
    recital = next(x for x, _, t in texts if t.startswith("本机关于"))
    assert recital == pytest.approx(MARGIN_LEFT + 2 * CHAR, abs=0.01)


def test_signature_is_centred_over_the_date_four_characters_from_the_right() -> None:
    sig, date = signature_indents(10 * CHAR, 7.5 * CHAR)
    assert date == 4 * CHAR
    assert TEXT_WIDTH - sig - 5 * CHAR == pytest.approx(TEXT_WIDTH - date - 3.75 * CHAR)  # same centre
    long_sig, long_date = signature_indents(19 * CHAR, 7.5 * CHAR)
    assert long_sig == 2 * CHAR and long_date == pytest.approx(2 * CHAR + 5.75 * CHAR)


def test_pdf_is_reproducible() -> None:
    letter = reply()
    assert render_pdf(letter) == render_pdf(letter)


def test_a_signature_alone_on_a_page_is_pulled_back_with_a_tighter_line_pitch() -> None:
    # The mixed receipt needs 24 pt instead of 29 pt to keep its signature on page 1 (GB/T 9704 7.3.5.4).
    letter = make_letter(LetterKind.RECEIPT, mixed_case())
    font = choose_font().name
    _, pages, together = letter_pdf._build(letter, font, LEADING)
    assert (pages, together) == (2, False)
    assert len(pypdf.PdfReader(io.BytesIO(render_pdf(letter))).pages) == 1


# --------------------------------------------------------------------------- DOCX


def test_docx_page_setup_fonts_and_page_numbers() -> None:
    data = render_docx(reply())
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(s.mm, 1) for s in sizes] == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579" and grid.get(qn("w:type")) == "linesAndChars"
    # design.md §9: every run names its East Asian font, not only the Latin one.
    runs = [run for p in document.paragraphs for run in p.runs if run.text]
    assert runs
    for run in runs:
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia"))
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == BODY_FONT
    body = next(p for p in document.paragraphs if p.text.startswith("本机关于"))
    assert body.paragraph_format.first_line_indent is not None
    addressee = next(p for p in document.paragraphs if p.text == "张三：")
    assert addressee.paragraph_format.first_line_indent is None
    # Odd pages right, even pages left, each with a PAGE field.
    assert document.settings.odd_and_even_pages_header_footer
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    assert len([f for f in footers if 'w:instr="PAGE"' in f]) == 2
    assert any('w:val="right"' in f for f in footers) and any('w:val="left"' in f for f in footers)


def test_docx_text_matches_the_letter() -> None:
    letter = reply()
    document = docx.Document(io.BytesIO(render_docx(letter)))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == letter.lines()


def test_attachments_print_after_the_closing_in_both_formats() -> None:
    letter = replace(reply(), attachments=("某村土地征收补偿安置方案", "某项目用地预审意见（区分处理后）"))
    pdf_text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render_pdf(letter))).pages)
    squeezed = re.sub(r"\s+", "", pdf_text)
    assert (
        "特此答复。附件：1.某村土地征收补偿安置方案2.某项目用地预审意见（区分处理后）某市自然资源和规划局"
        in squeezed
    )
    document = docx.Document(io.BytesIO(render_docx(letter)))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == letter.lines()


def test_page_breaks_leave_no_single_line_of_a_paragraph_alone() -> None:
    font = choose_font().name
    five = TextBlock("政" * (26 + 28 * 4), font)
    assert len(five.lines(TEXT_WIDTH)) == 5
    assert five.split(TEXT_WIDTH, 1 * LEADING) == []  # an orphan: the paragraph moves whole
    assert [len(p.lines(TEXT_WIDTH)) for p in five.split(TEXT_WIDTH, 2 * LEADING)] == [2, 3]
    assert [len(p.lines(TEXT_WIDTH)) for p in five.split(TEXT_WIDTH, 4 * LEADING)] == [3, 2]  # no widow
    assert TextBlock("政" * 60, font).split(TEXT_WIDTH, 2 * LEADING) == []  # three lines never split
