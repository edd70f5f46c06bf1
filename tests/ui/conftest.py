"""Fixtures for the desktop application's tests: offscreen Qt, an in-memory keyring, seeded data folders."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import bootstrap
from app.domain.caseformat import parse_case
from app.domain.model import Agency
from app.services.cases import import_cases
from tests.support.memorykeyring import MemoryKeyring, memory_keyring  # noqa: F401  (autouse fixture)
from ui.session import Session

# Read when pytest-qt creates the QApplication (after this module): no display needed, none used.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "界面测试口令 correct horse"
TODAY = dt.date(2026, 10, 20)  # Tuesday; the due dates below are counted in tests/integration/services
AGENCY = Agency(
    name="某市某区自然资源局",
    kind="department",
    level="county",
    short_name="某区自然资源",
    parent_government="某区人民政府",
    court="某市中级人民法院",
)


def case(number: str, received: str | None, *, channel: str = "in_person", **more: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "format": "yishen-case/1",
        "number": number,
        "channel": channel,
        "received": received,
        "applicant": {"kind": "natural_person", "name": f"申请人{number[-2:]}", "phone": "13800000000"},
        "items": [{"description": f"{number}号申请的内容", "form": "paper", "delivery": "post"}],
    }
    obj.update(more)
    return obj


# As of TODAY (see tests/integration/services/test_worklist.py for the counting).
SEED = [
    case("2026-0001", "2026-09-15"),  # due 10-19: overdue by 1
    case("2026-0002", "2026-09-16"),  # due 10-20: today
    case("2026-0003", "2026-09-18"),  # due 10-22: 2 left
    case("2026-0004", "2026-09-22"),  # due 10-27: 5 left
    case("2026-0005", "2026-09-29"),  # due 11-02: running
    case("2026-0006", None, channel="email", arrived="2026-10-19"),
    case(
        "2026-0007",
        "2026-10-12",
        events=[{"type": "correction_requested", "date": "2026-10-14", "period_end": "2026-10-30"}],
    ),
    case(
        "2026-0008",
        "2026-10-08",
        events=[
            {
                "type": "consultation_sent",
                "date": "2026-10-13",
                "id": "c1",
                "party": "third_party",
                "name": "某某公司",
                "delivered": "2026-10-14",
            }
        ],
    ),
    case("2026-0009", "2026-09-11"),  # due 10-15: overdue by 3
]


@dataclasses.dataclass(frozen=True)
class _Line:
    line: int
    case: Any
    error: Any = None


def seed_cases(session: Session, objs: list[dict[str, Any]]) -> None:
    with session.write() as uow:
        lines = [_Line(i, parse_case(o)) for i, o in enumerate(objs, 1)]
        report = import_cases(uow, lines, skip_invalid=False, source="t", today=TODAY)
        assert report.ok, report.errors


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "yishen"


@pytest.fixture
def seeded_session(home: Path) -> Iterator[Session]:
    """A keyring-mode data folder (no key derivation: fast) with the seed cases."""
    session = Session.create(home, passphrase=None, agency=AGENCY, actor="测试")
    try:
        seed_cases(session, SEED)
        yield session
    finally:
        session.close()


@pytest.fixture
def passphrase_home(home: Path) -> Path:
    bootstrap.initialize(home, passphrase=PASSPHRASE, agency=AGENCY, actor="测试")
    return home
