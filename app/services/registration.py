"""Registering an application (登记, 条例第二十九条、第三十一条): the form's values, their check, duplicates, storing.

The form is turned into a case-file object and checked by ``parse_case`` like every other case, so the
registration form, an import and ``case edit`` accept the same cases. ``check_registration`` collects one
error per field (for messages next to the fields while the clerk types) and the warnings the law gives
(no identity proof or contact: the application can still be registered and a 补正 asked for).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.domain.caseformat import parse_case
from app.domain.codes import CONFIRMATION_CHANNELS, Channel
from app.domain.errors import InputError
from app.domain.model import Case
from app.services.ports import UnitOfWork

APPLICATION_KIND = "application"  # the attachment kind of the scanned application


@dataclass(frozen=True)
class ItemForm:
    description: str = ""
    doc_number: str = ""
    form: str = "paper"
    delivery: str = "post"


@dataclass(frozen=True)
class AgentForm:
    name: str = ""
    id_type: str = ""
    id_number: str = ""
    phone: str = ""
    authorization: str = ""


@dataclass(frozen=True)
class Confirmation:
    """条例第三十一条: the day both sides confirmed an application sent without signature, and how."""

    date: dt.date
    method: str
    by: str = ""


@dataclass(frozen=True)
class RegistrationForm:
    """What the registration form holds (Art 29 content, Art 31 receipt, Art 43 help)."""

    channel: str = "in_person"
    received: dt.date | None = None  # in person / signed post / oral: the legal receipt date
    arrived: dt.date | None = None  # the physical arrival (for confirmation channels: required)
    confirmation: Confirmation | None = None  # confirmation channels: None = awaits confirmation
    oral_filled_by: str = ""
    assistance: str = ""
    kind: str = "natural_person"
    name: str = ""
    id_type: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    agent: AgentForm | None = None
    items: tuple[ItemForm, ...] = (ItemForm(),)
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attachment:
    data: bytes
    name: str
    mime: str


@dataclass
class RegistrationCheck:
    """Errors (block saving) and warnings (shown, do not block), each an ``InputError`` naming its field."""

    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _opt(text: str) -> str | None:
    return text if text != "" else None


def registration_data(form: RegistrationForm) -> dict[str, Any]:
    """The form as a ``yishen-case/1`` object (no number yet) following the channel's receipt rule."""
    channel = form.channel
    events: list[dict[str, Any]] = []
    confirmation_channel = channel in {str(c) for c in CONFIRMATION_CHANNELS}
    if confirmation_channel:
        # 条例第三十一条第（二）（三）项: received is the confirmation day, or unknown until then.
        received = form.confirmation.date.isoformat() if form.confirmation else None
        if form.confirmation is not None:
            events.append(
                {
                    "type": "receipt_confirmed",
                    "date": received,
                    "method": form.confirmation.method,
                    "by": _opt(form.confirmation.by),
                }
            )
        arrived = form.arrived.isoformat() if form.arrived else None
    else:
        # 当面 / 邮寄签收: the day handed in or signed for; 口头: the day the form was completed.
        received = form.received.isoformat() if form.received else None
        first = form.arrived or form.received
        arrived = first.isoformat() if first is not None else None
    agent = None
    if form.agent is not None:
        a = form.agent
        agent = {
            "name": a.name,
            "id_type": _opt(a.id_type),
            "id_number": _opt(a.id_number),
            "phone": _opt(a.phone),
            "authorization": _opt(a.authorization),
        }
    return {
        "format": "yishen-case/1",
        "channel": channel,
        "arrived": arrived,
        "received": received,
        "oral_filled_by": _opt(form.oral_filled_by) if channel == Channel.ORAL else None,
        "assistance": _opt(form.assistance),
        "applicant": {
            "kind": form.kind,
            "name": form.name,
            "id_type": _opt(form.id_type),
            "id_number": _opt(form.id_number),
            "phone": _opt(form.phone),
            "email": _opt(form.email),
            "address": _opt(form.address),
            "agent": agent,
        },
        "items": [
            {
                "description": it.description,
                "doc_number": _opt(it.doc_number),
                "form": it.form,
                "delivery": it.delivery,
            }
            for it in form.items
        ],
        "events": events,
        "tags": list(form.tags),
    }


# A valid stand-in per field name, so that checking can go on past the first error to the next field.
_STAND_INS: dict[str, Any] = {
    "channel": "in_person",
    "kind": "natural_person",
    "form": "paper",
    "delivery": "post",
    "id_type": None,
    "method": "电话",
}


def _stand_in(data: dict[str, Any], path: str) -> bool:
    """Replace the value at ``path`` by a valid one; False when there is nothing sensible to put."""
    keys = path.split(".")
    target: Any = data
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target.get(key)
        if target is None:
            return False
    last = keys[-1]
    if isinstance(target, list):
        return False
    if last in _STAND_INS:
        target[last] = _STAND_INS[last]
    elif last in ("received", "arrived", "date"):
        target[last] = "2000-01-01" if target.get(last) is not None or last == "received" else None
    elif isinstance(target.get(last), str) or target.get(last) is None:
        target[last] = "—"
    else:
        return False
    return True


def _own_checks(form: RegistrationForm, today: dt.date) -> list[InputError]:
    errors = []
    confirmation_channel = form.channel in {str(c) for c in CONFIRMATION_CHANNELS}
    dates = {"received": form.received, "arrived": form.arrived}
    if form.confirmation is not None:
        dates["confirmation.date"] = form.confirmation.date
    for name, day in dates.items():
        if day is not None and day > today:
            errors.append(InputError("date_in_future", field=name, value=day.isoformat()))
    if confirmation_channel:
        if form.arrived is None:
            errors.append(InputError("arrived_required", field="arrived"))
        elif form.confirmation is not None and form.confirmation.date < form.arrived:
            errors.append(
                InputError(
                    "confirmed_before_arrival", field="confirmation.date", arrived=form.arrived.isoformat()
                )
            )
    elif form.arrived is not None and form.received is not None and form.received < form.arrived:
        errors.append(InputError("received_before_arrival", field="received"))
    if form.channel == Channel.ORAL and not form.oral_filled_by.strip():
        # 条例第二十九条: an oral application is written down by the office; record who did it.
        errors.append(InputError("oral_filled_by_required", field="oral_filled_by"))
    return errors


def check_registration(form: RegistrationForm, today: dt.date) -> RegistrationCheck:
    """Every field's first problem (``parse_case``'s and the form's own), and the warnings."""
    check = RegistrationCheck()
    data = registration_data(form)
    seen: set[str] = set()
    for _ in range(40):
        try:
            parse_case(copy.deepcopy(data))
            break
        except InputError as exc:
            field_ = exc.field
            if field_.startswith("events.0."):
                field_ = "confirmation." + field_[len("events.0.") :]
            if field_ in seen:
                break
            seen.add(field_)
            check.errors.append(InputError(exc.kind, field=field_, **exc.params))
            if not _stand_in(data, exc.field):
                break
    fields = {e.field for e in check.errors}
    check.errors += [e for e in _own_checks(form, today) if e.field not in fields]
    if not (form.id_number.strip() or (form.agent and form.agent.id_number.strip())):
        check.warnings.append(InputError("missing_identity", field="applicant.id_number"))
    if not (form.phone.strip() or form.email.strip() or form.address.strip()):
        check.warnings.append(InputError("missing_contact", field="applicant.phone"))
    return check


def register_case(
    uow: UnitOfWork,
    form: RegistrationForm,
    *,
    today: dt.date,
    attachment: Attachment | None = None,
) -> Case:
    """Store the application as a new case with the next registration number, in one transaction."""
    check = check_registration(form, today)
    if check.errors:
        raise check.errors[0]
    data = registration_data(form)
    # interfaces.md §1: numbers follow the legal receipt year (arrival while awaiting confirmation).
    year = (form.confirmation.date if form.confirmation else None) or form.received or form.arrived or today
    data["number"] = uow.cases.next_number(year.year)
    case = parse_case(data)
    uow.cases.add(case)
    if attachment is not None:
        if not attachment.data:
            raise InputError("empty_file", field="attachment", source=attachment.name)
        uow.attachments.put(
            attachment.data,
            case_id=case.id,
            name=attachment.name,
            mime=attachment.mime,
            kind=APPLICATION_KIND,
        )
    uow.commit()
    return case


# --------------------------------------------------------------------------- duplicates and repeats

_SPACE = re.compile(r"[\s，。、；：,.;:“”\"'（）()《》<>]+")
MIN_SIMILARITY = 0.6


def _normalized(text: str) -> str:
    return _SPACE.sub("", text).lower()


def _bigrams(text: str) -> set[str]:
    t = _normalized(text)
    return {t[i : i + 2] for i in range(len(t) - 1)} if len(t) > 1 else {t} if t else set()


def _phone(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


@dataclass(frozen=True)
class Similar:
    """A registered case that looks like the one being registered, and why."""

    number: str
    name: str
    received: dt.date | None
    reasons: tuple[str, ...]


class DuplicateIndex:
    """The registered cases' applicants and request texts, for the duplicate/repeat warning.

    Built once when the form opens (off the GUI thread), then asked on every keystroke: an id number
    or name+phone is a dictionary look-up; similar text goes through an index of character pairs.
    """

    def __init__(self, cases: Iterable[Case]) -> None:
        self._info: dict[str, tuple[str, dt.date | None]] = {}
        self._by_id: dict[str, set[str]] = defaultdict(set)
        self._by_name_phone: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._texts: list[tuple[str, frozenset[str]]] = []
        self._by_bigram: dict[str, list[int]] = defaultdict(list)
        for case in cases:
            a = case.applicant
            self._info[case.number] = (a.name, case.received or case.arrived)
            if a.id_number and a.id_number.strip():
                self._by_id[a.id_number.strip().upper()].add(case.number)
            if _phone(a.phone):
                self._by_name_phone[(a.name.strip(), _phone(a.phone))].add(case.number)
            for item in case.items:
                grams = frozenset(_bigrams(item.description))
                if grams:
                    index = len(self._texts)
                    self._texts.append((case.number, grams))
                    for g in grams:
                        self._by_bigram[g].append(index)

    def __len__(self) -> int:
        return len(self._info)

    def find(self, form: RegistrationForm, *, limit: int = 8) -> list[Similar]:
        reasons: dict[str, list[str]] = defaultdict(list)
        if form.id_number.strip():
            for number in self._by_id.get(form.id_number.strip().upper(), ()):
                reasons[number].append("同一证件号码")
        if form.name.strip() and _phone(form.phone):
            for number in self._by_name_phone.get((form.name.strip(), _phone(form.phone)), ()):
                reasons[number].append("同一姓名和电话")
        for item in form.items:
            grams = _bigrams(item.description)
            if len(grams) < 4:
                continue  # a few characters say nothing about similarity
            shared: Counter[int] = Counter()
            for g in grams:
                shared.update(self._by_bigram.get(g, ()))
            best: dict[str, float] = {}
            for index, common in shared.items():
                number, other = self._texts[index]
                score = common / len(grams | other)
                if score >= MIN_SIMILARITY and score > best.get(number, 0):
                    best[number] = score
            for number, score in best.items():
                reasons[number].append(f"申请内容相近（{round(score * 100)}%）")
        found = [
            Similar(number, self._info[number][0], self._info[number][1], tuple(dict.fromkeys(why)))
            for number, why in reasons.items()
        ]
        found.sort(key=lambda s: (-len(s.reasons), s.number), reverse=False)
        return found[:limit]


def duplicate_index(uow: UnitOfWork) -> DuplicateIndex:
    return DuplicateIndex(uow.cases.iter_all())
