"""Wording the letter screens share: why a paragraph is locked, and errors named by the widget they concern."""

from __future__ import annotations

from app.domain.errors import InputError, YishenError
from app.letters import Role
from app.messages import describe_at_field

# Why a paragraph cannot be edited (the tooltip of a greyed paragraph; design.md §4).
LOCK_REASONS: dict[Role, str] = {
    Role.DATA: "本段引用案件记录（收到日期、申请事项、收费明细等），不能在文书中修改；请修改案件信息，文书随之更新。",
    Role.BASIS: "法律依据、期限和后果由系统依照条例生成，不能修改。",
    Role.FINDING: "答复意见、理由和所引条款由答复类型生成，不能在文书中修改；请在案件中修改答复类型或理由。",
    Role.REMEDY: "救济途径（复议机关、法院和期限）由本机关信息依照行政复议法生成，不能修改或删除。",
}

ROLE_LABELS: dict[Role, str] = {
    Role.TEXT: "可修改",
    Role.DATA: "案件记录",
    Role.BASIS: "法律依据",
    Role.FINDING: "答复意见",
    Role.REMEDY: "救济途径",
}

# The command-line option names the letter services report, as the clerk sees the fields.
FIELD_NAMES: dict[str, str] = {
    "--comment": "审核意见",
    "--reason": "理由",
    "--deliver": "送达方式",
    "--date": "送达日期",
    "--received": "签收日期",
    "--tracking": "邮件单号",
    "--proof": "送达凭证",
    "--consultation": "征求意见对象",
}


def say(exc: YishenError) -> str:
    """``describe(exc)`` with the command-line location replaced by the name of the field on screen."""
    if isinstance(exc, InputError) and exc.field.startswith("paragraphs."):
        return describe_at_field(exc, {exc.field: "段落"})
    return describe_at_field(exc, FIELD_NAMES)
