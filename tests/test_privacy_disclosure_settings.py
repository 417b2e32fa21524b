"""The covenant's thresholds in monitor.toml decide what the published figures hide."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from indicators import compute
from pipelines.sql_runner import person_year_facts, run_models
from privacy.disclosure import protect
from settings import load_settings
from tests.fixtures import tiny_landing, write_settings


@pytest.fixture(scope="module")
def marts() -> duckdb.DuckDBPyConnection:
    """Schema `mart` computed from the tiny delivery (a handful of pupils: small counts)."""
    con = duckdb.connect()
    tiny_landing(con)
    con.execute("SET VARIABLE dyslexie_productcodes = ['54D01']::VARCHAR[]")
    run_models(con)
    # Two indicators are enough to see the thresholds act: the fast loop skips the catalogue.
    compute.run(con, load_settings().indicators, person_year_facts(),
                only={"jeugdhulp_leerlingen", "verzuim_relatief"})
    return con


def _shown(con: duckdb.DuckDBPyConnection, settings_file: Path) -> set[tuple]:
    """Cells with a visible value (a hidden cell is marked suppressed or absent)."""
    protect(con, load_settings(settings_file).disclosure)
    return set(con.sql("SELECT indicator_id, level, area_code, period "
                       "FROM publish.indicator_values WHERE value IS NOT NULL").fetchall())


def test_min_count_in_the_settings_file_changes_what_is_hidden(
        marts: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    strict = _shown(marts, write_settings(tmp_path / "a"))
    # The p% rule off too: in a handful of pupils every cost sum has one or two clients.
    looser = {"min_count = 8": "min_count = 1", "protection_level = 8": "protection_level = 1",
              "dominance_p = 10": "dominance_p = 0"}
    lenient = _shown(marts, write_settings(tmp_path / "b", **looser))
    assert strict < lenient
    shown_small = marts.sql("SELECT count(*) FROM publish.indicator_values WHERE NOT suppressed "
                            "AND n_personen BETWEEN 1 AND 7").fetchall()[0][0]
    assert shown_small > 0, "with min_count = 1, counts of 1-7 persons are shown"
