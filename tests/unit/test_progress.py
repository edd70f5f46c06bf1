"""Progress of long work: steps reach the receiver (throttled), a cancel stops the next step."""

from __future__ import annotations

import pytest

from app.progress import Cancelled, Progress


def test_steps_reach_the_receiver_and_the_last_always_does() -> None:
    seen: list[tuple[int, int, str]] = []
    progress = Progress(lambda d, t, s: seen.append((d, t, s)), interval=3600)
    items = list(progress.track(range(120), 120, "正在写入"))
    assert items == list(range(120))
    # Throttled to the first step of the text and the one reaching the total.
    assert seen == [(0, 120, "正在写入"), (120, 120, "正在写入")]
    assert (progress.done, progress.total, progress.text) == (120, 120, "正在写入")


def test_a_new_text_is_reported_at_once() -> None:
    seen: list[str] = []
    progress = Progress(lambda d, t, s: seen.append(s), interval=3600)
    progress.step(1, 10, "读取")
    progress.step(2, 10, "读取")
    progress.step(1, 10, "写入")
    assert seen == ["读取", "写入"]


def test_after_a_cancel_the_next_step_raises_and_tracking_stops() -> None:
    progress = Progress()
    consumed: list[int] = []
    with pytest.raises(Cancelled):
        for i in progress.track(range(1000), 1000, "导出", every=10):
            consumed.append(i)
            if i == 25:
                progress.cancel()
    assert progress.cancelled
    assert len(consumed) == 30  # stopped at the next step, not at the end
    with pytest.raises(Cancelled):
        progress.check()
