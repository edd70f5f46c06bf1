"""A progress line for long work: a bar, a Chinese status text and a 取消 button.

``ProgressPanel.run`` starts a function on a ``TaskRunner`` with ``submit_long``, shows its steps and
turns 取消 into a cancel of the work; the work itself undoes what it wrote (a rolled-back transaction,
a removed temporary file), so the panel can say 已取消 without leaving half-written data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.domain.errors import YishenError
from app.progress import Progress
from ui.tasks import TaskRunner

CANCELLED_TEXT = "已取消"
CANCELLING_TEXT = "正在取消……"


def step_text(done: int, total: int, text: str) -> str:
    """``正在写入数据库：1 200 / 3 000`` — the count only when the total is known."""
    if total <= 0:
        return f"{text}……" if text else "正在处理……"
    return f"{text}：{done:,} / {total:,}".replace(",", " ")


class ProgressPanel(QWidget):
    """One line: the status text, the bar (while running) and 取消 (while running).

    Signals:
    cancelled: the work stopped after the clerk pressed 取消; nothing of it was kept.
    """

    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._progress: Progress | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message_label = QLabel()
        self.message_label.setObjectName("hint")
        self.message_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(180)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.bar.hide()
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.cancel_button.hide()
        layout.addWidget(self.message_label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)

    def running(self) -> bool:
        return self._progress is not None

    def run(
        self,
        runner: TaskRunner,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[YishenError], None],
        *,
        text: str,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Progress:
        """Start ``fn(progress)`` with ``text`` shown; the callbacks run after the panel has settled.

        A panel deleted meanwhile (its dialog closed with WA_DeleteOnClose, which cancels through
        ``cancel``) calls none of them: what they would update is gone.
        """
        if self._progress is not None:
            raise RuntimeError("ProgressPanel runs one job at a time")

        def done(result: Any) -> None:
            if not shiboken6.isValid(self):
                return
            self._stop()
            on_done(result)

        def failed(exc: YishenError) -> None:
            if not shiboken6.isValid(self):
                return
            self._stop()
            on_error(exc)

        def stopped() -> None:
            if not shiboken6.isValid(self):
                return
            self._stop()
            self.say(CANCELLED_TEXT)
            if on_cancelled is not None:
                on_cancelled()
            self.cancelled.emit()

        self.say(text)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self._progress = runner.submit_long(fn, done, failed, self._on_step, stopped)
        return self._progress

    def cancel(self) -> None:
        """Ask the running work to stop (what 取消 does)."""
        if self._progress is None:
            return
        self._progress.cancel()
        self.cancel_button.setEnabled(False)
        self.say(CANCELLING_TEXT)

    def say(self, text: str, *, error: bool = False) -> None:
        label = self.message_label
        name = "error" if error else "hint"
        if label.objectName() != name:
            label.setObjectName(name)
            # The application's style sheet selects on the object name: apply it again.
            label.style().unpolish(label)
            label.style().polish(label)
        label.setText(text)

    def _on_step(self, done: int, total: int, text: str) -> None:
        if self._progress is None or self._progress.cancelled or not shiboken6.isValid(self):
            return
        if total > 0:
            # QProgressBar holds ints: scale a large total down to per-mille.
            self.bar.setRange(0, 1000)
            self.bar.setValue(min(1000, done * 1000 // total))
        else:
            self.bar.setRange(0, 0)
        self.say(step_text(done, total, text))

    def _on_cancel_button_clicked(self) -> None:
        self.cancel()

    def _stop(self) -> None:
        self._progress = None
        self.bar.hide()
        self.cancel_button.hide()
