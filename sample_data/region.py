"""The area a sample covers: the region's gemeenten, their neighbours and all their schools."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sample_data.choice import SchoolChooser
from sample_data.population import wijk_scores
from sample_data.reference import Gemeente, gemeente_centroids, load_gemeente, neighbours
from sample_data.schools import build_register, ho_institutions


@dataclass
class Region:
    members: list[Gemeente]
    wijken: pd.DataFrame  # wijken of every member: statcode, gemeentecode, lon, lat, scores
    outside: pd.DataFrame  # one place per neighbouring gemeente: gemeentecode, lon, lat, weight
    schools: pd.DataFrame  # register of members and neighbours; `region` marks the members'
    neighbours: dict[str, set[str]]  # gemeente -> gemeenten whose polygon touches it

    @property
    def codes(self) -> list[str]:
        return [m.code for m in self.members]

    @property
    def name(self) -> str:
        return ", ".join(m.name for m in self.members)

    @property
    def wijk_features(self) -> list[dict]:
        return [f for m in self.members for f in m.wijk_features]

    def chooser(self) -> SchoolChooser:
        origins = pd.concat([self.wijken.assign(inside=True),
                             self.outside.assign(inside=False)], ignore_index=True)
        return SchoolChooser(self.schools, origins, self.neighbours)


def _outside_places(codes: list[str], schools: pd.DataFrame) -> pd.DataFrame:
    """Neighbouring gemeenten as places outsiders live in, weighted by their school size."""
    centres = gemeente_centroids()
    size = schools.groupby("gemeentecode")["size"].sum()
    return pd.DataFrame({
        "statcode": codes, "gemeentecode": codes,
        "lon": [centres[c][0] for c in codes], "lat": [centres[c][1] for c in codes],
        "weight": [float(size.get(c, 0.0)) + 1.0 for c in codes],
    })


def build_region(codes: list[str], spread: float, rng: np.random.Generator) -> Region:
    """Members `codes` (ValueError when unknown or without schools or wijken) and neighbours."""
    members = [load_gemeente(code) for code in codes]
    for member in members:
        if member.schools.empty or member.wijken.empty:
            raise ValueError(f"Gemeente {member.code} heeft geen scholen of wijken in de "
                             "referentiedata.")
    touching = {code: set(neighbours(code)) for code in codes}
    around = sorted(set().union(*touching.values()) - set(codes))
    for code in around:
        touching[code] = set(neighbours(code))
    registers = [build_register(m, rng, swv_gemeente=codes[0]).assign(region=True)
                 for m in members]
    registers += [build_register(load_gemeente(c), rng).assign(region=False) for c in around]
    registers.append(ho_institutions(members[0]).assign(region=True))
    schools = pd.concat(registers, ignore_index=True)
    wijken = pd.concat([m.wijken.assign(gemeentecode=m.code) for m in members],
                       ignore_index=True)
    wijken = wijk_scores(wijken, spread, rng)
    # Each gemeente's share of the persons follows its number of basisscholen.
    bao = schools[schools["region"] & (schools["kind"] == "BAO")]["gemeentecode"].value_counts()
    per_gemeente = wijken.groupby("gemeentecode")["weight"].transform("sum")
    wijken["weight"] *= wijken["gemeentecode"].map(bao).fillna(1).to_numpy() / per_gemeente
    return Region(members=members, wijken=wijken,
                  outside=_outside_places(around, schools), schools=schools,
                  neighbours=touching)
