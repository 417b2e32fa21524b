"""Publish atomically: a new versioned DuckDB file (+ Parquet), checked, then one symlink swap.

Layout under the published folder:
    versions/<run_id>/monitor.duckdb, <table>.parquet, data_docs/, manifest.json
    current -> versions/<run_id>       (swapped with os.replace: readers never see half a file)
    monitor.duckdb -> current/monitor.duckdb
A failed run never reaches the swap, so the previous version keeps serving.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd

FORBIDDEN_COLUMNS = ("pseudoniem", "bsn")
PSEUDONYM = re.compile(r"\b[0-9a-f]{64}\b")


class PublishError(Exception):
    """The new version failed a privacy or sanity check; nothing was published."""


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
        "ORDER BY table_name", [schema]).fetchall()]


def store_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame,
                schema: str = "publish") -> None:
    """`frame` as table <schema>.<name> (replaced when it exists)."""
    con.register("frame_to_store", frame)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {schema}.{name} AS SELECT * FROM frame_to_store")
    finally:
        con.unregister("frame_to_store")


def check_published(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    """Problems in a (to be) published database: pseudonym/BSN columns or values, inf/NaN."""
    problems = []
    columns = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_schema = 'main'", [catalog]).fetchall()
    for table, column, data_type in columns:
        name = f"{table}.{column}"
        if any(word in column.lower() for word in FORBIDDEN_COLUMNS):
            problems.append(f"{name}: kolomnaam duidt op persoonsgegevens")
        elif data_type == "VARCHAR":
            hits = con.sql(f"""SELECT count(*) FROM {catalog}.{table}
                WHERE regexp_full_match("{column}", '[0-9a-f]{{64}}|[0-9]{{9}}')
            """).fetchall()[0][0]
            if hits:
                problems.append(f"{name}: {hits} waarde(n) die op een pseudoniem of BSN lijken")
        elif data_type == "DOUBLE":
            bad = con.sql(f"""SELECT count(*) FROM {catalog}.{table}
                WHERE isinf("{column}") OR isnan("{column}")""").fetchall()[0][0]
            if bad:
                problems.append(f"{name}: {bad} oneindige of ongeldige getallen")
    return problems


def publish(con: duckdb.DuckDBPyConnection, schema: str, published: Path, run_id: str,
            data_docs: Path | None, manifest: dict, keep_versions: int) -> Path:
    """Copy every table of `schema` into a new version and make it current."""
    versions = published / "versions"
    staging = versions / f".{run_id}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    target = staging / "monitor.duckdb"
    con.execute(f"ATTACH '{target.as_posix()}' AS new_version")
    try:
        for table in _tables(con, schema):
            con.execute(f"CREATE TABLE new_version.{table} AS SELECT * FROM {schema}.{table}")
            con.execute(f"COPY {schema}.{table} TO '{(staging / table).as_posix()}.parquet' "
                        "(FORMAT parquet, COMPRESSION zstd)")
        problems = check_published(con, "new_version")
    finally:
        con.execute("DETACH new_version")
    if problems:
        shutil.rmtree(staging)
        raise PublishError("Publicatie geweigerd:\n  " + "\n  ".join(problems))
    if data_docs is not None and data_docs.is_dir():
        leaking = [p.name for p in data_docs.rglob("*.html")
                   if PSEUDONYM.search(p.read_text(encoding="utf-8", errors="replace"))]
        if leaking:
            shutil.rmtree(staging)
            raise PublishError("Publicatie geweigerd: de Data Docs bevatten iets dat op een "
                               f"pseudoniem lijkt ({', '.join(sorted(leaking)[:3])}).")
        shutil.copytree(data_docs, staging / "data_docs")
    (staging / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    final = versions / run_id
    os.replace(staging, final)
    _swap(published, final)
    _prune(versions, keep_versions, final)
    return final / "monitor.duckdb"


def _swap(published: Path, version: Path) -> None:
    link = published / f".current.{version.name}.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(version.relative_to(published), target_is_directory=True)
    os.replace(link, published / "current")
    fixed = published / "monitor.duckdb"
    if not fixed.is_symlink():
        fixed.unlink(missing_ok=True)
        fixed.symlink_to(Path("current") / "monitor.duckdb")


def _prune(versions: Path, keep: int, current: Path) -> None:
    done = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.name)
    for old in done[:-keep] if keep > 0 else []:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)


def current_database(published: Path) -> Path | None:
    """The published database readers should open, or None before the first publication."""
    path = published / "current" / "monitor.duckdb"
    return path if path.is_file() else None
