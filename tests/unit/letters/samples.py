"""Sample agencies and cases for the letter tests: one case per finding, a mixed reply, a full timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from app.domain.codes import ApplicantKind, Channel, Delivery, FeeMethod, Finding, Form, Opinion, Party
from app.domain.model import (
    Agency,
    Applicant,
    Case,
    ConsultationReplied,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    ExtensionApproved,
    FeeNotified,
    FeePaid,
    Item,
    Note,
    PublicInterestNotice,
    ResponsibleOrgan,
)
from app.law.calendar import shipped_calendar
from app.law.findings import REASONS_REQUIRED
from app.letters import Letter, LetterKind, Templates, build_letter

DOC_NUMBER = "某自然资规依公开〔2026〕12号"
RECEIVED = dt.date(2026, 9, 16)
TODAY = dt.date(2026, 10, 9)

AGENCY = Agency(
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
# 复议法第二十四条第二款: a provincial government reviews itself; then court or State Council ruling.
PROVINCE = Agency(name="某省人民政府", kind="government", level="province", court="某市中级人民法院")
# 复议法第二十八条: a justice bureau's clause names both organs.
JUSTICE = Agency(
    name="某市司法局",
    kind="justice_bureau",
    level="city",
    parent_government="某市人民政府",
    parent_department="某省司法厅",
    court="某市某区人民法院",
)

APPLICANT = Applicant(
    ApplicantKind.NATURAL_PERSON,
    "张三",
    id_type="居民身份证",
    id_number="110101199001011234",
    phone="13800000000",
    email="zhangsan@example.com",
    address="某市某街2号",
)

# Reasons that read like a clerk's, for the findings that must give them.
REASONS: dict[Finding, str] = {
    Finding.PARTLY_DISCLOSED: "其中第3页含有个人身份证号码，属于个人隐私，已作区分处理",
    Finding.WITHHELD_STATE_SECRET: "该文件已依法定密为秘密级",
    Finding.WITHHELD_PROHIBITED_BY_LAW: "《中华人民共和国统计法》禁止公开单个调查对象的资料",
    Finding.WITHHELD_SECURITY_STABILITY: "公开后可能影响社会稳定",
    Finding.WITHHELD_THIRD_PARTY: "第三方不同意公开且理由合理",
    Finding.WITHHELD_INTERNAL_AFFAIRS: "该信息属于本机关人事管理信息",
    Finding.WITHHELD_PROCESS_INFO: "该纪要系内部研究讨论记录",
    Finding.WITHHELD_ENFORCEMENT_FILE: "该案卷属于行政执法案卷",
    Finding.WITHHELD_ADMINISTRATIVE_QUERY: "不动产登记资料应依照《不动产登记资料查询暂行办法》查询",
    Finding.OTHER_OTHER: "您已于2026年9月30日撤回申请",
}


def item_for(finding: Finding, **changes: object) -> Item:
    item = Item(
        f"2025年某村土地征收补偿安置方案（{finding.value}）",
        Form.PAPER,
        Delivery.POST,
        doc_number="某政发〔2025〕15号",
        finding=finding,
        reasons=REASONS.get(finding) if finding in REASONS_REQUIRED else None,
    )
    if finding == Finding.UNABLE_NOT_HELD:
        item = replace(item, responsible_organ=ResponsibleOrgan("某市市场监督管理局", "0000-11111111"))
    return replace(item, **changes)


def case_for(finding: Finding, *, number: str = "2026-0042", **changes: object) -> Case:
    """A case with one item of ``finding``."""
    case = Case(
        id=f"case-{finding.value}",
        number=number,
        channel=Channel.POST_SIGNED,
        received=RECEIVED,
        applicant=APPLICANT,
        items=(item_for(finding),),
    )
    return replace(case, **changes)


def mixed_case() -> Case:
    """A reply with four findings: disclosed, 区分处理, withheld (→ 复议前置), another organ's."""
    return Case(
        id="case-mixed",
        number="2026-0043",
        channel=Channel.ONLINE,
        received=RECEIVED,
        applicant=APPLICANT,
        items=(
            Item("2025年某村土地征收补偿安置方案", Form.PAPER, Delivery.POST, finding=Finding.DISCLOSED),
            Item(
                "某项目用地预审意见",
                Form.ELECTRONIC,
                Delivery.EMAIL,
                finding=Finding.PARTLY_DISCLOSED,
                reasons=REASONS[Finding.PARTLY_DISCLOSED],
            ),
            Item(
                "某项目专题会议纪要",
                Form.INSPECT,
                Delivery.PICKUP,
                finding=Finding.WITHHELD_PROCESS_INFO,
                reasons=REASONS[Finding.WITHHELD_PROCESS_INFO],
            ),
            Item(
                "某公司营业执照",
                Form.PAPER,
                Delivery.PICKUP,
                finding=Finding.UNABLE_NOT_HELD,
                responsible_organ=ResponsibleOrgan("某市市场监督管理局", "0000-11111111"),
            ),
        ),
    )


def full_case() -> Case:
    """Every letter kind has its event: 补正, both consultations, an objection overridden in the public
    interest (条例第三十二条), an extension and a paid per-volume fee."""
    return Case(
        id="case-full",
        number="2026-0044",
        channel=Channel.IN_PERSON,
        received=RECEIVED,
        applicant=APPLICANT,
        items=(
            Item("某小区规划许可及附图", Form.PAPER, Delivery.POST, finding=Finding.DISCLOSED),
            Item("某地块出让合同", Form.PAPER, Delivery.POST, finding=Finding.DISCLOSED),
        ),
        events=(
            CorrectionRequested(
                date=dt.date(2026, 9, 18),
                period_end=dt.date(2026, 10, 16),
                extra={"points": ["所需规划许可的项目名称或者许可证编号", "所需出让合同涉及的地块位置"]},
            ),
            CorrectionReceived(date=dt.date(2026, 9, 25)),
            ConsultationSent(
                date=dt.date(2026, 9, 28),
                id="c1",
                party=Party.THIRD_PARTY,
                name="某置业有限公司",
                delivered=dt.date(2026, 9, 29),
                extra={"items": [2], "reason": "该合同载有贵公司的出让价款和付款安排"},
            ),
            ConsultationSent(
                date=dt.date(2026, 9, 28), id="c2", party=Party.AGENCY, name="某市住房和城乡建设局"
            ),
            ConsultationReplied(
                date=dt.date(2026, 10, 12), id="c1", opinion=Opinion.OBJECT, reasons="涉及商业秘密"
            ),
            PublicInterestNotice(
                date=dt.date(2026, 10, 14),
                id="c1",
                content="某地块出让合同中的出让面积、用途、年限和出让价款",
                reasons="该地块为住宅用地，出让结果关系公众切身利益，依法应当公开",
            ),
            ExtensionApproved(
                date=dt.date(2026, 10, 20),
                days=15,
                approver="李四",
                reason="申请公开的信息数量较多，需要逐项检索和审查",
            ),
            FeeNotified(
                date=dt.date(2026, 10, 21),
                amount=1700,
                method=FeeMethod.PER_VOLUME,
                delivered=dt.date(2026, 10, 22),
                extra={"pages": 150},
            ),
            FeePaid(date=dt.date(2026, 10, 28)),
        ),
        notes=(Note(dt.date(2026, 9, 18), "王五", "补正：请写明所需规划许可的项目名称"),),
    )


def make_letter(
    kind: LetterKind | str,
    case: Case,
    *,
    agency: Agency = AGENCY,
    today: dt.date = TODAY,
    consultation_id: str | None = None,
    templates: Templates | None = None,
) -> Letter:
    """``build_letter`` with the shipped calendar and templates and the sample 文号."""
    return build_letter(
        kind,
        case,
        agency,
        shipped_calendar(),
        today,
        doc_number=DOC_NUMBER,
        consultation_id=consultation_id,
        templates=templates or Templates.shipped(),
    )
