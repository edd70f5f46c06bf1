"""救济途径: the 复议机关 (复议法第二十四条至第二十八条), the clause wording (domain.md §6.1) and the periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.domain.codes import Finding
from app.domain.errors import InputError
from app.domain.model import Agency
from app.law import remedies

COURT = "某市某区人民法院"


def _agency(kind: str, level: str, **fields: Any) -> Agency:
    fields.setdefault("name", "某机关")
    fields.setdefault("court", COURT)
    return Agency(kind=kind, level=level, **fields)


# (agency, organs, self_review, article cited)
ORGANS = [
    pytest.param(
        _agency("department", "county", parent_government="某县人民政府"),
        ("某县人民政府",),
        False,
        "第二十四条第一款第（一）项",
        id="复议法24(1)(一)-county-department",
    ),
    pytest.param(
        _agency("department", "city", parent_government="某市人民政府"),
        ("某市人民政府",),
        False,
        "第二十四条第一款第（一）项",
        id="复议法24(1)(一)-city-department",
    ),
    pytest.param(
        _agency("department", "province", parent_government="某省人民政府"),
        ("某省人民政府",),
        False,
        "第二十四条第一款第（一）项",
        id="复议法24(1)(一)-provincial-department",
    ),
    pytest.param(
        _agency("government", "township", parent_government="某县人民政府"),
        ("某县人民政府",),
        False,
        "第二十四条第一款第（二）项",
        id="复议法24(1)(二)-township-government",
    ),
    pytest.param(
        _agency("government", "county", parent_government="某市人民政府"),
        ("某市人民政府",),
        False,
        "第二十四条第一款第（二）项",
        id="复议法24(1)(二)-county-government",
    ),
    pytest.param(
        _agency("government", "city", parent_government="某省人民政府"),
        ("某省人民政府",),
        False,
        "第二十四条第一款第（二）项",
        id="复议法24(1)(二)-city-government",
    ),
    pytest.param(
        _agency("government", "province", name="某省人民政府"),
        ("某省人民政府",),
        True,
        "第二十四条第二款、第二十六条",
        id="复议法24(2)-provincial-government-itself",
    ),
    pytest.param(
        _agency("state_council_department", "national", name="某部"),
        ("某部",),
        True,
        "第二十五条第（一）项、第二十六条",
        id="复议法25-state-council-department-itself",
    ),
    pytest.param(
        _agency("department", "national", name="某部"),
        ("某部",),
        True,
        "第二十五条第（一）项、第二十六条",
        id="复议法25-national-department-is-a-state-council-department",
    ),
    pytest.param(
        _agency("justice_bureau", "national", name="司法部"),
        ("司法部",),
        True,
        "第二十五条第（一）项、第二十六条",
        id="复议法25-司法部-reviews-itself",
    ),
    pytest.param(
        _agency("vertical", "national", name="海关总署"),
        ("海关总署",),
        True,
        "第二十五条第（一）项、第二十六条",
        id="复议法25-national-vertical-head-office",
    ),
    pytest.param(
        _agency("vertical", "city", name="某海关", parent_department="某直属海关"),
        ("某直属海关",),
        False,
        "第二十七条",
        id="复议法27-海关",
    ),
    pytest.param(
        _agency("vertical", "county", name="某县税务局", parent_department="国家税务总局某市税务局"),
        ("国家税务总局某市税务局",),
        False,
        "第二十七条",
        id="复议法27-税务",
    ),
    pytest.param(
        _agency("vertical", "city", name="某市国家安全局", parent_department="某省国家安全厅"),
        ("某省国家安全厅",),
        False,
        "第二十七条",
        id="复议法27-国家安全",
    ),
    pytest.param(
        _agency("vertical", "city", name="某金融监管分局", parent_department="某金融监管局"),
        ("某金融监管局",),
        False,
        "第二十七条",
        id="复议法27-金融",
    ),
    pytest.param(
        _agency("dispatched_organ", "county", name="某街道办事处", parent_government="某区人民政府"),
        ("某区人民政府",),
        False,
        "第二十四条第一款第（三）项",
        id="复议法24(1)(三)-dispatched-organ",
    ),
    pytest.param(
        _agency("dispatched_office", "county", name="某派出所", parent_government="某县人民政府"),
        ("某县人民政府",),
        False,
        "第二十四条第四款",
        id="复议法24(4)-department-dispatched-office",
    ),
    pytest.param(
        _agency("dispatched_office", "national", name="某部某局", parent_department="某部"),
        ("某部",),
        False,
        "第二十五条第（二）项",
        id="复议法25(二)-office-of-a-state-council-department",
    ),
    pytest.param(
        _agency("authorized_org", "county", name="某县某中心", parent_government="某县人民政府"),
        ("某县人民政府",),
        False,
        "第二十四条第一款第（四）项",
        id="复议法24(1)(四)-authorized-organization",
    ),
    pytest.param(
        _agency("authorized_org", "national", name="某协会", parent_department="某部"),
        ("某部",),
        False,
        "第二十五条第（三）项",
        id="复议法25(三)-authorized-by-a-state-council-department",
    ),
    pytest.param(
        _agency(
            "justice_bureau",
            "city",
            name="某市司法局",
            parent_government="某市人民政府",
            parent_department="某省司法厅",
        ),
        ("某市人民政府", "某省司法厅"),
        False,
        "第二十八条",
        id="复议法28-justice-bureau-both",
    ),
]


@pytest.mark.parametrize(("agency", "organs", "self_review", "article"), ORGANS)
def test_reconsideration_organ(
    agency: Agency, organs: tuple[str, ...], self_review: bool, article: str
) -> None:
    organ = remedies.reconsideration_organ(agency)
    assert organ.organs == organs
    assert organ.self_review is self_review
    assert organ.article == f"《中华人民共和国行政复议法》{article}"
    assert organ.derived is True


def test_profile_override_wins_and_is_marked() -> None:
    agency = _agency(
        "department", "city", parent_government="某市人民政府", reconsideration_organ=" 某市政府 "
    )
    organ = remedies.reconsideration_organ(agency)
    assert (organ.organs, organ.derived, organ.self_review) == (("某市政府",), False, False)


def test_override_naming_the_agency_itself_is_a_self_review() -> None:
    agency = _agency("government", "province", name="某省人民政府", reconsideration_organ="某省人民政府")
    assert remedies.reconsideration_organ(agency).self_review is True


@pytest.mark.parametrize(
    ("agency", "field"),
    [
        pytest.param(_agency("department", "city"), "parent_government", id="department-without-government"),
        pytest.param(_agency("government", "township"), "parent_government", id="township-without-county"),
        pytest.param(_agency("vertical", "county"), "parent_department", id="vertical-without-department"),
        pytest.param(
            _agency("justice_bureau", "county", parent_government="某县人民政府"),
            "parent_department",
            id="justice-bureau-without-department",
        ),
        pytest.param(
            _agency("dispatched_office", "national"),
            "parent_department",
            id="national-office-without-department",
        ),
    ],
)
def test_missing_profile_data_names_the_field(agency: Agency, field: str) -> None:
    with pytest.raises(InputError) as info:
        remedies.reconsideration_organ(agency)
    assert (info.value.kind, info.value.field) == ("agency_incomplete", field)


@pytest.mark.parametrize(
    ("kind", "level", "field"),
    [
        pytest.param("department", "township", "level", id="no-township-departments"),
        pytest.param("government", "national", "level", id="state-council-is-not-an-agency-here"),
        pytest.param("justice_bureau", "township", "level", id="复议法28-county-or-above-only"),
        pytest.param("department", "galactic", "level", id="unknown-level"),
        pytest.param("ministry", "city", "kind", id="unknown-kind"),
    ],
)
def test_impossible_kind_and_level(kind: str, level: str, field: str) -> None:
    with pytest.raises(InputError) as info:
        remedies.reconsideration_organ(_agency(kind, level, parent_government="x", parent_department="y"))
    assert (info.value.kind, info.value.field) == ("bad_choice", field)


# ------------------------------------------------------------------ clause wording

CITY_DEPARTMENT = _agency("department", "city", name="某市自然资源和规划局", parent_government="某市人民政府")
FIRST = (
    "如对本答复不服，可以自收到本答复之日起六十日内向某市人民政府申请行政复议；"
    "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
)
EITHER = (
    "如对本答复不服，可以自收到本答复之日起六十日内向某市人民政府申请行政复议，"
    "或者自收到本答复之日起六个月内向某市某区人民法院提起行政诉讼。"
)
WITHHELD = [f for f in Finding if f.is_withheld]
NOT_FIRST = [f for f in Finding if not f.is_withheld and f != Finding.PARTLY_DISCLOSED]


@pytest.mark.parametrize("finding", [*WITHHELD, Finding.PARTLY_DISCLOSED], ids=str)
def test_复议前置_for_refusals(finding: Finding) -> None:
    clause = remedies.remedy_clause(CITY_DEPARTMENT, [finding])
    assert clause.text == FIRST
    assert clause.reconsideration_first is True
    assert clause.court is None
    assert clause.periods == remedies.RemedyPeriods(60, None, 15)


@pytest.mark.parametrize("finding", NOT_FIRST, ids=str)
def test_复议_or_诉讼_for_other_findings(finding: Finding) -> None:
    clause = remedies.remedy_clause(CITY_DEPARTMENT, [finding])
    assert clause.text == EITHER
    assert clause.reconsideration_first is False
    assert clause.court == COURT
    assert clause.periods == remedies.RemedyPeriods(60, 6, 15)


def test_one_refusal_puts_the_whole_letter_under_复议前置() -> None:
    findings = [Finding.DISCLOSED, Finding.NOT_PROCESSED_REPEAT, Finding.WITHHELD_PROCESS_INFO]
    assert remedies.remedy_clause(CITY_DEPARTMENT, findings).text == FIRST
    assert remedies.remedy_clause(CITY_DEPARTMENT, ["disclosed", "unable.not_held"]).text == EITHER


def test_a_letter_without_findings_still_has_a_clause() -> None:
    assert remedies.remedy_clause(CITY_DEPARTMENT, []).text == EITHER


def test_agency_can_widen_the_复议前置_set_but_not_narrow_it() -> None:
    agency = _agency(
        "department",
        "city",
        parent_government="某市人民政府",
        reconsideration_first_findings=(Finding.NOT_PROCESSED_REPEAT,),
    )
    assert remedies.remedy_clause(agency, [Finding.NOT_PROCESSED_REPEAT]).text == FIRST
    assert remedies.remedy_clause(agency, [Finding.WITHHELD_THIRD_PARTY]).text == FIRST
    assert remedies.remedy_clause(agency, [Finding.DISCLOSED]).text == EITHER
    assert remedies.reconsideration_first_set(agency) >= remedies.DEFAULT_RECONSIDERATION_FIRST


PROVINCE = _agency("government", "province", name="某省人民政府", court="某市中级人民法院")
MINISTRY = _agency("state_council_department", "national", name="某部", court="北京市某中级人民法院")


@pytest.mark.parametrize("agency", [PROVINCE, MINISTRY], ids=["复议法24(2)-province", "复议法25-ministry"])
def test_self_review_with_复议前置(agency: Agency) -> None:
    clause = remedies.remedy_clause(agency, [Finding.WITHHELD_STATE_SECRET])
    assert clause.text == (
        "如对本答复不服，可以自收到本答复之日起六十日内向本机关申请行政复议；"
        "对行政复议决定不服的，可以依法向人民法院提起行政诉讼，也可以向国务院申请裁决。"
    )
    assert clause.state_council_ruling is True


def test_self_review_without_复议前置_offers_both_doors() -> None:
    clause = remedies.remedy_clause(PROVINCE, [Finding.DISCLOSED])
    assert clause.text == (
        "如对本答复不服，可以自收到本答复之日起六十日内向本机关申请行政复议，"
        "或者自收到本答复之日起六个月内向某市中级人民法院提起行政诉讼；"
        "申请行政复议后对行政复议决定不服的，可以依法向人民法院提起行政诉讼，也可以向国务院申请裁决。"
    )
    assert clause.court == "某市中级人民法院"


def test_justice_bureau_clause_names_both_organs() -> None:
    agency = _agency(
        "justice_bureau",
        "city",
        name="某市司法局",
        parent_government="某市人民政府",
        parent_department="某省司法厅",
    )
    assert remedies.remedy_clause(agency, [Finding.WITHHELD_INTERNAL_AFFAIRS]).text == (
        "如对本答复不服，可以自收到本答复之日起六十日内向某市人民政府或者某省司法厅申请行政复议；"
        "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
    )


def test_the_court_is_required_only_when_the_clause_names_it() -> None:
    agency = Agency(name="某局", kind="department", level="city", parent_government="某市人民政府")
    assert remedies.remedy_clause(agency, [Finding.WITHHELD_STATE_SECRET]).reconsideration_first
    with pytest.raises(InputError) as info:
        remedies.remedy_clause(agency, [Finding.DISCLOSED])
    assert (info.value.kind, info.value.field) == ("agency_incomplete", "court")


def test_unknown_finding_code_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        remedies.remedy_clause(CITY_DEPARTMENT, ["disclosed", "withheld.secret"])
    assert info.value.field == "findings.1"


def test_clause_never_reproduces_obsolete_wording() -> None:
    # domain.md §3.4/§6: "三个月内起诉" and "上一级主管部门" (for ordinary departments) are obsolete.
    for findings in ([Finding.DISCLOSED], [Finding.WITHHELD_STATE_SECRET]):
        text = remedies.remedy_clause(CITY_DEPARTMENT, findings).text
        assert "三个月" not in text and "上一级主管部门" not in text


# ------------------------------------------------------------------ periods


def test_remedy_period_constants() -> None:
    assert remedies.RECONSIDERATION_DAYS == 60  # 复议法第二十条
    assert remedies.LITIGATION_MONTHS == 6  # 诉讼法第四十六条
    assert remedies.LITIGATION_AFTER_DECISION_DAYS == 15  # 诉讼法第四十五条


@pytest.mark.parametrize(
    ("received", "reconsideration", "litigation"),
    [
        pytest.param(dt.date(2026, 3, 10), dt.date(2026, 5, 9), dt.date(2026, 9, 10), id="plain"),
        pytest.param(
            dt.date(2026, 8, 31), dt.date(2026, 10, 30), dt.date(2027, 2, 28), id="民法典202-month-end"
        ),
        pytest.param(dt.date(2027, 8, 31), dt.date(2027, 10, 30), dt.date(2028, 2, 29), id="leap-february"),
        pytest.param(dt.date(2026, 11, 15), dt.date(2027, 1, 14), dt.date(2027, 5, 15), id="crosses-year"),
    ],
)
def test_remedy_deadlines(received: dt.date, reconsideration: dt.date, litigation: dt.date) -> None:
    assert remedies.remedy_deadlines(received) == {
        "reconsideration": reconsideration,
        "litigation": litigation,
    }


def test_litigation_after_the_复议决定() -> None:
    out = remedies.remedy_deadlines(dt.date(2026, 3, 10), received_decision=dt.date(2026, 6, 20))
    assert out["litigation_after_reconsideration"] == dt.date(2026, 7, 5)


def test_period_ending_on_a_rest_day_moves_to_the_next_day() -> None:
    # 民事诉讼法第八十五条: 2026-05-09 is a Saturday, so 复议 can still be applied for on Monday 05-11.
    def weekend(day: dt.date) -> bool:
        return day.weekday() >= 5

    out = remedies.remedy_deadlines(dt.date(2026, 3, 10), is_rest_day=weekend)
    assert out["reconsideration"] == dt.date(2026, 5, 11)
    assert out["litigation"] == dt.date(2026, 9, 10)  # a Thursday: unchanged
