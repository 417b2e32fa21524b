"""The SQL models: declared, run in dependency order, each key checked as soon as it is built.

A model is one SELECT in `sql/<layer>/<name>.sql`, built as table `<layer>.<name>`. Its first
line declares what it reads (`-- depends: staging.stg_personen, intermediate.dim_schooljaar`;
landing tables are not listed, the loader has built them before any model runs). Beside the
files, `sql/<layer>/models.yaml` describes every model: name, description, grain and key.
The runner refuses a model without a description, an unknown dependency or a cycle, and stops
when a model's key is empty or not unique. Shared macros live in `sql/macros/`.
"""

from __future__ import annotations

import graphlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

SQL_DIR = Path(__file__).resolve().parent / "sql"
MACROS = "macros"
FIELDS = ("name", "description", "grain", "key")
_DEPENDS = re.compile(r"--\s*depends:(.*)")
# libyaml's safe loader where installed: the same documents, parsed several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ModelError(Exception):
    """A model cannot be run or its result breaks its declared key; the message names it."""


@dataclass(frozen=True)
class Model:
    name: str                 # <layer>.<file stem>: the table it builds
    path: Path
    depends: tuple[str, ...]
    description: str
    grain: str
    key: tuple[str, ...]


@dataclass(frozen=True)
class ModelResult:
    table: str
    rows: int
    seconds: float


def layers(sql_dir: Path = SQL_DIR) -> list[str]:
    """Every folder of `sql/` but the macros is a layer (staging, intermediate, facts, …)."""
    return sorted(p.name for p in sql_dir.iterdir() if p.is_dir() and p.name != MACROS)


def install_macros(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> None:
    """Every macro file of `sql/macros/` (parsing, codes, dates, BSN check)."""
    for path in sorted((sql_dir / MACROS).glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def _depends(path: Path) -> tuple[str, ...]:
    with path.open(encoding="utf-8") as handle:
        match = _DEPENDS.match(handle.readline().strip())
    names = match.group(1).split(",") if match else []
    return tuple(name.strip() for name in names if name.strip())


def _layer(sql_dir: Path, layer: str) -> list[Model]:
    folder = sql_dir / layer
    described = folder / "models.yaml"
    raw = yaml.load(described.read_text(encoding="utf-8"), Loader=SAFE_LOADER) \
        if described.is_file() else []
    entries = {e.get("name"): e for e in (raw.get("models", []) if isinstance(raw, dict)
                                           else raw or [])}
    files = {p.stem: p for p in folder.glob("*.sql")}
    undescribed = sorted(files.keys() - entries.keys())
    if undescribed:
        raise ModelError(f"{layer}/{undescribed[0]}.sql: model staat niet in "
                         f"{layer}/models.yaml (vereist: {', '.join(FIELDS)}).")
    models = []
    for name, entry in entries.items():
        if name not in files:
            raise ModelError(f"{layer}/models.yaml: model {name} heeft geen bestand "
                             f"{layer}/{name}.sql.")
        missing = [f for f in FIELDS if not entry.get(f)]
        if missing:
            raise ModelError(f"{layer}/models.yaml: model {name} mist {', '.join(missing)}.")
        models.append(Model(f"{layer}.{name}", files[name], _depends(files[name]),
                            entry["description"], entry["grain"], tuple(entry["key"])))
    return models


def ordered_models(sql_dir: Path = SQL_DIR) -> list[Model]:
    """Every model of every layer, each after the models it depends on."""
    names = layers(sql_dir)
    models = {m.name: m for layer in names for m in _layer(sql_dir, layer)}
    reads = re.compile(r"\b((?:" + "|".join(names) + r")\.[a-z_][a-z0-9_]*)\b")
    for model in models.values():
        for dependency in model.depends:
            if dependency not in models:
                raise ModelError(f"{model.name} ({model.path.name}): hangt af van "
                                 f"'{dependency}', maar dat model bestaat niet. Schrijf "
                                 "<laag>.<model>, bijvoorbeeld staging.stg_personen.")
        undeclared = sorted(set(reads.findall(model.path.read_text(encoding="utf-8")))
                            - set(model.depends) - {model.name})
        if undeclared:
            raise ModelError(f"{model.name} ({model.path.name}): leest {undeclared[0]} maar "
                             "noemt het niet in de regel -- depends:.")
    sorter = graphlib.TopologicalSorter({m.name: m.depends for m in models.values()})
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError as error:
        cycle = " → ".join(reversed(error.args[1]))
        raise ModelError(f"Kringverwijzing tussen modellen: {cycle}. Een model kan niet "
                         "(via andere modellen) van zichzelf afhangen.") from error
    return [models[name] for name in order]


_TEMP = re.compile(r"^(\w+) \((\w+\.sql)\)$")  # `regio_gemeenten (regio.sql)`: a temp table
_COMMENT = re.compile(r"--[^\n]*")


def check_template_reads(folder: Path, schemas: dict[str, set[str]],
                         sql_dir: Path = SQL_DIR) -> None:
    """SQL templates outside the layers (indicators/sql) declare what they read like a model.

    A dependency is a model (`facts.fact_leerling_jaar`), a template over a layer
    (`facts.{fact}`), a table of an extra schema (`schemas`: name -> tables, also as
    `{schema}.<table>`) or a temporary table made from another file (`name (file.sql)`).
    ModelError names the file and what it reads without declaring, or declares but is unknown.
    """
    models = {m.name for layer in layers(sql_dir) for m in _layer(sql_dir, layer)}
    prefixes = [*layers(sql_dir), *schemas, "{schema}"]
    reads = re.compile(r"(?<![\w.])((?:" + "|".join(re.escape(p) for p in prefixes)
                       + r")\.(?:\{\w+\}|[a-z_][a-z0-9_]*))")
    files = sorted(folder.glob("*.sql"))
    temps = {m.group(1) for path in files for name in _depends(path)
             if (m := _TEMP.match(name))}
    for path in files:
        where = f"{folder.parent.name}/{folder.name}/{path.name}"
        declared = set(_depends(path))
        for name in declared:
            if not _known(name, models, schemas, folder):
                raise ModelError(f"{where}: hangt af van '{name}', maar dat model of die "
                                 "tabel bestaat niet.")
        body = _COMMENT.sub("", path.read_text(encoding="utf-8"))
        names = {n for n in (_TEMP.match(d) for d in declared) if n}
        read = set(reads.findall(body)) | {t for t in temps
                                           if re.search(rf"\b{t}\b", body)}
        covered = declared | {n.group(1) for n in names}
        undeclared = sorted(r for r in read if r not in covered
                            and not _every_model_of(r, declared, models))
        if undeclared:
            raise ModelError(f"{where}: leest {undeclared[0]} maar noemt het niet in de regel "
                             "-- depends:.")


def _known(name: str, models: set[str], schemas: dict[str, set[str]], folder: Path) -> bool:
    if temp := _TEMP.match(name):
        return (folder / temp.group(2)).is_file()
    prefix, _, table = name.partition(".")
    if table.startswith("{"):
        return any(m.startswith(f"{prefix}.") for m in models) or prefix in schemas
    if prefix == "{schema}":
        return any(table in tables for tables in schemas.values())
    return name in models or table in schemas.get(prefix, set())


def _every_model_of(read: str, declared: set[str], models: set[str]) -> bool:
    """`facts.{fact}` is covered when every model of the facts layer is declared."""
    prefix, _, table = read.partition(".")
    layer = {m for m in models if m.startswith(f"{prefix}.")}
    return table.startswith("{") and bool(layer) and layer <= declared


def person_year_facts(sql_dir: Path = SQL_DIR) -> frozenset[str]:
    """The facts whose declared (and checked) key is one row per person and schooljaar."""
    return frozenset(model.name.split(".", 1)[1] for model in _layer(sql_dir, "facts")
                     if model.key == ("schooljaar", "pseudoniem"))


def check_key(con: duckdb.DuckDBPyConnection, model: Model) -> int:
    """Stop when a key column is empty or the key is not unique (counts only, no values);
    returns the model's row count (one scan: the fast loop builds the chain often)."""
    columns = ", ".join(f'"{c}"' for c in model.key)
    empty = " OR ".join(f'"{c}" IS NULL' for c in model.key)
    rows, nulls, distinct = con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE {empty}), count(DISTINCT ({columns},))
        FROM {model.name}""").fetchall()[0]
    key = " × ".join(model.key)
    if nulls:
        raise ModelError(f"Model {model.name}: sleutel ({key}) is leeg in {nulls} rij(en).")
    if distinct < rows:
        duplicates = con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {model.name} "
                                 f"GROUP BY {columns} HAVING count(*) > 1)").fetchall()[0][0]
        raise ModelError(f"Model {model.name}: sleutel ({key}) is niet uniek: {duplicates} "
                         f"waarde(n) komen meer dan eens voor (korrel: {model.grain}).")
    return rows


def run_models(con: duckdb.DuckDBPyConnection,
               report: Callable[[ModelResult], None] = lambda result: None,
               sql_dir: Path = SQL_DIR) -> list[ModelResult]:
    """Build every model in dependency order; check its key right after it is built."""
    for layer in layers(sql_dir):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {layer}")
    results = []
    for model in ordered_models(sql_dir):
        began = time.monotonic()
        con.execute(f"CREATE OR REPLACE TABLE {model.name} AS\n"
                    + model.path.read_text(encoding="utf-8"))
        rows = check_key(con, model)
        results.append(ModelResult(model.name, rows, time.monotonic() - began))
        report(results[-1])
    return results
