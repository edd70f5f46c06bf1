"""信息处理费: the per-request and per-volume tariffs of 109号 with the tier lines a 收费通知书 shows.

Sources: 条例第四十二条 (fees only where number or frequency of requests exceeds a reasonable range) and
《政府信息公开信息处理费管理办法》(国办函〔2020〕109号, in force 2021-01-01; "109号" below).

**Decision — both tariffs are progressive (超额累进), like tax brackets.** 109号第三条 says so in
terms ("均按照超额累进方式计算收费金额"), and the tiers are worded "……的部分" (the part falling in
the tier): 150 pages cost 30 × 0 + 70 × 10 + 50 × 20 = 1 700 元, not 150 × 20. For per-request fees
each request is priced by its ordinal number in the applicant's month (the 11th to 30th request cost
100 元 each, the 31st to 40th 200 元 each, …), so a quote for several new requests may span tiers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.domain.codes import FeeMethod
from app.domain.errors import InputError, RuleError
from app.domain.model import Case, FeeNotified

MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
REGULATION = "《中华人民共和国政府信息公开条例》"

# 条例第四十二条 + 109号第三条 (one tariff per request, progressive) + 第四条 (per request).
PER_REQUEST_BASIS = f"{REGULATION}第四十二条，{MEASURES}第三条、第四条"
# 条例第四十二条 + 109号第三条 + 第五条 (per volume: paper copies, e-mail, copies of electronic data).
PER_VOLUME_BASIS = f"{REGULATION}第四十二条，{MEASURES}第三条、第五条"

# 109号第四条, the standard as the notice quotes it.
PER_REQUEST_STANDARD = (
    "按件计收：同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；"
    "11—30件（含30件）的部分，100元/件；"
    "31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件。"
)
# 109号第五条.
PER_VOLUME_STANDARD = (
    "按量计收：30页以下（含30页）的，不收费；31—100页（含100页）的部分，10元/页；"
    "101—200页（含200页）的部分，20元/页；201页以上的部分，40元/页。"
)

# A bound on the inputs so a typo cannot produce a notice with thousands of tier lines.
MAX_REQUESTS_IN_MONTH = 100_000
MAX_PAGES = 10_000_000

# A tier lookup: the unit's number → (first unit of its tier, last unit or None when open, price in 元).
_Tier = Callable[[int], tuple[int, int | None, int]]


@dataclass(frozen=True)
class FeeLine:
    """One tier line of a 收费通知书: the units that fall in one tier and what they cost."""

    label: str  # "第31—100页", "第11件"
    units: int
    unit_price: int  # 元 per unit; 0 in a free tier
    subtotal: int  # 元
    unit: str  # "件" or "页"

    @property
    def text(self) -> str:
        """The line as the notice prints it, e.g. "第31—100页：70页×10元/页＝700元"."""
        if self.unit_price == 0:
            return f"{self.label}：{self.units}{self.unit}，不收费"
        return f"{self.label}：{self.units}{self.unit}×{self.unit_price}元/{self.unit}＝{self.subtotal}元"


@dataclass(frozen=True)
class FeeQuote:
    """The fee of one request under one tariff, with everything the 收费通知书 must state."""

    method: FeeMethod
    amount: int  # 元, the sum of the lines' subtotals
    units: int  # requests quoted (per request) or pages (per volume)
    lines: tuple[FeeLine, ...]
    basis: str
    standard: str

    @property
    def free(self) -> bool:
        return self.amount == 0


@dataclass(frozen=True)
class FeeWaiver:
    """免收: a recorded decision not to charge, which must say why (domain.md §4)."""

    reason: str

    def __post_init__(self) -> None:
        reason = self.reason.strip() if isinstance(self.reason, str) else ""
        if not reason:
            raise InputError("required", field="reason")
        if len(reason) > 2000:
            raise InputError("too_long", field="reason", max=2000, length=len(reason))
        object.__setattr__(self, "reason", reason)


# --------------------------------------------------------------------------- tiers


def _request_tier(n: int) -> tuple[int, int | None, int]:
    """(first, last, price) of the tier holding the applicant's n-th request of the month."""
    # 109号第四条第（一）项: the 1st to 10th request in a calendar month are free.
    if n <= 10:
        return 1, 10, 0
    # 109号第四条第（二）项: the part from the 11th to the 30th request: 100 元 each.
    if n <= 30:
        return 11, 30, 100
    # 109号第四条第（三）项: from the 31st on, bands of 10; each band costs 100 元 more per request.
    band = (n - 31) // 10
    first = 31 + 10 * band
    return first, first + 9, 200 + 100 * band


def _page_tier(n: int) -> tuple[int, int | None, int]:
    """(first, last, price) of the tier holding page n of one request."""
    # 109号第五条第（一）项: 30 pages or fewer are free.
    if n <= 30:
        return 1, 30, 0
    # 109号第五条第（二）项: the part from page 31 to page 100: 10 元 a page.
    if n <= 100:
        return 31, 100, 10
    # 109号第五条第（三）项: the part from page 101 to page 200: 20 元 a page.
    if n <= 200:
        return 101, 200, 20
    # 109号第五条第（四）项: the part from page 201 on: 40 元 a page.
    return 201, None, 40


def _range_label(first: int, last: int, unit: str) -> str:
    return f"第{first}{unit}" if first == last else f"第{first}—{last}{unit}"


def _lines(first: int, last: int, tier: _Tier, unit: str) -> tuple[FeeLine, ...]:
    """Split the units first..last (inclusive, 1-based) into tier lines."""
    lines: list[FeeLine] = []
    current = first
    while current <= last:
        _, tier_last, price = tier(current)
        end = last if tier_last is None else min(last, tier_last)
        units = end - current + 1
        lines.append(FeeLine(_range_label(current, end, unit), units, price, units * price, unit))
        current = end + 1
    return tuple(lines)


# --------------------------------------------------------------------------- quotes


def _check_count(value: int, field: str, *, minimum: int, maximum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError("bad_type", field=field, expected="integer", got=type(value).__name__)
    if not minimum <= value <= maximum:
        raise InputError("out_of_range", field=field, value=value, min=minimum, max=maximum)


def per_request_fee(count_in_month_before: int, new_requests: int = 1) -> FeeQuote:
    """按件计收 (109号第四条) for ``new_requests`` requests of one applicant.

    ``count_in_month_before`` is how many requests the same applicant already made in the same
    calendar month (see ``count_requests_in_month``); the new ones are numbered after them. One
    application may be split into several requests by the rule "一事一申请" (109号第四条第一款);
    pass the number of requests it counts as.
    """
    _check_count(count_in_month_before, "count_in_month_before", minimum=0, maximum=MAX_REQUESTS_IN_MONTH)
    _check_count(new_requests, "new_requests", minimum=1, maximum=MAX_REQUESTS_IN_MONTH)
    if count_in_month_before + new_requests > MAX_REQUESTS_IN_MONTH:
        raise InputError(
            "out_of_range",
            field="new_requests",
            value=new_requests,
            min=1,
            max=MAX_REQUESTS_IN_MONTH - count_in_month_before,
        )
    first = count_in_month_before + 1
    lines = _lines(first, count_in_month_before + new_requests, _request_tier, "件")
    return FeeQuote(
        method=FeeMethod.PER_REQUEST,
        amount=sum(line.subtotal for line in lines),
        units=new_requests,
        lines=lines,
        basis=PER_REQUEST_BASIS,
        standard=PER_REQUEST_STANDARD,
    )


def per_volume_fee(pages: int) -> FeeQuote:
    """按量计收 (109号第五条) for one request of ``pages`` pages (0 pages: nothing to charge)."""
    _check_count(pages, "pages", minimum=0, maximum=MAX_PAGES)
    lines = _lines(1, pages, _page_tier, "页")
    return FeeQuote(
        method=FeeMethod.PER_VOLUME,
        amount=sum(line.subtotal for line in lines),
        units=pages,
        lines=lines,
        basis=PER_VOLUME_BASIS,
        standard=PER_VOLUME_STANDARD,
    )


def count_requests_in_month(dates: Iterable[dt.date], month: tuple[int, int]) -> int:
    """How many of ``dates`` fall in the calendar month ``(year, month)``.

    109号第四条 counts "一个自然月内累计申请": pass the legal receipt dates of the applicant's
    other requests (not the one being quoted) to get ``count_in_month_before``.
    """
    year, month_number = month
    if not 1 <= month_number <= 12:
        raise InputError("out_of_range", field="month", value=month_number, min=1, max=12)
    return sum(1 for d in dates if d.year == year and d.month == month_number)


def check_one_method(methods: Iterable[FeeMethod | str]) -> FeeMethod | None:
    """The one tariff used for a request, or None when no fee was quoted.

    109号第三条: an agency chooses one tariff per request and may not charge by both
    ("不得同时按照两种标准重复计算"); a second, different tariff is refused.
    """
    chosen: FeeMethod | None = None
    for raw in methods:
        try:
            method = FeeMethod(raw)
        except ValueError:
            raise InputError(
                "bad_choice", field="method", value=str(raw), choices=[str(m) for m in FeeMethod]
            ) from None
        if chosen is not None and method != chosen:
            raise RuleError("fee_both_methods", first=str(chosen), second=str(method))
        chosen = method
    return chosen


def case_fee_method(case: Case) -> FeeMethod | None:
    """The tariff of the case's fee notices; a case notified under both tariffs is refused (109号第三条)."""
    return check_one_method(e.method for e in case.events if isinstance(e, FeeNotified))
