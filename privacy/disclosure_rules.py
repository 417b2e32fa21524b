"""Primary and secondary cell suppression over additive hierarchies (no DuckDB, no settings).

A group is one additive relation: total = sum(members) (schools in a bestuur, schools in a swv,
wijken in a gemeente, categories in a total). Primary: person counts below min_count are hidden
(0 only when hide_zero). Secondary, repeated until stable: a group may not hold exactly one
hidden cell, and the hidden cells of a group must together hold at least min_count persons
(otherwise "the rest is 0" would reveal them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

PRIMARY, SECONDARY = "klein_aantal", "secundair"


@dataclass(frozen=True)
class DisclosurePolicy:
    min_count: int
    hide_zero: bool
    round_to: int

    @classmethod
    def from_mapping(cls, settings: dict) -> DisclosurePolicy:
        """From the [disclosure] section of monitor.toml; ValueError names the bad key."""
        values = {}
        for key, kind in (("min_count", int), ("hide_zero", bool), ("round_to", int)):
            if key not in settings:
                raise ValueError(f"[disclosure] {key} ontbreekt in de instellingen.")
            value = settings[key]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise ValueError(f"[disclosure] {key} moet {kind.__name__} zijn, niet {value!r}.")
            if kind is int and value < (1 if key == "round_to" else 0):
                raise ValueError(f"[disclosure] {key} = {value} is te klein.")
            values[key] = value
        return cls(**values)


def primary_suppressed(counts, policy: DisclosurePolicy) -> np.ndarray:
    c = np.asarray(counts, dtype=float)
    small = c < policy.min_count
    return np.where(c == 0, small & policy.hide_zero, small)


def suppress(cells: pd.DataFrame, groups: pd.DataFrame, policy: DisclosurePolicy) -> pd.Series:
    """Reason per cell_id: 'klein_aantal', 'secundair' or None."""
    ids = cells["cell_id"].tolist()
    count = dict(zip(ids, cells["count"].astype(float), strict=True))
    reason: dict = {c: (PRIMARY if hidden else None) for c, hidden in
                    zip(ids, primary_suppressed(cells["count"], policy), strict=True)}
    members: dict = defaultdict(list)
    totals: dict = {}
    for group, total, member in groups[["group_id", "total_cell", "member_cell"]].itertuples(
            index=False):
        members[group].append(member)
        totals[group] = total
    cells_of = {g: [totals[g], *sorted(set(m))] for g, m in members.items()}
    groups_of: dict = defaultdict(list)
    for group, group_cells in cells_of.items():
        for cell in group_cells:
            groups_of[cell].append(group)

    def hidden(group) -> list:
        return [c for c in cells_of[group] if reason[c]]

    def exposed(group) -> bool:
        h = hidden(group)
        return len(h) == 1 or (len(h) > 1 and sum(count[c] for c in h) < policy.min_count
                               and len(h) < len(cells_of[group]))

    queue = sorted((g for g in cells_of if exposed(g)), key=str)
    while queue:
        group = queue.pop()
        if not exposed(group):
            continue
        candidates = [c for c in cells_of[group][1:] if not reason[c]] \
            or [cells_of[group][0]]
        candidates = [c for c in candidates if not reason[c]]
        if not candidates:
            continue

        def preference(cell, current=group) -> tuple:
            helps = any(exposed(g) for g in groups_of[cell] if g != current)
            return (not helps, count[cell] == 0, count[cell], str(cell))

        chosen = min(candidates, key=preference)
        reason[chosen] = SECONDARY
        queue.extend(g for g in groups_of[chosen] if exposed(g))
        if exposed(group):
            queue.append(group)
    return pd.Series(reason, dtype=object).reindex(ids)
