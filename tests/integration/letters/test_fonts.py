"""The PDF font: the configured one, else a system CJK TrueType font, else STSong-Light; reported."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics

from app.letters import LetterKind
from app.letters.fonts import BUILTIN_FONT, FontChoice, choose_font, outline_kind, parse_configured
from app.letters.pdf import render_pdf
from tests.unit.letters.samples import make_letter, mixed_case

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
NOTO_CFF = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"

needs_uming = pytest.mark.skipif(not Path(UMING).is_file(), reason="fonts-arphic-uming not installed")
needs_noto = pytest.mark.skipif(not Path(NOTO_CFF).is_file(), reason="fonts-noto-cjk not installed")


def letter_text(font: FontChoice) -> str:
    letter = make_letter(LetterKind.REPLY, mixed_case())
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(letter, font=font)))
    return "".join(page.extract_text() for page in reader.pages)


@needs_uming
def test_a_linux_truetype_cjk_font_is_found_and_embedded() -> None:
    choice = choose_font()
    assert (choice.path, choice.subfont_index, choice.embedded) == (UMING, 0, True)
    assert choice.family == "AR PL UMing CN"
    letter = make_letter(LetterKind.RECEIPT, mixed_case())
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(letter, font=choice)))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    truetype = [font for font in fonts if font["/Subtype"] == "/TrueType"]
    assert truetype and all("UMingCN" in font["/BaseFont"] for font in truetype)
    assert all("/FontFile2" in font["/FontDescriptor"] for font in truetype)  # embedded subsets


@needs_uming
def test_the_font_is_registered_once_per_process() -> None:
    first = choose_font()
    count = len(pdfmetrics.getRegisteredFontNames())
    assert choose_font() is first
    assert choose_font(UMING).name == first.name  # the same file is not registered again
    assert len(pdfmetrics.getRegisteredFontNames()) == count


@needs_uming
def test_a_configured_collection_member_is_used() -> None:
    assert parse_configured(f"{UMING}#1") == (UMING, 1)
    choice = choose_font(f"{UMING}#1")
    assert (choice.subfont_index, choice.family, choice.rejected) == (1, "AR PL UMing HK", ())
    assert "政府信息公开申请答复书" in letter_text(choice)


@needs_uming
@needs_noto
def test_cff_fonts_are_refused_with_a_reason_and_the_next_font_is_used() -> None:
    assert outline_kind(NOTO_CFF) == "cff"
    assert outline_kind(UMING, 2) == "truetype"
    choice = choose_font(NOTO_CFF)
    assert choice.path == UMING
    assert choice.rejected == (f"{NOTO_CFF}: PostScript（CFF）轮廓字体无法嵌入PDF",)


@needs_uming
def test_a_missing_or_broken_configured_font_falls_back(tmp_path: Path) -> None:
    missing = tmp_path / "simfang.ttf"
    assert choose_font(str(missing)).rejected == (f"{missing}: 文件不存在",)
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 60)
    choice = choose_font(str(broken))
    assert choice.path == UMING and choice.rejected[0].startswith(f"{broken}: ")


def test_without_any_font_file_the_builtin_cid_font_is_used() -> None:
    choice = choose_font(candidates=())
    assert (choice.name, choice.path, choice.embedded) == (BUILTIN_FONT, None, False)
    text = letter_text(choice)
    assert "如对本答复不服" in text.replace("\n", "").replace(" ", "")
