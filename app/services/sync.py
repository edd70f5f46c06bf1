"""The sync use case (design.md §5): log in once, then rounds of push-the-outbox and pull-the-changes.

A round pushes the outbox in ``seq`` order in batches; outbox rows leave only after the server has
answered every op made from them, one local transaction per batch. Then it pulls the change log
after the stored cursor, one local transaction per page that applies the rows and advances the
cursor together, so a dropped connection leaves whole pages or nothing. Conflicts the server reports
(in a push answer or in the feed) are kept locally until a clerk resolves them; a resolution is a
normal local change, which the next round pushes with the conflict's id.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app.domain.errors import InputError
from app.services.ports import SyncConflictRecord, SyncUnitOfWork, TokenStore
from app.sync import protocol as p
from app.sync.client import SyncClient, check_server_url

META_SERVER, META_USER, META_CURSOR, META_SERVER_ID = (
    "sync.server",
    "sync.user",
    "sync.cursor",
    "sync.server_id",
)

Units = Callable[[str], SyncUnitOfWork]
"""A unit of work for an actor (the audit's name for who made the changes)."""

ClientFactory = Callable[[str, str | None], SyncClient]


def _client(url: str, token: str | None) -> SyncClient:
    return SyncClient(url, token)


@dataclass(frozen=True)
class SyncSummary:
    pushed: int
    refused: int
    pulled: int
    conflicts: int
    """Conflict records new in this round."""
    open_conflicts: int
    refusals: tuple[str, ...] = ()


def sync_actor(user: str) -> str:
    return f"sync:{user}"


def login(
    units: Units,
    tokens: TokenStore,
    *,
    server: str,
    user: str,
    password: str,
    actor: str,
    device_name: str = "",
    client_factory: ClientFactory = _client,
) -> p.LoginResponse:
    """Log in and keep the server URL (database, local-only) and the token (keyring); never the password."""
    url = check_server_url(server)
    with units(actor) as uow:
        device_id = uow.sync.device_id
        previous_server_id = uow.sync.get(META_SERVER_ID)
    with client_factory(url, None) as client:
        answer = client.login(user, password, device_id, device_name)
    tokens.save(device_id, answer.token)
    with units(actor) as uow:
        uow.sync.put(META_SERVER, url)
        uow.sync.put(META_USER, answer.name)
        if previous_server_id != answer.server_id:
            # A different (or re-created) server: its change log numbers mean nothing to our cursor.
            uow.sync.put(META_CURSOR, "0")
            uow.sync.put(META_SERVER_ID, answer.server_id)
        uow.commit()
    return answer


def configured(units: Units, actor: str) -> tuple[str, str] | None:
    with units(actor) as uow:
        server, user = uow.sync.get(META_SERVER), uow.sync.get(META_USER)
    return (server, user) if server and user else None


def sync_round(
    units: Units, tokens: TokenStore, *, actor: str, client_factory: ClientFactory = _client
) -> SyncSummary:
    """Push the outbox, then pull and apply everything after the cursor."""
    with units(actor) as uow:
        server, user = uow.sync.get(META_SERVER), uow.sync.get(META_USER)
        device_id = uow.sync.device_id
    if not server or not user:
        raise InputError("sync_not_configured")
    token = tokens.load(device_id)
    if not token:
        raise InputError("sync_not_configured")
    puller = sync_actor(user)
    with client_factory(server, token) as client:
        pushed, refused, refusals, new_conflicts = _push(units, client, puller, device_id)
        pulled, pulled_conflicts = _pull(units, client, puller)
    with units(actor) as uow:
        still_open = len(uow.sync.conflicts())
    return SyncSummary(pushed, refused, pulled, new_conflicts + pulled_conflicts, still_open, tuple(refusals))


def _push(units: Units, client: SyncClient, actor: str, device_id: str) -> tuple[int, int, list[str], int]:
    after = 0
    pushed = refused = conflicts = 0
    refusals: list[str] = []
    while True:
        with units(actor) as uow:
            batch = uow.sync.outbox_batch(after)
        if not batch.rows:
            return pushed, refused, refusals, conflicts
        results: dict[str, p.OpResult] = {}
        if batch.ops:
            answer = client.push(p.PushRequest(device_id=device_id, ops=list(batch.ops)))
            results = {r.op_id: r for r in answer.results}
        done: list[int] = []
        with units(actor) as uow:
            for seq, op_ids in batch.rows.items():
                answers = [results.get(op_id) for op_id in op_ids]
                if any(a is None for a in answers):
                    continue  # not answered: stays for the next round
                bad = [a for a in answers if a is not None and a.status == "refused"]
                if bad:
                    refused += 1
                    refusals.extend(a.message or a.reason or "" for a in bad)
                    continue  # kept in the outbox: the clerk is told, nothing is lost
                done.append(seq)
                pushed += 1
                for a in answers:
                    assert a is not None
                    for c in a.conflicts:
                        conflicts += uow.sync.record_conflict(c.model_dump())
            uow.sync.acknowledge(done)
            uow.commit()
        after = batch.last_seq


def _pull(units: Units, client: SyncClient, actor: str) -> tuple[int, int]:
    pulled = conflicts = 0
    with units(actor) as uow:
        cursor = uow.sync.cursor()
    while True:
        page = client.pull(cursor)
        with units(actor) as uow:
            changed, new = uow.sync.apply(page.entries)
            uow.sync.put(META_CURSOR, str(page.next_cursor))
            uow.commit()
        pulled += changed
        conflicts += new
        cursor = page.next_cursor
        if not page.has_more:
            return pulled, conflicts


# --------------------------------------------------------------------------- conflicts


def open_conflicts(units: Units, actor: str) -> Sequence[SyncConflictRecord]:
    with units(actor) as uow:
        return list(uow.sync.conflicts())


def conflict_dict(c: SyncConflictRecord) -> dict[str, Any]:
    return {
        "id": c.id,
        "entity": c.entity,
        "entity_id": c.entity_id,
        "field": c.field,
        "base": c.base,
        "mine": c.mine,
        "theirs": c.theirs,
    }


def resolve_conflict(
    units: Units,
    actor: str,
    conflict_id: str,
    *,
    keep: Literal["mine", "theirs"] | None = None,
    value: str | None = None,
) -> None:
    """Settle one open conflict with a local change (pushed by the next round with the conflict's id).

    ``value`` is text when the field holds text on either side, else JSON when it parses (a list of
    tags, a number), else text.
    """
    if (keep is None) == (value is None):
        raise InputError("one_action", value="--keep / --value")
    with units(actor) as uow:
        found = {c.id: c for c in uow.sync.conflicts()}.get(conflict_id)
        if found is None:
            raise InputError("conflict_not_found", id=conflict_id)
        if keep == "mine":
            new = found.mine
        elif keep == "theirs":
            new = found.theirs
        else:
            assert value is not None
            new = value
            if not any(isinstance(v, str) for v in (found.mine, found.theirs, found.base)):
                try:
                    new = json.loads(value)
                except ValueError:
                    new = value
        uow.sync.resolve(conflict_id, new)
        uow.commit()
