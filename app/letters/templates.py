"""Letter wording: the template files under ``resources/letters/``, checked when they are read.

A folder holds ``common.txt`` and one file per letter kind (``reply.txt`` …). A file is a list of
blocks; a line ``[name]`` starts a block, lines starting with ``#`` are comments, a blank line
separates paragraphs inside a block, and the lines of one paragraph are joined without a space
(Chinese text may be wrapped anywhere). A block in the kind's file overrides the same block of
``common.txt``. Inside a block (the language of ``app.law.wording``, shared with the finding sentences):

- ``{name}`` is a value the builder supplies;
- ``[…]`` is printed only when every value directly inside it is given (brackets nest);
- ``[a|b]`` prints ``a`` when its values are given, else ``b``;
- ``\\{`` ``\\}`` ``\\[`` ``\\]`` ``\\|`` ``\\\\`` print the character itself.

An agency keeps its own copies in a folder of its own (``Templates(folder)``); files it does not
have come from the shipped folder. Every file is checked against ``SPECS`` when read, so a letter
can never print a ``{name}``, an empty value or "None": a value that may be absent must sit inside
``[…]``, a value a kind does not know is refused, and the blocks that state the law must keep the
values that carry it (the article, the dates, the amount). Wording is free; the legal content is not.
Nothing is escaped here: values are inserted after parsing, and the renderers escape for their format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from app.domain.errors import InputError
from app.law.wording import Node, TemplateSyntaxError, names, parse, render
from app.letters.model import LetterKind, Role

SHIPPED_FOLDER = Path(__file__).resolve().parents[2] / "resources" / "letters"
COMMON = "common"
MAX_FILE_BYTES = 256 * 1024

# --------------------------------------------------------------------------- what each block may say


@dataclass(frozen=True)
class BlockSpec:
    """One block: its role in the letter and the values it may, must or can only conditionally use."""

    role: Role
    values: frozenset[str] = frozenset()  # always given to this block (beyond the kind's)
    maybe: frozenset[str] = frozenset()  # may be absent: allowed only inside [...]
    must_use: frozenset[str] = frozenset()  # must be printed (outside brackets): the law it states
    required: bool = True  # the block must exist (in the kind's file or in common.txt)


@dataclass(frozen=True)
class KindSpec:
    values: frozenset[str]
    maybe: frozenset[str]
    blocks: Mapping[str, BlockSpec]


def _f(*names: str) -> frozenset[str]:
    return frozenset(names)


_AGENCY_MAYBE = _f("office", "address", "phone", "office_hours")
# Values every kind has; the applicant is not among them (条例第三十二条、第三十四条: a consulted
# party learns what information concerns it, not who asked).
_BASE = _f("agency", "date", "doc_number")

# Blocks every kind has, usually from common.txt.
_FRAME: dict[str, BlockSpec] = {
    "header": BlockSpec(Role.DATA),
    "title": BlockSpec(Role.DATA),
    "addressee": BlockSpec(Role.DATA),
    "closing": BlockSpec(Role.DATA),
    "signature": BlockSpec(Role.DATA),
    "contact": BlockSpec(Role.DATA, required=False),
}
_CHANNEL_BLOCKS = {
    f"channel_{name}": BlockSpec(Role.DATA)
    for name in ("in_person", "post_signed", "post_ordinary", "online", "fax", "email", "oral")
}
_ITEM_ROW = BlockSpec(Role.DATA, values=_f("n", "description", "end"), maybe=_f("item_doc_number"))


def _kind(values: frozenset[str], maybe: frozenset[str], **blocks: BlockSpec) -> KindSpec:
    return KindSpec(values=_BASE | values, maybe=_AGENCY_MAYBE | maybe, blocks={**_FRAME, **blocks})


SPECS: Mapping[str, KindSpec] = {
    # common.txt: defaults for the frame of every kind, and the channel phrases (all kinds' values
    # are checked again when a kind takes a block from here).
    COMMON: KindSpec(
        values=_BASE,
        maybe=_AGENCY_MAYBE,
        blocks={**{k: replace(v, required=False) for k, v in _FRAME.items()}, **_CHANNEL_BLOCKS},
    ),
    LetterKind.RECEIPT: _kind(
        _f("applicant", "number", "channel", "count", "basis"),
        _f("received", "due"),
        intro=BlockSpec(Role.TEXT),
        item=BlockSpec(
            Role.DATA, values=_f("n", "description", "form", "delivery", "end"), maybe=_f("item_doc_number")
        ),
        limit=BlockSpec(Role.BASIS, must_use=_f("basis")),
        provisional=BlockSpec(Role.BASIS),
    ),
    LetterKind.CORRECTION: _kind(
        _f("applicant", "number", "channel", "received", "basis", "period_end"),
        _f(),
        intro=BlockSpec(Role.TEXT),
        basis=BlockSpec(Role.BASIS, must_use=_f("basis")),
        point=BlockSpec(Role.TEXT, values=_f("n", "point", "end")),
        point_default=BlockSpec(Role.TEXT, values=_f("n", "description"), maybe=_f("item_doc_number")),
        examples=BlockSpec(Role.TEXT),
        period=BlockSpec(Role.BASIS, must_use=_f("period_end")),
        submit=BlockSpec(Role.TEXT),
    ),
    LetterKind.EXTENSION: _kind(
        _f("applicant", "number", "channel", "received", "basis", "days", "due", "reason"),
        _f("corrected"),
        intro=BlockSpec(Role.TEXT),
        reason=BlockSpec(Role.TEXT, must_use=_f("reason")),
        basis=BlockSpec(Role.BASIS, must_use=_f("basis", "days", "due")),
    ),
    LetterKind.CONSULTATION_THIRD_PARTY: _kind(
        _f("party", "basis"),
        _f("received", "why"),
        intro=BlockSpec(Role.TEXT),
        item=_ITEM_ROW,
        basis=BlockSpec(Role.BASIS, must_use=_f("basis")),
        answer=BlockSpec(Role.TEXT),
    ),
    LetterKind.CONSULTATION_AGENCY: _kind(
        _f("party", "basis"),
        _f("received", "why"),
        intro=BlockSpec(Role.TEXT),
        item=_ITEM_ROW,
        basis=BlockSpec(Role.BASIS, must_use=_f("basis")),
        answer=BlockSpec(Role.TEXT),
    ),
    LetterKind.PUBLIC_INTEREST_NOTICE: _kind(
        _f("party", "basis", "sent", "content", "reasons"),
        _f("objected"),
        intro=BlockSpec(Role.TEXT),
        decision=BlockSpec(Role.BASIS, must_use=_f("basis")),
        content=BlockSpec(Role.DATA, must_use=_f("content")),
        reasons=BlockSpec(Role.DATA, must_use=_f("reasons")),
    ),
    LetterKind.FEE: _kind(
        _f("applicant", "number", "channel", "basis", "method", "standard", "amount"),
        _f("received", "payment", "fee_due"),
        intro=BlockSpec(Role.TEXT),
        basis=BlockSpec(Role.BASIS, must_use=_f("basis", "method", "standard")),
        count_request=BlockSpec(Role.DATA, values=_f("before", "units")),
        count_volume=BlockSpec(Role.DATA, values=_f("units")),
        line=BlockSpec(Role.DATA, values=_f("line")),
        amount=BlockSpec(Role.BASIS, must_use=_f("amount")),
        payment=BlockSpec(Role.TEXT),
        deadline=BlockSpec(Role.BASIS),
        pause=BlockSpec(Role.BASIS),
    ),
    LetterKind.REPLY: _kind(
        _f("applicant", "number", "channel"),
        _f("received", "corrected"),
        recital=BlockSpec(Role.DATA),
        request_one=BlockSpec(Role.DATA, values=_f("description"), maybe=_f("item_doc_number")),
        request_many=BlockSpec(Role.DATA),
        request_item=_ITEM_ROW,
        lead=BlockSpec(Role.TEXT),
        what_full=BlockSpec(Role.DATA),
        what_part=BlockSpec(Role.DATA),
        fee_free=BlockSpec(Role.DATA),
        fee_paid=BlockSpec(Role.DATA, values=_f("amount")),
        fee_waived=BlockSpec(Role.DATA),
        **{
            f"obtain_{way}": BlockSpec(
                Role.TEXT,
                values=_f("form", "what", "fee"),
                maybe=_f("applicant_address", "applicant_email"),
            )
            for way in ("post", "email", "online", "fax", "pickup", "inspect", "other")
        },
    ),
}


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class _Block:
    paragraphs: tuple[tuple[Node, ...], ...]


def _invalid(source: str, block: str, reason: str, *, value: str = "", detail: str = "") -> InputError:
    where = f"{source} [{block}]" if block else source
    params: dict[str, Any] = {"reason": reason}
    if value:
        params["value"] = value
    if detail:
        params["detail"] = detail
    return InputError("template_invalid", field=where, **params)


_HEADER = re.compile(r"\[([a-z_][a-z0-9_]*)\]\s*")


def _join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        # Wrapped Chinese joins directly; two ASCII words joined across a line break keep a space.
        if out and out[-1].isascii() and out[-1].isalnum() and line[:1].isascii() and line[:1].isalnum():
            out += " "
        out += line
    return out


def parse_file(text: str, source: str) -> dict[str, tuple[str, ...]]:
    """The blocks of one template file: name → paragraphs (raw template text)."""
    blocks: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = _HEADER.fullmatch(line)
        if header:
            name = header.group(1)
            if name in blocks:
                raise _invalid(source, name, "duplicate_block")
            current = blocks[name] = [[]]
        elif line.startswith("#"):
            continue
        elif current is None:
            if line:
                raise _invalid(source, "", "text_before_block", detail=f"第{number}行")
        elif not line:
            if current[-1]:
                current.append([])
        else:
            current[-1].append(line)
    return {
        name: tuple(_join_lines(lines) for lines in paragraphs if lines)
        for name, paragraphs in blocks.items()
    }


def _check_block(spec: KindSpec, block: str, paragraphs: tuple[str, ...], source: str) -> _Block:
    bspec = spec.blocks.get(block)
    if bspec is None:
        raise _invalid(source, block, "unknown_block")
    always = spec.values | bspec.values
    allowed = always | spec.maybe | bspec.maybe
    parsed: list[tuple[Node, ...]] = []
    printed: set[str] = set()
    for text in paragraphs:
        try:
            nodes = parse(text)
        except TemplateSyntaxError as problem:
            raise _invalid(source, block, "syntax", detail=str(problem)) from None
        for name in sorted(names(nodes, top_only=False) - allowed):
            raise _invalid(source, block, "unknown_value", value=name)
        top = names(nodes, top_only=True)
        for name in sorted(top - always):
            # A value that may be absent printed unconditionally would leave a hole ("：。").
            raise _invalid(source, block, "value_not_optional", value=name)
        printed |= top
        parsed.append(nodes)
    for name in sorted(bspec.must_use - printed):
        raise _invalid(source, block, "value_required", value=name)
    if not parsed and bspec.required:
        raise _invalid(source, block, "empty_block")
    return _Block(tuple(parsed))


_EMPTY: Mapping[str, str | int | None] = {}


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except OSError as exc:
        raise InputError(
            "unreadable_file", field=str(path), reason=exc.strerror or type(exc).__name__
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise _invalid(str(path), "", "too_large")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("bad_encoding", field=str(path), encoding="not UTF-8") from None


class Templates:
    """The checked wording of every letter kind, read from a folder (with the shipped files as fallback).

    ``Templates()`` is the shipped wording; ``Templates(folder)`` an agency's copies, where each file
    the folder has replaces the shipped file of the same name as a whole; ``Templates.from_texts``
    checks edited texts before they are saved (the settings page). Reading raises
    ``InputError("template_invalid", field="file [block]", reason=…)`` for a file that could print a
    placeholder, an empty value or drop the law it must state (reasons: ``syntax``, ``unknown_block``,
    ``unknown_value``, ``value_not_optional``, ``value_required``, ``missing_block``, ``empty_block``,
    ``duplicate_block``, ``text_before_block``, ``too_large``, ``unknown_file``).
    """

    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = Path(folder) if folder is not None else SHIPPED_FOLDER
        texts: dict[str, str] = {}
        sources: dict[str, str] = {}
        if self.folder.resolve() != SHIPPED_FOLDER.resolve():
            for name in SPECS:
                path = self.folder / f"{name}.txt"
                if path.is_file():
                    texts[name], sources[name] = _read(path), str(path)
        self._load(texts, sources)

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> Templates:
        """The shipped wording with some files replaced by ``texts`` (file stem → content), checked."""
        unknown = sorted(set(texts) - set(SPECS))
        if unknown:
            raise _invalid(f"{unknown[0]}.txt", "", "unknown_file")
        templates = cls.__new__(cls)
        templates.folder = SHIPPED_FOLDER
        templates._load(dict(texts), {name: f"{name}.txt" for name in texts})
        return templates

    def _load(self, texts: dict[str, str], sources: dict[str, str]) -> None:
        self.overridden: tuple[str, ...] = tuple(f"{name}.txt" for name in SPECS if name in texts)
        files: dict[str, dict[str, tuple[str, ...]]] = {}
        for name in SPECS:
            if name not in texts:
                texts[name], sources[name] = _shipped_text(name), f"{name}.txt"
            if len(texts[name].encode("utf-8")) > MAX_FILE_BYTES:
                raise _invalid(sources[name], "", "too_large")
            files[name] = parse_file(texts[name], sources[name])
        self._blocks: dict[str, dict[str, _Block]] = {}
        common = files[COMMON]
        for name, spec in SPECS.items():
            blocks: dict[str, _Block] = {}
            for block in files[name]:
                if block not in spec.blocks:
                    raise _invalid(sources[name], block, "unknown_block")
            for block, bspec in spec.blocks.items():
                if block in files[name]:
                    blocks[block] = _check_block(spec, block, files[name][block], sources[name])
                elif block in common and name != COMMON:
                    blocks[block] = _check_block(spec, block, common[block], sources[COMMON])
                elif bspec.required:
                    raise _invalid(sources[name], block, "missing_block")
            self._blocks[name] = blocks

    @classmethod
    def shipped(cls) -> Templates:
        """The shipped wording, read once per process."""
        return _shipped()

    def has(self, kind: str, block: str) -> bool:
        return block in self._blocks[kind]

    def render(self, kind: str, block: str, values: Mapping[str, str | int | None] = _EMPTY) -> list[str]:
        """The paragraphs of one block with ``values`` filled in; empty paragraphs are left out.

        ``None``, empty and blank values count as absent. A value the block always needs but that is
        absent is a bug of the caller (``KeyError``): the spec promises it.
        """
        given = {k: str(v).strip() for k, v in values.items() if v is not None and str(v).strip()}
        out = []
        for nodes in self._blocks[kind][block].paragraphs:
            text = render(nodes, given).strip()
            if text:
                out.append(text)
        return out

    def text(self, kind: str, block: str, values: Mapping[str, str | int | None] = _EMPTY) -> str:
        """A one-line block (title, closing, signature …) as one string ("" when it renders empty)."""
        return "".join(self.render(kind, block, values))


@cache
def _shipped() -> Templates:
    return Templates()


@cache
def _shipped_text(name: str) -> str:
    return _read(SHIPPED_FOLDER / f"{name}.txt")
