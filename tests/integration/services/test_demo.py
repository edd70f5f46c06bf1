"""The demo data a new user can load from the wizard: cases with clerks, so 经办人 has something to show."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import bootstrap
from app.domain.model import Agency
from app.services.caselist import list_choices, refresh_case_list
from app.services.demo import DEMO_COLLEAGUES, load_demo_cases
from app.store.database import Database

PASSPHRASE = "示例数据测试口令"
TODAY = dt.date(2026, 3, 18)
AGENCY = Agency(
    name="某市某区自然资源局",
    kind="department",
    level="county",
    short_name="某区自然资源",
    parent_government="某市某区人民政府",
    court="某市某区人民法院",
    office="某区自然资源局办公室",
    address="某市某区人民路1号",
    phone="0571-12345678",
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    home = tmp_path / "home"
    bootstrap.initialize(home, passphrase=PASSPHRASE, agency=AGENCY, actor="zhangmin")
    with bootstrap.open_database(home, lambda: PASSPHRASE) as database:
        yield database


def test_demo_cases_name_the_loading_clerk_on_most_and_colleagues_on_some(db: Database) -> None:
    with db.unit_of_work("zhangmin") as uow:
        load_demo_cases(uow, TODAY, actor="zhangmin")
    with db.unit_of_work("zhangmin") as uow:
        clerks = Counter(c.clerk for c in uow.cases.iter_all())
        refresh_case_list(uow, TODAY)
        uow.commit()
    assert set(clerks) == {"zhangmin", *DEMO_COLLEAGUES}
    assert clerks["zhangmin"] > max(clerks[c] for c in DEMO_COLLEAGUES)
    with db.unit_of_work("zhangmin", read_only=True) as uow:
        assert set(list_choices(uow).clerks) == {"zhangmin", *DEMO_COLLEAGUES}
