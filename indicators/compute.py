"""One generic computation: every catalogue indicator × level × schooljaar, into schema `mart`.

Reads the linked facts (work database), writes aggregates only: indicator_values (with the
exact person counts disclosure control needs), breakdowns, areas, schools, peer_groups,
indicators and wijk_geometry. Nothing here knows a specific indicator.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import yaml

from indicators.catalogue import PACKAGE, Indicator, load_catalogue
from indicators.stats import mean_interval, wilson_interval

SQL_DIR = PACKAGE / "sql"
GEMEENTEN_FILE = PACKAGE / "gemeenten.csv"
CODELISTS_FILE = PACKAGE / "codelists.yaml"
LANDELIJK_FILE = PACKAGE / "landelijk.yaml"


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _measures(indicator: Indicator) -> str:
    population, key = f"({indicator.populatie_sql})", indicator.id
    # Exact decimal sums: the same inputs must publish the same figures, whatever the threads.
    teller = f"(({indicator.teller_sql})::DECIMAL(38, 2))"
    noemer = f"(({indicator.noemer_sql})::DECIMAL(38, 2))"
    return ",\n    ".join([
        f"sum(CASE WHEN {population} THEN {teller} END) AS \"{key}|numerator\"",
        f"sum(CASE WHEN {population} THEN {noemer} END) AS \"{key}|denominator\"",
        f"sum(CASE WHEN {population} THEN {teller} * {teller} END) AS \"{key}|squares\"",
        f"count(DISTINCT CASE WHEN {population} AND {teller} > 0 THEN pseudoniem END)"
        f" AS \"{key}|n_teller\"",
        f"count(DISTINCT CASE WHEN {population} THEN pseudoniem END) AS \"{key}|n_noemer\"",
    ])


def _values_for_fact(con: duckdb.DuckDBPyConnection, fact: str, indicators: list[Indicator],
                     pooled: str | None = None) -> pd.DataFrame:
    """Per schooljaar, or (`pooled` = its label) all schooljaren together."""
    period = "schooljaar" if pooled is None else "'" + pooled.replace("'", "") + "'"
    query = _sql("indicator_values").format(
        fact=fact, period=period, measures=",\n    ".join(_measures(i) for i in indicators))
    wide = con.sql(query).df()
    measures = [c for c in wide.columns if "|" in c]
    wide[measures] = wide[measures].astype(float)
    wide = wide[wide["area_code"].notna()]
    frames = []
    for indicator in indicators:
        part = wide[["period", "level", "area_code"]].copy()
        for measure in ("numerator", "denominator", "squares", "n_teller", "n_noemer"):
            part[measure] = wide[f"{indicator.id}|{measure}"].to_numpy()
        part = part[part["level"].isin(indicator.niveaus) & (part["n_noemer"] > 0)]
        part.insert(0, "indicator_id", indicator.id)
        frames.append(_with_values(part, indicator))
    return pd.concat(frames, ignore_index=True)


def _with_values(part: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    numerator = part["numerator"].fillna(0.0).to_numpy()
    denominator = part["denominator"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(denominator > 0, numerator / denominator, np.nan)
    if indicator.interval == "wilson":
        low, high = wilson_interval(numerator, denominator)
    else:
        low, high = mean_interval(numerator, denominator, part["squares"].fillna(0.0).to_numpy())
    part = part.assign(numerator=numerator, value=value * indicator.factor,
                       ci_low=np.asarray(low) * indicator.factor,
                       ci_high=np.asarray(high) * indicator.factor, eenheid=indicator.eenheid)
    return part.drop(columns="squares")


def _peer_groups(con: duckdb.DuckDBPyConnection, settings: dict) -> tuple[pd.DataFrame, ...]:
    schools = con.sql("""
        SELECT s.vestigingscode, s.brin, s.naam, s.school_soort, s.bevoegd_gezag,
               s.bevoegd_gezag_naam, s.swv, s.wijkcode, s.lon, s.lat, count(f.pseudoniem) AS n
        FROM staging.stg_scholen AS s
        LEFT JOIN facts.fact_leerling_jaar AS f
            ON f.vestigingscode = s.vestigingscode
            AND f.schooljaar = (SELECT max(schooljaar) FROM intermediate.dim_schooljaar)
        GROUP BY ALL ORDER BY s.vestigingscode""").df()
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
                          "personen": ", ".join(i.personen), "volgorde": n}
                         for n, i in enumerate(indicators, start=1)])


def _breakdowns(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    labels = yaml.safe_load(CODELISTS_FILE.read_text(encoding="utf-8"))
    frame = con.sql(_sql("breakdowns")).df()
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


def run(con: duckdb.DuckDBPyConnection, indicator_settings: dict) -> dict[str, int]:
    """Fill schema `mart`; returns row counts per table."""
    indicators, peer_settings = load_catalogue()
    con.execute("CREATE SCHEMA IF NOT EXISTS mart")
    con.execute(f"SET VARIABLE gemeenten_csv = '{GEMEENTEN_FILE.as_posix()}'")
    con.execute(_sql("macros"))
    areas = con.sql(_sql("areas")).df()
    known = set(zip(areas["level"], areas["area_code"], strict=True))
    by_fact: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_fact.setdefault(indicator.feit, []).append(indicator)
    first, last = con.sql("SELECT min(schooljaar), max(schooljaar) "
                          "FROM intermediate.dim_schooljaar").fetchall()[0]
    pooled = f"{first} t/m {last}"
    values = pd.concat([
        _values_for_fact(con, fact, group, label).assign(meerjarig=label is not None)
        for fact, group in by_fact.items() for label in (None, pooled)], ignore_index=True)
    # Home areas outside the delivered wijken (pupils living elsewhere) are not published.
    values = values[[(lv, code) in known for lv, code in
                     zip(values["level"], values["area_code"], strict=True)]]
    names = areas.drop_duplicates(["level", "area_code"]).set_index(["level", "area_code"])
    values.insert(3, "area_name", names["area_name"].reindex(
        pd.MultiIndex.from_frame(values[["level", "area_code"]])).to_numpy())
    schools, peer_groups = _peer_groups(con, peer_settings)
    breakdowns = _breakdowns(con)
    breakdowns = breakdowns[[(lv, code) in known for lv, code in
                             zip(breakdowns["level"], breakdowns["area_code"], strict=True)]]
    geometry = con.sql("SELECT wijkcode, wijknaam, geometry_json AS geojson "
                       "FROM staging.stg_wijken ORDER BY wijkcode").df()
    # Stable row order: secondary suppression must choose the same cells on every run.
    values = values.sort_values(["indicator_id", "level", "area_code", "period"])
    breakdowns = breakdowns.sort_values(["level", "area_code", "period", "dimension", "category"])
    areas = areas.sort_values(["level", "area_code", "parent_level"])
    tables = {"indicator_values": values.reset_index(drop=True), "areas": areas,
              "schools": schools, "peer_groups": peer_groups,
              "indicators": _catalogue_table(indicators),
              "breakdowns": breakdowns.reset_index(drop=True), "wijk_geometry": geometry}
    for name, frame in tables.items():
        _store(con, name, frame)
    return {name: len(frame) for name, frame in tables.items()}


def reference_values(con: duckdb.DuckDBPyConnection, schema: str = "publish") -> pd.DataFrame:
    """Gemeente values (already disclosure-controlled) and national orders of magnitude."""
    gemeente = con.sql(f"""
        SELECT indicator_id, period, 'gemeente' AS reference, value,
               'Eigen gemeente (' || area_name || ')' AS bron
        FROM {schema}.indicator_values WHERE level = 'gemeente' AND value IS NOT NULL""").df()
    national = yaml.safe_load(LANDELIJK_FILE.read_text(encoding="utf-8"))
    periods = sorted(gemeente["period"].unique())
    rows = [{"indicator_id": key, "period": p, "reference": "landelijk",
             "value": float(entry["waarde"]), "bron": entry["bron"]}
            for key, entry in national.items() for p in periods]
    return pd.concat([gemeente, pd.DataFrame(rows)], ignore_index=True)
