"""The findings catalogue: for every 答复类型, its label, annual-report row, legal basis and letter paragraph.

Articles without a law name are of the 条例 (《中华人民共和国政府信息公开条例》, 国务院令第711号);
row labels follow table 三 of 30号 (《中华人民共和国政府信息公开工作年度报告格式》, 国办公开办函〔2021〕30号).

Letter paragraphs are templates in a small language so that one text serves every combination of
optional parts, and no placeholder or "None" can reach a letter:
- ``{name}`` is a value: ``description`` (always given), ``reasons``, ``organ``, ``contact``;
- ``[…]`` is kept only when every value directly inside it is given (``[…]`` may nest);
- ``[a|b]`` is ``a`` when its values are given, else ``b``.
User text is inserted after parsing, so braces or brackets in it are printed as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.codes import FINDING_LABELS, FINDING_ORDER, Finding
from app.domain.errors import InputError
from app.law import wording

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》"
_R = REGULATION

PLACEHOLDERS = frozenset({"description", "reasons", "organ", "contact"})

# 30号 table 三, the rows around the results (domain.md §7.1).
ROW_NEW = "一、本年新收政府信息公开申请数量"
ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量"
ROW_RESULTS = "三、本年度办理结果"
ROW_TOTAL = "（七）总计"
ROW_CARRIED_OUT = "四、结转下年度继续办理"

_G1 = "（一）予以公开"
_G2 = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
_G3 = "（三）不予公开"
_G4 = "（四）无法提供"
_G5 = "（五）不予处理"
_G6 = "（六）其他处理"

# (finding, 30号 row group, item within the group)
_ROWS: dict[Finding, tuple[str, str]] = {
    Finding.DISCLOSED: (_G1, ""),
    Finding.PARTLY_DISCLOSED: (_G2, ""),
    Finding.WITHHELD_STATE_SECRET: (_G3, "1.属于国家秘密"),
    Finding.WITHHELD_PROHIBITED_BY_LAW: (_G3, "2.其他法律行政法规禁止公开"),
    Finding.WITHHELD_SECURITY_STABILITY: (_G3, "3.危及“三安全一稳定”"),
    Finding.WITHHELD_THIRD_PARTY: (_G3, "4.保护第三方合法权益"),
    Finding.WITHHELD_INTERNAL_AFFAIRS: (_G3, "5.属于三类内部事务信息"),
    Finding.WITHHELD_PROCESS_INFO: (_G3, "6.属于四类过程性信息"),
    Finding.WITHHELD_ENFORCEMENT_FILE: (_G3, "7.属于行政执法案卷"),
    Finding.WITHHELD_ADMINISTRATIVE_QUERY: (_G3, "8.属于行政查询事项"),
    Finding.UNABLE_NOT_HELD: (_G4, "1.本机关不掌握相关政府信息"),
    Finding.UNABLE_NEEDS_CREATION: (_G4, "2.没有现成信息需要另行制作"),
    Finding.UNABLE_UNCLEAR_AFTER_CORRECTION: (_G4, "3.补正后申请内容仍不明确"),
    Finding.NOT_PROCESSED_PETITION: (_G5, "1.信访举报投诉类申请"),
    Finding.NOT_PROCESSED_REPEAT: (_G5, "2.重复申请"),
    Finding.NOT_PROCESSED_PUBLICATION: (_G5, "3.要求提供公开出版物"),
    Finding.NOT_PROCESSED_EXCESSIVE: (_G5, "4.无正当理由大量反复申请"),
    Finding.NOT_PROCESSED_CONFIRM_EXISTING: (_G5, "5.要求行政机关确认或重新出具已获取信息"),
    Finding.OTHER_NO_CORRECTION: (_G6, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    Finding.OTHER_FEE_UNPAID: (
        _G6,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    Finding.OTHER_OTHER: (_G6, "3.其他"),
}

# 条例第三十六条第（三）项: every refusal to disclose states that it refuses and why.
_REFUSAL = "第三十六条第（三）项"

# The 条例 articles each finding rests on (domain.md §5).
ARTICLES: Mapping[Finding, tuple[str, ...]] = {
    # 第三十六条第（一）项 (already proactively disclosed: say where), 第（二）项 (provided), 第四十条 (form).
    Finding.DISCLOSED: ("第三十六条第（一）项", "第三十六条第（二）项", "第四十条"),
    # 第三十七条: the disclosable part is provided, the rest refused with reasons (its own exemption).
    Finding.PARTLY_DISCLOSED: (_REFUSAL, "第三十七条"),
    # 第十四条: state secrets, prohibited by law, 三安全一稳定.
    Finding.WITHHELD_STATE_SECRET: ("第十四条", _REFUSAL),
    Finding.WITHHELD_PROHIBITED_BY_LAW: ("第十四条", _REFUSAL),
    Finding.WITHHELD_SECURITY_STABILITY: ("第十四条", _REFUSAL),
    # 第十五条 (trade secrets, privacy), 第三十二条 (the third party's opinion).
    Finding.WITHHELD_THIRD_PARTY: ("第十五条", "第三十二条", _REFUSAL),
    # 第十六条第一款: internal affairs; 第二款: process information and enforcement files.
    Finding.WITHHELD_INTERNAL_AFFAIRS: ("第十六条第一款", _REFUSAL),
    Finding.WITHHELD_PROCESS_INFO: ("第十六条第二款", _REFUSAL),
    Finding.WITHHELD_ENFORCEMENT_FILE: ("第十六条第二款", _REFUSAL),
    # 第三十六条第（七）项: 工商、不动产登记资料 etc. follow their own laws.
    Finding.WITHHELD_ADMINISTRATIVE_QUERY: (_REFUSAL, "第三十六条第（七）项"),
    # 第三十六条第（四）项: does not exist; 第（五）项 + 第十条: another organ is responsible — name it.
    Finding.UNABLE_NOT_HELD: ("第十条", "第三十六条第（四）项", "第三十六条第（五）项"),
    # 第三十八条: only information already made or obtained; no processing or new creation.
    Finding.UNABLE_NEEDS_CREATION: ("第三十八条",),
    # 第三十条: 补正 once; still unclear after it.
    Finding.UNABLE_UNCLEAR_AFTER_CORRECTION: ("第三十条",),
    # 第三十九条第一款: 信访、投诉、举报 in the form of a request.
    Finding.NOT_PROCESSED_PETITION: ("第三十九条第一款",),
    # 第三十六条第（六）项: the same information again after a reply.
    Finding.NOT_PROCESSED_REPEAT: ("第三十六条第（六）项",),
    # 第三十九条第二款: 政府公报、报刊、书籍 — tell where to get them.
    Finding.NOT_PROCESSED_PUBLICATION: ("第三十九条第二款",),
    # 第三十五条: unreasonable number or frequency of requests.
    Finding.NOT_PROCESSED_EXCESSIVE: ("第三十五条",),
    # 第二条 (what 政府信息 is), 第三十八条 (no new creation).
    Finding.NOT_PROCESSED_CONFIRM_EXISTING: ("第二条", "第三十八条"),
    # 第三十条: no correction in time without good reason → deemed withdrawn.
    Finding.OTHER_NO_CORRECTION: ("第三十条",),
    # 第四十二条 + 109号: fee not paid in time → deemed withdrawn.
    Finding.OTHER_FEE_UNPAID: ("第四十二条",),
    Finding.OTHER_OTHER: (),
}

# Sources other than the 条例.
_OTHER_SOURCES: dict[Finding, str] = {Finding.OTHER_FEE_UNPAID: f"{FEE_MEASURES}（国办函〔2020〕109号）"}

# 条例第三十六条第（三）项、第三十七条: a refusal must give its reasons; other.other says what happened.
REASONS_REQUIRED: frozenset[Finding] = frozenset(
    {f for f in Finding if f.is_withheld} | {Finding.PARTLY_DISCLOSED, Finding.OTHER_OTHER}
)


def _withheld(what: str, articles: str) -> str:
    return f"经审查，您申请获取的“{{description}}”{what}[，{{reasons}}]。根据{_R}{articles}的规定，不予公开。"


_TEMPLATES: dict[Finding, str] = {
    Finding.DISCLOSED: (
        f"经审查，您申请获取的“{{description}}”属于公开范围，根据{_R}第三十六条第（二）项的规定，"
        "予以公开。[{reasons}。]"
    ),
    Finding.PARTLY_DISCLOSED: (
        "经审查，您申请获取的“{description}”中含有依法不应当公开的内容，但能够作区分处理。"
        f"根据{_R}第三十七条的规定，本机关向您提供可以公开的内容"
        "[；不予公开的内容及其理由、依据如下：{reasons}|，其余内容不予公开]。"
    ),
    Finding.WITHHELD_STATE_SECRET: _withheld(
        "属于依法确定为国家秘密的政府信息", "第十四条、第三十六条第（三）项"
    ),
    Finding.WITHHELD_PROHIBITED_BY_LAW: _withheld(
        "属于法律、行政法规禁止公开的政府信息", "第十四条、第三十六条第（三）项"
    ),
    Finding.WITHHELD_SECURITY_STABILITY: _withheld(
        "属于公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息", "第十四条、第三十六条第（三）项"
    ),
    Finding.WITHHELD_THIRD_PARTY: _withheld(
        "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
        "第十五条、第三十二条、第三十六条第（三）项",
    ),
    Finding.WITHHELD_INTERNAL_AFFAIRS: _withheld(
        "属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）",
        "第十六条第一款、第三十六条第（三）项",
    ),
    Finding.WITHHELD_PROCESS_INFO: _withheld(
        "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
        "第十六条第二款、第三十六条第（三）项",
    ),
    Finding.WITHHELD_ENFORCEMENT_FILE: _withheld(
        "属于行政执法案卷信息", "第十六条第二款、第三十六条第（三）项"
    ),
    Finding.WITHHELD_ADMINISTRATIVE_QUERY: (
        "经审查，您申请获取的“{description}”属于工商、不动产登记资料等有关法律、行政法规对信息的获取"
        f"有特别规定的信息[，{{reasons}}]。根据{_R}第三十六条第（三）项、第（七）项的规定，不予公开，"
        "请您依照有关法律、行政法规的规定[向{organ}[（联系方式：{contact}）]]申请查询。"
    ),
    Finding.UNABLE_NOT_HELD: (
        "经检索，本机关未制作或者获取您申请获取的“{description}”[，{reasons}]。"
        f"根据{_R}第三十六条第（四）项的规定，告知您该政府信息不存在。"
    ),
    Finding.UNABLE_NEEDS_CREATION: (
        "经审查，您申请获取的“{description}”需要本机关对现有政府信息进行加工、分析或者另行制作，"
        f"不属于本机关已制作或者获取的政府信息[，{{reasons}}]。根据{_R}第三十八条的规定，本机关不予提供。"
    ),
    Finding.UNABLE_UNCLEAR_AFTER_CORRECTION: (
        "本机关已告知您对申请内容作出补正。经审查，您补正后申请获取的“{description}”内容仍不明确，"
        f"本机关无法据此确定您所需的政府信息[，{{reasons}}]。根据{_R}第三十条的规定，本机关无法向您提供。"
        "您明确所需信息的名称、文号或者其他特征描述后，可以重新提出申请。"
    ),
    Finding.NOT_PROCESSED_PETITION: (
        "经审查，您提出的“{description}”系以政府信息公开申请的形式进行信访、投诉、举报等活动[，{reasons}]。"
        f"根据{_R}第三十九条第一款的规定，本机关不作为政府信息公开申请处理，"
        "您可以通过[{organ}[（联系方式：{contact}）]等]相应渠道提出。"
    ),
    Finding.NOT_PROCESSED_REPEAT: (
        "经审查，您申请获取的“{description}”与您此前提出、本机关已作出答复的政府信息公开申请内容相同"
        f"[，{{reasons}}]。根据{_R}第三十六条第（六）项的规定，本机关不予重复处理。"
    ),
    Finding.NOT_PROCESSED_PUBLICATION: (
        "经审查，您申请获取的“{description}”属于政府公报、报刊、书籍等公开出版物。"
        f"根据{_R}第三十九条第二款的规定，本机关不作为政府信息公开申请处理"
        "[，您可以通过以下途径获取：{reasons}]。"
    ),
    Finding.NOT_PROCESSED_EXCESSIVE: (
        "您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由。经审查，您的申请理由不合理"
        f"[，{{reasons}}]。根据{_R}第三十五条的规定，对您申请获取的“{{description}}”不予处理。"
    ),
    Finding.NOT_PROCESSED_CONFIRM_EXISTING: (
        "经审查，您提出的“{description}”系要求本机关对您已获取的信息予以确认或者重新出具，"
        f"不属于提供本机关已制作或者获取的政府信息[，{{reasons}}]。根据{_R}第二条、第三十八条的规定，"
        "本机关不予处理。"
    ),
    Finding.OTHER_NO_CORRECTION: (
        "本机关已向您发出补正告知书，要求您在补正期限内对申请获取的“{description}”作出补正，"
        f"您无正当理由逾期未补正[，{{reasons}}]。根据{_R}第三十条的规定，视为您放弃申请，"
        "本机关不再处理该政府信息公开申请。"
    ),
    Finding.OTHER_FEE_UNPAID: (
        "本机关已就您申请获取的“{description}”向您发出收费通知，您未在规定期限内缴纳信息处理费"
        f"[，{{reasons}}]。根据{_R}第四十二条和{FEE_MEASURES}的规定，视为您放弃申请，"
        "本机关不再处理该政府信息公开申请。"
    ),
    Finding.OTHER_OTHER: "关于您申请获取的“{description}”，[{reasons}|本机关依法予以其他处理]。",
}

# 条例第三十六条第（五）项、第十条: when another organ is responsible, name it and its contact.
_ORGAN_TEMPLATES: dict[Finding, str] = {
    Finding.UNABLE_NOT_HELD: (
        "经审查，您申请获取的“{description}”不属于本机关负责公开的政府信息[，{reasons}]。"
        f"根据{_R}第十条、第三十六条第（五）项的规定，告知您该信息由{{organ}}负责公开"
        "[（联系方式：{contact}）]，您可以向该机关提出申请。"
    ),
}


# --------------------------------------------------------------------------- template language


def _parse(template: str) -> tuple[wording.Node, ...]:
    """The template parsed by the shared language, limited to the catalogue's value names."""
    nodes = wording.parse(template)
    unknown = wording.names(nodes, top_only=False) - PLACEHOLDERS
    if unknown:
        raise ValueError(f"unknown placeholder {sorted(unknown)} in {template!r}")
    return nodes


def placeholders(template: str) -> frozenset[str]:
    """The value names a template uses (anywhere, optional parts included)."""
    return frozenset(wording.names(_parse(template), top_only=False))


# --------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class FindingEntry:
    """Everything the product says about one finding."""

    code: Finding
    label: str  # 答复类型 as the UI shows it
    row_group: str  # 30号 table 三, e.g. "（三）不予公开"
    row_item: str  # e.g. "1.属于国家秘密"; "" for （一） and （二）
    articles: tuple[str, ...]  # 条例 articles
    basis: str  # the full citation, e.g. "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项"
    template: str  # the letter paragraph (see the module docstring)
    organ_template: str | None  # used instead when a responsible organ is named (unable.not_held)
    reasons_required: bool  # the letter must give reasons (条例第三十六条第（三）项、第三十七条)

    @property
    def row(self) -> str:
        """The annual-report row label, e.g. "（三）不予公开 1.属于国家秘密"."""
        return f"{self.row_group} {self.row_item}" if self.row_item else self.row_group


def _join_articles(articles: tuple[str, ...]) -> str:
    """ "第三十六条第（一）项", "第三十六条第（二）项" → "第三十六条第（一）项、第（二）项"."""
    out: list[str] = []
    previous = ""
    for article in articles:
        head, sep, tail = article.partition("条")
        head += sep
        out.append(tail if tail and head == previous else article)
        previous = head
    return "、".join(out)


def _basis(finding: Finding) -> str:
    parts = []
    if ARTICLES[finding]:
        parts.append(REGULATION + _join_articles(ARTICLES[finding]))
    if finding in _OTHER_SOURCES:
        parts.append(_OTHER_SOURCES[finding])
    return "，".join(parts)


CATALOGUE: Mapping[Finding, FindingEntry] = {
    f: FindingEntry(
        code=f,
        label=FINDING_LABELS[f],
        row_group=_ROWS[f][0],
        row_item=_ROWS[f][1],
        articles=ARTICLES[f],
        basis=_basis(f),
        template=_TEMPLATES[f],
        organ_template=_ORGAN_TEMPLATES.get(f),
        reasons_required=f in REASONS_REQUIRED,
    )
    for f in FINDING_ORDER
}

_PARSED: dict[str, tuple[wording.Node, ...]] = {
    t: _parse(t) for t in (*_TEMPLATES.values(), *_ORGAN_TEMPLATES.values())
}


def entry(finding: Finding | str) -> FindingEntry:
    """The catalogue entry of a finding code."""
    try:
        return CATALOGUE[Finding(finding)]
    except ValueError:
        raise InputError("bad_choice", field="finding", value=str(finding)) from None


# Punctuation the templates supply themselves; stripped from the ends of user text.
_TRAILING = "。．.；;，,、：: \t\r\n"
_QUOTES = (("“", "”"), ('"', '"'), ("「", "」"), ("『", "』"))


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip().rstrip(_TRAILING).strip()
    return text or None


def _clean_description(value: str) -> str:
    text = value.strip().rstrip("。．.").strip() if isinstance(value, str) else ""
    for left, right in _QUOTES:
        if len(text) >= 2 and text.startswith(left) and text.endswith(right):
            text = text[1:-1].strip()
            break
    if not text:
        raise InputError("required", field="description")
    return text


def finding_paragraph(
    finding: Finding | str,
    *,
    description: str,
    reasons: str | None = None,
    organ: str | None = None,
    contact: str | None = None,
) -> str:
    """The 答复书 paragraph for one item: the finding, its reasons and its legal basis.

    ``description`` is the item as requested; ``reasons`` the item's reasons (for a publication, the
    way to obtain it); ``organ``/``contact`` the responsible organ (unable.not_held, where it makes
    the paragraph cite 条例第三十六条第（五）项) or the channel to turn to. Missing optional parts are
    left out of the sentence, never printed empty.
    """
    item = entry(finding)
    values = {"description": _clean_description(description)}
    for name, raw in (("reasons", reasons), ("organ", organ), ("contact", contact)):
        cleaned = _clean(raw)
        if cleaned is not None:
            values[name] = cleaned
    template = item.organ_template if item.organ_template and "organ" in values else item.template
    return wording.render(_PARSED[template], values)
