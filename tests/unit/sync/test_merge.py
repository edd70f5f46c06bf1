"""The three-way field merge both the server and the client apply (design.md §5)."""

from __future__ import annotations

from typing import Any

import pytest

from app.sync.merge import FieldClash, edited_since, merge_fields, same


@pytest.mark.parametrize(
    ("base", "mine", "theirs", "expected"),
    [
        pytest.param("a", "b", "a", "apply", id="only-mine-changed-takes-mine"),
        pytest.param("a", "b", "b", "agreed", id="both-made-the-same-change"),
        pytest.param("a", "b", "c", "clash", id="both-changed-differently-is-a-conflict"),
        pytest.param(None, "b", None, "apply", id="new-field-from-null"),
        pytest.param("a", None, "a", "apply", id="clearing-a-field"),
        pytest.param("a", None, "c", "clash", id="clearing-what-the-other-side-edited"),
        pytest.param(["x"], ["x", "y"], ["x"], "apply", id="lists-compare-by-value"),
        pytest.param({"k": 1, "j": 2}, {"k": 2}, {"j": 2, "k": 1}, "apply", id="key-order-is-irrelevant"),
        pytest.param(1, 2, True, "clash", id="true-is-not-1"),
        pytest.param(1, 2, 1.0, "clash", id="1.0-is-not-1"),
    ],
)
def test_one_field(base: Any, mine: Any, theirs: Any, expected: str) -> None:
    result = merge_fields({"f": (base, mine)}, {"f": theirs})
    outcome = "apply" if result.apply else "agreed" if result.agreed else "clash"
    assert outcome == expected
    if expected == "apply":
        assert result.apply == {"f": mine}
    if expected == "clash":
        assert result.clashes == [FieldClash("f", base, mine, theirs)]


def test_fields_merge_independently_and_a_missing_field_counts_as_null() -> None:
    theirs = {"name": "张三", "phone": "139", "email": "old@example.org"}
    result = merge_fields(
        {"name": ("张三", "张叁"), "phone": ("138", "137"), "email": ("old@example.org", "old@example.org"),
         "address": (None, "某路1号")},
        theirs,
    )  # fmt: skip
    assert result.apply == {"name": "张叁", "address": "某路1号"}
    assert result.agreed == ["email"]
    assert result.clashes == [FieldClash("phone", "138", "137", "139")]


def test_edited_since_names_the_fields_a_delete_would_lose() -> None:
    assert edited_since({"a": 1, "b": "x"}, {"a": 1, "b": "x", "c": 3}) == []
    assert edited_since({"a": 1, "b": "x"}, {"a": 2, "b": "x"}) == ["a"]
    assert same("征收", "征收") and not same(0, False)
