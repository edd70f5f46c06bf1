"""The letter PDF as a file (``_Document``) and its pagination (``_paginate``), checked from outside."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from app.letters import LetterKind
from app.letters import pdf as letter_pdf
from app.letters.fonts import choose_font
from app.letters.pdf import LEADING, MARGIN_BOTTOM, TEXT_TOP, TextBlock, render_pdf
from tests.unit.letters.samples import make_letter, mixed_case

ROOT = Path(__file__).resolve().parents[3]


def _font() -> str:
    font = choose_font()
    if not font.embedded:
        pytest.skip("no TrueType CJK font on this machine")
    return font.name


def test_the_cross_reference_table_points_at_every_object() -> None:
    _font()
    data = render_pdf(make_letter(LetterKind.REPLY, mixed_case()))
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))  # type: ignore[union-attr]
    assert data[start:].startswith(b"xref\n0 ")
    count = int(data[start:].split(b"\n")[1].split()[1])
    entries = data[start:].split(b"\n")[3 : 3 + count - 1]
    assert len(entries) == count - 1
    for number, entry in enumerate(entries, 1):
        offset = int(entry.split()[0])
        assert data[offset:].startswith(b"%d 0 obj\n" % number)
    assert b"/Size %d " % count in data[start:]
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == 2
    assert reader.metadata is not None
    assert (reader.metadata.title, reader.metadata.author, reader.metadata.subject) == (
        "政府信息公开申请答复书",
        "某市自然资源和规划局",
        "答复书",
    )


def test_the_same_letter_gives_the_same_file_in_another_process() -> None:
    # Characters get their codes in a fixed order, not in the (per-process) order of a set.
    _font()
    script = (
        "import sys; from app.letters import LetterKind; from app.letters.pdf import render_pdf;"
        "from tests.unit.letters.samples import make_letter, mixed_case;"
        "sys.stdout.buffer.write(render_pdf(make_letter(LetterKind.REPLY, mixed_case())))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True
    ).stdout
    assert other == render_pdf(make_letter(LetterKind.REPLY, mixed_case()))


def _lines(n: int, font: str, **kwargs: object) -> TextBlock:
    block = TextBlock("政" * (26 + 28 * (n - 1)), font, **kwargs)  # type: ignore[arg-type]
    assert len(block.lines()) == n
    return block


def test_a_block_goes_below_the_one_before_with_the_spaces_merged() -> None:
    font = _font()
    first = _lines(2, font, space_after=10.0)
    second = _lines(1, font, space_before=4.0)
    third = _lines(1, font, space_before=15.0)
    pages, _ = letter_pdf._paginate([first, second, third])
    (placed,) = pages
    assert placed[0][3] == pytest.approx(TEXT_TOP - 2 * LEADING)  # no space before at the top
    assert placed[1][3] == pytest.approx(placed[0][3] - 10.0 - LEADING)  # 4 pt overlaps the 10 pt
    assert placed[2][3] == pytest.approx(placed[1][3] - 15.0 - LEADING)


def test_a_paragraph_splits_between_lines_and_a_group_moves_whole() -> None:
    font = _font()
    body = _lines(18, font)
    split = _lines(6, font)  # 4 lines left on the page: 4 go there, 2 to the next
    closing = _lines(1, font)
    signature = _lines(1, font)
    signature.mark = "signature"
    tail = letter_pdf._Together([closing, letter_pdf._Space(2 * LEADING), signature])
    pages, marks = letter_pdf._paginate([body, split, tail])
    assert [(item, start, end) for item, start, end, _ in pages[0]] == [(body, 0, 18), (split, 0, 4)]
    # Two lines of the paragraph, then the closing, space and signature (4 lines) fit on page 2.
    assert [(item, start, end) for item, start, end, _ in pages[1]] == [
        (split, 4, 6),
        (closing, 0, 1),
        (tail.items[1], 0, 1),
        (signature, 0, 1),
    ]
    assert marks == {"signature": 2}
    # The group does not fit below 21 lines: it moves to the next page whole.
    pages, marks = letter_pdf._paginate([_lines(21, font), tail])
    assert len(pages) == 2 and [item for item, *_ in pages[1]] == tail.items
    # Nor below 22 lines plus one: a block of two lines never leaves one line behind.
    pages, _ = letter_pdf._paginate([_lines(21, font), _lines(2, font)])
    assert [end - start for _, start, end, _ in pages[1]] == [2]
    assert all(bottom >= MARGIN_BOTTOM - 1e-6 for page in pages for *_, bottom in page)


def test_a_group_taller_than_a_page_flows_from_the_top_of_one() -> None:
    font = _font()
    tall = letter_pdf._Together([_lines(15, font), _lines(15, font)])
    pages, _ = letter_pdf._paginate([tall])
    assert [[end - start for _, start, end, _ in page] for page in pages] == [[15, 7], [8]]


def test_short_pages_are_stored_and_dense_ones_compressed() -> None:
    from tests.integration.letters.test_harness import hostile_case

    _font()
    reply = pypdf.PdfReader(io.BytesIO(render_pdf(make_letter(LetterKind.REPLY, mixed_case()))))
    for page in reply.pages:
        contents = page["/Contents"].get_object()
        assert "/Filter" not in contents and len(contents.get_data()) <= letter_pdf.STORED_PAGE_LIMIT
    dense = pypdf.PdfReader(io.BytesIO(render_pdf(make_letter(LetterKind.REPLY, hostile_case()))))
    filters = [page["/Contents"].get_object().get("/Filter") for page in dense.pages]
    assert "/FlateDecode" in filters
    for page in dense.pages:
        contents = page["/Contents"].get_object()
        assert (contents.get("/Filter") == "/FlateDecode") == (len(contents.get_data()) > 4096)
