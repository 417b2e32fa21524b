"""Area names: an swv is named with the gemeente(n) of its schools (indicators/sql/areas.sql)."""

from __future__ import annotations

import duckdb

from indicators.compute import GEMEENTEN_FILE, _sql

SCHOOLS = [  # vestigingscode, soort, gemeentecode, swv, swv_po, swv_vo
    ("00AA00", "BAO", "GM0034", "PO-24-16", "PO-24-16", None),
    ("00BB00", "BAO", "GM0034", "PO-24-16", "PO-24-16", None),
    ("00CC00", "VO", "GM0034", "VO-24-03", None, "VO-24-03"),
    ("00DD00", "VO", "GM0995", "VO-24-03", None, "VO-24-03"),
    ("00EE00", "BAO", "GM9999", "PO-99-01", "PO-99-01", None),  # a gemeente without a name
]


def _areas() -> dict[str, str]:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA staging")
    con.execute("CREATE TABLE staging.stg_scholen (vestigingscode VARCHAR, naam VARCHAR, "
                "school_soort VARCHAR, bevoegd_gezag VARCHAR, bevoegd_gezag_naam VARCHAR, "
                "gemeentecode VARCHAR, swv VARCHAR, swv_po VARCHAR, swv_vo VARCHAR)")
    con.executemany("INSERT INTO staging.stg_scholen VALUES (?, ?, ?, '00001', 'Stichting', ?, "
                    "?, ?, ?)", [(c, f"School {c}", s, g, w, p, v)
                                 for c, s, g, w, p, v in SCHOOLS])
    con.execute("CREATE TABLE staging.stg_wijken AS SELECT 'WK003401' AS wijkcode, "
                "'Haven' AS wijknaam")
    con.execute("CREATE TABLE regio_gemeenten (gemeentecode VARCHAR, regiocode VARCHAR, "
                "regionaam VARCHAR)")
    con.execute(f"SET VARIABLE gemeenten_csv = '{GEMEENTEN_FILE.as_posix()}'")
    rows = con.sql(_sql("areas")).fetchall()
    return {code: name for level, code, name, *_ in rows if level == "swv"}


def test_an_swv_is_named_with_the_gemeenten_of_its_schools() -> None:
    assert _areas() == {"PO-24-16": "Samenwerkingsverband PO-24-16 (Almere)",
                        "VO-24-03": "Samenwerkingsverband VO-24-03 (Almere, Lelystad)",
                        "PO-99-01": "Samenwerkingsverband PO-99-01"}
