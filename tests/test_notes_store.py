"""The notes database: history of every change, migrations, concurrent writers, backup."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard.notes import __main__ as notes_command
from dashboard.notes import database, transfer
from dashboard.notes.store import FROZEN_COLUMNS, NotesStore
from settings import PROJECT_ROOT

WRITERS, EACH = 4, 12


def _figures() -> pd.DataFrame:
    return pd.DataFrame([
        {"indicator_id": "vsv", "level": "gemeente", "area_code": "GM0034",
         "area_name": "Almere", "period": "2024-2025", "value": 2.5, "ci_low": 2.2,
         "ci_high": 2.8, "suppressed": False, "suppression_reason": None,
         "target_status": "achter", "trajectory_value": 2.1},
        {"indicator_id": "vsv", "level": "wijk", "area_code": "WK003401",
         "area_name": "Stad", "period": "2024-2025", "value": None, "ci_low": None,
         "ci_high": None, "suppressed": True, "suppression_reason": "klein_aantal",
         "target_status": None, "trajectory_value": None}])[list(FROZEN_COLUMNS)]


def _store(url: str) -> NotesStore:
    engine = database.create(url)
    database.migrate(engine)
    return NotesStore(engine)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'notes' / 'notes.sqlite'}"


def _meeting(store: NotesStore) -> int:
    return store.create_meeting("2026-03-01", "OOGO", ["gemeente", "jeugdhulp"], ["vsv"],
                                ["wijk|WK003401"], "run-1", _figures(), "analist")


def test_every_change_is_kept_with_who_when_old_and_new(sqlite_url: str) -> None:
    store = _store(sqlite_url)
    meeting = _meeting(store)
    first = store.save_answer(meeting, "vsv", 1, "deels", "Herkenbaar voor het vo.", "anna")
    again = store.save_answer(meeting, "vsv", 1, "ja", "Herkenbaar voor het vo.", "bert")
    assert first == again
    changes = store.history("answer", first)
    assert [(c["field"], c["old"], c["new"], c["changed_by"]) for c in changes] == [
        ("choice", None, "deels", "anna"), ("text", None, "Herkenbaar voor het vo.", "anna"),
        ("choice", "deels", "ja", "bert")]
    assert all(c["changed_at"] for c in changes)
    assert store.answers(meeting)[("vsv", 1)]["choice"] == "ja"


def test_a_meeting_keeps_its_own_copy_of_the_figures(sqlite_url: str) -> None:
    store = _store(sqlite_url)
    frozen = store.frozen(_meeting(store))
    assert frozen.sort_values("level").reset_index(drop=True).equals(
        _figures().astype(frozen.dtypes.to_dict()).sort_values("level")
        .reset_index(drop=True))


def test_open_actions_come_back_and_overdue_ones_are_found(sqlite_url: str) -> None:
    store = _store(sqlite_url)
    first = store.meeting(_meeting(store))
    done = store.add_action(first["id"], "vsv", "Afgerond", "gemeente", "2026-04-01", "a")
    store.set_action_status(done, "afgerond", "a")
    store.add_action(first["id"], "vsv", "Nog open", "jeugdhulp", "2026-04-01", "a")
    second = store.meeting(_meeting(store))
    assert [a["description"] for a in store.open_actions_before(second)] == ["Nog open"]
    assert store.open_actions_before(first) == []
    assert [a["description"] for a in store.overdue_actions("2026-05-01")] == ["Nog open"]
    assert store.overdue_actions("2026-03-15") == []


def test_an_adopted_meeting_keeps_its_minutes_and_later_edits_are_history(
        sqlite_url: str) -> None:
    store = _store(sqlite_url)
    meeting = _meeting(store)
    store.save_answer(meeting, "vsv", 3, None, "Zorgelijk.", "anna")
    action = store.add_action(meeting, "vsv", "Gesprek met scholen", "gemeente", "2026-04-01",
                              "anna")
    store.adopt_meeting(meeting, "bert")
    store.save_answer(meeting, "vsv", 3, None, "Zorgelijk, vooral in het vo.", "anna")
    adopted = store.meeting(meeting)
    assert adopted["adopted_by"] == "bert" and adopted["adopted_at"]
    assert adopted["minutes"]["answers"]["vsv|3"]["text"] == "Zorgelijk."  # fixed
    assert adopted["minutes"]["actions"][str(action)]["description"] == "Gesprek met scholen"
    assert store.answers(meeting)[("vsv", 3)]["text"] == "Zorgelijk, vooral in het vo."
    store.adopt_meeting(meeting, "carla")  # adopting twice changes nothing
    assert store.meeting(meeting)["adopted_by"] == "bert"


def test_an_action_is_edited_and_withdrawn_with_history(sqlite_url: str) -> None:
    store = _store(sqlite_url)
    meeting = _meeting(store)
    action = store.add_action(meeting, "vsv", "Eerste tekst", "gemeente", "2026-04-01", "anna")
    assert store.action(action)["created_by"] == "anna"
    store.update_action(action, "anna", description="Betere tekst", due_on="2026-05-01")
    store.update_action(action, "anna", withdrawn=True)
    assert store.actions(meeting) == []  # withdrawn: gone from lists, packs and carry-over
    (kept,) = store.actions(meeting, withdrawn=True)
    assert (kept["description"], kept["due_on"]) == ("Betere tekst", "2026-05-01")
    fields = [(c["field"], c["old"], c["new"]) for c in store.history("action", action)]
    assert ("description", "Eerste tekst", "Betere tekst") in fields
    assert ("withdrawn", "False", "True") in fields
    second = store.meeting(_meeting(store))
    assert store.open_actions_before(second) == []


def test_a_database_of_the_previous_schema_upgrades_without_loss(sqlite_url: str) -> None:
    engine = database.create(sqlite_url)
    database.migrate(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO meetings (held_on, kind, parties, indicators, areas, run_id, "
            "created_by, created_at) VALUES ('2025-10-01', 'OOGO', '[\"gemeente\"]', "
            "'[\"vsv\"]', '[]', 'oud', 'a', '2025-10-01T10:00:00+00:00')"))
        connection.execute(text(
            "INSERT INTO answers (meeting_id, indicator_id, question, choice, text, "
            "updated_by, updated_at) VALUES (1, 'vsv', 1, 'nee', 'Oud antwoord', 'a', 'x')"))
        connection.execute(text(
            "INSERT INTO actions (meeting_id, indicator_id, description, owner, due_on, "
            "status, updated_by, updated_at) VALUES (1, 'vsv', 'Oude actie', 'gemeente', "
            "'2025-12-01', 'bezig', 'a', 'x')"))
    assert database.revision_of(engine) == "0001"
    database.migrate(engine)
    assert database.revision_of(engine) == "0003"
    store = NotesStore(engine)
    assert store.meeting(1)["indicators"] == ["vsv"]
    assert store.answers(1)[("vsv", 1)]["text"] == "Oud antwoord"
    (action,) = store.actions(1)
    assert (action["description"], action["status"], action["level"], action["withdrawn"]) == \
        ("Oude actie", "bezig", "gemeente", False)
    assert store.meeting(1)["adopted_at"] is None
    store.save_score(1, "gemeente", 3, 4, "", True, "a")
    assert store.scores()["score"].tolist() == [4]


def _write_many(url: str, meeting: int, writer: int) -> None:
    store = NotesStore(database.create(url))
    for index in range(EACH):
        store.save_answer(meeting, f"ind-{writer}-{index}", 1 + index % 4, None,
                          f"antwoord {writer}-{index}", f"w{writer}")
        store.add_action(meeting, "vsv", f"actie {writer}-{index}", "gemeente", "2026-06-01",
                         f"w{writer}")
        store.save_answer(meeting, "vsv", 3, None, f"gedeeld {writer}-{index}", f"w{writer}")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def test_concurrent_writers_lose_nothing(backend: str, sqlite_url: str,
                                         request: pytest.FixtureRequest) -> None:
    url = sqlite_url if backend == "sqlite" else request.getfixturevalue("postgres_url")
    store = _store(url)
    if backend == "postgresql":
        with store.engine.begin() as connection:
            connection.execute(text("TRUNCATE meetings, frozen_figures, answers, toelichtingen,"
                                    " actions, history, collaboration_scores RESTART IDENTITY"))
    meeting = _meeting(store)
    # Forked, as gunicorn forks its workers: each child opens its own engine (no re-import).
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_many, args=(url, meeting, w))
               for w in range(WRITERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(180)
    assert [w.exitcode for w in workers] == [0] * WRITERS
    answers = store.answers(meeting)
    assert len(answers) == WRITERS * EACH + 1
    assert {a["text"] for key, a in answers.items() if key[0] != "vsv"} == \
        {f"antwoord {w}-{i}" for w in range(WRITERS) for i in range(EACH)}
    assert len(store.actions(meeting)) == WRITERS * EACH
    shared = store.history("answer", answers[("vsv", 3)]["id"])
    assert len(shared) == WRITERS * EACH


def test_export_and_import_restore_everything(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    settings = (PROJECT_ROOT / "monitor.toml").read_text(encoding="utf-8")
    paths = {}
    for name in ("oud", "nieuw"):
        path = tmp_path / f"{name}.toml"
        path.write_text(settings.replace('"data/', f'"{tmp_path / name}/data/'),
                        encoding="utf-8")
        paths[name] = path
    store = _store(f"sqlite:///{tmp_path / 'oud' / 'data/notes/notes.sqlite'}")
    meeting = _meeting(store)
    store.save_answer(meeting, "vsv", 4, None, "Meer begeleiding; \"quote\"\nregel 2", "a")
    store.add_action(meeting, "vsv", "Plan maken", "gemeente", "2026-06-01", "a")
    store.save_toelichting("vsv", "wijk", "WK003401", "2024-2025", "jeugdhulp", "Nieuw team",
                           "b")
    store.save_score(meeting, "jeugdhulp", 5, 2, "moeizaam", False, "a")

    def cli(*args: str) -> tuple[int, str]:
        """The command as an analyst types it (`python -m dashboard.notes …`), in this process."""
        code = notes_command.main(list(args))
        return code, capsys.readouterr().err
    backup = str(tmp_path / "backup")
    code, errors = cli("--settings", str(paths["oud"]), "export", "--out", backup)
    assert code == 0, errors
    assert (tmp_path / "backup" / "answers.csv").read_text(encoding="utf-8").count("quote")
    code, errors = cli("--settings", str(paths["nieuw"]), "import", "--in", backup)
    assert code == 0, errors
    code, errors = cli("--settings", str(paths["nieuw"]), "import", "--in", backup)
    assert code == 1 and "niet leeg" in errors
    copy = _store(f"sqlite:///{tmp_path / 'nieuw' / 'data/notes/notes.sqlite'}")
    for table in transfer.TABLES:
        with store.engine.connect() as a, copy.engine.connect() as b:
            query = text(f"SELECT * FROM {table.name} ORDER BY id")
            assert [tuple(r) for r in a.execute(query)] == [tuple(r) for r in b.execute(query)]
    document = json.loads((tmp_path / "backup" / "notes.json").read_text(encoding="utf-8"))
    assert document["schema"] == "0003"
    assert copy.add_action(meeting, "vsv", "Na herstel", "gemeente", "2026-07-01", "a") == 2
