"""Youth-care records (Beleidsinformatie Jeugd + iJw cost): hulpvorm, verwijzer, product, cost.

Only residents have records (woonplaatsbeginsel): a record belongs to the gemeente the young
person lives in when it starts. Jeugdbescherming (JZ020 48) and jeugdreclassering (47) are
records of their own; some young people come back within a year after an ended record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data.population import MAX_AGE, NOT_RESIDENT, Window, age_on, homes_in
from sample_data.schooling import on_date

VERBLIJF = ("11", "12", "13", "14")
# Productcategorie (JZ020) per hulpvorm, with shares.
CATEGORY_BY_HULPVORM = {
    "01": {"45": 1.0}, "02": {"45": 0.55, "54": 0.25, "51": 0.1, "52": 0.1},
    "03": {"41": 1.0}, "04": {"45": 1.0}, "11": {"44": 1.0}, "12": {"43": 1.0},
    "13": {"43": 1.0}, "14": {"44": 0.6, "43": 0.4},
}
REDEN = (["01", "02", "03", "04", "05"], [0.7, 0.12, 0.08, 0.05, 0.05])
# Youth protection and probation: productcategorie, ages, key in rates.yaml
MEASURES = (("48", 0, 17, "jeugdbescherming"), ("47", 12, MAX_AGE, "jeugdreclassering"))


def _age_factor(age: np.ndarray) -> np.ndarray:
    return np.select([age <= 3, age <= 11, age <= 17], [0.45, 1.0, 1.35], 0.5)


def _pick(options: dict[str, float], size: int, rng: np.random.Generator) -> np.ndarray:
    keys = list(options)
    p = np.array([options[k] for k in keys], dtype=float)
    return rng.choice(keys, size=size, p=p / p.sum())


def _schooljaar(date: np.ndarray) -> np.ndarray:
    d = pd.DatetimeIndex(date)
    return d.year.to_numpy() - (d.month.to_numpy() < 8)


def _care(pid: np.ndarray, start: np.ndarray, jh: dict,
          rng: np.random.Generator) -> pd.DataFrame:
    """Jeugdhulp records: hulpvorm, verwijzer (wijkteam help is always 06), product, duration."""
    n = pid.size
    hulpvorm = _pick(jh["hulpvorm"], n, rng)
    verwijzer = np.where(hulpvorm == "01", "06", _pick(jh["verwijzer"], n, rng))
    categorie = np.empty(n, dtype=object)
    for vorm, options in CATEGORY_BY_HULPVORM.items():
        mask = hulpvorm == vorm
        categorie[mask] = _pick(options, int(mask.sum()), rng)
    verblijf = np.isin(hulpvorm, VERBLIJF)
    median = np.where(verblijf, jh["duur_mediaan_dagen"]["verblijf"],
                      jh["duur_mediaan_dagen"]["zonder_verblijf"])
    median = np.where(hulpvorm == "01", 90, median)
    return pd.DataFrame({
        "pid": pid, "start": start, "hulpvorm": hulpvorm, "verwijzer": verwijzer,
        "categorie": categorie,
        "duration": np.maximum(np.round(median * rng.lognormal(0, 0.7, n)), 7).astype(int),
        "product": [f"{c}{'ABC'[i % 3]}{1 + i % 9:02d}"
                    for c, i in zip(categorie, rng.integers(0, 27, n), strict=True)],
        "dyslexie": False,
    })


def _starts(persons: pd.DataFrame, enrolments: pd.DataFrame, schools: pd.DataFrame,
            window: Window, jh: dict, rng: np.random.Generator) -> pd.DataFrame:
    """pid and start date of new records, by age, risk and the school's effect."""
    birth = persons["birth"].to_numpy()
    effect = enrolments.assign(effect=schools["effect"].to_numpy()[enrolments["school"]]) \
        .groupby(["pid", "year"])["effect"].first()
    frames = []
    for year in range(window.first_year - 1, window.last_year + 2):
        age = age_on(birth, year)
        alive = (age >= 0) & (age <= MAX_AGE)
        pid = persons["pid"].to_numpy()[alive]
        index = pd.MultiIndex.from_arrays([pid, np.full(pid.size, year)])
        eff = effect.reindex(index).fillna(0.0).to_numpy()
        lam = jh["starts_per_jaar"] * _age_factor(age[alive]) \
            * np.exp(0.55 * persons["risk"].to_numpy()[alive] + eff - 0.15) \
            * (1 + jh["trend_per_jaar"]) ** (year - window.first_year)
        owner = np.repeat(np.arange(pid.size), np.minimum(rng.poisson(lam), 2))
        frames.append(pd.DataFrame({
            "pid": pid[owner],
            "start": on_date(np.full(owner.size, year), 8, 1)
            + rng.integers(0, 365, owner.size).astype("timedelta64[D]")}))
    return pd.concat(frames, ignore_index=True)


def _repeats(records: pd.DataFrame, jh: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Herhaald beroep: a new record within 12 months after some ended ones."""
    end = records["start"].to_numpy() + records["duration"].to_numpy().astype("timedelta64[D]")
    again = rng.random(len(records)) < jh["herhaald_beroep"]
    start = end[again] + rng.integers(14, 365, int(again.sum())).astype("timedelta64[D]")
    return _care(records["pid"].to_numpy()[again], start, jh, rng)


def _measures(persons: pd.DataFrame, window: Window, jh: dict,
              rng: np.random.Generator) -> pd.DataFrame:
    """Jeugdbescherming (48) and jeugdreclassering (47) ordered by a judge (verwijzer 08)."""
    birth, risk = persons["birth"].to_numpy(), persons["risk"].to_numpy()
    frames = []
    for categorie, youngest, oldest, key in MEASURES:
        for year in range(window.first_year - 1, window.last_year + 2):
            age = age_on(birth, year)
            chance = jh[key]["per_jaar"] * np.exp(0.8 * risk) * (age >= youngest) \
                * (age <= oldest)
            who = np.flatnonzero(rng.random(birth.size) < chance)
            n = who.size
            frames.append(pd.DataFrame({
                "pid": persons["pid"].to_numpy()[who],
                "start": on_date(np.full(n, year), 8, 1)
                + rng.integers(0, 365, n).astype("timedelta64[D]"),
                "hulpvorm": "02", "verwijzer": "08", "categorie": categorie,
                "duration": np.maximum(np.round(jh[key]["duur_mediaan_dagen"]
                                                * rng.lognormal(0, 0.5, n)), 30).astype(int),
                "product": f"{categorie}001", "dyslexie": False}))
    return pd.concat(frames, ignore_index=True)


def simulate(persons: pd.DataFrame, enrolments: pd.DataFrame, schools: pd.DataFrame,
             window: Window, wijken: pd.DataFrame, rates: dict, providers: np.ndarray,
             rng: np.random.Generator) -> pd.DataFrame:
    """jeugdhulp.csv rows of residents (bsn in clear: the provider's own extract), with the
    gemeentecode of the gemeente that delivers each record."""
    jh = rates["jeugdhulp"]
    starts = _starts(persons, enrolments, schools, window, jh, rng)
    care = _care(starts["pid"].to_numpy(), starts["start"].to_numpy(), jh, rng)
    records = pd.concat([care, _repeats(care, jh, rng), _measures(persons, window, jh, rng),
                         _dyslexia(persons, enrolments, window, jh, rng)], ignore_index=True)
    home = homes_in(persons, window, records["pid"].to_numpy(),
                    _schooljaar(records["start"].to_numpy()))
    records = records[home != NOT_RESIDENT].assign(
        gemeentecode=wijken["gemeentecode"].to_numpy()[home[home != NOT_RESIDENT]])
    return _finish(records, persons, window, jh, providers, rng)


def _dyslexia(persons: pd.DataFrame, enrolments: pd.DataFrame, window: Window, jh: dict,
              rng: np.random.Generator) -> pd.DataFrame:
    """Ernstige dyslexie: BAO/SBAO pupils aged 7-12, via a school dossier (verwijzer 01)."""
    po = enrolments[enrolments["soort"].isin(["BAO", "SBAO"])
                    & (enrolments["year"] >= window.first_year - 1)]
    birth = persons["birth"].to_numpy()[np.searchsorted(persons["pid"].to_numpy(), po["pid"])]
    age = age_on(birth, po["year"].to_numpy())
    po = po[(age >= 7) & (age <= 12) & (rng.random(len(po)) < jh["dyslexie_po"])]
    po = po.drop_duplicates("pid")
    n = len(po)
    codes = np.array(jh["dyslexie_productcodes"])
    product = codes[rng.integers(0, codes.size, n)]
    return pd.DataFrame({
        "pid": po["pid"].to_numpy(),
        "start": on_date(po["year"].to_numpy(), 9, 1)
        + rng.integers(0, 200, n).astype("timedelta64[D]"),
        "hulpvorm": "02", "verwijzer": "01", "categorie": "54", "product": product,
        "duration": np.where(product == codes[0], 60, 330) + rng.integers(0, 40, n),
        "dyslexie": True,
    })


def _finish(records: pd.DataFrame, persons: pd.DataFrame, window: Window, jh: dict,
            providers: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    records = records[records["start"] <= window.extract_date]
    records = records.drop_duplicates(["pid", "start", "hulpvorm"]).reset_index(drop=True)
    n = len(records)
    start = records["start"].to_numpy().astype("datetime64[D]")
    end = start + records["duration"].to_numpy().astype("timedelta64[D]")
    ended = end <= window.extract_date
    billed_days = (np.minimum(end, window.extract_date) - start).astype(int) + 1
    hulpvorm = records["hulpvorm"].to_numpy()
    tarief = np.select([np.isin(hulpvorm, VERBLIJF), hulpvorm == "03", hulpvorm == "01"],
                       [jh["dagtarief"]["verblijf"], jh["dagtarief"]["daghulp"], 5.0],
                       jh["dagtarief"]["zonder_verblijf"])
    kosten = np.round(tarief * billed_days * rng.lognormal(0, 0.3, n), 2)
    reden = np.where(ended, rng.choice(REDEN[0], size=n, p=REDEN[1]), "")
    bsn = persons["bsn"].to_numpy()[np.searchsorted(persons["pid"].to_numpy(),
                                                    records["pid"].to_numpy())]
    # BIJ practice: a few records arrive with the 'unknown' BSN.
    bsn = np.where(rng.random(n) < 0.003, "999999999", bsn)
    aanbieder = np.where(hulpvorm == "01", providers[0],
                         providers[1:][rng.integers(0, providers.size - 1, n)])
    return pd.DataFrame({
        "bsn": bsn, "aanbieder": aanbieder, "hulpvorm": hulpvorm,
        "productcategorie": records["categorie"].to_numpy(),
        "productcode": records["product"].to_numpy(),
        "verwijzer": records["verwijzer"].to_numpy(),
        "datum_aanvang": start,
        "datum_einde": np.where(ended, end, np.datetime64("NaT")),
        "reden_beeindiging": reden,
        "kosten": kosten,
        "gemeentecode": records["gemeentecode"].to_numpy(),
    })
