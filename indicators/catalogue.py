"""The indicator catalogue (catalogue.yaml): indicators as data, checked when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PACKAGE = Path(__file__).resolve().parent
CATALOGUE_FILE = PACKAGE / "catalogue.yaml"
LEVELS = ("school", "bestuur", "swv", "wijk", "gemeente")
UNITS = ("percentage", "per_1000", "euro")
DIRECTIONS = ("hoger_beter", "lager_beter", "neutraal")
FACTS = ("fact_leerling_jaar", "fact_inwoner_jaar", "fact_jeugdhulp_jaar")
# Fields a reader needs to understand a figure; every indicator must fill them all.
DESCRIPTIVE = ("naam", "vraag", "definitie", "teller", "noemer", "populatie", "bron",
               "kanttekeningen")
UNIT_FACTOR = {"percentage": 100.0, "per_1000": 1000.0, "euro": 1.0}


@dataclass(frozen=True)
class Indicator:
    id: str
    eenheid: str
    richting: str
    niveaus: tuple[str, ...]
    feit: str
    populatie_sql: str
    teller_sql: str
    noemer_sql: str
    personen: tuple[str, ...]
    interval: str
    meta: dict

    @property
    def factor(self) -> float:
        return UNIT_FACTOR[self.eenheid]


def _check(entry: dict, position: int) -> None:
    where = f"{CATALOGUE_FILE.name}, indicator {entry.get('id', '?')!r} (nr {position})"
    for key in ("id", *DESCRIPTIVE, "eenheid", "richting", "niveaus", "feit", "populatie_sql",
                "teller_sql", "noemer_sql", "personen", "interval"):
        if not str(entry.get(key, "")).strip():
            raise ValueError(f"{where}: veld '{key}' ontbreekt of is leeg.")
    for key, allowed in (("eenheid", UNITS), ("richting", DIRECTIONS), ("feit", FACTS),
                         ("interval", ("wilson", "gemiddelde"))):
        if entry[key] not in allowed:
            raise ValueError(f"{where}: {key} {entry[key]!r} is niet een van {allowed}.")
    if not set(entry["niveaus"]) <= set(LEVELS):
        raise ValueError(f"{where}: onbekend niveau in {entry['niveaus']}.")


@cache
def load_catalogue(path: Path = CATALOGUE_FILE) -> tuple[tuple[Indicator, ...], dict]:
    """(indicators, peer group settings) from catalogue.yaml; ValueError names the entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    indicators = []
    for position, entry in enumerate(data["indicators"], start=1):
        _check(entry, position)
        indicators.append(Indicator(
            id=entry["id"], eenheid=entry["eenheid"], richting=entry["richting"],
            niveaus=tuple(entry["niveaus"]), feit=entry["feit"],
            populatie_sql=entry["populatie_sql"], teller_sql=entry["teller_sql"],
            noemer_sql=entry["noemer_sql"], personen=tuple(entry["personen"]),
            interval=entry["interval"],
            meta={k: entry[k] for k in DESCRIPTIVE}))
    ids = [i.id for i in indicators]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{CATALOGUE_FILE.name}: dubbele indicator-id's.")
    return tuple(indicators), data["peer_groups"]
