"""Cases in the store: exact round trips, bulk import, lookups, numbering and diffing updates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.codes import (
    CONFIRMATION_METHODS,
    DELIVERY_METHODS,
    ApplicantKind,
    Channel,
    Delivery,
    Finding,
    Flag,
    Form,
)
from app.domain.errors import Conflict, InputError, NotFound
from app.domain.model import (
    Agent,
    Applicant,
    Case,
    CorrectionReceived,
    CorrectionRequested,
    Delivered,
    Event,
    FeePaid,
    Item,
    Note,
    ReceiptConfirmed,
    ResponsibleOrgan,
    Terminated,
)
from app.store import Database, create_home

from .conftest import make_case


def _rows(db: Database, sql: str) -> list[Any]:
    with db.unit_of_work() as uow:
        return list(uow._connection().exec_driver_sql(sql).all())


# --------------------------------------------------------------------------- round trip


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database for the property tests; each example rolls back its unit of work."""
    import keyring

    from .conftest import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        db = create_home(tmp_path_factory.mktemp("shared") / "home", passphrase=None)
    finally:
        keyring.set_keyring(previous)
    yield db
    db.close()


_text = st.text(st.characters(codec="utf-8"), max_size=30)
_opt_text = st.none() | _text
_json_scalar = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _text
_json = st.recursive(
    _json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)
# Unknown keys: prefixed so they can never collide with a known field name.
_extra = st.dictionaries(st.text(max_size=8).map("x_{}".format), _json, max_size=3)
_dates = st.dates(dt.date(2004, 1, 1), dt.date(2030, 12, 31))

_agent = st.builds(
    Agent,
    name=_text,
    id_type=_opt_text,
    id_number=_opt_text,
    phone=_opt_text,
    authorization=_opt_text,
    extra=_extra,
)
_applicant = st.builds(
    Applicant,
    kind=st.sampled_from(ApplicantKind),
    name=_text,
    id_type=_opt_text,
    id_number=_opt_text,
    phone=_opt_text,
    email=_opt_text,
    address=_opt_text,
    agent=st.none() | _agent,
    extra=_extra,
)
_item = st.builds(
    Item,
    description=_text,
    form=st.sampled_from(Form),
    delivery=st.sampled_from(Delivery),
    doc_number=_opt_text,
    finding=st.none() | st.sampled_from(Finding),
    reasons=_opt_text,
    responsible_organ=st.none() | st.builds(ResponsibleOrgan, name=_text, contact=_opt_text, extra=_extra),
    extra=_extra,
)
_event: st.SearchStrategy[Event] = st.one_of(
    st.builds(
        ReceiptConfirmed,
        date=_dates,
        method=st.sampled_from(CONFIRMATION_METHODS),
        by=_opt_text,
        extra=_extra,
    ),
    st.builds(CorrectionRequested, date=_dates, period_end=_dates, extra=_extra),
    st.builds(CorrectionReceived, date=_dates, extra=_extra),
    st.builds(FeePaid, date=_dates, extra=_extra),
    st.builds(
        Delivered,
        date=_dates,
        method=st.sampled_from(DELIVERY_METHODS),
        tracking=_opt_text,
        received=st.none() | _dates,
        extra=_extra,
    ),
)
_case = st.builds(
    Case,
    id=st.uuids().map(str),
    number=st.text(min_size=1, max_size=20),
    channel=st.sampled_from(Channel),
    received=st.none() | _dates,
    applicant=_applicant,
    items=st.lists(_item, min_size=1, max_size=3).map(tuple),
    events=st.lists(_event, max_size=5).map(tuple),
    arrived=st.none() | _dates,
    oral_filled_by=_opt_text,
    assistance=_opt_text,
    clerk=_opt_text,
    outcome=st.none() | st.sampled_from(Finding),
    outcome_reason=_opt_text,
    tags=st.lists(_text, max_size=3).map(tuple),
    flags=st.lists(st.sampled_from(Flag), max_size=3, unique=True).map(tuple),
    notes=st.lists(st.builds(Note, date=_dates, by=_text, text=_text, extra=_extra), max_size=3).map(tuple),
    extra=_extra,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_case)
def test_any_case_reads_back_equal(shared_db: Database, case: Case) -> None:
    with shared_db.unit_of_work() as uow:
        uow.cases.add(case)
        # A case registered without a clerk (经办人) is the registering actor's.
        stored = case if case.clerk is not None else dataclasses.replace(case, clerk="system")
        assert uow.cases.get(case.id) == stored
        assert uow.cases.get_by_number(case.number) == stored
        assert list(uow.cases.iter_all()) == [stored]


def test_rich_case_reads_back_equal(db: Database) -> None:
    case = make_case()
    with db.unit_of_work() as uow:
        uow.cases.add(case)
        uow.commit()
    with db.unit_of_work() as uow:
        got = uow.cases.get(case.id)
    assert got == case
    assert got is not None and got.items[1].responsible_organ == case.items[1].responsible_organ
    assert got.applicant.agent is not None and got.applicant.agent.extra == {"律所": "某所"}


# --------------------------------------------------------------------------- bulk and lookups


def _many(n: int, year: int = 2025) -> list[Case]:
    return [
        make_case(f"{year}-{i:04d}", case_id=str(uuid.uuid4()), notes=(), tags=(f"标签{i}",))
        for i in range(1, n + 1)
    ]


def test_add_many_and_read_in_number_order(db: Database) -> None:
    cases = _many(2500)
    shuffled = cases[1::2] + cases[::2]
    with db.unit_of_work("importer") as uow:
        assert uow.cases.add_many(iter(shuffled)) == len(cases)
        uow.commit()
    with db.unit_of_work(read_only=True) as uow:
        assert uow.cases.count() == len(cases)
        assert list(uow.cases.iter_all(batch_size=300)) == cases
        wanted = [cases[5].id, cases[2000].id, "missing"]
        assert uow.cases.get_many(wanted) == {cases[5].id: cases[5], cases[2000].id: cases[2000]}
    # One audit entry and one outbox row per case, in the same transaction.
    assert _rows(db, "SELECT count(*) FROM audit")[0][0] == len(cases)
    assert _rows(db, "SELECT count(*), min(op), max(op) FROM outbox WHERE entity = 'case'")[0] == (
        len(cases),
        "insert",
        "insert",
    )


def test_find_existing_reports_ids_and_numbers(db: Database) -> None:
    a, b = make_case("2026-0001"), make_case("2026-0002")
    with db.unit_of_work() as uow:
        uow.cases.add_many([a, b])
        found = uow.cases.find_existing([a.id, "nope"], ["2026-0002", "2026-9999"])
    assert found == ({a.id}, {"2026-0002"})


@pytest.mark.parametrize(
    ("stored", "year", "expected"),
    [
        pytest.param([], 2026, "2026-0001", id="empty-year"),
        pytest.param(["2026-0009", "2026-0010", "2025-0500"], 2026, "2026-0011", id="max-plus-one"),
        pytest.param(["2026-0009", "2026-A100", "2026-00x"], 2026, "2026-0010", id="ignores-non-numeric"),
        pytest.param(["2026-9999"], 2026, "2026-10000", id="grows-past-4-digits"),
        pytest.param(["2025-0042"], 2026, "2026-0001", id="other-year-only"),
    ],
)
def test_next_number(db: Database, stored: list[str], year: int, expected: str) -> None:
    with db.unit_of_work() as uow:
        uow.cases.add_many(make_case(n, case_id=str(uuid.uuid4())) for n in stored)
        assert uow.cases.next_number(year) == expected


def test_next_number_rejects_odd_years(db: Database) -> None:
    with db.unit_of_work() as uow, pytest.raises(InputError):
        uow.cases.next_number(99)


@pytest.mark.parametrize("field", ["id", "number"])
def test_duplicate_id_or_number_is_a_conflict(db: Database, field: str) -> None:
    first = make_case("2026-0001")
    second = (
        make_case("2026-0002", case_id=first.id) if field == "id" else make_case("2026-0001", case_id="other")
    )
    with db.unit_of_work() as uow:
        uow.cases.add(first)
        with pytest.raises(Conflict) as err:
            uow.cases.add(second)
    assert err.value.kind == "case_exists"
    assert err.value.params["field"] == field


# --------------------------------------------------------------------------- update


def _stored(db: Database, case: Case) -> None:
    with db.unit_of_work() as uow:
        uow.cases.add(case)
        uow.commit()


def test_update_changes_fields_with_rev_outbox_and_audit(db: Database) -> None:
    case = make_case()
    _stored(db, case)
    applicant = dataclasses.replace(case.applicant, phone="13900000000")
    item = dataclasses.replace(case.items[0], reasons="新的理由")
    changed = dataclasses.replace(case, applicant=applicant, items=(item, case.items[1]), tags=("改",))
    with db.unit_of_work("clerk") as uow:
        assert uow.cases.update(changed) is True
        uow.commit()
    with db.unit_of_work() as uow:
        assert uow.cases.get(case.id) == changed
    assert _rows(db, f"SELECT rev FROM cases WHERE id = '{case.id}'") == [(2,)]
    assert sorted(r[0] for r in _rows(db, "SELECT rev FROM items")) == [1, 2]

    out = _rows(db, "SELECT entity, op, base_rev, changes FROM outbox WHERE op = 'update' ORDER BY seq")
    assert [(e, op, base) for e, op, base, _ in out] == [("case", "update", 1), ("item", "update", 1)]
    assert json.loads(out[0][3]) == {
        "applicant_phone": {"old": "13800000000", "new": "13900000000"},
        "tags": {"old": ["土地征收", "重点"], "new": ["改"]},
    }
    assert json.loads(out[1][3]) == {"reasons": {"old": "涉及第三方商业秘密", "new": "新的理由"}}
    (audit,) = _rows(db, "SELECT actor, action, entity_id, payload FROM audit WHERE action = 'case.update'")
    assert audit[:3] == ("clerk", "case.update", case.id)
    assert json.loads(audit[3])["changes"][0]["changes"]["applicant_phone"]["new"] == "13900000000"


def test_update_without_changes_writes_nothing(db: Database) -> None:
    case = make_case()
    _stored(db, case)
    before = _rows(db, "SELECT (SELECT count(*) FROM audit), (SELECT count(*) FROM outbox)")
    with db.unit_of_work() as uow:
        assert uow.cases.update(make_case()) is False
        uow.commit()
    assert _rows(db, "SELECT (SELECT count(*) FROM audit), (SELECT count(*) FROM outbox)") == before


def test_events_and_notes_are_appended_even_when_dated_earlier(db: Database) -> None:
    case = make_case()
    _stored(db, case)
    late = FeePaid(date=dt.date(2026, 10, 1))  # lands between existing events in date order
    note = Note(date=dt.date(2026, 10, 2), by="赵六", text="补充说明")
    updated = dataclasses.replace(case.with_events(late), notes=(*case.notes, note))
    assert updated.events.index(late) < len(updated.events) - 1
    with db.unit_of_work() as uow:
        assert uow.cases.update(updated)
        uow.commit()
    with db.unit_of_work() as uow:
        assert uow.cases.get(case.id) == updated
    ops = _rows(db, "SELECT entity, op, changes FROM outbox WHERE op = 'insert' AND entity != 'case'")
    assert sorted((e, op) for e, op, _ in ops) == [("event", "insert"), ("note", "insert")]


@pytest.mark.parametrize("how", ["edit", "remove", "reorder"])
def test_existing_events_are_immutable(db: Database, how: str) -> None:
    case = make_case()
    _stored(db, case)
    events = list(case.events)
    if how == "edit":
        events[0] = ReceiptConfirmed(date=events[0].date, method="电话", by="别人")
    elif how == "remove":
        del events[2]
    else:
        events[0], events[1] = events[1], events[0]
    with db.unit_of_work() as uow, pytest.raises(Conflict) as err:
        uow.cases.update(dataclasses.replace(case, events=tuple(events)))
    assert err.value.kind == "event_immutable"


def test_existing_notes_are_immutable(db: Database) -> None:
    case = make_case()
    _stored(db, case)
    with db.unit_of_work() as uow, pytest.raises(Conflict) as err:
        uow.cases.update(dataclasses.replace(case, notes=()))
    assert err.value.kind == "note_immutable"


def test_items_can_be_added_and_removed(db: Database) -> None:
    case = make_case()
    _stored(db, case)
    extra_item = Item(description="新增事项", form=Form.OTHER, delivery=Delivery.OTHER)
    with db.unit_of_work() as uow:
        uow.cases.update(dataclasses.replace(case, items=(*case.items, extra_item)))
        shorter = dataclasses.replace(case, items=case.items[:1])
        uow.cases.update(shorter)
        assert uow.cases.get(case.id) == shorter
        uow.commit()
    ops = _rows(db, "SELECT op, changes FROM outbox WHERE entity = 'item' ORDER BY seq")
    assert [op for op, _ in ops] == ["insert", "delete", "delete"]
    assert json.loads(ops[1][1])["description"] == {"old": "征收土地公告", "new": None}


def test_updating_an_unknown_case(db: Database) -> None:
    with db.unit_of_work() as uow, pytest.raises(NotFound):
        uow.cases.update(make_case())


def test_due_cache_is_stored_without_audit(db: Database) -> None:
    a, b = make_case("2026-0001"), make_case("2026-0002")
    with db.unit_of_work() as uow:
        uow.cases.add_many([a, b])
        uow.cases.set_due_cache({a.id: dt.date(2026, 10, 14), b.id: None})
        with pytest.raises(NotFound):
            uow.cases.set_due_cache({"no-such-case": None})
        uow.commit()
    assert _rows(db, "SELECT number, due_cache, rev FROM cases ORDER BY number") == [
        ("2026-0001", "2026-10-14", 1),
        ("2026-0002", None, 1),
    ]
    assert _rows(db, "SELECT count(*) FROM audit") == [(2,)]


def test_iter_open_skips_concluded_cases(db: Database) -> None:
    concluded = make_case("2026-0001")  # has a replied event
    running = make_case("2026-0002", events=concluded.events[:3])
    terminated = make_case(
        "2026-0003", events=(Terminated(date=dt.date(2026, 9, 20), outcome=Finding.OTHER_NO_CORRECTION),)
    )
    waiting = make_case("2026-0004", events=())
    with db.unit_of_work() as uow:
        uow.cases.add_many([waiting, terminated, running, concluded])
        assert [c.number for c in uow.cases.iter_open(batch_size=1)] == ["2026-0002", "2026-0004"]


# --------------------------------------------------------------------------- append-only in the schema


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE events SET payload = '{}'",
        "DELETE FROM events",
        "UPDATE notes SET text = 'x'",
        "DELETE FROM notes",
        "UPDATE audit SET actor = 'x'",
        "DELETE FROM audit",
    ],
)
def test_append_only_tables_refuse_changes(db: Database, sql: str) -> None:
    _stored(db, make_case())
    with db.unit_of_work() as uow, pytest.raises(sa.exc.IntegrityError, match="append_only"):
        uow._connection().exec_driver_sql(sql)


def test_only_the_display_order_of_events_may_move(db: Database) -> None:
    _stored(db, make_case())
    with db.unit_of_work() as uow:
        uow._connection().exec_driver_sql("UPDATE events SET position = position + 1")


def test_plaintext_mode_uses_the_same_code(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    with Database.create_plaintext(path) as db, db.unit_of_work() as uow:
        uow.cases.add(make_case())
        uow.commit()
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    with Database.open_plaintext(path) as db, db.unit_of_work() as uow:
        assert uow.cases.get_by_number("2026-0001") == make_case()
