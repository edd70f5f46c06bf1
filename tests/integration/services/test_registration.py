"""Registration (app.services.registration) on a real encrypted database: receipt rules, checks, duplicates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import bootstrap
from app.domain.model import Agency
from app.services.registration import (
    APPLICATION_KIND,
    Attachment,
    Confirmation,
    ItemForm,
    RegistrationForm,
    check_registration,
    find_similar,
    prepare_duplicate_check,
    register_case,
)
from app.store.database import Database

TODAY = dt.date(2026, 9, 16)
AGENCY = Agency(name="某区自然资源局", kind="department", level="county", short_name="某区", court="某法院")
FORM = RegistrationForm(
    channel="in_person",
    received=TODAY,
    name="张三",
    id_type="居民身份证",
    id_number="110101199001011234",
    phone="138-0000-0000",
    items=(ItemForm("2025年某村土地征收补偿安置方案", form="paper", delivery="post"),),
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    home = tmp_path / "home"
    bootstrap.initialize(home, passphrase="登记测试", agency=AGENCY, actor="测试")
    with bootstrap.open_database(home, lambda: "登记测试") as database:
        yield database


def test_in_person_is_received_the_day_handed_in_with_a_number_and_the_scan(db: Database) -> None:
    with db.unit_of_work("测试") as uow:
        case = register_case(
            uow, FORM, today=TODAY, attachment=Attachment(b"%PDF scan", "申请表.pdf", "application/pdf")
        )
        (ref,) = uow.attachments.list_for_case(case.id)
    assert (case.number, case.received, case.arrived) == ("2026-0001", TODAY, TODAY)
    assert ref.kind == APPLICATION_KIND and ref.name == "申请表.pdf"
    with db.unit_of_work("测试") as uow:
        assert register_case(uow, FORM, today=TODAY).number == "2026-0002"


def test_email_awaits_confirmation_or_takes_the_confirmation_day(db: Database) -> None:
    waiting = RegistrationForm(**{**FORM.__dict__, "channel": "email", "received": None, "arrived": TODAY})
    with db.unit_of_work("测试") as uow:
        case = register_case(uow, waiting, today=TODAY)
    assert case.received is None and case.events == ()
    confirmed = RegistrationForm(
        **{
            **waiting.__dict__,
            "arrived": dt.date(2026, 9, 15),
            "confirmation": Confirmation(TODAY, "电话", "李四"),
        }
    )
    with db.unit_of_work("测试") as uow:
        case = register_case(uow, confirmed, today=TODAY)
    assert case.received == TODAY and case.events[0].TYPE == "receipt_confirmed"


def test_check_reports_every_field_and_the_law_s_warnings() -> None:
    form = RegistrationForm(
        channel="oral",
        received=dt.date(2026, 9, 17),
        name="",
        items=(ItemForm(""), ItemForm("某文件", form="paper")),
    )
    check = check_registration(form, TODAY)
    fields = {e.field: e.kind for e in check.errors}
    assert fields == {
        "applicant.name": "required",
        "items.0.description": "required",
        "received": "date_in_future",
        "oral_filled_by": "oral_filled_by_required",
    }
    assert {w.kind for w in check.warnings} == {"missing_identity", "missing_contact"}
    assert check_registration(FORM, TODAY).ok and not check_registration(FORM, TODAY).warnings


def test_duplicates_by_id_name_phone_and_similar_text(db: Database) -> None:
    with db.unit_of_work("测试") as uow:
        register_case(uow, FORM, today=TODAY)
        other = RegistrationForm(
            **{
                **FORM.__dict__,
                "name": "李四",
                "id_number": "",
                "phone": "13900000000",
                "items": (ItemForm("某项目环评批复"),),
            }
        )
        register_case(uow, other, today=TODAY)
    with db.unit_of_work("测试") as uow:
        check = prepare_duplicate_check(uow, TODAY)
    assert len(check) == 2

    def find(form: RegistrationForm) -> list[tuple[str, tuple[str, ...]]]:
        with db.unit_of_work("测试", read_only=True) as uow:
            found = [(s.number, s.reasons) for s in find_similar(uow, form, check)]
            # Without the check prepared: the same (the search index is current already).
            assert [(s.number, s.reasons) for s in find_similar(uow, form)] == found
        return found

    assert find(RegistrationForm(name="王五", id_number=" 110101199001011234 ")) == [
        ("2026-0001", ("同一证件号码",))
    ]
    assert find(RegistrationForm(name="李四", phone="139 0000 0000")) == [("2026-0002", ("同一姓名和电话",))]
    assert find(RegistrationForm(name="李四", phone="13900000001")) == []  # a namesake
    similar = find(RegistrationForm(name="赵六", items=(ItemForm("2025年某村土地征收补偿安置方案及附件"),)))
    assert similar == [("2026-0001", ("申请内容相近（84%）",))]
    assert find(RegistrationForm(name="赵六", items=(ItemForm("某某局年度预算"),))) == []
    # A case registered after the check was prepared: the applicant is found at once, its text once
    # the search index has been brought up to date again (when the form is cleared for the next one).
    with db.unit_of_work("测试") as uow:
        later = dataclasses.replace(
            FORM, name="周九", id_number="310101199202023456", items=(ItemForm("某村规划"),)
        )
        register_case(uow, later, today=TODAY)
    assert find(RegistrationForm(name="某人", id_number="310101199202023456")) == [
        ("2026-0003", ("同一证件号码",))
    ]
    with db.unit_of_work("测试") as uow:
        register_case(
            uow,
            dataclasses.replace(
                FORM,
                name="钱七",
                id_number="",
                phone="",
                email="q@example.com",
                items=(ItemForm("某街道2026年城市更新项目征收补偿方案"),),
            ),
            today=TODAY,
        )
    text = RegistrationForm(name="孙八", items=(ItemForm("某街道2026年城市更新项目征收补偿方案"),))
    assert find(text) == []
    with db.unit_of_work("测试") as uow:
        check = prepare_duplicate_check(uow, TODAY, check)  # 登记下一件
    assert len(check) == 4
    assert find(text) == [("2026-0004", ("申请内容相近（100%）",))]
    assert find(RegistrationForm(name="某人", id_number="310101199202023456")) == [
        ("2026-0003", ("同一证件号码",))
    ]
