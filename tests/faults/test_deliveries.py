"""What partners really deliver: every broken or odd delivery gives one exact, Dutch outcome.

Refused deliveries stop at reading (exit 1, message naming file/row/column, nothing published,
the previous version kept); accepted oddities are read exactly once, with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from pipelines.landing import survey
from pipelines.load import LoadedSource, load_all, load_specs
from pipelines.sql_runner import install_macros
from settings import Pipeline
from tests.faults.landing import (
    assert_previous_kept,
    last_manifest,
    publish_previous,
    run,
    write_landing,
)
from tests.fixtures import P1

CARE_HEADER = ("pseudoniem;aanbieder;hulpvorm;productcategorie;productcode;verwijzer;"
               "datum_aanvang;datum_einde;reden_beeindiging;kosten")
CARE = f"{P1};98000001;02;45;45A01;02;2023-10-02;;;1200,50"


def _replace(name: str, text: str) -> Callable[[Path], None]:
    return lambda landing: (landing / name).write_text(text, encoding="utf-8")


def _header_renamed(landing: Path) -> None:
    path = landing / "scholen.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("vestigingscode;", "Vestiging_code;",
                                                             1), encoding="utf-8")


def _symlink(landing: Path) -> None:
    (landing / "personen.csv").unlink()
    (landing / "personen.csv").symlink_to("/etc/passwd")


def _long_name(landing: Path) -> None:
    path = landing / "scholen.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("De Kiem", "K" * 200_000),
                    encoding="utf-8")


REFUSED = {
    "leeg": (_replace("jeugdhulp.csv", ""),
             "jeugdhulp.csv: het bestand is leeg (0 bytes). Vraag de leverancier het opnieuw "
             "aan te leveren."),
    "alleen kopregel": (_replace("jeugdhulp.csv", CARE_HEADER + "\r\n"),
                        "jeugdhulp.csv: bevat alleen een kopregel en geen gegevens. Vraag de "
                        "leverancier het bestand opnieuw aan te leveren."),
    "kolom hernoemd": (_header_renamed,
                       "scholen.csv: verplichte kolom 'vestigingscode' ontbreekt. Gevonden "
                       "kolommen: Vestiging_code, brin, naam, onderwijssoort, bevoegd_gezag, "
                       "bevoegd_gezag_naam, gemeentecode, postcode, swv, swv_po, swv_vo, "
                       "denominatie, wijkcode, lon, lat. Hernoem kolom 'Vestiging_code' in de "
                       "kopregel naar 'vestigingscode' (of vraag een alias aan in "
                       "pipelines/sources.yaml)."),
    "symbolische koppeling": (_symlink,
                              "personen.csv: is een symbolische koppeling; die volgt de "
                              "pijplijn niet. Zet het bestand zelf in de landing-map."),
    "te lang veld": (_long_name,
                     "scholen.csv regel 2, kolom 'naam': de waarde is langer dan 1000 tekens "
                     "([pipeline] max_field_chars). Vraag de leverancier het bestand te "
                     "controleren."),
    "bron ontbreekt": (lambda landing: (landing / "verzuim.csv").unlink(),
                       "verzuim.csv: bestand ontbreekt in de landing-map {landing} (ook geen "
                       "delen verzuim_<deel>.csv). Zonder deze bron zijn niet te berekenen: "
                       "thuiszitters, thuiszitters_soort_absoluut, "
                       "thuiszitters_soort_langdurig_relatief, thuiszitters_duur_kort, "
                       "thuiszitters_duur_midden, thuiszitters_duur_lang, verzuim_relatief. "
                       "Lever het bestand aan, of zet [pipeline] allow_missing_sources = true "
                       "om de overige indicatoren te publiceren."),
    "correctie buiten periode": (
        _replace("jeugdhulp_correctie_2024.csv", f"{CARE_HEADER}\n{CARE}\n"),
        "jeugdhulp_correctie_2024.csv regel 2, kolom 'datum_aanvang': valt buiten de "
        "correctieperiode 2024 (01-01-2024 t/m 31-12-2024); een correctiebestand bevat alleen "
        "records van die periode."),
}


@pytest.mark.parametrize("fault", list(REFUSED))
def test_a_broken_delivery_is_refused_naming_the_file_and_the_previous_version_stays(
        fault: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    landing = write_landing(tmp_path / "landing")
    publish_previous(tmp_path)
    inject, message = REFUSED[fault]
    inject(landing)
    assert run(tmp_path, landing) == 1
    output = capsys.readouterr()
    assert f"FOUT: {message.format(landing=landing)}\nEr is niets gepubliceerd; de vorige " \
           "versie blijft in gebruik." in output.err
    manifest = last_manifest(tmp_path)
    assert manifest["status"] == "mislukt" and manifest["fout"] == message.format(
        landing=landing)
    assert "root:" not in output.out + output.err + str(manifest)  # /etc/passwd never read
    assert_previous_kept(tmp_path)


def test_a_source_that_feeds_every_indicator_may_never_be_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    landing = write_landing(tmp_path / "landing")
    (landing / "personen.csv").unlink()
    assert run(tmp_path, landing, **{"allow_missing_sources = false":
                                     "allow_missing_sources = true"}) == 1
    assert "Zonder deze bron is geen enkele indicator te berekenen. Lever het bestand aan." \
        in capsys.readouterr().err


def _load(landing: Path) -> tuple[duckdb.DuckDBPyConnection, list[str], list[LoadedSource]]:
    """Survey and read the landing folder as the run does; (tables, warnings, files)."""
    con = duckdb.connect()
    install_macros(con)
    delivery = survey(landing, load_specs(), allow_missing=False)
    warnings = list(delivery.warnings)
    loaded = load_all(con, delivery, landing.parent / "quarantaine", landing.parent,
                      Pipeline().max_field_chars, lambda source: None)
    return con, warnings + [w for s in loaded for w in s.warnings], loaded


def test_a_truncated_last_line_goes_to_quarantine_by_line_and_the_rest_is_read(
        tmp_path: Path) -> None:
    landing = write_landing(tmp_path / "landing")
    path = landing / "jeugdhulp.csv"
    path.write_text(path.read_text(encoding="utf-8") + CARE[:70], encoding="utf-8")
    con, warnings, loaded = _load(landing)
    care = next(s for s in loaded if s.file == "jeugdhulp.csv")
    assert (care.rows, care.quarantined) == (3, 1)
    assert con.sql("SELECT count(*) FROM landing.jeugdhulp").fetchall() == [(2,)]
    quarantine = (tmp_path / "quarantaine" / "jeugdhulp.csv").read_text(encoding="utf-8")
    assert quarantine.splitlines()[1].startswith("jeugdhulp.csv;4;;;onleesbare regel")
    target = tmp_path / "quarantaine" / "jeugdhulp.csv"
    assert f"jeugdhulp.csv: 1 rij(en) in quarantaine ({target})." in warnings


def test_mixed_line_endings_are_read_row_by_row(tmp_path: Path) -> None:
    landing = write_landing(tmp_path / "landing")
    path = landing / "personen.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_bytes(("\r\n".join(lines[:2]) + "\n" + "\r\n".join(lines[2:]) + "\n").encode())
    con, warnings, _ = _load(landing)
    assert warnings == []
    assert con.sql("SELECT row_nr, wijkcode, peildatum::VARCHAR FROM landing.personen "
                   "ORDER BY row_nr").fetchall() == [(2, "WK003401", "2023-10-01"),
                                                     (3, "WK0363AF", "2023-10-01"),
                                                     (4, "WK003401", "2023-10-01")]


def test_excel_unicode_text_utf16_with_tabs_is_read(tmp_path: Path) -> None:
    landing = write_landing(tmp_path / "landing")
    path = landing / "scholen.csv"
    text = path.read_text(encoding="utf-8").replace(";", "\t").replace("De Kiem", "Één ’t Kompas")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))  # BOM + UTF-16-LE
    con, warnings, _ = _load(landing)
    assert warnings == []
    assert con.sql("SELECT vestigingscode, naam, lat FROM landing.scholen").fetchall() == [
        ("01AB00", "Één ’t Kompas", 52.3)]


def test_partner_column_names_brin_nummer_and_vestigingsnummer_are_aliases(
        tmp_path: Path) -> None:
    landing = write_landing(tmp_path / "landing")
    path = landing / "scholen.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "vestigingscode;brin;", "Vestigingsnummer;BRIN NUMMER;", 1), encoding="utf-8")
    con, warnings, _ = _load(landing)
    assert warnings == []
    assert con.sql("SELECT vestigingscode, brin FROM landing.scholen").fetchall() == [
        ("01AB00", "01AB")]


@pytest.mark.parametrize("names", [("jeugdhulp.csv", "jeugdhulp_kopie.csv"),
                                   ("jeugdhulp_deel1.csv", "jeugdhulp_deel2.csv")])
def test_the_same_file_delivered_twice_is_read_once(tmp_path: Path, names) -> None:
    landing = write_landing(tmp_path / "landing")
    content = (landing / "jeugdhulp.csv").read_bytes()
    (landing / "jeugdhulp.csv").unlink()
    for name in names:
        (landing / name).write_bytes(content)
    con, warnings, loaded = _load(landing)
    assert warnings == [f"{names[1]} is identiek aan {names[0]} en wordt niet nog eens "
                        "ingelezen (geen dubbeltelling)."]
    assert con.sql("SELECT count(*) FROM landing.jeugdhulp").fetchall() == [(2,)]
    assert [s.file for s in loaded if s.name == "jeugdhulp"] == [names[0]]


def test_a_correction_delivery_replaces_every_record_of_its_period(tmp_path: Path) -> None:
    landing = write_landing(tmp_path / "landing")
    (landing / "jeugdhulp_correctie_2023H2.csv").write_text(f"{CARE_HEADER}\n{CARE}\n",
                                                            encoding="utf-8")
    con, warnings, loaded = _load(landing)
    assert "jeugdhulp_correctie_2023H2.csv: correctie 2023H2 vervangt 2 record(s) met " \
           "datum_aanvang van 01-07-2023 t/m 31-12-2023 door 1 record(s)." in warnings
    assert con.sql("SELECT bestand, datum_aanvang::VARCHAR, kosten FROM landing.jeugdhulp"
                   ).fetchall() == [("jeugdhulp_correctie_2023H2.csv", "2023-10-02", 1200.5)]
    correction = next(s for s in loaded if s.file == "jeugdhulp_correctie_2023H2.csv")
    assert correction.manifest()["vervangen"] == 2


def test_unexpected_files_and_folders_are_ignored_with_a_warning(tmp_path: Path) -> None:
    landing = write_landing(tmp_path / "landing")
    (landing / "jeugdhulp.xlsx").write_bytes(b"PK\x03\x04")
    (landing / "~$jeugdhulp.csv").write_bytes(b"\x00lock")
    (landing / "oud").mkdir()
    (landing / "oud" / "jeugdhulp.csv").write_text(f"{CARE_HEADER}\n{CARE}\n", encoding="utf-8")
    con, warnings, _ = _load(landing)
    assert warnings == [
        "jeugdhulp.xlsx is geen bronbestand en wordt genegeerd (verwacht: .csv-bestanden uit "
        "pipelines/sources.yaml).",
        "map oud/ in de landing-map wordt genegeerd.",
        "~$jeugdhulp.csv is geen bronbestand en wordt genegeerd (verwacht: .csv-bestanden uit "
        "pipelines/sources.yaml)."]
    assert con.sql("SELECT count(*) FROM landing.jeugdhulp").fetchall() == [(2,)]


VISIBLE = {"min_count = 8": "min_count = 1", "hide_zero = true": "hide_zero = false",
           "protection_level = 8": "protection_level = 0",
           "dominance_p = 10": "dominance_p = 0"}  # the tiny delivery's cells shown


def _published(root: Path) -> dict[str, int]:
    """Published indicator rows per indicator (of `current`)."""
    path = root / "data" / "published" / "current" / "monitor.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(con.sql("SELECT indicator_id, count(*) FROM indicator_values "
                            "GROUP BY 1").fetchall())


@pytest.mark.slow
def test_a_missing_source_allowed_by_configuration_publishes_the_rest_never_zero(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    landing = write_landing(tmp_path / "landing")
    (landing / "verzuim.csv").unlink()
    allowed = {**VISIBLE, "allow_missing_sources = false": "allow_missing_sources = true"}
    assert run(tmp_path, landing, **allowed) == 0
    missing = ["thuiszitters", "thuiszitters_soort_absoluut",
               "thuiszitters_soort_langdurig_relatief", "thuiszitters_duur_kort",
               "thuiszitters_duur_midden", "thuiszitters_duur_lang", "verzuim_relatief"]
    out = capsys.readouterr().out
    assert f"waarschuwing: verzuim.csv ontbreekt: niet berekend en niet gepubliceerd: " \
           f"{', '.join(missing)}." in out
    assert f"niet gepubliceerd (bron ontbreekt): {', '.join(missing)}" in out
    published = _published(tmp_path)
    assert not set(missing) & set(published)
    assert published["jeugdhulp_leerlingen"] > 0 and published["speciaal_onderwijs"] > 0
    assert last_manifest(tmp_path)["niet_berekend"] == {"verzuim": missing}


@pytest.mark.slow
def test_odd_but_readable_deliveries_are_published_once_with_warnings(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """UTF-16, mixed line ends, partner column names, a copy, a correction and stray files
    in one delivery: exit 0, every record counted once, the run says what it did."""
    landing = write_landing(tmp_path / "landing")
    scholen = landing / "scholen.csv"
    scholen.write_bytes(scholen.read_text(encoding="utf-8").replace(
        "vestigingscode;brin;", "Vestigingsnummer;BRIN NUMMER;", 1).replace(";", "\t")
        .encode("utf-16"))
    personen = landing / "personen.csv"
    lines = personen.read_text(encoding="utf-8").splitlines()
    personen.write_bytes(("\r\n".join(lines[:2]) + "\n" + "\r\n".join(lines[2:]) + "\n").encode())
    (landing / "jeugdhulp_kopie.csv").write_bytes((landing / "jeugdhulp.csv").read_bytes())
    (landing / "jeugdhulp_correctie_2023.csv").write_text(f"{CARE_HEADER}\n{CARE}\n",
                                                          encoding="utf-8")
    (landing / "~$jeugdhulp.csv").write_bytes(b"\x00lock")
    assert run(tmp_path, landing, **VISIBLE) == 0
    out = capsys.readouterr().out
    for line in ("waarschuwing: jeugdhulp_kopie.csv is identiek aan jeugdhulp.csv en wordt niet "
                 "nog eens ingelezen (geen dubbeltelling).",
                 "waarschuwing: ~$jeugdhulp.csv is geen bronbestand en wordt genegeerd",
                 "waarschuwing: jeugdhulp_correctie_2023.csv: correctie 2023 vervangt 2 "
                 "record(s) met datum_aanvang van 01-01-2023 t/m 31-12-2023 door 1 record(s)."):
        assert line in out
    manifest = last_manifest(tmp_path)
    inputs = {i["bestand"]: i for i in manifest["inputs"]}
    assert inputs["jeugdhulp_correctie_2023.csv"]["vervangen"] == 2
    assert "jeugdhulp_kopie.csv" not in inputs and "~$jeugdhulp.csv" not in inputs
    assert (inputs["personen.csv"]["rijen"], inputs["scholen.csv"]["rijen"]) == (3, 1)
    # One client with one record of 1.200,50 euro: the copy and the replaced records are gone.
    path = tmp_path / "data" / "published" / "current" / "monitor.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.sql("SELECT value FROM indicator_values WHERE indicator_id = "
                       "'jeugdhulp_kosten_per_traject' AND level = 'gemeente'").fetchall() == [
            (1200.5,)]


def test_a_correction_of_one_gemeentes_part_replaces_only_that_part(tmp_path: Path) -> None:
    landing = write_landing(tmp_path / "landing")
    content = (landing / "jeugdhulp.csv").read_bytes()
    (landing / "jeugdhulp.csv").unlink()
    (landing / "jeugdhulp_GM0034.csv").write_bytes(content)
    (landing / "jeugdhulp_GM0995.csv").write_bytes(content.replace(b"98000001", b"98000002"))
    (landing / "jeugdhulp_GM0034_correctie_2023.csv").write_text(f"{CARE_HEADER}\n{CARE}\n",
                                                                 encoding="utf-8")
    con, warnings, _ = _load(landing)
    assert "jeugdhulp_GM0034_correctie_2023.csv: correctie 2023 vervangt 2 record(s) met " \
           "datum_aanvang van 01-01-2023 t/m 31-12-2023 uit jeugdhulp_GM0034.csv door 1 " \
           "record(s)." in warnings
    assert con.sql("SELECT bestand, count(*) FROM landing.jeugdhulp GROUP BY 1 ORDER BY 1"
                   ).fetchall() == [("jeugdhulp_GM0034_correctie_2023.csv", 1),
                                    ("jeugdhulp_GM0995.csv", 2)]
