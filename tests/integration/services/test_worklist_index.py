"""The worklist over the case list's index gives the worklist computed from every open case.

A few hundred generated cases (the demonstration cases dated around twelve days, plus e-mail
applications waiting for the confirmation, withdrawn ones and letters at every review stage) on a
real encrypted database: with the index current for today, ``compute_worklist`` reads it
(``worklist_counts`` too) and must give exactly what the full path gives; after a case changes, on a
later day and after the fee setting changes the index is stale, and the worklist is still right,
before and after ``refresh_case_list`` brings the index current again.
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
from app.law.calendar import WorkCalendar, shipped_schedules
from app.law.deadlines import State
from app.services.actions import ActionKind, apply_action
from app.services.caselist import case_list_is_current, case_list_refresh_is_quick, refresh_case_list
from app.services.cases import import_cases
from app.services.demo import demo_case_dicts
from app.services.letters import issue_letter, prepare_letter, review_letter
from app.services.settings import load_agency, save_agency
from app.services.worklist import Group, WorkList, compute_worklist, worklist_counts
from app.store.database import Database
from tests.integration.services.test_worklist import AGENCY, PASSPHRASE, Line

TODAY = dt.date(2026, 10, 20)  # Tuesday
LATER = dt.date(2026, 10, 29)  # a Thursday nine days on: bands have moved


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    home = tmp_path / "home"
    bootstrap.initialize(home, passphrase=PASSPHRASE, agency=AGENCY, actor="测试")
    with bootstrap.open_database(home, lambda: PASSPHRASE) as database:
        yield database


def generated_cases() -> list[dict[str, Any]]:
    """360 demonstration cases dated around 12 days up to TODAY, 12 confirmations, 12 withdrawn."""
    cal = WorkCalendar(shipped_schedules(), ())
    objs: list[dict[str, Any]] = []
    for k in range(12):
        objs.extend(demo_case_dicts(cal, TODAY - dt.timedelta(days=4 * k)))
    for k in range(12):
        day = (TODAY - dt.timedelta(days=k)).isoformat()
        objs.append(
            {
                "format": "yishen-case/1",
                "channel": "email",
                "arrived": day,
                "received": None,
                "applicant": {"kind": "natural_person", "name": f"电邮申请人{k}"},
                "items": [
                    {"description": f"第{k}份电子邮件申请的内容", "form": "electronic", "delivery": "email"}
                ],
            }
        )
        received = (TODAY - dt.timedelta(days=20 + k)).isoformat()
        objs.append(
            {
                "format": "yishen-case/1",
                "channel": "in_person",
                "received": received,
                "applicant": {"kind": "natural_person", "name": f"撤回申请人{k}"},
                "items": [{"description": "已撤回的申请", "form": "paper", "delivery": "post"}],
                "events": [
                    {
                        "type": "terminated",
                        "date": TODAY.isoformat(),
                        "outcome": "other.other",
                        "reason": "撤回",
                    }
                ],
            }
        )
    return objs


def seed(db: Database) -> None:
    with db.unit_of_work("测试") as uow:
        lines = [Line(i, parse_case(o)) for i, o in enumerate(generated_cases(), 1)]
        report = import_cases(uow, lines, skip_invalid=False, source="t", today=TODAY)
        assert report.ok, report.errors[:3]
    with db.unit_of_work("测试", read_only=True) as uow:
        numbers = [c.number for c in uow.cases.iter_open()][:4]
    # Letters at every stage: a draft, one sent back, one reviewed, one issued (not listed).
    with db.unit_of_work("测试") as uow:
        prepare_letter(uow, numbers[0], "receipt", today=TODAY, actor="经办人")
        back = prepare_letter(uow, numbers[1], "receipt", today=TODAY, actor="经办人").record
        review_letter(uow, back.id, reviewer="审核人", approve=False, comment="请核对地址", today=TODAY)
        ok = prepare_letter(uow, numbers[2], "receipt", today=TODAY, actor="经办人").record
        review_letter(uow, ok.id, reviewer="审核人", approve=True, today=TODAY)
        done = prepare_letter(uow, numbers[3], "receipt", today=TODAY, actor="经办人").record
        review_letter(uow, done.id, reviewer="审核人", approve=True, today=TODAY)
        issue_letter(uow, done.id, by="经办人", today=TODAY)


def refresh(db: Database, today: dt.date) -> None:
    with db.unit_of_work("测试") as uow:
        refresh_case_list(uow, today)


def both(db: Database, today: dt.date) -> tuple[WorkList, WorkList, bool]:
    """The worklist as ``compute_worklist`` gives it, the full path's, and whether the index was current."""
    with db.unit_of_work("测试", read_only=True) as uow:
        current = case_list_is_current(uow, today)
        return compute_worklist(uow, today), compute_worklist(uow, today, use_index=False), current


def assert_counts_agree(db: Database, today: dt.date, work: WorkList) -> None:
    with db.unit_of_work("测试", read_only=True) as uow:
        counts = worklist_counts(uow, today)
    assert counts is not None
    assert {g: counts.count(g) for g in Group} == {g: work.count(g) for g in Group}
    assert (counts.open_cases, counts.running) == (work.open_cases, work.running)


def test_the_index_path_gives_the_full_worklist(db: Database) -> None:
    seed(db)
    refresh(db, TODAY)
    fast, full, current = both(db, TODAY)
    assert current
    assert fast == full
    # Every kind of case is there to compare: each group, running cases, concluded ones left out.
    assert all(full.count(g) > 0 for g in Group), {g: full.count(g) for g in Group}
    assert full.running > 0
    with db.unit_of_work("测试", read_only=True) as uow:
        stored = uow.cases.count()
    assert full.open_cases < stored - 12  # the replied demo cases and the 12 withdrawn are not open
    assert {r.stage for r in full.review} == {"awaiting_review", "sent_back", "awaiting_issue"}
    paused = full.cases[Group.PAUSED]
    assert {k for r in paused for k in r.paused_by} >= {"consultation", "fee"}
    assert all(r.correction_period_end for r in full.cases[Group.AWAITING_CORRECTION])
    assert_counts_agree(db, TODAY, full)


def test_the_worklist_reads_the_index_when_it_is_current(db: Database) -> None:
    """The path over the index takes each case's band from the index: a band that disagrees with
    the case (written here behind the index's back) shows — the index is what was read."""
    seed(db)
    refresh(db, TODAY)
    _, full, _ = both(db, TODAY)
    overdue = full.cases[Group.OVERDUE][0]
    with db.unit_of_work("测试") as uow:
        conn = uow.case_list._conn  # the store's own connection: written behind the index's back
        conn.exec_driver_sql("UPDATE case_list SET band = 'running' WHERE case_id = ?", (overdue.case_id,))
        uow.commit()
    fast, full_again, current = both(db, TODAY)
    assert current and full_again == full
    assert overdue.case_id not in {r.case_id for r in fast.cases[Group.OVERDUE]}
    assert fast.count(Group.OVERDUE) == full.count(Group.OVERDUE) - 1
    assert fast.running == full.running + 1


def test_still_right_after_a_case_changes_on_a_later_day_and_after_a_setting(db: Database) -> None:
    seed(db)
    refresh(db, TODAY)
    _, before, _ = both(db, TODAY)
    confirm = before.cases[Group.AWAITING_CONFIRMATION][0].number
    withdrawn = before.cases[Group.OVERDUE][-1].number
    with db.unit_of_work("测试") as uow:
        apply_action(uow, confirm, ActionKind.CONFIRM_RECEIPT, {"method": "电话"}, TODAY, actor="测试")
    with db.unit_of_work("测试") as uow:
        apply_action(uow, withdrawn, ActionKind.WITHDRAW, {"reason": "申请人撤回"}, TODAY, actor="测试")

    # Stale (two cases changed): the full path, and the changes show.
    fast, full, current = both(db, TODAY)
    assert not current and fast == full
    with db.unit_of_work("测试", read_only=True) as uow:
        assert worklist_counts(uow, TODAY) is None
        assert case_list_refresh_is_quick(uow)  # two cases changed
        assert not case_list_refresh_is_quick(uow, limit=1)
    assert confirm not in {r.number for r in full.cases[Group.AWAITING_CONFIRMATION]}
    assert withdrawn not in {r.number for g in Group if g is not Group.AWAITING_REVIEW for r in full.cases[g]}
    assert full.open_cases == before.open_cases - 1
    refresh(db, TODAY)
    fast, full, current = both(db, TODAY)
    assert current and fast == full
    assert_counts_agree(db, TODAY, full)

    # A later day: the index is a day behind until it is refreshed; right either way.
    fast, full, current = both(db, LATER)
    assert not current and fast == full
    assert full != dataclasses.replace(before, today=LATER)
    refresh(db, LATER)
    fast, full, current = both(db, LATER)
    assert current and fast == full
    assert_counts_agree(db, LATER, full)

    # The agency's fee setting moves due dates: every open case is recomputed by the refresh.
    with db.unit_of_work("测试") as uow:
        agency = load_agency(uow)
        assert agency is not None
        save_agency(uow, dataclasses.replace(agency, fee_pauses_clock=False))
    fast, full, current = both(db, LATER)
    assert not current and fast == full
    refresh(db, LATER)
    fast, full, current = both(db, LATER)
    assert current and fast == full
    assert_counts_agree(db, LATER, full)
    assert not any("fee" in r.paused_by for r in full.cases[Group.PAUSED])


def test_a_row_of_the_index_path_is_the_case_as_the_full_path_shows_it(db: Database) -> None:
    seed(db)
    refresh(db, TODAY)
    fast, _, current = both(db, TODAY)
    assert current
    rows = {r.case_id: r for g in Group if g is not Group.AWAITING_REVIEW for r in fast.cases[g]}
    with db.unit_of_work("测试", read_only=True) as uow:
        cases = uow.cases.get_many(rows)
    for cid, row in rows.items():
        case = cases[cid]
        assert (row.number, row.applicant, row.first_item, row.item_count) == (
            case.number,
            case.applicant.name,
            case.items[0].description,
            len(case.items),
        )
        assert (row.received, row.arrived, row.channel) == (case.received, case.arrived, str(case.channel))
        assert row.state is not State.CONCLUDED


def test_provisional_deadlines_too(db: Database) -> None:
    """Cases received in December run into 2027, whose holiday schedule is not loaded: their
    deadlines are provisional, on both paths alike."""
    december = dt.date(2026, 12, 21)
    cal = WorkCalendar(shipped_schedules(), ())
    objs = list(demo_case_dicts(cal, december - dt.timedelta(days=3))) + list(demo_case_dicts(cal, december))
    with db.unit_of_work("测试") as uow:
        lines = [Line(i, parse_case(o)) for i, o in enumerate(objs, 1)]
        report = import_cases(uow, lines, skip_invalid=False, source="t", today=december)
        assert report.ok, report.errors[:3]
    refresh(db, december)
    fast, full, current = both(db, december)
    assert current and fast == full
    rows = [r for g in Group if g is not Group.AWAITING_REVIEW for r in full.cases[g]]
    assert any(r.provisional for r in rows) and not all(r.provisional for r in rows)
    assert_counts_agree(db, december, full)
