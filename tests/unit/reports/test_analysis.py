"""The periodic analysis (domain.md §8): months, topics, repeat applicants (109号, 条例第三十五条),
依申请公开转主动公开 candidates (条例第四十四条) and timeliness (条例第三十三条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.domain.caseformat import parse_case
from app.domain.codes import Finding
from app.domain.model import Case
from app.law.calendar import shipped_calendar
from app.reports.analysis import (
    analyse,
    disclosure_candidates,
    identity,
    monthly,
    normalise,
    repeat_applicants,
    timeliness,
    topic_counts,
    year_period,
)

D = dt.date
CAL = shipped_calendar()
Y2025 = year_period(2025)
_serial = iter(range(1, 1_000_000))


def case(
    received: str | None,
    *events: dict[str, Any],
    items: tuple[str, ...] = ("某文件",),
    name: str = "张三",
    id_number: str | None = None,
    phone: str | None = None,
    tags: tuple[str, ...] = (),
    channel: str = "in_person",
) -> Case:
    return parse_case(
        {
            "number": f"A-{next(_serial):04d}",
            "channel": channel,
            "received": received,
            "applicant": {"kind": "natural_person", "name": name, "id_number": id_number, "phone": phone},
            "items": [{"description": d, "form": "paper", "delivery": "post"} for d in items],
            "events": list(events),
            "tags": list(tags),
        }
    )


def replied(date: str, outcome: str = "disclosed") -> dict[str, Any]:
    return {"type": "replied", "date": date, "outcome": outcome}


# ----------------------------------------------------------------- months


def test_monthly_counts_receipts_conclusions_and_outcomes() -> None:
    cases = [
        case("2025-01-06", replied("2025-01-20")),  # Jan: received, concluded (disclosed)
        case("2025-01-27", replied("2025-02-10", "unable.not_held")),  # Jan received, Feb concluded
        case("2024-12-30", replied("2025-01-08", "withheld.process_info")),  # 2024 receipt, Jan conclusion
        case("2025-02-03"),  # Feb received, open
        case(None, channel="online"),  # awaiting confirmation: nowhere
        case(
            "2025-12-30",
            {"type": "terminated", "date": "2026-01-05", "outcome": "other.other", "reason": "撤回"},
        ),  # Dec received, concluded after the period
    ]
    months = monthly(cases, *Y2025)
    assert [(m.month, m.received, m.concluded) for m in months if m.received or m.concluded] == [
        (1, 2, 2),
        (2, 1, 1),
        (12, 1, 0),
    ]
    assert len(months) == 12
    jan, feb = months[0], months[1]
    assert {f: n for f, n in jan.outcomes.items() if n} == {
        Finding.DISCLOSED: 1,
        Finding.WITHHELD_PROCESS_INFO: 1,
    }
    assert {f: n for f, n in feb.outcomes.items() if n} == {Finding.UNABLE_NOT_HELD: 1}


def test_months_of_a_period_across_a_year() -> None:
    months = monthly([], D(2025, 11, 15), D(2026, 2, 1))
    assert [(m.year, m.month) for m in months] == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]


# ----------------------------------------------------------------- topics


@pytest.mark.parametrize(
    ("text", "keywords", "expected"),
    [
        pytest.param("某村集体土地征收补偿安置方案", None, {"征收", "补偿"}, id="default-征收-补偿"),
        pytest.param("2025年最低生活保障对象名单", None, {"低保"}, id="default-synonym-最低生活保障"),
        pytest.param("某小区规划许可证", None, {"规划", "许可"}, id="default-adjacent-words"),
        pytest.param("道路工程环境影响评价文件", None, {"环评"}, id="default-环境影响-is-环评"),
        pytest.param("某某会议纪要", None, set(), id="default-none"),
        pytest.param("某学校招生范围", ["学校", "范围", "预算"], {"学校", "范围"}, id="custom-list"),
        pytest.param(
            "规划许可证",
            {"规划许可": ["规划许可"], "许可": ["许可"]},
            {"规划许可", "许可"},
            id="custom-nested-words",
        ),
    ],
)
def test_topics(text: str, keywords: Any, expected: set[str]) -> None:
    args = () if keywords is None else (keywords,)
    _, topics = topic_counts([case("2025-03-03", items=(text,))], *args)
    assert set(topics) == expected


def test_topic_and_tag_counts_count_cases_once() -> None:
    cases = [
        case("2025-03-03", items=("征收方案", "征收公告"), tags=("土地征收",)),
        case("2025-03-04", items=("征收补偿标准",), tags=("土地征收", "信访")),
        case("2025-03-05", items=("预算",)),
    ]
    tags, topics = topic_counts(cases)
    assert tags == {"土地征收": 2, "信访": 1}
    assert topics == {"征收": 2, "补偿": 1, "预算": 1}
    assert list(topics) == ["征收", "补偿", "预算"]  # most frequent first, then the list's order


# ----------------------------------------------------------------- repeat applicants


def _many(n: int, start: str, **applicant: Any) -> list[Case]:
    first = D.fromisoformat(start)
    return [case((first + dt.timedelta(days=i % 20)).isoformat(), **applicant) for i in range(n)]


@pytest.mark.parametrize(
    ("cases", "expected"),
    [
        pytest.param(
            _many(10, "2025-03-03", id_number="110101199001011234"), [], id="109号-ten-a-month-are-free"
        ),
        pytest.param(
            _many(11, "2025-03-03", id_number="110101199001011234"),
            [("id:110101199001011234", 3, 11, 1, 100)],
            id="109号-the-eleventh-is-listed",
        ),
        pytest.param(
            _many(6, "2025-01-06", id_number="X1") + _many(6, "2025-02-03", id_number="X1"),
            [],
            id="109号-counted-per-calendar-month",
        ),
        pytest.param(
            _many(6, "2025-04-01", name="李四", phone="138-0013-8000")
            + _many(5, "2025-04-01", name=" 李四", phone="13800138000"),
            [("name:李四|13800138000", 4, 11, 1, 100)],
            id="identity-name-and-phone-digits",
        ),
        pytest.param(
            _many(6, "2025-05-05", name="王五", id_number="A1")
            + _many(5, "2025-05-05", name="王五", id_number="A2"),
            [],
            id="identity-id-number-first",
        ),
        pytest.param(
            _many(31, "2025-06-02", id_number="a 1"),
            [("id:A1", 6, 31, 21, 200)],
            id="109号-thirty-first-costs-200",
        ),
    ],
)
def test_repeat_applicants(cases: list[Case], expected: list[tuple[str, int, int, int, int]]) -> None:
    got = repeat_applicants(cases, *Y2025)
    assert [(r.identity, r.month, r.count, r.chargeable, r.top_price) for r in got] == expected
    for r in got:
        assert len(r.numbers) == r.count


def test_identity_falls_back_to_name_and_email() -> None:
    c = parse_case(
        {
            "number": "A-1",
            "channel": "in_person",
            "received": "2025-03-03",
            "applicant": {"kind": "natural_person", "name": "赵六", "email": "Zhao@Example.cn"},
            "items": [{"description": "某文件", "form": "paper", "delivery": "post"}],
        }
    )
    assert identity(c) == ("name:赵六|zhao@example.cn", "赵六")


# ----------------------------------------------------------------- 依申请公开转主动公开


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "２０２５年 某村（土地）征收方案。", "2025年某村土地征收方案", id="width-space-punctuation"
        ),
        pytest.param("申请公开2025年预算的信息", "2025年预算", id="request-boilerplate"),
        pytest.param("ABC文件", "abc文件", id="case-folded"),
        pytest.param("申请", "申请", id="boilerplate-alone-is-kept"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def _by(texts_and_people: list[tuple[str, str]]) -> list[Case]:
    return [case("2025-03-03", items=(text,), id_number=who) for text, who in texts_and_people]


@pytest.mark.parametrize(
    ("cases", "expected"),
    [
        pytest.param(
            _by(
                [
                    ("2025年某村土地征收补偿方案", "p1"),
                    ("2025年某村土地征收补偿方案。", "p2"),
                    ("２０２５年 某村土地征收补偿方案", "p3"),
                ]
            ),
            [("2025年某村土地征收补偿方案", 3, 3)],
            id="44-same-text-three-applicants",
        ),
        pytest.param(
            _by([("某村征收补偿方案", "p1"), ("某村征收补偿方案", "p1"), ("某村征收补偿方案", "p2")]),
            [],
            id="44-same-applicant-counts-once",
        ),
        pytest.param(
            _by([("2024年某区部门预算", "p1"), ("2025年某区部门预算", "p2"), ("2025年某区部门预算", "p3")]),
            [],
            id="44-years-kept-apart",
        ),
        pytest.param(
            _by(
                [
                    ("某区2025年部门预算", "p1"),
                    ("某区2025年部门预算公开", "p2"),
                    ("申请公开某区2025年部门预算的信息", "p3"),
                    ("某区2025年度部门预算", "p4"),
                ]
            ),
            [("某区2025年部门预算", 4, 4)],
            id="44-similar-words-added",
        ),
        pytest.param(
            _by([("东城村征收补偿方案", "p1"), ("西城村征收补偿方案", "p2"), ("南湖村征收补偿方案", "p3")]),
            [],
            id="44-a-changed-word-is-other-information",
        ),
        pytest.param(
            _by([("某某会议纪要", "p1"), ("某某会议的纪要", "p2"), ("某某会议纪要全文", "p3")]),
            [("某某会议纪要", 3, 3)],
            id="44-no-keyword-still-grouped",
        ),
    ],
)
def test_disclosure_candidates(cases: list[Case], expected: list[tuple[str, int, int]]) -> None:
    got = disclosure_candidates(cases, *Y2025)
    assert [(c.text, c.applicants, c.requests) for c in got] == expected


def test_candidates_list_variants_and_cases_and_respect_the_period() -> None:
    cases = _by([("某村征收方案", "p1"), ("某村征收方案。", "p2"), ("某村征收方案", "p3")])
    cases.append(case("2024-06-03", items=("某村征收方案",), id_number="p4"))  # before the period
    (got,) = disclosure_candidates(cases, *Y2025)
    assert got.variants == ("某村征收方案", "某村征收方案。")
    assert got.numbers == tuple(c.number for c in cases[:3])
    assert disclosure_candidates(cases, *Y2025, min_applicants=4) == ()


# ----------------------------------------------------------------- timeliness


def test_timeliness() -> None:
    # March 2025 has no holiday: 20 working days after 3 March is 31 March.
    cases = [
        case("2025-03-03", replied("2025-03-17")),  # 10 wd, on time
        case("2025-03-03", replied("2025-04-01")),  # 21 wd, one day late
        case(
            "2025-03-03",
            {"type": "correction_requested", "date": "2025-03-05", "period_end": "2025-03-19"},
            {
                "type": "terminated",
                "date": "2025-03-25",
                "outcome": "other.no_correction",
                "reason": "未补正",
            },
        ),  # no reply due while the correction was awaited; not a reply
        case(
            "2025-03-03",
            {"type": "correction_requested", "date": "2025-03-04", "period_end": "2025-03-18"},
            {"type": "correction_received", "date": "2025-03-10"},
            replied("2025-04-07"),
        ),  # 条例第三十条: day 0 is 10 March; due 8 April (清明 4 April); 19 wd
        case("2024-03-04", replied("2024-04-30")),  # concluded before the period
        case("2025-12-01"),  # open
    ]
    got = timeliness(cases, *Y2025, calendar=CAL, today=D(2026, 1, 15))
    assert (got.concluded, got.with_due, got.overdue, got.replied) == (4, 3, 1, 3)
    assert got.overdue_rate == pytest.approx(1 / 3)
    assert got.average_working_days == pytest.approx((10 + 21 + 19) / 3)
    assert got.overdue_numbers == (cases[1].number,)


def test_timeliness_without_conclusions() -> None:
    got = timeliness([case("2025-03-03")], *Y2025, calendar=CAL, today=D(2025, 6, 1))
    assert got.overdue_rate is None and got.average_working_days is None


# ----------------------------------------------------------------- everything


def test_analyse_puts_the_parts_together() -> None:
    people = [f"p{i}" for i in range(3)]
    cases = [
        case(
            "2025-03-03", replied("2025-03-17"), items=("某村征收补偿方案",), id_number=p, tags=("土地征收",)
        )
        for p in people
    ]
    cases.append(case("2024-03-04", replied("2025-01-06"), items=("预算",)))  # 2024 receipt, 2025 reply
    got = analyse(cases, *Y2025, calendar=CAL, today=D(2026, 1, 15))
    assert got.months[2].received == 3
    assert got.tags == {"土地征收": 3}
    assert got.keywords == {"征收": 3, "补偿": 3}  # the 2024 receipt is not counted
    assert [c.applicants for c in got.candidates] == [3]
    assert got.repeat_applicants == ()
    assert got.timeliness.concluded == 4
    data = got.to_json()
    assert list(data) == [
        "first",
        "last",
        "months",
        "tags",
        "keywords",
        "repeat_applicants",
        "candidates",
        "timeliness",
    ]
    assert data["months"][2]["month"] == "2025-03" and data["months"][2]["outcomes"]["disclosed"] == 3
