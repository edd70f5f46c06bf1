"""The registration's duplicate/repeat warning over a few thousand cases: found through the search
index and the applicant look-up, without reading every case. Times are printed (``pytest -s``), not
asserted: the machine is shared."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import bootstrap
from app.domain.caseformat import parse_case
from app.domain.model import Agency
from app.services.cases import import_cases
from app.services.registration import (
    DuplicateCheck,
    ItemForm,
    RegistrationForm,
    find_similar,
    prepare_duplicate_check,
)
from app.store.database import Database
from benchmarks.casegen import generate_cases

N = 4000
TODAY = dt.date(2026, 1, 20)
AGENCY = Agency(name="某区自然资源局", kind="department", level="county", short_name="某区", court="某法院")
# Texts and an applicant the generated cases never have (casegen's topics and names differ).
PLANTED_TEXT = "白鹭湾片区2023年农村危房改造补助对象名单及公示材料"
PLANTED = {
    "format": "yishen-case/1",
    "number": "2025-900001",
    "channel": "in_person",
    "received": "2025-11-03",
    "applicant": {
        "kind": "natural_person",
        "name": "欧阳明远",
        "id_type": "居民身份证",
        "id_number": "11010119800101123X",
        "phone": "13912345678",
    },
    "items": [{"description": PLANTED_TEXT, "form": "paper", "delivery": "post"}],
}


@dataclasses.dataclass(frozen=True)
class _Line:
    line: int
    case: Any
    error: Any = None


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    home: Path = tmp_path_factory.mktemp("dup_scale") / "home"
    bootstrap.initialize(home, passphrase="重复检查规模", agency=AGENCY, actor="测试")
    with bootstrap.open_database(home, lambda: "重复检查规模") as database:
        lines = [_Line(i + 1, parse_case(obj)) for i, obj in enumerate(generate_cases(N))]
        lines.append(_Line(N + 1, parse_case(PLANTED)))
        with database.unit_of_work("测试") as uow:
            report = import_cases(uow, lines, skip_invalid=False, source="gen", today=TODAY)
            assert report.ok, report.errors[:3]
        yield database


def _timed_find(
    db: Database, form: RegistrationForm, check: DuplicateCheck | None
) -> tuple[list[tuple[str, tuple[str, ...]]], float]:
    with db.unit_of_work("测试", read_only=True) as uow:
        t0 = time.perf_counter()
        found = find_similar(uow, form, check)
        elapsed = time.perf_counter() - t0
    return [(s.number, s.reasons) for s in found], elapsed


def test_similar_text_and_same_applicant_among_thousands(db: Database) -> None:
    t0 = time.perf_counter()
    with db.unit_of_work("测试") as uow:
        check = prepare_duplicate_check(uow, TODAY)
    first_prepare = time.perf_counter() - t0
    t0 = time.perf_counter()
    with db.unit_of_work("测试") as uow:
        check = prepare_duplicate_check(uow, TODAY)
    again = time.perf_counter() - t0
    t0 = time.perf_counter()
    with db.unit_of_work("测试") as uow:
        assert len(prepare_duplicate_check(uow, TODAY, check)) == len(check)
    kept = time.perf_counter() - t0
    assert len(check) == N + 1
    t0 = time.perf_counter()
    with db.unit_of_work("测试", read_only=True) as uow:
        read_all = sum(1 for _ in uow.cases.iter_all())
    every_case = time.perf_counter() - t0
    assert read_all == N + 1

    # A reworded request of the planted case, by someone else.
    reworded = RegistrationForm(name="林晓", items=(ItemForm("白鹭湾片区2023年农村危房改造补助对象名单"),))
    similar, t_text = _timed_find(db, reworded, check)
    assert similar == [("2025-900001", ("申请内容相近（81%）",))]
    # The same applicant by identity number (written with a lower-case x and spaces), another request;
    # then by one pass over every case (what the look-up did before its index, 0005), for comparison.
    by_id = RegistrationForm(
        name="欧阳明远", id_number=" 11010119800101123x", items=(ItemForm("某路灯维修记录"),)
    )
    same_id, t_id = _timed_find(db, by_id, check)
    assert same_id == [("2025-900001", ("同一证件号码",))]
    t0 = time.perf_counter()
    with db.unit_of_work("测试", read_only=True) as uow:
        scanned = (
            uow._connection()
            .exec_driver_sql(
                "SELECT number FROM cases WHERE upper(replace(applicant_id_number, ' ', '')) = ?",
                ("11010119800101123X",),
            )
            .all()
        )
    t_scan = time.perf_counter() - t0
    assert scanned == [("2025-900001",)]
    # The same name and phone number; then both and the text: most reasons first.
    same_phone, t_phone = _timed_find(db, RegistrationForm(name="欧阳明远", phone="139-1234-5678"), check)
    assert same_phone == [("2025-900001", ("同一姓名和电话",))]
    everything, t_all = _timed_find(
        db,
        RegistrationForm(
            name="欧阳明远",
            phone="13912345678",
            id_number="11010119800101123X",
            items=(ItemForm(PLANTED_TEXT),),
        ),
        check,
    )
    assert everything[0] == ("2025-900001", ("同一证件号码", "同一姓名和电话", "申请内容相近（100%）"))
    # A common request (casegen repeats its topics): several earlier cases, each really alike.
    common_text = RegistrationForm(name="林晓", items=(ItemForm("东城村集体土地征收补偿安置方案"),))
    common, t_common = _timed_find(db, common_text, check)
    assert len(common) == 8 and all(r[0].startswith("申请内容相近") for _, r in common)
    nothing, t_none = _timed_find(
        db, RegistrationForm(name="林晓", items=(ItemForm("某某局机关食堂采购合同"),)), check
    )
    assert nothing == []

    print(
        f"\n{N + 1} 件：首次准备（建立检索索引）{first_prepare * 1000:.0f} ms，"
        f"再次准备 {again * 1000:.1f} ms（沿用上次 {kept * 1000:.1f} ms）；（旧方式）读取全部案件 {every_case * 1000:.0f} ms\n"
        f"查找：相近内容 {t_text * 1000:.1f} ms，同一证件号码 {t_id * 1000:.1f} ms（不用索引逐件比较 {t_scan * 1000:.1f} ms），"
        f"同一姓名和电话 {t_phone * 1000:.1f} ms，三者 {t_all * 1000:.1f} ms，"
        f"常见内容 {t_common * 1000:.1f} ms，无相近 {t_none * 1000:.1f} ms"
    )
