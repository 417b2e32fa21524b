"""The pipeline run: load -> validate -> link -> indicators -> disclosure -> targets -> publish.

Prints progress per stage (rows, seconds), writes a manifest for every run (also failed ones,
in <work>/runs/) and publishes only when every stage succeeded.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import importlib
import json
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from indicators import compute
from indicators.coverage import hide_low_coverage
from indicators.targets import evaluate, load_targets
from pipelines.load import LoadedSource, load_all
from pipelines.publish import current_database, publish
from pipelines.settings import PROJECT_ROOT, Settings
from pipelines.sql_runner import ModelResult, run_models
from pipelines.validate import CheckResult, blocking_failures, summarise, validate
from privacy.disclosure import protect

EXPECTATIONS = Path(__file__).resolve().parent / "expectations.yaml"
STAGES = ("Inlezen", "Controleren", "Koppelen", "Indicatoren", "Onthullingsbeheer", "Doelen",
          "Publiceren")


class RunFailed(Exception):
    """A blocking problem: the run stops and publishes nothing."""


def _nl(number: float, decimals: int = 0) -> str:
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def code_version() -> str:
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty", "--tags"],
                              cwd=PROJECT_ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "onbekend"


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


class Run:
    """One pipeline run with its progress output and manifest."""

    def __init__(self, settings: Settings, landing: Path, echo=print) -> None:
        self.settings = settings
        self.landing = landing
        self.echo = echo
        now = dt.datetime.now(dt.UTC)
        self.run_id = now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
        self.manifest: dict = {"run_id": self.run_id, "started_at": now.isoformat(),
                               "code_version": code_version(), "landing": str(landing),
                               "status": "bezig", "inputs": [], "validation": {}}
        self.began = time.monotonic()
        self.stage_began = self.began
        self.sources: list[LoadedSource] = []
        self.checks: list[CheckResult] = []

    def stage(self, number: int) -> None:
        self.stage_began = time.monotonic()
        self.echo(f"[{number}/{len(STAGES)}] {STAGES[number - 1]}", flush=True)

    def done(self, text: str) -> None:
        self.echo(f"      {text} ({_nl(time.monotonic() - self.stage_began, 1)} s)", flush=True)

    def _on_source(self, source: LoadedSource) -> None:
        quarantined = f", {_nl(source.quarantined)} in quarantaine" if source.quarantined else ""
        self.echo(f"      {source.file:<22} {_nl(source.rows):>12} rijen{quarantined}",
                  flush=True)
        for warning in source.warnings:
            self.echo(f"      waarschuwing: {warning}", flush=True)

    def _on_model(self, result: ModelResult) -> None:
        self.echo(f"      {result.table:<42} {_nl(result.rows):>12} rijen "
                  f"({_nl(result.seconds, 1)} s)", flush=True)

    def execute(self) -> Path:
        # Great Expectations takes seconds to import: let that overlap with loading.
        threading.Thread(target=importlib.import_module, args=("great_expectations",),
                         daemon=True).start()
        settings, paths = self.settings, self.settings.path
        work = paths("work")
        with _exclusive(work):
            database = work / "work.duckdb"
            database.unlink(missing_ok=True)
            scratch = work / "tmp"
            scratch.mkdir(parents=True, exist_ok=True)
            pipeline = settings.section("pipeline")
            con = duckdb.connect(str(database), config={
                "threads": int(pipeline.get("threads", 2)),
                "memory_limit": str(pipeline.get("memory_limit", "4GB")),
                "temp_directory": str(scratch)})
            try:
                return self._stages(con, work, scratch, pipeline)
            finally:
                con.close()

    def _stages(self, con: duckdb.DuckDBPyConnection, work: Path, scratch: Path,
                pipeline: dict) -> Path:
        paths = self.settings.path
        self.stage(1)
        shutil.rmtree(paths("quarantine"), ignore_errors=True)
        self.sources = load_all(con, self.landing, paths("quarantine"), scratch,
                                self._on_source)
        self.manifest["inputs"] = [s.manifest() for s in self.sources]
        self.done(f"{len(self.sources)} bestanden ingelezen")

        self.stage(2)
        docs = work / "data_docs"
        shutil.rmtree(docs, ignore_errors=True)
        self.checks = validate(con, EXPECTATIONS, docs, float(pipeline.get("min_link_rate", 0.95)),
                               int(pipeline.get("validate_batch_rows", 2_000_000)))
        self.manifest["validation"] = {
            "controles": len(self.checks),
            "geslaagd": sum(c.success for c in self.checks),
            "waarschuwingen": sum(not c.success and c.severity == "waarschuwing"
                                  for c in self.checks),
            "blokkerend": len(blocking_failures(self.checks))}
        self.echo(summarise(self.checks), flush=True)
        self.done(f"Data Docs: {docs / 'index.html'}")
        if blocking_failures(self.checks):
            raise RunFailed("Blokkerende controles mislukt; er is niets gepubliceerd. "
                            f"Zie de Data Docs: {docs / 'index.html'}")

        self.stage(3)
        codes = self.settings.section("indicators").get("dyslexie_productcodes", [])
        con.execute("SET VARIABLE dyslexie_productcodes = ?::VARCHAR[]", [codes])
        run_models(con, self._on_model)
        known = con.sql("SELECT schooljaar, vsv_bekend, gegevens_tot_en_met "
                        "FROM intermediate.dim_schooljaar ORDER BY 1").fetchall()
        if not known:
            raise RunFailed("personen.csv bevat geen peildatum op 1 oktober: geen schooljaren.")
        self.manifest["gegevens_tot_en_met"] = str(known[-1][2])
        self.manifest["schooljaren"] = [row[0] for row in known]
        self.done(f"schooljaren {known[0][0]} t/m {known[-1][0]}, "
                  f"gegevens tot en met {known[-1][2]:%d-%m-%Y}")

        self.stage(4)
        counts = compute.run(con, self.settings.section("indicators"))
        self.done(", ".join(f"{name} {_nl(n)}" for name, n in counts.items()))

        self.stage(5)
        suppressed = protect(con, self.settings.section("disclosure"))
        suppressed["lage_dekking"] = hide_low_coverage(con, self.settings.section("indicators"))
        self.manifest["onderdrukt"] = suppressed
        self.done(f"{_nl(suppressed['indicator_values'])} indicatorcellen en "
                  f"{_nl(suppressed['breakdowns'])} uitsplitsingscellen niet zichtbaar, "
                  f"{_nl(suppressed['lage_dekking'])} cellen met te lage dekking")

        self.stage(6)
        targets = self._targets(con)
        self.done(f"{_nl(len(targets))} doelregels")

        self.stage(7)
        self._runs_tables(con)
        version = publish(con, "publish", paths("published"), self.run_id, work / "data_docs",
                          self.manifest, int(pipeline.get("keep_versions", 5)))
        self.done(f"gepubliceerd: {version}")
        return version

    def _targets(self, con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
        path = self.settings.path("doelen")
        if not path.is_file():
            path = self.landing / "doelen.yaml"
        values = con.sql("SELECT indicator_id, level, area_code, period, value, ci_low, "
                         "ci_high FROM publish.indicator_values").df()
        if path.is_file():
            targets = evaluate(load_targets(path), values)
            self.manifest["doelen"] = str(path)
        else:
            self.echo("      waarschuwing: geen doelen.yaml gevonden; geen doelen gepubliceerd.")
            targets = evaluate([], values)
        for name, frame in (("targets", targets), ("reference_values",
                                                   compute.reference_values(con))):
            con.register("frame", frame)
            con.execute(f"CREATE OR REPLACE TABLE publish.{name} AS SELECT * FROM frame")
            con.unregister("frame")
        return targets

    def _runs_tables(self, con: duckdb.DuckDBPyConnection) -> None:
        """`runs` keeps the history of published runs; `validation_results` this run's checks."""
        self.manifest["finished_at"] = dt.datetime.now(dt.UTC).isoformat()
        self.manifest["status"] = "gepubliceerd"
        row = pd.DataFrame([{
            "run_id": self.run_id, "started_at": self.manifest["started_at"],
            "finished_at": self.manifest["finished_at"],
            "code_version": self.manifest["code_version"], "status": "gepubliceerd",
            "inputs": json.dumps(self.manifest["inputs"], ensure_ascii=False),
            "validation": json.dumps(self.manifest["validation"], ensure_ascii=False),
            "gegevens_tot_en_met": self.manifest["gegevens_tot_en_met"]}])
        previous = current_database(self.settings.path("published"))
        if previous is not None:
            with duckdb.connect(str(previous), read_only=True) as old:
                history = old.sql("SELECT * FROM runs").df()
            row = pd.concat([history, row], ignore_index=True)
        checks = pd.DataFrame([{"run_id": self.run_id, "source": c.source,
                                "expectation": c.expectation, "column": c.column,
                                "severity": c.severity, "success": c.success,
                                "unexpected_count": c.unexpected_count, "details": c.details}
                               for c in self.checks])
        for name, frame in (("runs", row), ("validation_results", checks)):
            con.register("frame", frame)
            con.execute(f"CREATE OR REPLACE TABLE publish.{name} AS SELECT * FROM frame")
            con.unregister("frame")

    def write_manifest(self, status: str, error: str | None = None) -> Path:
        self.manifest["status"] = status
        self.manifest.setdefault("finished_at", dt.datetime.now(dt.UTC).isoformat())
        if error:
            self.manifest["fout"] = error
        folder = self.settings.path("work") / "runs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.run_id}.json"
        path.write_text(json.dumps(self.manifest, indent=2, ensure_ascii=False, default=str),
                        encoding="utf-8")
        return path

    def summary(self, status: str) -> str:
        elapsed = _nl(time.monotonic() - self.began, 1)
        lines = ["", "=" * 72, f"Pijplijnrun {self.run_id}: {status} in {elapsed} s"]
        if self.sources:
            rows = sum(s.rows for s in self.sources)
            quarantined = sum(s.quarantined for s in self.sources)
            lines.append(f"Bronnen: {len(self.sources)} bestanden, {_nl(rows)} rijen, "
                         f"{_nl(quarantined)} in quarantaine")
        if self.manifest.get("validation"):
            v = self.manifest["validation"]
            lines.append(f"Controles: {v['controles']} uitgevoerd, {v['geslaagd']} geslaagd, "
                         f"{v['waarschuwingen']} waarschuwingen, {v['blokkerend']} blokkerend")
        if "schooljaren" in self.manifest:
            lines.append(f"Schooljaren: {', '.join(self.manifest['schooljaren'])}; gegevens "
                         f"tot en met {self.manifest['gegevens_tot_en_met']}")
        if "onderdrukt" in self.manifest:
            lines.append(f"Niet zichtbaar (klein aantal of secundair): "
                         f"{_nl(self.manifest['onderdrukt']['indicator_values'])} cellen")
        lines.append("=" * 72)
        return "\n".join(lines)
