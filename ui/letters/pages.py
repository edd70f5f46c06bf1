"""Our letter PDF as page images (PDFium), for the preview on screen and for the printer at 300 dpi.

Qt for Python's Linux wheels ship no QtPdf, and a third renderer painting the letter with QPainter
would drift from the PDF and the DOCX; so the PDF that ``app.services.letters.render_letter`` makes
is rasterized, and screen, paper and the saved file all come from the same bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pypdfium2 as pdfium
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

PRINT_DPI = 300
POINTS_PER_INCH = 72

# PDFium is not thread-safe, not even across documents: every call goes through this lock (the
# preview renders on a worker thread while the GUI thread may be printing).
_lock = threading.Lock()


def page_count(pdf: bytes) -> int:
    with _lock:
        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()


def iter_pages(pdf: bytes, dpi: float) -> Iterator[QImage]:
    """Each page of ``pdf`` as an RGB image at ``dpi``, one at a time (a 300-dpi A4 page is 26 MB)."""
    for index in range(page_count(pdf)):
        yield render_page(pdf, index, dpi)


def render_page(pdf: bytes, index: int, dpi: float) -> QImage:
    with _lock:
        doc = pdfium.PdfDocument(pdf)
        try:
            page = doc[index]
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)  # RGB, not BGR
            image = QImage(
                bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888
            )
            # The buffer belongs to PDFium's bitmap: copy before it is freed.
            return image.copy()
        finally:
            doc.close()


def render_pages(pdf: bytes, dpi: float) -> list[QImage]:
    """Every page at ``dpi`` (safe on a worker thread: QImage, unlike QPixmap, is not tied to the GUI)."""
    return list(iter_pages(pdf, dpi))


def prepare_printer(printer: QPrinter) -> None:
    """A4 portrait, the whole sheet (the PDF carries the GB/T 9704 margins itself), 300 dpi."""
    printer.setResolution(PRINT_DPI)
    printer.setFullPage(True)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)


def print_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Draw every page of ``pdf`` onto ``printer`` at the printer's resolution; returns the page count.

    Call ``prepare_printer`` before showing the print dialog, so the clerk's choices come last.
    """
    dpi = printer.resolution() or PRINT_DPI
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    pages = 0
    try:
        for image in iter_pages(pdf, dpi):
            if pages:
                printer.newPage()
            target: QRect = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(target, image)
            pages += 1
    finally:
        painter.end()
    return pages
