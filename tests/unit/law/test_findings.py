"""The findings catalogue: labels, 30号 rows, articles, and letter paragraphs without residue."""

from __future__ import annotations

import itertools

import pytest

from app.domain.codes import FINDING_LABELS, FINDING_ORDER, Finding
from app.domain.errors import InputError
from app.law import findings

R = "《中华人民共和国政府信息公开条例》"

# 30号 table 三, rows of "三、本年度办理结果" in order.
ROWS_30号 = [
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开 1.属于国家秘密",
    "（三）不予公开 2.其他法律行政法规禁止公开",
    "（三）不予公开 3.危及“三安全一稳定”",
    "（三）不予公开 4.保护第三方合法权益",
    "（三）不予公开 5.属于三类内部事务信息",
    "（三）不予公开 6.属于四类过程性信息",
    "（三）不予公开 7.属于行政执法案卷",
    "（三）不予公开 8.属于行政查询事项",
    "（四）无法提供 1.本机关不掌握相关政府信息",
    "（四）无法提供 2.没有现成信息需要另行制作",
    "（四）无法提供 3.补正后申请内容仍不明确",
    "（五）不予处理 1.信访举报投诉类申请",
    "（五）不予处理 2.重复申请",
    "（五）不予处理 3.要求提供公开出版物",
    "（五）不予处理 4.无正当理由大量反复申请",
    "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "（六）其他处理 3.其他",
]


def test_catalogue_covers_every_code_in_table_order() -> None:
    assert tuple(findings.CATALOGUE) == FINDING_ORDER
    assert [findings.entry(f).row for f in FINDING_ORDER] == ROWS_30号


@pytest.mark.parametrize("finding", FINDING_ORDER, ids=str)
def test_every_code_has_label_row_basis_and_paragraph(finding: Finding) -> None:
    item = findings.entry(finding)
    assert item.code == finding
    assert item.label == FINDING_LABELS[finding]
    assert item.template and item.row_group
    if finding != Finding.OTHER_OTHER:
        assert item.articles and item.basis.startswith(R)
    assert findings.entry(str(finding)) is item


@pytest.mark.parametrize("finding", [f for f in Finding if f.is_withheld], ids=str)
def test_every_refusal_cites_条例36_3(finding: Finding) -> None:
    # domain.md §5: every withheld.* finding also cites Art 36(3) (refusal with reasons).
    assert "第三十六条第（三）项" in findings.ARTICLES[finding]
    assert "第三十六条第（三）项" in findings.finding_paragraph(finding, description="某文件")
    assert findings.entry(finding).reasons_required


# (finding, what its paragraph must cite)
CITED = [
    (Finding.DISCLOSED, "第三十六条第（二）项"),
    (Finding.PARTLY_DISCLOSED, "第三十七条"),
    (Finding.WITHHELD_STATE_SECRET, "第十四条"),
    (Finding.WITHHELD_PROHIBITED_BY_LAW, "第十四条"),
    (Finding.WITHHELD_SECURITY_STABILITY, "第十四条"),
    (Finding.WITHHELD_THIRD_PARTY, "第十五条、第三十二条"),
    (Finding.WITHHELD_INTERNAL_AFFAIRS, "第十六条第一款"),
    (Finding.WITHHELD_PROCESS_INFO, "第十六条第二款"),
    (Finding.WITHHELD_ENFORCEMENT_FILE, "第十六条第二款"),
    (Finding.WITHHELD_ADMINISTRATIVE_QUERY, "第（七）项"),
    (Finding.UNABLE_NOT_HELD, "第三十六条第（四）项"),
    (Finding.UNABLE_NEEDS_CREATION, "第三十八条"),
    (Finding.UNABLE_UNCLEAR_AFTER_CORRECTION, "第三十条"),
    (Finding.NOT_PROCESSED_PETITION, "第三十九条第一款"),
    (Finding.NOT_PROCESSED_REPEAT, "第三十六条第（六）项"),
    (Finding.NOT_PROCESSED_PUBLICATION, "第三十九条第二款"),
    (Finding.NOT_PROCESSED_EXCESSIVE, "第三十五条"),
    (Finding.NOT_PROCESSED_CONFIRM_EXISTING, "第二条、第三十八条"),
    (Finding.OTHER_NO_CORRECTION, "第三十条"),
    (Finding.OTHER_FEE_UNPAID, "第四十二条和《政府信息公开信息处理费管理办法》"),
]


@pytest.mark.parametrize(("finding", "article"), CITED, ids=[str(f) for f, _ in CITED])
def test_paragraph_cites_its_article(finding: Finding, article: str) -> None:
    text = findings.finding_paragraph(finding, description="某文件")
    assert f"根据{R}" in text and article in text


def test_disclosed_paragraph_matches_the_house_wording() -> None:
    assert findings.finding_paragraph(Finding.DISCLOSED, description="2025年某村土地征收补偿安置方案") == (
        "经审查，您申请获取的“2025年某村土地征收补偿安置方案”属于公开范围，"
        f"根据{R}第三十六条第（二）项的规定，予以公开。"
    )


OPTIONAL = {"reasons": "理由甲", "organ": "某市某局", "contact": "0000-1111"}
COMBINATIONS = [
    dict(combo) for n in range(len(OPTIONAL) + 1) for combo in itertools.combinations(OPTIONAL.items(), n)
]


@pytest.mark.parametrize("finding", FINDING_ORDER, ids=str)
@pytest.mark.parametrize("parts", COMBINATIONS, ids=lambda p: "+".join(p) or "bare")
def test_no_placeholder_residue(finding: Finding, parts: dict[str, str]) -> None:
    text = findings.finding_paragraph(finding, description="某文件", **parts)
    assert "“某文件”" in text
    for residue in ("{", "}", "[", "]", "|", "None", "：。", "，。", "。。", "（）"):
        assert residue not in text
    if "reasons" in parts:
        assert "理由甲" in text
    assert text.endswith("。")


def test_not_held_names_the_responsible_organ_and_contact() -> None:
    # 条例第三十六条第（五）项、第十条: name the organ that is responsible and how to reach it.
    text = findings.finding_paragraph(
        Finding.UNABLE_NOT_HELD, description="某文件", organ="某市自然资源局", contact="0000-1234"
    )
    assert "第三十六条第（五）项" in text and "由某市自然资源局负责公开（联系方式：0000-1234）" in text
    bare = findings.finding_paragraph(Finding.UNABLE_NOT_HELD, description="某文件", contact="0000-1234")
    assert "第三十六条第（四）项" in bare and "不存在" in bare and "0000-1234" not in bare


def test_partly_disclosed_states_the_withheld_part() -> None:
    text = findings.finding_paragraph(
        Finding.PARTLY_DISCLOSED,
        description="某名单",
        reasons="名单中的身份证号码属于个人隐私，依据第十五条不予公开。",
    )
    assert text.endswith(
        "不予公开的内容及其理由、依据如下：名单中的身份证号码属于个人隐私，依据第十五条不予公开。"
    )


@pytest.mark.parametrize(
    ("description", "shown"),
    [
        pytest.param("“某文件”", "“某文件”", id="quotes-not-doubled"),
        pytest.param("  某文件。 ", "“某文件”", id="trimmed"),
        pytest.param(
            "含{reasons}和[括号]的文件", "“含{reasons}和[括号]的文件”", id="user-text-printed-as-is"
        ),
    ],
)
def test_description_is_cleaned_not_interpreted(description: str, shown: str) -> None:
    assert shown in findings.finding_paragraph(Finding.DISCLOSED, description=description)


def test_reasons_punctuation_is_not_doubled() -> None:
    text = findings.finding_paragraph(
        Finding.WITHHELD_STATE_SECRET, description="某文件", reasons=" 密级为秘密。 "
    )
    assert "，密级为秘密。根据" in text
    blank = findings.finding_paragraph(Finding.WITHHELD_STATE_SECRET, description="某文件", reasons="  ")
    assert blank == findings.finding_paragraph(Finding.WITHHELD_STATE_SECRET, description="某文件")


@pytest.mark.parametrize("description", ["", "   ", "“”"], ids=["empty", "blank", "empty-quotes"])
def test_description_is_required(description: str) -> None:
    with pytest.raises(InputError) as info:
        findings.finding_paragraph(Finding.DISCLOSED, description=description)
    assert (info.value.kind, info.value.field) == ("required", "description")


def test_unknown_code_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        findings.entry("withheld.other")
    assert info.value.kind == "bad_choice"


@pytest.mark.parametrize(
    "template", ["{unknown}", "[unclosed", "stray]", "{description", "a|b"], ids=lambda t: t
)
def test_template_language_refuses_malformed_templates(template: str) -> None:
    with pytest.raises(ValueError):
        findings.placeholders(template)


def test_templates_use_only_known_values() -> None:
    for item in findings.CATALOGUE.values():
        for template in filter(None, (item.template, item.organ_template)):
            assert "description" in findings.placeholders(template)
            assert findings.placeholders(template) <= findings.PLACEHOLDERS
