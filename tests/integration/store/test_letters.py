"""Letter records on a real encrypted database: 文号 never reused, review → issue, delivery (domain.md §6)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid

import pytest

from app.domain.codes import Channel, Finding
from app.domain.errors import Conflict, InputError, NotFound, RuleError
from app.domain.letters import LetterStatus
from app.domain.model import Case, Delivered, Replied
from app.services import letters as service
from app.services.settings import save_agency
from app.store import Database
from tests.unit.letters.samples import AGENCY, full_case, item_for, mixed_case

TODAY = dt.date(2026, 10, 9)


def _stored(case: Case, **changes: object) -> Case:
    """A sample case with a real UUID key, as every stored case has."""
    number = str(changes.get("number", case.number))
    key = str(uuid.uuid5(uuid.NAMESPACE_URL, number))
    # Signed-for post: the receipt date needs no confirmation event (domain.md §2.1).
    return dataclasses.replace(case, id=key, channel=Channel.POST_SIGNED, **changes)  # type: ignore[arg-type]


@pytest.fixture
def office(db: Database) -> Database:
    with db.unit_of_work("王五") as uow:
        save_agency(uow, AGENCY)
        uow.cases.add_many([_stored(mixed_case()), _stored(full_case())])
        uow.commit()
    return db


def _prepare(db: Database, number: str, kind: str, **kw: object) -> service.PreparedLetter:
    with db.unit_of_work("王五") as uow:
        return service.prepare_letter(uow, number, kind, today=TODAY, actor="王五", **kw)  # type: ignore[arg-type]


def _outbox_entities(db: Database) -> list[str]:
    with db.unit_of_work() as uow:
        rows = uow._connection().exec_driver_sql("SELECT entity FROM outbox ORDER BY seq").all()
    return [r[0] for r in rows]


def test_a_letter_is_drafted_once_with_a_number_of_its_own_series(office: Database) -> None:
    first = _prepare(office, "2026-0043", "reply")
    again = _prepare(office, "2026-0043", "reply")
    assert first.record.id == again.record.id
    assert first.record.doc_number == again.letter.doc_number == "某自然资规依公开〔2026〕1号"
    # Another case's reply takes the next number of the reply series; other kinds count on their own.
    assert _prepare(office, "2026-0044", "reply").record.doc_number == "某自然资规依公开〔2026〕2号"
    assert _prepare(office, "2026-0044", "correction").record.doc_number == "某自然资规依公开补〔2026〕1号"
    assert _prepare(office, "2026-0044", "receipt").record.doc_number == "某自然资规依公开登〔2026〕1号"
    # Each consultation is its own letter.
    c1 = _prepare(office, "2026-0044", "consultation_third_party")
    c2 = _prepare(office, "2026-0044", "consultation_agency")
    assert (c1.record.consultation_id, c2.record.consultation_id) == ("c1", "c2")
    assert c1.record.doc_number == "某自然资规依公开征〔2026〕1号"
    assert c2.record.doc_number == "某自然资规依公开函〔2026〕1号"
    assert "doc_counter" in _outbox_entities(office) and "letter" in _outbox_entities(office)
    assert office.verify().ok


def test_a_letter_the_case_cannot_have_yet_costs_no_number(office: Database) -> None:
    with office.unit_of_work("王五") as uow:
        undecided = _stored(
            mixed_case(),
            number="2026-0050",
            items=(dataclasses.replace(item_for(Finding.DISCLOSED), finding=None),),
        )
        uow.cases.add(undecided)
        uow.commit()
    with pytest.raises(InputError):
        _prepare(office, "2026-0050", "reply")
    with pytest.raises(RuleError):
        _prepare(office, "2026-0043", "extension")  # no extension_approved event
    assert _prepare(office, "2026-0043", "reply").record.seq == 1


def test_a_cancelled_number_stays_recorded_and_is_never_given_again(office: Database) -> None:
    first = _prepare(office, "2026-0043", "reply")
    with office.unit_of_work("王五") as uow:
        with pytest.raises(InputError) as missing_reason:
            service.cancel_letter(uow, first.record.id, by="王五", reason="  ")
        assert missing_reason.value.field == "--reason"
        service.cancel_letter(uow, first.record.id, by="王五", reason="打印时卡纸，文书作废重出")
    second = _prepare(office, "2026-0043", "reply")
    assert second.record.id != first.record.id
    assert second.record.doc_number == "某自然资规依公开〔2026〕2号"
    with office.unit_of_work() as uow:
        register = uow.letters.register("某自然资规|reply|2026")
        assert [(r.seq, r.status) for r in register] == [(1, LetterStatus.CANCELLED), (2, LetterStatus.DRAFT)]
        assert register[0].cancel_reason == "打印时卡纸，文书作废重出"
    # The database itself refuses to renumber or forget a letter.
    with office.unit_of_work("王五") as uow:
        conn = uow._connection()
        with pytest.raises(Conflict) as renumber:
            from app.store.engine import translated

            with translated():
                conn.exec_driver_sql("UPDATE letters SET seq = 9 WHERE seq = 1")
        assert renumber.value.kind == "doc_number_kept"
    with office.unit_of_work("王五") as uow, pytest.raises(Conflict):
        from app.store.engine import translated

        with translated():
            uow._connection().exec_driver_sql("DELETE FROM letters")
    assert office.verify().ok


def test_review_freezes_the_text_and_issue_needs_review_and_a_complete_letter(office: Database) -> None:
    draft = _prepare(office, "2026-0043", "reply").record
    with office.unit_of_work("李科长") as uow:
        with pytest.raises(RuleError) as not_reviewed:
            service.issue_letter(uow, draft.id, by="李科长", today=TODAY)
        assert not_reviewed.value.kind == "letter_status"
        with pytest.raises(InputError):
            service.review_letter(uow, draft.id, reviewer="李科长", approve=False, comment="", today=TODAY)
        back = service.review_letter(
            uow, draft.id, reviewer="李科长", approve=False, comment="第2项请写明区分处理的页码", today=TODAY
        )
        assert back.status == LetterStatus.DRAFT
        reviewed = service.review_letter(uow, draft.id, reviewer="李科长", approve=True, today=TODAY)
    assert reviewed.status == LetterStatus.REVIEWED
    assert [(r.approved, r.comment) for r in reviewed.reviews] == [
        (False, "第2项请写明区分处理的页码"),
        (True, ""),
    ]
    frozen = json.dumps(reviewed.content, ensure_ascii=False)

    # The case changes after review: the reviewed text stays as it was approved.
    with office.unit_of_work("王五") as uow:
        case = uow.cases.get_by_number("2026-0043")
        assert case is not None
        uow.cases.update(
            dataclasses.replace(case, applicant=dataclasses.replace(case.applicant, name="张三丰"))
        )
        uow.commit()
    again = _prepare(office, "2026-0043", "reply")
    assert json.dumps(again.record.content, ensure_ascii=False) == frozen
    assert "张三丰" not in again.letter.plain_text()

    with office.unit_of_work("局长") as uow:
        issued = service.issue_letter(uow, draft.id, by="局长", today=dt.date(2026, 10, 12))
    assert issued.status == LetterStatus.ISSUED and issued.issued_by == "局长"
    assert issued.content["date"] == "2026-10-12"  # 成文日期 = the day it is signed
    # Issuing the 答复书 records the reply on the timeline (the case concludes that day).
    with office.unit_of_work() as uow:
        case = uow.cases.get_by_number("2026-0043")
    assert case is not None
    replies = [e for e in case.events if isinstance(e, Replied)]
    assert [(r.date, r.extra.get("letter")) for r in replies] == [(dt.date(2026, 10, 12), issued.doc_number)]
    with office.unit_of_work() as uow, pytest.raises(RuleError):
        service.review_letter(uow, draft.id, reviewer="李科长", approve=True, today=TODAY)


def test_an_incomplete_letter_cannot_be_issued(office: Database) -> None:
    with office.unit_of_work("王五") as uow:
        no_reasons = _stored(
            mixed_case(),
            number="2026-0051",
            items=(item_for(Finding.WITHHELD_PROCESS_INFO, reasons=None),),
        )
        uow.cases.add(no_reasons)
        uow.commit()
    prepared = _prepare(office, "2026-0051", "reply")
    assert prepared.missing == ["reasons.1"]
    with office.unit_of_work("李科长") as uow:
        service.review_letter(uow, prepared.record.id, reviewer="李科长", approve=True, today=TODAY)
        with pytest.raises(RuleError) as refused:
            service.issue_letter(uow, prepared.record.id, by="局长", today=TODAY)
    assert refused.value.kind == "letter_incomplete"
    assert refused.value.params["parts"] == [
        "第1项：该答复类型须说明理由（条例第三十六条第（三）项、第三十七条）"
    ]
    with office.unit_of_work() as uow:
        assert service.get_letter(uow, prepared.record.id).status == LetterStatus.REVIEWED
        case = uow.cases.get_by_number("2026-0051")
    assert case is not None and not any(isinstance(e, Replied) for e in case.events)
    # Back to draft, fixed in the case, reviewed again: now it can be issued.
    with office.unit_of_work("李科长") as uow:
        service.reopen_letter(uow, prepared.record.id, by="李科长", reason="补写理由")
        case = uow.cases.get_by_number("2026-0051")
        assert case is not None
        item = dataclasses.replace(case.items[0], reasons="该纪要系内部研究讨论记录")
        uow.cases.update(dataclasses.replace(case, items=(item,)))
        uow.commit()
        service.review_letter(uow, prepared.record.id, reviewer="李科长", approve=True, today=TODAY)
        issued = service.issue_letter(uow, prepared.record.id, by="局长", today=TODAY)
    assert issued.status == LetterStatus.ISSUED
    assert "该纪要系内部研究讨论记录" in service.letter_of(issued).plain_text()


def test_delivery_of_an_issued_letter_with_its_proof(office: Database) -> None:
    record = _prepare(office, "2026-0044", "correction").record
    proof = service.Proof(data=b"%PDF-1.4 scan of the EMS receipt", name="回执.pdf", mime="application/pdf")
    with office.unit_of_work("王五") as uow:
        with pytest.raises(RuleError):
            service.record_delivery(uow, record.id, method="邮寄", date=TODAY)
        service.review_letter(uow, record.id, reviewer="李科长", approve=True, today=TODAY)
        issued = service.issue_letter(uow, record.id, by="局长", today=TODAY)
        with pytest.raises(InputError) as early:
            service.record_delivery(uow, record.id, method="邮寄", date=TODAY - dt.timedelta(days=1))
        assert early.value.field == "--date"
        with pytest.raises(InputError) as bad_method:
            service.record_delivery(uow, record.id, method="快递", date=TODAY)
        assert bad_method.value.field == "--deliver"
        case = service.record_delivery(
            uow,
            record.id,
            method="邮寄",
            date=TODAY,
            tracking="EMS1234567890",
            received=dt.date(2026, 10, 12),
            proof=proof,
        )
    (delivered,) = service.deliveries_of(case, issued)
    assert isinstance(delivered, Delivered)
    assert (delivered.method, delivered.tracking, delivered.received) == (
        "邮寄",
        "EMS1234567890",
        dt.date(2026, 10, 12),
    )
    with office.unit_of_work() as uow:
        assert uow.attachments.get(str(delivered.extra["proof"])) == proof.data
        (ref,) = uow.attachments.list_for_case(case.id)
        assert (ref.name, ref.kind) == ("回执.pdf", service.PROOF_KIND)
        # The correction notice is not a reply: the case stays open.
        stored = uow.cases.get(case.id)
    assert stored is not None and not any(isinstance(e, Replied) for e in stored.events)
    assert office.verify().ok


def test_a_failed_step_leaves_nothing_behind(office: Database) -> None:
    record = _prepare(office, "2026-0044", "correction").record
    with office.unit_of_work("王五") as uow:
        service.review_letter(uow, record.id, reviewer="李科长", approve=True, today=TODAY)
        service.issue_letter(uow, record.id, by="局长", today=TODAY)
    before = _outbox_entities(office)
    with office.unit_of_work("王五") as uow, pytest.raises(InputError):
        # The proof is stored first, then the event is refused: the whole step rolls back.
        service.record_delivery(
            uow,
            record.id,
            method="邮寄",
            date=TODAY,
            received=TODAY - dt.timedelta(days=1),
            proof=service.Proof(b"x", "a.png", "image/png"),
        )
    with office.unit_of_work("王五") as uow, pytest.raises(InputError):
        service.record_delivery(
            uow,
            record.id,
            method="邮寄",
            date=TODAY,
            proof=service.Proof(b"x", "a.png", "image/png"),
            tracking="x" * 101,
        )
    assert _outbox_entities(office) == before
    with office.unit_of_work() as uow:
        case = uow.cases.get_by_number("2026-0044")
        assert case is not None and uow.attachments.list_for_case(case.id) == []


def test_letters_need_an_agency_profile_and_a_known_letter(db: Database) -> None:
    with db.unit_of_work("王五") as uow:
        uow.cases.add(_stored(mixed_case()))
        uow.commit()
        with pytest.raises(RuleError) as no_agency:
            service.prepare_letter(uow, "2026-0043", "reply", today=TODAY, actor="王五")
        assert no_agency.value.kind == "agency_missing"
        with pytest.raises(NotFound):
            service.find_letter(uow, "2026-0043", "reply")
        with pytest.raises(InputError) as bad_kind:
            service.find_letter(uow, "2026-0043", "letterz")
        assert bad_kind.value.field == "--kind"
