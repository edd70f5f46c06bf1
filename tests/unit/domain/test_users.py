"""Who may review and who may manage users (app.domain.users): pure rules, no disk."""

from __future__ import annotations

import pytest

from app.domain.errors import InputError, RuleError
from app.domain.users import (
    ROLE_LABELS,
    ROLES,
    User,
    check_admin_remains,
    check_login,
    check_name,
    check_role,
    is_self_review,
    manage_refusal,
    review_refusal,
    who,
)
from app.messages import MESSAGES, describe

ADMIN = User("zhangmin", "张敏", "admin")
REVIEWER = User("lihua", "李华", "reviewer")
CLERK = User("wangfang", "王芳", "clerk")
GONE = User("zhaolei", "赵磊", "reviewer", active=False)
OFFICE = [ADMIN, REVIEWER, CLERK, GONE]


def _kind(error: RuleError | None) -> str | None:
    return None if error is None else error.kind


@pytest.mark.parametrize(
    ("users", "login", "drafter", "approve", "kind"),
    [
        pytest.param(OFFICE, "lihua", "wangfang", True, None, id="reviewer-approves-clerks-draft"),
        pytest.param(OFFICE, "zhangmin", "wangfang", True, None, id="admin-approves"),
        pytest.param(OFFICE, "wangfang", "lihua", True, "review_role", id="clerk-may-not-approve"),
        pytest.param(OFFICE, "wangfang", "lihua", False, "review_role", id="clerk-may-not-send-back"),
        pytest.param(OFFICE, "lihua", "lihua", True, "own_draft", id="four-eyes-own-draft"),
        pytest.param(OFFICE, "LiHua", "lihua", True, "own_draft", id="four-eyes-login-case-insensitive"),
        pytest.param(OFFICE, "lihua", "lihua", False, None, id="own-draft-may-be-sent-back"),
        pytest.param(OFFICE, "zhaolei", "wangfang", True, "user_inactive", id="deactivated-reviewer"),
        pytest.param(OFFICE, "nobody", "wangfang", True, "user_unknown", id="unknown-login"),
        pytest.param([ADMIN], "zhangmin", "zhangmin", True, None, id="one-person-office-self-review"),
        pytest.param([ADMIN, GONE], "zhangmin", "zhangmin", True, None, id="deactivated-users-do-not-count"),
        pytest.param([ADMIN, CLERK], "zhangmin", "zhangmin", True, "own_draft", id="two-active-users"),
    ],
)
def test_review_refusal(users: list[User], login: str, drafter: str, approve: bool, kind: str | None) -> None:
    assert _kind(review_refusal(users, login, drafter, approve=approve)) == kind


def test_the_refusals_read_in_chinese_with_who_and_why() -> None:
    clerk = review_refusal(OFFICE, "wangfang", "lihua", approve=True)
    assert clerk is not None
    assert (
        describe(clerk)
        == "只有审核人或管理员可以审核文书（审核通过或退回修改）；王芳（wangfang）的角色是经办人。"
    )
    own = review_refusal(OFFICE, "lihua", "lihua", approve=True)
    assert own is not None and describe(own).startswith("不能审核通过自己拟稿的文书（拟稿人：李华）")
    manage = manage_refusal(OFFICE, "lihua")
    assert manage is not None
    assert describe(manage) == "只有管理员可以添加用户、更改角色或停用用户；李华（lihua）的角色是审核人。"
    for kind in ("user_unknown", "user_inactive", "last_admin", "user_exists", "user_not_found"):
        assert MESSAGES[kind]


def test_self_review_only_in_a_one_person_office() -> None:
    assert is_self_review([ADMIN, GONE], "zhangmin", "ZhangMin")
    assert not is_self_review(OFFICE, "zhangmin", "zhangmin")
    assert not is_self_review([ADMIN], "zhangmin", "lihua")


def test_only_an_active_admin_manages_users() -> None:
    assert manage_refusal(OFFICE, "zhangmin") is None
    assert _kind(manage_refusal(OFFICE, "wangfang")) == "user_not_admin"
    assert _kind(manage_refusal([*OFFICE, User("old", "老管理员", "admin", False)], "old")) == "user_inactive"
    check_admin_remains(OFFICE)
    with pytest.raises(RuleError) as exc:
        check_admin_remains([REVIEWER, User("x", "前管理员", "admin", active=False)])
    assert exc.value.kind == "last_admin"


def test_inputs_are_checked() -> None:
    assert check_login("  lihua ") == "lihua"
    assert check_name(" 李华") == "李华"
    for bad, kind in [
        ("", "required"),
        ("   ", "required"),
        ("a" * 65, "too_long"),
        ("li\x07hua", "control_char"),
    ]:
        with pytest.raises(InputError) as exc:
            check_login(bad)
        assert (exc.value.kind, exc.value.field) == (kind, "login")
    with pytest.raises(InputError) as exc:
        check_role("boss")
    assert exc.value.kind == "bad_choice" and exc.value.params["choices"] == ["经办人", "审核人", "管理员"]
    assert [ROLE_LABELS[r] for r in ROLES] == ["经办人", "审核人", "管理员"]


def test_a_stored_user_round_trips() -> None:
    assert User.from_dict(GONE.to_dict()) == GONE
    assert User.from_dict({"login": "x"}) == User("x", "x", "clerk", True)


def test_records_show_a_known_login_with_its_name() -> None:
    users = [User("zhangmin", "张敏", "admin"), User("测试", "测试", "clerk")]
    assert who(users, "ZhangMin") == "张敏（ZhangMin）"  # as recorded, matched without case
    assert who(users, "测试") == "测试"  # the name is the login: said once
    assert who(users, "lihua") == "lihua"  # not (or no longer) a user: the login as recorded
