"""Letter templates: the language, and the checks that keep placeholders, holes and dropped law out."""

from __future__ import annotations

import pytest

from app.domain.errors import InputError
from app.letters.model import LetterKind
from app.letters.templates import SHIPPED_FOLDER, SPECS, Templates, parse_file

SHIPPED = {name: (SHIPPED_FOLDER / f"{name}.txt").read_text("utf-8") for name in SPECS}


def with_block(kind: str, block: str, text: str) -> Templates:
    """The shipped templates with one block of one file replaced."""
    blocks = parse_file(SHIPPED[kind], kind)
    blocks[block] = (text,)
    body = "\n".join(f"[{name}]\n" + "\n\n".join(paragraphs) + "\n" for name, paragraphs in blocks.items())
    return Templates.from_texts({kind: body})


def reason(excinfo: pytest.ExceptionInfo[InputError]) -> tuple[str, str, str]:
    error = excinfo.value
    return error.kind, error.field, error.params["reason"]


def test_every_kind_has_a_spec_and_the_shipped_files_pass_their_checks() -> None:
    assert set(SPECS) == {"common", *map(str, LetterKind)}
    templates = Templates.shipped()
    assert templates.overridden == ()
    assert templates.text("reply", "title") == "政府信息公开申请答复书"


def test_file_format_blocks_comments_paragraphs_and_wrapped_lines() -> None:
    text = "# comment\n[intro]\n第一段\n接续\n\n第二段\nword\nnext\n[closing]\n特此告知。\n"
    assert parse_file(text, "x") == {"intro": ("第一段接续", "第二段word next"), "closing": ("特此告知。",)}


def test_optional_parts_alternatives_and_escapes() -> None:
    t = with_block("receipt", "intro", r"[于{received}收到|已收到]\{x\}\[y\]\|{number}[（{due}）]")
    values = {
        "agency": "A",
        "date": "D",
        "doc_number": "N",
        "applicant": "甲",
        "number": "1",
        "channel": "当面",
        "count": 1,
        "basis": "B",
    }
    assert t.render("receipt", "intro", values) == ["已收到{x}[y]|1"]
    assert t.render("receipt", "intro", {**values, "received": "9月16日", "due": "10月20日"}) == [
        "于9月16日收到{x}[y]|1（10月20日）"
    ]


def test_none_empty_and_blank_values_count_as_absent() -> None:
    t = Templates.shipped()
    values = {"agency": "A", "office": None, "address": "", "phone": "  ", "date": "D", "doc_number": "N"}
    assert t.text("common", "contact", values) == "（联系单位：A）"


def test_a_paragraph_that_renders_empty_is_left_out() -> None:
    t = with_block("fee", "pause", "[{payment}]")
    assert t.render("fee", "pause", {}) == []


@pytest.mark.parametrize(
    ("kind", "block", "text", "why"),
    [
        ("reply", "lead", "现答复{如下", "syntax"),
        ("reply", "lead", "现答复如下[：", "syntax"),
        ("reply", "lead", "现答复如下]", "syntax"),
        ("reply", "lead", "{nonsense}", "unknown_value"),
        # 条例第三十二条: a consulted third party is not told who asked.
        ("consultation_third_party", "intro", "申请人{applicant}申请公开：", "unknown_value"),
        ("receipt", "limit", "根据{basis}，最迟于{due}答复。", "value_not_optional"),
        ("receipt", "limit", "本机关将在20个工作日内答复。", "value_required"),
        ("correction", "period", "请尽快补正。", "value_required"),
        ("fee", "amount", "请缴费。", "value_required"),
        ("extension", "basis", "根据{basis}延长。", "value_required"),
    ],
)
def test_templates_that_could_print_residue_or_drop_the_law_are_refused(
    kind: str, block: str, text: str, why: str
) -> None:
    with pytest.raises(InputError) as excinfo:
        with_block(kind, block, text)
    assert reason(excinfo) == ("template_invalid", f"{kind}.txt [{block}]", why)


def test_must_use_value_inside_brackets_does_not_count() -> None:
    with pytest.raises(InputError) as excinfo:
        with_block("correction", "period", "请于[{period_end}]前补正。")
    assert reason(excinfo)[2] == "value_required"


def test_missing_unknown_and_duplicate_blocks_are_refused() -> None:
    with pytest.raises(InputError) as excinfo:
        Templates.from_texts({"reply": "[title]\n答复书\n"})
    assert reason(excinfo)[2] == "missing_block"
    with pytest.raises(InputError) as excinfo:
        Templates.from_texts({"reply": SHIPPED["reply"] + "\n[remedy]\n不服可以信访。\n"})
    assert reason(excinfo) == ("template_invalid", "reply.txt [remedy]", "unknown_block")
    with pytest.raises(InputError) as excinfo:
        Templates.from_texts({"reply": SHIPPED["reply"] + "\n[title]\n又一个标题\n"})
    assert reason(excinfo)[2] == "duplicate_block"
    with pytest.raises(InputError) as excinfo:
        Templates.from_texts({"reply": "开头没有段落名\n" + SHIPPED["reply"]})
    assert reason(excinfo)[2] == "text_before_block"
    with pytest.raises(InputError) as excinfo:
        Templates.from_texts({"remedy": "[x]\ny\n"})
    assert reason(excinfo)[2] == "unknown_file"


def test_an_oversized_template_is_refused() -> None:
    with pytest.raises(InputError) as excinfo:
        Templates.from_texts({"reply": SHIPPED["reply"] + "#" * 300_000})
    assert reason(excinfo)[2] == "too_large"


def test_common_blocks_may_use_only_values_every_kind_has() -> None:
    # {applicant} is fine for a reply but must not reach a consultation letter through common.txt.
    with pytest.raises(InputError) as excinfo:
        Templates.from_texts({"common": SHIPPED["common"] + "\n[closing]\n{applicant}收\n"})
    assert excinfo.value.params["reason"] == "unknown_value"


def test_a_kind_file_block_overrides_common() -> None:
    assert Templates.shipped().text("receipt", "signature", {"agency": "A", "office": "B"}) == "B"
    assert Templates.shipped().text("reply", "signature", {"agency": "A", "office": "B"}) == "A"
