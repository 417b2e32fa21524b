"""Hand-built mart tables for disclosure control: run the real `protect` on them, write what it
publishes to a DuckDB file and hand that to the test-side attacker (tests/attacker.py).

A table is rows of (indicator, level, area, period, numerator, denominator); areas are
(level, code, parent level, parent code). Everything else the pipeline's mart holds is filled
with what `protect` and the attacker read, so a test states only the figures it is about.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators.catalogue import load_catalogue
from privacy.disclosure import protect
from privacy.disclosure_releases import commit
from settings import Disclosure

PUBLISHED = ("indicator_values", "indicator_values_meerjarig", "breakdowns", "areas",
             "schools", "indicators")


def policy(**changes) -> dict:
    """The [disclosure] defaults with `changes` (say loss_weights that force a choice)."""
    return {**dataclasses.asdict(Disclosure()), **changes}


BREAKDOWN_COLUMNS = ["dimension", "category", "level", "area_code", "period", "count",
                     "personen", "kosten", "grootste", "tweede"]


def mart(rows: list[tuple], areas: list[tuple], pooled: str | None = None,
         coverage: dict | None = None, extra: dict | None = None,
         breakdowns: list[tuple] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory database with schema `mart` holding these rows and areas.
    pooled: the multi-year period label (rows with that period are meerjarig).
    coverage: (level, area, period) -> coverage of the rows there (indicators with dekking).
    extra: (indicator, level, area, period) -> {column: value} (say value, ci_low, ci_high,
    grootste, tweede of a cost row).
    breakdowns: rows of BREAKDOWN_COLUMNS (grootste, tweede: the two largest persons' costs)."""
    catalogue = {i.id: i for i in load_catalogue()[0]}
    values = pd.DataFrame(rows, columns=["indicator_id", "level", "area_code", "period",
                                         "numerator", "denominator"])
    values["numerator"] = values["numerator"].astype(float)
    values["denominator"] = values["denominator"].astype(float)
    persons = values["indicator_id"].map(lambda i: catalogue[i].personen)
    values["n_teller"] = [n if "teller" in p else None
                          for n, p in zip(values["numerator"], persons, strict=True)]
    values["n_noemer"] = values["denominator"]
    values["value"] = values["numerator"] / values["denominator"].where(values["denominator"] > 0)
    values["ci_low"] = values["ci_high"] = values["value"]
    values["eenheid"] = values["indicator_id"].map(lambda i: catalogue[i].eenheid)
    values["meerjarig"] = values["period"] == pooled
    values["area_name"] = values["area_code"]
    values["coverage"] = [(coverage or {}).get((r.level, r.area_code, r.period))
                          for r in values.itertuples()]
    values["grootste"] = values["tweede"] = np.nan
    for key, columns in (extra or {}).items():
        at = ((values["indicator_id"] == key[0]) & (values["level"] == key[1])
              & (values["area_code"] == key[2]) & (values["period"] == key[3]))
        for column, number in columns.items():
            values.loc[at, column] = number
    frame = pd.DataFrame(areas, columns=["level", "area_code", "parent_level", "parent_code"])
    frame["area_name"] = frame["area_code"]
    schools = frame.loc[frame["level"] == "school", ["area_code"]].rename(
        columns={"area_code": "vestigingscode"}).assign(wijkcode="WK003401")
    used = sorted(set(values["indicator_id"]))
    indicators = pd.DataFrame({
        "indicator_id": used, "eenheid": [catalogue[i].eenheid for i in used],
        "personen": [", ".join(catalogue[i].personen) for i in used],
        "niveaus": [", ".join(sorted(set(frame["level"]))) for _ in used],
        "dekking": [bool(catalogue[i].dekking) for i in used]})
    con = duckdb.connect()
    con.execute("CREATE SCHEMA mart")
    for name, table in (("indicator_values", values), ("areas", frame), ("schools", schools),
                        ("indicators", indicators),
                        ("breakdowns", pd.DataFrame(breakdowns or [], columns=BREAKDOWN_COLUMNS)
                         .assign(category_label=lambda f: f["category"]).astype({
                             "count": "int64", "personen": "int64", "kosten": float,
                             "grootste": float, "tweede": float})),
                        ("peer_groups", pd.DataFrame({"peer_group": ["x"]})),
                        ("wijk_geometry", pd.DataFrame({"wijkcode": ["WK003401"]}))):
        con.register("frame", table)
        con.execute(f"CREATE TABLE mart.{name} AS SELECT * FROM frame")
        con.unregister("frame")
    return con


def publish_to(con: duckdb.DuckDBPyConnection, settings: dict, path: Path,
               releases: Path | None = None) -> Path:
    """`protect` on the mart, and its schema `publish` written to `path` as the attacker reads
    a published database (tables without a schema). releases: the private folder of the
    previous release's cells, committed as the runner does once it has published."""
    protect(con, settings, releases=releases)
    write_published(con, path)
    commit(releases)
    return path


def write_published(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    path.unlink(missing_ok=True)
    con.execute(f"ATTACH '{path}' AS out")
    for name in PUBLISHED:
        con.execute(f"CREATE TABLE out.{name} AS SELECT * FROM publish.{name}")
    con.execute("DETACH out")
