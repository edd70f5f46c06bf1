"""救济途径: the reconsideration organ (复议法第二十四条至第二十八条), the remedy clause of a reply and its periods.

The clause is generated here and nowhere else, and nothing can switch it off: 复议法第二十条第二款
lets the 复议 period run up to a year when a letter fails to state the right, the organ and the
period, and 复议法第二十三条第二款 requires the letter to say when 复议 must come first.

Abbreviations in comments: 复议法 = 《中华人民共和国行政复议法》 (2023 revision, in force 2024-01-01),
诉讼法 = 《中华人民共和国行政诉讼法》 (2017 amendment).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.domain.codes import Finding
from app.domain.errors import InputError
from app.domain.model import AGENCY_LEVELS, Agency, AgencyKind

RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"

# 复议法第二十条第一款: 复议 within 60 days of knowing of the act (here: of receiving the reply).
RECONSIDERATION_DAYS = 60
# 诉讼法第四十六条第一款: a direct suit within 6 months of knowing of the act.
LITIGATION_MONTHS = 6
# 诉讼法第四十五条: a suit within 15 days of receiving the 复议决定书.
LITIGATION_AFTER_DECISION_DAYS = 15

# 复议法第二十三条第一款第（四）项: a refusal to disclose must go to 复议 first. **Decision** (domain.md
# §6.1): every withheld.* finding and partly_disclosed (which refuses the withheld part) is in the set.
DEFAULT_RECONSIDERATION_FIRST: frozenset[Finding] = frozenset(
    {f for f in Finding if f.is_withheld} | {Finding.PARTLY_DISCLOSED}
)

_PREFIX = "如对本答复不服，可以自收到本答复之日起六十日内向"
_SELF = "本机关"


@dataclass(frozen=True)
class ReconsiderationOrgan:
    """The 复议机关 of an agency and the article that makes it so."""

    organs: tuple[str, ...]  # one name, or two for a justice bureau (复议法第二十八条)
    self_review: bool  # the agency reviews its own acts (复议法第二十四条第二款、第二十五条)
    article: str  # e.g. "《中华人民共和国行政复议法》第二十四条第一款第（一）项"
    derived: bool  # False when the profile's reconsideration_organ override was used

    @property
    def text(self) -> str:
        """The organ(s) as the clause names them: "本机关", "某市人民政府" or "A或者B"."""
        return _SELF if self.self_review else "或者".join(self.organs)


@dataclass(frozen=True)
class RemedyPeriods:
    """The periods a clause rests on (calendar days / months, counted from the day after receipt)."""

    reconsideration_days: int  # 复议法第二十条
    litigation_months: int | None  # 诉讼法第四十六条; None under 复议前置 (no direct suit)
    after_decision_days: int  # 诉讼法第四十五条


@dataclass(frozen=True)
class RemedyClause:
    """The 救济途径 paragraph of one letter."""

    text: str
    organ: ReconsiderationOrgan
    reconsideration_first: bool  # 复议前置 wording (复议法第二十三条)
    court: str | None  # the court named for a direct suit; None under 复议前置
    periods: RemedyPeriods
    state_council_ruling: bool  # 复议法第二十六条: court or a final ruling by the State Council
    articles: tuple[str, ...]

    @property
    def organs(self) -> tuple[str, ...]:
        return self.organ.organs


# --------------------------------------------------------------------------- the organ


def _article(text: str) -> str:
    return f"{RECONSIDERATION_LAW}{text}"


def _required(agency: Agency, field: str) -> str:
    value = str(getattr(agency, field)).strip()
    if not value:
        raise InputError("agency_incomplete", field=field, agency_kind=agency.kind, level=agency.level)
    return value


def _derived(organs: tuple[str, ...], article: str) -> ReconsiderationOrgan:
    return ReconsiderationOrgan(organs=organs, self_review=False, article=_article(article), derived=True)


def _self_review(agency: Agency, article: str) -> ReconsiderationOrgan:
    return ReconsiderationOrgan(
        organs=(agency.name,), self_review=True, article=_article(article), derived=True
    )


def _bad_level(agency: Agency) -> InputError:
    return InputError("bad_choice", field="level", value=agency.level, agency_kind=agency.kind)


def reconsideration_organ(agency: Agency) -> ReconsiderationOrgan:
    """The 复议机关 for acts of ``agency`` (domain.md §6.1).

    The profile's ``reconsideration_organ`` overrides the derivation; an override naming the
    agency itself is a self-review. Missing profile data raises ``InputError("agency_incomplete")``
    naming the field to fill in.
    """
    override = agency.reconsideration_organ.strip()
    if override:
        return ReconsiderationOrgan(
            organs=(override,),
            self_review=override == agency.name.strip(),
            article=_article("第二十四条至第二十八条"),
            derived=False,
        )
    kind, level = agency.kind, agency.level
    if level not in AGENCY_LEVELS:
        raise _bad_level(agency)
    national = level == "national"

    if kind == AgencyKind.STATE_COUNCIL_DEPARTMENT or (
        national and kind in {AgencyKind.DEPARTMENT, AgencyKind.VERTICAL, AgencyKind.JUSTICE_BUREAU}
    ):
        # 复议法第二十五条第（一）项: a State Council department (incl. a national vertical head office
        # such as 海关总署, and 司法部) reviews its own acts; then court or State Council ruling (第二十六条).
        return _self_review(agency, "第二十五条第（一）项、第二十六条")

    if kind == AgencyKind.DEPARTMENT:
        if level == "township":
            raise _bad_level(agency)
        # 复议法第二十四条第一款第（一）项: a working department → the same-level people's government.
        return _derived((_required(agency, "parent_government"),), "第二十四条第一款第（一）项")

    if kind == AgencyKind.GOVERNMENT:
        if national:
            raise _bad_level(agency)
        if level == "province":
            # 复议法第二十四条第二款: a provincial government reviews its own acts; then court or
            # a final ruling by the State Council (第二十六条).
            return _self_review(agency, "第二十四条第二款、第二十六条")
        # 复议法第二十四条第一款第（二）项: township / county / city government → the next-higher
        # government (a province-established 派出机关 counts as city level, 第二十四条第三款).
        return _derived((_required(agency, "parent_government"),), "第二十四条第一款第（二）项")

    if kind == AgencyKind.DISPATCHED_ORGAN:
        if national:
            raise _bad_level(agency)
        # 复议法第二十四条第一款第（三）项: a government's 派出机关 → the government that set it up.
        return _derived((_required(agency, "parent_government"),), "第二十四条第一款第（三）项")

    if kind == AgencyKind.DISPATCHED_OFFICE:
        if national:
            # 复议法第二十五条第（二）项: an office of a State Council department → that department.
            return _derived((_required(agency, "parent_department"),), "第二十五条第（二）项")
        # 复议法第二十四条第四款: a department's 派出机构 acting in its own name → the department's
        # same-level government. (A district-based office of a 直辖市/设区的市 department may also go to
        # the local government; the profile has no field for it — use the override to name both.)
        return _derived((_required(agency, "parent_government"),), "第二十四条第四款")

    if kind == AgencyKind.AUTHORIZED_ORG:
        if national:
            # 复议法第二十五条第（三）项: an organization authorized by law and managed by a State
            # Council department → that department.
            return _derived((_required(agency, "parent_department"),), "第二十五条第（三）项")
        # 复议法第二十四条第一款第（四）项: an authorized organization managed by a government or its
        # department → that government.
        return _derived((_required(agency, "parent_government"),), "第二十四条第一款第（四）项")

    if kind == AgencyKind.VERTICAL:
        # 复议法第二十七条: 海关、金融、外汇管理 and other vertically led organs, 税务 and 国家安全 →
        # the next-higher competent department.
        return _derived((_required(agency, "parent_department"),), "第二十七条")

    if kind == AgencyKind.JUSTICE_BUREAU:
        if level == "township":
            raise _bad_level(agency)
        # 复议法第二十八条: a local 司法行政部门 of county level or above → the same-level government
        # or the next-higher 司法行政部门, at the applicant's choice; the clause names both.
        government = _required(agency, "parent_government")
        department = _required(agency, "parent_department")
        return _derived((government, department), "第二十八条")

    raise InputError("bad_choice", field="kind", value=kind, choices=list(AgencyKind.ALL))


# --------------------------------------------------------------------------- the clause


def reconsideration_first_set(agency: Agency) -> frozenset[Finding]:
    """The findings that take the 复议前置 wording: the default set, widened by the agency (never narrowed)."""
    return DEFAULT_RECONSIDERATION_FIRST | frozenset(agency.reconsideration_first_findings)


def _findings(findings: Iterable[Finding | str]) -> frozenset[Finding]:
    out: set[Finding] = set()
    for i, raw in enumerate(findings):
        try:
            out.add(Finding(raw))
        except ValueError:
            raise InputError("bad_choice", field=f"findings.{i}", value=str(raw)) from None
    return frozenset(out)


def requires_reconsideration_first(agency: Agency, findings: Iterable[Finding | str]) -> bool:
    """复议法第二十三条第一款第（四）项: one finding in the set puts the whole letter under 复议前置."""
    return not _findings(findings).isdisjoint(reconsideration_first_set(agency))


def remedy_clause(agency: Agency, findings: Iterable[Finding | str]) -> RemedyClause:
    """The remedy clause of a letter carrying ``findings`` (all of its items' findings).

    Wording (domain.md §6.1); the organ, the periods and the order are fixed:
    - 复议前置: 复议 within 60 days; then a suit within 15 days of the 复议决定书.
    - otherwise: 复议 within 60 days, or a suit within 6 months, before the profile's court.
    - a self-reviewing organ (provincial government, State Council department): 复议 to 本机关;
      then court or a State Council ruling (复议法第二十六条). **Decision** for the non-前置 case:
      the ordinary either/or sentence with 本机关 as the organ, followed by the 第二十六条 choice
      for whoever applies for 复议 — so the applicant sees both doors and what follows 复议.
    """
    organ = reconsideration_organ(agency)
    first = requires_reconsideration_first(agency, findings)
    articles = [_article("第二十条"), organ.article]
    court: str | None = None
    if first:
        articles.append(_article("第二十三条第一款第（四）项、第二款"))
        if organ.self_review:
            text = (
                f"{_PREFIX}{_SELF}申请行政复议；对行政复议决定不服的，"
                "可以依法向人民法院提起行政诉讼，也可以向国务院申请裁决。"
            )
        else:
            text = (
                f"{_PREFIX}{organ.text}申请行政复议；对行政复议决定不服的，"
                "可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
            )
        articles.append(f"{LITIGATION_LAW}第四十五条")
    else:
        court = _required(agency, "court")
        text = f"{_PREFIX}{organ.text}申请行政复议，或者自收到本答复之日起六个月内向{court}提起行政诉讼。"
        if organ.self_review:
            text = (
                text[:-1] + "；申请行政复议后对行政复议决定不服的，"
                "可以依法向人民法院提起行政诉讼，也可以向国务院申请裁决。"
            )
        articles.append(f"{LITIGATION_LAW}第四十五条、第四十六条")
    return RemedyClause(
        text=text,
        organ=organ,
        reconsideration_first=first,
        court=court,
        periods=RemedyPeriods(
            reconsideration_days=RECONSIDERATION_DAYS,
            litigation_months=None if first else LITIGATION_MONTHS,
            after_decision_days=LITIGATION_AFTER_DECISION_DAYS,
        ),
        state_council_ruling=organ.self_review,
        articles=tuple(articles),
    )


# --------------------------------------------------------------------------- periods


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; 民法典第二百零二条: no such day → the last day of that month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _roll(day: dt.date, is_rest_day: Callable[[dt.date], bool] | None) -> dt.date:
    # 民事诉讼法第八十五条 (applied by 复议法第八十八条 and 诉讼法第一百零一条): a period ending on a
    # statutory rest day ends on the first day after it.
    if is_rest_day is None:
        return day
    for _ in range(366):
        if not is_rest_day(day):
            return day
        day += dt.timedelta(days=1)
    raise ValueError("is_rest_day reports a whole year of rest days")


def remedy_deadlines(
    received_reply: dt.date,
    *,
    received_decision: dt.date | None = None,
    is_rest_day: Callable[[dt.date], bool] | None = None,
) -> dict[str, dt.date]:
    """The last days of the remedy periods for an applicant who received the reply on ``received_reply``.

    Keys: ``reconsideration`` (60 days, 复议法第二十条), ``litigation`` (6 months, 诉讼法第四十六条)
    and, when ``received_decision`` (the day the 复议决定书 was received) is given,
    ``litigation_after_reconsideration`` (15 days, 诉讼法第四十五条). The day of receipt is not counted
    (民事诉讼法第八十五条). With ``is_rest_day`` a period ending on a rest day moves to the next day
    that is not one; without it the dates are plain calendar arithmetic.
    """
    out = {
        "reconsideration": _roll(received_reply + dt.timedelta(days=RECONSIDERATION_DAYS), is_rest_day),
        "litigation": _roll(add_months(received_reply, LITIGATION_MONTHS), is_rest_day),
    }
    if received_decision is not None:
        out["litigation_after_reconsideration"] = _roll(
            received_decision + dt.timedelta(days=LITIGATION_AFTER_DECISION_DAYS), is_rest_day
        )
    return out
