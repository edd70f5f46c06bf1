"""The unit of work keeps nothing unless committed: rollback must really roll back (design.md §9)."""

from __future__ import annotations

import pytest

from app.domain.errors import StoreError
from app.store import Database

from .conftest import make_case


def _counts(db: Database) -> tuple[int, ...]:
    with db.unit_of_work(read_only=True) as uow:
        conn = uow._connection()
        return tuple(
            conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()
            for t in ("cases", "items", "events", "notes", "audit", "outbox", "settings")
        )


EMPTY = (0, 0, 0, 0, 0, 0, 0)


def test_explicit_rollback_leaves_no_rows(db: Database) -> None:
    with db.unit_of_work() as uow:
        uow.cases.add(make_case())
        uow.settings.put("agency", {"name": "某局"})
        assert uow.cases.count() == 1
        uow.rollback()
        assert uow.cases.count() == 0
    assert _counts(db) == EMPTY


def test_leaving_the_block_without_commit_keeps_nothing(db: Database) -> None:
    with db.unit_of_work() as uow:
        uow.cases.add(make_case())
    assert _counts(db) == EMPTY


def test_an_exception_inside_the_block_keeps_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"), db.unit_of_work() as uow:
        uow.cases.add(make_case())
        raise RuntimeError("boom")
    assert _counts(db) == EMPTY


def test_commit_keeps_and_a_later_rollback_only_drops_what_followed(db: Database) -> None:
    with db.unit_of_work() as uow:
        uow.cases.add(make_case("2026-0001"))
        uow.commit()
        uow.cases.add(make_case("2026-0002"))
    with db.unit_of_work() as uow:
        assert uow.cases.find_existing([], ["2026-0001", "2026-0002"]) == (set(), {"2026-0001"})
    # The audit chain continued correctly across the commit inside one unit.
    assert db.verify().ok


def test_read_only_unit_refuses_writes(db: Database) -> None:
    with db.unit_of_work(read_only=True) as uow:
        with pytest.raises(StoreError) as err:
            uow.cases.add(make_case())
        assert err.value.kind == "read_only_unit"
        assert uow.cases.count() == 0


def test_unit_is_only_usable_inside_its_block(db: Database) -> None:
    uow = db.unit_of_work()
    with pytest.raises(RuntimeError):
        uow.commit()


def test_a_full_disk_is_an_io_error_and_keeps_nothing(db: Database) -> None:
    with db.unit_of_work() as uow:
        conn = uow._connection()
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        # SQLite's own size cap gives the same SQLITE_FULL a full disk would.
        conn.exec_driver_sql(f"PRAGMA max_page_count = {pages + 3}")
        try:
            with pytest.raises(StoreError) as err:
                uow.cases.add_many(make_case(f"2026-{i:04d}") for i in range(1, 500))
        finally:
            conn.exec_driver_sql("PRAGMA max_page_count = 1073741823")
    assert err.value.kind == "io"
    assert err.value.params["detail"] == "disk_full"
    assert _counts(db) == EMPTY
