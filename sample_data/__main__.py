"""python -m sample_data --gemeente GM0034 --out DIR: synthetic source extracts for one gemeente.

Writes the partners' own extracts (with BSN in clear, as they hold them) into DIR: personen,
inschrijvingen, diplomas, jeugdhulp, verzuim, scholen (.csv), wijken.geojson and doelen.yaml.
Persons are generated in chunks and streamed to disk, so --scale 65 (about 3.5 million
persons, national size) runs in bounded memory.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import yaml

from privacy.settings import load_settings_or_exit
from sample_data import attendance, population, schooling, youth_care
from sample_data.reference import load_gemeente
from sample_data.schools import SCHOLEN_COLUMNS, build_register
from sample_data.summary import Tally
from sample_data.targets import write_doelen
from sample_data.writers import DeliveryWriter, load_dialects

RATES = Path(__file__).resolve().parent / "rates.yaml"
SOURCES = ("personen", "inschrijvingen", "diplomas", "jeugdhulp", "verzuim")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    defaults = load_settings_or_exit().sample
    parser = argparse.ArgumentParser(prog="python -m sample_data", description=__doc__)
    parser.add_argument("--gemeente", default=defaults.gemeente)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="factor op het aantal personen (65 ≈ landelijk, 3,5 miljoen)")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--schooljaren", type=int, default=defaults.schooljaren)
    parser.add_argument("--laatste-schooljaar", type=int, default=defaults.laatste_schooljaar)
    parser.add_argument("--plain", action="store_true",
                        help="alles UTF-8, komma en JJJJ-MM-DD (zonder leveringseigenaardigheden)")
    parser.add_argument("--chunk", type=int, default=100_000, help="personen per blok")
    return parser.parse_args(argv)


def _nl(number: int) -> str:
    """Thousands separated the Dutch way: 54.064."""
    return f"{number:,}".replace(",", ".")


def _pc4_by_wijk(gemeente, schools) -> dict[str, list[str]]:
    """Real PC4s of schools per wijk; wijken without a school borrow the nearest school's."""
    located = schools[schools["postcode"].str.len() >= 4]
    result = {}
    for _, wijk in gemeente.wijken.iterrows():
        own = located.loc[located["wijkcode"] == wijk["statcode"], "postcode"].str[:4]
        if own.empty:
            distance = np.hypot(located["lon"] - wijk["lon"], located["lat"] - wijk["lat"])
            own = located.loc[[distance.idxmin()], "postcode"].str[:4]
        result[wijk["statcode"]] = sorted(set(own))
    return result


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    began = time.monotonic()
    try:
        gemeente = load_gemeente(args.gemeente)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if gemeente.schools.empty or gemeente.wijken.empty:
        print(f"Gemeente {args.gemeente} heeft geen scholen of wijken in de referentiedata.",
              file=sys.stderr)
        return 2
    rates = yaml.safe_load(RATES.read_text(encoding="utf-8"))
    window = population.Window(args.laatste_schooljaar - args.schooljaren + 1,
                               args.laatste_schooljaar)
    rng = np.random.default_rng([args.seed, int(args.gemeente[2:])])
    schools = build_register(gemeente, rng)
    wijken = population.wijk_scores(gemeente.wijken, rates["wijk_spreiding"], rng)
    chooser = schooling.SchoolChooser(schools, wijken)
    pc4 = _pc4_by_wijk(gemeente, schools)
    providers = np.array([f"98{n:06d}" for n in rng.choice(999_999, 30, replace=False)])
    cohort = rates["personen_per_basisschool"] * (schools["kind"] == "BAO").sum() / 8.5
    total = int(round(cohort * (population.MAX_AGE + args.schooljaren) * args.scale))

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    dialects = load_dialects(args.plain)
    writers = {name: DeliveryWriter(out / f"{name}.csv", dialects[name]) for name in SOURCES}
    tally = Tally(window)
    print(f"Voorbeelddata {gemeente.name} ({gemeente.code}): {_nl(total)} personen, "
          f"{len(schools)} scholen, {len(wijken)} wijken, schooljaren "
          f"{window.first_year}-{window.last_year + 1}", flush=True)
    for first in range(0, total, args.chunk):
        count = min(args.chunk, total - first)
        chunk_rng = np.random.default_rng([args.seed, int(args.gemeente[2:]), first])
        persons = population.make_persons(count, first, window, wijken, rates, chunk_rng,
                                          bsn_offset=int(args.gemeente[2:]) * 7919)
        careers = schooling.simulate(persons, schools, chooser, window, rates, chunk_rng)
        jeugdhulp = youth_care.simulate(persons, careers.enrolments, schools, window, rates,
                                        providers, chunk_rng)
        verzuim = attendance.simulate(persons, careers.enrolments, schools, window, rates,
                                      chunk_rng)
        writers["personen"].write(population.personen_rows(persons, window, wijken, pc4,
                                                           gemeente.code))
        writers["inschrijvingen"].write(schooling.inschrijvingen_rows(careers, persons, schools,
                                                                      window))
        writers["diplomas"].write(schooling.diplomas_rows(careers, persons, schools))
        writers["jeugdhulp"].write(jeugdhulp)
        writers["verzuim"].write(verzuim)
        tally.add(persons, careers, jeugdhulp, verzuim)
        print(f"  {_nl(first + count):>10} / {_nl(total)} personen "
              f"({time.monotonic() - began:.0f} s)", flush=True)
    for writer in writers.values():
        writer.close()

    DeliveryWriter(out / "scholen.csv", dialects["scholen"]).write(schools[SCHOLEN_COLUMNS])
    (out / "wijken.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": gemeente.wijk_features}, ensure_ascii=False),
        encoding="utf-8")
    boards = schools.loc[schools["kind"] == "BAO", "bevoegd_gezag"].value_counts()
    write_doelen(out / "doelen.yaml", gemeente.code, gemeente.name, window,
                 boards.index[0] if len(boards) else None)
    for name, writer in writers.items():
        print(f"  {name + '.csv':<20} {_nl(writer.rows):>12} rijen")
    print(tally.report())
    print(f"Klaar in {time.monotonic() - began:.0f} s: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
