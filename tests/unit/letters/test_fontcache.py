"""CachedTTFont makes the same TrueType subsets as reportlab, byte for byte (so PDFs are unchanged)."""

from __future__ import annotations

import random
import zlib
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFace

from app.letters.fontcache import CachedTTFont, CachedTTFontFace, checksum

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"  # CJK, thousands of composite glyphs
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # Latin, composite accented letters


def test_checksum_is_truetypes() -> None:
    assert checksum(b"") == 0
    assert checksum(b"\x00\x00\x00\x01\x00\x00\x00\x02") == 3
    assert checksum(b"\x01") == 0x01000000  # zero-padded to a word
    assert checksum(b"\xff\xff\xff\xff\x00\x00\x00\x02") == 1  # modulo 2**32


def _subsets(face: TTFontFace, seed: int) -> list[list[int]]:
    rnd = random.Random(seed)
    codes = sorted(face.charToGlyph)
    out = [[0, 32, 65, 0x10FFFF], [0, *codes[:255]]]  # an unmapped code, the first glyphs
    out += [[0, *rnd.sample(codes, rnd.randint(1, 255))] for _ in range(12)]
    return out


@pytest.mark.parametrize("path", [UMING, DEJAVU])
def test_subsets_are_byte_identical_to_reportlabs(path: str) -> None:
    if not Path(path).is_file():
        pytest.skip(f"{path} not installed")
    reference = TTFontFace(path)
    font = CachedTTFont(f"test-{Path(path).stem}", path)
    assert isinstance(font.face, CachedTTFontFace)
    composites = 0
    for subset in _subsets(reference, 7):
        assert font.face.makeSubset(subset) == reference.makeSubset(subset)
        composites += sum(1 for glyph in font.face._shared().glyphs.values() if glyph.components)
    assert composites  # the composite path (component glyphs added, their indices rewritten) was taken
    # Again, from the caches (a second document), and after they were dropped.
    for subset in _subsets(reference, 7)[:3]:
        assert font.face.makeSubset(subset) == reference.makeSubset(subset)
    font.face.forget()
    assert font.face._data is None
    subset = _subsets(reference, 7)[4]
    assert font.face.makeSubset(subset) == reference.makeSubset(subset)


def test_the_registered_font_uses_the_cached_subsetter() -> None:
    from reportlab.pdfbase import pdfmetrics

    from app.letters.fonts import choose_font

    choice = choose_font()
    if not choice.embedded:
        pytest.skip("no TrueType CJK font on this machine")
    assert isinstance(pdfmetrics.getFont(choice.name), CachedTTFont)


def test_font_files_are_valid_zlib_streams_of_the_subset() -> None:
    choice_path = UMING if Path(UMING).is_file() else DEJAVU
    if not Path(choice_path).is_file():
        pytest.skip("no TrueType font installed")
    from app.letters.fontcache import _FontFileFlate

    font = CachedTTFont(f"test-flate-{Path(choice_path).stem}", choice_path)
    flate = _FontFileFlate(font.face)
    for subset in _subsets(font.face, 3)[:4]:
        data = font.face.makeSubset(subset)
        packed = flate.encode(data)
        assert zlib.decompress(packed) == data  # checks the Adler-32 too
        assert flate.decode(packed) == data
    other = b"not a font file" * 100
    assert zlib.decompress(flate.encode(other)) == other
