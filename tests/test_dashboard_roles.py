"""Real logins (the demo users) sending forged callbacks and downloads: never beyond scope."""

from __future__ import annotations

import duckdb
import pytest

from dashboard.app import create_app
from tests.conftest import SampleRun
from tests.test_dashboard_auth import form_token
from tests.test_dashboard_server import _download, _render

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def school_list(sample_run: SampleRun) -> list[tuple[str, str, str, str]]:
    """(vestigingscode, naam, bevoegd_gezag, bevoegd_gezag_naam) of every published school."""
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        return con.sql("SELECT vestigingscode, naam, bevoegd_gezag, bevoegd_gezag_naam "
                       "FROM schools ORDER BY vestigingscode").fetchall()


def _logged_in(sample_run: SampleRun, logins: dict, username: str):
    client = create_app(sample_run.settings).server.test_client()
    response = client.post("/inloggen", data={"gebruiker": username,
                                              "wachtwoord": logins[username][0],
                                              "csrf_token": form_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    # Every forged request below carries the session's own CSRF token, as Dash's renderer
    # does: what is tested here is scope, not CSRF.
    client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie("_csrf_token").value
    return client


@pytest.fixture(scope="module")
def board(sample_run: SampleRun, demo_logins, school_list):
    """The client of demo board 1, its number, and the schools of other boards."""
    number = demo_logins["bestuur1"][1].partition(":")[2]
    own = [s for s in school_list if s[2] == number]
    own_names = {s[1] for s in own}
    others = [s for s in school_list if s[2] != number and s[1] not in own_names]
    assert others and own
    return _logged_in(sample_run, demo_logins, "bestuur1"), number, others, own


def _leaks(text: str, others, own) -> list[str]:
    """Names or codes of other boards' schools (or the boards) found in `text`, after taking
    out the board's own names (another board's name can be part of the own board's name)."""
    for name in sorted({s[1] for s in own} | {s[3] for s in own}, key=len, reverse=True):
        text = text.replace(name, "")
    found = []
    for code, name, _number, board_name in others:
        found += [item for item in (code, name, board_name) if item in text]
    return found


def test_forged_school_and_bestuur_requests_show_nothing_of_other_boards(board) -> None:
    client, _, others, own = board
    code, *_ = others[0]
    other_board = others[0][2]
    requests = [("/school", f"?vestigingscode={code}"),
                ("/check", "?indicator=vsv&niveau=school"),
                ("/check", "?indicator=vsv&niveau=bestuur"),
                ("/do", f"?niveau=bestuur&bestuur={other_board}"), ("/scholen", ""),
                ("/plan", ""), ("/", "")]
    for path, search in requests:
        page = _render(client, path, search)
        leaks = _leaks(page, others, own)
        assert "Traceback" not in page and not leaks, (path, leaks)


def test_a_wijk_outside_the_gemeente_shows_only_the_gemeente(board) -> None:
    client, *_ = board
    page = _render(client, "/wijk", "?wijkcode=WK036301")
    # an unknown wijkcode opens the list of the gemeente's own wijken, nothing of the other
    assert "WK0363" not in page and "WK003401" in page and "Kies een wijk" in page


def test_pages_and_downloads_of_the_analyst_are_refused(board) -> None:
    client, *_ = board
    page = _render(client, "/datakwaliteit")
    assert "Geen toegang" in page and "Controles" not in page and "personen.csv" not in page
    button = {"key": "controles", "type": "csv-knop"}
    response = client.post("/_dash-update-component", json={
        "output": '{"key":["MATCH"],"type":"csv-bestand"}.data',
        "outputs": {"id": {"key": "controles", "type": "csv-bestand"}, "property": "data"},
        "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
        "changedPropIds": ['{"key":"controles","type":"csv-knop"}.n_clicks'],
        "state": [{"id": button, "property": "id", "value": button}]})
    assert response.status_code == 204 and not response.data
    assert client.get("/data-docs/index.html").status_code == 403
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Scholen" in layout and "Datakwaliteit" not in layout


def test_forged_download_keys_give_aliases_without_sizes(board) -> None:
    client, _, others, own = board
    for key in ("scholen", "waarden|vsv|school|", "waarden|jeugdhulp_leerlingen|bestuur|",
                "uitsplitsing|school|2024-2025|hulpvorm", "doelen"):
        text = _download(client, key)
        assert not _leaks(text, others, own), (key, _leaks(text, others, own))
    rows = [line.split(";") for line in _download(
        client, "waarden|jeugdhulp_leerlingen|school|2024-2025").lstrip("\ufeff").splitlines()
        if not line.startswith("#")]
    header, body = rows[0], rows[1:]
    sizes = [header.index("teller"), header.index("noemer")]
    anonymous = [row for row in body if row[1].startswith("School ")]
    assert anonymous and all(row[i] in ("", "–") for row in anonymous for i in sizes)
    aliases = [row[1] for row in anonymous]
    assert aliases == sorted(aliases), "anonymous rows must sort by alias, not by real name"
    schools = [line.split(";") for line in _download(client, "scholen").lstrip("\ufeff")
               .splitlines() if not line.startswith("#")][1:]
    peers = [row for row in schools if row[0].startswith("School ")]
    assert [row[0] for row in peers] == sorted(row[0] for row in peers)
    assert all(row[3] == "" for row in peers), "an anonymous school shows no bestuur"


def test_oogo_sees_no_school_names(sample_run: SampleRun, demo_logins, school_list) -> None:
    client = _logged_in(sample_run, demo_logins, "oogo")
    for path in ("/scholen", "/check"):
        page = _render(client, path, "?indicator=vsv&niveau=school")
        assert not [name for _, name, _, _ in school_list if name in page], path
    assert "Geen toegang" in _render(client, "/datakwaliteit")


def test_the_analyst_sees_the_data_quality_page(sample_run: SampleRun, demo_logins) -> None:
    client = _logged_in(sample_run, demo_logins, "analist")
    assert "Controles:" in _render(client, "/datakwaliteit")
    assert client.get("/data-docs/index.html").status_code == 200


def test_demo_logins_are_made_once_owner_only_for_two_real_boards(
        sample_run: SampleRun, demo_logins, school_list) -> None:
    path = sample_run.settings.paths.demo_logins
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_text(encoding="utf-8").startswith("# ALLEEN VOOR DE DEMO")
    assert sorted(role.partition(":")[0] for _, role in demo_logins.values()) == [
        "analist", "bestuur", "bestuur", "oogo"]
    numbers = {role.partition(":")[2] for _, role in demo_logins.values() if ":" in role}
    assert len(numbers) == 2 and numbers <= {number for _, _, number, _ in school_list}
    again = sample_run.run("dashboard.demo")
    assert "bestaan al" in again.stdout and demo_logins["oogo"][0] not in again.stdout
