"""School choice across the municipal border: near home, weighted by school size and distance.

Every person chooses from an *origin*: a wijk of the region (residents) or a neighbouring
gemeente (outsiders). A choice is either *own* (a school in the origin's own gemeente) or
*cross* (a school in a gemeente that borders it; for outsiders: a school in the region).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# School kind -> sector key of `over_de_grens` in rates.yaml
SECTOR_BY_KIND = {"BAO": "PO", "SBAO": "SBAO", "SO": "SO", "SO/VSO": "SO", "VSO": "VSO",
                  "PRO": "VO", "VO": "VO", "MBO": "MBO"}


def outsider_shares(rates: dict) -> dict[str, float]:
    """Chance that an outsider's school (per sector) is in the region, so that the region's
    schools get about `in` of their pupils from outside (residents leave at rate `uit`)."""
    grens = rates["over_de_grens"]
    pool = grens["buiten_personen"]
    return {sector: min(1.0, share / (1 - share) * (1 - grens["uit"][sector]) / pool)
            for sector, share in grens["in"].items()}


class SchoolChooser:
    """Picks a school per person from its origin; `cross` chooses across the border."""

    def __init__(self, schools: pd.DataFrame, origins: pd.DataFrame,
                 neighbours: dict[str, set[str]]) -> None:
        self.schools = schools
        lat0 = np.deg2rad(origins["lat"].mean())
        dx = (origins["lon"].to_numpy()[:, None] - schools["lon"].to_numpy()[None, :]) \
            * 111.3 * np.cos(lat0)
        dy = (origins["lat"].to_numpy()[:, None] - schools["lat"].to_numpy()[None, :]) * 111.3
        self.distance_km = np.hypot(dx, dy)
        school_gm = schools["gemeentecode"].to_numpy()
        origin_gm = origins["gemeentecode"].to_numpy()
        inside = origins["inside"].to_numpy()
        self.own = origin_gm[:, None] == school_gm[None, :]
        bordering = np.array([np.isin(school_gm, sorted(neighbours.get(g, set())))
                              for g in origin_gm]).reshape(self.own.shape)
        region = schools["region"].to_numpy(dtype=bool)[None, :]
        self.cross = np.where(inside[:, None], bordering, region & ~self.own)
        self.inside = inside

    def _crossing(self, origin: np.ndarray, candidates: np.ndarray, scale_km: float,
                  share: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Who goes across the border: residents near it far more often than others (their
        chance scales with exp(-distance to the nearest school across / scale), averaging
        `share`); outsiders at `share`."""
        distance = np.where(self.cross[:, candidates], self.distance_km[:, candidates], np.inf)
        affinity = np.where(self.inside, np.exp(-distance.min(axis=1) / scale_km), 1.0)[origin]
        inside = self.inside[origin]
        mean = affinity[inside].mean() if inside.any() else 0.0
        if mean > 0:
            affinity = np.where(inside, affinity / mean, affinity)
        return rng.random(origin.size) < np.minimum(share * affinity, 0.95)

    def choose(self, origin: np.ndarray, mask: np.ndarray, scale_km: float,
               share: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """School row index per person (-1 when no school matches `mask`); `share` is each
        person's chance to cross the border."""
        candidates = np.flatnonzero(mask)
        result = np.full(origin.size, -1)
        if candidates.size == 0:
            return result
        cross = self._crossing(origin, candidates, scale_km, share, rng)
        base = self.schools["size"].to_numpy()[candidates] \
            * np.exp(-self.distance_km[:, candidates] / scale_km)
        own = base * self.own[:, candidates]
        other = base * self.cross[:, candidates]
        has_own, has_other = own.sum(axis=1) > 0, other.sum(axis=1) > 0
        use_other = (cross & has_other[origin]) | ~has_own[origin]
        u = rng.random(origin.size)
        for weights, chosen in ((own, ~use_other), (other, use_other)):
            who = np.flatnonzero(chosen)
            if who.size == 0:
                continue
            who = who[np.argsort(origin[who], kind="stable")]
            places, first = np.unique(origin[who], return_index=True)
            for place, group in zip(places, np.split(who, first[1:]), strict=True):
                row = weights[place]
                if row.sum() <= 0:
                    continue
                pick = np.searchsorted(np.cumsum(row) / row.sum(), u[group], side="right")
                result[group] = candidates[np.minimum(pick, candidates.size - 1)]
        return result
