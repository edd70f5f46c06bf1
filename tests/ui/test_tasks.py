"""The task runner: work runs off the GUI thread, results and errors come back on it."""

from __future__ import annotations

import sys
import threading
from types import TracebackType

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.errors import StoreError, YishenError
from ui.tasks import TaskRunner


def test_a_result_comes_back_on_the_gui_thread(qtbot: QtBot, qapp: QApplication) -> None:
    runner = TaskRunner()
    gui = threading.get_ident()
    seen: list[tuple[int, int]] = []

    def work() -> int:
        return threading.get_ident()

    runner.submit(work, lambda worker: seen.append((worker, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(seen))
    worker, delivered_on = seen[0]
    assert worker != gui and delivered_on == gui
    assert not runner.busy()


def test_a_user_error_goes_to_the_callback_and_a_bug_to_the_crash_hook(
    qtbot: QtBot, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = TaskRunner()
    errors: list[YishenError] = []
    hooked: list[BaseException] = []

    def hook(t: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        hooked.append(exc)

    monkeypatch.setattr(sys, "excepthook", hook)

    def fails() -> None:
        raise StoreError("busy")

    def crashes() -> None:
        raise KeyError("bug")

    runner.submit(fails, lambda _r: None, errors.append)
    runner.submit(crashes, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: len(errors) + len(hooked) == 2)
    assert [e.kind for e in errors] == ["busy"]
    assert len(hooked) == 1 and isinstance(hooked[0], KeyError)
