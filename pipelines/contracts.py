"""The declared contract of the tables the monitor publishes (indicators/models.yaml), checked.

Schema `mart` (stage 4) and schema `publish` (stages 5-7) are what the dashboard and analysts
depend on. Every table there has an entry: description, grain, key and each column with its
meaning. The runner checks a schema after it is written; a table or column without an entry, a
declared one that is missing, or a duplicate key stops the run before anything is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml

from pipelines.sql_runner import check_template_reads

CONTRACT_FILE = Path(__file__).resolve().parents[1] / "indicators" / "models.yaml"
SCHEMAS = ("mart", "publish")
FIELDS = ("name", "schemas", "description", "grain", "key", "columns")


class ContractError(RuntimeError):
    """A written table breaks its declared contract; the message names table and column."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Contract van de gepubliceerde tabellen: {detail} "
                         f"({CONTRACT_FILE.parent.name}/{CONTRACT_FILE.name}). "
                         "Er is niets gepubliceerd.")


@dataclass(frozen=True)
class TableContract:
    name: str
    schemas: tuple[str, ...]
    description: str
    grain: str
    key: tuple[str, ...]
    columns: dict[str, tuple[str, str | None]]  # column -> (meaning, only in this schema)

    def columns_in(self, schema: str) -> dict[str, str]:
        """Column -> meaning of the table as it exists in `schema`."""
        return {name: meaning for name, (meaning, only) in self.columns.items()
                if only in (None, schema)}


def _column(entry: str | dict) -> tuple[str, str | None]:
    if isinstance(entry, str):
        return entry, None
    return entry.get("meaning", ""), entry.get("schema")


@cache
def load_contracts(path: Path = CONTRACT_FILE) -> dict[str, TableContract]:
    """Every entry, checked for its fields; ContractError names the first incomplete one."""
    contracts = {}
    for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]:
        missing = [field for field in FIELDS if not entry.get(field)]
        if missing:
            raise ContractError(f"tabel {entry.get('name', '?')} mist {', '.join(missing)}")
        columns = {name: _column(value) for name, value in entry["columns"].items()}
        empty = [name for name, (meaning, _) in columns.items() if not meaning.strip()]
        if empty or not set(entry["schemas"]) <= set(SCHEMAS):
            raise ContractError(f"tabel {entry['name']}: kolom {empty[0]} zonder betekenis"
                                if empty else f"tabel {entry['name']}: onbekend schema")
        contracts[entry["name"]] = TableContract(
            entry["name"], tuple(entry["schemas"]), entry["description"], entry["grain"],
            tuple(entry["key"]), columns)
    return contracts


def _written(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, list[str]]:
    rows = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_schema = ? ORDER BY table_name, ordinal_position",
                       [schema]).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def check_schema(con: duckdb.DuckDBPyConnection, schema: str, complete: bool = True,
                 contracts: dict[str, TableContract] | None = None) -> None:
    """Every table of `schema` as declared; `complete`: every declared table is there too."""
    contracts = load_contracts() if contracts is None else contracts
    declared = {name: c for name, c in contracts.items() if schema in c.schemas}
    written = _written(con, schema)
    for table, columns in written.items():
        if table not in declared:
            raise ContractError(f"tabel {schema}.{table} heeft geen contract")
        expected = declared[table].columns_in(schema)
        extra = [c for c in columns if c not in expected]
        if extra:
            raise ContractError(f"kolom {extra[0]} van {schema}.{table} heeft geen contract")
        absent = [c for c in expected if c not in columns]
        if absent:
            raise ContractError(f"kolom {absent[0]} van {schema}.{table} ontbreekt")
        _check_key(con, schema, declared[table])
    absent_tables = sorted(declared.keys() - written.keys()) if complete else []
    if absent_tables:
        raise ContractError(f"tabel {schema}.{absent_tables[0]} ontbreekt")


def _check_key(con: duckdb.DuckDBPyConnection, schema: str, contract: TableContract) -> None:
    key = ", ".join(f'"{column}"' for column in contract.key)
    duplicates = con.execute(f'SELECT count(*) FROM (SELECT {key} FROM {schema}."{contract.name}" '
                         f"GROUP BY ALL HAVING count(*) > 1)").fetchall()[0][0]
    if duplicates:
        raise ContractError(f"{schema}.{contract.name}: {duplicates} waarde(n) van de sleutel "
                            f"({', '.join(contract.key)}) komen meer dan eens voor; de tabel "
                            f"heeft één rij per {contract.grain}")


def contract_tables() -> dict[str, set[str]]:
    """Schema -> the tables declared there."""
    return {schema: {name for name, c in load_contracts().items() if schema in c.schemas}
            for schema in SCHEMAS}


def check_indicator_sql(folder: Path = CONTRACT_FILE.parent / "sql") -> None:
    """The indicator SQL templates read only what their `-- depends:` line declares."""
    check_template_reads(folder, contract_tables())
