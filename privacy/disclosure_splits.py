"""Relations between indicators that the public catalogue itself makes: splits and their total.

An entry with `varianten` splits an indicator: each variant adds a condition to the numerator
(thuiszitters_duur: kort, midden, lang) or to the population (jeugdhulp_onderwijssoort). Where
another indicator counts exactly what the split's base counts (same fact, population, numerator
and denominator, the variants' SQL is `(base) AND (condition)`), the variants' figures add up to
that indicator's figure: thuiszitters = duur_kort + duur_midden + duur_lang. Whether they add up
exactly or overlap (soort: one person can be both, so the soorten add up to at least the total)
is read from the true figures, as an outsider reads it from the shown ones: equal everywhere
gives `total = sum(members)`; never less gives `sum(members) = total + overlap` and per member
`member + rest = total`, overlap and rest cells of their own that are never published (hidden,
free to move, non-negative). Anything else gives no relation. Nothing here knows an indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.catalogue import Indicator

KEYS = ["level", "area_code", "period"]
MEASURES = {"teller_sql": "numerator", "populatie_sql": "denominator"}


@dataclass(frozen=True)
class Split:
    total: str                # indicator id
    members: tuple[str, ...]  # the variants' ids
    measure: str              # numerator: a numerator split; denominator: a population split


def splits(indicators: dict[str, Indicator]) -> list[Split]:
    """Every (total, variants) pair the catalogue defines; see the module docstring."""
    groups: dict[str, list[Indicator]] = {}
    for indicator in indicators.values():
        if indicator.groep != indicator.id:
            groups.setdefault(indicator.groep, []).append(indicator)
    found = []
    for members in groups.values():
        for total in indicators.values():
            if total.groep == members[0].groep:
                continue
            for field, measure in MEASURES.items():
                if all(_refines(member, total, field) for member in members):
                    found.append(Split(total.id, tuple(m.id for m in members), measure))
                    # a population split splits the numerator along with it
                    if measure == "denominator" and "teller" in total.personen:
                        found.append(Split(total.id, tuple(m.id for m in members), "numerator"))
    return found


def _refines(member: Indicator, total: Indicator, field: str) -> bool:
    """member is total with one more condition on `field`, all else alike."""
    same = ("feit", "noemer_sql", "plaatsing", "personen",
            *(f for f in MEASURES if f != field))
    if field == "populatie_sql":
        same = (*same, "teller_sql")
    return (all(getattr(member, f) == getattr(total, f) for f in same)
            and getattr(member, field).startswith(f"({getattr(total, field)}) AND ("))


def split_relations(cells: pd.DataFrame, merged: dict[str, str],
                    indicators: dict[str, Indicator]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(triplets key, cell, coef; new virtual cells) for every split that holds on the
    figures. `cells`: the system's cells (cell numbers continue after its last)."""
    published = cells[~cells["virtual"]]
    frames, extra, next_cell = [], [], int(cells["cell"].max()) + 1 if len(cells) else 0
    for split in splits(indicators):
        total_q = merged.get(f"iv:{split.total}:{split.measure}")
        member_q = [merged.get(f"iv:{m}:{split.measure}") for m in split.members]
        if total_q is None or None in member_q or total_q in member_q:
            continue
        totals = published[published["quantity"] == total_q].set_index(KEYS)
        # Two variants with the same figures everywhere are one quantity: it counts twice.
        times = pd.Series(member_q).value_counts()
        members = published[published["quantity"].isin(member_q)]
        members = members[members.set_index(KEYS).index.isin(totals.index)]
        members = members.assign(coef=members["quantity"].map(times).astype(float))
        if members.empty:
            continue
        grouped = (members["value"] * members["coef"]).groupby(
            [members[k] for k in KEYS]).sum()
        gap = grouped - totals.loc[grouped.index, "value"]
        if (gap.abs() < 1e-9).all():
            kind = "exact"
        elif (gap > -1e-9).all():
            kind = "overlap"
        else:
            continue
        name = f"split:{split.total}:{split.measure}:{split.members[0]}:"
        group = members.groupby(KEYS, sort=True).ngroup().to_numpy()
        total_cells = totals.loc[list(grouped.index), "cell"].to_numpy()
        key = name + pd.Series(group).astype(str)
        frames += [pd.DataFrame({"key": key, "cell": members["cell"].to_numpy(),
                                 "coef": members["coef"].to_numpy()}),
                   pd.DataFrame({"key": name + pd.Series(range(len(grouped))).astype(str),
                                 "cell": total_cells, "coef": -1.0})]
        if kind == "overlap":
            overlap, rest, next_cell = _overlap(members, grouped, totals, group, name,
                                                next_cell)
            frames += overlap
            extra += rest
    relations = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["key", "cell", "coef"])
    virtual = pd.concat(extra, ignore_index=True) if extra else cells.iloc[:0]
    return relations, virtual


def _overlap(members: pd.DataFrame, grouped: pd.Series, totals: pd.DataFrame,
             group: np.ndarray, name: str, next_cell: int) -> tuple[list, list, int]:
    """Rows and cells that turn the split's rows (sum(members) - total) into equalities:
    - overlap per key, and per member `member + rest = total` (rest >= 0 where it holds)."""
    index = list(grouped.index)
    total_cells = totals.loc[index, "cell"].to_numpy()
    total_values = totals.loc[index, "value"].to_numpy()
    overlap_ids = np.arange(next_cell, next_cell + len(index))
    next_cell += len(index)
    cells = [pd.DataFrame(index, columns=KEYS).assign(
        cell=overlap_ids, quantity=name + "overlap", value=grouped.to_numpy() - total_values,
        persons=np.nan, virtual=True)]
    frames = [pd.DataFrame({"key": name + pd.Series(range(len(index))).astype(str),
                            "cell": overlap_ids, "coef": -1.0})]
    rest_value = total_values[group] - members["value"].to_numpy()
    fits = rest_value > -1e-9
    rest_ids = np.arange(next_cell, next_cell + fits.sum())
    next_cell += int(fits.sum())
    cells.append(members.loc[fits, KEYS].reset_index(drop=True).assign(
        cell=rest_ids, quantity=(name + "rest:" + members.loc[fits, "quantity"]).to_numpy(),
        value=rest_value[fits], persons=np.nan, virtual=True))
    rest_key = name + "rest" + pd.Series(range(len(rest_ids))).astype(str)
    frames += [pd.DataFrame({"key": rest_key, "cell": members["cell"].to_numpy()[fits],
                             "coef": 1.0}),
               pd.DataFrame({"key": rest_key, "cell": rest_ids, "coef": 1.0}),
               pd.DataFrame({"key": rest_key, "cell": total_cells[group][fits], "coef": -1.0})]
    return frames, cells, next_cell
