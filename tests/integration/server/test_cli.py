"""``yishen-server`` as an operator runs it: the installed console script in real processes, on loopback only."""

from __future__ import annotations

import os
import re
import signal
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from app.sync import protocol as p
from tests.integration.server.conftest import free_port

SERVER = Path(sys.executable).parent / "yishen-server"
PASSWORD = "口令 correct horse 1"
V = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}
DEVICE = "0193e0b2-7c1a-4f6e-9d2a-3b5c8e1f0a47"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YISHEN_")}
    env.update(extra)
    return env


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(SERVER), *args],
        capture_output=True,
        text=True,
        env=_env(**env),
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@contextmanager
def serving(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``yishen-server serve … --port 0``; yields the process and the URL it printed."""
    with subprocess.Popen(
        [str(SERVER), "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=_env(),
    ) as proc:
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(proc.stdout.readline() if proc.stdout else ""))
        reader.start()
        reader.join(60)
        try:
            match = re.search(r"(https?://[^\s（]+)", first[0] if first else "")
            assert match, (
                f"no address printed: {first!r}; stderr: {proc.stderr.read() if proc.poll() is not None and proc.stderr else ''}"
            )
            yield proc, match.group(1)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(10)


def _wait_healthy(client: httpx.Client) -> httpx.Response:
    for _ in range(200):
        try:
            return client.get("/v1/health")
        except httpx.TransportError:
            threading.Event().wait(0.05)
    raise AssertionError("the server never answered")


def test_init_adduser_serve_login_and_stop(db_url: str) -> None:
    init = run("init", "--db", db_url)
    assert init.returncode == 0, init.stderr
    server_id = re.search(r"服务器编号 ([0-9a-f-]{36})", init.stdout)
    assert server_id, init.stdout

    added = run(
        "adduser", "张三", "--department", "自然资源局", "--db", db_url, YISHEN_SERVER_PASSWORD=PASSWORD
    )
    assert added.returncode == 0, added.stderr
    assert "已添加用户“张三”" in added.stdout and "经办人" in added.stdout
    again = run(
        "adduser", "张三", "--department", "自然资源局", "--db", db_url, YISHEN_SERVER_PASSWORD=PASSWORD
    )
    assert (again.returncode, again.stderr.strip()) == (2, "用户“张三”已存在")
    # The database may come from the environment as well.
    admin = run("adduser", "root", "--department", "办公室", "--role", "admin", YISHEN_SERVER_DB=db_url,
                YISHEN_SERVER_PASSWORD=PASSWORD)  # fmt: skip
    assert admin.returncode == 0, admin.stderr

    with serving("--db", db_url) as (proc, url), httpx.Client(base_url=url, timeout=30) as client:
        assert url.startswith("http://127.0.0.1:")
        health = _wait_healthy(client)
        assert health.status_code == 200
        assert health.json()["server_id"] == server_id.group(1)

        body = {"name": "张三", "password": PASSWORD, "device_id": DEVICE}
        login = client.post("/v1/login", json=body, headers=V)
        assert login.status_code == 200, login.text
        token = login.json()["token"]
        wrong = client.post("/v1/login", json={**body, "password": "wrong password"}, headers=V)
        assert (wrong.status_code, wrong.json()["message"]) == (401, "用户名或口令不正确")
        pulled = client.get("/v1/pull", headers={**V, "Authorization": f"Bearer {token}"})
        assert pulled.status_code == 200 and pulled.json()["entries"] == []

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert "同步服务器已停止" in (proc.stdout.read() if proc.stdout else "")

    # What happened is in the audit chain, intact.
    verify = run("verify", "--db", db_url)
    assert (verify.returncode, verify.stdout.strip()) == (0, "审计日志完整：共5条")
    revoke = run("revoke", "张三", "--db", db_url)
    assert revoke.returncode == 0 and "1个令牌" in revoke.stdout


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "sync.example.org"])
def test_plain_http_on_a_non_loopback_host_is_refused(tmp_path: Path, host: str) -> None:
    # Refused before the database is opened or anything bound: nothing ever goes to these addresses.
    proc = run("serve", "--db", str(tmp_path / "s.db"), "--host", host, "--port", str(free_port()))
    assert proc.returncode == 2
    assert "拒绝" in proc.stderr and "--certfile" in proc.stderr and proc.stdout == ""


def test_serve_over_https_with_certfile_and_keyfile(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    db = str(tmp_path / "s.db")
    assert run("init", "--db", db).returncode == 0

    half = run("serve", "--db", db, "--certfile", str(cert))
    assert (half.returncode, half.stderr.strip()) == (2, "--certfile 和 --keyfile 必须同时指定")

    context = ssl.create_default_context(cafile=str(cert))
    with (
        serving("--db", db, "--certfile", str(cert), "--keyfile", str(key)) as (_proc, url),
        httpx.Client(base_url=url, timeout=30, verify=context) as client,
    ):
        assert url.startswith("https://127.0.0.1:")
        assert _wait_healthy(client).json()["status"] == "ok"


def test_commands_fail_with_a_message_and_an_exit_code(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    missing = run("init")
    assert missing.returncode == 2 and "--db" in missing.stderr
    nofile = run("adduser", "a", "--department", "d", "--db", db, YISHEN_SERVER_PASSWORD=PASSWORD)
    assert nofile.returncode == 1 and "数据库文件不存在" in nofile.stderr
    assert not Path(db).exists()  # looking did not create it

    assert run("init", "--db", db).returncode == 0
    twice = run("init", "--db", db)
    assert twice.returncode == 1 and "不会覆盖" in twice.stderr

    no_password = run("adduser", "a", "--department", "d", "--db", db)
    assert no_password.returncode == 2 and "YISHEN_SERVER_PASSWORD" in no_password.stderr
    short = run("adduser", "a", "--department", "d", "--db", db, YISHEN_SERVER_PASSWORD="short")
    assert short.returncode == 2 and "至少需要8个字符" in short.stderr
    star = run("adduser", "a", "--department", "*", "--db", db, YISHEN_SERVER_PASSWORD=PASSWORD)
    assert star.returncode == 2 and "部门名称" in star.stderr
    role = run("adduser", "a", "--department", "d", "--role", "boss", "--db", db)
    assert role.returncode == 2 and "命令参数有误" in role.stderr
    unknown = run("revoke", "nobody", "--db", db)
    assert (unknown.returncode, unknown.stderr.strip()) == (2, "没有用户“nobody”")

    # A PostgreSQL server that is not there: a message without the password, exit 1.
    url = f"postgresql://clerk:s3cret-pw@127.0.0.1:{free_port()}/yishen"
    down = run("adduser", "a", "--department", "d", "--db", url, YISHEN_SERVER_PASSWORD=PASSWORD)
    assert down.returncode == 1 and "无法打开数据库" in down.stderr
    assert "s3cret-pw" not in down.stderr
