"""The agency profile (interfaces.md §2) and its 文号 pattern."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.codes import Finding
from app.domain.errors import InputError
from app.domain.model import Agency
from app.law.agency import agency_from_dict, format_doc_number

# The example of interfaces.md §2, as tomllib would parse it.
EXAMPLE: dict[str, Any] = {
    "name": "某市自然资源和规划局",
    "short_name": "某自然资规",
    "kind": "department",
    "level": "city",
    "parent_government": "某市人民政府",
    "parent_department": "",
    "reconsideration_organ": "",
    "court": "某市某区人民法院",
    "office": "某市自然资源和规划局政府信息公开办公室",
    "address": "某市某路1号",
    "phone": "0000-00000000",
    "doc_number_pattern": "{short}依公开〔{year}〕{seq}号",
    "fee_pauses_clock": True,
    "reconsideration_first_findings": [],
}


def test_interfaces_example_is_accepted() -> None:
    agency = agency_from_dict(EXAMPLE)
    assert agency == Agency(
        name="某市自然资源和规划局",
        kind="department",
        level="city",
        short_name="某自然资规",
        parent_government="某市人民政府",
        court="某市某区人民法院",
        office="某市自然资源和规划局政府信息公开办公室",
        address="某市某路1号",
        phone="0000-00000000",
    )


def test_minimal_profile_takes_the_defaults() -> None:
    agency = agency_from_dict({"name": " 某县人民政府 ", "kind": "government", "level": "county"})
    assert agency.name == "某县人民政府"
    assert agency.fee_pauses_clock is True
    assert agency.doc_number_pattern == "{short}依公开〔{year}〕{seq}号"


def test_unknown_keys_are_kept_and_nulls_are_absent() -> None:
    agency = agency_from_dict({**EXAMPLE, "letterhead": "红头", "court": None, "seal": {"file": "x.png"}})
    assert agency.extra == {"letterhead": "红头", "seal": {"file": "x.png"}}
    assert agency.court == ""


def test_round_trip_through_to_dict() -> None:
    agency = agency_from_dict(
        {**EXAMPLE, "reconsideration_first_findings": ["not_processed.repeat"], "font": "仿宋", "x_note": 1}
    )
    assert agency_from_dict(agency.to_dict()) == agency


def test_widened_复议前置_findings_are_codes_without_duplicates() -> None:
    agency = agency_from_dict(
        {
            **EXAMPLE,
            "reconsideration_first_findings": [
                "not_processed.repeat",
                "unable.not_held",
                "not_processed.repeat",
            ],
        }
    )
    assert agency.reconsideration_first_findings == (Finding.NOT_PROCESSED_REPEAT, Finding.UNABLE_NOT_HELD)


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in EXAMPLE.items() if k != key}


BAD = [
    pytest.param(_without("name"), "required", "name", id="name-missing"),
    pytest.param({**EXAMPLE, "name": "  "}, "required", "name", id="name-blank"),
    pytest.param({**EXAMPLE, "name": 12}, "bad_type", "name", id="name-not-text"),
    pytest.param({**EXAMPLE, "name": "局" * 201}, "too_long", "name", id="name-too-long"),
    pytest.param(_without("kind"), "required", "kind", id="kind-missing"),
    pytest.param({**EXAMPLE, "kind": "ministry"}, "bad_choice", "kind", id="kind-unknown"),
    pytest.param(_without("level"), "required", "level", id="level-missing"),
    pytest.param({**EXAMPLE, "level": "district"}, "bad_choice", "level", id="level-unknown"),
    pytest.param({**EXAMPLE, "court": ["a"]}, "bad_type", "court", id="court-not-text"),
    pytest.param({**EXAMPLE, "address": "路" * 501}, "too_long", "address", id="address-too-long"),
    pytest.param({**EXAMPLE, "fee_pauses_clock": "yes"}, "bad_type", "fee_pauses_clock", id="bool-as-text"),
    pytest.param({**EXAMPLE, "fee_pauses_clock": 1}, "bad_type", "fee_pauses_clock", id="bool-as-int"),
    pytest.param(
        {**EXAMPLE, "reconsideration_first_findings": "disclosed"},
        "bad_type",
        "reconsideration_first_findings",
        id="findings-not-a-list",
    ),
    pytest.param(
        {**EXAMPLE, "reconsideration_first_findings": ["disclosed", "withheld.secret"]},
        "bad_choice",
        "reconsideration_first_findings.1",
        id="findings-unknown-code",
    ),
    pytest.param(
        {**EXAMPLE, "reconsideration_first_findings": [3]},
        "bad_type",
        "reconsideration_first_findings.0",
        id="findings-not-text",
    ),
    pytest.param(
        {**EXAMPLE, "doc_number_pattern": "{short}〔{year}〕{number}号"},
        "bad_pattern",
        "doc_number_pattern",
        id="pattern-unknown-placeholder",
    ),
]


@pytest.mark.parametrize(("obj", "kind", "field"), BAD)
def test_bad_profiles_name_the_field(obj: dict[str, Any], kind: str, field: str) -> None:
    with pytest.raises(InputError) as info:
        agency_from_dict(obj)
    assert (info.value.kind, info.value.field) == (kind, field)


def test_not_a_table() -> None:
    with pytest.raises(InputError) as info:
        agency_from_dict(["name"])  # type: ignore[arg-type]
    assert info.value.kind == "bad_type"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("{short}依公开〔{year}〕{seq}号", "某自然资规依公开〔2026〕12号", id="default"),
        pytest.param(
            "{short}政公开〔{year}〕第{seq}号", "某自然资规政公开〔2026〕第12号", id="domain-example"
        ),
        pytest.param("{short}依公开〔{year}〕{seq:03d}号", "某自然资规依公开〔2026〕012号", id="zero-padded"),
    ],
)
def test_format_doc_number(pattern: str, expected: str) -> None:
    assert format_doc_number(pattern, short="某自然资规", year=2026, seq=12) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param("{short}〔{year}〕{number}号", id="unknown-placeholder"),
        pytest.param("{short}〔{year}〕{}号", id="positional"),
        pytest.param("{short}〔{year}〕{seq!r}号", id="conversion"),
        pytest.param("{short}〔{year}〕{seq.real}号", id="attribute"),
        pytest.param("{short}〔{year}〕{seq:{year}}号", id="nested-spec"),
        pytest.param("{short}〔{year}〕{seq:zz}号", id="bad-spec"),
        pytest.param("{short}〔{year〕{seq}号", id="unbalanced"),
        pytest.param("{short}依公开第{seq}号", id="no-year-would-repeat-numbers"),
        pytest.param("{short}依公开〔{year}〕号", id="no-seq-would-repeat-numbers"),
    ],
)
def test_bad_doc_number_patterns(pattern: str) -> None:
    with pytest.raises(InputError) as info:
        format_doc_number(pattern, short="某", year=2026, seq=1)
    assert (info.value.kind, info.value.field) == ("bad_pattern", "doc_number_pattern")


def test_doc_number_counter_starts_at_one() -> None:
    with pytest.raises(InputError) as info:
        format_doc_number("{short}〔{year}〕{seq}号", short="某", year=2026, seq=0)
    assert info.value.field == "seq"
