"""Hypothesis strategies for case-file objects: valid cases (by construction) and arbitrary JSON."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import strategies as st

from app.domain.codes import (
    CONFIRMATION_CHANNELS,
    CONFIRMATION_METHODS,
    DELIVERY_METHODS,
    ID_TYPES,
    ApplicantKind,
    Channel,
    Delivery,
    Finding,
    Flag,
    Form,
)


def minimal_case(**changes: Any) -> dict[str, Any]:
    """The smallest valid case; ``changes`` replace top-level keys."""
    case: dict[str, Any] = {
        "format": "yishen-case/1",
        "number": "2026-0001",
        "channel": "in_person",
        "received": "2026-09-16",
        "applicant": {"kind": "natural_person", "name": "张三"},
        "items": [{"description": "2025年某村土地征收补偿安置方案", "form": "paper", "delivery": "post"}],
        "events": [],
    }
    case.update(changes)
    return case


# Text a clerk could type: Chinese, ASCII, full-width punctuation, markup, emoji, odd but legal spaces and
# separators, line breaks and tabs — no control characters and no lone surrogates. A fixed alphabet keeps
# generation fast (the round-trip tests draw thousands of strings).
_ALPHABET = "张三李四某市局村征收补偿安置方案（）、，。“”《》〔〕abcXYZ019 -_/<>&\"'\\{}[]:\n\t😀\u2028\u3000\u00a0é\ufeff"
_CHARS = st.sampled_from(_ALPHABET)


def texts(max_size: int = 20) -> st.SearchStrategy[str]:
    """Non-blank text of 1…max_size characters."""
    return st.builds(
        lambda head, tail: head + tail, st.sampled_from("张某a1"), st.text(_ALPHABET, max_size=max_size - 1)
    )


def opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def iso(day: dt.date) -> str:
    return day.isoformat()


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(_CHARS, max_size=10)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(_CHARS, max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
_some_extras = st.dictionaries(
    st.text(_CHARS, min_size=1, max_size=8).map(lambda k: "x_" + k), json_values, max_size=2
)
# Unknown keys at a level: usually none (each draw costs time and every level asks), sometimes a few.
extras = st.one_of(st.just({}), st.just({}), st.just({}), _some_extras)

# Anything JSON can hold, and more: NaN, infinities, huge integers, control characters, surrogates.
hostile_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**20, max_value=10**40)
    | st.floats()
    | st.text()
    | st.text(st.characters(min_codepoint=0, max_codepoint=0x9F))
    | st.sampled_from(["", " ", "2026-09-16", "2026-2-3", "yishen-case/1", "<img src=x>", "\ud800"])
)
hostile_values = st.recursive(
    hostile_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=15,
)


@st.composite
def applicants(draw: st.DrawFn) -> dict[str, Any]:
    applicant: dict[str, Any] = {
        "kind": draw(st.sampled_from(list(ApplicantKind))).value,
        "name": draw(texts(40)),
    }
    if draw(st.booleans()):
        applicant["id_type"] = draw(st.sampled_from(ID_TYPES))
        applicant["id_number"] = draw(texts(18))
        applicant["phone"] = draw(opt(texts(15)))
        applicant["email"] = draw(opt(texts(30)))
        applicant["address"] = draw(opt(texts(60)))
    if draw(st.booleans()):
        agent: dict[str, Any] = {"name": draw(texts(20)), "id_type": draw(opt(st.sampled_from(ID_TYPES)))}
        agent["authorization"] = draw(opt(texts(30)))
        agent.update(draw(extras))
        applicant["agent"] = agent
    applicant.update(draw(extras))
    return applicant


@st.composite
def items(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {
        "description": draw(texts(100)),
        "form": draw(st.sampled_from(list(Form))).value,
        "delivery": draw(st.sampled_from(list(Delivery))).value,
    }
    if draw(st.booleans()):
        item["finding"] = draw(st.sampled_from(list(Finding))).value
        item["reasons"] = draw(opt(texts(100)))
        item["doc_number"] = draw(opt(texts(20)))
    if draw(st.booleans()):
        item["responsible_organ"] = {"name": draw(texts(20)), "contact": draw(opt(texts(20)))} | draw(extras)
    item.update(draw(extras))
    return item


@st.composite
def timelines(draw: st.DrawFn, start: dt.date) -> list[dict[str, Any]]:
    """Events that obey the timeline rules, in date order, all on or after ``start``."""
    day = start
    events: list[dict[str, Any]] = []

    def later() -> str:
        nonlocal day
        day += dt.timedelta(days=draw(st.integers(0, 10)))
        return iso(day)

    if draw(st.booleans()):
        events.append(
            {"type": "correction_requested", "date": later(), "period_end": iso(day + dt.timedelta(14))}
        )
        if draw(st.booleans()):
            events.append({"type": "correction_received", "date": later()})
    if draw(st.booleans()):
        party = draw(st.sampled_from(["third_party", "agency"]))
        events.append(
            {"type": "consultation_sent", "date": later(), "id": "c1", "party": party, "name": draw(texts())}
        )
        if draw(st.booleans()):
            opinion = draw(st.sampled_from(["agree", "object", "none"]))
            events.append({"type": "consultation_replied", "date": later(), "id": "c1", "opinion": opinion})
        if draw(st.booleans()):
            notice = {"type": "public_interest_notice", "date": later(), "id": "c1"}
            events.append(notice | {"content": draw(texts()), "reasons": draw(texts())})
    if draw(st.booleans()):
        days = draw(st.integers(1, 20))
        events.append(
            {
                "type": "extension_approved",
                "date": later(),
                "days": days,
                "approver": "主任",
                "reason": draw(texts()),
            }
        )
    if draw(st.booleans()):
        method = draw(st.sampled_from(["per_request", "per_volume"]))
        amount = draw(st.integers(0, 10_000))
        events.append({"type": "fee_notified", "date": later(), "amount": amount, "method": method})
        events.append(draw(st.sampled_from([{"type": "fee_paid"}, {"type": "fee_waived", "reason": "困难"}])))
        events[-1]["date"] = later()
    if draw(st.booleans()):
        if draw(st.booleans()):
            outcome = draw(opt(st.sampled_from(list(Finding)).map(str)))
            events.append({"type": "replied", "date": later(), "outcome": outcome})
        else:
            outcome = draw(st.sampled_from([f for f in Finding if f.is_other])).value
            events.append(
                {"type": "terminated", "date": later(), "outcome": outcome, "reason": draw(opt(texts()))}
            )
        method = draw(st.sampled_from(DELIVERY_METHODS))
        events.append(
            {"type": "delivered", "date": later(), "method": method, "tracking": draw(opt(texts(12)))}
        )
        if draw(st.booleans()):
            events.append(
                {"type": "reconsideration_filed", "date": later(), "id": "r1", "organ": "某市人民政府"}
            )
            decided: dict[str, Any] = {"type": "reconsideration_decided", "date": later(), "id": "r1"}
            decided |= draw(
                st.sampled_from(
                    [
                        {"result": "upheld"},
                        {"decision": "撤销原答复，责令重新答复"},
                        {"result": "other", "decision": "终止"},
                    ]
                )
            )
            events.append(decided)
        if draw(st.booleans()):
            after = draw(st.booleans())
            events.append(
                {"type": "litigation_filed", "date": later(), "id": "l1", "after_reconsideration": after}
            )
            instance = draw(opt(st.integers(1, 2)))
            events.append(
                {
                    "type": "litigation_decided",
                    "date": later(),
                    "id": "l1",
                    "decision": "驳回诉讼请求",
                    "instance": instance,
                }
            )
    for event in events:
        event.update(draw(extras))
    return events


@st.composite
def valid_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A case object that ``parse_case`` must accept."""
    channel = draw(st.sampled_from(list(Channel)))
    received: dt.date | None = draw(st.dates(dt.date(2019, 5, 15), dt.date(2030, 12, 31)))
    assert received is not None
    events: list[dict[str, Any]] = []
    if channel in CONFIRMATION_CHANNELS:
        if draw(st.booleans()):
            method = draw(st.sampled_from(CONFIRMATION_METHODS))
            events.append(
                {"type": "receipt_confirmed", "date": iso(received), "method": method, "by": "李四"}
            )
        else:
            received = None  # still awaiting the applicant's confirmation (条例第三十一条)
    events += draw(timelines(received or dt.date(2026, 1, 5)))
    case: dict[str, Any] = {
        "format": "yishen-case/1",
        "number": draw(st.none() | st.just("") | texts(20)),
        "channel": channel.value,
        "received": iso(received) if received else None,
        "applicant": draw(applicants()),
        "items": draw(st.lists(items(), min_size=1, max_size=3)),
        "events": events,
    }
    if draw(st.booleans()):
        case["id"] = str(draw(st.uuids()))
    if draw(st.booleans()):
        case["arrived"] = iso(received or dt.date(2026, 1, 5))
        case["oral_filled_by"] = draw(opt(texts()))
        case["assistance"] = draw(opt(texts()))
        case["clerk"] = draw(opt(texts()))
    if draw(st.booleans()):
        case["outcome"] = draw(st.sampled_from(list(Finding))).value
        case["outcome_reason"] = draw(texts(50))
    case["tags"] = draw(st.lists(texts(10), max_size=3, unique=True))
    case["flags"] = draw(st.lists(st.sampled_from(list(Flag)).map(str), max_size=3, unique=True))
    case["notes"] = [
        {
            "date": iso(draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))),
            "by": draw(texts(8)),
            "text": draw(texts()),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    case.update(draw(extras))
    return case


def paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON object, as key/index tuples."""
    out: list[tuple[Any, ...]] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            out.append((*prefix, key))
            out += paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            out.append((*prefix, index))
            out += paths(value, (*prefix, index))
    return out


@st.composite
def mutated_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case with one value replaced by hostile data, one key removed, or a key added."""
    case = copy.deepcopy(draw(valid_cases()))
    path = draw(st.sampled_from(paths(case)))
    parent: Any = case
    for step in path[:-1]:
        parent = parent[step]
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        parent[path[-1]] = draw(hostile_values)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(max_size=10))] = draw(hostile_values)
    return case
