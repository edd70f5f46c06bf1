"""Tables 三 and 四 of the annual report against domain.md §7: the shared example, a hand-counted year
with every finding, applicant kind and 复议/诉讼 state, and the check 一 + 二 = (七)总计 + 四 as a property."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.caseformat import parse_case
from app.domain.codes import FINDING_ORDER, ApplicantKind, Channel, Delivery, Finding, Form, RemedyResult
from app.domain.model import Applicant, Case, Item, ReceiptConfirmed, ReconsiderationDecided, Replied
from app.reports.annual import (
    BLOCKS,
    COLUMNS,
    RESULT_ROWS,
    ROW_KEYS,
    AnnualReport,
    RemedyCounts,
    annual_report,
)
from tests.unit.domain.casegen import valid_cases

D = dt.date
KINDS = [
    k.value for k in ApplicantKind
]  # natural_person, business, research, public_interest, legal_services, other_org


def case(
    number: str,
    kind: str,
    received: str | None,
    *events: dict[str, Any],
    findings: tuple[str | None, ...] = (None,),
    channel: str = "in_person",
    **top: Any,
) -> Case:
    """A case through the case-file parser, so every timeline here is a valid one."""
    obj: dict[str, Any] = {
        "format": "yishen-case/1",
        "number": number,
        "channel": channel,
        "received": received,
        "applicant": {"kind": kind, "name": f"申请人{number}"},
        "items": [
            {"description": f"事项{i}", "form": "paper", "delivery": "post", "finding": f}
            for i, f in enumerate(findings)
        ],
        "events": list(events),
        **top,
    }
    return parse_case(obj)


def replied(date: str, outcome: str | None = None) -> dict[str, Any]:
    return {"type": "replied", "date": date, "outcome": outcome}


def terminated(date: str, outcome: str) -> dict[str, Any]:
    return {"type": "terminated", "date": date, "outcome": outcome, "reason": "终止"}


def confirmed(date: str) -> dict[str, Any]:
    return {"type": "receipt_confirmed", "date": date, "method": "电话", "by": "经办人"}


def rec_filed(date: str, id_: str = "r1") -> dict[str, Any]:
    return {"type": "reconsideration_filed", "date": date, "id": id_, "organ": "某市人民政府"}


def rec_decided(
    date: str, id_: str = "r1", *, decision: str | None = None, result: str | None = None
) -> dict[str, Any]:
    return {
        "type": "reconsideration_decided",
        "date": date,
        "id": id_,
        "decision": decision,
        "result": result,
    }


def lit_filed(date: str, *, after: bool, id_: str = "l1") -> dict[str, Any]:
    return {
        "type": "litigation_filed",
        "date": date,
        "id": id_,
        "court": "某区人民法院",
        "after_reconsideration": after,
    }


def lit_decided(date: str, decision: str, instance: int, id_: str = "l1") -> dict[str, Any]:
    return {"type": "litigation_decided", "date": date, "id": id_, "decision": decision, "instance": instance}


def full_rows(nonzero: dict[str, list[int]]) -> dict[str, list[int]]:
    """Every row of table 三 in order: the given ones, zeros elsewhere."""
    return {key: nonzero.get(key, [0] * len(COLUMNS)) for key in ROW_KEYS}


# ----------------------------------------------------------------- tests/data/examples/annual_report.json

# Transcribed from the shared example (the unit suite reads no files; the integration suite compares
# against the file itself): eight cases and the expected `report annual --year 2025 --json`.
EXAMPLE_CASES = [
    case("Y-1", "natural_person", "2024-12-20", replied("2025-01-10", "disclosed")),
    case("Y-2", "business", "2024-12-27"),
    case(
        "Y-3",
        "natural_person",
        "2025-03-03",
        replied("2025-03-25", "withheld.process_info"),
        rec_filed("2025-04-21"),
        rec_decided("2025-06-03", result="upheld", decision="维持"),
    ),
    case(
        "Y-4",
        "legal_services",
        "2025-05-06",
        {"type": "correction_requested", "date": "2025-05-09", "period_end": "2025-05-23"},
        {
            "type": "terminated",
            "date": "2025-06-10",
            "outcome": "other.no_correction",
            "reason": "逾期未补正",
        },
    ),
    case("Y-5", "research", "2025-12-22", replied("2026-01-08", "unable.not_held")),
    case("Y-6", "natural_person", "2025-09-01", replied("2025-09-19"), findings=("not_processed.repeat",)),
    case(
        "Y-7",
        "public_interest",
        "2025-10-09",
        replied("2025-10-30", "unable.not_held"),
        lit_filed("2025-12-01", after=False),
    ),
    case("Y-8", "other_org", "2025-11-11", replied("2025-11-28", "disclosed"), rec_filed("2025-12-15")),
]
EXAMPLE_EXPECTED: dict[str, Any] = {
    "year": 2025,
    "section3": {
        "columns": [
            "natural_person",
            "business",
            "research",
            "public_interest",
            "legal_services",
            "other_org",
            "total",
        ],
        "rows": full_rows(
            {
                "new": [2, 0, 1, 1, 1, 1, 6],
                "carried_in": [1, 1, 0, 0, 0, 0, 2],
                "disclosed": [1, 0, 0, 0, 0, 1, 2],
                "withheld.process_info": [1, 0, 0, 0, 0, 0, 1],
                "unable.not_held": [0, 0, 0, 1, 0, 0, 1],
                "not_processed.repeat": [1, 0, 0, 0, 0, 0, 1],
                "other.no_correction": [0, 0, 0, 0, 1, 0, 1],
                "total": [3, 0, 0, 1, 1, 1, 6],
                "carried_out": [0, 1, 1, 0, 0, 0, 2],
            }
        ),
        "check_ok": True,
    },
    "section4": {
        "reconsideration": {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1},
        "litigation_after_reconsideration": {
            "upheld": 0,
            "corrected": 0,
            "other": 0,
            "pending": 0,
            "total": 0,
        },
    },
}


def test_shared_example_matches_exactly() -> None:
    got = annual_report(EXAMPLE_CASES, 2025).to_json()
    assert got == EXAMPLE_EXPECTED
    # Same keys in the same order too (interfaces.md §3.2): compare the serialised text.
    assert json.dumps(got, ensure_ascii=False) == json.dumps(EXAMPLE_EXPECTED, ensure_ascii=False)


def test_json_shape_and_key_order() -> None:
    got = annual_report(EXAMPLE_CASES, 2025).to_json()
    assert list(got) == ["year", "section3", "section4"]
    assert list(got["section3"]) == ["columns", "rows", "check_ok"]
    assert list(got["section3"]["rows"]) == [
        "new",
        "carried_in",
        *(f.value for f in FINDING_ORDER),
        "total",
        "carried_out",
    ]
    assert list(got["section4"]) == [
        "reconsideration",
        "litigation_direct",
        "litigation_after_reconsideration",
    ]
    for block in got["section4"].values():
        assert list(block) == ["upheld", "corrected", "other", "pending", "total"]


# ----------------------------------------------------------------- a hand-counted year (2025)

# Columns below: [自然人 NP, 商业企业 BU, 科研机构 RE, 社会公益组织 PI, 法律服务机构 LS, 其他 OO, 总计].
# M-01 … M-21: one case per finding, in table order, received in 2025 and concluded in 2025; the
# applicant kind cycles through the six columns (M-01 NP, M-02 BU, … M-06 OO, M-07 NP, …).
_OTHER = {"other.no_correction", "other.fee_unpaid", "other.other"}


def _one_per_finding() -> list[Case]:
    out = []
    for i, finding in enumerate(FINDING_ORDER):
        received = D(2025, 1, 6) + dt.timedelta(days=7 * i)
        done = (received + dt.timedelta(days=14)).isoformat()
        number, kind = f"M-{i + 1:02d}", KINDS[i % 6]
        events: list[dict[str, Any]] = []
        findings: tuple[str | None, ...] = (None,)
        if finding == Finding.PARTLY_DISCLOSED:
            # derived: a disclosed item with a withheld one is 部分公开 (domain.md §5)
            findings = ("disclosed", "withheld.third_party")
            events.append(replied(done))
        elif finding == Finding.WITHHELD_INTERNAL_AFFAIRS:
            findings = ("withheld.internal_affairs",)  # derived from the only item's finding
            events.append(replied(done))
        elif finding == Finding.UNABLE_UNCLEAR_AFTER_CORRECTION:
            asked, back = received + dt.timedelta(days=2), received + dt.timedelta(days=5)
            events += [
                {"type": "correction_requested", "date": asked.isoformat(), "period_end": back.isoformat()},
                {"type": "correction_received", "date": back.isoformat()},
                replied(done, finding.value),
            ]
        elif finding == Finding.OTHER_NO_CORRECTION:
            asked = received + dt.timedelta(days=2)
            events += [
                {"type": "correction_requested", "date": asked.isoformat(), "period_end": done},
                terminated(done, finding.value),
            ]
        elif finding == Finding.OTHER_FEE_UNPAID:
            notice = (received + dt.timedelta(days=3)).isoformat()
            events += [
                {"type": "fee_notified", "date": notice, "amount": 100, "method": "per_request"},
                terminated(done, finding.value),
            ]
        elif finding.value in _OTHER:
            events.append(terminated(done, finding.value))  # other.other: withdrawn
        else:
            events.append(replied(done, finding.value))
        events += _REMEDIES.get(number, [])
        out.append(case(number, kind, received.isoformat(), *events, findings=findings))
    return out


# 复议/诉讼 filed on the cases above (their replies are all dated before these filings).
_REMEDIES: dict[str, list[dict[str, Any]]] = {
    # M-05 (security_stability): 复议 filed in November, decided in January 2026 → 尚未审结 at 31 Dec.
    "M-05": [rec_filed("2025-11-20"), rec_decided("2026-01-15", decision="撤销原答复")],
    # M-06 (third_party): 复议 corrected (explicit result); then a suit after 复议, decided in 2026 → pending.
    "M-06": [
        rec_filed("2025-05-01"),
        rec_decided("2025-07-01", result="corrected", decision="决定"),
        lit_filed("2025-07-15", after=True),
        lit_decided("2026-01-10", "驳回诉讼请求", 1),
    ],
    # M-08 (process_info): 复议 upheld by its text; suit after 复议 dismissed on 31 December → 维持.
    "M-08": [
        rec_filed("2025-04-01"),
        rec_decided("2025-06-01", decision="维持"),
        lit_filed("2025-06-20", after=True),
        lit_decided("2025-12-31", "驳回诉讼请求", 1),
    ],
    # M-09 (enforcement_file): 复议 terminated → 其他结果.
    "M-09": [rec_filed("2025-06-01"), rec_decided("2025-08-01", decision="终止行政复议")],
    # M-10 (administrative_query): two 复议 filings in one case: r1 dismissed → 维持, r2 undecided → pending.
    "M-10": [
        rec_filed("2025-04-01", "r1"),
        rec_decided("2025-05-01", "r1", decision="驳回行政复议申请"),
        rec_filed("2025-05-02", "r2"),
    ],
    # M-11 (not_held): direct suit, first instance dismissed, second instance reverses → 纠正 (latest decision).
    "M-11": [
        lit_filed("2025-05-01", after=False),
        lit_decided("2025-08-01", "驳回诉讼请求", 1),
        lit_decided("2025-11-15", "撤销一审判决，确认被诉答复违法", 2),
    ],
    # M-14 (petition): direct suit dismissed in 2025; the appeal judgment of 2026 is not yet known → 维持.
    "M-14": [
        lit_filed("2025-06-01", after=False),
        lit_decided("2025-09-01", "驳回诉讼请求", 1),
        lit_decided("2026-03-01", "撤销一审判决", 2),
    ],
    # M-15 (repeat): direct suit withdrawn → 其他结果.
    "M-15": [lit_filed("2025-07-01", after=False), lit_decided("2025-09-01", "准予撤回起诉", 1)],
    # M-17 (excessive): direct suit filed 30 December, undecided → pending.
    "M-17": [lit_filed("2025-12-30", after=False)],
}


def mixed_year() -> list[Case]:
    return [
        # Carried in from 2024.
        case(
            "A-1", "natural_person", "2024-12-10", replied("2025-01-08", "disclosed")
        ),  # in NP, disclosed NP
        case(
            "A-2",
            "business",
            "2024-12-20",
            {
                "type": "extension_approved",
                "date": "2025-01-06",
                "days": 20,
                "approver": "主任",
                "reason": "量大",
            },
        ),  # in BU, still open → out BU
        case(
            "A-3",
            "research",
            "2024-11-01",
            replied("2024-11-20", "disclosed"),
            rec_filed("2024-12-10"),
            rec_decided("2025-02-01", decision="撤销"),
            lit_filed("2025-02-15", after=True),
            lit_decided("2025-10-01", "确认违法", 1),  # no result field: the text says 纠正
        ),  # concluded in 2024: not in table 三; 复议 filed in 2024 (not counted), suit in 2025 (counted)
        case(
            "A-4",
            "natural_person",
            "2024-12-30",
            {"type": "correction_requested", "date": "2025-01-03", "period_end": "2025-01-17"},
            {"type": "correction_received", "date": "2025-01-10"},
            replied("2025-02-05", "partly_disclosed"),
        ),  # the restart keeps the 2024 receipt date: in NP (not new), partly_disclosed NP
        case(
            "A-5", "legal_services", "2024-12-31", replied("2025-12-31", "withheld.third_party")
        ),  # in LS, third_party LS
        # One per finding, new in 2025 and concluded in 2025.
        *_one_per_finding(),
        # The first concluding event counts: a re-reply after 复议 does not move the case (domain.md §5).
        case(
            "M-22",
            "natural_person",
            "2025-02-03",
            replied("2025-03-10", "disclosed"),
            rec_filed("2025-04-10"),
            rec_decided("2025-07-20", decision="责令被申请人重新答复"),  # → 纠正
            replied("2025-08-01", "withheld.process_info"),
        ),  # new NP, disclosed NP
        case(
            "M-23",
            "business",
            "2025-03-03",
            replied("2025-03-20", "disclosed"),
            outcome="unable.not_held",
            outcome_reason="答复书登记有误，实为本机关不掌握",
        ),  # the clerk's override wins: new BU, not_held BU
        # New in 2025, open at 31 December → carried out.
        case("M-24", "public_interest", "2025-12-29"),  # new PI, out PI
        case(
            "M-25", "other_org", "2025-12-15", replied("2026-01-05", "disclosed")
        ),  # new OO, out OO (reply in 2026)
        case(
            "M-26",
            "legal_services",
            "2025-11-20",
            {
                "type": "consultation_sent",
                "date": "2025-11-25",
                "id": "c1",
                "party": "third_party",
                "name": "某公司",
            },
        ),  # new LS, out LS
        # Awaiting confirmation of receipt (条例第三十一条): counted only once confirmed, by that date.
        case("W-1", "natural_person", None, channel="online"),  # not counted anywhere
        case(
            "W-2",
            "business",
            "2025-03-03",
            confirmed("2025-03-03"),
            replied("2025-03-20", "disclosed"),
            channel="email",
            arrived="2025-02-27",
        ),  # new BU, disclosed BU
        case(
            "W-3",
            "research",
            "2025-01-04",
            confirmed("2025-01-04"),
            channel="post_ordinary",
            arrived="2024-12-28",
        ),  # arrived in 2024, confirmed in 2025: new RE (not carried in), out RE
        case(
            "W-4", "public_interest", None, terminated("2025-05-01", "other.other"), channel="online"
        ),  # never confirmed: not counted
        # Received after the year.
        case("L-1", "natural_person", "2026-01-05"),  # not counted
    ]


MIXED_EXPECTED_ROWS = full_rows(
    {
        #           NP BU RE PI LS OO  总计
        # new: M-01…M-21 (4 4 4 3 3 3) + M-22 NP, M-23 BU, M-24 PI, M-25 OO, M-26 LS, W-2 BU, W-3 RE
        "new": [5, 6, 5, 4, 4, 4, 28],
        # carried_in: A-1 NP, A-4 NP, A-2 BU, A-5 LS (A-3 concluded in 2024, W-3 is counted by confirmation)
        "carried_in": [2, 1, 0, 0, 1, 0, 4],
        # disclosed: M-01 NP, A-1 NP, M-22 NP (first reply), W-2 BU
        "disclosed": [3, 1, 0, 0, 0, 0, 4],
        # partly_disclosed: A-4 NP, M-02 BU (derived from its items)
        "partly_disclosed": [1, 1, 0, 0, 0, 0, 2],
        "withheld.state_secret": [0, 0, 1, 0, 0, 0, 1],  # M-03 RE
        "withheld.prohibited_by_law": [0, 0, 0, 1, 0, 0, 1],  # M-04 PI
        "withheld.security_stability": [0, 0, 0, 0, 1, 0, 1],  # M-05 LS
        "withheld.third_party": [0, 0, 0, 0, 1, 1, 2],  # A-5 LS (replied on 31 Dec), M-06 OO
        "withheld.internal_affairs": [1, 0, 0, 0, 0, 0, 1],  # M-07 NP (derived from its item)
        "withheld.process_info": [0, 1, 0, 0, 0, 0, 1],  # M-08 BU (M-22's re-reply does not count)
        "withheld.enforcement_file": [0, 0, 1, 0, 0, 0, 1],  # M-09 RE
        "withheld.administrative_query": [0, 0, 0, 1, 0, 0, 1],  # M-10 PI
        "unable.not_held": [0, 1, 0, 0, 1, 0, 2],  # M-23 BU (override), M-11 LS
        "unable.needs_creation": [0, 0, 0, 0, 0, 1, 1],  # M-12 OO
        "unable.unclear_after_correction": [1, 0, 0, 0, 0, 0, 1],  # M-13 NP
        "not_processed.petition": [0, 1, 0, 0, 0, 0, 1],  # M-14 BU
        "not_processed.repeat": [0, 0, 1, 0, 0, 0, 1],  # M-15 RE
        "not_processed.publication": [0, 0, 0, 1, 0, 0, 1],  # M-16 PI
        "not_processed.excessive": [0, 0, 0, 0, 1, 0, 1],  # M-17 LS
        "not_processed.confirm_existing": [0, 0, 0, 0, 0, 1, 1],  # M-18 OO
        "other.no_correction": [1, 0, 0, 0, 0, 0, 1],  # M-19 NP (terminated)
        "other.fee_unpaid": [0, 1, 0, 0, 0, 0, 1],  # M-20 BU (terminated)
        "other.other": [0, 0, 1, 0, 0, 0, 1],  # M-21 RE (withdrawn); W-4 never confirmed, not counted
        # total: the sum of the rows above
        "total": [7, 6, 4, 3, 4, 3, 27],
        # carried_out: A-2 BU, W-3 RE, M-24 PI, M-26 LS, M-25 OO
        "carried_out": [0, 1, 1, 1, 1, 1, 5],
    }
)
MIXED_EXPECTED_SECTION4 = {
    # 维持: M-08 (text 维持), M-10 r1 (驳回行政复议申请); 纠正: M-06 (result field), M-22 (责令重新答复);
    # 其他: M-09 (终止); 尚未审结: M-05 (decided 2026), M-10 r2. A-3's 复议 was filed in 2024: not counted.
    "reconsideration": {"upheld": 2, "corrected": 2, "other": 1, "pending": 2, "total": 7},
    # 维持: M-14 (the 2026 appeal is not known at 31 Dec); 纠正: M-11 (second instance); 其他: M-15 (撤回);
    # 尚未审结: M-17.
    "litigation_direct": {"upheld": 1, "corrected": 1, "other": 1, "pending": 1, "total": 4},
    # 维持: M-08 (decided 31 Dec); 纠正: A-3 (filed 2025 on a 2024 case, 确认违法); 尚未审结: M-06.
    "litigation_after_reconsideration": {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3},
}


def test_hand_counted_year_table_3() -> None:
    report = annual_report(mixed_year(), 2025)
    assert {k: list(v) for k, v in report.rows.items()} == MIXED_EXPECTED_ROWS
    assert report.check_ok


def test_hand_counted_year_table_4() -> None:
    report = annual_report(mixed_year(), 2025)
    assert report.to_json()["section4"] == MIXED_EXPECTED_SECTION4


def test_hand_counted_expectations_are_consistent() -> None:
    # The hand-written table obeys its own arithmetic: totals per row and per column, and the check.
    for key, values in MIXED_EXPECTED_ROWS.items():
        assert sum(values[:-1]) == values[-1], key
    for col in range(len(COLUMNS)):
        assert sum(MIXED_EXPECTED_ROWS[r][col] for r in RESULT_ROWS) == MIXED_EXPECTED_ROWS["total"][col]
        left = MIXED_EXPECTED_ROWS["new"][col] + MIXED_EXPECTED_ROWS["carried_in"][col]
        assert left == MIXED_EXPECTED_ROWS["total"][col] + MIXED_EXPECTED_ROWS["carried_out"][col]


def test_every_finding_row_is_filled_in_the_hand_counted_year() -> None:
    rows = annual_report(mixed_year(), 2025).rows
    assert all(rows[key][-1] > 0 for key in RESULT_ROWS)
    assert all(rows["new"][col] > 0 for col in range(len(KINDS)))


def test_the_next_year_carries_in_what_this_year_carried_out() -> None:
    cases = mixed_year()
    assert annual_report(cases, 2026).row("carried_in") == annual_report(cases, 2025).row("carried_out")


# ----------------------------------------------------------------- single rules, table-driven


def _plain(received: dt.date | None, *events: Any, channel: str = "in_person") -> Case:
    return Case(
        id="x",
        number="X-1",
        channel=Channel(channel),
        received=received,
        applicant=Applicant(ApplicantKind.RESEARCH, "某研究所"),
        items=(Item("事项", Form.PAPER, Delivery.POST),),
        events=tuple(events),
    )


@pytest.mark.parametrize(
    ("case_", "expected"),
    [
        pytest.param(
            _plain(D(2025, 1, 1)), {"new": 1, "carried_out": 1}, id="7.1-received-on-1-January-is-new"
        ),
        pytest.param(
            _plain(D(2024, 12, 31)),
            {"carried_in": 1, "carried_out": 1},
            id="7.1-received-31-December-before-is-carried-in",
        ),
        pytest.param(
            _plain(D(2024, 12, 31), Replied(date=D(2024, 12, 31), outcome=Finding.DISCLOSED)),
            {},
            id="7.1-concluded-before-the-year-is-not-counted",
        ),
        pytest.param(
            _plain(D(2024, 12, 30), Replied(date=D(2025, 1, 1), outcome=Finding.DISCLOSED)),
            {"carried_in": 1, "disclosed": 1},
            id="7.1-concluded-on-1-January-is-carried-in-and-a-result",
        ),
        pytest.param(
            _plain(D(2025, 12, 31), Replied(date=D(2026, 1, 1), outcome=Finding.DISCLOSED)),
            {"new": 1, "carried_out": 1},
            id="7.1-concluded-the-day-after-is-carried-out",
        ),
        pytest.param(_plain(D(2026, 1, 1)), {}, id="7.1-received-after-the-year"),
        pytest.param(_plain(None, channel="fax"), {}, id="7.1-awaiting-confirmation-is-not-counted"),
        pytest.param(
            # Built in memory without ``received``: the confirmation event's date counts.
            _plain(None, ReceiptConfirmed(date=D(2025, 6, 1), method="电话"), channel="fax"),
            {"new": 1, "carried_out": 1},
            id="7.1-confirmed-counts-by-confirmation-date",
        ),
    ],
)
def test_counting_rules(case_: Case, expected: dict[str, int]) -> None:
    report = annual_report([case_], 2025)
    research = KINDS.index("research")
    got = {
        key: values[research] for key, values in report.rows.items() if values[research] and key != "total"
    }
    assert got == expected
    assert report.row("total")[-1] == sum(v for k, v in expected.items() if k in RESULT_ROWS)


@pytest.mark.parametrize(
    ("decision", "result", "cell"),
    [
        pytest.param("维持", None, "upheld", id="7.2-维持"),
        pytest.param("驳回行政复议申请", None, "upheld", id="7.2-驳回复议申请"),
        pytest.param("撤销原答复", None, "corrected", id="7.2-撤销"),
        pytest.param("变更", None, "corrected", id="7.2-变更"),
        pytest.param("确认违法", None, "corrected", id="7.2-确认违法"),
        pytest.param("责令重新答复", None, "corrected", id="7.2-责令重新答复"),
        pytest.param("终止", None, "other", id="7.2-终止"),
        pytest.param("不予受理", None, "other", id="7.2-不予受理"),
        pytest.param("调解结案", None, "other", id="7.2-调解"),
        pytest.param(None, None, "other", id="7.2-a-decision-without-text-is-other"),
        pytest.param("维持", "corrected", "corrected", id="7.2-the-recorded-result-wins-over-the-text"),
    ],
)
def test_decision_results(decision: str | None, result: str | None, cell: str) -> None:
    c = case(
        "R-1", "natural_person", "2025-02-03", replied("2025-02-20", "disclosed"), rec_filed("2025-03-01")
    ).with_events(
        # Built in memory: the case-file parser asks for a decision or a result, the report copes without.
        ReconsiderationDecided(
            date=D(2025, 5, 1), id="r1", decision=decision, result=RemedyResult(result) if result else None
        )
    )
    got = annual_report([c], 2025).reconsideration
    assert got.to_json() == {
        **dict.fromkeys(("upheld", "corrected", "other", "pending"), 0),
        cell: 1,
        "total": 1,
    }


def test_same_day_decisions_take_the_higher_instance() -> None:
    c = case(
        "R-2",
        "natural_person",
        "2025-02-03",
        replied("2025-02-20", "disclosed"),
        lit_filed("2025-03-01", after=False),
        lit_decided("2025-09-01", "撤销", 2),
        lit_decided("2025-09-01", "驳回诉讼请求", 1),
    )
    assert annual_report([c], 2025).litigation_direct == RemedyCounts(corrected=1)


def test_remedy_counts_total_and_values() -> None:
    counts = RemedyCounts(upheld=1, corrected=2, other=3, pending=4)
    assert counts.total == 10
    assert counts.values() == (1, 2, 3, 4, 10)


def test_empty_year_is_all_zero_and_checks() -> None:
    report = annual_report([], 2025)
    assert all(v == [0] * len(COLUMNS) for v in report.to_json()["section3"]["rows"].values())
    assert report.check_ok
    assert all(report.block(b).total == 0 for b in BLOCKS)


def test_check_reports_the_columns_that_do_not_add_up() -> None:
    good = annual_report(EXAMPLE_CASES, 2025)
    rows = dict(good.rows)
    rows["new"] = (3, *rows["new"][1:-1], rows["new"][-1] + 1)  # one natural person too many
    bad = AnnualReport(
        2025, rows, good.reconsideration, good.litigation_direct, good.litigation_after_reconsideration
    )
    assert bad.check_mismatches() == (0, len(COLUMNS) - 1)
    assert not bad.check_ok
    assert bad.to_json()["section3"]["check_ok"] is False


# ----------------------------------------------------------------- properties


_DAYS = st.dates(D(2023, 1, 1), D(2027, 12, 31))
_FINDING_CODES = [f.value for f in FINDING_ORDER]


@st.composite
def report_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case with what the report reads drawn densely: kind, channel, receipt, a concluding
    event and 复议/诉讼 around the turn of a year (the rest of the case is minimal)."""
    channel = draw(
        st.sampled_from(["in_person", "post_signed", "online", "email", "post_ordinary", "fax", "oral"])
    )
    received: dt.date | None = draw(_DAYS)
    assert received is not None
    events: list[dict[str, Any]] = []
    if channel in {"online", "email", "post_ordinary", "fax"}:
        if draw(st.booleans()):
            events.append(confirmed(received.isoformat()))
        else:
            received = None
    day = received or D(2025, 6, 1)

    def later() -> str:
        nonlocal day
        day += dt.timedelta(days=draw(st.integers(0, 400)))
        return day.isoformat()

    if draw(st.booleans()):
        events.append(replied(later(), draw(st.none() | st.sampled_from(_FINDING_CODES))))
    elif draw(st.booleans()):
        events.append(terminated(later(), draw(st.sampled_from(sorted(_OTHER)))))
    if draw(st.booleans()):
        events.append(rec_filed(later()))
        if draw(st.booleans()):
            events.append(rec_decided(later(), decision=draw(st.sampled_from(["维持", "撤销", "终止"]))))
    if draw(st.booleans()):
        events.append(lit_filed(later(), after=draw(st.booleans())))
        for instance in range(1, draw(st.integers(0, 2)) + 1):
            decision = draw(st.sampled_from(["驳回诉讼请求", "确认违法", "准予撤回起诉"]))
            events.append(lit_decided(later(), decision, instance))
    findings = draw(st.lists(st.none() | st.sampled_from(_FINDING_CODES), min_size=1, max_size=3))
    return {
        "format": "yishen-case/1",
        "number": "P-1",
        "channel": channel,
        "received": received.isoformat() if received else None,
        "applicant": {"kind": draw(st.sampled_from(KINDS)), "name": "某"},
        "items": [
            {"description": "事项", "form": "paper", "delivery": "post", "finding": f} for f in findings
        ],
        "events": events,
    }


def _check_invariants(cases: list[Case], year: int) -> None:
    report = annual_report(cases, year)
    assert report.check_ok
    rows = report.rows
    for key in ROW_KEYS:
        assert sum(rows[key][:-1]) == rows[key][-1]
    for col in range(len(COLUMNS)):
        assert sum(rows[key][col] for key in RESULT_ROWS) == rows["total"][col]
    # Every case counted in 一 or 二 is counted once: no more than the cases there are.
    assert rows["new"][-1] + rows["carried_in"][-1] <= len(cases)
    for block in BLOCKS:
        b = report.block(block)
        assert b.total == b.upheld + b.corrected + b.other + b.pending
    # Each year carries into the next what it carried out.
    assert annual_report(cases, year + 1).row("carried_in") == report.row("carried_out")


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(report_cases(), max_size=20), st.integers(2023, 2027))
def test_check_always_holds_for_valid_cases(objs: list[dict[str, Any]], year: int) -> None:
    _check_invariants([parse_case(o) for o in objs], year)


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(valid_cases(), max_size=6), st.integers(2019, 2031))
def test_check_holds_for_any_valid_case_file(objs: list[dict[str, Any]], year: int) -> None:
    # The case-file generator of the domain tests: every field and event kind, not just the report's.
    _check_invariants([parse_case(o) for o in objs], year)
