"""The case outcome for the annual report (domain.md §5 **Decision**) and the conclusion date."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.codes import ApplicantKind, Channel, Delivery, Finding, Form
from app.domain.errors import InputError
from app.domain.model import (
    Applicant,
    Case,
    CorrectionRequested,
    Event,
    Item,
    ReconsiderationFiled,
    Replied,
    Terminated,
)
from app.law.outcome import case_outcome, concluded_on, derived_outcome

F = Finding
D = dt.date


def _case(
    findings: tuple[Finding | None, ...] = (None,),
    events: tuple[Event, ...] = (),
    outcome: Finding | None = None,
    outcome_reason: str | None = None,
) -> Case:
    return Case(
        id="c1",
        number="2025-0001",
        channel=Channel.IN_PERSON,
        received=D(2025, 3, 3),
        applicant=Applicant(kind=ApplicantKind.NATURAL_PERSON, name="张三"),
        items=tuple(
            Item(description=f"事项{i}", form=Form.PAPER, delivery=Delivery.POST, finding=f)
            for i, f in enumerate(findings)
        ),
        events=events,
        outcome=outcome,
        outcome_reason=outcome_reason,
    )


def test_explicit_override_comes_first() -> None:
    case = _case(
        (F.DISCLOSED,),
        (Replied(date=D(2025, 3, 20), outcome=F.DISCLOSED),),
        outcome=F.PARTLY_DISCLOSED,
        outcome_reason="答复书对部分内容作了区分处理，登记有误",
    )
    assert case_outcome(case) == F.PARTLY_DISCLOSED


@pytest.mark.parametrize("reason", [None, "", "  "], ids=["none", "empty", "blank"])
def test_override_without_reason_is_refused(reason: str | None) -> None:
    with pytest.raises(InputError) as info:
        case_outcome(_case(outcome=F.DISCLOSED, outcome_reason=reason))
    assert (info.value.kind, info.value.field) == ("outcome_reason_required", "outcome_reason")


def test_first_concluding_event_beats_the_items_and_a_later_re_reply() -> None:
    case = _case(
        (F.DISCLOSED, F.DISCLOSED),
        (
            Replied(date=D(2025, 3, 25), outcome=F.WITHHELD_PROCESS_INFO),
            ReconsiderationFiled(date=D(2025, 4, 21), id="r1"),
            Replied(date=D(2025, 6, 10), outcome=F.DISCLOSED),
        ),
    )
    assert case_outcome(case) == F.WITHHELD_PROCESS_INFO


def test_termination_outcome() -> None:
    case = _case(
        events=(
            CorrectionRequested(date=D(2025, 3, 6), period_end=D(2025, 3, 20)),
            Terminated(date=D(2025, 3, 28), outcome=F.OTHER_NO_CORRECTION, reason="逾期未补正"),
        )
    )
    assert case_outcome(case) == F.OTHER_NO_CORRECTION


def test_reply_without_outcome_falls_through_to_the_items() -> None:
    # The annual-report example Y-6: a reply without an outcome and one item not_processed.repeat.
    case = _case((F.NOT_PROCESSED_REPEAT,), (Replied(date=D(2025, 9, 19)),))
    assert case_outcome(case) == F.NOT_PROCESSED_REPEAT


def test_only_the_first_concluding_event_is_consulted() -> None:
    # A later re-reply does not change the report, even when the first reply recorded no outcome.
    case = _case(
        (F.UNABLE_NOT_HELD,),
        (Replied(date=D(2025, 3, 20)), Replied(date=D(2025, 5, 6), outcome=F.DISCLOSED)),
    )
    assert case_outcome(case) == F.UNABLE_NOT_HELD


# (item findings, derived outcome)
DERIVED = [
    pytest.param((F.DISCLOSED, F.WITHHELD_THIRD_PARTY), F.PARTLY_DISCLOSED, id="disclosed+withheld→partly"),
    pytest.param(
        (F.PARTLY_DISCLOSED, F.WITHHELD_STATE_SECRET), F.PARTLY_DISCLOSED, id="partly+withheld→partly"
    ),
    pytest.param(
        (F.WITHHELD_PROCESS_INFO, F.WITHHELD_PROCESS_INFO, F.DISCLOSED),
        F.PARTLY_DISCLOSED,
        id="mix-beats-majority",
    ),
    pytest.param((F.DISCLOSED, F.UNABLE_NOT_HELD, F.UNABLE_NOT_HELD), F.UNABLE_NOT_HELD, id="most-frequent"),
    pytest.param((F.UNABLE_NOT_HELD, F.DISCLOSED), F.DISCLOSED, id="tie→table-order"),
    pytest.param(
        (F.WITHHELD_PROCESS_INFO, F.WITHHELD_STATE_SECRET), F.WITHHELD_STATE_SECRET, id="tie-among-withheld"
    ),
    pytest.param((F.OTHER_OTHER, F.NOT_PROCESSED_REPEAT), F.NOT_PROCESSED_REPEAT, id="tie-other-last"),
    pytest.param((F.WITHHELD_ENFORCEMENT_FILE,), F.WITHHELD_ENFORCEMENT_FILE, id="single-withheld"),
    pytest.param((F.DISCLOSED, None), F.DISCLOSED, id="undecided-items-ignored"),
    pytest.param((None, None), F.OTHER_OTHER, id="no-finding→other"),
]


@pytest.mark.parametrize(("item_findings", "expected"), DERIVED)
def test_outcome_derived_from_items(item_findings: tuple[Finding | None, ...], expected: Finding) -> None:
    assert case_outcome(_case(item_findings)) == expected
    assert case_outcome(_case(item_findings, (Replied(date=D(2025, 3, 20)),))) == expected


def test_derived_outcome_of_nothing() -> None:
    assert derived_outcome([]) == F.OTHER_OTHER


def test_concluded_on_is_the_first_reply_or_termination() -> None:
    assert concluded_on(_case()) is None
    assert concluded_on(_case(events=(ReconsiderationFiled(date=D(2025, 4, 1), id="r"),))) is None
    events = (
        Replied(date=D(2025, 6, 1), outcome=F.DISCLOSED),
        Terminated(date=D(2025, 3, 28), outcome=F.OTHER_OTHER, reason="申请人撤回"),
    )
    # Events handed over out of date order still give the earliest conclusion.
    case = _case(events=events)
    assert concluded_on(case) == D(2025, 3, 28)
    assert case_outcome(case) == F.OTHER_OTHER
