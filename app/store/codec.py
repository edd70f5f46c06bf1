"""Cases to table rows and back, exactly: every ``extra`` kept, items, events and notes in order.

"Fields" here are the JSON-ready values of one row (what the outbox and the diff compare);
"rows" are what is written, with JSON columns encoded as text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter
from typing import Any

from app.domain.codes import ApplicantKind, Channel, Delivery, Finding, Flag, Form
from app.domain.model import (
    Agent,
    Applicant,
    Case,
    Event,
    Item,
    Note,
    ResponsibleOrgan,
    event_from_dict,
)
from app.store.journal import dumps

_encode_text = json.encoder.encode_basestring  # a JSON string literal, unescaped (ensure_ascii=False)

# A stored row as SQLAlchemy hands it over (``Row._mapping``).
RowLike = Mapping[Any, Any]

_raw_decode = json.JSONDecoder().raw_decode


def loads(text: str) -> Any:
    """Parse JSON the store wrote itself (compact, no surrounding space): the export's hot path."""
    if text == "{}":
        return {}
    if text == "[]":
        return []
    return _raw_decode(text)[0]


CASE_JSON_FIELDS = frozenset({"applicant_agent", "applicant_extra", "tags", "flags", "extra"})
ITEM_JSON_FIELDS = frozenset({"responsible_organ", "extra"})
NOTE_JSON_FIELDS = frozenset({"extra"})


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value is not None else None


def _text(value: Any) -> str | None:
    return str(value) if value is not None else None


# Agent and responsible organ keep their unknown keys under a nested "extra" so that no unknown key
# can ever shadow a known one in storage.
def _agent_fields(agent: Agent | None) -> dict[str, Any] | None:
    if agent is None:
        return None
    return {
        "name": agent.name,
        "id_type": agent.id_type,
        "id_number": agent.id_number,
        "phone": agent.phone,
        "authorization": agent.authorization,
        "extra": dict(agent.extra),
    }


def _agent(obj: Mapping[str, Any] | None) -> Agent | None:
    if obj is None:
        return None
    return Agent(
        name=obj["name"],
        id_type=obj.get("id_type"),
        id_number=obj.get("id_number"),
        phone=obj.get("phone"),
        authorization=obj.get("authorization"),
        extra=dict(obj.get("extra") or {}),
    )


def _organ_fields(organ: ResponsibleOrgan | None) -> dict[str, Any] | None:
    if organ is None:
        return None
    return {"name": organ.name, "contact": organ.contact, "extra": dict(organ.extra)}


def _organ(obj: Mapping[str, Any] | None) -> ResponsibleOrgan | None:
    if obj is None:
        return None
    return ResponsibleOrgan(name=obj["name"], contact=obj.get("contact"), extra=dict(obj.get("extra") or {}))


def case_fields(case: Case) -> dict[str, Any]:
    a = case.applicant
    return {
        "number": case.number,
        "channel": str(case.channel),
        "arrived": _iso(case.arrived),
        "received": _iso(case.received),
        "oral_filled_by": case.oral_filled_by,
        "assistance": case.assistance,
        "clerk": case.clerk,
        "applicant_kind": str(a.kind),
        "applicant_name": a.name,
        "applicant_id_type": a.id_type,
        "applicant_id_number": a.id_number,
        "applicant_phone": a.phone,
        "applicant_email": a.email,
        "applicant_address": a.address,
        "applicant_agent": _agent_fields(a.agent),
        "applicant_extra": dict(a.extra),
        "outcome": _text(case.outcome),
        "outcome_reason": case.outcome_reason,
        "tags": list(case.tags),
        "flags": [str(f) for f in case.flags],
        "extra": dict(case.extra),
    }


def item_fields(item: Item) -> dict[str, Any]:
    return {
        "description": item.description,
        "doc_number": item.doc_number,
        "form": str(item.form),
        "delivery": str(item.delivery),
        "finding": _text(item.finding),
        "reasons": item.reasons,
        "responsible_organ": _organ_fields(item.responsible_organ),
        "extra": dict(item.extra),
    }


def event_fields(event: Event) -> dict[str, Any]:
    """type, date and the payload (``Event.to_dict`` without type and date, interfaces.md §1)."""
    payload = event.to_dict()
    type_ = payload.pop("type")
    date = payload.pop("date")
    return {"type": type_, "date": date, "payload": payload}


def note_fields(note: Note) -> dict[str, Any]:
    return {"date": note.date.isoformat(), "author": note.by, "text": note.text, "extra": dict(note.extra)}


# --------------------------------------------------------------------------- rows for the bulk import
# The values ``encode(case_fields(case))`` etc. give, as positional tuples in the column order of
# the tables, built without the intermediate dicts: the import writes one per case, item, event
# and note (tests/integration/store/test_bulk_rows.py holds them equal).


def _json_object(value: Mapping[str, Any]) -> str:
    return dumps(dict(value)) if value else "{}"


def case_row(case: Case, at: str) -> tuple[Any, ...]:
    """A row of ``cases`` (every column in table order) for a new case."""
    a = case.applicant
    agent = a.agent
    arrived = case.arrived
    received = case.received
    outcome = case.outcome
    tags = case.tags
    flags = case.flags
    return (
        case.id,
        case.number,
        str(case.channel),
        None if arrived is None else arrived.isoformat(),
        None if received is None else received.isoformat(),
        case.oral_filled_by,
        case.assistance,
        str(a.kind),
        a.name,
        a.id_type,
        a.id_number,
        a.phone,
        a.email,
        a.address,
        None if agent is None else dumps(_agent_fields(agent)),
        _json_object(a.extra),
        None if outcome is None else str(outcome),
        case.outcome_reason,
        dumps(list(tags)) if tags else "[]",
        dumps([str(f) for f in flags]) if flags else "[]",
        _json_object(case.extra),
        1,
        at,
        at,
        None,
        case.clerk,  # 0004 added the column after due_cache
    )


def item_row(item_id: str, case_id: str, position: int, item: Item) -> tuple[Any, ...]:
    """A row of ``items`` (every column in table order) for a new item."""
    finding = item.finding
    organ = item.responsible_organ
    return (
        item_id,
        case_id,
        position,
        item.description,
        item.doc_number,
        str(item.form),
        str(item.delivery),
        None if finding is None else str(finding),
        item.reasons,
        None if organ is None else dumps(_organ_fields(organ)),
        _json_object(item.extra),
        1,
    )


def _values_getter(names: tuple[str, ...]) -> Callable[[Event], tuple[Any, ...]]:
    """A function giving the values of ``names`` of an event as a tuple (one C call for most)."""
    if len(names) > 1:
        return attrgetter(*names)
    # attrgetter of one name gives the value itself, not a tuple of one.
    get = attrgetter(*names) if names else None

    def getter(event: Event) -> tuple[Any, ...]:
        return () if get is None else (get(event),)

    return getter


def _json_value(value: Any) -> str:
    """One field value of an event in JSON, as ``dumps`` of ``Event.to_dict`` writes it."""
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        return dumps(value.isoformat())
    return dumps(value)


def _payload_writer(cls: type[Event]) -> Callable[[Event], str]:
    """For events of ``cls`` without unknown keys: the JSON text of their fields in SPEC order.

    Written field by field rather than by the encoder from a dict: 2.5 → 1.2 µs an event, and an
    import writes nearly three events a case.
    """
    if not cls.SPEC:
        return lambda event: "{}"
    keys = tuple(("{" if i == 0 else ",") + _encode_text(spec.name) + ":" for i, spec in enumerate(cls.SPEC))
    getter = _values_getter(tuple(spec.name for spec in cls.SPEC))
    encode_text = _encode_text

    def write(event: Event) -> str:
        return (
            "".join(
                [
                    key
                    + (
                        encode_text(value)  # text and codes (StrEnum: the code's text)
                        if isinstance(value, str)
                        else "null"
                        if value is None
                        else _json_value(value)
                    )
                    for key, value in zip(keys, getter(event), strict=False)
                ]
            )
            + "}"
        )

    return write


_PAYLOAD_WRITERS: dict[type[Event], Callable[[Event], str]] = {}


def event_payload(event: Event) -> str:
    """The ``payload`` column of an event: ``dumps(event_fields(event)["payload"])``."""
    if event.extra:
        return dumps(event_fields(event)["payload"])
    cls = type(event)
    write = _PAYLOAD_WRITERS.get(cls)
    if write is None:
        write = _PAYLOAD_WRITERS[cls] = _payload_writer(cls)
    return write(event)


def note_row(note_id: str, case_id: str, position: int, note: Note, at: str, device: str) -> tuple[Any, ...]:
    """A row of ``notes`` (every column in table order) for a new note."""
    return (
        note_id,
        case_id,
        position,
        note.date.isoformat(),
        note.by,
        note.text,
        _json_object(note.extra),
        at,
        device,
    )


def encode(fields: Mapping[str, Any], json_fields: frozenset[str]) -> dict[str, Any]:
    """A row to write: JSON fields as text (None stays NULL)."""
    return {k: (dumps(v) if k in json_fields and v is not None else v) for k, v in fields.items()}


def decode(row: RowLike, names: Sequence[str], json_fields: frozenset[str]) -> dict[str, Any]:
    """The fields of a stored row (JSON text parsed)."""
    out: dict[str, Any] = {}
    for name in names:
        value = row[name]
        out[name] = loads(value) if name in json_fields and value is not None else value
    return out


def normalized(fields: Mapping[str, Any], json_fields: frozenset[str]) -> dict[str, Any]:
    """Fields as they will read back (tuples become lists …), so a diff sees no phantom change."""
    return {k: (loads(dumps(v)) if k in json_fields and v is not None else v) for k, v in fields.items()}


CASE_FIELD_NAMES: tuple[str, ...] = (
    "number",
    "channel",
    "arrived",
    "received",
    "oral_filled_by",
    "assistance",
    "clerk",
    "applicant_kind",
    "applicant_name",
    "applicant_id_type",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "applicant_agent",
    "applicant_extra",
    "outcome",
    "outcome_reason",
    "tags",
    "flags",
    "extra",
)
ITEM_FIELD_NAMES: tuple[str, ...] = (
    "description",
    "doc_number",
    "form",
    "delivery",
    "finding",
    "reasons",
    "responsible_organ",
    "extra",
)


def build_item(row: RowLike) -> Item:
    organ = row["responsible_organ"]
    return Item(
        description=row["description"],
        form=Form(row["form"]),
        delivery=Delivery(row["delivery"]),
        doc_number=row["doc_number"],
        finding=Finding(row["finding"]) if row["finding"] is not None else None,
        reasons=row["reasons"],
        responsible_organ=_organ(loads(organ)) if organ is not None else None,
        extra=loads(row["extra"]),
    )


def build_event(row: RowLike) -> Event:
    obj = {"type": row["type"], "date": row["date"]}
    obj.update(loads(row["payload"]))
    return event_from_dict(obj)


def build_note(row: RowLike) -> Note:
    date = dt.date.fromisoformat(row["date"])
    return Note(date=date, by=row["author"], text=row["text"], extra=loads(row["extra"]))


def build_case(
    row: RowLike,
    items: Sequence[Item],
    events: Sequence[Event],
    notes: Sequence[Note],
) -> Case:
    agent = row["applicant_agent"]
    applicant = Applicant(
        kind=ApplicantKind(row["applicant_kind"]),
        name=row["applicant_name"],
        id_type=row["applicant_id_type"],
        id_number=row["applicant_id_number"],
        phone=row["applicant_phone"],
        email=row["applicant_email"],
        address=row["applicant_address"],
        agent=_agent(loads(agent)) if agent is not None else None,
        extra=loads(row["applicant_extra"]),
    )
    outcome = row["outcome"]
    return Case(
        id=row["id"],
        number=row["number"],
        channel=Channel(row["channel"]),
        received=_date(row["received"]),
        applicant=applicant,
        items=tuple(items),
        events=tuple(events),
        arrived=_date(row["arrived"]),
        oral_filled_by=row["oral_filled_by"],
        assistance=row["assistance"],
        clerk=row["clerk"],
        outcome=Finding(outcome) if outcome is not None else None,
        outcome_reason=row["outcome_reason"],
        tags=tuple(loads(row["tags"])),
        flags=tuple(Flag(f) for f in loads(row["flags"])),
        notes=tuple(notes),
        extra=loads(row["extra"]),
    )
