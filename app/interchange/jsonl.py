"""Reading and writing case files in JSON Lines (``yishen-case/1``, interfaces.md §1).

Every problem becomes an ``InputError`` located by file name and line; nothing here lets a traceback out.
Problems with the whole file (it cannot be read, it is UTF-16) are raised; problems with one line are
returned in its ``ParsedLine`` so that ``import --skip-invalid`` can go on with the others.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from app.domain.caseformat import dump_case_line, parse_case
from app.domain.errors import InputError
from app.domain.model import Case
from app.interchange.lines import ParsedLine, mark_duplicates

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
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _LineProblem("duplicate_key", key=key[:50])
        out[key] = value
    return out


def _decode_line(raw: bytes) -> object:
    text = raw.decode("utf-8")
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicate_keys)
    except _LineProblem:
        raise
    except json.JSONDecodeError as e:
        raise _LineProblem("bad_json", position=e.colno, reason=e.msg) from None
    except RecursionError:
        raise _LineProblem("too_deep") from None
    except ValueError:
        # int("…4301 digits…") exceeds Python's conversion limit.
        raise _LineProblem("number_too_long") from None


def parse_jsonl(data: bytes, source: str) -> list[ParsedLine]:
    """The cases of a JSON Lines document given as bytes (UTF-8, with or without BOM); blank lines skipped."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Notepad's "Unicode" is UTF-16: every line would fail; say so once.
        raise InputError("bad_encoding", source=source, line=1, encoding="UTF-16")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    parsed: list[ParsedLine] = []
    # Split on LF only: U+2028 and friends may legally appear inside JSON strings.
    for number, raw in enumerate(data.split(b"\n"), start=1):
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
    return mark_duplicates(parsed, source)


def read_jsonl(path: Path) -> list[ParsedLine]:
    """The cases of a ``.jsonl`` file, one ``ParsedLine`` per non-blank line.

    Raises ``InputError`` (``unreadable_file``, ``bad_encoding``) when the file as a whole cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError("unreadable_file", source=path.name, reason=e.strerror or type(e).__name__) from None
    return parse_jsonl(data, path.name)


def write_jsonl(cases: Iterable[Case], out: TextIO) -> int:
    """Write cases as canonical lines (``dump_case_line`` + ``\\n``); returns how many were written."""
    count = 0
    for case in cases:
        out.write(dump_case_line(case))
        out.write("\n")
        count += 1
    return count
