"""Look-ups for the registration's duplicate/repeat warning, without reading every case.

Similar request texts come from the case list's FTS5 search index (``case_fts``, bigram tokens, kept
up to date by ``app.services.caselist``), ranked by FTS5's bm25; the same applicant from the cases
themselves (the identity number through its index, ``ix_cases_applicant_id``; the name through the
case list's index of applicants, or one pass over the ``cases`` rows in SQL). The caller
reads the few found as light rows (``candidates``: no events, no case rebuilt) and scores them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import islice

from app.domain.similar import Candidate
from app.store.context import UnitContext
from app.store.engine import translated
from app.store.tables import applicant_id_key

_IN_CHUNK = 500
_ID_KEY = applicant_id_key()
_MAX_ID_KEYS = 64


def id_keys(key: str) -> list[str] | None:
    """The index keys (``applicant_id_key``) of the identity numbers that normalize to ``key``
    (white space removed, upper case), or None when there would be more than ``_MAX_ID_KEYS``.

    SQLite upper-cases ASCII letters only, so a number stored with a non-ASCII lower-case letter
    (a full-width ｘ typed in full-width mode) keeps it in its key: each upper-case letter of
    ``key`` outside ASCII may be stored either way. (Letters whose upper case is longer or ASCII,
    such as ß or ſ, are not looked for: no identity number has them.)
    """
    keys = [""]
    for ch in key:
        low = ch.lower()
        ways = [ch, low] if ch > "\x7f" and len(low) == 1 and low != ch and low.upper() == ch else [ch]
        keys = [k + w for k in keys for w in ways]
        if len(keys) > _MAX_ID_KEYS:
            return None
    return keys


class SqlSimilarCasesRepository:
    """``SimilarCasesRepository`` on the ``case_fts``, ``case_list`` and ``cases`` tables."""

    def __init__(self, ctx: UnitContext) -> None:
        self._conn = ctx.conn

    def by_text(self, match: str, *, limit: int) -> list[str]:
        """Ids of the indexed cases matching the FTS5 expression ``match``, best ranked first."""
        sql = (
            "SELECT l.case_id FROM (SELECT rowid AS doc, rank FROM case_fts WHERE case_fts MATCH ?"
            " ORDER BY rank LIMIT ?) AS f JOIN case_list AS l ON l.doc = f.doc ORDER BY f.rank"
        )
        with translated():
            return [r[0] for r in self._conn.exec_driver_sql(sql, (match, limit))]

    def token_counts(self, tokens: Iterable[str]) -> dict[str, int]:
        """How many indexed cases have each search token (``grams``), each read from its doclist."""
        sql = "SELECT count(*) FROM case_fts WHERE case_fts MATCH ?"
        with translated():
            return {
                t: int(
                    self._conn.exec_driver_sql(sql, ('grams : "' + t.replace('"', '""') + '"',)).scalar() or 0
                )
                for t in dict.fromkeys(tokens)
            }

    def by_applicant(
        self, *, id_number: str | None, name: str | None, limit: int, name_indexed: bool = True
    ) -> list[str]:
        """Ids of the cases whose applicant has this identity number (white space and case ignored,
        as ``"".join(n.split()).upper()`` compares) or this exact name, the latest registered first.

        The identity number through ``ix_cases_applicant_id`` (0005: a few index probes, whatever the
        number of cases, and current to the last write); the name through the case list's index of
        applicants (as of its last refresh), or with ``name_indexed=False`` by one pass over the
        cases (~90 ms at 100 000) — read in table order, not by number, which would fetch every row
        out of order.
        """
        found: list[tuple[str, str]] = []
        conn = self._conn
        with translated():
            key = "".join((id_number or "").split()).upper()
            if key:
                keys = id_keys(key)
                if keys is None:  # absurdly many case variants: compare every number here
                    rows = conn.exec_driver_sql(
                        "SELECT number, id, applicant_id_number FROM cases WHERE applicant_id_number != ''"
                    )
                    found += [(r[0], r[1]) for r in rows if "".join(r[2].split()).upper() == key]
                else:
                    marks = ", ".join("?" * len(keys))
                    sql = f"SELECT number, id FROM cases WHERE {_ID_KEY} IN ({marks})"
                    found += conn.exec_driver_sql(sql, tuple(keys)).all()
            if name and not name_indexed:
                found += conn.exec_driver_sql(
                    "SELECT number, id FROM cases WHERE applicant_name = ?", (name.strip(),)
                ).all()
            if name and name_indexed:
                found += conn.exec_driver_sql(
                    "SELECT number, case_id FROM case_list WHERE applicant = ?", (name.strip(),)
                ).all()
        found.sort(reverse=True)
        return list(dict.fromkeys(case_id for _, case_id in found))[:limit]

    def candidates(self, case_ids: Iterable[str]) -> list[Candidate]:
        """The applicant and the item descriptions of each case, in the order asked (unknown ids skipped)."""
        ids = list(dict.fromkeys(case_ids))
        rows: dict[str, tuple[str, str, str | None, str | None, str | None]] = {}
        items: dict[str, list[str]] = defaultdict(list)
        conn = self._conn
        with translated():
            it = iter(ids)
            while chunk := list(islice(it, _IN_CHUNK)):
                marks = ", ".join("?" * len(chunk))
                for r in conn.exec_driver_sql(
                    "SELECT id, number, applicant_name, applicant_id_number, applicant_phone,"
                    f" coalesce(received, arrived) FROM cases WHERE id IN ({marks})",
                    tuple(chunk),
                ):
                    rows[r[0]] = (r[1], r[2], r[3], r[4], r[5])
                for case_id, description in conn.exec_driver_sql(
                    f"SELECT case_id, description FROM items WHERE case_id IN ({marks}) ORDER BY case_id, position",
                    tuple(chunk),
                ):
                    items[case_id].append(description)
        out = []
        for case_id in ids:
            row = rows.get(case_id)
            if row is None:
                continue
            number, name, id_number, phone, received = row
            day = dt.date.fromisoformat(received) if received else None
            out.append(Candidate(case_id, number, name, id_number, phone, day, tuple(items[case_id])))
        return out
