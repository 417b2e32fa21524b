"""Primary and secondary cell suppression over additive hierarchies (no DuckDB, no settings).

A group is one additive relation: total = sum(members) (schools in a bestuur, schools in a swv,
wijken in a gemeente, categories in a total). Primary: person counts below min_count are hidden
(0 only when hide_zero). Secondary, repeated until stable: a group may not hold exactly one
hidden cell, and the hidden cells of a group must together hold at least min_count persons
(otherwise "the rest is 0" would reveal them). Crossing hierarchies (a school is in a bestuur
and in a swv) can still pin a cell down through a chain of relations, or through cells that can
only be 0 because counts are never negative; an audit finds every hidden cell that the shown
cells and relations determine and hides one more cell next to it, until none is determined.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import null_space
from scipy.optimize import linprog

PRIMARY, SECONDARY = "klein_aantal", "secundair"


@dataclass(frozen=True)
class DisclosurePolicy:
    min_count: int
    hide_zero: bool
    round_to: int

    @classmethod
    def from_mapping(cls, settings: Mapping) -> DisclosurePolicy:
        """From the [disclosure] section of monitor.toml; ValueError names the bad key."""
        values = {}
        for key, kind, minimum in (("min_count", int, 0), ("hide_zero", bool, None),
                                   ("round_to", int, 1)):
            if key not in settings:
                raise ValueError(f"[disclosure] {key} ontbreekt in de instellingen.")
            value = settings[key]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise ValueError(f"[disclosure] {key} moet {kind.__name__} zijn, niet {value!r}.")
            if minimum is not None and value < minimum:
                raise ValueError(f"[disclosure] {key} = {value} is kleiner dan {minimum}.")
            values[key] = value
        return cls(**values)


def primary_suppressed(counts, policy: DisclosurePolicy) -> np.ndarray:
    """True where a person count is too small to show: below min_count, 0 only if hide_zero."""
    c = np.asarray(counts, dtype=float)
    small = c < policy.min_count
    return np.where(c == 0, small & policy.hide_zero, small)


def suppress(cells: pd.DataFrame, groups: pd.DataFrame, policy: DisclosurePolicy) -> pd.Series:
    """Reason per cell_id: 'klein_aantal', 'secundair' or None.

    cells: cell_id (unique), count (smallest person count behind the cell).
    groups: group_id, total_cell, member_cell; one row per member of each additive relation.
    """
    ids = cells["cell_id"].tolist()
    if cells["cell_id"].duplicated().any():
        raise ValueError("Onthullingscontrole: cell_id is niet uniek.")
    unknown = set(groups["total_cell"]).union(groups["member_cell"]).difference(ids)
    if unknown:
        raise ValueError(f"Onthullingscontrole: groepen verwijzen naar onbekende cellen "
                         f"{sorted(unknown, key=str)[:5]}.")
    count = dict(zip(ids, cells["count"].astype(float), strict=True))
    reason: dict = {c: (PRIMARY if hidden else None) for c, hidden in
                    zip(ids, primary_suppressed(cells["count"], policy), strict=True)}
    members: dict = defaultdict(set)
    totals: dict = {}
    for group, total, member in groups[["group_id", "total_cell", "member_cell"]].itertuples(
            index=False):
        members[group].add(member)
        totals[group] = total
    # Sorted everywhere so the outcome does not depend on row order (ties go by cell_id).
    cells_of = {g: [totals[g], *sorted(m, key=str)] for g, m in members.items()}
    groups_of: dict = defaultdict(list)
    for group in sorted(cells_of, key=str):
        for cell in cells_of[group]:
            groups_of[cell].append(group)

    def exposed(group: Hashable) -> bool:
        hidden = [c for c in cells_of[group] if reason[c]]
        too_few = sum(count[c] for c in hidden) < policy.min_count
        return len(hidden) == 1 or (too_few and 1 < len(hidden) < len(cells_of[group]))

    def smallest(candidates: list) -> Hashable:
        # Hiding a zero protects nothing: it cannot move down.
        return min(candidates, key=lambda c: (count[c] == 0, count[c], str(c)))

    def protect_groups() -> None:
        queue = sorted((g for g in cells_of if exposed(g)), key=str, reverse=True)
        while queue:
            group = queue.pop()
            if not exposed(group):
                continue
            total, *group_members = cells_of[group]
            candidates = [c for c in group_members if not reason[c]] \
                or [c for c in [total] if not reason[c]]
            if not candidates:
                continue
            fixes_crossing = [c for c in candidates
                              if any(exposed(g) for g in groups_of[c] if g != group)]
            chosen = smallest(fixes_crossing or candidates)
            reason[chosen] = SECONDARY
            queue += sorted((g for g in groups_of[chosen] if exposed(g)), key=str, reverse=True)
            if exposed(group):
                queue.append(group)

    def nearest_shown(cell: Hashable) -> list:
        """Shown cells next to the hidden cells connected to `cell` (through hidden cells).

        Hiding the smallest of these, rather than the nearest total, keeps the large totals
        (a swv, the gemeente) visible where a small bestuur can protect the cell instead.
        """
        seen_groups, frontier, shown = set(), {cell}, set()
        seen_cells = {cell}
        while frontier:
            groups = {g for c in frontier for g in groups_of[c]} - seen_groups
            seen_groups |= groups
            members = {c for g in groups for c in cells_of[g]}
            shown |= {c for c in members if not reason[c]}
            frontier = {c for c in members if reason[c]} - seen_cells
            seen_cells |= frontier
        return sorted(shown, key=str)

    protect_groups()
    while determined := _determined(cells_of, reason, count):
        added = False
        for cell in determined:
            if shown := nearest_shown(cell):
                reason[smallest(shown)] = SECONDARY
                added = True
        if not added:
            break
        protect_groups()
    return pd.Series(reason, dtype=object).reindex(ids)


def _determined(cells_of: dict, reason: dict, count: dict) -> list:
    """Hidden cells whose value follows from the shown cells, the relations and counts >= 0."""
    groups = sorted((g for g, cells in cells_of.items() if any(reason[c] for c in cells)),
                    key=str)
    parent: dict = {}

    def find(x: Hashable) -> Hashable:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for g in groups:
        hidden = [c for c in cells_of[g] if reason[c]]
        for c in hidden[1:]:
            parent[find(c)] = find(hidden[0])
    components: dict = defaultdict(list)
    for g in groups:
        components[find(next(c for c in cells_of[g] if reason[c]))].append(g)
    determined = []
    for component_groups in components.values():
        cells = sorted({c for g in component_groups for c in cells_of[g] if reason[c]}, key=str)
        column = {c: i for i, c in enumerate(cells)}
        matrix = np.zeros((len(component_groups), len(cells)))
        for row, g in enumerate(component_groups):
            total, *group_members = cells_of[g]
            for c in group_members:
                if reason[c]:
                    matrix[row, column[c]] += 1.0
            if reason[total]:
                matrix[row, column[total]] -= 1.0
        zero = np.array([count[c] == 0 for c in cells])
        determined += [c for c, p in zip(cells, _pinned(matrix, zero), strict=True) if p]
    return determined


def _pinned(matrix: np.ndarray, zero: np.ndarray) -> np.ndarray:
    """Hidden cells that cannot move while every relation `matrix @ x = constant` holds and
    x >= 0, given which hidden cells are 0 now (only those sit on a bound).

    A cell can move iff some direction d with matrix @ d = 0 and d >= 0 on the zero cells
    changes it. One LP finds the zero cells that can rise (scaling d lets every such cell
    reach s = 1 at once); the others are stuck at 0 and drop out. The remaining directions
    span the whole null space, so a null-space check settles the rest.
    """
    n = len(zero)
    stuck = np.zeros(n, bool)
    if zero.any():
        z = np.flatnonzero(zero)
        a_ub = np.zeros((len(z), n + len(z)))
        a_ub[np.arange(len(z)), z] = -1.0
        a_ub[np.arange(len(z)), n + np.arange(len(z))] = 1.0  # s_i <= d_i
        result = linprog(np.r_[np.zeros(n), -np.ones(len(z))],
                         A_ub=a_ub, b_ub=np.zeros(len(z)),
                         A_eq=np.hstack([matrix, np.zeros((len(matrix), len(z)))]),
                         b_eq=np.zeros(len(matrix)),
                         bounds=[(0, None) if is_zero else (None, None) for is_zero in zero]
                         + [(0, 1)] * len(z), method="highs")
        if result.status != 0:
            raise RuntimeError(f"Onthullingscontrole: LP mislukt ({result.message}).")
        stuck[z] = result.x[n:] < 0.5
    free = null_space(matrix[:, ~stuck])
    linear = (np.linalg.norm(free, axis=1) < 1e-9 if free.size
              else np.ones(int((~stuck).sum()), bool))
    pinned = stuck.copy()
    pinned[~stuck] = linear
    return pinned
