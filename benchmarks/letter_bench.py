"""Time one 答复书 as PDF and as DOCX (targets: at most 100 ms each, at most 3× a minimal CJK PDF).

Run: .venv/bin/python benchmarks/letter_bench.py [--runs N] [--rounds K]

The letter is the mixed reply of the tests (four items: disclosed, 部分公开, withheld, another organ's;
two pages), built once and rendered N times per format, with the layout cache cleared before every
render (the application renders a letter once). The baseline, timed in the same run with the same
font file embedded, is a minimal one-page reportlab document: one canvas, one CJK line of text,
saved to memory, with the font registered as reportlab ships it (``TTFont``). The same page is also
timed with the application's own font object (``app.letters.fontcache``'s ``CachedTTFont``, which
makes embedding several times cheaper for the baseline as well), so both ratios are shown. Because most of a
letter's cost is embedding the subsets of the glyphs it uses, a second reference draws the letter's
whole text as plain lines on one page (the same glyphs, hence the same subsets): the ratio to it is
what our layout adds. For context, the letter is also timed with the font's per-process caches
dropped before every render (as for the first letter a process prints). A minimal python-docx
document is timed as the DOCX counterpart. The font is registered before timing
(once per process in the application as well).

Medians are reported, of wall-clock time (the budget) and of the thread's CPU time (steadier on a
shared machine: other processes' load shows in the first, much less in the second). With
``--rounds K`` the letter and the baseline are timed again K times, one after the other, and the
ratio of each round is printed; the budget is then checked on the median of those ratios (one
round can be lucky or unlucky on a loaded machine).
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
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


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU milliseconds of ``fn``, after one warm-up call."""
    fn()  # warm up
    wall: list[float] = []
    cpu: list[float] = []
    gc.collect()
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.thread_time()
        fn()
        cpu.append((time.thread_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30, help="renders per measurement (default 30)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="extra rounds of letter vs. baseline, for their ratios"
    )
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

    # The baseline: the same minimal page with the font registered the way reportlab ships
    # it (its own TTFont, no process caches) — what any reportlab CJK document costs.
    stock_name = None
    if font.path:
        from reportlab.pdfbase.ttfonts import TTFont

        stock_name = "BenchStockCJK"
        pdfmetrics.registerFont(TTFont(stock_name, font.path, subfontIndex=font.subfont_index))

    def minimal_pdf_stock() -> bytes:
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=A4, invariant=True)
        canvas.setFont(stock_name or font.name, 16)
        canvas.drawString(80, 700, "政府信息公开申请答复书")
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

    face = getattr(pdfmetrics.getFont(font.name), "face", None)

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

    def letter_pdf_cold() -> bytes:
        if face is not None and hasattr(face, "forget"):
            face.forget()
        return letter_pdf()

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
    stock_pdf_ms = median_ms(minimal_pdf_stock, args.runs)
    base_docx_ms = median_ms(minimal_docx, args.runs)
    cold_ms = median_ms(letter_pdf_cold, args.runs)

    def row(label: str, ms: tuple[float, float], note: str = "") -> None:
        columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label)
        print(f"{label}{' ' * (24 - columns)}{ms[0]:7.2f} ms {ms[1]:7.2f} ms   {note}".rstrip())

    def times(ms: tuple[float, float], base: tuple[float, float], what: str) -> str:
        return f"{ms[0] / base[0]:5.2f}× {what} (CPU {ms[1] / base[1]:5.2f}×)"

    print(f"font: {font.family or font.name} ({font.path or 'built-in'}), registered in {register_ms:.0f} ms")
    print(
        f"letter: {len(letter.paragraphs)} paragraphs, {len(letter.plain_text())} characters; runs: {args.runs}"
    )
    print(f"{'':<24}{'wall':>10} {'CPU':>10}   (medians)")
    row("build_letter", build_ms)
    row("minimal CJK PDF", stock_pdf_ms, "(baseline: reportlab as shipped)")
    row("  with our font cache", base_pdf_ms, "(the same page with the application's font object)")
    row("same glyphs, one page", glyphs_ms)
    row("minimal DOCX", base_docx_ms)
    row(
        "答复书 PDF",
        pdf_ms,
        f"{times(pdf_ms, stock_pdf_ms, 'baseline')}, {times(pdf_ms, base_pdf_ms, 'cached-font page')}, "
        f"{times(pdf_ms, glyphs_ms, 'same glyphs')}",
    )
    row("  font caches cold", cold_ms, times(cold_ms, stock_pdf_ms, "baseline"))
    row(
        "答复书 DOCX",
        docx_ms,
        f"{times(docx_ms, stock_pdf_ms, 'baseline')}, {times(docx_ms, base_docx_ms, 'minimal DOCX')}",
    )
    ratio = pdf_ms[0] / stock_pdf_ms[0]
    if args.rounds > 1:
        ratios = []
        for _ in range(args.rounds):
            letter_ms, page_ms = median_ms(letter_pdf, args.runs), median_ms(minimal_pdf_stock, args.runs)
            ratios.append(letter_ms[0] / page_ms[0])
            print(
                f"round: 答复书 PDF {letter_ms[0]:5.2f} ms, baseline {page_ms[0]:5.2f} ms, {ratios[-1]:4.2f}×"
            )
        ratio = statistics.median(ratios)
        print(
            f"median ratio of {args.rounds} rounds: {ratio:4.2f}× (min {min(ratios):4.2f}×, max {max(ratios):4.2f}×)"
        )
    ok = pdf_ms[0] <= PDF_BUDGET_MS and docx_ms[0] <= PDF_BUDGET_MS and ratio <= RATIO_BUDGET
    print(
        "within budget" if ok else f"OVER BUDGET (≤ {PDF_BUDGET_MS:.0f} ms, ≤ {RATIO_BUDGET:.0f}× baseline)"
    )


if __name__ == "__main__":
    main()
