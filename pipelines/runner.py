"""The pipeline run: load -> validate -> link -> indicators -> disclosure -> targets -> publish.

Orchestration only: the terminal output is in console.py, the manifest and run history in
manifest.py, storing and publishing tables in publish.py. Nothing is published unless every
stage succeeded.
"""

from __future__ import annotations

import fcntl
import importlib
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from indicators import compute
from indicators.coverage import hide_low_coverage
from indicators.marks import period_marks
from indicators.targets import evaluate, load_targets
from pipelines.console import Console, nl, summary
from pipelines.contracts import check_indicator_sql, check_schema
from pipelines.landing import fed_by, survey
from pipelines.load import LoadedSource, load_all, load_specs
from pipelines.manifest import history_tables, new_manifest, validation_counts, write_manifest
from pipelines.publish import drop_indicators, publish, recover, store_frame
from pipelines.sql_runner import install_macros, person_year_facts, run_models
from pipelines.validate import CheckResult, blocking_failures, summarise, validate
from privacy.disclosure import protect
from privacy.disclosure_releases import commit as commit_release
from settings import Settings

# Private folder (under [paths] work) with the last published release's cells, for the next
# run's disclosure control (privacy/disclosure_releases.py).
RELEASES = "onthulling"

EXPECTATIONS = Path(__file__).resolve().parent / "expectations.yaml"


class RunFailed(Exception):
    """A blocking problem: the run stops and publishes nothing."""


@contextmanager
def _exclusive(work: Path) -> Iterator[None]:
    work.mkdir(parents=True, exist_ok=True)
    with (work / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise RunFailed("Er draait al een pijplijn op deze werkmap; wacht tot die klaar is.") \
                from error
        yield


def open_work_database(settings: Settings, database: Path) -> duckdb.DuckDBPyConnection:
    """`database` with the run's DuckDB settings, the macros and the variables the models read."""
    pipeline = settings.pipeline
    con = duckdb.connect(str(database), config={
        "threads": pipeline.threads, "memory_limit": pipeline.memory_limit,
        "temp_directory": str(settings.paths.temp)})
    install_macros(con)
    con.execute("SET VARIABLE dyslexie_productcodes = ?::VARCHAR[]",
                [list(settings.indicators.dyslexie_productcodes)])
    return con


class Run:
    """One pipeline run: its settings, landing folder, progress output and manifest."""

    def __init__(self, settings: Settings, landing: Path,
                 echo: Callable[..., None] = print) -> None:
        self.settings = settings
        self.landing = landing
        self.console = Console(echo)
        self.manifest = new_manifest(landing)
        self.run_id: str = self.manifest["run_id"]
        self.began = time.monotonic()
        self.sources: list[LoadedSource] = []
        self.checks: list[CheckResult] = []

    def execute(self) -> Path:
        """Every stage in a fresh work database; returns the published database."""
        # Great Expectations takes seconds to import: let that overlap with loading.
        threading.Thread(target=importlib.import_module, args=("great_expectations",),
                         daemon=True).start()
        work = self.settings.paths.work
        with _exclusive(work):
            for leftover in recover(self.settings.paths.published):
                self.console.warning(f"{leftover} van een afgebroken run opgeruimd.")
            database = work / "work.duckdb"
            database.unlink(missing_ok=True)
            scratch = self.settings.paths.temp
            scratch.mkdir(parents=True, exist_ok=True)
            con = open_work_database(self.settings, database)
            try:
                self._load(con, scratch)
                self._validate(con)
                self._link(con)
                self._indicators(con)
                self._targets(con)
                return self._publish(con)
            finally:
                con.close()

    def _load(self, con: duckdb.DuckDBPyConnection, scratch: Path) -> None:
        self.console.stage(1)
        quarantine = self.settings.paths.quarantine
        shutil.rmtree(quarantine, ignore_errors=True)
        pipeline = self.settings.pipeline
        delivery = survey(self.landing, load_specs(), pipeline.allow_missing_sources)
        for warning in delivery.warnings:
            self.console.warning(warning)
        self.manifest["waarschuwingen"] = delivery.warnings
        # A source that may be missing (mag_ontbreken) leaves no indicator out.
        self.manifest["niet_berekend"] = {k: v for k, v in delivery.missing.items() if v}
        self.sources = load_all(con, delivery, quarantine, scratch, pipeline.max_field_chars,
                                self.console.source)
        self.manifest["inputs"] = [s.manifest() for s in self.sources]
        self.console.done(f"{len(self.sources)} bestanden ingelezen")

    def _validate(self, con: duckdb.DuckDBPyConnection) -> None:
        self.console.stage(2)
        docs = self.settings.paths.work / "data_docs"
        shutil.rmtree(docs, ignore_errors=True)
        pipeline = self.settings.pipeline
        self.checks = validate(con, EXPECTATIONS, docs, pipeline.min_link_rate,
                               pipeline.validate_batch_rows)
        self.manifest["validation"] = validation_counts(self.checks)
        self.console.line(summarise(self.checks))
        self.console.done(f"Data Docs: {docs / 'index.html'}")
        if blocking_failures(self.checks):
            raise RunFailed("Blokkerende controles mislukt; er is niets gepubliceerd. "
                            f"Zie de Data Docs: {docs / 'index.html'}")

    def _link(self, con: duckdb.DuckDBPyConnection) -> None:
        self.console.stage(3)
        run_models(con, self.console.model)
        known = con.execute("SELECT schooljaar, vsv_bekend, gegevens_tot_en_met "
                            "FROM intermediate.dim_schooljaar ORDER BY 1").fetchall()
        if not known:
            raise RunFailed("personen.csv bevat geen peildatum op 1 oktober: geen schooljaren.")
        self.manifest["gegevens_tot_en_met"] = str(known[-1][2])
        self.manifest["schooljaren"] = [row[0] for row in known]
        self.console.done(f"schooljaren {known[0][0]} t/m {known[-1][0]}, "
                          f"gegevens tot en met {known[-1][2]:%d-%m-%Y}")

    def _indicators(self, con: duckdb.DuckDBPyConnection) -> None:
        self.console.stage(4)
        check_indicator_sql()
        counts = compute.run(con, self.settings.indicators, person_year_facts())
        check_schema(con, "mart")
        self.console.done(", ".join(f"{name} {nl(n)}" for name, n in counts.items()))
        self.console.stage(5)
        suppressed = protect(con, self.settings.disclosure,
                             workers=self.settings.pipeline.threads,
                             progress=self.console.share_done,
                             min_coverage=self.settings.indicators.min_dekking,
                             releases=self.settings.paths.work / RELEASES)
        suppressed["lage_dekking"] = hide_low_coverage(con, self.settings.indicators)
        check_schema(con, "publish", complete=False)
        self.manifest["onderdrukt"] = suppressed
        self.console.done(f"{nl(suppressed['indicator_values'])} indicatorcellen en "
                          f"{nl(suppressed['breakdowns'])} uitsplitsingscellen niet zichtbaar, "
                          f"{nl(suppressed['lage_dekking'])} cellen met te lage dekking")

    def _targets(self, con: duckdb.DuckDBPyConnection) -> None:
        self.console.stage(6)
        path = self.settings.paths.doelen
        if not path.is_file():
            path = self.landing / "doelen.yaml"
        values = con.execute("SELECT indicator_id, level, area_code, period, value, ci_low, "
                             "ci_high FROM publish.indicator_values").df()
        if path.is_file():
            targets = evaluate(load_targets(path), values)
            self.manifest["doelen"] = str(path)
        else:
            self.console.warning("geen doelen.yaml gevonden; geen doelen gepubliceerd.")
            targets = evaluate([], values)
        store_frame(con, "targets", targets)
        store_frame(con, "reference_values", compute.reference_values(con))
        marks = period_marks(con, fed_by(load_specs()["jeugdhulp"]))
        store_frame(con, "period_marks", marks)
        for period in sorted(set(marks.loc[marks["mark"] == "onvolledig", "period"])):
            self.console.warning(f"jeugdhulp.csv bevat geen trajecten die bij de start van "
                                 f"{period} al langer dan een jaar liepen: de jeugdhulpcijfers "
                                 f"van {period} zijn als onvolledig gemarkeerd.")
        self.console.done(f"{nl(len(targets))} doelregels")

    def _publish(self, con: duckdb.DuckDBPyConnection) -> Path:
        self.console.stage(7)
        paths = self.settings.paths
        missing = [i for ids in self.manifest["niet_berekend"].values() for i in ids]
        if missing:
            drop_indicators(con, "publish", missing)
            self.console.warning(f"niet gepubliceerd (bron ontbreekt): {', '.join(missing)}")
        for name, frame in history_tables(self.manifest, self.checks, paths.published).items():
            store_frame(con, name, frame)
        check_schema(con, "publish")
        version = publish(con, "publish", paths.published, self.run_id, paths.work / "data_docs",
                          self.manifest, self.settings.pipeline.keep_versions)
        commit_release(paths.work / RELEASES)  # the next run is protected beside this one
        self.console.done(f"gepubliceerd: {version}")
        return version

    def write_manifest(self, status: str, error: str | None = None) -> Path:
        return write_manifest(self.settings.paths.work, self.manifest, status, error)

    def summary(self, status: str) -> str:
        return summary(self.manifest, self.sources, status, time.monotonic() - self.began)
