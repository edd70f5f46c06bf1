"""Running service calls off the GUI thread, with the result (or the error) delivered back on it.

The services are synchronous (style.md); a call that may take long — the worklist over tens of
thousands of open cases takes seconds — goes through ``TaskRunner.submit`` so the window keeps
painting. Only plain values cross threads: the function runs its own unit of work in the worker and
returns dataclasses, never ORM objects.

Long work the clerk may want to stop (import, export, batch print, backup) goes through
``TaskRunner.submit_long``: the function gets an ``app.progress.Progress`` to report steps on (relayed
to ``on_progress`` on the GUI thread) and to check for a cancel; ``Progress.cancel()`` makes its next
step raise ``Cancelled``, which reaches ``on_cancelled`` instead of ``on_error``.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.domain.errors import YishenError
from app.progress import Cancelled, Progress

Done = Callable[[Any], None]
Failed = Callable[[YishenError], None]
Stepped = Callable[[int, int, str], None]
Stopped = Callable[[], None]


class _Relay(QObject):
    """Lives on the GUI thread; a worker's emit is queued to it."""

    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, object, object, str)  # job, done, total (object: may pass 2**31)


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.job_id = job_id
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # delivered to the GUI thread: a user error or the crash dialog
            self.relay.failed.emit(self.job_id, exc)
        else:
            self.relay.finished.emit(self.job_id, result)


class TaskRunner(QObject):
    """Runs functions on a small thread pool and calls back on the GUI thread.

    A ``YishenError`` (a problem the user can act on) goes to the ``on_error`` callback; any other
    exception is a bug and goes to ``sys.excepthook``, which shows the crash dialog.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_relay_finished)
        self._relay.failed.connect(self._on_relay_failed)
        self._relay.progressed.connect(self._on_relay_progressed)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[_Job, Done, Failed | None]] = {}
        self._long: dict[int, tuple[Stepped | None, Stopped | None]] = {}
        self._progress: dict[int, Progress] = {}

    def submit(self, fn: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> int:
        job_id = next(self._ids)
        job = _Job(job_id, fn, self._relay)
        job.setAutoDelete(False)  # kept in _pending until its result is delivered
        self._pending[job_id] = (job, on_done, on_error)
        self._pool.start(job)
        return job_id

    def submit_long(
        self,
        fn: Callable[[Progress], Any],
        on_done: Done,
        on_error: Failed | None = None,
        on_progress: Stepped | None = None,
        on_cancelled: Stopped | None = None,
    ) -> Progress:
        """Run ``fn(progress)`` like ``submit``; returns the ``Progress`` whose ``cancel()`` stops it.

        ``on_progress(done, total, text)`` gets the steps on the GUI thread (total 0: unknown). After a
        cancel the job's ``Cancelled`` goes to ``on_cancelled``; a job that finished before it noticed
        the cancel still goes to ``on_done`` (its work is complete and kept).
        """
        job_id = next(self._ids)
        relay = self._relay

        def report(done: int, total: int, text: str) -> None:
            relay.progressed.emit(job_id, done, total, text)

        progress = Progress(report)
        job = _Job(job_id, lambda: fn(progress), relay)
        job.setAutoDelete(False)
        self._pending[job_id] = (job, on_done, on_error)
        self._long[job_id] = (on_progress, on_cancelled)
        self._progress[job_id] = progress
        self._pool.start(job)
        return progress

    def busy(self) -> bool:
        return bool(self._pending)

    def cancel_all(self) -> None:
        """Ask every running long job to stop (closing the window: an import need not finish first)."""
        for progress in self._progress.values():
            progress.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job has run (before closing the database they use)."""
        return bool(self._pool.waitForDone(msecs))

    @Slot(int, object, object, str)
    def _on_relay_progressed(self, job_id: int, done: int, total: int, text: str) -> None:
        on_progress, _on_cancelled = self._long.get(job_id, (None, None))
        if on_progress is not None and job_id in self._pending:  # none after the result
            on_progress(done, total, text)

    @Slot(int, object)
    def _on_relay_finished(self, job_id: int, result: object) -> None:
        _job, on_done, _on_error = self._pending.pop(job_id)
        self._long.pop(job_id, None)
        self._progress.pop(job_id, None)
        on_done(result)

    @Slot(int, object)
    def _on_relay_failed(self, job_id: int, exc: BaseException) -> None:
        _job, _on_done, on_error = self._pending.pop(job_id)
        _on_progress, on_cancelled = self._long.pop(job_id, (None, None))
        self._progress.pop(job_id, None)
        if isinstance(exc, Cancelled):
            if on_cancelled is not None:
                on_cancelled()
        elif isinstance(exc, YishenError) and on_error is not None:
            on_error(exc)
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)
