"""``yishen sync`` and ``yishen conflicts`` between two real SQLCipher data folders and a real server."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.server.app import create_app
from app.server.service import SyncService
from app.store import tables
from app.store.home import open_home
from app.store.synctoken import SERVICE as TOKEN_SERVICE
from app.sync.client import check_server_url
from tests.integration.server.conftest import PASSWORD, serve_in_thread
from tests.integration.sync.conftest import Client
from tests.support.memorykeyring import MemoryKeyring

CASE: dict[str, Any] = {
    "format": "yishen-case/1",
    "number": "2026-0100",
    "channel": "in_person",
    "received": "2026-09-16",
    "applicant": {"kind": "natural_person", "name": "赵六", "phone": "13800000000"},
    "items": [{"description": "某地块征收补偿方案", "form": "paper", "delivery": "post"}],
    "events": [{"type": "correction_requested", "date": "2026-09-17", "period_end": "2026-10-08"}],
    "notes": [{"date": "2026-09-16", "by": "张", "text": "当面递交"}],
}


def _import(c: Client, tmp_path: Path, case: dict[str, Any]) -> None:
    f = tmp_path / f"{c.home.name}.jsonl"
    f.write_text(json.dumps(case, ensure_ascii=False) + "\n", "utf-8")
    r = c.run("import", str(f))
    assert r.code == 0, r.err


def _show(c: Client, number: str) -> dict[str, Any]:
    r = c.run("case", "show", number, "--json")
    assert r.code == 0, r.err
    shown: dict[str, Any] = json.loads(r.out)
    return shown


def _rows(c: Client, table: sa.Table) -> list[dict[str, Any]]:
    db = open_home(c.home, lambda: "本机口令 correct horse")
    try:
        with db.unit_of_work("test", read_only=True) as uow:
            conn = uow._connection()
            return [dict(r._mapping) for r in conn.execute(sa.select(table))]
    finally:
        db.close()


def _login(c: Client, server: str, user: str) -> None:
    r = c.run("sync", "--server", server, "--user", user)
    assert r.code == 0, r.err
    assert "推送" in r.out and "拉取" in r.out and "冲突" in r.out


def test_a_case_registered_on_one_desk_appears_on_the_other(
    a: Client, b: Client, server: str, tmp_path: Path
) -> None:
    _import(a, tmp_path, CASE)
    _login(a, server, "zhang")
    _login(b, server, "wang")

    shown = _show(b, "2026-0100")
    mine = _show(a, "2026-0100")
    assert shown == mine
    assert shown["applicant"]["name"] == "赵六"
    assert [i["description"] for i in shown["items"]] == ["某地块征收补偿方案"]
    assert [e["type"] for e in shown["events"]] == ["correction_requested"]
    assert [n["text"] for n in shown["notes"]] == ["当面递交"]
    # A's outbox is empty now, and B wrote nothing into its own: pulled rows are not echoed back.
    assert _rows(a, tables.outbox) == []
    assert _rows(b, tables.outbox) == []
    # B's audit names the server user for what it applied.
    actors = {r["actor"] for r in _rows(b, tables.audit) if r["action"] == "sync.pull"}
    assert actors == {"sync:wang"}
    # The audit chain of both folders still verifies with the pulled rows in it.
    for c in (a, b):
        r = c.run("verify")
        assert r.code == 0, r.out + r.err
    # A second round moves nothing.
    r = a.run("sync")
    assert r.code == 0 and "推送 0 项、拉取 0 项、冲突 0 项" in r.out


def test_edits_of_different_fields_on_both_desks_merge(
    a: Client, b: Client, server: str, tmp_path: Path
) -> None:
    _import(a, tmp_path, CASE)
    _login(a, server, "zhang")
    _login(b, server, "wang")
    assert a.run("case", "edit", "2026-0100", "--set", "applicant.phone=13900000000").code == 0
    assert b.run("case", "edit", "2026-0100", "--set", 'tags=["征收"]').code == 0
    for c in (a, b, a):
        r = c.run("sync")
        assert r.code == 0, r.err
        assert "冲突 0 项" in r.out
    for c in (a, b):
        shown = _show(c, "2026-0100")
        assert shown["applicant"]["phone"] == "13900000000"
        assert shown["tags"] == ["征收"]


def _phone_edited_on_both(a: Client, b: Client, server: str, tmp_path: Path) -> None:
    """The case on A, both desks logged in, and its phone changed differently on each before either syncs."""
    _import(a, tmp_path, CASE)
    _login(a, server, "zhang")
    _login(b, server, "wang")
    assert a.run("case", "edit", "2026-0100", "--set", "applicant.phone=13911111111").code == 0
    assert b.run("case", "edit", "2026-0100", "--set", "applicant.phone=13922222222").code == 0


def test_the_same_field_edited_differently_is_a_conflict_resolved_by_keeping_theirs(
    a: Client, b: Client, server: str, tmp_path: Path
) -> None:
    _phone_edited_on_both(a, b, server, tmp_path)
    assert b.run("sync").code == 0
    r = a.run("sync")
    assert r.code == 0, r.err
    assert "冲突 1 项" in r.out

    listed = json.loads(a.run("conflicts", "--json").out)
    assert len(listed) == 1
    (conflict,) = listed
    assert {k: conflict[k] for k in ("entity", "field", "base", "mine", "theirs")} == {
        "entity": "case",
        "field": "applicant_phone",
        "base": "13800000000",
        "mine": "13911111111",
        "theirs": "13922222222",
    }
    # B learns of it from the feed.
    assert b.run("sync").code == 0
    assert [c["id"] for c in json.loads(b.run("conflicts", "--json").out)] == [conflict["id"]]

    r = a.run("conflicts", "resolve", conflict["id"], "--keep", "theirs")
    assert r.code == 0, r.err
    assert json.loads(a.run("conflicts", "--json").out) == []
    for c in (a, b):
        assert c.run("sync").code == 0
    assert json.loads(b.run("conflicts", "--json").out) == []
    assert _show(a, "2026-0100") == _show(b, "2026-0100")
    assert _show(a, "2026-0100")["applicant"]["phone"] == "13922222222"


def test_keeping_mine_sends_the_value_to_the_other_desk(
    a: Client, b: Client, server: str, tmp_path: Path
) -> None:
    _phone_edited_on_both(a, b, server, tmp_path)
    assert b.run("sync").code == 0
    assert a.run("sync").code == 0
    (conflict,) = json.loads(a.run("conflicts", "--json").out)
    assert a.run("conflicts", "resolve", conflict["id"], "--keep", "mine").code == 0
    for c in (a, b):
        assert c.run("sync").code == 0
    assert _show(b, "2026-0100")["applicant"]["phone"] == "13911111111"
    assert _show(a, "2026-0100") == _show(b, "2026-0100")
    assert json.loads(b.run("conflicts", "--json").out) == []


def test_plain_http_to_another_host_is_refused(a: Client) -> None:
    r = a.run("sync", "--server", "http://192.0.2.10:8443", "--user", "zhang")
    assert r.code == 2
    assert "http://" in r.err and "https://" in r.err
    assert not _rows(a, tables.meta) or all(not r["key"].startswith("sync.") for r in _rows(a, tables.meta))


def test_a_server_that_is_down_gives_a_message_and_changes_nothing(a: Client, tmp_path: Path) -> None:
    _import(a, tmp_path, CASE)
    before = (_rows(a, tables.outbox), _rows(a, tables.audit), _rows(a, tables.meta))
    r = a.run("sync", "--server", "http://127.0.0.1:9", "--user", "zhang")
    assert r.code == 1
    assert "无法连接同步服务器" in r.err
    assert (_rows(a, tables.outbox), _rows(a, tables.audit), _rows(a, tables.meta)) == before


def test_the_token_is_in_the_keyring_and_the_password_nowhere(
    a: Client, server: str, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    _import(a, tmp_path, CASE)
    _login(a, server, "zhang")
    tokens = {k: v for k, v in memory_keyring.passwords.items() if k[0] == TOKEN_SERVICE}
    assert len(tokens) == 1 and all(v and v != PASSWORD for v in tokens.values())
    assert PASSWORD not in json.dumps(list(memory_keyring.passwords.values()), ensure_ascii=False)
    stored = json.dumps(
        [_rows(a, t) for t in (tables.settings, tables.meta, tables.audit)], ensure_ascii=False
    )
    assert PASSWORD not in stored
    assert server in stored  # the server URL is kept (meta: local to this folder, never synced)


def test_a_server_gone_after_login_changes_nothing_and_the_changes_wait(
    a: Client, b: Client, service: SyncService, tmp_path: Path
) -> None:
    service.add_user("zhang", "自然资源局", "clerk", PASSWORD)
    service.add_user("wang", "自然资源局", "clerk", PASSWORD)
    app = create_app(service)
    with serve_in_thread(app) as url:
        _login(a, url, "zhang")
    _import(a, tmp_path, CASE)  # registered while the server is down
    before = (_rows(a, tables.outbox), _rows(a, tables.audit), _rows(a, tables.meta))
    r = a.run("sync")
    assert r.code == 1
    assert "无法连接同步服务器" in r.err and "本机数据完好" in r.err
    assert (_rows(a, tables.outbox), _rows(a, tables.audit), _rows(a, tables.meta)) == before
    assert len(before[0]) == 1

    # The server is back (on another port: log in again there); the waiting case goes through.
    with serve_in_thread(app) as url:
        _login(a, url, "zhang")
        _login(b, url, "wang")
    assert _rows(a, tables.outbox) == []
    assert _show(b, "2026-0100")["applicant"]["name"] == "赵六"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.8.9.10",
        "http://localhost:8443/",
        "http://[::1]:8000",
        "https://sync.example.org",
    ],
)
def test_https_or_loopback_http_is_accepted(url: str) -> None:
    assert check_server_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://sync.example.org",
        "http://10.0.0.5:8000",
        "http://[fe80::1]/",
        "ftp://127.0.0.1",
        "sync.example.org",
    ],
)
def test_other_urls_are_refused(url: str) -> None:
    from app.domain.errors import InputError

    with pytest.raises(InputError) as info:
        check_server_url(url)
    assert info.value.kind in ("sync_plain_http", "sync_bad_url")
    assert re.match(r"^sync_", info.value.kind)


def test_a_local_calendar_overlay_syncs_as_a_setting(
    a: Client, b: Client, server: str, tmp_path: Path
) -> None:
    overlay = {
        "format": "yishen-calendar/1",
        "year": 2026,
        "source": "某自治州条例：民族节日",
        "local": True,
        "rest_days": ["2026-10-09"],
        "make_up_working_days": [],
    }
    f = tmp_path / "local.json"
    f.write_text(json.dumps(overlay, ensure_ascii=False), "utf-8")
    assert a.run("calendar", "import", str(f)).code == 0
    _login(a, server, "zhang")
    _login(b, server, "wang")
    r = b.run("calendar", "show", "2026", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["local"]["rest_days"] == ["2026-10-09"]
    assert _rows(b, tables.outbox) == []


def test_the_case_list_of_the_other_desk_shows_pulled_cases_and_pulled_edits(
    a: Client, b: Client, server: str, tmp_path: Path
) -> None:
    import datetime as dt

    from app.services.caselist import CaseQuery, list_cases, refresh_case_list

    def listed(c: Client) -> list[tuple[str, str]]:
        db = open_home(c.home, lambda: "本机口令 correct horse")
        try:
            with db.unit_of_work("test") as uow:
                refresh_case_list(uow, dt.date(2026, 9, 20))
                uow.commit()
                return [(r.number, r.applicant) for r in list_cases(uow, CaseQuery()).rows]
        finally:
            db.close()

    _login(b, server, "wang")
    assert listed(b) == []  # indexed once before anything arrives
    _import(a, tmp_path, CASE)
    _login(a, server, "zhang")
    assert b.run("sync").code == 0
    assert listed(b) == [("2026-0100", "赵六")]
    assert a.run("case", "edit", "2026-0100", "--set", "applicant.name=赵六六").code == 0
    assert a.run("sync").code == 0
    assert b.run("sync").code == 0
    assert listed(b) == [("2026-0100", "赵六六")]


def test_one_number_registered_on_both_desks_stops_with_a_message_until_renumbered(
    a: Client, b: Client, server: str, tmp_path: Path
) -> None:
    _import(a, tmp_path, CASE)
    _import(b, tmp_path, {**CASE, "applicant": {"kind": "natural_person", "name": "钱七"}})
    _login(a, server, "zhang")
    r = b.run("sync", "--server", server, "--user", "wang")
    assert r.code == 1
    assert "2026-0100" in r.err and "修改该案件的登记编号" in r.err
    assert _show(b, "2026-0100")["applicant"]["name"] == "钱七"

    assert b.run("case", "edit", "2026-0100", "--set", "number=2026-0101").code == 0
    r = b.run("sync")
    assert r.code == 0, r.err
    r = a.run("sync")
    assert r.code == 0, r.err
    for c in (a, b):
        assert _show(c, "2026-0100")["applicant"]["name"] == "赵六"
        assert _show(c, "2026-0101")["applicant"]["name"] == "钱七"


def test_many_cases_go_in_several_push_batches_and_pull_pages(
    a: Client, b: Client, server: str, tmp_path: Path
) -> None:
    # 300 cases of 4 rows each: 1 200 ops, more than one push (1 000 at most) and than one pull page (500).
    f = tmp_path / "many.jsonl"
    lines = [{**CASE, "number": f"2026-{n:04d}"} for n in range(1000, 1300)]
    f.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in lines), "utf-8")
    assert a.run("import", str(f)).code == 0
    r = a.run("sync", "--server", server, "--user", "zhang")
    assert r.code == 0, r.err
    assert "推送 300 项" in r.out
    r = b.run("sync", "--server", server, "--user", "wang")
    assert r.code == 0, r.err
    assert "拉取 1200 项" in r.out
    assert len(_rows(b, tables.cases)) == 300
    assert len(_rows(b, tables.items)) == len(_rows(b, tables.events)) == len(_rows(b, tables.notes)) == 300
    assert _show(b, "2026-1299") == _show(a, "2026-1299")
    cursors = {
        c.home.name: {r["key"]: r["value"] for r in _rows(c, tables.meta)}["sync.cursor"] for c in (a, b)
    }
    assert int(cursors["b"]) >= 1200


def test_a_change_the_server_refuses_stays_in_the_outbox_and_the_clerk_is_told(
    a: Client, b: Client, server: str, tmp_path: Path
) -> None:
    # The national holiday schedule is shared by every office; only an administrator may send it.
    national = {
        "format": "yishen-calendar/1",
        "year": 2027,
        "source": "国务院办公厅关于2027年部分节假日安排的通知",
        "rest_days": ["2027-01-01"],
        "make_up_working_days": [],
        "local": False,
    }
    f = tmp_path / "national.json"
    f.write_text(json.dumps(national, ensure_ascii=False), "utf-8")
    assert a.run("calendar", "import", str(f)).code == 0
    _import(a, tmp_path, CASE)
    r = a.run("sync", "--server", server, "--user", "zhang")
    assert r.code == 0, r.err
    assert "推送 1 项" in r.out  # the case went through
    assert "被服务器拒绝" in r.err and "管理员" in r.err
    assert [(o["entity"], o["entity_id"]) for o in _rows(a, tables.outbox)] == [("setting", "calendar:2027")]
    _login(b, server, "wang")
    assert "calendar:2027" not in {s["key"] for s in _rows(b, tables.settings)}


def test_a_revoked_token_asks_to_log_in_again(a: Client, server: str, service: SyncService) -> None:
    _login(a, server, "zhang")
    service.revoke("zhang")
    r = a.run("sync")
    assert r.code == 1
    assert "重新登录" in r.err
    _login(a, server, "zhang")


def test_a_new_value_settles_a_conflict_as_text_on_both_desks(
    a: Client, b: Client, server: str, tmp_path: Path
) -> None:
    _phone_edited_on_both(a, b, server, tmp_path)
    assert a.run("sync").code == 0
    assert b.run("sync").code == 0
    (conflict,) = json.loads(b.run("conflicts", "--json").out)
    assert (conflict["mine"], conflict["theirs"]) == ("13922222222", "13911111111")
    r = b.run("conflicts", "resolve", conflict["id"], "--value", "13933333333")
    assert r.code == 0, r.err
    assert b.run("conflicts", "resolve", conflict["id"], "--keep", "mine").code == 2  # settled already
    for c in (b, a):
        assert c.run("sync").code == 0
    for c in (a, b):
        assert _show(c, "2026-0100")["applicant"]["phone"] == "13933333333"
        assert json.loads(c.run("conflicts", "--json").out) == []
