"""The indicator catalogue (catalogue.yaml): indicators as data, checked when loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from indicators.levels import LEVEL_COLUMNS, LEVELS

PACKAGE = Path(__file__).resolve().parent
CATALOGUE_FILE = PACKAGE / "catalogue.yaml"
# Every indicator with a gemeente level also has the region (all delivering gemeenten together,
# published only when there are several): the same definition, so it is never listed by hand.
REGION_OF = {"gemeente": "regio"}
UNITS = ("percentage", "per_1000", "euro")
DIRECTIONS = ("hoger_beter", "lager_beter", "neutraal")
# The fact tables an indicator may count: the models of the facts layer (their models.yaml).
FACT_MODELS = PACKAGE.parent / "pipelines" / "sql" / "facts" / "models.yaml"
# wilson: proportions; bootstrap: a mean of amounts (persons resampled); mediaan: the median
# of amounts with a distribution-free interval (the value is then the median, not teller/noemer).
INTERVALS = ("wilson", "bootstrap", "mediaan")
# The placement columns of indicator_values.sql an indicator may take from another fact column
# (the region follows the gemeente).
PLACEMENTS = tuple(column for column in LEVEL_COLUMNS.values() if column != "regiocode")
# Fields a reader needs to understand a figure; every indicator must fill them all.
DESCRIPTIVE = ("naam", "vraag", "definitie", "teller", "noemer", "populatie", "bron",
               "definitie_bron", "kanttekeningen")
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
    # Placement column -> fact column (e.g. swv -> swv_woonadres); empty = the fact's own.
    plaatsing: tuple[tuple[str, str], ...] = ()
    # True: youth-care or leerplicht data exist only for residents; school, bestuur and swv
    # rows carry the share of the area's pupils who are residents (coverage).
    dekking: bool = False
    groep: str = field(default="")
    # The Overzicht block (catalogue.yaml `blokken`): its Dutch heading and place in the order.
    blok: str = ""
    blok_volgorde: int = 0

    @property
    def factor(self) -> float:
        return UNIT_FACTOR[self.eenheid]

    @property
    def schools_add_up_to_swv(self) -> bool:
        """Is the swv the sum of its schools (parts) here: both levels, placed alike? Not when
        the swv is the home address's (swv_woonadres) and the school where one is enrolled."""
        placement = dict(self.plaatsing)

        def suffix(column: str) -> str:
            return placement.get(column, column).removeprefix(column)

        return ({"school", "swv"} <= set(self.niveaus)
                and suffix("vestigingscode") == suffix("swv"))


@cache
def fact_tables() -> tuple[str, ...]:
    """The names of the fact models, as declared in the facts layer's models.yaml."""
    declared = yaml.safe_load(FACT_MODELS.read_text(encoding="utf-8"))["models"]
    return tuple(sorted(model["name"] for model in declared))


@cache
def catalogue_blocks(path: Path = CATALOGUE_FILE) -> dict[str, tuple[int, str]]:
    """The Overzicht blocks of catalogue.yaml (`blokken`): id -> (place, Dutch heading)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {b["id"]: (n, b["naam"]) for n, b in enumerate(data["blokken"], start=1)}


def _check(entry: dict, position: int,
           blocks: dict[str, tuple[int, str]] | None = None) -> None:
    where = f"{CATALOGUE_FILE.name}, indicator {entry.get('id', '?')!r} (nr {position})"
    blocks = catalogue_blocks() if blocks is None else blocks
    for key in ("id", *DESCRIPTIVE, "eenheid", "richting", "niveaus", "feit", "populatie_sql",
                "teller_sql", "noemer_sql", "personen", "interval", "blok"):
        if not str(entry.get(key, "")).strip():
            raise ValueError(f"{where}: veld '{key}' ontbreekt of is leeg.")
    for key, allowed in (("eenheid", UNITS), ("richting", DIRECTIONS), ("feit", fact_tables()),
                         ("interval", INTERVALS)):
        if entry[key] not in allowed:
            raise ValueError(f"{where}: {key} {entry[key]!r} is niet een van {allowed}.")
    if entry["blok"] not in blocks:
        raise ValueError(f"{where}: blok {entry['blok']!r} is niet een van {tuple(blocks)}.")
    if not set(entry["niveaus"]) <= set(LEVELS):
        raise ValueError(f"{where}: onbekend niveau in {entry['niveaus']}.")
    if not set(entry.get("plaatsing", {})) <= set(PLACEMENTS):
        raise ValueError(f"{where}: plaatsing kent alleen {PLACEMENTS}.")


def _with_region(levels: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*levels, *(REGION_OF[lv] for lv in levels if lv in REGION_OF)]))


def _expanded(entry: dict) -> list[dict]:
    """An entry with `varianten` becomes one indicator per variant: `<id>_<variant id>`, its
    own naam, and the variant's SQL conditions added to the population and/or the numerator."""
    variants = entry.get("varianten")
    if not variants:
        return [entry]
    base = {k: v for k, v in entry.items() if k != "varianten"}
    result = []
    for variant in variants:
        item = {**base, "id": f"{base['id']}_{variant['id']}",
                "naam": f"{base['naam']}: {variant['naam']}", "groep": base["id"]}
        if "populatie_sql" in variant:
            item["populatie_sql"] = f"({base['populatie_sql']}) AND ({variant['populatie_sql']})"
        if "teller_sql" in variant:
            item["teller_sql"] = f"({base['teller_sql']}) AND ({variant['teller_sql']})"
        for key in ("definitie", "teller", "noemer", "populatie"):
            if key in variant:
                item[key] = variant[key]
        result.append(item)
    return result


@cache
def load_catalogue(path: Path = CATALOGUE_FILE) -> tuple[tuple[Indicator, ...], dict]:
    """(indicators, peer group settings) from catalogue.yaml; ValueError names the entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    indicators = []
    entries = [item for entry in data["indicators"] for item in _expanded(entry)]
    blocks = catalogue_blocks(path)
    for position, entry in enumerate(entries, start=1):
        _check(entry, position, blocks)
        indicators.append(Indicator(
            id=entry["id"], eenheid=entry["eenheid"], richting=entry["richting"],
            niveaus=_with_region(entry["niveaus"]), feit=entry["feit"],
            populatie_sql=entry["populatie_sql"], teller_sql=entry["teller_sql"],
            noemer_sql=entry["noemer_sql"], personen=tuple(entry["personen"]),
            interval=entry["interval"],
            meta={k: entry[k] for k in DESCRIPTIVE},
            plaatsing=tuple(sorted(entry.get("plaatsing", {}).items())),
            dekking=bool(entry.get("dekking", False)), groep=entry.get("groep", entry["id"]),
            blok=blocks[entry["blok"]][1], blok_volgorde=blocks[entry["blok"]][0]))
    ids = [i.id for i in indicators]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{CATALOGUE_FILE.name}: dubbele indicator-id's.")
    return tuple(indicators), data["peer_groups"]
