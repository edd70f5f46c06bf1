"""Chinese messages: every kind the core raises has one, located, with its params, and it never fails."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.caseformat import ERROR_KINDS
from app.domain.errors import Conflict, InputError, NotFound, RuleError, StoreError, YishenError
from app.interchange import ERROR_KINDS as INTERCHANGE_KINDS
from app.messages import MESSAGES, describe

STORE_KINDS = [
    "wrong_key",
    "no_database",
    "exists",
    "key_missing",
    "no_secure_keyring",
    "empty_passphrase",
    "damaged",
    "io",
    "event_immutable",
    "not_found",
]


@pytest.mark.parametrize("kind", [*ERROR_KINDS, *INTERCHANGE_KINDS, *STORE_KINDS])
def test_every_kind_has_a_message(kind: str) -> None:
    assert MESSAGES.get(kind)


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (
            InputError("required", field="applicant.name", source="cases.jsonl", line=3),
            "cases.jsonl 第3行 字段“applicant.name”（申请人姓名或名称）：不能为空",
        ),
        (
            InputError("required", field="applicant.name"),
            "字段“applicant.name”（申请人姓名或名称）：不能为空",
        ),
        (
            InputError("too_long", field="items.2.description", max=2000, length=2001),
            "字段“items.2.description”（申请内容）：不能超过2000个字符（现有2001个）",
        ),
        (
            InputError("bad_choice", field="items.0.form", value="pdf", choices=["paper", "electronic"]),
            "字段“items.0.form”（载体形式）：“pdf”不是可选的值；可选：paper、electronic",
        ),
        (
            InputError("out_of_range", field="events.4.days", value=21, min=1, max=20),
            "字段“events.4.days”（延期工作日数）：应在1至20之间（现为21）",
        ),
        (
            InputError("control_char", field="applicant.name", codepoint=7, position=2),
            "字段“applicant.name”（申请人姓名或名称）：第2个字符是不可见的控制字符U+0007，请删除后重试",
        ),
        (
            InputError("bad_type", field="events.0.days", expected="integer", got="text"),
            "字段“events.0.days”（延期工作日数）：应为整数，这里是文本",
        ),
        (InputError("x_unknown", field="x_field"), "字段“x_field”：输入有误（x_unknown）"),
        (
            InputError("bad_json", source="a.jsonl", line=2, position=7),
            "a.jsonl 第2行：不是有效的JSON（第7个字符附近）",
        ),
        (InputError("bad_json", source="标准输入", line=1, detail="x"), "标准输入 第1行：不是有效的JSON"),
        (
            InputError("confirmation_missing", field="received", channel="online"),
            "字段“received”（收到申请日期）：通过互联网渠道提交的申请，以与申请人确认之日为收到申请之日（条例第三十一条），"
            "须有一条确认收到记录（receipt_confirmed），其日期即收到日期",
        ),
        (StoreError("wrong_key"), "密钥或口令不正确，无法打开数据库；数据库文件未被改动。"),
        (RuleError("new_rule"), "按规定不能进行此操作（new_rule）"),
        (NotFound(), "找不到要查找的记录。"),
        (Conflict("new_conflict"), "记录已存在或已被他人修改（new_conflict）"),
        (YishenError("odd"), "操作未能完成（odd）"),
    ],
    ids=lambda v: getattr(v, "kind", None) or "text",
)
def test_describe(error: YishenError, text: str) -> None:
    assert describe(error) == text


def test_values_from_the_input_are_shortened_and_made_visible() -> None:
    error = InputError("bad_choice", field="channel", value="\x1b[2J" + "x" * 500, choices=["in_person"])
    text = describe(error)
    assert "\x1b" not in text and "\\u001b[2J" in text
    assert len(text) < 200


def test_markup_stays_literal() -> None:
    text = describe(InputError("bad_choice", field="channel", value="<img src=x>", choices=[]))
    assert "“<img src=x>”" in text


def test_a_template_with_a_missing_param_still_reads() -> None:
    assert (
        describe(InputError("too_long", field="number"))
        == "字段“number”（登记编号）：不能超过？个字符（现有？个）"
    )


@given(
    st.text(max_size=30),
    st.dictionaries(
        st.text(max_size=10),
        st.none() | st.integers() | st.floats() | st.text() | st.lists(st.text(), max_size=3),
        max_size=4,
    ),
    st.sampled_from([InputError, RuleError, NotFound, Conflict, StoreError, YishenError]),
)
def test_describe_never_fails(kind: str, params: dict[str, object], cls: type[YishenError]) -> None:
    kinds = [kind, *MESSAGES][:2]
    for k in kinds:
        error = cls(
            k,
            **{p: v for p, v in params.items() if p.isidentifier() and p not in {"field", "source", "line"}},
        )
        assert describe(error)
