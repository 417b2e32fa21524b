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

from pipelines.sql_runner import install_macros
from privacy.bsn import is_valid_bsn

FORBIDDEN_COLUMNS = ("pseudoniem", "bsn")
PSEUDONYM = re.compile(r"[0-9a-f]{64}")   # applied to lower-cased text
# A run of exactly nine digits, not the decimals of a number (5.123456789 is a coordinate).
# Great Expectations names page elements with random UUIDs and shows a batch's MD5 data
# fingerprint (32 hex): their digits are no BSN. A hex word of 16 or more with a letter is such
# an identifier; a BSN on its own, or beside other words, is still found.
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HEX_ID = re.compile(r"(?<![0-9a-z])(?=[0-9a-f]*[a-f])[0-9a-f]{16,}(?![0-9a-z])")
NINE_DIGITS = re.compile(r"(?<![0-9.,])[0-9]{9}(?![0-9])")


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


def _leaks_in_column(con: duckdb.DuckDBPyConnection, relation: str, column: str,
                     allowed: list[str]) -> tuple[int, int]:
    """Cells holding a 64-hex run (any case) that is not an allowed file checksum, and cells
    holding a run of nine digits (not decimals) that passes the elfproef (SQL macro is_bsn,
    the rule of privacy/bsn.py)."""
    return con.execute(f"""
        WITH cells AS (SELECT lower("{column}") AS s FROM {relation} WHERE "{column}" IS NOT NULL),
        split AS (SELECT list_filter(regexp_extract_all(s, '[0-9a-f]{{64}}'),
                                     lambda x: NOT list_contains(?::VARCHAR[], x)) AS hex,
                         regexp_replace(s, '[0-9a-f]{{64}}', ' ', 'g') AS rest FROM cells)
        SELECT count(*) FILTER (WHERE len(hex) > 0),
               count(*) FILTER (WHERE len(list_filter(
                   regexp_extract_all(rest, '(^|[^0-9.,])([0-9]+)', 2),
                   lambda x: length(x) = 9 AND is_bsn(x))) > 0)
        FROM split""", [allowed]).fetchall()[0]


def check_published(con: duckdb.DuckDBPyConnection, catalog: str,
                    allowed: list[str] = ()) -> list[str]:
    """Problems in a (to be) published database: pseudonym/BSN columns, pseudonym-like or
    BSN-like values anywhere inside a text cell (`allowed`: the input files' SHA-256), inf/NaN."""
    install_macros(con)
    problems = []
    columns = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_schema = 'main'", [catalog]).fetchall()
    for table, column, data_type in columns:
        name = f"{table}.{column}"
        if any(word in column.lower() for word in FORBIDDEN_COLUMNS):
            problems.append(f"{name}: kolomnaam duidt op persoonsgegevens")
        elif data_type == "VARCHAR":
            hex_cells, bsn_cells = _leaks_in_column(con, f"{catalog}.{table}", column,
                                                    list(allowed))
            if hex_cells:
                problems.append(f"{name}: {hex_cells} cel(len) met iets dat op een pseudoniem "
                                "lijkt (64 hex-tekens)")
            if bsn_cells:
                problems.append(f"{name}: {bsn_cells} cel(len) met een getal dat op een BSN "
                                "lijkt (9 cijfers, elfproef)")
        elif data_type == "DOUBLE":
            bad = con.execute(f"""SELECT count(*) FROM {catalog}.{table}
                WHERE isinf("{column}") OR isnan("{column}")""").fetchall()[0][0]
            if bad:
                problems.append(f"{name}: {bad} oneindige of ongeldige getallen")
    return problems


def _docs_leak(data_docs: Path, allowed: list[str]) -> list[str]:
    """Data Docs pages holding a pseudonym-like hex string or a BSN-like number."""
    leaking = []
    for page in sorted(data_docs.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace").lower()
        hexes = set(PSEUDONYM.findall(text)) - set(allowed)
        numbers = NINE_DIGITS.findall(HEX_ID.sub(" ", UUID.sub(" ", PSEUDONYM.sub(" ", text))))
        if hexes or any(is_valid_bsn(n) for n in numbers):
            leaking.append(page.name)
    return leaking


def _checksums(con: duckdb.DuckDBPyConnection, schema: str, manifest: dict) -> list[str]:
    """SHA-256 of the delivered files, this run's and earlier runs' (published on purpose)."""
    inputs = list(manifest.get("inputs", []))
    if "runs" in _tables(con, schema):
        for (text,) in con.execute(f"SELECT inputs FROM {schema}.runs").fetchall():
            inputs += json.loads(text)
    return [item["sha256"] for item in inputs if "sha256" in item]


def _write_version(con: duckdb.DuckDBPyConnection, schema: str, staging: Path,
                   data_docs: Path | None, manifest: dict) -> None:
    """Database, Parquet, Data Docs and manifest into `staging`; PublishError on a leak."""
    allowed = _checksums(con, schema, manifest)
    target = staging / "monitor.duckdb"
    con.execute(f"ATTACH '{target.as_posix()}' AS new_version")
    try:
        for table in _tables(con, schema):
            con.execute(f"CREATE TABLE new_version.{table} AS SELECT * FROM {schema}.{table}")
            con.execute(f"COPY {schema}.{table} TO '{(staging / table).as_posix()}.parquet' "
                        "(FORMAT parquet, COMPRESSION zstd)")
        problems = check_published(con, "new_version", allowed)
    finally:
        con.execute("DETACH new_version")
    if problems:
        raise PublishError("Publicatie geweigerd:\n  " + "\n  ".join(problems))
    if data_docs is not None and data_docs.is_dir():
        leaking = _docs_leak(data_docs, allowed)
        if leaking:
            raise PublishError("Publicatie geweigerd: de Data Docs bevatten iets dat op een "
                               f"pseudoniem of BSN lijkt ({', '.join(leaking[:3])}).")
        shutil.copytree(data_docs, staging / "data_docs")
    (staging / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, default=str), encoding="utf-8")


def publish(con: duckdb.DuckDBPyConnection, schema: str, published: Path, run_id: str,
            data_docs: Path | None, manifest: dict, keep_versions: int) -> Path:
    """Copy every table of `schema` into a new version and make it current.

    Any failure (a leak, a full disk) removes the half-written version; `current` is untouched.
    """
    versions = published / "versions"
    staging = versions / f".{run_id}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        _write_version(con, schema, staging, data_docs, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    final = versions / run_id
    os.replace(staging, final)
    _swap(published, final)
    _prune(versions, keep_versions, final)
    return final / "monitor.duckdb"


def recover(published: Path) -> list[str]:
    """Remove what a killed run left behind: a staging folder, a link not yet swapped, or a
    finished version newer than `current` that was never made current.

    Called under the run lock, so no other run is publishing; returns the removed names.
    """
    link = published / "current"
    current = Path(os.readlink(link)).name if link.is_symlink() else None
    leftovers = [*published.glob("versions/.*.tmp"), *published.glob(".current.*.tmp"),
                 *(p for p in published.glob("versions/[!.]*")
                   if current is not None and p.name > current)]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    return sorted(path.name for path in leftovers)


def drop_indicators(con: duckdb.DuckDBPyConnection, schema: str, ids: list[str]) -> None:
    """Delete the figures of these indicators from every table of `schema` (values, targets,
    references); the catalogue (`indicators`) keeps describing them."""
    tables = con.execute("SELECT table_name FROM information_schema.columns WHERE "
                         "table_schema = ? AND column_name = 'indicator_id' "
                         "AND table_name <> 'indicators'", [schema]).fetchall()
    for (table,) in tables:
        con.execute(f"DELETE FROM {schema}.{table} WHERE indicator_id IN (SELECT unnest(?))",
                    [ids])


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
