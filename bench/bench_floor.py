"""The pipeline floor: DuckDB alone reading every landing file into typed tables.

The same files the pipeline reads, the same column types (pipelines/sources.yaml), the same
DuckDB settings (threads, memory_limit, temp_directory from monitor.toml), into a database
file as the pipeline's work database is. Each file is one bare `read_csv` with the delimiter,
date format and decimal separator that file uses — no quarantine, no row numbers, no checks.
DuckDB reads only UTF-8: windows-1252 files are transcoded before the clock starts (the
pipeline pays for that itself, so the floor stays the floor).
"""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path

import duckdb

from pipelines.landing import source_files
from pipelines.load import load_specs
from privacy.delivery import CHUNK, read_dialect
from settings import Settings

DUCKDB_TYPES = {"text": "VARCHAR", "date": "DATE", "integer": "BIGINT", "decimal": "DOUBLE"}
DATE_FORMATS = ((re.compile(r"^\d{8}$"), "%Y%m%d"), (re.compile(r"^\d{4}-\d\d-\d\d$"), "%Y-%m-%d"),
                (re.compile(r"^\d\d-\d\d-\d{4}$"), "%d-%m-%Y"))
SNIFF_ROWS = 1000


def _first_values(path: Path, encoding: str, delimiter: str, columns: list[str]) -> dict:
    """The first non-empty value of each of `columns` within the first SNIFF_ROWS rows."""
    found: dict[str, str] = {}
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        reader.fieldnames = [name.strip().strip("\ufeff").lower() for name in reader.fieldnames]
        for i, row in enumerate(reader):
            for column in columns:
                if column not in found and (row.get(column) or "").strip():
                    found[column] = row[column].strip()
            if len(found) == len(columns) or i >= SNIFF_ROWS:
                break
    return found


def _read_options(path: Path, spec: dict) -> tuple[Path, dict]:
    """A UTF-8 path and the read_csv options (delimiter, types, date format, decimal)."""
    dialect = read_dialect(path)
    kinds = {**spec["columns"], **spec.get("optional", {})}
    header = [name.lower() for name in dialect.header]
    types = {column: DUCKDB_TYPES[kind] for column, kind in kinds.items() if column in header}
    samples = _first_values(path, dialect.encoding, dialect.delimiter,
                            [c for c in types if kinds[c] in ("date", "decimal")])
    options = {"delim": dialect.delimiter, "header": True, "types": types}
    dates = [samples[c] for c in types if kinds[c] == "date" and c in samples]
    if dates:
        options["dateformat"] = next(fmt for pattern, fmt in DATE_FORMATS
                                     if pattern.match(dates[0]))
    if any("," in samples[c] for c in types if kinds[c] == "decimal" and c in samples):
        options["decimal_separator"] = ","
    return path, options


def _utf8_copy(path: Path, scratch: Path) -> Path:
    if read_dialect(path).encoding != "cp1252":
        return path
    target = scratch / f"vloer-{path.name}"
    with path.open(encoding="cp1252", newline="") as src, \
            target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    return target


def measure_floor(landing: Path, settings: Settings, database: Path) -> dict:
    """Seconds DuckDB needs to read every landing CSV into typed tables, and the rows read."""
    scratch = database.parent / "vloer-tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    reads = []
    for name, spec in load_specs().items():
        files, corrections = source_files(landing, spec)
        for path in [*files, *(c.path for c in corrections)]:
            readable, options = _read_options(_utf8_copy(path, scratch), spec)
            reads.append((f"{name}_{len(reads)}", readable, options))
    database.unlink(missing_ok=True)
    pipeline = settings.pipeline
    con = duckdb.connect(str(database), config={
        "threads": pipeline.threads, "memory_limit": pipeline.memory_limit,
        "temp_directory": str(settings.paths.temp)})
    try:
        began = time.monotonic()
        for table, path, options in reads:
            settings_sql = ", ".join(f"{key} := ${key}" for key in options)
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv($path, {settings_sql})",
                        {"path": str(path), **options})
        seconds = time.monotonic() - began
        rows = sum(con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                   for table, _, _ in reads)
    finally:
        con.close()
        database.unlink(missing_ok=True)
    return {"seconden": round(seconds, 3), "rijen": rows, "bestanden": len(reads),
            "rijen_per_s": round(rows / seconds)}
