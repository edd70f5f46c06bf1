"""The case file format (interfaces.md §1): what parse_case accepts, what it refuses and how it says so."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.caseformat import (
    ERROR_KINDS,
    dump_case_line,
    parse_case,
    parse_event,
    result_of_decision,
)
from app.domain.codes import Channel, Finding, RemedyResult
from app.domain.errors import InputError
from app.domain.model import (
    EVENT_TYPES,
    ConsultationSent,
    ExtensionApproved,
    LitigationDecided,
    ReconsiderationDecided,
    Replied,
    case_to_dict,
    event_from_dict,
)
from app.messages import describe
from tests.unit.domain.casegen import hostile_values, minimal_case, mutated_cases, valid_cases

# A copy of ../shared/examples kept in the repository, so the suite does not depend on a sibling folder.
EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
DELETE = object()
OTHER_EVENT = {"type": "fee_paid", "date": "2026-09-20"}


def patched(changes: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """``base`` (default: the minimal case) with dotted paths set (``DELETE`` removes the key)."""
    case = copy.deepcopy(base if base is not None else minimal_case())
    for path, value in changes.items():
        *parents, last = path.split(".")
        target: Any = case
        for step in parents:
            target = target[int(step)] if isinstance(target, list) else target[step]
        key: Any = int(last) if isinstance(target, list) else last
        if value is DELETE:
            del target[key]
        else:
            target[key] = value
    return case


def refused(obj: object) -> InputError:
    with pytest.raises(InputError) as info:
        parse_case(obj)
    return info.value


def ev(type_: str, date: str, **fields: Any) -> dict[str, Any]:
    return {"type": type_, "date": date, **fields}


# --------------------------------------------------------------------------- the worked examples


def _example_cases() -> list[tuple[str, dict[str, Any]]]:
    if not EXAMPLES.is_dir():
        return []
    cases = [(e["title"], e["case"]) for e in json.loads((EXAMPLES / "deadlines.json").read_text("utf-8"))]
    report = json.loads((EXAMPLES / "annual_report.json").read_text("utf-8"))
    return cases + [(c["number"], c) for c in report["cases"]]


@pytest.mark.parametrize(("title", "obj"), _example_cases())
def test_every_worked_example_parses_and_round_trips(title: str, obj: dict[str, Any]) -> None:
    case = parse_case(obj)
    assert case.number == obj["number"]
    assert len(case.events) == len(obj.get("events", []))
    line = dump_case_line(case)
    assert parse_case(json.loads(line)) == case
    assert dump_case_line(parse_case(json.loads(line))) == line


# --------------------------------------------------------------------------- one bad field per rule

BAD_FIELDS: list[Any] = [
    # (id, changes, kind, field)
    ("format-other-version", {"format": "yishen-case/2"}, "unsupported_format", "format"),
    ("format-not-text", {"format": 1}, "unsupported_format", "format"),
    ("id-not-uuid", {"id": "123"}, "bad_uuid", "id"),
    ("id-uuid-without-hyphens", {"id": "0193e0b27c1a4f6e9d2a3b5c8e1f0a47"}, "bad_uuid", "id"),
    ("id-number", {"id": 5}, "bad_type", "id"),
    ("number-too-long", {"number": "x" * 51}, "too_long", "number"),
    ("number-blank", {"number": "   "}, "blank", "number"),
    ("number-int", {"number": 42}, "bad_type", "number"),
    ("channel-missing", {"channel": DELETE}, "required", "channel"),
    ("channel-unknown", {"channel": "mail"}, "bad_choice", "channel"),
    ("channel-label-not-code", {"channel": "当面提交"}, "bad_choice", "channel"),
    ("date-not-zero-padded", {"received": "2026-9-16"}, "bad_date", "received"),
    ("date-impossible", {"received": "2026-02-30"}, "bad_date", "received"),
    ("date-slashes", {"received": "2026/09/16"}, "bad_date", "received"),
    ("date-with-time", {"received": "2026-09-16T10:00"}, "bad_date", "received"),
    ("date-full-width-digits", {"received": "２０２６-09-16"}, "bad_date", "received"),
    ("date-typo-year", {"received": "2206-09-16"}, "out_of_range", "received"),
    ("date-as-number", {"received": 20260916}, "bad_type", "received"),
    ("条例31-received-required-in-person", {"received": None}, "required", "received"),
    ("arrived-bad", {"arrived": "yesterday"}, "bad_date", "arrived"),
    ("oral-filled-by-too-long", {"oral_filled_by": "x" * 201}, "too_long", "oral_filled_by"),
    ("clerk-too-long", {"clerk": "x" * 201}, "too_long", "clerk"),
    ("clerk-blank", {"clerk": " \u3000"}, "blank", "clerk"),
    ("clerk-number", {"clerk": 7}, "bad_type", "clerk"),
    ("clerk-tab", {"clerk": "张\x0b三"}, "control_char", "clerk"),
    ("applicant-missing", {"applicant": DELETE}, "required", "applicant"),
    ("applicant-list", {"applicant": ["张三"]}, "bad_type", "applicant"),
    ("applicant-kind-unknown", {"applicant.kind": "person"}, "bad_choice", "applicant.kind"),
    ("applicant-kind-missing", {"applicant.kind": DELETE}, "required", "applicant.kind"),
    ("applicant-name-empty", {"applicant.name": ""}, "required", "applicant.name"),
    ("applicant-name-null", {"applicant.name": None}, "required", "applicant.name"),
    ("applicant-name-blank", {"applicant.name": " \u3000 "}, "blank", "applicant.name"),
    ("applicant-name-too-long", {"applicant.name": "张" * 201}, "too_long", "applicant.name"),
    ("applicant-name-number", {"applicant.name": 12345}, "bad_type", "applicant.name"),
    ("applicant-name-bell", {"applicant.name": "张\x07三"}, "control_char", "applicant.name"),
    ("applicant-name-carriage-return", {"applicant.name": "张三\r"}, "control_char", "applicant.name"),
    ("applicant-name-escape", {"applicant.name": "\x1b[31m张三"}, "control_char", "applicant.name"),
    ("applicant-name-c1-nel", {"applicant.name": "张\x85三"}, "control_char", "applicant.name"),
    ("applicant-name-nul", {"applicant.name": "张\x00三"}, "control_char", "applicant.name"),
    ("applicant-name-lone-surrogate", {"applicant.name": "张\ud800"}, "invalid_char", "applicant.name"),
    ("applicant-id-type-unlisted", {"applicant.id_type": "身份证"}, "bad_choice", "applicant.id_type"),
    ("applicant-id-number-too-long", {"applicant.id_number": "1" * 51}, "too_long", "applicant.id_number"),
    ("applicant-phone-too-long", {"applicant.phone": "1" * 51}, "too_long", "applicant.phone"),
    ("applicant-email-too-long", {"applicant.email": "a" * 201}, "too_long", "applicant.email"),
    ("applicant-address-too-long", {"applicant.address": "路" * 501}, "too_long", "applicant.address"),
    ("agent-without-name", {"applicant.agent": {"phone": "1"}}, "required", "applicant.agent.name"),
    ("agent-text", {"applicant.agent": "李四"}, "bad_type", "applicant.agent"),
    (
        "agent-id-type",
        {"applicant.agent": {"name": "李四", "id_type": "x"}},
        "bad_choice",
        "applicant.agent.id_type",
    ),
    ("条例29-items-missing", {"items": DELETE}, "required", "items"),
    ("条例29-items-empty", {"items": []}, "too_short", "items"),
    ("items-object", {"items": {"description": "x"}}, "bad_type", "items"),
    ("items-too-many", {"items": [minimal_case()["items"][0]] * 201}, "too_many", "items"),
    ("item-text", {"items.0": "某文件"}, "bad_type", "items.0"),
    ("item-description-missing", {"items.0.description": DELETE}, "required", "items.0.description"),
    ("item-description-too-long", {"items.0.description": "x" * 2001}, "too_long", "items.0.description"),
    ("item-form-unknown", {"items.0.form": "pdf"}, "bad_choice", "items.0.form"),
    ("item-delivery-missing", {"items.0.delivery": DELETE}, "required", "items.0.delivery"),
    ("item-finding-bare-category", {"items.0.finding": "withheld"}, "bad_choice", "items.0.finding"),
    ("item-reasons-too-long", {"items.0.reasons": "x" * 5001}, "too_long", "items.0.reasons"),
    (
        "条例36-5-organ-without-name",
        {"items.0.responsible_organ": {"contact": "0000"}},
        "required",
        "items.0.responsible_organ.name",
    ),
    ("events-object", {"events": {}}, "bad_type", "events"),
    ("event-text", {"events": ["replied"]}, "bad_type", "events.0"),
    ("event-type-missing", {"events": [{"date": "2026-09-20"}]}, "required", "events.0.type"),
    ("event-type-unknown", {"events": [ev("answered", "2026-09-20")]}, "bad_choice", "events.0.type"),
    ("event-date-missing", {"events": [{"type": "fee_paid"}]}, "required", "events.0.date"),
    ("event-date-bad", {"events": [ev("fee_paid", "20.9.2026")]}, "bad_date", "events.0.date"),
    (
        "条例33-extension-over-20",
        {"events": [ev("extension_approved", "2026-09-20", days=21, approver="主任", reason="多")]},
        "out_of_range",
        "events.0.days",
    ),
    (
        "条例33-extension-zero",
        {"events": [ev("extension_approved", "2026-09-20", days=0, approver="主任", reason="多")]},
        "out_of_range",
        "events.0.days",
    ),
    (
        "int-as-text",
        {"events": [ev("extension_approved", "2026-09-20", days="20", approver="主任", reason="多")]},
        "bad_type",
        "events.0.days",
    ),
    (
        "int-as-bool",
        {"events": [ev("extension_approved", "2026-09-20", days=True, approver="主任", reason="多")]},
        "bad_type",
        "events.0.days",
    ),
    (
        "int-as-fraction",
        {"events": [ev("extension_approved", "2026-09-20", days=20.5, approver="主任", reason="多")]},
        "bad_type",
        "events.0.days",
    ),
    (
        "int-as-nan",
        {"events": [ev("extension_approved", "2026-09-20", days=math.nan, approver="主任", reason="多")]},
        "bad_type",
        "events.0.days",
    ),
    (
        "extension-approver-missing",
        {"events": [ev("extension_approved", "2026-09-20", days=5, reason="多")]},
        "required",
        "events.0.approver",
    ),
    (
        "bool-as-text",
        {"events": [ev("litigation_filed", "2026-09-20", id="l1", after_reconsideration="否")]},
        "bad_type",
        "events.0.after_reconsideration",
    ),
    (
        "fee-negative",
        {"events": [ev("fee_notified", "2026-09-20", amount=-1, method="per_request")]},
        "out_of_range",
        "events.0.amount",
    ),
    (
        "consultation-party-unknown",
        {"events": [ev("consultation_sent", "2026-09-20", id="c", party="court", name="某院")]},
        "bad_choice",
        "events.0.party",
    ),
    (
        "confirmation-method-unlisted",
        {"events": [ev("receipt_confirmed", "2026-09-16", method="微信")]},
        "bad_choice",
        "events.0.method",
    ),
    (
        "replied-outcome-unknown",
        {"events": [ev("replied", "2026-09-20", outcome="ok")]},
        "bad_choice",
        "events.0.outcome",
    ),
    ("outcome-unknown", {"outcome": "refused", "outcome_reason": "x"}, "bad_choice", "outcome"),
    ("domain5-outcome-without-reason", {"outcome": "disclosed"}, "outcome_reason_required", "outcome_reason"),
    (
        "domain5-outcome-blank-reason",
        {"outcome": "disclosed", "outcome_reason": " "},
        "outcome_reason_required",
        "outcome_reason",
    ),
    ("tags-text", {"tags": "土地征收"}, "bad_type", "tags"),
    ("tag-empty", {"tags": [""]}, "required", "tags.0"),
    ("tag-too-long", {"tags": ["x" * 51]}, "too_long", "tags.0"),
    ("tag-twice", {"tags": ["征收", "征收"]}, "duplicate", "tags.1"),
    ("tags-too-many", {"tags": [f"t{i}" for i in range(51)]}, "too_many", "tags"),
    ("flag-unknown", {"flags": ["vip"]}, "bad_choice", "flags.0"),
    ("flag-twice", {"flags": ["difficult", "difficult"]}, "duplicate", "flags.1"),
    ("note-without-date", {"notes": [{"by": "李四", "text": "x"}]}, "required", "notes.0.date"),
    ("note-without-text", {"notes": [{"date": "2026-09-16", "text": ""}]}, "required", "notes.0.text"),
    ("note-too-long", {"notes": [{"date": "2026-09-16", "text": "x" * 5001}]}, "too_long", "notes.0.text"),
    ("extra-nan", {"x_score": math.nan}, "bad_type", "x_score"),
    ("extra-huge-int", {"x_big": 10**30}, "out_of_range", "x_big"),
    ("extra-surrogate", {"x_text": "\udc80"}, "invalid_char", "x_text"),
    ("extra-not-json", {"x_set": {1, 2}}, "bad_type", "x_set"),
    ("extra-tuple-key", {"applicant.x_map": {(1, 2): "v"}}, "bad_key", "applicant.x_map"),
]


@pytest.mark.parametrize(
    ("changes", "kind", "field"), [r[1:] for r in BAD_FIELDS], ids=[r[0] for r in BAD_FIELDS]
)
def test_one_bad_field_gives_its_kind_and_path(changes: dict[str, Any], kind: str, field: str) -> None:
    error = refused(patched(changes))
    assert (error.kind, error.field) == (kind, field)
    assert kind in ERROR_KINDS
    assert describe(error)  # every kind has a message that can be rendered


def test_not_an_object() -> None:
    error = refused(["not", "a", "case"])
    assert (error.kind, error.field, error.params["got"]) == ("not_object", "", "list")


def test_non_text_key_at_top_level() -> None:
    obj: dict[Any, Any] = minimal_case()
    obj[1] = "x"
    error = refused(obj)
    assert (error.kind, error.field) == ("bad_key", "")


def test_first_problem_in_documented_order_whatever_the_key_order() -> None:
    # applicant comes before items in the format, so its problem is reported although items is first here.
    obj = {"items": [], **minimal_case(), "applicant": {"kind": "natural_person"}}
    obj["items"] = []
    assert refused(obj).field == "applicant.name"


def test_bad_choice_lists_the_choices_and_too_long_the_maximum() -> None:
    error = refused(patched({"items.0.form": "pdf"}))
    assert error.params["choices"] == ["paper", "electronic", "inspect", "copy_by_hand", "other"]
    assert error.params["value"] == "pdf"
    error = refused(patched({"applicant.name": "张" * 201}))
    assert (error.params["max"], error.params["length"]) == (200, 201)


def test_control_char_names_the_code_point_and_position() -> None:
    error = refused(patched({"items.0.description": "某文件\x0b"}))
    assert error.params == {"codepoint": 0x0B, "position": 4}


def test_a_control_char_is_reported_before_an_earlier_lone_surrogate() -> None:
    error = refused(patched({"items.0.description": "某\ud800文件\x0b"}))
    assert (error.kind, error.params) == ("control_char", {"codepoint": 0x0B, "position": 5})
    error = refused(patched({"items.0.description": "某\ud800文件\udc00"}))
    assert (error.kind, error.params) == ("invalid_char", {"codepoint": 0xD800, "position": 2})


# --------------------------------------------------------------------------- timeline rules

R = "2026-09-16"
TIMELINES: list[Any] = [
    # (id, channel, received, events, kind, field)
    (
        "条例30-two-corrections",
        "in_person",
        R,
        [ev("correction_requested", "2026-09-17", period_end="2026-10-01")] * 2,
        "timeline_two_corrections",
        "events.1",
    ),
    (
        "条例30-correction-received-without-request",
        "in_person",
        R,
        [ev("correction_received", "2026-09-20")],
        "timeline_correction_received_without_request",
        "events.0",
    ),
    (
        "条例30-correction-received-before-request",
        "in_person",
        R,
        [
            ev("correction_requested", "2026-09-22", period_end="2026-10-01"),
            ev("correction_received", "2026-09-20"),
        ],
        "timeline_correction_received_without_request",
        "events.1",
    ),
    (
        "条例30-same-day-received-listed-first",
        "in_person",
        R,
        [
            ev("correction_received", "2026-09-20"),
            ev("correction_requested", "2026-09-20", period_end="2026-10-01"),
        ],
        "timeline_correction_received_without_request",
        "events.0",
    ),
    (
        "条例33-reply-to-unknown-consultation",
        "in_person",
        R,
        [ev("consultation_replied", "2026-09-20", id="c9", opinion="agree")],
        "timeline_reply_unknown_consultation",
        "events.0.id",
    ),
    (
        "条例33-reply-before-consultation",
        "in_person",
        R,
        [
            ev("consultation_sent", "2026-09-22", id="c", party="agency", name="某局"),
            ev("consultation_replied", "2026-09-21", id="c", opinion="agree"),
        ],
        "timeline_reply_unknown_consultation",
        "events.1.id",
    ),
    (
        "consultation-id-twice",
        "in_person",
        R,
        [ev("consultation_sent", "2026-09-20", id="c", party="agency", name="某局")] * 2,
        "timeline_duplicate_consultation_id",
        "events.1.id",
    ),
    (
        "条例32-notice-without-consultation",
        "in_person",
        R,
        [ev("public_interest_notice", "2026-09-20", id="c", content="x", reasons="y")],
        "timeline_notice_unknown_consultation",
        "events.0.id",
    ),
    (
        "条例33-two-extensions",
        "in_person",
        R,
        [ev("extension_approved", "2026-09-20", days=5, approver="主任", reason="多")] * 2,
        "timeline_two_extensions",
        "events.1",
    ),
    (
        "条例31-event-before-received",
        "in_person",
        R,
        [OTHER_EVENT, ev("replied", "2026-09-15")],
        "timeline_before_received",
        "events.1.date",
    ),
    (
        "terminated-with-a-reply-finding",
        "in_person",
        R,
        [ev("terminated", "2026-09-20", outcome="disclosed")],
        "timeline_terminated_outcome",
        "events.0.outcome",
    ),
    (
        "terminated-with-unknown-finding",
        "in_person",
        R,
        [ev("terminated", "2026-09-20", outcome="withdrawn")],
        "bad_choice",
        "events.0.outcome",
    ),
    (
        "domain7.2-decision-without-result-or-text",
        "in_person",
        R,
        [
            ev("reconsideration_filed", "2026-10-20", id="r1"),
            ev("reconsideration_decided", "2026-12-01", id="r1", decision="  "),
        ],
        "decision_or_result_required",
        "events.1.result",
    ),
    (
        "domain7.2-decision-without-filing",
        "in_person",
        R,
        [ev("litigation_decided", "2026-12-01", id="l1", result="upheld")],
        "timeline_decision_unknown_filing",
        "events.0.id",
    ),
    (
        "domain7.2-litigation-decision-for-a-reconsideration",
        "in_person",
        R,
        [
            ev("reconsideration_filed", "2026-10-20", id="r1"),
            ev("litigation_decided", "2026-12-01", id="r1", result="upheld"),
        ],
        "timeline_decision_unknown_filing",
        "events.1.id",
    ),
    (
        "filing-id-twice",
        "in_person",
        R,
        [ev("reconsideration_filed", "2026-10-20", id="r1")] * 2,
        "timeline_duplicate_filing_id",
        "events.1.id",
    ),
    (
        "条例31-confirmed-on-another-day",
        "online",
        R,
        [ev("receipt_confirmed", "2026-09-17", method="电话")],
        "confirmation_mismatch",
        "received",
    ),
    (
        "条例31-confirmed-but-received-empty",
        "email",
        None,
        [ev("receipt_confirmed", "2026-09-17", method="电子邮件")],
        "confirmation_mismatch",
        "received",
    ),
    ("条例31-received-without-confirmation", "fax", R, [], "confirmation_missing", "received"),
    (
        "条例31-two-confirmations",
        "post_ordinary",
        R,
        [ev("receipt_confirmed", R, method="电话"), ev("receipt_confirmed", "2026-09-18", method="短信")],
        "timeline_two_confirmations",
        "events.1",
    ),
]


@pytest.mark.parametrize(
    ("channel", "received", "events", "kind", "field"),
    [r[1:] for r in TIMELINES],
    ids=[r[0] for r in TIMELINES],
)
def test_timeline_rule(channel: str, received: str | None, events: list[Any], kind: str, field: str) -> None:
    error = refused(minimal_case(channel=channel, received=received, events=events))
    assert (error.kind, error.field) == (kind, field)
    assert describe(error)


def test_confirmation_channel_may_await_confirmation() -> None:
    case = parse_case(minimal_case(channel="online", received=None))
    assert case.received is None and case.needs_confirmation


def test_confirmed_on_the_receipt_day_is_accepted() -> None:
    case = parse_case(
        minimal_case(channel="online", events=[ev("receipt_confirmed", R, method="平台确认", by="李四")])
    )
    assert case.received == dt.date(2026, 9, 16) and case.channel is Channel.ONLINE


def test_confirmation_before_received_is_allowed_for_other_channels() -> None:
    parse_case(minimal_case(events=[ev("receipt_confirmed", "2026-09-10", method="电话")]))


def test_events_are_sorted_stably_by_date() -> None:
    events = [
        ev("replied", "2026-10-09", outcome="disclosed"),
        ev("consultation_sent", "2026-09-20", id="a", party="agency", name="甲局"),
        ev("consultation_sent", "2026-09-20", id="b", party="agency", name="乙局"),
        ev("delivered", "2026-10-09", method="邮寄"),
    ]
    case = parse_case(minimal_case(events=events))
    assert [type(e).__name__ for e in case.events] == [
        "ConsultationSent",
        "ConsultationSent",
        "Replied",
        "Delivered",
    ]
    sent = [e for e in case.events if isinstance(e, ConsultationSent)]
    assert [e.id for e in sent] == ["a", "b"]
    assert isinstance(case.events[2], Replied) and case.events[2].outcome is Finding.DISCLOSED


# --------------------------------------------------------------------------- values and defaults


def test_absent_id_is_generated_and_given_id_is_kept_lower_case() -> None:
    generated = parse_case(minimal_case()).id
    assert len(generated) == 36 and generated != parse_case(minimal_case()).id
    given_id = "0193E0B2-7C1A-4F6E-9D2A-3B5C8E1F0A47"
    assert parse_case(minimal_case(id=given_id)).id == given_id.lower()


@pytest.mark.parametrize("number", [None, "", DELETE], ids=["null", "empty", "absent"])
def test_unassigned_number_is_empty(number: object) -> None:
    assert parse_case(patched({"number": number})).number == ""


def test_format_may_be_absent() -> None:
    assert parse_case(patched({"format": DELETE})).number == "2026-0001"


def test_integral_float_is_an_int() -> None:
    events = [ev("extension_approved", "2026-09-20", days=20.0, approver="主任", reason="多")]
    event = parse_case(minimal_case(events=events)).events[0]
    assert isinstance(event, ExtensionApproved) and event.days == 20 and type(event.days) is int


def test_text_is_kept_exactly() -> None:
    name = "  张三\n（代）\t"
    assert parse_case(patched({"applicant.name": name})).applicant.name == name


def test_markup_is_just_text() -> None:
    markup = '<img src=x onerror="alert(1)"><b>征收</b>&amp;'
    case = parse_case(patched({"items.0.description": markup, "applicant.name": markup}))
    assert case.items[0].description == markup
    assert json.loads(dump_case_line(case))["applicant"]["name"] == markup


def test_unknown_keys_are_kept_at_every_level() -> None:
    obj = patched(
        {
            "x_case": {"nested": [1, 2.5, None, True]},
            "applicant.x_applicant": "a",
            "applicant.agent": {"name": "李四", "x_agent": 1},
            "items.0.x_item": ["i"],
            "items.0.responsible_organ": {"name": "某局", "x_organ": {}},
            "events": [ev("fee_paid", "2026-09-20", x_event="e")],
            "notes": [{"date": R, "by": "李四", "text": "t", "x_note": None}],
        }
    )
    case = parse_case(obj)
    assert case.extra == {"x_case": {"nested": [1, 2.5, None, True]}}
    assert case.applicant.extra == {"x_applicant": "a"}
    assert case.applicant.agent is not None and case.applicant.agent.extra == {"x_agent": 1}
    assert case.items[0].extra == {"x_item": ["i"]}
    assert case.items[0].responsible_organ is not None and case.items[0].responsible_organ.extra == {
        "x_organ": {}
    }
    assert case.events[0].extra == {"x_event": "e"}
    assert case.notes[0].extra == {"x_note": None}
    again = json.loads(dump_case_line(case))
    assert again["x_case"] == obj["x_case"] and again["events"][0]["x_event"] == "e"
    assert parse_case(again) == case


def test_extra_is_a_copy_of_the_input() -> None:
    obj = patched({"x_list": [1]})
    case = parse_case(obj)
    obj["x_list"].append(2)
    assert case.extra == {"x_list": [1]}


# --------------------------------------------------------------------------- 复议/诉讼 results (domain.md §7.2)

DECISIONS = [
    ("维持", RemedyResult.UPHELD),
    ("决定维持被申请人作出的答复", RemedyResult.UPHELD),
    ("驳回复议申请", RemedyResult.UPHELD),
    ("驳回申请人的行政复议请求", RemedyResult.UPHELD),
    ("判决驳回原告的诉讼请求", RemedyResult.UPHELD),
    ("驳回诉讼请求", RemedyResult.UPHELD),
    ("撤销", RemedyResult.CORRECTED),
    ("撤销被申请人作出的答复，责令重新答复", RemedyResult.CORRECTED),
    ("变更", RemedyResult.CORRECTED),
    ("确认违法", RemedyResult.CORRECTED),
    ("责令履行", RemedyResult.CORRECTED),
    ("责令重新答复", RemedyResult.CORRECTED),
    ("责令被申请人限期重新作出答复", RemedyResult.CORRECTED),
    ("确认无效", RemedyResult.CORRECTED),
    ("部分维持、部分撤销", RemedyResult.CORRECTED),
    ("终止", RemedyResult.OTHER),
    ("终止行政复议", RemedyResult.OTHER),
    ("准予撤回起诉", RemedyResult.OTHER),
    ("撤回", RemedyResult.OTHER),
    ("调解", RemedyResult.OTHER),
    ("经调解，被告撤销原答复，原告撤回起诉", RemedyResult.OTHER),
    ("不予受理", RemedyResult.OTHER),
    ("裁定驳回起诉", RemedyResult.OTHER),
    ("其他", RemedyResult.OTHER),
    ("", RemedyResult.OTHER),
]


@pytest.mark.parametrize(("text", "result"), DECISIONS, ids=[t or "empty" for t, _ in DECISIONS])
def test_result_of_decision(text: str, result: RemedyResult) -> None:
    assert result_of_decision(text) is result


@pytest.mark.parametrize("type_", ["reconsideration", "litigation"])
def test_missing_result_is_derived_from_the_decision_and_written(type_: str) -> None:
    events = [
        ev(f"{type_}_filed", "2026-10-20", id="x1", after_reconsideration=False),
        ev(f"{type_}_decided", "2026-12-01", id="x1", decision="撤销原答复"),
    ]
    if type_ == "reconsideration":
        del events[0]["after_reconsideration"]
    case = parse_case(minimal_case(events=events))
    decided = case.events[1]
    assert isinstance(decided, ReconsiderationDecided | LitigationDecided)
    assert decided.result is RemedyResult.CORRECTED
    assert json.loads(dump_case_line(case))["events"][1]["result"] == "corrected"


def test_explicit_result_wins_over_the_decision_text() -> None:
    events = [
        ev("reconsideration_filed", "2026-10-20", id="r1"),
        ev("reconsideration_decided", "2026-12-01", id="r1", result="upheld", decision="撤销"),
    ]
    decided = parse_case(minimal_case(events=events)).events[1]
    assert isinstance(decided, ReconsiderationDecided) and decided.result is RemedyResult.UPHELD


EVERY_EVENT = [
    ev("receipt_confirmed", R, method="电话", by="张三"),
    ev("correction_requested", R, period_end="2026-09-30"),
    ev("correction_received", R),
    ev("consultation_sent", R, id="c1", party="third_party", name="某公司", delivered=R),
    ev("consultation_replied", R, id="c1", opinion="object", reasons="涉及商业秘密"),
    ev("public_interest_notice", R, id="c1", content="拟公开内容", reasons="公共利益"),
    ev("extension_approved", R, days=20, approver="主任", reason="需要调取档案"),
    ev("delay_notified", R, until="2026-12-01", reason="征求意见"),
    ev("fee_notified", R, amount=100, method="per_volume", delivered=R),
    ev("fee_paid", R),
    ev("fee_waived", R, reason="困难"),
    ev("replied", R, outcome="withheld.third_party"),
    ev("terminated", R, outcome="other.no_correction", reason="逾期未补正"),
    ev("delivered", R, method="邮寄", tracking="EMS1", received=R),
    ev("reconsideration_filed", R, id="r1", organ="某市人民政府"),
    ev("reconsideration_decided", R, id="r1", decision="撤销原答复"),
    ev("litigation_filed", R, id="l1", court="某区人民法院", after_reconsideration=True),
    ev("litigation_decided", R, id="l1", result="upheld", instance=2),
]


@pytest.mark.parametrize("obj", EVERY_EVENT, ids=[e["type"] for e in EVERY_EVENT])
def test_parse_event_builds_the_event_the_model_builds(obj: dict[str, Any]) -> None:
    # parse_event constructs events itself rather than through event_from_values (for speed); codes must
    # still become the same enum members (repr tells a member from its text) and unknown keys stay.
    event = parse_event({**obj, "x_note": "kept"})
    assert repr(event) == repr(event_from_dict(event.to_dict()))
    assert event.extra == {"x_note": "kept"}


def test_every_event_type_is_covered_above() -> None:
    assert [e["type"] for e in EVERY_EVENT] == list(EVENT_TYPES)


# --------------------------------------------------------------------------- hostile input


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "obj",
    [
        None,
        "",
        "x" * 10_000,
        12,
        math.nan,
        [],
        {},
        {"channel": None},
        patched({"applicant": "x" * 10_000}),
        patched({"items.0.description": "征" * 10_000}),
        patched({"x_deep": _nested(10_000)}),
        patched({"events": [_nested(10_000)]}),
        patched({"items": _nested(10_000)}),
        patched({"received": math.inf}),
        patched({"number": 10**5000}),
        patched({"events": [ev("extension_approved", R, days=10**5000, approver="a", reason="b")]}),
        patched({"events": [ev("extension_approved", R, days=1e308 * 10, approver="a", reason="b")]}),
        patched({"applicant.name": b"bytes"}),
        patched({"x_object": object()}),
    ],
    ids=lambda v: type(v).__name__,
)
def test_hostile_input_gives_an_input_error_and_a_message(obj: object) -> None:
    error = refused(obj)
    text = describe(error)
    assert text and len(text) < 1000


def test_huge_text_in_extra_is_kept() -> None:
    assert parse_case(patched({"x_blob": "x" * 100_000})).extra["x_blob"] == "x" * 100_000


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_values)
def test_arbitrary_json_gives_a_case_or_an_input_error(obj: object) -> None:
    try:
        parse_case(obj)
    except InputError as error:
        assert describe(error)


@pytest.mark.slow
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_cases())
def test_a_corrupted_case_gives_a_case_or_an_input_error(obj: dict[str, Any]) -> None:
    try:
        case = parse_case(obj)
    except InputError as error:
        assert error.kind in ERROR_KINDS
        assert describe(error)
    else:
        line = dump_case_line(case)
        assert parse_case(json.loads(line)) == case


# --------------------------------------------------------------------------- round trip


@pytest.mark.slow
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_cases())
def test_valid_cases_round_trip(obj: dict[str, Any]) -> None:
    case = parse_case(obj)
    line = dump_case_line(case)
    assert "\n" not in line
    again = parse_case(json.loads(line))
    assert again == case
    assert dump_case_line(again) == line  # dump(parse(x)) is a fixed point
    assert list(json.loads(line)) == list(case_to_dict(case))  # keys in the documented order
    assert case.applicant.name == obj["applicant"]["name"]
    assert [i.description for i in case.items] == [i["description"] for i in obj["items"]]


@given(st.sampled_from(["2026-09-16", "2000-01-01", "2099-12-31", "2024-02-29"]))
def test_dates_at_the_edges_are_accepted(day: str) -> None:
    assert parse_case(patched({"received": day})).received == dt.date.fromisoformat(day)


@pytest.mark.parametrize("day", ["1999-12-31", "2100-01-01", "2025-02-29", "0000-01-01"])
def test_dates_outside_the_range_or_calendar_are_refused(day: str) -> None:
    assert refused(patched({"received": day})).kind in {"out_of_range", "bad_date"}


def test_the_clerk_is_optional_and_round_trips() -> None:
    """经办人 (an addition to interfaces.md §1): absent or null is None; a value is written back."""
    base = {k: v for k, v in minimal_case().items() if k != "clerk"}
    assert parse_case(base).clerk is None
    assert parse_case({**base, "clerk": None}).clerk is None
    case = parse_case({**base, "clerk": "zhangsan"})
    assert case.clerk == "zhangsan" and case.extra == {}
    line = dump_case_line(case)
    assert json.loads(line)["clerk"] == "zhangsan"
    assert parse_case(json.loads(line)) == case
    keys = list(json.loads(line))
    assert keys.index("clerk") == keys.index("assistance") + 1  # documented order: after assistance
