"""Load landing files into typed DuckDB tables (schema `landing`); unparseable rows to quarantine.

Partners deliver `;` or `,`, UTF-8 (± BOM) or windows-1252, mixed date formats and decimal
commas. Every column has an explicit type (pipelines/sources.yaml); a value that does not
parse sends its row to `<quarantine>/<source>.csv` with row number, column and reason.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

PACKAGE = Path(__file__).resolve().parent
SOURCES_FILE = PACKAGE / "sources.yaml"
MACROS_FILE = PACKAGE / "sql" / "load" / "parse_macros.sql"
REASONS = {"date": "geen geldige datum (JJJJMMDD, JJJJ-MM-DD of DD-MM-JJJJ)",
           "integer": "geen geheel getal", "decimal": "geen getal"}
_CHUNK = 16 * 1024 * 1024


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


def _sha256_and_encoding(path: Path) -> tuple[str, str]:
    """One streaming pass: the file hash, and UTF-8 (± BOM) or windows-1252."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, first = True, True
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            if first:
                bom = chunk.startswith(codecs.BOM_UTF8)
                first = False
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    encoding = ("utf-8-sig" if bom else "utf-8") if utf8 else "cp1252"
    return digest.hexdigest(), encoding


def _header(path: Path, encoding: str) -> tuple[str, list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        line = handle.readline()
    delimiter = ";" if line.count(";") >= line.count(",") else ","
    names = next(csv.reader([line], delimiter=delimiter))
    return delimiter, [n.strip().strip("\ufeff") for n in names]


def _as_utf8(path: Path, encoding: str, scratch: Path) -> Path:
    """DuckDB reads UTF-8 only: windows-1252 files are transcoded into the work folder."""
    if encoding != "cp1252":
        return path
    target = scratch / f"{path.stem}.utf8.csv"
    with path.open("r", encoding="cp1252", newline="") as src, \
            target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(chunk)
    return target


def _column_map(name: str, spec: dict, header: list[str], file: str) -> tuple[dict, dict, list]:
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


def load_source(con: duckdb.DuckDBPyConnection, name: str, spec: dict, path: Path,
                quarantine_dir: Path, scratch: Path) -> LoadedSource:
    sha, encoding = _sha256_and_encoding(path)
    delimiter, header = _header(path, encoding)
    mapping, constants, warnings = _column_map(name, spec, header, path.name)
    readable = _as_utf8(path, encoding, scratch)
    raw = f"raw_{name}"
    columns = {f"c{i}": "VARCHAR" for i in range(len(header))}
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {raw} AS
        SELECT * FROM read_csv(?, delim = ?, header = true, quote = '"', escape = '"',
                               auto_detect = false, columns = {columns!r},
                               store_rejects = true, rejects_table = 'rejects_{name}',
                               rejects_scan = 'rejects_scan_{name}')
    """, [str(readable), delimiter])
    # row_nr = line in the file as Excel shows it (header = line 1), as the pseudonymiser reports.
    rejected = con.sql(f"SELECT line AS row_nr, error_message FROM rejects_{name}").fetchall()
    position = "rowid + 2"
    if rejected:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE row_numbers_{name} AS
            SELECT row_number() OVER (ORDER BY n) - 1 AS pos, n AS row_nr
            FROM range(2, (SELECT count(*) FROM {raw}) + {len(rejected)} + 2) t(n)
            WHERE n NOT IN (SELECT line FROM rejects_{name})""")
        position = f"(SELECT row_nr FROM row_numbers_{name} WHERE pos = {raw}.rowid)"

    types = {**spec["columns"], **spec.get("optional", {})}
    source_of = {target: f"c{header.index(original)}" for original, target in mapping.items()}
    parsed = [f"{position} AS row_nr"]
    problems = []
    for column, kind in types.items():
        if column in source_of:
            raw_col = source_of[column]
            parsed.append(f"parse_{kind}({raw_col}) AS {column}")
            if kind != "text":
                problems.append(f"""SELECT {position} AS rij, '{column}' AS kolom,
                    {raw_col} AS waarde, '{REASONS[kind]}' AS reden FROM {raw}
                    WHERE parse_text({raw_col}) IS NOT NULL AND parse_{kind}({raw_col}) IS NULL""")
        elif column in constants:
            parsed.append(f"parse_text('{constants[column]}') AS {column}")
        else:
            parsed.append(f"CAST(NULL AS {'DATE' if kind == 'date' else 'VARCHAR'}) AS {column}")
    for row_nr, message in rejected:
        problems.append(f"SELECT {row_nr} AS rij, NULL AS kolom, NULL AS waarde, "
                        f"{_sql_text('onleesbare regel: ' + message)} AS reden")
    con.execute(f"CREATE OR REPLACE TABLE landing.{name} AS SELECT {', '.join(parsed)} FROM {raw}")
    quarantined = 0
    if problems:
        con.execute(f"CREATE OR REPLACE TEMP TABLE quarantine_{name} AS "
                    + " UNION ALL ".join(problems))
        quarantined = con.sql(f"SELECT count(DISTINCT rij) FROM quarantine_{name}").fetchall()[0][0]
    if quarantined:
        con.execute(f"DELETE FROM landing.{name} WHERE row_nr IN "
                    f"(SELECT rij FROM quarantine_{name})")
        quarantine_dir.mkdir(parents=True, exist_ok=True)
        con.execute(f"COPY (SELECT * FROM quarantine_{name} ORDER BY rij, kolom) TO ? "
                    "(HEADER, DELIMITER ';')", [str(quarantine_dir / f"{name}.csv")])
        warnings.append(f"{path.name}: {quarantined} rij(en) in quarantaine "
                        f"({quarantine_dir / (name + '.csv')}).")
    rows = con.sql(f"SELECT count(*) FROM landing.{name}").fetchall()[0][0]
    con.execute(f"DROP TABLE {raw}")
    if readable != path:
        readable.unlink()
    return LoadedSource(name, path.name, sha, rows + quarantined, quarantined, warnings)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def load_wijken(con: duckdb.DuckDBPyConnection, path: Path) -> LoadedSource:
    data = path.read_bytes()
    try:
        features = json.loads(data)["features"]
        rows = [(f["properties"]["statcode"], f["properties"]["statnaam"],
                 json.dumps(f["geometry"], separators=(",", ":"))) for f in features]
    except (ValueError, KeyError, TypeError) as error:
        raise LoadError(
            f"{path.name}: geen CBS-wijkenbestand met statcode/statnaam ({error}).") from error
    con.execute("CREATE OR REPLACE TABLE landing.wijken "
                "(statcode VARCHAR, statnaam VARCHAR, geometry_json VARCHAR)")
    con.executemany("INSERT INTO landing.wijken VALUES (?, ?, ?)", rows)
    return LoadedSource("wijken", path.name, hashlib.sha256(data).hexdigest(), len(rows))


def load_all(con: duckdb.DuckDBPyConnection, landing: Path, quarantine_dir: Path,
             scratch: Path, report) -> list[LoadedSource]:
    """Every source of sources.yaml plus wijken.geojson; `report(source)` after each file."""
    con.execute("CREATE SCHEMA IF NOT EXISTS landing")
    con.execute(MACROS_FILE.read_text(encoding="utf-8"))
    loaded = []
    for name, spec in load_specs().items():
        path = landing / spec["file"]
        if not path.is_file():
            raise LoadError(f"{path}: bestand ontbreekt in de landing-map.")
        loaded.append(load_source(con, name, spec, path, quarantine_dir, scratch))
        report(loaded[-1])
    wijken = landing / "wijken.geojson"
    if not wijken.is_file():
        raise LoadError(f"{wijken}: bestand ontbreekt in de landing-map.")
    loaded.append(load_wijken(con, wijken))
    report(loaded[-1])
    return loaded
