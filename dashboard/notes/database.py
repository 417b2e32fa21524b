"""Open the notes database (SQLite in WAL mode, or PostgreSQL) and bring its schema up to date.

`[notes] database_url` in monitor.toml chooses PostgreSQL (several dashboard servers); empty
means the SQLite file at `[paths] notes`. Every process that opens the database first applies
the Alembic migrations, one process at a time (a file lock for SQLite, an advisory lock for
PostgreSQL), so gunicorn workers starting together never race on a schema change.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event, text

from dashboard.file_lock import exclusive
from settings import Notes, Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "head"
LOCK_ID = 72_120_612  # PostgreSQL advisory lock: "notes schema change in progress"


def database_url(settings: Settings) -> str:
    """The notes database of these settings ([notes] database_url, else [paths] notes)."""
    url = settings.notes.database_url.strip()
    return url or f"sqlite:///{settings.paths.notes}"


def _sqlite_engine(url: str, busy_timeout_s: float) -> Engine:
    path = Path(url.removeprefix("sqlite:///"))
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout_s})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below decide
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # Take the write lock at the start: a read-then-write transaction never fails halfway.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    return engine


def create(url: str, busy_timeout_s: float = Notes.busy_timeout_s) -> Engine:
    """An engine for `url`; SQLite files get WAL, a busy timeout and immediate transactions.

    PostgreSQL waits at most `busy_timeout_s` for a row lock or a connection.
    """
    if url.startswith("sqlite"):
        return _sqlite_engine(url, busy_timeout_s)
    milliseconds = int(busy_timeout_s * 1000)
    return create_engine(url, pool_pre_ping=True, connect_args={
        "connect_timeout": max(1, int(busy_timeout_s)),
        "options": f"-c lock_timeout={milliseconds}"})


@contextmanager
def _schema_lock(engine: Engine):
    if engine.dialect.name == "sqlite":
        with exclusive(Path(str(engine.url.database))):
            yield
    else:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": LOCK_ID})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LOCK_ID})
                connection.commit()


def migrate(engine: Engine, revision: str = HEAD) -> None:
    """Apply the shipped migrations up to `revision` (tests use older ones)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _schema_lock(engine), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def open_engine(settings: Settings) -> Engine:
    """The migrated notes database of these settings, with its busy timeout."""
    engine = create(database_url(settings), settings.notes.busy_timeout_s)
    migrate(engine)
    return engine
