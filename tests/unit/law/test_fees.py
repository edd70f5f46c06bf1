"""信息处理费 (109号): tier boundaries, progressive breakdowns, waivers and the one-method rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.codes import ApplicantKind, Channel, Delivery, FeeMethod, Form
from app.domain.errors import InputError, RuleError
from app.domain.model import Applicant, Case, FeeNotified, FeePaid, Item
from app.law import fees

# (requests the applicant already made this month, fee of the next one)
PER_REQUEST = [
    pytest.param(0, 0, id="109号4(一)-1st-free"),
    pytest.param(9, 0, id="109号4(一)-10th-free"),
    pytest.param(10, 100, id="109号4(二)-11th-100"),
    pytest.param(29, 100, id="109号4(二)-30th-100"),
    pytest.param(30, 200, id="109号4(三)-31st-200"),
    pytest.param(39, 200, id="109号4(三)-40th-200"),
    pytest.param(40, 300, id="109号4(三)-41st-300"),
    pytest.param(49, 300, id="109号4(三)-50th-300"),
    pytest.param(50, 400, id="109号4(三)-51st-400"),
]


@pytest.mark.parametrize(("before", "amount"), PER_REQUEST)
def test_per_request_tier_boundaries(before: int, amount: int) -> None:
    quote = fees.per_request_fee(before)
    assert quote.amount == amount
    assert quote.method == FeeMethod.PER_REQUEST
    assert [line.label for line in quote.lines] == [f"第{before + 1}件"]


PER_VOLUME = [
    pytest.param(0, 0, id="109号5-no-pages"),
    pytest.param(30, 0, id="109号5(一)-30-pages-free"),
    pytest.param(31, 10, id="109号5(二)-31st-page-10"),
    pytest.param(100, 700, id="109号5(二)-100-pages"),
    pytest.param(101, 720, id="109号5(三)-101st-page-20"),
    pytest.param(200, 2700, id="109号5(三)-200-pages"),
    pytest.param(201, 2740, id="109号5(四)-201st-page-40"),
    pytest.param(150, 1700, id="109号3-progressive-not-flat"),
]


@pytest.mark.parametrize(("pages", "amount"), PER_VOLUME)
def test_per_volume_tier_boundaries(pages: int, amount: int) -> None:
    quote = fees.per_volume_fee(pages)
    assert quote.amount == amount
    assert quote.method == FeeMethod.PER_VOLUME
    assert quote.free == (amount == 0)


def test_per_volume_breakdown_lines_for_the_notice() -> None:
    quote = fees.per_volume_fee(250)
    assert [(line.label, line.units, line.unit_price, line.subtotal) for line in quote.lines] == [
        ("第1—30页", 30, 0, 0),
        ("第31—100页", 70, 10, 700),
        ("第101—200页", 100, 20, 2000),
        ("第201—250页", 50, 40, 2000),
    ]
    assert quote.amount == 4700
    assert [line.text for line in quote.lines[:2]] == [
        "第1—30页：30页，不收费",
        "第31—100页：70页×10元/页＝700元",
    ]


def test_per_request_quote_for_several_requests_spans_tiers() -> None:
    # 109号第四条第一款: one application split into 40 requests, after 5 earlier ones this month.
    quote = fees.per_request_fee(5, 40)
    assert [(line.label, line.units, line.unit_price) for line in quote.lines] == [
        ("第6—10件", 5, 0),
        ("第11—30件", 20, 100),
        ("第31—40件", 10, 200),
        ("第41—45件", 5, 300),
    ]
    assert quote.amount == 2000 + 2000 + 1500
    assert quote.units == 40


def test_quotes_cite_109号_articles_and_standard() -> None:
    per_request = fees.per_request_fee(12)
    per_volume = fees.per_volume_fee(40)
    assert "第三条、第四条" in per_request.basis and "国办函〔2020〕109号" in per_request.basis
    assert "第三条、第五条" in per_volume.basis
    assert "以10件为一档" in per_request.standard
    assert "201页以上的部分，40元/页" in per_volume.standard


@pytest.mark.parametrize(
    ("call", "field", "kind"),
    [
        pytest.param(lambda: fees.per_volume_fee(-1), "pages", "out_of_range", id="negative-pages"),
        pytest.param(lambda: fees.per_volume_fee(True), "pages", "bad_type", id="bool-pages"),
        pytest.param(
            lambda: fees.per_request_fee(-1), "count_in_month_before", "out_of_range", id="negative-count"
        ),
        pytest.param(lambda: fees.per_request_fee(3, 0), "new_requests", "out_of_range", id="no-new-request"),
        pytest.param(
            lambda: fees.per_request_fee(99_999, 5), "new_requests", "out_of_range", id="absurd-count"
        ),
    ],
)
def test_bad_quantities_are_input_errors(call: Callable[[], object], field: str, kind: str) -> None:
    with pytest.raises(InputError) as info:
        call()
    assert (info.value.kind, info.value.field) == (kind, field)


@settings(database=None, max_examples=200)
@given(st.integers(min_value=0, max_value=5000))
def test_per_volume_fee_is_monotone_and_lines_add_up(pages: int) -> None:
    quote, more = fees.per_volume_fee(pages), fees.per_volume_fee(pages + 1)
    assert quote.amount <= more.amount
    assert sum(line.subtotal for line in quote.lines) == quote.amount
    assert sum(line.units for line in quote.lines) == pages


@settings(database=None, max_examples=200)
@given(st.integers(min_value=0, max_value=500), st.integers(min_value=1, max_value=60), st.integers(1, 60))
def test_per_request_fee_is_monotone_and_additive(before: int, first: int, second: int) -> None:
    assert fees.per_request_fee(before).amount <= fees.per_request_fee(before + 1).amount
    # Progressive by ordinal: quoting n + m requests at once costs the same as quoting them in two goes.
    together = fees.per_request_fee(before, first + second)
    split = fees.per_request_fee(before, first).amount + fees.per_request_fee(before + first, second).amount
    assert together.amount == split
    assert sum(line.subtotal for line in together.lines) == together.amount
    assert sum(line.units for line in together.lines) == first + second


def test_count_requests_in_calendar_month() -> None:
    dates = [dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 2, 28), dt.date(2025, 2, 10)]
    assert fees.count_requests_in_month(dates, (2026, 2)) == 2
    assert fees.count_requests_in_month(dates, (2026, 3)) == 0
    with pytest.raises(InputError) as info:
        fees.count_requests_in_month(dates, (2026, 13))
    assert info.value.field == "month"


@pytest.mark.parametrize("reason", ["", "   ", None], ids=["empty", "blank", "none"])
def test_waiver_needs_a_reason(reason: str | None) -> None:
    with pytest.raises(InputError) as info:
        fees.FeeWaiver(reason)  # type: ignore[arg-type]
    assert (info.value.kind, info.value.field) == ("required", "reason")


def test_waiver_keeps_its_reason_trimmed() -> None:
    assert fees.FeeWaiver("  申请人为低保对象  ").reason == "申请人为低保对象"
    with pytest.raises(InputError) as info:
        fees.FeeWaiver("理" * 2001)
    assert info.value.kind == "too_long"


@pytest.mark.parametrize(
    ("methods", "expected"),
    [
        pytest.param([], None, id="no-fee"),
        pytest.param(["per_volume"], FeeMethod.PER_VOLUME, id="one"),
        pytest.param([FeeMethod.PER_REQUEST, "per_request"], FeeMethod.PER_REQUEST, id="same-twice"),
    ],
)
def test_one_method_per_request(methods: list[str], expected: FeeMethod | None) -> None:
    assert fees.check_one_method(methods) == expected


def test_both_methods_are_refused() -> None:
    # 109号第三条: "不得同时按照两种标准重复计算".
    with pytest.raises(RuleError) as info:
        fees.check_one_method([FeeMethod.PER_REQUEST, FeeMethod.PER_VOLUME])
    assert info.value.kind == "fee_both_methods"
    with pytest.raises(InputError):
        fees.check_one_method(["per_page"])


def _case(*events: FeeNotified | FeePaid) -> Case:
    return Case(
        id="c1",
        number="2026-0001",
        channel=Channel.IN_PERSON,
        received=dt.date(2026, 3, 2),
        applicant=Applicant(kind=ApplicantKind.NATURAL_PERSON, name="张三"),
        items=(Item(description="事项", form=Form.PAPER, delivery=Delivery.POST),),
        events=events,
    )


def test_case_fee_method_reads_the_fee_notices() -> None:
    volume = FeeNotified(date=dt.date(2026, 3, 5), amount=700, method=FeeMethod.PER_VOLUME)
    request = FeeNotified(date=dt.date(2026, 3, 6), amount=100, method=FeeMethod.PER_REQUEST)
    assert fees.case_fee_method(_case()) is None
    assert fees.case_fee_method(_case(volume, FeePaid(date=dt.date(2026, 3, 9)))) == FeeMethod.PER_VOLUME
    with pytest.raises(RuleError):
        fees.case_fee_method(_case(volume, request))
