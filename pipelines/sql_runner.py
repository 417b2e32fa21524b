"""Run a layer of SQL models (one SELECT per file) into tables named after the files."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent / "sql"
LAYERS = ("staging", "intermediate", "facts")


@dataclass(frozen=True)
class ModelResult:
    table: str
    rows: int
    seconds: float


def run_layer(con: duckdb.DuckDBPyConnection, folder: Path, schema: str,
              report: Callable[[ModelResult], None] = lambda result: None) -> list[ModelResult]:
    """`CREATE OR REPLACE TABLE schema.<file stem> AS <file>` for every .sql file, in name order."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    results = []
    for path in sorted(folder.glob("*.sql")):
        began = time.monotonic()
        table = f"{schema}.{path.stem}"
        con.execute(f"CREATE OR REPLACE TABLE {table} AS\n{path.read_text(encoding='utf-8')}")
        rows = con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        results.append(ModelResult(table, rows, time.monotonic() - began))
        report(results[-1])
    return results


def run_models(con: duckdb.DuckDBPyConnection,
               report: Callable[[ModelResult], None] = lambda result: None) -> list[ModelResult]:
    """staging -> intermediate -> facts."""
    return [r for layer in LAYERS for r in run_layer(con, SQL_DIR / layer, layer, report)]
