"""``yishen self-test`` on this installation, and that it does fail when a step's result is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import selftest
from tests.integration.clirunner import Cli


def test_self_test_passes_and_leaves_no_trace(cli: Cli, tmp_path: Path) -> None:
    p = cli("self-test")
    assert p.returncode == 0, p.stdout + p.stderr
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith(("✓", "✗"))]
    assert len(lines) == 7 and all(ln.startswith("✓") for ln in lines)
    assert "答复期限 2026-10-20" in p.stdout and "自检通过" in p.stdout
    assert not (tmp_path / "home").exists()  # the user's data folder is never created


def test_a_wrong_result_fails_and_names_the_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "_EXPECTED_DUE", "2026-10-19")
    steps: list[selftest.Step] = []
    assert selftest.run(steps.append) is False
    assert [s.ok for s in steps] == [True, True, False]
    assert "2026-10-20" in steps[-1].detail and "2026-10-19" in steps[-1].detail
