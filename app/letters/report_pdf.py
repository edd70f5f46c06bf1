"""Tables 三 and 四 of the annual report as a PDF in the official layout of 30号 (reportlab platypus).

A4 landscape: page 1 has the report title, table 三 (the multi-level headers and merged row labels of
30号, spans in a platypus ``Table``) and its check line; page 2 has table 四. The cells come from
``app.reports.grid``, the same ones the DOCX and XLSX show. Labels are ``Paragraph``s so long ones wrap
(``wordWrap='CJK'``); every string is cleaned (``clean_text``) and escaped for Paragraph markup, since
the agency's name is typed by a user (design.md §9: an ``<img src=…>`` would be fetched). The CJK font
is ``choose_font()``'s (embedded unless only the built-in CID font is available) and is returned.

Table 三 must stay on one page (its 三、本年度办理结果 cell spans 22 rows and cannot be split well), so
the cell font shrinks in half-point steps until title, table and check line fit.
"""

from __future__ import annotations

import io
import os
from typing import IO, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.letters.fonts import FontChoice, choose_font
from app.letters.text import clean_text
from app.reports.annual import AnnualReport
from app.reports.grid import Grid, section3_grid, section4_grid
from app.reports.table import SECTION3_TITLE, SECTION4_TITLE, check_text, report_title

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN_X = 15 * mm
MARGIN_Y = 10 * mm  # with 12 mm and 2.5 pt cell padding table 三 only fitted at 8 pt
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X  # 267 mm
TEXT_HEIGHT = PAGE_HEIGHT - 2 * MARGIN_Y
TITLE_SIZE = 16.0  # 三号
HEADING_SIZE = 12.0  # 小四
CELL_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0)  # 五号 first, smaller only when table 三 would not fit
PADDING_X = 3.0
PADDING_Y = 2.0
RED = colors.HexColor("#C00000")
LINE = 0.6

# Table 三: three label columns (一、… / （一）… / 1.…) then seven counts; table 四: fifteen counts.
# A count column holds four characters a line at 9–10.5 pt, so "社会公益组织" breaks as 社会公益/组织
# (at 8 pt it broke 社会公益组/织); the first column holds "三、本年度" and the second "（三）不予公开"
# on one line; the item column gets the rest, so only the two longest items of （六） take two lines.
_COUNT = 50.0
_T3_LABELS = (60.0, 80.0)
SECTION3_WIDTHS: tuple[float, ...] = (
    *_T3_LABELS,
    TEXT_WIDTH - sum(_T3_LABELS) - 7 * _COUNT,
    *([_COUNT] * 7),
)
SECTION4_WIDTHS: tuple[float, ...] = tuple([TEXT_WIDTH / 15] * 15)


def markup(text: str) -> str:
    """``text`` safe for a reportlab ``Paragraph``: cleaned, markup characters escaped, lines kept."""
    return escape(clean_text(text)).replace("\n", "<br/>")


def _style(
    name: str,
    font: str,
    size: float,
    *,
    align: int = TA_LEFT,
    color: Any = colors.black,
    leading: float = 1.2,
) -> Any:
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=round(size * leading, 1),
        alignment=align,
        wordWrap="CJK",
        textColor=color,
    )


def _table(grid: Grid, widths: tuple[float, ...], font: str, size: float) -> Any:
    label = _style("label", font, size)
    head = _style("head", font, size, align=TA_CENTER)
    data: list[list[Any]] = [[""] * grid.n_cols for _ in range(grid.n_rows)]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, size),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("TOPPADDING", (0, 0), (-1, -1), PADDING_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING_Y),
        ("GRID", (0, 0), (-1, -1), LINE, colors.black),
    ]
    for cell in grid.cells:
        if cell.role == "count":
            data[cell.row][cell.col] = cell.text  # a plain string: drawn centred in the cell font
        else:
            style = label if cell.role == "label" else head
            data[cell.row][cell.col] = Paragraph(markup(cell.text), style)
        if cell.rows > 1 or cell.cols > 1:
            commands.append(("SPAN", (cell.col, cell.row), (cell.last_col, cell.last_row)))
    return Table(data, colWidths=list(widths), repeatRows=grid.header_rows, style=TableStyle(commands))


def _first_page(report: AnnualReport, title: str, font: str, size: float) -> list[Flowable]:
    failed = not report.check_ok
    check = _style("check", font, size, color=RED if failed else colors.black)
    return [
        Paragraph(markup(title), _style("title", font, TITLE_SIZE, align=TA_CENTER)),
        Spacer(1, 8),
        Paragraph(markup(SECTION3_TITLE), _style("heading", font, HEADING_SIZE)),
        Spacer(1, 4),
        _table(section3_grid(report), SECTION3_WIDTHS, font, size),
        Spacer(1, 4),
        # The check 一 + 二 = 三（七）总计 + 四, stated under table 三 (domain.md §7.1); red when it fails.
        Paragraph(markup(check_text(report)), check),
    ]


def _height(flowables: list[Flowable]) -> float:
    return sum(float(f.wrap(TEXT_WIDTH, TEXT_HEIGHT)[1]) for f in flowables)


def write_annual_pdf(
    report: AnnualReport,
    path_or_stream: str | os.PathLike[str] | IO[bytes],
    *,
    agency_name: str | None = None,
    font: FontChoice | None = None,
) -> FontChoice:
    """Write tables 三 and 四 of ``report`` as a PDF (a path or a binary stream); returns the font used.

    ``font`` defaults to ``choose_font()`` (no configured font).
    """
    choice = font or choose_font()
    agency = clean_text(agency_name or "").replace("\n", " ").strip()
    title = report_title(agency, report.year)
    size = CELL_SIZES[-1]
    for candidate in CELL_SIZES:
        if _height(_first_page(report, title, choice.name, candidate)) <= TEXT_HEIGHT:
            size = candidate
            break
    story = _first_page(report, title, choice.name, size)
    story += [
        PageBreak(),
        Paragraph(markup(SECTION4_TITLE), _style("heading", choice.name, HEADING_SIZE)),
        Spacer(1, 4),
        _table(section4_grid(report), SECTION4_WIDTHS, choice.name, size),
    ]
    target = os.fspath(path_or_stream) if isinstance(path_or_stream, os.PathLike) else path_or_stream
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_Y,
        bottomMargin=MARGIN_Y,
        title=title,
        author=agency,
        subject=SECTION3_TITLE,
        creator="yishen",
        invariant=True,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_Y,
        TEXT_WIDTH,
        TEXT_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="report", frames=[frame])])
    doc.build(story)
    # Built in memory first so a failed build leaves no half-written file behind.
    if isinstance(target, str):
        with open(target, "wb") as f:
            f.write(buffer.getvalue())
    else:
        target.write(buffer.getvalue())
    return choice
