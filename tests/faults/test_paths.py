"""Paths from requests cannot read outside their folder: the Data Docs route refuses `..`,
encoded `%2e%2e`, absolute paths and symlinks that lead out of the run's data_docs folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults import tiny

RUN = "20261101T100000Z-run"


@pytest.fixture
def client(tmp_path: Path):
    root = tmp_path / "data" / "published"
    version = tiny.add_version(root, RUN)
    docs = version / "data_docs"
    (docs / "validations").mkdir(parents=True)
    (docs / "index.html").write_text("<html><head></head><body>Index</body></html>")
    (docs / "validations" / "personen.html").write_text("<html><head></head><body>Personen "
                                                        "in orde</body></html>")
    (docs / "stijl.css").write_text("body { color: black }")
    (version / "manifest.json").write_text('{"geheim": "MANIFEST-NAAST-DATA-DOCS"}')
    outside = tmp_path / "buiten.html"
    outside.write_text("<html><head></head><body>BUITEN-DE-MAP</body></html>")
    (docs / "buiten.html").symlink_to(outside)
    (docs / "passwd.css").symlink_to("/etc/passwd")
    (docs / "map").symlink_to(tmp_path, target_is_directory=True)
    return tiny.client(tiny.settings(tmp_path))


def test_the_data_docs_themselves_are_served(client) -> None:
    assert "Personen in orde" in client.get("/data-docs/validations/personen.html").text
    assert client.get("/data-docs/stijl.css").text == "body { color: black }"


@pytest.mark.parametrize("path", [
    "/data-docs/../manifest.json", "/data-docs/%2e%2e/manifest.json",
    "/data-docs/%2E%2E%2Fmanifest.json", "/data-docs/validations/../../manifest.json",
    "/data-docs/..%5cmanifest.json", "/data-docs//etc/passwd", "/data-docs/%2fetc%2fpasswd",
    "/data-docs/buiten.html", "/data-docs/passwd.css", "/data-docs/map/buiten.html"])
def test_a_path_out_of_the_data_docs_folder_is_refused(client, path: str) -> None:
    response = client.get(path)
    body = response.get_data(as_text=True)
    # 404, or (a path the Data Docs route does not match) the dashboard's own page shell
    assert response.status_code == 404 or "_dash-config" in body, path
    assert "MANIFEST-NAAST-DATA-DOCS" not in body and "BUITEN-DE-MAP" not in body
    assert "root:" not in body
