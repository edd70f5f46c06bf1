"""The 条例第三十五条 delay and the 送达 action on a real encrypted database, dates counted by hand.

A receipt on Wednesday 2026-09-16 is due 2026-10-20 (the worked example of domain.md §3.2; see
test_actions.py for the counted days).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from app import bootstrap
from app.domain.caseformat import parse_case
from app.domain.errors import InputError, RuleError
from app.domain.model import DelayNotified, Delivered
from app.law.deadlines import compute_deadline
from app.letters import LetterKind
from app.messages import MESSAGES, describe
from app.services.actions import (
    REPLY_TARGET,
    ActionKind,
    applicant_requests,
    apply_action,
    case_actions,
    case_deliverables,
    deliver,
)
from app.services.calendar import effective_calendar
from app.services.cases import get_case, import_cases
from app.services.letters import PROOF_KIND, Proof, issue_letter, prepare_letter, review_letter
from app.services.registration import prepare_duplicate_check
from app.services.settings import load_agency
from app.store.database import Database
from tests.integration.services.test_actions import AGENCY, Line, case, d

PASSPHRASE = "延迟与送达测试口令"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    home = tmp_path_factory.mktemp("delay_delivery") / "home"
    bootstrap.initialize(home, passphrase=PASSPHRASE, agency=AGENCY, actor="测试")
    with bootstrap.open_database(home, lambda: PASSPHRASE) as database:
        yield database


_numbers = iter(range(1, 10_000))


def seed(db: Database, received: str = "2026-09-16") -> str:
    number = f"2026-{next(_numbers):04d}"
    with db.unit_of_work("测试") as uow:
        report = import_cases(
            uow,
            [Line(1, parse_case(case(number, received)))],
            skip_invalid=False,
            source="t",
            today=d(received),
        )
        assert report.ok, report.errors
    return number


def actions(db: Database, number: str, today: str) -> dict[ActionKind, Any]:
    with db.unit_of_work("测试", read_only=True) as uow:
        return {a.kind: a for a in case_actions(uow, number, d(today))}


def act(db: Database, number: str, kind: ActionKind, today: str, **values: Any) -> Any:
    with db.unit_of_work("测试") as uow:
        return apply_action(uow, number, kind, values, d(today), actor="测试")


def reply_due(db: Database, number: str, today: str) -> dt.date | None:
    with db.unit_of_work("测试", read_only=True) as uow:
        agency = load_agency(uow)
        fee = agency.fee_pauses_clock if agency is not None else True
        result = compute_deadline(
            get_case(uow, number), effective_calendar(uow), d(today), fee_pauses_clock=fee
        )
    return result.reply_due


def issued_letter(db: Database, number: str, kind: LetterKind, today: str) -> tuple[str, str]:
    """Draft, approve and issue the letter of ``kind``: (its id, its 文号)."""
    with db.unit_of_work("测试") as uow:
        prepared = prepare_letter(uow, number, kind, today=d(today), actor="测试")
        review_letter(uow, prepared.record.id, reviewer="测试", approve=True, today=d(today))
        record = issue_letter(uow, prepared.record.id, by="测试", today=d(today))
    return record.id, record.doc_number


# --------------------------------------------------------------------------- 条例第三十五条


def test_delay_replaces_the_reply_due_date(db: Database) -> None:
    number = seed(db)
    action = actions(db, number, "2026-09-28")[ActionKind.DELAY]
    assert action.available and action.label == "延迟答复" and action.letter is None
    assert reply_due(db, number, "2026-09-28") == d("2026-10-20")

    # The delayed period can only move the due date later.
    with pytest.raises(InputError) as err:
        act(db, number, ActionKind.DELAY, "2026-09-28", until="2026-10-20", reason="同一申请人本月第35件申请")
    assert (err.value.kind, err.value.field) == ("delay_until_early", "until")
    assert (
        describe(InputError(err.value.kind, **err.value.params))
        == "延迟答复期限须晚于当前答复期限（2026-10-20）"
    )
    with pytest.raises(InputError) as err:
        act(db, number, ActionKind.DELAY, "2026-09-28", until="2026-11-20", reason=" ")
    assert (err.value.kind, err.value.field) == ("required", "reason")

    result = act(
        db,
        number,
        ActionKind.DELAY,
        "2026-09-28",
        date="2026-09-28",
        until="2026-11-20",
        reason="申请数量较大",
    )
    assert result.letter is None  # domain.md §6 names no letter for the Art 35 notice
    (event,) = [e for e in result.case.events if isinstance(e, DelayNotified)]
    assert (event.date, event.until, event.reason) == (d("2026-09-28"), d("2026-11-20"), "申请数量较大")
    # The deadline engine reads the stored timeline: ``until`` is the reply due date now.
    assert reply_due(db, number, "2026-10-21") == d("2026-11-20")
    with db.unit_of_work("测试", read_only=True) as uow:
        stored = compute_deadline(get_case(uow, number), effective_calendar(uow), d("2026-10-21"))
    assert stored.days_left is not None and stored.days_left > 0  # not overdue on 10-21 any more
    assert any("2026-11-20" in s.step or "11月20日" in s.step for s in stored.trace)
    # A second notice moves it again, but not back.
    with pytest.raises(InputError) as err:
        act(db, number, ActionKind.DELAY, "2026-10-21", date="2026-10-21", until="2026-11-19", reason="再次")
    assert err.value.kind == "delay_until_early" and err.value.params["due"] == "2026-11-20"


def test_delay_after_the_due_date_is_refused(db: Database) -> None:
    number = seed(db)
    action = actions(db, number, "2026-10-21")[ActionKind.DELAY]
    assert not action.available
    assert action.reason == MESSAGES["delay_late"].format(due="2026-10-20")
    with pytest.raises(RuleError) as err:
        act(db, number, ActionKind.DELAY, "2026-10-21", until="2026-11-20", reason="申请数量较大")
    assert err.value.kind == "delay_late"
    # Notified on the last day: still in time; a notice dated after it is not.
    with pytest.raises(InputError) as late:
        act(db, number, ActionKind.DELAY, "2026-10-20", date="2026-10-21", until="2026-11-20", reason="x")
    assert late.value.kind == "date_in_future"
    act(
        db,
        number,
        ActionKind.DELAY,
        "2026-10-20",
        date="2026-10-20",
        until="2026-11-20",
        reason="申请数量较大",
    )
    assert reply_due(db, number, "2026-10-20") == d("2026-11-20")


def test_delay_needs_a_running_clock(db: Database) -> None:
    number = seed(db)
    act(db, number, ActionKind.REQUEST_CORRECTION, "2026-09-18", period_end="2026-10-16", points="写明文号")
    assert actions(db, number, "2026-09-21")[ActionKind.DELAY].reason.startswith("正在等待申请人补正")


# --------------------------------------------------------------------------- 送达


def test_deliver_is_offered_for_an_issued_letter_until_it_is_delivered(db: Database) -> None:
    number = seed(db)
    assert actions(db, number, "2026-09-18")[ActionKind.DELIVER].reason == MESSAGES["nothing_to_deliver"]
    act(db, number, ActionKind.REQUEST_CORRECTION, "2026-09-18", period_end="2026-10-16", points="写明文号")
    # A draft is not deliverable; the issued letter is.
    with db.unit_of_work("测试") as uow:
        prepare_letter(uow, number, LetterKind.CORRECTION, today=d("2026-09-18"), actor="测试")
    assert not actions(db, number, "2026-09-18")[ActionKind.DELIVER].available
    letter_id, doc_number = issued_letter(db, number, LetterKind.CORRECTION, "2026-09-18")
    assert actions(db, number, "2026-09-18")[ActionKind.DELIVER].available
    with db.unit_of_work("测试", read_only=True) as uow:
        (target,) = case_deliverables(uow, number)
    assert (target.key, target.label, target.issued) == (
        letter_id,
        f"补正告知书 {doc_number}",
        d("2026-09-18"),
    )
    assert not target.delivered

    # 邮寄 needs its tracking number; nothing is dated after today; a letter of the case only.
    with pytest.raises(InputError) as err:
        act(db, number, ActionKind.DELIVER, "2026-09-18", letter=letter_id, method="邮寄", date="2026-09-18")
    assert (err.value.kind, err.value.field) == ("tracking_required", "tracking")
    with pytest.raises(InputError) as err:
        act(
            db,
            number,
            ActionKind.DELIVER,
            "2026-09-18",
            letter=letter_id,
            method="邮寄",
            tracking="EMS1",
            date="2026-09-19",
        )
    assert (err.value.kind, err.value.field) == ("date_in_future", "date")
    with pytest.raises(InputError) as err:
        act(db, number, ActionKind.DELIVER, "2026-09-18", letter="no-such", method="当面", date="2026-09-18")
    assert (err.value.kind, err.value.field) == ("bad_choice", "letter")

    proof = Proof(b"%PDF scan of the EMS receipt", "回执.pdf", "application/pdf")
    result = act(
        db,
        number,
        ActionKind.DELIVER,
        "2026-09-21",
        letter=letter_id,
        method="邮寄",
        tracking=" EMS1234567890 ",
        date="2026-09-18",
        received="2026-09-21",
        proof=proof,
    )
    (event,) = [e for e in result.case.events if isinstance(e, Delivered)]
    assert (event.date, event.method, event.tracking, event.received) == (
        d("2026-09-18"),
        "邮寄",
        "EMS1234567890",
        d("2026-09-21"),
    )
    assert event.extra["letter"] == doc_number and event.extra["letter_kind"] == "correction"
    with db.unit_of_work("测试", read_only=True) as uow:
        assert uow.attachments.get(str(event.extra["proof"])) == proof.data
        (ref,) = uow.attachments.list_for_case(get_case(uow, number).id)
        assert ref.kind == PROOF_KIND
        (target,) = case_deliverables(uow, number)
    assert target.delivered
    assert actions(db, number, "2026-09-21")[ActionKind.DELIVER].reason == MESSAGES["nothing_to_deliver"]
    # From the letters window a letter may be delivered again (a returned letter sent once more).
    with db.unit_of_work("测试") as uow:
        again = deliver(uow, letter_id, method="当面", date=d("2026-09-22"), today=d("2026-09-22"))
    assert [e.method for e in again.case.events if isinstance(e, Delivered)] == ["邮寄", "当面"]


def test_a_reply_without_a_letter_is_delivered_in_one_transaction(db: Database) -> None:
    number = seed(db)
    items = [{"finding": "disclosed"}, {"finding": "unable.not_held"}]
    act(db, number, ActionKind.REPLY, "2026-10-09", items=items)
    acts = actions(db, number, "2026-10-09")
    assert acts[ActionKind.DELIVER].available
    with db.unit_of_work("测试", read_only=True) as uow:
        (target,) = case_deliverables(uow, number)
    assert target.key == REPLY_TARGET and target.issued == d("2026-10-09")

    # A value the timeline refuses (a tracking number over 100 characters) stores nothing — not the proof either.
    proof = Proof(b"signed receipt", "送达回证.png", "image/png")
    with pytest.raises(InputError) as err:
        act(
            db,
            number,
            ActionKind.DELIVER,
            "2026-10-12",
            letter=REPLY_TARGET,
            method="邮寄",
            tracking="E" * 101,
            date="2026-10-12",
            proof=proof,
        )
    assert err.value.field == "tracking"
    with db.unit_of_work("测试", read_only=True) as uow:
        assert uow.attachments.list_for_case(get_case(uow, number).id) == []
    with pytest.raises(InputError) as err:
        act(
            db,
            number,
            ActionKind.DELIVER,
            "2026-10-12",
            letter=REPLY_TARGET,
            method="当面",
            date="2026-10-08",
        )
    assert (err.value.kind, err.value.field) == ("before_issue", "date")

    result = act(
        db,
        number,
        ActionKind.DELIVER,
        "2026-10-12",
        letter=REPLY_TARGET,
        method="当面",
        date="2026-10-12",
        proof=proof,
    )
    (event,) = [e for e in result.case.events if isinstance(e, Delivered)]
    assert event.method == "当面" and event.extra["letter_kind"] == "reply" and "letter" not in event.extra
    with db.unit_of_work("测试", read_only=True) as uow:
        (ref,) = uow.attachments.list_for_case(get_case(uow, number).id)
    assert ref.name == "送达回证.png" and ref.kind == PROOF_KIND
    assert not actions(db, number, "2026-10-12")[ActionKind.DELIVER].available


def test_the_applicant_s_requests_for_weighing_a_delay(db: Database) -> None:
    applicant = {"kind": "natural_person", "name": "王小明", "id_number": "110101199001011234", "phone": "1"}
    numbers = []
    for received, name in (
        ("2025-10-31", "王小明"),  # 13 calendar months back: not counted
        ("2025-11-03", "王小明"),
        ("2026-10-08", "王晓明"),
        ("2026-10-09", "王小明"),
    ):
        number = f"2026-{next(_numbers):04d}"
        with db.unit_of_work("测试") as uow:
            obj = case(number, received, applicant={**applicant, "name": name})
            report = import_cases(
                uow, [Line(1, parse_case(obj))], skip_invalid=False, source="t", today=d(received)
            )
            assert report.ok, report.errors
        numbers.append(number)
    with db.unit_of_work("测试") as uow:
        prepare_duplicate_check(uow, d("2026-10-12"))  # the case list's index, as the app keeps it
        counted = applicant_requests(uow, numbers[-1], d("2026-10-12"))
    # Identified by the identity number (a misspelt name still counts); 张三's cases do not.
    assert (counted.name, counted.this_month, counted.last_12_months, counted.months_over_ten) == (
        "王小明",
        2,
        3,
        0,
    )
