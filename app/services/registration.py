"""Registering an application (登记, 条例第二十九条、第三十一条): the form's values, their check, duplicates, storing.

The form is turned into a case-file object and checked by ``parse_case`` like every other case, so the
registration form, an import and ``case edit`` accept the same cases. ``check_registration`` collects one
error per field (for messages next to the fields while the clerk types) and the warnings the law gives
(no identity proof or contact: the application can still be registered and a 补正 asked for).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.domain.caseformat import parse_case
from app.domain.codes import CONFIRMATION_CHANNELS, Channel
from app.domain.errors import InputError
from app.domain.listing import search_tokens
from app.domain.model import Case
from app.services.caselist import case_list_is_current, refresh_case_list
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
    """Store the application as a new case with the next registration number, in one transaction;
    the case as stored (its clerk, 经办人, is the unit's actor: whoever registers it)."""
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
    # As stored: the store makes whoever registers it the case's clerk (经办人).
    stored = uow.cases.get(case.id)
    assert stored is not None  # added above, in this transaction
    uow.commit()
    return stored


# --------------------------------------------------------------------------- duplicates and repeats

_SPACE = re.compile(r"[\s，。、；：,.;:“”\"'（）()《》<>]+")
MIN_SIMILARITY = 0.6
TEXT_CANDIDATES = 40  # best-ranked search hits scored per item
APPLICANT_CANDIDATES = 200  # latest cases of the same name or identity number looked at


def _normalized(text: str) -> str:
    return _SPACE.sub("", text).lower()


def _bigrams(text: str) -> set[str]:
    t = _normalized(text)
    return {t[i : i + 2] for i in range(len(t) - 1)} if len(t) > 1 else {t} if t else set()


def _phone(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def _id_number(text: str | None) -> str:
    return "".join((text or "").split()).upper()


@dataclass(frozen=True)
class Similar:
    """A registered case that looks like the one being registered, and why."""

    number: str
    name: str
    received: dt.date | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateCheck:
    """What ``prepare_duplicate_check`` did for the warning: the case list's search index brought up
    to date over ``cases`` registered cases. (The identity numbers need nothing read beforehand:
    they are looked up through their index, current to the last write.)"""

    cases: int

    def __len__(self) -> int:
        return self.cases


def prepare_duplicate_check(
    uow: UnitOfWork, today: dt.date, previous: DuplicateCheck | None = None
) -> DuplicateCheck:
    """Bring the case list's search index up to date for the warning.

    The index is re-read only for what changed since it was last brought up to date (a case just
    registered costs milliseconds). ``previous`` (the check of the form before, kept when the form is
    cleared for the next application) changes nothing now that identity numbers are not read
    beforehand; it is accepted so that callers need not know. Run it off the GUI thread, in a
    writable unit of work (``refresh_case_list`` commits).
    """
    del previous
    if not case_list_is_current(uow, today):
        refresh_case_list(uow, today)
    return DuplicateCheck(uow.cases.count())


def _any_of(tokens: Iterable[str]) -> str | None:
    """The FTS5 expression matching a case whose search document has any of ``tokens``."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in dict.fromkeys(tokens) if t]
    return f"grams : ({' OR '.join(quoted)})" if quoted else None


def _text_match(uow: UnitOfWork, description: str, pairs: set[str]) -> str | None:
    """The search for the cases that may ask for nearly ``description``: any of its rarest tokens.

    A case at least ``MIN_SIMILARITY`` alike shares ``need`` of the text's character pairs, at most
    ``extra`` of them outside its Chinese search tokens (pairs across a digit or a letter), so it
    has ``need - extra`` of those tokens, and any ``len(tokens) - (need - extra) + 1`` of them
    include one it has: the rarest so many say which cases to rank (an OR of every token would rank
    every case sharing a common word — at 100 000 cases ~250 ms instead of ~50).
    """
    tokens = list(dict.fromkeys(search_tokens([description])[0].split()))
    chinese = [t for t in tokens if t[0] >= "\u2e80"]
    if not chinese:
        return _any_of(tokens)
    need = math.ceil(MIN_SIMILARITY * len(pairs))
    extra = len(pairs - set(chinese))
    keep = max(1, min(len(chinese), len(chinese) - (need - extra) + 1))
    counts = uow.similar.token_counts(chinese)
    rarest = sorted(chinese, key=lambda t: counts[t])[:keep]
    return _any_of(t for t in rarest if counts[t])


def find_similar(
    uow: UnitOfWork, form: RegistrationForm, check: DuplicateCheck | None = None, *, limit: int = 8
) -> list[Similar]:
    """The registered cases of the same applicant (identity number; name and phone) or asking for
    nearly the same (character pairs shared, at least ``MIN_SIMILARITY``) — the warning of the form.

    Reads a few dozen cases, not all of them: the request texts through the search index of the case
    list (best ranked hits first, as of ``prepare_duplicate_check``), the applicant's name through
    the list's index of applicants, the identity number through its own index (current: a number
    corrected in an older case a moment ago is found). ``check`` says the search index is current;
    without it the index is used as it is.
    """
    id_number = _id_number(form.id_number)
    name = form.name.strip()
    phone = _phone(form.phone)
    wanted: dict[str, None] = dict.fromkeys(
        uow.similar.by_applicant(
            id_number=id_number or None,
            name=name if name and phone else None,
            limit=APPLICANT_CANDIDATES,
        )
    )
    texts: list[set[str]] = []
    for item in form.items:
        grams = _bigrams(item.description)
        if len(grams) < 4:
            continue  # a few characters say nothing about similarity
        texts.append(grams)
        match = _text_match(uow, item.description, grams)
        if match is None:
            continue  # none of its rarest tokens is in any case: nothing alike
        wanted.update(dict.fromkeys(uow.similar.by_text(match, limit=TEXT_CANDIDATES)))
    if not wanted:
        return []
    found: list[Similar] = []
    for c in uow.similar.candidates(wanted):
        why: list[str] = []
        if id_number and _id_number(c.id_number) == id_number:
            why.append("同一证件号码")
        if name and phone and c.name.strip() == name and _phone(c.phone) == phone:
            why.append("同一姓名和电话")
        best = 0.0
        for grams in texts:
            for other in (_bigrams(description) for description in c.items):
                if other:
                    best = max(best, len(grams & other) / len(grams | other))
        if best >= MIN_SIMILARITY:
            why.append(f"申请内容相近（{round(best * 100)}%）")
        if why:
            found.append(Similar(c.number, c.name, c.received, tuple(why)))
    found.sort(key=lambda s: (-len(s.reasons), s.number))
    return found[:limit]
