"""Leerplicht reports: relatief verzuim (16 uur), langdurig relatief (thuiszitters), luxe."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.population import Window, age_on
from sample_data.schooling import on_date

SECTOR_FACTOR = {"BAO": 0.35, "SBAO": 0.8, "SO": 0.8, "VSO": 1.6, "PRO": 1.6, "MBO": 1.5}


def _kind_and_days(kind: str, m: int, vz: dict,
                   rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Verzuimsoort and duration in days. Langdurig relatief verzuim (> 4 weeks) is what OCW
    counts as a thuiszitter: shorter than 3 months, 3-6 months or longer (then often into the
    next schooljaar)."""
    if kind == "relatief":
        return np.full(m, "RELATIEF_16U"), rng.integers(7, 60, m)
    if kind == "LUXE":
        return np.full(m, "LUXE"), rng.integers(3, 20, m)
    bands = vz["thuiszitter_duur"]
    band = rng.choice(len(bands), size=m, p=np.array(list(bands.values())) / sum(bands.values()))
    low, high = np.array([29, 92, 184]), np.array([92, 184, 420])
    return np.full(m, "LANGDURIG_RELATIEF"), rng.integers(low[band], high[band])


def simulate(persons: pd.DataFrame, enrolments: pd.DataFrame, schools: pd.DataFrame,
             window: Window, rates: dict, rng: np.random.Generator) -> pd.DataFrame:
    """verzuim.csv rows for pupils of leerplichtige / kwalificatieplichtige age (5-17)."""
    vz = rates["verzuim"]
    e = enrolments[(enrolments["year"] >= window.first_year - 1)]
    index = np.searchsorted(persons["pid"].to_numpy(), e["pid"].to_numpy())
    age = age_on(persons["birth"].to_numpy()[index], e["year"].to_numpy())
    e = e[(age >= 5) & (age <= 17)]
    index = np.searchsorted(persons["pid"].to_numpy(), e["pid"].to_numpy())
    risk = persons["risk"].to_numpy()[index]
    soort = e["soort"].to_numpy().astype(str)
    sector = np.array([SECTOR_FACTOR.get(s[:3] if s.startswith("MBO") else s, 1.3)
                       for s in soort])
    effect = schools["effect"].to_numpy()[e["school"].to_numpy()]
    n = len(e)
    relatief = rng.random(n) < vz["relatief"] * sector * np.exp(0.6 * risk + 0.5 * effect - 0.2)
    thuis = rng.random(n) < vz["thuiszitter"] * sector * np.exp(0.8 * risk)
    luxe = np.isin(soort, ["BAO", "SBAO"]) & (rng.random(n) < vz["luxe_po"])
    frames = []
    for mask, kind in ((relatief, "relatief"), (thuis, "thuiszitter"), (luxe, "LUXE")):
        rows = e[mask]
        code, days = _kind_and_days(kind, len(rows), vz, rng)
        melding = on_date(rows["year"].to_numpy(), 9, 1) \
            + rng.integers(0, 300, len(rows)).astype("timedelta64[D]")
        frames.append(pd.DataFrame({
            "pid": rows["pid"].to_numpy(), "school": rows["school"].to_numpy(), "soort": code,
            "datum_melding": melding, "thuiszitter": "J" if kind == "thuiszitter" else "N",
            "datum_einde": melding + days.astype("timedelta64[D]")}))
    reports = pd.concat(frames, ignore_index=True)
    reports = reports[reports["datum_melding"] <= window.extract_date]
    einde = reports["datum_einde"].to_numpy()
    bsn = persons["bsn"].to_numpy()[np.searchsorted(persons["pid"].to_numpy(), reports["pid"])]
    return pd.DataFrame({
        "bsn": bsn,
        "vestigingscode": schools["vestigingscode"].to_numpy()[reports["school"].to_numpy()],
        "soort": reports["soort"].to_numpy(),
        "datum_melding": reports["datum_melding"].to_numpy(),
        "thuiszitter": reports["thuiszitter"].to_numpy(),
        "datum_einde": np.where(einde <= window.extract_date, einde, np.datetime64("NaT")),
    })
