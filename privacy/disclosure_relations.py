"""Every published count as one cell of one linear system, derived from the table structure.

A quantity is one published count column: an indicator's numerator or denominator (when the
catalogue says it counts persons) or a breakdown category's record count. Quantities that hold
the same figure in every area and period (a breakdown's 'totaal' and the cost indicator's
denominator, verwijzer 02 and the huisarts numerator, indicators with the same population) are
found from the data and merged into one cell, so each figure is protected once. Relations, each
`total = sum(members)`: area hierarchies (school -> bestuur, school -> swv, wijk -> gemeente,
gemeente -> regio),
single schooljaren -> the multi-year figure, categories -> 'totaal', and per proportion
`denominator = numerator + complement`, where the complement (persons without the trait) is a
cell of its own that is never published but protected like any other small group, and the
splits the catalogue defines (privacy.disclosure_splits: thuiszitters = the duur variants).
Nothing here knows a specific indicator or category.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from indicators.catalogue import Indicator
from indicators.levels import HIERARCHIES, SCHOOL_PART
from privacy.disclosure_parts import part_cells, swv_members
from privacy.disclosure_splits import split_relations

KEYS = ["level", "area_code", "period"]
TOTAL_CATEGORY = "totaal"
# Two quantities that agree on this share of the cells of one level are taken as one figure there.
EQUAL_SHARE = 0.9


@dataclass(frozen=True)
class CellSystem:
    """cells: cell, quantity, level, area_code, period, value, persons, virtual.
    relations: sparse (relation x cell), +1 for members and -1 for the total.
    indicator_cells / breakdown_cells: the cell behind each row of the mart tables (-1: none).
    twins: pairs of cells that hold one figure in two tables of one level (twin_cells)."""

    cells: pd.DataFrame
    relations: sp.csr_matrix
    indicator_cells: pd.DataFrame
    breakdown_cells: np.ndarray
    twins: np.ndarray


def _quantities(values: pd.DataFrame, breakdowns: pd.DataFrame,
                indicators: dict[str, Indicator]) -> pd.DataFrame:
    """Long table: row_ref, quantity, level, area_code, period, value, persons."""
    frames = []
    for measure, persons, role in (("numerator", "n_teller", "teller"),
                                   ("denominator", "n_noemer", "noemer")):
        counted = values["indicator_id"].map(lambda i, r=role: r in indicators[i].personen)
        part = values[counted.astype(bool)]
        frames.append(pd.DataFrame({
            "row_ref": "iv:" + part.index.astype(str) + ":" + measure,
            "quantity": "iv:" + part["indicator_id"] + ":" + measure,
            **{k: part[k] for k in KEYS}, "value": part[measure].astype(float),
            "persons": part[persons].astype(float)}))
    frames.append(pd.DataFrame({
        "row_ref": "bd:" + breakdowns.index.astype(str),
        "quantity": "bd:" + breakdowns["dimension"] + ":" + breakdowns["category"],
        **{k: breakdowns[k] for k in KEYS}, "value": breakdowns["count"].astype(float),
        "persons": breakdowns["personen"].astype(float)}))
    return pd.concat(frames, ignore_index=True)


def _merge_identical(long: pd.DataFrame) -> dict[str, str]:
    """quantity -> representative: quantities equal on every area and period both cover."""
    wide = long.pivot_table(index=KEYS, columns="quantity", values="value", aggfunc="first")
    on_period = wide.index.get_level_values("period")
    covered = {q: on_period.isin(set(part["period"])) for q, part in long.groupby("quantity")}
    names = sorted(wide.columns)
    filled = wide[names].fillna(0.0).to_numpy()
    parent = {q: q for q in names}

    def find(q: str) -> str:
        while parent[q] != q:
            q = parent[q]
        return q

    for position, first in enumerate(names):
        for offset, second in enumerate(names[position + 1:], start=position + 1):
            shared = covered[first] & covered[second]
            a = filled[shared, position]
            if a.any() and np.array_equal(a, filled[shared, offset]):
                parent[find(second)] = find(first)
    return {q: find(q) for q in names}


def _cells(long: pd.DataFrame, values: pd.DataFrame,
           indicators: dict[str, Indicator]) -> tuple[pd.DataFrame, pd.Series]:
    """Published cells (merged) plus one virtual complement per proportion row."""
    cells = (long.groupby(["quantity", *KEYS], sort=True)
             .agg(value=("value", "first"), persons=("persons", "min")).reset_index())
    cells["virtual"] = False
    both = values["indicator_id"].map(
        lambda i: {"teller", "noemer"} <= set(indicators[i].personen)).astype(bool)
    part = values[both]
    complements = pd.DataFrame({
        "quantity": "complement:" + part["indicator_id"], **{k: part[k] for k in KEYS},
        "value": (part["denominator"] - part["numerator"]).astype(float),
        "persons": (part["n_noemer"] - part["n_teller"]).astype(float), "virtual": True})
    complement_of = pd.Series(np.arange(len(cells), len(cells) + len(part)), index=part.index)
    cells = pd.concat([cells, complements], ignore_index=True)
    cells.insert(0, "cell", np.arange(len(cells)))
    return cells, complement_of


def _relation(total: pd.Series, members: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Triplets (relation key, cell, coefficient) for total = sum(members) per group key."""
    if not len(members):
        return pd.DataFrame(columns=["key", "cell", "coef"])
    key = members["kind"].astype(str) + ":" + members.groupby(group, sort=False).ngroup(
        ).astype(str)
    first = ~key.duplicated()
    return pd.concat([
        pd.DataFrame({"key": key, "cell": members["cell"], "coef": 1.0}),
        pd.DataFrame({"key": key[first], "cell": total[first], "coef": -1.0})],
        ignore_index=True)


def _hierarchy_relations(cells: pd.DataFrame, areas: pd.DataFrame,
                         indicators: dict[str, Indicator]) -> list[pd.DataFrame]:
    frames = []
    published = cells[~cells["virtual"]]
    for child, parent in HIERARCHIES:
        links = areas[(areas["level"] == child) & (areas["parent_level"] == parent)]
        if (child, parent) == ("school", "swv"):  # a school in two swv's: its part in each
            members = swv_members(published, cells, links, indicators)
        else:
            members = published[published["level"] == child].merge(
                links[["area_code", "parent_code"]], on="area_code")
        totals = published[published["level"] == parent].rename(
            columns={"area_code": "parent_code", "cell": "total_cell"})
        joined = members.merge(totals[["quantity", "period", "parent_code", "total_cell"]],
                               on=["quantity", "period", "parent_code"])
        joined["kind"] = parent
        frames.append(_relation(joined["total_cell"], joined,
                                ["quantity", "period", "parent_code"]))
    return frames


def _pooled_relations(cells: pd.DataFrame, pooled_periods: set[str]) -> pd.DataFrame:
    published = cells[~cells["virtual"] | (cells["level"] == SCHOOL_PART)]
    pooled = published[published["period"].isin(pooled_periods)]
    years = published[~published["period"].isin(pooled_periods)]
    joined = years.merge(pooled[["quantity", "level", "area_code", "cell"]],
                         on=["quantity", "level", "area_code"], suffixes=("", "_total"))
    joined["kind"] = "jaren"
    return _relation(joined["cell_total"], joined, ["quantity", "level", "area_code"])


def _category_relations(cells: pd.DataFrame, merged: dict[str, str],
                        pooled_periods: set[str]) -> pd.DataFrame:
    """Per breakdown dimension and schooljaar: the categories add up to its 'totaal' cell."""
    frames = []
    for quantity, representative in merged.items():
        if not quantity.startswith("bd:") or not quantity.endswith(":" + TOTAL_CATEGORY):
            continue
        dimension = quantity[:-len(TOTAL_CATEGORY)]
        parts = {merged[q] for q in merged if q.startswith(dimension) and q != quantity}
        members = cells[cells["quantity"].isin(parts)]
        totals = cells[cells["quantity"] == representative]
        joined = members.merge(totals[[*KEYS, "cell"]], on=KEYS, suffixes=("", "_total"))
        joined = joined[~joined["period"].isin(pooled_periods)]
        joined["kind"] = dimension
        frames.append(_relation(joined["cell_total"], joined, KEYS))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["key", "cell", "coef"])


def twin_cells(cells: pd.DataFrame) -> np.ndarray:
    """Pairs (cell_a, cell_b) holding the same figure where two quantities agree within one
    level nearly everywhere both are published (say the verblijf figures at wijk level, which
    differ only at school level): an outsider who sees them agree wherever both are shown will
    assume the identity. Pairs that agree only here and there are not one figure; places where
    both are 0 are left out (rare figures agree on 0 at most schools)."""
    frames = []
    published = cells[~cells["virtual"]]
    for _, part in published.groupby("level"):
        wide = part.pivot_table(index=["area_code", "period"], columns="quantity",
                                values="value", aggfunc="first")
        ids = part.pivot_table(index=["area_code", "period"], columns="quantity",
                               values="cell", aggfunc="first")
        values = wide.to_numpy()
        for i in range(values.shape[1]):
            for j in range(i + 1, values.shape[1]):
                both = (~np.isnan(values[:, i]) & ~np.isnan(values[:, j])
                        & ((values[:, i] != 0) | (values[:, j] != 0)))
                same = both & (values[:, i] == values[:, j])
                if same.sum() < 2 or same.sum() < EQUAL_SHARE * both.sum():
                    continue
                frames.append(np.c_[ids.iloc[same, i].to_numpy(int),
                                    ids.iloc[same, j].to_numpy(int)])
    return np.concatenate(frames) if frames else np.zeros((0, 2), int)


def localities(cells: pd.DataFrame, areas: pd.DataFrame, schools: pd.DataFrame) -> np.ndarray:
    """Per cut (rows) and cell (columns) the rank of a gemeente, so a component too large for
    one LP is split where the relations are few. Every cut puts a wijk with its own gemeente, a
    bestuur and an swv with their most common gemeente among their schools, the regio after
    every gemeente; a school goes with its bestuur's gemeente in the first cut (a bestuur's
    relations are small: a school cut off from its bestuur is pinned), with its swv's in the
    second and its own in the third, so a school that a cut separates from a total it belongs
    to is with it in the next. The gemeente comes from the CBS wijkcode itself: schools
    across the border have wijken that `areas` does not hold. Neighbouring gemeenten get
    neighbouring ranks, so a piece cut from consecutive ranks is a region."""
    of_school = pd.Series("GM" + schools["wijkcode"].str[2:6].to_numpy(),
                          index=schools["vestigingscode"].to_numpy()).dropna()
    links = areas.loc[areas["level"] == "school", ["area_code", "parent_level", "parent_code"]]
    links = links.assign(gemeente=links["area_code"].map(of_school)).dropna()
    links["parent"] = links["parent_level"] + "|" + links["parent_code"].astype(str)
    counted = links.groupby(["parent", "gemeente"]).size().rename("n").reset_index()
    counted = counted.sort_values(["n", "gemeente"], ascending=[False, True])
    main = counted.drop_duplicates("parent").set_index("parent")["gemeente"]
    level, code = cells["level"].to_numpy(), cells["area_code"].astype(str).reset_index(drop=True)
    school = code.str.split("|").str[0]  # a school's part in one swv goes with the school
    school_places = []
    for parent in ("bestuur", "swv"):
        via = links[links["parent_level"] == parent].drop_duplicates("area_code")
        parent_gemeente = via.set_index("area_code")["parent"].map(main)
        school_places.append(school.map(parent_gemeente).fillna(school.map(of_school))
                             .to_numpy())
    school_places.append(school.map(of_school).to_numpy())
    cuts = [np.select(
        [np.isin(level, ["school", SCHOOL_PART]), level == "wijk", level == "gemeente",
         np.isin(level, ["bestuur", "swv"])],
        [place, ("GM" + code.str[2:6]).to_numpy(), code.to_numpy(),
         (cells["level"].reset_index(drop=True) + "|" + code).map(main).to_numpy()],
        default=None) for place in school_places]
    names = np.concatenate([pd.Series(cut).fillna("~").to_numpy(str) for cut in cuts])
    places, index = np.unique(names, return_inverse=True)
    # Gemeenten in the order of their swv region (most common swv among their schools), so a
    # piece holds neighbours: a gemeente's besturen and swv's mostly lie within its region.
    swv = links[links["parent_level"] == "swv"].groupby(["gemeente", "parent_code"]).size()
    region = (swv.rename("n").reset_index().sort_values(["n", "parent_code"],
                                                        ascending=[False, True])
              .drop_duplicates("gemeente").set_index("gemeente")["parent_code"].astype(str))
    keys = [place if place == "~" else f"{region.get(place, '')}|{place}" for place in places]
    rank = np.argsort(np.argsort(np.array(keys, dtype=str), kind="stable"))
    return rank[index.ravel()].reshape(len(cuts), len(cells))


def build_system(values: pd.DataFrame, breakdowns: pd.DataFrame, areas: pd.DataFrame,
                 indicators: dict[str, Indicator], pooled_periods: set[str],
                 parts: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> CellSystem:
    """values/breakdowns: the mart tables (RangeIndex); indicators by id; parts: the mart's
    school_part_values and school_part_breakdowns (privacy.disclosure_parts)."""
    long = _quantities(values, breakdowns, indicators)
    merged = _merge_identical(long)
    long["quantity"] = long["quantity"].map(merged)
    cells, complement_of = _cells(long, values, indicators)
    split_triplets, split_cells = split_relations(cells, merged, indicators)
    cells = pd.concat([cells, split_cells[cells.columns]], ignore_index=True)
    part_triplets = pd.DataFrame(columns=["key", "cell", "coef"])
    if parts is not None:
        new, part_triplets = part_cells(cells, merged, *parts, indicators)
        cells = pd.concat([cells, new[cells.columns]], ignore_index=True)
    lookup = long.merge(cells[["quantity", *KEYS, "cell"]], on=["quantity", *KEYS])
    ref = dict(zip(lookup["row_ref"], lookup["cell"], strict=True))
    indicator_cells = pd.DataFrame({
        m: [ref.get(f"iv:{r}:{m}", -1) for r in values.index]
        for m in ("numerator", "denominator")}, index=values.index)
    indicator_cells["complement"] = complement_of.reindex(values.index).fillna(-1).astype(int)
    triplets = [*_hierarchy_relations(cells, areas, indicators),
                _pooled_relations(cells, pooled_periods),
                _category_relations(cells, merged, pooled_periods), split_triplets,
                part_triplets]
    rows = indicator_cells.loc[complement_of.index]
    triplets.append(pd.concat([
        pd.DataFrame({"key": "c" + rows.index.astype(str), "cell": rows["numerator"],
                      "coef": 1.0}),
        pd.DataFrame({"key": "c" + rows.index.astype(str), "cell": complement_of.to_numpy(),
                      "coef": 1.0}),
        pd.DataFrame({"key": "c" + rows.index.astype(str), "cell": rows["denominator"],
                      "coef": -1.0})]))
    triplets = pd.concat(triplets, ignore_index=True)
    relation = pd.factorize(triplets["key"].astype(str))[0]
    matrix = sp.csr_matrix((triplets["coef"].to_numpy(float), (relation, triplets["cell"])),
                           shape=(relation.max() + 1 if len(relation) else 0, len(cells)))
    return CellSystem(cells=cells, relations=_unique_rows(matrix),
                      indicator_cells=indicator_cells, twins=twin_cells(cells),
                      breakdown_cells=np.array([ref[f"bd:{r}"] for r in breakdowns.index], int))


def _unique_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Drop relations written twice (two merged quantities give the same relation)."""
    matrix.sum_duplicates()
    matrix.sort_indices()
    seen, keep = set(), []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        signature = (matrix.indices[start:end].tobytes(), matrix.data[start:end].tobytes())
        if end - start > 1 and signature not in seen:
            seen.add(signature)
            keep.append(row)
    return matrix[keep]
