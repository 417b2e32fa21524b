"""Plausibility summary of the generated data (DOMAIN.md ranges), tallied chunk by chunk."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from sample_data.population import Window, age_on
from sample_data.schooling import STARTKWALIFICATIE, Careers, on_date

# Quantity -> (label, plausible range from DOMAIN.md, unit)
RANGES = {
    "jeugdhulp": ("jongeren 0-22 met jeugdhulp", (10, 14), "%"),
    "verblijf": ("van wie met verblijf", (6, 11), "%"),
    "vsv": ("nieuwe vsv'ers (12-22 jaar)", (1.2, 3.0), "%"),
    "startkwalificatie": ("18-22 jaar met startkwalificatie", (70, 92), "%"),
    "thuiszitters": ("thuiszitters", (0.5, 4), "per 1000"),
    "dyslexie": ("PO-leerlingen met dyslexiezorg", (0.8, 2.5), "%"),
}


class Tally:
    """Counts for schooljaar `year` of the window, summed over chunks."""

    def __init__(self, window: Window) -> None:
        self.window = window
        self.year = window.last_year
        self.counts: Counter[str] = Counter()

    def add(self, persons: pd.DataFrame, careers: Careers, jeugdhulp: pd.DataFrame,
            verzuim: pd.DataFrame) -> None:
        y = self.year
        peil, peil_next = on_date(np.array([y]), 10, 1)[0], on_date(np.array([y + 1]), 10, 1)[0]
        birth = persons["birth"].to_numpy()
        age = age_on(birth, y)
        resident = (birth <= peil) & (age >= 0) & (age <= 22)
        bsn = persons["bsn"].to_numpy()
        e = careers.enrolments
        leave = e["leave_date"].to_numpy()
        on_peil = (e["year"] == y) & (np.isnat(leave) | (leave > peil))
        on_next = (e["year"] == y + 1) & (np.isnat(leave) | (leave > peil_next))
        pupils = set(e.loc[on_peil, "pid"])
        d = careers.diplomas
        kwal = set(d.loc[d["diploma"].isin(STARTKWALIFICATIE) & (d["date"] <= peil_next), "pid"])
        kwal_now = set(d.loc[d["diploma"].isin(STARTKWALIFICATIE) & (d["date"] <= peil), "pid"])
        pid_age = dict(zip(persons["pid"], age, strict=True))
        cohort = {p for p in pupils if 12 <= pid_age[p] <= 22}
        self.counts["vsv_noemer"] += len(cohort)
        self.counts["vsv"] += len(cohort - set(e.loc[on_next, "pid"]) - kwal)
        adults = set(persons.loc[resident & (age >= 18), "pid"])
        self.counts["startkwalificatie_noemer"] += len(adults)
        self.counts["startkwalificatie"] += len(adults & kwal_now)
        start, end = jeugdhulp["datum_aanvang"], jeugdhulp["datum_einde"]
        active = jeugdhulp[(start <= on_date(np.array([y + 1]), 7, 31)[0])
                           & (end.isna() | (end >= on_date(np.array([y]), 8, 1)[0]))]
        in_care = set(active["bsn"]) & set(bsn[resident])
        self.counts["jeugdhulp_noemer"] += int(resident.sum())
        self.counts["jeugdhulp"] += len(in_care)
        self.counts["verblijf_noemer"] += len(in_care)
        self.counts["verblijf"] += len(set(active.loc[active["hulpvorm"].str.startswith("1"),
                                                      "bsn"]) & in_care)
        melding = verzuim["datum_melding"]
        self.counts["thuiszitters_noemer"] += len(pupils) / 1000
        self.counts["thuiszitters"] += verzuim.loc[
            (verzuim["thuiszitter"] == "J") & (melding >= on_date(np.array([y]), 8, 1)[0])
            & (melding <= on_date(np.array([y + 1]), 7, 31)[0]), "bsn"].nunique()
        po = set(e.loc[on_peil & e["soort"].isin(["BAO", "SBAO"]), "pid"])
        self.counts["dyslexie_noemer"] += len(po)
        dys = active[active["productcode"].str.contains("D0")]
        po_bsn = set(bsn[np.isin(persons["pid"].to_numpy(), list(po))])
        self.counts["dyslexie"] += len(set(dys["bsn"]) & po_bsn)
        self.counts["personen"] += int(resident.sum())
        self.counts["leerlingen"] += len(pupils)

    def report(self) -> str:
        lines = [f"Samenvatting schooljaar {self.year}-{self.year + 1}: "
                 f"{self.counts['personen']:_} jongeren 0-22, "
                 f"{self.counts['leerlingen']:_} leerlingen".replace("_", ".")]
        for key, (label, (low, high), unit) in RANGES.items():
            denominator = self.counts[f"{key}_noemer"]
            value = self.counts[key] / denominator * (1 if unit == "per 1000" else 100) \
                if denominator else float("nan")
            mark = "ok" if low <= value <= high else "BUITEN BEREIK"
            lines.append(f"  {label:<36} {value:6.1f} {unit:<8} (verwacht {low}-{high}) {mark}"
                         .replace(".", ","))
        return "\n".join(lines)
