"""The cyclic garbage collector held off during bulk work over many cases.

Importing, indexing, re-banding and grouping tens of thousands of cases make many objects and no
reference cycles (cases, rows and results are freed by reference counting). Left on, the collector's
full collections walk every loaded case again and again, finding nothing: about 15 % of an import of
100 000 cases (benchmarks/import_bench.py), twice the time of a recompute (deadline_bench.py), and
2.0 s instead of 1.6 s for the worklist. It runs again afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
