"""A tiny hand-built delivery in DuckDB, run through the real SQL models and indicator pass.

Tests describe a handful of persons, enrolments, care records and reports, work out the
answer by hand and compare it with what the pipeline's own SQL computes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import duckdb

from indicators import compute
from pipelines.load import load_specs
from pipelines.sql_runner import install_macros, person_year_facts, run_models
from privacy.minimise import age_on
from settings import load_settings

SQL_TYPES = {"text": "VARCHAR", "date": "DATE", "integer": "INTEGER", "decimal": "DOUBLE"}
GEMEENTE = "GM0034"


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def pseudonym(name: str) -> str:
    """A 64-hex pseudonym per readable name ('a1' -> 'a1a1...')."""
    return (name.encode().hex() * 64)[:64]


class Delivery:
    """Rows per landing source; `run()` returns a connection with staging … mart filled."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.wijken: set[str] = set()

    def person(self, name: str, born: str, homes: dict[str, str]) -> None:
        """`homes`: peildatum (JJJJ-MM-DD, a 1 oktober) -> wijkcode (its gemeente follows)."""
        for peildatum, wijk in homes.items():
            self.rows["personen"].append({
                "pseudoniem": pseudonym(name), "geslacht": "V",
                # as the partner delivers it (privacy/minimise.py): the age on the peildatum
                "leeftijd": age_on(day(born), day(peildatum)), "gemeentecode": "GM" + wijk[2:6],
                "wijkcode": wijk, "peildatum": day(peildatum)})
            self.wijken.add(wijk)

    def school(self, code: str, soort: str, swv: str, bestuur: str = "41234",
               gemeente: str = GEMEENTE, swv_vo: str | None = None) -> None:
        """`swv_vo`: the VO-swv of a school teaching both sectors (SO/VSO) beside `swv`."""
        row = {"vestigingscode": code, "brin": code[:4], "naam": f"School {code}",
               "onderwijssoort": soort, "bevoegd_gezag": bestuur,
               "bevoegd_gezag_naam": f"Bestuur {bestuur}", "gemeentecode": gemeente,
               "postcode": "1311AB", "swv": swv}
        if swv_vo:
            row |= {"swv_po": swv, "swv_vo": swv_vo}
        self.rows["scholen"].append(row)

    def count(self, school: str, peildatum: str, aantal: int, soort: str | None = None) -> None:
        """DUO's public count of all the school's pupils on a 1 oktober."""
        self.rows["leerlingtellingen"].append({
            "vestigingscode": school, "peildatum": day(peildatum), "aantal": aantal,
            "onderwijssoort": soort})

    def enrol(self, name: str, school: str, soort: str, start: str, end: str | None = None,
              leerjaar: int = 1) -> None:
        self.rows["inschrijvingen"].append({
            "pseudoniem": pseudonym(name), "vestigingscode": school, "onderwijssoort": soort,
            "leerjaar": leerjaar, "datum_inschrijving": day(start),
            "datum_uitschrijving": day(end) if end else None})

    def care(self, name: str, start: str, end: str | None = None, *, hulpvorm: str = "02",
             categorie: str = "45", code: str = "45A03", verwijzer: str = "01",
             reden: str | None = None, kosten: float = 1000.0) -> None:
        self.rows["jeugdhulp"].append({
            "pseudoniem": pseudonym(name), "aanbieder": "12345678", "hulpvorm": hulpvorm,
            "productcategorie": categorie, "productcode": code, "verwijzer": verwijzer,
            "datum_aanvang": day(start), "datum_einde": day(end) if end else None,
            "reden_beeindiging": reden, "kosten": kosten})

    def report(self, name: str, soort: str, start: str, end: str | None = None,
               school: str | None = None, thuiszitter: str = "N") -> None:
        self.rows["verzuim"].append({
            "pseudoniem": pseudonym(name), "vestigingscode": school, "soort": soort,
            "datum_melding": day(start), "thuiszitter": thuiszitter,
            "datum_einde": day(end) if end else None})

    def diploma(self, name: str, diploma: str, date: str, school: str) -> None:
        self.rows["diplomas"].append({"pseudoniem": pseudonym(name), "vestigingscode": school,
                                      "diploma": diploma, "datum": day(date)})

    def _create(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute("CREATE SCHEMA landing")
        install_macros(con)
        for name, spec in SPECS.items():
            types = {**spec["columns"], **spec.get("optional", {})}
            columns = ", ".join(f"{c} {SQL_TYPES[t]}" for c, t in types.items())
            con.execute(f"CREATE TABLE landing.{name} (row_nr INTEGER, {columns}, "
                        f"bestand VARCHAR DEFAULT '{name}.csv')")
            # One statement per table and set of columns (not per row): the fast loop builds
            # a delivery in every definition test.
            batches: dict[tuple[str, ...], list[list]] = defaultdict(list)
            for number, row in enumerate(self.rows[name], start=2):
                batches[("row_nr", *row)].append([number, *row.values()])
            for names, values in batches.items():
                con.executemany(f"INSERT INTO landing.{name} ({', '.join(names)}) VALUES "
                                f"({', '.join('?' * len(names))})", values)
        con.execute("CREATE TABLE landing.wijken "
                    "(statcode VARCHAR, statnaam VARCHAR, geometry_json VARCHAR)")
        for wijk in sorted(self.wijken):
            con.execute("INSERT INTO landing.wijken VALUES (?, ?, '{}')", [wijk, f"Wijk {wijk}"])

    def built(self) -> duckdb.DuckDBPyConnection:
        """Landing tables and every SQL model; cell() computes the indicator it is asked for
        (one indicator's passes instead of the whole catalogue's: the fast loop stays fast)."""
        con = duckdb.connect()
        self._create(con)
        con.execute("SET VARIABLE dyslexie_productcodes = ?::VARCHAR[]",
                    [list(SETTINGS.dyslexie_productcodes)])
        run_models(con)
        con.execute("CREATE TEMP TABLE computed (indicator_id VARCHAR)")
        return con

    def run(self, only: tuple[str, ...] | None = None) -> duckdb.DuckDBPyConnection:
        """built() with schema mart filled for the whole catalogue, or `only` these
        indicators (the areas, schools and breakdowns are there either way)."""
        con = self.built()
        compute.run(con, SETTINGS, person_year_facts(), only=only)
        con.executemany("INSERT INTO computed VALUES (?)", [[i] for i in only or ("*",)])
        return con


SETTINGS = load_settings().indicators
SPECS = load_specs()  # the landing contract, read once per test process


def cell(con: duckdb.DuckDBPyConnection, indicator: str, level: str, area: str,
         period: str) -> dict | None:
    """The mart row of one indicator cell, or None when it has no row."""
    # run() computed every kind; cell() only the kind it is asked for (the multi-year figure
    # is labelled 'first t/m last').
    multi_year = " t/m " in period
    wanted = f"{indicator}|{multi_year}"
    done = {row[0] for row in con.execute("SELECT indicator_id FROM computed").fetchall()}
    if not done & {"*", indicator, wanted}:
        compute.values_only(con, SETTINGS, person_year_facts(), {indicator}, multi_year)
        con.execute("DELETE FROM computed; INSERT INTO computed VALUES (?)", [wanted])
    frame = con.execute("""SELECT * FROM mart.indicator_values WHERE indicator_id = ?
        AND level = ? AND area_code = ? AND period = ?""",
                        [indicator, level, area, period]).df()
    return None if frame.empty else frame.iloc[0].to_dict()
