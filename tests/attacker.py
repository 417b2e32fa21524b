"""An outsider's attack on the published database, written apart from the suppressor.

It reads only the published DuckDB file. Every figure is a cell keyed by (measure, level,
area, period): indicator numerators and denominators (and euro sums), and breakdown costs.
Hidden figures are unknowns, and so is every figure that could exist but is absent (an area,
period or category without a row). What an outsider knows: the area hierarchy (areas table;
only where the public catalogue places both levels alike, see `_nested`; a school in two swv's
as its two unseen parts, `_school_parts`),
single years add up to the multi-year figure, breakdown categories add up to 'totaal', a
numerator never exceeds its denominator when both count persons, counts are not negative, and
two published measures that agree wherever both are shown are the same figure, and what each
published suppression reason has ever meant (`REASON_BOUNDS`, with the covenant's min_count).
(a) propagation: a relation with one unknown left pins it; repeated until nothing changes.
(b) linear programs: the minimum and maximum of a hidden cell given everything above.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import scipy.sparse as sp
import yaml
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from indicators.catalogue import load_catalogue
from settings import Disclosure
from tests.attacker_knowledge import (
    VERIFIED_ROWS,
    _coverage_bounds,
    _reason_bounds,
    _split_families,
)

CODELISTS = Path(__file__).resolve().parents[1] / "indicators" / "codelists.yaml"
# A school in two swv's (SO/VSO: SO pupils at the PO-swv, VSO pupils at the VO-swv) is the sum
# of its part in each, and each part is a member of its swv; the parts are never shown.
PART = "schooldeel"
HIERARCHY = (("school", "bestuur"), ("school", "swv"), ("wijk", "gemeente"),
             ("gemeente", "regio"), (PART, "school"))
# The fact column each level is counted by (the region by the gemeente it is made of).
COLUMN = {"school": "vestigingscode", "bestuur": "bevoegd_gezag", "swv": "swv",
          "wijk": "wijkcode", "gemeente": "gemeentecode", "regio": "gemeentecode",
          PART: "vestigingscode"}


def _nested(indicator: str, child: str, parent: str) -> bool:
    """Does the child level add up to the parent for this indicator? Not when the catalogue
    (public) places the parent by another column than the child, e.g. the swv of the home
    address (swv_woonadres) while the school is where the pupil is enrolled."""
    placement = dict(PLACEMENT.get(indicator, ()))

    def suffix(level: str) -> str:  # '' (own column), '_melder', '_wpb', '_woonadres'
        return placement.get(COLUMN[level], COLUMN[level]).removeprefix(COLUMN[level])

    return suffix(child) == suffix(parent)


PLACEMENT = {i.id: i.plaatsing for i in load_catalogue()[0]}


@dataclass
class Attack:
    cells: pd.DataFrame  # measure, level, area_code, period, value (NaN: unknown), counts,
    # present, quality (hidden for low coverage, not by disclosure control)
    equalities: sp.csr_matrix  # rows: sum(coef * cell) = 0
    inequalities: sp.csr_matrix  # rows: sum(coef * cell) <= limits (0 where not given)
    limits: np.ndarray | None = None


def _published(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    catalogue = con.execute("SELECT indicator_id, eenheid, personen, niveaus FROM indicators").df()
    columns = ("indicator_id, level, area_code, period, numerator, denominator, "
               "suppression_reason, coverage")
    values = con.execute(f"SELECT {columns} FROM indicator_values UNION ALL "
                         f"SELECT {columns} FROM indicator_values_meerjarig").df()
    areas = con.execute("SELECT DISTINCT level, area_code FROM areas").df()
    periods = sorted(set(values["period"]))
    frames = []
    for row in catalogue.itertuples():
        grid = areas[areas["level"].isin([v.strip() for v in row.niveaus.split(",")])]
        grid = grid.merge(pd.DataFrame({"period": periods}), how="cross")
        shown = values[values["indicator_id"] == row.indicator_id]
        grid = grid.merge(shown, on=["level", "area_code", "period"], how="left")
        for measure in ("numerator", "denominator"):
            counts = measure == "denominator" or row.eenheid != "euro"
            frames.append(pd.DataFrame({
                "measure": f"{row.indicator_id}.{measure}", "level": grid["level"],
                "area_code": grid["area_code"], "period": grid["period"],
                "value": grid[measure], "counts": counts,
                "present": grid["indicator_id"].notna(),
                "quality": grid["suppression_reason"].eq("lage_dekking").to_numpy(),
                "reason": grid["suppression_reason"].to_numpy(),
                "coverage": grid["coverage"].to_numpy(float),
                "only_count": row.personen.replace(" ", "") in ("teller",)}))
    breakdowns = con.execute("SELECT dimension, category, level, area_code, period, kosten "
                             "FROM breakdowns").df()
    single = sorted(set(breakdowns["period"]))
    # The national code lists are public: a category never shown may still hold records.
    codes = yaml.safe_load(CODELISTS.read_text(encoding="utf-8"))
    seen = set(zip(breakdowns["dimension"], breakdowns["category"], strict=True))
    known = seen | {(d, c) for d in set(breakdowns["dimension"])
                     for c in [*codes.get(d, {}), "onbekend", "totaal"]}
    for dimension, category in sorted(known):
        grid = areas.merge(pd.DataFrame({"period": pd.Series(single, dtype=object)}),
                           how="cross")
        shown = breakdowns[(breakdowns["dimension"] == dimension)
                           & (breakdowns["category"] == category)]
        grid = grid.merge(shown, on=["level", "area_code", "period"], how="left")
        frames.append(pd.DataFrame({
            "measure": f"{dimension}|{category}", "level": grid["level"],
            "area_code": grid["area_code"], "period": grid["period"],
            "value": grid["kosten"], "counts": False, "present": grid["kosten"].notna(),
            "quality": False, "reason": None, "only_count": False, "coverage": np.nan}))
    return pd.concat(frames, ignore_index=True)


def _school_parts(cells: pd.DataFrame, links: pd.DataFrame
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A school linked to two swv's (areas) gets a part per swv for every figure where the
    school adds up to the swv (`_nested`): unknowns. The links become part -> school and
    part -> swv instead of school -> swv."""
    to_swv = links[(links["level"] == "school") & (links["parent_level"] == "swv")]
    split = to_swv[to_swv.groupby("area_code")["parent_code"].transform("size") > 1]
    at_school = cells[(cells["level"] == "school") & cells["area_code"].isin(split["area_code"])]
    nested = at_school["measure"].map(lambda m: _nested(m.split(".")[0], "school", "swv"))
    parts = at_school[nested.astype(bool)].merge(split[["area_code", "parent_code"]],
                                                 on="area_code")
    parts = parts.assign(level=PART, area_code=parts["area_code"] + "|" + parts["parent_code"],
                         value=np.nan, present=False, quality=False, reason=None,
                         coverage=np.nan).drop(columns="parent_code")
    to_part = split.assign(level=PART, area_code=split["area_code"] + "|" + split["parent_code"])
    up = to_part.assign(parent_level="school", parent_code=split["area_code"].to_numpy())
    return (pd.concat([cells, parts], ignore_index=True),
            pd.concat([links.drop(split.index), to_part, up], ignore_index=True))


def _same_figures(cells: pd.DataFrame) -> list[tuple[str, str]]:
    """Pairs of measures equal wherever both are shown (at least 10 times, never differing)."""
    wide = cells.pivot_table(index=["level", "area_code", "period"], columns="measure",
                             values="value", aggfunc="first", dropna=False)
    names = list(wide.columns)
    data = wide.to_numpy()
    pairs = []
    for i, first in enumerate(names):
        for j in range(i + 1, len(names)):
            both = ~np.isnan(data[:, i]) & ~np.isnan(data[:, j])
            if both.sum() >= 10 and np.allclose(data[both, i], data[both, j]):
                pairs.append((first, names[j]))
    return pairs


def build_attack(published_db: str, min_count: int = Disclosure.min_count,
                 pupils: pd.DataFrame | None = None) -> Attack:
    """pupils: all pupils per (level, area_code, period), public from DUO; with them the
    attacker reads coverage (_coverage_bounds)."""
    with duckdb.connect(published_db, read_only=True) as con:
        cells = _published(con)
        links = con.execute("SELECT level, area_code, parent_level, parent_code FROM areas "
                            "WHERE parent_code IS NOT NULL").df()
        pooled = set(con.execute("SELECT DISTINCT period FROM indicator_values_meerjarig").df()[
            "period"])
    cells, links = _school_parts(cells, links)
    cells = cells.reset_index(drop=True)
    cells["id"] = np.arange(len(cells))
    index = cells.set_index(["measure", "level", "area_code", "period"])["id"]
    families: dict[str, list[list[tuple[int, float]]]] = {}
    for child, parent in HIERARCHY:
        # an swv's members: its schools and the parts of the schools in two swv's, together
        children = [child, PART] if (child, parent) == ("school", "swv") else [child]
        link = links[links["level"].isin(children) & (links["parent_level"] == parent)]
        members = cells[cells["level"].isin(children)].merge(link, on=["level", "area_code"])
        for (measure, period, code), part in members.groupby(["measure", "period",
                                                               "parent_code"]):
            total = index.get((measure, parent, code, period))
            if total is not None and _nested(measure.split(".")[0], child, parent):
                families.setdefault(f"{child}->{parent} {measure}", []).append(
                    [(total, -1.0), *((c, 1.0) for c in part["id"])])
    years = cells[~cells["period"].isin(pooled)]
    for (measure, level, code), part in years.groupby(["measure", "level", "area_code"]):
        for label in pooled:
            total = index.get((measure, level, code, label))
            if total is not None:
                families.setdefault(f"jaren {measure}", []).append(
                    [(total, -1.0), *((c, 1.0) for c in part["id"])])
    families["categorieen"] = _category_rows(cells)
    for first, second in _same_figures(cells):
        rows = families.setdefault(f"{first} = {second}", [])
        a = cells[cells["measure"] == first].set_index(["level", "area_code", "period"])["id"]
        b = cells[cells["measure"] == second].set_index(["level", "area_code", "period"])["id"]
        both = a.index.intersection(b.index)
        rows += [[(a[k], 1.0), (b[k], -1.0)] for k in both]
    equalities, inequalities = _checked(families, cells["value"].to_numpy(float))
    split_eq, split_ineq = _checked(_split_families(cells), cells["value"].to_numpy(float),
                                    least=VERIFIED_ROWS)
    equalities += split_eq
    inequalities += split_ineq
    inequalities += _numerator_rows(cells)
    told, told_limits = _reason_bounds(cells, min_count)
    if pupils is not None:
        rows, bounds = _coverage_bounds(cells, pupils)
        told, told_limits = told + rows, told_limits + bounds
    limits = np.r_[np.zeros(len(inequalities)), told_limits]
    return Attack(cells, relation_matrix(equalities, len(cells)),
                  relation_matrix(inequalities + told, len(cells)), limits)


def _category_rows(cells: pd.DataFrame) -> list:
    """Breakdown categories add up to their 'totaal' (per dimension, area and period)."""
    rows = []
    breakdown = cells[cells["measure"].str.contains("|", regex=False)]
    dims = breakdown["measure"].str.split("|").str[0]
    for _, part in breakdown.groupby([dims, "level", "area_code", "period"]):
        is_total = part["measure"].str.endswith("|totaal")
        if is_total.any():
            rows.append([(int(part.loc[is_total, "id"].iloc[0]), -1.0),
                         *((c, 1.0) for c in part.loc[~is_total, "id"])])
    return rows


def _numerator_rows(cells: pd.DataFrame) -> list:
    """A count's numerator is at most its denominator (numerator - denominator <= 0)."""
    rows = []
    for measure in cells.loc[cells["counts"] & cells["measure"].str.endswith(".numerator"),
                             "measure"].unique():
        denominator = measure.replace(".numerator", ".denominator")
        a = cells[cells["measure"] == measure].set_index(["level", "area_code", "period"])["id"]
        b = cells[cells["measure"] == denominator].set_index(
            ["level", "area_code", "period"])["id"]
        rows += [[(a[k], 1.0), (b[k], -1.0)] for k in a.index.intersection(b.index)]
    return rows


def _checked(families: dict, value: np.ndarray, least: int = 0) -> tuple[list, list]:
    """A relation family that does not hold where every cell is shown (people living outside
    the delivered wijken count in the gemeente only) only says total >= sum of members.
    least: a family shown whole in fewer rows than this is a guess, and left out."""
    equalities, inequalities = [], []
    for rows in families.values():
        residual = [sum(c * value[i] for i, c in row) for row in rows]
        residual = np.array([r for r in residual if not np.isnan(r)])
        if len(residual) < least:
            continue
        if np.all(np.abs(residual) < 0.01):
            equalities += rows
        elif np.all(residual < 0.01):
            inequalities += rows
    return equalities, inequalities


def relation_matrix(rows: list[list[tuple[int, float]]], n: int) -> sp.csr_matrix:
    """Rows of (cell, coefficient) pairs as a sparse matrix over n cells."""
    r = [i for i, row in enumerate(rows) for _ in row]
    c = [cell for row in rows for cell, _ in row]
    v = [coef for row in rows for _, coef in row]
    return sp.csr_matrix((v, (r, c)), shape=(len(rows), n))


def pinned_by_propagation(attack: Attack) -> pd.DataFrame:
    """(a) Hidden cells an attacker solves exactly from relations with one unknown."""
    value = attack.cells["value"].to_numpy(float).copy()
    hidden = np.isnan(value)
    found = np.zeros(len(value), bool)
    matrix = attack.equalities
    while True:
        unknown = np.isnan(value)
        per_row = matrix.multiply(unknown[None, :].astype(float))
        count = np.diff((per_row != 0).tocsr().indptr)
        rows = np.flatnonzero(count == 1)
        if not len(rows):
            break
        for row in rows:
            start, end = matrix.indptr[row], matrix.indptr[row + 1]
            cols, coefs = matrix.indices[start:end], matrix.data[start:end]
            target = cols[np.isnan(value[cols])]
            if len(target) != 1:
                continue
            coef = coefs[cols == target[0]][0]
            value[target[0]] = -np.dot(coefs, np.nan_to_num(value[cols])) / coef
            found[target[0]] = True
    return attack.cells[found & hidden].assign(derived=value[found & hidden])


def violations(found: pd.DataFrame, level: float, min_count: float,
               attack: Attack) -> pd.DataFrame:
    """Hidden counts that may be small (the range starts below min_count) yet are derived to a
    range narrower than the protection level, and euro sums derived to one value whose persons
    may be a small group. A count known to be at least min_count is no small group, and a cell
    without a row that can only be 0 is an empty population, not a hidden figure. A euro sum is
    judged by its persons, as statistical offices judge a magnitude by its contributors: the
    sum over a group known to hold at least min_count persons (its row's denominator, shown or
    derived) tells no more than a shown row would. A figure hidden for low coverage
    (`lage_dekking`) was let through by disclosure control: deriving it reveals no small group."""
    width = found["high"] - found["low"]
    empty = ~found["present"] & (found["high"] <= 1e-6)
    narrow = np.where(found["counts"], (width < level - 1e-6) & (found["low"] < min_count),
                      width < 0.5)
    suspect = narrow & ~empty & ~found["quality"].astype(bool)
    euro = suspect & found["measure"].str.endswith(".numerator") & ~found["counts"].astype(bool)
    small = pd.Series(True, index=found.index)
    small[euro] = _group_floor(attack, found[euro]) < min_count
    return found[suspect & small]


def pinned_violations(attack: Attack, level: float, min_count: float) -> pd.DataFrame:
    """(a) judged: the hidden cells propagation pins that `violations` counts as leaks."""
    pinned = pinned_by_propagation(attack)
    return violations(pinned.assign(low=pinned["derived"], high=pinned["derived"]), level,
                      min_count, attack)


def _group_floor(attack: Attack, sums: pd.DataFrame) -> np.ndarray:
    """The least number of persons each indicator's euro sum can be over: its row's
    denominator where shown, else its minimum over everything published."""
    keys = ["measure", "level", "area_code", "period"]
    keys += ["release"] if "release" in attack.cells else []  # releases side by side
    wanted = sums[keys].assign(
        measure=sums["measure"].str.replace(".numerator", ".denominator", regex=False))
    group = wanted.merge(attack.cells[[*keys, "id", "value"]], on=keys, how="left")
    floor = group["value"].to_numpy(float, copy=True)
    unknown = np.isnan(floor)
    if unknown.any():
        derived = ranges(attack, group.loc[unknown, "id"].to_numpy(int))
        floor[unknown] = derived["low"].to_numpy()
    return floor


def ranges(attack: Attack, cells: np.ndarray) -> pd.DataFrame:
    """(b) Minimum and maximum of each given unknown cell over every table that agrees with
    what is published (one LP pair per cell, on its connected part of the relations)."""
    value = attack.cells["value"].to_numpy(float)
    unknown = np.isnan(value)
    eq, ineq = attack.equalities, attack.inequalities
    columns = np.flatnonzero(unknown)
    position = np.full(len(value), -1)
    position[columns] = np.arange(len(columns))
    known = np.nan_to_num(value)
    a_eq, b_eq = eq[:, columns], -(eq @ known)
    limits = np.zeros(ineq.shape[0]) if attack.limits is None else attack.limits
    a_ub, b_ub = ineq[:, columns], limits - ineq @ known
    incidence = sp.vstack([abs(a_eq), abs(a_ub)]).astype(bool).tocsr()
    graph = sp.bmat([[None, incidence], [incidence.T, None]], format="csr")
    _, label = connected_components(graph, directed=False)
    label = label[incidence.shape[0]:]
    out = []
    for cell in cells:
        part = np.flatnonzero(label == label[position[cell]])
        used_eq = np.flatnonzero(abs(a_eq[:, part]).sum(axis=1).A1 > 0)
        used_ub = np.flatnonzero(abs(a_ub[:, part]).sum(axis=1).A1 > 0)
        objective = np.zeros(len(part))
        objective[np.searchsorted(part, position[cell])] = 1.0
        bounds = []
        for sign in (1.0, -1.0):
            result = linprog(sign * objective, A_eq=a_eq[used_eq][:, part], b_eq=b_eq[used_eq],
                             A_ub=a_ub[used_ub][:, part] if len(used_ub) else None,
                             b_ub=b_ub[used_ub] if len(used_ub) else None,
                             bounds=(0, None), method="highs")
            assert result.status in (0, 3), f"published tables inconsistent: {result.message}"
            bounds.append(np.inf if result.status == 3 else sign * result.fun)
        out.append((cell, *bounds))
    frame = pd.DataFrame(out, columns=["id", "low", "high"])
    return attack.cells.iloc[frame["id"]].assign(low=frame["low"].to_numpy(),
                                                 high=frame["high"].to_numpy())

