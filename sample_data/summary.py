"""Plausibility summary of the generated data (plausible national ranges), tallied chunk by chunk.

All figures are for the last schooljaar of the window; persons count where they live on its
1 oktober (residents of the region), pupils where they go to school (the region's schools).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from sample_data.population import NOT_RESIDENT, Window, age_on
from sample_data.schooling import STARTKWALIFICATIE, VO_ORDER, Careers, on_date

# Quantity -> (label, plausible national range, unit)
RANGES = {
    "jeugdhulp": ("jongeren 0-22 met jeugdhulp (zonder 47/48)", (10, 14), "%"),
    "verblijf": ("van wie met verblijf", (6, 11), "%"),
    "jeugdbescherming": ("jongeren 0-22 met JB of JR (48/47)", (0.5, 2.5), "%"),
    "gemeentelijke_toegang": ("verwijzer gemeentelijke toegang (zonder 06)", (35, 55), "%"),
    "herhaald": ("beëindigd, binnen 12 mnd opnieuw jeugdhulp", (8, 35), "%"),
    "open": ("jeugdhulprecords nog open bij levering", (5, 45), "%"),
    "vsv": ("nieuwe vsv'ers (12-22 jaar)", (1.2, 3.0), "%"),
    "startkwalificatie": ("18-22 jaar met startkwalificatie", (70, 92), "%"),
    "dyslexie": ("BAO/SBAO 7-12 jaar met dyslexiezorg", (0.8, 2.5), "%"),
    "sbao": ("SBAO-leerlingen van PO-leerlingen (inwoners)", (1.8, 3.5), "%"),
    "so_vso": ("SO/VSO-leerlingen van alle leerlingen (inwoners)", (1.4, 3.0), "%"),
    "relatief": ("leerlingen met relatief-verzuimmelding", (2, 5), "%"),
    "thuiszitters": ("thuiszitters (absoluut + langdurig relatief)", (0.8, 4), "per 1000"),
    "absoluut": ("  van wie absoluut verzuim", (0, 4), "per 1000"),
    "vrijstelling": ("leerplichtigen 5-17 met vrijstelling", (0.1, 1.0), "%"),
    "vertrokken": ("inwoners 0-21 vertrokken uit de regio", (1, 6), "%"),
    "vo_van_buiten": ("VO-leerlingen wonend buiten de gemeente", (20, 50), "%"),
    "vo_naar_buiten": ("VO-inwoners op school buiten de gemeente", (5, 35), "%"),
}
VO = list(VO_ORDER)


def _between(dates: pd.Series, low: np.datetime64, high: np.datetime64) -> pd.Series:
    return (dates >= low) & (dates <= high)


class Tally:
    """Counts for schooljaar `year` of the window, summed over chunks."""

    def __init__(self, window: Window, wijk_gemeenten: np.ndarray) -> None:
        self.window = window
        # gemeente per home wijk; NOT_RESIDENT (-1) picks the trailing "" (outside the region)
        self._home_gemeente = np.append(np.asarray(wijk_gemeenten, dtype=str), "")
        self.year = window.last_year
        self.peil = on_date(np.array([self.year]), 10, 1)[0]
        self.first_day = on_date(np.array([self.year]), 8, 1)[0]
        self.last_day = on_date(np.array([self.year + 1]), 7, 31)[0]
        self.counts: Counter[str] = Counter()

    def _count(self, key: str, numerator: float, denominator: float) -> None:
        self.counts[key] += numerator
        self.counts[f"{key}_noemer"] += denominator

    def add(self, persons: pd.DataFrame, careers: Careers, jeugdhulp: pd.DataFrame | None,
            verzuim: pd.DataFrame, schools: pd.DataFrame, exempt: pd.DataFrame | None) -> None:
        """Tally one chunk: residents (with jeugdhulp and vrijstellingen) or outsiders."""
        e = careers.enrolments
        join, leave = e["join_date"].to_numpy(), e["leave_date"].to_numpy()
        on_peil = (e["year"].to_numpy() == self.year) & (np.isnat(join) | (join <= self.peil)) \
            & (np.isnat(leave) | (leave > self.peil))
        pupils = e[on_peil]
        self._schools(persons, pupils, schools)
        if jeugdhulp is None:
            return
        home = persons[f"wijk_{self.year}"].to_numpy()
        age = age_on(persons["birth"].to_numpy(), self.year)
        resident = (home != NOT_RESIDENT) & (persons["birth"].to_numpy() <= self.peil) \
            & (age >= 0) & (age <= 22)
        self.counts["personen"] += int(resident.sum())
        self._youth(persons, resident, jeugdhulp)
        self._education(persons, resident, age, careers, pupils, jeugdhulp)
        self._leerplicht(persons, resident, age, careers, pupils, verzuim, exempt)
        self._moves(persons)

    def _schools(self, persons: pd.DataFrame, pupils: pd.DataFrame,
                 schools: pd.DataFrame) -> None:
        """The border (pupils of the region's schools; residents' schools) and the school mix
        of resident pupils (as passend onderwijs counts them: by home address)."""
        region = schools["region"].to_numpy()[pupils["school"].to_numpy()]
        self.counts["leerlingen"] += int(region.sum())
        row = np.searchsorted(persons["pid"].to_numpy(), pupils["pid"].to_numpy())
        home = persons[f"wijk_{self.year}"].to_numpy()[row]
        soort = pupils.loc[home >= 0, "soort"]
        self._count("sbao", (soort == "SBAO").sum(), soort.isin(["BAO", "SBAO", "SO"]).sum())
        self._count("so_vso", soort.isin(["SO", "VSO"]).sum(), (~soort.str.startswith("MBO")).sum())
        school_gm = schools["gemeentecode"].to_numpy()[pupils["school"].to_numpy()]
        home_gm = self._home_gemeente[home]
        vo = pupils["soort"].isin(VO).to_numpy()
        self._count("vo_van_buiten", (vo & region & (home_gm != school_gm)).sum(),
                    (vo & region).sum())
        self._count("vo_naar_buiten", (vo & (home >= 0) & (home_gm != school_gm)).sum(),
                    (vo & (home >= 0)).sum())

    def _youth(self, persons: pd.DataFrame, resident: np.ndarray, care: pd.DataFrame) -> None:
        residents = set(persons["bsn"].to_numpy()[resident])
        start, end = care["datum_aanvang"], care["datum_einde"]
        active = care[(start <= self.last_day) & (end.isna() | (end >= self.first_day))]
        measure = active["productcategorie"].isin(["47", "48"])
        in_care = set(active.loc[~measure, "bsn"]) & residents
        self._count("jeugdhulp", len(in_care), len(residents))
        self._count("verblijf", len(set(active.loc[active["hulpvorm"].str.startswith("1"),
                                                   "bsn"]) & in_care), len(in_care))
        self._count("jeugdbescherming", len(set(active.loc[measure, "bsn"]) & residents),
                    len(residents))
        referred = care[care["verwijzer"] != "06"]
        self._count("gemeentelijke_toegang", (referred["verwijzer"] == "01").sum(), len(referred))
        self._count("open", end.isna().sum(), len(care))
        year_before = care[_between(end, self.first_day - np.timedelta64(365, "D"),
                                    self.first_day - np.timedelta64(1, "D"))]
        later = year_before.merge(care[["bsn", "datum_aanvang"]], on="bsn",
                                  suffixes=("", "_nieuw"))
        gap = later["datum_aanvang_nieuw"] - later["datum_einde"]
        again = later[(gap > pd.Timedelta(0)) & (gap <= pd.Timedelta(days=365))]
        self._count("herhaald", len(again.drop_duplicates(["bsn", "datum_aanvang",
                                                           "hulpvorm"])), len(year_before))

    def _education(self, persons: pd.DataFrame, resident: np.ndarray, age: np.ndarray,
                   careers: Careers, pupils: pd.DataFrame, care: pd.DataFrame) -> None:
        e, d = careers.enrolments, careers.diplomas
        peil_next = on_date(np.array([self.year + 1]), 10, 1)[0]
        leave = e["leave_date"].to_numpy()
        on_next = (e["year"] == self.year + 1) & (np.isnat(leave) | (leave > peil_next))
        kwal = d["diploma"].isin(STARTKWALIFICATIE)
        kwal_next = set(d.loc[kwal & (d["date"] <= peil_next), "pid"])
        kwal_now = set(d.loc[kwal & (d["date"] <= self.peil), "pid"])
        pid_age = dict(zip(persons["pid"], age, strict=True))
        residents = set(persons["pid"].to_numpy()[resident])
        cohort = {p for p in set(pupils["pid"]) & residents if 12 <= pid_age[p] <= 22}
        self._count("vsv", len(cohort - set(e.loc[on_next, "pid"]) - kwal_next), len(cohort))
        adults = set(persons["pid"].to_numpy()[resident & (age >= 18)])
        self._count("startkwalificatie", len(adults & kwal_now), len(adults))
        po = pupils[pupils["soort"].isin(["BAO", "SBAO"]) & pupils["pid"].isin(residents)]
        po = po[[7 <= pid_age[p] <= 12 for p in po["pid"]]]
        po_bsn = set(persons.loc[persons["pid"].isin(po["pid"]), "bsn"])
        dyslexia = care[care["productcode"].str.contains("D0")
                        & (care["datum_aanvang"] <= self.last_day)
                        & (care["datum_einde"].isna() | (care["datum_einde"] >= self.first_day))]
        self._count("dyslexie", len(set(dyslexia["bsn"]) & po_bsn), len(po_bsn))

    def _leerplicht(self, persons: pd.DataFrame, resident: np.ndarray, age: np.ndarray,
                    careers: Careers, pupils: pd.DataFrame, verzuim: pd.DataFrame,
                    exempt: pd.DataFrame) -> None:
        """OCW's thuiszitters: absoluut verzuim (not enrolled on 1 oktober, no vrijstelling,
        no startkwalificatie) and langdurig relatief verzuim overlapping the schooljaar."""
        d = careers.diplomas
        leerplichtig = set(persons["pid"].to_numpy()[resident & (age >= 5) & (age <= 17)])
        covered = exempt[(exempt["first"] <= self.year) & (exempt["last"] >= self.year)]
        exempted = leerplichtig & set(covered["pid"])
        qualified = set(d.loc[d["diploma"].isin(STARTKWALIFICATIE) & (d["date"] <= self.peil),
                              "pid"])
        absent = leerplichtig - set(pupils["pid"]) - exempted - qualified
        bsn_of = dict(zip(persons["pid"], persons["bsn"], strict=True))
        pupil_bsn = {bsn_of[p] for p in set(pupils["pid"]) & leerplichtig}
        melding, einde = verzuim["datum_melding"], verzuim["datum_einde"]
        overlapping = verzuim[(verzuim["soort"] == "LANGDURIG_RELATIEF")
                              & (melding <= self.last_day)
                              & (einde.isna() | (einde >= self.first_day))]
        relative = set(overlapping["bsn"]) & pupil_bsn
        per_1000 = len(set(pupils["pid"]) & leerplichtig) / 1000
        self._count("thuiszitters", len(absent) + len(relative), per_1000)
        self._count("absoluut", len(absent), per_1000)
        self._count("vrijstelling", len(exempted), len(leerplichtig))
        reported = verzuim[(verzuim["soort"] == "RELATIEF_16U")
                           & _between(melding, self.first_day, self.last_day)]
        self._count("relatief", len(set(reported["bsn"]) & pupil_bsn), len(pupil_bsn))

    def _moves(self, persons: pd.DataFrame) -> None:
        before, now = persons[f"wijk_{self.year - 1}"], persons[f"wijk_{self.year}"]
        age = age_on(persons["birth"].to_numpy(), self.year - 1)
        was_here = (before != NOT_RESIDENT) & (age >= 0) & (age <= 21)
        self._count("vertrokken", (was_here & (now == NOT_RESIDENT)).sum(), was_here.sum())

    def report(self) -> str:
        lines = [f"Samenvatting schooljaar {self.year}-{self.year + 1}: "
                 f"{self.counts['personen']:_} jongeren 0-22 in de regio, "
                 f"{self.counts['leerlingen']:_} leerlingen op de scholen van de regio"
                 .replace("_", ".")]
        for key, (label, (low, high), unit) in RANGES.items():
            value = self.value(key)
            mark = "ok" if low <= value <= high else "BUITEN BEREIK"
            lines.append(f"  {label:<50} {value:6.1f} {unit:<8} (verwacht {low}-{high}) {mark}"
                         .replace(".", ","))
        return "\n".join(lines)

    def value(self, key: str) -> float:
        """The tallied figure `key` (percentage or per 1000, as RANGES says)."""
        denominator = self.counts[f"{key}_noemer"]
        scale = 1 if RANGES[key][2] == "per 1000" else 100
        return self.counts[key] / denominator * scale if denominator else float("nan")
