"""The task runner: work runs off the GUI thread, results, errors and progress come back on it; long work
stops on 取消."""

from __future__ import annotations

import functools
import sys
import threading
import time
from types import TracebackType

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.errors import StoreError, YishenError
from app.progress import Progress
from ui.progress import ProgressPanel
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


def test_long_work_reports_steps_on_the_gui_thread_and_stops_on_cancel(
    qtbot: QtBot, qapp: QApplication
) -> None:
    runner = TaskRunner()
    gui = threading.get_ident()
    steps: list[tuple[int, int, str, bool]] = []
    outcome: list[str] = []
    started = threading.Event()

    def work(progress: Progress) -> int:
        done = 0
        for done in range(1, 10_001):
            progress.step(done, 10_000, "正在处理")
            if done == 10:
                started.set()
            time.sleep(0.001)
        return done

    progress = runner.submit_long(
        work,
        lambda _r: outcome.append("done"),
        lambda _e: outcome.append("error"),
        lambda d, t, s: steps.append((d, t, s, threading.get_ident() == gui)),
        lambda: outcome.append("cancelled"),
    )
    assert started.wait(20)
    qtbot.waitUntil(lambda: bool(steps))
    progress.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=20_000)
    assert outcome == ["cancelled"] and not runner.busy()
    assert all(on_gui for *_s, on_gui in steps) and steps[0][1:3] == (10_000, "正在处理")
    assert steps[-1][0] < 10_000  # stopped mid-way


def test_long_work_that_finishes_delivers_its_result(qtbot: QtBot, qapp: QApplication) -> None:
    runner = TaskRunner()
    results: list[object] = []

    def work(progress: Progress) -> list[int]:
        return list(progress.track(range(500), 500, "正在统计"))

    runner.submit_long(work, results.append)
    qtbot.waitUntil(lambda: bool(results))
    assert results == [list(range(500))]


def test_the_progress_panel_shows_steps_and_cancelled(qtbot: QtBot, qapp: QApplication) -> None:
    runner = TaskRunner()
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    panel.show()
    release = threading.Event()
    done: list[object] = []

    def work(progress: Progress) -> None:
        progress.step(250, 1000, "正在写入数据库")
        release.wait(20)
        progress.check()

    panel.run(runner, work, done.append, done.append, text="正在导入……")
    qtbot.waitUntil(lambda: panel.bar.value() == 250)
    assert panel.message_label.text() == "正在写入数据库：250 / 1 000"
    assert panel.cancel_button.isVisible() and panel.running()
    panel.cancel_button.click()
    release.set()
    with qtbot.waitSignal(panel.cancelled, timeout=20_000):
        pass
    assert panel.message_label.text() == "已取消" and not done
    assert not panel.bar.isVisible() and not panel.cancel_button.isVisible() and not panel.running()


def test_cancel_all_stops_every_long_job_before_the_window_waits(qtbot: QtBot, qapp: QApplication) -> None:
    runner = TaskRunner()
    stopped: list[int] = []

    def endless(progress: Progress) -> None:
        while True:
            progress.step(0, 0, "正在导入")
            time.sleep(0.005)

    for i in range(2):
        runner.submit_long(endless, lambda _r: None, on_cancelled=functools.partial(stopped.append, i))
    runner.cancel_all()
    assert runner.wait(20_000)
    qtbot.waitUntil(lambda: len(stopped) == 2)
    assert not runner.busy()
