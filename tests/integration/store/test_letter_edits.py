"""Free-paragraph edits of a draft letter survive its rebuilds, on a real encrypted database (design.md §4)."""

from __future__ import annotations

import dataclasses
import io
import json

import pypdf
import pytest

from app.domain.errors import InputError, RuleError
from app.domain.letters import LetterStatus
from app.services import letters as service
from app.store import Database
from tests.integration.store.test_letters import TODAY, _prepare, office  # noqa: F401 (fixture)

# mixed_case()'s reply: 6 "现答复如下：" (fixed wording), 8 how item 1 is provided (names the
# applicant's address), 7 a finding and 13 the remedy clause (both generated, locked).
FIXED, ADDRESS, FINDING, REMEDY = 6, 8, 7, 13


def _edit(db: Database, letter_id: str, index: int, text: str) -> service.PreparedLetter:
    with db.unit_of_work("王五") as uow:
        return service.edit_letter_paragraph(uow, letter_id, index, text)


def _audit_actions(db: Database, letter_id: str) -> list[str]:
    with db.unit_of_work() as uow:
        rows = uow._connection().exec_driver_sql(
            "SELECT action FROM audit WHERE entity_id = ? ORDER BY seq", (letter_id,)
        )
        return [r[0] for r in rows]


def _move(db: Database, address: str) -> None:
    with db.unit_of_work("王五") as uow:
        case = uow.cases.get_by_number("2026-0043")
        assert case is not None
        uow.cases.update(
            dataclasses.replace(case, applicant=dataclasses.replace(case.applicant, address=address))
        )
        uow.commit()


def test_an_edit_is_stored_with_the_text_it_replaced_and_survives_every_rebuild(office: Database) -> None:  # noqa: F811
    draft = _prepare(office, "2026-0043", "reply")
    generated = draft.letter.paragraphs[ADDRESS].text
    assert "某市某街2号" in generated and draft.letter.paragraphs[ADDRESS].editable

    edited = _edit(
        office, draft.record.id, ADDRESS, "  本机关将以纸质形式，于五个工作日内邮寄至某市某街2号。 "
    )
    assert edited.letter.paragraphs[ADDRESS].text == "本机关将以纸质形式，于五个工作日内邮寄至某市某街2号。"
    assert edited.record.extra["edits"] == {
        str(ADDRESS): {"original": generated, "text": "本机关将以纸质形式，于五个工作日内邮寄至某市某街2号。"}
    }
    assert service.edited_paragraphs(edited.record) == {ADDRESS: generated}

    # Rebuilt from the case (opening the draft again): the edit is reapplied, nothing dropped.
    again = _prepare(office, "2026-0043", "reply")
    assert again.letter.paragraphs[ADDRESS].text.startswith("本机关将以纸质形式，于五个工作日内")
    assert again.dropped == []

    # A second edit of the same paragraph still remembers the generated text, not the first edit.
    second = _edit(office, draft.record.id, ADDRESS, "第二次修改的提供方式。")
    assert second.record.extra["edits"][str(ADDRESS)]["original"] == generated
    # Rewording it back to the generated text removes the edit.
    back = _edit(office, draft.record.id, ADDRESS, generated)
    assert "edits" not in back.record.extra
    assert _audit_actions(office, draft.record.id).count("letter.edit") == 3
    assert office.verify().ok


def test_locked_paragraphs_and_bad_edits_are_refused_and_change_nothing(office: Database) -> None:  # noqa: F811
    draft = _prepare(office, "2026-0043", "reply")
    for index in (FINDING, REMEDY, 0):
        with pytest.raises(RuleError) as locked:
            _edit(office, draft.record.id, index, "删去救济途径")
        assert locked.value.kind == "paragraph_locked"
    with pytest.raises(InputError) as out_of_range:
        _edit(office, draft.record.id, 99, "x")
    assert out_of_range.value.kind == "out_of_range"
    with pytest.raises(InputError) as blank:
        _edit(office, draft.record.id, FIXED, "   ")
    assert blank.value.kind == "required"
    with pytest.raises(InputError) as long:
        _edit(office, draft.record.id, FIXED, "字" * 5001)
    assert long.value.kind == "too_long"
    with office.unit_of_work() as uow:
        stored = service.get_letter(uow, draft.record.id)
    assert stored.rev == draft.record.rev and "edits" not in stored.extra
    assert "letter.edit" not in _audit_actions(office, draft.record.id)


def test_an_edit_whose_paragraph_the_case_changed_is_dropped_with_a_warning(office: Database) -> None:  # noqa: F811
    draft = _prepare(office, "2026-0043", "reply")
    _edit(office, draft.record.id, FIXED, "经审查，现答复如下：")
    _edit(office, draft.record.id, ADDRESS, "邮寄至某市某街2号（已电话确认）。")

    _move(office, "某市新街8号")
    rebuilt = _prepare(office, "2026-0043", "reply")
    # The fixed wording's edit still applies; the address paragraph now says something else.
    assert rebuilt.letter.paragraphs[FIXED].text == "经审查，现答复如下："
    assert "某市新街8号" in rebuilt.letter.paragraphs[ADDRESS].text
    (dropped,) = rebuilt.dropped
    assert (dropped.index, dropped.text) == (ADDRESS, "邮寄至某市某街2号（已电话确认）。")
    assert "某市某街2号" in dropped.original and dropped.now == rebuilt.letter.paragraphs[ADDRESS].text
    assert set(rebuilt.record.extra["edits"]) == {str(FIXED)}

    # The warning is about that rebuild; the next one has nothing more to drop.
    assert _prepare(office, "2026-0043", "reply").dropped == []


def test_review_reapplies_the_edits_and_freezes_them_into_the_issued_letter(office: Database) -> None:  # noqa: F811
    draft = _prepare(office, "2026-0043", "reply")
    _edit(office, draft.record.id, FIXED, "经认真审查，现答复如下：")
    with office.unit_of_work("李科长") as uow:
        back = service.review_letter(
            uow, draft.record.id, reviewer="李科长", approve=False, comment="请核对邮寄地址", today=TODAY
        )
        assert back.content["paragraphs"][FIXED]["text"] == "经认真审查，现答复如下："
        assert service.dropped_edits(back) == []
        approved = service.review_letter(uow, draft.record.id, reviewer="李科长", approve=True, today=TODAY)
        with pytest.raises(RuleError) as frozen:
            service.edit_letter_paragraph(uow, draft.record.id, FIXED, "审核后再改")
        assert frozen.value.kind == "letter_status"
        issued = service.issue_letter(uow, draft.record.id, by="局长", today=TODAY)
    assert approved.status == LetterStatus.REVIEWED
    assert issued.content["paragraphs"][FIXED]["text"] == "经认真审查，现答复如下："
    with office.unit_of_work() as uow:
        pdf = service.letter_document(uow, issued.id, "pdf")
        docx = service.letter_document(uow, issued.id, "docx")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "经认真审查" in text.replace("\n", "") and issued.doc_number in text.replace("\n", "")
    assert docx[:2] == b"PK"
    assert json.dumps(issued.extra, ensure_ascii=False).count("经认真审查") == 1
