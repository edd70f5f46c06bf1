"""The duplicate check's identity-number look-up through ``ix_cases_applicant_id`` (0005), and the
case ``register_case`` returns: on a real encrypted database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import bootstrap
from app.domain.model import Agency
from app.services.cases import edit_case, get_case
from app.services.registration import (
    DuplicateCheck,
    ItemForm,
    RegistrationForm,
    find_similar,
    prepare_duplicate_check,
    register_case,
)
from app.store.database import Database
from app.store.similar import id_keys
from app.store.tables import applicant_id_key

TODAY = dt.date(2026, 9, 16)
AGENCY = Agency(name="某区自然资源局", kind="department", level="county", short_name="某区", court="某法院")
FORM = RegistrationForm(
    channel="in_person",
    received=TODAY,
    name="张三",
    id_type="居民身份证",
    id_number="110101199001011234",
    phone="138-0000-0000",
    items=(ItemForm("2025年某村土地征收补偿安置方案"),),
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    home = tmp_path / "home"
    bootstrap.initialize(home, passphrase="证件号码索引", agency=AGENCY, actor="登记员甲")
    with bootstrap.open_database(home, lambda: "证件号码索引") as database:
        yield database


def _by_id(
    db: Database, id_number: str, check: DuplicateCheck | None = None
) -> list[tuple[str, tuple[str, ...]]]:
    form = RegistrationForm(name="某人", id_number=id_number)
    with db.unit_of_work("登记员甲", read_only=True) as uow:
        return [(s.number, s.reasons) for s in find_similar(uow, form, check)]


def test_an_id_number_corrected_in_an_older_case_is_found_at_once(db: Database) -> None:
    with db.unit_of_work("登记员甲") as uow:
        short = dataclasses.replace(FORM, id_number="11010119900101123")  # a digit left out
        register_case(uow, short, today=TODAY)
        register_case(
            uow, dataclasses.replace(FORM, name="李四", id_number="220102198505056789"), today=TODAY
        )
    with db.unit_of_work("登记员甲") as uow:
        check = prepare_duplicate_check(uow, TODAY)  # the form opened: kept while the clerk types
    assert _by_id(db, "110101199001011234", check) == []
    # Meanwhile, on the case screen or by ``case edit``, the older case's number is corrected.
    with db.unit_of_work("登记员甲") as uow:
        edit_case(uow, "2026-0001", sets=[("applicant.id_number", "110101 19900101 1234")])
    assert _by_id(db, "110101199001011234", check) == [("2026-0001", ("同一证件号码",))]
    # And the number it had is no longer found; the other case's never changed.
    assert _by_id(db, "11010119900101123", check) == []
    assert _by_id(db, "220102198505056789", check) == [("2026-0002", ("同一证件号码",))]


def test_white_space_and_case_are_ignored_as_the_check_compares(db: Database) -> None:
    stored = {
        "2026-0001": "11010119900101123x",  # lower-case x
        "2026-0002": "\u3000310101 19920202\t3456 ",  # full-width space, space, tab
        "2026-0003": "44030119880808001ｘ",  # full-width lower-case x (typed in full-width mode)
        "2026-0004": "e12345678",  # a passport number in lower case
    }
    with db.unit_of_work("登记员甲") as uow:
        for number in stored.values():
            register_case(uow, dataclasses.replace(FORM, id_number=number), today=TODAY)
    with db.unit_of_work("登记员甲", read_only=True) as uow:
        assert {n: get_case(uow, n).applicant.id_number for n in stored} == stored  # kept as typed
    found = {"同一证件号码"}
    assert _by_id(db, "11010119900101123X") == [("2026-0001", tuple(found))]
    assert _by_id(db, " 310101199202023456") == [("2026-0002", tuple(found))]
    assert _by_id(db, "44030119880808001Ｘ") == [("2026-0003", tuple(found))]
    assert _by_id(db, "44030119880808001ｘ") == [("2026-0003", tuple(found))]
    assert _by_id(db, "44030119880808001X") == []  # an ASCII X is another character, as before
    assert _by_id(db, "E 1234 5678") == [("2026-0004", tuple(found))]
    assert _by_id(db, "E1234567") == []


def test_the_look_up_reads_the_index(db: Database) -> None:
    with db.unit_of_work("登记员甲", read_only=True) as uow:
        conn = uow._connection()
        plan = conn.exec_driver_sql(
            f"EXPLAIN QUERY PLAN SELECT number, id FROM cases WHERE {applicant_id_key()} IN (?, ?)",
            ("A", "B"),
        ).all()
        # The key as SQLite computes it is the key Python compares, for every kind of white space.
        raw = "\u3000ab\u00a0c\u2009d\ne\u205f1\x0b"
        key = conn.exec_driver_sql(f"SELECT {applicant_id_key('?1')}", (raw,)).scalar_one()
    assert "USING INDEX ix_cases_applicant_id" in " ".join(str(r[-1]) for r in plan)
    assert key == "".join(raw.split()).upper() == "ABCDE1"


def test_the_keys_looked_up_for_a_number_with_letters_outside_ascii() -> None:
    assert id_keys("110101199001011234") == ["110101199001011234"]
    assert sorted(id_keys("1Ｘ") or []) == ["1Ｘ", "1ｘ"]
    assert len(id_keys("ＡＢＣＤＥＦ") or []) == 64
    assert id_keys("ＡＢＣＤＥＦＧ") is None  # too many: the look-up compares every number instead


def test_too_many_variants_fall_back_to_comparing_every_number(db: Database) -> None:
    with db.unit_of_work("登记员甲") as uow:
        register_case(uow, dataclasses.replace(FORM, id_number="ａｂｃｄｅｆｇ 1"), today=TODAY)
    assert _by_id(db, "ＡＢＣＤＥＦＧ1") == [("2026-0001", ("同一证件号码",))]


def test_register_case_returns_the_case_as_stored_with_its_clerk(db: Database) -> None:
    with db.unit_of_work("登记员乙") as uow:
        case = register_case(uow, FORM, today=TODAY)
    with db.unit_of_work("登记员甲", read_only=True) as uow:
        stored = get_case(uow, case.number)
    assert case.clerk == "登记员乙" and case == stored
