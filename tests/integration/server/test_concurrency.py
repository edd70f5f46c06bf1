"""Concurrent pushes against a reader that follows the pull cursor: the feed never skips an entry.

With change-log numbers from a database sequence, a transaction that took seq 7 can commit after
one that took seq 8; a reader that saw 8 moves its cursor past 7 and never sees it. The server
serializes appends instead (advisory lock on PostgreSQL, the write lock on SQLite), which this test
exercises with several writers in threads and a reader pulling all the while.
"""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa

from app.server import db
from app.server.service import SyncService
from app.sync import protocol as p
from tests.integration.server.conftest import Clerk, case_fields, new_id

WRITERS = 4
BATCHES = 8
OPS_PER_BATCH = 5


def test_concurrent_pushes_never_make_a_pulling_reader_skip(service: SyncService) -> None:
    clerks = [Clerk(service, f"clerk{i}", "自然资源局") for i in range(WRITERS)]
    reader = Clerk(service, "reader", "自然资源局")
    start = threading.Barrier(WRITERS + 1)
    errors: list[BaseException] = []
    done = threading.Event()

    def write(clerk: Clerk) -> None:
        try:
            start.wait(timeout=30)
            for b in range(BATCHES):
                ops = [
                    clerk.insert("case", new_id(), case_fields(number=f"{clerk.name}-{b}-{i}"))
                    for i in range(OPS_PER_BATCH)
                ]
                results = clerk.push(*ops)
                assert {r.status for r in results} == {"applied"}
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    seen: list[p.PullEntry] = []

    def read() -> None:
        cursor = 0
        try:
            start.wait(timeout=30)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                finished = done.is_set()  # read before pulling: a final pull after the last commit
                page = service.pull(reader.who, cursor, 7)
                seen.extend(page.entries)
                cursor = page.next_cursor
                if finished and not page.has_more:
                    return
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(c,)) for c in clerks]
    reader_thread = threading.Thread(target=read)
    for t in [*threads, reader_thread]:
        t.start()
    for t in threads:
        t.join(120)
    done.set()
    reader_thread.join(120)
    assert errors == []

    total = WRITERS * BATCHES * OPS_PER_BATCH
    with service.engine.connect() as conn:
        seqs = conn.execute(sa.select(db.change_log.c.seq).order_by(db.change_log.c.seq)).scalars().all()
    assert seqs == list(range(1, total + 1))  # contiguous, no gaps
    # The reader, pulling while the writers wrote, saw every entry exactly once and in order.
    assert [e.seq for e in seen] == list(range(1, total + 1))
    # And a fresh pull of all pages after the fact agrees.
    entries, cursor = reader.pull_all(limit=17)
    assert [e.seq for e in entries] == list(range(1, total + 1))
    assert cursor == total
