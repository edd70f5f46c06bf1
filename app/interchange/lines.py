"""One parsed line (or ledger row) of an import file: a case, or the error that stopped it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.errors import InputError
from app.domain.model import Case


@dataclass(frozen=True)
class ParsedLine:
    """Line ``line`` of a file (1-based; a ledger's row number) and either its case or its error.

    The error is located: ``source`` is the file name, ``line`` is this line, ``field`` the dotted path
    (JSONL) or the Chinese column header (ledger).
    """

    line: int
    case: Case | None = None
    error: InputError | None = None

    def __post_init__(self) -> None:
        if (self.case is None) == (self.error is None):
            raise ValueError("a ParsedLine holds exactly one of case and error")

    @property
    def ok(self) -> bool:
        return self.case is not None


def mark_duplicates(
    lines: Iterable[ParsedLine], source: str, *, number_column: str | None = None
) -> list[ParsedLine]:
    """Turn a later line whose ``id`` or ``number`` repeats an earlier line's into ``duplicate_in_file``.

    The first occurrence stays valid so that ``--skip-invalid`` keeps one of them; an unassigned number
    (``""``) is never a duplicate. ``number_column`` is a ledger's header of the number column.
    """
    first_id: dict[str, int] = {}
    first_number: dict[str, int] = {}
    out: list[ParsedLine] = []
    for parsed in lines:
        case = parsed.case
        if case is not None:
            clash: tuple[str, str, int] | None = None
            if case.id in first_id:
                clash = ("id", case.id, first_id[case.id])
            elif case.number and case.number in first_number:
                clash = ("number", case.number, first_number[case.number])
            if clash is not None:
                field, value, first = clash
                params: dict[str, object] = {"value": value, "first_line": first}
                if field == "number" and number_column is not None:
                    field = params["column"] = number_column
                error = InputError(
                    "duplicate_in_file", field=field, source=source, line=parsed.line, **params
                )
                parsed = ParsedLine(parsed.line, error=error)
            else:
                first_id[case.id] = parsed.line
                if case.number:
                    first_number[case.number] = parsed.line
        out.append(parsed)
    return out
