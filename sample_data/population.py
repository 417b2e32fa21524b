"""Synthetic persons: valid BSNs, birth dates, home wijk per year, latent risk and ability."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

_BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2])
# Persons 0-22 on some peildatum in the window: first and last birth years relative to it.
MAX_AGE = 22


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


def make_persons(count: int, first_id: int, window: Window, wijken: pd.DataFrame,
                 rates: dict, rng: np.random.Generator, bsn_offset: int) -> pd.DataFrame:
    """`count` persons aged 0-22 on at least one peildatum of the window."""
    ids = np.arange(first_id, first_id + count)
    earliest = np.datetime64(f"{window.first_year - MAX_AGE - 1}-10-02")
    latest = np.datetime64(f"{window.last_year}-10-01")
    span = int((latest - earliest).astype(int))
    birth = earliest + rng.integers(0, span + 1, count).astype("timedelta64[D]")
    weights = wijken["weight"].to_numpy()
    wijk = rng.choice(len(wijken), size=count, p=weights / weights.sum())
    deprivation = wijken["deprivation"].to_numpy()[wijk]
    persons = pd.DataFrame({
        "pid": ids,
        "bsn": synthetic_bsns(ids, bsn_offset),
        "birth": birth,
        "geslacht": rng.choice(["V", "M", "O"], size=count, p=[0.49, 0.505, 0.005]),
        "wijk": wijk,
        "risk": 0.7 * deprivation + rng.normal(0.0, 0.7, count),
        "ability": -0.5 * deprivation + rng.normal(0.0, 1.0, count),
        "letters": [a + b for a, b in zip(rng.choice(list("ABCDEGHJKLMNPRSTVWXZ"), count),
                                          rng.choice(list("ABCDEGHJKLMNPRSTVWXZ"), count),
                                          strict=True)],
    })
    # Home wijk per peildatum: a few move each year.
    moves = rng.random((count, len(window.years))) < rates["verhuizen_per_jaar"]
    new_wijk = rng.choice(len(wijken), size=(count, len(window.years)), p=weights / weights.sum())
    homes = np.empty((count, len(window.years)), dtype=np.int64)
    current = wijk.copy()
    for j in range(len(window.years)):
        current = np.where(moves[:, j], new_wijk[:, j], current)
        homes[:, j] = current
    for j, year in enumerate(window.years):
        persons[f"wijk_{year}"] = homes[:, j]
    return persons


def age_on(birth: np.ndarray, year: int | np.ndarray, month: int = 10, day: int = 1) -> np.ndarray:
    """Whole years of age on day-month of `year` (birth as datetime64[D])."""
    b = pd.DatetimeIndex(birth)
    years = np.asarray(year) - b.year.to_numpy()
    before = (b.month.to_numpy() > month) | ((b.month.to_numpy() == month)
                                              & (b.day.to_numpy() > day))
    return years - before.astype(int)


def personen_rows(persons: pd.DataFrame, window: Window, wijken: pd.DataFrame,
                  pc4_by_wijk: dict[str, list[str]], gemeentecode: str) -> pd.DataFrame:
    """personen.csv: one row per person × peildatum where the person is 0-22."""
    frames = []
    codes = wijken["statcode"].to_numpy()
    width = max(len(v) for v in pc4_by_wijk.values())
    pc4_table = np.array([(pc4_by_wijk[c] * width)[:width] for c in codes])
    pc4_count = np.array([len(pc4_by_wijk[c]) for c in codes])
    for year in window.years:
        age = age_on(persons["birth"].to_numpy(), year)
        alive = (persons["birth"].to_numpy() <= np.datetime64(f"{year}-10-01")) & (age >= 0) \
            & (age <= MAX_AGE)
        part = persons.loc[alive, ["pid", "bsn", "birth", "geslacht", "letters",
                                   f"wijk_{year}"]]
        home = part[f"wijk_{year}"].to_numpy()
        wijkcode = codes[home]
        pc4 = pc4_table[home, part["pid"].to_numpy() % pc4_count[home]]
        frames.append(pd.DataFrame({
            "bsn": part["bsn"].to_numpy(),
            "geboortedatum": part["birth"].to_numpy(),
            "geslacht": part["geslacht"].to_numpy(),
            "postcode": np.char.add(pc4.astype(str), part["letters"].to_numpy().astype(str)),
            "gemeentecode": gemeentecode,
            "wijkcode": wijkcode,
            "peildatum": np.datetime64(f"{year}-10-01"),
        }))
    return pd.concat(frames, ignore_index=True)
