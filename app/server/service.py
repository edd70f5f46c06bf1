"""What the sync server does, independent of HTTP: accounts and tokens, push (authorize, deduplicate, merge), pull.

Push (design.md §5). Each op is answered on its own, all ops of one request in one transaction under
the writer lock (``db.write_tx``):

1. an ``op_id`` seen before is answered from ``applied_ops`` (``duplicate``) and changes nothing;
2. the op is authorized: the row lives in the clerk's department (the department is part of every
   row's key), a child row's case must exist there, the shared national calendar is written by admins;
3. inserts create the row; updates are merged field by field against the op's base values
   (``app.sync.merge``): fields only this clerk changed are applied, fields both sides changed to
   different values become conflict records, never a silent overwrite; a delete of a row edited
   since the clerk saw it, and an edit of a deleted row, are whole-row conflicts;
4. every new revision is appended to ``change_log`` with the row's whole state, every op (refused
   ones too) to the audit chain.

Events and notes are append-only rows with their own client-made ids, so two clerks adding them never
conflict. Pull returns the change log after a cursor, filtered to the clerk's department plus the rows
every department shares.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

import argon2
import sqlalchemy as sa
from argon2 import PasswordHasher

from app.domain.errors import InputError
from app.server import audit, db
from app.server.errors import AuthError, ServerError
from app.server.messages import describe
from app.sync import protocol as p
from app.sync.chain import ChainCheck
from app.sync.merge import edited_since, merge_fields, same

ROLES = ("clerk", "reviewer", "admin")
MIN_PASSWORD_LENGTH = 8
CONSOLE = "控制台"
"""The actor of audit entries made with ``yishen-server`` on the server itself."""


@dataclass(frozen=True)
class Principal:
    """The clerk and device a request comes from (from its bearer token)."""

    user_id: int
    name: str
    department: str
    role: str
    device_id: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError("password_too_short", min=MIN_PASSWORD_LENGTH)


def _check_name(name: str) -> str:
    if not name or len(name) > 200 or any(c.isspace() for c in name):
        raise InputError("bad_user_name")
    return name


def _check_department(department: str) -> str:
    department = department.strip()
    if not department or len(department) > 200 or department == p.GLOBAL_DEPARTMENT:
        raise InputError("bad_department")
    return department


class SyncService:
    def __init__(self, engine: sa.Engine, *, hasher: PasswordHasher | None = None) -> None:
        self.engine = engine
        self._hasher = hasher or PasswordHasher()  # Argon2id with the library's current defaults
        self._dummy_hash: str | None = None
        self._server_id: str | None = None

    # ------------------------------------------------------------------ database

    def initialize(self) -> str:
        """Create the schema in an empty database; returns the new server id."""
        with db.write_tx(self.engine) as conn:
            if db.schema_version(conn) is not None:
                raise ServerError("db_exists", db=db.display(self.engine.url))
            db.metadata.create_all(conn)
            server_id = str(uuid.uuid4())
            at = db.utc_now()
            conn.execute(
                db.meta.insert(),
                [
                    {"key": "schema_version", "value": str(db.SCHEMA_VERSION)},
                    {"key": "server_id", "value": server_id},
                    {"key": "created_at", "value": at},
                ],
            )
            audit.AuditLog(conn).append(
                CONSOLE, "server.init", "server", server_id, {"schema_version": db.SCHEMA_VERSION}, at=at
            )
        self._server_id = server_id
        return server_id

    def check_ready(self) -> None:
        """Raise unless the database is initialized with a schema this code understands."""
        with db.read_tx(self.engine) as conn:
            version = db.schema_version(conn)
            if version is None:
                raise ServerError("db_not_initialized", db=db.display(self.engine.url))
            if version > db.SCHEMA_VERSION:
                raise ServerError("db_newer", found=version, supported=db.SCHEMA_VERSION)
            self._server_id = db.meta_value(conn, "server_id")

    @property
    def server_id(self) -> str:
        if self._server_id is None:
            self.check_ready()
        assert self._server_id is not None
        return self._server_id

    def verify_audit(self) -> ChainCheck:
        with db.read_tx(self.engine) as conn:
            return audit.verify(conn)

    # ------------------------------------------------------------------ accounts

    def add_user(self, name: str, department: str, role: str, password: str) -> None:
        name = _check_name(name)
        department = _check_department(department)
        if role not in ROLES:
            raise InputError("bad_choice", value=role, choices="、".join(ROLES))
        check_password(password)
        hashed = self._hasher.hash(password)  # outside the writer lock: it takes a while on purpose
        with db.write_tx(self.engine) as conn:
            if conn.execute(sa.select(db.users.c.id).where(db.users.c.name == name)).first() is not None:
                raise InputError("user_exists", name=name)
            at = db.utc_now()
            conn.execute(
                db.users.insert(),
                [
                    {
                        "name": name,
                        "department": department,
                        "role": role,
                        "password_hash": hashed,
                        "created_at": at,
                        "disabled": False,
                    }
                ],
            )
            audit.AuditLog(conn).append(
                CONSOLE, "user.add", "user", name, {"department": department, "role": role}, at=at
            )

    def set_password(self, name: str, password: str) -> int:
        """Change a clerk's password and sign out all their devices; returns how many tokens ended."""
        check_password(password)
        hashed = self._hasher.hash(password)
        with db.write_tx(self.engine) as conn:
            user_id = self._user_id(conn, name)
            at = db.utc_now()
            conn.execute(sa.update(db.users).where(db.users.c.id == user_id).values(password_hash=hashed))
            ended = self._revoke(conn, user_id, None, at)
            audit.AuditLog(conn).append(
                CONSOLE, "user.password", "user", name, {"tokens_revoked": ended}, at=at
            )
        return ended

    def revoke(self, name: str, device_id: str | None = None) -> int:
        """End the tokens of a clerk (of one device, or all); that device must log in again."""
        with db.write_tx(self.engine) as conn:
            user_id = self._user_id(conn, name)
            at = db.utc_now()
            ended = self._revoke(conn, user_id, device_id, at)
            audit.AuditLog(conn).append(
                CONSOLE,
                "token.revoke",
                "user",
                name,
                {"device_id": device_id, "tokens_revoked": ended},
                at=at,
            )
        return ended

    @staticmethod
    def _user_id(conn: sa.Connection, name: str) -> int:
        user_id = conn.execute(sa.select(db.users.c.id).where(db.users.c.name == name)).scalar()
        if user_id is None:
            raise InputError("no_such_user", name=name)
        return int(user_id)

    @staticmethod
    def _revoke(conn: sa.Connection, user_id: int, device_id: str | None, at: str) -> int:
        t = db.tokens
        stmt = sa.update(t).where(t.c.user_id == user_id, t.c.revoked_at.is_(None)).values(revoked_at=at)
        if device_id is not None:
            stmt = stmt.where(t.c.device_id == device_id)
        return int(conn.execute(stmt).rowcount)

    def login(self, req: p.LoginRequest) -> p.LoginResponse:
        u = db.users
        with db.read_tx(self.engine) as conn:
            user = conn.execute(sa.select(u).where(u.c.name == req.name)).first()
        # Verify outside any lock; an unknown name costs a verification too, so timing does not tell.
        ok = self._verify(user.password_hash if user is not None else None, req.password)
        at = db.utc_now()
        if user is None or not ok or user.disabled:
            with db.write_tx(self.engine) as conn:
                audit.AuditLog(conn).append(
                    req.name,
                    "login.refused",
                    "device",
                    req.device_id,
                    {"device_name": req.device_name},
                    at=at,
                )
            raise AuthError("bad_credentials")
        token = secrets.token_urlsafe(32)
        rehash = self._hasher.check_needs_rehash(user.password_hash)
        new_hash = self._hasher.hash(req.password) if rehash else None
        with db.write_tx(self.engine) as conn:
            conn.execute(
                db.tokens.insert(),
                [
                    {
                        "token_hash": token_hash(token),
                        "user_id": user.id,
                        "device_id": req.device_id,
                        "created_at": at,
                    }
                ],
            )
            d = db.devices
            key = (d.c.user_id == user.id) & (d.c.device_id == req.device_id)
            if conn.execute(sa.select(d.c.device_id).where(key)).first() is None:
                conn.execute(
                    d.insert(),
                    [
                        {
                            "user_id": user.id,
                            "device_id": req.device_id,
                            "name": req.device_name,
                            "enrolled_at": at,
                            "last_seen_at": at,
                            "last_seq": 0,
                        }
                    ],
                )
            else:
                conn.execute(sa.update(d).where(key).values(name=req.device_name, last_seen_at=at))
            if new_hash is not None:
                conn.execute(sa.update(u).where(u.c.id == user.id).values(password_hash=new_hash))
            audit.AuditLog(conn).append(
                user.name, "login", "device", req.device_id, {"device_name": req.device_name}, at=at
            )
        return p.LoginResponse(
            token=token,
            name=user.name,
            department=user.department,
            role=user.role,
            server_id=self.server_id,
        )

    def _verify(self, hashed: str | None, password: str) -> bool:
        if hashed is None:
            if self._dummy_hash is None:
                self._dummy_hash = self._hasher.hash(secrets.token_hex(16))
            hashed = self._dummy_hash
            password = ""
        try:
            return self._hasher.verify(hashed, password)
        except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
            return False

    def authenticate(self, token: str) -> Principal:
        if not token or len(token) > 200:
            raise AuthError("unauthorized")
        t, u = db.tokens, db.users
        stmt = (
            sa.select(u.c.id, u.c.name, u.c.department, u.c.role, t.c.device_id)
            .join(u, u.c.id == t.c.user_id)
            .where(t.c.token_hash == token_hash(token), t.c.revoked_at.is_(None), u.c.disabled.is_(False))
        )
        with db.read_tx(self.engine) as conn:
            row = conn.execute(stmt).first()
        if row is None:
            raise AuthError("unauthorized")
        return Principal(int(row.id), row.name, row.department, row.role, row.device_id)

    def logout(self, who: Principal, token: str) -> None:
        with db.write_tx(self.engine) as conn:
            at = db.utc_now()
            conn.execute(
                sa.update(db.tokens)
                .where(db.tokens.c.token_hash == token_hash(token), db.tokens.c.revoked_at.is_(None))
                .values(revoked_at=at)
            )
            audit.AuditLog(conn).append(who.name, "logout", "device", who.device_id, {}, at=at)

    # ------------------------------------------------------------------ sync

    def push(self, who: Principal, req: p.PushRequest) -> p.PushResponse:
        if req.device_id != who.device_id:
            raise AuthError("device_mismatch")
        with db.write_tx(self.engine) as conn:
            tx = _PushTx(conn, who)
            results = [tx.apply(op) for op in req.ops]
            if req.ops:
                d = db.devices
                conn.execute(
                    sa.update(d)
                    .where(
                        d.c.user_id == who.user_id,
                        d.c.device_id == who.device_id,
                        d.c.last_seq < req.ops[-1].seq,
                    )
                    .values(last_seq=req.ops[-1].seq)
                )
            conn.execute(
                sa.update(db.devices)
                .where(db.devices.c.user_id == who.user_id, db.devices.c.device_id == who.device_id)
                .values(last_seen_at=tx.at)
            )
        return p.PushResponse(results=results)

    def pull(self, who: Principal, since: int, limit: int) -> p.PullResponse:
        c = db.change_log
        with db.read_tx(self.engine) as conn:
            # The head first: every entry up to it is committed (appends commit in seq order), so
            # "nothing more up to head" is a safe place for the cursor even if this clerk saw none.
            head = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(c.c.seq), 0))).scalar_one())
            rows = conn.execute(
                sa.select(c)
                .where(
                    c.c.seq > since,
                    c.c.seq <= head,
                    c.c.department.in_((who.department, p.GLOBAL_DEPARTMENT)),
                )
                .order_by(c.c.seq)
                .limit(limit + 1)
            ).all()
        has_more = len(rows) > limit
        rows = rows[:limit]
        entries = [
            p.PullEntry(
                seq=int(r.seq),
                entity=r.entity,
                entity_id=r.entity_id,
                rev=int(r.rev),
                op_id=r.op_id,
                deleted=bool(r.deleted),
                data=db.loads(r.data),
            )
            for r in rows
        ]
        next_cursor = entries[-1].seq if has_more else max(head, since)
        return p.PullResponse(entries=entries, next_cursor=next_cursor, has_more=has_more)


class _Refused(Exception):
    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass
class _Outcome:
    rev: int | None
    applied: list[str] = field(default_factory=list)
    clashes: list[tuple[str, Any, Any, Any]] = field(default_factory=list)  # field, base, mine, theirs


class _PushTx:
    """One push request's transaction: the ops, the change-log and audit tails, the clock."""

    def __init__(self, conn: sa.Connection, who: Principal) -> None:
        self.conn = conn
        self.who = who
        self.at = db.utc_now()
        self.audit = audit.AuditLog(conn)
        self._seq: int | None = None

    # ---- one op

    def apply(self, op: p.PushOp) -> p.OpResult:
        who = self.who
        a = db.applied_ops
        seen = self.conn.execute(sa.select(a.c.department, a.c.result).where(a.c.op_id == op.op_id)).first()
        if seen is not None:
            if seen.department != who.department:
                return self._refuse(op, _Refused("op_id_taken"))
            first = p.OpResult.model_validate_json(seen.result)
            return first.model_copy(update={"status": "duplicate", "original_status": first.status})
        try:
            department = self._authorize(op)
            outcome = self._merge(op, department)
        except _Refused as refusal:
            return self._refuse(op, refusal)

        conflicts = [self._record_conflict(op, department, *clash) for clash in outcome.clashes]
        self._resolve(op, department, {c.field for c in conflicts})
        result = p.OpResult(
            op_id=op.op_id,
            status="conflict" if conflicts else "applied",
            rev=outcome.rev,
            conflicts=conflicts,
            applied_fields=outcome.applied,
        )
        self.conn.execute(
            a.insert(),
            [
                {
                    "op_id": op.op_id,
                    "department": who.department,
                    "user_name": who.name,
                    "device_id": who.device_id,
                    "device_seq": op.seq,
                    "at": self.at,
                    "result": result.model_dump_json(),
                }
            ],
        )
        self._audit(
            op,
            department,
            status=result.status,
            rev=outcome.rev,
            fields=outcome.applied,
            conflicts=[c.id for c in conflicts],
        )
        return result

    def _refuse(self, op: p.PushOp, refusal: _Refused) -> p.OpResult:
        self._audit(op, self.who.department, status="refused", reason=refusal.reason)
        return p.OpResult(
            op_id=op.op_id,
            status="refused",
            reason=refusal.reason,
            message=describe(refusal.reason, refusal.params),
        )

    def _audit(self, op: p.PushOp, department: str, **payload: Any) -> None:
        self.audit.append(
            self.who.name,
            f"push.{op.op}",
            op.entity,
            op.entity_id,
            {
                "op_id": op.op_id,
                "device_id": self.who.device_id,
                "seq": op.seq,
                "department": department,
                **payload,
            },
            at=self.at,
        )

    def _authorize(self, op: p.PushOp) -> str:
        """The department the op's row lives in, or a refusal."""
        if op.entity not in p.ENTITIES:
            raise _Refused("unknown_entity", entity=op.entity)
        if op.entity in p.INSERT_ONLY and op.op != "insert":
            raise _Refused("append_only")
        if not op.changes and not (op.op == "update" and op.resolves) and op.op != "delete":
            raise _Refused("empty_op")
        if p.is_global(op.entity, op.entity_id):
            if self.who.role != "admin":
                raise _Refused("admin_only")
            return p.GLOBAL_DEPARTMENT
        return self.who.department

    def _load(self, department: str, entity: str, entity_id: str) -> Any:
        r = db.entity_rows
        return self.conn.execute(
            sa.select(r).where(r.c.department == department, r.c.entity == entity, r.c.entity_id == entity_id)
        ).first()

    def _check_parent(self, entity: str, department: str, values: dict[str, Any]) -> None:
        parent_field = p.PARENT_FIELD.get(entity)
        if parent_field is None or parent_field not in values:
            return
        parent_id = values[parent_field]
        parent = self._load(department, "case", parent_id) if isinstance(parent_id, str) else None
        if parent is None or parent.deleted:
            raise _Refused("unknown_parent")

    def _merge(self, op: p.PushOp, department: str) -> _Outcome:
        row = self._load(department, op.entity, op.entity_id)
        if op.op == "insert":
            return self._insert(op, department, row)
        if row is None:
            raise _Refused("not_found")
        current: dict[str, Any] = db.loads(row.data)
        base = {name: c.old for name, c in op.changes.items()}
        if op.op == "delete":
            if row.deleted:
                return _Outcome(int(row.rev))  # deleted on both sides: the same intention
            edited = (
                edited_since(base, current) if base else (op.base_rev is not None and op.base_rev != row.rev)
            )
            if edited:
                return _Outcome(int(row.rev), clashes=[(p.ROW_FIELD, base, None, current)])
            rev = self._write(op, department, row, current, deleted=True)
            return _Outcome(rev, applied=[p.ROW_FIELD])
        # update
        mine = {name: c.new for name, c in op.changes.items()}
        if row.deleted:
            return _Outcome(int(row.rev), clashes=[(p.ROW_FIELD, base, mine, None)])
        merge = merge_fields({name: (c.old, c.new) for name, c in op.changes.items()}, current)
        self._check_parent(op.entity, department, merge.apply)
        clashes = [(c.field, c.base, c.mine, c.theirs) for c in merge.clashes]
        if not merge.apply:
            return _Outcome(int(row.rev), clashes=clashes)
        rev = self._write(op, department, row, {**current, **merge.apply}, deleted=False)
        return _Outcome(rev, applied=sorted(merge.apply), clashes=clashes)

    def _insert(self, op: p.PushOp, department: str, row: Any) -> _Outcome:
        values: dict[str, Any] = {name: c.new for name, c in op.changes.items()}
        self._check_parent(op.entity, department, values)
        if row is None:
            rev = self._write(op, department, None, values, deleted=False)
            return _Outcome(rev, applied=sorted(values))
        current: dict[str, Any] = db.loads(row.data)
        if row.deleted:
            # Re-created after a delete (the same case imported again, say): a clerk decides.
            return _Outcome(int(row.rev), clashes=[(p.ROW_FIELD, None, values, None)])
        if op.entity in p.INSERT_ONLY:
            if same(current, values):
                return _Outcome(int(row.rev))
            raise _Refused("immutable")
        # The same row inserted on two devices (one case file imported twice): merge from nothing.
        merge = merge_fields({name: (None, value) for name, value in values.items()}, current)
        clashes = [(c.field, c.base, c.mine, c.theirs) for c in merge.clashes]
        if not merge.apply:
            return _Outcome(int(row.rev), clashes=clashes)
        rev = self._write(op, department, row, {**current, **merge.apply}, deleted=False)
        return _Outcome(rev, applied=sorted(merge.apply), clashes=clashes)

    # ---- writing

    def _next_seq(self) -> int:
        if self._seq is None:
            c = db.change_log
            self._seq = int(
                self.conn.execute(sa.select(sa.func.coalesce(sa.func.max(c.c.seq), 0))).scalar_one()
            )
        self._seq += 1
        return self._seq

    def _log(
        self, department: str, entity: str, entity_id: str, rev: int, op_id: str, deleted: bool, data: str
    ) -> None:
        self.conn.execute(
            db.change_log.insert(),
            [
                {
                    "seq": self._next_seq(),
                    "department": department,
                    "entity": entity,
                    "entity_id": entity_id,
                    "rev": rev,
                    "op_id": op_id,
                    "deleted": deleted,
                    "data": data,
                    "at": self.at,
                }
            ],
        )

    def _write(self, op: p.PushOp, department: str, row: Any, data: dict[str, Any], *, deleted: bool) -> int:
        r = db.entity_rows
        text = db.dumps(data)
        if row is None:
            rev = 1
            self.conn.execute(
                r.insert(),
                [
                    {
                        "department": department,
                        "entity": op.entity,
                        "entity_id": op.entity_id,
                        "rev": rev,
                        "data": text,
                        "deleted": deleted,
                        "op_id": op.op_id,
                        "updated_at": self.at,
                    }
                ],
            )
        else:
            rev = int(row.rev) + 1
            self.conn.execute(
                sa.update(r)
                .where(r.c.department == department, r.c.entity == op.entity, r.c.entity_id == op.entity_id)
                .values(rev=rev, data=text, deleted=deleted, op_id=op.op_id, updated_at=self.at)
            )
        self._log(department, op.entity, op.entity_id, rev, op.op_id, deleted, text)
        return rev

    def _record_conflict(
        self, op: p.PushOp, department: str, name: str, base: Any, mine: Any, theirs: Any
    ) -> p.FieldConflict:
        conflict = p.FieldConflict(
            id=str(uuid.uuid4()),
            entity=op.entity,
            entity_id=op.entity_id,
            field=name,
            base=base,
            mine=mine,
            theirs=theirs,
        )
        who = self.who
        self.conn.execute(
            db.conflicts.insert(),
            [
                {
                    "id": conflict.id,
                    "department": department,
                    "entity": op.entity,
                    "entity_id": op.entity_id,
                    "field": name,
                    "base": db.dumps(base),
                    "mine": db.dumps(mine),
                    "theirs": db.dumps(theirs),
                    "op_id": op.op_id,
                    "user_name": who.name,
                    "device_id": who.device_id,
                    "created_at": self.at,
                }
            ],
        )
        # Every device of the department learns of it, not only the one that pushed.
        data = {
            **conflict.model_dump(exclude={"id"}),
            "op_id": op.op_id,
            "by": who.name,
            "device_id": who.device_id,
            "created_at": self.at,
        }
        self._log(department, p.CONFLICT_ENTITY, conflict.id, 1, op.op_id, False, db.dumps(data))
        return conflict

    def _resolve(self, op: p.PushOp, department: str, still_open: set[str]) -> None:
        """Close the conflict records this op settles (same row, and not in conflict again)."""
        if not op.resolves:
            return
        k = db.conflicts
        rows = self.conn.execute(
            sa.select(k).where(
                k.c.id.in_(op.resolves),
                k.c.department == department,
                k.c.entity == op.entity,
                k.c.entity_id == op.entity_id,
                k.c.resolved_at.is_(None),
            )
        ).all()
        for row in rows:
            if row.field in still_open:
                continue
            self.conn.execute(
                sa.update(k)
                .where(k.c.id == row.id)
                .values(resolved_at=self.at, resolved_by=self.who.name, resolution_op_id=op.op_id)
            )
            data = {
                "entity": row.entity,
                "entity_id": row.entity_id,
                "field": row.field,
                "base": db.loads(row.base),
                "mine": db.loads(row.mine),
                "theirs": db.loads(row.theirs),
                "op_id": row.op_id,
                "by": row.user_name,
                "device_id": row.device_id,
                "created_at": row.created_at,
                "resolved_at": self.at,
                "resolved_by": self.who.name,
                "resolution_op_id": op.op_id,
            }
            self._log(department, p.CONFLICT_ENTITY, row.id, 2, op.op_id, True, db.dumps(data))
