"""Cases to table rows and back, exactly: every ``extra`` kept, items, events and notes in order.

"Fields" here are the JSON-ready values of one row (what the outbox and the diff compare);
"rows" are what is written, with JSON columns encoded as text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
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
        outcome=Finding(outcome) if outcome is not None else None,
        outcome_reason=row["outcome_reason"],
        tags=tuple(loads(row["tags"])),
        flags=tuple(Flag(f) for f in loads(row["flags"])),
        notes=tuple(notes),
        extra=loads(row["extra"]),
    )
