"""One generic computation: every catalogue indicator × level × schooljaar, into schema `mart`.

Reads the linked facts (work database), writes aggregates only: indicator_values (with the
exact person counts disclosure control needs and the coverage of youth-care figures; with
several delivering gemeenten also the `regio` level: all of them together, see sql/regio.sql),
breakdowns, areas, schools, peer_groups, indicators and wijk_geometry. Nothing here knows a
specific indicator: the catalogue's SQL fragments fill the templates in indicators/sql/.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection

import duckdb
import numpy as np
import pandas as pd
import yaml

from indicators.catalogue import PACKAGE, Indicator, load_catalogue
from indicators.codelists import code_lists
from indicators.coverage import unknown_coverage
from indicators.levels import LEVEL_COLUMNS, SCHOOL_PART, SCHOOL_PART_CODE
from indicators.stats import (
    bootstrap_mean_interval,
    median_interval,
    wilson_interval_clustered,
)
from settings import Indicators

SQL_DIR = PACKAGE / "sql"
GEMEENTEN_FILE = PACKAGE / "gemeenten.csv"
LANDELIJK_FILE = PACKAGE / "landelijk.yaml"
MEASURES = ("numerator", "denominator", "n_teller", "n_noemer")
SCHOOL_PART_COLUMNS = "vestigingscode, swv"


def _sql(name: str, **fill: str) -> str:
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return text.format(**fill) if fill else text


def _period(pooled: str | None) -> str:
    return "schooljaar" if pooled is None else "'" + pooled.replace("'", "") + "'"


def _placement(indicator: Indicator) -> str:
    return "".join(f", {column} AS {target}" for target, column in indicator.plaatsing)


def _measures(indicator: Indicator, per_person: bool) -> tuple[str, str]:
    """Per unit (person or row) and area: teller and noemer summed, and whether the unit is in
    the population and in the teller; per area: the sums, and the persons behind them."""
    population, key = f"({indicator.populatie_sql})", indicator.id
    # Exact decimal sums: the same inputs must publish the same figures, whatever the threads.
    teller = f"(({indicator.teller_sql})::DECIMAL(38, 2))"
    noemer = f"(({indicator.noemer_sql})::DECIMAL(38, 2))"
    # A person counts once however many of their rows qualify; a row is a person.
    once = "least({}, 1)" if per_person else "{}"
    per_unit = ",\n        ".join([
        f"sum(CASE WHEN {population} THEN {teller} END) AS \"{key}|t\"",
        f"sum(CASE WHEN {population} THEN {noemer} END) AS \"{key}|n\"",
        once.format(f"count_if({population} AND {teller} > 0)") + f" AS \"{key}|in_teller\"",
        once.format(f"count_if({population})") + f" AS \"{key}|in_noemer\""])
    per_area = ",\n    ".join([
        f"sum(\"{key}|t\") AS \"{key}|numerator\"",
        f"sum(\"{key}|n\") AS \"{key}|denominator\"",
        f"sum(\"{key}|in_teller\")::BIGINT AS \"{key}|n_teller\"",
        f"sum(\"{key}|in_noemer\")::BIGINT AS \"{key}|n_noemer\""])
    return per_unit, per_area


def _grouped(con: duckdb.DuckDBPyConnection, indicators: list[Indicator], period: str,
             per_person: bool) -> pd.DataFrame:
    """The measures of every level: per row in one query, per person one level at a time."""
    measures = [_measures(i, per_person) for i in indicators]
    fill = {"fact": indicators[0].feit, "period": period,
            "placement": _placement(indicators[0]),
            "unit_measures": ",\n        ".join(m[0] for m in measures),
            "area_measures": ",\n    ".join(m[1] for m in measures)}
    columns = ", ".join(LEVEL_COLUMNS.values())
    # Every level, and a school's part in each swv (levels.SCHOOL_PART, for disclosure control).
    placed = {**LEVEL_COLUMNS, SCHOOL_PART: SCHOOL_PART_COLUMNS}
    if not per_person:
        return con.execute(_sql("indicator_values", **fill, grouping_sets=", ".join(
            f"(schooljaar, {column})" for column in placed.values()),
            level=f"placement_level(GROUPING({columns}))",
            area_code=f"CASE WHEN GROUPING({SCHOOL_PART_COLUMNS}) = 0 THEN {SCHOOL_PART_CODE} "
                      f"ELSE coalesce({columns}) END")).df()
    codes = {**LEVEL_COLUMNS, SCHOOL_PART: SCHOOL_PART_CODE}
    return pd.concat([con.execute(_sql("indicator_values", **fill, level=f"'{level}'",
                                       area_code=codes[level],
                                       grouping_sets=f"(schooljaar, pseudoniem, {column})")).df()
                      for level, column in placed.items()], ignore_index=True)


def _values_for_pass(con: duckdb.DuckDBPyConnection, indicators: list[Indicator],
                     pooled: str | None, settings: Indicators,
                     person_year_facts: frozenset[str]) -> pd.DataFrame:
    """Indicators sharing fact and placement, per schooljaar or (`pooled`) all together."""
    first = indicators[0]
    per_person = pooled is not None or first.feit not in person_year_facts
    wide = _grouped(con, indicators, _period(pooled), per_person)
    wide = wide[wide["area_code"].notna()]
    frames = []
    for indicator in indicators:
        part = wide[["period", "level", "area_code"]].copy()
        for measure in MEASURES:
            part[measure] = wide[f"{indicator.id}|{measure}"].astype(float).to_numpy()
        # a school's parts where the indicator has both the school and the swv level
        levels = [*indicator.niveaus, *([SCHOOL_PART] if indicator.schools_add_up_to_swv else [])]
        part = part[part["level"].isin(levels) & (part["n_noemer"] > 0)]
        part.insert(0, "indicator_id", indicator.id)
        if indicator.interval == "wilson":
            part = _with_wilson(part, indicator)
        else:
            part = _with_row_statistics(con, part, indicator, pooled, settings)
        frames.append(part.assign(eenheid=indicator.eenheid))
    return pd.concat(frames, ignore_index=True)


def _school_parts(frame: pd.DataFrame, areas: pd.DataFrame,
                  columns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows of published levels, parts of the schools in more than one swv): a part's area
    code 'school|swv' becomes vestigingscode and swv; the parts of a school in one swv are the
    school itself and are dropped."""
    is_part = frame["level"] == SCHOOL_PART
    parts = frame[is_part].copy()
    code = parts["area_code"].astype(str).str.split("|", n=1)
    parts["vestigingscode"], parts["swv"] = code.str[0], code.str[1]
    links = areas[(areas["level"] == "school") & (areas["parent_level"] == "swv")]
    split = links.groupby("area_code")["parent_code"].transform("size") > 1
    links = links.loc[split, ["area_code", "parent_code"]].set_axis(
        ["vestigingscode", "swv"], axis=1)
    parts = parts.merge(links, on=["vestigingscode", "swv"])[columns]
    return frame[~is_part], parts.reset_index(drop=True)


def _with_wilson(part: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    numerator = part["numerator"].fillna(0.0).to_numpy()
    denominator = part["denominator"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, numerator / denominator, np.nan)
    low, high = wilson_interval_clustered(numerator, denominator, part["n_noemer"].to_numpy())
    return part.assign(numerator=numerator, value=value * indicator.factor,
                       ci_low=np.asarray(low) * indicator.factor,
                       ci_high=np.asarray(high) * indicator.factor)


def _rows_per_level() -> str:
    """indicator_rows.sql's {placed}: every row once per level it counts at."""
    return "\n    UNION ALL\n    ".join(
        f"SELECT schooljaar AS period, '{level}' AS level, {column} AS area_code, pseudoniem, "
        f"waarde FROM rows WHERE {column} IS NOT NULL" for level, column in LEVEL_COLUMNS.items())


def _with_row_statistics(con: duckdb.DuckDBPyConnection, part: pd.DataFrame,
                         indicator: Indicator, pooled: str | None,
                         settings: Indicators) -> pd.DataFrame:
    """Mean with a person bootstrap, or median with an order-statistic interval, per cell."""
    con.execute("CREATE OR REPLACE TEMP TABLE indicator_rows AS " + _sql(
        "indicator_rows", fact=indicator.feit, period=_period(pooled),
        placement=_placement(indicator), population=indicator.populatie_sql,
        value=indicator.teller_sql, placed=_rows_per_level()))
    # Arrays of the rows in cell, person, value order; the cells' keys once each.
    rows = con.execute("SELECT cell, new_person, waarde FROM indicator_rows").fetchnumpy()
    keys = con.execute("SELECT DISTINCT cell, period, level, area_code FROM indicator_rows "
                       "ORDER BY cell").fetchall()
    con.execute("DROP TABLE indicator_rows")
    if not keys:
        return part.assign(numerator=part["numerator"].fillna(0.0), value=np.nan,
                           ci_low=np.nan, ci_high=np.nan, grootste=np.nan, tweede=np.nan)
    resamples = settings.bootstrap_herhalingen
    cell, new_person = np.asarray(rows["cell"]), np.asarray(rows["new_person"], dtype=bool)
    values = np.asarray(rows["waarde"], dtype=float)
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    results = {}
    for begin, end in zip(starts, np.r_[starts[1:], len(values)], strict=True):
        own = values[begin:end]
        firsts = np.flatnonzero(new_person[begin:end])
        key = tuple(keys[cell[begin]][1:])
        per_person = np.add.reduceat(own, firsts)
        # The two largest persons' amounts, for disclosure control's p% rule (never published).
        top = np.sort(per_person)[::-1][:2]
        largest = (float(top[0]), float(top[1]) if len(top) > 1 else 0.0)
        if indicator.interval == "mediaan":
            results[key] = (float(np.median(own)), *median_interval(np.sort(own), len(firsts)),
                            *largest)
        else:
            # A generator per cell, seeded by its key: a cell's interval does not depend on
            # which other cells were computed before it (nor change when they change).
            rng = np.random.default_rng([settings.bootstrap_seed,
                                         zlib.crc32(repr(key).encode())])
            results[key] = (float(own.mean()), *bootstrap_mean_interval(
                per_person, np.diff(np.r_[firsts, len(own)]), rng, resamples), *largest)
    wanted = zip(part["period"], part["level"], part["area_code"], strict=True)
    stats = np.array([results.get(key, (np.nan,) * 5) for key in wanted]).reshape(-1, 5)
    return part.assign(numerator=part["numerator"].fillna(0.0), value=stats[:, 0],
                       ci_low=stats[:, 1], ci_high=stats[:, 2], grootste=stats[:, 3],
                       tweede=stats[:, 4])


def _coverage(con: duckdb.DuckDBPyConnection, labels: tuple[str | None, ...]) -> pd.DataFrame:
    frames = [con.execute(_sql("coverage", period=_period(label))).df() for label in labels]
    return pd.concat(frames, ignore_index=True).dropna(subset=["area_code"])


def _peer_groups(con: duckdb.DuckDBPyConnection, settings: dict) -> tuple[pd.DataFrame, ...]:
    schools = con.execute(_sql("schools")).df()
    kind = schools["school_soort"].replace({"SO": "SO/VSO", "VSO": "SO/VSO"})
    classes = settings["grootteklassen"]
    labels = []
    for k, n in zip(kind, schools["n"], strict=True):
        small, large = classes.get(k, classes["default"])
        size = "klein" if n < small else ("groot" if n >= large else "middel")
        labels.append(f"{k} {size}")
    schools["peer_group"] = labels
    groups = []
    for label in sorted(set(labels)):
        k, size = label.rsplit(" ", 1)
        small, large = classes.get(k, classes["default"])
        bounds = {"klein": f"minder dan {small}", "middel": f"{small} tot {large}",
                  "groot": f"{large} of meer"}[size]
        groups.append({"peer_group": label,
                       "omschrijving": f"{k}-scholen met {bounds} leerlingen. "
                                       + settings["omschrijving"]})
    return schools.drop(columns="n"), pd.DataFrame(groups)


def _catalogue_table(indicators: tuple[Indicator, ...]) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": i.id, **i.meta, "eenheid": i.eenheid,
                          "richting": i.richting, "niveaus": ", ".join(i.niveaus),
                          "personen": ", ".join(i.personen), "dekking": i.dekking,
                          "groep": i.groep, "blok": i.blok,
                          "blok_volgorde": i.blok_volgorde, "volgorde": n}
                         for n, i in enumerate(indicators, start=1)])


def _breakdowns(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    labels = code_lists()
    frame = con.execute(_sql("breakdowns")).df()
    frame = frame[frame["area_code"].notna()].reset_index(drop=True)
    frame["category"] = frame["category"].fillna("onbekend")
    frame["category_label"] = [
        "Totaal" if c == "totaal" else labels.get(d, {}).get(c, f"Code {c}")
        for d, c in zip(frame["dimension"], frame["category"], strict=True)]
    return frame


def _store(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("frame_to_store", frame)
    con.execute(f"CREATE OR REPLACE TABLE mart.{name} AS SELECT * FROM frame_to_store")
    con.unregister("frame_to_store")


def _all_values(con: duckdb.DuckDBPyConnection, indicators: tuple[Indicator, ...],
                settings: Indicators, person_year_facts: frozenset[str],
                multi_year: bool | None = None) -> pd.DataFrame:
    """Every indicator, single years and the multi-year figure (`multi_year` True or False:
    only that one), with coverage where it applies."""
    passes: dict[tuple, list[Indicator]] = {}
    for indicator in indicators:
        passes.setdefault((indicator.feit, indicator.plaatsing), []).append(indicator)
    first, last = con.execute(_sql("periods")).fetchall()[0]
    pooled = f"{first} t/m {last}"
    labels = {None: (None, pooled), False: (None,), True: (pooled,)}[multi_year]
    values = pd.concat([
        _values_for_pass(con, group, label, settings, person_year_facts)
        .assign(meerjarig=label is not None)
        for group in passes.values() for label in labels], ignore_index=True)
    coverage = _coverage(con, labels)
    values = values.merge(coverage, on=["period", "level", "area_code"], how="left")
    with_coverage = values["indicator_id"].isin([i.id for i in indicators if i.dekking])
    values["coverage"] = values["coverage"].where(with_coverage)
    values["coverage_unknown"] = unknown_coverage(values, with_coverage)
    return values


def _in_areas(frame: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Only rows of published areas (home areas outside the delivered wijken are not)."""
    keys = pd.MultiIndex.from_frame(frame[["level", "area_code"]])
    return frame[keys.isin(pd.MultiIndex.from_frame(areas[["level", "area_code"]]))]


def _selected(only: Collection[str] | None) -> tuple[tuple[Indicator, ...], dict]:
    """The catalogue's indicators (`only` these ids when given) and its peer settings."""
    indicators, peer_settings = load_catalogue()
    if only is not None:
        indicators = tuple(i for i in indicators if i.id in only)
    return indicators, peer_settings


def _areas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The published areas; prepares the macros and the region every pass reads."""
    con.execute("CREATE SCHEMA IF NOT EXISTS mart")
    con.execute(f"SET VARIABLE gemeenten_csv = '{GEMEENTEN_FILE.as_posix()}'")
    con.execute(_sql("macros"))
    con.execute(f"CREATE OR REPLACE TEMP TABLE regio_gemeenten AS {_sql('regio')}")
    return con.execute(_sql("areas")).df()


def _values(con: duckdb.DuckDBPyConnection, indicators: tuple[Indicator, ...],
            settings: Indicators, person_year_facts: frozenset[str], areas: pd.DataFrame,
            multi_year: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """indicator_values of the published areas (named), and their school parts."""
    values = _all_values(con, indicators, settings, person_year_facts, multi_year)
    values, value_parts = _school_parts(values, areas, [
        "indicator_id", "period", "vestigingscode", "swv", *MEASURES, "meerjarig"])
    values = _in_areas(values, areas)
    names = areas.drop_duplicates(["level", "area_code"]).set_index(["level", "area_code"])
    values.insert(3, "area_name", names["area_name"].reindex(
        pd.MultiIndex.from_frame(values[["level", "area_code"]])).to_numpy())
    # Stable row order: secondary suppression must choose the same cells on every run.
    values = values.sort_values(["indicator_id", "level", "area_code", "period"])
    return values.reset_index(drop=True), value_parts.sort_values(
        ["indicator_id", "vestigingscode", "swv", "period"])


def values_only(con: duckdb.DuckDBPyConnection, indicator_settings: Indicators,
                person_year_facts: frozenset[str], only: Collection[str],
                multi_year: bool | None = None) -> None:
    """mart.indicator_values of `only` these indicators and nothing else, and (`multi_year`
    True or False) only the multi-year figure or the single schooljaren: what a test of one
    definition reads (the figures are those run() computes)."""
    values, _ = _values(con, _selected(only)[0], indicator_settings, person_year_facts,
                        _areas(con), multi_year)
    _store(con, "indicator_values", values)


def run(con: duckdb.DuckDBPyConnection, indicator_settings: Indicators,
        person_year_facts: frozenset[str], only: Collection[str] | None = None
        ) -> dict[str, int]:
    """Fill schema `mart`; returns row counts per table. `person_year_facts`: the facts with
    one row per person and schooljaar (their single years are summed per row; the others are
    counted person by person, which at national size takes far longer): pass
    pipelines.sql_runner.person_year_facts(). `only`: these indicator ids alone (tests that
    look at one definition); each indicator's figures are the same either way."""
    indicators, peer_settings = _selected(only)
    areas = _areas(con)
    values, value_parts = _values(con, indicators, indicator_settings, person_year_facts, areas)
    schools, peer_groups = _peer_groups(con, peer_settings)
    breakdowns, breakdown_parts = _school_parts(_breakdowns(con), areas, [
        "dimension", "category", "period", "vestigingscode", "swv", "count", "personen",
        "kosten"])
    breakdowns = _in_areas(breakdowns, areas)
    geometry = con.execute(_sql("wijk_geometry")).df()
    breakdowns = breakdowns.sort_values(["level", "area_code", "period", "dimension", "category"])
    areas = areas.sort_values(["level", "area_code", "parent_level"])
    tables = {"indicator_values": values, "areas": areas,
              "schools": schools, "peer_groups": peer_groups,
              "indicators": _catalogue_table(indicators),
              "breakdowns": breakdowns.reset_index(drop=True), "wijk_geometry": geometry,
              "school_part_values": value_parts,
              "school_part_breakdowns": breakdown_parts.sort_values(
                  ["vestigingscode", "swv", "period", "dimension", "category"])}
    for name, frame in tables.items():
        _store(con, name, frame)
    return {name: len(frame) for name, frame in tables.items()}


def reference_values(con: duckdb.DuckDBPyConnection, schema: str = "publish") -> pd.DataFrame:
    """Gemeente values (already disclosure-controlled) and national orders of magnitude."""
    gemeente = con.execute(_sql("reference_gemeente", schema=schema)).df()
    national = yaml.safe_load(LANDELIJK_FILE.read_text(encoding="utf-8"))
    periods = sorted(gemeente["period"].unique())
    rows = [{"indicator_id": key, "period": p, "reference": "landelijk",
             "value": float(entry["waarde"]), "bron": entry["bron"], "gemeentecode": None}
            for key, entry in national.items() for p in periods]
    return pd.concat([gemeente, pd.DataFrame(rows)], ignore_index=True)
