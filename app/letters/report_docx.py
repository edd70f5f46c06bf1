"""Tables 三 and 四 of the annual report as a DOCX in the official layout of 30号, editable in Word and WPS.

A4 landscape (seven count columns next to three label columns), the report title, table 三 with the
multi-level headers and merged row labels of 30号 and its check line under it, then table 四 on the
next page. The cells come from ``app.reports.grid`` (the XLSX and PDF show the same ones).

python-docx pitfalls (design.md §9) as in ``app.letters.docx``: every run and the Normal style get
``w:eastAsia`` on ``w:rFonts`` (else WPS and Word show Chinese in a fallback font), and every string goes
through ``clean_text`` first (control characters make lxml raise). Borders are set on the table
itself, not through a table style, so they survive a copy into a document without "Table Grid".
"""

from __future__ import annotations

import os
from typing import IO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from app.letters.text import clean_text
from app.reports.annual import AnnualReport
from app.reports.grid import Grid, section3_grid, section4_grid
from app.reports.table import SECTION3_TITLE, SECTION4_TITLE, check_text, report_title

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
TITLE_SIZE = 16.0  # 三号
HEADING_SIZE = 14.0  # 四号
CELL_SIZE = 10.5  # 五号
# Lines in the cells are exactly this high, so table 三 keeps to one page whatever font Word or WPS
# substitutes for 宋体 (LibreOffice's fallback at single spacing pushed the last row onto page 2).
CELL_PITCH = 14.0
RED = RGBColor(0xC0, 0x00, 0x00)
MARGIN_X = Mm(15)
MARGIN_Y = Mm(12)
CELL_MARGIN = 57  # twips (1 mm) left and right of the text in a cell; Word's default is 108
# Table 三: the label columns (一、… / （一）… / 1.…) and seven counts fill the 267 mm text width. With
# 五号 text: "三、本年度" on a line of the first column, "（三）不予公开" on one line of the second,
# "社会公益/组织" on two lines of a count column (four characters a line).
SECTION3_WIDTHS = (Mm(21), Mm(30), Mm(90), *([Mm(18)] * 7))
SECTION4_WIDTHS = tuple([Mm(17.8)] * 15)  # "结果维持" on one line


def _fonts(rpr: BaseOxmlElement, name: str) -> None:
    """Set every script's font on a ``w:rPr`` (``run.font.name`` alone leaves Chinese in a fallback font)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _write(
    paragraph: Paragraph,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = CELL_SIZE,
    bold: bool = False,
    red: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    pitch: float | None = None,
) -> None:
    """Fill an empty paragraph: ``pitch`` fixes the line height in points, else single spacing."""
    pf = paragraph.paragraph_format
    pf.alignment = align
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if pitch is None:
        pf.line_spacing = 1.0
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(pitch)
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


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = MARGIN_X
    section.top_margin = section.bottom_margin = MARGIN_Y
    style = doc.styles["Normal"]
    style.font.size = Pt(CELL_SIZE)
    rpr = style.element.get_or_add_rPr()
    _fonts(rpr, BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")  # Chinese line-breaking rules (禁则) in Word and WPS


def _borders_and_margins(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")  # eighths of a point: ½ pt
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    # OOXML fixes the order of w:tblPr children (ECMA-376 Part 1, 17.4.60); Word rejects it otherwise.
    tbl_pr = table._tbl.tblPr
    tbl_pr.insert_element_before(
        borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
    )
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _mark_header_rows(table: Table, count: int) -> None:
    """Repeat the header rows on a following page and never split a row between pages."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # w:cantSplit precedes w:tblHeader (17.4.82)
        if i < count:
            tr_pr.append(OxmlElement("w:tblHeader"))


def _table(doc: DocxDocument, grid: Grid, widths: tuple[int, ...]) -> None:
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed: the widths below, not Word's guess from the content
    _borders_and_margins(table)
    # The widths go on the grid (w:gridCol) and on every cell (w:tcW), so no reader has to guess.
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    # The cell elements by position, taken before any merge: ``table.cell(r, c)`` re-reads the whole
    # table on every call (measured: over a second per document).
    tcs = [list(tr.tc_lst) for tr in table._tbl.tr_lst]
    for row in tcs:
        for tc, width in zip(row, widths, strict=True):
            tc.width = width
    for spec in grid.cells:
        cell = _Cell(tcs[spec.row][spec.col], table)
        if spec.rows > 1 or spec.cols > 1:
            cell = cell.merge(_Cell(tcs[spec.last_row][spec.last_col], table))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _write(
            cell.paragraphs[0],
            spec.text,
            bold=spec.role == "head",
            align=WD_ALIGN_PARAGRAPH.LEFT if spec.role == "label" else WD_ALIGN_PARAGRAPH.CENTER,
            pitch=CELL_PITCH,
        )
    _mark_header_rows(table, grid.header_rows)


def _heading(doc: DocxDocument, text: str, *, page_break: bool = False) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    if page_break:
        p.paragraph_format.page_break_before = True
    _write(p, text, font=TITLE_FONT, size=HEADING_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
    p.paragraph_format.space_after = Pt(4)


def write_annual_docx(
    report: AnnualReport,
    path_or_stream: str | os.PathLike[str] | IO[bytes],
    *,
    agency_name: str | None = None,
) -> None:
    """Write tables 三 and 四 of ``report`` as a DOCX file (a path or a binary stream)."""
    agency = clean_text(agency_name or "").replace("\n", " ").strip()
    title = report_title(agency, report.year)
    doc = Document()
    _page_setup(doc)
    props = doc.core_properties
    # python-docx refuses core properties over 255 characters; the page shows the whole name.
    props.title = title[:255]
    props.author = props.last_modified_by = agency[:255]
    props.comments = ""

    p = doc.add_paragraph()
    _write(p, title, font=TITLE_FONT, size=TITLE_SIZE)
    p.paragraph_format.space_after = Pt(8)
    _heading(doc, SECTION3_TITLE)
    _table(doc, section3_grid(report), SECTION3_WIDTHS)
    # The check 一 + 二 = 三（七）总计 + 四, stated under table 三 (domain.md §7.1); red when it fails.
    p = doc.add_paragraph()
    _write(
        p,
        check_text(report),
        red=not report.check_ok,
        bold=not report.check_ok,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    p.paragraph_format.space_before = Pt(4)

    _heading(doc, SECTION4_TITLE, page_break=True)
    _table(doc, section4_grid(report), SECTION4_WIDTHS)
    doc.save(os.fspath(path_or_stream) if isinstance(path_or_stream, os.PathLike) else path_or_stream)
