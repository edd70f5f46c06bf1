"""Users and the review check on a real encrypted database: stored, audited, one transaction each."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.errors import InputError, NotFound, RuleError, YishenError
from app.domain.letters import LetterRecord, LetterStatus
from app.domain.users import SELF_REVIEW_NOTE, User
from app.services import letters
from app.services import users as service
from app.services.settings import save_agency
from app.store import Database, create_home
from tests.integration.store.test_letters import TODAY, _stored
from tests.support.memorykeyring import MemoryKeyring, memory_keyring  # noqa: F401  (autouse fixture)
from tests.unit.letters.samples import AGENCY, mixed_case

NUMBER = "2026-0043"  # mixed_case()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = create_home(tmp_path / "home", passphrase=None)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def office(db: Database) -> Database:
    """A folder with a case, whose users are 张敏 (admin), 李华 (reviewer) and 王芳 (clerk)."""
    with db.unit_of_work("zhangmin") as uow:
        save_agency(uow, AGENCY)
        uow.cases.add_many([_stored(mixed_case())])
        uow.commit()
        assert service.sign_in(uow, "zhangmin", name="张敏") == User("zhangmin", "张敏", "admin")
        service.add_user(uow, "zhangmin", login="lihua", name="李华", role="reviewer")
        service.add_user(uow, "zhangmin", login="wangfang", name="王芳", role="clerk")
    return db


def _users(db: Database) -> list[User]:
    with db.unit_of_work(read_only=True) as uow:
        return service.list_users(uow)


def _audit(db: Database) -> list[tuple[str, str, dict[str, object]]]:
    """(actor, action, payload) of every audit entry about the users setting."""
    with db.unit_of_work() as uow:
        rows = (
            uow._connection()
            .exec_driver_sql(
                "SELECT actor, action, payload FROM audit WHERE entity = 'setting' AND entity_id = 'users' ORDER BY seq"
            )
            .all()
        )
    return [(r[0], r[1], json.loads(r[2])) for r in rows]


def _refused(db: Database, actor: str, call: object, kind: str) -> YishenError:
    before = _users(db), len(_audit(db))
    with db.unit_of_work(actor) as uow, pytest.raises(YishenError) as exc:
        call(uow)  # type: ignore[operator]
    assert exc.value.kind == kind
    assert (_users(db), len(_audit(db))) == before  # nothing kept
    return exc.value


def test_a_folder_without_users_records_its_first_login_as_administrator(db: Database) -> None:
    assert _users(db) == []
    with db.unit_of_work("zhangmin") as uow:
        assert service.sign_in(uow, "zhangmin") == User("zhangmin", "zhangmin", "admin")
    with db.unit_of_work("lihua") as uow:
        assert service.sign_in(uow, "lihua") is None  # not a user; nothing recorded for them
    assert _users(db) == [User("zhangmin", "zhangmin", "admin")]
    (entry,) = _audit(db)
    assert entry[:2] == ("zhangmin", "setting.put")
    assert entry[2] == {"value": {"old": None, "new": [User("zhangmin", "zhangmin", "admin").to_dict()]}}


def test_an_administrator_adds_changes_and_deactivates_users_each_audited(office: Database) -> None:
    assert _users(office) == [
        User("zhangmin", "张敏", "admin"),
        User("lihua", "李华", "reviewer"),
        User("wangfang", "王芳", "clerk"),
    ]
    with office.unit_of_work("zhangmin") as uow:
        assert service.change_role(uow, "zhangmin", "WangFang", "reviewer").role == "reviewer"
        assert service.rename_user(uow, "zhangmin", "lihua", " 李华（科长） ").name == "李华（科长）"
        assert not service.set_active(uow, "zhangmin", "lihua", False).active
    assert _users(office)[1:] == [
        User("lihua", "李华（科长）", "reviewer", False),
        User("wangfang", "王芳", "reviewer"),
    ]
    entries = _audit(office)
    assert [(actor, action) for actor, action, _ in entries] == [("zhangmin", "setting.put")] * 6
    last = entries[-1][2]["value"]
    assert isinstance(last, dict)
    assert [u["active"] for u in last["old"]] == [True, True, True]
    assert [u["active"] for u in last["new"]] == [True, False, True]
    # Deactivated, never deleted: enabled again with the same record.
    with office.unit_of_work("zhangmin") as uow:
        assert service.set_active(uow, "zhangmin", "lihua", True).active


def test_refusals_keep_nothing(office: Database) -> None:
    _refused(
        office,
        "lihua",
        lambda uow: service.add_user(uow, "lihua", login="x", name="某", role="clerk"),
        "user_not_admin",
    )
    _refused(
        office,
        "wangfang",
        lambda uow: service.change_role(uow, "wangfang", "wangfang", "admin"),
        "user_not_admin",
    )
    _refused(
        office, "stranger", lambda uow: service.set_active(uow, "stranger", "lihua", False), "user_unknown"
    )
    err = _refused(
        office,
        "zhangmin",
        lambda uow: service.add_user(uow, "zhangmin", login="LIHUA", name="另一个李华", role="clerk"),
        "user_exists",
    )
    assert isinstance(err, InputError) and err.field == "login"
    _refused(
        office,
        "zhangmin",
        lambda uow: service.add_user(uow, "zhangmin", login=" ", name="某", role="clerk"),
        "required",
    )
    _refused(
        office,
        "zhangmin",
        lambda uow: service.add_user(uow, "zhangmin", login="a", name="某", role="boss"),
        "bad_choice",
    )
    nf = _refused(
        office,
        "zhangmin",
        lambda uow: service.change_role(uow, "zhangmin", "nobody", "clerk"),
        "user_not_found",
    )
    assert isinstance(nf, NotFound)
    # At least one active administrator always remains: neither demoted nor deactivated.
    last = _refused(
        office,
        "zhangmin",
        lambda uow: service.change_role(uow, "zhangmin", "zhangmin", "clerk"),
        "last_admin",
    )
    assert isinstance(last, RuleError)
    _refused(
        office, "zhangmin", lambda uow: service.set_active(uow, "zhangmin", "zhangmin", False), "last_admin"
    )


def test_with_a_second_administrator_the_first_may_step_down(office: Database) -> None:
    with office.unit_of_work("zhangmin") as uow:
        service.change_role(uow, "zhangmin", "lihua", "admin")
        service.change_role(uow, "zhangmin", "zhangmin", "clerk")
    _refused(
        office,
        "zhangmin",
        lambda uow: service.change_role(uow, "zhangmin", "zhangmin", "admin"),
        "user_not_admin",
    )
    with office.unit_of_work("lihua") as uow:
        service.set_active(uow, "lihua", "zhangmin", False)
    assert [(u.login, u.role, u.active) for u in _users(office)] == [
        ("zhangmin", "clerk", False),
        ("lihua", "admin", True),
        ("wangfang", "clerk", True),
    ]


def _draft(db: Database, actor: str, kind: str = "reply") -> str:
    with db.unit_of_work(actor) as uow:
        return letters.prepare_letter(uow, NUMBER, kind, today=TODAY, actor=actor).record.id


def _review(
    db: Database, who: str, letter_id: str, *, approve: bool = True, comment: str = ""
) -> LetterRecord:
    with db.unit_of_work(who) as uow:
        return letters.review_letter(
            uow, letter_id, reviewer=who, approve=approve, comment=comment, today=TODAY
        )


def test_only_reviewers_and_administrators_review_and_never_their_own_draft(office: Database) -> None:
    letter_id = _draft(office, "lihua")  # the reviewer drafts this one herself

    for who, approve, kind in [
        ("wangfang", True, "review_role"),
        ("wangfang", False, "review_role"),
        ("lihua", True, "own_draft"),
        ("stranger", True, "user_unknown"),
    ]:
        with office.unit_of_work(who) as uow, pytest.raises(RuleError) as exc:
            letters.review_letter(uow, letter_id, reviewer=who, approve=approve, comment="意见", today=TODAY)
        assert exc.value.kind == kind, who
    with office.unit_of_work(read_only=True) as uow:
        record = letters.get_letter(uow, letter_id)
        assert record.status == LetterStatus.DRAFT and record.reviews == ()
        # The screens ask the same rule before offering the buttons.
        assert letters.review_refusal_for(uow, "lihua", record, approve=False) is None
        refusal = letters.review_refusal_for(uow, "lihua", record, approve=True)
        assert refusal is not None and refusal.kind == "own_draft"

    _review(
        office, "lihua", letter_id, approve=False, comment="自己退回：再核对一遍"
    )  # own draft: may send back
    stored = _review(office, "zhangmin", letter_id)
    assert stored.status == LetterStatus.REVIEWED
    assert [(r.by, r.approved, r.comment) for r in stored.reviews] == [
        ("lihua", False, "自己退回：再核对一遍"),
        ("zhangmin", True, ""),
    ]

    # A deactivated reviewer reviews nothing.
    other = _draft(office, "wangfang", "receipt")
    with office.unit_of_work("zhangmin") as uow:
        service.set_active(uow, "zhangmin", "lihua", False)
    with office.unit_of_work("lihua") as uow, pytest.raises(RuleError) as exc:
        letters.review_letter(uow, other, reviewer="lihua", approve=True, today=TODAY)
    assert exc.value.kind == "user_inactive"


def test_a_one_person_office_approves_its_own_draft_and_the_review_says_so(db: Database) -> None:
    with db.unit_of_work("zhangmin") as uow:
        save_agency(uow, AGENCY)
        uow.cases.add_many([_stored(mixed_case())])
        uow.commit()
    letter_id = _draft(db, "zhangmin")
    assert _users(db) == []  # a folder from before users: the reviewer is recorded as administrator
    stored = _review(db, "zhangmin", letter_id, comment="已核对")
    assert stored.status == LetterStatus.REVIEWED
    (review,) = stored.reviews
    assert (review.by, review.comment) == ("zhangmin", "已核对" + SELF_REVIEW_NOTE)
    assert _users(db) == [User("zhangmin", "zhangmin", "admin")]
    # The review and the recorded administrator are in the same audit trail.
    assert [a[1] for a in _audit(db)] == ["setting.put"]


def test_a_refused_first_review_records_no_administrator(db: Database) -> None:
    with db.unit_of_work("zhangmin") as uow:
        save_agency(uow, AGENCY)
        uow.cases.add_many([_stored(mixed_case())])
        uow.commit()
    letter_id = _draft(db, "zhangmin")
    with db.unit_of_work("zhangmin") as uow, pytest.raises(InputError):
        letters.review_letter(uow, letter_id, reviewer="zhangmin", approve=False, comment="", today=TODAY)
    assert _users(db) == []
