"""Disclosure control between the marts and publication: schema `mart` -> schema `publish`.

Policy from monitor.toml [disclosure] (a covenant matter, never code): person counts below
min_count are hidden (0 too when hide_zero), secondary suppression over every published
hierarchy (schools in a bestuur, schools in a swv, wijken in a gemeente, categories in a total,
single schooljaren within the multi-year figure) so no hidden cell can be recovered by
subtraction, and displayed counts rounded to round_to.
Hidden cells lose every figure; shown cells keep exact figures plus rounded display counts.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from indicators.catalogue import load_catalogue
from indicators.stats import round_to_multiple
from privacy.disclosure_rules import DisclosurePolicy, suppress

# Tables without person counts: copied as they are.
PLAIN_TABLES = ("areas", "schools", "peer_groups", "indicators", "wijk_geometry")
HIERARCHIES = (("school", "bestuur"), ("school", "swv"), ("wijk", "gemeente"))


def _groups(cells: pd.DataFrame, areas: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Additive relations: each parent cell = sum of its children's cells (same keys)."""
    frames = []
    for child, parent in HIERARCHIES:
        links = areas[(areas["level"] == child) & (areas["parent_level"] == parent)]
        members = cells[cells["level"] == child].merge(
            links[["area_code", "parent_code"]], on="area_code")
        totals = cells[cells["level"] == parent].rename(columns={"area_code": "parent_code"})
        joined = members.merge(totals[[*keys, "parent_code", "cell_id"]],
                               on=[*keys, "parent_code"], suffixes=("", "_total"))
        frames.append(pd.DataFrame({
            "group_id": [f"{parent}:{'|'.join(map(str, k))}" for k in
                         zip(*(joined[c] for c in [*keys, "parent_code"]), strict=True)],
            "total_cell": joined["cell_id_total"], "member_cell": joined["cell_id"]}))
    return pd.concat(frames, ignore_index=True)


def _years_in_pooled(values: pd.DataFrame) -> pd.DataFrame:
    """The multi-year figure of an area is the sum of its single years: one relation each."""
    keys = ["indicator_id", "level", "area_code"]
    pooled = values[values["meerjarig"]][[*keys, "cell_id"]]
    years = values[~values["meerjarig"]][[*keys, "cell_id"]]
    joined = years.merge(pooled, on=keys, suffixes=("", "_total"))
    return pd.DataFrame({
        "group_id": "jaren:" + joined["indicator_id"] + "|" + joined["level"] + "|"
                    + joined["area_code"],
        "total_cell": joined["cell_id_total"], "member_cell": joined["cell_id"]})


def _suppress_indicator_values(values: pd.DataFrame, areas: pd.DataFrame,
                               policy: DisclosurePolicy) -> pd.DataFrame:
    counted = {i.id: i.personen for i in load_catalogue()[0]}
    values = values.reset_index(drop=True).copy()
    values["cell_id"] = np.arange(len(values))
    person_counts = {
        "teller": values["n_teller"].to_numpy(), "noemer": values["n_noemer"].to_numpy()}
    values["count"] = [min(person_counts[p][row] for p in counted[ind])
                       for row, ind in enumerate(values["indicator_id"])]
    groups = pd.concat([_groups(values, areas, ["indicator_id", "period"]),
                        _years_in_pooled(values)], ignore_index=True)
    # No relation crosses indicators: suppress each on its own, so the repeated audits of one
    # indicator's hidden cells do not redo every other indicator's.
    indicator_of = values.set_index("cell_id")["indicator_id"]
    reasons = pd.concat([
        suppress(cells[["cell_id", "count"]],
                 groups[indicator_of.reindex(groups["total_cell"]).to_numpy() == indicator],
                 policy)
        for indicator, cells in values.groupby("indicator_id", sort=True)])
    values["suppression_reason"] = reasons.reindex(values["cell_id"]).to_numpy()
    hidden = values["suppression_reason"].notna()
    values["suppressed"] = hidden
    values["n_personen"] = np.where(hidden, np.nan, values["n_noemer"])
    for column in ("numerator", "denominator", "value", "ci_low", "ci_high"):
        values[column] = values[column].where(~hidden)
    euro = values["eenheid"] == "euro"
    values["numerator_afgerond"] = np.where(
        euro, values["numerator"].round(0), round_to_multiple(values["numerator"], policy.round_to))
    values["denominator_afgerond"] = round_to_multiple(values["denominator"], policy.round_to)
    return values.drop(columns=["cell_id", "count", "n_teller", "n_noemer"])


def _suppress_breakdowns(breakdowns: pd.DataFrame, areas: pd.DataFrame,
                         policy: DisclosurePolicy) -> pd.DataFrame:
    cells = breakdowns.reset_index(drop=True).copy()
    cells["cell_id"] = np.arange(len(cells))
    cells["count_for_rule"] = cells["personen"]
    keys = ["period", "dimension", "category"]
    hierarchy = _groups(cells, areas, keys)
    # Categories add up to the 'totaal' row of the same area, period and dimension.
    totals = cells[cells["category"] == "totaal"]
    members = cells[cells["category"] != "totaal"].merge(
        totals[["level", "area_code", "period", "dimension", "cell_id"]],
        on=["level", "area_code", "period", "dimension"], suffixes=("", "_total"))
    categories = pd.DataFrame({
        "group_id": "categorie:" + members["level"] + "|" + members["area_code"] + "|"
                    + members["period"] + "|" + members["dimension"],
        "total_cell": members["cell_id_total"], "member_cell": members["cell_id"]})
    groups = pd.concat([hierarchy, categories], ignore_index=True)
    reasons = suppress(cells[["cell_id"]].assign(count=cells["count_for_rule"]), groups, policy)
    cells["suppression_reason"] = reasons.reindex(cells["cell_id"]).to_numpy()
    hidden = cells["suppression_reason"].notna()
    cells["suppressed"] = hidden
    for column in ("count", "personen", "kosten"):
        cells[column] = cells[column].astype(float).where(~hidden)
    cells["count"] = round_to_multiple(cells["count"], policy.round_to)
    cells["personen"] = round_to_multiple(cells["personen"], policy.round_to)
    return cells.drop(columns=["cell_id", "count_for_rule"])


def protect(con: duckdb.DuckDBPyConnection, disclosure_settings: dict) -> dict[str, int]:
    """Write schema `publish` from schema `mart`; returns the number of suppressed cells."""
    policy = DisclosurePolicy.from_mapping(disclosure_settings)
    con.execute("CREATE SCHEMA IF NOT EXISTS publish")
    areas = con.sql("SELECT * FROM mart.areas").df()
    values = _suppress_indicator_values(con.sql("SELECT * FROM mart.indicator_values").df(),
                                        areas, policy)
    breakdowns = _suppress_breakdowns(con.sql("SELECT * FROM mart.breakdowns").df(), areas,
                                      policy)
    pooled = values["meerjarig"]
    for name, frame in (("indicator_values", values[~pooled].drop(columns="meerjarig")),
                        ("indicator_values_meerjarig", values[pooled].drop(columns="meerjarig")),
                        ("breakdowns", breakdowns)):
        con.register("protected", frame)
        con.execute(f"CREATE OR REPLACE TABLE publish.{name} AS SELECT * FROM protected")
        con.unregister("protected")
    for name in PLAIN_TABLES:
        con.execute(f"CREATE OR REPLACE TABLE publish.{name} AS SELECT * FROM mart.{name}")
    return {"indicator_values": int(values["suppressed"].sum()),
            "breakdowns": int(breakdowns["suppressed"].sum())}
