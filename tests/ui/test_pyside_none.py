"""The Qt binding must not leak references to None (PySide6 6.12.0 did: the program aborted with
"none_dealloc" after a few thousand calls, i.e. minutes into a clerk's day)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_calls_returning_nothing_keep_none_alive(qapp: QApplication) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for i in range(3000):
        label.setText(str(i))
        qapp.processEvents()
    # A healthy binding leaves the count where it was (give or take a few references held elsewhere).
    assert sys.getrefcount(None) - before > -100
