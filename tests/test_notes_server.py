"""Notes on the server: who may write and read, forged requests, and the meeting pack (PDF)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path

import duckdb
import pytest

from dashboard.app import create_app
from dashboard.context import Viewer, app_state
from dashboard.notes import figures
from privacy.scope import Scope
from settings import Settings
from tests.conftest import SampleRun
from tests.test_dashboard_server import _render

PERIOD = "2024-2025"
SENTINEL = 87.654321  # a value that must never be shown: it sits in a suppressed cell


@pytest.fixture
def settings(sample_run: SampleRun, tmp_path: Path) -> Settings:
    """The sample run's published data with a notes database of this test's own."""
    paths = dataclasses.replace(sample_run.settings.paths, notes=tmp_path / "notes.sqlite")
    return dataclasses.replace(sample_run.settings, paths=paths)


@pytest.fixture(scope="module")
def schools(sample_run: SampleRun) -> dict[str, tuple[str, str, str]]:
    """'own' and 'other': (board, school code, school name) of two different boards."""
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        rows = con.sql("SELECT bevoegd_gezag, vestigingscode, naam FROM schools "
                       "WHERE school_soort = 'BAO' ORDER BY bevoegd_gezag, naam").fetchall()
    own = rows[0]
    return {"own": own, "other": next(r for r in rows if r[0] != own[0])}


def _app(settings: Settings, scope: Scope, organisation: str = "gemeente"):
    viewer = Viewer("tester", "Tester", organisation, scope)
    return create_app(settings, viewer=lambda _request: viewer)


def _call(client, outputs: list[tuple[dict | str, str]], inputs: list[dict],
          state: list[dict]) -> dict:
    """A callback request exactly as a browser would send it (and as anyone could forge)."""
    specs = [{"id": ident, "property": prop} for ident, prop in outputs]

    def name(ident, wildcard: bool = False):
        if not isinstance(ident, dict):
            return ident
        return json.dumps({**ident, "key": ["MATCH"]} if wildcard else ident, sort_keys=True,
                          separators=(",", ":"))
    output = "...".join(f"{name(i, True)}.{p}" for i, p in outputs)
    body = {"output": f"..{output}.." if len(specs) > 1 else output,
            "outputs": specs if len(specs) > 1 else specs[0], "inputs": inputs,
            "changedPropIds": [f"{name(inputs[0]['id'])}.{inputs[0]['property']}"],
            "state": state}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data[:500]
    return json.loads(response.data)["response"]


def _explain(client, key: str, text: str) -> str:
    def ident(kind):
        return {"key": key, "type": kind}
    reply = _call(client, [(ident("toelichting-lijst"), "children"),
                           (ident("toelichting-melding"), "children")],
                  [{"id": ident("toelichting-opslaan"), "property": "n_clicks", "value": 1}],
                  [{"id": ident("toelichting-opslaan"), "property": "id",
                    "value": ident("toelichting-opslaan")},
                   {"id": ident("toelichting-tekst"), "property": "value", "value": text}])
    return json.dumps(reply)


def _meeting(app, indicators=("vsv", "thuiszitters"), poison: bool = False) -> int:
    """A meeting on the gemeente; with `poison` also on a wijk whose figure is suppressed."""
    data, store = app_state(app.server).published, app_state(app.server).notes.store
    areas = []
    if poison:
        wijken = data.values(Scope("analist"), indicators[0], "wijk")
        hidden = wijken[wijken["suppressed"].astype(bool)].iloc[0]
        areas = [f"wijk|{hidden['area_code']}"]
    frozen = figures.freeze(data, list(indicators), areas)
    if poison:  # as if a suppressed cell had kept its value: the pack must still hide it
        row = frozen.index[(frozen["area_code"] == hidden["area_code"])
                           & (frozen["indicator_id"] == indicators[0])
                           & frozen["suppressed"].astype(bool)]
        frozen.loc[row, ["value", "area_name"]] = [SENTINEL, "Verborgen gebied"]
    with app.server.app_context():  # the audit log records the new meeting
        return store.create_meeting("2026-03-10", "OOGO", ["gemeente", "jeugdhulp"],
                                    list(indicators), areas, data.run_id, frozen, "analist")


def test_a_board_writes_toelichtingen_only_on_its_own_schools(settings: Settings,
                                                               schools) -> None:
    board, mine, _ = schools["own"]
    _, theirs, _ = schools["other"]
    app = _app(settings, Scope("bestuur", board), organisation="Stichting Eigen")
    client, store = app.server.test_client(), app_state(app.server).notes.store
    forged = _explain(client, f"vsv|school|{theirs}|{PERIOD}", "Vervalst")
    assert "geen toelichting" in forged
    assert store.toelichtingen() == []
    _explain(client, f"vsv|school|{mine}|{PERIOD}", "Onze nieuwe zorgcoördinator")
    (note,) = store.toelichtingen()
    assert (note["organisation"], note["area_code"], note["text"]) == \
        ("Stichting Eigen", mine, "Onze nieuwe zorgcoördinator")
    assert "Stichting Eigen" in _render(client, "/school", f"?vestigingscode={mine}"
                                                           f"&indicator=vsv&schooljaar={PERIOD}")


def test_another_scope_cannot_read_a_schools_toelichting(settings: Settings, schools) -> None:
    _, theirs, their_name = schools["other"]
    board = schools["own"][0]
    analyst = _app(settings, Scope("analist"))
    _explain(analyst.server.test_client(), f"vsv|school|{theirs}|{PERIOD}",
             "Geheim-over-deze-school")
    assert app_state(analyst.server).notes.store.toelichtingen()
    for scope in (Scope("bestuur", board), Scope("oogo")):
        client = _app(settings, scope).server.test_client()
        for path, search in (("/check", f"?indicator=vsv&niveau=school&schooljaar={PERIOD}"),
                             ("/school", f"?vestigingscode={theirs}&indicator=vsv")):
            page = _render(client, path, search)
            assert "Geheim-over-deze-school" not in page and their_name not in page
    shown = _render(analyst.server.test_client(), "/check",
                    f"?indicator=vsv&niveau=school&schooljaar={PERIOD}")
    assert "Geheim-over-deze-school" in shown


def test_the_pack_holds_only_what_the_requesting_scope_may_see(settings: Settings,
                                                                schools) -> None:
    own_board, other_board = schools["own"][0], schools["other"][0]
    analyst = _app(settings, Scope("analist"))
    data, store = app_state(analyst.server).published, app_state(analyst.server).notes.store
    areas = [f"bestuur|{own_board}", f"bestuur|{other_board}"]
    chosen = ["jeugdhulp_leerlingen"]  # primary schools' boards have figures for it
    with analyst.server.app_context():  # the audit log records each note change
        meeting = store.create_meeting("2026-03-10", "LEA", ["gemeente"], chosen, areas,
                                       data.run_id, figures.freeze(data, chosen, areas),
                                       "analist")
        period = store.frozen(meeting)["period"].max()
        for board, text in ((own_board, "Eigen-bestuur-uitleg"),
                            (other_board, "Ander-bestuur")):
            store.save_toelichting(chosen[0], "bestuur", board, period, "gemeente", text, "a")
    boards = data.areas(Scope("analist"), "bestuur").set_index("area_code")["area_name"]
    full = analyst.server.test_client().get(f"/overleg/{meeting}/pakket.html").get_data(True)
    assert boards[other_board] in full and "Ander-bestuur" in full
    board_client = _app(settings, Scope("bestuur", own_board)).server.test_client()
    pack = board_client.get(f"/overleg/{meeting}/pakket.html").get_data(True)
    assert boards[own_board] in pack and "Eigen-bestuur-uitleg" in pack
    assert boards[other_board] not in pack and other_board not in pack
    assert "Ander-bestuur" not in pack


def _add_action(client, key: str, text: str, owner: str) -> None:
    def ident(kind):
        return {"key": key, "type": kind}
    _call(client, [(ident("acties"), "children"), (ident("actie-melding"), "children"),
                   (ident("actie-tekst"), "value"), (ident("actie-datum"), "value")],
          [{"id": ident("actie-toevoegen"), "property": "n_clicks", "value": 1}],
          [{"id": ident("actie-toevoegen"), "property": "id", "value": ident("actie-toevoegen")},
           {"id": ident("actie-tekst"), "property": "value", "value": text},
           {"id": ident("actie-eigenaar"), "property": "value", "value": owner},
           {"id": ident("actie-datum"), "property": "value", "value": "2026-05-01"}])


def test_a_board_cannot_answer_add_actions_or_create_meetings(settings: Settings,
                                                              schools) -> None:
    meeting = _meeting(_app(settings, Scope("analist")))
    app = _app(settings, Scope("bestuur", schools["own"][0]), "Stichting Eigen")
    client, store = app.server.test_client(), app_state(app.server).notes.store
    key = f"{meeting}|vsv"
    def ident(kind):
        return {"key": key, "type": kind}
    reply = _call(client, [(ident("antwoorden-melding"), "children")]
                  + [(ident(f"historie-{n}"), "children") for n in (1, 2, 3, 4)],
                  [{"id": ident("antwoorden-opslaan"), "property": "n_clicks", "value": 1}],
                  [{"id": ident("antwoorden-opslaan"), "property": "id",
                    "value": ident("antwoorden-opslaan")},
                   {"id": ident("keuze-1"), "property": "value", "value": "nee"},
                   {"id": ident("keuze-2"), "property": "value", "value": "nee"},
                   *[{"id": ident(f"tekst-{n}"), "property": "value", "value": "vervalst"}
                     for n in (1, 2, 3, 4)]])
    assert "Alleen OOGO-partners" in json.dumps(reply)
    _add_action(client, key, "vervalst", "gemeente")
    _call(client, [("overleg-gemaakt", "children")],
          [{"id": "overleg-aanmaken", "property": "n_clicks", "value": 1}],
          [{"id": i, "property": "value", "value": v} for i, v in (
              ("overleg-datum", "2026-04-01"), ("overleg-soort", "OOGO"),
              ("overleg-partijen", []), ("overleg-indicatoren", ["jeugdhulp_leerlingen"]),
              ("overleg-gebieden", []))])
    assert store.answers(meeting) == {} and store.actions() == []
    assert len(store.meetings()) == 1
    oogo = _app(settings, Scope("oogo"), "samenwerkingsverband").server.test_client()
    _add_action(oogo, key, "Echt", "jeugdhulp")
    assert [a["description"] for a in store.actions()] == ["Echt"]


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "pakket.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_pdf_pack_holds_names_answers_actions_and_no_suppressed_value(
        settings: Settings, tmp_path: Path) -> None:
    app = _app(settings, Scope("analist"))
    meeting = _meeting(app, poison=True)
    store = app_state(app.server).notes.store
    with app.server.app_context():  # the audit log records each note change
        store.save_answer(meeting, "vsv", 1, "deels", "Herkenbaar <b>behalve</b> in Haven", "a")
        store.save_answer(meeting, "thuiszitters", 4, None, "Sneller overleg met leerplicht",
                          "a")
        store.add_action(meeting, "thuiszitters", "Casusoverleg elke maand", "jeugdhulp",
                         "2026-09-01", "a")
    response = app.server.test_client().get(f"/overleg/{meeting}/pakket.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = " ".join(_pdf_text(response.data, tmp_path).split())
    for expected in ("Voortijdig schoolverlaten", "Thuiszitters", "deels",
                     "Herkenbaar <b>behalve</b> in Haven", "Sneller overleg met leerplicht",
                     "Casusoverleg elke maand", "Open acties uit eerdere overleggen",
                     "Verborgen gebied", "afgeschermd: het cijfer bestaat"):
        assert expected in text, expected
    assert "87,7" not in text and "87,65" not in text
    html = app.server.test_client().get(f"/overleg/{meeting}/pakket.html").get_data(True)
    assert "&lt;b&gt;behalve&lt;/b&gt;" in html and "<b>behalve" not in html
    assert "@media screen" in html and "@page" in html
