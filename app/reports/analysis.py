"""依申请公开定期分析: what people ask for, who asks often, what to disclose proactively, how timely replies are.

The seed work plans ask for a periodic analysis of requests (domain.md §8): the topics asked about, the
information requested repeatedly — a candidate for 依申请公开转主动公开 (条例第四十四条) — and
timeliness. Applicants who file many requests in a month are listed for the fee tier (109号第四条:
from the 11th request of a calendar month) and for a 条例第三十五条 review (unreasonable number or
frequency). Everything here is a pure function of the cases, the period and, for timeliness, the
working-day calendar; the deadline engine and the outcome rules of ``app.law`` are reused as they are.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.codes import FINDING_ORDER, Finding
from app.domain.model import Case, Replied
from app.law.calendar import WorkCalendar
from app.law.deadlines import compute_deadline
from app.law.fees import per_request_fee
from app.law.outcome import case_outcome, concluded_on, concluding_event
from app.reports.annual import receipt_date

# Topics asked about most often in local 政务公开 practice (征地拆迁、就业就学、社会保障 …, domain.md §8).
# A topic counts a case when any of its words occurs in an item's description.
DEFAULT_KEYWORDS: Mapping[str, tuple[str, ...]] = {
    "征收": ("征收", "征地"),
    "拆迁": ("拆迁",),
    "补偿": ("补偿", "安置"),
    "规划": ("规划",),
    "预算": ("预算", "决算"),
    "低保": ("低保", "最低生活保障"),
    "社会保障": ("社保", "社会保障", "养老", "医保"),
    "就业": ("就业",),
    "就学": ("招生", "入学", "学区"),
    "环评": ("环评", "环境影响"),
    "招标": ("招标", "中标", "采购"),
    "许可": ("许可",),
    "处罚": ("处罚",),
    "补贴": ("补贴", "补助"),
}

# 109号第四条: 1–10 requests a calendar month are free; from the 11th on a fee may be charged, and
# 条例第三十五条 lets the agency ask for the reasons of an unreasonable number of requests.
REVIEW_THRESHOLD = 11
# 条例第四十四条: information requested by several different applicants; this product's threshold.
MIN_APPLICANTS = 3
SIMILARITY = 0.8
# Fuzzy matching is for short descriptions (titles of documents); longer texts match only when
# their normalised forms are equal.
SHORT_TEXT = 60
# Bounds on the fuzzy step per description, so a huge bucket stays linear (see ``_Heads``).
PROBES = 3
POSTING_CAP = 200
EXAMINED = 50
MAX_COMPARISONS = 25


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class MonthRow:
    """One calendar month: requests received, cases concluded, and the concluded ones by outcome."""

    year: int
    month: int
    received: int
    concluded: int
    outcomes: Mapping[Finding, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "month": f"{self.year:04d}-{self.month:02d}",
            "received": self.received,
            "concluded": self.concluded,
            "outcomes": {str(f): n for f, n in self.outcomes.items()},
        }


@dataclass(frozen=True)
class RepeatApplicant:
    """An applicant with ``count`` requests received in one calendar month (109号第四条, 条例第三十五条)."""

    identity: str  # "id:<证件号码>" or "name:<姓名>|<电话>"
    name: str
    year: int
    month: int
    count: int
    numbers: tuple[str, ...]  # the cases' registration numbers, in receipt order
    chargeable: int  # requests beyond the free ten
    top_price: int  # 元: the per-request fee of the month's last request (109号第四条 tiers)

    def to_json(self) -> dict[str, Any]:
        return {
            "identity": self.identity,
            "name": self.name,
            "month": f"{self.year:04d}-{self.month:02d}",
            "count": self.count,
            "numbers": list(self.numbers),
            "chargeable": self.chargeable,
            "top_price": self.top_price,
        }


@dataclass(frozen=True)
class DisclosureCandidate:
    """Information requested by several different applicants: propose it for proactive disclosure
    (依申请公开转主动公开, 条例第四十四条)."""

    text: str  # the description requested most often in the group
    applicants: int  # distinct applicants
    requests: int  # cases asking for it
    numbers: tuple[str, ...]
    variants: tuple[str, ...]  # the distinct descriptions grouped together, most frequent first

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "applicants": self.applicants,
            "requests": self.requests,
            "numbers": list(self.numbers),
            "variants": list(self.variants),
        }


@dataclass(frozen=True)
class Timeliness:
    """Replies against their due dates (条例第三十三条) for the cases concluded in the period.

    ``overdue_rate`` is over the concluded cases that had a reply due (a case terminated while a
    correction was awaited has none); ``average_working_days`` is over replied cases, from the
    receipt (or the corrected application's day, 条例第三十条) to the reply, pauses included.
    """

    concluded: int
    with_due: int
    overdue: int
    replied: int
    average_working_days: float | None
    overdue_numbers: tuple[str, ...]

    @property
    def overdue_rate(self) -> float | None:
        return self.overdue / self.with_due if self.with_due else None

    def to_json(self) -> dict[str, Any]:
        return {
            "concluded": self.concluded,
            "with_due": self.with_due,
            "overdue": self.overdue,
            "overdue_rate": self.overdue_rate,
            "replied": self.replied,
            "average_working_days": self.average_working_days,
            "overdue_numbers": list(self.overdue_numbers),
        }


@dataclass(frozen=True)
class Analysis:
    """The periodic analysis of the requests received (and concluded) in ``[first, last]``."""

    first: dt.date
    last: dt.date
    months: tuple[MonthRow, ...]
    tags: Mapping[str, int]
    keywords: Mapping[str, int]
    repeat_applicants: tuple[RepeatApplicant, ...]
    candidates: tuple[DisclosureCandidate, ...]
    timeliness: Timeliness

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "months": [m.to_json() for m in self.months],
            "tags": dict(self.tags),
            "keywords": dict(self.keywords),
            "repeat_applicants": [r.to_json() for r in self.repeat_applicants],
            "candidates": [c.to_json() for c in self.candidates],
            "timeliness": self.timeliness.to_json(),
        }


# --------------------------------------------------------------------------- helpers


def year_period(year: int) -> tuple[dt.date, dt.date]:
    """1 January to 31 December of ``year``."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _received_in(cases: Iterable[Case], first: dt.date, last: dt.date) -> list[tuple[dt.date, Case]]:
    out = []
    for case in cases:
        day = receipt_date(case)
        if day is not None and first <= day <= last:
            out.append((day, case))
    return out


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


_DIGITS = re.compile(r"\d+")


# Request boilerplate that says nothing about the information itself (stripped before comparing).
_LEADING = (
    "申请公开",
    "请求公开",
    "要求公开",
    "申请获取",
    "申请提供",
    "请公开",
    "请提供",
    "申请",
    "关于",
    "有关",
)
_TRAILING = ("的政府信息", "的相关信息", "相关信息", "的信息")


def normalise(text: str) -> str:
    """A description reduced to what identifies the information: NFKC (full-width → half-width),
    lower case, without punctuation, symbols, spaces or request boilerplate ("申请公开…的信息");
    digits (years, 文号) are kept."""
    folded = unicodedata.normalize("NFKC", text).lower()
    core = "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")
    for lead in _LEADING:
        if core.startswith(lead) and len(core) > len(lead):
            core = core[len(lead) :]
            break
    for tail in _TRAILING:
        if core.endswith(tail) and len(core) > len(tail):
            core = core[: -len(tail)]
            break
    return core


def identity(case: Case) -> tuple[str, str]:
    """(key, display name) of the applicant: the ID number when there is one, else name and phone.

    With neither an ID number nor a phone the name alone identifies the applicant (with its e-mail
    when given), which may merge namesakes: the list is for a clerk's review, not a decision.
    """
    a = case.applicant
    number = "".join((a.id_number or "").split()).upper()
    if number:
        return f"id:{number}", a.name
    phone = "".join(ch for ch in (a.phone or "") if ch.isdigit())
    contact = phone or (a.email or "").strip().lower()
    return f"name:{' '.join(a.name.split())}|{contact}", a.name


class _Topics:
    """Finds the keyword topics a text mentions, all words in one scan (overlaps included)."""

    def __init__(self, keywords: Mapping[str, Sequence[str]] | Iterable[str]) -> None:
        if isinstance(keywords, Mapping):
            topics = {str(k): tuple(str(w) for w in v) for k, v in keywords.items()}
        else:
            topics = {str(k): (str(k),) for k in keywords}
        self.order = {t: i for i, t in enumerate(topics)}
        of_word: dict[str, set[str]] = defaultdict(set)
        for topic, words in topics.items():
            for word in words:
                if word:
                    of_word[word].add(topic)
        # At each position the lookahead below matches the longest word only, so a match also stands
        # for every word inside it ("规划许可" found means "规划" and "许可" were too).
        self.of_word: dict[str, frozenset[str]] = {
            w: frozenset(t for v, ts in of_word.items() if v in w for t in ts) for w in of_word
        }
        words_longest_first = sorted(self.of_word, key=lambda w: (-len(w), w))
        # A lookahead matches at every position, so overlapping words are all found.
        self.pattern = (
            re.compile("(?=(" + "|".join(re.escape(w) for w in words_longest_first) + "))")
            if words_longest_first
            else None
        )

    def found(self, text: str) -> set[str]:
        if self.pattern is None:
            return set()
        return {t for w in self.pattern.findall(text) for t in self.of_word[w]}

    def first(self, text: str) -> str:
        """The topic listed first among those the text mentions, "" for none."""
        found = self.found(text)
        return min(found, key=self.order.__getitem__) if found else ""


# --------------------------------------------------------------------------- the parts


def monthly(cases: Iterable[Case], first: dt.date, last: dt.date) -> tuple[MonthRow, ...]:
    """Per calendar month of the period: requests received (legal receipt date), cases concluded
    (first reply or termination) and the concluded ones by their annual-report outcome."""
    months = _months(first, last)
    received: Counter[tuple[int, int]] = Counter()
    concluded: Counter[tuple[int, int]] = Counter()
    outcomes: dict[tuple[int, int], Counter[Finding]] = defaultdict(Counter)
    for case in cases:
        day = receipt_date(case)
        if day is None:
            continue  # 条例第三十一条: not received until confirmed
        if first <= day <= last:
            received[(day.year, day.month)] += 1
        done = concluded_on(case)
        if done is not None and first <= done <= last:
            key = (done.year, done.month)
            concluded[key] += 1
            outcomes[key][case_outcome(case)] += 1
    return tuple(
        MonthRow(y, m, received[(y, m)], concluded[(y, m)], {f: outcomes[(y, m)][f] for f in FINDING_ORDER})
        for y, m in months
    )


def topic_counts(
    cases: Iterable[Case], keywords: Mapping[str, Sequence[str]] | Iterable[str] = DEFAULT_KEYWORDS
) -> tuple[dict[str, int], dict[str, int]]:
    """(cases per tag, cases per keyword topic), each most frequent first; a case counts once per
    tag and once per topic whatever the number of its items mentioning it."""
    topics = _Topics(keywords)
    tags: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for case in cases:
        tags.update(set(case.tags))
        found.update(topics.found("\n".join(item.description for item in case.items)))
    return dict(tags.most_common()), {
        t: found[t] for t in sorted(found, key=lambda t: (-found[t], topics.order[t]))
    }


def repeat_applicants(
    cases: Iterable[Case], first: dt.date, last: dt.date, *, threshold: int = REVIEW_THRESHOLD
) -> tuple[RepeatApplicant, ...]:
    """Applicants with at least ``threshold`` requests received in one calendar month of the period.

    109号第四条 counts requests (按件) of the same applicant cumulated within a calendar month; the
    11th and later may be charged, so they are listed with the tier price of the month's last request,
    and for a 条例第三十五条 review of whether the number or frequency is reasonable.
    """
    groups: dict[tuple[str, int, int], list[tuple[dt.date, str]]] = defaultdict(list)
    names: dict[str, str] = {}
    for day, case in _received_in(cases, first, last):
        key, name = identity(case)
        names.setdefault(key, name)
        groups[(key, day.year, day.month)].append((day, case.number))
    out = []
    for (key, y, m), entries in groups.items():
        if len(entries) < threshold:
            continue
        entries.sort()
        count = len(entries)
        out.append(
            RepeatApplicant(
                identity=key,
                name=names[key],
                year=y,
                month=m,
                count=count,
                numbers=tuple(n for _, n in entries),
                chargeable=max(0, count - 10),
                top_price=per_request_fee(count - 1, 1).amount,
            )
        )
    out.sort(key=lambda r: (-r.count, r.year, r.month, r.identity))
    return tuple(out)


class _Group:
    """Descriptions merged as the same information, with who asked for it."""

    __slots__ = ("applicants", "cases", "forms", "rep")

    def __init__(self, rep: str) -> None:
        self.rep = rep
        self.forms: list[str] = []
        self.applicants: set[str] = set()
        self.cases: dict[str, None] = {}  # case numbers, insertion-ordered and unique


def disclosure_candidates(
    cases: Iterable[Case],
    first: dt.date,
    last: dt.date,
    *,
    keywords: Mapping[str, Sequence[str]] | Iterable[str] = DEFAULT_KEYWORDS,
    min_applicants: int = MIN_APPLICANTS,
    similarity: float = SIMILARITY,
) -> tuple[DisclosureCandidate, ...]:
    """Information requested by ``min_applicants`` or more different applicants in the period
    (条例第四十四条: 依申请公开转主动公开).

    Items are grouped by their normalised description (``normalise``); distinct short forms are then
    merged when ``difflib`` rates them at least ``similarity`` alike and they differ only by words
    added or left out (a changed word — another village, another 文号 — is other information). To
    stay fast on 100 000 cases the fuzzy step compares only forms in the same bucket — the first
    keyword topic they mention (else the case's first tag, else their first two characters) and the
    same numbers (so "2024年预算" and "2025年预算" stay apart) — and within a bucket only the groups
    sharing its rarest character bigrams, at most ``MAX_COMPARISONS`` of them (``_Heads``).
    """
    topics = _Topics(keywords)
    # normalised form → (applicants, case numbers, original spellings counted)
    by_form: dict[str, tuple[set[str], dict[str, None], Counter[str]]] = {}
    bucket_of: dict[str, tuple[str, tuple[str, ...]]] = {}
    for _, case in _received_in(cases, first, last):
        who, _name = identity(case)
        for item in case.items:
            form = normalise(item.description)
            if not form:
                continue
            entry = by_form.get(form)
            if entry is None:
                entry = by_form[form] = (set(), {}, Counter())
                topic = topics.first(item.description)
                if not topic:
                    topic = f"#{case.tags[0]}" if case.tags else f"~{form[:2]}"
                bucket_of[form] = (topic, tuple(_DIGITS.findall(form)))
            entry[0].add(who)
            entry[1][case.number] = None
            entry[2][item.description.strip()] += 1

    buckets: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for form, key in bucket_of.items():
        buckets[key].append(form)

    groups: list[_Group] = []
    for forms in buckets.values():
        # Most requested first, so a group is headed by its most common form (the shortest on a tie).
        forms.sort(key=lambda f: (-len(by_form[f][1]), len(f), f))
        heads = _Heads(similarity)
        for form in forms:
            target = heads.similar(form) if len(form) <= SHORT_TEXT else None
            if target is None:
                target = _Group(form)
                groups.append(target)
                if len(form) <= SHORT_TEXT:
                    heads.add(target)
            applicants, numbers, _spellings = by_form[form]
            target.forms.append(form)
            target.applicants |= applicants
            target.cases.update(numbers)

    out = []
    for g in groups:
        if len(g.applicants) < min_applicants:
            continue
        # The spellings as typed, most frequent first; on a tie the head form's first, then the shortest.
        # (a spelling normalises to one form only, so each is ranked once)
        rank = {
            spelling: (-n, order, len(spelling), spelling)
            for order, form in enumerate(g.forms)
            for spelling, n in by_form[form][2].items()
        }
        variants = tuple(sorted(rank, key=rank.__getitem__))
        out.append(
            DisclosureCandidate(
                text=variants[0],
                applicants=len(g.applicants),
                requests=len(g.cases),
                numbers=tuple(g.cases),
                variants=variants,
            )
        )
    out.sort(key=lambda c: (-c.applicants, -c.requests, c.text))
    return tuple(out)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


class _Heads:
    """The heads of the groups of one bucket, indexed by character bigram.

    A form is compared only with heads that share its rarest bigrams (bigrams carried by more than
    ``POSTING_CAP`` heads tell nothing and are not probed; the ``EXAMINED`` heads sharing most of the
    probed ones are looked at), and only when they share enough bigrams
    overall to possibly reach the similarity; at most ``MAX_COMPARISONS`` heads get the full
    ``difflib`` comparison, most shared bigrams first. So the cost per form stays bounded whatever the
    number of distinct descriptions.
    """

    def __init__(self, similarity: float) -> None:
        self.similarity = similarity
        self.heads: list[_Group] = []
        self.reps: list[str] = []
        self.lengths: list[int] = []
        self.grams: list[set[str]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.matcher = difflib.SequenceMatcher(None, autojunk=False)

    def add(self, group: _Group) -> None:
        index = len(self.heads)
        grams = _bigrams(group.rep)
        self.heads.append(group)
        self.reps.append(group.rep)
        self.lengths.append(len(group.rep))
        self.grams.append(grams)
        for gram in grams:
            self.postings[gram].append(index)

    def similar(self, form: str) -> _Group | None:
        """The first head at least ``similarity`` alike that differs only by added or left-out words."""
        grams = _bigrams(form)
        postings = self.postings
        probes = sorted(
            (p for p in (postings.get(g) for g in grams) if p and len(p) <= POSTING_CAP), key=len
        )[:PROBES]
        if not probes:
            return None
        hits: Counter[int] = Counter()
        for posting in probes:
            hits.update(posting)
        n, s = len(form), self.similarity
        # ratio = 2·M / T with M matched characters and T = |a| + |b|, so M ≥ s·T / 2 and, as
        # M ≤ min(|a|, |b|), the other length lies in [n·s / (2 − s), n·(2 − s) / s]. Without changed
        # words the D + I = T − 2·M unmatched characters split the matched ones into at most D + I + 1
        # blocks, and a block of L characters gives L − 1 shared bigrams: at least 3·M − T − 1 ≥
        # T·(3s − 2) / 2 − 1 are shared (repeated bigrams aside, which short titles rarely have).
        shortest, longest = n * s / (2 - s), n * (2 - s) / s
        factor = (3 * s - 2) / 2
        reps, lengths, gram_sets = self.reps, self.lengths, self.grams
        matcher = self.matcher
        compared = 0
        # sorted() on the counts (stable: earlier heads first on a tie) is cheaper than most_common().
        for index in sorted(hits, key=hits.__getitem__, reverse=True)[:EXAMINED]:
            m = lengths[index]
            if m < shortest or m > longest or len(grams & gram_sets[index]) < (n + m) * factor - 1:
                continue
            compared += 1
            if compared > MAX_COMPARISONS:
                break
            if compared == 1:
                matcher.set_seq2(form)  # the matcher caches what it learns about seq2
            matcher.set_seq1(reps[index])
            if matcher.ratio() >= s and all(tag != "replace" for tag, *_ in matcher.get_opcodes()):
                # Words added or left out, never words changed: "东城村征收方案" and "西城村征收方案"
                # are alike by ratio (0.86) but are different information.
                return self.heads[index]
        return None


def timeliness(
    cases: Iterable[Case], first: dt.date, last: dt.date, *, calendar: WorkCalendar, today: dt.date
) -> Timeliness:
    """Overdue rate and average working days to reply of the cases concluded in the period.

    The reply due date is the deadline engine's (``compute_deadline``: 条例第三十三条 with pauses,
    restarts and extensions); a case is overdue when it concluded after it.
    """
    concluded = with_due = overdue = replied = 0
    days_total = 0
    late: list[tuple[dt.date, str]] = []
    for case in cases:
        done = concluded_on(case)
        if done is None or not first <= done <= last or receipt_date(case) is None:
            continue
        concluded += 1
        result = compute_deadline(case, calendar, today)
        if result.reply_due is not None:
            with_due += 1
            if done > result.reply_due:
                overdue += 1
                late.append((done, case.number))
        if isinstance(concluding_event(case), Replied):
            start = result.start or result.received
            if start is not None:
                replied += 1
                days_total += calendar.working_days_between(start, done)
    late.sort()
    return Timeliness(
        concluded=concluded,
        with_due=with_due,
        overdue=overdue,
        replied=replied,
        average_working_days=days_total / replied if replied else None,
        overdue_numbers=tuple(n for _, n in late),
    )


def analyse(
    cases: Iterable[Case],
    first: dt.date,
    last: dt.date,
    *,
    calendar: WorkCalendar,
    today: dt.date,
    keywords: Mapping[str, Sequence[str]] | Iterable[str] = DEFAULT_KEYWORDS,
    review_threshold: int = REVIEW_THRESHOLD,
    min_applicants: int = MIN_APPLICANTS,
) -> Analysis:
    """The whole periodic analysis of ``[first, last]``: requests received in it, cases concluded in it."""
    everything = list(cases)
    received = [case for _, case in _received_in(everything, first, last)]
    tags, topics = topic_counts(received, keywords)
    return Analysis(
        first=first,
        last=last,
        months=monthly(everything, first, last),
        tags=tags,
        keywords=topics,
        repeat_applicants=repeat_applicants(received, first, last, threshold=review_threshold),
        candidates=disclosure_candidates(
            received, first, last, keywords=keywords, min_applicants=min_applicants
        ),
        timeliness=timeliness(everything, first, last, calendar=calendar, today=today),
    )
