"""Row ids the store generates: UUIDv7 (RFC 9562), time-ordered so new rows land at the end of the index."""

from __future__ import annotations

import os
import time

# The variant nibble must be 10xx: map any random hex digit onto 8, 9, a or b.
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def uuid7() -> str:
    """A random UUID whose first 48 bits are the Unix time in ms.

    Random UUIDv4 keys scatter every insert across the B-tree, and each page touched must be
    re-encrypted when SQLCipher spills it; time-ordered keys append, which keeps the bulk import
    within budget. They remain globally unique client-generated keys (design.md §5).
    """
    t = f"{time.time_ns() // 1_000_000:012x}"
    r = os.urandom(10).hex()
    return f"{t[:8]}-{t[8:]}-7{r[:3]}-{_VARIANT[r[3]]}{r[4:7]}-{r[7:19]}"


def uuid7_many(n: int) -> list[str]:
    """``n`` UUIDv7 at once (one clock read, one call for the randomness): the bulk-import path."""
    t = f"{time.time_ns() // 1_000_000:012x}"
    head = f"{t[:8]}-{t[8:]}-7"
    r = os.urandom(10 * n).hex()
    return [
        f"{head}{r[i : i + 3]}-{_VARIANT[r[i + 3]]}{r[i + 4 : i + 7]}-{r[i + 7 : i + 19]}"
        for i in range(0, 20 * n, 20)
    ]
