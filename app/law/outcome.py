"""The case outcome for the annual report (domain.md §5 **Decision**) and the day a case concluded."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from app.domain.codes import FINDING_ORDER, Finding
from app.domain.errors import InputError
from app.domain.model import Case, Replied, Terminated

_DISCLOSING = frozenset({Finding.DISCLOSED, Finding.PARTLY_DISCLOSED})


def concluding_event(case: Case) -> Replied | Terminated | None:
    """The first 答复 (replied) or termination of the case; later ones (a re-reply after 复议) do not count."""
    first: Replied | Terminated | None = None
    for event in case.events:
        # Same-day events keep their timeline order, so the first one listed wins a tie.
        if isinstance(event, Replied | Terminated) and (first is None or event.date < first.date):
            first = event
    return first


def concluded_on(case: Case) -> dt.date | None:
    """The day the case concluded (domain.md §7.1): its first reply or termination, else None."""
    event = concluding_event(case)
    return event.date if event is not None else None


def derived_outcome(findings: list[Finding]) -> Finding:
    """The outcome the items' findings give (domain.md §5 **Decision**, last two steps).

    30号 table 三 row （二） counts a case that was handled by 区分处理 only as 部分公开: any disclosed
    or partly disclosed item together with any withheld item makes the case partly_disclosed.
    Otherwise the most frequent finding wins, ties going to the earlier row of the table; no
    finding at all gives other.other.
    """
    if not findings:
        return Finding.OTHER_OTHER
    present = set(findings)
    if present & _DISCLOSING and any(f.is_withheld for f in present):
        return Finding.PARTLY_DISCLOSED
    counts = Counter(findings)
    return min(counts, key=lambda f: (-counts[f], FINDING_ORDER.index(f)))


def case_outcome(case: Case) -> Finding:
    """The case's outcome for the annual report, in the order of precedence of domain.md §5:

    1. the clerk's explicit ``outcome`` (which must come with ``outcome_reason``);
    2. the outcome recorded on the first concluding ``replied``/``terminated`` event — a later
       re-reply does not change the report; a reply without an outcome falls through to 3;
    3. derived from the items that have a finding (``derived_outcome``).
    """
    if case.outcome is not None:
        if not (case.outcome_reason or "").strip():
            # Same kind as the case-file check (app.domain.caseformat).
            raise InputError("outcome_reason_required", field="outcome_reason")
        return Finding(case.outcome)
    event = concluding_event(case)
    if event is not None and event.outcome is not None:
        return Finding(event.outcome)
    return derived_outcome([Finding(item.finding) for item in case.items if item.finding is not None])
