"""Faster TrueType embedding for reportlab: the same font subsets as ``TTFontFile.makeSubset``, less work.

reportlab embeds a TrueType font as subsets of at most 256 glyphs, and builds every subset from
scratch: it copies the whole ``glyf`` table (17 MB in ``uming.ttc``) to slice a few glyphs out of it,
copies ``name`` and ``post`` again, walks each glyph with its seek/read methods and computes the TrueType
checksums in pure Python over the finished subset twice (once per table, once for the file). That was
most of the time of printing a letter (a few milliseconds per subset, for every document).

``CachedTTFont`` is a ``TTFont`` whose face keeps, for the life of the process, what does not depend on
the document (``_FaceData``): the tables copied verbatim and their checksums, and per glyph its bytes
(padded to four bytes, as they go into a subset's ``glyf``), their checksum and, for a composite glyph,
where its component indices are. A subset is then assembled from these pieces; the checksum of the
file is the sum of the checksums of its tables (each starts on a four-byte boundary and is padded
with zeros), so no byte is summed twice. The subset files are byte for byte what reportlab's
``makeSubset`` produces (tests/unit/letters/test_fontcache.py compares them).

Two more things reportlab redoes for every document are done once: the compression of the constant
end of every subset file (``_FontFileFlate``, which also compresses at level 1 rather than 6), and
the formatting of the glyph widths (``CachedTTFont.addObjects``). The PDF's objects decode to the
same content as reportlab's.

The caches are filled as glyphs are used (at most once each; bounded by the font) and are safe to
share between threads: entries are immutable, a race only computes the same value twice, and a
subset is made from one snapshot of the shared data.
"""

from __future__ import annotations

import zlib
from struct import pack, unpack, unpack_from
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
    TTFont,
    TTFontFace,
)

_VERBATIM = ("name", "OS/2", "cvt ", "fpgm", "prep")  # copied from the font into every subset

# zlib level of the embedded font files. Level 1 compresses the mixed reply's two subsets (163 kB) in
# 2.0 ms instead of 3.8 ms at reportlab's level 6, for 9 % more bytes (84 kB instead of 76 kB).
FONT_FILE_LEVEL = 1


def checksum(data: bytes) -> int:
    """The TrueType checksum of ``data`` (big-endian 32-bit words, zero-padded, summed modulo 2³²)."""
    if len(data) & 3:
        data = data + b"\0" * (4 - (len(data) & 3))
    words: tuple[int, ...] = unpack(f">{len(data) >> 2}L", data)
    return sum(words) & 0xFFFFFFFF


class _Glyph:
    """One glyph of the font as it goes into a subset's ``glyf`` table."""

    __slots__ = ("components", "data", "length", "sum")

    def __init__(self, data: bytes, length: int, components: tuple[tuple[int, int], ...] | None) -> None:
        self.data = data  # padded to a multiple of four bytes
        self.length = length  # unpadded length (0: an empty glyph)
        self.sum = checksum(data) if data else 0
        # A composite glyph: (offset of a component's glyph index in the glyph, that glyph index).
        self.components = components


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) & 3)


def _with_ushort(data: bytes, offset: int, value: int) -> bytes:
    return data[:offset] + pack(">H", value) + data[offset + 2 :]


class _FaceData:
    """What a face's subsets share, for the life of the process (or until ``forget``)."""

    __slots__ = ("glyf_start", "glyphs", "head", "hhea", "maxp", "sums", "tail", "tail_deflated", "verbatim")

    def __init__(self, face: TTFontFace) -> None:
        verbatim: dict[str, bytes] = {}
        for tag in _VERBATIM:
            try:
                verbatim[tag] = bytes(face.get_table(tag))
            except KeyError:  # cvt, fpgm and prep are optional (name and OS/2 were checked at load)
                continue
        verbatim["post"] = b"\x00\x03\x00\x00" + bytes(face.get_table("post")[4:16]) + b"\x00" * 16
        self.verbatim = verbatim
        self.sums = {tag: checksum(data) for tag, data in verbatim.items()}
        # The tables sorted after every table that changes per subset ("name", "post", "prep") end
        # every subset file the same way: compressed once, their deflate blocks are reused.
        self.tail = b"".join(_padded(verbatim[tag]) for tag in sorted(verbatim) if tag > "maxp")
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        self.tail_deflated = packer.compress(self.tail) + packer.flush()
        self.hhea = bytes(face.get_table("hhea"))
        self.maxp = bytes(face.get_table("maxp"))
        self.head = bytes(face.get_table("head"))
        self.glyf_start: int = face.get_table_pos("glyf")[0]
        self.glyphs: dict[int, _Glyph] = {}


class CachedTTFontFace(TTFontFace):  # type: ignore[misc]  # reportlab has no type information
    """A ``TTFontFace`` whose ``makeSubset`` reuses what it parsed for earlier subsets and documents."""

    _data: _FaceData | None = None

    def _shared(self) -> _FaceData:
        data = self._data
        if data is None:
            data = self._data = _FaceData(self)
        return data

    def forget(self) -> None:
        """Drop the shared data (benchmarks of a first document; tests). A subset being made keeps
        the data it started with."""
        self._data = None

    def _glyph(self, index: int, shared: _FaceData) -> _Glyph:
        glyph = shared.glyphs.get(index)
        if glyph is not None:
            return glyph
        start = shared.glyf_start
        pos = self.glyphPos[index]
        length = self.glyphPos[index + 1] - pos
        font = self._ttf_data
        components: tuple[tuple[int, int], ...] | None = None
        if length and unpack_from(">h", font, start + pos)[0] < 0:
            # A composite glyph: the glyphs it is made of go into the subset too (as reportlab does).
            found = []
            at = 10
            flags = GF_MORE_COMPONENTS
            while flags & GF_MORE_COMPONENTS:
                flags, component = unpack_from(">HH", font, start + pos + at)
                found.append((at + 2, component))
                at += 4
                if flags & GF_ARG_1_AND_2_ARE_WORDS:
                    at += 4
                else:
                    at += 2
                if flags & GF_WE_HAVE_A_SCALE:
                    at += 2
                elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
                    at += 4
                elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
                    at += 8
            components = tuple(found)
        data = bytes(font[start + pos : start + pos + length])
        if length & 3:
            data += b"\0" * (4 - (length & 3))
        glyph = shared.glyphs[index] = _Glyph(data, length, components)
        return glyph

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:  # reportlab's name
        """reportlab's font descriptor and font file, the font file compressed by ``_FontFileFlate``."""
        reference = super().addSubsetObjects(doc, fontname, subset)
        font_file = doc.idToObject.get(f"fontFile:{self.filename}({fontname})")
        if isinstance(font_file, pdfdoc.PDFStream) and font_file.filters:
            font_file.filters = [_FontFileFlate(self)]
        return reference

    def makeSubset(self, subset: list[int]) -> bytes:  # reportlab's name
        """The TrueType font of the glyphs of ``subset`` (codes), as ``TTFontFile.makeSubset`` makes it."""
        shared = self._shared()
        char_to_glyph = self.charToGlyph
        glyph_map = [0]  # new glyph index -> old glyph index
        glyph_set = {0: 0}  # old glyph index -> new glyph index
        code_to_glyph = {}
        for code in subset:
            original = char_to_glyph.get(code, 0)
            if original not in glyph_set:
                glyph_set[original] = len(glyph_map)
                glyph_map.append(original)
            code_to_glyph[code] = glyph_set[original]
        n = 0
        while n < len(glyph_map):
            glyph = self._glyph(glyph_map[n], shared)
            n += 1
            if glyph.components:
                for _, component in glyph.components:
                    if component not in glyph_set:
                        glyph_set[component] = len(glyph_map)
                        glyph_map.append(component)

        tables = dict(shared.verbatim)
        sums = dict(shared.sums)
        num_glyphs = len(glyph_map)

        # hmtx, exactly as reportlab compacts it (a trailing run of equal advances is stored once).
        hmetrics = self.hmetrics
        hmtx: list[int] = []
        for original in glyph_map:
            aw, lsb = hmetrics[original]
            hmtx.append(int(aw))
            hmtx.append(int(lsb))
        n = len(hmtx) - 2
        while n and hmtx[n] == hmtx[n - 2]:
            n -= 2
        n += 2
        number_of_hmetrics = n >> 1
        hmtx = hmtx[:n] + hmtx[n + 1 :: 2]
        tables["hmtx"] = pack(f">{len(hmtx)}H", *hmtx)
        tables["hhea"] = _with_ushort(shared.hhea, 34, number_of_hmetrics)
        tables["maxp"] = _with_ushort(shared.maxp, 4, num_glyphs)

        entries = len(subset)
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entries * 2, 0, 0, entries, *map(code_to_glyph.get, subset)]
        tables["cmap"] = pack(f">{len(cmap)}H", *cmap)

        pieces: list[bytes] = []
        offsets: list[int] = []
        pos = 0
        glyf_sum = 0
        for original in glyph_map:
            offsets.append(pos)
            glyph = self._glyph(original, shared)
            data = glyph.data
            if glyph.components and glyph.length > 2:
                for at, component in glyph.components:
                    data = _with_ushort(data, at, glyph_set[component])
                glyf_sum += checksum(data)
            else:
                glyf_sum += glyph.sum
            pieces.append(data)
            pos += len(data)
        offsets.append(pos)
        tables["glyf"] = b"".join(pieces)
        sums["glyf"] = glyf_sum & 0xFFFFFFFF

        if (pos + 1) >> 1 > 0xFFFF:
            index_to_loc_format = 1
            tables["loca"] = pack(f">{len(offsets)}L", *offsets)
        else:
            index_to_loc_format = 0
            tables["loca"] = pack(f">{len(offsets)}H", *(offset >> 1 for offset in offsets))
        head = _with_ushort(shared.head, 50, index_to_loc_format)
        tables["head"] = head[:8] + b"\0\0\0\0" + head[12:]  # checkSumAdjustment, set below
        return _font_file(tables, sums)


def _font_file(tables: dict[str, bytes], sums: dict[str, int]) -> bytes:
    """The TrueType file of ``tables``, as ``TTFontMaker.makeStream`` writes it; ``sums`` holds the
    checksums already known (the others are computed here)."""
    count = len(tables)
    search_range, entry_selector = 1, 0
    while search_range * 2 <= count:
        search_range *= 2
        entry_selector += 1
    search_range *= 16
    directory = [pack(">lHHHH", 0x00010000, count, search_range, entry_selector, count * 16 - search_range)]
    body: list[bytes] = []
    offset = 12 + count * 16
    total = 0
    head_at = 0
    for tag, data in sorted(tables.items()):
        if tag == "head":
            head_at = offset
        table_sum = sums.get(tag)
        if table_sum is None:
            table_sum = checksum(data)
        total += table_sum
        directory.append(tag.encode("latin-1") + pack(">LLL", table_sum, offset, len(data)))
        padded = _padded(data)
        body.append(padded)
        offset += len(padded)
    header = b"".join(directory)
    adjustment = (0xB1B0AFBA - (total + checksum(header))) & 0xFFFFFFFF
    out = bytearray(header)
    for piece in body:
        out += piece
    out[head_at + 8 : head_at + 12] = pack(">L", adjustment)
    return bytes(out)


class _FontFileFlate:
    """``FlateDecode`` for a subset file of one face: level ``FONT_FILE_LEVEL``, and the file's constant
    tail (see ``_FaceData``) is not compressed again but appended as the deflate blocks
    compressed once. A zlib stream may be cut anywhere at a flush: the part before the tail ends with a
    sync flush (byte-aligned), the tail's blocks refer to nothing before them, the Adler-32 is of the
    whole file. Anything else is compressed whole."""

    pdfname = "FlateDecode"

    def __init__(self, face: CachedTTFontFace) -> None:
        self.face = face

    def encode(self, data: bytes) -> bytes:
        shared = self.face._shared()
        tail, deflated = shared.tail, shared.tail_deflated
        if not tail or len(data) <= len(tail) or not data.endswith(tail):
            return zlib.compress(data, FONT_FILE_LEVEL)
        packer = zlib.compressobj(FONT_FILE_LEVEL, zlib.DEFLATED, -15)
        head = packer.compress(data[: -len(tail)]) + packer.flush(zlib.Z_SYNC_FLUSH)
        # 0x78 0x01: deflate, 32 kB window, no dictionary (the check bits make it a multiple of 31).
        return b"\x78\x01" + head + deflated + pack(">L", zlib.adler32(data))

    def decode(self, data: bytes) -> bytes:
        return zlib.decompress(data)


_NUMBERS: dict[float, bytes] = {}


def _number(value: float) -> bytes:
    """``value`` as reportlab writes a number into a PDF (``fp_str``), remembered."""
    text = _NUMBERS.get(value)
    if text is None:
        text = _NUMBERS[value] = fp_str(value).encode("ascii")
    return text


class CachedTTFont(TTFont):  # type: ignore[misc]  # reportlab has no type information
    """A reportlab ``TTFont`` whose subsets are made by ``CachedTTFontFace`` (same bytes, faster)."""

    def __init__(self, name: str, filename: str, *, subfontIndex: int = 0) -> None:
        super().__init__(name, filename, subfontIndex=subfontIndex)
        self.face.__class__ = CachedTTFontFace  # the same object, parsed once, with a faster makeSubset

    def addObjects(self, doc: Any) -> None:  # reportlab's name
        """reportlab's font objects; the numbers of their ``Widths`` (256 a subset, a handful of distinct
        values) are written once per process instead of once per glyph per document."""
        fonts = doc.idToObject["BasicFonts"].dict
        before = set(fonts)
        super().addObjects(doc)
        for name in fonts.keys() - before:
            widths = getattr(fonts[name], "Widths", None)
            if isinstance(widths, pdfdoc.PDFArray):
                widths.sequence = [_number(w) if type(w) in (int, float) else w for w in widths.sequence]
