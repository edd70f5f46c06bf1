"""Chinese wording of the sync server's error kinds: for the operator's console and the clerk's sync dialog.

The API sends ``{"error": kind, "message": …}``, so a client shows the server's sentence as it is, and
a refused op carries its ``reason`` kind with the sentence beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.errors import YishenError

MESSAGES: dict[str, str] = {
    # ---- authentication and protocol (API)
    "unauthorized": "未登录或登录已失效，请重新登录同步服务器",
    "bad_credentials": "用户名或口令不正确",
    "device_mismatch": "请求中的设备编号与登录时的不一致，请重新登录同步服务器",
    "protocol_missing": (
        "请求缺少同步协议版本（请求头 X-Yishen-Protocol）：请使用依申请公开办理台客户端同步"
    ),
    "protocol_too_new": (
        "客户端使用的同步协议（第{client}版）比服务器支持的（第{server}版）新：请联系管理员升级同步服务器"
    ),
    "protocol_too_old": (
        "客户端版本过旧（同步协议第{client}版，服务器至少需要第{min}版）："
        "本机尚未上传的修改仍可上传，之后请升级客户端"
    ),
    "bad_request": "请求格式不正确：{detail}",
    "no_such_endpoint": "同步服务器没有这个接口：{path}",
    "db_unavailable": "同步服务器暂时无法访问其数据库，本次同步未完成；请稍后再试",
    "internal": "同步服务器内部错误，操作未完成；请联系管理员查看服务器日志",
    # ---- per-op refusals (push)
    "unknown_entity": "同步服务器不认识数据类型“{entity}”：请联系管理员升级同步服务器",
    "append_only": "办理记录、备注和附件只能追加，不能修改或删除",
    "immutable": "服务器上已有同一编号而内容不同的记录；只能追加的记录不能修改",
    "admin_only": "全国节假日安排由管理员统一维护，只有管理员账号可以修改",
    "not_found": "服务器上没有这条记录（或它属于其他部门）",
    "unknown_parent": "这条记录所属的案件不在服务器上（或属于其他部门）",
    "empty_op": "这次修改没有任何内容",
    "op_id_taken": "操作编号已被其他部门的设备使用，服务器未执行",
    # ---- command line
    "db_missing": (
        "未指定数据库：请用 --db 指定（PostgreSQL 连接串 postgresql://… 或 SQLite 文件路径），"
        "或设置环境变量 YISHEN_SERVER_DB"
    ),
    "db_exists": "数据库已经初始化过，不会覆盖：{db}",
    "db_file_exists": "文件已存在，不会覆盖：{path}",
    "db_dir_missing": "存放数据库文件的文件夹不存在：{path}",
    "db_file_missing": "数据库文件不存在：{path}（请先运行 yishen-server init --db {path}）",
    "db_not_initialized": "数据库尚未初始化：请先运行 yishen-server init --db {db}",
    "db_unreachable": "无法打开数据库 {db}：{detail}",
    "db_newer": "数据库由较新版本的同步服务器创建（结构第{found}版，本程序支持第{supported}版）：请升级本程序",
    "user_exists": "用户“{name}”已存在",
    "no_such_user": "没有用户“{name}”",
    "bad_choice": "“{value}”不是可选的值；可选：{choices}",
    "bad_department": "部门名称不能为空，不能超过200个字符，也不能是“*”",
    "bad_user_name": "用户名不能为空，不能超过200个字符，也不能含空白字符",
    "password_required": "未提供口令：请设置环境变量 YISHEN_SERVER_PASSWORD，或在终端中运行以便输入",
    "password_mismatch": "两次输入的口令不一致",
    "password_too_short": "口令至少需要{min}个字符",
    "plain_http_refused": (
        "拒绝在非本机地址“{host}”上以明文HTTP提供服务：同步内容含申请人个人信息，"
        "请用 --certfile 和 --keyfile 启用HTTPS（只有本机地址 127.0.0.1、localhost、::1 可以不加密）"
    ),
    "tls_pair": "--certfile 和 --keyfile 必须同时指定",
    "file_missing": "文件不存在：{path}",
    "bad_port": "端口应在0至65535之间（0表示自动选择空闲端口），这里是{port}",
    "bind_failed": "无法在 {host}:{port} 上监听：{detail}",
    "tls_failed": "无法加载HTTPS证书或私钥：{detail}",
}


class _Defaults(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "？"


def describe(exc: YishenError | str, params: Mapping[str, Any] | None = None) -> str:
    """The Chinese sentence for an error (or for a kind and its params)."""
    if isinstance(exc, YishenError):
        kind, values = exc.kind, dict(exc.params)
    else:
        kind, values = exc, dict(params or {})
    template = MESSAGES.get(kind)
    if template is None:
        return f"同步服务器错误（{kind}）"
    return template.format_map(_Defaults(values))
