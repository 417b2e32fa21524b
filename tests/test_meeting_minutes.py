"""One set of minutes: everyone at the table sees the same toelichtingen on the meeting page
and in their pack (within what their role may see of the agenda's areas); each party scores
only itself, whatever a request claims."""

from __future__ import annotations

import json

import duckdb
import pytest

from dashboard.app import create_app
from dashboard.context import Viewer, app_state
from dashboard.notes import figures
from privacy.scope import Scope
from tests.conftest import SampleRun
from tests.test_dashboard_server import _post, _render

INDICATOR = "jeugdhulp_leerlingen"
BOARD_NOTE = "Het bestuur: meer hulp door de nieuwe zorgco\u00f6rdinator"
TOWN_NOTE = "Gemeente: de wijkteams verwijzen sinds maart sneller"


def _app(sample_run: SampleRun, viewer: Viewer):
    return create_app(sample_run.settings, viewer=lambda _request: viewer).server


@pytest.fixture(scope="module")
def meeting(sample_run: SampleRun) -> tuple[int, dict[str, Viewer]]:
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        # Two boards with a figure in the newest schooljaar (the one a meeting shows).
        (board, name), (other, other_name) = con.sql(f"""
            SELECT bevoegd_gezag, any_value(bevoegd_gezag_naam) FROM schools
            WHERE bevoegd_gezag IN (SELECT area_code FROM indicator_values WHERE level =
              'bestuur' AND indicator_id = '{INDICATOR}' AND period = (SELECT max(period)
              FROM indicator_values))
            GROUP BY 1 ORDER BY count(*) DESC LIMIT 2""").fetchall()
        (town,), = con.sql("SELECT area_code FROM areas WHERE level = 'gemeente'").fetchall()
    viewers = {"analist": Viewer("analist", "Analist", "Gemeente", Scope("analist")),
               "oogo": Viewer("oogo", "OOGO", "Samenwerkingsverband", Scope("oogo")),
               "bestuur": Viewer("b1", name, name, Scope("bestuur", board)),
               "ander bestuur": Viewer("b2", other_name, other_name, Scope("bestuur", other))}
    server = _app(sample_run, viewers["analist"])
    store, data = app_state(server).notes.store, app_state(server).published
    with server.app_context():  # the notes store also writes the audit log
        areas = [f"bestuur|{board}"]
        frozen = figures.freeze(data, [INDICATOR], areas)
        meeting_id = store.create_meeting("2026-11-02", "OOGO", ["Gemeente", name, "jeugdhulp"],
                                          [INDICATOR], areas, data.run_id, frozen, "analist")
        period = frozen["period"].max()
        store.save_toelichting(INDICATOR, "bestuur", board, period, name, BOARD_NOTE, "b1")
        store.save_toelichting(INDICATOR, "gemeente", town, period, "Gemeente", TOWN_NOTE,
                               "analist")
    return meeting_id, viewers


@pytest.mark.parametrize("role", ["analist", "oogo", "bestuur"])
def test_everyone_at_the_table_reads_the_same_toelichtingen(sample_run: SampleRun, meeting,
                                                            role: str) -> None:
    meeting_id, viewers = meeting
    client = _app(sample_run, viewers[role]).test_client()
    page = json.dumps(json.loads(_render(client, "/overleg", f"?id={meeting_id}")),
                      ensure_ascii=False)  # the page as text, not JSON escapes
    pack = client.get(f"/overleg/{meeting_id}/pakket.html").get_data(as_text=True)
    for text in (BOARD_NOTE, TOWN_NOTE):
        assert text in page, (role, text)
        assert text in pack, (role, text)
    assert viewers[role].scope.label in pack  # the pack says whose scope it was made for


def test_another_board_sees_neither_the_board_nor_its_name_beside_an_alias(
        sample_run: SampleRun, meeting) -> None:
    meeting_id, viewers = meeting
    client = _app(sample_run, viewers["ander bestuur"]).test_client()
    page = _render(client, "/overleg", f"?id={meeting_id}")
    pack = client.get(f"/overleg/{meeting_id}/pakket.html").get_data(as_text=True)
    for text in (page, pack):
        assert TOWN_NOTE in text and BOARD_NOTE not in text
        assert "Bestuur A" not in text and "Bestuur B" not in text  # no alias on the agenda


def test_a_party_scores_only_itself_whatever_the_request_says(sample_run: SampleRun,
                                                              meeting) -> None:
    meeting_id, viewers = meeting
    server = _app(sample_run, viewers["analist"])
    client = server.test_client()
    states = [{"id": "samenwerking-overleg", "property": "data", "value": meeting_id},
              {"id": "samenwerking-partij", "property": "data", "value": "jeugdhulp"},
              {"id": "samenwerking-tonen", "property": "value", "value": []},
              *[{"id": f"blok-{n}-score", "property": "value", "value": 4} for n in range(1, 8)],
              *[{"id": f"blok-{n}-notitie", "property": "value", "value": ""}
                for n in range(1, 8)]]
    clicks = [{"id": "samenwerking-opslaan", "property": "n_clicks", "value": 1}]
    forged = _post(client, "samenwerking-melding.children", clicks, states)
    assert "alleen de scores van uw eigen organisatie" in forged
    states[1]["value"] = "Gemeente"
    assert "7 score(s) van Gemeente opgeslagen" in _post(
        client, "samenwerking-melding.children", clicks, states)
    with server.app_context():
        scores = app_state(server).notes.store.scores()
    assert set(scores.loc[scores["meeting_id"] == meeting_id, "party"]) == {"Gemeente"}
