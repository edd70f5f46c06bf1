"""Errors raised by the core, each with a stable ``kind`` and no user-facing text.

The Chinese wording lives in ``app.messages`` (used by the CLI and the UI), so a kind can be shown
differently on screen and on the command line without the core knowing about either.
"""

from __future__ import annotations

from typing import Any


class YishenError(Exception):
    """Base of every error the user can act on; anything else is a bug."""

    kind: str = "error"

    def __init__(self, kind: str | None = None, /, **params: Any) -> None:
        if kind is not None:
            self.kind = kind
        self.params = params
        super().__init__(self.kind, params)


class InputError(YishenError):
    """Bad input: a file, a field or a command argument (CLI exit code 2).

    ``field`` is a dotted path inside one case (``applicant.name``, ``items.0.form``,
    ``events.2.date``); ``source`` and ``line`` locate the case in a file when there is one.
    """

    kind = "invalid"

    def __init__(
        self,
        kind: str | None = None,
        /,
        *,
        field: str = "",
        source: str = "",
        line: int | None = None,
        **params: Any,
    ) -> None:
        super().__init__(kind, **params)
        self.field = field
        self.source = source
        self.line = line

    def located(self, *, source: str = "", line: int | None = None, prefix: str = "") -> InputError:
        """The same error with its file, line and a field prefix filled in."""
        field = f"{prefix}.{self.field}" if prefix and self.field else (prefix or self.field)
        return InputError(
            self.kind,
            field=field,
            source=source or self.source,
            line=line if line is not None else self.line,
            **self.params,
        )


class RuleError(YishenError):
    """An action the law does not allow at this point (e.g. a second extension)."""

    kind = "rule"


class NotFound(YishenError):
    kind = "not_found"


class Conflict(YishenError):
    """The thing exists already or was changed by someone else."""

    kind = "conflict"


class StoreError(YishenError):
    """The database cannot be opened or written: wrong key, damaged file, no keyring, disk full."""

    kind = "store"
