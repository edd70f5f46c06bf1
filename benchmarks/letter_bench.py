"""Time one 答复书 as PDF and as DOCX (targets: at most 100 ms each, at most 3× a minimal CJK PDF).

Run: .venv/bin/python benchmarks/letter_bench.py [--runs N]

The letter is the mixed reply of the tests (four items: disclosed, 部分公开, withheld, another organ's;
two pages), built once and rendered N times per format, with the layout cache cleared before every
render (the application renders a letter once). The baseline, timed in the same run with the same
embedded font, is a minimal one-page reportlab document: one canvas, one CJK line of text, saved to
memory. Because most of a letter's cost is reportlab embedding the subsets of the glyphs it uses, a
second reference draws the letter's whole text as plain lines on one page (the same glyphs, hence
the same subsets): the ratio to it is what our layout adds. A minimal python-docx document is timed
as the DOCX counterpart. The font is registered before timing (once per process in the application
as well). Medians are reported.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.law.calendar import shipped_calendar
from app.letters import LetterKind, Templates, build_letter
from app.letters.docx import render_docx
from app.letters.fonts import choose_font
from app.letters.pdf import layout_cache_clear as letter_layout_cache_clear
from app.letters.pdf import render_pdf
from tests.unit.letters.samples import AGENCY, DOC_NUMBER, TODAY, mixed_case

PDF_BUDGET_MS = 100.0
RATIO_BUDGET = 3.0


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm up
    times = []
    gc.collect()
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    start = time.perf_counter()
    font = choose_font()
    register_ms = (time.perf_counter() - start) * 1000
    templates = Templates.shipped()
    calendar = shipped_calendar()

    def build() -> object:
        return build_letter(
            LetterKind.REPLY,
            mixed_case(),
            AGENCY,
            calendar,
            TODAY,
            doc_number=DOC_NUMBER,
            templates=templates,
        )

    letter = build_letter(
        LetterKind.REPLY, mixed_case(), AGENCY, calendar, TODAY, doc_number=DOC_NUMBER, templates=templates
    )

    def minimal_pdf() -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, invariant=True)
        canvas.setFont(font.name, 16)
        canvas.drawString(80, 700, "政府信息公开申请答复书")
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    text = letter.plain_text().replace("\n", "")

    def same_glyphs_pdf() -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, invariant=True)
        canvas.setFont(font.name, 7)
        for row in range(0, len(text), 70):
            canvas.drawString(40, 800 - row // 70 * 9, text[row : row + 70])
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    def letter_pdf() -> bytes:
        letter_layout_cache_clear()
        return render_pdf(letter, font=font)

    def minimal_docx() -> bytes:
        document = docx.Document()
        document.add_paragraph("政府信息公开申请答复书")
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    build_ms = median_ms(build, args.runs)
    pdf_ms = median_ms(letter_pdf, args.runs)
    glyphs_ms = median_ms(same_glyphs_pdf, args.runs)
    docx_ms = median_ms(lambda: render_docx(letter), args.runs)
    base_pdf_ms = median_ms(minimal_pdf, args.runs)
    base_docx_ms = median_ms(minimal_docx, args.runs)

    print(f"font: {font.family or font.name} ({font.path or 'built-in'}), registered in {register_ms:.0f} ms")
    print(
        f"letter: {len(letter.paragraphs)} paragraphs, {len(letter.plain_text())} characters; runs: {args.runs}"
    )
    print(f"build_letter            {build_ms:7.2f} ms")
    print(f"minimal CJK PDF         {base_pdf_ms:7.2f} ms   (baseline)")
    print(f"same glyphs, one page   {glyphs_ms:7.2f} ms")
    print(f"minimal DOCX            {base_docx_ms:7.2f} ms")
    print(
        f"答复书 PDF              {pdf_ms:7.2f} ms   {pdf_ms / base_pdf_ms:5.2f}× baseline, "
        f"{pdf_ms / glyphs_ms:5.2f}× same glyphs"
    )
    print(
        f"答复书 DOCX             {docx_ms:7.2f} ms   {docx_ms / base_pdf_ms:5.2f}× baseline, "
        f"{docx_ms / base_docx_ms:5.2f}× minimal DOCX"
    )
    ok = pdf_ms <= PDF_BUDGET_MS and docx_ms <= PDF_BUDGET_MS and pdf_ms / base_pdf_ms <= RATIO_BUDGET
    print(
        "within budget" if ok else f"OVER BUDGET (≤ {PDF_BUDGET_MS:.0f} ms, ≤ {RATIO_BUDGET:.0f}× baseline)"
    )


if __name__ == "__main__":
    main()
