"""Progress and cancellation of long work (import, export, batch print, backup), without Qt.

The work runs on a worker thread and calls ``progress.step(done, total, text)`` now and then; the
desktop application turns the steps into a progress bar and its 取消 button into ``cancel()``. A step
(or ``check()``) after a cancel raises ``Cancelled``, which unwinds the work like any error: a unit of
work rolls back, a file written through ``finished_file`` is removed.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from app.domain.errors import StoreError

__all__ = ["Cancelled", "Progress", "finished_file"]

T = TypeVar("T")

Report = Callable[[int, int, str], None]


class Cancelled(Exception):  # an outcome the user chose, not an error
    """The user cancelled the work; whatever it had written is undone."""


class Progress:
    """How far long work has got, and whether the user asked it to stop.

    ``on_step(done, total, text)`` is called from the worker thread, at most every ``interval``
    seconds unless the text changes or the work reaches its total, so a loop may call ``step`` for
    every case without flooding the receiver. ``cancel`` may be called from any thread.
    """

    def __init__(self, on_step: Report | None = None, *, interval: float = 0.05) -> None:
        self._on_step = on_step
        self._interval = interval
        self._cancelled = threading.Event()
        self._last_report = 0.0
        self._last_text: str | None = None
        self.done = 0
        self.total = 0
        self.text = ""

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def check(self) -> None:
        """Raise ``Cancelled`` once the user has cancelled."""
        if self._cancelled.is_set():
            raise Cancelled

    def step(self, done: int, total: int, text: str = "") -> None:
        """Record ``done`` of ``total`` (0 when unknown) with a Chinese ``text``; raises ``Cancelled``."""
        self.check()
        self.done, self.total, self.text = done, total, text
        if self._on_step is None:
            return
        now = time.monotonic()
        if text != self._last_text or done >= total or now - self._last_report >= self._interval:
            self._last_report = now
            self._last_text = text
            self._on_step(done, total, text)

    def track(self, items: Iterable[T], total: int, text: str, *, every: int = 50) -> Iterator[T]:
        """``items`` unchanged, with a step (and a cancel check) before the first and every ``every``-th."""
        self.step(0, total, text)
        done = 0
        for item in items:
            yield item
            done += 1
            if done % every == 0:
                self.step(done, total, text)
        self.step(done, total, text)


@contextmanager
def finished_file(
    dest: Path, progress: Progress | None = None, *, make_folder: bool = False
) -> Iterator[Path]:
    """A temporary path beside ``dest`` to write to; renamed to ``dest`` only when the block ends
    without an error and without a cancel, removed otherwise — ``dest`` is never half-written and a
    file already there is kept until the new one is complete.

    Raises StoreError("io") when the folder cannot be written (or does not exist, unless
    ``make_folder``).
    """
    dest = dest.expanduser().resolve()
    try:
        if make_folder:
            dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    except PermissionError as exc:
        raise StoreError("io", detail="permission", path=str(dest)) from exc
    except OSError as exc:
        raise StoreError("io", detail=exc.strerror or str(exc), path=str(dest)) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if progress is not None:
            progress.check()
        os.replace(tmp, dest)
    except PermissionError as exc:  # Windows: the old file is open in another program
        raise StoreError("io", detail="permission", path=str(dest)) from exc
    except OSError as exc:
        raise StoreError("io", detail=exc.strerror or str(exc), path=str(dest)) from exc
    finally:
        tmp.unlink(missing_ok=True)
