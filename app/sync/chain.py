"""The audit hash chain (design.md §3, §5), one definition for the client's store and the sync server.

``entry_hash = sha256(prev_hash + canonical JSON of the entry)`` where the entry is
``{action, actor, at, entity, entity_id, payload, seq}`` and the first entry's ``prev_hash`` is 64
zeros. Canonical JSON: sorted keys, compact separators, Chinese unescaped. Pure functions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def json_encoder(*, sort_keys: bool) -> Callable[[Any], str]:
    """Compact, unescaped JSON text of a value, as ``json.JSONEncoder(...).encode`` writes it.

    ``JSONEncoder.encode`` makes a new C encoder on every call (about 4 µs, most of the cost of
    the small objects the bulk import encodes: five per case). This makes the C encoder once.
    Without circular-reference markers: the values are parsed JSON and the store's own fields,
    which hold no cycles.
    """
    reference = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator (another interpreter)
        return reference.encode
    iterencode = make(
        None, reference.default, json.encoder.encode_basestring, None, ":", ",", sort_keys, False, True
    )
    join = "".join

    def encode(value: Any) -> str:
        return join(iterencode(value, 0))

    return encode


compact_json = json_encoder(sort_keys=False)
canonical_json = json_encoder(sort_keys=True)
"""The one text form values are compared (merge) and hashed (audit chain) in."""

_encode_text = json.encoder.encode_basestring  # a JSON string literal, unescaped (ensure_ascii=False)


def json_text(value: str) -> str:
    """The JSON literal of a string field of an entry (a non-string is encoded compactly)."""
    return _encode_text(value) if type(value) is str else compact_json(value)


def entry_body(
    *, seq: int, at: str, actor: str, action: str, entity: str, entity_id: str, payload_json: str
) -> str:
    """``canonical_json`` of the entry as a dict, built by hand (the bulk import hashes one per case).

    ``payload_json`` must already be ``canonical_json`` of the payload.
    """
    return (
        f'{{"action":{json_text(action)},"actor":{json_text(actor)},"at":{json_text(at)},'
        f'"entity":{json_text(entity)},"entity_id":{json_text(entity_id)},'
        f'"payload":{payload_json},"seq":{int(seq)}}}'
    )


def entry_hash(
    prev_hash: str,
    *,
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    payload: Any,
) -> str:
    body = entry_body(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        payload_json=canonical_json(payload),
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    first_broken_seq: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def check_chain(rows: Iterable[Any]) -> ChainCheck:
    """Recompute the chain over audit rows in ``seq`` order; name the first entry that does not fit.

    Each row has ``seq, at, actor, action, entity, entity_id, payload`` (JSON text), ``prev_hash``
    and ``entry_hash``. An edited entry breaks its own hash; a deleted or inserted one breaks the
    link of the next. Removing entries from the very end cannot be seen by a chain alone.
    """
    prev = GENESIS_HASH
    count = 0
    for expected_seq, row in enumerate(rows, start=1):
        count += 1
        try:
            payload = json.loads(row.payload)
        except ValueError:
            return ChainCheck(count, int(row.seq))
        digest = entry_hash(
            prev,
            seq=int(row.seq),
            at=row.at,
            actor=row.actor,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            payload=payload,
        )
        if row.seq != expected_seq or row.prev_hash != prev or row.entry_hash != digest:
            return ChainCheck(count, int(row.seq))
        prev = row.entry_hash
    return ChainCheck(count, None)
