"""Preparing a meeting: the date comes from a native date field (ISO) and the server checks it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from dashboard.context import app_state
from privacy.scope import Scope
from settings import Settings
from tests.conftest import SampleRun
from tests.test_notes_server import _app, _call

# the Dutch message the form shows (dashboard/pages/act.py)
DATE_REFUSED = "De datum van het overleg ontbreekt of is geen bestaande datum"


@pytest.fixture
def own_notes(sample_run: SampleRun, tmp_path: Path) -> Settings:
    paths = dataclasses.replace(sample_run.settings.paths, notes=tmp_path / "notes.sqlite")
    return dataclasses.replace(sample_run.settings, paths=paths)


def _create(client, day: str) -> str:
    reply = _call(client, [("overleg-gemaakt", "children")],
                  [{"id": "overleg-aanmaken", "property": "n_clicks", "value": 1}],
                  [{"id": i, "property": "value", "value": v} for i, v in (
                      ("overleg-datum", day), ("overleg-soort", "OOGO"),
                      ("overleg-partijen", []), ("overleg-indicatoren", ["vsv"]),
                      ("overleg-gebieden", []))])
    return json.dumps(reply, ensure_ascii=False)


def test_the_meeting_date_is_checked_on_the_server(own_notes: Settings) -> None:
    app = _app(own_notes, Scope("analist"))
    client, store = app.server.test_client(), app_state(app.server).notes.store
    # a forged or hand-edited request: no date, a day that does not exist, a non-ISO text
    for day in ("", "2026-02-30", "10-3-2026", "morgen"):
        assert DATE_REFUSED in _create(client, day), day
    assert store.meetings() == []
    assert "Overleg aangemaakt: open het overleg van 1 april 2026" in _create(client,
                                                                               "2026-04-01")
    assert [m["held_on"] for m in store.meetings()] == ["2026-04-01"]
