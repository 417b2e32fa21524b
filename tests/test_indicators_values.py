"""Published indicator values agree with an independent recomputation from the landing CSVs."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from indicators import compute
from indicators.catalogue import load_catalogue
from indicators.levels import LEVELS
from pipelines.sql_runner import person_year_facts
from settings import load_settings
from tests.conftest import SampleRun

YEAR = 2023  # schooljaar 2023-2024
RECOMPUTE = Path(__file__).resolve().parent / "sql" / "recompute_indicators.sql"
# Indicators whose value is not numerator / denominator (checked against the median).
MEDIANS = {"jeugdhulp_kosten_mediaan": "jeugdhulp_kosten_per_traject"}


def _recomputed(sample_run: SampleRun, scratch: Path, table: str) -> pd.DataFrame:
    """Plain SQL over the landing CSVs (tests/sql/recompute_indicators.sql), no pipeline model."""
    codes = list(sample_run.settings.indicators.dyslexie_productcodes)
    scholen = scratch / "scholen_utf8.csv"
    scholen.write_text((sample_run.landing / "scholen.csv").read_text(encoding="cp1252"),
                       encoding="utf-8")
    with duckdb.connect() as con:
        con.execute("SET VARIABLE dir = ?", [str(sample_run.landing)])
        con.execute("SET VARIABLE scholen_utf8 = ?", [str(scholen)])
        con.execute("SET VARIABLE peil = ?", [f"{YEAR}-10-01"])
        con.execute("SET VARIABLE dyslexie = ?::VARCHAR[]", [codes])
        con.execute(RECOMPUTE.read_text(encoding="utf-8"))
        return con.sql(f"SELECT * FROM {table}").df()


@pytest.fixture(scope="module")
def expected(sample_run: SampleRun, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return _recomputed(sample_run, tmp_path_factory.mktemp("recompute"), "expected")


@pytest.mark.slow
def test_coverage_is_resident_pupils_over_duos_count_of_the_whole_school(
        sample_run: SampleRun, tmp_path: Path) -> None:
    """Coverage of every school and swv, recomputed from the landing CSVs (DUO's counts)."""
    expected = _recomputed(sample_run, tmp_path, "expected_coverage")
    with duckdb.connect(str(sample_run.work_db), read_only=True) as con:
        mine = con.sql(f"""SELECT DISTINCT level, area_code, coverage
            FROM mart.indicator_values WHERE indicator_id = 'jeugdhulp_leerlingen'
            AND period = '{YEAR}-{YEAR + 1}' AND level IN ('school', 'swv')""").df()
        outside = con.sql("""SELECT vestigingscode FROM staging.stg_scholen
            WHERE gemeentecode <> 'GM0034'""").df()["vestigingscode"]
    merged = mine.merge(expected, on=["level", "area_code"], suffixes=("", "_expected"))
    assert len(merged) == len(mine) > 50
    assert merged["coverage"].to_numpy() == pytest.approx(
        merged["coverage_expected"].astype(float).to_numpy(), nan_ok=True)
    # Schools outside the municipality: only residents are known, DUO counts everyone.
    away = merged[(merged["level"] == "school") & merged["area_code"].isin(outside)]
    assert len(away) > 10 and (away["coverage"] < 0.999).all()


def _indicators_at_school_wijk_or_gemeente() -> list[str]:
    return [i.id for i in load_catalogue()[0]
            if {"school", "wijk", "gemeente"} & set(i.niveaus)]


@pytest.mark.slow
@pytest.mark.parametrize("indicator", _indicators_at_school_wijk_or_gemeente())
def test_values_match_an_independent_recomputation_before_and_after_disclosure(
        sample_run: SampleRun, expected: pd.DataFrame, indicator: str) -> None:
    levels = next(i.niveaus for i in load_catalogue()[0] if i.id == indicator)
    mine = expected[(expected["indicator_id"] == MEDIANS.get(indicator, indicator))
                    & expected["level"].isin(levels)]
    assert len(mine) > 0, indicator
    query = f"""SELECT level, area_code, numerator, denominator, value FROM {{table}}
        WHERE indicator_id = '{indicator}' AND period = '{YEAR}-{YEAR + 1}'
          AND level IN ('school', 'wijk', 'gemeente')"""
    with duckdb.connect(str(sample_run.work_db), read_only=True) as con:
        exact = con.sql(query.format(table="mart.indicator_values")).df()
    merged = exact.merge(mine, on=["level", "area_code"], how="outer",
                         suffixes=("", "_expected"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    if indicator in MEDIANS:
        assert merged["value"].to_numpy() == pytest.approx(merged["median"].to_numpy(), abs=0.01)
    else:
        assert merged["numerator"].to_numpy() == pytest.approx(
            merged["numerator_expected"].astype(float).to_numpy(), abs=0.05)
    assert (merged["denominator"] == merged["denominator_expected"]).all()
    # What is published is either exactly that, or hidden with a reason.
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        published = con.sql(query.format(table="indicator_values").replace(
            "numerator, denominator, value", "value, suppression_reason")).df()
    both = published.merge(exact, on=["level", "area_code"], suffixes=("", "_exact"))
    # Hidden means absent: a row whose population count is hidden is not published at all.
    assert len(both) == len(published) <= len(mine)
    shown = both[both["suppression_reason"].isna()]
    exact_shown = shown["value_exact"].to_numpy()
    if indicator in MEDIANS:  # a median is one child's amount: published to the nearest € 100
        unit = load_settings().disclosure.euro_round
        exact_shown = np.round(exact_shown / unit) * unit
    assert shown["value"].to_numpy() == pytest.approx(exact_shown)
    hidden = both[both["suppression_reason"].notna()]
    assert hidden["value"].isna().all()
    assert set(hidden["suppression_reason"]) <= {"afgeschermd", "lage_dekking"}


@pytest.mark.slow
def test_summing_rows_of_one_person_per_year_gives_the_figures_of_counting_persons(
        sample_run: SampleRun, tmp_path: Path) -> None:
    """The single years of a fact keyed by person and schooljaar are summed per row (one pass
    over the areas, no per-person step): every figure must equal counting persons."""
    assert person_year_facts() == {"fact_leerling_jaar", "fact_inwoner_jaar",
                                   "fact_jeugdhulp_client_jaar"}
    settings = sample_run.settings.indicators
    figures = {}
    for label, facts in (("rows", person_year_facts()), ("persons", frozenset())):
        shutil.copy(sample_run.work_db, tmp_path / f"{label}.duckdb")
        with duckdb.connect(str(tmp_path / f"{label}.duckdb")) as con:
            con.execute("SET VARIABLE dyslexie_productcodes = ?::VARCHAR[]",
                        [list(settings.dyslexie_productcodes)])
            compute.run(con, settings, facts)
            figures[label] = con.sql("SELECT * FROM mart.indicator_values "
                                     "ORDER BY ALL").df()
    assert len(figures["rows"]) > 20_000
    pd.testing.assert_frame_equal(figures["rows"], figures["persons"])


def _published_cells(sample_run: SampleRun) -> tuple[set, set, list, set]:
    """(rows, shown cells, periods, shown multi-year figures) of indicator_values."""
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        rows = set(con.sql("SELECT DISTINCT indicator_id, level, period "
                           "FROM indicator_values").fetchall())
        shown = set(con.sql("SELECT DISTINCT indicator_id, level, period "
                            "FROM indicator_values WHERE value IS NOT NULL").fetchall())
        periods = [r[0] for r in con.sql("SELECT DISTINCT period FROM indicator_values "
                                         "ORDER BY 1").fetchall()]
        pooled = set(con.sql("SELECT DISTINCT indicator_id, level FROM "
                             "indicator_values_meerjarig WHERE value IS NOT NULL").fetchall())
    return rows, shown, periods, pooled


def test_every_indicator_has_a_gemeente_row_every_schooljaar(
        sample_run: SampleRun) -> None:
    rows, _, periods, _ = _published_cells(sample_run)
    assert periods == ["2021-2022", "2022-2023", "2023-2024", "2024-2025", "2025-2026"]
    # Outcomes a year later are known only up to the last schooljaar the deliveries cover.
    for indicator in load_catalogue()[0]:
        for period in periods[:-1]:
            # Other levels may lack a row: hidden means absent.
            assert (indicator.id, "gemeente", period) in rows, (indicator.id, period)
    # One gemeente (the Almere sample) has no region: it would equal the gemeente.
    assert set(LEVELS) - {"regio"} == {level for _, level, _ in rows}


@pytest.mark.xfail(strict=True, reason=(
    "Known gap (issue 9 stays open): the joint secondary suppression moves batches of small "
    "cells at once; with about two per relation per batch the gemeente now shows thuiszitters "
    "and dyslexiezorg, but the thuiszitters breakdowns by soort and duur stay hidden at the "
    "gemeente in every year, and dyslexiezorg_nieuw (bestuur, swv), vsv (swv) and "
    "speciaal_onderwijs (bestuur) in every year; per-cell protection would keep more visible."))
def test_the_gemeente_shows_every_indicator_in_nearly_every_schooljaar(
        sample_run: SampleRun) -> None:
    _, shown, periods, pooled = _published_cells(sample_run)
    hidden = [i.id for i in load_catalogue()[0]
              if sum((i.id, "gemeente", p) in shown for p in periods) < 3]
    # Besturen and swv's show each indicator in some year or over all years together.
    hidden += [(i.id, level) for i in load_catalogue()[0]
               for level in {"bestuur", "swv"} & set(i.niveaus)
               if not any((i.id, level, p) in shown for p in periods)
               and (i.id, level) not in pooled]
    assert hidden == []


def test_intervals_contain_the_value_and_units_are_respected(sample_run: SampleRun) -> None:
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        bad = con.sql("""SELECT count(*) FROM indicator_values v
            JOIN indicators i USING (indicator_id)
            WHERE NOT suppressed AND (value < ci_low - 1e-9 OR value > ci_high + 1e-9
               OR (i.eenheid = 'percentage' AND (value < 0 OR value > 100))
               OR (i.eenheid = 'per_1000' AND (value < 0 OR value > 1000)))""").fetchall()[0][0]
    assert bad == 0


def test_every_catalogue_entry_is_published_and_described_fully(sample_run: SampleRun) -> None:
    entries = [indicator.id for indicator in load_catalogue()[0]]
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        catalogue = con.sql("SELECT * FROM indicators ORDER BY volgorde").df()
        with_values = {r[0] for r in con.sql(
            "SELECT DISTINCT indicator_id FROM indicator_values").fetchall()}
    assert catalogue["indicator_id"].tolist() == entries
    assert with_values == set(entries)
    for column in ("naam", "vraag", "definitie", "teller", "noemer", "eenheid", "richting",
                   "populatie", "bron", "definitie_bron", "kanttekeningen"):
        assert catalogue[column].str.len().min() > 3, column
