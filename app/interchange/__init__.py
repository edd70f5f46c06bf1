"""Import and export of cases: JSON Lines (interfaces.md §1) and Excel/CSV ledgers (台账).

``read_file`` picks the reader by file suffix; every reader returns one ``ParsedLine`` per line or row
and raises ``InputError`` only for problems with the file as a whole.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.errors import InputError
from app.interchange.jsonl import parse_jsonl, read_jsonl, write_jsonl
from app.interchange.ledger import LEDGER_SUFFIXES, read_ledger
from app.interchange.lines import ParsedLine
from app.progress import Progress

__all__ = [
    "ERROR_KINDS",
    "JSONL_SUFFIXES",
    "ParsedLine",
    "parse_jsonl",
    "read_file",
    "read_jsonl",
    "read_ledger",
    "write_jsonl",
]

JSONL_SUFFIXES = (".jsonl", ".ndjson")

# Kinds raised here besides those of app.domain.caseformat.ERROR_KINDS (which a line or row may carry).
ERROR_KINDS: dict[str, str] = {
    # the whole file (raised)
    "unreadable_file": "the file cannot be read; params: reason (OS message)",
    "unsupported_file_type": "not .jsonl/.ndjson/.csv/.xlsx/.xlsm; params: suffix",
    "bad_encoding": "UTF-16 file (params: encoding), or one line that is not UTF-8 (params: position)",
    "unknown_encoding": "a CSV neither UTF-8 nor GB18030; params: tried",
    "bad_csv": "the CSV reader gave up (e.g. a cell over 128 KiB); params: reason",
    "bad_xlsx": "not a readable workbook; params: reason (exception name)",
    "no_header_row": "no row among the first 20 has three known headers; params: expected",
    "missing_column": "a required column is absent; params: column",
    "duplicate_column": "two columns mean the same field; params: column",
    # one JSONL line (returned)
    "bad_json": "not JSON; params: position (character), reason",
    "bad_number": "NaN or Infinity; params: value",
    "number_too_long": "an integer beyond Python's 4300-digit conversion limit",
    "duplicate_key": "a key twice in one object; params: key",
    "too_deep": "nesting beyond the JSON decoder's recursion limit",
    # one ledger row (returned; field and params.column = the header)
    "ambiguous_choice": "a label that names a category, not a code; params: value, choices (labels)",
    # either
    "duplicate_in_file": "id or number repeats an earlier line's; params: value, first_line",
}


def read_file(path: Path, progress: Progress | None = None) -> list[ParsedLine]:
    """The cases of a ``.jsonl`` case file or a ``.csv``/``.xlsx`` ledger.

    ``progress`` gets steps by line for a case file; a ledger is read in one step (then checked for a
    cancel).
    """
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(path, progress)
    if suffix in LEDGER_SUFFIXES:
        if progress is not None:
            progress.step(0, 0, "正在读取台账")
        lines = read_ledger(path)
        if progress is not None:
            progress.check()
        return lines
    raise InputError("unsupported_file_type", source=path.name, suffix=suffix)
