"""The notes database locked or unavailable: a write is refused with a Dutch message, never
silently dropped, and nothing already saved is lost (SQLite in WAL mode and PostgreSQL)."""

from __future__ import annotations

import socket
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard.app import create_app
from dashboard.context import app_state
from dashboard.notes import database
from dashboard.notes.store import NotesStore, NotesUnavailable
from tests.faults import tiny

BUSY = ("De notitiedatabase is nu niet bereikbaar of bezet (bezet door een andere schrijver). "
        "Er is niets opgeslagen; wat al was opgeslagen blijft bewaard. Uw tekst staat nog in "
        "het invulveld: probeer het over een minuut opnieuw.")
GONE = BUSY.replace("bezet door een andere schrijver", "geen verbinding")


@contextmanager
def write_lock(path: Path):
    """Another process holding the SQLite write lock (as a long transaction would)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def _store(url: str) -> NotesStore:
    engine = database.create(url, busy_timeout_s=0.3)
    database.migrate(engine)
    return NotesStore(engine)


def _explain(store: NotesStore, words: str) -> int:
    return store.save_toelichting("vsv", "gemeente", "GM0034", "2024-2025", "gemeente", words,
                                  "anna")


def test_a_locked_sqlite_database_refuses_the_write_and_keeps_what_was_saved(
        tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    store = _store(f"sqlite:///{path}")
    _explain(store, "Eerste toelichting")
    with write_lock(path), pytest.raises(NotesUnavailable) as refused:
        _explain(store, "Tweede versie")
    assert str(refused.value) == BUSY
    (kept,) = store.toelichtingen()
    assert kept["text"] == "Eerste toelichting"
    assert [h["new"] for h in store.history("toelichting", kept["id"])] == ["Eerste toelichting"]
    _explain(store, "Tweede versie")  # once the lock is gone, the same write succeeds
    assert [r["text"] for r in store.toelichtingen()] == ["Tweede versie"]


def test_an_unreachable_postgresql_server_refuses_with_a_message() -> None:
    with socket.socket() as sock:  # a port where nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = NotesStore(database.create(f"postgresql+psycopg://monitor@127.0.0.1:{port}/notes",
                                       busy_timeout_s=1))
    with pytest.raises(NotesUnavailable) as refused:
        _explain(store, "Gaat niet")
    assert str(refused.value) == GONE
    with pytest.raises(NotesUnavailable):
        store.toelichtingen()


def test_a_locked_postgresql_row_refuses_the_write_and_keeps_what_was_saved(
        postgres_url: str) -> None:
    store = _store(postgres_url)
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM history"))
        connection.execute(text("DELETE FROM toelichtingen"))
    note = _explain(store, "Eerste toelichting")
    with store.engine.connect() as other:
        other.execute(text("SELECT * FROM toelichtingen WHERE id = :id FOR UPDATE"),
                      {"id": note})
        with pytest.raises(NotesUnavailable) as refused:
            _explain(store, "Tweede versie")
        other.rollback()
    assert str(refused.value) == BUSY
    assert [r["text"] for r in store.toelichtingen()] == ["Eerste toelichting"]
    _explain(store, "Tweede versie")
    assert [r["text"] for r in store.toelichtingen()] == ["Tweede versie"]


def test_the_meeting_page_shows_the_refusal_and_keeps_the_typed_answer(
        tmp_path: Path) -> None:
    settings = tiny.settings(tmp_path, **{"busy_timeout_s = 60": "busy_timeout_s = 0.3"})
    app = create_app(settings, viewer=lambda _request: tiny.ANALYST)
    client, store = app.server.test_client(), app_state(app.server).notes.store
    meeting = tiny.meeting(app)
    saved = tiny.save_answers(client, f"{meeting}|vsv", ["Herkenbaar", "", "", ""])
    assert tiny.message(saved, "antwoorden-melding") == "Antwoorden opgeslagen."
    with write_lock(settings.paths.notes):
        refused = tiny.save_answers(client, f"{meeting}|vsv", ["Nieuw antwoord", "", "", ""])
    # Nothing on the page changes (the answer stays in its box); the alert says why.
    assert refused.get("response", {}) == {}
    assert refused["sideUpdate"] == {"foutmelding": {"children": BUSY}}
    assert store.answers(meeting)[("vsv", 1)]["text"] == "Herkenbaar"
