"""Load landing files into typed DuckDB tables (schema `landing`); unparseable rows to quarantine.

Partners deliver `;` or `,`, UTF-8 (± BOM) or windows-1252 (read by privacy/delivery.py, the
same reader the pseudonymiser uses), mixed date formats and decimal commas. A source comes as
one file `<bron>.csv` or in parts `<bron>_<deel>.csv` (one per gemeente of a region); the parts
become one table, each row keeping its file (`bestand`) and line (`row_nr`). Every column has
an explicit type (pipelines/sources.yaml); a value that does not parse sends its row to
`<quarantine>/<bron>.csv` with file, line, column and reason.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from privacy.delivery import CHUNK, DeliveryError, Dialect, read_dialect

SOURCES_FILE = Path(__file__).resolve().parent / "sources.yaml"
REASONS = {"date": "geen geldige datum (JJJJMMDD, JJJJ-MM-DD of DD-MM-JJJJ)",
           "integer": "geen geheel getal", "decimal": "geen getal"}


class LoadError(Exception):
    """A landing file cannot be used at all (blocking); the message names file and column."""


@dataclass
class LoadedSource:
    name: str
    file: str
    sha256: str
    rows: int
    quarantined: int = 0
    warnings: list[str] = field(default_factory=list)

    def manifest(self) -> dict:
        return {"bron": self.name, "bestand": self.file, "sha256": self.sha256,
                "rijen": self.rows, "in_quarantaine": self.quarantined}


def load_specs() -> dict[str, dict]:
    return yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))


def source_files(landing: Path, spec: dict) -> list[Path]:
    """`<bron>.csv`, or all parts `<bron>_<deel>.csv` in name order; never both."""
    single = landing / spec["file"]
    parts = sorted(landing.glob(f"{single.stem}_*{single.suffix}"))
    if single.is_file() and parts:
        raise LoadError(f"{single.name} en {parts[0].name}: lever een bron als één bestand "
                        "of in delen, niet allebei.")
    if single.is_file():
        return [single]
    if not parts:
        raise LoadError(f"{single}: bestand ontbreekt in de landing-map "
                        f"(ook geen delen {single.stem}_<deel>{single.suffix}).")
    return parts


def _as_utf8(path: Path, encoding: str, scratch: Path) -> Path:
    """DuckDB reads UTF-8 only: windows-1252 files are transcoded into the work folder."""
    if encoding != "cp1252":
        return path
    target = scratch / f"{path.stem}.utf8.csv"
    with path.open("r", encoding="cp1252", newline="") as src, \
            target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    return target


def _column_map(spec: dict, header: tuple[str, ...], file: str) -> tuple[dict, dict, list]:
    """file header -> contract column; constants for DUO layouts; warnings for extra columns."""
    lowered = [h.lower() for h in header]
    if "bsn" in lowered:
        raise LoadError(f"{file}: bevat een kolom 'bsn'. Alleen gepseudonimiseerde bestanden "
                        "mogen in de landing-map: draai eerst privacy.pseudonymise.")
    rename, constants = {}, {}
    for layout in spec.get("layouts", {}).values():
        if layout["recognise_by"] in lowered:
            rename, constants = layout["rename"], layout["constants"]
    wanted = {**spec["columns"], **spec.get("optional", {})}
    mapping: dict[str, str] = {}
    warnings = []
    for original, low in zip(header, lowered, strict=True):
        target = rename.get(low, low.replace(" ", "_").replace("-", "_"))
        if target in wanted and target not in mapping.values():
            mapping[original] = target
        else:
            warnings.append(f"{file}: kolom '{original}' is onbekend en wordt genegeerd.")
    missing = [c for c in spec["columns"] if c not in mapping.values() and c not in constants]
    if missing:
        raise LoadError(f"{file}: verplichte kolom '{missing[0]}' ontbreekt"
                        + (f" (ook: {', '.join(missing[1:])})" if missing[1:] else "")
                        + f". Gevonden kolommen: {', '.join(header)}.")
    return mapping, constants, warnings


def _read_raw(con: duckdb.DuckDBPyConnection, tag: str, path: Path, dialect: Dialect,
              scratch: Path) -> tuple[str, list[tuple[int, str]]]:
    """Every field as text into temp table raw_<tag>; lines DuckDB cannot split are returned.

    Returns the SQL expression for each row's line in the file as Excel shows it (header = 1).
    """
    readable = _as_utf8(path, dialect.encoding, scratch)
    columns = {f"c{i}": "VARCHAR" for i in range(len(dialect.header))}
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE raw_{tag} AS
        SELECT * FROM read_csv(?, delim = ?, header = true, quote = '"', escape = '"',
                               auto_detect = false, columns = {columns!r},
                               store_rejects = true, rejects_table = 'rejects_{tag}',
                               rejects_scan = 'rejects_scan_{tag}')
    """, [str(readable), dialect.delimiter])
    if readable != path:
        readable.unlink()
    rejected = con.sql(f"SELECT line, error_message FROM rejects_{tag}").fetchall()
    if not rejected:
        return "rowid + 2", rejected
    con.execute(f"""CREATE OR REPLACE TEMP TABLE row_numbers_{tag} AS
        SELECT row_number() OVER (ORDER BY n) - 1 AS pos, n AS row_nr
        FROM range(2, (SELECT count(*) FROM raw_{tag}) + {len(rejected)} + 2) t(n)
        WHERE n NOT IN (SELECT line FROM rejects_{tag})""")
    return f"(SELECT row_nr FROM row_numbers_{tag} WHERE pos = raw_{tag}.rowid)", rejected


def _typed(spec: dict, header: tuple[str, ...], mapping: dict, constants: dict, tag: str,
           position: str, file: str) -> tuple[list[str], list[str]]:
    """SELECT list of the typed columns, and one query per column for values that do not parse."""
    source_of = {target: f"c{header.index(original)}" for original, target in mapping.items()}
    parsed = [f"{_sql_text(file)} AS bestand", f"{position} AS row_nr"]
    problems = []
    for column, kind in {**spec["columns"], **spec.get("optional", {})}.items():
        if column in source_of:
            raw_col = source_of[column]
            parsed.append(f"parse_{kind}({raw_col}) AS {column}")
            if kind != "text":
                problems.append(f"""SELECT {_sql_text(file)} AS bestand, {position} AS rij,
                    '{column}' AS kolom, {raw_col} AS waarde, '{REASONS[kind]}' AS reden
                    FROM raw_{tag}
                    WHERE parse_text({raw_col}) IS NOT NULL AND parse_{kind}({raw_col}) IS NULL""")
        elif column in constants:
            parsed.append(f"parse_text('{constants[column]}') AS {column}")
        else:
            parsed.append(f"CAST(NULL AS {'DATE' if kind == 'date' else 'VARCHAR'}) AS {column}")
    return parsed, problems


def _load_file(con: duckdb.DuckDBPyConnection, name: str, spec: dict, path: Path, tag: str,
               scratch: Path) -> LoadedSource:
    """One file into temp tables typed_<tag> (good rows) and quarantine_<tag> (bad rows)."""
    try:
        dialect = read_dialect(path)
    except DeliveryError as error:
        raise LoadError(str(error)) from error
    mapping, constants, warnings = _column_map(spec, dialect.header, path.name)
    position, rejected = _read_raw(con, tag, path, dialect, scratch)
    parsed, problems = _typed(spec, dialect.header, mapping, constants, tag, position,
                              path.name)
    problems += [f"SELECT {_sql_text(path.name)} AS bestand, {line} AS rij, NULL AS kolom, "
                 f"NULL AS waarde, {_sql_text('onleesbare regel: ' + message)} AS reden"
                 for line, message in rejected]
    problems.append("SELECT NULL::VARCHAR AS bestand, NULL::BIGINT AS rij, NULL::VARCHAR AS "
                    "kolom, NULL::VARCHAR AS waarde, NULL::VARCHAR AS reden WHERE false")
    con.execute(f"CREATE OR REPLACE TEMP TABLE quarantine_{tag} AS " + " UNION ALL ".join(problems))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE typed_{tag} AS
        SELECT {', '.join(parsed)} FROM raw_{tag}""")
    con.execute(f"DELETE FROM typed_{tag} WHERE row_nr IN (SELECT rij FROM quarantine_{tag})")
    quarantined = con.sql(f"SELECT count(DISTINCT rij) FROM quarantine_{tag}").fetchall()[0][0]
    rows = con.sql(f"SELECT count(*) FROM typed_{tag}").fetchall()[0][0]
    con.execute(f"DROP TABLE raw_{tag}")
    return LoadedSource(name, path.name, dialect.sha256, rows + quarantined, quarantined,
                        warnings)


def load_source(con: duckdb.DuckDBPyConnection, name: str, spec: dict, paths: list[Path],
                quarantine_dir: Path, scratch: Path) -> list[LoadedSource]:
    """Every file of one source into table landing.<name>; one LoadedSource per file."""
    loaded = [_load_file(con, name, spec, path, f"{name}_{i}", scratch)
              for i, path in enumerate(paths)]
    tags = [f"{name}_{i}" for i in range(len(paths))]
    con.execute(f"CREATE OR REPLACE TABLE landing.{name} AS "
                + " UNION ALL ".join(f"SELECT * FROM typed_{t}" for t in tags))
    quarantine = " UNION ALL ".join(f"SELECT * FROM quarantine_{t}" for t in tags)
    target = quarantine_dir / f"{name}.csv"
    if any(source.quarantined for source in loaded):
        quarantine_dir.mkdir(parents=True, exist_ok=True)
        con.execute(f"COPY ({quarantine} ORDER BY bestand, rij, kolom) TO ? "
                    "(HEADER, DELIMITER ';')", [str(target)])
    for source in loaded:
        if source.quarantined:
            source.warnings.append(f"{source.file}: {source.quarantined} rij(en) in "
                                   f"quarantaine ({target}).")
    for tag in tags:
        con.execute(f"DROP TABLE typed_{tag}; DROP TABLE quarantine_{tag}")
    return loaded


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def load_wijken(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> list[LoadedSource]:
    """CBS wijken (GeoJSON with statcode/statnaam) of one or more files into landing.wijken."""
    con.execute("CREATE OR REPLACE TABLE landing.wijken "
                "(statcode VARCHAR, statnaam VARCHAR, geometry_json VARCHAR)")
    loaded = []
    for path in paths:
        data = path.read_bytes()
        try:
            features = json.loads(data)["features"]
            rows = [(f["properties"]["statcode"], f["properties"]["statnaam"],
                     json.dumps(f["geometry"], separators=(",", ":"))) for f in features]
        except (ValueError, KeyError, TypeError) as error:
            raise LoadError(
                f"{path.name}: geen CBS-wijkenbestand met statcode/statnaam ({error}).") from error
        con.executemany("INSERT INTO landing.wijken VALUES (?, ?, ?)", rows)
        loaded.append(LoadedSource("wijken", path.name, hashlib.sha256(data).hexdigest(),
                                   len(rows)))
    return loaded


def load_all(con: duckdb.DuckDBPyConnection, landing: Path, quarantine_dir: Path,
             scratch: Path, report) -> list[LoadedSource]:
    """Every source of sources.yaml plus wijken.geojson (each whole or in parts);
    `report(source)` after each file.

    The SQL macros (sql/macros/) must be installed on `con` first.
    """
    if not landing.is_dir():
        raise LoadError(f"Landing-map {landing} bestaat niet. Draai eerst `make sample` of "
                        "geef --landing.")
    con.execute("CREATE SCHEMA IF NOT EXISTS landing")
    loaded = []
    for name, spec in load_specs().items():
        for source in load_source(con, name, spec, source_files(landing, spec),
                                  quarantine_dir, scratch):
            loaded.append(source)
            report(source)
    for source in load_wijken(con, source_files(landing, {"file": "wijken.geojson"})):
        loaded.append(source)
        report(source)
    return loaded
