"""A region of two small neighbouring gemeenten run end to end: the regio rows exist, equal the
sum of their gemeenten and an independent count from the landing files, and an outsider holding
the published database learns nothing narrower than the protection level."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from dashboard.app import create_app
from dashboard.context import Viewer
from indicators.catalogue import load_catalogue
from privacy.scope import Scope
from tests.conftest import SampleRun, run_sample
from tests.test_dashboard_server import _download, _render
from tests.test_privacy_disclosure import _attack

# Aa en Hunze and Tynaarlo (Drenthe) border each other; 37 schools, scaled down.
GEMEENTEN, SCALE = ("GM1680", "GM1730"), "0.3"
REGIO = "+".join(GEMEENTEN)
PEIL = "2023-10-01"  # schooljaar 2023-2024: 1 August 2023 - 31 July 2024

# Pupils (not hbo/wo students) enrolled on 1 oktober who live in one of the region's gemeenten
# (in either personen file on that day), and those with jeugdhulp (not productcategorie 47/48)
# in the schooljaar.
RECOUNT = """
WITH per AS (
    SELECT DISTINCT pseudoniem FROM read_csv($dir || '/personen_*.csv', delim = ',',
                                             header = true, all_varchar = true)
    WHERE peildatum::DATE = $peil::DATE
),
ins AS (
    SELECT DISTINCT pseudoniem FROM read_csv($dir || '/inschrijvingen.csv', delim = ';',
                                             header = true, all_varchar = true)
    WHERE strptime(datum_inschrijving, '%Y%m%d')::DATE <= $peil::DATE
      AND onderwijssoort NOT IN ('HBO', 'WO')  -- students in hbo/wo are no pupils
      AND (NULLIF(datum_uitschrijving, '') IS NULL
           OR strptime(datum_uitschrijving, '%Y%m%d')::DATE >= $peil::DATE)
),
hulp AS (
    SELECT DISTINCT pseudoniem FROM read_csv($dir || '/jeugdhulp_*.csv', delim = ';',
                                             header = true, all_varchar = true)
    WHERE productcategorie NOT IN ('47', '48')
      AND strptime(datum_aanvang, '%Y%m%d')::DATE <= DATE '2024-07-31'
      AND (NULLIF(datum_einde, '') IS NULL
           OR strptime(datum_einde, '%Y%m%d')::DATE >= DATE '2023-08-01')
)
SELECT count(*) FILTER (WHERE pseudoniem IN (SELECT pseudoniem FROM hulp)) AS numerator,
       count(*) AS denominator
FROM ins JOIN per USING (pseudoniem)
"""


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> SampleRun:
    return run_sample(tmp_path_factory.mktemp("regio"), ",".join(GEMEENTEN), SCALE)


@pytest.mark.slow
def test_every_indicator_with_a_gemeente_level_has_the_region(region: SampleRun) -> None:
    with_gemeente = {i.id for i in load_catalogue()[0] if "gemeente" in i.niveaus}
    with duckdb.connect(str(region.work_db), read_only=True) as con:
        exact = {r[0] for r in con.sql("SELECT DISTINCT indicator_id FROM mart.indicator_values "
                                       f"WHERE level = 'regio' AND area_code = '{REGIO}'"
                                       ).fetchall()}
    assert exact == with_gemeente
    with duckdb.connect(str(region.published_db), read_only=True) as con:
        name = con.sql("SELECT area_name FROM areas WHERE level = 'regio'").fetchall()
        shown = con.sql("SELECT count(*) FROM indicator_values WHERE level = 'regio' "
                        "AND NOT suppressed").fetchall()[0][0]
    assert name == [("Regio Aa en Hunze, Tynaarlo",)]
    assert shown > 50


@pytest.mark.slow
def test_the_region_is_the_sum_of_its_gemeenten_wherever_all_are_shown(
        region: SampleRun) -> None:
    with duckdb.connect(str(region.published_db), read_only=True) as con:
        rows = con.sql("""
            WITH g AS (
                SELECT indicator_id, period, sum(numerator) AS numerator,
                       sum(denominator) AS denominator, count(*) AS shown
                FROM indicator_values WHERE level = 'gemeente' AND NOT suppressed GROUP BY ALL)
            SELECT g.*, r.numerator AS r_numerator, r.denominator AS r_denominator
            FROM g JOIN indicator_values AS r USING (indicator_id, period)
            WHERE r.level = 'regio' AND NOT r.suppressed AND g.shown = 2""").df()
    assert len(rows) > 30
    assert rows["r_numerator"].to_numpy() == pytest.approx(rows["numerator"].to_numpy())
    assert (rows["r_denominator"] == rows["denominator"]).all()


@pytest.mark.slow
def test_the_region_counts_each_pupil_once_as_the_landing_files_do(region: SampleRun) -> None:
    with duckdb.connect() as con:
        expected = con.execute(RECOUNT, {"dir": str(region.landing), "peil": PEIL}).fetchall()[0]
    with duckdb.connect(str(region.work_db), read_only=True) as con:
        found = con.execute("""SELECT numerator, denominator FROM mart.indicator_values
            WHERE indicator_id = 'jeugdhulp_leerlingen' AND level = 'regio' AND period = ?""",
                            ["2023-2024"]).fetchall()[0]
    assert found == pytest.approx(expected)


@pytest.mark.slow
def test_an_attacker_learns_nothing_about_the_region(region: SampleRun) -> None:
    policy = dataclasses.asdict(region.settings.disclosure)
    _attack(region.published_db, policy["protection_level"], policy["min_count"], sample=150)


def _client(region: SampleRun, role: str):
    viewer = Viewer("test", "Test", "test", Scope.parse(role))
    return create_app(region.settings, viewer=lambda _request: viewer).server.test_client()


@pytest.fixture(scope="module")
def board(region: SampleRun) -> tuple[str, str, str]:
    """(bestuur, one of its schools, that school's wijk) of a school inside the region."""
    with duckdb.connect(str(region.published_db), read_only=True) as con:
        return con.sql("SELECT bevoegd_gezag, vestigingscode, wijkcode FROM schools "
                       "WHERE wijkcode LIKE 'WK1680%' ORDER BY vestigingscode LIMIT 1"
                       ).fetchall()[0]


@pytest.mark.slow
@pytest.mark.parametrize("role", ["analist", "oogo", "bestuur"])
def test_every_role_sees_the_region_where_the_gemeente_is_shown(
        region: SampleRun, board: tuple[str, str, str], role: str) -> None:
    number, school, wijk = board
    client = _client(region, f"bestuur:{number}" if role == "bestuur" else role)
    name = "Regio Aa en Hunze, Tynaarlo"
    overview = _render(client, "/")
    assert "Resultaten in de regio" in overview and name in overview
    assert "Per gemeente: Aa en Hunze" in overview
    check = _render(client, "/check", "?indicator=jeugdhulp_leerlingen&niveau=gemeente"
                                      "&gebied=GM1680")
    assert "in de regio: waarde, doel en landelijk" in check
    assert "Andere gemeenten" in check and "Tynaarlo" in check
    assert name in _render(client, "/do", "?niveau=regio")
    profile = _render(client, "/wijk", f"?wijkcode={wijk}")
    assert '"Regio"' in profile and '"Gemeente"' in profile
    if role != "oogo":  # OOGO partners see no school or board page by name
        assert '"Regio"' in _render(client, "/school", f"?vestigingscode={school}")
        assert "andere besturen en de regio" in _render(client, "/bestuur",
                                                         f"?bestuur={number}")
    download = _download(client, "vergelijking|jeugdhulp_leerlingen|gemeente|GM1680")
    header = next(line for line in download.splitlines() if line.startswith("Schooljaar"))
    assert header.endswith(";Regio")
