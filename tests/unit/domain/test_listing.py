"""Chinese search tokens: bigrams and single characters, so queries of every length hit the index."""

from __future__ import annotations

import pytest

from app.domain.listing import match_expression, search_tokens


def test_texts_become_bigrams_and_characters_without_crossing_texts() -> None:
    grams, chars = search_tokens(["张三", "土地征收，ABC公司"])
    assert grams == "张三 qgapq 土地 地征 征收 abc 公司"
    assert chars == "张 三 土 地 征 收 公 司"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("张", 'chars : "张"', id="one-character"),
        pytest.param("张三", 'grams : "张三"', id="two-characters"),
        pytest.param("土地征收", 'grams : "土地 地征 征收"', id="four-characters-as-a-phrase"),
        pytest.param("张三　征收", 'grams : "张三" AND grams : "征收"', id="terms-all-match"),
        pytest.param("EMS12", 'grams : "ems12" *', id="latin-as-prefix"),
        pytest.param(' "*" ', None, id="nothing-searchable"),
    ],
)
def test_queries(query: str, expected: str | None) -> None:
    assert match_expression(query) == expected
