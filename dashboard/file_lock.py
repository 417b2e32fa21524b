"""One process at a time: an exclusive lock on a file beside what it guards (fcntl.flock).

SQLite's busy timeout does not cover every lock: switching a new file to WAL while another
process does the same fails at once with "database is locked". Gunicorn boots its workers
together, so each one sets up a shared SQLite file under this lock.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def exclusive(guarded: Path) -> Iterator[None]:
    """Hold `<guarded>.lock` for the block, waiting while another process holds it."""
    with Path(f"{guarded}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
