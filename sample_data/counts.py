"""DUO's public pupil counts per vestiging (1 oktober), for every school the sample uses.

A municipality downloads them from DUO's open onderwijsdata; they count every pupil of the
school, wherever the pupil lives. The monitor divides the resident pupils it knows by them
(coverage). Schools of the region count all simulated pupils (residents and young people from
neighbouring gemeenten); a school in a neighbouring gemeente also teaches many young people the
sample does not simulate, so its count is its real DUO size when that is larger.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from sample_data.population import Window
from sample_data.schooling import on_date

# DUO reports SO and VSO apart (also on one SO/VSO vestiging); VO tracks and PRO as VO.
COUNT_SOORT = {"BAO": "BAO", "SBAO": "SBAO", "SO": "SO", "VSO": "VSO", "HBO": "HBO", "WO": "WO"}
LEERLINGEN_COLUMNS = ["PEILDATUM", "INSTELLINGSCODE", "VESTIGINGSCODE", "VESTIGINGSNAAM",
                      "GEMEENTENUMMER", "ONDERWIJSSOORT", "AANTAL LEERLINGEN"]


def _soort(soort: np.ndarray) -> np.ndarray:
    mapped = pd.Series(soort).map(COUNT_SOORT)
    mbo = pd.Series(soort).str.startswith("MBO")
    return np.where(mapped.notna(), mapped, np.where(mbo, "MBO", "VO"))


def pupils_on_peildatum(enrolments: pd.DataFrame, window: Window) -> Counter:
    """(school index, schooljaar, soort) -> pupils enrolled there on 1 oktober (each once)."""
    e = enrolments[(enrolments["year"] >= window.first_year)
                   & (enrolments["year"] <= window.last_year)]
    peil = on_date(e["year"].to_numpy(), 10, 1)
    join = e["join_date"].to_numpy().astype("datetime64[D]")
    leave = e["leave_date"].to_numpy().astype("datetime64[D]")
    active = (np.isnat(join) | (join <= peil)) & (np.isnat(leave) | (leave >= peil))
    e = e[active].drop_duplicates(["pid", "year"], keep="last")
    keys = pd.DataFrame({"school": e["school"].to_numpy(), "year": e["year"].to_numpy(),
                         "soort": _soort(e["soort"].to_numpy())})
    return Counter({tuple(k): int(n) for k, n in keys.value_counts().items()})


def leerlingen_rows(schools: pd.DataFrame, pupils: Counter, window: Window) -> pd.DataFrame:
    """The DUO file: one row per vestiging × peildatum × onderwijssoort with pupils."""
    if not pupils:
        return pd.DataFrame(columns=LEERLINGEN_COLUMNS)
    counts = pd.DataFrame([(s, y, k, n) for (s, y, k), n in pupils.items()],
                          columns=["school", "year", "soort", "n"])
    simulated = counts.groupby(["school", "year"])["n"].transform("sum")
    inside = schools["region"].to_numpy()[counts["school"].to_numpy()]
    real = schools["size"].to_numpy()[counts["school"].to_numpy()]
    # Outside the region only the region's residents are simulated: scale up to the real size.
    factor = np.where(inside, 1.0, np.maximum(1.0, real / simulated))
    counts["n"] = np.round(counts["n"] * factor).astype(int)
    counts = counts[counts["year"].isin(list(window.years))].sort_values(
        ["school", "year", "soort"])
    row = counts["school"].to_numpy()
    return pd.DataFrame({
        "PEILDATUM": on_date(counts["year"].to_numpy(), 10, 1),
        "INSTELLINGSCODE": schools["brin"].to_numpy()[row],
        "VESTIGINGSCODE": schools["vestigingscode"].to_numpy()[row],
        "VESTIGINGSNAAM": schools["naam"].to_numpy()[row],
        "GEMEENTENUMMER": schools["gemeentecode"].str[2:].to_numpy()[row],
        "ONDERWIJSSOORT": counts["soort"].to_numpy(),
        "AANTAL LEERLINGEN": counts["n"].to_numpy(),
    })
