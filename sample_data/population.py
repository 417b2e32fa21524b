"""Synthetic persons: valid BSNs, birth dates, home wijk per peildatum, latent risk and ability.

Residents live in a wijk of the region on some peildata: they move between wijken (and between
the region's gemeenten), and some move in or out of the region during the window. Outsiders
live in a neighbouring gemeente on every peildatum: they only appear where they go to school.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

_BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2])
_LETTERS = list("ABCDEGHJKLMNPRSTVWXZ")
# Persons 0-22 on some peildatum in the window: first and last birth years relative to it.
MAX_AGE = 22
NOT_RESIDENT = -1


@dataclass(frozen=True)
class Window:
    """Schooljaren first_year..last_year (start years), peildatum 1 oktober, extract date."""

    first_year: int
    last_year: int

    @property
    def extract_date(self) -> np.datetime64:
        return np.datetime64(f"{self.last_year + 1}-10-31")

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def column(self, year: int | np.ndarray) -> np.ndarray:
        """Index of the peildatum that describes `year` (years outside the window: the nearest)."""
        return np.clip(np.asarray(year) - self.first_year, 0, len(self.years) - 1)


def synthetic_bsns(person_ids: np.ndarray, offset: int) -> np.ndarray:
    """Unique nine-digit numbers that pass the elfproef, one per person id."""
    base = 10_000_000 + offset + 2 * person_ids.astype(np.int64)
    for step in (0, 1):
        candidate = base + step
        digits = (candidate[:, None] // 10 ** np.arange(7, -1, -1)) % 10
        check = (digits * _BSN_WEIGHTS).sum(axis=1) % 11
        ok = check < 10
        if step == 0:
            result = np.where(ok, candidate * 10 + check, -1)
        else:
            result = np.where(result < 0, candidate * 10 + check, result)
    return np.char.zfill(result.astype(str), 9)


def wijk_scores(wijken: pd.DataFrame, spread: float, rng: np.random.Generator) -> pd.DataFrame:
    """Deprivation score and population weight per wijk (deterministic for a seed)."""
    scores = wijken.copy()
    scores["deprivation"] = rng.normal(0.0, spread, len(scores))
    scores["weight"] = rng.lognormal(0.0, 0.6, len(scores))
    return scores


def _base(ids: np.ndarray, window: Window, deprivation: np.ndarray,
          rng: np.random.Generator, bsn_offset: int) -> pd.DataFrame:
    count = ids.size
    earliest = np.datetime64(f"{window.first_year - MAX_AGE - 1}-10-02")
    latest = np.datetime64(f"{window.last_year}-10-01")
    span = int((latest - earliest).astype(int))
    return pd.DataFrame({
        "pid": ids,
        "bsn": synthetic_bsns(ids, bsn_offset),
        "birth": earliest + rng.integers(0, span + 1, count).astype("timedelta64[D]"),
        "geslacht": rng.choice(["V", "M", "O"], size=count, p=[0.49, 0.505, 0.005]),
        "risk": 0.7 * deprivation + rng.normal(0.0, 0.7, count),
        "ability": -0.5 * deprivation + rng.normal(0.0, 1.0, count),
        "letters": np.char.add(rng.choice(_LETTERS, count), rng.choice(_LETTERS, count)),
    })


def _move(current: np.ndarray, wijken: pd.DataFrame, same_gemeente: float,
          rng: np.random.Generator) -> np.ndarray:
    """A new home wijk for each mover: mostly in the same gemeente, else anywhere in the region."""
    weights = wijken["weight"].to_numpy()
    gemeente = wijken["gemeentecode"].to_numpy()
    anywhere = rng.choice(len(wijken), size=current.size, p=weights / weights.sum())
    result = anywhere.copy()
    stay = rng.random(current.size) < same_gemeente
    for code in np.unique(gemeente):
        own = np.flatnonzero(gemeente == code)
        movers = stay & (gemeente[current] == code)
        p = weights[own] / weights[own].sum()
        result[movers] = own[rng.choice(own.size, size=int(movers.sum()), p=p)]
    return result


def _homes(wijk: np.ndarray, window: Window, wijken: pd.DataFrame, rates: dict,
           rng: np.random.Generator) -> np.ndarray:
    """Home wijk per peildatum (NOT_RESIDENT before moving in or after moving out)."""
    count, years = wijk.size, len(window.years)
    verhuizen = rates["verhuizen"]
    homes = np.empty((count, years), dtype=np.int64)
    current = wijk.copy()
    for j in range(years):
        moves = rng.random(count) < verhuizen["binnen_regio_per_jaar"]
        current = np.where(moves, _move(current, wijken, verhuizen["binnen_gemeente_aandeel"],
                                        rng), current)
        homes[:, j] = current
    if years > 1:
        yearly = verhuizen["in_uit_regio_per_jaar"]
        arrive = np.where(rng.random(count) < yearly * (years - 1),
                          rng.integers(1, years, count), 0)
        leave = np.where(rng.random(count) < yearly * (years - 1),
                         rng.integers(1, years, count), years)
        leave = np.where(leave > arrive, leave, years)
        column = np.arange(years)[None, :]
        homes[(column < arrive[:, None]) | (column >= leave[:, None])] = NOT_RESIDENT
    return homes


def make_persons(count: int, first_id: int, window: Window, wijken: pd.DataFrame,
                 rates: dict, rng: np.random.Generator, bsn_offset: int) -> pd.DataFrame:
    """`count` residents aged 0-22 on at least one peildatum; `origin` = first home wijk."""
    weights = wijken["weight"].to_numpy()
    wijk = rng.choice(len(wijken), size=count, p=weights / weights.sum())
    persons = _base(np.arange(first_id, first_id + count), window,
                    wijken["deprivation"].to_numpy()[wijk], rng, bsn_offset)
    homes = _homes(wijk, window, wijken, rates, rng)
    # Who is never 0-22 while living here is not in any extract as a resident.
    birth = persons["birth"].to_numpy()
    ages = np.stack([age_on(birth, year) for year in window.years], axis=1)
    listed = ((homes != NOT_RESIDENT) & (ages >= 0) & (ages <= MAX_AGE)).any(axis=1)
    homes[~listed] = NOT_RESIDENT
    persons["resident"] = True
    for j, year in enumerate(window.years):
        persons[f"wijk_{year}"] = homes[:, j]
    first_home = homes[np.arange(count), np.argmax(homes >= 0, axis=1)]
    persons["origin"] = np.where(first_home >= 0, first_home, wijk)
    return persons


def make_outsiders(count: int, first_id: int, window: Window, places: pd.DataFrame,
                   first_origin: int, rng: np.random.Generator, bsn_offset: int) -> pd.DataFrame:
    """`count` young people living in a neighbouring gemeente (`places`, origin index offset)."""
    weights = places["weight"].to_numpy()
    place = rng.choice(len(places), size=count, p=weights / weights.sum())
    persons = _base(np.arange(first_id, first_id + count), window, np.zeros(count), rng,
                    bsn_offset)
    persons["resident"] = False
    for year in window.years:
        persons[f"wijk_{year}"] = NOT_RESIDENT
    persons["origin"] = first_origin + place
    return persons


def homes_in(persons: pd.DataFrame, window: Window, pid: np.ndarray,
             year: np.ndarray) -> np.ndarray:
    """Home wijk of person `pid` in schooljaar `year` (NOT_RESIDENT when outside the region)."""
    table = persons[[f"wijk_{y}" for y in window.years]].to_numpy()
    row = np.searchsorted(persons["pid"].to_numpy(), pid)
    return table[row, window.column(year)]


def age_on(birth: np.ndarray, year: int | np.ndarray, month: int = 10, day: int = 1) -> np.ndarray:
    """Whole years of age on day-month of `year` (birth as datetime64[D])."""
    b = pd.DatetimeIndex(birth)
    years = np.asarray(year) - b.year.to_numpy()
    before = (b.month.to_numpy() > month) | ((b.month.to_numpy() == month)
                                              & (b.day.to_numpy() > day))
    return years - before.astype(int)


def personen_rows(persons: pd.DataFrame, window: Window, wijken: pd.DataFrame,
                  pc4_by_wijk: dict[str, list[str]]) -> pd.DataFrame:
    """personen.csv: one row per resident × peildatum where the person is 0-22."""
    frames = []
    codes = wijken["statcode"].to_numpy()
    gemeenten = wijken["gemeentecode"].to_numpy()
    width = max(len(v) for v in pc4_by_wijk.values())
    pc4_table = np.array([(pc4_by_wijk[c] * width)[:width] for c in codes])
    pc4_count = np.array([len(pc4_by_wijk[c]) for c in codes])
    for year in window.years:
        age = age_on(persons["birth"].to_numpy(), year)
        present = (persons["birth"].to_numpy() <= np.datetime64(f"{year}-10-01")) \
            & (age >= 0) & (age <= MAX_AGE) & (persons[f"wijk_{year}"].to_numpy() >= 0)
        part = persons.loc[present, ["pid", "bsn", "birth", "geslacht", "letters",
                                     f"wijk_{year}"]]
        home = part[f"wijk_{year}"].to_numpy()
        pc4 = pc4_table[home, part["pid"].to_numpy() % pc4_count[home]]
        frames.append(pd.DataFrame({
            "bsn": part["bsn"].to_numpy(),
            "geboortedatum": part["birth"].to_numpy(),
            "geslacht": part["geslacht"].to_numpy(),
            "postcode": np.char.add(pc4.astype(str), part["letters"].to_numpy().astype(str)),
            "gemeentecode": gemeenten[home],
            "wijkcode": codes[home],
            "peildatum": np.datetime64(f"{year}-10-01"),
        }))
    return pd.concat(frames, ignore_index=True)
