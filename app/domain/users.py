"""Who works in a data folder: users, their roles and who may review a letter (design.md §6).

A user is named by the login name the program sees (the actor every audit entry records) and has a
display name (中文姓名), one role and an active flag. Users are never deleted, only deactivated: the
audit trail and the letters' review records name them.

Roles are the sync server's (``app.server.service.ROLES``): a clerk (经办人) drafts, a reviewer (审核人)
approves or sends back, an administrator (管理员) does both and manages the users. A reviewer never
approves a letter they drafted (four-eyes), except in a one-person office — a folder with a single
active user — which must still be able to work; the review then says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.errors import InputError, RuleError

CLERK = "clerk"
REVIEWER = "reviewer"
ADMIN = "admin"
ROLES = (CLERK, REVIEWER, ADMIN)
ROLE_LABELS: dict[str, str] = {CLERK: "经办人", REVIEWER: "审核人", ADMIN: "管理员"}
REVIEW_ROLES = frozenset({REVIEWER, ADMIN})

MAX_LOGIN = 64
MAX_NAME = 40

# Said in the review record when the drafter approves their own letter in a one-person office.
SELF_REVIEW_NOTE = "（本数据文件夹只有一名在用用户，由拟稿人自行审核）"


@dataclass(frozen=True)
class User:
    login: str
    name: str
    role: str
    active: bool = True

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def may_review(self) -> bool:
        return self.active and self.role in REVIEW_ROLES

    @property
    def is_admin(self) -> bool:
        return self.active and self.role == ADMIN

    def to_dict(self) -> dict[str, Any]:
        return {"login": self.login, "name": self.name, "role": self.role, "active": self.active}

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> User:
        return cls(
            login=str(obj["login"]),
            name=str(obj.get("name") or obj["login"]),
            role=str(obj.get("role", CLERK)),
            active=bool(obj.get("active", True)),
        )


def same_login(a: str, b: str) -> bool:
    """Login names compare without case: Windows reports the same account as ``Zhang`` or ``zhang``."""
    return a.strip().casefold() == b.strip().casefold()


def find_user(users: Iterable[User], login: str) -> User | None:
    return next((u for u in users if same_login(u.login, login)), None)


def active_users(users: Iterable[User]) -> list[User]:
    return [u for u in users if u.active]


def active_admins(users: Iterable[User]) -> list[User]:
    return [u for u in users if u.is_admin]


def _text(value: str, field: str, max_len: int) -> str:
    text = value.strip()
    if not text:
        raise InputError("required", field=field)
    if len(text) > max_len:
        raise InputError("too_long", field=field, max=max_len, length=len(text))
    for position, char in enumerate(text, 1):
        if not char.isprintable():
            raise InputError("control_char", field=field, codepoint=ord(char), position=position)
    return text


def check_login(login: str) -> str:
    return _text(login, "login", MAX_LOGIN)


def check_name(name: str) -> str:
    return _text(name, "name", MAX_NAME)


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InputError("bad_choice", field="role", value=role, choices=[ROLE_LABELS[r] for r in ROLES])
    return role


def acting_refusal(users: Sequence[User], login: str) -> RuleError | None:
    """Why ``login`` cannot act as a user of this folder (unknown, deactivated), or None."""
    user = find_user(users, login)
    if user is None:
        return RuleError("user_unknown", login=login)
    if not user.active:
        return RuleError("user_inactive", login=user.login, name=user.name)
    return None


def manage_refusal(users: Sequence[User], login: str) -> RuleError | None:
    """Why ``login`` may not add or change users (only an active administrator may), or None."""
    refusal = acting_refusal(users, login)
    if refusal is not None:
        return refusal
    user = find_user(users, login)
    assert user is not None
    if user.role != ADMIN:
        return RuleError("user_not_admin", login=user.login, name=user.name, role=user.role_label)
    return None


def review_refusal(users: Sequence[User], login: str, drafter: str, *, approve: bool) -> RuleError | None:
    """Why ``login`` may not approve (``approve``) or send back a letter ``drafter`` drafted, or None.

    Only a reviewer or an administrator reviews; nobody approves their own draft while another active
    user could (four-eyes). Sending one's own draft back is allowed: it only keeps it a draft.
    """
    refusal = acting_refusal(users, login)
    if refusal is not None:
        return refusal
    user = find_user(users, login)
    assert user is not None
    if user.role not in REVIEW_ROLES:
        return RuleError("review_role", login=user.login, name=user.name, role=user.role_label)
    if approve and same_login(login, drafter) and not is_one_person_office(users):
        return RuleError("own_draft", login=user.login, name=user.name)
    return None


def is_one_person_office(users: Sequence[User]) -> bool:
    return len(active_users(users)) == 1


def is_self_review(users: Sequence[User], login: str, drafter: str) -> bool:
    """Whether an approval by ``login`` of ``drafter``'s letter is the one-person office's exception."""
    return same_login(login, drafter) and is_one_person_office(users)


def check_admin_remains(users: Sequence[User]) -> None:
    """At least one active administrator always remains, or nobody could manage the users again."""
    if not active_admins(users):
        raise RuleError("last_admin")


def who(users: Iterable[User], login: str) -> str:
    """A login as records show it: ``张敏（zhangmin）`` for a known user, else the login as recorded."""
    user = find_user(users, login)
    if user is None or user.name == user.login:
        return login
    return f"{user.name}（{login}）"
