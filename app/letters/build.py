"""Build a ``Letter`` from a case: what each kind must say (domain.md §6) in the agency's wording.

The wording comes from ``Templates``; the legal content from ``app.law``: finding paragraphs from
``findings.finding_paragraph``, the remedy clause from ``remedies.remedy_clause`` (one per letter),
fee tiers from ``fees``, due dates from ``deadlines``. Pure: no I/O beyond what ``Templates`` read
when it was made, and ``today`` (the letter's date) is a parameter. The 文号 is an input: counters
belong to the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from app.domain.codes import DELIVERY_LABELS, FORM_LABELS, Channel, FeeMethod, Finding, Form, Opinion, Party
from app.domain.errors import InputError, RuleError
from app.domain.model import (
    Agency,
    Case,
    ConsultationReplied,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    Event,
    ExtensionApproved,
    FeeNotified,
    FeePaid,
    FeeWaived,
    Item,
    PublicInterestNotice,
)
from app.law import fees
from app.law.calendar import WorkCalendar
from app.law.deadlines import CORRECTION_NOTICE_PERIOD, REPLY_PERIOD, DeadlineResult, compute_deadline
from app.law.findings import REGULATION, entry, finding_paragraph
from app.law.remedies import remedy_clause
from app.letters.model import Letter, LetterKind, Paragraph, Role
from app.letters.templates import COMMON, SPECS, Templates
from app.letters.text import cn_date, cn_numeral

# The articles each letter rests on, printed through the templates' {basis} (which they must keep).
# 条例第三十条 (补正 restarts the period), 第三十三条 (20 working days; consultation time not counted;
# extension ≤ 20 working days).
RECEIPT_BASIS = f"{REGULATION}第三十条、第三十三条"
# 条例第三十条: within 7 working days, once, everything to correct, a reasonable period.
CORRECTION_BASIS = f"{REGULATION}第三十条"
# 条例第三十三条第二款: extension approved by the head of the office, at most 20 working days.
EXTENSION_BASIS = f"{REGULATION}第三十三条第二款"
# 条例第三十二条: third party, 15 working days, objection with reasons, public-interest override.
THIRD_PARTY_BASIS = f"{REGULATION}第三十二条"
# 条例第三十四条: jointly made information, 15 working days, silence = consent.
AGENCY_BASIS = f"{REGULATION}第三十四条"

# **Decision**: when a 补正告知书 is made before its event records a period, the period offered is
# 15 working days from the letter's date (a "reasonable period", 条例第三十条), flagged for review.
DEFAULT_CORRECTION_PERIOD = 15

_METHOD_WORDS = {FeeMethod.PER_REQUEST: "按件", FeeMethod.PER_VOLUME: "按量"}
_DISCLOSING = frozenset({Finding.DISCLOSED, Finding.PARTLY_DISCLOSED})
_TRAILING = "。．.；;，,、 \t\r\n"
_QUOTES = (("“", "”"), ('"', '"'), ("「", "」"), ("『", "』"))


def build_letter(
    kind: LetterKind | str,
    case: Case,
    agency: Agency,
    calendar: WorkCalendar,
    today: dt.date,
    *,
    doc_number: str,
    consultation_id: str | None = None,
    templates: Templates,
) -> Letter:
    """The letter of ``kind`` for ``case`` dated ``today``.

    Raises ``InputError`` for a missing input (an item without a finding for a reply, an unknown
    consultation, an agency profile that cannot name the 复议机关) and ``RuleError`` when the case
    does not support the letter yet (``letter_needs_event`` with ``event``, ``letter_needs_receipt``,
    ``extension_refused`` with ``refusal``, ``consultation_party`` with ``party``).
    """
    try:
        letter_kind = LetterKind(kind)
    except ValueError:
        raise InputError(
            "bad_choice", field="kind", value=str(kind), choices=[str(k) for k in LetterKind]
        ) from None
    ctx = _Context(letter_kind, case, agency, calendar, today, doc_number.strip(), templates)
    return _BUILDERS[letter_kind](ctx, consultation_id)


# --------------------------------------------------------------------------- shared


def _user(text: object) -> str | None:
    """User text as a value: stripped; empty means absent."""
    if not isinstance(text, str):
        return None
    value = text.strip()
    return value or None


def _phrase(text: str | None) -> str | None:
    """User text inserted before the template's own punctuation: trailing punctuation dropped."""
    value = _user(text)
    if value is None:
        return None
    return value.rstrip(_TRAILING).strip() or None


def _description(text: str) -> str:
    value = _phrase(text) or ""
    for left, right in _QUOTES:
        if len(value) >= 2 and value.startswith(left) and value.endswith(right):
            value = value[1:-1].strip()
            break
    return value or "（未填写申请内容）"


_E = TypeVar("_E", bound=Event)


def _last(events: Iterable[Event], cls: type[_E]) -> _E | None:
    """The last event of one type in the (date-ordered) timeline."""
    found: _E | None = None
    for event in events:
        if isinstance(event, cls):
            found = event
    return found


@dataclass
class _Context:
    kind: LetterKind
    case: Case
    agency: Agency
    calendar: WorkCalendar
    today: dt.date
    doc_number: str
    templates: Templates

    @property
    def base(self) -> dict[str, str | int | None]:
        """The values every kind has (templates.SPECS: _BASE and the agency's optional values)."""
        hours = self.agency.extra.get("office_hours")
        return {
            "agency": self.agency.name,
            "office": self.agency.office,
            "address": self.agency.address,
            "phone": self.agency.phone,
            "office_hours": hours if isinstance(hours, str) else None,
            "date": cn_date(self.today),
            "doc_number": self.doc_number,
        }

    @property
    def applicant(self) -> dict[str, str | int | None]:
        """The applicant's values; never given to a consultation letter (templates.SPECS)."""
        case = self.case
        return {
            "applicant": _user(case.applicant.name) or "申请人",
            "number": case.number,
            "channel": self.channel_phrase(case.channel),
            "received": cn_date(case.received) if case.received else None,
            "corrected": _date_of(_last(case.events, CorrectionReceived)),
        }

    def channel_phrase(self, channel: Channel) -> str:
        return self.templates.text(COMMON, f"channel_{channel.value}", self.base)

    def paragraphs(
        self,
        block: str,
        values: Mapping[str, str | int | None],
        *,
        item: int | None = None,
        finding: Finding | None = None,
        gaps: tuple[str, ...] = (),
    ) -> list[Paragraph]:
        role = SPECS[self.kind].blocks[block].role
        return [
            Paragraph(text, role, item=item, finding=finding, gaps=gaps)
            for text in self.templates.render(self.kind, block, values)
        ]

    def letter(
        self,
        values: Mapping[str, str | int | None],
        paragraphs: Sequence[Paragraph],
        *,
        findings: tuple[Finding, ...] = (),
        warnings: Sequence[str] = (),
        attachments: Sequence[str] = (),
    ) -> Letter:
        t, kind = self.templates, self.kind
        return Letter(
            kind=kind,
            header=t.text(kind, "header", values),
            doc_number=self.doc_number,
            title=t.text(kind, "title", values),
            addressee=t.text(kind, "addressee", values),
            paragraphs=tuple(paragraphs),
            closing=t.text(kind, "closing", values),
            signature=t.text(kind, "signature", values),
            date=self.today,
            contact=t.text(kind, "contact", values) if t.has(kind, "contact") else "",
            attachments=tuple(attachments),
            case_number=self.case.number,
            findings=findings,
            warnings=tuple(dict.fromkeys(warnings)),
        )

    def deadline(self) -> DeadlineResult:
        return compute_deadline(
            self.case, self.calendar, self.today, fee_pauses_clock=self.agency.fee_pauses_clock
        )


def _date_of(event: Event | None) -> str | None:
    return cn_date(event.date) if event is not None else None


def _item_values(n: int, item: Item, *, last: bool = True) -> dict[str, str | int | None]:
    """The values of one item row; ``end`` closes a list line ("；", "。" after the last one)."""
    return {
        "n": n,
        "description": _description(item.description),
        "item_doc_number": _phrase(item.doc_number),
        "end": "。" if last else "；",
    }


def _require_received(case: Case) -> dt.date:
    if case.received is None:
        # 条例第三十一条: until the receipt is confirmed there is no day 0 to state.
        raise RuleError("letter_needs_receipt")
    return case.received


# --------------------------------------------------------------------------- 登记回执


def _receipt(ctx: _Context, _: str | None) -> Letter:
    case = ctx.case
    values: dict[str, str | int | None] = {**ctx.base, **ctx.applicant}
    values["count"] = len(case.items)
    values["basis"] = RECEIPT_BASIS
    warnings: list[str] = []
    provisional = False
    if case.received is not None:
        # 条例第三十三条第一款: the 20th working day after the legal receipt date.
        due = ctx.calendar.add_working_days(case.received, REPLY_PERIOD)
        values["due"] = cn_date(due)
        provisional = ctx.calendar.is_provisional_period(case.received, due)
    else:
        warnings.append("receipt_unconfirmed")
    paragraphs = ctx.paragraphs("intro", values)
    for n, item in enumerate(case.items, 1):
        row = {
            **values,
            **_item_values(n, item, last=n == len(case.items)),
            "form": FORM_LABELS[item.form],
            "delivery": DELIVERY_LABELS[item.delivery],
        }
        paragraphs += ctx.paragraphs("item", row, item=n)
    paragraphs += ctx.paragraphs("limit", values)
    if provisional:
        warnings.append("provisional_date")
        paragraphs += ctx.paragraphs("provisional", values)
    return ctx.letter(values, paragraphs, warnings=warnings)


# --------------------------------------------------------------------------- 补正告知书


def _correction_points(case: Case, event: CorrectionRequested | None) -> list[str]:
    """What to correct: the event's ``points`` (a list or one text), else notes starting "补正："."""
    points: list[str] = []
    raw = event.extra.get("points") if event is not None else None
    if isinstance(raw, str):
        raw = [raw]
    if isinstance(raw, list):
        points += [p for p in (_phrase(x) for x in raw if isinstance(x, str)) if p]
    if not points:
        for note in case.notes:
            text = note.text.strip()
            for prefix in ("补正：", "补正:"):
                if text.startswith(prefix):
                    point = _phrase(text[len(prefix) :])
                    if point:
                        points.append(point)
    return points


def _correction(ctx: _Context, _: str | None) -> Letter:
    case, cal = ctx.case, ctx.calendar
    received = _require_received(case)
    event = _last(case.events, CorrectionRequested)
    warnings: list[str] = []
    if event is not None:
        period_end = event.period_end
        sent = event.date
    else:
        period_end = cal.add_working_days(ctx.today, DEFAULT_CORRECTION_PERIOD)
        sent = ctx.today
        warnings.append("correction_period_default")
    # 条例第三十条: the notice within 7 working days of receipt (never paused, domain.md §3.3).
    if sent > cal.add_working_days(received, CORRECTION_NOTICE_PERIOD):
        warnings.append("correction_notice_late")
    if period_end <= sent:
        warnings.append("correction_period_not_after_notice")
    values: dict[str, str | int | None] = {**ctx.base, **ctx.applicant}
    values["basis"] = CORRECTION_BASIS
    values["period_end"] = cn_date(period_end)
    paragraphs = ctx.paragraphs("intro", values) + ctx.paragraphs("basis", values)
    points = _correction_points(case, event)
    if points:
        for n, point in enumerate(points, 1):
            end = "。" if n == len(points) else "；"
            paragraphs += ctx.paragraphs("point", {**values, "n": n, "point": point, "end": end})
    else:
        # No recorded list: one point per item (the usual reason, 申请内容不明确), for the clerk to adjust.
        warnings.append("correction_points_default")
        for n, item in enumerate(case.items, 1):
            paragraphs += ctx.paragraphs("point_default", {**values, **_item_values(n, item)})
    for block in ("examples", "period", "submit"):
        paragraphs += ctx.paragraphs(block, values)
    return ctx.letter(values, paragraphs, warnings=warnings)


# --------------------------------------------------------------------------- 延期答复告知书


def _extension(ctx: _Context, _: str | None) -> Letter:
    case = ctx.case
    _require_received(case)
    event = _last(case.events, ExtensionApproved)
    if event is None:
        raise RuleError("letter_needs_event", event="extension_approved")
    result = ctx.deadline()
    decision = next((x for x in result.extensions if x.date == event.date and x.days == event.days), None)
    if decision is not None and not decision.applied:
        # 条例第三十三条第二款: once, ≤ 20 working days, approved by the current due date.
        raise RuleError("extension_refused", refusal=decision.refusal)
    if result.reply_due is None:
        raise RuleError("letter_needs_event", event="correction_received")
    warnings: list[str] = []
    details = result.details()
    base_due = details.extension_base_due if details is not None else None
    if base_due is not None and ctx.today > base_due:
        warnings.append("extension_notice_late")
    if result.provisional:
        warnings.append("provisional_date")
    values: dict[str, str | int | None] = {**ctx.base, **ctx.applicant}
    values |= {
        "basis": EXTENSION_BASIS,
        "days": event.days,
        "due": cn_date(result.reply_due),
        "reason": _phrase(event.reason) or "工作需要",
    }
    paragraphs = [*ctx.paragraphs("intro", values), *ctx.paragraphs("reason", values)]
    paragraphs += ctx.paragraphs("basis", values)
    return ctx.letter(values, paragraphs, warnings=warnings)


# --------------------------------------------------------------------------- consultations


def _consultation(case: Case, consultation_id: str | None, party: Party) -> ConsultationSent:
    sent = [e for e in case.events if isinstance(e, ConsultationSent)]
    if consultation_id is None:
        of_party = [e for e in sent if e.party == party]
        if len(of_party) == 1:
            return of_party[0]
        raise InputError("required", field="consultation", choices=[e.id for e in of_party])
    found = next((e for e in sent if e.id == consultation_id), None)
    if found is None:
        raise InputError(
            "bad_choice", field="consultation", value=consultation_id, choices=[e.id for e in sent]
        )
    if found.party != party:
        raise RuleError("consultation_party", party=str(found.party), expected=str(party))
    return found


def _consulted_items(case: Case, event: ConsultationSent) -> list[tuple[int, Item]]:
    """The items the consultation is about: the event's ``items`` (1-based numbers), else all."""
    wanted = event.extra.get("items")
    numbered = list(enumerate(case.items, 1))
    if isinstance(wanted, list):
        chosen = [(n, it) for n, it in numbered if n in wanted]
        if chosen:
            return chosen
    return numbered


def _consultation_letter(ctx: _Context, consultation_id: str | None, party: Party, basis: str) -> Letter:
    case = ctx.case
    event = _consultation(case, consultation_id, party)
    # 条例第三十二条、第三十四条: what concerns the consulted party, never who asked (no applicant values).
    values: dict[str, str | int | None] = {**ctx.base}
    values |= {
        "party": _user(event.name) or "",
        "basis": basis,
        "received": cn_date(case.received) if case.received else None,
        "why": _phrase(event.extra.get("reason")),
    }
    paragraphs = ctx.paragraphs("intro", values)
    chosen = _consulted_items(case, event)
    for n, item in chosen:
        row = {**values, **_item_values(n, item, last=n == chosen[-1][0])}
        paragraphs += ctx.paragraphs("item", row, item=n)
    paragraphs += ctx.paragraphs("basis", values) + ctx.paragraphs("answer", values)
    return ctx.letter(values, paragraphs)


def _consultation_third_party(ctx: _Context, consultation_id: str | None) -> Letter:
    return _consultation_letter(ctx, consultation_id, Party.THIRD_PARTY, THIRD_PARTY_BASIS)


def _consultation_agency(ctx: _Context, consultation_id: str | None) -> Letter:
    return _consultation_letter(ctx, consultation_id, Party.AGENCY, AGENCY_BASIS)


def _public_interest_notice(ctx: _Context, consultation_id: str | None) -> Letter:
    case = ctx.case
    notices = [e for e in case.events if isinstance(e, PublicInterestNotice)]
    if consultation_id is None and len(notices) == 1:
        consultation_id = notices[0].id
    sent = _consultation(case, consultation_id, Party.THIRD_PARTY)
    notice = next((e for e in notices if e.id == sent.id), None)
    if notice is None:
        raise RuleError("letter_needs_event", event="public_interest_notice")
    objection = next(
        (
            e
            for e in case.events
            if isinstance(e, ConsultationReplied) and e.id == sent.id and e.opinion == Opinion.OBJECT
        ),
        None,
    )
    values: dict[str, str | int | None] = {**ctx.base}
    values |= {
        "party": _user(sent.name) or "",
        "basis": THIRD_PARTY_BASIS,
        "sent": cn_date(sent.date),
        "objected": _date_of(objection),
        "content": _phrase(notice.content) or "",
        "reasons": _phrase(notice.reasons) or "",
    }
    paragraphs: list[Paragraph] = []
    # 条例第三十二条: the third party is told, in writing, what will be disclosed and why.
    for block in ("intro", "decision", "content", "reasons"):
        paragraphs += ctx.paragraphs(block, values)
    return ctx.letter(values, paragraphs)


# --------------------------------------------------------------------------- 收费通知书


def _fee_quote(event: FeeNotified) -> fees.FeeQuote | None:
    """The tier lines, when the notice recorded what they rest on (``pages``; ``count_in_month_before``)."""
    extra = event.extra
    try:
        if event.method == FeeMethod.PER_VOLUME and isinstance(extra.get("pages"), int):
            return fees.per_volume_fee(extra["pages"])
        if event.method == FeeMethod.PER_REQUEST and isinstance(extra.get("count_in_month_before"), int):
            requests = extra.get("requests", 1)
            return fees.per_request_fee(
                extra["count_in_month_before"], requests if isinstance(requests, int) else 1
            )
    except InputError:
        return None
    return None


def _fee(ctx: _Context, _: str | None) -> Letter:
    case = ctx.case
    event = _last(case.events, FeeNotified)
    if event is None:
        raise RuleError("letter_needs_event", event="fee_notified")
    quote = _fee_quote(event)
    warnings: list[str] = []
    per_request = event.method == FeeMethod.PER_REQUEST
    # 条例第四十二条 + 109号第三条至第五条: basis, standard, amount, how to pay.
    basis = quote.basis if quote else (fees.PER_REQUEST_BASIS if per_request else fees.PER_VOLUME_BASIS)
    standard = (
        quote.standard if quote else (fees.PER_REQUEST_STANDARD if per_request else fees.PER_VOLUME_STANDARD)
    )
    if quote is None:
        warnings.append("fee_lines_unknown")
    elif quote.amount != event.amount:
        warnings.append("fee_amount_mismatch")
    if event.amount == 0:
        warnings.append("fee_zero")
    fee_due = None
    if event.delivered is not None:
        window = next((w for w in ctx.deadline().fee_windows if w.notified == event.date), None)
        fee_due = cn_date(window.window_end) if window is not None else None
    payment = ctx.agency.extra.get("fee_payment")
    values: dict[str, str | int | None] = {**ctx.base, **ctx.applicant}
    values |= {
        "basis": basis,
        "method": _METHOD_WORDS[event.method],
        "standard": standard.partition("：")[2] or standard,
        "amount": event.amount,
        "fee_due": fee_due,
        "payment": _user(payment) if isinstance(payment, str) else None,
    }
    paragraphs = ctx.paragraphs("intro", values) + ctx.paragraphs("basis", values)
    if quote is not None:
        extra = event.extra
        count = {**values, "units": quote.units, "before": extra.get("count_in_month_before")}
        paragraphs += ctx.paragraphs("count_request" if per_request else "count_volume", count)
        for i, line in enumerate(quote.lines, 1):
            end = "。" if i == len(quote.lines) else "；"
            paragraphs += ctx.paragraphs("line", {**values, "line": line.text + end})
    for block in ("amount", "payment", "deadline"):
        paragraphs += ctx.paragraphs(block, values)
    if ctx.agency.fee_pauses_clock:
        # domain.md §3.3 fee decision: the agency pauses the clock while the fee is open; say so.
        paragraphs += ctx.paragraphs("pause", values)
    return ctx.letter(values, paragraphs, warnings=warnings)


# --------------------------------------------------------------------------- 答复书


def _fee_sentence(ctx: _Context, values: Mapping[str, str | int | None]) -> str:
    events = ctx.case.events
    if any(isinstance(e, FeeWaived) for e in events):
        return ctx.templates.text(ctx.kind, "fee_waived", values)
    notice = _last(events, FeeNotified)
    if notice is not None and any(isinstance(e, FeePaid) for e in events):
        return ctx.templates.text(ctx.kind, "fee_paid", {**values, "amount": notice.amount})
    return ctx.templates.text(ctx.kind, "fee_free", values)


def _obtain_block(item: Item) -> str:
    # 条例第四十条: provide in the form and way the applicant asked for, where possible.
    if item.form in (Form.INSPECT, Form.COPY_BY_HAND):
        return "obtain_inspect"
    return f"obtain_{item.delivery.value}"


def _reply(ctx: _Context, _: str | None) -> Letter:
    case, agency = ctx.case, ctx.agency
    findings: list[Finding] = []
    for i, item in enumerate(case.items):
        if item.finding is None:
            raise InputError("required", field=f"items.{i}.finding")
        findings.append(item.finding)
    # 复议法第二十条、第二十三条: one clause per letter, 复议前置 when any item's finding is in the set.
    clause = remedy_clause(agency, findings)
    values: dict[str, str | int | None] = {**ctx.base, **ctx.applicant}
    applicant = case.applicant
    values["applicant_address"] = _user(applicant.address)
    values["applicant_email"] = _user(applicant.email)
    paragraphs = ctx.paragraphs("recital", values)
    many = len(case.items) > 1
    if many:
        paragraphs += ctx.paragraphs("request_many", values)
        for n, item in enumerate(case.items, 1):
            row = {**values, **_item_values(n, item, last=n == len(case.items))}
            paragraphs += ctx.paragraphs("request_item", row, item=n)
    else:
        paragraphs += ctx.paragraphs("request_one", {**values, **_item_values(1, case.items[0])})
    paragraphs += ctx.paragraphs("lead", values)
    fee = _fee_sentence(ctx, values)
    attachments: list[str] = []
    for n, (item, finding) in enumerate(zip(case.items, findings, strict=True), 1):
        organ = item.responsible_organ
        text = finding_paragraph(
            finding,
            description=_description(item.description),
            reasons=item.reasons,
            organ=organ.name if organ else None,
            contact=organ.contact if organ else None,
        )
        gaps = ("reasons",) if entry(finding).reasons_required and not _phrase(item.reasons) else ()
        prefix = f"{cn_numeral(n)}、" if many else ""
        paragraphs.append(Paragraph(prefix + text, Role.FINDING, item=n, finding=finding, gaps=gaps))
        if finding in _DISCLOSING:
            own = _user(item.extra.get("obtain"))
            if own:
                paragraphs.append(Paragraph(own, Role.TEXT, item=n))
            else:
                what = ctx.templates.text(
                    ctx.kind, "what_part" if finding == Finding.PARTLY_DISCLOSED else "what_full", values
                )
                row = {**values, "form": FORM_LABELS[item.form], "what": what, "fee": fee}
                paragraphs += ctx.paragraphs(_obtain_block(item), row, item=n)
        listed = item.extra.get("attachments")
        if isinstance(listed, list):
            attachments += [a for a in (_phrase(x) for x in listed if isinstance(x, str)) if a]
    paragraphs.append(Paragraph(clause.text, Role.REMEDY))
    warnings: list[str] = []
    if case.received is not None:
        result = ctx.deadline()
        if result.reply_due is not None and ctx.today > result.reply_due and result.concluded_on is None:
            warnings.append("reply_late")
    return ctx.letter(
        values, paragraphs, findings=tuple(findings), warnings=warnings, attachments=attachments
    )


_BUILDERS: dict[LetterKind, Callable[[_Context, str | None], Letter]] = {
    LetterKind.RECEIPT: _receipt,
    LetterKind.CORRECTION: _correction,
    LetterKind.EXTENSION: _extension,
    LetterKind.CONSULTATION_THIRD_PARTY: _consultation_third_party,
    LetterKind.PUBLIC_INTEREST_NOTICE: _public_interest_notice,
    LetterKind.CONSULTATION_AGENCY: _consultation_agency,
    LetterKind.FEE: _fee,
    LetterKind.REPLY: _reply,
}

# Warnings a builder may put on a letter (stable codes for the review step).
WARNING_LABELS: dict[str, str] = {
    "receipt_unconfirmed": "尚未与申请人确认收到，回执未写收到申请之日和答复期限（条例第三十一条）",
    "provisional_date": "期限跨越尚未公布节假日安排的年度，日期为暂定",
    "correction_period_default": "补正期限未记录，按发文之日起15个工作日填写，请核对",
    "correction_notice_late": "补正告知晚于收到申请之日起7个工作日（条例第三十条）",
    "correction_period_not_after_notice": "补正期限不晚于告知之日",
    "correction_points_default": "未逐条记录补正事项，已按申请事项生成，请核对修改",
    "extension_notice_late": "延期告知晚于原答复期限（条例第三十三条第二款）",
    "fee_lines_unknown": "收费通知未记录页数或本月已申请件数，无法列出分档计算",
    "fee_amount_mismatch": "记录的收费金额与按109号计算的金额不一致",
    "fee_zero": "收费金额为0元",
    "reply_late": "答复晚于答复期限",
}
