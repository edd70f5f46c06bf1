"""Actions on a case (app.services.actions) on a real encrypted database, dates counted by hand.

2026 around the dates used (domain.md §3.1): 中秋 9-25…9-27, 国庆 10-1…10-7, make-up working days
Sunday 9-20 and Saturday 10-10. From a receipt on Wednesday 2026-09-16 the counted days are
9-17(1) 9-18(2) 9-20(3) 9-21…9-24(4–7) 9-28…9-30(8–10) 10-8(11) 10-9(12) 10-10(13) 10-12…10-16(14–18)
10-19(19) 10-20(20): the 补正 notice is due 2026-09-24 (7th) and the reply 2026-10-20 (20th).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from app import bootstrap
from app.domain.caseformat import parse_case
from app.domain.errors import InputError, RuleError
from app.domain.model import Agency
from app.law.deadlines import compute_deadline
from app.letters import LetterKind
from app.messages import MESSAGES, describe
from app.services.actions import ActionKind, apply_action, case_actions
from app.services.calendar import effective_calendar
from app.services.cases import get_case, import_cases
from app.store.database import Database

PASSPHRASE = "办理操作测试口令"
AGENCY = Agency(
    name="某市某区自然资源局",
    kind="department",
    level="county",
    short_name="某区自然资源",
    parent_government="某区人民政府",
    court="某市中级人民法院",
)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def case(number: str, received: str | None, *, channel: str = "in_person", **more: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "number": number,
        "channel": channel,
        "received": received,
        "applicant": {"kind": "natural_person", "name": "张三", "phone": "13800000000"},
        "items": [
            {"description": "某村土地征收补偿安置方案", "form": "paper", "delivery": "post"},
            {"description": "某项目会议纪要", "form": "paper", "delivery": "post"},
        ],
    }
    obj.update(more)
    return obj


@dataclasses.dataclass(frozen=True)
class Line:
    line: int
    case: Any
    error: Any = None


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    home = tmp_path_factory.mktemp("actions") / "home"
    bootstrap.initialize(home, passphrase=PASSPHRASE, agency=AGENCY, actor="测试")
    with bootstrap.open_database(home, lambda: PASSPHRASE) as database:
        yield database


_numbers = iter(range(1, 10_000))


def seed(db: Database, received: str | None = "2026-09-16", **more: Any) -> str:
    number = f"2026-{next(_numbers):04d}"
    with db.unit_of_work("测试") as uow:
        report = import_cases(
            uow,
            [Line(1, parse_case(case(number, received, **more)))],
            skip_invalid=False,
            source="t",
            today=d("2026-09-16"),
        )
        assert report.ok, report.errors
    return number


def actions(db: Database, number: str, today: str) -> dict[ActionKind, Any]:
    with db.unit_of_work("测试", read_only=True) as uow:
        return {a.kind: a for a in case_actions(uow, number, d(today))}


def act(db: Database, number: str, kind: ActionKind, today: str, **values: Any) -> Any:
    with db.unit_of_work("测试") as uow:
        return apply_action(uow, number, kind, values, d(today), actor="测试")


def due(db: Database, number: str, today: str) -> Any:
    with db.unit_of_work("测试", read_only=True) as uow:
        return compute_deadline(get_case(uow, number), effective_calendar(uow), d(today))


def test_every_refusal_and_input_kind_has_a_message() -> None:
    import inspect

    import app.services.actions as module

    source = inspect.getsource(module)
    import re

    kinds = set(re.findall(r'(?:RuleError|InputError)\("([a-z_]+)"', source))
    assert kinds and all(MESSAGES.get(k) for k in kinds), sorted(k for k in kinds if k not in MESSAGES)


def test_fresh_case_offers_handling_and_refuses_what_does_not_apply(db: Database) -> None:
    number = seed(db)
    acts = actions(db, number, "2026-09-18")
    for kind in (
        ActionKind.REQUEST_CORRECTION,
        ActionKind.CONSULT_THIRD_PARTY,
        ActionKind.CONSULT_AGENCY,
        ActionKind.EXTEND,
        ActionKind.NOTIFY_FEE,
        ActionKind.REPLY,
        ActionKind.WITHDRAW,
        ActionKind.FILE_DIFFICULT,
    ):
        assert acts[kind].available, kind
    assert acts[ActionKind.CONFIRM_RECEIPT].reason.startswith("当面、邮寄签收和口头申请")
    assert not acts[ActionKind.RECEIVE_CORRECTION].available
    assert not acts[ActionKind.RECORD_OPINION].available
    assert acts[ActionKind.ARCHIVE].reason == MESSAGES["archive_open"]
    assert not acts[ActionKind.DEEM_ABANDONED].available
    assert acts[ActionKind.REQUEST_CORRECTION].letter == LetterKind.CORRECTION


@pytest.mark.parametrize(
    ("today", "available"),
    [("2026-09-24", True), ("2026-09-25", False)],
    ids=["条例30-补正-day7-2026-09-24", "条例30-补正-day8-late"],
)
def test_correction_notice_only_within_7_working_days(db: Database, today: str, available: bool) -> None:
    number = seed(db)
    action = actions(db, number, today)[ActionKind.REQUEST_CORRECTION]
    assert action.available is available
    if not available:
        assert "2026-09-24" in action.reason
        with pytest.raises(RuleError) as err:
            act(db, number, ActionKind.REQUEST_CORRECTION, today, period_end="2026-10-15", points="写明文号")
        assert err.value.kind == "correction_late"


def test_correction_then_received_restarts_the_clock(db: Database) -> None:
    number = seed(db)
    result = act(
        db,
        number,
        ActionKind.REQUEST_CORRECTION,
        "2026-09-18",
        period_end="2026-10-16",
        points="写明所需信息的文号\n写明年份",
    )
    assert result.letter == LetterKind.CORRECTION
    assert due(db, number, "2026-09-18").reply_due is None  # awaiting the correction
    acts = actions(db, number, "2026-09-21")
    assert acts[ActionKind.REQUEST_CORRECTION].reason == MESSAGES["correction_once"]
    assert acts[ActionKind.EXTEND].reason.startswith("正在等待申请人补正")
    assert acts[ActionKind.RECEIVE_CORRECTION].available
    act(db, number, ActionKind.RECEIVE_CORRECTION, "2026-09-28", date="2026-09-28")
    # New day 0 = 9-28: 9-29(1) 9-30(2) 10-8(3) 10-9(4) 10-10(5, make-up Saturday) 10-12…16(6–10)
    # 10-19…23(11–15) 10-26…30(16–20).
    assert due(db, number, "2026-09-28").reply_due == d("2026-10-30")
    assert not actions(db, number, "2026-09-29")[ActionKind.RECEIVE_CORRECTION].available


def test_correction_period_passed_deems_the_application_withdrawn(db: Database) -> None:
    number = seed(db)
    act(db, number, ActionKind.REQUEST_CORRECTION, "2026-09-18", period_end="2026-10-16", points="写明文号")
    assert not actions(db, number, "2026-10-16")[ActionKind.DEEM_ABANDONED].available
    result = act(db, number, ActionKind.DEEM_ABANDONED, "2026-10-19")
    assert result.case.events[-1].outcome == "other.no_correction"
    acts = actions(db, number, "2026-10-19")
    assert acts[ActionKind.ARCHIVE].available
    assert acts[ActionKind.REPLY].reason == "案件已于2026-10-19办结，不能再办理此事项"


def test_third_party_consultation_pauses_and_objection_allows_public_interest_notice(db: Database) -> None:
    number = seed(db)
    result = act(
        db, number, ActionKind.CONSULT_THIRD_PARTY, "2026-09-21", name="某某公司", reason="涉及商业秘密"
    )
    assert (result.letter, result.consultation_id) == (LetterKind.CONSULTATION_THIRD_PARTY, "c1")
    assert actions(db, number, "2026-09-22")[ActionKind.RECORD_OPINION].available
    act(db, number, ActionKind.RECORD_OPINION, "2026-09-24", opinion="object", reasons="涉及技术方案")
    # Paused on 9-22, 9-23, 9-24 (day S counts, the answer's day is the last paused): 10-20 + 3 wd.
    assert due(db, number, "2026-09-24").reply_due == d("2026-10-23")
    acts = actions(db, number, "2026-09-28")
    assert not acts[ActionKind.RECORD_OPINION].available
    assert acts[ActionKind.PUBLIC_INTEREST_NOTICE].available
    notice = act(
        db,
        number,
        ActionKind.PUBLIC_INTEREST_NOTICE,
        "2026-09-28",
        content="补偿标准",
        reasons="涉及公共利益",
    )
    assert notice.letter == LetterKind.PUBLIC_INTEREST_NOTICE and notice.consultation_id == "c1"


def test_extension_once_within_20_days_before_due(db: Database) -> None:
    number = seed(db)
    with pytest.raises(InputError) as err:
        act(db, number, ActionKind.EXTEND, "2026-10-19", days=21, approver="李主任", reason="材料多")
    assert err.value.field == "days" and err.value.kind == "out_of_range"
    with pytest.raises(InputError) as err:
        act(db, number, ActionKind.EXTEND, "2026-10-19", days=10, approver="", reason="材料多")
    assert err.value.field == "approver"
    result = act(db, number, ActionKind.EXTEND, "2026-10-19", days=10, approver="李主任", reason="材料多")
    assert result.letter == LetterKind.EXTENSION
    # 10-20 + 10 wd: 10-21…23 (3), 10-26…30 (8), 11-2, 11-3 (10).
    assert due(db, number, "2026-10-19").reply_due == d("2026-11-03")
    with pytest.raises(RuleError) as refused:
        act(db, number, ActionKind.EXTEND, "2026-10-20", days=5, approver="李主任", reason="再延")
    assert refused.value.kind == "extension_once"
    assert describe(refused.value).startswith("延期答复只能批准一次")


def test_extension_after_the_due_date_is_refused(db: Database) -> None:
    number = seed(db)
    action = actions(db, number, "2026-10-21")[ActionKind.EXTEND]
    assert not action.available and "2026-10-20" in action.reason


def test_confirmation_channel_waits_for_confirmation(db: Database) -> None:
    number = seed(db, None, channel="email", arrived="2026-09-15")
    acts = actions(db, number, "2026-09-16")
    assert acts[ActionKind.CONFIRM_RECEIPT].available
    assert acts[ActionKind.REPLY].reason.startswith("尚未确认收到申请")
    with pytest.raises(InputError) as err:
        act(db, number, ActionKind.CONFIRM_RECEIPT, "2026-09-16", date="2026-09-17", method="电话")
    assert err.value.kind == "date_in_future"
    result = act(db, number, ActionKind.CONFIRM_RECEIPT, "2026-09-16", method="电话", by="王五")
    assert result.case.received == d("2026-09-16")
    assert due(db, number, "2026-09-16").reply_due == d("2026-10-20")
    assert actions(db, number, "2026-09-17")[ActionKind.CONFIRM_RECEIPT].reason == "已于2026-09-16确认收到"


def test_fee_notice_then_paid(db: Database) -> None:
    number = seed(db)
    result = act(db, number, ActionKind.NOTIFY_FEE, "2026-09-21", method="per_volume", pages=50)
    assert result.letter == LetterKind.FEE
    assert result.case.events[-1].amount == 200  # 1–30 free, 31–50: 20 pages × 10 元 (109号)
    acts = actions(db, number, "2026-09-22")
    assert acts[ActionKind.NOTIFY_FEE].reason.startswith("2026-09-21发出的收费通知")
    assert acts[ActionKind.FEE_PAID].available and acts[ActionKind.WAIVE_FEE].available
    act(db, number, ActionKind.FEE_PAID, "2026-09-22")
    assert not actions(db, number, "2026-09-22")[ActionKind.FEE_PAID].available
    with pytest.raises(InputError) as err:
        act(db, number, ActionKind.NOTIFY_FEE, "2026-09-22", method="per_volume", pages=20)
    assert err.value.kind == "fee_free"


def _reply(db: Database, number: str, today: str, items: list[dict[str, Any]]) -> Any:
    return act(db, number, ActionKind.REPLY, today, items=items)


def test_reply_records_findings_with_reasons_and_organ(db: Database) -> None:
    number = seed(db)
    with pytest.raises(InputError) as err:
        _reply(db, number, "2026-10-12", [{"finding": "disclosed"}, {"finding": "withheld.process_info"}])
    assert (err.value.kind, err.value.field) == ("reasons_required", "items.1.reasons")
    with pytest.raises(InputError) as err:
        _reply(
            db,
            number,
            "2026-10-12",
            [{"finding": "unable.unclear_after_correction"}, {"finding": "disclosed"}],
        )
    assert err.value.kind == "unclear_needs_correction"
    result = _reply(
        db,
        number,
        "2026-10-12",
        [
            {"finding": "unable.not_held", "organ": "某区住房和城乡建设局", "contact": "0571-1234"},
            {"finding": "withheld.process_info", "reasons": "内部研究讨论记录"},
        ],
    )
    assert result.letter == LetterKind.REPLY
    items = result.case.items
    assert items[0].responsible_organ.name == "某区住房和城乡建设局"
    assert items[1].reasons == "内部研究讨论记录"
    acts = actions(db, number, "2026-10-13")
    assert not acts[ActionKind.REPLY].available
    assert acts[ActionKind.RECONSIDERATION_FILED].available
    filed = act(db, number, ActionKind.RECONSIDERATION_FILED, "2026-10-20")
    assert filed.case.events[-1].organ == "某区人民政府"  # 复议法第二十四条: same-level government
    act(db, number, ActionKind.RECONSIDERATION_DECIDED, "2026-11-20", decision="维持原答复")
    assert act(db, number, ActionKind.ARCHIVE, "2026-11-20").case.flags == ("archived",)
    assert actions(db, number, "2026-11-20")[ActionKind.ARCHIVE].reason == "案件已归档"


def test_withdrawal_and_difficult_case_filing(db: Database) -> None:
    number = seed(db)
    filed = act(
        db, number, ActionKind.FILE_DIFFICULT, "2026-09-18", reason="可能引发复议", filed_with_city=True
    )
    assert set(filed.case.flags) == {"difficult", "filed_with_city"}
    assert filed.case.notes[-1].text.startswith("疑难件备案：可能引发复议")
    assert not actions(db, number, "2026-09-18")[ActionKind.FILE_DIFFICULT].available
    with pytest.raises(InputError):
        act(db, number, ActionKind.WITHDRAW, "2026-09-18")
    result = act(db, number, ActionKind.WITHDRAW, "2026-09-18", reason="申请人书面撤回申请")
    assert result.case.events[-1].outcome == "other.other"
    assert result.letter is None
