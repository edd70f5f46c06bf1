"""The CJK font a PDF letter is printed in: chosen once, registered with reportlab once per process.

Order (design.md §4): the agency's configured font (``Agency.font``: a path, optionally ``path#N`` for
the Nth font of a ``.ttc`` collection), then Windows' 仿宋 and 宋体, then a Linux CJK TrueType font,
then reportlab's built-in ``STSong-Light`` CID font (always available, but not embedded: the reader's
PDF viewer supplies the glyphs). Fonts with CFF (PostScript) outlines — Noto CJK's ``.otf``/``.ttc`` —
cannot be embedded by reportlab and are skipped with a reason (design.md §9), as is any font whose
licence forbids embedding. ``FontChoice`` reports what was used and why the others were not.
"""

from __future__ import annotations

import functools
import hashlib
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError

from app.letters.fontcache import CachedTTFont

BUILTIN_FONT = "STSong-Light"


@dataclass(frozen=True)
class FontChoice:
    """The font used for a PDF letter."""

    name: str  # the reportlab font name to use in styles
    path: str | None  # the font file; None for the built-in CID font
    embedded: bool  # False only for the built-in font
    subfont_index: int = 0
    family: str = ""  # the font's own family name, e.g. "AR PL UMing CN"
    rejected: tuple[str, ...] = ()  # "path: reason" for every candidate tried before this one


def _windows_fonts() -> Path:
    return Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"


@functools.cache
def default_candidates() -> tuple[tuple[str, int], ...]:
    """Font files tried after the configured one, in order: (path, index in a collection); made once
    (``choose_font`` runs for every letter printed)."""
    win = _windows_fonts()
    return (
        (str(win / "simfang.ttf"), 0),  # 仿宋 (GB/T 9704 body text is 仿宋)
        (str(win / "simsun.ttc"), 0),  # 宋体
        ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # fonts-arphic-uming, index 0 = "AR PL UMing CN"
        ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
        ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # fonts-wqy-microhei
        ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),  # fonts-arphic-ukai
    )


def parse_configured(value: str) -> tuple[str, int] | None:
    """``Agency.font`` as (path, subfont index): "D:/fonts/simsun.ttc#1" → ("D:/fonts/simsun.ttc", 1)."""
    value = value.strip()
    if not value:
        return None
    if not Path(value).exists():
        head, sep, tail = value.rpartition("#")
        if sep and tail.isdigit():
            return head, int(tail)
    return value, 0


def outline_kind(path: str, index: int = 0) -> str:
    """The outline format, "truetype", "cff" or "unknown", from the file's header only (a 20 MB collection is not read)."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if not 0 <= index < count:
                    return "unknown"
                f.seek(12 + 4 * index)
                (offset,) = struct.unpack(">I", f.read(4))
                f.seek(offset)
                head = f.read(4)
    except (OSError, struct.error):
        return "unknown"
    if head[:4] == b"OTTO":
        return "cff"
    if head[:4] in (b"\x00\x01\x00\x00", b"true"):
        return "truetype"
    return "unknown"


_lock = threading.Lock()
_registered: dict[tuple[str, int], FontChoice] = {}
_chosen: dict[tuple[str, tuple[tuple[str, int], ...]], FontChoice] = {}


def _register(path: str, index: int) -> FontChoice:
    """Register one TrueType font (once per process); raises ``TTFError``/``OSError`` when unusable."""
    key = (os.path.abspath(path), index)
    known = _registered.get(key)
    if known is not None:
        return known
    digest = hashlib.sha1(f"{key[0]}#{index}".encode()).hexdigest()[:10]
    name = f"yishen-{digest}"
    font = CachedTTFont(name, path, subfontIndex=index)  # reportlab's TTFont, faster subsets
    pdfmetrics.registerFont(font)
    family = getattr(font.face, "familyName", b"")
    family_text = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
    choice = FontChoice(name=name, path=path, embedded=True, subfont_index=index, family=family_text)
    _registered[key] = choice
    return choice


def _builtin(rejected: tuple[str, ...]) -> FontChoice:
    if BUILTIN_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN_FONT))
    return FontChoice(name=BUILTIN_FONT, path=None, embedded=False, family=BUILTIN_FONT, rejected=rejected)


def choose_font(configured: str = "", *, candidates: tuple[tuple[str, int], ...] | None = None) -> FontChoice:
    """The font for PDF letters: the configured one if usable, else the first usable candidate,
    else the built-in ``STSong-Light``. Thread-safe; the result is cached per arguments."""
    cands = default_candidates() if candidates is None else candidates
    cache_key = (configured.strip(), cands)
    with _lock:
        cached = _chosen.get(cache_key)
        if cached is not None:
            return cached
        rejected: list[str] = []
        tries: list[tuple[str, int]] = []
        own = parse_configured(configured)
        if own is not None:
            tries.append(own)
        tries += [c for c in cands if c != own]
        choice: FontChoice | None = None
        for path, index in tries:
            if not Path(path).is_file():
                if own is not None and (path, index) == own:
                    rejected.append(f"{path}: 文件不存在")
                continue
            kind = outline_kind(path, index)
            if kind == "cff":
                rejected.append(f"{path}: PostScript（CFF）轮廓字体无法嵌入PDF")
                continue
            try:
                found = _register(path, index)
            except (TTFError, OSError, ValueError, KeyError, IndexError, struct.error) as exc:
                rejected.append(f"{path}: {exc}")
                continue
            choice = FontChoice(
                name=found.name,
                path=found.path,
                embedded=True,
                subfont_index=found.subfont_index,
                family=found.family,
                rejected=tuple(rejected),
            )
            break
        if choice is None:
            choice = _builtin(tuple(rejected))
        _chosen[cache_key] = choice
        return choice
