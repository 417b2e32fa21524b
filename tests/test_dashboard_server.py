"""The dashboard server: role scoping on every callback and download, read-only published data."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import dash
import duckdb
import flask
import pytest

from dashboard.app import create_app
from dashboard.context import Viewer
from privacy.scope import Scope
from settings import load_settings
from tests.conftest import SampleRun, make_environment


def _post(client, output: str, inputs: list[dict], state: list[dict] | None = None,
          outputs: list[dict] | dict | None = None, **request) -> str:
    body = {"output": output, "outputs": outputs or _outputs(output), "inputs": inputs,
            "changedPropIds": [f"{i['id'] if isinstance(i['id'], str) else json.dumps(i['id'])}"
                               f".{i['property']}" for i in inputs],
            "state": state or []}
    response = client.post("/_dash-update-component", json=body, **request)
    assert response.status_code in (200, 204), response.data[:500]
    return response.get_data(as_text=True)


def _outputs(output: str) -> list[dict] | dict:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    specs = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        specs.append({"id": json.loads(ident) if ident.startswith("{") else ident,
                      "property": prop})
    return specs if output.startswith("..") else specs[0]


def _render(client, path: str, search: str = "") -> str:
    """What the pages router sends for `path?search` (a request any browser could forge)."""
    return _post(client, ".._pages_content.children..._pages_store.data..",
                 [{"id": "_pages_location", "property": "pathname", "value": path},
                  {"id": "_pages_location", "property": "search", "value": search}])


def _download(client, key: str) -> str:
    """A click on a download button, with whatever key a browser chooses to send."""
    button = {"key": key, "type": "csv-knop"}
    text = _post(client, '{"key":["MATCH"],"type":"csv-bestand"}.data',
                 [{"id": button, "property": "n_clicks", "value": 1}],
                 [{"id": button, "property": "id", "value": button}],
                 outputs={"id": {"key": key, "type": "csv-bestand"}, "property": "data"})
    (result,) = json.loads(text)["response"].values()
    return result["data"]["content"]


@pytest.fixture(scope="module")
def boards(sample_run: SampleRun) -> tuple[str, str, str, str]:
    """(own board, one of its schools, another board's school code and name)."""
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        schools = con.sql("SELECT vestigingscode, naam, bevoegd_gezag FROM schools "
                          "WHERE school_soort = 'BAO' ORDER BY bevoegd_gezag, naam").fetchall()
    own = schools[0][2]
    mine = next(s for s in schools if s[2] == own)
    other = next(s for s in schools if s[2] != own)
    return own, mine[0], other[0], other[1]


def _client(sample_run: SampleRun, scope: Scope):
    viewer = Viewer("test", "Test", "test", scope)
    app = create_app(sample_run.settings, viewer=lambda _request: viewer)
    return app.server.test_client()


def _analyst(_request: flask.Request) -> Viewer:
    return Viewer("analist", "Analist", "gemeente", Scope("analist"))


def test_a_board_sees_its_own_school_by_name(sample_run: SampleRun, boards) -> None:
    own, mine, _, _ = boards
    client = _client(sample_run, Scope("bestuur", own))
    page = _render(client, "/school", f"?vestigingscode={mine}")
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        name = con.sql(f"SELECT naam FROM schools WHERE vestigingscode = '{mine}'").fetchall()
    assert name[0][0] in page
    assert "Alle indicatoren" in page


def test_a_forged_request_for_another_boards_school_reveals_nothing(
        sample_run: SampleRun, boards) -> None:
    own, _, other_code, other_name = boards
    client = _client(sample_run, Scope("bestuur", own))
    page = _render(client, "/school", f"?vestigingscode={other_code}")
    assert other_name not in page
    assert other_code not in page
    for path, search in (("/check", "?indicator=vsv&niveau=school"), ("/scholen", ""),
                         ("/do", "?niveau=school"), ("/plan", ""), ("/", "")):
        assert other_name not in _render(client, path, search), path


def test_a_forged_download_key_gives_only_the_viewers_own_scope(
        sample_run: SampleRun, boards) -> None:
    own, _, other_code, other_name = boards
    board_client = _client(sample_run, Scope("bestuur", own))
    csv_text = _download(board_client, "waarden|jeugdhulp_leerlingen|school|2024-2025")
    assert "Definitie:" in csv_text.splitlines()[1]
    assert other_name not in csv_text and other_code not in csv_text
    assert "School A" in csv_text
    analyst = _download(_client(sample_run, Scope("analist")),
                        "waarden|jeugdhulp_leerlingen|school|2024-2025")
    assert other_name in analyst


def test_the_analyst_sees_every_school_by_name(sample_run: SampleRun, boards) -> None:
    _, _, other_code, other_name = boards
    client = _client(sample_run, Scope("analist"))
    assert other_name in _render(client, "/school", f"?vestigingscode={other_code}")


def test_the_dashboard_opens_only_the_published_database(
        sample_run: SampleRun, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[Path, bool]] = []
    real_connect = duckdb.connect

    def recording_connect(database=":memory:", read_only=False, *args, **kwargs):
        opened.append((Path(str(database)).resolve(), read_only))
        return real_connect(database, read_only, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", recording_connect)
    app = create_app(sample_run.settings, viewer=_analyst)
    client = app.server.test_client()
    for page in dash.page_registry.values():
        assert "Traceback" not in _render(client, page["path"])
    _download(client, "controles")
    published = sample_run.published_db.resolve()
    work = sample_run.settings.paths.work.resolve()
    assert opened, "the dashboard read nothing?"
    assert {path for path, _ in opened} == {published}
    assert all(read_only for _, read_only in opened)
    assert not any(work in path.parents for path, _ in opened)


def test_data_docs_of_the_current_run_are_served_to_the_analyst_only(
        sample_run: SampleRun) -> None:
    client = create_app(sample_run.settings, viewer=_analyst).server.test_client()
    response = client.get("/data-docs/index.html")
    assert response.status_code == 200
    assert b"Data Docs" in response.data
    assert client.get("/data-docs/../../work/work.duckdb").status_code == 404
    for scope in (Scope("oogo"), Scope("bestuur", "1")):
        refused = _client(sample_run, scope).get("/data-docs/index.html")
        assert refused.status_code == 403 and b"Data Docs" not in refused.data


FORGED = {"headers": {"X-Rol": "analist", "X-Forwarded-User": "analist"},
          "query_string": {"rol": "analist"}}


def test_a_forged_callback_claiming_the_analyst_role_widens_nothing(
        sample_run: SampleRun, boards) -> None:
    """Role claims everywhere a browser controls: callback state, URL, headers and a cookie."""
    own, _, other_code, other_name = boards
    client = _client(sample_run, Scope("bestuur", own))
    client.set_cookie("rol", "analist")
    key = "waarden|jeugdhulp_leerlingen|school|2024-2025"
    button = {"key": key, "type": "csv-knop"}
    claimed = {**button, "rol": "analist", "scope": "analist", "peers_by_name": True}
    text = _post(client, '{"key":["MATCH"],"type":"csv-bestand"}.data',
                 [{"id": button, "property": "n_clicks", "value": 1}],
                 [{"id": button, "property": "id", "value": claimed}],
                 outputs={"id": {"key": key, "type": "csv-bestand"}, "property": "data"},
                 **FORGED)
    (result,) = json.loads(text)["response"].values()
    assert "School A" in result["data"]["content"]
    assert other_name not in result["data"]["content"]
    page = _post(client, ".._pages_content.children..._pages_store.data..",
                 [{"id": "_pages_location", "property": "pathname", "value": "/school"},
                  {"id": "_pages_location", "property": "search",
                   "value": f"?vestigingscode={other_code}&rol=analist"}], **FORGED)
    assert other_name not in page and other_code not in page
    footer = _post(client, "voet.children",
                   [{"id": "adres", "property": "pathname", "value": "/?rol=analist"}], **FORGED)
    assert f"weergave: Bestuur {own}" in footer and "Analist" not in footer


def test_a_new_published_run_is_picked_up_without_a_restart(sample_run: SampleRun,
                                                            tmp_path: Path) -> None:
    settings_path, _ = make_environment(tmp_path)
    published = tmp_path / "data" / "published"
    shutil.copytree(sample_run.settings.paths.published, published, symlinks=True)
    client = create_app(load_settings(settings_path), viewer=_analyst).server.test_client()

    def footer() -> str:
        return _post(client, "voet.children",
                     [{"id": "adres", "property": "pathname", "value": "/"}])

    first = (published / "current").resolve().name
    assert first in footer()
    newer = published / "versions" / "20991231T000000Z-nieuw"
    shutil.copytree(published / "current", newer)
    link = published / "current.tmp"
    link.symlink_to(Path("versions") / newer.name)
    os.replace(link, published / "current")
    assert newer.name in footer()


def test_mijn_bestuur_shows_the_own_board_whatever_the_url_says(sample_run: SampleRun,
                                                                 boards) -> None:
    own, mine, other_code, other_name = boards
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        (own_name,), = con.sql(f"SELECT DISTINCT bevoegd_gezag_naam FROM schools "
                               f"WHERE bevoegd_gezag = '{own}'").fetchall()
        (other_board,), = con.sql(f"SELECT bevoegd_gezag FROM schools "
                                  f"WHERE vestigingscode = '{other_code}'").fetchall()
    heading = json.dumps(f"Mijn bestuur: {own_name}")[1:-1]  # as it appears in the JSON
    client = _client(sample_run, Scope("bestuur", own))
    page = _render(client, "/bestuur", f"?bestuur={other_board}")
    assert heading in page and mine in page
    assert json.dumps(other_name)[1:-1] not in page and other_code not in page
    analyst = _render(_client(sample_run, Scope("analist")), "/bestuur",
                      f"?bestuur={other_board}")
    assert json.dumps(other_name)[1:-1] in analyst and heading not in analyst


def _csv_frame(text: str):
    import io

    import pandas as pd
    body = "\n".join(line for line in text.lstrip("\ufeff").splitlines()
                     if not line.startswith("#"))
    return pd.read_csv(io.StringIO(body), sep=";", decimal=",", dtype={"vestigingscode": str})


def test_mijn_bestuur_downloads_are_numeric_and_only_the_viewers_board(
        sample_run: SampleRun, boards) -> None:
    own, mine, other_code, other_name = boards
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        (other_board,), = con.sql(f"SELECT bevoegd_gezag FROM schools "
                                  f"WHERE vestigingscode = '{other_code}'").fetchall()
        (period,), = con.sql("SELECT max(period) FROM indicator_values").fetchall()
    board_client = _client(sample_run, Scope("bestuur", own))
    table = _csv_frame(_download(board_client, f"bestuur|{own}|{period}"))
    assert len(table) > 5 and table["totaal"].dtype.kind == "f" and table["totaal"].notna().any()
    assert table["andere_besturen_n"].dtype.kind == "i"
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        published = dict(con.sql(f"""SELECT indicator_id, round(value, 2) FROM indicator_values
            WHERE level = 'bestuur' AND area_code = '{own}' AND period = '{period}'""").fetchall())
    for row in table.itertuples():  # the board's own figure as a number, or why not
        if row.eigen_bestuur_bron == "bestuur":
            assert row.eigen_bestuur == pytest.approx(published[row.indicator] or float("nan"),
                                                      nan_ok=True, abs=0.5)
        assert row.eigen_bestuur == row.eigen_bestuur or isinstance(
            row.eigen_bestuur_afgeschermd, str) or row.eigen_bestuur_bron != "bestuur"
    schools = _csv_frame(_download(board_client, f"bestuur-scholen|{own}|{period}"))
    assert mine in set(schools["vestigingscode"]) and other_code not in set(
        schools["vestigingscode"])
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        (shown,), = con.sql(f"""SELECT count(value) FROM indicator_values v JOIN schools s
            ON v.area_code = s.vestigingscode WHERE v.level = 'school'
            AND v.period = '{period}' AND s.bevoegd_gezag = '{own}'""").fetchall()
        (largest,), = con.sql("SELECT bevoegd_gezag FROM schools GROUP BY ALL "
                              "ORDER BY count(*) DESC, 1 LIMIT 1").fetchall()
    assert schools["waarde"].dtype.kind == "f" and schools["waarde"].notna().sum() == shown
    for key in (f"bestuur|{other_board}|{period}", f"bestuur-scholen|{other_board}|{period}"):
        forged = _download(board_client, key)  # another board's table: nothing
        assert _csv_frame(forged).empty and other_name not in forged
        assert _csv_frame(_download(_client(sample_run, Scope("oogo")), key)).empty
    analyst = _download(_client(sample_run, Scope("analist")),
                        f"bestuur-scholen|{other_board}|{period}")
    assert other_name in analyst and not _csv_frame(analyst).empty
    largest_table = _csv_frame(_download(_client(sample_run, Scope("analist")),
                                         f"bestuur-scholen|{largest}|{period}"))
    assert largest_table["waarde"].dtype.kind == "f" and largest_table["waarde"].notna().any()
