"""Cases, applicants, items and the event timeline as plain dataclasses (interfaces.md §1).

Every record keeps the keys it did not understand in ``extra`` so that a file written by a newer
version survives a round trip through this one. Each event class declares its fields as
``FieldSpec``s; the same specs drive serialization here and validation in ``caseformat``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar, Literal

from app.domain.codes import (
    CONFIRMATION_CHANNELS,
    CONFIRMATION_METHODS,
    DELIVERY_METHODS,
    ApplicantKind,
    Channel,
    Delivery,
    FeeMethod,
    Finding,
    Flag,
    Form,
    Opinion,
    Party,
    RemedyResult,
)

CASE_FORMAT = "yishen-case/1"

FieldKind = Literal["date", "text", "int", "bool", "choice"]


@dataclass(frozen=True)
class FieldSpec:
    """One field of an event in the case file: its JSON name, kind and limits."""

    name: str
    kind: FieldKind
    required: bool = True
    choices: tuple[str, ...] = ()
    max_len: int = 2000
    min_value: int | None = None
    max_value: int | None = None


def _choices(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def new_id() -> str:
    """A client-generated UUID key (design.md §5: rows are created offline)."""
    return str(uuid.uuid4())


# --------------------------------------------------------------------------- events


@dataclass(frozen=True, kw_only=True)
class Event:
    """One entry of the append-only case timeline."""

    TYPE: ClassVar[str] = ""
    SPEC: ClassVar[tuple[FieldSpec, ...]] = ()

    date: dt.date
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The event as a case-file object: type, date, its fields in spec order, then unknown keys."""
        out: dict[str, Any] = {"type": self.TYPE, "date": self.date.isoformat()}
        for spec in self.SPEC:
            value = getattr(self, spec.name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            out[spec.name] = value
        for key in sorted(self.extra):
            out[key] = self.extra[key]
        return out


@dataclass(frozen=True, kw_only=True)
class ReceiptConfirmed(Event):
    TYPE: ClassVar[str] = "receipt_confirmed"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("method", "choice", choices=CONFIRMATION_METHODS),
        FieldSpec("by", "text", required=False, max_len=200),
    )
    method: str
    by: str | None = None


@dataclass(frozen=True, kw_only=True)
class CorrectionRequested(Event):
    TYPE: ClassVar[str] = "correction_requested"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (FieldSpec("period_end", "date"),)
    period_end: dt.date


@dataclass(frozen=True, kw_only=True)
class CorrectionReceived(Event):
    TYPE: ClassVar[str] = "correction_received"


@dataclass(frozen=True, kw_only=True)
class ConsultationSent(Event):
    TYPE: ClassVar[str] = "consultation_sent"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("id", "text", max_len=100),
        FieldSpec("party", "choice", choices=_choices(Party)),
        FieldSpec("name", "text", max_len=200),
        FieldSpec("delivered", "date", required=False),
    )
    id: str
    party: Party
    name: str
    delivered: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class ConsultationReplied(Event):
    TYPE: ClassVar[str] = "consultation_replied"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("id", "text", max_len=100),
        FieldSpec("opinion", "choice", choices=_choices(Opinion)),
        FieldSpec("reasons", "text", required=False),
    )
    id: str
    opinion: Opinion
    reasons: str | None = None


@dataclass(frozen=True, kw_only=True)
class PublicInterestNotice(Event):
    TYPE: ClassVar[str] = "public_interest_notice"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("id", "text", max_len=100),
        FieldSpec("content", "text"),
        FieldSpec("reasons", "text"),
    )
    id: str
    content: str
    reasons: str


@dataclass(frozen=True, kw_only=True)
class ExtensionApproved(Event):
    TYPE: ClassVar[str] = "extension_approved"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        # 条例第三十三条第二款: at most 20 working days, approved by the head of the office.
        FieldSpec("days", "int", min_value=1, max_value=20),
        FieldSpec("approver", "text", max_len=200),
        FieldSpec("reason", "text"),
    )
    days: int
    approver: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class DelayNotified(Event):
    TYPE: ClassVar[str] = "delay_notified"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("until", "date"),
        FieldSpec("reason", "text"),
    )
    until: dt.date
    reason: str


@dataclass(frozen=True, kw_only=True)
class FeeNotified(Event):
    TYPE: ClassVar[str] = "fee_notified"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("amount", "int", min_value=0, max_value=100_000_000),
        FieldSpec("method", "choice", choices=_choices(FeeMethod)),
        FieldSpec("delivered", "date", required=False),
    )
    amount: int
    method: FeeMethod
    delivered: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class FeePaid(Event):
    TYPE: ClassVar[str] = "fee_paid"


@dataclass(frozen=True, kw_only=True)
class FeeWaived(Event):
    TYPE: ClassVar[str] = "fee_waived"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (FieldSpec("reason", "text"),)
    reason: str


@dataclass(frozen=True, kw_only=True)
class Replied(Event):
    TYPE: ClassVar[str] = "replied"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("outcome", "choice", required=False, choices=_choices(Finding)),
    )
    outcome: Finding | None = None


@dataclass(frozen=True, kw_only=True)
class Terminated(Event):
    TYPE: ClassVar[str] = "terminated"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("outcome", "choice", choices=_choices(f for f in Finding if f.is_other)),
        FieldSpec("reason", "text", required=False),
    )
    outcome: Finding
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class Delivered(Event):
    TYPE: ClassVar[str] = "delivered"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("method", "choice", choices=DELIVERY_METHODS),
        FieldSpec("tracking", "text", required=False, max_len=100),
        FieldSpec("received", "date", required=False),
    )
    method: str
    tracking: str | None = None
    received: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class ReconsiderationFiled(Event):
    TYPE: ClassVar[str] = "reconsideration_filed"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("id", "text", max_len=100),
        FieldSpec("organ", "text", required=False, max_len=200),
    )
    id: str
    organ: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReconsiderationDecided(Event):
    TYPE: ClassVar[str] = "reconsideration_decided"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("id", "text", max_len=100),
        FieldSpec("result", "choice", required=False, choices=_choices(RemedyResult)),
        FieldSpec("decision", "text", required=False),
    )
    id: str
    result: RemedyResult | None = None
    decision: str | None = None


@dataclass(frozen=True, kw_only=True)
class LitigationFiled(Event):
    TYPE: ClassVar[str] = "litigation_filed"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("id", "text", max_len=100),
        FieldSpec("court", "text", required=False, max_len=200),
        FieldSpec("after_reconsideration", "bool"),
    )
    id: str
    after_reconsideration: bool
    court: str | None = None


@dataclass(frozen=True, kw_only=True)
class LitigationDecided(Event):
    TYPE: ClassVar[str] = "litigation_decided"
    SPEC: ClassVar[tuple[FieldSpec, ...]] = (
        FieldSpec("id", "text", max_len=100),
        FieldSpec("result", "choice", required=False, choices=_choices(RemedyResult)),
        FieldSpec("decision", "text", required=False),
        FieldSpec("instance", "int", required=False, min_value=1, max_value=9),
    )
    id: str
    result: RemedyResult | None = None
    decision: str | None = None
    instance: int | None = None


EVENT_TYPES: dict[str, type[Event]] = {
    cls.TYPE: cls
    for cls in (
        ReceiptConfirmed,
        CorrectionRequested,
        CorrectionReceived,
        ConsultationSent,
        ConsultationReplied,
        PublicInterestNotice,
        ExtensionApproved,
        DelayNotified,
        FeeNotified,
        FeePaid,
        FeeWaived,
        Replied,
        Terminated,
        Delivered,
        ReconsiderationFiled,
        ReconsiderationDecided,
        LitigationFiled,
        LitigationDecided,
    )
}

_ENUM_OF_FIELD: dict[tuple[str, str], type] = {
    ("consultation_sent", "party"): Party,
    ("consultation_replied", "opinion"): Opinion,
    ("fee_notified", "method"): FeeMethod,
    ("replied", "outcome"): Finding,
    ("terminated", "outcome"): Finding,
    ("reconsideration_decided", "result"): RemedyResult,
    ("litigation_decided", "result"): RemedyResult,
}


def event_from_values(
    type_: str, date: dt.date, values: Mapping[str, Any], extra: Mapping[str, Any]
) -> Event:
    """Build an event from already-checked values (dates as ``date``, choices as text)."""
    cls = EVENT_TYPES[type_]
    kwargs: dict[str, Any] = {}
    for spec in cls.SPEC:
        value = values.get(spec.name)
        enum = _ENUM_OF_FIELD.get((type_, spec.name))
        if enum is not None and value is not None:
            value = enum(value)
        kwargs[spec.name] = value
    return cls(date=date, extra=dict(extra), **kwargs)


def event_from_dict(obj: Mapping[str, Any]) -> Event:
    """Rebuild an event from ``Event.to_dict`` output (trusted data, e.g. read back from the store)."""
    cls = EVENT_TYPES[obj["type"]]
    known = {"type", "date"} | {s.name for s in cls.SPEC}
    values: dict[str, Any] = {}
    for spec in cls.SPEC:
        value = obj.get(spec.name)
        if spec.kind == "date" and value is not None:
            value = dt.date.fromisoformat(value)
        values[spec.name] = value
    extra = {k: v for k, v in obj.items() if k not in known}
    return event_from_values(cls.TYPE, dt.date.fromisoformat(obj["date"]), values, extra)


# --------------------------------------------------------------------------- case


@dataclass(frozen=True)
class Agent:
    """代理人 acting for the applicant."""

    name: str
    id_type: str | None = None
    id_number: str | None = None
    phone: str | None = None
    authorization: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Applicant:
    kind: ApplicantKind
    name: str
    id_type: str | None = None
    id_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    agent: Agent | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResponsibleOrgan:
    """The organ that holds the information when this one does not (条例第三十六条第（五）项)."""

    name: str
    contact: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    """One requested piece of information; it ends with its own finding."""

    description: str
    form: Form
    delivery: Delivery
    doc_number: str | None = None
    finding: Finding | None = None
    reasons: str | None = None
    responsible_organ: ResponsibleOrgan | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    date: dt.date
    by: str
    text: str
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One registered request with its items and its timeline."""

    id: str
    number: str
    channel: Channel
    received: dt.date | None
    applicant: Applicant
    items: tuple[Item, ...]
    events: tuple[Event, ...] = ()
    arrived: dt.date | None = None
    oral_filled_by: str | None = None
    assistance: str | None = None
    # The clerk (经办人) responsible for the case: a login or a name; None when nobody is recorded.
    clerk: str | None = None
    outcome: Finding | None = None
    outcome_reason: str | None = None
    tags: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    notes: tuple[Note, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def needs_confirmation(self) -> bool:
        """条例第三十一条: the clock waits for a recorded confirmation on these channels."""
        return self.channel in CONFIRMATION_CHANNELS

    def events_of(self, cls: type[Event]) -> Iterator[Event]:
        return (e for e in self.events if isinstance(e, cls))

    def with_events(self, *events: Event) -> Case:
        """A copy with events appended, kept in date order (stable for same-day events)."""
        merged = sorted((*self.events, *events), key=lambda e: e.date)
        return replace(self, events=tuple(merged))


@dataclass(frozen=True)
class AttachmentRef:
    """One attachment of a case; the content is shared by every case that has the same bytes."""

    id: str
    case_id: str
    sha256: str
    name: str
    kind: str
    mime: str
    size: int
    added_at: str


# --------------------------------------------------------------------------- agency


class AgencyKind:
    DEPARTMENT = "department"
    GOVERNMENT = "government"
    DISPATCHED_ORGAN = "dispatched_organ"
    DISPATCHED_OFFICE = "dispatched_office"
    VERTICAL = "vertical"
    STATE_COUNCIL_DEPARTMENT = "state_council_department"
    JUSTICE_BUREAU = "justice_bureau"
    AUTHORIZED_ORG = "authorized_org"
    ALL: tuple[str, ...] = (
        "department",
        "government",
        "dispatched_organ",
        "dispatched_office",
        "vertical",
        "state_council_department",
        "justice_bureau",
        "authorized_org",
    )


AGENCY_LEVELS: tuple[str, ...] = ("township", "county", "city", "province", "national")


@dataclass(frozen=True)
class Agency:
    """The agency profile (interfaces.md §2, ``agency.toml``)."""

    name: str
    kind: str
    level: str
    short_name: str = ""
    parent_government: str = ""
    parent_department: str = ""
    reconsideration_organ: str = ""
    court: str = ""
    office: str = ""
    address: str = ""
    phone: str = ""
    doc_number_pattern: str = "{short}依公开〔{year}〕{seq}号"
    # Per letter kind (app.letters.LetterKind values); a kind not listed derives its pattern from
    # ``doc_number_pattern`` (app.law.agency.doc_number_pattern_for).
    doc_number_patterns: Mapping[str, str] = field(default_factory=dict)
    fee_pauses_clock: bool = True
    reconsideration_first_findings: tuple[Finding, ...] = ()
    font: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            if f.name == "reconsideration_first_findings":
                value = [str(v) for v in value]
            elif f.name == "doc_number_patterns":
                value = {k: value[k] for k in sorted(value)}
            out[f.name] = value
        out.update({k: self.extra[k] for k in sorted(self.extra)})
        return out


# --------------------------------------------------------------------------- serialization


def _opt_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _with_extra(out: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    for key in sorted(extra):
        out[key] = extra[key]
    return out


def case_to_dict(case: Case) -> dict[str, Any]:
    """The case as one line of a ``yishen-case/1`` file, keys in the documented order."""
    a = case.applicant
    agent = None
    if a.agent is not None:
        agent = _with_extra(
            {
                "name": a.agent.name,
                "id_type": a.agent.id_type,
                "id_number": a.agent.id_number,
                "phone": a.agent.phone,
                "authorization": a.agent.authorization,
            },
            a.agent.extra,
        )
    applicant = _with_extra(
        {
            "kind": str(a.kind),
            "name": a.name,
            "id_type": a.id_type,
            "id_number": a.id_number,
            "phone": a.phone,
            "email": a.email,
            "address": a.address,
            "agent": agent,
        },
        a.extra,
    )
    items = []
    for it in case.items:
        organ = None
        if it.responsible_organ is not None:
            organ = _with_extra(
                {"name": it.responsible_organ.name, "contact": it.responsible_organ.contact},
                it.responsible_organ.extra,
            )
        items.append(
            _with_extra(
                {
                    "description": it.description,
                    "doc_number": it.doc_number,
                    "form": str(it.form),
                    "delivery": str(it.delivery),
                    "finding": str(it.finding) if it.finding is not None else None,
                    "reasons": it.reasons,
                    "responsible_organ": organ,
                },
                it.extra,
            )
        )
    out: dict[str, Any] = {
        "format": CASE_FORMAT,
        "id": case.id,
        "number": case.number,
        "channel": str(case.channel),
        "arrived": _opt_date(case.arrived),
        "received": _opt_date(case.received),
        "oral_filled_by": case.oral_filled_by,
        "assistance": case.assistance,
        "clerk": case.clerk,
        "applicant": applicant,
        "items": items,
        "events": [e.to_dict() for e in case.events],
        "outcome": str(case.outcome) if case.outcome is not None else None,
        "outcome_reason": case.outcome_reason,
        "tags": list(case.tags),
        "flags": [str(f) for f in case.flags],
        "notes": [
            _with_extra({"date": n.date.isoformat(), "by": n.by, "text": n.text}, n.extra) for n in case.notes
        ],
    }
    return _with_extra(out, case.extra)
