"""Print a ``Letter`` as a DOCX with python-docx: the same content as the PDF, editable in WPS and Word.

Layout as ``app.letters.pdf`` (GB/T 9704-2012): A4, margins 37/35/28/26 mm, a 22 × 28 document grid,
body 3号仿宋 with exact 28.95 pt line spacing, 2号 title, red 发文机关标志 and rule, signature centred over
the date, "— 1 —" page numbers outside (odd pages right, even pages left).

python-docx pitfalls (design.md §9): ``run.font.name`` sets only the Latin font, so every run and the
Normal style also get ``w:eastAsia`` on ``w:rFonts`` (else WPS/Word show Chinese in a fallback font);
control characters make lxml raise, so every string goes through ``clean_text`` first.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from app.letters.model import KIND_LABELS, Letter, attachment_lines
from app.letters.text import clean_text, display_width

BODY_FONT = "仿宋"  # GB/T 9704: body in 3号仿宋 (Windows' simfang.ttf is called 仿宋)
TITLE_FONT = "宋体"  # 小标宋 is not on every machine; 宋体 bold is
BODY_SIZE = 16.0  # 3号 as Word counts it; the document grid fits 28 characters a line
TITLE_SIZE = 22.0  # 2号
HEADER_SIZE = 26.0
PAGE_NUMBER_SIZE = 14.0  # 4号
LINE_PITCH = Pt(28.95)  # 22 lines on the 225 mm text block
RED = RGBColor(0xD8, 0x23, 0x1B)
CHAR = BODY_SIZE
TEXT_WIDTH_CHARS = 28
# The w:pPr children that follow w:pBdr (ECMA-376 Part 1, 17.3.1.26).
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_ATTACHMENT_NUMBER = re.compile(r"(?:附件：)?(\d+\.)?")


def _fonts(rpr: BaseOxmlElement, name: str) -> None:
    """Set every script's font on a run or style properties element (``w:rPr``)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _run(
    paragraph: DocxParagraph, text: str, *, font: str, size: float, bold: bool = False, red: bool = False
) -> None:
    lines = clean_text(text).split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.font.size = Pt(size)
        run.font.bold = bold or None
        if red:
            run.font.color.rgb = RED
        _fonts(run._r.get_or_add_rPr(), font)
        if i < len(lines) - 1:
            run.add_break()


def _format(
    paragraph: DocxParagraph,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_chars: float = 0.0,
    left: float = 0.0,
    right: float = 0.0,
    pitch: Length = LINE_PITCH,
) -> None:
    pf = paragraph.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = pitch
    pf.first_line_indent = Pt(first_chars * CHAR) if first_chars else None
    pf.left_indent = Pt(left) if left else None
    pf.right_indent = Pt(right) if right else None
    pf.widow_control = True
    if first_chars > 0:
        # WPS and Word measure "首行缩进2字符" in hundredths of a character.
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), str(round(first_chars * 100)))


def _body(doc: DocxDocument, text: str, *, indent: bool = True) -> DocxParagraph:
    p = doc.add_paragraph()
    _format(p, first_chars=2 if indent else 0)
    _run(p, text, font=BODY_FONT, size=BODY_SIZE)
    return p


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Pt(PAGE_NUMBER_SIZE)  # the number 7 mm below the text block
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    # 22 lines × 28 characters: line pitch 579 twips; character pitch 156 mm / 28 = 15.79 pt, i.e.
    # 16 pt − 0.207 pt, which Word writes as charSpace = −0.207 × 4096 ≈ −849.
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), "579")
    grid.set(qn("w:charSpace"), "-849")


def _normal_style(doc: DocxDocument) -> None:
    style = doc.styles["Normal"]
    style.font.size = Pt(BODY_SIZE)
    rpr = style.element.get_or_add_rPr()
    _fonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    # Chinese line breaking rules (禁则) in Word/WPS follow the East Asian language.
    lang.set(qn("w:eastAsia"), "zh-CN")


def _page_number(paragraph: DocxParagraph, *, odd: bool) -> None:
    """The page number "— PAGE —" in 4号, one character in from the outside edge (GB/T 9704-2012 7.5)."""
    side = Pt(PAGE_NUMBER_SIZE)
    _format(
        paragraph,
        align=WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT,
        right=side.pt if odd else 0.0,
        left=0.0 if odd else side.pt,
        pitch=Pt(PAGE_NUMBER_SIZE * 1.2),
    )
    _run(paragraph, "— ", font=TITLE_FONT, size=PAGE_NUMBER_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(round(PAGE_NUMBER_SIZE * 2)))
    rpr.append(size)
    _fonts(rpr, TITLE_FONT)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(rpr)
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    _run(paragraph, " —", font=TITLE_FONT, size=PAGE_NUMBER_SIZE)


def _red_rule(paragraph: DocxParagraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")  # eighths of a point: 1.5 pt
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), str(RED))
    borders.append(bottom)
    # OOXML fixes the order of w:pPr children; Word refuses a w:pBdr after w:spacing or w:jc.
    ppr.insert_element_before(borders, *_AFTER_PBDR)


def render_docx(letter: Letter) -> bytes:
    """The letter as DOCX bytes."""
    doc = Document()
    _page_setup(doc)
    _normal_style(doc)
    props = doc.core_properties
    props.title = clean_text(letter.title)
    props.subject = KIND_LABELS[letter.kind]
    props.author = clean_text(letter.header)
    props.last_modified_by = clean_text(letter.header)
    props.comments = ""
    moment = dt.datetime.combine(letter.date, dt.time(), tzinfo=dt.UTC)
    props.created = props.modified = moment
    props.revision = 1

    # 发文机关标志 (red, centred), 文号 centred under it, the red rule (GB/T 9704-2012 7.2).
    header = clean_text(letter.header)
    width = display_width(header) or 1.0
    size = max(BODY_SIZE, min(HEADER_SIZE, HEADER_SIZE * TEXT_WIDTH_CHARS * CHAR / (width * HEADER_SIZE)))
    p = doc.add_paragraph()
    _format(p, align=WD_ALIGN_PARAGRAPH.CENTER, pitch=Pt(size * 1.3))
    _run(p, header, font=TITLE_FONT, size=size, bold=True, red=True)
    p = doc.add_paragraph()
    _format(p, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(p, letter.doc_number, font=BODY_FONT, size=BODY_SIZE)
    _red_rule(p)
    # 标题 (2号), one line of space around it.
    p = doc.add_paragraph()
    _format(p, align=WD_ALIGN_PARAGRAPH.CENTER, pitch=Pt(33))
    p.paragraph_format.space_before = Pt(14)
    p.paragraph_format.space_after = Pt(14)
    _run(p, letter.title, font=TITLE_FONT, size=TITLE_SIZE, bold=True)
    # 主送机关 flush left with a full-width colon; the body indented two characters.
    _body(doc, letter.addressee + "：", indent=False)
    for paragraph in letter.paragraphs:
        _body(doc, paragraph.text)
    if letter.closing.strip():
        closing = _body(doc, letter.closing)
        closing.paragraph_format.keep_with_next = True
    # 附件说明 (7.3.4): one line below the body; numbered names after "附件："; a long name wraps under
    # its own first character.
    if letter.attachments:
        _body(doc, "", indent=False).paragraph_format.keep_with_next = True
        for line in attachment_lines(letter.attachments):
            label = 3.0 if line.startswith("附件：") else 0.0
            numbered = _ATTACHMENT_NUMBER.match(line)
            number = display_width(numbered.group(1) or "") if numbered else 0.0
            p = doc.add_paragraph()
            _format(p, left=(2 + 3 + number) * CHAR, first_chars=-(label + number))
            p.paragraph_format.keep_with_next = True
            _run(p, line, font=BODY_FONT, size=BODY_SIZE)
    # 发文机关署名 centred over 成文日期, the date four characters from the right (7.3.5); two empty
    # lines above for the seal; the whole block kept on the page of the closing (7.3.5.4).
    for _ in range(2):
        _body(doc, "", indent=False).paragraph_format.keep_with_next = True
    signature = clean_text(letter.signature).replace("\n", "")
    sig_chars, date_chars = display_width(signature), display_width(letter.date_text)
    date_right = 4.0
    sig_right = date_right + (date_chars - sig_chars) / 2
    if sig_right < 2:
        sig_right = 2.0
        date_right = sig_right + (sig_chars - date_chars) / 2
    if sig_chars > TEXT_WIDTH_CHARS - sig_right:
        sig_right = 0.0
    p = doc.add_paragraph()
    _format(p, align=WD_ALIGN_PARAGRAPH.RIGHT, right=sig_right * CHAR)
    p.paragraph_format.keep_with_next = True
    _run(p, signature, font=BODY_FONT, size=BODY_SIZE)
    p = doc.add_paragraph()
    _format(p, align=WD_ALIGN_PARAGRAPH.RIGHT, right=max(date_right, 0.0) * CHAR)
    _run(p, letter.date_text, font=BODY_FONT, size=BODY_SIZE)
    if letter.contact.strip():
        p.paragraph_format.keep_with_next = True
        _body(doc, letter.contact)  # 附注 (7.3.6)

    section = doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def docx_text(data: bytes) -> str:
    """The paragraphs of a DOCX as plain text, one per line (for checks such as ``yishen self-test``)."""
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
