"""School careers: PO (BAO/SBAO/SO), VO tracks or VSO/PRO, MBO levels, hbo/wo, diplomas, early
leavers.

Vectorised per segment: every person gets arrays of start year, length, school and outcome,
expanded to one enrolment row per schooljaar (as leerplicht/BRON extracts list them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sample_data.choice import SchoolChooser, outsider_shares
from sample_data.population import MAX_AGE, Window, age_on, homes_in

VO_ORDER = ("PRO", "VMBO-B", "VMBO-K", "VMBO-G", "VMBO-T", "HAVO", "VWO")
STARTKWALIFICATIE = ("HAVO", "VWO", "MBO-2", "MBO-3", "MBO-4")


@dataclass
class Careers:
    enrolments: pd.DataFrame  # pid, year, school, soort, leerjaar, leave_date, join_date
    diplomas: pd.DataFrame  # pid, school, diploma, date
    # hbo/wo, apart until written: leerplicht and youth care draw per PO/VO/MBO enrolment,
    # so adding them leaves every other simulated fact as it was
    higher: pd.DataFrame | None = None

    def with_higher(self) -> Careers:
        """Every enrolment, hbo/wo included (as the enrolment extract lists them)."""
        return Careers(pd.concat([self.enrolments, self.higher], ignore_index=True)
                       if self.higher is not None else self.enrolments, self.diplomas)


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
        "join_date": np.full(owner.size, np.datetime64("NaT"), dtype="datetime64[D]"),
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


@dataclass
class _Cohort:
    """The persons of one chunk and how they choose schools."""

    persons: pd.DataFrame
    schools: pd.DataFrame
    chooser: SchoolChooser
    rates: dict
    rng: np.random.Generator

    def __post_init__(self) -> None:
        self.n = len(self.persons)
        self.pid = self.persons["pid"].to_numpy()
        self.birth = self.persons["birth"].to_numpy()
        self.risk = self.persons["risk"].to_numpy()
        self.ability = self.persons["ability"].to_numpy()
        self.kind = self.schools["kind"].to_numpy()
        self.nat = np.full(self.n, np.datetime64("NaT"), dtype="datetime64[D]")
        self._resident = self.persons["resident"].to_numpy()
        self._origin = self.persons["origin"].to_numpy()
        self._out = self.rates["over_de_grens"]["uit"]
        self._in = outsider_shares(self.rates)

    def pick(self, mask: np.ndarray, scale_km: float, sector: str,
             who: np.ndarray | None = None) -> np.ndarray:
        """A school per person (or per person in `who`), across the border at the sector's rate."""
        who = np.arange(self.n) if who is None else who
        share = np.where(self._resident[who], self._out[sector], self._in[sector])
        return self.chooser.choose(self._origin[who], mask, scale_km, share, self.rng)


def _primary(c: _Cohort) -> tuple[pd.DataFrame, dict]:
    """Groep 1-8 at a BAO; some go to SO from the start or switch to SBAO/SO in groep 3-6."""
    po = c.rates["po"]
    b = pd.DatetimeIndex(c.birth)
    start = b.year.to_numpy() + 4 + (b.month.to_numpy() >= 10)
    so = c.rng.random(c.n) < po["so"] * np.exp(0.4 * c.risk)
    late_so = ~so & (c.rng.random(c.n) < po["so_later"] * np.exp(0.4 * c.risk))
    sbao = ~so & ~late_so & (c.rng.random(c.n) < po["sbao"]
                             * np.exp(0.4 * c.risk - 0.3 * c.ability))
    switch = c.rng.integers(2, 6, c.n)
    repeat = c.rng.random(c.n) < po["zittenblijven"]
    length = 8 + repeat
    repeat_at = np.where(repeat, c.rng.integers(1, 8, c.n), 99)
    bao = c.pick(c.kind == "BAO", 1.5, "PO")
    sbao_school = c.pick(c.kind == "SBAO", 4.0, "SBAO")
    so_school = c.pick(np.isin(c.kind, ["SO", "SO/VSO"]), 6.0, "SO")
    sbao &= sbao_school >= 0
    so &= so_school >= 0
    late_so &= so_school >= 0
    owner, offset, _ = _expand(c.pid, start, length)
    moved = offset >= switch[owner]
    in_so = so[owner] | (late_so[owner] & moved)
    in_sbao = sbao[owner] & moved
    rows = _segment(c.pid, start, length, bao, "BAO", np.full(c.n, 8), repeat_at, c.nat)
    rows["school"] = np.where(in_so, so_school[owner],
                              np.where(in_sbao, sbao_school[owner], rows["school"]))
    rows["soort"] = np.where(in_so, "SO", np.where(in_sbao, "SBAO", "BAO"))
    return rows, {"end": start + length, "so": so | late_so, "sbao": sbao}


def _vo_schools(c: _Cohort, track: np.ndarray, special: np.ndarray) -> np.ndarray:
    """A VO school offering the track (VSO for former SO pupils)."""
    school = np.full(c.n, -1)
    for t in VO_ORDER:
        offers = np.array([t in tracks for tracks in c.schools["tracks"]])
        if not offers.any():
            offers = c.kind == "VO"
        chosen = np.flatnonzero(track == t)
        school[chosen] = c.pick(offers, 4.0, "VO", chosen)
    vso = c.pick(np.isin(c.kind, ["VSO", "SO/VSO"]), 8.0, "VSO")
    return np.where(special, vso, school)


def _secondary(c: _Cohort, po: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """VO track from ability (SBAO pupils lower), VSO after SO; early leavers; diplomas."""
    from scipy.stats import norm  # here: SciPy takes half a second to load for every importer

    vo = c.rates["vo"]
    shares = np.array([vo["advies"][t] for t in VO_ORDER])
    cut = norm.ppf(np.cumsum(shares / shares.sum())[:-1])
    track_idx = np.searchsorted(cut, c.ability - 1.2 * po["sbao"])
    years = np.array([vo["jaren"][t] for t in VO_ORDER])[track_idx]
    years = np.where(po["so"], vo["jaren"]["VSO"], years)
    track = np.where(po["so"], "VSO", np.array(VO_ORDER)[track_idx])
    school = _vo_schools(c, track, po["so"])
    start = po["end"]
    repeat = c.rng.random(c.n) < vo["zittenblijven"]
    length = years + repeat
    repeat_at = np.where(repeat, c.rng.integers(1, 4, c.n), 99)
    regular = ~np.isin(track, ["PRO", "VSO"])
    early = regular & (c.rng.random(c.n) < vo["voortijdig_vertrek"] * np.exp(0.6 * c.risk))
    length = np.where(early, np.maximum(length - 1 - c.rng.integers(0, 2, c.n), 1), length)
    leave = np.where(early & (c.rng.random(c.n) < 0.6),
                     _dates(start + length - 1, 10, 2, 240, c.rng), c.nat)
    has = school >= 0
    rows = _segment(c.pid[has], start[has], length[has], school[has], track[has], years[has],
                    repeat_at[has], leave[has])
    end = start + length  # first schooljaar after VO
    passed = has & regular & ~early & (c.rng.random(c.n) < vo["geslaagd"])
    diplomas = pd.DataFrame({"pid": c.pid[passed], "school": school[passed],
                             "diploma": track[passed],
                             "date": _dates(end[passed], 6, 15, 25, c.rng)})
    return rows, diplomas, {"end": end, "track": track, "passed": passed, "has": has,
                            "early": early}


def _mbo_level(c: _Cohort, vo: dict) -> np.ndarray:
    """MBO level from the VO outcome; entree after PRO or a failed VMBO; '' = no MBO."""
    u = c.rng.random(c.n)
    track, passed, has, early = vo["track"], vo["passed"], vo["has"], vo["early"]
    level = np.full(c.n, "", dtype=object)
    level[passed & (track == "VMBO-B")] = "MBO-2"
    k = passed & (track == "VMBO-K")
    level[k] = np.where(u[k] < 0.4, "MBO-2", "MBO-3")
    gt = passed & np.isin(track, ["VMBO-G", "VMBO-T"])
    level[gt] = np.where(u[gt] < 0.3, "MBO-3", "MBO-4")
    vmbo = np.char.startswith(track.astype(str), "VMBO")
    level[has & vmbo & ~passed & ~early & (u < 0.9)] = "MBO-1"
    failed_hv = has & np.isin(track, ["HAVO", "VWO"]) & ~passed & ~early
    level[failed_hv & (u < 0.9)] = "MBO-4"
    level[has & (track == "PRO") & (u < c.rates["mbo"]["pro_naar_entree"])] = "MBO-1"
    level[early & (u < c.rates["mbo"]["vertrekkers_naar_mbo"])] = "MBO-2"
    return level


def _vocational(c: _Cohort, vo: dict, window: Window) -> tuple[list, list]:
    """MBO segments and diplomas, in two rounds."""
    mbo = c.rates["mbo"]
    level = _mbo_level(c, vo)
    school = c.pick(c.kind == "MBO", 10.0, "MBO")
    start = vo["end"].copy()
    segments, diplomas = [], []
    for _round in range(2):
        enrolled = (level != "") & (school >= 0)
        if not enrolled.any():
            break
        lv = level[enrolled].astype(str)
        length = np.array([mbo["jaren"][x] for x in lv])
        q = mbo["uitval_per_jaar"] * np.exp(0.5 * c.risk[enrolled])
        drop_at = np.floor(np.log(c.rng.random(lv.size)) / np.log1p(-np.minimum(q, 0.9)))
        dropped = drop_at < length
        seg_len = np.where(dropped, drop_at + 1, length).astype(int)
        leave = np.where(dropped & (c.rng.random(lv.size) < 0.6),
                         _dates(start[enrolled] + seg_len - 1, 10, 2, 240, c.rng),
                         np.datetime64("NaT"))
        segments.append(_segment(c.pid[enrolled], start[enrolled], seg_len, school[enrolled],
                                 lv, length, np.full(lv.size, 99), leave))
        end = start[enrolled] + seg_len
        drift = c.rates["startkwalificatie_trend"] * (end - window.first_year)
        ok = ~dropped & (c.rng.random(lv.size) < mbo["geslaagd"] + drift)
        diplomas.append(pd.DataFrame({
            "pid": c.pid[enrolled][ok], "school": school[enrolled][ok], "diploma": lv[ok],
            "date": _dates(end[ok], 1, 15, 180, c.rng)}))
        # Entree graduates often go on to MBO-2; young dropouts often start again.
        nxt = np.full(c.n, "", dtype=object)
        idx = np.flatnonzero(enrolled)[ok & (lv == "MBO-1")]
        nxt[idx[c.rng.random(idx.size) < mbo["entree_naar_mbo2"]]] = "MBO-2"
        again = dropped & (age_on(c.birth[enrolled], end) < 18) \
            & (c.rng.random(lv.size) < mbo["herstart_na_uitval"])
        nxt[np.flatnonzero(enrolled)[again]] = lv[again]
        start[enrolled] = end
        level = nxt
    return segments, diplomas


def _higher(c: _Cohort, vo: dict, mbo_diplomas: list[pd.DataFrame]) -> pd.DataFrame:
    """hbo/wo after a havo or vwo diploma, or after mbo-4 (DUO delivers them to the RMC):
    enrolled there, a havo/vwo graduate is no school leaver."""
    ho = c.rates["ho"]
    rng = c.rng.spawn(1)[0]  # the chunk's stream is not advanced
    institution = {kind: np.flatnonzero(c.kind == kind) for kind in ("HBO", "WO")}
    if not all(x.size for x in institution.values()):
        return _segment(c.pid[:0], c.pid[:0], c.pid[:0], c.pid[:0], "HBO", c.pid[:0],
                        c.pid[:0], c.nat[:0])
    u = rng.random(c.n)
    track, passed = vo["track"], vo["passed"]
    soort = np.full(c.n, "", dtype=object)
    soort[passed & (track == "HAVO") & (u < ho["havo_naar_hbo"])] = "HBO"
    vwo = passed & (track == "VWO")
    soort[vwo & (u < ho["vwo_naar_hbo"] + ho["vwo_naar_wo"])] = "HBO"
    soort[vwo & (u < ho["vwo_naar_wo"])] = "WO"
    start = vo["end"].copy()
    mbo4 = pd.concat(mbo_diplomas, ignore_index=True) if mbo_diplomas else pd.DataFrame(
        {"pid": [], "diploma": [], "date": []})
    mbo4 = mbo4[mbo4["diploma"] == "MBO-4"].drop_duplicates("pid")
    row = np.searchsorted(c.pid, mbo4["pid"].to_numpy())
    go = (rng.random(row.size) < ho["mbo4_naar_hbo"]) & (soort[row] == "")
    soort[row[go]] = "HBO"
    start[row[go]] = pd.DatetimeIndex(mbo4["date"]).year.to_numpy()[go]
    chosen = np.flatnonzero(soort != "")
    kind = soort[chosen].astype(str)
    years = np.where(kind == "WO", ho["jaren"]["WO"], ho["jaren"]["HBO"])
    drop = rng.random(chosen.size) < np.where(kind == "WO", ho["uitval_eerste_jaar"]["WO"],
                                                 ho["uitval_eerste_jaar"]["HBO"])
    school = np.where(kind == "WO", rng.choice(institution["WO"], chosen.size),
                      rng.choice(institution["HBO"], chosen.size))
    return _segment(c.pid[chosen], start[chosen], np.where(drop, 1, years), school, kind,
                    years, np.full(chosen.size, 99), np.full(chosen.size, np.datetime64("NaT"),
                                                          dtype="datetime64[D]"))


def simulate(persons: pd.DataFrame, schools: pd.DataFrame, chooser: SchoolChooser,
             window: Window, rates: dict, rng: np.random.Generator) -> Careers:
    """Whole school careers of `persons`; only rows an extract of the region would hold are
    kept: while the person lives in the region, or at a school in the region."""
    c = _Cohort(persons, schools, chooser, rates, rng)
    po_rows, po = _primary(c)
    vo_rows, vo_diplomas, vo = _secondary(c, po)
    mbo_rows, mbo_diplomas = _vocational(c, vo, window)
    ho_rows = _higher(c, vo, mbo_diplomas)
    enrolments = pd.concat([po_rows, vo_rows, *mbo_rows], ignore_index=True)
    diplomas = pd.concat([vo_diplomas, *mbo_diplomas], ignore_index=True)
    return Careers(_kept(enrolments, persons, schools, window),
                   _kept(diplomas, persons, schools, window),
                   _kept(ho_rows, persons, schools, window))


def _kept(rows: pd.DataFrame, persons: pd.DataFrame, schools: pd.DataFrame,
          window: Window) -> pd.DataFrame:
    """Rows inside the extract's period, for a resident or at one of the region's schools."""
    dated = "date" in rows
    year = pd.DatetimeIndex(rows["date"]).year.to_numpy() - 1 if dated \
        else rows["year"].to_numpy()
    pid = rows["pid"].to_numpy()
    home = homes_in(persons, window, pid, year)
    keep = (home >= 0) | schools["region"].to_numpy()[rows["school"].to_numpy()]
    if dated:
        keep &= rows["date"].to_numpy() <= window.extract_date
    else:
        birth = persons["birth"].to_numpy()[np.searchsorted(persons["pid"].to_numpy(), pid)]
        keep &= (year >= window.first_year - 6) & (year <= window.last_year + 1) \
            & (age_on(birth, year) <= MAX_AGE)
    return rows[keep].reset_index(drop=True)


def inschrijvingen_rows(careers: Careers, persons: pd.DataFrame, schools: pd.DataFrame,
                        window: Window) -> pd.DataFrame:
    e = careers.enrolments
    year = e["year"].to_numpy()
    join = e["join_date"].to_numpy().astype("datetime64[D]")
    start = np.where(np.isnat(join), on_date(year, 8, 1), join)
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
