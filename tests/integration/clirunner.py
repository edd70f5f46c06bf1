"""Running ``yishen`` as a user does: a real process with its own data folder and no OS keyring."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Cli:
    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.tmp = tmp
        self.env = env

    def __call__(self, *args: str, input: str | None = None, home: Path | None = None, **env: str) -> Any:
        full_env = {**self.env, **env}
        argv = [sys.executable, "-m", "app.cli"]
        if home is not None:
            argv += ["--home", str(home)]
        p = subprocess.run(
            [*argv, *args], input=input, capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=120
        )
        assert "Traceback" not in p.stderr, p.stderr
        return p


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YISHEN_", "PYTHON_KEYRING"))}
    env.update(
        {
            "YISHEN_HOME": str(tmp_path / "home"),
            "YISHEN_PASSPHRASE": "正确的口令 correct horse",
            # No OS keyring in tests unless a test asks for the file-backed stand-in.
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "PYTHONPATH": str(ROOT),
            "XDG_STATE_HOME": str(tmp_path / "state"),
        }
    )
    return Cli(tmp_path, env)
