"""Login counters every gunicorn worker shares: a `limits` storage in one SQLite file.

Flask-Limiter's `memory://` store counts per worker, so with two workers every limit doubled.
This store keeps the counters in SQLite (one file in the cache folder, WAL mode) and does each
check-and-count in one `BEGIN IMMEDIATE` transaction, so the limits are exact for all workers
of one server. Several servers share Redis instead (`limiter_storage = "redis://..."`).
The URI is `sqlite:///absolute/path/tellers.sqlite`.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

from limits.storage import MovingWindowSupport, Storage

from dashboard import clock
from dashboard.file_lock import exclusive

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tellers (sleutel TEXT PRIMARY KEY, waarde INTEGER NOT NULL,
                                    verloopt REAL NOT NULL);
CREATE TABLE IF NOT EXISTS pogingen (sleutel TEXT NOT NULL, tijd REAL NOT NULL);
CREATE INDEX IF NOT EXISTS pogingen_sleutel ON pogingen (sleutel, tijd);
"""


class SQLiteStorage(Storage, MovingWindowSupport):
    """Fixed counters (incr/get) and moving windows, exact across processes."""

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **_options: float | str | bool) -> None:
        super().__init__(uri, wrap_exceptions)
        self.path = Path((uri or "").removeprefix("sqlite://"))
        if not self.path.is_absolute():
            raise ValueError(f"limiter_storage {uri!r}: gebruik sqlite:///absoluut/pad.sqlite")
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Workers boot together: one at a time turns a new file to WAL (file_lock explains).
        with exclusive(self.path), closing(sqlite3.connect(self.path, timeout=30)) as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(_SCHEMA)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    @contextmanager
    def _transaction(self):
        # A connection per operation: gunicorn forks its workers after the app is built, and a
        # SQLite connection must not cross a fork. BEGIN IMMEDIATE serialises the writers.
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @staticmethod
    def _live(con: sqlite3.Connection, key: str, now: float) -> tuple[int, float] | None:
        row = con.execute("SELECT waarde, verloopt FROM tellers WHERE sleutel = ?",
                          (key,)).fetchone()
        return row if row and row[1] > now else None

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = clock.now()
        with self._transaction() as con:
            # Expired counters go (unknown user names would otherwise pile up).
            con.execute("DELETE FROM tellers WHERE verloopt <= ?", (now,))
            live = self._live(con, key, now)
            value, expires = (live[0] + amount, live[1]) if live else (amount, now + expiry)
            con.execute("INSERT OR REPLACE INTO tellers VALUES (?, ?, ?)", (key, value, expires))
        return value

    def get(self, key: str) -> int:
        with self._transaction() as con:
            live = self._live(con, key, clock.now())
        return live[0] if live else 0

    def get_expiry(self, key: str) -> float:
        now = clock.now()
        with self._transaction() as con:
            live = self._live(con, key, now)
        return live[1] if live else now

    def check(self) -> bool:
        try:
            with self._transaction() as con:
                con.execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._transaction() as con:
            removed = con.execute("DELETE FROM tellers").rowcount
            removed += con.execute("DELETE FROM pogingen").rowcount
        return removed

    def clear(self, key: str) -> None:
        with self._transaction() as con:
            con.execute("DELETE FROM tellers WHERE sleutel = ?", (key,))
            con.execute("DELETE FROM pogingen WHERE sleutel = ?", (key,))

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        now = clock.now()
        with self._transaction() as con:
            con.execute("DELETE FROM pogingen WHERE sleutel = ? AND tijd <= ?",
                        (key, now - expiry))
            (count,) = con.execute("SELECT count(*) FROM pogingen WHERE sleutel = ?",
                                   (key,)).fetchone()
            if count + amount > limit:
                return False
            con.executemany("INSERT INTO pogingen VALUES (?, ?)", [(key, now)] * amount)
        return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = clock.now()
        with self._transaction() as con:
            oldest, count = con.execute(
                "SELECT min(tijd), count(*) FROM pogingen WHERE sleutel = ? AND tijd > ?",
                (key, now - expiry)).fetchone()
        return (oldest if count else now), count
