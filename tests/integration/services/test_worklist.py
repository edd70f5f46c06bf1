"""The worklist (待办) on a real encrypted database, with due dates counted by hand on the 2026 schedule.

2026 around the dates used (domain.md §3.1): 中秋 9-25…9-27, 国庆 10-1…10-7, make-up working days
Sunday 9-20 and Saturday 10-10. From a receipt on Wednesday 2026-09-16 the counted days are
9-17(1) 9-18(2) 9-20(3) 9-21…9-24(4–7) 9-28…9-30(8–10) 10-8(11) 10-9(12) 10-10(13) 10-12…10-16(14–18)
10-19(19) 10-20(20): the reply is due on 2026-10-20 (the worked example of domain.md §3.2).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import bootstrap
from app.domain.caseformat import parse_case
from app.domain.letters import LetterStatus
from app.domain.model import Agency
from app.law.calendar import WorkCalendar, shipped_schedules
from app.law.deadlines import Band, State
from app.services.cases import import_cases
from app.services.demo import DEMO_TAG, demo_case_dicts, load_demo_cases
from app.services.letters import issue_letter, prepare_letter, review_letter
from app.services.settings import save_agency
from app.services.worklist import CASE_GROUPS, Group, ReviewStage, compute_worklist
from app.store.database import Database

PASSPHRASE = "工作台测试口令"
TODAY = dt.date(2026, 10, 20)  # Tuesday
AGENCY = Agency(
    name="某市某区自然资源局",
    kind="department",
    level="county",
    short_name="某区自然资源",
    parent_government="某区人民政府",
    court="某市中级人民法院",
    office="某区自然资源局办公室",
    address="某市某区人民路1号",
    phone="0571-12345678",
)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def case(number: str, received: str | None, *, channel: str = "in_person", **more: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "format": "yishen-case/1",
        "number": number,
        "channel": channel,
        "received": received,
        "applicant": {"kind": "natural_person", "name": f"申请人{number[-2:]}"},
        "items": [
            {"description": f"{number}号申请的第一项内容", "form": "paper", "delivery": "post"},
            {"description": "第二项", "form": "paper", "delivery": "post"},
        ],
    }
    obj.update(more)
    return obj


CASES = [
    # 9-15 is one working day before 9-16: due 10-19, one working day overdue.
    case("2026-0001", "2026-09-15"),
    case("2026-0002", "2026-09-16"),  # due 10-20: today
    # 9-18 is the 2nd counted day after 9-16: due 10-20 + 2 wd = 10-22 (10-21, 10-22).
    case("2026-0003", "2026-09-18"),
    # 9-22 is the 5th: due 10-27 (10-21, 22, 23, 26, 27) — five working days left.
    case("2026-0004", "2026-09-22"),
    # 9-29 is the 9th: due 11-02 — nine left, running, in no group.
    case("2026-0005", "2026-09-29"),
    # 条例第三十一条: an e-mail application waits for the confirmation with the applicant.
    case("2026-0006", None, channel="email", arrived="2026-10-19"),
    # 条例第三十条: 补正 notice sent, corrected application not back.
    case(
        "2026-0007",
        "2026-10-12",
        events=[{"type": "correction_requested", "date": "2026-10-14", "period_end": "2026-10-30"}],
    ),
    # Consultation sent 10-13, received by the third party 10-14: its window ends 15 wd later, 11-04
    # (10-15 10-16 10-19…10-23 10-26…10-30 11-2…11-4); not answered, so paused on (10-13, 11-04].
    case(
        "2026-0008",
        "2026-10-08",
        events=[
            {
                "type": "consultation_sent",
                "date": "2026-10-13",
                "id": "c1",
                "party": "third_party",
                "name": "某某公司",
                "delivered": "2026-10-14",
            }
        ],
    ),
    # 9-11 (Friday) is 3 working days before 9-16 (9-14, 9-15, 9-16): due 10-15, three overdue.
    case("2026-0009", "2026-09-11"),
    # Replied: concluded, not on the worklist.
    case(
        "2026-0010",
        "2026-09-01",
        items=[{"description": "已答复", "form": "paper", "delivery": "post", "finding": "disclosed"}],
        events=[{"type": "replied", "date": "2026-09-20", "outcome": "disclosed"}],
    ),
]

FEE_CASE = case(
    "2026-0011",
    "2026-10-08",
    events=[
        {
            "type": "fee_notified",
            "date": "2026-10-13",
            "amount": 300,
            "method": "per_volume",
            "delivered": "2026-10-14",
        }
    ],
)


@dataclasses.dataclass(frozen=True)
class Line:
    line: int
    case: Any
    error: Any = None


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    home = tmp_path / "home"
    bootstrap.initialize(home, passphrase=PASSPHRASE, agency=AGENCY, actor="测试")
    with bootstrap.open_database(home, lambda: PASSPHRASE) as database:
        yield database


def seed(db: Database, objs: list[dict[str, Any]]) -> None:
    with db.unit_of_work("测试") as uow:
        lines = [Line(i, parse_case(o)) for i, o in enumerate(objs, 1)]
        report = import_cases(uow, lines, skip_invalid=False, source="t", today=TODAY)
        assert report.ok, report.errors


def test_open_cases_fall_in_the_group_of_their_deadline(db: Database) -> None:
    seed(db, CASES)
    with db.unit_of_work("测试", read_only=True) as uow:
        work = compute_worklist(uow, TODAY)

    numbers = {g: [r.number for r in work.cases[g]] for g in CASE_GROUPS}
    assert numbers == {
        Group.OVERDUE: ["2026-0009", "2026-0001"],  # most overdue first
        Group.DUE_TODAY: ["2026-0002"],
        Group.WITHIN_3: ["2026-0003"],
        Group.WITHIN_5: ["2026-0004"],
        Group.PAUSED: ["2026-0008"],
        Group.AWAITING_CORRECTION: ["2026-0007"],
        Group.AWAITING_CONFIRMATION: ["2026-0006"],
    }
    assert work.open_cases == 9
    assert work.running == 1  # 2026-0005

    dues = {r.number: (r.reply_due, r.days_left) for g in CASE_GROUPS for r in work.cases[g]}
    assert dues["2026-0009"] == (d("2026-10-15"), -3)
    assert dues["2026-0001"] == (d("2026-10-19"), -1)
    assert dues["2026-0002"] == (d("2026-10-20"), 0)
    assert dues["2026-0003"] == (d("2026-10-22"), 2)
    assert dues["2026-0004"] == (d("2026-10-27"), 5)
    assert dues["2026-0006"] == (None, None)
    assert dues["2026-0007"] == (None, None)

    paused = work.cases[Group.PAUSED][0]
    assert paused.state is State.PAUSED and paused.band is Band.PAUSED
    assert paused.paused_until == d("2026-11-04")
    assert paused.paused_by == ("consultation",)
    # Counted: 10-9 10-10 10-12 10-13 (4), paused to 11-04, then 16 more from 11-05: due 11-26.
    assert paused.reply_due == d("2026-11-26")

    corr = work.cases[Group.AWAITING_CORRECTION][0]
    assert corr.correction_period_end == d("2026-10-30")
    confirm = work.cases[Group.AWAITING_CONFIRMATION][0]
    assert confirm.arrived == d("2026-10-19") and confirm.received is None

    first = work.cases[Group.DUE_TODAY][0]
    assert (first.applicant, first.first_item, first.item_count) == (
        "申请人02",
        "2026-0002号申请的第一项内容",
        2,
    )
    assert work.count(Group.OVERDUE) == 2 and work.count(Group.AWAITING_REVIEW) == 0


@pytest.mark.parametrize(
    ("pauses", "group"), [(True, Group.PAUSED), (False, None)], ids=["default", "no-pause"]
)
def test_the_agency_decides_whether_a_fee_notice_pauses_the_clock(
    db: Database, pauses: bool, group: Group | None
) -> None:
    with db.unit_of_work("测试") as uow:
        save_agency(uow, dataclasses.replace(AGENCY, fee_pauses_clock=pauses))
    seed(db, [FEE_CASE])
    with db.unit_of_work("测试", read_only=True) as uow:
        work = compute_worklist(uow, TODAY)
    found = [g for g in CASE_GROUPS if work.cases[g]]
    if group is None:
        # Not paused: due 11-04 (10-9 … 11-4 is 20 counted days), 11 working days left: running.
        assert found == [] and work.running == 1
    else:
        assert found == [group]
        row = work.cases[group][0]
        assert row.paused_by == ("fee",)


def test_unissued_letters_await_review(db: Database) -> None:
    seed(db, CASES)
    with db.unit_of_work("测试") as uow:
        draft = prepare_letter(uow, "2026-0005", "receipt", today=TODAY, actor="经办人").record
        back = prepare_letter(uow, "2026-0002", "receipt", today=TODAY, actor="经办人").record
        review_letter(uow, back.id, reviewer="审核人", approve=False, comment="申请人地址请核对", today=TODAY)
        ok = prepare_letter(uow, "2026-0004", "receipt", today=TODAY, actor="经办人").record
        review_letter(uow, ok.id, reviewer="审核人", approve=True, today=TODAY)
        done = prepare_letter(uow, "2026-0003", "receipt", today=TODAY, actor="经办人").record
        review_letter(uow, done.id, reviewer="审核人", approve=True, today=TODAY)
        issue_letter(uow, done.id, by="经办人", today=TODAY)
    with db.unit_of_work("测试", read_only=True) as uow:
        work = compute_worklist(uow, TODAY)
    assert draft.id in {r.letter_id for r in work.review}
    stages = {(r.number, r.stage, r.status) for r in work.review}
    assert stages == {
        ("2026-0005", ReviewStage.AWAITING_REVIEW, LetterStatus.DRAFT),
        ("2026-0002", ReviewStage.SENT_BACK, LetterStatus.DRAFT),
        ("2026-0004", ReviewStage.AWAITING_ISSUE, LetterStatus.REVIEWED),
    }
    assert work.count(Group.AWAITING_REVIEW) == 3
    sent_back = next(r for r in work.review if r.stage is ReviewStage.SENT_BACK)
    assert sent_back.comment == "申请人地址请核对"
    assert sent_back.applicant == "申请人02" and sent_back.doc_number
    assert sent_back.created_by == "经办人"


def test_demo_data_is_valid_and_fills_every_group(db: Database) -> None:
    today = dt.date(2026, 3, 18)
    with db.unit_of_work("测试") as uow:
        report = load_demo_cases(uow, today, actor="测试")
    assert report.imported == 30 and report.letters == 2
    with db.unit_of_work("测试", read_only=True) as uow:
        work = compute_worklist(uow, today)
        cases = list(uow.cases.iter_all())
    assert all(DEMO_TAG in c.tags for c in cases)
    assert {g: work.count(g) for g in Group} == {
        Group.OVERDUE: 3,
        Group.DUE_TODAY: 2,
        Group.WITHIN_3: 3,
        Group.WITHIN_5: 3,
        Group.PAUSED: 3,
        Group.AWAITING_CORRECTION: 2,
        Group.AWAITING_CONFIRMATION: 2,
        Group.AWAITING_REVIEW: 2,
    }


@pytest.mark.parametrize("today", [dt.date(2026, 1, 2), dt.date(2026, 2, 14), dt.date(2026, 10, 6)], ids=str)
def test_demo_cases_parse_on_holidays_too(today: dt.date) -> None:
    cal = WorkCalendar(shipped_schedules(), ())
    objs = list(demo_case_dicts(cal, today))
    assert len(objs) == 30
    for obj in objs:
        parsed = parse_case(obj)
        assert all(e.date <= today for e in parsed.events)
