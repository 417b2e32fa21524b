"""Published indicator values agree with an independent pandas recomputation from landing CSVs."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from indicators.catalogue import load_catalogue
from tests.conftest import SampleRun

YEAR = 2023  # schooljaar 2023-2024
STARTKWALIFICATIE = {"HAVO", "VWO", "MBO-2", "MBO-3", "MBO-4"}


def _csv(run: SampleRun, name: str, sep: str, encoding: str) -> pd.DataFrame:
    return pd.read_csv(run.landing / f"{name}.csv", sep=sep, encoding=encoding, dtype=str,
                       keep_default_na=False)


def _date(values: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(values.where(values != ""), format=fmt)


@pytest.fixture(scope="module")
def landing(sample_run: SampleRun) -> dict[str, pd.DataFrame]:
    personen = _csv(sample_run, "personen", ",", "utf-8")
    personen["peildatum"] = _date(personen["peildatum"], "%Y-%m-%d")
    personen["geboortedatum"] = _date(personen["geboortedatum"], "%Y-%m-%d")
    inschrijvingen = _csv(sample_run, "inschrijvingen", ";", "cp1252")
    for column in ("datum_inschrijving", "datum_uitschrijving"):
        inschrijvingen[column] = _date(inschrijvingen[column], "%Y%m%d")
    jeugdhulp = _csv(sample_run, "jeugdhulp", ";", "cp1252")
    for column in ("datum_aanvang", "datum_einde"):
        jeugdhulp[column] = _date(jeugdhulp[column], "%Y%m%d")
    diplomas = _csv(sample_run, "diplomas", ",", "utf-8")
    diplomas["datum"] = _date(diplomas["datum"], "%Y%m%d")
    return {"personen": personen, "inschrijvingen": inschrijvingen, "jeugdhulp": jeugdhulp,
            "diplomas": diplomas}


def _enrolled_on(enrolments: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    on = enrolments[(enrolments["datum_inschrijving"] <= day)
                    & (enrolments["datum_uitschrijving"].isna()
                       | (enrolments["datum_uitschrijving"] >= day))]
    on = on.sort_values(["pseudoniem", "datum_inschrijving", "vestigingscode"],
                        ascending=[True, False, True])
    return on.drop_duplicates("pseudoniem")


def _age(birth: pd.Series, day: pd.Timestamp) -> pd.Series:
    before = (birth.dt.month > day.month) | ((birth.dt.month == day.month)
                                             & (birth.dt.day > day.day))
    return day.year - birth.dt.year - before.astype(int)


def _expected(landing: dict[str, pd.DataFrame], indicator: str) -> pd.DataFrame:
    """(level, area_code) -> numerator, denominator, recomputed without the pipeline's SQL."""
    peil, peil_next = pd.Timestamp(f"{YEAR}-10-01"), pd.Timestamp(f"{YEAR + 1}-10-01")
    personen = landing["personen"]
    home = personen[personen["peildatum"] == peil].set_index("pseudoniem")
    births = personen.groupby("pseudoniem")["geboortedatum"].min()
    diplomas = landing["diplomas"]
    qualified = diplomas[diplomas["diploma"].isin(STARTKWALIFICATIE)] \
        .groupby("pseudoniem")["datum"].min()
    if indicator == "startkwalificatie":
        people = home[_age(home["geboortedatum"], peil).between(18, 22)].copy()
        people["teller"] = qualified.reindex(people.index) <= peil
        started = landing["inschrijvingen"]
        started = started[started["datum_inschrijving"] <= peil].sort_values(
            ["pseudoniem", "datum_inschrijving", "vestigingscode"], ascending=[True, False, True])
        people["school"] = started.drop_duplicates("pseudoniem").set_index("pseudoniem") \
            ["vestigingscode"].reindex(people.index)
    else:
        pupils = _enrolled_on(landing["inschrijvingen"], peil).set_index("pseudoniem")
        people = pd.DataFrame({"school": pupils["vestigingscode"],
                               "wijkcode": home["wijkcode"].reindex(pupils.index)})
        if indicator == "jeugdhulp_leerlingen":
            care = landing["jeugdhulp"]
            active = care[(care["datum_aanvang"] <= pd.Timestamp(f"{YEAR + 1}-07-31"))
                          & (care["datum_einde"].isna()
                             | (care["datum_einde"] >= pd.Timestamp(f"{YEAR}-08-01")))]
            people["teller"] = people.index.isin(set(active["pseudoniem"]))
        else:  # vsv: 12-22-year-olds in vo, pro or mbo
            age = _age(births.reindex(people.index), peil)
            secondary = ~pupils["onderwijssoort"].isin(["BAO", "SBAO", "SO", "VSO"])
            people = people[age.between(12, 22) & secondary].copy()
            next_year = set(_enrolled_on(landing["inschrijvingen"], peil_next)["pseudoniem"])
            kwal = qualified.reindex(people.index) <= peil_next
            people["teller"] = ~people.index.isin(next_year) & ~kwal.fillna(False)
    if "wijkcode" not in people:
        people["wijkcode"] = home["wijkcode"].reindex(people.index)
    frames = []
    for level, column in (("school", "school"), ("wijk", "wijkcode")):
        grouped = people.dropna(subset=[column]).groupby(column)["teller"] \
            .agg(numerator="sum", denominator="size")
        frames.append(grouped.rename_axis("area_code").reset_index().assign(level=level))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("indicator", ["jeugdhulp_leerlingen", "vsv", "startkwalificatie"])
def test_values_match_an_independent_recomputation_before_and_after_disclosure(
        sample_run: SampleRun, landing: dict[str, pd.DataFrame], indicator: str) -> None:
    expected = _expected(landing, indicator)
    query = f"""SELECT level, area_code, numerator, denominator FROM {{table}}
        WHERE indicator_id = '{indicator}' AND period = '{YEAR}-{YEAR + 1}'
          AND level IN ('school', 'wijk')"""
    with duckdb.connect(str(sample_run.work_db), read_only=True) as con:
        exact = con.sql(query.format(table="mart.indicator_values")).df()
    merged = exact.merge(expected, on=["level", "area_code"], how="outer",
                         suffixes=("", "_expected"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    assert (merged["numerator"] == merged["numerator_expected"]).all()
    assert (merged["denominator"] == merged["denominator_expected"]).all()
    # What is published is either exactly that, or hidden with a reason.
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        published = con.sql(query.format(table="indicator_values").replace(
            "numerator, denominator", "numerator, denominator, suppression_reason")).df()
    both = published.merge(expected, on=["level", "area_code"], suffixes=("", "_expected"))
    # Hidden means absent: a row whose population count is hidden is not published at all.
    assert len(both) == len(published) and len(both) >= len(expected) / 3
    shown = both[both["suppression_reason"].isna()]
    assert (shown["numerator"] == shown["numerator_expected"]).all()
    hidden = both[both["suppression_reason"].notna()]
    assert hidden["numerator"].isna().all()
    assert set(hidden["suppression_reason"]) <= {"klein_aantal", "secundair"}


def test_every_indicator_has_a_gemeente_row_every_schooljaar(
        sample_run: SampleRun) -> None:
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        rows = set(con.sql("SELECT DISTINCT indicator_id, level, period "
                           "FROM indicator_values").fetchall())
        shown = set(con.sql("SELECT DISTINCT indicator_id, level, period "
                            "FROM indicator_values WHERE value IS NOT NULL").fetchall())
        periods = [r[0] for r in con.sql("SELECT DISTINCT period FROM indicator_values "
                                         "ORDER BY 1").fetchall()]
        pooled = set(con.sql("SELECT DISTINCT indicator_id, level FROM "
                             "indicator_values_meerjarig WHERE value IS NOT NULL").fetchall())
    assert periods == ["2021-2022", "2022-2023", "2023-2024", "2024-2025", "2025-2026"]
    for indicator in load_catalogue()[0]:
        for period in periods:
            # Other levels may lack a row: hidden means absent.
            assert (indicator.id, "gemeente", period) in rows, (indicator.id, period)
            # The gemeente is large enough to show every figure every year.
            assert (indicator.id, "gemeente", period) in shown, (indicator.id, period)
        # Besturen and swv's show each indicator in some year or over all years together.
        for level in ("bestuur", "swv"):
            assert any((indicator.id, level, p) in shown for p in periods) \
                or (indicator.id, level) in pooled, (indicator.id, level)


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
                   "populatie", "bron", "kanttekeningen"):
        assert catalogue[column].str.len().min() > 3, column
