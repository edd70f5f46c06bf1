"""The case list on a real encrypted database: Chinese search at every query length, filters, paging, freshness."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.codes import ApplicantKind, Channel, Delivery, Finding, Form
from app.domain.errors import InputError
from app.domain.listing import ListEntry, ListFilter, SortKey, Watermark, match_expression
from app.domain.model import Applicant, Case, Item, Replied
from app.interchange import read_file
from app.services.calendar import effective_calendar
from app.services.caselist import (
    CaseQuery,
    case_entry,
    case_list_is_current,
    case_search_texts,
    list_cases,
    list_choices,
    more_cases,
    refresh_case_list,
)
from app.services.cases import edit_case, import_cases, transfer_case
from app.store import Database, create_home, migrate, open_home
from benchmarks.casegen import generate_cases
from tests.support.memorykeyring import memory_keyring  # noqa: F401  (autouse fixture)

TODAY = dt.date(2026, 10, 20)
PASSPHRASE = "案件列表测试口令"
MARKER = "标记XQZ7泄露检查"


def make(
    number: str,
    name: str,
    *items: str,
    received: str = "2026-09-16",
    kind: ApplicantKind = ApplicantKind.NATURAL_PERSON,
    channel: Channel = Channel.IN_PERSON,
    tags: tuple[str, ...] = (),
    replied: bool = False,
) -> Case:
    day = dt.date.fromisoformat(received)
    finding = Finding.DISCLOSED if replied else None
    return Case(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, number)),
        number=number,
        channel=channel,
        received=day,
        applicant=Applicant(kind=kind, name=name),
        items=tuple(
            Item(description=t, form=Form.PAPER, delivery=Delivery.POST, finding=finding) for t in items
        ),
        events=(Replied(date=day + dt.timedelta(days=10), outcome=Finding.DISCLOSED),) if replied else (),
        tags=tags,
    )


CASES = [
    make("2026-0001", "张三", "某村集体土地征收补偿安置方案", tags=("土地征收",)),
    make("2026-0002", "李四", "房屋征收决定及补偿标准", received="2026-10-12", tags=("房屋拆迁",)),
    make("2026-0003", "张三丰", "财政预算执行情况", received="2026-09-11"),
    make("2026-0004", "王五", "道路拓宽工程环境影响评价文件", "土地利用规划", replied=True),
    make(
        "2025-0100",
        "光明某某有限公司",
        "工业园区排污许可",
        received="2025-03-02",
        kind=ApplicantKind.BUSINESS,
        channel=Channel.ONLINE,
        replied=True,
    ),
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = create_home(tmp_path / "home", passphrase=PASSPHRASE)
    try:
        with database.unit_of_work("测试") as uow:
            uow.cases.add_many(CASES)
            uow.commit()
        yield database
    finally:
        database.close()


def numbers(db: Database, query: CaseQuery, *, today: dt.date = TODAY) -> list[str]:
    with db.unit_of_work("测试") as uow:
        refresh_case_list(uow, today)
    with db.unit_of_work("测试", read_only=True) as uow:
        page = list_cases(uow, query)
    assert page.total == len(page.rows)
    return [r.number for r in page.rows]


def search(db: Database, text: str) -> list[str]:
    return sorted(numbers(db, CaseQuery(text=text)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("张", ["2026-0001", "2026-0003"], id="1-char-surname"),
        pytest.param("张三", ["2026-0001", "2026-0003"], id="2-char-name"),
        pytest.param("征收", ["2026-0001", "2026-0002"], id="2-char-word"),
        pytest.param("张三丰", ["2026-0003"], id="3-char-name"),
        pytest.param("土地征收", ["2026-0001"], id="4-char-phrase"),
        pytest.param("收补", ["2026-0001"], id="bigram-inside-a-word"),
        pytest.param("征收 李四", ["2026-0002"], id="mixed-name-and-word"),
        pytest.param("张三 预算", ["2026-0003"], id="mixed-name-and-word-of-another-item"),
        pytest.param("土地", ["2026-0001", "2026-0004"], id="second-item-counts"),
        pytest.param("地征收补", ["2026-0001"], id="phrase-across-bigrams"),
        pytest.param("三某", [], id="no-phrase-across-name-and-item"),
        pytest.param("光明公司", [], id="phrase-must-be-contiguous"),
        pytest.param("2025-0100", ["2025-0100"], id="case-number"),
        pytest.param("赵", [], id="nothing"),
    ],
)
def test_search_finds_every_query_length(db: Database, text: str, expected: list[str]) -> None:
    assert search(db, text) == expected


def test_an_edited_case_is_found_by_its_new_text_only(db: Database) -> None:
    assert search(db, "财政") == ["2026-0003"]
    with db.unit_of_work("测试") as uow:
        case = uow.cases.get_by_number("2026-0003")
        assert case is not None
        item = dataclasses.replace(case.items[0], description="城市绿化养护合同")
        applicant = dataclasses.replace(case.applicant, name="赵六")
        uow.cases.update(dataclasses.replace(case, items=(item,), applicant=applicant))
        uow.commit()
    with db.unit_of_work("测试", read_only=True) as uow:
        assert not case_list_is_current(uow, TODAY)
    assert search(db, "财政") == []
    assert search(db, "张三丰") == []
    assert search(db, "绿化") == ["2026-0003"]
    assert search(db, "赵六") == ["2026-0003"]
    assert search(db, "张三") == ["2026-0001"]


def test_a_new_case_is_indexed_on_the_next_refresh(db: Database) -> None:
    assert search(db, "征收") == ["2026-0001", "2026-0002"]
    with db.unit_of_work("测试") as uow:
        uow.cases.add(make("2026-0005", "赵六", "征收土地公告"))
        uow.commit()
    assert search(db, "征收") == ["2026-0001", "2026-0002", "2026-0005"]
    with db.unit_of_work("测试", read_only=True) as uow:
        assert case_list_is_current(uow, TODAY)
    with db.unit_of_work("测试") as uow:
        assert refresh_case_list(uow, TODAY) == 0


def test_filters_narrow_the_list(db: Database) -> None:
    assert numbers(db, CaseQuery(status="concluded")) == ["2026-0004", "2025-0100"]
    assert numbers(db, CaseQuery(status="open")) == ["2026-0003", "2026-0002", "2026-0001"]
    # 2026-09-11 + 20 working days: due 2026-10-15, overdue on TODAY; 09-16 due today (10-20).
    assert numbers(db, CaseQuery(status="overdue")) == ["2026-0003"]
    assert numbers(db, CaseQuery(status="due_today")) == ["2026-0001"]
    assert numbers(db, CaseQuery(channel="online")) == ["2025-0100"]
    assert numbers(db, CaseQuery(applicant_kind="business")) == ["2025-0100"]
    assert numbers(db, CaseQuery(year=2025)) == ["2025-0100"]
    assert numbers(db, CaseQuery(tag="土地征收")) == ["2026-0001"]
    assert numbers(db, CaseQuery(finding="disclosed")) == ["2026-0004", "2025-0100"]
    assert numbers(db, CaseQuery(text="张", status="overdue")) == ["2026-0003"]
    with db.unit_of_work("测试", read_only=True) as uow:
        choices = list_choices(uow)
    assert choices.years == [2025, 2026] and choices.tags == ["土地征收", "房屋拆迁"]


def test_bands_move_with_the_day(db: Database) -> None:
    assert numbers(db, CaseQuery(status="overdue")) == ["2026-0003"]
    later = dt.date(2026, 10, 21)
    with db.unit_of_work("测试", read_only=True) as uow:
        assert not case_list_is_current(uow, later)
    assert numbers(db, CaseQuery(status="overdue"), today=later) == ["2026-0003", "2026-0001"]


def test_sorts_and_pages_cover_every_case_once(db: Database) -> None:
    by_due = numbers(db, CaseQuery(sort=SortKey.DUE, descending=False))
    assert by_due[:3] == ["2026-0003", "2026-0001", "2026-0002"]
    assert numbers(db, CaseQuery(sort=SortKey.RECEIVED, descending=False))[0] == "2025-0100"
    # By code point, not pinyin: 光 < 张 < 李 < 王.
    by_name = sorted(CASES, key=lambda c: (c.applicant.name, c.number))
    assert numbers(db, CaseQuery(sort=SortKey.APPLICANT, descending=False)) == [c.number for c in by_name]
    for sort in SortKey:
        for descending in (False, True):
            query = CaseQuery(sort=sort, descending=descending)
            with db.unit_of_work("测试", read_only=True) as uow:
                page = list_cases(uow, query, limit=2)
                seen = [r.number for r in page.rows]
                assert page.total == 5
                cursor = page.cursor
                while cursor is not None:
                    more = more_cases(uow, query, cursor, total=5, limit=2)
                    seen += [r.number for r in more.rows]
                    cursor = more.cursor
            assert seen == numbers(db, query), (sort, descending)
            with db.unit_of_work("测试", read_only=True) as uow:
                where = ListFilter(match=match_expression("张"))
                sparse = uow.case_list.page(where, sort, descending=descending)[0]
                dense = uow.case_list.page(where, sort, descending=descending, dense=True)[0]
            assert [e.number for e in dense] == [e.number for e in sparse] != []
            assert sorted(seen) == sorted(c.number for c in CASES)


def test_indexed_text_never_reaches_the_disk_in_clear(tmp_path: Path) -> None:
    home = tmp_path / "leak"
    with create_home(home, passphrase=PASSPHRASE) as database:
        with database.unit_of_work("测试") as uow:
            uow.cases.add_many(
                [make(f"2026-{i:04d}", f"{MARKER}申请人", f"{MARKER}事项") for i in range(1, 30)]
            )
            uow.commit()
        with database.unit_of_work("测试") as uow:
            assert refresh_case_list(uow, TODAY) == 29
        with database.unit_of_work("测试", read_only=True) as uow:
            assert len(list_cases(uow, CaseQuery(text="XQZ7")).rows) == 29
            assert len(list_cases(uow, CaseQuery(text="泄露")).rows) == 29
        found = _leaks(home)
    assert found == []
    assert _leaks(home) == []


def _leaks(home: Path) -> list[str]:
    # The marker as written, and as the index stores it: bigrams and single characters, lower case.
    needles = [MARKER.encode(enc) for enc in ("utf-8", "utf-16-le")]
    needles += [n.encode("utf-8") for n in ("XQZ7", "xqz7", "泄露 露检", "泄 露 检")]
    found = []
    for path in sorted(home.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {n!r}" for n in needles if n in data]
    return found


# --------------------------------------------------------------------------- the index agrees with the cases


def _indexed(db: Database) -> dict[str, ListEntry]:
    with db.unit_of_work("测试", read_only=True) as uow:
        entries, cursor = uow.case_list.page(ListFilter(), SortKey.NUMBER, limit=1_000_000)
    assert cursor is not None or not entries
    return {e.case_id: e for e in entries}


def _derived(db: Database, today: dt.date) -> tuple[dict[str, ListEntry], list[Case]]:
    """What the index should hold: each whole case read back and put through ``case_entry``."""
    with db.unit_of_work("测试", read_only=True) as uow:
        calendar = effective_calendar(uow)
        cases = list(uow.cases.iter_all())
    return {c.id: case_entry(c, calendar, today, True) for c in cases}, cases


def _assert_index_agrees(db: Database, today: dt.date, queries: list[str]) -> None:
    expected, cases = _derived(db, today)
    assert _indexed(db) == expected
    with db.unit_of_work("测试", read_only=True) as uow:
        for text in queries:
            where = ListFilter(match=match_expression(text))
            found = sorted(e.number for e in uow.case_list.page(where, SortKey.NUMBER, limit=1_000_000)[0])
            # Every casegen text is Chinese words and numbers: the search finds exactly the
            # cases one of whose texts contains the query.
            wanted = sorted(c.number for c in cases if any(text in t for t in case_search_texts(c)))
            assert found == wanted, text
            assert uow.case_list.count(where) == len(wanted)
            assert wanted or text == "赵钱孙"


def test_the_list_and_the_search_agree_with_the_cases_after_an_import(tmp_path: Path) -> None:
    """The first build reads light rows in SQL and rebuilds only the open cases; later refreshes
    re-index what changed. Both must give exactly what the whole cases give."""
    source = tmp_path / "cases.jsonl"
    generated = list(generate_cases(600, seed=11))
    source.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in generated), "utf-8")
    name, number = generated[3]["applicant"]["name"], generated[7]["number"]
    queries = ["张", name, "征收", "补偿标准", "东城", number, "赵钱孙"]
    today = dt.date(2025, 3, 3)  # casegen's cases run 2024-01 … 2025-12: some open, some not yet
    with create_home(tmp_path / "home", passphrase=PASSPHRASE) as db:
        with db.unit_of_work("测试") as uow:
            report = import_cases(uow, read_file(source), skip_invalid=False, source="x", today=today)
        assert report.ok and report.imported == 600
        with db.unit_of_work("测试") as uow:
            assert refresh_case_list(uow, today) == 600
        bands = {e.band for e in _indexed(db).values()}
        assert {"concluded", "running"} <= bands  # both ways of computing the deadline were used
        _assert_index_agrees(db, today, queries)

        # Changes since: a new name, a new item, a reply that concludes an open case, a clerk.
        with db.unit_of_work("测试", read_only=True) as uow:
            open_case = next(uow.cases.iter_open())
            other = uow.cases.get_by_number(generated[5]["number"])
        assert other is not None and open_case.received is not None
        with db.unit_of_work("测试") as uow:
            edit_case(uow, other.number, sets=[("applicant.name", "赵钱孙"), ("clerk", "李科员")])
            reply = {"type": "replied", "date": today.isoformat(), "outcome": "disclosed"}
            edit_case(
                uow, open_case.number, sets=[("items.0.finding", "disclosed")], add_events=[json.dumps(reply)]
            )
        with db.unit_of_work("测试") as uow:
            assert refresh_case_list(uow, today) == 2
        _assert_index_agrees(db, today, queries)
        assert _indexed(db)[open_case.id].band == "concluded"

        # A new day moves the bands of the open cases only.
        later = today + dt.timedelta(days=9)
        with db.unit_of_work("测试") as uow:
            assert refresh_case_list(uow, later) > 0
        _assert_index_agrees(db, later, queries[:2])

        # The index thrown away (as migration 0004 does): rebuilt from nothing, the same again.
        with db.unit_of_work("测试") as uow:
            uow._connection().exec_driver_sql("DELETE FROM meta WHERE key LIKE 'case_list.%'")
            uow.commit()
        with db.unit_of_work("测试") as uow:
            assert refresh_case_list(uow, later) == 600
        _assert_index_agrees(db, later, queries)


# --------------------------------------------------------------------------- 经办人


def test_a_registered_case_is_its_clerks_and_is_handed_over_with_an_audit_entry(db: Database) -> None:
    with db.unit_of_work("zhang") as uow:
        uow.cases.add(make("2026-0005", "赵六", "征收土地公告"))  # registered: no clerk given
        uow.commit()
    assert numbers(db, CaseQuery(clerk="zhang")) == ["2026-0005"]
    assert numbers(db, CaseQuery(clerk="")) == [
        "2026-0004",
        "2026-0003",
        "2026-0002",
        "2026-0001",
        "2025-0100",
    ]
    with db.unit_of_work("li") as uow:
        moved = transfer_case(uow, "2026-0001", " wang ")
    assert moved.clerk == "wang"
    with db.unit_of_work("li", read_only=True) as uow:
        stored = uow.cases.get_by_number("2026-0001")
        actor, action, payload = (
            uow._connection()
            .exec_driver_sql("SELECT actor, action, payload FROM audit ORDER BY seq DESC LIMIT 1")
            .one()
        )
    assert stored is not None and stored.clerk == "wang"
    assert (actor, action) == ("li", "case.update")
    (change,) = json.loads(payload)["changes"]
    assert change["changes"] == {"clerk": {"old": None, "new": "wang"}}

    assert numbers(db, CaseQuery(clerk="wang")) == ["2026-0001"]
    # By clerk: none first, then by code point (w < z), each clerk's cases by number.
    by_clerk = numbers(db, CaseQuery(sort=SortKey.CLERK, descending=False))
    assert by_clerk == ["2025-0100", "2026-0002", "2026-0003", "2026-0004", "2026-0001", "2026-0005"]
    with db.unit_of_work("li", read_only=True) as uow:
        assert list_choices(uow).clerks == ["wang", "zhang"]

    # Handing it to the same clerk changes nothing; a blank clerk is refused; case edit sets it too.
    with db.unit_of_work("li") as uow:
        head = uow.case_list.audit_head()
        transfer_case(uow, "2026-0001", "wang")
        assert uow.case_list.audit_head() == head
        with pytest.raises(InputError) as info:
            transfer_case(uow, "2026-0001", "  ")
        assert (info.value.kind, info.value.field) == ("required", "clerk")
        edit_case(uow, "2026-0002", sets=[("clerk", "zhang")])
    assert numbers(db, CaseQuery(clerk="zhang")) == ["2026-0005", "2026-0002"]


def test_a_database_from_before_the_clerk_rebuilds_its_index(tmp_path: Path) -> None:
    """0003 → 0004: the clerk columns appear, the old index is thrown away and built again in full."""
    home = tmp_path / "home"
    with create_home(home, passphrase=PASSPHRASE) as database:
        with database.unit_of_work("测试") as uow:
            uow.cases.add_many(CASES)
            uow.commit()
        with database.unit_of_work("测试") as uow:
            refresh_case_list(uow, TODAY)
            migrate.downgrade(uow._connection(), "0003")
            uow.commit()
        with database.unit_of_work("测试", read_only=True) as uow:
            assert uow.case_list.watermark().audit_seq > 0  # 0003 kept its index
    with open_home(home, lambda: PASSPHRASE) as database:
        assert database.schema_revision() == migrate.head_revision()
        with database.unit_of_work("测试", read_only=True) as uow:
            assert not case_list_is_current(uow, TODAY)
            assert uow.case_list.watermark() == Watermark()
        with database.unit_of_work("测试") as uow:
            assert refresh_case_list(uow, TODAY) == len(CASES)
            transfer_case(uow, "2026-0002", "zhang")
        with database.unit_of_work("测试") as uow:
            refresh_case_list(uow, TODAY)
        with database.unit_of_work("测试", read_only=True) as uow:
            assert [r.number for r in list_cases(uow, CaseQuery(clerk="zhang")).rows] == ["2026-0002"]
