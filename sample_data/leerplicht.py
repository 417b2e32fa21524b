"""Leerplichtige residents who are not enrolled: vrijstellingen and absoluut verzuim.

Both remove enrolment the career simulation gave: a vrijstelling (Leerplichtwet art. 5 onder a,
b, c, art. 5a, art. 15) for its whole schooljaren; absoluut verzuim as a gap at the start of a
schooljaar (re-enrolled later that year) or a whole schooljaar without school.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.population import NOT_RESIDENT, Window, age_on, homes_in
from sample_data.schooling import Careers, on_date

# artikel -> (youngest age at the start, oldest, shortest schooljaren, longest)
ARTIKELEN = {"5a": (5, 12, 3, 13), "5b": (5, 15, 1, 4), "5c": (5, 15, 1, 3),
             "5a-art": (5, 15, 1, 1)}
LAST_AGE = 17  # leerplicht and kwalificatieplicht end at 18


def _schooljaar_at_age(birth: np.ndarray, age: np.ndarray) -> np.ndarray:
    """The schooljaar (start year) in which a person is `age` on 1 oktober."""
    b = pd.DatetimeIndex(birth)
    late = (b.month.to_numpy() > 10) | ((b.month.to_numpy() == 10) & (b.day.to_numpy() > 1))
    return b.year.to_numpy() + age + late


def _after_special_school(persons: pd.DataFrame, careers: Careers) -> pd.DataFrame:
    """Art. 15: PRO/VSO pupils who leave school without going on, until they turn 18."""
    e = careers.enrolments
    last = e.sort_values(["pid", "year"]).drop_duplicates("pid", keep="last")
    last = last[last["soort"].isin(["PRO", "VSO"])]
    birth = persons["birth"].to_numpy()[np.searchsorted(persons["pid"].to_numpy(),
                                                        last["pid"].to_numpy())]
    first = last["year"].to_numpy() + 1
    until = _schooljaar_at_age(birth, np.full(first.size, LAST_AGE))
    leaving = (age_on(birth, first) <= LAST_AGE) & (until >= first)
    return pd.DataFrame({"pid": last["pid"].to_numpy()[leaving], "artikel": "15",
                         "first": first[leaving], "last": until[leaving]})


def exemptions(persons: pd.DataFrame, careers: Careers, window: Window, rates: dict,
               rng: np.random.Generator) -> pd.DataFrame:
    """pid, artikel, first and last schooljaar of the vrijstellingen some residents get."""
    lp = rates["leerplicht"]
    residents = persons[persons["resident"].to_numpy()]
    chosen = rng.random(len(residents)) < lp["vrijstelling"] \
        * np.exp(0.5 * residents["risk"].to_numpy())
    people = residents[chosen]
    n = len(people)
    keys = list(lp["vrijstelling_artikel"])
    shares = np.array([lp["vrijstelling_artikel"][k] for k in keys], dtype=float)
    artikel = np.array(keys)[rng.choice(len(keys), size=n, p=shares / shares.sum())]
    low, high, shortest, longest = (np.array([ARTIKELEN[a][i] for a in artikel], dtype=int)
                                    for i in range(4))
    age = low + np.floor(rng.random(n) * (high - low + 1)).astype(int)
    first = _schooljaar_at_age(people["birth"].to_numpy(), age)
    length = shortest + np.floor(rng.random(n) * (longest - shortest + 1)).astype(int)
    last = np.minimum(first + length - 1, first + LAST_AGE - age)
    result = pd.concat([pd.DataFrame({"pid": people["pid"].to_numpy(), "artikel": artikel,
                                      "first": first, "last": last}),
                        _after_special_school(residents, careers)], ignore_index=True)
    last, first = result["last"].to_numpy(), result["first"].to_numpy()
    overlaps = (last >= window.first_year - 1) & (first <= window.last_year + 1)
    result = result[overlaps]
    home = homes_in(persons, window, result["pid"].to_numpy(), result["first"].to_numpy())
    result = result[home != NOT_RESIDENT].drop_duplicates("pid")
    return result.sort_values("pid", kind="stable").reset_index(drop=True)


def without_exempt_years(careers: Careers, exempt: pd.DataFrame) -> Careers:
    """Enrolments of the schooljaren a vrijstelling covers removed."""
    e = careers.enrolments
    spans = e[["pid", "year"]].reset_index().merge(exempt, on="pid")
    covered = spans.loc[(spans["year"] >= spans["first"]) & (spans["year"] <= spans["last"]),
                        "index"]
    return Careers(e.drop(index=covered).reset_index(drop=True), careers.diplomas,
                   careers.higher)


def with_absoluut_verzuim(careers: Careers, persons: pd.DataFrame, window: Window,
                          rates: dict, rng: np.random.Generator) -> Careers:
    """Some resident pupils aged 6-16 miss the start of a schooljaar or the whole year."""
    lp = rates["leerplicht"]
    e = careers.enrolments.copy()
    pid, year = e["pid"].to_numpy(), e["year"].to_numpy()
    row = np.searchsorted(persons["pid"].to_numpy(), pid)
    age = age_on(persons["birth"].to_numpy()[row], year)
    eligible = (homes_in(persons, window, pid, year) != NOT_RESIDENT) & (age >= 6) \
        & (age <= 16) & (year >= window.first_year) & (year <= window.last_year)
    chance = lp["absoluut_verzuim"] * np.exp(0.6 * persons["risk"].to_numpy()[row])
    hit = eligible & (rng.random(len(e)) < chance)
    join = on_date(year, 8, 1) + rng.integers(62, 240, len(e)).astype("timedelta64[D]")
    leave = e["leave_date"].to_numpy().astype("datetime64[D]")
    late = hit & (rng.random(len(e)) < lp["absoluut_later_ingeschreven"]) \
        & (np.isnat(leave) | (leave > join))
    e.loc[late, "join_date"] = join[late]
    return Careers(e[~(hit & ~late)].reset_index(drop=True), careers.diplomas, careers.higher)


def vrijstellingen_rows(exempt: pd.DataFrame, persons: pd.DataFrame,
                        window: Window) -> pd.DataFrame:
    """Vrijstellingen as the leerplicht extract delivers them: verzuim.csv rows with soort
    VRIJSTELLING (datum_melding = ingangsdatum, datum_einde = einddatum, no vestigingscode)."""
    row = np.searchsorted(persons["pid"].to_numpy(), exempt["pid"].to_numpy())
    end = on_date(exempt["last"].to_numpy() + 1, 7, 31)
    return pd.DataFrame({
        "bsn": persons["bsn"].to_numpy()[row],
        "vestigingscode": "",
        "soort": "VRIJSTELLING",
        "datum_melding": on_date(exempt["first"].to_numpy(), 8, 1),
        "thuiszitter": "N",
        "datum_einde": np.where(end <= window.extract_date, end, np.datetime64("NaT")),
    })
