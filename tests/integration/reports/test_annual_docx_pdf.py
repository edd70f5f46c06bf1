"""The annual report as DOCX and PDF, read back: the official labels and merged cells of 30号, every
number in its cell, the check line, the CJK font (East Asian font on every DOCX run; embedded in the PDF)
and agency names full of markup and control characters."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from app.domain.codes import FINDING_ORDER
from app.law.findings import entry
from app.letters.fonts import choose_font
from app.letters.report_docx import write_annual_docx
from app.letters.report_pdf import MARGIN_X, SECTION3_WIDTHS, SECTION4_WIDTHS, write_annual_pdf
from app.reports.annual import AnnualReport, annual_report
from app.reports.table import (
    COLUMN_LABELS,
    SECTION3_CORNER,
    SECTION3_LAYOUT,
    SECTION3_TITLE,
    SECTION4_TITLE,
    section4_rows,
    table_rows,
)
from tests.unit.reports.test_annual import mixed_year

AGENCY = "某市某区人民政府办公室"
TITLE = f"{AGENCY}政府信息公开工作年度报告（2025年）"
FIVE = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
HOSTILE = {
    "markup": '<b>某局</b><img src="http://127.0.0.1:9/x.png"/><font size=40>',
    "ampersand": "A&B 市场监管局 &amp; &#x41; &",
    "control": "某局\x00\x07\x1b[31m\u202e\ufffe\r\n办公室\t",
    "long": "某" * 400,
    "emoji": "😀某局",
}


@pytest.fixture(scope="module")
def report() -> AnnualReport:
    return annual_report(mixed_year(), 2025)


def _failing(report: AnnualReport) -> AnnualReport:
    rows = dict(report.rows)
    rows["carried_out"] = (1, *rows["carried_out"][1:-1], rows["carried_out"][-1] + 1)
    return AnnualReport(
        2025, rows, report.reconsideration, report.litigation_direct, report.litigation_after_reconsideration
    )


def _docx(report: AnnualReport, agency: str | None = AGENCY) -> Any:
    stream = io.BytesIO()
    write_annual_docx(report, stream, agency_name=agency)
    return docx.Document(io.BytesIO(stream.getvalue()))


def _pdf(report: AnnualReport, agency: str | None = AGENCY) -> pypdf.PdfReader:
    stream = io.BytesIO()
    write_annual_pdf(report, stream, agency_name=agency)
    data = stream.getvalue()
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# DOCX ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def document(report: AnnualReport) -> Any:
    return _docx(report)


class Cells:
    """A DOCX table read once (python-docx re-reads the whole table on every ``table.cell`` call):
    ``text[r][c]`` and the merged cell covering each position."""

    def __init__(self, table: Any) -> None:
        rows = [row.cells for row in table.rows]
        self.tcs = [[cell._tc for cell in row] for row in rows]
        self.text = [[cell.text for cell in row] for row in rows]
        self.paragraphs = [[cell.paragraphs for cell in row] for row in rows]
        self.shape = (len(rows), len(rows[0]))

    def span(self, row: int, col: int) -> tuple[int, int, int, int]:
        """(first row, first column, last row, last column) of the merged cell covering (row, col)."""
        tc = self.tcs[row][col]
        at = [(r, c) for r, tcs in enumerate(self.tcs) for c, other in enumerate(tcs) if other is tc]
        return at[0][0], at[0][1], at[-1][0], at[-1][1]

    def find(self, text: str) -> tuple[int, int]:
        for r, row in enumerate(self.text):
            if text in row:
                return r, row.index(text)
        raise AssertionError(f"{text!r} not in the table")

    def counts(self, row: int, first: int, last: int) -> list[int]:
        return [int(t) for t in self.text[row][first : last + 1]]


@pytest.fixture(scope="module")
def table3(document: Any) -> Cells:
    return Cells(document.tables[0])


@pytest.fixture(scope="module")
def table4(document: Any) -> Cells:
    return Cells(document.tables[1])


def test_docx_title_headings_and_landscape_page(document: Any) -> None:
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == TITLE
    assert SECTION3_TITLE in texts and SECTION4_TITLE in texts
    section = document.sections[0]
    assert section.page_width > section.page_height  # A4 landscape for the seven count columns
    assert round(section.page_width.mm) == 297
    assert len(document.tables) == 2


def test_docx_table_3_headers_are_the_official_multi_level_ones(table3: Cells) -> None:
    t = table3
    assert t.shape == (3 + len(SECTION3_LAYOUT), 10)
    assert t.text[0][0] == SECTION3_CORNER
    assert t.span(0, 0) == (0, 0, 2, 2)
    assert t.span(*t.find("申请人情况")) == (0, 3, 0, 9)
    assert t.span(*t.find("自然人")) == (1, 3, 2, 3)
    assert t.span(*t.find("法人或其他组织")) == (1, 4, 1, 8)
    assert t.text[2][4:9] == list(COLUMN_LABELS[1:6])
    assert t.span(*t.find("总计")) == (1, 9, 2, 9)


def test_docx_table_3_rows_carry_the_official_labels_and_the_numbers(
    table3: Cells, report: AnnualReport
) -> None:
    t = table3
    r = t.find("一、本年新收政府信息公开申请数量")[0]
    assert t.span(r, 0) == (r, 0, r, 2)
    assert t.counts(r, 3, 9) == [5, 6, 5, 4, 4, 4, 28]
    r = t.find("二、上年结转政府信息公开申请数量")[0]
    assert t.counts(r, 3, 9) == [2, 1, 0, 0, 1, 0, 4]
    r = t.find("三、本年度办理结果")[0]
    assert t.span(r, 0) == (r, 0, r + len(FINDING_ORDER), 0)
    group = t.find("（三）不予公开")
    assert t.span(*group) == (group[0], 1, group[0] + 7, 1)
    for finding in FINDING_ORDER:
        e = entry(finding)
        r, c = t.find(e.row_item or e.row_group)
        assert c == (2 if e.row_item else 1)
        assert t.counts(r, 3, 9) == list(report.row(finding)), finding
    r = t.find("（七）总计")[0]
    assert t.counts(r, 3, 9) == [7, 6, 4, 3, 4, 3, 27]
    r = t.find("四、结转下年度继续办理")[0]
    assert t.counts(r, 3, 9) == [0, 1, 1, 1, 1, 1, 5]
    # Every row of table_rows, in order, in the count columns.
    assert [t.counts(3 + i, 3, 9) for i in range(len(SECTION3_LAYOUT))] == [
        counts for _, counts in table_rows(report)
    ]


def test_docx_check_line_follows_table_3(document: Any) -> None:
    body = document.element.body
    after = body.index(document.tables[0]._tbl) + 1
    check = "".join(t.text or "" for t in body[after].iter(qn("w:t")))
    assert check.startswith("勾稽关系核对") and "各列均相符" in check


def test_docx_table_4_headers_and_numbers(table4: Cells) -> None:
    t = table4
    assert t.shape == (4, 15)
    assert t.span(*t.find("行政复议")) == (0, 0, 0, 4)
    assert t.span(*t.find("行政诉讼")) == (0, 5, 0, 14)
    assert t.span(*t.find("未经复议直接起诉")) == (1, 5, 1, 9)
    assert t.span(*t.find("复议后起诉")) == (1, 10, 1, 14)
    assert t.text[1][:5] == FIVE
    assert all(t.span(1, c) == (1, c, 2, c) for c in range(5))
    assert t.text[2][5:] == FIVE * 2
    assert t.counts(3, 0, 14) == [*(2, 2, 1, 2, 7), *(1, 1, 1, 1, 4), *(1, 1, 0, 1, 3)]


def test_docx_every_run_has_an_east_asian_font_and_the_tables_are_bordered(
    document: Any, table3: Cells, table4: Cells
) -> None:
    runs = list(document.element.body.iter(qn("w:r")))
    assert runs
    for run in runs:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")) in {"宋体", "黑体"}, run.xml
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "宋体"
    for table in document.tables:
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.tag.split("}")[1] for b in borders if b.get(qn("w:val")) == "single"} == {
            "top",
            "left",
            "bottom",
            "right",
            "insideH",
            "insideV",
        }
    # Numbers centred; one paragraph per cell, so an edit in Word lands in the cell's only line.
    for t in (table3, table4):
        for texts, paragraphs in zip(t.text, t.paragraphs, strict=True):
            for text, paras in zip(texts, paragraphs, strict=True):
                assert len(paras) == 1
                if text.isdigit():
                    assert paras[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_docx_failed_check_is_stated_in_red(report: AnnualReport) -> None:
    document = _docx(_failing(report))
    body = document.element.body
    para = body[body.index(document.tables[0]._tbl) + 1]
    text = "".join(t.text or "" for t in para.iter(qn("w:t")))
    assert "不相符" in text and "自然人" in text
    colors = {c.get(qn("w:val")) for c in para.iter(qn("w:color"))}
    assert colors == {"C00000"}


# PDF -------------------------------------------------------------------------------------------------


def _positions(page: Any) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run drawn on the page, in PDF user space."""
    out: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            out.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return out


def _number_grid(page: Any, widths: tuple[float, ...], first_count: int) -> list[list[int]]:
    """The numbers on the page by row (top to bottom), each row as one number per count column,
    placed in the column whose left and right edges contain the number's start."""
    edges = [MARGIN_X]
    for w in widths:
        edges.append(edges[-1] + w)
    n_counts = len(widths) - first_count
    rows: dict[float, list[int | None]] = {}
    for x, y, text in _positions(page):
        if not text.isdigit():
            continue
        col = next(i for i in range(len(widths)) if edges[i] <= x < edges[i + 1])
        assert col >= first_count, (text, x)
        row = rows.setdefault(round(y, 1), [None] * n_counts)
        assert row[col - first_count] is None, (text, x, y)
        row[col - first_count] = int(text)
    return [[n for n in rows[y] if n is not None] for y in sorted(rows, reverse=True)]


@pytest.fixture(scope="module")
def reader(report: AnnualReport) -> pypdf.PdfReader:
    return _pdf(report)


def test_pdf_has_table_3_on_page_1_and_table_4_on_page_2(reader: pypdf.PdfReader) -> None:
    assert len(reader.pages) == 2
    first, second = (_squeeze(p.extract_text()) for p in reader.pages)
    assert first.startswith(TITLE + SECTION3_TITLE)
    assert SECTION4_TITLE not in first and second.startswith(SECTION4_TITLE)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert width > height  # landscape


def test_pdf_table_3_labels_and_every_number_in_its_cell(
    reader: pypdf.PdfReader, report: AnnualReport
) -> None:
    text = _squeeze(reader.pages[0].extract_text())
    labels = [
        SECTION3_CORNER,
        "申请人情况",
        "法人或其他组织",
        *COLUMN_LABELS,
        *(part for spec in SECTION3_LAYOUT for part in (spec.section, spec.group, spec.item) if part),
    ]
    for label in labels:
        assert _squeeze(label) in text, label
    assert "勾稽关系核对" in text and "各列均相符" in text
    assert _number_grid(reader.pages[0], SECTION3_WIDTHS, 3) == [counts for _, counts in table_rows(report)]


def test_pdf_table_4_labels_and_numbers(reader: pypdf.PdfReader, report: AnnualReport) -> None:
    text = _squeeze(reader.pages[1].extract_text())
    for label in ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", *FIVE):
        assert label in text
    assert text.count("结果维持") == 3
    assert _number_grid(reader.pages[1], SECTION4_WIDTHS, 0) == [
        [n for _, block in section4_rows(report) for n in block]
    ]


def test_pdf_embeds_the_chosen_cjk_font(report: AnnualReport) -> None:
    choice = choose_font()
    if not choice.embedded:
        pytest.skip("no CJK TrueType font on this machine: the built-in CID font is used")
    stream = io.BytesIO()
    assert write_annual_pdf(report, stream, agency_name=AGENCY) == choice
    reader = pypdf.PdfReader(io.BytesIO(stream.getvalue()))
    for page in reader.pages:
        fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
        truetype = [f for f in fonts if f["/Subtype"] == "/TrueType"]
        assert truetype
        family = choice.family.replace(" ", "").replace("ARPL", "")
        assert all(family in f["/BaseFont"] for f in truetype), [f["/BaseFont"] for f in truetype]
        assert all("/FontFile2" in f["/FontDescriptor"] for f in truetype)


def test_pdf_with_the_builtin_font_still_renders(report: AnnualReport) -> None:
    stream = io.BytesIO()
    choice = write_annual_pdf(report, stream, agency_name=AGENCY, font=choose_font(candidates=()))
    assert (choice.name, choice.embedded) == ("STSong-Light", False)
    assert len(pypdf.PdfReader(io.BytesIO(stream.getvalue())).pages) == 2


def test_pdf_failed_check_is_stated(report: AnnualReport) -> None:
    text = _squeeze(_pdf(_failing(report)).pages[0].extract_text())
    assert "不相符" in text and "自然人（一+二＝7，（七）+四＝8）" in text


# Both ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_agency_names_print_as_text(kind: str, report: AnnualReport) -> None:
    name = HOSTILE[kind]
    title = _docx(report, name).paragraphs[0].text
    pdf_text = _squeeze("".join(p.extract_text() for p in _pdf(report, name).pages))
    for text in (_squeeze(title), pdf_text):
        assert "政府信息公开工作年度报告（2025年）" in text
        if kind != "emoji":  # a glyph the PDF font lacks is drawn as its .notdef box, extracted as NUL
            assert not re.search("[\x00-\x08\x0b-\x1f\u202e\ufffe]", text)
    if kind == "markup":
        assert title.startswith(name)  # printed as typed, not interpreted
        assert pdf_text.startswith(_squeeze(name))
    if kind == "ampersand":
        assert title.startswith(name)
        assert pdf_text.startswith(_squeeze(name))
    if kind == "emoji":
        assert title == "😀某局政府信息公开工作年度报告（2025年）"  # Word and WPS fall back to an emoji font
    if kind == "control":
        assert title.startswith("某局[31m") and "办公室" in title


def test_without_an_agency_the_title_is_the_report_s_own(report: AnnualReport) -> None:
    assert _docx(report, None).paragraphs[0].text == "政府信息公开工作年度报告（2025年）"
    assert _squeeze(_pdf(report, None).pages[0].extract_text()).startswith(
        "政府信息公开工作年度报告（2025年）"
    )


@pytest.mark.parametrize("as_str", [True, False], ids=["str-path", "Path"])
def test_both_formats_write_to_a_path(tmp_path: Path, report: AnnualReport, as_str: bool) -> None:
    docx_path, pdf_path = tmp_path / "年度报告.docx", tmp_path / "年度报告.pdf"
    write_annual_docx(report, str(docx_path) if as_str else docx_path, agency_name=AGENCY)
    write_annual_pdf(report, str(pdf_path) if as_str else pdf_path, agency_name=AGENCY)
    assert docx.Document(str(docx_path)).paragraphs[0].text == TITLE
    assert len(pypdf.PdfReader(pdf_path).pages) == 2
