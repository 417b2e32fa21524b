"""The record of a run: manifest.json (also for failed runs) and the `runs` history table."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import uuid
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.publish import current_database
from pipelines.validate import CheckResult, blocking_failures
from settings import PROJECT_ROOT


def code_version() -> str:
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty", "--tags"],
                              cwd=PROJECT_ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "onbekend"


def new_manifest(landing: Path) -> dict:
    """A manifest for a run that starts now, with a unique, sortable run id."""
    now = dt.datetime.now(dt.UTC)
    run_id = now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    return {"run_id": run_id, "started_at": now.isoformat(), "code_version": code_version(),
            "landing": str(landing), "status": "bezig", "inputs": [], "validation": {}}


def validation_counts(checks: list[CheckResult]) -> dict[str, int]:
    return {"controles": len(checks), "geslaagd": sum(c.success for c in checks),
            "waarschuwingen": sum(not c.success and c.severity == "waarschuwing"
                                  for c in checks),
            "blokkerend": len(blocking_failures(checks))}


def write_manifest(work: Path, manifest: dict, status: str, error: str | None = None) -> Path:
    """<work>/runs/<run_id>.json; written for every run, published or failed."""
    manifest["status"] = status
    manifest.setdefault("finished_at", dt.datetime.now(dt.UTC).isoformat())
    if error:
        manifest["fout"] = error
    folder = work / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{manifest['run_id']}.json"
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str),
                    encoding="utf-8")
    return path


def history_tables(manifest: dict, checks: list[CheckResult],
                   published: Path) -> dict[str, pd.DataFrame]:
    """`runs` (every published run so far plus this one) and this run's `validation_results`."""
    manifest["finished_at"] = dt.datetime.now(dt.UTC).isoformat()
    manifest["status"] = "gepubliceerd"
    runs = pd.DataFrame([{
        "run_id": manifest["run_id"], "started_at": manifest["started_at"],
        "finished_at": manifest["finished_at"], "code_version": manifest["code_version"],
        "status": "gepubliceerd",
        "inputs": json.dumps(manifest["inputs"], ensure_ascii=False),
        "validation": json.dumps(manifest["validation"], ensure_ascii=False),
        "gegevens_tot_en_met": manifest["gegevens_tot_en_met"]}])
    previous = current_database(published)
    if previous is not None:
        with duckdb.connect(str(previous), read_only=True) as old:
            # old.table(), not SELECT ... FROM runs: without a runs table there, DuckDB's
            # replacement scan would read the local DataFrame `runs` and count this run twice.
            if "runs" in {name for (name,) in old.execute("SHOW TABLES").fetchall()}:
                runs = pd.concat([old.table("runs").df(), runs], ignore_index=True)
    results = pd.DataFrame([{"run_id": manifest["run_id"], "source": c.source,
                             "expectation": c.expectation, "column": c.column,
                             "severity": c.severity, "success": c.success,
                             "unexpected_count": c.unexpected_count, "details": c.details}
                            for c in checks])
    return {"runs": runs, "validation_results": results}
