"""Chinese messages for the errors of the core, shared by the command line and the desktop application.

The core raises errors with a stable ``kind`` and data ``params``; ``describe`` turns one into a sentence a
clerk can act on, prefixed by where the problem is (file, line, field or column). ``MESSAGES`` maps each
kind to a ``str.format`` template over the params it always has (a missing one shows as "？");
``DETAILS`` adds a phrase for a param only some errors carry. Add a kind by adding an entry.

Messages are plain text: a shown value such as ``<img src=x>`` stays literal (a Qt label must use
``Qt.PlainText``), and every value taken from the input is shortened, with control characters spelled out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.domain.codes import CHANNEL_LABELS, Channel
from app.domain.errors import Conflict, InputError, NotFound, RuleError, StoreError, YishenError
from app.domain.letters import LETTER_STATUS_LABELS
from app.letters.model import KIND_LABELS

__all__ = ["DETAILS", "FIELD_LABELS", "MESSAGES", "describe", "describe_at_field", "describe_location"]

MESSAGES: dict[str, str] = {
    # ---- the case file format (app.domain.caseformat)
    "not_object": "每行应是一个JSON对象（以 {{ 开头、以 }} 结尾），这里是{got}",
    "bad_key": "对象的键必须是文本",
    "required": "不能为空",
    "blank": "不能只填空白字符",
    "bad_type": "应为{expected}，这里是{got}",
    "too_long": "不能超过{max}个字符（现有{length}个）",
    "too_short": "至少需要{min}项",
    "too_many": "最多{max}项（现有{count}项）",
    "too_deep": "嵌套层数过多",
    "control_char": "第{position}个字符是不可见的控制字符{codepoint}，请删除后重试",
    "invalid_char": "第{position}个字符{codepoint}不是有效字符，请删除后重试",
    "bad_date": "“{value}”不是有效日期，应写作YYYY-MM-DD（如2026-09-16）",
    "out_of_range": "应在{min}至{max}之间（现为{value}）",
    "bad_choice": "“{value}”不是可选的值；可选：{choices}",
    "ambiguous_choice": "“{value}”不够具体，请写明是哪一种：{choices}",
    "duplicate": "“{value}”重复",
    "unsupported_format": "不支持的格式“{value}”，本程序读取“{expected}”",
    "bad_uuid": "“{value}”不是有效的UUID（形如0193e0b2-7c1a-4f6e-9d2a-3b5c8e1f0a47）；不填则自动生成",
    "outcome_reason_required": "指定了年度报告处理结果（outcome）时，必须说明理由（outcome_reason）",
    "decision_or_result_required": "复议或诉讼决定须填写结果（result）或决定内容（decision）",
    "confirmation_missing": (
        "通过{channel}提交的申请，以与申请人确认之日为收到申请之日（条例第三十一条），"
        "须有一条确认收到记录（receipt_confirmed），其日期即收到日期"
    ),
    "confirmation_mismatch": (
        "收到日期（{received}）与确认收到日期（{confirmed}）不一致：此方式以双方确认之日为收到申请之日（条例第三十一条）"
    ),
    "timeline_two_confirmations": "确认收到只能记录一次",
    "timeline_two_corrections": "补正告知只能发出一次（条例第三十条：一次性告知需要补正的事项）",
    "timeline_correction_received_without_request": "收到补正材料之前，时间线上须先有补正告知（correction_requested）",
    "timeline_duplicate_consultation_id": "征求意见编号“{id}”已用过",
    "timeline_reply_unknown_consultation": "意见回复对应的征求意见“{id}”不存在或晚于回复",
    "timeline_notice_unknown_consultation": "公共利益告知对应的征求意见“{id}”不存在或晚于告知（条例第三十二条）",
    "timeline_two_extensions": "延期答复只能批准一次（条例第三十三条第二款：最长不超过20个工作日）",
    "timeline_before_received": "事件日期{date}早于收到申请日期{received}",
    "timeline_terminated_outcome": "终止办理只能以“其他处理”类结果结束（other.*），这里是“{value}”",
    "timeline_duplicate_filing_id": "复议或诉讼编号“{id}”已用过",
    "timeline_decision_unknown_filing": "决定对应的复议或诉讼“{id}”没有立案记录，或立案晚于决定",
    # ---- files (app.interchange)
    "unreadable_file": "无法读取文件",
    "unsupported_file_type": "不支持“{suffix}”文件；请使用 .jsonl 案件文件，或 .xlsx、.csv 台账（.xls 请先另存为 .xlsx）",
    "bad_encoding": "文件不是UTF-8编码；请用记事本或WPS“另存为”UTF-8后重新导入",
    "unknown_encoding": "无法识别文件编码（已尝试{tried}）；请另存为UTF-8后重新导入",
    "bad_json": "不是有效的JSON",
    "bad_number": "含有JSON不允许的数值“{value}”",
    "number_too_long": "数字位数过多",
    "duplicate_key": "键“{key}”出现了两次",
    "duplicate_in_file": "与第{first_line}行重复（“{value}”）",
    "bad_csv": "CSV格式有误，无法继续读取",
    "bad_xlsx": "无法作为Excel工作簿打开（需要 .xlsx 格式，文件可能已损坏）",
    "no_header_row": "找不到表头行；前20行中应有一行表头，至少包括：{expected}",
    "missing_column": "缺少“{column}”列",
    "duplicate_column": "“{column}”列出现了两次，无法确定以哪一列为准",
    # ---- the encrypted store (app.store)
    "wrong_key": "密钥或口令不正确，无法打开数据库；数据库文件未被改动。",
    "no_database": "还没有数据库，请先创建（命令行：yishen init）。",
    "template_invalid": "文书模板有误，未采用该模板",
    "letter_needs_event": "该案件还没有生成这份文书所需的办理记录",
    "letter_needs_receipt": "收到申请日尚未确定（待确认收到），暂不能生成这份文书",
    "extension_refused": "不能延期：已延期过一次、超过20个工作日或已过答复期限",
    "consultation_party": "征求意见对象与文书种类不符",
    "paragraph_locked": "该段落为法律依据或救济途径，不能修改",
    "bad_set": "应写成 字段=值 的形式，例如 applicant.phone=13800000000",
    "nothing_to_do": "没有要做的修改：请给出 --set 或 --add-event",
    "bad_field": "没有这个字段，或该位置不能直接修改（字段写法如 applicant.phone、items.0.description、tags）",
    "not_editable": "该字段不能用 --set 修改（办理过程请用 --add-event 追加）",
    "restore_exists": (
        "数据文件夹中已有数据库，未作任何改动。如确需用备份替换，请加 --force；"
        "原数据库会保留为 yishen.db.replaced-日期时间。"
    ),
    "exists": "数据库文件已存在，为防止覆盖已停止；如需重新创建，请先备份并移走原文件。",
    "key_missing": (
        "系统密钥库中找不到这个数据库的密钥，无法打开；数据库文件未被改动。"
        "如使用口令，请设置环境变量 YISHEN_PASSPHRASE 或在提示时输入。"
    ),
    "no_secure_keyring": "本机没有安全的系统密钥库，请改用口令：设置环境变量 YISHEN_PASSPHRASE 或在提示时输入。",
    "empty_passphrase": "口令不能为空。",
    "damaged": "数据库文件已损坏或不完整，无法打开；文件未被改动。请从备份恢复（yishen restore）。",
    "io": "读写文件失败（磁盘已满、没有权限或文件被其他程序占用），请检查后重试。",
    "event_immutable": "时间线上已记录的事件不能修改或删除；如有错误，请追加一条说明。",
    "not_found": "找不到要查找的记录。",
    "invalid_passphrase": "口令不正确，无法打开数据库；数据库文件未被改动。",
    "passphrase_required": "需要数据库口令：请设置环境变量 YISHEN_PASSPHRASE 或在提示时输入。",
    "passphrase_mismatch": "两次输入的口令不一致。",
    "key_invalid": "系统密钥库中保存的密钥格式不正确，无法打开数据库；数据库文件未被改动。",
    "keyring": "无法访问系统密钥库。",
    "newer_schema": "数据库由更新版本的程序创建，请升级本程序后再打开；数据库文件未被改动。",
    "busy": "数据库正被其他程序使用，请稍后重试。",
    "read_only_unit": "程序内部错误：只读操作中试图写入数据。",
    "append_only": "时间线上已记录的事件不能修改或删除；如有错误，请追加一条说明。",
    "case_exists": "已有相同编号的案件。",
    "exists_different": "已有相同唯一编号（id）的案件，且内容不同；如需修改请用“case edit”。",
    "number_taken": "登记编号“{value}”已被其他案件使用",
    "case": "找不到该案件。",
    "case_not_found": "找不到登记编号为“{number}”的案件。",
    "attachment": "找不到该附件。",
    # ---- letters: 文号, review, issue, delivery (app.services.letters)
    "agency_missing": "尚未填写本机关信息（机关名称、复议机关、法院等），不能生成文书；请先导入机关信息（yishen agency set FILE）。",
    "not_for_kind": "“{letter_kind}”不针对某一次征求意见，不需要指定",
    "letter_not_found": "找不到这份文书（{id}）。",
    "letter_not_drafted": "案件“{number}”还没有{letter_kind}；请先生成（yishen letter {number} --kind … -o 文件）。",
    "letter_status": "这份文书当前为“{status}”，不能{action}（只有“{allowed}”状态可以）。",
    "letter_incomplete": "文书缺少必备内容，不能签发：{parts}。",
    "before_issue": "送达日期{value}早于文书签发日期{issued}",
    "before_sent": "签收日期{value}早于送达（寄出）日期{sent}",
    "empty_file": "文件是空的",
    "one_action": "一次只能做一项：{value}",
    "not_for_action": "只在登记送达（--deliver）时使用",
    "doc_number_kept": "已取用的文号不能修改或删除；如文书有误，请作废后重新生成。",
    "doc_number_taken": "生成的文号已被其他文书使用；请检查机关信息中各类文书的文号格式是否相同。",
    "changed_elsewhere": "这条记录刚被其他操作修改过，请重新打开后再试。",
    # ---- users and roles (app.services.users, the review check of app.services.letters)
    "user_unknown": "登录名“{login}”不是本数据文件夹的用户；请管理员在“设置 → 用户与角色”中添加。",
    "user_inactive": "用户{name}（{login}）已停用；如需继续使用，请管理员在“设置 → 用户与角色”中启用。",
    "user_not_admin": "只有管理员可以添加用户、更改角色或停用用户；{name}（{login}）的角色是{role}。",
    "review_role": "只有审核人或管理员可以审核文书（审核通过或退回修改）；{name}（{login}）的角色是{role}。",
    "own_draft": (
        "不能审核通过自己拟稿的文书（拟稿人：{name}），请由其他审核人或管理员审核；"
        "只有本数据文件夹仅一名在用用户时才可自行审核。"
    ),
    "last_admin": "至少要保留一名在用的管理员，否则无人能再管理用户；请先把其他用户设为管理员。",
    "user_exists": "登录名“{value}”已有用户（{name}）",
    "user_not_found": "找不到登录名为“{login}”的用户。",
    # ---- other inputs: command line, agency profile, calendar file
    "file_not_found": "找不到文件",
    "empty_input": "输入为空，没有案件",
    "env_missing": "环境变量“{value}”未设置或为空",
    "bad_toml": "不是有效的TOML配置文件",
    "bad_pattern": "文号格式“{pattern}”无法使用（可用的占位符：{{short}}、{{year}}、{{seq}}）",
    "agency_incomplete": "机关信息不完整，无法确定复议机关或法院；请在设置中补全机关信息",
    "not_text": "应为文本",
    "not_an_object": "应为对象（{{…}}）",
    "not_a_list": "应为列表（[…]）",
    "not_a_bool": "应为 true 或 false",
    "bad_format": "不支持的格式“{value}”，应为“{expected}”",
    "bad_year": "年份“{value}”无效",
    "year_out_of_range": "年份超出可处理的范围",
    "date_outside_year": "日期{value}不在{year}年内",
    "duplicate_date": "日期{value}重复",
    "make_up_not_weekend": "{value}不是周六或周日，不能作为调休上班日",
    "rest_and_make_up_overlap": "{value}不能既是休息日又是调休上班日",
    # ---- rules
    "fee_both_methods": "同一申请只能按件或按量中的一种方式收费，不能同时使用（109号）",
    # ---- actions on a case (app.services.actions) and registration (app.services.registration)
    "action_concluded": "案件已于{date}办结，不能再办理此事项",
    "action_awaiting_confirmation": "尚未确认收到申请（条例第三十一条），请先“确认收到”",
    "action_awaiting_correction": "正在等待申请人补正，补正后重新计算答复期限（条例第三十条）",
    "confirmation_not_needed": "当面、邮寄签收和口头申请以收到之日为收到申请之日，无需确认（条例第三十一条）",
    "confirmation_done": "已于{date}确认收到",
    "correction_once": "补正告知只能发出一次（条例第三十条：一次性告知需要补正的事项）",
    "correction_late": "已超过补正告知期限（收到申请之日起7个工作日，至{due}），不能再要求补正（条例第三十条）",
    "correction_not_requested": "尚未发出补正告知",
    "correction_already_received": "已收到补正材料",
    "no_open_consultation": "没有等待回复的征求意见",
    "no_objection": "没有第三方提出不同意公开的意见；公共利益告知用于不顾第三方反对而公开的情形（条例第三十二条）",
    "extension_once": "延期答复只能批准一次（条例第三十三条第二款）",
    "extension_late": "已超过答复期限（{due}），不能再延期：延期须在期限届满前批准并告知申请人（条例第三十三条第二款）",
    "fee_open": "{date}发出的收费通知尚未缴费或免收",
    "no_open_fee": "没有待缴费的收费通知",
    "abandon_not_due": "补正期限或缴费期限尚未届满，不能视为放弃申请（条例第三十条、第四十二条）",
    "case_archived": "案件已归档",
    "difficult_done": "已作为疑难件备案",
    "archive_open": "案件尚未办结，办结（答复或终止）后才能归档",
    "remedy_before_reply": "尚未答复，没有可申请复议或起诉的答复",
    "no_open_filing": "没有尚未决定的复议或诉讼",
    "date_in_future": "日期{value}晚于今天；只能记录已经发生的事项",
    "confirmed_before_arrival": "确认日期早于申请到达日期（{arrived}）",
    "correction_date_late": "补正告知须在{due}前发出（收到申请之日起7个工作日，条例第三十条）",
    "period_end_before": "补正期限须晚于告知日期",
    "before_consultation": "回复日期早于征求意见日期（{sent}）",
    "extension_date_late": "延期须在答复期限（{due}）届满前批准（条例第三十三条第二款）",
    "delay_late": "已超过答复期限（{due}），不能再告知延迟答复：须在答复期限内告知申请人（条例第三十五条）",
    "delay_date_late": "延迟答复须在答复期限（{due}）届满前告知申请人（条例第三十五条）",
    "delay_until_early": "延迟答复期限须晚于当前答复期限（{due}）",
    "nothing_to_deliver": "没有已签发但尚未登记送达的文书或答复",
    "tracking_required": "邮寄送达须填写邮件单号，以便查证送达和签收日期",
    "fee_free": "按此标准不收费（109号：10件以内、30页以内免费），无需发出收费通知",
    "reply_items": "须为全部{count}项申请事项分别选择答复类型",
    "finding_terminates": "逾期不补正、逾期未缴费以“视为放弃”终止办理，不作答复",
    "unclear_needs_correction": "“补正后申请内容仍不明确”须先经补正（条例第三十条）",
    "reasons_required": "此答复类型须说明理由（条例第三十六条第（三）项、第三十七条）",
    "organ_only_not_held": "只有“本机关不掌握相关政府信息”时才需注明负责公开的机关",
    "oral_filled_by_required": "口头申请须记录代为填写人（条例第二十九条）",
    "arrived_required": "须填写申请到达日期",
    "received_before_arrival": "收到日期早于到达日期",
    "missing_identity": "未提供身份证明；可在7个工作日内一次性告知补正（条例第二十九条、第三十条）",
    "missing_contact": "未提供联系方式（电话、邮箱或地址至少一项），将无法答复和送达（条例第二十九条）",
    # ---- the defaults of the error classes (a kind not listed above falls back to its class)
    "error": "操作未能完成",
    "invalid": "输入有误",
    "rule": "按规定不能进行此操作",
    "conflict": "记录已存在或已被他人修改",
    "store": "数据库出错",
    # ---- the sync client (app.sync.client, app.services.sync)
    "sync_bad_url": "服务器地址“{value}”无效，应写作 https://服务器名称[:端口]",
    "sync_plain_http": (
        "服务器地址“{value}”使用未加密的 http://，为保护账号和数据已拒绝；请使用 https://"
        "（只有本机地址 127.0.0.1、::1、localhost 可以使用 http://）"
    ),
    "sync_unreachable": "无法连接同步服务器 {server}（网络不通、服务器未启动或超时），同步未完成；本机数据完好，请稍后重试。",
    "sync_auth": "同步服务器拒绝了登录或登录已失效：{detail}。请重新登录：yishen sync --server 地址 --user 用户名",
    "sync_server": "同步服务器出错：{detail}。本次同步未完成，已完成的部分已保存，可稍后重试。",
    "sync_not_configured": "尚未登录同步服务器；首次同步请用：yishen sync --server https://服务器地址 --user 用户名",
    "sync_number_taken": (
        "服务器上另一台电脑登记的案件使用了登记编号“{number}”，与本机的另一件案件相同，同步已停止（已接收的内容均已保存）。"
        "请在其中一台电脑上修改该案件的登记编号（yishen case edit {number} --set number=新编号）后重新同步。"
    ),
    "sync_login_args": "首次登录需要同时给出 --server 和 --user。",
    "sync_password_required": "需要同步服务器的登录口令：请设置环境变量 YISHEN_SYNC_PASSWORD 或在提示时输入。",
    "conflict_not_found": "找不到未解决的同步冲突“{id}”（可用 yishen conflicts 查看）。",
    "conflict_row": "冲突“{id}”涉及整条记录（一方删除、一方修改），本版本尚不能在命令行处理，请联系管理员。",
}

# Sentences added to a kind's message when the error carries the param (optional details).
DETAILS: dict[str, tuple[tuple[str, str], ...]] = {
    "required": (("choices", "；可选：{choices}"),),
    "bad_json": (("position", "（第{position}个字符附近）"),),
    "unreadable_file": (("reason", "（{reason}）"),),
    "exists": (("path", "文件：{path}"),),
}

# Readable names of the case file fields (interfaces.md §1); list indices are written as "*".
FIELD_LABELS: dict[str, str] = {
    "format": "格式",
    "id": "唯一编号",
    "number": "登记编号",
    "channel": "收到方式",
    "arrived": "实际到达日期",
    "received": "收到申请日期",
    "oral_filled_by": "代为填写人",
    "assistance": "提供的帮助",
    "clerk": "经办人",
    "applicant": "申请人",
    "applicant.kind": "申请人类型",
    "applicant.name": "申请人姓名或名称",
    "applicant.id_type": "证件类型",
    "applicant.id_number": "证件号码",
    "applicant.phone": "联系电话",
    "applicant.email": "电子邮箱",
    "applicant.address": "联系地址",
    "applicant.agent": "代理人",
    "applicant.agent.name": "代理人姓名",
    "applicant.agent.id_type": "代理人证件类型",
    "applicant.agent.id_number": "代理人证件号码",
    "applicant.agent.phone": "代理人电话",
    "applicant.agent.authorization": "授权委托",
    "items": "申请事项",
    "items.*": "申请事项",
    "items.*.description": "申请内容",
    "items.*.doc_number": "文号",
    "items.*.form": "载体形式",
    "items.*.delivery": "获取方式",
    "items.*.finding": "答复类型",
    "items.*.reasons": "理由",
    "items.*.responsible_organ": "负责公开的机关",
    "items.*.responsible_organ.name": "负责公开的机关名称",
    "items.*.responsible_organ.contact": "负责公开的机关联系方式",
    "events": "时间线",
    "events.*": "时间线事件",
    "events.*.type": "事件类型",
    "events.*.date": "事件日期",
    "events.*.id": "编号",
    "events.*.days": "延期工作日数",
    "events.*.outcome": "处理结果",
    "events.*.result": "结果",
    "events.*.decision": "决定内容",
    "events.*.period_end": "补正期限",
    "events.*.until": "延迟答复期限",
    "events.*.amount": "金额",
    "events.*.method": "方式",
    "events.*.delivered": "送达日期",
    "events.*.received": "签收日期",
    "outcome": "年度报告处理结果",
    "outcome_reason": "处理结果说明",
    "tags": "标签",
    "tags.*": "标签",
    "flags": "标记",
    "flags.*": "标记",
    "notes": "备注",
    "notes.*": "备注",
    "notes.*.date": "备注日期",
    "notes.*.text": "备注内容",
}

_TYPE_NAMES = {
    "text": "文本",
    "date": "日期文本（YYYY-MM-DD）",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "object": "对象（{…}）",
    "list": "列表（[…]）",
    "null": "空值（null）",
    "JSON value": "JSON值",
    "non-finite number": "非有限数值",
    "other": "无法识别的值",
}
_INDEX_RE = re.compile(r"(?<=\.)[0-9]+(?=\.|$)")
_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MAX_SHOWN = 60


def _show(value: object) -> str:
    """A value from the input, safe to print: short, with invisible and direction characters spelled out."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > _MAX_SHOWN:
        text = text[:_MAX_SHOWN] + "…"
    return _UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _render(key: str, value: Any) -> str:
    if value is None:
        return "（空）"
    if key in ("expected", "got"):
        return _TYPE_NAMES.get(str(value), _show(value))
    if key == "codepoint" and isinstance(value, int) and not isinstance(value, bool):
        return f"U+{value:04X}"
    if key == "channel" and value in tuple(Channel):
        return CHANNEL_LABELS[Channel(value)]
    if key in ("status", "allowed"):
        values = value if isinstance(value, list | tuple) else [value]
        return "、".join(_STATUS_WORDS.get(str(v), _show(v)) for v in values)
    if key == "letter_kind":
        return _KIND_WORDS.get(str(value), _show(value))
    if key == "action":
        return _ACTION_WORDS.get(str(value), _show(value))
    if isinstance(value, list | tuple):
        return "、".join(_show(v) for v in value)
    return _show(value)


_STATUS_WORDS = {str(k): v for k, v in LETTER_STATUS_LABELS.items()}
_KIND_WORDS = {str(k): v for k, v in KIND_LABELS.items()}
_ACTION_WORDS = {
    "review": "审核",
    "edit": "修改段落",
    "reopen": "退回重拟",
    "issue": "签发",
    "cancel": "作废",
    "deliver": "登记送达",
}


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "？"


def _fill(template: str, params: Mapping[str, Any]) -> str:
    values = _Params({key: _render(key, value) for key, value in params.items()})
    try:
        return template.format_map(values)
    except (ValueError, IndexError, KeyError, AttributeError):
        # A template with a stray brace is a bug in this table, not a reason to hide the error.
        return template


def _field_label(field: str) -> str | None:
    return FIELD_LABELS.get(_INDEX_RE.sub("*", field))


def describe_location(err: InputError) -> str:
    """Where the problem is: ``"cases.jsonl 第3行 字段“applicant.name”（申请人姓名或名称）"``; may be empty."""
    parts: list[str] = []
    if err.source:
        parts.append(_show(err.source))
    if err.line is not None:
        parts.append(f"第{err.line}行")
    column = err.params.get("column")
    if column:
        parts.append(f"“{_show(column)}”列")
    elif err.field:
        label = _field_label(err.field)
        parts.append(f"字段“{_show(err.field)}”" + (f"（{label}）" if label else ""))
    return " ".join(parts)


def _template(err: YishenError) -> str:
    template = MESSAGES.get(err.kind)
    if template is not None:
        return template
    for cls in (InputError, RuleError, NotFound, Conflict, StoreError):
        if isinstance(err, cls):
            return f"{MESSAGES[cls.kind]}（{_show(err.kind)}）"
    return f"{MESSAGES['error']}（{_show(err.kind)}）"


def describe(err: YishenError) -> str:
    """The error as one Chinese sentence, located when it is an input error; never raises."""
    template = _template(err)
    for param, detail in DETAILS.get(err.kind, ()):
        if err.params.get(param) not in (None, ""):
            template += detail
    body = _fill(template, err.params)
    if isinstance(err, InputError):
        where = describe_location(err)
        if where:
            return f"{where}：{body}"
    return body


def describe_at_field(err: YishenError, field_names: Mapping[str, str]) -> str:
    """``describe(err)`` for a form: the command-line location replaced by the field's name on screen.

    ``field_names`` maps an input error's field (``login``, ``--comment`` …) to its on-screen label;
    a field not in it is said without a location.
    """
    text = describe(err)
    if not isinstance(err, InputError):
        return text
    where = describe_location(err)
    if where and text.startswith(where + "："):
        text = text[len(where) + 1 :]
    name = field_names.get(err.field)
    return f"{name}：{text}" if name else text
