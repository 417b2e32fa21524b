"""Load landing files into typed DuckDB tables (schema `landing`); unparseable rows to quarantine.

Partners deliver `;` or `,`, UTF-8 (± BOM) or windows-1252 (read by privacy/delivery.py, the
same reader the pseudonymiser uses), mixed date formats and decimal commas. A source comes as
one file `<bron>.csv` or in parts `<bron>_<deel>.csv` (one per gemeente of a region); the parts
become one table, each row keeping its file (`bestand`) and line (`row_nr`). Every column has
an explicit type (pipelines/sources.yaml); a value that does not parse sends its row to
`<quarantine>/<bron>.csv` with file, line, column and reason.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from pipelines.landing import Correction, Delivery, LoadError
from pipelines.sql_runner import SAFE_LOADER
from privacy.delivery import CHUNK, DeliveryError, Dialect, read_dialect

SOURCES_FILE = Path(__file__).resolve().parent / "sources.yaml"
REASONS = {"date": "geen geldige datum (JJJJMMDD, JJJJ-MM-DD of DD-MM-JJJJ)",
           "integer": "geen geheel getal", "decimal": "geen getal"}


@dataclass
class LoadedSource:
    name: str
    file: str
    sha256: str
    rows: int
    quarantined: int = 0
    warnings: list[str] = field(default_factory=list)
    replaced: int | None = None  # a correction part: records of its period it replaced

    def manifest(self) -> dict:
        record = {"bron": self.name, "bestand": self.file, "sha256": self.sha256,
                  "rijen": self.rows, "in_quarantaine": self.quarantined}
        return record if self.replaced is None else {**record, "vervangen": self.replaced}


def load_specs() -> dict[str, dict]:
    return yaml.load(SOURCES_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


def _readable(path: Path, dialect: Dialect, scratch: Path) -> Path:
    """DuckDB reads UTF-8 with one kind of line end: windows-1252 and UTF-16 files, and files
    with mixed line ends, are rewritten into `scratch` as UTF-8 with '\n'."""
    if dialect.encoding.startswith("utf-8") and not dialect.mixed_line_ends:
        return path
    target = scratch / f"{path.stem}.utf8.csv"
    with path.open("r", encoding=dialect.encoding, newline=None) as src, \
            target.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    return target


def _normal(name: str) -> str:
    return name.lower().replace(" ", "_").replace("-", "_")


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
    rename = {**spec.get("aliassen", {}), **rename}
    mapping: dict[str, str] = {}
    warnings = []
    for original, low in zip(header, lowered, strict=True):
        target = rename.get(low, _normal(low))
        if target in wanted and target not in mapping.values():
            mapping[original] = target
        else:
            warnings.append(f"{file}: kolom '{original}' is onbekend en wordt genegeerd.")
    missing = [c for c in spec["columns"] if c not in mapping.values() and c not in constants]
    if missing:
        unused = {_normal(h): h for h in header if h not in mapping}
        close = difflib.get_close_matches(missing[0], list(unused), n=1, cutoff=0.5)
        hint = (f" Hernoem kolom '{unused[close[0]]}' in de kopregel naar '{missing[0]}'"
                if close else f" Voeg kolom '{missing[0]}' toe of hernoem de kolom met deze "
                "gegevens")
        raise LoadError(f"{file}: verplichte kolom '{missing[0]}' ontbreekt"
                        + (f" (ook: {', '.join(missing[1:])})" if missing[1:] else "")
                        + f". Gevonden kolommen: {', '.join(header)}." + hint
                        + " (of vraag een alias aan in pipelines/sources.yaml).")
    return mapping, constants, warnings


def _read_raw(con: duckdb.DuckDBPyConnection, tag: str, path: Path, dialect: Dialect,
              scratch: Path) -> tuple[str, list[tuple[int, str]]]:
    """Every field as text into temp table raw_<tag>; lines DuckDB cannot split are returned.

    Returns the SQL expression for each row's line in the file as Excel shows it (header = 1).
    """
    readable = _readable(path, dialect, scratch)
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
    rejected = con.execute(f"SELECT line, error_message FROM rejects_{tag}").fetchall()
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


def _refuse_long_fields(con: duckdb.DuckDBPyConnection, tag: str, header: tuple[str, ...],
                        position: str, file: str, limit: int) -> None:
    """LoadError naming file, line and column of the first field longer than `limit`."""
    too_long = [f"length(c{i}) > {int(limit)}" for i in range(len(header))]
    first = con.execute(f"SELECT {position}, [{', '.join(too_long)}] FROM raw_{tag} "
                    f"WHERE {' OR '.join(too_long)} ORDER BY rowid LIMIT 1").fetchall()
    if first:
        line, flags = first[0]
        column = header[flags.index(True)]
        raise LoadError(f"{file} regel {line}, kolom '{column}': de waarde is langer dan "
                        f"{limit} tekens ([pipeline] max_field_chars). Vraag de leverancier "
                        "het bestand te controleren.")


def _load_file(con: duckdb.DuckDBPyConnection, name: str, spec: dict, path: Path, tag: str,
               scratch: Path, max_field_chars: int) -> LoadedSource:
    """One file into temp tables typed_<tag> (good rows) and quarantine_<tag> (bad rows)."""
    try:
        dialect = read_dialect(path)
    except DeliveryError as error:
        raise LoadError(str(error)) from error
    mapping, constants, warnings = _column_map(spec, dialect.header, path.name)
    position, rejected = _read_raw(con, tag, path, dialect, scratch)
    if not rejected and con.execute(f"SELECT count(*) FROM raw_{tag}").fetchall()[0][0] == 0:
        raise LoadError(f"{path.name}: bevat alleen een kopregel en geen gegevens. Vraag de "
                        "leverancier het bestand opnieuw aan te leveren.")
    _refuse_long_fields(con, tag, dialect.header, position, path.name, max_field_chars)
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
    quarantined = con.execute(f"SELECT count(DISTINCT rij) FROM quarantine_{tag}").fetchall()[0][0]
    rows = con.execute(f"SELECT count(*) FROM typed_{tag}").fetchall()[0][0]
    con.execute(f"DROP TABLE raw_{tag}")
    return LoadedSource(name, path.name, dialect.sha256, rows + quarantined, quarantined,
                        warnings)


def _correct(con: duckdb.DuckDBPyConnection, name: str, correction: Correction,
             source: LoadedSource, tag: str) -> None:
    """Replace every record of the correction's period by the correction part's records."""
    column, period = correction.column, [correction.start, correction.end]
    outside = con.execute(f"SELECT min(row_nr) FROM typed_{tag} WHERE {column} IS NULL "
                          f"OR {column} NOT BETWEEN ? AND ?", period).fetchall()[0][0]
    if outside is not None:
        raise LoadError(f"{source.file} regel {outside}, kolom '{column}': valt buiten de "
                        f"correctieperiode {correction.period} ({correction.start:%d-%m-%Y} "
                        f"t/m {correction.end:%d-%m-%Y}); een correctiebestand bevat alleen "
                        "records van die periode.")
    source.replaced = con.execute(
        f"DELETE FROM landing.{name} WHERE {column} BETWEEN ? AND ? "
        "AND (?::VARCHAR IS NULL OR bestand = ?)",
        [*period, correction.part, correction.part]).fetchall()[0][0]
    con.execute(f"INSERT INTO landing.{name} SELECT * FROM typed_{tag}")
    source.warnings.append(
        f"{source.file}: correctie {correction.period} vervangt {source.replaced} record(s) met "
        f"{column} van {correction.start:%d-%m-%Y} t/m {correction.end:%d-%m-%Y}"
        + (f" uit {correction.part}" if correction.part else "")
        + f" door {source.rows - source.quarantined} record(s).")


def load_source(con: duckdb.DuckDBPyConnection, name: str, spec: dict, paths: list[Path],
                quarantine_dir: Path, scratch: Path, max_field_chars: int,
                corrections: list[Correction] = ()) -> list[LoadedSource]:
    """Every file of one source into table landing.<name>, then its corrections in name order;
    one LoadedSource per file."""
    files = [*paths, *(c.path for c in corrections)]
    tags = [f"{name}_{i}" for i in range(len(files))]
    loaded = [_load_file(con, name, spec, path, tag, scratch, max_field_chars)
              for path, tag in zip(files, tags, strict=True)]
    con.execute(f"CREATE OR REPLACE TABLE landing.{name} AS "
                + " UNION ALL ".join(f"SELECT * FROM typed_{t}" for t in tags[:len(paths)]))
    for correction, source, tag in zip(corrections, loaded[len(paths):], tags[len(paths):],
                                       strict=True):
        _correct(con, name, correction, source, tag)
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


def empty_source(con: duckdb.DuckDBPyConnection, name: str, spec: dict) -> None:
    """landing.<name> with the source's typed columns and no rows (a source not delivered)."""
    columns = [f"parse_{kind}(NULL::VARCHAR) AS {column}"
               for column, kind in {**spec["columns"], **spec.get("optional", {})}.items()]
    con.execute(f"CREATE OR REPLACE TABLE landing.{name} AS SELECT NULL::VARCHAR AS bestand, "
                f"NULL::BIGINT AS row_nr, {', '.join(columns)} WHERE false")


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


def load_all(con: duckdb.DuckDBPyConnection, delivery: Delivery, quarantine_dir: Path,
             scratch: Path, max_field_chars: int, report) -> list[LoadedSource]:
    """Every source of the delivery (pipelines/landing.py) plus wijken; a source that is
    missing (allowed by configuration) becomes an empty table. `report(source)` after each file.

    The SQL macros (sql/macros/) must be installed on `con` first.
    """
    con.execute("CREATE SCHEMA IF NOT EXISTS landing")
    loaded = []
    for name, spec in load_specs().items():
        if name in delivery.missing:
            empty_source(con, name, spec)
            continue
        for source in load_source(con, name, spec, delivery.files[name], quarantine_dir,
                                  scratch, max_field_chars, delivery.corrections[name]):
            loaded.append(source)
            report(source)
    for source in load_wijken(con, delivery.files["wijken"]):
        loaded.append(source)
        report(source)
    return loaded
