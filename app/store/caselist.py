"""The case list's index in the store: light rows for sorting and filtering, the FTS5 search table, its watermark.

Derived data like ``cases.due_cache``: no rev, no audit, not synced. What is indexed is tracked by
a watermark in ``meta`` — the audit sequence number, the day and the calendar stamp the index was
brought up to date with — so the write paths (registration, edits, the bulk import) do nothing for
it; ``app.services.caselist`` reads what the audit trail says changed since and re-indexes that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from app.domain.codes import ApplicantKind, Channel
from app.domain.listing import CaseSource, Cursor, ListEntry, ListFilter, SortKey, Watermark
from app.domain.model import Applicant, Case, Event, event_from_dict
from app.store.codec import loads
from app.store.context import UnitContext
from app.store.engine import translated

_NONE = "~"  # no date: sorts after every ISO date
_SEP = "\n"
_IN_CHUNK = 500
_BUILD_CACHE_KIB = 32 * 1024
_CHANNELS: dict[str, Channel] = {str(c): c for c in Channel}
_KINDS: dict[str, ApplicantKind] = {str(k): k for k in ApplicantKind}

_SORT_COLUMNS: dict[SortKey, str] = {
    SortKey.NUMBER: "number",
    SortKey.RECEIVED: "received",
    SortKey.DUE: "due",
    SortKey.APPLICANT: "applicant",
    SortKey.CLERK: "clerk",
}

_COLUMNS = (
    "case_id, number, applicant, applicant_kind, channel, first_item, item_count, received, year,"
    " tags, findings, due, days_left, state, band, clerk"
)
_INSERT = (
    f"INSERT OR REPLACE INTO case_list (doc, {_COLUMNS}, computed_on)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# What the list shows of a case, read straight from the case tables (no Case is built): the
# concluding events decide whether the case can still have a deadline at all.
_SOURCE_COLUMNS = (
    "c.id, c.number, c.applicant_name, c.applicant_kind, c.channel, c.received, c.arrived, c.tags,"
    " c.clerk, EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id AND e.type IN ('replied', 'terminated'))"
)
_INSERT_FTS = "INSERT OR REPLACE INTO case_fts (rowid, grams, chars) VALUES (?, ?, ?)"
_WATERMARK_KEYS = ("case_list.audit_seq", "case_list.day", "case_list.stamp")


def _date_text(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else _NONE


def _date(text: str) -> dt.date | None:
    return None if text == _NONE else dt.date.fromisoformat(text)


def _opt_date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _joined(values: Iterable[str]) -> str:
    return _SEP + _SEP.join(values) + _SEP


def _split(text: str) -> tuple[str, ...]:
    return tuple(filter(None, text.split(_SEP))) if len(text) > 2 else ()


def _entry(row: Sequence[Any]) -> ListEntry:
    return ListEntry(
        case_id=row[0],
        number=row[1],
        applicant=row[2],
        applicant_kind=row[3],
        channel=row[4],
        first_item=row[5],
        item_count=row[6],
        received=_date(row[7]),
        year=row[8],
        tags=_split(row[9]),
        findings=_split(row[10]),
        due=_date(row[11]),
        days_left=row[12],
        state=row[13],
        band=row[14],
        clerk=row[15],
    )


def _only_match(f: ListFilter) -> bool:
    return f.match is not None and f == ListFilter(match=f.match)


def _where(f: ListFilter, *, dense: bool = False) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.bands:
        clauses.append(f"band IN ({', '.join('?' * len(f.bands))})")
        params.extend(f.bands)
    for column, value in (
        ("channel", f.channel),
        ("applicant_kind", f.applicant_kind),
        ("year", f.year),
        ("clerk", f.clerk),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    for column, value in (("tags", f.tag), ("findings", f.finding)):
        if value is not None:
            clauses.append(f"instr({column}, ?) > 0")
            params.append(_joined((value,)))
    if f.match is not None:
        # Dense (many matches): "+doc" keeps SQLite from looking up every match by rowid and sorting
        # them all; it walks the sort index instead, whose entries carry the rowid, testing each
        # against the matches, and stops after one page. Sparse: look the few matches up, sort them.
        doc = "+doc" if dense else "doc"
        clauses.append(f"{doc} IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?)")
        params.append(f.match)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


class SqlCaseListRepository:
    """``CaseListRepository`` on the ``case_list`` and ``case_fts`` tables."""

    def __init__(self, ctx: UnitContext) -> None:
        self._ctx = ctx
        self._conn = ctx.conn

    # ------------------------------------------------------------------ watermark

    def watermark(self) -> Watermark:
        marks = ", ".join("?" * len(_WATERMARK_KEYS))
        with translated():
            found: dict[str, str] = dict(
                self._conn.exec_driver_sql(
                    f"SELECT key, value FROM meta WHERE key IN ({marks})", _WATERMARK_KEYS
                ).all()
            )
        seq, day, stamp = (found.get(k, "") for k in _WATERMARK_KEYS)
        return Watermark(int(seq or 0), day, stamp)

    def set_watermark(self, mark: Watermark) -> None:
        self._ctx.writable()
        values = (str(mark.audit_seq), mark.day, mark.stamp)
        with translated():
            self._conn.exec_driver_sql(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                list(zip(_WATERMARK_KEYS, values, strict=True)),
            )

    def audit_head(self) -> int:
        """The sequence number of the last audit entry: it moves with every change of any case."""
        with translated():
            return int(self._conn.exec_driver_sql("SELECT max(seq) FROM audit").scalar() or 0)

    def changed_since(self, audit_seq: int) -> tuple[set[str], bool]:
        """Ids of the cases added or changed after ``audit_seq``, and whether any setting changed.

        From 0 (never indexed, or a database from before 0003): every case, and settings changed.
        """
        conn = self._conn
        with translated():
            if audit_seq == 0:
                return {r[0] for r in conn.exec_driver_sql("SELECT id FROM cases")}, True
            rows = conn.exec_driver_sql(
                "SELECT entity, entity_id FROM audit WHERE seq > ? AND entity IN ('case', 'setting')",
                (audit_seq,),
            ).all()
        return {i for e, i in rows if e == "case"}, any(e == "setting" for e, _ in rows)

    def open_case_ids(self, *, computed_before: dt.date | None = None) -> list[str]:
        """Indexed cases not concluded (their band moves with the days), optionally only those
        whose deadline was computed before a day."""
        sql = "SELECT case_id FROM case_list WHERE band != 'concluded'"
        params: tuple[Any, ...] = ()
        if computed_before is not None:
            sql += " AND computed_on < ?"
            params = (computed_before.isoformat(),)
        with translated():
            return [r[0] for r in self._conn.exec_driver_sql(sql, params)]

    def all_case_ids(self) -> list[str]:
        """Every case's id, in the order the cases are stored: chunks of them are then read from
        neighbouring pages (their items and events were written with them), not from all over."""
        with translated():
            return [r[0] for r in self._conn.exec_driver_sql("SELECT id FROM cases ORDER BY rowid")]

    def sources(self, case_ids: Sequence[str]) -> list[CaseSource]:
        """What the list and the search index need of each of these cases, in plain SQL.

        Three indexed look-ups per chunk instead of rebuilding whole cases with their events and
        notes: the first index build after an import reads 100 000 cases this way.
        """
        conn = self._conn
        out: list[CaseSource] = []
        with translated():
            for start in range(0, len(case_ids), _IN_CHUNK):
                chunk = tuple(case_ids[start : start + _IN_CHUNK])
                marks = ", ".join("?" * len(chunk))
                items: dict[str, list[tuple[str, str | None]]] = {}
                for cid, description, finding in conn.exec_driver_sql(
                    f"SELECT case_id, description, finding FROM items WHERE case_id IN ({marks})"
                    " ORDER BY case_id, position",
                    chunk,
                ).all():
                    found = items.get(cid)
                    if found is None:
                        items[cid] = [(description, finding)]
                    else:
                        found.append((description, finding))
                for row in conn.exec_driver_sql(
                    f"SELECT {_SOURCE_COLUMNS} FROM cases c WHERE c.id IN ({marks})", chunk
                ).all():
                    cid = row[0]
                    out.append(
                        CaseSource(
                            case_id=cid,
                            number=row[1],
                            applicant=row[2],
                            applicant_kind=row[3],
                            channel=row[4],
                            received=_opt_date(row[5]),
                            arrived=_opt_date(row[6]),
                            tags=tuple(loads(row[7])),
                            clerk=row[8],
                            concluded=bool(row[9]),
                            items=tuple(items.get(cid, ())),
                        )
                    )
        return out

    def deadline_cases(self, case_ids: Sequence[str]) -> dict[str, Case]:
        """Each case with only what its deadline depends on: the channel, the dates and the
        timeline. Items, notes and the applicant's particulars are left out (the applicant's kind
        and name are kept), so these cases are for ``compute_deadline`` and nothing else; reading
        the open cases this way is what the list does every morning, when their bands move.
        """
        conn = self._conn
        out: dict[str, Case] = {}
        with translated():
            for start in range(0, len(case_ids), _IN_CHUNK):
                chunk = tuple(case_ids[start : start + _IN_CHUNK])
                marks = ", ".join("?" * len(chunk))
                events: dict[str, list[Event]] = {}
                for cid, type_, date, payload in conn.exec_driver_sql(
                    f"SELECT case_id, type, date, payload FROM events WHERE case_id IN ({marks})"
                    " ORDER BY case_id, position",
                    chunk,
                ).all():
                    obj = loads(payload)
                    obj["type"] = type_
                    obj["date"] = date
                    events.setdefault(cid, []).append(event_from_dict(obj))
                for cid, number, channel, received, arrived, kind, name in conn.exec_driver_sql(
                    "SELECT id, number, channel, received, arrived, applicant_kind, applicant_name"
                    f" FROM cases WHERE id IN ({marks})",
                    chunk,
                ).all():
                    out[cid] = Case(
                        id=cid,
                        number=number,
                        channel=_CHANNELS[channel],
                        received=_opt_date(received),
                        applicant=Applicant(kind=_KINDS[kind], name=name),
                        items=(),
                        events=tuple(events.get(cid, ())),
                        arrived=_opt_date(arrived),
                    )
        return out

    # ------------------------------------------------------------------ writes

    def put(
        self, entries: Sequence[tuple[ListEntry, str, str]], computed_on: dt.date, *, fresh: bool = False
    ) -> None:
        """Store each entry with its search documents (``grams``, ``chars``), replacing a case's old ones.

        ``fresh``: the cases are not indexed yet (after ``clear``), so there is nothing to replace.
        """
        self._ctx.writable()
        if not entries:
            return
        conn = self._conn
        day = computed_on.isoformat()
        with translated():
            docs: dict[str, int] = {}
            it = iter(() if fresh else entries)
            while chunk := list(islice(it, _IN_CHUNK)):
                marks = ", ".join("?" * len(chunk))
                docs.update(
                    conn.exec_driver_sql(
                        f"SELECT case_id, doc FROM case_list WHERE case_id IN ({marks})",
                        tuple(e.case_id for e, _, _ in chunk),
                    ).all()
                )
            next_doc = int(conn.exec_driver_sql("SELECT max(doc) FROM case_list").scalar() or 0) + 1
            rows: list[tuple[Any, ...]] = []
            fts: list[tuple[int, str, str]] = []
            for e, grams, chars in entries:
                doc = docs.get(e.case_id)
                if doc is None:
                    doc = next_doc
                    next_doc += 1
                rows.append(
                    (
                        doc,
                        e.case_id,
                        e.number,
                        e.applicant,
                        e.applicant_kind,
                        e.channel,
                        e.first_item,
                        e.item_count,
                        _date_text(e.received),
                        e.year,
                        _joined(e.tags),
                        _joined(e.findings),
                        _date_text(e.due),
                        e.days_left,
                        e.state,
                        e.band,
                        e.clerk,
                        day,
                    )
                )
                fts.append((doc, grams, chars))
            conn.exec_driver_sql(_INSERT, rows)
            conn.exec_driver_sql(_INSERT_FTS, fts)

    @contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Empty the list and the search index, for ``put(..., fresh=True)`` of every case within.

        The list's sort indexes are dropped meanwhile and created again at the end, from the
        finished table: one sort each instead of 100 000 inserts at random places in each. Their
        definitions are read back from the schema, so the migrations stay the only place stating
        them. On an error the unit of work rolls all of it back, indexes included.
        """
        self._ctx.writable()
        conn = self._conn
        with translated():
            previous = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            # A larger page cache for the duration: the indexes by case id are read all over, and
            # more of their pages are then decrypted once rather than at each visit. Measured on
            # 100 000 cases (build time, peak memory of the process): 8 MB 15 s 110 MB, 32 MB 13 s
            # 130 MB, 64 MB 11 s 163 MB, 128 MB 11 s 229 MB; the app must stay within 250 MB.
            conn.exec_driver_sql(f"PRAGMA cache_size = {-_BUILD_CACHE_KIB}")
            indexes = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master"
                " WHERE type = 'index' AND tbl_name = 'case_list' AND sql IS NOT NULL"
            ).all()
            conn.exec_driver_sql("DELETE FROM case_list")
            conn.exec_driver_sql("INSERT INTO case_fts (case_fts) VALUES ('delete-all')")
            for name, _sql in indexes:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
        try:
            yield
            with translated():
                for _name, sql in indexes:
                    conn.exec_driver_sql(sql)
        finally:
            with translated():
                conn.exec_driver_sql(f"PRAGMA cache_size = {int(previous or 0)}")

    def optimize_search(self) -> None:
        """Merge the search index's segments into one (after many rows were written at once).

        Each batch written adds a segment; a query then reads every segment's list for its tokens.
        Measured on 100 000 cases: 1.3 s once, and broad searches (征收) about twice as fast.
        """
        self._ctx.writable()
        with translated():
            self._conn.exec_driver_sql("INSERT INTO case_fts (case_fts) VALUES ('optimize')")

    def set_deadlines(
        self, rows: Sequence[tuple[str, dt.date | None, int | None, str, str]], computed_on: dt.date
    ) -> None:
        """(case_id, due, days_left, state, band) of cases whose deadline was recomputed."""
        self._ctx.writable()
        if not rows:
            return
        day = computed_on.isoformat()
        params = [(_date_text(due), left, state, band, day, cid) for cid, due, left, state, band in rows]
        with translated():
            self._conn.exec_driver_sql(
                "UPDATE case_list SET due = ?, days_left = ?, state = ?, band = ?, computed_on = ?"
                " WHERE case_id = ?",
                params,
            )

    # ------------------------------------------------------------------ reads

    def choices(self) -> tuple[list[int], list[str], list[str]]:
        """The years, the tags and the clerks found among the indexed cases, sorted."""
        conn = self._conn
        with translated():
            years = [r[0] for r in conn.exec_driver_sql("SELECT DISTINCT year FROM case_list") if r[0]]
            tags = {
                t for r in conn.exec_driver_sql("SELECT DISTINCT tags FROM case_list") for t in _split(r[0])
            }
            # DISTINCT over the (clerk, number) index: one step per clerk, not per case.
            clerks = [
                r[0]
                for r in conn.exec_driver_sql("SELECT DISTINCT clerk FROM case_list ORDER BY clerk")
                if r[0]
            ]
        return sorted(years), sorted(tags), clerks

    def count(self, where: ListFilter) -> int:
        if _only_match(where):  # the search index alone counts, without reading a row of the list
            with translated():
                return int(
                    self._conn.exec_driver_sql(
                        "SELECT count(*) FROM case_fts WHERE case_fts MATCH ?", (where.match,)
                    ).scalar()
                    or 0
                )
        clause, params = _where(where)
        with translated():
            return int(
                self._conn.exec_driver_sql(f"SELECT count(*) FROM case_list{clause}", tuple(params)).scalar()
                or 0
            )

    def page(
        self,
        where: ListFilter,
        sort: SortKey,
        *,
        descending: bool = False,
        after: Cursor | None = None,
        limit: int = 100,
        dense: bool = False,
    ) -> tuple[list[ListEntry], Cursor | None]:
        """Up to ``limit`` entries in order, starting after ``after``; and the cursor of the last one.

        ``dense``: the search matches a large share of the cases (the caller knows from ``count``).
        """
        clause, params = _where(where, dense=dense)
        column = _SORT_COLUMNS[sort]
        order = "DESC" if descending else "ASC"
        cmp = "<" if descending else ">"
        if after is not None:
            clause += " AND " if clause else " WHERE "
            if sort is SortKey.NUMBER:
                clause += f"number {cmp} ?"
                params.append(after[1])
            else:
                clause += f"({column}, number) {cmp} (?, ?)"
                params.extend(after)
        tie = "" if sort is SortKey.NUMBER else f", number {order}"
        sql = f"SELECT {_COLUMNS}, {column} FROM case_list{clause} ORDER BY {column} {order}{tie} LIMIT ?"
        params.append(limit)
        with translated():
            rows = self._conn.exec_driver_sql(sql, tuple(params)).all()
        if not rows:
            return [], None
        last = rows[-1]
        return [_entry(r) for r in rows], (str(last[-1]), str(last[1]))

    # ------------------------------------------------------------------ the worklist (待办)
    # Reads for ``app.services.worklist``'s path over the index: when the index is current for today,
    # the worklist counts the open cases by band and state here and reads only the cases in a group.

    def open_counts(self) -> dict[tuple[str, str], int]:
        """(band, state) → how many indexed cases are not concluded (the band index picks them)."""
        with translated():
            rows = self._conn.exec_driver_sql(
                "SELECT band, state, count(*) FROM case_list WHERE band != 'concluded' GROUP BY band, state"
            ).all()
        return {(band, state): int(n) for band, state, n in rows}

    def in_bands(self, bands: Sequence[str]) -> list[tuple[str, str, int]]:
        """(case_id, first_item, item_count) of the indexed cases in these bands."""
        if not bands:
            return []
        marks = ", ".join("?" * len(bands))
        with translated():
            rows = self._conn.exec_driver_sql(
                f"SELECT case_id, first_item, item_count FROM case_list WHERE band IN ({marks})", tuple(bands)
            ).all()
        return [(cid, first, int(count)) for cid, first, count in rows]
