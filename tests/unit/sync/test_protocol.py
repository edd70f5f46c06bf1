"""The wire models: what a push may contain, and which rows every department shares."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from app.sync import protocol as p


def _op(seq: int, **over: Any) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "seq": seq,
        "entity": "case",
        "entity_id": str(uuid.uuid4()),
        "op": "update",
        "base_rev": 1,
        "changes": {"applicant_name": {"old": "张三", "new": "张叁"}},
        **over,
    }


def test_a_push_round_trips_through_json_and_ignores_unknown_keys() -> None:
    body = {"device_id": str(uuid.uuid4()), "ops": [_op(1), _op(2, future_key=1)], "future": True}
    req = p.PushRequest.model_validate(body)
    assert [op.seq for op in req.ops] == [1, 2]
    assert req.ops[0].changes["applicant_name"] == p.Change(old="张三", new="张叁")
    assert p.PushRequest.model_validate_json(req.model_dump_json()) == req


@pytest.mark.parametrize(
    "ops",
    [
        pytest.param([_op(2), _op(1)], id="seq-out-of-order"),
        pytest.param([_op(1), _op(1)], id="seq-repeated"),
        pytest.param([_op(0)], id="seq-from-1"),
        pytest.param([_op(1, op="upsert")], id="unknown-op"),
        pytest.param([_op(1, op_id="not-a-uuid")], id="op-id-is-a-uuid"),
        pytest.param([_op(1, entity="")], id="entity-required"),
        pytest.param([_op(i + 1) for i in range(p.MAX_OPS_PER_PUSH + 1)], id="batch-too-large"),
    ],
)
def test_malformed_pushes_are_rejected(ops: list[dict[str, Any]]) -> None:
    with pytest.raises(ValidationError):
        p.PushRequest.model_validate({"device_id": str(uuid.uuid4()), "ops": ops})


def test_uuids_are_normalized_to_lower_case() -> None:
    op = p.PushOp.model_validate(_op(1, op_id="0193E0B2-7C1A-4F6E-9D2A-3B5C8E1F0A47"))
    assert op.op_id == "0193e0b2-7c1a-4f6e-9d2a-3b5c8e1f0a47"


@pytest.mark.parametrize(
    ("entity", "entity_id", "shared"),
    [
        ("setting", "calendar:2027", True),
        ("setting", "calendar:2027:local", False),
        ("setting", "agency", False),
        ("case", "calendar:2027", False),
    ],
)
def test_only_the_national_calendar_is_shared_by_every_department(
    entity: str, entity_id: str, shared: bool
) -> None:
    assert p.is_global(entity, entity_id) is shared
