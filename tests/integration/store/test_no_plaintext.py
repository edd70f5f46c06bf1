"""Nothing a clerk typed may appear in any file of the home folder: database, WAL, backups, descriptor."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from app.domain.model import Agent, Note
from app.store import create_home

from .conftest import PASSPHRASE, make_case

MARKER = "标记XQZ7泄露检查"


def _leaks(home: Path) -> list[str]:
    needles = [MARKER.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    needles += [n.encode("utf-8") for n in ("XQZ7",)]  # the ASCII core alone, in case of other encodings
    found = []
    for path in sorted(home.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {n!r}" for n in needles if n in data]
    return found


def _marked_case(i: int) -> object:
    case = make_case(f"2026-{i:04d}")
    applicant = dataclasses.replace(
        case.applicant,
        name=f"{MARKER}姓名",
        address=f"{MARKER}地址",
        phone=f"{MARKER}电话",
        agent=Agent(name=f"{MARKER}代理人", extra={"x": MARKER}),
        extra={"备注": MARKER},
    )
    item = dataclasses.replace(
        case.items[0], description=f"{MARKER}事项", reasons=f"{MARKER}理由", extra={"k": MARKER}
    )
    return dataclasses.replace(
        case,
        applicant=applicant,
        items=(item, *case.items[1:]),
        tags=(MARKER,),
        notes=(Note(date=dt.date(2026, 9, 17), by=MARKER, text=f"{MARKER}笔记"),),
        assistance=MARKER,
        extra={"marker": MARKER},
    )


def test_marker_never_reaches_the_disk_in_clear(home: Path, tmp_path: Path) -> None:
    with create_home(home, passphrase=PASSPHRASE) as db:
        with db.unit_of_work(MARKER) as uow:
            uow.cases.add_many([_marked_case(i) for i in range(1, 40)])  # type: ignore[misc]
            uow.settings.put("agency", {"name": MARKER})
            uow.attachments.put(
                MARKER.encode("utf-8") * 50,
                case_id=make_case("2026-0001").id,
                name=MARKER,
                mime="text/plain",
                kind="x",
            )
            uow.commit()
        with db.unit_of_work() as uow:
            case = uow.cases.get_by_number("2026-0001")
            assert case is not None and case.applicant.name.startswith(MARKER)
        assert (home / "yishen.db-wal").exists()
        assert _leaks(home) == []  # while open: the WAL holds the new pages
        db.backup(home / "backups" / "manual.db")
        db.backup(home / "backups" / "portable.db", passphrase="另一个口令")
    assert sorted(p.name for p in (home / "backups").iterdir()) == ["manual.db", "portable.db"]
    assert _leaks(home) == []


def test_the_check_finds_the_marker_in_a_plaintext_database(tmp_path: Path) -> None:
    from app.store import Database

    with Database.create_plaintext(tmp_path / "plain.db") as db, db.unit_of_work() as uow:
        uow.cases.add(_marked_case(1))  # type: ignore[arg-type]
        uow.commit()
    assert _leaks(tmp_path) != []
