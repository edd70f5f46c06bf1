"""Holding long work at a chosen step until the test has pressed 取消, so a cancel lands mid-way
every time (without it, a fast machine could finish the work before the click is processed)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from app.progress import Progress


class StepGate:
    """Blocks the worker right after it reported the first step matching ``when`` (the step itself
    still reaches the GUI), until ``release`` — at most ``timeout`` seconds."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, when: Callable[[int, int, str], bool], timeout: float = 20
    ) -> None:
        self.reached = threading.Event()
        self._open = threading.Event()
        original = Progress.step
        gate = self

        def step(progress: Progress, done: int, total: int, text: str = "") -> None:
            original(progress, done, total, text)
            if not gate.reached.is_set() and when(done, total, text):
                gate.reached.set()
                gate._open.wait(timeout)

        monkeypatch.setattr(Progress, "step", step)

    def release(self) -> None:
        self._open.set()
