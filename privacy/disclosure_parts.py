"""A school in two swv's (SO/VSO) as two unpublished cells: its part in each swv.

Passend onderwijs counts an SO/VSO school's SO pupils at its PO-swv and its VSO pupils at its
VO-swv (pipelines/sql/macros/codes.sql, swv_for), so such a school is no member of one swv:
the mart computes its part in each (mart.school_part_values, mart.school_part_breakdowns) and
here every part of a published school cell becomes a cell of its own, never published and
protected like any other small count (a complement too, where the figure is a proportion).
Relations: school = sum of its parts, each swv = its other schools + the parts in it (in
disclosure_relations), per part denominator = numerator + complement, and the parts' single
years add up to their multi-year figure like every other cell's.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from indicators.catalogue import Indicator
from indicators.levels import SCHOOL_PART

KEYS = ["level", "area_code", "period"]
COLUMNS = ["quantity", *KEYS, "value", "persons"]
TABLES = ("school_part_values", "school_part_breakdowns")


def read_parts(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The mart's parts of schools in two swv's; None when the mart has none (a hand-built one)."""
    present = {row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'mart'"
    ).fetchall()}
    if not set(TABLES) <= present:
        return None
    return tuple(con.execute(f"SELECT * FROM mart.{name}").df() for name in TABLES)


def _long(value_parts: pd.DataFrame, breakdown_parts: pd.DataFrame,
          indicators: dict[str, Indicator]) -> pd.DataFrame:
    """quantity, level, area_code ('school|swv'), period, value, persons of every part."""
    frames = []
    code = value_parts["vestigingscode"] + "|" + value_parts["swv"]
    for measure, persons, role in (("numerator", "n_teller", "teller"),
                                   ("denominator", "n_noemer", "noemer")):
        counted = value_parts["indicator_id"].map(
            lambda i, r=role: i in indicators and r in indicators[i].personen).astype(bool)
        part = value_parts[counted]
        frames.append(pd.DataFrame({
            "quantity": "iv:" + part["indicator_id"] + ":" + measure, "level": SCHOOL_PART,
            "area_code": code[counted], "period": part["period"],
            "value": part[measure].fillna(0.0).astype(float),
            "persons": part[persons].astype(float)}))
    frames.append(pd.DataFrame({
        "quantity": "bd:" + breakdown_parts["dimension"] + ":" + breakdown_parts["category"],
        "level": SCHOOL_PART,
        "area_code": breakdown_parts["vestigingscode"] + "|" + breakdown_parts["swv"],
        "period": breakdown_parts["period"], "value": breakdown_parts["count"].astype(float),
        "persons": breakdown_parts["personen"].astype(float)}))
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def part_cells(cells: pd.DataFrame, merged: dict[str, str], value_parts: pd.DataFrame,
               breakdown_parts: pd.DataFrame, indicators: dict[str, Indicator]
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(new virtual cells numbered after `cells`, triplets key/cell/coef): the parts of every
    published school cell, and per proportion part its complement."""
    long = _long(value_parts, breakdown_parts, indicators)
    long = long[long["quantity"].isin(merged.keys())]
    long["quantity"] = long["quantity"].map(merged)
    long["school"] = long["area_code"].str.split("|").str[0]
    schools = cells.loc[(cells["level"] == "school") & ~cells["virtual"],
                        ["quantity", "area_code", "period", "cell"]]
    long = long.merge(schools.rename(columns={"area_code": "school", "cell": "total"}),
                      on=["quantity", "school", "period"])
    parts = (long.groupby(["quantity", *KEYS], sort=True)
             .agg(value=("value", "first"), persons=("persons", "min"),
                  total=("total", "first")).reset_index())
    complements = _complements(parts, value_parts, indicators)
    new = pd.concat([parts, complements], ignore_index=True)
    new.insert(0, "cell", np.arange(len(cells), len(cells) + len(new)))
    new["virtual"] = True
    own = new.iloc[:len(parts)]
    key = "deel:" + own["total"].astype(int).astype(str)
    first = ~key.duplicated()
    triplets = [pd.DataFrame({"key": key, "cell": own["cell"], "coef": 1.0}),
                pd.DataFrame({"key": key[first], "cell": own["total"][first].astype(int),
                              "coef": -1.0})]
    triplets += _complement_relations(new)
    return new[["cell", *COLUMNS, "virtual"]], pd.concat(triplets, ignore_index=True)


def _complements(parts: pd.DataFrame, value_parts: pd.DataFrame,
                 indicators: dict[str, Indicator]) -> pd.DataFrame:
    """Per part of a proportion (teller and noemer count persons): persons without the trait."""
    both = value_parts["indicator_id"].map(
        lambda i: i in indicators and {"teller", "noemer"} <= set(indicators[i].personen)
    ).astype(bool)
    rows = value_parts[both]
    return pd.DataFrame({
        "quantity": "complement:" + rows["indicator_id"], "level": SCHOOL_PART,
        "area_code": rows["vestigingscode"] + "|" + rows["swv"], "period": rows["period"],
        "value": (rows["denominator"] - rows["numerator"].fillna(0.0)).astype(float),
        "persons": (rows["n_noemer"] - rows["n_teller"]).astype(float), "total": np.nan})


def _complement_relations(new: pd.DataFrame) -> list[pd.DataFrame]:
    """denominator = numerator + complement, per part, where all three are cells."""
    complement = new[new["quantity"].str.startswith("complement:")]
    indicator = complement["quantity"].str.removeprefix("complement:")
    at = new.set_index(["quantity", "area_code", "period"])["cell"]
    frames = []
    for measure in ("numerator", "denominator"):
        wanted = pd.MultiIndex.from_arrays(["iv:" + indicator + ":" + measure,
                                            complement["area_code"], complement["period"]])
        frames.append(pd.Series(at.reindex(wanted).to_numpy(), index=complement.index,
                                name=measure))
    found = pd.concat(frames, axis=1).dropna()
    key = "dc:" + found.index.astype(str)
    return [pd.DataFrame({"key": key, "cell": found["numerator"].astype(int), "coef": 1.0}),
            pd.DataFrame({"key": key, "cell": complement.loc[found.index, "cell"], "coef": 1.0}),
            pd.DataFrame({"key": key, "cell": found["denominator"].astype(int), "coef": -1.0})]


def swv_members(published: pd.DataFrame, parts: pd.DataFrame, links: pd.DataFrame,
                indicators: dict[str, Indicator]) -> pd.DataFrame:
    """The members of each swv: the school cells of schools in one swv, and for a school in
    two the part in it (links: area_code, parent_code of school -> swv). Not for an indicator
    whose swv is not the sum of its schools (placed by the home address's swv)."""
    split = links.groupby("area_code")["parent_code"].transform("size") > 1
    whole = published[published["level"] == "school"].merge(
        links.loc[~split, ["area_code", "parent_code"]], on="area_code")
    pieces = parts[parts["level"] == SCHOOL_PART]
    pieces = pieces.assign(parent_code=pieces["area_code"].str.split("|").str[1])
    members = pd.concat([whole, pieces], ignore_index=True)
    indicator = members["quantity"].str.extract(r"^iv:(.+):[a-z]+$")[0]
    apart = indicator.map(lambda i: i in indicators
                          and not indicators[i].schools_add_up_to_swv).astype(bool)
    return members[~apart]
