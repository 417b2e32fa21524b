"""The time sessions, login counters and account waits are measured in: one function, so a test
moves time forward instead of sleeping."""

from __future__ import annotations

import time


def now() -> float:
    """Seconds since the epoch."""
    return time.time()
