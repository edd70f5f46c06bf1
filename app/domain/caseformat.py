"""The validating parser and canonical writer of the ``yishen-case/1`` case file format (interfaces.md §1).

``parse_case`` turns one JSON object into a ``Case`` or raises ``InputError`` for the *first* problem,
so that ``import``, ``case edit`` and ``deadline`` accept and refuse exactly the same input. Fields are
checked in the documented order of the format (not the order of the keys in the input), then the
cross-field timeline rules run over the events in date order. Field paths are dotted: ``applicant.name``,
``items.0.form``, ``events.2.days``; an event's index is its position in the input, so the user can find it.

Decisions (the contract in detail):

* ``null`` and an absent key mean the same thing everywhere.
* Text is kept exactly as given (no trimming). A required text that is absent, ``null`` or ``""`` is
  ``required``; one of only whitespace is ``blank``. C0/C1 control characters other than ``\\n`` and
  ``\\t`` (and DEL) are refused with the code point (``control_char``), lone surrogates too
  (``invalid_char``, they cannot be written as UTF-8); nothing is stripped silently.
* Dates are ``YYYY-MM-DD`` with ASCII digits, a real calendar day, within ``DATE_MIN``…``DATE_MAX``
  (a typo like ``2206-09-16`` is caught; 条例 dates from 2008, and the deadline engine needs headroom).
* Integers must be JSON integers; an integral float such as ``20.0`` (what spreadsheets and JavaScript
  tools write) is accepted as ``20``; ``20.5``, NaN, infinities, booleans and strings are ``bad_type``.
* Booleans must be JSON ``true``/``false``.
* ``number`` absent, ``null`` or ``""`` means "not assigned yet" (``Case.number == ""``; the service
  assigns one), so an exported unassigned case imports again unchanged.
* ``id`` must be a hyphenated UUID (any case; stored lower-case); absent or ``null`` → a new one.
* Unknown keys at every level go into ``extra`` unchanged; they must be JSON values (text keys, finite
  numbers, integers within 64 bits, nesting at most ``MAX_EXTRA_DEPTH``).
* ``result`` of a 复议/诉讼 decision, when absent, is derived from the ``decision`` text
  (``result_of_decision``, domain.md §7.2) and stored, so the written file states it.
* Events are stably sorted by date: same-day events keep their input order, which is the order the
  timeline rules read them in (a ``correction_received`` listed before its same-day request is refused).

Error kinds (``InputError.kind``; Chinese wording lives in ``app.messages``) are listed in ``ERROR_KINDS``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Collection
from enum import StrEnum
from typing import Any, NoReturn, cast

from app.domain.codes import (
    CONFIRMATION_CHANNELS,
    ID_TYPES,
    ApplicantKind,
    Channel,
    Delivery,
    Finding,
    Flag,
    Form,
    RemedyResult,
)
from app.domain.errors import InputError
from app.domain.model import (
    _ENUM_OF_FIELD,
    CASE_FORMAT,
    EVENT_TYPES,
    Agent,
    Applicant,
    Case,
    ConsultationReplied,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FieldSpec,
    Item,
    LitigationDecided,
    LitigationFiled,
    Note,
    PublicInterestNotice,
    ReceiptConfirmed,
    ReconsiderationDecided,
    ReconsiderationFiled,
    ResponsibleOrgan,
    Terminated,
    case_to_dict,
    new_id,
)

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "ERROR_KINDS",
    "MAX_EXTRA_DEPTH",
    "dump_case_line",
    "parse_case",
    "parse_event",
    "result_of_decision",
]

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)
MAX_EXTRA_DEPTH = 32
_INT_LIMIT = 2**63  # extra integers must fit a signed 64-bit column in other tools

# Lengths in characters (code points).
MAX_NUMBER = 50
MAX_NAME = 200
MAX_ID_NUMBER = 50
MAX_PHONE = 50
MAX_EMAIL = 200
MAX_ADDRESS = 500
MAX_DESCRIPTION = 2000
MAX_DOC_NUMBER = 200
MAX_REASONS = 5000
MAX_CONTACT = 500
MAX_NOTE = 5000
MAX_TEXT = 2000
MAX_TAG = 50
MAX_TAGS = 50
MAX_ITEMS = 200
MAX_EVENTS = 1000
MAX_NOTES = 1000

ERROR_KINDS: dict[str, str] = {
    # shape and type
    "not_object": "the case (one line) is not a JSON object; params: got",
    "bad_key": "an object has a key that is not text; params: key",
    "bad_type": "wrong JSON type; params: expected (text|date|integer|boolean|object|list), got",
    "required": "absent, null or empty where a value is required",
    "blank": "text of only whitespace where a value is required",
    "too_long": "text longer than allowed; params: max, length",
    "too_short": "a list with fewer entries than required; params: min",
    "too_many": "a list with more entries than allowed; params: max, count",
    "too_deep": "an unknown value nested too deeply; params: max",
    "control_char": "text with a C0/C1 control character; params: codepoint (int), position (1-based)",
    "invalid_char": "text with a lone surrogate; params: codepoint, position",
    # values
    "bad_date": "not a real YYYY-MM-DD date; params: value",
    "out_of_range": "number or date outside its bounds; params: value, min, max",
    "bad_choice": "not one of the allowed codes; params: value, choices",
    "duplicate": "the same tag or flag twice; params: value",
    "unsupported_format": "`format` is not yishen-case/1; params: value, expected",
    "bad_uuid": "`id` is not a hyphenated UUID; params: value",
    # cross-field rules
    "outcome_reason_required": "`outcome` set without `outcome_reason`",
    "decision_or_result_required": "a 复议/诉讼 decision with neither result nor decision text",
    "confirmation_missing": "confirmation channel with `received` but no receipt_confirmed; params: channel",
    "confirmation_mismatch": "`received` differs from receipt_confirmed.date; params: received, confirmed",
    "timeline_two_confirmations": "a second receipt_confirmed",
    "timeline_two_corrections": "a second correction_requested (条例第三十条: once)",
    "timeline_correction_received_without_request": "correction_received with no earlier correction_requested",
    "timeline_duplicate_consultation_id": "two consultation_sent with the same id; params: id",
    "timeline_reply_unknown_consultation": "consultation_replied for an id not sent before; params: id",
    "timeline_notice_unknown_consultation": "public_interest_notice for an id not sent before; params: id",
    "timeline_two_extensions": "a second extension_approved (条例第三十三条第二款: once)",
    "timeline_before_received": "an event dated before `received`; params: date, received",
    "timeline_terminated_outcome": "terminated with a finding that is not other.*; params: value",
    "timeline_duplicate_filing_id": "two reconsideration_filed (or litigation_filed) with one id; params: id",
    "timeline_decision_unknown_filing": "a decision for an id not filed before; params: id",
}

_CASE_KEYS = frozenset(
    {
        "format",
        "id",
        "number",
        "channel",
        "arrived",
        "received",
        "oral_filled_by",
        "assistance",
        "clerk",
        "applicant",
        "items",
        "events",
        "outcome",
        "outcome_reason",
        "tags",
        "flags",
        "notes",
    }
)
_APPLICANT_KEYS = frozenset({"kind", "name", "id_type", "id_number", "phone", "email", "address", "agent"})
_AGENT_KEYS = frozenset({"name", "id_type", "id_number", "phone", "authorization"})
_ITEM_KEYS = frozenset(
    {"description", "doc_number", "form", "delivery", "finding", "reasons", "responsible_organ"}
)
_ORGAN_KEYS = frozenset({"name", "contact"})
_NOTE_KEYS = frozenset({"date", "by", "text"})


def _members_of(enum: type | None) -> dict[str, StrEnum] | None:
    """Code → member of a StrEnum class (``None`` for none)."""
    return None if enum is None else {str(m): m for m in cast("type[StrEnum]", enum)}


# Code → enum member. A dict serves as the allowed codes (``in``; ``list()`` gives the error's ``choices`` in
# declaration order) and turns a checked code into its member by lookup: calling the enum class is slow.
_CHANNELS: dict[str, Channel] = {str(c): c for c in Channel}
_APPLICANT_KINDS: dict[str, ApplicantKind] = {str(k): k for k in ApplicantKind}
_FORMS: dict[str, Form] = {str(f): f for f in Form}
_DELIVERIES: dict[str, Delivery] = {str(d): d for d in Delivery}
_FINDINGS: dict[str, Finding] = {str(f): f for f in Finding}
_FLAGS: dict[str, Flag] = {str(f): f for f in Flag}

# The keys an event of each type knows (type, date and its SPEC); any other key goes to ``extra``.
_EVENT_KEYS: dict[type[Event], frozenset[str]] = {
    cls: frozenset({"type", "date", *(spec.name for spec in cls.SPEC)}) for cls in EVENT_TYPES.values()
}
# The fields of each event type, each with its code → member table when it holds an enum (the table
# event_from_values converts by, so that parse_event builds the same event without calling the enum).
_EVENT_FIELDS: dict[type[Event], tuple[tuple[FieldSpec, dict[str, StrEnum] | None], ...]] = {
    cls: tuple((spec, _members_of(_ENUM_OF_FIELD.get((type_, spec.name)))) for spec in cls.SPEC)
    for type_, cls in EVENT_TYPES.items()
}
# The filing a 复议/诉讼 decision belongs to.
_FILING_OF: dict[type[Event], type[Event]] = {
    ReconsiderationDecided: ReconsiderationFiled,
    LitigationDecided: LitigationFiled,
}

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Date texts already found valid, and their day. A file repeats the same few hundred days, and a lookup
# costs a fraction of the regex and fromisoformat; only valid days within DATE_MIN…DATE_MAX are kept, so
# it never holds more than 36 525 entries.
_KNOWN_DAYS: dict[str, dt.date] = {}
_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# C0 except \t (09) and \n (0a), DEL, and C1: invisible, can corrupt terminals and documents
# (python-docx refuses them, design.md §9), so they are refused rather than stripped.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Either of the two above: valid text, nearly all of it, is scanned once rather than twice.
_BAD_CHAR_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _fail(kind: str, field: str, **params: Any) -> NoReturn:
    raise InputError(kind, field=field, **params)


def _json_type(value: object) -> str:
    """The JSON name of a value's type, for ``bad_type`` messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "other"


def _preview(value: object) -> str:
    """A short, safe rendering of a bad value for the error's params (never a huge or deep repr)."""
    if isinstance(value, str):
        return value if len(value) <= 50 else value[:50] + "…"
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int) and abs(value) < 10**15:
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e15:
        return repr(value)
    return _json_type(value)


def _join(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def _refuse_chars(text: str, bad: re.Match[str], path: str, key: str | int) -> NoReturn:
    """Fail for the first control character in ``text``, else for ``bad``, its first lone surrogate."""
    if _SURROGATE_RE.match(bad.group()):
        # A control character is reported before a lone surrogate, even one further on in the text.
        control = _CONTROL_RE.search(text, bad.end())
        if control is None:
            _fail("invalid_char", _join(path, key), codepoint=ord(bad.group()), position=bad.start() + 1)
        bad = control
    _fail("control_char", _join(path, key), codepoint=ord(bad.group()), position=bad.start() + 1)


# --------------------------------------------------------------------------- scalar readers

# Each reader gets the path of the enclosing object and the key (or list index) apart, and joins them into
# the dotted field path only when it fails: nearly every field passes, and building a path string for each
# read was a large share of the time spent importing a file.


def _text(value: object, path: str, key: str | int, *, max_len: int, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            _fail("required", _join(path, key))
        return None if value is None else ""
    if not isinstance(value, str):
        _fail("bad_type", _join(path, key), expected="text", got=_json_type(value))
    if len(value) > max_len:
        _fail("too_long", _join(path, key), max=max_len, length=len(value))
    if required and not value.strip():
        _fail("blank", _join(path, key))
    bad = _BAD_CHAR_RE.search(value)
    if bad is not None:
        _refuse_chars(value, bad, path, key)
    return value


def _date(value: object, path: str, key: str | int, *, required: bool = False) -> dt.date | None:
    if type(value) is str and value in _KNOWN_DAYS:  # exactly str: a subclass may redefine == and hash
        return _KNOWN_DAYS[value]
    if value is None:
        if required:
            _fail("required", _join(path, key))
        return None
    if not isinstance(value, str):
        _fail("bad_type", _join(path, key), expected="date", got=_json_type(value))
    if value == "" and required:
        _fail("required", _join(path, key))
    if not _DATE_RE.fullmatch(value):
        _fail("bad_date", _join(path, key), value=_preview(value))
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        _fail("bad_date", _join(path, key), value=value)
    if not DATE_MIN <= day <= DATE_MAX:
        _fail(
            "out_of_range",
            _join(path, key),
            value=value,
            min=DATE_MIN.isoformat(),
            max=DATE_MAX.isoformat(),
        )
    if type(value) is str:
        _KNOWN_DAYS[value] = day
    return day


def _choice(
    value: object, path: str, key: str | int, choices: Collection[str], *, required: bool = False
) -> str | None:
    if value is None:
        if required:
            _fail("required", _join(path, key))
        return None
    if not isinstance(value, str):
        _fail("bad_type", _join(path, key), expected="text", got=_json_type(value))
    if value == "" and required:
        _fail("required", _join(path, key))
    if value not in choices:
        _fail("bad_choice", _join(path, key), value=_preview(value), choices=list(choices))
    return value


def _int(
    value: object,
    path: str,
    key: str | int,
    *,
    required: bool,
    min_value: int | None,
    max_value: int | None,
) -> int | None:
    if value is None:
        if required:
            _fail("required", _join(path, key))
        return None
    if isinstance(value, bool):
        _fail("bad_type", _join(path, key), expected="integer", got="boolean")
    if isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer()):
            _fail("bad_type", _join(path, key), expected="integer", got="number")
        value = int(value)
    if not isinstance(value, int):
        _fail("bad_type", _join(path, key), expected="integer", got=_json_type(value))
    if (min_value is not None and value < min_value) or (max_value is not None and value > max_value):
        _fail("out_of_range", _join(path, key), value=_preview(value), min=min_value, max=max_value)
    return value


def _bool(value: object, path: str, key: str | int, *, required: bool) -> bool | None:
    if value is None:
        if required:
            _fail("required", _join(path, key))
        return None
    if not isinstance(value, bool):
        _fail("bad_type", _join(path, key), expected="boolean", got=_json_type(value))
    return value


def _list(value: object, path: str, key: str, *, max_items: int, required: bool = False) -> list[object]:
    if value is None:
        if required:
            _fail("required", _join(path, key))
        return []
    if not isinstance(value, list | tuple):
        _fail("bad_type", _join(path, key), expected="list", got=_json_type(value))
    if len(value) > max_items:
        _fail("too_many", _join(path, key), max=max_items, count=len(value))
    return list(value)


def _json_value(value: object, field: str, depth: int = 0) -> Any:
    """A copy of an unknown value as plain JSON data; refuses what cannot be written back as JSON."""
    if depth > MAX_EXTRA_DEPTH:
        _fail("too_deep", field, max=MAX_EXTRA_DEPTH)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not -_INT_LIMIT <= value < _INT_LIMIT:
            _fail("out_of_range", field, value=_preview(value), min=-_INT_LIMIT, max=_INT_LIMIT - 1)
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            _fail("bad_type", field, expected="number", got="non-finite number")
        return value
    if isinstance(value, str):
        bad = _SURROGATE_RE.search(value)
        if bad is not None:
            _fail("invalid_char", field, codepoint=ord(bad.group()), position=bad.start() + 1)
        return value
    if isinstance(value, list | tuple):
        return [_json_value(v, _join(field, i), depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                _fail("bad_key", field, key=_preview(k))
            _json_value(k, field, depth + 1)  # the key is text too: no lone surrogates
            out[k] = _json_value(v, _join(field, k), depth + 1)
        return out
    _fail("bad_type", field, expected="JSON value", got=_json_type(value))


# --------------------------------------------------------------------------- objects


class _Obj:
    """One JSON object being read, with its dotted path for errors.

    Each reader takes the usual value (valid text, a known code, a day seen before, null) in a few tests of
    its own and hands anything else to the checking function, which accepts or refuses it: one call a field.
    """

    __slots__ = ("path", "value")

    def __init__(self, value: object, path: str) -> None:
        if not isinstance(value, dict):
            _fail("bad_type", path, expected="object", got=_json_type(value))
        # json.loads makes only text keys, but a caller may pass any dict. Joining the keys tests them all
        # in C (str and its subclasses pass, like isinstance); only a failure looks for the culprit.
        try:
            "".join(value)
        except TypeError:
            for key in value:
                if not isinstance(key, str):
                    _fail("bad_key", path, key=_preview(key))
            raise
        self.value: dict[str, object] = value
        self.path = path

    def at(self, key: str | int) -> str:
        return _join(self.path, key)

    def get(self, key: str) -> object:
        return self.value.get(key)

    def text(self, key: str, max_len: int, required: bool = False) -> str | None:
        value = self.value.get(key)
        if type(value) is str:
            if (
                value
                and len(value) <= max_len
                and not (required and value.isspace())
                and _BAD_CHAR_RE.search(value) is None
            ):
                return value
        elif value is None and not required:
            return None
        return _text(value, self.path, key, max_len=max_len, required=required)

    def required_text(self, key: str, max_len: int) -> str:
        value = self.text(key, max_len, True)
        assert value is not None  # _text raised otherwise
        return value

    def date(self, key: str, required: bool = False) -> dt.date | None:
        value = self.value.get(key)
        if type(value) is str:  # exactly str: a subclass may redefine == and hash
            day = _KNOWN_DAYS.get(value)
            if day is not None:
                return day
        elif value is None and not required:
            return None
        return _date(value, self.path, key, required=required)

    def choice(self, key: str, choices: Collection[str], required: bool = False) -> str | None:
        value = self.value.get(key)
        if type(value) is str:
            if value in choices:
                return value
        elif value is None and not required:
            return None
        return _choice(value, self.path, key, choices, required=required)

    def required_choice(self, key: str, choices: Collection[str]) -> str:
        value = self.choice(key, choices, True)
        assert value is not None  # _choice raised otherwise
        return value

    def extra(self, known: frozenset[str]) -> dict[str, Any]:
        if self.value.keys() <= known:
            return {}  # the usual case (no unknown key), decided without a loop in Python
        return {k: _json_value(v, self.at(k)) for k, v in self.value.items() if k not in known}


def parse_event(obj: object, path: str = "") -> Event:
    """One timeline event, checked field by field against its class's SPEC (no timeline rules)."""
    o = _Obj(obj, path)
    type_ = o.required_choice("type", EVENT_TYPES)
    cls = EVENT_TYPES[type_]
    date = o.date("date", True)
    assert date is not None
    values: dict[str, Any] = {}
    for spec, members in _EVENT_FIELDS[cls]:
        name = spec.name
        kind = spec.kind
        value: object
        if kind == "text":
            value = o.text(name, spec.max_len, spec.required)
        elif kind == "date":
            value = o.date(name, spec.required)
        elif kind == "choice":
            if cls is Terminated and name == "outcome":
                raw = o.get(name)
                if isinstance(raw, str) and raw in _FINDINGS and not _FINDINGS[raw].is_other:
                    # 条例第三十条、第四十二条: only withdrawal or deemed withdrawal ends a case without a reply.
                    _fail("timeline_terminated_outcome", o.at("outcome"), value=raw)
            value = o.choice(name, spec.choices, spec.required)
        elif kind == "int":
            value = _int(
                o.get(name),
                path,
                name,
                required=spec.required,
                min_value=spec.min_value,
                max_value=spec.max_value,
            )
        else:
            value = _bool(o.get(name), path, name, required=spec.required)
        if members is not None and isinstance(value, str):
            value = members[value]
        values[name] = value
    if cls in (ReconsiderationDecided, LitigationDecided) and values.get("result") is None:
        decision = values.get("decision")
        if not isinstance(decision, str) or not decision.strip():
            _fail("decision_or_result_required", o.at("result"))
        values["result"] = result_of_decision(decision)
    # Built here rather than by event_from_values, which turns codes into members by calling the enum
    # classes (slow); the members come from the same table (_ENUM_OF_FIELD), so the event is the same.
    return cls(date=date, extra=o.extra(_EVENT_KEYS[cls]), **values)


def _parse_agent(value: object, path: str) -> Agent:
    o = _Obj(value, path)
    return Agent(
        name=o.required_text("name", MAX_NAME),
        id_type=o.choice("id_type", ID_TYPES),
        id_number=o.text("id_number", MAX_ID_NUMBER),
        phone=o.text("phone", MAX_PHONE),
        authorization=o.text("authorization", MAX_TEXT),
        extra=o.extra(_AGENT_KEYS),
    )


def _parse_applicant(value: object) -> Applicant:
    if value is None:
        _fail("required", "applicant")
    o = _Obj(value, "applicant")
    kind = o.required_choice("kind", _APPLICANT_KINDS)
    name = o.required_text("name", MAX_NAME)
    id_type = o.choice("id_type", ID_TYPES)
    id_number = o.text("id_number", MAX_ID_NUMBER)
    phone = o.text("phone", MAX_PHONE)
    email = o.text("email", MAX_EMAIL)
    address = o.text("address", MAX_ADDRESS)
    raw_agent = o.get("agent")
    agent = None if raw_agent is None else _parse_agent(raw_agent, o.at("agent"))
    return Applicant(
        kind=_APPLICANT_KINDS[kind],
        name=name,
        id_type=id_type,
        id_number=id_number,
        phone=phone,
        email=email,
        address=address,
        agent=agent,
        extra=o.extra(_APPLICANT_KEYS),
    )


def _parse_item(value: object, path: str) -> Item:
    o = _Obj(value, path)
    description = o.required_text("description", MAX_DESCRIPTION)
    doc_number = o.text("doc_number", MAX_DOC_NUMBER)
    form = o.required_choice("form", _FORMS)
    delivery = o.required_choice("delivery", _DELIVERIES)
    finding = o.choice("finding", _FINDINGS)
    reasons = o.text("reasons", MAX_REASONS)
    organ = None
    raw_organ = o.get("responsible_organ")
    if raw_organ is not None:
        # 条例第三十六条第（五）项: name the organ that holds it and how to reach it.
        r = _Obj(raw_organ, o.at("responsible_organ"))
        organ = ResponsibleOrgan(
            name=r.required_text("name", MAX_NAME),
            contact=r.text("contact", MAX_CONTACT),
            extra=r.extra(_ORGAN_KEYS),
        )
    return Item(
        description=description,
        form=_FORMS[form],
        delivery=_DELIVERIES[delivery],
        doc_number=doc_number,
        finding=_FINDINGS[finding] if finding is not None else None,
        reasons=reasons,
        responsible_organ=organ,
        extra=o.extra(_ITEM_KEYS),
    )


def _parse_note(value: object, path: str) -> Note:
    o = _Obj(value, path)
    date = o.date("date", True)
    assert date is not None
    by = o.text("by", MAX_NAME)
    text = o.required_text("text", MAX_NOTE)
    return Note(date=date, by=by or "", text=text, extra=o.extra(_NOTE_KEYS))


def _parse_tags(value: object) -> tuple[str, ...]:
    tags: list[str] = []
    for i, raw in enumerate(_list(value, "", "tags", max_items=MAX_TAGS)):
        tag = _text(raw, "tags", i, max_len=MAX_TAG, required=True)
        assert tag is not None
        if tag in tags:
            _fail("duplicate", f"tags.{i}", value=tag)
        tags.append(tag)
    return tuple(tags)


def _parse_flags(value: object) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    for i, raw in enumerate(_list(value, "", "flags", max_items=len(_FLAGS))):
        code = _choice(raw, "flags", i, _FLAGS, required=True)
        assert code is not None
        flag = _FLAGS[code]
        if flag in flags:
            _fail("duplicate", f"flags.{i}", value=code)
        flags.append(flag)
    return tuple(flags)


# --------------------------------------------------------------------------- the case


def parse_case(obj: object) -> Case:
    """One case of the file format, validated; raises ``InputError`` for the first problem found."""
    if not isinstance(obj, dict):
        raise InputError("not_object", got=_json_type(obj))
    o = _Obj(obj, "")

    fmt = o.get("format")
    if fmt is not None and fmt != CASE_FORMAT:
        _fail("unsupported_format", "format", value=_preview(fmt), expected=CASE_FORMAT)

    raw_id = o.get("id")
    if raw_id is None:
        case_id = new_id()
    elif not isinstance(raw_id, str):
        _fail("bad_type", "id", expected="text", got=_json_type(raw_id))
    elif not _UUID_RE.fullmatch(raw_id):
        _fail("bad_uuid", "id", value=_preview(raw_id))
    else:
        case_id = raw_id.lower()

    number = o.text("number", MAX_NUMBER) or ""
    if number and not number.strip():
        _fail("blank", "number")

    channel = _CHANNELS[o.required_choice("channel", _CHANNELS)]
    arrived = o.date("arrived")
    received = o.date("received")
    # 条例第三十一条: only a channel whose receipt date is the confirmation day may lack it.
    if received is None and channel not in CONFIRMATION_CHANNELS:
        _fail("required", "received")
    oral_filled_by = o.text("oral_filled_by", MAX_NAME)
    assistance = o.text("assistance", MAX_TEXT)
    clerk = o.text("clerk", MAX_NAME)
    if clerk is not None and not clerk.strip():
        _fail("blank", "clerk")

    applicant = _parse_applicant(o.get("applicant"))

    raw_items = _list(o.get("items"), "", "items", max_items=MAX_ITEMS, required=True)
    if not raw_items:
        # 条例第二十九条: an application describes at least one piece of information.
        _fail("too_short", "items", min=1)
    items = tuple(_parse_item(v, f"items.{i}") for i, v in enumerate(raw_items))

    raw_events = _list(o.get("events"), "", "events", max_items=MAX_EVENTS)
    indexed = [(i, parse_event(v, f"events.{i}")) for i, v in enumerate(raw_events)]
    indexed.sort(key=lambda pair: pair[1].date)  # stable: same-day events keep their input order

    outcome_code = o.choice("outcome", _FINDINGS)
    outcome_reason = o.text("outcome_reason", MAX_TEXT)
    if outcome_code is not None and (outcome_reason is None or not outcome_reason.strip()):
        # domain.md §5: an explicit override of the derived outcome must say why.
        _fail("outcome_reason_required", "outcome_reason")

    tags = _parse_tags(o.get("tags"))
    flags = _parse_flags(o.get("flags"))
    raw_notes = _list(o.get("notes"), "", "notes", max_items=MAX_NOTES)
    notes = tuple(_parse_note(v, f"notes.{i}") for i, v in enumerate(raw_notes))
    extra = o.extra(_CASE_KEYS)

    _check_timeline(channel, received, indexed)

    return Case(
        id=case_id,
        number=number,
        channel=channel,
        received=received,
        applicant=applicant,
        items=items,
        events=tuple(e for _, e in indexed),
        arrived=arrived,
        oral_filled_by=oral_filled_by,
        assistance=assistance,
        clerk=clerk,
        outcome=_FINDINGS[outcome_code] if outcome_code is not None else None,
        outcome_reason=outcome_reason,
        tags=tags,
        flags=flags,
        notes=notes,
        extra=extra,
    )


# The event types that have a rule of their own in _check_timeline (keep in step with it). The others —
# confirmations, replies, deliveries, fees: most events — are passed over with one test instead of ten.
_TIMELINE_RULED: tuple[type[Event], ...] = (
    CorrectionRequested,
    CorrectionReceived,
    ConsultationSent,
    ConsultationReplied,
    PublicInterestNotice,
    ExtensionApproved,
    ReconsiderationFiled,
    LitigationFiled,
    ReconsiderationDecided,
    LitigationDecided,
)


# parse_event makes events of exactly these classes, so a set look-up replaces isinstance over ten classes.
_TIMELINE_RULED_TYPES: frozenset[type[Event]] = frozenset(_TIMELINE_RULED)


def _check_timeline(channel: Channel, received: dt.date | None, indexed: list[tuple[int, Event]]) -> None:
    """The timeline rules of interfaces.md §1, over events in date order (``indexed`` is sorted).

    An event's field path (``events.<input index>``) is built only for the error.
    """
    if channel in CONFIRMATION_CHANNELS:
        confirmations = [(i, e) for i, e in indexed if isinstance(e, ReceiptConfirmed)]
        # 条例第三十一条第（二）（三）项: the legal receipt date *is* the recorded confirmation day.
        if len(confirmations) > 1:
            _fail("timeline_two_confirmations", f"events.{confirmations[1][0]}")
        if confirmations:
            confirmed = confirmations[0][1].date
            if received != confirmed:
                _fail(
                    "confirmation_mismatch",
                    "received",
                    received=received.isoformat() if received else None,
                    confirmed=confirmed.isoformat(),
                )
        elif received is not None:
            _fail("confirmation_missing", "received", channel=str(channel))

    corrections_requested = 0
    consultations: set[str] = set()
    extensions = 0
    filed: dict[type[Event], set[str]] = {ReconsiderationFiled: set(), LitigationFiled: set()}
    for i, event in indexed:
        if received is not None and event.date < received and not isinstance(event, ReceiptConfirmed):
            # 条例第三十一条: nothing can happen to an application before it was received.
            _fail(
                "timeline_before_received",
                f"events.{i}.date",
                date=event.date.isoformat(),
                received=received.isoformat(),
            )
        if type(event) not in _TIMELINE_RULED_TYPES:
            continue
        if isinstance(event, CorrectionRequested):
            corrections_requested += 1
            if corrections_requested > 1:
                # 条例第三十条: the agency asks for a correction once, listing everything.
                _fail("timeline_two_corrections", f"events.{i}")
        elif isinstance(event, CorrectionReceived):
            if not corrections_requested:
                _fail("timeline_correction_received_without_request", f"events.{i}")
        elif isinstance(event, ConsultationSent):
            if event.id in consultations:
                _fail("timeline_duplicate_consultation_id", f"events.{i}.id", id=event.id)
            consultations.add(event.id)
        elif isinstance(event, ConsultationReplied):
            if event.id not in consultations:
                _fail("timeline_reply_unknown_consultation", f"events.{i}.id", id=event.id)
        elif isinstance(event, PublicInterestNotice):
            # 条例第三十二条: the notice tells the consulted third party of a disclosure over its objection.
            if event.id not in consultations:
                _fail("timeline_notice_unknown_consultation", f"events.{i}.id", id=event.id)
        elif isinstance(event, ExtensionApproved):
            extensions += 1
            if extensions > 1:
                # 条例第三十三条第二款: one extension of at most 20 working days.
                _fail("timeline_two_extensions", f"events.{i}")
        elif isinstance(event, ReconsiderationFiled | LitigationFiled):
            ids = filed[type(event)]
            if event.id in ids:
                _fail("timeline_duplicate_filing_id", f"events.{i}.id", id=event.id)
            ids.add(event.id)
        elif (
            isinstance(event, ReconsiderationDecided | LitigationDecided)
            and event.id not in filed[_FILING_OF[type(event)]]
        ):
            # domain.md §7.2: a decision is counted under its filing, so the filing must be recorded.
            _fail("timeline_decision_unknown_filing", f"events.{i}.id", id=event.id)


# --------------------------------------------------------------------------- decisions → results

# domain.md §7.2. Checked in this order: a decision that terminates, is withdrawn, is settled by mediation
# or is not accepted is "other" even when its text recounts what the organ corrected meanwhile; then any
# correction (a partial correction counts as corrected); then upholding. 复议法 (2023) 第六十三至六十九条
# wording is covered: 责令履行/责令重新作出/责令采取补救措施 (all 责令…), 确认无效, 驳回…行政复议请求.
_OTHER_WORDS = ("终止", "撤回", "调解", "不予受理")
_CORRECTED_WORDS = ("撤销", "变更", "确认违法", "确认无效", "责令")
_UPHELD_RE = re.compile(r"维持|驳回[^，。；,;]{0,10}?(?:复议|诉讼)(?:申请|请求)")


def result_of_decision(text: str) -> RemedyResult:
    """The annual-report result of a 复议/诉讼 decision described in words (domain.md §7.2)."""
    words = "".join(text.split())
    if any(w in words for w in _OTHER_WORDS):
        return RemedyResult.OTHER
    if any(w in words for w in _CORRECTED_WORDS):
        return RemedyResult.CORRECTED
    if _UPHELD_RE.search(words):
        return RemedyResult.UPHELD
    return RemedyResult.OTHER


# --------------------------------------------------------------------------- writing


def dump_case_line(case: Case) -> str:
    """The case as one canonical line of a ``yishen-case/1`` file (no newline; keys in documented order)."""
    return json.dumps(case_to_dict(case), ensure_ascii=False, separators=(",", ":"))
