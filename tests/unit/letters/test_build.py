"""build_letter: what each kind says (domain.md §6), with the law's paragraphs and no residue."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from app.domain.codes import FINDING_ORDER, Channel, Finding, Form
from app.domain.errors import InputError, RuleError
from app.domain.model import Agency, Case, ConsultationSent, ExtensionApproved, Note
from app.law.calendar import shipped_calendar
from app.law.deadlines import compute_deadline
from app.law.findings import finding_paragraph
from app.law.remedies import remedy_clause
from app.letters import Letter, LetterKind, Role, missing_parts
from app.letters.model import describe_missing
from tests.unit.letters.samples import (
    AGENCY,
    APPLICANT,
    DOC_NUMBER,
    JUSTICE,
    PROVINCE,
    TODAY,
    case_for,
    full_case,
    make_letter,
    mixed_case,
)

CAL = shipped_calendar()
R = "《中华人民共和国政府信息公开条例》"
FULL_TODAY = dt.date(2026, 10, 21)


def build(
    kind: LetterKind | str,
    case: Case,
    *,
    agency: Agency = AGENCY,
    today: dt.date = TODAY,
    consultation_id: str | None = None,
) -> Letter:
    return make_letter(kind, case, agency=agency, today=today, consultation_id=consultation_id)


def text_of(letter: Letter) -> str:
    return letter.plain_text()


def assert_clean(letter: Letter) -> None:
    """No placeholder, no "None", no empty slot such as "：。" or "（）"."""
    text = text_of(letter)
    for residue in ("{", "}", "None", "：。", "（）", "“”", "：；", "，。", "[", "]"):
        assert residue not in text, (residue, text)
    assert not re.search(r"^[：，。；、]", text, re.M), text  # a line that lost its start


# --------------------------------------------------------------------------- every kind


ALL_KINDS = [
    (LetterKind.RECEIPT, None),
    (LetterKind.CORRECTION, None),
    (LetterKind.EXTENSION, None),
    (LetterKind.CONSULTATION_THIRD_PARTY, "c1"),
    (LetterKind.CONSULTATION_AGENCY, "c2"),
    (LetterKind.PUBLIC_INTEREST_NOTICE, "c1"),
    (LetterKind.FEE, None),
    (LetterKind.REPLY, None),
]


@pytest.mark.parametrize(("kind", "cid"), ALL_KINDS, ids=lambda v: str(v))
def test_every_kind_builds_complete_and_clean(kind: LetterKind, cid: str | None) -> None:
    letter = build(kind, full_case(), today=FULL_TODAY, consultation_id=cid)
    assert letter.kind == kind
    assert letter.doc_number == DOC_NUMBER
    assert letter.header == AGENCY.name
    assert letter.date == FULL_TODAY and letter.date_text == "2026年10月21日"
    assert missing_parts(letter) == []
    assert_clean(letter)
    assert (
        letter.contact
        == "（联系单位：某市自然资源和规划局政府信息公开办公室；地址：某市某路1号；联系电话：0000-00000000）"
    )


def test_the_kind_is_checked() -> None:
    with pytest.raises(InputError) as excinfo:
        build("notice", full_case())
    assert excinfo.value.kind == "bad_choice" and excinfo.value.field == "kind"


# --------------------------------------------------------------------------- 登记回执


def test_receipt_states_receipt_date_channel_items_and_the_20_day_limit() -> None:
    letter = build(LetterKind.RECEIPT, mixed_case())
    text = text_of(letter)
    assert letter.title == "政府信息公开申请登记回执"
    assert letter.addressee == "张三"
    assert "本机关于2026年9月16日收到您通过互联网渠道提交的政府信息公开申请" in text
    assert "登记编号为2026-0043" in text and "共4项" in text
    assert "（1）2025年某村土地征收补偿安置方案（纸质，邮寄）；" in text
    assert "（3）某项目专题会议纪要（查阅，自行领取）；" in text
    assert "（4）某公司营业执照（纸质，自行领取）。" in text
    # 条例第三十三条: 2026-09-16 + 20 working days (国庆 skipped) = 2026-10-20 (domain.md §3.2).
    assert f"根据{R}第三十条、第三十三条的规定" in text
    assert "本机关将自收到申请之日起20个工作日内（最迟于2026年10月20日）作出答复" in text
    assert "答复期限自本机关收到补正后的申请之日起重新计算" in text
    assert "所需时间不计算在答复期限内" in text and "延长的期限最长不超过20个工作日" in text
    assert letter.signature == AGENCY.office
    assert letter.closing == "特此告知。"
    limit = next(p for p in letter.paragraphs if "第三十三条" in p.text)
    assert limit.role == Role.BASIS and not limit.editable


def test_receipt_before_confirmation_states_no_date() -> None:
    case = replace(mixed_case(), received=None, channel=Channel.EMAIL)
    letter = build(LetterKind.RECEIPT, case)
    text = text_of(letter)
    assert "收到申请之日以本机关与您确认之日为准" in text and "最迟于" not in text
    assert "20个工作日内作出答复" in text
    assert letter.warnings == ("receipt_unconfirmed",)
    assert_clean(letter)


def test_receipt_in_a_year_without_a_schedule_says_the_date_is_provisional() -> None:
    case = replace(mixed_case(), received=dt.date(2027, 9, 16))
    letter = build(LetterKind.RECEIPT, case, today=dt.date(2027, 9, 16))
    assert "provisional_date" in letter.warnings
    assert "节假日安排尚未全部公布" in text_of(letter)


def test_receipt_channel_phrases() -> None:
    for channel, phrase in [
        (Channel.IN_PERSON, "收到您当面提交的"),
        (Channel.ORAL, "收到您以口头方式（由本机关工作人员代为填写申请）提交的"),
        (Channel.FAX, "收到您通过传真提交的"),
    ]:
        assert phrase in text_of(build(LetterKind.RECEIPT, replace(mixed_case(), channel=channel)))


# --------------------------------------------------------------------------- 补正告知书


def test_correction_lists_the_recorded_points_the_period_and_the_consequence() -> None:
    letter = build(LetterKind.CORRECTION, full_case(), today=dt.date(2026, 9, 18))
    text = text_of(letter)
    assert letter.title == "政府信息公开申请补正告知书"
    assert f"根据{R}第三十条的规定，现一次性告知您对下列事项作出补正：" in text
    assert "（1）所需规划许可的项目名称或者许可证编号；" in text
    assert "（2）所需出让合同涉及的地块位置。" in text
    assert "例如：" in text  # an example of an adequate description
    assert "请您于2026年10月16日前（含当日）向本机关提交补正后的申请" in text
    assert "本机关自收到补正后的申请之日起重新计算答复期限" in text
    assert "视为放弃申请" in text
    assert letter.warnings == ()


def test_correction_points_from_notes_then_from_the_items() -> None:
    case = full_case()
    requested = replace(case.events[0], extra={})
    from_notes = build(LetterKind.CORRECTION, replace(case, events=(requested,)), today=dt.date(2026, 9, 18))
    assert "（1）请写明所需规划许可的项目名称。" in text_of(from_notes)
    none = build(
        LetterKind.CORRECTION, replace(case, events=(requested,), notes=()), today=dt.date(2026, 9, 18)
    )
    assert "correction_points_default" in none.warnings
    assert "（2）您申请获取的“某地块出让合同”，未写明所需政府信息的名称" in text_of(none)


def test_correction_without_its_event_offers_15_working_days_and_says_so() -> None:
    letter = build(LetterKind.CORRECTION, case_for(Finding.DISCLOSED), today=dt.date(2026, 9, 18))
    # 2026-09-18 + 15 working days: 9-20 (Sun) and 10-10 (Sat) are make-up working days, 中秋 (9-25…9-27)
    # and 国庆 (10-01…10-07) are skipped.
    assert "请您于2026年10月15日前（含当日）" in text_of(letter)
    assert "correction_period_default" in letter.warnings


def test_correction_after_7_working_days_is_flagged() -> None:
    # 条例第三十条: 2026-09-16 + 7 working days = 2026-09-24.
    assert (
        "correction_notice_late"
        not in build(LetterKind.CORRECTION, case_for(Finding.DISCLOSED), today=dt.date(2026, 9, 24)).warnings
    )
    late = build(LetterKind.CORRECTION, case_for(Finding.DISCLOSED), today=dt.date(2026, 9, 25))
    assert "correction_notice_late" in late.warnings


def test_correction_needs_a_receipt_date() -> None:
    with pytest.raises(RuleError) as excinfo:
        build(LetterKind.CORRECTION, case_for(Finding.DISCLOSED, received=None, channel=Channel.ONLINE))
    assert excinfo.value.kind == "letter_needs_receipt"


# --------------------------------------------------------------------------- 延期答复告知书


def test_extension_states_the_days_the_reason_and_the_engines_new_due_date() -> None:
    case = full_case()
    letter = build(LetterKind.EXTENSION, case, today=dt.date(2026, 10, 20))
    due = compute_deadline(case, CAL, dt.date(2026, 10, 20)).reply_due
    assert due == dt.date(2026, 12, 15)
    text = text_of(letter)
    assert "并于2026年9月25日收到您补正后的申请" in text
    assert "因申请公开的信息数量较多，需要逐项检索和审查，本机关不能在规定的期限内作出答复" in text
    assert (
        f"经本机关政府信息公开工作机构负责人同意，根据{R}第三十三条第二款的规定，答复期限延长15个工作日"
        in text
    )
    assert "本机关将最迟于2026年12月15日作出答复" in text


def test_extension_needs_an_applied_extension() -> None:
    with pytest.raises(RuleError) as excinfo:
        build(LetterKind.EXTENSION, case_for(Finding.DISCLOSED))
    assert excinfo.value.params == {"event": "extension_approved"}
    late = case_for(Finding.DISCLOSED).with_events(
        ExtensionApproved(date=dt.date(2026, 10, 21), days=10, approver="李四", reason="检索量大")
    )
    with pytest.raises(RuleError) as excinfo:
        build(LetterKind.EXTENSION, late, today=dt.date(2026, 10, 21))
    assert excinfo.value.kind == "extension_refused" and excinfo.value.params == {"refusal": "late"}


# --------------------------------------------------------------------------- consultations


PERSONAL = [APPLICANT.name, APPLICANT.phone, APPLICANT.id_number, APPLICANT.email, APPLICANT.address]


def test_third_party_consultation_names_the_information_not_the_applicant() -> None:
    letter = build(LetterKind.CONSULTATION_THIRD_PARTY, full_case(), consultation_id="c1")
    text = text_of(letter)
    assert letter.addressee == "某置业有限公司"
    assert letter.title == "政府信息公开征求第三方意见书"
    # Only item 2 concerns the company (the event's "items"), and why.
    assert "（2）某地块出让合同。" in text and "某小区规划许可" not in text
    assert "（该合同载有贵公司的出让价款和付款安排）" in text
    assert f"根据{R}第三十二条的规定" in text
    assert "自收到本意见书之日起15个工作日内" in text
    assert "不同意公开的，应当说明理由" in text
    assert "逾期未提出意见的，由本机关依照" in text and "决定是否公开" in text
    for value in PERSONAL:
        assert value is not None and value not in text
    assert "2026-0044" not in text  # not even the registration number


def test_agency_consultation_silence_is_consent() -> None:
    letter = build(LetterKind.CONSULTATION_AGENCY, full_case(), consultation_id="c2")
    text = text_of(letter)
    assert letter.addressee == "某市住房和城乡建设局" and letter.closing == "请予函复。"
    assert f"根据{R}第三十四条的规定，请贵机关自收到本函之日起15个工作日内提出意见" in text
    assert "逾期未提出意见的，视为同意公开" in text
    assert "（1）某小区规划许可及附图；" in text and "（2）某地块出让合同。" in text
    for value in PERSONAL:
        assert value is not None and value not in text


def test_consultation_choice_and_party_are_checked() -> None:
    case = full_case()
    # One consultation of each party: found without an id.
    assert build(LetterKind.CONSULTATION_AGENCY, case).addressee == "某市住房和城乡建设局"
    two = case.with_events(ConsultationSent(date=dt.date(2026, 9, 29), id="c3", party="agency", name="B"))
    with pytest.raises(InputError) as excinfo:
        build(LetterKind.CONSULTATION_AGENCY, two)
    assert excinfo.value.kind == "required" and excinfo.value.field == "consultation"
    with pytest.raises(InputError) as excinfo:
        build(LetterKind.CONSULTATION_AGENCY, case, consultation_id="nope")
    assert excinfo.value.kind == "bad_choice"
    with pytest.raises(RuleError) as excinfo:
        build(LetterKind.CONSULTATION_AGENCY, case, consultation_id="c1")
    assert excinfo.value.kind == "consultation_party"


def test_public_interest_notice_states_content_and_reasons() -> None:
    letter = build(LetterKind.PUBLIC_INTEREST_NOTICE, full_case(), consultation_id="c1")
    text = text_of(letter)
    assert letter.addressee == "某置业有限公司"
    assert "本机关于2026年9月28日就一份政府信息公开申请所涉及的政府信息书面征求了您（单位）的意见" in text
    assert "您（单位）于2026年10月12日提出了不同意公开的意见" in text
    assert f"根据{R}第三十二条的规定，本机关决定予以公开" in text
    assert "一、决定公开的政府信息内容：某地块出让合同中的出让面积、用途、年限和出让价款。" in text
    assert "二、决定公开的理由：该地块为住宅用地，出让结果关系公众切身利益，依法应当公开。" in text
    for value in PERSONAL:
        assert value is not None and value not in text
    with pytest.raises(RuleError):
        build(
            LetterKind.PUBLIC_INTEREST_NOTICE,
            mixed_case().with_events(
                ConsultationSent(date=dt.date(2026, 9, 20), id="c9", party="third_party", name="X")
            ),
            consultation_id="c9",
        )


# --------------------------------------------------------------------------- 收费通知书


def test_fee_notice_states_basis_standard_tiers_amount_deadline_and_consequence() -> None:
    letter = build(LetterKind.FEE, full_case(), today=FULL_TODAY)
    text = text_of(letter)
    assert letter.title == "政府信息公开信息处理费收费通知书"
    assert "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第三条、第五条" in text
    assert "本机关对该申请按量收取信息处理费" in text
    assert "收费标准为：30页以下（含30页）的，不收费" in text
    assert "本申请提供的政府信息共150页" in text
    # 109号 progressive tiers: 30 × 0 + 70 × 10 + 50 × 20 = 1 700 元.
    assert "第1—30页：30页，不收费；" in text
    assert "第31—100页：70页×10元/页＝700元；" in text
    assert "第101—150页：50页×20元/页＝1000元。" in text
    assert "应缴纳信息处理费共计1700元。" in text
    assert "请您自收到本通知书之日的次日起20个工作日内缴纳（即最迟于2026年11月19日缴纳）" in text
    assert "逾期未缴纳的，视为放弃申请" in text
    assert "不计算在答复期限内" in text  # the agency pauses the clock (fee_pauses_clock)
    assert letter.warnings == ()


def test_fee_notice_without_tier_data_or_pause() -> None:
    case = full_case()
    events = tuple(
        replace(e, extra={}, delivered=None) if e.TYPE == "fee_notified" else e for e in case.events
    )
    agency = replace(AGENCY, fee_pauses_clock=False, extra={"fee_payment": "请通过某某缴费平台缴纳。"})
    letter = build(LetterKind.FEE, replace(case, events=events), agency=agency, today=FULL_TODAY)
    text = text_of(letter)
    assert "fee_lines_unknown" in letter.warnings
    assert "按超额累进方式计算如下" not in text and "最迟于" not in text
    assert "请通过某某缴费平台缴纳。" in text and "不计算在答复期限内" not in text
    assert_clean(letter)


def test_fee_notice_amount_mismatch_is_flagged() -> None:
    case = full_case()
    events = tuple(replace(e, amount=999) if e.TYPE == "fee_notified" else e for e in case.events)
    letter = build(LetterKind.FEE, replace(case, events=events), today=FULL_TODAY)
    assert "fee_amount_mismatch" in letter.warnings and "共计999元" in text_of(letter)


def test_fee_notice_per_request() -> None:
    case = full_case()
    events = tuple(
        replace(e, method="per_request", amount=200, extra={"count_in_month_before": 29, "requests": 2})
        if e.TYPE == "fee_notified"
        else e
        for e in case.events
    )
    text = text_of(build(LetterKind.FEE, replace(case, events=events), today=FULL_TODAY))
    assert "您在本自然月内此前已提出政府信息公开申请29件，本申请计为2件" in text
    assert "第30件：1件×100元/件＝100元；" in text and "第31件：1件×200元/件＝200元。" in text


# --------------------------------------------------------------------------- 答复书


@pytest.mark.parametrize("finding", FINDING_ORDER, ids=str)
def test_reply_for_every_finding_carries_its_paragraph_and_one_remedy_clause(finding: Finding) -> None:
    case = case_for(finding)
    letter = build(LetterKind.REPLY, case)
    item = case.items[0]
    expected = finding_paragraph(
        finding,
        description=item.description,
        reasons=item.reasons,
        organ=item.responsible_organ.name if item.responsible_organ else None,
        contact=item.responsible_organ.contact if item.responsible_organ else None,
    )
    paragraphs = [p for p in letter.paragraphs if p.role == Role.FINDING]
    assert [p.text for p in paragraphs] == [expected]  # one item: no "一、"
    assert paragraphs[0].finding == finding and not paragraphs[0].editable
    remedies = [p for p in letter.paragraphs if p.role == Role.REMEDY]
    assert [p.text for p in remedies] == [remedy_clause(AGENCY, [finding]).text]
    assert letter.paragraphs[-1].role == Role.REMEDY and letter.closing == "特此答复。"
    assert letter.findings == (finding,)
    assert letter.signature == AGENCY.name
    first = finding.is_withheld or finding == Finding.PARTLY_DISCLOSED
    text = text_of(letter)
    assert ("对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内" in text) == first
    assert ("或者自收到本答复之日起六个月内向某市某区人民法院提起行政诉讼" in text) == (not first)
    obtains = finding in (Finding.DISCLOSED, Finding.PARTLY_DISCLOSED)
    assert ("随本答复书一并邮寄至您提供的地址（某市某街2号）" in text) == obtains
    assert "本机关于2026年9月16日收到您通过邮寄方式提交的政府信息公开申请（登记编号：2026-0042）" in text
    assert "您申请获取的政府信息为：“2025年某村土地征收补偿安置方案" in text
    assert missing_parts(letter) == []
    assert_clean(letter)


def test_mixed_reply_numbers_items_and_uses_the_reconsideration_first_clause() -> None:
    letter = build(LetterKind.REPLY, mixed_case())
    text = text_of(letter)
    findings = [p for p in letter.paragraphs if p.role == Role.FINDING]
    assert [p.text[:2] for p in findings] == ["一、", "二、", "三、", "四、"]
    assert [p.item for p in findings] == [1, 2, 3, 4]
    assert "您申请获取以下政府信息：" in text and "（4）某公司营业执照。" in text
    # 复议法第二十三条: one withheld item puts the whole letter under 复议前置.
    assert letter.remedy is not None
    assert letter.remedy.text == (
        "如对本答复不服，可以自收到本答复之日起六十日内向某市人民政府申请行政复议；对行政复议决定不服的，"
        "可以自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"
    )
    # How to obtain: post for item 1, e-mail for the disclosable part of item 2; not for 3 and 4.
    assert (
        "将上述政府信息随本答复书一并邮寄至您提供的地址（某市某街2号）。本次提供政府信息不收取信息处理费。"
        in text
    )
    assert "将上述可以公开的内容发送至您提供的电子邮箱（zhangsan@example.com）" in text
    # 条例第三十六条第（五）项: the responsible organ and its contact.
    assert "该信息由某市市场监督管理局负责公开（联系方式：0000-11111111）" in text
    assert len([p for p in letter.paragraphs if p.role == Role.REMEDY]) == 1


def test_reply_inspect_and_pickup_say_where_and_when() -> None:
    case = case_for(Finding.DISCLOSED)
    case = replace(case, items=(replace(case.items[0], form=Form.INSPECT),))
    agency = replace(AGENCY, extra={"office_hours": "工作日上午9:00至12:00"})
    text = text_of(build(LetterKind.REPLY, case, agency=agency))
    assert "请您于工作日上午9:00至12:00，持本答复书和身份证明到某市某路1号查阅上述政府信息" in text


def test_reply_fee_sentence_follows_the_timeline() -> None:
    paid = build(LetterKind.REPLY, full_case(), today=dt.date(2026, 11, 2))
    assert "您已缴纳信息处理费1700元。" in text_of(paid)


@pytest.mark.parametrize(
    ("agency", "wording"),
    [
        (
            PROVINCE,
            "向本机关申请行政复议；对行政复议决定不服的，可以依法向人民法院提起行政诉讼，也可以向国务院申请裁决。",
        ),
        (JUSTICE, "向某市人民政府或者某省司法厅申请行政复议"),
    ],
    ids=["省政府-复议法24(2)", "司法局-复议法28"],
)
def test_reply_clause_names_the_organ_of_the_agency(agency: Agency, wording: str) -> None:
    letter = build(LetterKind.REPLY, case_for(Finding.WITHHELD_STATE_SECRET), agency=agency)
    assert letter.remedy is not None and wording in letter.remedy.text


def test_reply_needs_every_finding_and_a_complete_agency() -> None:
    case = mixed_case()
    undecided = replace(case, items=(*case.items[:2], replace(case.items[2], finding=None)))
    with pytest.raises(InputError) as excinfo:
        build(LetterKind.REPLY, undecided)
    assert excinfo.value.field == "items.2.finding"
    with pytest.raises(InputError) as excinfo:
        build(LetterKind.REPLY, case, agency=replace(AGENCY, parent_government=""))
    assert excinfo.value.kind == "agency_incomplete"


def test_reply_without_required_reasons_is_built_but_not_complete() -> None:
    case = case_for(Finding.WITHHELD_THIRD_PARTY)
    case = replace(case, items=(replace(case.items[0], reasons=None),))
    letter = build(LetterKind.REPLY, case)
    assert missing_parts(letter) == ["reasons.1"]
    assert describe_missing("reasons.1").startswith("第1项：该答复类型须说明理由")
    assert_clean(letter)


def test_hostile_text_is_kept_as_text_by_the_builder() -> None:
    hostile = '<img src="http://127.0.0.1:9/x"> {description} [x|y] None'
    case = case_for(Finding.WITHHELD_PROCESS_INFO)
    case = replace(
        case,
        applicant=replace(APPLICANT, name=hostile),
        items=(replace(case.items[0], description=hostile, reasons=hostile),),
        notes=(Note(TODAY, "x", "补正：" + hostile),),
    )
    letter = build(LetterKind.REPLY, case)
    assert letter.addressee == hostile
    assert hostile in text_of(letter)


# --------------------------------------------------------------------------- editing and review


def test_only_free_wording_can_be_edited() -> None:
    letter = build(LetterKind.REPLY, mixed_case())
    index = next(i for i, p in enumerate(letter.paragraphs) if p.editable)
    edited = letter.edit(index, "  经本机关审查，现答复如下：  ")
    assert edited.paragraphs[index].text == "经本机关审查，现答复如下："
    for i, p in enumerate(letter.paragraphs):
        if p.role in (Role.FINDING, Role.REMEDY, Role.BASIS, Role.DATA):
            with pytest.raises(RuleError) as excinfo:
                letter.edit(i, "删掉")
            assert excinfo.value.kind == "paragraph_locked"
    with pytest.raises(InputError):
        letter.edit(index, "   ")
    with pytest.raises(InputError):
        letter.edit(len(letter.paragraphs), "x")


def test_missing_parts_finds_a_removed_clause_addressee_and_articles() -> None:
    letter = build(LetterKind.REPLY, mixed_case())
    no_clause = replace(letter, paragraphs=tuple(p for p in letter.paragraphs if p.role != Role.REMEDY))
    assert missing_parts(no_clause) == ["remedy_clause"]
    assert missing_parts(replace(letter, addressee=" ")) == ["addressee"]
    assert missing_parts(replace(letter, doc_number="")) == ["doc_number"]
    twice = replace(letter, paragraphs=(*letter.paragraphs, letter.paragraphs[-1]))
    assert missing_parts(twice) == ["remedy_clause_twice"]
    stripped = tuple(
        replace(p, text="经审查，不予公开。") if p.role == Role.FINDING and p.item == 3 else p
        for p in letter.paragraphs
    )
    assert missing_parts(replace(letter, paragraphs=stripped)) == ["finding_article.3"]
    receipt = build(LetterKind.RECEIPT, mixed_case())
    no_basis = replace(receipt, paragraphs=tuple(p for p in receipt.paragraphs if p.role != Role.BASIS))
    assert missing_parts(no_basis) == ["legal_basis"]
