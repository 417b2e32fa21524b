"""Oversized requests and text fields are refused with a Dutch message and the limits of
monitor.toml ([dashboard] max_request_kb, max_text_chars, max_action_chars); nothing is saved.
A flood of login attempts from one address is throttled ([login] throttle)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.context import app_state
from tests.faults import tiny
from tests.test_dashboard_auth import login, make_app


def _app(tmp_path: Path):
    settings = tiny.settings(tmp_path, **{"max_request_kb = 1024": "max_request_kb = 2",
                                          "max_text_chars = 4000": "max_text_chars = 20",
                                          "max_action_chars = 500": "max_action_chars = 12"})
    app = create_app(settings, viewer=lambda _request: tiny.ANALYST)
    return app, app.server.test_client(), app_state(app.server).notes.store


def test_a_request_over_the_size_limit_is_refused_in_dutch(tmp_path: Path) -> None:
    _, client, store = _app(tmp_path)
    response = client.post("/_dash-update-component", data="x" * 2049,
                           content_type="application/json")
    assert response.status_code == 413
    assert response.text == ("Het verzoek is te groot (meer dan 2 kB) en is geweigerd; er is "
                             "niets opgeslagen. Maak de tekst korter.")
    assert store.meetings() == []


def test_an_answer_over_the_limit_is_refused_and_nothing_is_saved(tmp_path: Path) -> None:
    app, client, store = _app(tmp_path)
    meeting = tiny.meeting(app)
    reply = tiny.save_answers(client, f"{meeting}|vsv", ["Past", "Dit antwoord is te lang!",
                                                         "", ""])
    assert tiny.message(reply, "antwoorden-melding") == (
        "Antwoord 2 is te lang: 24 tekens, maximaal 20. Er is niets opgeslagen; maak de tekst "
        "korter.")
    assert store.answers(meeting) == {}  # not even the answer that fitted
    reply = tiny.save_answers(client, f"{meeting}|vsv", ["Past", "Past ook", "", ""])
    assert tiny.message(reply, "antwoorden-melding") == "Antwoorden opgeslagen."
    assert store.answers(meeting)[("vsv", 2)]["text"] == "Past ook"


def test_an_action_over_the_limit_is_refused(tmp_path: Path) -> None:
    app, client, store = _app(tmp_path)
    meeting = tiny.meeting(app)
    reply = tiny.add_action(client, f"{meeting}|vsv", "Veel te lange actie")
    assert tiny.message(reply, "actie-melding") == (
        "De actie is te lang: 19 tekens, maximaal 12. Er is niets opgeslagen; maak de tekst "
        "korter.")
    assert store.actions() == []


@pytest.mark.usefixtures("quick_password_hashing")
def test_a_flood_of_login_attempts_from_one_address_is_throttled(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, throttle='"5 per minute"', max_failures="100")
    client = app.server.test_client()
    answers = [login(client, password="fout").status_code for _ in range(5)]
    assert answers == [401] * 5
    flooded = login(client)  # even the right password: the address is throttled
    assert flooded.status_code == 429
    assert "Te veel inlogpogingen vanaf dit adres" in flooded.text
    assert login(client, address="10.0.0.2").status_code == 302  # other addresses go on
