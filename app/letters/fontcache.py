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

import functools
import itertools
import operator
import zlib
from struct import pack, unpack, unpack_from
from typing import Any, cast

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
    SUBSETN,
    TTFont,
    TTFontFace,
    makeToUnicodeCMap,
)

_VERBATIM = ("name", "OS/2", "cvt ", "fpgm", "prep")  # copied from the font into every subset

# zlib level of what is compressed per document in the embedded font files (the few tables that change
# with the subset; the rest is compressed once, see ``_FontFileFlate``), and of anything else.
FONT_FILE_LEVEL = 1
# zlib level of a glyph compressed on its own, once per process (``_make_subset``).
GLYPH_LEVEL = 6


def checksum(data: bytes) -> int:
    """The TrueType checksum of ``data`` (big-endian 32-bit words, zero-padded, summed modulo 2³²)."""
    if len(data) & 3:
        data = data + b"\0" * (4 - (len(data) & 3))
    words: tuple[int, ...] = unpack(f">{len(data) >> 2}L", data)
    return sum(words) & 0xFFFFFFFF


class _Glyph:
    """One glyph of the font as it goes into a subset's ``glyf`` table."""

    __slots__ = ("components", "data", "deflated", "length", "sum")

    def __init__(self, data: bytes, length: int, components: tuple[tuple[int, int], ...] | None) -> None:
        self.data = data  # padded to a multiple of four bytes
        self.length = length  # unpadded length (0: an empty glyph)
        self.sum = checksum(data) if data else 0
        # A composite glyph: (offset of a component's glyph index in the glyph, that glyph index).
        self.components = components
        self.deflated: bytes | None = None  # as raw deflate blocks (``_make_subset``), made once


_COMPONENTS = operator.attrgetter("components")
_DATA = operator.attrgetter("data")
_SUM = operator.attrgetter("sum")
_DEFLATED = operator.attrgetter("deflated")


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
    _descriptors: dict[str, bytes]  # a subset's name -> its descriptor but for the font file

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
        """reportlab's font descriptor and font file (``TTFontFace.addSubsetObjects``), the font
        file compressed by ``_FontFileFlate`` and both written at once (``_Written``)."""
        data, glyphs = self._make_subset(subset)
        entries = b"/Length1 %d" % len(data)
        encoded: bytes | list[bytes] = data
        if doc.compression:
            encoded = _FontFileFlate(self, glyphs).encode_parts(data)
            entries = b"/Filter /FlateDecode " + entries
        font_file = doc.Reference(_Written(entries, encoded), f"fontFile:{self.filename}({fontname})")
        descriptor = self._descriptors.get(fontname)
        if descriptor is None:
            flags = (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
            values = [self.ascent, self.capHeight, self.descent, flags]
            ascent, cap_height, descent, flags_text = (pdfdoc.format(v, doc) for v in values)
            bbox = b" ".join(pdfdoc.format(v, doc) for v in self.bbox)
            name = pdfdoc.format(pdfdoc.PDFName(fontname), doc)
            angle, stem, missing = (
                pdfdoc.format(v, doc) for v in (self.italicAngle, self.stemV, self.defaultWidth)
            )
            descriptor = self._descriptors[fontname] = (
                b"/Type /FontDescriptor /Ascent %s /CapHeight %s /Descent %s /Flags %s /FontBBox [ %s ] "
                b"/FontName %s /ItalicAngle %s /StemV %s /MissingWidth %s"
                % (ascent, cap_height, descent, flags_text, bbox, name, angle, stem, missing)
            )
        return doc.Reference(
            _Written(descriptor, refs={"FontFile2": font_file}), "fontDescriptor:" + fontname
        )

    def makeSubset(self, subset: list[int]) -> bytes:  # reportlab's name
        """The TrueType font of the glyphs of ``subset`` (codes), as ``TTFontFile.makeSubset`` makes it."""
        return self._make_subset(subset)[0]

    def _make_subset(self, subset: list[int]) -> tuple[bytes, _GlyfPlan]:
        """``makeSubset``'s file, and where its ``glyf`` table is with the glyphs' deflate blocks."""
        shared = self._shared()
        known = shared.glyphs
        # (Built with map and C-level helpers: this runs for every document, over ~250 glyphs.)
        originals = list(map(self.charToGlyph.get, subset, itertools.repeat(0)))
        glyph_map = list(dict.fromkeys([0, *originals]))  # new glyph index -> old glyph index
        # Usually each code has a glyph of its own: the cmap maps code i to glyph i.
        identity = len(glyph_map) == len(originals)
        found: list[_Glyph | None] = list(map(known.get, glyph_map))
        if None in found:
            glyphs = [
                glyph or self._glyph(original, shared)
                for glyph, original in zip(found, glyph_map, strict=True)
            ]
        else:
            glyphs = cast("list[_Glyph]", found)
        composite = any(map(_COMPONENTS, glyphs))
        if composite:
            # Composite glyphs: the glyphs they are made of go into the subset too (as reportlab does).
            seen = set(glyph_map)
            n = 0
            while n < len(glyphs):
                components = glyphs[n].components
                n += 1
                for _, component in components or ():
                    if component not in seen:
                        seen.add(component)
                        glyph_map.append(component)
                        glyphs.append(self._glyph(component, shared))
        glyph_set: dict[int, int] = {}  # old glyph index -> new glyph index (cmap, composites)
        if composite or not identity:
            glyph_set = dict(zip(glyph_map, range(len(glyph_map)), strict=True))

        tables = dict(shared.verbatim)
        sums = dict(shared.sums)
        num_glyphs = len(glyph_map)

        # hmtx, exactly as reportlab compacts it (a trailing run of equal advances is stored once).
        hmetrics = self.hmetrics
        hmtx = list(map(int, itertools.chain.from_iterable(map(hmetrics.__getitem__, glyph_map))))
        advances = hmtx[0::2]
        run = sum(1 for _ in itertools.takewhile(advances[-1].__eq__, reversed(advances)))
        number_of_hmetrics = num_glyphs - run + 1
        n = 2 * number_of_hmetrics
        hmtx = hmtx[:n] + hmtx[n + 1 :: 2]
        tables["hmtx"] = pack(f">{len(hmtx)}H", *hmtx)
        tables["hhea"] = _with_ushort(shared.hhea, 34, number_of_hmetrics)
        tables["maxp"] = _with_ushort(shared.maxp, 4, num_glyphs)

        entries = len(subset)
        if identity:
            tables["cmap"] = _identity_cmap(entries)
        else:
            cmap = [
                0,
                1,
                1,
                0,
                0,
                12,
                6,
                10 + entries * 2,
                0,
                0,
                entries,
                *map(glyph_set.__getitem__, originals),
            ]
            tables["cmap"] = pack(f">{len(cmap)}H", *cmap)

        pieces = list(map(_DATA, glyphs))
        glyph_sums = list(map(_SUM, glyphs))
        packed = list(map(_DEFLATED, glyphs))
        packer = None
        for i, glyph in enumerate(glyphs) if composite or None in packed else ():
            if glyph.components and glyph.length > 2:
                data = glyph.data
                for at, component in glyph.components:
                    data = _with_ushort(data, at, glyph_set[component])  # this subset's indices
                pieces[i] = data
                glyph_sums[i] = checksum(data)
                packed[i] = None
            if packed[i] is None:
                # Glyphs compressed one by one with one compressor: a full flush after each makes
                # its blocks end byte-aligned and keeps the next from referring back to it.
                if packer is None:
                    packer = zlib.compressobj(GLYPH_LEVEL, zlib.DEFLATED, -15)
                data = pieces[i]
                piece = packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH) if data else b""
                packed[i] = piece
                if pieces[i] is glyph.data:
                    glyph.deflated = piece
        offsets = [0, *itertools.accumulate(map(len, pieces))]  # multiples of 4
        pos = offsets[-1]
        tables["glyf"] = b"".join(pieces)
        sums["glyf"] = sum(glyph_sums) & 0xFFFFFFFF

        if (pos + 1) >> 1 > 0xFFFF:
            index_to_loc_format = 1
            tables["loca"] = pack(f">{len(offsets)}L", *offsets)
        else:
            index_to_loc_format = 0
            tables["loca"] = pack(f">{len(offsets)}H", *map(operator.rshift, offsets, itertools.repeat(1)))
        head = _with_ushort(shared.head, 50, index_to_loc_format)
        tables["head"] = head[:8] + b"\0\0\0\0" + head[12:]  # checkSumAdjustment, set below
        data, glyf_at = _font_file(tables, sums)
        return data, _GlyfPlan(len(data), glyf_at, glyf_at + pos, cast("list[bytes]", packed))


@functools.lru_cache(maxsize=256)
def _identity_cmap(entries: int) -> bytes:
    """The subset ``cmap`` table (format 6, codes 0..entries-1) mapping code i to glyph i."""
    return pack(f">{11 + entries}H", 0, 1, 1, 0, 0, 12, 6, 10 + entries * 2, 0, 0, entries, *range(entries))


class _GlyfPlan:
    """Where a subset file's ``glyf`` table is (``start``..``end``) and its glyphs as deflate blocks."""

    __slots__ = ("end", "glyphs", "length", "start")

    def __init__(self, length: int, start: int, end: int, glyphs: list[bytes]) -> None:
        self.length, self.start, self.end, self.glyphs = length, start, end, glyphs


def _font_file(tables: dict[str, bytes], sums: dict[str, int]) -> tuple[bytes, int]:
    """The TrueType file of ``tables``, as ``TTFontMaker.makeStream`` writes it, and the offset of its
    ``glyf`` table; ``sums`` holds the checksums already known (the others are computed here)."""
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
    head_at = glyf_at = 0
    for tag, data in sorted(tables.items()):
        if tag == "head":
            head_at = offset
        elif tag == "glyf":
            glyf_at = offset
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
    return bytes(out), glyf_at


# zlib's window (2 ** bits bytes) and memory level for the small streams made per document: a
# compressor allocates about 2 ** (bits + 2) + 2 ** (level + 9) bytes, and reportlab's defaults
# (15, 8: some 260 kB, beyond malloc's mmap threshold, so fresh pages every time) cost about 60 µs
# per stream before any compressing; 4 kB windows lose nothing on streams of a few kilobytes.
SMALL_WBITS, SMALL_MEMLEVEL = 12, 4


def _sync_deflated(data: bytes) -> bytes:
    """``data`` as raw deflate blocks at level ``FONT_FILE_LEVEL``, ending byte-aligned."""
    packer = zlib.compressobj(FONT_FILE_LEVEL, zlib.DEFLATED, -SMALL_WBITS, SMALL_MEMLEVEL)
    return packer.compress(data) + packer.flush(zlib.Z_SYNC_FLUSH)


class _FontFileFlate:
    """``FlateDecode`` for a subset file of one face, made mostly of deflate blocks compressed once.

    A zlib stream may be cut anywhere at a sync flush: pieces of raw deflate that refer to nothing
    before them and end byte-aligned can be put one after the other, the last one final, with the
    Adler-32 of the whole file after them. So the glyphs of the ``glyf`` table (given as ``glyphs``,
    each compressed once per process, ``_make_subset``) and the file's constant tail (see
    ``_FaceData``) are not compressed again; only the few small tables that change with every subset
    are, at level ``FONT_FILE_LEVEL``. Glyphs compressed one by one take more room than a whole
    table compressed at once (about 83 kB instead of 58 kB for the mixed reply's 248 glyphs), for
    no compression time per document (1.8 ms for that reply at level 1). Anything else is compressed
    whole."""

    pdfname = "FlateDecode"

    def __init__(self, face: CachedTTFontFace, glyphs: _GlyfPlan | None = None) -> None:
        self.face = face
        self.glyphs = glyphs

    def encode(self, data: bytes) -> bytes:
        return b"".join(self.encode_parts(data))

    def encode_parts(self, data: bytes) -> list[bytes]:
        """``encode``'s result in pieces, to be written one after the other (not joined first)."""
        shared = self.face._shared()
        tail, deflated = shared.tail, shared.tail_deflated
        if not tail or len(data) <= len(tail) or not data.endswith(tail):
            return [zlib.compress(data, FONT_FILE_LEVEL)]
        end = len(data) - len(tail)
        plan = self.glyphs
        # 0x78 0x01: deflate, 32 kB window, no dictionary (the check bits make it a multiple of 31).
        parts = [b"\x78\x01"]
        if plan is not None and plan.length == len(data) and plan.end <= end:
            # One compressor for both parts: the full flush keeps the second from referring back.
            packer = zlib.compressobj(FONT_FILE_LEVEL, zlib.DEFLATED, -SMALL_WBITS, SMALL_MEMLEVEL)
            parts.append(packer.compress(data[: plan.start]) + packer.flush(zlib.Z_FULL_FLUSH))
            parts += plan.glyphs
            parts.append(packer.compress(data[plan.end : end]) + packer.flush(zlib.Z_SYNC_FLUSH))
        else:
            parts.append(_sync_deflated(data[:end]))
        parts += [deflated, pack(">L", zlib.adler32(data))]
        return parts

    def decode(self, data: bytes) -> bytes:
        return zlib.decompress(data)


class _WidthTexts(dict[int, bytes]):
    """Character code -> its advance width as written in a ``Widths`` array, made once per code."""

    def __init__(self, face: TTFontFace) -> None:
        super().__init__()
        self.face = face

    def __missing__(self, code: int) -> bytes:
        value = self[code] = _number(self.face.charWidths.get(code, self.face.defaultWidth))
        return value


_NUMBERS: dict[float, bytes] = {}


def _number(value: float) -> bytes:
    """``value`` as reportlab writes a number into a PDF (``fp_str``), remembered."""
    text = _NUMBERS.get(value)
    if text is None:
        text = _NUMBERS[value] = fp_str(value).encode("ascii")
    return text


class CachedTTFont(TTFont):  # type: ignore[misc]  # reportlab has no type information
    """A reportlab ``TTFont`` whose subsets are made by ``CachedTTFontFace`` (same bytes, faster)."""

    def __init__(
        self, name: str, filename: str, *, subfontIndex: int = 0, asciiReadable: bool = False
    ) -> None:
        # asciiReadable=False: reportlab's default reserves codes 32–127 of the first subset for ASCII
        # (readable strings in the content streams) and embeds those 96 glyphs whether used or not;
        # without it a subset holds 254 characters of the document, so a letter of up to about 250
        # distinct characters (the mixed reply: 246) needs one subset instead of two (one font
        # file, descriptor and ToUnicode CMap less to make). Text is still extracted through the
        # ToUnicode CMaps.
        super().__init__(name, filename, subfontIndex=subfontIndex, asciiReadable=asciiReadable)
        self.face.__class__ = CachedTTFontFace  # the same object, parsed once, with a faster makeSubset
        self.face._descriptors = {}
        self._font_names: dict[int, tuple[str, bytes]] = {}  # subset -> its BaseFont, as text and in PDF
        self._widths = _WidthTexts(self.face)

    def assign_codes(self, text: str, doc: Any) -> list[int]:
        """The code of each character of ``text`` in ``doc`` (subset × 256 + index in the subset), as
        ``splitString`` assigns them: characters new to the document get the next free codes, in
        order of appearance, and characters the font lacks get 0 (.notdef). A run of new characters
        is assigned with slices and a dictionary update instead of ``splitString``'s Python loop
        over every character."""
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable, self)
        assignments = state.assignments
        chars = list(map(ord, text))
        if 0xA0 in chars:
            chars = [32 if code == 0xA0 else code for code in chars]  # no-break space: a space
        distinct = set(chars)
        fresh = set(filter(self.face.charToGlyph.__contains__, distinct.difference(assignments)))
        if fresh:
            in_order = chars if len(distinct) == len(chars) else dict.fromkeys(chars)
            new = list(filter(fresh.__contains__, in_order))  # in order of appearance
            if state.frozen or self._asciiReadable:
                self.splitString("".join(map(chr, new)), doc)  # raises if frozen
            else:
                _assign(state, new)
        return list(map(assignments.get, chars, itertools.repeat(0)))

    def addObjects(self, doc: Any) -> None:  # reportlab's name
        """reportlab's font objects (``TTFont.addObjects``: per subset a font, its ToUnicode CMap, its
        descriptor and font file), with each ``Widths`` array written at once from numbers formatted
        once per process (256 a subset, a handful of distinct values) rather than element by element
        through reportlab's object formatting."""
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        face = self.face
        fonts = doc.idToObject["BasicFonts"].dict
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            names = self._font_names.get(n)
            if names is None:
                text = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
                names = self._font_names[n] = (text, pdfdoc.format(pdfdoc.PDFName(text), doc))
            base_name, base_name_pdf = names
            cmap = _to_unicode_cmap(base_name, subset).encode("ascii")
            cmap_entries = b""
            if doc.compression:
                cmap, cmap_entries = FAST_FLATE.encode(cmap), b"/Filter /FlateDecode"
            to_unicode = doc.Reference(_Written(cmap_entries, cmap), "toUnicodeCMap:" + base_name)
            descriptor = face.addSubsetObjects(doc, base_name, subset)
            font = _Written(
                b"/Type /Font /Subtype /TrueType /Name %s /BaseFont %s /FirstChar 0 /LastChar %d /Widths %s"
                % (
                    pdfdoc.format(pdfdoc.PDFName(internal_name), doc),
                    base_name_pdf,
                    len(subset) - 1,
                    _array(list(map(self._widths.__getitem__, subset))),
                ),
                refs={"ToUnicode": to_unicode, "FontDescriptor": descriptor},
            )
            doc.Reference(font, internal_name)
            fonts[internal_name] = font
        del self.state[doc]


def _assign(state: Any, new: list[int]) -> None:
    """Give ``new`` (character codes) the next codes of ``state`` (a ``TTFont.State`` without
    asciiReadable), as ``splitString`` would one by one: index 0 of every subset is .notdef and
    index 32 a space, each subset holds 256 codes."""
    n = state.nextCode
    subsets = state.subsets
    assignments = state.assignments
    i = 0
    while i < len(new):
        low = n & 0xFF
        if low == 32:
            if n != 32:
                subsets[n >> 8].append(32)
            n += 1
            continue
        if low == 0:
            subsets.append([0])
            n += 1
            continue
        end = (n | 0xFF) + 1 if low > 32 else (n & ~0xFF) + 32  # the next reserved code
        run = new[i : i + end - n]
        if n < 32:
            subsets[0][n : n + len(run)] = run  # the first subset starts as [0] + 32 × [32]
        else:
            subsets[n >> 8].extend(run)
        assignments.update(zip(run, range(n, n + len(run)), strict=True))
        n += len(run)
        i += len(run)
    state.nextCode = n


def _to_unicode_cmap(name: str, subset: list[int]) -> str:
    """reportlab's ``makeToUnicodeCMap`` (the same text), its entries joined from cached pieces."""
    head, _, tail = makeToUnicodeCMap(name, [0]).partition("\n<00> <0000>\n")
    head = head.replace("<00> <00>", f"<00> <{len(subset) - 1:02X}>").replace(
        "1 beginbfchar", f"{len(subset)} beginbfchar"
    )
    entries = "".join(map(str.__add__, _CODE_TEXTS[: len(subset)], map(_UNICODE_TEXTS.__getitem__, subset)))
    return f"{head}\n{entries}{tail}"


_CODE_TEXTS = [f"<{code:02X}> " for code in range(256)]


class _UnicodeTexts(dict[int, str]):
    """Character -> its ToUnicode entry's value and line break ("<4E00>\n"), made once."""

    def __missing__(self, char: int) -> str:
        value = self[char] = f"<{char:04X}>\n"
        return value


_UNICODE_TEXTS = _UnicodeTexts()


class _FastFlate:
    """``FlateDecode`` at zlib level 1 (reportlab's filter uses level 6) with a small compressor
    (``SMALL_WBITS``): for the small streams made per document (page contents, ToUnicode CMaps), a
    few kilobytes each, where level 6 saves a few dozen bytes for twice the time."""

    pdfname = "FlateDecode"

    def encode(self, data: str | bytes) -> bytes:
        packer = zlib.compressobj(1, zlib.DEFLATED, SMALL_WBITS, SMALL_MEMLEVEL)
        return packer.compress(data.encode("utf-8") if isinstance(data, str) else data) + packer.flush()

    def decode(self, data: bytes) -> bytes:
        return zlib.decompress(data)


FAST_FLATE = _FastFlate()


def _array(items: list[bytes]) -> bytes:
    """A PDF array as reportlab's ``PDFArray`` writes it (a line break every ten elements)."""
    rows = [b" ".join(items[i : i + 10]) for i in range(0, len(items), 10)]
    return b"[ " + b" \n  ".join(rows) + b" ]"


class _Written(pdfdoc.PDFObject):  # type: ignore[misc]  # reportlab has no type information
    """An indirect PDF object written out at once: a dictionary of ``entries`` (PDF text) and the
    references ``refs`` (resolved when the document is written), followed by the stream ``data``
    (already encoded) when there is one. reportlab's own objects format every key and value
    through its generic machinery, which is most of what saving a document costs."""

    __RefOnly__ = 1  # never inline: always an indirect object

    def __init__(
        self, entries: bytes, data: bytes | list[bytes] | None = None, refs: dict[str, Any] | None = None
    ) -> None:
        # data: the stream's bytes, or its pieces (written one after the other, never joined when
        # the document takes pieces: a font file is some 100 kB).
        self.entries, self.data, self.refs = entries, data, refs or {}

    def format(self, document: Any) -> bytes:  # reportlab's name
        return b"".join(self.pieces(document))

    def pieces(self, document: Any) -> list[bytes]:
        """``format``'s result in pieces."""
        parts = [b"<< ", self.entries]
        for key, ref in self.refs.items():
            parts.append(b" /%s %s" % (key.encode("ascii"), ref.format(document)))
        if self.data is None:
            parts.append(b" >>")
            return parts
        data = self.data
        if isinstance(data, list) and (len(data) != 1 or getattr(document, "encrypts", True)):
            data = b"".join(data)
        if isinstance(data, bytes):
            data = [document.encrypt.encode(data)]
        parts.append(b" /Length %d >>\nstream\n" % sum(map(len, data)))
        parts += data
        parts.append(b"\nendstream")
        return parts
