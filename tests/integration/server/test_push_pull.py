"""Push and pull on a real server database (SQLite file and PostgreSQL): what a clerk's sync would see."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.server import db
from app.server.errors import AuthError
from app.server.service import SyncService
from app.sync import protocol as p
from tests.integration.server.conftest import Clerk, case_fields, new_id


def _row(service: SyncService, entity: str, entity_id: str, department: str) -> dict[str, object]:
    r = db.entity_rows
    with service.engine.connect() as conn:
        row = conn.execute(
            sa.select(r).where(r.c.department == department, r.c.entity == entity, r.c.entity_id == entity_id)
        ).one()
    return {"rev": row.rev, "deleted": row.deleted, **db.loads(row.data)}


def _log_count(service: SyncService, **where: object) -> int:
    c = db.change_log
    stmt = sa.select(sa.func.count()).select_from(c)
    for name, value in where.items():
        stmt = stmt.where(c.c[name] == value)
    with service.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def test_an_inserted_case_comes_back_in_the_pull_with_its_fields(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    cid = new_id()
    result = a.push_one(a.insert("case", cid, case_fields()))
    assert (result.status, result.rev) == ("applied", 1)

    entries, cursor = a.pull_all()
    assert [(e.entity, e.entity_id, e.rev, e.deleted) for e in entries] == [("case", cid, 1, False)]
    assert entries[0].data["applicant_name"] == "张三"
    assert entries[0].data["tags"] == ["土地征收"]
    assert cursor == entries[0].seq


def test_the_same_op_twice_is_a_duplicate_and_leaves_one_change_log_entry(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    op = a.insert("case", new_id(), case_fields())
    first = a.push_one(op)
    # The answer was lost (connection dropped after commit): the client sends the op again.
    again = a.push_one(op)
    assert first.status == "applied"
    assert (again.status, again.original_status, again.rev) == ("duplicate", "applied", 1)
    assert _log_count(service, op_id=op.op_id) == 1

    # An update re-sent after its answer was lost is not applied a second time either.
    upd = a.update("case", op.entity_id, 1, {"applicant_phone": ("13800000000", "13900000000")})
    assert a.push_one(upd).status == "applied"
    again = a.push_one(upd)
    assert (again.status, again.original_status, again.rev) == ("duplicate", "applied", 2)
    assert _row(service, "case", op.entity_id, "自然资源局")["rev"] == 2
    assert _log_count(service, op_id=upd.op_id) == 1


def test_a_clerk_of_another_department_neither_pulls_nor_pushes_the_rows(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    b = Clerk(service, "wang", "生态环境局")
    cid = new_id()
    insert = a.insert("case", cid, case_fields())
    assert a.push_one(insert).status == "applied"

    assert b.pull_all()[0] == []
    upd = b.push_one(b.update("case", cid, 1, {"applicant_name": ("张三", "李四")}))
    assert (upd.status, upd.reason) == ("refused", "not_found")
    assert upd.message and "其他部门" in upd.message
    ev = b.push_one(b.insert("event", new_id(), {"case_id": cid, "type": "replied", "date": "2026-09-20"}))
    assert (ev.status, ev.reason) == ("refused", "unknown_parent")
    gone = b.push_one(b.delete("case", cid, 1, case_fields()))
    assert (gone.status, gone.reason) == ("refused", "not_found")
    # Replaying the other department's op id does not reveal its answer.
    replay = b.push_one(insert.model_copy(update={"seq": 100}))
    assert (replay.status, replay.reason, replay.rev) == ("refused", "op_id_taken", None)
    # Even the same id inserted by the other department lands in its own space.
    assert b.push_one(b.insert("case", cid, case_fields(name="李四"))).status == "applied"

    assert _row(service, "case", cid, "自然资源局")["applicant_name"] == "张三"
    a_entries, _ = a.pull_all()
    assert [(e.entity_id, e.data["applicant_name"]) for e in a_entries] == [(cid, "张三")]
    b_entries, _ = b.pull_all()
    assert [(e.entity_id, e.data["applicant_name"]) for e in b_entries] == [(cid, "李四")]


def test_two_devices_editing_different_fields_both_apply(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    b = Clerk(service, "li", "自然资源局")
    cid = new_id()
    a.push_one(a.insert("case", cid, case_fields()))
    # Both edit revision 1 offline.
    ra = a.push_one(a.update("case", cid, 1, {"applicant_phone": ("13800000000", "13911112222")}))
    rb = b.push_one(b.update("case", cid, 1, {"applicant_name": ("张三", "张叁")}))
    assert (ra.status, ra.rev, ra.applied_fields) == ("applied", 2, ["applicant_phone"])
    assert (rb.status, rb.rev, rb.applied_fields, rb.conflicts) == ("applied", 3, ["applicant_name"], [])

    row = _row(service, "case", cid, "自然资源局")
    assert (row["applicant_phone"], row["applicant_name"], row["rev"]) == ("13911112222", "张叁", 3)
    entries, _ = b.pull_all()
    assert [e.rev for e in entries] == [1, 2, 3]
    assert entries[-1].data["applicant_phone"] == "13911112222"


def test_the_same_field_changed_to_different_values_is_a_conflict_record_not_an_overwrite(
    service: SyncService,
) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    b = Clerk(service, "li", "自然资源局")
    cid = new_id()
    a.push_one(a.insert("case", cid, case_fields()))
    a.push_one(a.update("case", cid, 1, {"applicant_phone": ("13800000000", "13911112222")}))
    rb = b.push_one(
        b.update(
            "case",
            cid,
            1,
            {"applicant_phone": ("13800000000", "13733334444"), "applicant_name": ("张三", "张叁")},
        )
    )
    assert rb.status == "conflict"
    assert rb.applied_fields == ["applicant_name"]  # the field only B changed still goes in
    assert rb.rev == 3
    (conflict,) = rb.conflicts
    assert (conflict.entity, conflict.entity_id, conflict.field) == ("case", cid, "applicant_phone")
    assert (conflict.base, conflict.mine, conflict.theirs) == ("13800000000", "13733334444", "13911112222")
    row = _row(service, "case", cid, "自然资源局")
    assert (row["applicant_phone"], row["applicant_name"]) == ("13911112222", "张叁")

    # Every device of the department learns of the open conflict.
    entries, cursor = a.pull_all()
    records = [e for e in entries if e.entity == p.CONFLICT_ENTITY]
    assert [(e.entity_id, e.deleted, e.data["field"], e.data["mine"]) for e in records] == [
        (conflict.id, False, "applicant_phone", "13733334444")
    ]

    # B keeps "mine" in the dialog: a normal change from theirs, naming the record it settles.
    settle = b.op(
        "case", cid, "update", {"applicant_phone": ("13911112222", "13733334444")}, 3, [conflict.id]
    )
    rs = b.push_one(settle)
    assert (rs.status, rs.rev) == ("applied", 4)
    later, _ = a.pull_all(cursor)
    assert [(e.entity, e.deleted) for e in later] == [("case", False), (p.CONFLICT_ENTITY, True)]
    assert later[1].data["resolved_by"] == "li"
    assert _row(service, "case", cid, "自然资源局")["applicant_phone"] == "13733334444"


def test_the_same_change_on_both_sides_is_no_conflict(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    b = Clerk(service, "li", "自然资源局")
    cid = new_id()
    a.push_one(a.insert("case", cid, case_fields()))
    a.push_one(a.update("case", cid, 1, {"applicant_phone": ("13800000000", "13911112222")}))
    rb = b.push_one(b.update("case", cid, 1, {"applicant_phone": ("13800000000", "13911112222")}))
    assert (rb.status, rb.rev, rb.conflicts) == ("applied", 2, [])


def test_a_delete_against_an_edited_row_is_a_conflict(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    b = Clerk(service, "li", "自然资源局")
    cid, iid = new_id(), new_id()
    item = {"case_id": cid, "position": 1, "description": "征收补偿方案", "form": "paper", "delivery": "post"}
    a.push(a.insert("case", cid, case_fields()), a.insert("item", iid, item))
    a.push_one(a.update("item", iid, 1, {"description": ("征收补偿方案", "2025年征收补偿安置方案")}))

    rb = b.push_one(b.delete("item", iid, 1, item))
    assert rb.status == "conflict"
    (conflict,) = rb.conflicts
    assert conflict.field == p.ROW_FIELD
    assert conflict.mine is None
    assert isinstance(conflict.theirs, dict) and conflict.theirs["description"] == "2025年征收补偿安置方案"
    assert _row(service, "item", iid, "自然资源局")["deleted"] is False

    # Deleting what one has seen last is a plain delete; editing the deleted row is a conflict again.
    seen = {**item, "description": "2025年征收补偿安置方案"}
    rd = a.push_one(a.delete("item", iid, 2, seen))
    assert (rd.status, rd.rev) == ("applied", 3)
    assert _row(service, "item", iid, "自然资源局")["deleted"] is True
    re = b.push_one(b.update("item", iid, 2, {"form": ("paper", "electronic")}))
    assert re.status == "conflict"
    assert re.conflicts[0].field == p.ROW_FIELD and re.conflicts[0].theirs is None
    entries, _ = a.pull_all()
    assert [(e.entity, e.rev, e.deleted) for e in entries if e.entity == "item"] == [
        ("item", 1, False),
        ("item", 2, False),
        ("item", 3, True),
    ]


def test_events_are_append_only_and_never_conflict(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    b = Clerk(service, "li", "自然资源局")
    cid = new_id()
    a.push_one(a.insert("case", cid, case_fields()))
    e1, e2 = new_id(), new_id()
    ra = a.push_one(
        a.insert("event", e1, {"case_id": cid, "position": 0, "type": "replied", "date": "2026-09-20"})
    )
    rb = b.push_one(
        b.insert("event", e2, {"case_id": cid, "position": 0, "type": "delivered", "date": "2026-09-21"})
    )
    assert (ra.status, rb.status) == ("applied", "applied")
    rn = b.push_one(
        b.insert("note", new_id(), {"case_id": cid, "date": "2026-09-21", "author": "李", "text": "已电话"})
    )
    assert rn.status == "applied"

    edit = a.push_one(a.update("event", e1, 1, {"date": ("2026-09-20", "2026-09-19")}))
    assert (edit.status, edit.reason) == ("refused", "append_only")
    drop = a.push_one(a.delete("event", e2, 1, {"date": "2026-09-21"}))
    assert (drop.status, drop.reason) == ("refused", "append_only")
    entries, _ = a.pull_all()
    assert sorted(e.entity for e in entries) == ["case", "event", "event", "note"]


def test_the_same_case_inserted_on_two_devices_merges_field_by_field(service: SyncService) -> None:
    # One case file imported on two machines: the same id, and one field that differs.
    a = Clerk(service, "zhang", "自然资源局")
    b = Clerk(service, "li", "自然资源局")
    cid = new_id()
    a.push_one(a.insert("case", cid, case_fields()))
    same = b.push_one(b.insert("case", cid, case_fields()))
    assert (same.status, same.rev, same.conflicts) == ("applied", 1, [])
    other = b.push_one(b.insert("case", cid, case_fields(name="张叁")))
    assert other.status == "conflict"
    assert [(c.field, c.base, c.mine, c.theirs) for c in other.conflicts] == [
        ("applicant_name", None, "张叁", "张三")
    ]


def test_the_national_calendar_is_shared_and_only_an_admin_writes_it(service: SyncService) -> None:
    clerk = Clerk(service, "zhang", "自然资源局")
    admin = Clerk(service, "root", "办公室", role="admin")
    other = Clerk(service, "wang", "生态环境局")
    year = {"value": {"format": "yishen-calendar/1", "year": 2027, "rest_days": ["2027-01-01"]}}
    refused = clerk.push_one(clerk.insert("setting", "calendar:2027", year))
    assert (refused.status, refused.reason) == ("refused", "admin_only")
    assert admin.push_one(admin.insert("setting", "calendar:2027", year)).status == "applied"
    # An office's local overlay stays its own.
    local = {"value": {"year": 2027, "rest_days": ["2027-03-03"], "local": True}}
    assert clerk.push_one(clerk.insert("setting", "calendar:2027:local", local)).status == "applied"

    for who in (clerk, other):
        entries, _ = who.pull_all()
        assert ("setting", "calendar:2027") in {(e.entity, e.entity_id) for e in entries}
    assert ("setting", "calendar:2027:local") not in {(e.entity, e.entity_id) for e in other.pull_all()[0]}


def test_bad_ops_are_refused_one_by_one(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    cid = new_id()
    results = a.push(
        a.insert("case", cid, case_fields()),
        a.insert("spaceship", new_id(), {"x": 1}),
        a.insert("case", new_id(), {}),
        a.update("case", new_id(), 1, {"applicant_name": ("a", "b")}),
        a.insert("item", new_id(), {"case_id": new_id(), "description": "x"}),
        a.update("case", cid, 1, {"tags": (["土地征收"], ["土地征收", "拆迁"])}),
    )
    assert [(r.status, r.reason) for r in results] == [
        ("applied", None),
        ("refused", "unknown_entity"),
        ("refused", "empty_op"),
        ("refused", "not_found"),
        ("refused", "unknown_parent"),
        ("applied", None),
    ]
    assert all(r.message for r in results if r.status == "refused")


def test_pull_pages_follow_the_cursor_without_gaps(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    b = Clerk(service, "wang", "生态环境局")
    for i in range(12):
        a.push_one(a.insert("case", new_id(), case_fields(number=f"2026-{i:04d}")))
        b.push_one(b.insert("case", new_id(), case_fields(number=f"2026-{i:04d}")))
    pages = []
    cursor = 0
    while True:
        page = service.pull(a.who, cursor, 5)
        pages.append(page)
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert [len(pg.entries) for pg in pages] == [5, 5, 2]
    seqs = [e.seq for pg in pages for e in pg.entries]
    assert seqs == sorted(seqs) and len(set(seqs)) == 12
    # The last page moves the cursor to the head, past the other department's entries.
    assert pages[-1].next_cursor == 24
    assert service.pull(a.who, pages[-1].next_cursor, 5).entries == []


def test_a_push_for_another_device_is_refused(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    op = a.insert("case", new_id(), case_fields())
    with pytest.raises(AuthError) as exc:
        service.push(a.who, p.PushRequest(device_id=new_id(), ops=[op]))
    assert exc.value.kind == "device_mismatch"


def test_keeping_theirs_settles_the_conflict_without_changing_the_row(service: SyncService) -> None:
    a = Clerk(service, "zhang", "自然资源局")
    b = Clerk(service, "li", "自然资源局")
    other = Clerk(service, "wang", "生态环境局")
    cid = new_id()
    a.push_one(a.insert("case", cid, case_fields()))
    a.push_one(a.update("case", cid, 1, {"applicant_phone": ("13800000000", "13911112222")}))
    (conflict,) = b.push_one(b.update("case", cid, 1, {"applicant_phone": ("13800000000", "137")})).conflicts

    # Another department cannot close it, even naming its id.
    foreign = other.push_one(other.op("case", cid, "update", {}, 1, [conflict.id]))
    assert (foreign.status, foreign.reason) == ("refused", "not_found")

    kept = b.push_one(b.op("case", cid, "update", {}, 2, [conflict.id]))
    assert (kept.status, kept.rev, kept.applied_fields) == ("applied", 2, [])
    assert _row(service, "case", cid, "自然资源局")["applicant_phone"] == "13911112222"
    with service.engine.connect() as conn:
        closed = conn.execute(sa.select(db.conflicts.c.resolved_by).where(db.conflicts.c.id == conflict.id))
        assert closed.scalar_one() == "li"
