"""Use cases on letters: draft (taking a 文号), review, issue, cancel, deliver (domain.md §6).

A letter of a kind is drafted once per case (per consultation for the consultation kinds): asking
for it again returns the same record and number. While it is a draft its text is rebuilt from the
case each time, so a corrected case gives a corrected draft; from review on the text is frozen.
The 文号 is taken — and committed — before anything is printed, so a failed print can never hand
the same number to another letter; cancelling a letter keeps its number in the register.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.caseformat import parse_case
from app.domain.errors import InputError, NotFound, RuleError, YishenError
from app.domain.letters import LetterRecord, LetterStatus, Review
from app.domain.model import Case, ConsultationSent, Delivered, Event, Replied, case_to_dict
from app.domain.users import SELF_REVIEW_NOTE, is_self_review, review_refusal
from app.law.agency import doc_number_pattern_for, format_doc_number
from app.law.outcome import concluded_on
from app.letters import (
    KIND_LABELS,
    Letter,
    LetterKind,
    Templates,
    build_letter,
    describe_missing,
    letter_from_dict,
    letter_to_dict,
    missing_parts,
)
from app.services.calendar import effective_calendar
from app.services.cases import get_case
from app.services.ports import UnitOfWork
from app.services.settings import load_agency
from app.services.users import list_users, record_first_admin

# Consultation kinds name one consultation; the public-interest notice goes to a consulted third party.
_CONSULTATION_PARTY: dict[LetterKind, str] = {
    LetterKind.CONSULTATION_THIRD_PARTY: "third_party",
    LetterKind.PUBLIC_INTEREST_NOTICE: "third_party",
    LetterKind.CONSULTATION_AGENCY: "agency",
}

PROOF_KIND = "delivery_proof"
_UNNUMBERED = "（文号待取）"
_MAX_PARAGRAPH = 5000


@dataclass(frozen=True)
class DroppedEdit:
    """A clerk's rewording that no longer applies: the case changed the paragraph it replaced.

    ``index`` is the paragraph's position, ``original`` the generated text the edit replaced, ``text``
    the clerk's wording (shown so it can be reapplied by hand), ``now`` what the paragraph says now.
    """

    index: int
    original: str
    text: str
    now: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "original": self.original, "text": self.text, "now": self.now}

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> DroppedEdit:
        return cls(int(obj["index"]), str(obj["original"]), str(obj["text"]), obj.get("now"))


def dropped_edits(record: LetterRecord) -> list[DroppedEdit]:
    """The edits the last rebuild of this draft had to drop (empty when all still apply)."""
    return [DroppedEdit.from_dict(d) for d in record.extra.get("dropped_edits", ())]


def edited_paragraphs(record: LetterRecord) -> dict[int, str]:
    """The paragraphs a clerk reworded: index → the generated text the edit replaced."""
    return {int(k): str(v["original"]) for k, v in record.extra.get("edits", {}).items()}


@dataclass(frozen=True)
class PreparedLetter:
    """A letter ready to print: its record (文号, status) and its text."""

    record: LetterRecord
    letter: Letter

    @property
    def missing(self) -> list[str]:
        return missing_parts(self.letter)

    @property
    def dropped(self) -> list[DroppedEdit]:
        """Edits this rebuild could not keep (the case changed their paragraph): warn the clerk."""
        return dropped_edits(self.record)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _kind(kind: LetterKind | str) -> LetterKind:
    try:
        return LetterKind(kind)
    except ValueError:
        raise InputError(
            "bad_choice", field="--kind", value=str(kind), choices=[str(k) for k in LetterKind]
        ) from None


def _consultation_id(case: Case, kind: LetterKind, consultation_id: str | None) -> str | None:
    party = _CONSULTATION_PARTY.get(kind)
    if party is None:
        if consultation_id:
            raise InputError("not_for_kind", field="--consultation", letter_kind=str(kind))
        return None
    if consultation_id:
        return consultation_id
    sent = [e.id for e in case.events if isinstance(e, ConsultationSent) and e.party == party]
    if len(sent) != 1:
        # None or several: the clerk has to say which (build_letter names the choices).
        raise InputError("required", field="--consultation", choices=sent)
    return sent[0]


def _current(
    records: list[LetterRecord], kind: LetterKind, consultation_id: str | None
) -> LetterRecord | None:
    for record in reversed(records):
        if (
            record.kind == kind
            and record.consultation_id == consultation_id
            and record.status != LetterStatus.CANCELLED
        ):
            return record
    return None


def letter_of(record: LetterRecord) -> Letter:
    return letter_from_dict(record.content)


def letters_of_case(uow: UnitOfWork, number: str) -> list[LetterRecord]:
    case = get_case(uow, number)
    return uow.letters.for_case(case.id)


def get_letter(uow: UnitOfWork, letter_id: str) -> LetterRecord:
    record = uow.letters.get(letter_id)
    if record is None:
        raise NotFound("letter_not_found", id=letter_id)
    return record


def find_letter(
    uow: UnitOfWork, number: str, kind: LetterKind | str, consultation_id: str | None = None
) -> LetterRecord:
    """The current (not cancelled) letter of a kind for a case."""
    case = get_case(uow, number)
    letter_kind = _kind(kind)
    cid = _consultation_id(case, letter_kind, consultation_id)
    record = _current(uow.letters.for_case(case.id), letter_kind, cid)
    if record is None:
        raise NotFound("letter_not_drafted", number=number, letter_kind=str(letter_kind))
    return record


def _build(
    uow: UnitOfWork,
    case: Case,
    kind: LetterKind,
    consultation_id: str | None,
    today: dt.date,
    doc_number: str,
) -> Letter:
    agency = load_agency(uow)
    if agency is None:
        raise RuleError("agency_missing")
    return build_letter(
        kind,
        case,
        agency,
        effective_calendar(uow),
        today,
        doc_number=doc_number,
        consultation_id=consultation_id,
        templates=Templates.shipped(),
    )


def prepare_letter(
    uow: UnitOfWork,
    number: str,
    kind: LetterKind | str,
    *,
    consultation_id: str | None = None,
    today: dt.date,
    actor: str,
) -> PreparedLetter:
    """The letter of ``kind`` for case ``number``: drafted now (taking a 文号) or the existing one.

    The letter is built before a number is taken, so a case that cannot have this letter yet
    (no finding, no event) costs no number. Commits when it drafted or refreshed something.
    """
    letter_kind = _kind(kind)
    case = get_case(uow, number)
    cid = _consultation_id(case, letter_kind, consultation_id)
    record = _current(uow.letters.for_case(case.id), letter_kind, cid)
    if record is not None and record.status != LetterStatus.DRAFT:
        return PreparedLetter(record, letter_of(record))

    # A new letter is built once before its number is taken (so a case that cannot have it costs no
    # number) and again with the number, which some letters quote in their text.
    letter = _build(uow, case, letter_kind, cid, today, record.doc_number if record else _UNNUMBERED)
    if record is not None:
        letter, extra = _apply_edits(letter, record.extra)
        content = letter_to_dict(letter)
        if content != record.content or extra != record.extra:
            record = uow.letters.update(
                dataclasses.replace(record, content=content, extra=extra), action="letter.redraft"
            )
            uow.commit()
        return PreparedLetter(record, letter)

    agency = load_agency(uow)
    assert agency is not None  # _build refused otherwise
    year = today.year
    counter = f"{agency.short_name}|{letter_kind}|{year}"
    seq = uow.letters.take_number(counter)
    doc_number = format_doc_number(
        doc_number_pattern_for(agency, letter_kind),
        short=agency.short_name,
        year=year,
        seq=seq,
        kind=letter_kind,
    )
    letter = _build(uow, case, letter_kind, cid, today, doc_number)
    record = LetterRecord(
        id=_new_id(),
        case_id=case.id,
        kind=str(letter_kind),
        consultation_id=cid,
        counter=counter,
        seq=seq,
        doc_number=doc_number,
        status=LetterStatus.DRAFT,
        content=letter_to_dict(letter),
        created_at=_now(),
        created_by=actor,
    )
    uow.letters.add(record)
    uow.commit()
    return PreparedLetter(record, letter)


def _new_id() -> str:
    from app.domain.model import new_id

    return new_id()


def _require(record: LetterRecord, *allowed: LetterStatus, action: str) -> None:
    if record.status not in allowed:
        raise RuleError(
            "letter_status", action=action, status=str(record.status), allowed=[str(s) for s in allowed]
        )


def review_letter(
    uow: UnitOfWork,
    letter_id: str,
    *,
    reviewer: str,
    approve: bool,
    comment: str = "",
    today: dt.date,
) -> LetterRecord:
    """A reviewer's word on a draft: approve (the text is frozen as it is now) or send it back.

    ``reviewer`` is the login name of who acts: a reviewer or an administrator of the folder, and for
    an approval not the letter's drafter unless the folder has a single active user — then the
    review's comment says the drafter reviewed it alone (``app.domain.users``). The draft is rebuilt
    from the case first, so the reviewer approves the current text. Sending back needs a comment
    (答复书点评) — a reviewer who only says "no" leaves the clerk guessing.
    """
    record = get_letter(uow, letter_id)
    _require(record, LetterStatus.DRAFT, action="review")
    users = record_first_admin(uow, reviewer)
    refusal = review_refusal(users, reviewer, record.created_by, approve=approve)
    if refusal is not None:
        raise refusal
    comment = comment.strip()
    if not approve and not comment:
        raise InputError("required", field="--comment")
    if len(comment) > 5000:
        raise InputError("too_long", field="--comment", max=5000, length=len(comment))
    if approve and is_self_review(users, reviewer, record.created_by):
        comment += SELF_REVIEW_NOTE
    case = _case_by_id(uow, record.case_id)
    letter = _build(uow, case, LetterKind(record.kind), record.consultation_id, today, record.doc_number)
    letter, extra = _apply_edits(letter, record.extra)
    review = Review(by=reviewer, at=_now(), approved=approve, comment=comment)
    updated = dataclasses.replace(
        record,
        content=letter_to_dict(letter),
        extra=extra,
        reviews=(*record.reviews, review),
        status=LetterStatus.REVIEWED if approve else LetterStatus.DRAFT,
    )
    stored = uow.letters.update(updated, action="letter.review" if approve else "letter.return")
    uow.commit()
    return stored


def review_refusal_for(
    uow: UnitOfWork, reviewer: str, record: LetterRecord, *, approve: bool
) -> YishenError | None:
    """Why ``review_letter`` would refuse ``reviewer`` this step on ``record`` for who they are, or None.

    The screens grey out what the clerk may not do and say why, with the service's own reason.
    """
    return review_refusal(list_users(uow), reviewer, record.created_by, approve=approve)


def edit_letter_paragraph(uow: UnitOfWork, letter_id: str, index: int, text: str) -> PreparedLetter:
    """Reword free paragraph ``index`` of a draft; the edit is kept and reapplied on every rebuild.

    Legal basis, findings, record data and the remedy clause are refused (``paragraph_locked``).
    The edit is stored with the generated text it replaces (``extra["edits"]``): a rebuild keeps it
    only while the case still generates that same text there. Rewording a paragraph back to its
    generated text removes the edit.
    """
    record = get_letter(uow, letter_id)
    _require(record, LetterStatus.DRAFT, action="edit")
    if len(text) > _MAX_PARAGRAPH:
        raise InputError("too_long", field=f"paragraphs.{index}", max=_MAX_PARAGRAPH, length=len(text))
    letter = letter_of(record).edit(index, text)  # refuses locked paragraphs and blank text
    edits: dict[str, Any] = {k: dict(v) for k, v in record.extra.get("edits", {}).items()}
    key = str(index)
    original = edits[key]["original"] if key in edits else record.content["paragraphs"][index]["text"]
    new_text = letter.paragraphs[index].text
    if new_text == original:
        edits.pop(key, None)
    else:
        edits[key] = {"original": original, "text": new_text}
    extra = {k: v for k, v in record.extra.items() if k not in ("edits", "dropped_edits")}
    if edits:
        extra["edits"] = edits
    stored = uow.letters.update(
        dataclasses.replace(record, content=letter_to_dict(letter), extra=extra), action="letter.edit"
    )
    uow.commit()
    return PreparedLetter(stored, letter)


def _apply_edits(letter: Letter, extra: Mapping[str, Any]) -> tuple[Letter, dict[str, Any]]:
    """A freshly built draft with the clerk's stored edits reapplied, and the record's new ``extra``.

    An edit applies while the rebuilt paragraph at its index is still editable and still has the
    generated text the edit replaced; otherwise the case changed what that paragraph says, the edit
    is dropped and listed under ``extra["dropped_edits"]`` for the clerk to see.
    """
    kept: dict[str, Any] = {}
    dropped: list[dict[str, Any]] = []
    for key, edit in sorted(extra.get("edits", {}).items(), key=lambda kv: int(kv[0])):
        index = int(key)
        paragraph = letter.paragraphs[index] if 0 <= index < len(letter.paragraphs) else None
        if paragraph is not None and paragraph.editable and paragraph.text == edit["original"]:
            letter = letter.edit(index, edit["text"])
            kept[key] = dict(edit)
        else:
            now = paragraph.text if paragraph is not None else None
            dropped.append(DroppedEdit(index, edit["original"], edit["text"], now).to_dict())
    out = {k: v for k, v in extra.items() if k not in ("edits", "dropped_edits")}
    if kept:
        out["edits"] = kept
    if dropped:
        out["dropped_edits"] = dropped
    return letter, out


def render_letter(letter: Letter, fmt: str, *, font: str = "") -> bytes:
    """``letter`` as ``"pdf"`` (in the configured ``font`` or the best one found) or ``"docx"`` bytes.

    Pure (no unit of work), so the desktop application renders off the GUI thread; its preview and
    its printer both show these PDF bytes, the very file "save as PDF" writes.
    """
    if fmt == "docx":
        from app.letters.docx import render_docx

        return render_docx(letter)
    if fmt != "pdf":
        raise InputError("bad_choice", field="format", value=fmt, choices=["pdf", "docx"])
    from app.letters.fonts import choose_font
    from app.letters.pdf import render_pdf

    return render_pdf(letter, font=choose_font(font))


def letter_document(uow: UnitOfWork, letter_id: str, fmt: str) -> bytes:
    """The stored letter rendered by ``render_letter`` with the agency's configured font."""
    agency = load_agency(uow)
    return render_letter(letter_of(get_letter(uow, letter_id)), fmt, font=agency.font if agency else "")


def letter_label(record: LetterRecord) -> str:
    """The letter's kind in Chinese (登记回执, 答复书 …)."""
    try:
        return KIND_LABELS[LetterKind(record.kind)]
    except ValueError:
        return record.kind


def reopen_letter(uow: UnitOfWork, letter_id: str, *, by: str, reason: str) -> LetterRecord:
    """A reviewed letter back to draft (the case changed after review); issued letters stay issued."""
    record = get_letter(uow, letter_id)
    _require(record, LetterStatus.REVIEWED, action="reopen")
    if not reason.strip():
        raise InputError("required", field="--reason")
    review = Review(by=by, at=_now(), approved=False, comment=reason.strip())
    stored = uow.letters.update(
        dataclasses.replace(record, status=LetterStatus.DRAFT, reviews=(*record.reviews, review)),
        action="letter.reopen",
    )
    uow.commit()
    return stored


def issue_letter(uow: UnitOfWork, letter_id: str, *, by: str, today: dt.date) -> LetterRecord:
    """签发: only a reviewed letter, only when nothing required is missing; dated the day it is issued.

    GB/T 9704-2012 7.3.5.1: the 成文日期 is the day the responsible person signs, so the reviewed
    text keeps every word and only its date becomes the issue date.
    """
    record = get_letter(uow, letter_id)
    _require(record, LetterStatus.REVIEWED, action="issue")
    content: dict[str, Any] = {**record.content, "date": today.isoformat()}
    letter = letter_from_dict(content)
    missing = missing_parts(letter)
    if missing:
        raise RuleError("letter_incomplete", missing=missing, parts=[describe_missing(m) for m in missing])
    stored = uow.letters.update(
        dataclasses.replace(
            record, content=content, status=LetterStatus.ISSUED, issued_at=_now(), issued_by=by
        ),
        action="letter.issue",
    )
    if record.kind == LetterKind.REPLY:
        # The 答复书 issued is the reply (interfaces.md §1 ``replied``): the clock stops that day.
        # A case already concluded (an earlier reply, a termination) keeps its first concluding event.
        case = _case_by_id(uow, record.case_id)
        if concluded_on(case) is None:
            _append_event(uow, case, Replied(date=today, extra={"letter": record.doc_number}))
    uow.commit()
    return stored


def cancel_letter(uow: UnitOfWork, letter_id: str, *, by: str, reason: str) -> LetterRecord:
    """作废: the letter is withdrawn, its 文号 stays recorded and is never given out again."""
    record = get_letter(uow, letter_id)
    _require(record, LetterStatus.DRAFT, LetterStatus.REVIEWED, LetterStatus.ISSUED, action="cancel")
    reason = reason.strip()
    if not reason:
        raise InputError("required", field="--reason")
    if len(reason) > 2000:
        raise InputError("too_long", field="--reason", max=2000, length=len(reason))
    stored = uow.letters.update(
        dataclasses.replace(
            record, status=LetterStatus.CANCELLED, cancelled_at=_now(), cancelled_by=by, cancel_reason=reason
        ),
        action="letter.cancel",
    )
    uow.commit()
    return stored


@dataclass(frozen=True)
class Proof:
    """A scan of the delivery proof (送达回证, 邮寄回执, a screenshot of the platform)."""

    data: bytes
    name: str
    mime: str


def record_delivery(
    uow: UnitOfWork,
    letter_id: str,
    *,
    method: str,
    date: dt.date,
    tracking: str | None = None,
    received: dt.date | None = None,
    proof: Proof | None = None,
) -> Case:
    """送达: a ``delivered`` event on the case naming the issued letter, with its proof attached.

    The event goes through the same validation as every timeline change (methods, dates, lengths),
    and the proof is stored in the encrypted database in the same transaction.
    """
    record = get_letter(uow, letter_id)
    _require(record, LetterStatus.ISSUED, action="deliver")
    issued = dt.date.fromisoformat(str(record.content["date"]))
    if date < issued:
        raise InputError("before_issue", field="--date", value=date.isoformat(), issued=issued.isoformat())
    if received is not None and received < date:
        raise InputError("before_sent", field="--received", value=received.isoformat(), sent=date.isoformat())
    case = _case_by_id(uow, record.case_id)
    extra: dict[str, Any] = {"letter": record.doc_number, "letter_kind": record.kind}
    if proof is not None:
        if not proof.data:
            raise InputError("empty_file", field="--proof", source=proof.name)
        extra["proof"] = uow.attachments.put(
            proof.data, case_id=case.id, name=proof.name, mime=proof.mime, kind=PROOF_KIND
        )
    event = Delivered(date=date, method=method, tracking=tracking or None, received=received, extra=extra)
    updated = _append_event(uow, case, event)
    uow.commit()
    return updated


def _append_event(uow: UnitOfWork, case: Case, event: Event) -> Case:
    """Add one event through the case-file validation (so every timeline rule applies) and store it."""
    data = case_to_dict(case)
    data["events"].append(event.to_dict())
    try:
        updated = parse_case(data)
    except InputError as exc:
        raise _event_field(exc, len(data["events"]) - 1) from None
    uow.cases.update(updated)
    return updated


def deliveries_of(case: Case, record: LetterRecord) -> list[Delivered]:
    """The delivery events of one letter, in timeline order."""
    return [e for e in case.events if isinstance(e, Delivered) and e.extra.get("letter") == record.doc_number]


_DELIVERY_OPTIONS: Mapping[str, str] = {
    "method": "--deliver",
    "tracking": "--tracking",
    "received": "--received",
    "date": "--date",
}


def _event_field(exc: InputError, index: int) -> InputError:
    """A timeline error about the new event named by the option the clerk typed."""
    prefix = f"events.{index}."
    if exc.field.startswith(prefix):
        name = exc.field[len(prefix) :]
        return InputError(exc.kind, field=_DELIVERY_OPTIONS.get(name, name), **exc.params)
    return exc


def _case_by_id(uow: UnitOfWork, case_id: str) -> Case:
    case = uow.cases.get(case_id)
    if case is None:
        raise NotFound("case_not_found", number=case_id)
    return case
