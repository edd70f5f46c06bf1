"""The agency profile (interfaces.md §2, ``agency.toml``) checked into an ``Agency``, and its 文号 pattern.

Reading the TOML file is the CLI's job; this takes the parsed table. Errors are ``InputError`` with
a stable kind (``required``, ``bad_type``, ``bad_choice``, ``too_long``, ``bad_pattern``) and the
offending key as ``field``. Keys this version does not know are kept in ``extra``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from app.domain.codes import Finding
from app.domain.errors import InputError
from app.domain.model import AGENCY_LEVELS, Agency, AgencyKind

DOC_NUMBER_FIELDS = frozenset({"short", "year", "seq", "kind"})
# 文号 counters are per agency, per year (domain.md §6): a pattern without the year or the
# sequence number would print the same 文号 twice.
DOC_NUMBER_REQUIRED = frozenset({"year", "seq"})

# Text fields of the profile and their maximum lengths (the name is required).
_TEXT_FIELDS: dict[str, int] = {
    "name": 200,
    "short_name": 50,
    "parent_government": 200,
    "parent_department": 200,
    "reconsideration_organ": 200,
    "court": 200,
    "office": 200,
    "address": 500,
    "phone": 100,
    "doc_number_pattern": 100,
    "font": 200,
}
_CHOICE_FIELDS: dict[str, tuple[str, ...]] = {"kind": AgencyKind.ALL, "level": AGENCY_LEVELS}
_KNOWN = {
    *_TEXT_FIELDS,
    *_CHOICE_FIELDS,
    "fee_pauses_clock",
    "reconsideration_first_findings",
    "doc_number_patterns",
}

# The word a kind's 文号 carries so that the series of different kinds never print the same number
# (domain.md §6: counters are per agency, per year, per kind). ``{kind}`` in a pattern is this word;
# a pattern without it gets the word inserted before its "〔" (the reply keeps the plain pattern).
# Keys are app.letters.LetterKind values (app.law does not import app.letters).
KIND_WORDS: dict[str, str] = {
    "receipt": "登",
    "correction": "补",
    "extension": "延",
    "consultation_third_party": "征",
    "public_interest_notice": "告",
    "consultation_agency": "函",
    "fee": "费",
    "reply": "",
}


def _text(obj: Mapping[str, Any], key: str, max_len: int) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError("bad_type", field=key, expected="text", got=type(value).__name__)
    value = value.strip()
    if len(value) > max_len:
        raise InputError("too_long", field=key, max=max_len, length=len(value))
    return value


def _findings(value: Any) -> tuple[Finding, ...]:
    field = "reconsideration_first_findings"
    if not isinstance(value, list | tuple):
        raise InputError("bad_type", field=field, expected="list", got=type(value).__name__)
    out: list[Finding] = []
    for i, raw in enumerate(value):
        if not isinstance(raw, str):
            raise InputError("bad_type", field=f"{field}.{i}", expected="text", got=type(raw).__name__)
        try:
            finding = Finding(raw.strip())
        except ValueError:
            raise InputError(
                "bad_choice", field=f"{field}.{i}", value=raw, choices=[str(f) for f in Finding]
            ) from None
        if finding not in out:
            out.append(finding)
    return tuple(out)


def _patterns(value: Any) -> dict[str, str]:
    field = "doc_number_patterns"
    if not isinstance(value, Mapping):
        raise InputError("bad_type", field=field, expected="table", got=type(value).__name__)
    out: dict[str, str] = {}
    for kind in value:
        if kind not in KIND_WORDS:
            raise InputError("bad_choice", field=f"{field}.{kind}", value=kind, choices=list(KIND_WORDS))
        text = _text(value, kind, 100)
        if not text:
            raise InputError("required", field=f"{field}.{kind}")
        try:
            check_doc_number_pattern(text)
        except InputError as exc:
            raise InputError(exc.kind, field=f"{field}.{kind}", **exc.params) from None
        out[kind] = text
    return out


def agency_from_dict(obj: Mapping[str, Any]) -> Agency:
    """Check a parsed ``agency.toml`` table and build the profile.

    ``name``, ``kind`` and ``level`` are required; every other key has the default of ``Agency``.
    A ``None`` value (JSON ``null``) counts as absent. Whether the profile is complete enough for
    the remedy clause is checked where the clause is made (``app.law.remedies``), so a profile can
    be saved while it is still being filled in.
    """
    if not isinstance(obj, Mapping):
        raise InputError("bad_type", field="", expected="object", got=type(obj).__name__)
    values: dict[str, Any] = {}
    for key, max_len in _TEXT_FIELDS.items():
        value = _text(obj, key, max_len)
        if value is not None:
            values[key] = value
    if not values.get("name"):
        raise InputError("required", field="name")
    for key, choices in _CHOICE_FIELDS.items():
        value = _text(obj, key, 100)
        if not value:
            raise InputError("required", field=key)
        if value not in choices:
            raise InputError("bad_choice", field=key, value=value, choices=list(choices))
        values[key] = value
    if "doc_number_pattern" in values:
        check_doc_number_pattern(values["doc_number_pattern"])
    pauses = obj.get("fee_pauses_clock")
    if pauses is not None:
        # domain.md §3.3 fee decision: a real boolean, not 0/1 or "yes".
        if not isinstance(pauses, bool):
            raise InputError(
                "bad_type", field="fee_pauses_clock", expected="boolean", got=type(pauses).__name__
            )
        values["fee_pauses_clock"] = pauses
    patterns = obj.get("doc_number_patterns")
    if patterns is not None:
        values["doc_number_patterns"] = _patterns(patterns)
    findings = obj.get("reconsideration_first_findings")
    if findings is not None:
        # domain.md §6.1: the agency may widen the 复议前置 set; the default set always applies.
        values["reconsideration_first_findings"] = _findings(findings)
    extra = {k: v for k, v in obj.items() if k not in _KNOWN}
    return Agency(**values, extra=extra)


# --------------------------------------------------------------------------- 文号


def _pieces(pattern: str) -> list[tuple[str, str | None, str]]:
    """(literal, field, format spec) pieces of a pattern; anything but a plain known field is refused."""
    if not isinstance(pattern, str):
        raise InputError("bad_type", field="doc_number_pattern", expected="text", got=type(pattern).__name__)
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        raise InputError("bad_pattern", field="doc_number_pattern", pattern=pattern) from None
    pieces: list[tuple[str, str | None, str]] = []
    for literal, field, spec, conversion in parsed:
        if field is not None and (field not in DOC_NUMBER_FIELDS or conversion or "{" in (spec or "")):
            raise InputError("bad_pattern", field="doc_number_pattern", pattern=pattern, placeholder=field)
        pieces.append((literal, field, spec or ""))
    used = {field for _, field, _ in pieces if field is not None}
    missing = DOC_NUMBER_REQUIRED - used
    if missing:
        raise InputError("bad_pattern", field="doc_number_pattern", pattern=pattern, missing=sorted(missing))
    return pieces


def check_doc_number_pattern(pattern: str) -> None:
    """Refuse a 文号 pattern that ``format_doc_number`` could not fill (InputError("bad_pattern"))."""
    format_doc_number(pattern, short="某", year=2026, seq=1)


def doc_number_pattern_for(agency: Agency, kind: str) -> str:
    """The 文号 pattern of one letter kind: the profile's own for that kind, else derived.

    "{short}依公开〔{year}〕{seq}号" gives the reply that pattern and the 补正告知书
    "{short}依公开补〔{year}〕{seq}号"; a pattern without "〔" gets the word before ``{seq}``.
    """
    own = agency.doc_number_patterns.get(kind)
    if own:
        return own
    base = agency.doc_number_pattern
    word = KIND_WORDS.get(kind, "")
    if not word or "{kind" in base:
        return base
    at = base.find("〔")
    if at < 0:
        at = base.find("{seq")
    return base[:at] + word + base[at:]


def format_doc_number(pattern: str, *, short: str, year: int, seq: int, kind: str = "") -> str:
    """The 文号 for one letter, e.g. "{short}依公开〔{year}〕{seq}号" → "某自然资规依公开〔2026〕12号".

    Placeholders: ``{short}`` (the agency's short name), ``{year}``, ``{seq}`` (the counter; a format
    spec such as ``{seq:03d}`` is allowed), ``{kind}`` (the kind's word, ``KIND_WORDS``). Any other
    placeholder is ``InputError("bad_pattern")``.
    """
    pieces = _pieces(pattern)
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise InputError("out_of_range", field="seq", value=seq, min=1)
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise InputError("out_of_range", field="year", value=year, min=1, max=9999)
    values: dict[str, Any] = {"short": short, "year": year, "seq": seq, "kind": KIND_WORDS.get(kind, "")}
    out: list[str] = []
    for literal, field, spec in pieces:
        out.append(literal)
        if field is not None:
            try:
                out.append(format(values[field], spec))
            except ValueError:
                raise InputError(
                    "bad_pattern", field="doc_number_pattern", pattern=pattern, placeholder=field
                ) from None
    return "".join(out)
