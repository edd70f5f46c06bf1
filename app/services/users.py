"""Use cases on the users of a data folder: list, add, change role or name, deactivate (design.md §6).

The users are kept under one settings key as JSON, so every change is audited (``setting.put`` with
the old and the new list), carried by the outbox like the agency profile and needs no table of its
own. Each change is one transaction. A folder without users (one created before users existed)
treats the login that first uses it as its administrator and records it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from app.domain.errors import InputError, NotFound
from app.domain.users import (
    ADMIN,
    User,
    check_admin_remains,
    check_login,
    check_name,
    check_role,
    find_user,
    manage_refusal,
)
from app.services.ports import UnitOfWork

USERS_KEY = "users"


def list_users(uow: UnitOfWork) -> list[User]:
    """The folder's users in the order they were added (deactivated ones included)."""
    data = uow.settings.get(USERS_KEY)
    if not isinstance(data, list):
        return []
    return [User.from_dict(obj) for obj in data if isinstance(obj, dict) and obj.get("login")]


def get_user(uow: UnitOfWork, login: str) -> User | None:
    return find_user(list_users(uow), login)


def _store(uow: UnitOfWork, users: list[User]) -> None:
    uow.settings.put(USERS_KEY, [u.to_dict() for u in users])


def record_first_admin(uow: UnitOfWork, login: str, name: str = "") -> list[User]:
    """The users, after recording ``login`` as administrator if there were none (not committed).

    A folder from before users existed, or one just created: whoever opens it first is the one who
    has been running it, so they keep every right they had.
    """
    users = list_users(uow)
    if users:
        return users
    login = check_login(login)
    first = User(login=login, name=check_name(name) if name.strip() else login, role=ADMIN)
    _store(uow, [first])
    return [first]


def sign_in(uow: UnitOfWork, login: str, *, name: str = "") -> User | None:
    """The user ``login`` is (None when not a user of this folder); records the first administrator.

    Commits only when it recorded one. A deactivated user is returned as such: the caller decides.
    """
    had_users = bool(list_users(uow))
    users = record_first_admin(uow, login, name)
    if not had_users:
        uow.commit()
    return find_user(users, login)


def _managed(uow: UnitOfWork, actor: str) -> list[User]:
    users = record_first_admin(uow, actor)
    refusal = manage_refusal(users, actor)
    if refusal is not None:
        raise refusal
    return users


def _index(users: list[User], login: str) -> int:
    user = find_user(users, login)
    if user is None:
        raise NotFound("user_not_found", login=login)
    return users.index(user)


def add_user(uow: UnitOfWork, actor: str, *, login: str, name: str, role: str) -> User:
    """An administrator adds a user (active); the login name must be new to the folder."""
    users = _managed(uow, actor)
    login = check_login(login)
    name = check_name(name)
    role = check_role(role)
    taken = find_user(users, login)
    if taken is not None:
        raise InputError("user_exists", field="login", value=login, name=taken.name)
    user = User(login=login, name=name, role=role)
    _store(uow, [*users, user])
    uow.commit()
    return user


def _change(uow: UnitOfWork, actor: str, login: str, change: Callable[[User], User]) -> User:
    users = _managed(uow, actor)
    i = _index(users, login)
    updated = change(users[i])
    if updated == users[i]:
        return updated
    users[i] = updated
    check_admin_remains(users)
    _store(uow, users)
    uow.commit()
    return updated


def change_role(uow: UnitOfWork, actor: str, login: str, role: str) -> User:
    """An administrator gives a user another role; the last active administrator keeps theirs."""
    role = check_role(role)
    return _change(uow, actor, login, lambda u: dataclasses.replace(u, role=role))


def rename_user(uow: UnitOfWork, actor: str, login: str, name: str) -> User:
    """An administrator corrects a user's display name (姓名)."""
    name = check_name(name)
    return _change(uow, actor, login, lambda u: dataclasses.replace(u, name=name))


def set_active(uow: UnitOfWork, actor: str, login: str, active: bool) -> User:
    """停用/启用: a deactivated user stays listed (the audit trail names them) but can no longer review.

    The last active administrator cannot be deactivated.
    """
    return _change(uow, actor, login, lambda u: dataclasses.replace(u, active=active))
