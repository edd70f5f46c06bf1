"""What a clerk may do to a case now, and doing it: each action becomes one validated timeline change.

``available_actions`` lists every action with whether the law allows it today and, when not, why (a
``RuleError`` whose Chinese wording is in ``app.messages``). ``apply_action`` checks the same rule
again, builds the event (or the items' findings, or the flags) from the clerk's values, runs the whole
case through ``parse_case`` — the one validation of a case and its timeline — and stores it in one
transaction. It says which letter the clerk should now generate (补正 → 补正告知书, 延期 → 延期答复告知书 …).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.domain.caseformat import parse_case
from app.domain.codes import CONFIRMATION_METHODS, DELIVERY_METHODS, Finding, Flag, Opinion, Party
from app.domain.errors import InputError, RuleError
from app.domain.letters import LetterRecord, LetterStatus
from app.domain.model import (
    Agency,
    Case,
    ConsultationReplied,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    Delivered,
    ExtensionApproved,
    FeeNotified,
    FeePaid,
    FeeWaived,
    LitigationDecided,
    LitigationFiled,
    PublicInterestNotice,
    ReconsiderationDecided,
    ReconsiderationFiled,
    Replied,
    case_to_dict,
)
from app.law import fees
from app.law.calendar import WorkCalendar
from app.law.deadlines import DeadlineResult, State, compute_deadline
from app.law.findings import REASONS_REQUIRED
from app.law.outcome import concluding_event
from app.law.remedies import reconsideration_organ
from app.letters import LetterKind
from app.messages import describe
from app.reports.analysis import identity, repeat_applicants
from app.services.calendar import effective_calendar
from app.services.cases import get_case
from app.services.letters import PROOF_KIND, Proof, get_letter, letter_label, record_delivery
from app.services.ports import UnitOfWork
from app.services.settings import load_agency


class ActionKind(StrEnum):
    CONFIRM_RECEIPT = "confirm_receipt"
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    CONSULT_THIRD_PARTY = "consult_third_party"
    CONSULT_AGENCY = "consult_agency"
    RECORD_OPINION = "record_opinion"
    PUBLIC_INTEREST_NOTICE = "public_interest_notice"
    EXTEND = "extend"
    DELAY = "delay"
    NOTIFY_FEE = "notify_fee"
    FEE_PAID = "fee_paid"
    WAIVE_FEE = "waive_fee"
    REPLY = "reply"
    DELIVER = "deliver"
    WITHDRAW = "withdraw"
    DEEM_ABANDONED = "deem_abandoned"
    FILE_DIFFICULT = "file_difficult"
    ARCHIVE = "archive"
    RECONSIDERATION_FILED = "reconsideration_filed"
    RECONSIDERATION_DECIDED = "reconsideration_decided"
    LITIGATION_FILED = "litigation_filed"
    LITIGATION_DECIDED = "litigation_decided"


ACTION_LABELS: dict[ActionKind, str] = {
    ActionKind.CONFIRM_RECEIPT: "确认收到",
    ActionKind.REQUEST_CORRECTION: "请求补正",
    ActionKind.RECEIVE_CORRECTION: "收到补正",
    ActionKind.CONSULT_THIRD_PARTY: "征求第三方意见",
    ActionKind.CONSULT_AGENCY: "征求机关意见",
    ActionKind.RECORD_OPINION: "收到意见",
    ActionKind.PUBLIC_INTEREST_NOTICE: "公共利益告知",
    ActionKind.EXTEND: "延期",
    ActionKind.DELAY: "延迟答复",
    ActionKind.NOTIFY_FEE: "收费通知",
    ActionKind.FEE_PAID: "已缴费",
    ActionKind.WAIVE_FEE: "免收",
    ActionKind.REPLY: "答复",
    ActionKind.DELIVER: "送达",
    ActionKind.WITHDRAW: "撤回",
    ActionKind.DEEM_ABANDONED: "视为放弃",
    ActionKind.FILE_DIFFICULT: "疑难件备案",
    ActionKind.ARCHIVE: "归档",
    ActionKind.RECONSIDERATION_FILED: "复议申请",
    ActionKind.RECONSIDERATION_DECIDED: "复议决定",
    ActionKind.LITIGATION_FILED: "行政诉讼",
    ActionKind.LITIGATION_DECIDED: "诉讼判决",
}

# The letter each action calls for (the consultation kinds name their consultation).
LETTER_OF: dict[ActionKind, LetterKind] = {
    ActionKind.REQUEST_CORRECTION: LetterKind.CORRECTION,
    ActionKind.CONSULT_THIRD_PARTY: LetterKind.CONSULTATION_THIRD_PARTY,
    ActionKind.CONSULT_AGENCY: LetterKind.CONSULTATION_AGENCY,
    ActionKind.PUBLIC_INTEREST_NOTICE: LetterKind.PUBLIC_INTEREST_NOTICE,
    ActionKind.EXTEND: LetterKind.EXTENSION,
    ActionKind.NOTIFY_FEE: LetterKind.FEE,
    ActionKind.REPLY: LetterKind.REPLY,
}

# Findings a reply may not give: they end a case without a reply (条例第三十条、第四十二条: 视为放弃).
_TERMINATING = frozenset({Finding.OTHER_NO_CORRECTION, Finding.OTHER_FEE_UNPAID})
REPLY_FINDINGS: tuple[Finding, ...] = tuple(f for f in Finding if f not in _TERMINATING)


@dataclass(frozen=True)
class Action:
    """One action on a case: lawful now or not (``refusal`` says why), and the letter it produces."""

    kind: ActionKind
    refusal: RuleError | None = None
    letter: LetterKind | None = None

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.kind]

    @property
    def available(self) -> bool:
        return self.refusal is None

    @property
    def reason(self) -> str:
        """Why the action is not available now, in Chinese ("" when it is)."""
        return describe(self.refusal) if self.refusal is not None else ""


@dataclass(frozen=True)
class ActionResult:
    """The stored case after an action, and the letter (if any) the clerk should generate now."""

    case: Case
    letter: LetterKind | None = None
    consultation_id: str | None = None


# --------------------------------------------------------------------------- the facts the rules read


@dataclass(frozen=True)
class Deliverable:
    """What can be served on the applicant (送达, domain.md §6.2): an issued letter, or a reply the
    timeline records without a 答复书 of this program (an imported case, a reply written elsewhere)."""

    key: str  # the letter's id, or REPLY_TARGET
    label: str
    issued: dt.date
    record: LetterRecord | None = None
    delivered: bool = False


REPLY_TARGET = "reply"


def deliverables(case: Case, letters: Iterable[LetterRecord]) -> list[Deliverable]:
    """The issued letters of the case (delivered ones marked) and the reply without a letter, if any."""
    letters = list(letters)
    done = [e for e in case.events if isinstance(e, Delivered)]
    served = {e.extra.get("letter") for e in done}
    out = [
        Deliverable(
            r.id,
            f"{letter_label(r)} {r.doc_number}",
            dt.date.fromisoformat(str(r.content["date"])),
            r,
            r.doc_number in served,
        )
        for r in letters
        if r.status == LetterStatus.ISSUED
    ]
    replied = next((e for e in case.events if isinstance(e, Replied)), None)
    reply_letter = any(r.kind == LetterKind.REPLY and r.status != LetterStatus.CANCELLED for r in letters)
    if replied is not None and not reply_letter and not replied.extra.get("letter"):
        out.append(
            Deliverable(
                REPLY_TARGET,
                f"{replied.date.isoformat()}的答复（未在本程序出具答复书）",
                replied.date,
                None,
                any(e.extra.get("letter_kind") == str(LetterKind.REPLY) for e in done),
            )
        )
    return out


@dataclass(frozen=True)
class _Facts:
    case: Case
    deadline: DeadlineResult
    today: dt.date
    letters: tuple[LetterRecord, ...] = ()

    @property
    def concluded(self) -> dt.date | None:
        event = concluding_event(self.case)
        return event.date if event is not None else None

    @property
    def replied(self) -> Replied | None:
        return next((e for e in self.case.events if isinstance(e, Replied)), None)

    def of(self, cls: type[Any]) -> list[Any]:
        return [e for e in self.case.events if isinstance(e, cls)]

    def open_consultations(self) -> list[ConsultationSent]:
        answered = {e.id for e in self.of(ConsultationReplied)}
        return [e for e in self.of(ConsultationSent) if e.id not in answered]

    def objections(self) -> list[ConsultationSent]:
        """Third parties that objected and have not yet been told of a public-interest disclosure."""
        objected = {e.id for e in self.of(ConsultationReplied) if e.opinion == Opinion.OBJECT}
        told = {e.id for e in self.of(PublicInterestNotice)}
        return [
            e
            for e in self.of(ConsultationSent)
            if e.party == Party.THIRD_PARTY and e.id in objected and e.id not in told
        ]

    def open_fee(self) -> FeeNotified | None:
        """The latest fee notice not yet paid or waived."""
        notices = self.of(FeeNotified)
        if not notices:
            return None
        last = notices[-1]
        settled = any(isinstance(e, FeePaid | FeeWaived) and e.date >= last.date for e in self.case.events)
        return None if settled else last

    def open_filings(self, filed: type[Any], decided: type[Any]) -> list[Any]:
        done = {e.id for e in self.of(decided)}
        return [e for e in self.of(filed) if e.id not in done]


def _handling(f: _Facts) -> RuleError | None:
    """The common precondition of the handling actions: an open case whose clock has started."""
    if f.concluded is not None:
        return RuleError("action_concluded", date=f.concluded.isoformat())
    if f.deadline.state == State.AWAITING_CONFIRMATION:
        return RuleError("action_awaiting_confirmation")
    return None


def _clock_running(f: _Facts) -> RuleError | None:
    refusal = _handling(f)
    if refusal is None and f.deadline.state == State.AWAITING_CORRECTION:
        return RuleError("action_awaiting_correction")
    return refusal


def _rule_confirm(f: _Facts) -> RuleError | None:
    if not f.case.needs_confirmation:
        return RuleError("confirmation_not_needed")
    if f.case.received is not None:
        return RuleError("confirmation_done", date=f.case.received.isoformat())
    return None


def _rule_request_correction(f: _Facts) -> RuleError | None:
    refusal = _handling(f)
    if refusal is not None:
        return refusal
    if f.of(CorrectionRequested):
        # 条例第三十条: once, listing everything to correct.
        return RuleError("correction_once")
    due = f.deadline.correction_notice_due
    if due is None or f.today > due:
        # 条例第三十条: within 7 working days of receipt.
        return RuleError("correction_late", due=due.isoformat() if due else None)
    return None


def _rule_receive_correction(f: _Facts) -> RuleError | None:
    if f.concluded is not None:
        return RuleError("action_concluded", date=f.concluded.isoformat())
    if not f.of(CorrectionRequested):
        return RuleError("correction_not_requested")
    if f.of(CorrectionReceived):
        return RuleError("correction_already_received")
    return None


def _rule_opinion(f: _Facts) -> RuleError | None:
    return _handling(f) or (None if f.open_consultations() else RuleError("no_open_consultation"))


def _rule_public_interest(f: _Facts) -> RuleError | None:
    return _handling(f) or (None if f.objections() else RuleError("no_objection"))


def _rule_extend(f: _Facts) -> RuleError | None:
    refusal = _clock_running(f)
    if refusal is not None:
        return refusal
    if f.of(ExtensionApproved):
        return RuleError("extension_once")  # 条例第三十三条第二款: one extension
    due = f.deadline.reply_due
    if due is not None and f.today > due:
        # 延期答复告知书 before the current due date (domain.md §3.3 Decision).
        return RuleError("extension_late", due=due.isoformat())
    return None


def _rule_delay(f: _Facts) -> RuleError | None:
    refusal = _clock_running(f)
    if refusal is not None:
        return refusal
    due = f.deadline.reply_due
    if due is not None and f.today > due:
        # 条例第三十五条: the delayed period is set and notified while the reply is still due.
        return RuleError("delay_late", due=due.isoformat())
    return None


def _rule_deliver(f: _Facts) -> RuleError | None:
    if any(not d.delivered for d in deliverables(f.case, f.letters)):
        return None
    return RuleError("nothing_to_deliver")


def _rule_notify_fee(f: _Facts) -> RuleError | None:
    refusal = _clock_running(f)
    notice = f.open_fee()
    if refusal is None and notice is not None:
        return RuleError("fee_open", date=notice.date.isoformat())
    return refusal


def _rule_settle_fee(f: _Facts) -> RuleError | None:
    return _handling(f) or (None if f.open_fee() is not None else RuleError("no_open_fee"))


def _abandon_outcome(f: _Facts) -> Finding | None:
    """Why the case may be deemed withdrawn today: correction or fee period passed (条例第三十条、第四十二条)."""
    requested = f.of(CorrectionRequested)
    if requested and not f.of(CorrectionReceived) and f.today > requested[0].period_end:
        return Finding.OTHER_NO_CORRECTION
    fee = f.open_fee()
    if fee is not None and f.deadline.fee_deadline is not None and f.today > f.deadline.fee_deadline:
        return Finding.OTHER_FEE_UNPAID
    return None


def _rule_abandon(f: _Facts) -> RuleError | None:
    refusal = _handling(f)
    if refusal is None and _abandon_outcome(f) is None:
        return RuleError("abandon_not_due")
    return refusal


def _rule_withdraw(f: _Facts) -> RuleError | None:
    if f.concluded is not None:
        return RuleError("action_concluded", date=f.concluded.isoformat())
    return None


def _rule_difficult(f: _Facts) -> RuleError | None:
    if Flag.ARCHIVED in f.case.flags:
        return RuleError("case_archived")
    if Flag.DIFFICULT in f.case.flags and Flag.FILED_WITH_CITY in f.case.flags:
        return RuleError("difficult_done")
    return None


def _rule_archive(f: _Facts) -> RuleError | None:
    if Flag.ARCHIVED in f.case.flags:
        return RuleError("case_archived")
    if f.concluded is None:
        return RuleError("archive_open")
    return None


def _rule_reconsideration_filed(f: _Facts) -> RuleError | None:
    return None if f.replied is not None else RuleError("remedy_before_reply")


def _rule_decided(filed: type[Any], decided: type[Any]) -> Callable[[_Facts], RuleError | None]:
    def rule(f: _Facts) -> RuleError | None:
        return None if f.open_filings(filed, decided) else RuleError("no_open_filing")

    return rule


_RULES: dict[ActionKind, Callable[[_Facts], RuleError | None]] = {
    ActionKind.CONFIRM_RECEIPT: _rule_confirm,
    ActionKind.REQUEST_CORRECTION: _rule_request_correction,
    ActionKind.RECEIVE_CORRECTION: _rule_receive_correction,
    ActionKind.CONSULT_THIRD_PARTY: _clock_running,
    ActionKind.CONSULT_AGENCY: _clock_running,
    ActionKind.RECORD_OPINION: _rule_opinion,
    ActionKind.PUBLIC_INTEREST_NOTICE: _rule_public_interest,
    ActionKind.EXTEND: _rule_extend,
    ActionKind.DELAY: _rule_delay,
    ActionKind.NOTIFY_FEE: _rule_notify_fee,
    ActionKind.FEE_PAID: _rule_settle_fee,
    ActionKind.WAIVE_FEE: _rule_settle_fee,
    ActionKind.REPLY: _clock_running,
    ActionKind.DELIVER: _rule_deliver,
    ActionKind.WITHDRAW: _rule_withdraw,
    ActionKind.DEEM_ABANDONED: _rule_abandon,
    ActionKind.FILE_DIFFICULT: _rule_difficult,
    ActionKind.ARCHIVE: _rule_archive,
    ActionKind.RECONSIDERATION_FILED: _rule_reconsideration_filed,
    ActionKind.RECONSIDERATION_DECIDED: _rule_decided(ReconsiderationFiled, ReconsiderationDecided),
    ActionKind.LITIGATION_FILED: _rule_reconsideration_filed,
    ActionKind.LITIGATION_DECIDED: _rule_decided(LitigationFiled, LitigationDecided),
}


def _facts(
    case: Case,
    calendar: WorkCalendar,
    today: dt.date,
    agency: Agency | None,
    letters: Sequence[LetterRecord] = (),
) -> _Facts:
    fee_pauses = agency.fee_pauses_clock if agency is not None else True
    deadline = compute_deadline(case, calendar, today, fee_pauses_clock=fee_pauses)
    return _Facts(case, deadline, today, tuple(letters))


def available_actions(
    case: Case,
    calendar: WorkCalendar,
    today: dt.date,
    agency: Agency | None,
    letters: Sequence[LetterRecord] = (),
) -> list[Action]:
    """Every action in the order a clerk meets them, each lawful now or with the reason it is not.

    ``letters`` are the case's letter records (送达 is offered while an issued one is undelivered).
    """
    facts = _facts(case, calendar, today, agency, letters)
    return [Action(kind, _RULES[kind](facts), LETTER_OF.get(kind)) for kind in ActionKind]


def case_actions(uow: UnitOfWork, number: str, today: dt.date) -> list[Action]:
    """``available_actions`` of a stored case, with the stored calendar, agency profile and letters."""
    case = get_case(uow, number)
    letters = uow.letters.for_case(case.id)
    return available_actions(case, effective_calendar(uow), today, load_agency(uow), letters)


def case_deliverables(uow: UnitOfWork, number: str) -> list[Deliverable]:
    """``deliverables`` of a stored case."""
    case = get_case(uow, number)
    return deliverables(case, uow.letters.for_case(case.id))


# --------------------------------------------------------------------------- values


def _day(raw: Any, key: str) -> dt.date:
    if isinstance(raw, str):
        try:
            raw = dt.date.fromisoformat(raw)
        except ValueError:
            raise InputError("bad_date", field=key, value=raw) from None
    if not isinstance(raw, dt.date):
        raise InputError("bad_type", field=key, expected="date", got=type(raw).__name__)
    return raw


def _date(values: Mapping[str, Any], key: str, today: dt.date, *, default_today: bool = True) -> str:
    raw = values.get(key)
    if raw is None or raw == "":
        if not default_today:
            raise InputError("required", field=key)
        raw = today
    raw = _day(raw, key)
    if raw > today:
        # A record of what happened: nothing is dated in the future.
        raise InputError("date_in_future", field=key, value=raw.isoformat())
    return raw.isoformat()


def _text(values: Mapping[str, Any], key: str, *, required: bool = True) -> str | None:
    raw = values.get(key)
    text = raw.strip() if isinstance(raw, str) else None
    if not text:
        if required:
            raise InputError("required", field=key)
        return None
    return text


def _next_id(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _one_of(values: Mapping[str, Any], key: str, open_ids: list[str]) -> str:
    chosen = values.get("id")
    if chosen is None and len(open_ids) == 1:
        return open_ids[0]
    if chosen not in open_ids:
        raise InputError("bad_choice", field=key, value=str(chosen), choices=open_ids)
    return str(chosen)


def _validated(data: dict[str, Any], new_events: int) -> Case:
    """The case dict through ``parse_case``; an error about a new event named by the value's key."""
    try:
        return parse_case(data)
    except InputError as exc:
        first_new = len(data["events"]) - new_events
        for index in range(first_new, len(data["events"])):
            prefix = f"events.{index}."
            if exc.field.startswith(prefix):
                raise InputError(exc.kind, field=exc.field[len(prefix) :], **exc.params) from None
        raise


def _reply_items(case: Case, values: Mapping[str, Any], facts: _Facts) -> list[dict[str, Any]]:
    """The items with the clerk's findings (条例第三十六条: one finding per item, reasons where due)."""
    chosen = values.get("items")
    if not isinstance(chosen, list) or len(chosen) != len(case.items):
        raise InputError("reply_items", field="items", count=len(case.items))
    data: list[dict[str, Any]] = case_to_dict(case)["items"]
    corrected = bool(facts.of(CorrectionReceived))
    for i, (item, raw) in enumerate(zip(data, chosen, strict=True)):
        raw = raw if isinstance(raw, Mapping) else {}
        code = raw.get("finding")
        if not code:
            raise InputError("required", field=f"items.{i}.finding")
        try:
            finding = Finding(code)
        except ValueError:
            raise InputError("bad_choice", field=f"items.{i}.finding", value=str(code), choices=[]) from None
        if finding in _TERMINATING:
            raise InputError("finding_terminates", field=f"items.{i}.finding")
        if finding == Finding.UNABLE_UNCLEAR_AFTER_CORRECTION and not corrected:
            # 条例第三十条: only an application still unclear *after* its correction.
            raise InputError("unclear_needs_correction", field=f"items.{i}.finding")
        reasons = _text(raw, "reasons", required=False)
        if finding in REASONS_REQUIRED and not reasons:
            # 条例第三十六条第（三）项、第三十七条: a refusal states its reasons.
            raise InputError("reasons_required", field=f"items.{i}.reasons")
        organ = None
        organ_name = _text(raw, "organ", required=False)
        if organ_name:
            if finding != Finding.UNABLE_NOT_HELD:
                raise InputError("organ_only_not_held", field=f"items.{i}.organ")
            # 条例第三十六条第（五）项: name the organ that holds it and how to reach it.
            organ = {"name": organ_name, "contact": _text(raw, "contact", required=False)}
        item.update({"finding": str(finding), "reasons": reasons, "responsible_organ": organ})
    return data


# --------------------------------------------------------------------------- applying


def apply_action(
    uow: UnitOfWork,
    number: str,
    action: ActionKind | str,
    values: Mapping[str, Any],
    today: dt.date,
    *,
    actor: str = "",
) -> ActionResult:
    """Do ``action`` on case ``number`` with the clerk's ``values``, in one transaction.

    Refuses with ``RuleError`` when the law does not allow the action now (the same rule
    ``available_actions`` shows), with ``InputError`` naming the value's key when a value is wrong.
    """
    kind = ActionKind(action)
    case = get_case(uow, number)
    agency = load_agency(uow)
    facts = _facts(case, effective_calendar(uow), today, agency, uow.letters.for_case(case.id))
    refusal = _RULES[kind](facts)
    if refusal is not None:
        raise refusal
    if kind == ActionKind.DELIVER:
        proof = values.get("proof")
        received = values.get("received")
        return deliver(
            uow,
            str(values.get("letter") or ""),
            number=number,
            method=str(values.get("method") or ""),
            date=_day(values.get("date") or today, "date"),
            today=today,
            tracking=str(values.get("tracking") or ""),
            received=_day(received, "received") if received else None,
            proof=proof if isinstance(proof, Proof) else None,
        )

    data = case_to_dict(case)
    events: list[dict[str, Any]] = []
    consultation_id: str | None = None

    def event(type_: str, **fields: Any) -> None:
        events.append({"type": type_, "date": _date(values, "date", today), **fields})

    if kind == ActionKind.CONFIRM_RECEIPT:
        method = values.get("method")
        if method not in CONFIRMATION_METHODS:
            raise InputError(
                "bad_choice", field="method", value=str(method), choices=list(CONFIRMATION_METHODS)
            )
        event("receipt_confirmed", method=method, by=_text(values, "by", required=False))
        if case.arrived is not None and events[0]["date"] < case.arrived.isoformat():
            raise InputError("confirmed_before_arrival", field="date", arrived=case.arrived.isoformat())
        # 条例第三十一条: the legal receipt date is the confirmation day.
        data["received"] = events[0]["date"]
    elif kind == ActionKind.REQUEST_CORRECTION:
        event(
            "correction_requested", period_end=_date(values, "period_end", dt.date.max, default_today=False)
        )
        due = facts.deadline.correction_notice_due
        if due is not None and events[0]["date"] > due.isoformat():
            raise InputError("correction_date_late", field="date", due=due.isoformat())
        if events[0]["period_end"] <= events[0]["date"]:
            raise InputError("period_end_before", field="period_end")
        points = [p.strip() for p in str(values.get("points") or "").splitlines() if p.strip()]
        if not points:
            # 条例第三十条: the notice lists everything to correct.
            raise InputError("required", field="points")
        events[0]["points"] = points
    elif kind == ActionKind.RECEIVE_CORRECTION:
        event("correction_received")
    elif kind in (ActionKind.CONSULT_THIRD_PARTY, ActionKind.CONSULT_AGENCY):
        consultation_id = _next_id("c", {e.id for e in facts.of(ConsultationSent)})
        party = Party.THIRD_PARTY if kind == ActionKind.CONSULT_THIRD_PARTY else Party.AGENCY
        delivered = values.get("delivered")
        event(
            "consultation_sent",
            id=consultation_id,
            party=str(party),
            name=_text(values, "name"),
            delivered=_date(values, "delivered", today) if delivered else None,
        )
        reason = _text(values, "reason", required=False)
        if reason:
            events[0]["reason"] = reason
    elif kind == ActionKind.RECORD_OPINION:
        consultation_id = _one_of(values, "id", [e.id for e in facts.open_consultations()])
        opinion = values.get("opinion")
        if opinion not in tuple(str(o) for o in Opinion):
            raise InputError(
                "bad_choice", field="opinion", value=str(opinion), choices=[str(o) for o in Opinion]
            )
        event(
            "consultation_replied",
            id=consultation_id,
            opinion=opinion,
            reasons=_text(values, "reasons", required=opinion == "object"),
        )
        sent = next(e for e in facts.of(ConsultationSent) if e.id == consultation_id)
        if events[0]["date"] < sent.date.isoformat():
            raise InputError("before_consultation", field="date", sent=sent.date.isoformat())
    elif kind == ActionKind.PUBLIC_INTEREST_NOTICE:
        consultation_id = _one_of(values, "id", [e.id for e in facts.objections()])
        event(
            "public_interest_notice",
            id=consultation_id,
            content=_text(values, "content"),
            reasons=_text(values, "reasons"),
        )
    elif kind == ActionKind.EXTEND:
        event(
            "extension_approved",
            days=values.get("days"),
            approver=_text(values, "approver"),
            reason=_text(values, "reason"),
        )
        due = facts.deadline.reply_due
        if due is not None and events[0]["date"] > due.isoformat():
            raise InputError("extension_date_late", field="date", due=due.isoformat())
    elif kind == ActionKind.DELAY:
        event("delay_notified")
        raw_until = values.get("until")
        if raw_until is None or raw_until == "":
            raise InputError("required", field="until")
        until = _day(raw_until, "until")
        due = facts.deadline.reply_due
        if due is not None and events[0]["date"] > due.isoformat():
            # 条例第三十五条: the applicant is told of the delayed period while the reply is still due.
            raise InputError("delay_date_late", field="date", due=due.isoformat())
        if due is not None and until <= due:
            # The delayed period replaces the due date (domain.md §3.3): it can only move it later.
            raise InputError("delay_until_early", field="until", due=due.isoformat())
        events[0].update(until=until.isoformat(), reason=_text(values, "reason"))
    elif kind == ActionKind.NOTIFY_FEE:
        method = values.get("method")
        amount = values.get("amount")
        extra: dict[str, Any] = {}
        if method == "per_volume" and isinstance(values.get("pages"), int):
            amount = fees.per_volume_fee(values["pages"]).amount
            extra["pages"] = values["pages"]
        elif method == "per_request" and isinstance(values.get("count_in_month_before"), int):
            amount = fees.per_request_fee(values["count_in_month_before"]).amount
            extra["count_in_month_before"] = values["count_in_month_before"]
        if isinstance(amount, int) and amount <= 0:
            # 109号: a notice asks for a fee; a free request needs none.
            raise InputError("fee_free", field="amount")
        delivered = values.get("delivered")
        event(
            "fee_notified",
            amount=amount,
            method=method,
            delivered=_date(values, "delivered", today) if delivered else None,
            **extra,
        )
    elif kind == ActionKind.FEE_PAID:
        event("fee_paid")
    elif kind == ActionKind.WAIVE_FEE:
        event("fee_waived", reason=_text(values, "reason"))
    elif kind == ActionKind.REPLY:
        data["items"] = _reply_items(case, values, facts)
        event("replied")
    elif kind == ActionKind.WITHDRAW:
        event("terminated", outcome=str(Finding.OTHER_OTHER), reason=_text(values, "reason"))
    elif kind == ActionKind.DEEM_ABANDONED:
        outcome = _abandon_outcome(facts)
        assert outcome is not None  # the rule refused otherwise
        event("terminated", outcome=str(outcome), reason=_text(values, "reason", required=False))
    elif kind == ActionKind.FILE_DIFFICULT:
        reason = _text(values, "reason")
        flags = [f for f in data["flags"] if f != str(Flag.DIFFICULT)] + [str(Flag.DIFFICULT)]
        text = f"疑难件备案：{reason}"
        if values.get("filed_with_city"):
            flags.append(str(Flag.FILED_WITH_CITY))
            text += "（已报市政务公开办备案）"
        guidance = _text(values, "guidance", required=False)
        if guidance:
            text += f"；指导意见：{guidance}"
        data["flags"] = list(dict.fromkeys(flags))
        data["notes"].append({"date": _date(values, "date", today), "by": actor, "text": text})
    elif kind == ActionKind.ARCHIVE:
        data["flags"] = [*data["flags"], str(Flag.ARCHIVED)]
    elif kind == ActionKind.RECONSIDERATION_FILED:
        organ = _text(values, "organ", required=False)
        if organ is None and agency is not None:
            try:
                organ = "、".join(reconsideration_organ(agency).organs)
            except InputError:
                organ = None
        event(
            "reconsideration_filed",
            id=_next_id("R", {e.id for e in facts.of(ReconsiderationFiled)}),
            organ=organ,
        )
    elif kind == ActionKind.LITIGATION_FILED:
        event(
            "litigation_filed",
            id=_next_id("L", {e.id for e in facts.of(LitigationFiled)}),
            court=_text(values, "court", required=False) or (agency.court if agency else None) or None,
            after_reconsideration=bool(values.get("after_reconsideration")),
        )
    elif kind in (ActionKind.RECONSIDERATION_DECIDED, ActionKind.LITIGATION_DECIDED):
        filed, decided = (
            (ReconsiderationFiled, ReconsiderationDecided)
            if kind == ActionKind.RECONSIDERATION_DECIDED
            else (LitigationFiled, LitigationDecided)
        )
        filing = _one_of(values, "id", [e.id for e in facts.open_filings(filed, decided)])
        fields: dict[str, Any] = {
            "id": filing,
            "result": values.get("result") or None,
            "decision": _text(values, "decision", required=False),
        }
        if kind == ActionKind.LITIGATION_DECIDED:
            fields["instance"] = values.get("instance") or 1
        event(str(decided.TYPE), **fields)

    data["events"].extend(events)
    updated = _validated(data, len(events))
    uow.cases.update(updated)
    uow.commit()
    return ActionResult(updated, LETTER_OF.get(kind), consultation_id)


# --------------------------------------------------------------------------- 送达

# The options ``record_delivery`` names in its errors, and the values they are here.
_DELIVERY_FIELDS = {
    "--date": "date",
    "--received": "received",
    "--tracking": "tracking",
    "--deliver": "method",
}


def deliver(
    uow: UnitOfWork,
    target: str,
    *,
    method: str,
    date: dt.date,
    today: dt.date,
    number: str | None = None,
    tracking: str | None = None,
    received: dt.date | None = None,
    proof: Proof | None = None,
) -> ActionResult:
    """送达 (domain.md §6.2): the delivery of an issued letter — or of a reply recorded without a letter
    of this program (``target`` REPLY_TARGET, with the case ``number``) — with its proof, in one
    transaction: the ``delivered`` event and the proof scan are stored together or not at all.

    A letter may be delivered again (a returned letter sent a second time); the case page offers the
    undelivered ones. 邮寄 needs its tracking number; it is not sent after ``today``.
    """
    if number is not None:
        case = get_case(uow, number)
    elif target == REPLY_TARGET:
        raise InputError("required", field="number")
    else:
        found = uow.cases.get(get_letter(uow, target).case_id)
        if found is None:
            raise InputError("bad_choice", field="letter", value=target, choices=[])
        case = found
    choices = {d.key: d for d in deliverables(case, uow.letters.for_case(case.id))}
    if not choices:
        raise RuleError("nothing_to_deliver")
    chosen = choices.get(target)
    if chosen is None:
        raise InputError(
            "bad_choice", field="letter", value=target, choices=[d.label for d in choices.values()]
        )
    if method not in DELIVERY_METHODS:
        raise InputError("bad_choice", field="method", value=str(method), choices=list(DELIVERY_METHODS))
    if date > today:
        raise InputError("date_in_future", field="date", value=date.isoformat())
    tracking = (tracking or "").strip() or None
    if method == "邮寄" and tracking is None:
        # domain.md §6.2: 邮寄 with its tracking number — the proof of when it reached the applicant.
        raise InputError("tracking_required", field="tracking")
    if chosen.record is not None:
        try:
            updated = record_delivery(
                uow,
                chosen.key,
                method=method,
                date=date,
                tracking=tracking,
                received=received,
                proof=proof,
            )
        except InputError as exc:
            field = _DELIVERY_FIELDS.get(exc.field, exc.field.removeprefix("--"))
            raise InputError(exc.kind, field=field, **exc.params) from None
        return ActionResult(updated)
    # The same checks ``record_delivery`` makes, for a reply without a letter record.
    if date < chosen.issued:
        raise InputError(
            "before_issue", field="date", value=date.isoformat(), issued=chosen.issued.isoformat()
        )
    if received is not None and received < date:
        raise InputError("before_sent", field="received", value=received.isoformat(), sent=date.isoformat())
    extra: dict[str, Any] = {"letter_kind": str(LetterKind.REPLY)}
    if proof is not None:
        if not proof.data:
            raise InputError("empty_file", field="proof", source=proof.name)
        extra["proof"] = uow.attachments.put(
            proof.data, case_id=case.id, name=proof.name, mime=proof.mime, kind=PROOF_KIND
        )
    data = case_to_dict(case)
    event = Delivered(date=date, method=method, tracking=tracking, received=received, extra=extra)
    data["events"].append(event.to_dict())
    updated = _validated(data, 1)
    uow.cases.update(updated)
    uow.commit()
    return ActionResult(updated)


# --------------------------------------------------------------------------- 条例第三十五条: how often


@dataclass(frozen=True)
class ApplicantRequests:
    """How many requests the case's applicant made (by receipt date), for the clerk weighing a
    条例第三十五条 delay: in the calendar month of ``today`` (109号 counts by month) and the last 12 months."""

    name: str
    this_month: int
    last_12_months: int
    months_over_ten: int  # months of the 12 with more than ten requests (109号: the 11th may be charged)


def applicant_requests(uow: UnitOfWork, number: str, today: dt.date) -> ApplicantRequests:
    """``ApplicantRequests`` of case ``number``'s applicant (identified as the analyses do: the
    identity number, else name and phone), from the same look-up as the registration's warning."""
    case = get_case(uow, number)
    key, name = identity(case)
    a = case.applicant
    # Every case, not only those the case list has indexed so far (it may not have been opened today).
    ids = uow.similar.by_applicant(id_number=a.id_number, name=a.name, limit=10_000, name_indexed=False)
    same = [c for c in uow.cases.get_many(ids).values() if identity(c)[0] == key]
    year, month = divmod(today.year * 12 + today.month - 1 - 11, 12)
    first = dt.date(year, month + 1, 1)  # the first day of the 12th calendar month back, this one included
    months = [r for r in repeat_applicants(same, first, today, threshold=1) if r.identity == key]
    return ApplicantRequests(
        name=name,
        this_month=sum(r.count for r in months if (r.year, r.month) == (today.year, today.month)),
        last_12_months=sum(r.count for r in months),
        months_over_ten=sum(1 for r in months if r.count > 10),
    )
