"""Every CSV and Excel download of the dashboard neutralises cells a spreadsheet would run as
a formula — also school names from landing files, also in the '#' header rows — and a forged
download key never puts a path into the file name (full sample run)."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest
from openpyxl import load_workbook

from dashboard.spreadsheet import FORMULA_START
from tests.conftest import SampleRun
from tests.faults import tiny


@pytest.fixture(scope="module")
def hostile(sample_run: SampleRun, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("vijandig")
    codes = tiny.hostile_copy(sample_run.settings.paths.published, root)
    return tiny.client(tiny.settings(root)), codes


def _download(client, kind: str, key: str) -> tuple[str, dict]:
    button = {"key": key, "type": f"{kind}-knop"}
    response = client.post("/_dash-update-component", json={
        "output": json.dumps({"key": ["MATCH"], "type": f"{kind}-bestand"},
                             separators=(",", ":")) + ".data",
        "outputs": {"id": {"key": key, "type": f"{kind}-bestand"}, "property": "data"},
        "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
        "changedPropIds": [json.dumps(button) + ".n_clicks"],
        "state": [{"id": button, "property": "id", "value": button}]})
    assert response.status_code == 200, response.data[:300]
    (result,) = response.get_json()["response"].values()
    return result["data"]["filename"], result["data"]


def _csv_cells(text: str) -> tuple[list[str], list[list[str]]]:
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    header = [line for line in lines if line.startswith("#")]
    body = "".join(lines[len(header):])
    return header, list(csv.reader(io.StringIO(body), delimiter=";"))


@pytest.mark.parametrize("key", ["scholen", "vergelijking|jeugdhulp_leerlingen|school|{formula}"])
def test_csv_downloads_neutralise_formula_names(hostile, key: str) -> None:
    client, codes = hostile
    _, data = _download(client, "csv", key.format(**codes))
    header, rows = _csv_cells(data["content"])
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    assert all(line.startswith("# ") and not line[2:].startswith(FORMULA_START)
               for line in header)
    if key == "scholen":  # the name is a cell of the table
        assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
    else:  # the chosen school is named in a header row, on one line
        assert any(line.startswith("# Gekozen gebied: '=HYPERLINK(") and "=1+1" in line
                   for line in header)


def test_the_excel_download_keeps_formula_names_as_text(hostile) -> None:
    client, _ = hostile
    name, data = _download(client, "xlsx", "scholen")
    assert name == "scholen.xlsx"
    book = load_workbook(io.BytesIO(base64.b64decode(data["content"])))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert "'" + tiny.FORMULA in [cell.value for cell in cells]


def test_a_forged_download_key_puts_no_path_into_the_file_name(hostile) -> None:
    client, _ = hostile
    name, _ = _download(client, "csv", "waarden|jeugdhulp_leerlingen|../../etc|x/../passwd")
    assert name == "jeugdhulp_leerlingen_______etc_x____passwd.csv"
