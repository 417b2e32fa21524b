"""python -m sample_data --gemeente GM0034[,GM0995,...] --out DIR: synthetic source extracts.

Writes the partners' own extracts (with BSN in clear, as they hold them) into DIR: personen,
jeugdhulp per gemeente (`personen_GM0034.csv`, ... for a region of several
gemeenten; plain `personen.csv` for one), inschrijvingen, diplomas, verzuim and scholen for the
whole region, wijken.geojson and doelen.yaml. Pupils cross the border both ways: residents at
schools in neighbouring gemeenten, and young people from those gemeenten at the region's
schools (in the school files only). Persons are generated in chunks and streamed to disk, so
--gemeente NL (every gemeente: about 3.4 million young people, national size) runs in bounded
memory.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import yaml

from privacy.files import owner_only
from sample_data import attendance, counts, leerplicht, population, schooling, youth_care
from sample_data.reference import gemeente_names
from sample_data.region import Region, build_region
from sample_data.schools import SCHOLEN_COLUMNS
from sample_data.summary import Tally
from sample_data.targets import example_besturen, gemeente_doelen, write_doelen
from sample_data.writers import Deliveries, DeliveryWriter
from settings import load_settings_or_exit

RATES = Path(__file__).resolve().parent / "rates.yaml"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    defaults = load_settings_or_exit().sample
    parser = argparse.ArgumentParser(prog="python -m sample_data", description=__doc__)
    parser.add_argument("--gemeente", default=defaults.gemeente,
                        help="gemeentecode, meerdere met komma's voor een regio, of NL voor "
                        "alle gemeenten van het land")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="factor op het aantal personen")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--schooljaren", type=int, default=defaults.schooljaren)
    parser.add_argument("--laatste-schooljaar", type=int, default=defaults.laatste_schooljaar)
    parser.add_argument("--plain", action="store_true",
                        help="alles UTF-8, komma en JJJJ-MM-DD (zonder leveringseigenaardigheden)")
    parser.add_argument("--chunk", type=int, default=100_000, help="personen per blok")
    parser.add_argument("--processen", type=int, default=os.cpu_count() or 1,
                        help="blokken tegelijk (standaard: het aantal kernen)")
    args = parser.parse_args(argv)
    args.codes = list(dict.fromkeys(c.strip().upper() for c in args.gemeente.split(",")
                                    if c.strip()))
    if args.codes == ["NL"]:
        args.codes = sorted(gemeente_names())
    return args


def _nl(number: int) -> str:
    """Thousands separated the Dutch way: 54.064."""
    return f"{number:,}".replace(",", ".")


def _pc4_by_wijk(region: Region) -> dict[str, list[str]]:
    """Real PC4s of schools per wijk; wijken without a school borrow the nearest school's."""
    schools = region.schools[region.schools["region"]]
    located = schools[schools["postcode"].str.len() >= 4]
    result = {}
    for _, wijk in region.wijken.iterrows():
        own = located.loc[located["wijkcode"] == wijk["statcode"], "postcode"].str[:4]
        if own.empty:
            distance = np.hypot(located["lon"] - wijk["lon"], located["lat"] - wijk["lat"])
            own = located.loc[[distance.idxmin()], "postcode"].str[:4]
        result[wijk["statcode"]] = sorted(set(own))
    return result


def _progress(done: int, total: int, what: str, began: float) -> None:
    print(f"  {_nl(min(done, total)):>10} / {_nl(total)} {what} "
          f"({time.monotonic() - began:.0f} s)", flush=True)


@dataclass
class Chunk:
    """One chunk of persons as the text of each file, with its tallies and schools used."""

    deliveries: Deliveries
    tally: Tally
    files: list = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    pupils: Counter = field(default_factory=Counter)  # DUO count per school, year, soort

    def emit(self, name: str, frame: pd.DataFrame) -> None:
        self.files += self.deliveries.render(name, frame)

    def __getstate__(self) -> dict:  # back to the parent without the writers
        return {**self.__dict__, "deliveries": None}


_GENERATOR: _Generator | None = None  # the forked workers' copy (set before the pool starts)


def _chunk(job: tuple[str, int, int, int]) -> Chunk:
    kind, first, count, offset = job
    if kind == "inwoners":
        return _GENERATOR.residents(first, count)
    return _GENERATOR.outsiders(first, count, offset)


class _Generator:
    """Generates, writes and tallies the persons of one region chunk by chunk."""

    def __init__(self, args: argparse.Namespace, region: Region, rates: dict,
                 rng: np.random.Generator) -> None:
        self.args, self.region, self.rates = args, region, rates
        self.window = population.Window(args.laatste_schooljaar - args.schooljaren + 1,
                                        args.laatste_schooljaar)
        self.chooser = region.chooser()
        self.pc4 = _pc4_by_wijk(region)
        self.providers = np.array([f"98{n:06d}" for n in rng.choice(999_999, 30, replace=False)])
        self.deliveries = Deliveries(args.out, region.codes, args.plain)
        self.wijk_gemeenten = region.wijken["gemeentecode"].to_numpy()
        self.tally = Tally(self.window, self.wijk_gemeenten)
        self.used: set[int] = set()
        self.pupils: Counter = Counter()
        self.seed = [args.seed, *(int(code[2:]) for code in region.codes)]
        self.bsn_offset = int(region.codes[0][2:]) * 7919

    def _school_rows(self, chunk: Chunk, persons: pd.DataFrame, careers: schooling.Careers,
                     rng: np.random.Generator) -> pd.DataFrame:
        schools, window = self.region.schools, self.window
        verzuim = attendance.simulate(persons, careers.enrolments, schools, window, self.rates,
                                      rng)
        careers = careers.with_higher()
        chunk.emit("inschrijvingen", schooling.inschrijvingen_rows(
            careers, persons, schools, window))
        chunk.emit("diplomas", schooling.diplomas_rows(careers, persons, schools))
        chunk.emit("verzuim", verzuim)
        chunk.used |= set(careers.enrolments["school"]) | set(careers.diplomas["school"])
        chunk.pupils.update(counts.pupils_on_peildatum(careers.enrolments, window))
        return verzuim

    def residents(self, first: int, count: int) -> Chunk:
        """Residents `first` .. `first + count` as file text and tallies (pure: any process)."""
        rng = np.random.default_rng([*self.seed, first])
        region, window, rates = self.region, self.window, self.rates
        chunk = Chunk(self.deliveries, Tally(self.window, self.wijk_gemeenten))
        persons = population.make_persons(count, first, window, region.wijken, rates, rng,
                                          self.bsn_offset)
        careers = schooling.simulate(persons, region.schools, self.chooser, window, rates, rng)
        exempt = leerplicht.exemptions(persons, careers, window, rates, rng)
        careers = leerplicht.without_exempt_years(careers, exempt)
        careers = leerplicht.with_absoluut_verzuim(careers, persons, window, rates, rng)
        jeugdhulp = youth_care.simulate(persons, careers.enrolments, region.schools, window,
                                        region.wijken, rates, self.providers, rng)
        verzuim = self._school_rows(chunk, persons, careers, rng)
        chunk.emit("personen", population.personen_rows(persons, window, region.wijken,
                                                        self.pc4))
        chunk.emit("jeugdhulp", jeugdhulp)
        chunk.emit("verzuim", leerplicht.vrijstellingen_rows(exempt, persons, window))
        chunk.tally.add(persons, careers, jeugdhulp, verzuim, region.schools, exempt)
        return chunk

    def outsiders(self, first: int, count: int, offset: int) -> Chunk:
        rng = np.random.default_rng([*self.seed, first, 1])
        chunk = Chunk(self.deliveries, Tally(self.window, self.wijk_gemeenten))
        persons = population.make_outsiders(count, offset + first, self.window,
                                            self.region.outside, len(self.region.wijken), rng,
                                            self.bsn_offset)
        careers = schooling.simulate(persons, self.region.schools, self.chooser, self.window,
                                     self.rates, rng)
        verzuim = self._school_rows(chunk, persons, careers, rng)
        chunk.tally.add(persons, careers, None, verzuim, self.region.schools, None)
        return chunk

    def take(self, chunk: Chunk) -> None:
        """Write a chunk's files and add its tallies, in chunk order."""
        self.deliveries.append(chunk.files)
        self.tally.counts.update(chunk.tally.counts)
        self.used |= chunk.used
        self.pupils.update(chunk.pupils)

    def finish(self) -> list[tuple[str, int]]:
        out, region = self.args.out, self.region
        schools = region.schools
        listed = schools[schools["region"] | schools.index.isin(sorted(self.used))]
        DeliveryWriter(out / "scholen.csv", self.deliveries.dialects["scholen"]).write(
            listed[SCHOLEN_COLUMNS])
        tellingen = counts.leerlingen_rows(schools, self.pupils, self.window)
        DeliveryWriter(out / "leerlingen_per_vestiging.csv",
                       self.deliveries.dialects["leerlingtellingen"]).write(tellingen)
        (out / "wijken.geojson").write_text(json.dumps(
            {"type": "FeatureCollection", "features": region.wijk_features},
            ensure_ascii=False), encoding="utf-8")
        boards = example_besturen(schools, [member.code for member in region.members])
        doelen = []
        for member in region.members:
            doelen += gemeente_doelen(member.code, member.name, self.window,
                                      boards.get(member.code))
        write_doelen(out / "doelen.yaml", doelen)
        return self.deliveries.close() + [("scholen.csv", len(listed)),
                                          ("leerlingen_per_vestiging.csv", len(tellingen))]


@contextmanager
def _pool(processes: int) -> Iterator:
    """Forked workers (they share the region without copying it), or this process alone."""
    if processes <= 1:
        yield SimpleNamespace(imap=map)
        return
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield pool


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    began = time.monotonic()
    rates = yaml.safe_load(RATES.read_text(encoding="utf-8"))
    rng = np.random.default_rng([args.seed, *(int(c[2:]) for c in args.codes
                                              if c[2:].isdigit())])
    try:
        region = build_region(args.codes, rates["wijk_spreiding"], rng)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    generator = _Generator(args, region, rates, rng)
    in_region = region.schools["region"]
    cohort = rates["personen_per_basisschool"] \
        * (in_region & (region.schools["kind"] == "BAO")).sum() / 8.5
    total = int(round(cohort * (population.MAX_AGE + args.schooljaren) * args.scale))
    # A region without neighbouring gemeenten (the whole country) has no one from outside.
    outside = int(round(total * rates["over_de_grens"]["buiten_personen"])) \
        if len(region.outside) else 0
    window = generator.window
    print(f"Voorbeelddata {region.name} ({', '.join(region.codes)}): {_nl(total)} inwoners en "
          f"{_nl(outside)} jongeren uit {len(region.outside)} buurgemeenten, "
          f"{int(in_region.sum())} scholen, {len(region.wijken)} wijken, schooljaren "
          f"{window.first_year}-{window.last_year + 1}", flush=True)
    jobs = [("inwoners", first, min(args.chunk, total - first), 0, total)
            for first in range(0, total, args.chunk)]
    jobs += [("jongeren uit buurgemeenten", first, min(args.chunk, outside - first), total,
              outside) for first in range(0, outside, args.chunk)]
    global _GENERATOR
    _GENERATOR = generator
    # Chunks are seeded by their first person, so workers give the files one process would.
    with _pool(args.processen) as pool:
        for job, chunk in zip(jobs, pool.imap(_chunk, [j[:4] for j in jobs]), strict=True):
            generator.take(chunk)
            _progress(job[1] + args.chunk, job[4], job[0], began)
    for name, rows in generator.finish():
        print(f"  {name:<28} {_nl(rows):>12} rijen")
    print(generator.tally.report())
    print(f"Klaar in {time.monotonic() - began:.0f} s: {args.out}")
    return 0


if __name__ == "__main__":
    owner_only()  # all this command writes: readable by its owner only
    sys.exit(main())
