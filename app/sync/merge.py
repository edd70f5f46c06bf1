"""Three-way, field-level merge of one changed row (design.md §5): no last-writer-wins, no silent overwrite.

For each field a clerk changed from ``base`` to ``mine`` while the other side now holds ``theirs``:

- ``theirs == base``: only this clerk changed it → take ``mine``;
- ``theirs == mine``: both made the same change → nothing to do;
- otherwise both changed it to different values → a conflict, kept until a clerk chooses.

Values are compared as canonical JSON, so ``1`` and ``true`` or ``1`` and ``1.0`` stay different,
as they are different on the wire. Pure functions: the server and the client use the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.sync.chain import canonical_json


def same(a: Any, b: Any) -> bool:
    return a is b or canonical_json(a) == canonical_json(b)


@dataclass(frozen=True)
class FieldClash:
    field: str
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class Merge:
    apply: dict[str, Any] = field(default_factory=dict)
    """Fields to write: changed only on this side."""
    agreed: list[str] = field(default_factory=list)
    """Fields both sides already changed to the same value."""
    clashes: list[FieldClash] = field(default_factory=list)


def merge_fields(changes: Mapping[str, tuple[Any, Any]], theirs: Mapping[str, Any]) -> Merge:
    """Merge ``changes`` (field → (base, mine)) into the current row ``theirs``.

    A field missing from ``theirs`` counts as null (a newer client may send fields an older row lacks).
    """
    result = Merge()
    for name, (base, mine) in changes.items():
        current = theirs.get(name)
        if same(current, mine):
            result.agreed.append(name)
        elif same(current, base):
            result.apply[name] = mine
        else:
            result.clashes.append(FieldClash(name, base, mine, current))
    return result


def edited_since(base: Mapping[str, Any], theirs: Mapping[str, Any]) -> list[str]:
    """The fields of ``base`` whose current value differs: what a delete would silently throw away."""
    return [name for name, value in base.items() if not same(theirs.get(name), value)]
