"""Chinese labels of the codes the screens show (agency kinds and levels, worklist groups, pauses)."""

from __future__ import annotations

import datetime as dt

from app.domain.model import AgencyKind
from app.services.worklist import Group, ReviewStage

AGENCY_KIND_LABELS: dict[str, str] = {
    AgencyKind.DEPARTMENT: "人民政府工作部门",
    AgencyKind.GOVERNMENT: "人民政府",
    AgencyKind.DISPATCHED_ORGAN: "人民政府派出机关（如街道办事处）",
    AgencyKind.DISPATCHED_OFFICE: "部门派出机构（以自己名义作出行为）",
    AgencyKind.VERTICAL: "垂直领导的机关（海关、金融、外汇管理、税务、国家安全等）",
    AgencyKind.STATE_COUNCIL_DEPARTMENT: "国务院部门",
    AgencyKind.JUSTICE_BUREAU: "司法行政部门",
    AgencyKind.AUTHORIZED_ORG: "法律、法规授权的组织",
}

AGENCY_LEVEL_LABELS: dict[str, str] = {
    "township": "乡镇级",
    "county": "县级",
    "city": "设区的市级",
    "province": "省级",
    "national": "国家级",
}

AGENCY_FIELD_LABELS: dict[str, str] = {
    "name": "机关名称",
    "short_name": "机关简称",
    "kind": "机关类型",
    "level": "层级",
    "parent_government": "所属或上一级人民政府",
    "parent_department": "上一级主管部门",
    "reconsideration_organ": "复议机关",
    "court": "管辖法院",
    "office": "政府信息公开工作机构",
    "address": "通信地址",
    "phone": "联系电话",
    "doc_number_pattern": "文号格式",
    "font": "文书字体",
}

GROUP_LABELS: dict[Group, str] = {
    Group.OVERDUE: "已逾期",
    Group.DUE_TODAY: "今日到期",
    Group.WITHIN_3: "3个工作日内到期",
    Group.WITHIN_5: "5个工作日内到期",
    Group.PAUSED: "暂停计时",
    Group.AWAITING_CORRECTION: "待补正",
    Group.AWAITING_CONFIRMATION: "待确认收到",
    Group.AWAITING_REVIEW: "待审核",
}

# What each group asks of the clerk (the card's tooltip).
GROUP_HINTS: dict[Group, str] = {
    Group.OVERDUE: "已超过答复期限，请尽快答复（条例第三十三条）",
    Group.DUE_TODAY: "今天是答复期限的最后一天",
    Group.WITHIN_3: "剩余1至3个工作日",
    Group.WITHIN_5: "剩余4至5个工作日",
    Group.PAUSED: "征求意见或等待缴费期间不计入答复期限（条例第三十三条第三款、第四十二条）",
    Group.AWAITING_CORRECTION: "已发出补正告知，等待申请人补正；补正后重新计算期限（条例第三十条）",
    Group.AWAITING_CONFIRMATION: "需与申请人确认收到申请后才开始计算期限（条例第三十一条）",
    Group.AWAITING_REVIEW: "尚未签发的文书：待审核、退回修改或已审核待签发",
}

PAUSE_KIND_LABELS: dict[str, str] = {"consultation": "征求意见", "fee": "等待缴费"}

REVIEW_STAGE_LABELS: dict[ReviewStage, str] = {
    ReviewStage.AWAITING_REVIEW: "待审核",
    ReviewStage.SENT_BACK: "退回修改",
    ReviewStage.AWAITING_ISSUE: "已审核，待签发",
}

KEY_MODE_LABELS: dict[str, str] = {"keyring": "系统密钥库", "passphrase": "口令"}

_WEEKDAYS = "一二三四五六日"


def weekday(day: dt.date) -> str:
    return f"周{_WEEKDAYS[day.weekday()]}"


def format_date(day: dt.date | None, *, with_weekday: bool = True) -> str:
    """``2026-10-20 周二``; an em dash for no date."""
    if day is None:
        return "—"
    return f"{day.isoformat()} {weekday(day)}" if with_weekday else day.isoformat()


def long_date(day: dt.date) -> str:
    """``2026年10月20日 星期二`` (headings)."""
    return f"{day.year}年{day.month}月{day.day}日 星期{_WEEKDAYS[day.weekday()]}"


def days_left_text(days: int | None) -> str:
    if days is None:
        return "—"
    if days < 0:
        return f"逾期{-days}个工作日"
    if days == 0:
        return "今日到期"
    return f"{days}个工作日"


EVENT_LABELS: dict[str, str] = {
    "receipt_confirmed": "确认收到",
    "correction_requested": "发出补正告知",
    "correction_received": "收到补正材料",
    "consultation_sent": "征求意见",
    "consultation_replied": "收到意见",
    "public_interest_notice": "公共利益告知",
    "extension_approved": "批准延期答复",
    "delay_notified": "告知延迟答复",
    "fee_notified": "发出收费通知",
    "fee_paid": "缴费",
    "fee_waived": "减免费用",
    "replied": "答复",
    "terminated": "终止办理",
    "delivered": "送达",
    "reconsideration_filed": "申请行政复议",
    "reconsideration_decided": "复议决定",
    "litigation_filed": "提起行政诉讼",
    "litigation_decided": "诉讼判决",
}

STATE_LABELS: dict[str, str] = {
    "concluded": "已办结",
    "awaiting_confirmation": "待确认收到",
    "awaiting_correction": "待补正",
    "overdue": "已逾期",
    "paused": "暂停计时",
    "running": "办理中",
}
