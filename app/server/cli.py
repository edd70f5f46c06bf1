"""The ``yishen-server`` command line (interfaces.md §3): create the database, manage accounts, serve.

Exit codes as for ``yishen``: 0 success, 2 bad input, 1 any other failure — always a Chinese
message, never a traceback. The database is ``--db URL`` (a ``postgresql://`` URL or a SQLite
file path) or env ``YISHEN_SERVER_DB``.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import os
import signal
import socket
import ssl
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.cliparse import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK
from app.cliparse import ChineseArgumentParser as _Parser
from app.domain.errors import InputError, YishenError
from app.domain.users import ROLE_LABELS
from app.server import db
from app.server.errors import ServerError
from app.server.messages import describe
from app.server.service import ROLES, SyncService

DEFAULT_PORT = 8443


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


# --------------------------------------------------------------------------- helpers


def _db_text(args: argparse.Namespace) -> str:
    text = args.db or os.environ.get("YISHEN_SERVER_DB", "")
    if not text.strip():
        raise InputError("db_missing")
    return str(text)


def _open(args: argparse.Namespace, *, creating: bool = False) -> SyncService:
    url = db.database_url(_db_text(args))
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        if creating:
            if path.exists():
                raise ServerError("db_file_exists", path=str(path))
            if not path.parent.is_dir():
                raise InputError("db_dir_missing", path=str(path.parent))
        elif not path.is_file():
            # Opening would create an empty file; say what is wrong instead.
            raise ServerError("db_file_missing", path=str(path))
    service = SyncService(db.create_engine(url))
    if not creating:
        service.check_ready()
    return service


def _password(*, confirm: bool) -> str:
    value = os.environ.get("YISHEN_SERVER_PASSWORD")
    if value is None:
        if not sys.stdin.isatty():
            raise InputError("password_required")
        value = getpass.getpass("口令：")
        if confirm and getpass.getpass("再次输入口令：") != value:
            raise InputError("password_mismatch")
    return value


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    service = _open(args, creating=True)
    server_id = service.initialize()
    _out(f"已创建同步服务器数据库：{db.display(service.engine.url)}（服务器编号 {server_id}）")
    return EXIT_OK


def cmd_adduser(args: argparse.Namespace) -> int:
    service = _open(args)
    service.add_user(args.name, args.department, args.role, _password(confirm=True))
    _out(f"已添加用户“{args.name}”（部门：{args.department.strip()}，角色：{ROLE_LABELS[args.role]}）")
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace) -> int:
    service = _open(args)
    ended = service.set_password(args.name, _password(confirm=True))
    _out(f"已更改用户“{args.name}”的口令；{ended}台设备需要重新登录")
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    service = _open(args)
    ended = service.revoke(args.name, args.device)
    where = f"设备 {args.device}" if args.device else "所有设备"
    _out(f"已注销用户“{args.name}”在{where}上的登录（{ended}个令牌），这些设备须重新登录才能同步")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    check = _open(args).verify_audit()
    if check.first_broken_seq is not None:
        _err(f"审计日志在第{check.first_broken_seq}条处断裂（该条或其前一条被修改、删除或插入）")
        return EXIT_FAILURE
    _out(f"审计日志完整：共{check.entries}条")
    return EXIT_OK


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise ServerError("bind_failed", host=host, port=port, detail=exc.strerror or str(exc)) from None
    return sock


def _ignore_signal(_signum: int, _frame: Any) -> None:
    pass


def cmd_serve(args: argparse.Namespace) -> int:
    host: str = args.host
    if not 0 <= args.port <= 65535:
        raise InputError("bad_port", port=args.port)
    if bool(args.certfile) != bool(args.keyfile):
        raise InputError("tls_pair")
    tls = bool(args.certfile)
    if not tls and not is_loopback(host):
        raise InputError("plain_http_refused", host=host)
    for name in (args.certfile, args.keyfile):
        if name and not Path(name).is_file():
            raise InputError("file_missing", path=name)
    service = _open(args)

    # Imported here: the other commands should not pay for the web stack.
    import uvicorn

    from app.server.app import create_app

    config = uvicorn.Config(
        create_app(service),
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        log_level="warning",
        access_log=False,
        server_header=False,
    )
    try:
        config.load()
    except (ssl.SSLError, OSError) as exc:
        raise ServerError("tls_failed", detail=str(exc)) from None
    sock = _listen(host, args.port)
    port = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    _out(
        f"同步服务器已启动：{'https' if tls else 'http'}://{shown}:{port}"
        f"（数据库：{db.display(service.engine.url)}）；按 Ctrl+C 停止"
    )
    server = uvicorn.Server(config)
    # uvicorn shuts down gracefully on SIGINT/SIGTERM and then re-raises the signal to the handler
    # it found; with these no-op handlers that ends here, so a stop exits 0 with a message.
    previous = {sig: signal.signal(sig, _ignore_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not server.started:
        _err("同步服务器未能启动，详见上面的日志")
        return EXIT_FAILURE
    _out("同步服务器已停止")
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="yishen-server", description="依申请公开办理台：部门共享同步服务器")
    subs = parser.add_subparsers(title="命令", metavar="命令", parser_class=_Parser)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = subs.add_parser(name, help=help, description=help)
        sub.add_argument(
            "--db",
            metavar="URL",
            help="PostgreSQL 连接串（postgresql://用户@主机/库）或 SQLite 文件路径；默认取环境变量 YISHEN_SERVER_DB",
        )
        return sub

    p = command("init", "创建同步服务器数据库（不会覆盖已有的数据库）")
    p.set_defaults(func=cmd_init)

    p = command("adduser", "添加账号（口令取自环境变量 YISHEN_SERVER_PASSWORD，否则在终端输入）")
    p.add_argument("name", metavar="NAME", help="用户名（登录名）")
    p.add_argument("--department", required=True, metavar="D", help="所属部门：只能看到和修改本部门的案件")
    p.add_argument(
        "--role",
        choices=ROLES,
        default="clerk",
        help="角色：clerk 经办人（默认）、reviewer 审核人、admin 管理员",
    )
    p.set_defaults(func=cmd_adduser)

    p = command("passwd", "更改账号口令，并注销其所有设备上的登录")
    p.add_argument("name", metavar="NAME", help="用户名")
    p.set_defaults(func=cmd_passwd)

    p = command("revoke", "注销账号的登录（设备丢失或停用时）；设备须用口令重新登录")
    p.add_argument("name", metavar="NAME", help="用户名")
    p.add_argument("--device", metavar="ID", help="只注销这台设备（设备编号）；不填则注销所有设备")
    p.set_defaults(func=cmd_revoke)

    p = command("serve", "运行同步服务器")
    p.add_argument(
        "--host", default="127.0.0.1", metavar="H", help="监听地址（默认 127.0.0.1；非本机地址须启用HTTPS）"
    )
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="P",
        help=f"端口（默认 {DEFAULT_PORT}；0 表示自动选择）",
    )
    p.add_argument("--certfile", metavar="F", help="HTTPS 证书文件（PEM）")
    p.add_argument("--keyfile", metavar="K", help="HTTPS 私钥文件（PEM）")
    p.set_defaults(func=cmd_serve)

    p = command("verify", "检查服务器审计日志的哈希链是否完整")
    p.set_defaults(func=cmd_verify)
    return parser


def _shown_db(args: argparse.Namespace) -> str:
    """The database for a message, without its password."""
    try:
        return db.display(db.database_url(_db_text(args)))
    except YishenError:
        return "？"


def _crash_log(text: str) -> str:
    fd, name = tempfile.mkstemp(prefix="yishen-server-crash-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return name


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return int(func(args))
    except InputError as exc:
        _err(describe(exc))
        return EXIT_BAD_INPUT
    except YishenError as exc:
        _err(describe(exc))
        return EXIT_FAILURE
    except sa.exc.DBAPIError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
        _err(describe("db_unreachable", {"db": _shown_db(args), "detail": detail}))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        _err("已取消。")
        return EXIT_FAILURE
    except Exception:
        log = _crash_log(traceback.format_exc())
        _err(f"程序内部错误，操作未完成。详细信息已写入：{log}")
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
