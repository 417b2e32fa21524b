"""A corrupt, truncated or missing published database, or `current` pointing nowhere: the
dashboard serves the last good version with a Dutch notice, or says in Dutch that there is
none — never a stack trace."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from dashboard import format as fmt
from dashboard.data import Published
from tests.conftest import SampleRun, make_environment
from tests.faults import tiny
from tests.test_dashboard_server import _render

FOOTER = {"output": "voet.children", "outputs": {"id": "voet", "property": "children"},
          "inputs": [{"id": "adres", "property": "pathname", "value": "/"}],
          "changedPropIds": ["adres.pathname"], "state": []}
GOOD, BAD = "20261101T100000Z-goed", "20261102T100000Z-kapot"


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """An older good version and a newer current one (each test damages the newer one)."""
    root = tmp_path / "data" / "published"
    tiny.add_version(root, GOOD)
    tiny.add_version(root, BAD)
    return root


def _footer(client) -> str:
    response = client.post("/_dash-update-component", json=FOOTER)
    assert response.status_code == 200
    return json.dumps(response.get_json()["response"], ensure_ascii=False)


def _alert(client) -> str | None:
    """The alert at the top of every page, as the layout sends it."""
    layout = client.get("/_dash-layout").get_json()
    found = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == "foutmelding":
                found.append(node["props"].get("children"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(layout)
    assert len(found) == 1
    return found[0]


def _served(tmp_path: Path) -> tuple[str, str | None]:
    client = tiny.client(tiny.settings(tmp_path))
    return _footer(client), _alert(client)


def test_a_truncated_database_serves_the_last_good_version(published: Path,
                                                           tmp_path: Path) -> None:
    database = published / "versions" / BAD / "monitor.duckdb"
    os.truncate(database, database.stat().st_size // 2)
    footer, alert = _served(tmp_path)
    assert f"run {GOOD}" in footer and BAD not in footer
    assert alert == (f"Let op: de gepubliceerde database is niet te lezen: monitor.duckdb van "
                     f"versie {BAD} is beschadigd of onvolledig (IOException). U ziet de "
                     f"laatste goede versie (run {GOOD}). Meld dit aan de analist: een nieuwe "
                     "pipeline-run herstelt het.")


def test_a_corrupt_database_serves_the_last_good_version(published: Path,
                                                         tmp_path: Path) -> None:
    (published / "versions" / BAD / "monitor.duckdb").write_bytes(b"geen duckdb" * 500)
    footer, alert = _served(tmp_path)
    assert f"run {GOOD}" in footer
    assert f"versie {BAD} is beschadigd" in alert and f"(run {GOOD})" in alert


def test_a_missing_database_serves_the_last_good_version(published: Path,
                                                         tmp_path: Path) -> None:
    (published / "versions" / BAD / "monitor.duckdb").unlink()
    footer, alert = _served(tmp_path)
    assert f"run {GOOD}" in footer
    assert f"versie {BAD} heeft geen monitor.duckdb" in alert


def test_current_pointing_nowhere_serves_the_last_good_version(published: Path,
                                                               tmp_path: Path) -> None:
    shutil.rmtree(published / "versions" / BAD)
    tiny.point(published, Path("versions") / "bestaat-niet")
    footer, alert = _served(tmp_path)
    assert f"run {GOOD}" in footer
    assert "versie bestaat-niet heeft geen monitor.duckdb" in alert


def test_current_pointing_outside_the_published_folder_is_not_followed(
        published: Path, tmp_path: Path) -> None:
    elsewhere = tiny.add_version(tmp_path / "elders", "20991231T000000Z-buiten", current=False)
    tiny.point(published, elsewhere)
    shutil.rmtree(published / "versions" / BAD)
    footer, alert = _served(tmp_path)
    assert f"run {GOOD}" in footer and "buiten" not in footer
    assert "`current` wijst niet naar een map in versions/" in alert


def test_the_notice_goes_once_current_is_good_again(published: Path, tmp_path: Path) -> None:
    data = Published(tiny.settings(tmp_path), b"sleutel")
    database = published / "versions" / BAD / "monitor.duckdb"
    kept = database.read_bytes()
    database.write_bytes(b"kapot")
    assert data.run_id == GOOD and data.notice() is not None
    database.write_bytes(kept)  # a new pipeline run published a readable version again
    assert data.run_id == BAD and data.notice() is None


def test_without_a_good_version_pages_and_callbacks_say_so_in_dutch(published: Path,
                                                                    tmp_path: Path) -> None:
    shutil.rmtree(published / "versions" / GOOD)
    (published / "versions" / BAD / "monitor.duckdb").write_bytes(b"kapot")
    client = tiny.client(tiny.settings(tmp_path))
    expected = (f"De gepubliceerde database is niet te lezen: monitor.duckdb van versie {BAD} "
                "is beschadigd of onvolledig (IOException). Er is geen eerdere goede versie: "
                "draai `make pipeline` opnieuw.")
    assert expected in _footer(client)
    page = _render(client, "/check")
    assert expected in page and "Traceback" not in page
    assert _alert(client) is None  # the page itself says it; no second notice
    button = {"key": "doelen", "type": "csv-knop"}
    download = client.post("/_dash-update-component", json={
        "output": '{"key":["MATCH"],"type":"csv-bestand"}.data',
        "outputs": {"id": {"key": "doelen", "type": "csv-bestand"}, "property": "data"},
        "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
        "changedPropIds": [json.dumps(button) + ".n_clicks"],
        "state": [{"id": button, "property": "id", "value": button}]})
    assert download.status_code == 200
    assert download.get_json()["sideUpdate"] == {"foutmelding": {"children": expected}}


def test_before_the_first_run_the_pages_say_to_run_the_pipeline(tmp_path: Path) -> None:
    client = tiny.client(tiny.settings(tmp_path))
    message = "Er is nog niets gepubliceerd: draai eerst `make pipeline`."
    assert message in _footer(client) and message in _render(client, "/check")


def test_the_full_dashboard_serves_the_previous_run_when_the_new_one_is_truncated(
        sample_run: SampleRun, tmp_path: Path) -> None:
    settings_path, _ = make_environment(tmp_path)
    published = tmp_path / "data" / "published"
    shutil.copytree(sample_run.settings.paths.published, published, symlinks=True)
    good = (published / "current").resolve().name
    newer = published / "versions" / "20991231T000000Z-afgebroken"
    shutil.copytree(published / "current", newer)
    database = newer / "monitor.duckdb"
    os.truncate(database, database.stat().st_size - 4096)
    tiny.point(published, Path("versions") / newer.name)
    client = tiny.client(tiny.settings(tmp_path))
    assert f"run {good}" in _footer(client)
    assert _alert(client) == (
        f"Let op: de gepubliceerde database is niet te lezen: monitor.duckdb van versie "
        f"{newer.name} is afgekapt ({fmt.number(database.stat().st_size)} van "
        f"{fmt.number(database.stat().st_size + 4096)} bytes). U ziet de laatste goede versie "
        f"(run {good}). Meld dit aan de analist: een nieuwe pipeline-run herstelt het.")
    page = _render(client, "/")
    assert "Resultaten in de gemeente" in page
    assert "niet te lezen" not in page and "Traceback" not in page
