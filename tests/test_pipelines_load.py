"""The loader accepts what partners really deliver and never drops a row silently."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from pipelines.landing import source_files
from pipelines.load import LoadError, load_source, load_specs, load_wijken
from pipelines.sql_runner import install_macros
from settings import Pipeline

HEADER = ("pseudoniem;aanbieder;hulpvorm;productcategorie;productcode;verwijzer;datum_aanvang;"
          "datum_einde;reden_beeindiging;kosten")
PSEUDO = "a" * 64
MAX_FIELD_CHARS = Pipeline().max_field_chars


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("CREATE SCHEMA landing")
    install_macros(connection)
    return connection


def _load(con, tmp_path: Path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(text.encode(encoding))
    (loaded,) = load_source(con, name, load_specs()[name], [path], tmp_path / "quarantine",
                            tmp_path, MAX_FIELD_CHARS)
    return loaded


def test_windows_1252_with_semicolons_decimal_comma_and_compact_dates(con, tmp_path) -> None:
    text = (HEADER + "\r\n"
            + f"{PSEUDO};Zorg’s Één;02;45;45A01;02;20240105;20240630;01;1.234,56\r\n"
            + f"{PSEUDO};98000001;11;44;44A01;04;05-01-2024;;;99,5\r\n")
    loaded = _load(con, tmp_path, "jeugdhulp", text, "cp1252")
    assert loaded.rows == 2 and loaded.quarantined == 0
    rows = con.sql("SELECT aanbieder, kosten, datum_aanvang, datum_einde FROM landing.jeugdhulp "
                   "ORDER BY row_nr").fetchall()
    assert rows == [("Zorg’s Één", 1234.56, dt.date(2024, 1, 5), dt.date(2024, 6, 30)),
                    ("98000001", 99.5, dt.date(2024, 1, 5), None)]


def test_school_names_in_windows_1252_keep_their_accents(con, tmp_path) -> None:
    text = ("vestigingscode;brin;naam;onderwijssoort;bevoegd_gezag;bevoegd_gezag_naam;"
            "gemeentecode;postcode;swv\r\n"
            "01AB00;01AB;De Kiem’s Ëlf Basisschool;BAO;12345;Stichting Één;GM0034;1234AB;"
            "PO-24-01\r\n")
    _load(con, tmp_path, "scholen", text, "cp1252")
    assert con.sql("SELECT naam FROM landing.scholen").fetchall() == [
        ("De Kiem’s Ëlf Basisschool",)]


def test_duo_export_layout_is_recognised_and_mapped(con, tmp_path) -> None:
    text = ("PROVINCIE;BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;"
            "POSTCODE;GEMEENTENUMMER;RMC-REGIO CODE\r\n"
            "Flevoland;41234;12AB;12AB00;Basisschool ’t Kompas;1234 AB;0034;19\r\n")
    loaded = _load(con, tmp_path, "scholen", text, "cp1252")
    row = con.sql("SELECT vestigingscode, brin, naam, onderwijssoort, bevoegd_gezag, "
                  "gemeentecode FROM landing.scholen").fetchall()
    assert row == [("12AB00", "12AB", "Basisschool ’t Kompas", "BAO", "41234", "0034")]
    assert any("RMC-REGIO CODE" in w for w in loaded.warnings)


def test_headers_are_case_insensitive_and_extra_columns_give_a_warning(con, tmp_path) -> None:
    text = ("PSEUDONIEM,Vestigingscode,DIPLOMA,Datum,Opmerking\n"
            f"{PSEUDO},01AB00,HAVO,2024-07-01,x\n")
    loaded = _load(con, tmp_path, "diplomas", text)
    assert loaded.rows == 1
    assert loaded.warnings == ["diplomas.csv: kolom 'Opmerking' is onbekend en wordt genegeerd."]


def test_missing_required_column_names_file_and_column(con, tmp_path) -> None:
    with pytest.raises(LoadError, match=r"diplomas.csv: verplichte kolom 'datum' ontbreekt"):
        _load(con, tmp_path, "diplomas",
              f"pseudoniem,vestigingscode,diploma\n{PSEUDO},01AB00,VWO\n")


def test_a_bsn_column_is_refused(con, tmp_path) -> None:
    with pytest.raises(LoadError, match="bevat een kolom 'bsn'"):
        _load(con, tmp_path, "diplomas", "bsn,vestigingscode,diploma,datum\n1,01AB00,VWO,2024\n")


@pytest.mark.parametrize(("bad_line", "kept", "reason"), [
    (f"{PSEUDO},01AB00,VWO,31-02-2024", [(2, "HAVO"), (4, "VWO")],
     "3;datum;31-02-2024;geen geldige datum (JJJJMMDD, JJJJ-MM-DD of DD-MM-JJJJ)"),
    (f"{PSEUDO},01AB00,VWO", [(2, "HAVO"), (4, "VWO")], "3;;;onleesbare regel"),
])
def test_unreadable_rows_go_to_quarantine_with_line_column_and_reason(
        con, tmp_path, bad_line: str, kept: list, reason: str) -> None:
    """Row numbers are file lines as Excel shows them (header = 1), like the pseudonymiser's."""
    text = ("pseudoniem,vestigingscode,diploma,datum\n"
            f"{PSEUDO},01AB00,HAVO,2024-07-01\n{bad_line}\n{PSEUDO},01AB00,VWO,20240705\n")
    loaded = _load(con, tmp_path, "diplomas", text)
    assert (loaded.rows, loaded.quarantined) == (3, 1)
    assert con.sql("SELECT row_nr, diploma FROM landing.diplomas ORDER BY 1").fetchall() == kept
    quarantine = (tmp_path / "quarantine" / "diplomas.csv").read_text(encoding="utf-8")
    assert quarantine.splitlines()[0] == "bestand;rij;kolom;waarde;reden"
    assert quarantine.splitlines()[1].startswith("diplomas.csv;" + reason)
    assert len(quarantine.splitlines()) == 2


def test_an_empty_file_stops_with_a_dutch_message_naming_it(con, tmp_path) -> None:
    with pytest.raises(LoadError, match=r"^diplomas\.csv: het bestand is leeg \(0 bytes\)"):
        _load(con, tmp_path, "diplomas", "")


def _parts(folder: Path) -> None:
    """personen for a region: one file per gemeente, each in its own dialect."""
    folder.mkdir()
    columns = "pseudoniem;leeftijd;geslacht;gemeentecode;wijkcode;peildatum"
    (folder / "personen_GM0034.csv").write_bytes(
        f"{columns}\r\n{'a' * 64};9;V;0034;WK003401;20231001\r\n"
        f"{'b' * 64};9;M;0034;WK003401;2023-13-01\r\n".encode("cp1252"))
    (folder / "personen_GM0995.csv").write_text(
        columns.replace(";", ",") + "\n"
        + f"{'c' * 64},11,M,0995,WK099501,2023-10-01\n", encoding="utf-8")


def test_a_source_in_parts_becomes_one_table_that_keeps_each_rows_file(con, tmp_path) -> None:
    _parts(tmp_path / "landing")
    files, _ = source_files(tmp_path / "landing", load_specs()["personen"])
    assert [f.name for f in files] == ["personen_GM0034.csv", "personen_GM0995.csv"]
    loaded = load_source(con, "personen", load_specs()["personen"], files,
                         tmp_path / "quarantine", tmp_path, MAX_FIELD_CHARS)
    assert [(s.file, s.rows, s.quarantined) for s in loaded] == [
        ("personen_GM0034.csv", 2, 1), ("personen_GM0995.csv", 1, 0)]
    assert con.sql("SELECT bestand, row_nr, leeftijd, peildatum, gemeentecode "
                   "FROM landing.personen ORDER BY bestand").fetchall() == [
        ("personen_GM0034.csv", 2, 9, dt.date(2023, 10, 1), "0034"),
        ("personen_GM0995.csv", 2, 11, dt.date(2023, 10, 1), "0995")]
    quarantine = (tmp_path / "quarantine" / "personen.csv").read_text(encoding="utf-8")
    assert quarantine.splitlines()[1].startswith("personen_GM0034.csv;3;peildatum;")


def test_a_source_both_whole_and_in_parts_is_refused(tmp_path) -> None:
    _parts(tmp_path / "landing")
    (tmp_path / "landing" / "personen.csv").write_text("pseudoniem\n", encoding="utf-8")
    with pytest.raises(LoadError, match="personen.csv en personen_GM0034.csv: lever een bron"):
        source_files(tmp_path / "landing", load_specs()["personen"])
    with pytest.raises(LoadError, match="verzuim.csv: bestand ontbreekt"):
        source_files(tmp_path / "landing", load_specs()["verzuim"])


def test_wijken_of_a_region_may_come_in_parts(con, tmp_path) -> None:
    def geojson(code: str, name: str) -> str:
        return json.dumps({"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"statcode": code, "statnaam": name},
            "geometry": {"type": "Point", "coordinates": [5.2, 52.3]}}]})

    (tmp_path / "wijken_GM0034.geojson").write_text(geojson("WK003401", "Stad"), "utf-8")
    (tmp_path / "wijken_GM0995.geojson").write_text(geojson("WK099501", "Dorp"), "utf-8")
    loaded = load_wijken(con, source_files(tmp_path, {"file": "wijken.geojson"})[0])
    assert [(s.file, s.rows) for s in loaded] == [("wijken_GM0034.geojson", 1),
                                                  ("wijken_GM0995.geojson", 1)]
    assert con.sql("SELECT statcode FROM landing.wijken ORDER BY 1").fetchall() == [
        ("WK003401",), ("WK099501",)]
