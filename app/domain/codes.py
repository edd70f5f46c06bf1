"""Stable codes of the case file format (interfaces.md §1) and their Chinese labels."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """How the application reached the agency (条例第三十一条)."""

    IN_PERSON = "in_person"
    POST_SIGNED = "post_signed"
    POST_ORDINARY = "post_ordinary"
    ONLINE = "online"
    FAX = "fax"
    EMAIL = "email"
    ORAL = "oral"


# 条例第三十一条第（二）（三）项: for these channels the legal receipt date is the day of the
# confirmation with the applicant, so the clock does not run until it is recorded.
CONFIRMATION_CHANNELS = frozenset({Channel.POST_ORDINARY, Channel.ONLINE, Channel.FAX, Channel.EMAIL})


class ApplicantKind(StrEnum):
    """Annual-report column of the applicant (30号 table 三)."""

    NATURAL_PERSON = "natural_person"
    BUSINESS = "business"
    RESEARCH = "research"
    PUBLIC_INTEREST = "public_interest"
    LEGAL_SERVICES = "legal_services"
    OTHER_ORG = "other_org"


class Form(StrEnum):
    """Requested form of the information (条例第二十九条)."""

    PAPER = "paper"
    ELECTRONIC = "electronic"
    INSPECT = "inspect"
    COPY_BY_HAND = "copy_by_hand"
    OTHER = "other"


class Delivery(StrEnum):
    """Requested way of obtaining the information (条例第二十九条)."""

    PICKUP = "pickup"
    POST = "post"
    EMAIL = "email"
    ONLINE = "online"
    FAX = "fax"
    OTHER = "other"


class Finding(StrEnum):
    """答复类型 of one item, in the order of the annual-report table (domain.md §5)."""

    DISCLOSED = "disclosed"
    PARTLY_DISCLOSED = "partly_disclosed"
    WITHHELD_STATE_SECRET = "withheld.state_secret"
    WITHHELD_PROHIBITED_BY_LAW = "withheld.prohibited_by_law"
    WITHHELD_SECURITY_STABILITY = "withheld.security_stability"
    WITHHELD_THIRD_PARTY = "withheld.third_party"
    WITHHELD_INTERNAL_AFFAIRS = "withheld.internal_affairs"
    WITHHELD_PROCESS_INFO = "withheld.process_info"
    WITHHELD_ENFORCEMENT_FILE = "withheld.enforcement_file"
    WITHHELD_ADMINISTRATIVE_QUERY = "withheld.administrative_query"
    UNABLE_NOT_HELD = "unable.not_held"
    UNABLE_NEEDS_CREATION = "unable.needs_creation"
    UNABLE_UNCLEAR_AFTER_CORRECTION = "unable.unclear_after_correction"
    NOT_PROCESSED_PETITION = "not_processed.petition"
    NOT_PROCESSED_REPEAT = "not_processed.repeat"
    NOT_PROCESSED_PUBLICATION = "not_processed.publication"
    NOT_PROCESSED_EXCESSIVE = "not_processed.excessive"
    NOT_PROCESSED_CONFIRM_EXISTING = "not_processed.confirm_existing"
    OTHER_NO_CORRECTION = "other.no_correction"
    OTHER_FEE_UNPAID = "other.fee_unpaid"
    OTHER_OTHER = "other.other"

    @property
    def is_withheld(self) -> bool:
        return self.value.startswith("withheld.")

    @property
    def is_other(self) -> bool:
        return self.value.startswith("other.")


FINDING_ORDER: tuple[Finding, ...] = tuple(Finding)


class Flag(StrEnum):
    DIFFICULT = "difficult"
    FILED_WITH_CITY = "filed_with_city"
    ARCHIVED = "archived"


class Party(StrEnum):
    THIRD_PARTY = "third_party"
    AGENCY = "agency"


class Opinion(StrEnum):
    AGREE = "agree"
    OBJECT = "object"
    NONE = "none"


class FeeMethod(StrEnum):
    PER_REQUEST = "per_request"
    PER_VOLUME = "per_volume"


class RemedyResult(StrEnum):
    """Result of a 复议/诉讼 decision as the annual report counts it (domain.md §7.2)."""

    UPHELD = "upheld"
    CORRECTED = "corrected"
    OTHER = "other"


ID_TYPES: tuple[str, ...] = (
    "居民身份证",
    "护照",
    "港澳居民来往内地通行证",
    "台湾居民来往大陆通行证",
    "统一社会信用代码",
    "其他",
)
CONFIRMATION_METHODS: tuple[str, ...] = ("电话", "短信", "电子邮件", "平台确认", "其他")
DELIVERY_METHODS: tuple[str, ...] = ("当面", "邮寄", "电子邮件", "网上平台", "其他")


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_PERSON: "当面提交",
    Channel.POST_SIGNED: "邮寄（需签收）",
    Channel.POST_ORDINARY: "平常信函",
    Channel.ONLINE: "互联网渠道",
    Channel.FAX: "传真",
    Channel.EMAIL: "电子邮件",
    Channel.ORAL: "口头申请（代为填写）",
}

APPLICANT_KIND_LABELS: dict[ApplicantKind, str] = {
    ApplicantKind.NATURAL_PERSON: "自然人",
    ApplicantKind.BUSINESS: "商业企业",
    ApplicantKind.RESEARCH: "科研机构",
    ApplicantKind.PUBLIC_INTEREST: "社会公益组织",
    ApplicantKind.LEGAL_SERVICES: "法律服务机构",
    ApplicantKind.OTHER_ORG: "其他组织",
}

FORM_LABELS: dict[Form, str] = {
    Form.PAPER: "纸质",
    Form.ELECTRONIC: "电子数据",
    Form.INSPECT: "查阅",
    Form.COPY_BY_HAND: "抄录",
    Form.OTHER: "其他",
}

DELIVERY_LABELS: dict[Delivery, str] = {
    Delivery.PICKUP: "自行领取",
    Delivery.POST: "邮寄",
    Delivery.EMAIL: "电子邮件",
    Delivery.ONLINE: "网上获取",
    Delivery.FAX: "传真",
    Delivery.OTHER: "其他",
}

FINDING_LABELS: dict[Finding, str] = {
    Finding.DISCLOSED: "予以公开",
    Finding.PARTLY_DISCLOSED: "部分公开",
    Finding.WITHHELD_STATE_SECRET: "不予公开：属于国家秘密",
    Finding.WITHHELD_PROHIBITED_BY_LAW: "不予公开：其他法律行政法规禁止公开",
    Finding.WITHHELD_SECURITY_STABILITY: "不予公开：危及“三安全一稳定”",
    Finding.WITHHELD_THIRD_PARTY: "不予公开：保护第三方合法权益",
    Finding.WITHHELD_INTERNAL_AFFAIRS: "不予公开：属于三类内部事务信息",
    Finding.WITHHELD_PROCESS_INFO: "不予公开：属于四类过程性信息",
    Finding.WITHHELD_ENFORCEMENT_FILE: "不予公开：属于行政执法案卷",
    Finding.WITHHELD_ADMINISTRATIVE_QUERY: "不予公开：属于行政查询事项",
    Finding.UNABLE_NOT_HELD: "无法提供：本机关不掌握相关政府信息",
    Finding.UNABLE_NEEDS_CREATION: "无法提供：没有现成信息需要另行制作",
    Finding.UNABLE_UNCLEAR_AFTER_CORRECTION: "无法提供：补正后申请内容仍不明确",
    Finding.NOT_PROCESSED_PETITION: "不予处理：信访举报投诉类申请",
    Finding.NOT_PROCESSED_REPEAT: "不予处理：重复申请",
    Finding.NOT_PROCESSED_PUBLICATION: "不予处理：要求提供公开出版物",
    Finding.NOT_PROCESSED_EXCESSIVE: "不予处理：无正当理由大量反复申请",
    Finding.NOT_PROCESSED_CONFIRM_EXISTING: "不予处理：要求行政机关确认或重新出具已获取信息",
    Finding.OTHER_NO_CORRECTION: "其他处理：逾期不补正",
    Finding.OTHER_FEE_UNPAID: "其他处理：逾期未缴费",
    Finding.OTHER_OTHER: "其他处理：其他",
}

FLAG_LABELS: dict[Flag, str] = {
    Flag.DIFFICULT: "疑难件",
    Flag.FILED_WITH_CITY: "已备案",
    Flag.ARCHIVED: "已归档",
}
