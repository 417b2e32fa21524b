"""The region: all delivering gemeenten together, on tiny hand-built deliveries.

Almere (GM0034) and Lelystad (GM0995) deliver their own residents; one pupil lives in Lelystad
and goes to school in Almere, one moves from Almere to Lelystad. Every figure is worked out by
hand: the region counts each person once, and its sums are the gemeenten's sums.
"""

from __future__ import annotations

import csv

import duckdb
import pytest

from indicators.catalogue import load_catalogue
from indicators.compute import GEMEENTEN_FILE
from privacy.disclosure_relations import build_system
from tests.delivery import Delivery, cell, pseudonym

Y1, Y2 = "2021-2022", "2022-2023"
P1, P2 = "2021-10-01", "2022-10-01"
ALMERE, LELYSTAD = "WK003401", "WK099501"
REGIO = "GM0034+GM0995"
POOLED = "2021-2022 t/m 2022-2023"


def _region() -> Delivery:
    d = Delivery()
    d.school("01AA00", "BAO", "PO-24-01", gemeente="GM0034")
    d.school("02BB00", "VO", "VO-24-02", gemeente="GM0034")
    d.school("05EE00", "BAO", "PO-24-03", gemeente="GM0995")  # each gemeente its own PO-swv
    for name, wijk, school in (("a", ALMERE, "01AA00"), ("b", ALMERE, "01AA00"),
                               ("c", LELYSTAD, "05EE00")):
        d.person(name, "2012-01-01", {P1: wijk, P2: wijk})
        d.enrol(name, school, "BAO", "2021-08-01", "2023-07-31")
    # x lives in Lelystad and goes to school in Almere: in personen_GM0995 only.
    d.person("x", "2008-01-01", {P1: LELYSTAD, P2: LELYSTAD})
    # Both gemeenten's leerplicht administrations deliver x's enrolment (parts of one source).
    d.enrol("x", "02BB00", "HAVO", "2021-08-01", "2023-07-31")
    d.enrol("x", "02BB00", "HAVO", "2021-08-01", "2023-07-31")
    # m moves from Almere to Lelystad between the two peildata, at the same school.
    d.person("m", "2012-01-01", {P1: ALMERE, P2: LELYSTAD})
    d.enrol("m", "01AA00", "BAO", "2021-08-01", "2023-07-31")
    d.care("x", "2021-09-01", "2022-03-01", kosten=3000.0)
    d.care("a", "2021-09-01", "2022-03-01", kosten=1000.0)
    d.care("m", "2021-09-01", None, kosten=2000.0)
    return d


@pytest.fixture(scope="module")
def region():
    # The indicators these tests read; areas and breakdowns are built either way.
    return _region().run(only=("jeugdhulp_leerlingen", "jeugdhulp_kosten_per_traject"))


def _counts(con, indicator: str, level: str, area: str, period: str) -> tuple:
    row = cell(con, indicator, level, area, period)
    return row["numerator"], row["denominator"], row["n_noemer"]


def test_the_region_is_one_area_named_after_its_gemeenten_and_their_parent(region) -> None:
    areas = region.sql("SELECT level, area_code, area_name, parent_level, parent_code "
                       "FROM mart.areas WHERE level IN ('gemeente', 'regio') "
                       "ORDER BY level, area_code").fetchall()
    assert areas == [("gemeente", "GM0034", "Almere", "regio", REGIO),
                     ("gemeente", "GM0995", "Lelystad", "regio", REGIO),
                     ("regio", REGIO, "Regio Almere, Lelystad", None, None)]


def test_the_region_counts_every_resident_once_and_is_the_sum_of_its_gemeenten(region) -> None:
    # 2021-2022: Almere a, b, m (a and m with care); Lelystad c, x (x with care).
    assert _counts(region, "jeugdhulp_leerlingen", "gemeente", "GM0034", Y1) == (2, 3, 3)
    assert _counts(region, "jeugdhulp_leerlingen", "gemeente", "GM0995", Y1) == (1, 2, 2)
    assert _counts(region, "jeugdhulp_leerlingen", "regio", REGIO, Y1) == (3, 5, 5)
    assert cell(region, "jeugdhulp_leerlingen", "regio", REGIO, Y1)["value"] \
        == pytest.approx(60)
    # 2022-2023: m lives in Lelystad now, the only one whose care still runs.
    assert _counts(region, "jeugdhulp_leerlingen", "regio", REGIO, Y2) == (1, 5, 5)
    # Over both years: 10 person-years of 5 persons (4 person-years with care, of a, m and
    # x); m is counted in both gemeenten but once in the region.
    assert _counts(region, "jeugdhulp_leerlingen", "gemeente", "GM0034", POOLED)[2] == 3
    assert _counts(region, "jeugdhulp_leerlingen", "gemeente", "GM0995", POOLED)[2] == 3
    pooled = cell(region, "jeugdhulp_leerlingen", "regio", REGIO, POOLED)
    assert (pooled["numerator"], pooled["denominator"], pooled["n_teller"],
            pooled["n_noemer"]) == (4, 10, 3, 5)
    assert pooled["coverage"] != pooled["coverage"]  # NaN: residents only, like the gemeente


def test_a_pupil_living_in_one_gemeente_at_a_school_in_the_other_is_linked_once(region) -> None:
    x = region.sql("SELECT schooljaar, vestigingscode, gemeentecode, inwoner, jeugdhulp "
                   "FROM facts.fact_leerling_jaar WHERE pseudoniem = ? ORDER BY schooljaar",
                   params=[pseudonym("x")]).fetchall()
    assert x == [(Y1, "02BB00", "GM0995", True, True), (Y2, "02BB00", "GM0995", True, False)]
    # At the Almere school x is a resident (of the region) with youth care, counted once.
    assert _counts(region, "jeugdhulp_leerlingen", "school", "02BB00", Y1) == (1, 1, 1)
    # Costs: x's 3000 euro lie in Lelystad and once in the region (a 1000, m 2000 pro rata).
    lelystad = cell(region, "jeugdhulp_kosten_per_traject", "gemeente", "GM0995", Y1)
    regio = cell(region, "jeugdhulp_kosten_per_traject", "regio", REGIO, Y1)
    almere = cell(region, "jeugdhulp_kosten_per_traject", "gemeente", "GM0034", Y1)
    assert lelystad["numerator"] == pytest.approx(3000)
    assert regio["numerator"] == pytest.approx(almere["numerator"] + 3000)
    assert (regio["denominator"], regio["n_noemer"]) == (3, 3)


def test_breakdowns_of_the_region_add_up_from_its_gemeenten(region) -> None:
    rows = region.sql("""SELECT level, sum(count) FROM mart.breakdowns
        WHERE dimension = 'hulpvorm' AND category = 'totaal' AND period = ?
          AND level IN ('gemeente', 'regio') GROUP BY level ORDER BY level""",
                      params=[Y1]).fetchall()
    assert rows == [("gemeente", 3), ("regio", 3)]


def test_disclosure_control_knows_the_region_is_the_sum_of_its_gemeenten(region) -> None:
    values = region.sql("SELECT * FROM mart.indicator_values").df()
    breakdowns = region.sql("SELECT * FROM mart.breakdowns").df()
    areas = region.sql("SELECT * FROM mart.areas").df()
    indicators = {i.id: i for i in load_catalogue()[0]}
    system = build_system(values, breakdowns, areas, indicators, {POOLED})
    cells = system.cells.reset_index(drop=True)
    target = cells[(cells["quantity"] == "iv:jeugdhulp_leerlingen:denominator")
                   & (cells["period"] == Y1)]
    by_level = {(r.level, r.area_code): r.cell for r in target.itertuples()}
    wanted = {by_level[("regio", REGIO)]: -1.0, by_level[("gemeente", "GM0034")]: 1.0,
              by_level[("gemeente", "GM0995")]: 1.0}
    matrix = system.relations.tocsr()
    found = [dict(zip(matrix[r].indices, matrix[r].data, strict=True))
             for r in range(matrix.shape[0])]
    assert wanted in found


def test_one_gemeente_has_no_region() -> None:
    d = Delivery()
    d.school("01AA00", "BAO", "PO-24-01")
    d.person("a", "2012-01-01", {P1: ALMERE, P2: ALMERE})
    d.enrol("a", "01AA00", "BAO", "2021-08-01", "2023-07-31")
    con = d.run(only=("jeugdhulp_leerlingen",))  # has a gemeente level, so a regio if any
    levels = {r[0] for r in con.sql("SELECT DISTINCT level FROM mart.indicator_values "
                                    "UNION SELECT level FROM mart.areas").fetchall()}
    assert "regio" not in levels and "gemeente" in levels
    parents = con.sql("SELECT parent_level FROM mart.areas WHERE level = 'gemeente'").fetchall()
    assert parents == [(None,)]


def test_a_region_of_exactly_one_swv_takes_the_swv_name() -> None:
    d = Delivery()
    # Both gemeenten's regular schools belong to PO-24-01 (and only theirs do).
    d.school("01AA00", "BAO", "PO-24-01", gemeente="GM0034")
    d.school("05EE00", "BAO", "PO-24-01", gemeente="GM0995")
    d.school("06FF00", "BAO", "PO-24-09", gemeente="GM0050")
    for name, wijk, school in (("a", ALMERE, "01AA00"), ("c", LELYSTAD, "05EE00")):
        d.person(name, "2012-01-01", {P1: wijk})
        d.enrol(name, school, "BAO", "2021-08-01")
    con = d.run(only=("jeugdhulp_leerlingen",))  # the region's name is in mart.areas
    name = con.sql("SELECT area_name FROM mart.areas WHERE level = 'regio'").fetchall()
    assert name == [("Regio Samenwerkingsverband PO-24-01",)]


def _regio_sql(gemeenten: list[str]) -> list[tuple]:
    """indicators/sql/regio.sql on one wijk per delivering gemeente."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA staging; CREATE SCHEMA intermediate")
    con.execute("CREATE TABLE intermediate.int_swv_woongemeente "
                "(gemeentecode VARCHAR, swv_po VARCHAR, swv_vo VARCHAR)")
    con.execute("CREATE TABLE staging.stg_wijken AS SELECT 'WK' || substr(code, 3, 4) || '01' "
                "AS wijkcode FROM unnest(?) AS t(code)", [gemeenten])
    con.execute(f"SET VARIABLE gemeenten_csv = '{GEMEENTEN_FILE.as_posix()}'")
    return con.sql((GEMEENTEN_FILE.parent / "sql" / "regio.sql").read_text()).fetchall()


def test_every_gemeente_of_the_country_together_is_the_region_nederland() -> None:
    everyone = sorted(csv.DictReader(GEMEENTEN_FILE.open(encoding="utf-8")),
                      key=lambda row: row["gemeentecode"])
    codes = [row["gemeentecode"] for row in everyone]
    assert {(code, name) for _, code, name in _regio_sql(codes)} == {("NL", "Nederland")}
    one_short = _regio_sql(codes[1:])
    assert {code for _, code, _ in one_short} == {"+".join(codes[1:])}
    assert one_short[0][2].startswith(f"Regio {everyone[1]['gemeentenaam']}, ")
