"""Reading and writing case files in JSON Lines (``yishen-case/1``, interfaces.md §1).

Every problem becomes an ``InputError`` located by file name and line; nothing here lets a traceback out.
Problems with the whole file (it cannot be read, it is UTF-16) are raised; problems with one line are
returned in its ``ParsedLine`` so that ``import --skip-invalid`` can go on with the others.
"""

from __future__ import annotations

import codecs
import gc
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from app.domain.caseformat import dump_case_line, parse_case
from app.domain.errors import InputError
from app.domain.model import Case
from app.interchange.lines import ParsedLine, mark_duplicates
from app.progress import Progress

__all__ = ["parse_jsonl", "read_jsonl", "write_jsonl"]


class _LineProblem(ValueError):
    """Raised from the JSON decoder's hooks; becomes an ``InputError`` of ``kind``."""

    def __init__(self, kind: str, **params: Any) -> None:
        super().__init__(kind)
        self.kind = kind
        self.params = params


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259) although Python's decoder accepts them by default.
    raise _LineProblem("bad_number", value=name)


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # The decoder would silently keep the last of two equal keys: a "received" typed twice would lose one.
    # The dict is built in C; only an object that came out shorter than its pairs is searched, in Python,
    # for its first repeated key.
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _LineProblem("duplicate_key", key=key[:50])
            seen.add(key)
    return out


# One decoder for every line: json.loads with hooks would build a new one (and its scanner) per call.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicate_keys)
_BOM = "\ufeff"
_READING = "正在读取案件文件"


def _decode_line(raw: bytes) -> object:
    text = raw.decode("utf-8")
    try:
        if text.startswith(_BOM):
            # json.loads refuses a leading BOM so, and the decoder does not check: a BOM that starts a later
            # line (the file's own is removed in parse_jsonl) keeps getting the same error.
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return _DECODER.decode(text)
    except _LineProblem:
        raise
    except json.JSONDecodeError as e:
        raise _LineProblem("bad_json", position=e.colno, reason=e.msg) from None
    except RecursionError:
        raise _LineProblem("too_deep") from None
    except ValueError:
        # int("…4301 digits…") exceeds Python's conversion limit.
        raise _LineProblem("number_too_long") from None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing a file makes many objects and frees few (the cases are kept), so the cyclic collector would
    walk the cases parsed so far again and again and find nothing: about a fifth of the time of a large
    file (benchmarks/import_bench.py). What parsing makes holds no cycles; the collector runs again after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            # The parsed cases would otherwise all be young: the first collection after would walk every
            # one of them (7 µs a case). Freezing and at once unfreezing moves every object to the oldest
            # generation without walking it; nothing stays frozen. Skipped when the program froze objects
            # itself, which the unfreeze would undo.
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


# Lines between two progress steps: a step costs a clock read, a line about 70 µs.
_STEP_LINES = 256


def parse_jsonl(data: bytes, source: str, progress: Progress | None = None) -> list[ParsedLine]:
    """The cases of a JSON Lines document given as bytes (UTF-8, with or without BOM); blank lines skipped.

    With ``progress``: steps of lines read out of the file's lines, and ``Cancelled`` once cancelled.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Notepad's "Unicode" is UTF-16: every line would fail; say so once.
        raise InputError("bad_encoding", source=source, line=1, encoding="UTF-16")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    parsed: list[ParsedLine] = []
    with _collector_paused():
        # Split on LF only: U+2028 and friends may legally appear inside JSON strings.
        raws = data.split(b"\n")
        total = len(raws) - 1 if raws and not raws[-1].strip() else len(raws)
        for number, raw in enumerate(raws, start=1):
            if progress is not None and number % _STEP_LINES == 1:
                progress.step(number - 1, total, _READING)
            raw = raw.rstrip(b"\r")
            if not raw.strip(b" \t"):
                continue
            try:
                obj = _decode_line(raw)
            except UnicodeDecodeError as e:
                error = InputError("bad_encoding", source=source, line=number, position=e.start + 1)
                parsed.append(ParsedLine(number, error=error))
                continue
            except _LineProblem as p:
                parsed.append(
                    ParsedLine(number, error=InputError(p.kind, source=source, line=number, **p.params))
                )
                continue
            try:
                case = parse_case(obj)
            except InputError as e:
                parsed.append(ParsedLine(number, error=e.located(source=source, line=number)))
                continue
            parsed.append(ParsedLine(number, case=case))
        if progress is not None:
            progress.step(total, total, _READING)
    return mark_duplicates(parsed, source)


def read_jsonl(path: Path, progress: Progress | None = None) -> list[ParsedLine]:
    """The cases of a ``.jsonl`` file, one ``ParsedLine`` per non-blank line.

    Raises ``InputError`` (``unreadable_file``, ``bad_encoding``) when the file as a whole cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError("unreadable_file", source=path.name, reason=e.strerror or type(e).__name__) from None
    return parse_jsonl(data, path.name, progress)


def write_jsonl(cases: Iterable[Case], out: TextIO) -> int:
    """Write cases as canonical lines (``dump_case_line`` + ``\\n``); returns how many were written."""
    count = 0
    for case in cases:
        out.write(dump_case_line(case))
        out.write("\n")
        count += 1
    return count
