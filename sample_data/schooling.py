"""School careers: PO (BAO/SBAO/SO), VO tracks or VSO/PRO, MBO levels, diplomas, early leavers.

Vectorised per segment: every person gets arrays of start year, length, school and outcome,
expanded to one enrolment row per schooljaar (as leerplicht/BRON extracts list them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from sample_data.population import MAX_AGE, Window, age_on

VO_ORDER = ("PRO", "VMBO-B", "VMBO-K", "VMBO-G", "VMBO-T", "HAVO", "VWO")
STARTKWALIFICATIE = ("HAVO", "VWO", "MBO-2", "MBO-3", "MBO-4")


@dataclass
class Careers:
    enrolments: pd.DataFrame  # pid, year, school, soort, leerjaar, leave_date
    diplomas: pd.DataFrame  # pid, school, diploma, date


class SchoolChooser:
    """Picks a school near the home wijk, weighted by size and distance."""

    def __init__(self, schools: pd.DataFrame, wijken: pd.DataFrame) -> None:
        self.schools = schools
        lat0 = np.deg2rad(wijken["lat"].mean())
        dx = (wijken["lon"].to_numpy()[:, None] - schools["lon"].to_numpy()[None, :]) \
            * 111.3 * np.cos(lat0)
        dy = (wijken["lat"].to_numpy()[:, None] - schools["lat"].to_numpy()[None, :]) * 111.3
        self.distance_km = np.hypot(dx, dy)

    def choose(self, home: np.ndarray, mask: np.ndarray, scale_km: float,
               rng: np.random.Generator) -> np.ndarray:
        """School row index per person (-1 when no school matches `mask`)."""
        candidates = np.flatnonzero(mask)
        if candidates.size == 0:
            return np.full(home.size, -1)
        weight = self.schools["size"].to_numpy()[candidates] \
            * np.exp(-self.distance_km[:, candidates] / scale_km)
        cumulative = np.cumsum(weight / weight.sum(axis=1, keepdims=True), axis=1)
        pick = (cumulative[home] < rng.random(home.size)[:, None]).sum(axis=1)
        return candidates[np.minimum(pick, candidates.size - 1)]


def _expand(pid: np.ndarray, start: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, ...]:
    owner = np.repeat(np.arange(pid.size), length)
    offset = np.arange(owner.size) - np.repeat(np.cumsum(length) - length, length)
    return owner, offset, start[owner] + offset


def _segment(pid, start, length, school, soort, leerjaar_max, repeat_at, leave_date):
    owner, offset, year = _expand(pid, start, length)
    leerjaar = np.minimum(offset + 1 - (offset >= repeat_at[owner]), leerjaar_max[owner])
    last = offset == length[owner] - 1
    return pd.DataFrame({
        "pid": pid[owner], "year": year, "school": school[owner] if school.ndim == 1 else
        school[owner, np.minimum(offset, school.shape[1] - 1)],
        "soort": soort[owner] if np.ndim(soort) == 1 else soort,
        "leerjaar": np.maximum(leerjaar, 1),
        "leave_date": np.where(last, leave_date[owner], np.datetime64("NaT")),
    })


def on_date(year: np.ndarray, month: int, day: int) -> np.ndarray:
    """datetime64[D] of day-month in each `year`."""
    year = np.asarray(year)
    unique, inverse = np.unique(year, return_inverse=True)
    dates = np.array([np.datetime64(f"{y:04d}-{month:02d}-{day:02d}") for y in unique],
                     dtype="datetime64[D]")
    return dates[inverse.reshape(year.shape)]


def _dates(year: np.ndarray, month: int, day: int, spread_days: int,
           rng: np.random.Generator) -> np.ndarray:
    return on_date(year, month, day) \
        + rng.integers(0, spread_days + 1, np.size(year)).astype("timedelta64[D]")


def simulate(persons: pd.DataFrame, schools: pd.DataFrame, chooser: SchoolChooser,
             window: Window, rates: dict, rng: np.random.Generator) -> Careers:
    """Whole school careers of `persons`; only rows a leerplicht extract would hold are kept."""
    n = len(persons)
    pid = persons["pid"].to_numpy()
    birth = persons["birth"].to_numpy()
    home = persons["wijk"].to_numpy()
    risk = persons["risk"].to_numpy()
    ability = persons["ability"].to_numpy()
    kind = schools["kind"].to_numpy()
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    segments: list[pd.DataFrame] = []
    diplomas: list[pd.DataFrame] = []

    # --- PO: groep 1-8, some to SBAO (groep 3-6) or SO from the start.
    b = pd.DatetimeIndex(birth)
    po_start = b.year.to_numpy() + 4 + (b.month.to_numpy() >= 10)
    po = rates["po"]
    so = rng.random(n) < po["so"] * np.exp(0.4 * risk)
    sbao = ~so & (rng.random(n) < po["sbao"] * np.exp(0.4 * risk - 0.3 * ability))
    switch = rng.integers(2, 6, n)
    repeat = rng.random(n) < po["zittenblijven"]
    po_len = 8 + repeat
    repeat_at = np.where(repeat, rng.integers(1, 8, n), 99)
    bao = chooser.choose(home, kind == "BAO", 1.5, rng)
    sbao_school = chooser.choose(home, kind == "SBAO", 4.0, rng)
    so_school = chooser.choose(home, np.isin(kind, ["SO", "SO/VSO"]), 6.0, rng)
    sbao &= sbao_school >= 0
    so &= so_school >= 0
    owner, offset, _ = _expand(pid, po_start, po_len)
    in_sbao = sbao[owner] & (offset >= switch[owner])
    po_rows = _segment(pid, po_start, po_len, bao, "BAO", np.full(n, 8), repeat_at, nat)
    po_rows["school"] = np.where(so[owner], so_school[owner],
                                 np.where(in_sbao, sbao_school[owner], po_rows["school"]))
    po_rows["soort"] = np.where(so[owner], "SO", np.where(in_sbao, "SBAO", "BAO"))
    segments.append(po_rows)

    # --- VO: track from ability (SBAO pupils lower), VSO after SO.
    vo = rates["vo"]
    shares = np.array([vo["advies"][t] for t in VO_ORDER])
    cut = norm.ppf(np.cumsum(shares / shares.sum())[:-1])
    track_idx = np.searchsorted(cut, ability - 1.2 * sbao)
    track = np.array(VO_ORDER)[track_idx]
    vo_start = po_start + po_len
    years = np.array([vo["jaren"][t] for t in VO_ORDER])[track_idx]
    vo_school = np.full(n, -1)
    for t in VO_ORDER:
        offers = np.array([t in tracks for tracks in schools["tracks"]])
        if not offers.any():
            offers = kind == "VO"
        chosen = track == t
        vo_school[chosen] = chooser.choose(home[chosen], offers, 4.0, rng)
    vso_school = chooser.choose(home, np.isin(kind, ["VSO", "SO/VSO"]), 8.0, rng)
    track = np.where(so, "VSO", track)
    vo_school = np.where(so, vso_school, vo_school)
    years = np.where(so, 5, years)
    vo_repeat = rng.random(n) < vo["zittenblijven"]
    vo_len = years + vo_repeat
    vo_repeat_at = np.where(vo_repeat, rng.integers(1, 4, n), 99)
    regular = ~np.isin(track, ["PRO", "VSO"])
    leave_early = regular & (rng.random(n) < vo["voortijdig_vertrek"] * np.exp(0.6 * risk))
    leave_at = np.maximum(vo_len - 1 - rng.integers(0, 2, n), 1)
    vo_len = np.where(leave_early, leave_at, vo_len)
    vo_leave = np.where(leave_early & (rng.random(n) < 0.6),
                        _dates(vo_start + vo_len - 1, 10, 2, 240, rng), nat)
    has_vo = vo_school >= 0
    vo_rows = _segment(pid[has_vo], vo_start[has_vo], vo_len[has_vo], vo_school[has_vo],
                       track[has_vo], years[has_vo], vo_repeat_at[has_vo], vo_leave[has_vo])
    segments.append(vo_rows)
    vo_end = vo_start + vo_len  # first schooljaar after VO
    passed = has_vo & regular & ~leave_early & (rng.random(n) < vo["geslaagd"])
    diplomas.append(pd.DataFrame({
        "pid": pid[passed], "school": vo_school[passed], "diploma": track[passed],
        "date": _dates(vo_end[passed], 6, 15, 25, rng)}))

    # --- MBO: level from the VO outcome; entree after PRO or a failed VMBO.
    mbo = rates["mbo"]
    u = rng.random(n)
    level = np.full(n, "", dtype=object)
    vmbo = np.char.startswith(track.astype(str), "VMBO")
    level[passed & (track == "VMBO-B")] = "MBO-2"
    level[passed & (track == "VMBO-K")] = np.where(u[passed & (track == "VMBO-K")] < 0.4,
                                                   "MBO-2", "MBO-3")
    gt = passed & np.isin(track, ["VMBO-G", "VMBO-T"])
    level[gt] = np.where(u[gt] < 0.3, "MBO-3", "MBO-4")
    failed_vmbo = has_vo & vmbo & ~passed & ~leave_early
    level[failed_vmbo & (u < 0.7)] = "MBO-1"
    failed_hv = has_vo & np.isin(track, ["HAVO", "VWO"]) & ~passed & ~leave_early
    level[failed_hv & (u < 0.75)] = "MBO-4"
    level[has_vo & (track == "PRO") & (u < mbo["pro_naar_entree"])] = "MBO-1"
    mbo_school = chooser.choose(home, kind == "MBO", 10.0, rng)
    start = vo_end.copy()
    for _round in range(2):
        enrolled = (level != "") & (mbo_school >= 0)
        if not enrolled.any():
            break
        lv = level[enrolled].astype(str)
        length = np.array([mbo["jaren"][x] for x in lv])
        q = mbo["uitval_per_jaar"] * np.exp(0.5 * risk[enrolled])
        drop_at = np.floor(np.log(rng.random(lv.size)) / np.log1p(-np.minimum(q, 0.9)))
        dropped = drop_at < length
        seg_len = np.where(dropped, drop_at + 1, length).astype(int)
        leave = np.where(dropped & (rng.random(lv.size) < 0.6),
                         _dates(start[enrolled] + seg_len - 1, 10, 2, 240, rng),
                         np.datetime64("NaT"))
        segments.append(_segment(pid[enrolled], start[enrolled], seg_len, mbo_school[enrolled],
                                 lv, length, np.full(lv.size, 99), leave))
        end = start[enrolled] + seg_len
        drift = rates["startkwalificatie_trend"] * (end - window.first_year)
        ok = ~dropped & (rng.random(lv.size) < mbo["geslaagd"] + drift)
        diplomas.append(pd.DataFrame({
            "pid": pid[enrolled][ok], "school": mbo_school[enrolled][ok], "diploma": lv[ok],
            "date": _dates(end[ok], 1, 15, 180, rng)}))
        # Entree graduates often go on to MBO-2; everyone else leaves the data.
        nxt = np.full(n, "", dtype=object)
        idx = np.flatnonzero(enrolled)[ok & (lv == "MBO-1")]
        nxt[idx[rng.random(idx.size) < 0.7]] = "MBO-2"
        start[enrolled] = end
        level = nxt

    enrolments = pd.concat(segments, ignore_index=True)
    age = age_on(birth[np.searchsorted(pid, enrolments["pid"].to_numpy())],
                 enrolments["year"].to_numpy())
    keep = (enrolments["year"] >= window.first_year - 6) \
        & (enrolments["year"] <= window.last_year + 1) & (age <= MAX_AGE)
    diploma_rows = pd.concat(diplomas, ignore_index=True)
    diploma_rows = diploma_rows[diploma_rows["date"] <= window.extract_date]
    return Careers(enrolments[keep].reset_index(drop=True), diploma_rows.reset_index(drop=True))


def inschrijvingen_rows(careers: Careers, persons: pd.DataFrame, schools: pd.DataFrame,
                        window: Window) -> pd.DataFrame:
    e = careers.enrolments
    year = e["year"].to_numpy()
    start = on_date(year, 8, 1)
    end_of_year = on_date(year + 1, 7, 31)
    leave = e["leave_date"].to_numpy().astype("datetime64[D]")
    end = np.where(np.isnat(leave), end_of_year, leave)
    still = (year == window.last_year + 1) & np.isnat(leave)
    end = np.where(still | (end > window.extract_date), np.datetime64("NaT"), end)
    return pd.DataFrame({
        "bsn": persons["bsn"].to_numpy()[np.searchsorted(persons["pid"].to_numpy(), e["pid"])],
        "vestigingscode": schools["vestigingscode"].to_numpy()[e["school"].to_numpy()],
        "onderwijssoort": e["soort"].to_numpy(),
        "leerjaar": e["leerjaar"].to_numpy(),
        "datum_inschrijving": start,
        "datum_uitschrijving": end,
    })


def diplomas_rows(careers: Careers, persons: pd.DataFrame, schools: pd.DataFrame) -> pd.DataFrame:
    d = careers.diplomas
    return pd.DataFrame({
        "bsn": persons["bsn"].to_numpy()[np.searchsorted(persons["pid"].to_numpy(), d["pid"])],
        "vestigingscode": schools["vestigingscode"].to_numpy()[d["school"].to_numpy()],
        "diploma": d["diploma"].to_numpy(),
        "datum": d["date"].to_numpy(),
    })
