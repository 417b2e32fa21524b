"""Disclosure control between the marts and publication: schema `mart` -> schema `publish`.

Policy from monitor.toml [disclosure] (a covenant matter, never code). Every published count is
a cell of one linear system (privacy.disclosure_relations): hierarchies, categories -> totaal,
single years -> the multi-year figure, identities between tables, numerator + complement =
denominator. Person counts below min_count are hidden (0 too when hide_zero), and secondary
suppression (privacy.disclosure_protect) makes the range an attacker can derive for each of
them at least protection_level wide on both sides. Every hidden figure carries one marker
(HIDDEN_REASON): small and secondary look alike. Hidden means absent: a breakdown row or an
indicator row whose population count is hidden is not published at all; a row whose
numerator alone is hidden keeps its denominator. Shown figures are exact (the ranges hold on
exact values); the *_afgerond columns and breakdown counts are rounded for display.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from indicators.catalogue import load_catalogue
from indicators.stats import round_to_multiple
from privacy.disclosure_parts import read_parts
from privacy.disclosure_protect import MilpLimits, protect_cells
from privacy.disclosure_relations import CellSystem, build_system, localities
from privacy.disclosure_releases import join
from privacy.disclosure_releases import load as load_release
from privacy.disclosure_releases import save as save_release
from privacy.disclosure_rules import (
    HIDDEN_REASON,
    DisclosureError,
    DisclosurePolicy,
    dominated,
    primary_suppressed,
)

# Tables without person counts: copied as they are.
PLAIN_TABLES = ("areas", "schools", "peer_groups", "indicators", "wijk_geometry")
HIDDEN_COLUMNS = ("numerator", "value", "ci_low", "ci_high")
# The two largest persons' amounts behind a cost sum (mart only): for the p% rule, never published.
CONTRIBUTIONS = ("grootste", "tweede")


def _row_state(cells: np.ndarray, hidden: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Per row: the state of its cell, or `fallback` where the row has no cell (-1)."""
    return np.where(cells >= 0, hidden[np.maximum(cells, 0)], fallback)


def _withhold_coverage(values: pd.DataFrame, den_hidden: np.ndarray,
                       min_coverage: float) -> pd.DataFrame:
    """Coverage (resident pupils / all pupils, three decimals) beside a hidden count gives the
    count away: pupils per school are public (DUO), so a hidden resident count would follow.
    Where any row with coverage of an area and period has its population hidden (the resident
    pupils are one of them), no row there shows coverage, and a figure below min_coverage is
    hidden under the one marker: `lage_dekking` there would tell that the count is below half
    the school. Elsewhere coverage is the ratio of two shown counts and tells nothing new."""
    keys = (values["level"].astype(str) + "|" + values["area_code"].astype(str) + "|"
            + values["period"].astype(str))
    covered = values["coverage"].notna().to_numpy()
    withheld = keys.isin(set(keys[covered & den_hidden])).to_numpy() & covered
    low = withheld & (values["coverage"].to_numpy(float) < min_coverage)
    values = values.assign(coverage=values["coverage"].where(~withheld),
                           suppressed=values["suppressed"] | low)
    return values


def _publish_values(values: pd.DataFrame, system: CellSystem, hidden: np.ndarray,
                    policy: DisclosurePolicy, min_coverage: float = 0.0) -> pd.DataFrame:
    numerator, denominator = (system.indicator_cells[m].to_numpy() for m in
                              ("numerator", "denominator"))
    none = np.zeros(len(values), bool)
    den_hidden = _row_state(denominator, hidden, none)
    # A numerator that counts no persons (euros) is shown exactly when its denominator is.
    num_hidden = _row_state(numerator, hidden, den_hidden) | den_hidden
    values = values.assign(suppressed=num_hidden, n_personen=values["n_noemer"])
    values = _withhold_coverage(values, den_hidden, min_coverage)
    # Typed as text even where nothing is hidden (an all-NULL column has no type to update).
    values["suppression_reason"] = pd.Series(
        np.where(values["suppressed"], HIDDEN_REASON, None), index=values.index, dtype="string")
    for column in HIDDEN_COLUMNS:
        values[column] = values[column].where(~values["suppressed"])
    values = values[~den_hidden].copy()
    euro = values["eenheid"] == "euro"
    values["numerator_afgerond"] = np.where(
        euro, values["numerator"].round(0), round_to_multiple(values["numerator"], policy.round_to))
    values["denominator_afgerond"] = round_to_multiple(values["denominator"], policy.round_to)
    values = _round_amounts(values, euro.to_numpy(), policy.euro_round)
    return values.drop(columns=["n_teller", "n_noemer", *CONTRIBUTIONS], errors="ignore")


def _round_amounts(values: pd.DataFrame, euro: np.ndarray, unit: int) -> pd.DataFrame:
    """A median and the bounds of a median's interval are single persons' amounts (order
    statistics): rounded to `unit` euro, the median to the nearest, the bounds outward (the
    interval still holds what it held), so no published amount is one child's cost. The
    bounds of a mean's bootstrap interval are rounded outward alike."""
    catalogue = {i.id: i.interval for i in load_catalogue()[0]}
    median = euro & (values["indicator_id"].map(catalogue) == "mediaan").to_numpy()
    values = values.copy()
    values["value"] = np.where(median, np.round(values["value"] / unit) * unit, values["value"])
    values["ci_low"] = np.where(euro, np.floor(values["ci_low"] / unit) * unit, values["ci_low"])
    values["ci_high"] = np.where(euro, np.ceil(values["ci_high"] / unit) * unit,
                                 values["ci_high"])
    return values


def _dominated_cells(values: pd.DataFrame, breakdowns: pd.DataFrame, system: CellSystem,
                     policy: DisclosurePolicy) -> np.ndarray:
    """Cells of the persons (or records) behind a cost sum that fails the p% rule: protected
    as a small group, so the sum (shown only with them) is hidden and cannot be derived."""
    found = [np.zeros(0, int)]
    if set(CONTRIBUTIONS) <= set(values.columns):
        unsafe = dominated(values["numerator"], values[CONTRIBUTIONS[0]],
                           values[CONTRIBUTIONS[1]], policy.dominance_p)
        found.append(system.indicator_cells["denominator"].to_numpy()[unsafe])
    # A breakdown row's costs are shown only with its record count: an unsafe row's count is
    # protected as a small group, so its costs are hidden and not derivable (totaal less the
    # shown categories leaves at least two hidden ones together).
    if set(CONTRIBUTIONS) <= set(breakdowns.columns):
        unsafe = dominated(breakdowns["kosten"], breakdowns[CONTRIBUTIONS[0]],
                           breakdowns[CONTRIBUTIONS[1]], policy.dominance_p)
        found.append(system.breakdown_cells[unsafe])
    cells = np.concatenate(found).astype(int)
    return cells[cells >= 0]


def _publish_breakdowns(breakdowns: pd.DataFrame, system: CellSystem, hidden: np.ndarray,
                        policy: DisclosurePolicy) -> pd.DataFrame:
    shown = breakdowns[~hidden[system.breakdown_cells]].drop(columns=list(CONTRIBUTIONS),
                                                              errors="ignore")
    shown["suppressed"] = False
    shown["suppression_reason"] = pd.Series(pd.NA, index=shown.index, dtype="string")
    for column in ("count", "personen"):
        shown[column] = round_to_multiple(shown[column].astype(float), policy.round_to)
    return shown


def _weights(system: CellSystem, policy: DisclosurePolicy, pooled: set[str]) -> np.ndarray:
    cells = system.cells
    weight = cells["level"].map(policy.loss_weights).to_numpy(float)
    weight = weight * np.where(cells["period"].isin(pooled), policy.multi_year_weight, 1.0)
    return np.where(cells["virtual"], 0.0, weight)


def hide_twins(hidden: np.ndarray, twins: np.ndarray) -> np.ndarray:
    """A cell whose twin (the same figure in another table) is hidden is hidden too, else the
    shown twin gives it away. Tie rows in the LPs would say the same but made the per-cell LPs
    of a small municipality a hundred times slower; hiding the pair costs a few cells."""
    hidden = hidden.copy()
    while True:
        one = hidden[twins[:, 0]] != hidden[twins[:, 1]]
        if not one.any():
            return hidden
        hidden[twins[one].ravel()] = True


def _per_level(system: CellSystem, hidden: np.ndarray) -> dict:
    """Published and hidden cells per level. Not how many are small: the manifest is published
    beside the tables, and a level with no small cell would tell that each hidden one is not."""
    published = ~system.cells["virtual"].to_numpy()
    frame = pd.DataFrame({"level": system.cells["level"], "hidden": hidden & published,
                          "cells": published})
    totals = frame[published].groupby("level")[["cells", "hidden"]].sum()  # not school parts
    return {level: {"cellen": int(r.cells), HIDDEN_REASON: int(r.hidden)}
            for level, r in totals.iterrows()}


def _write(con: duckdb.DuckDBPyConnection, values: pd.DataFrame,
           breakdowns: pd.DataFrame) -> None:
    """Schema `publish`: the protected tables, and the tables without person counts as they are."""
    con.execute("CREATE SCHEMA IF NOT EXISTS publish")
    is_pooled = values["meerjarig"]
    for name, frame in (
            ("indicator_values", values[~is_pooled].drop(columns="meerjarig")),
            ("indicator_values_meerjarig", values[is_pooled].drop(columns="meerjarig")),
            ("breakdowns", breakdowns)):
        con.register("protected", frame)
        con.execute(f"CREATE OR REPLACE TABLE publish.{name} AS SELECT * FROM protected")
        con.unregister("protected")
    for name in PLAIN_TABLES:
        con.execute(f"CREATE OR REPLACE TABLE publish.{name} AS SELECT * FROM mart.{name}")


def protect(con: duckdb.DuckDBPyConnection, disclosure_settings: dict, workers: int = 1,
            progress: Callable[[str], Callable[[int, int], None]] | None = None,
            min_coverage: float = 0.0, releases: Path | None = None) -> dict:
    """Write schema `publish` from schema `mart`; returns counts of hidden cells and rows.

    releases: private folder with the previous published release's cells
    (privacy.disclosure_releases): protected jointly with it; None: this release alone.

    min_coverage: [indicators] min_dekking, for figures whose coverage is withheld
    (_withhold_coverage); where coverage is shown, indicators.coverage applies it.

    workers: threads for the independent components of secondary suppression; progress: gives
    for a step's Dutch name a callback (done, total), called as the step's cells finish."""
    began = time.monotonic()
    policy = DisclosurePolicy.from_mapping(disclosure_settings)
    areas = con.execute("SELECT * FROM mart.areas").df()
    values = con.execute("SELECT * FROM mart.indicator_values").df()
    breakdowns = con.execute("SELECT * FROM mart.breakdowns").df()
    schools = con.execute("SELECT vestigingscode, wijkcode FROM mart.schools").df()
    indicators = {i.id: i for i in load_catalogue()[0]}
    pooled = set(values.loc[values["meerjarig"], "period"])
    try:
        system = build_system(values, breakdowns, areas, indicators, pooled,
                              parts=read_parts(con))
        persons = system.cells["persons"].to_numpy(float)
        sensitive = primary_suppressed(persons, policy) & ~np.isnan(persons)
        sensitive[_dominated_cells(values, breakdowns, system, policy)] = True
        joint = join(system.cells, system.relations, system.cells["value"].to_numpy(float),
                     sensitive, sensitive | system.cells["virtual"].to_numpy(),
                     _weights(system, policy, pooled), load_release(releases))
        outcome = protect_cells(
            joint.relations, joint.value, joint.sensitive, joint.hidden, joint.weight,
            policy.protection_level, policy.lp_budget, workers, progress,
            localities(joint.cells, areas, schools),
            MilpLimits(policy.milp_max_size, policy.milp_node_limit), joint.settled)
    except (ArithmeticError, ValueError, np.linalg.LinAlgError) as error:
        raise DisclosureError(f"rekenfout ({type(error).__name__}: {error})") from error
    hidden = hide_twins(outcome.hidden[:joint.n_new], system.twins)
    save_release(releases, system.cells, system.relations, hidden, sensitive,
                 policy.joint_releases)
    published_values = _publish_values(values, system, hidden, policy, min_coverage)
    published_breakdowns = _publish_breakdowns(breakdowns, system, hidden, policy)
    _write(con, published_values, published_breakdowns)
    return {"indicator_values": int(published_values["suppressed"].sum()
                                    + len(values) - len(published_values)),
            "breakdowns": len(breakdowns) - len(published_breakdowns),
            "per_niveau": _per_level(system, hidden),
            "lp_problemen": outcome.lps, "lp_cellen": outcome.lp_cells,
            "budget_cellen": outcome.fallback_cells,
            "vast_door_definitie": outcome.fixed_by_definition,
            "milp_componenten": outcome.milp_components, "milp_cellen": outcome.milp_cells,
            "milp_niet_bewezen": outcome.milp_unproven,
            "heuristiek_componenten": outcome.heuristic_components,
            "heuristiek_cellen": outcome.heuristic_cells,
            "bevroren": joint.frozen, "bekend_uit_vorige": joint.known,
            "eerdere_publicaties": joint.releases,
            "seconden": round(time.monotonic() - began, 1)}
