"""The bulk import's row builders and encoders give exactly what the general (field-dict) path gives."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.caseformat import parse_case
from app.store import Database, tables
from app.store.codec import (
    CASE_JSON_FIELDS,
    ITEM_JSON_FIELDS,
    NOTE_JSON_FIELDS,
    case_fields,
    case_row,
    encode,
    event_fields,
    event_payload,
    item_fields,
    item_row,
    note_fields,
    note_row,
)
from app.store.journal import dumps
from app.sync.chain import canonical_json
from tests.unit.domain.casegen import json_values, valid_cases

from .conftest import make_case

AT = "2026-11-23T08:00:00.000000+00:00"
DEVICE = "0193e0b2-0000-7000-8000-000000000000"


def _columns(table: Any, values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values[c.name] for c in table.columns)


def _assert_rows_match(case: Any) -> None:
    expected_case = encode(case_fields(case), CASE_JSON_FIELDS)
    expected_case.update(id=case.id, rev=1, created_at=AT, updated_at=AT, due_cache=None)
    assert case_row(case, AT) == _columns(tables.cases, expected_case)
    for pos, item in enumerate(case.items):
        expected = encode(item_fields(item), ITEM_JSON_FIELDS)
        expected.update(id="i", case_id=case.id, position=pos, rev=1)
        assert item_row("i", case.id, pos, item) == _columns(tables.items, expected)
    for event in case.events:
        assert event_payload(event) == dumps(event_fields(event)["payload"])
    for pos, note in enumerate(case.notes):
        expected = encode(note_fields(note), NOTE_JSON_FIELDS)
        expected.update(id="n", case_id=case.id, position=pos, created_at=AT, device_id=DEVICE)
        assert note_row("n", case.id, pos, note, AT, DEVICE) == _columns(tables.notes, expected)


def test_rich_case_rows() -> None:
    _assert_rows_match(make_case())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(obj=valid_cases())
def test_rows_of_any_valid_case(obj: dict[str, Any]) -> None:
    _assert_rows_match(parse_case(obj))


@settings(max_examples=300, deadline=None)
@given(value=json_values | st.floats(allow_nan=True) | st.dictionaries(st.text(), json_values))
def test_encoders_write_what_json_dumps_writes(value: Any) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert canonical_json(value) == json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )


def test_audit_payloads_of_added_cases_are_canonical(db: Database) -> None:
    numbers = ['2026-"1"', "2026\\2", "二〇二六-3\u2028", "2026-0004"]
    with db.unit_of_work("张三") as uow:
        uow.cases.add_many([make_case(n) for n in numbers])
        uow.commit()
    with db.unit_of_work() as uow:
        rows = uow._connection().exec_driver_sql("SELECT payload FROM audit ORDER BY seq").scalars().all()
    assert [json.loads(p)["number"] for p in rows] == numbers
    assert all(p == canonical_json(json.loads(p)) for p in rows)
    assert db.verify().first_broken_seq is None
