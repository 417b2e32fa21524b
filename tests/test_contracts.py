"""What is published has a declared contract, and the SQL that builds it declares what it reads.

indicators/models.yaml declares every table of schema mart and publish (grain, key, columns with
meaning); the runner checks both schemas. The indicator SQL templates declare their reads with
`-- depends:` like the models do. The catalogue counts only declared fact models.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from indicators.catalogue import _check, fact_tables, load_catalogue
from pipelines.contracts import (
    CONTRACT_FILE,
    ContractError,
    check_indicator_sql,
    check_schema,
    load_contracts,
)
from pipelines.sql_runner import ModelError, ordered_models
from tests.faults.landing import run, write_landing

INDICATOR_SQL = CONTRACT_FILE.parent / "sql"


def _publish(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS publish")
    con.execute(sql)


def test_every_declared_table_has_a_grain_a_key_and_a_meaning_for_each_column() -> None:
    for contract in load_contracts().values():
        assert contract.grain and contract.key and contract.description
        for schema in contract.schemas:
            columns = contract.columns_in(schema)
            assert set(contract.key) <= set(columns), contract.name
            assert all(len(meaning) > 3 for meaning in columns.values()), contract.name


@pytest.mark.parametrize(("sql", "message"), [
    ("SELECT 'a' AS peer_group, 'Groep A' AS omschrijving, 42 AS pseudoniem",
     r"kolom pseudoniem van publish.peer_groups heeft geen contract.*Er is niets gepubliceerd"),
    ("SELECT * FROM (VALUES ('a', 'A'), ('a', 'A2')) t(peer_group, omschrijving)",
     r"publish.peer_groups: 1 waarde\(n\) van de sleutel \(peer_group\).*één rij per peer "
     r"group"),
])
def test_an_undeclared_column_or_a_duplicate_key_stops_the_run(sql: str, message: str) -> None:
    con = duckdb.connect()
    _publish(con, f"CREATE TABLE publish.peer_groups AS {sql}")
    with pytest.raises(ContractError, match=message):
        check_schema(con, "publish", complete=False)


def test_a_published_table_without_a_contract_entry_stops_the_run() -> None:
    con = duckdb.connect()
    _publish(con, "CREATE TABLE publish.personen AS SELECT 1 AS n")
    with pytest.raises(ContractError, match=r"tabel publish.personen heeft geen contract"):
        check_schema(con, "publish", complete=False)


def test_a_declared_column_or_table_that_is_missing_stops_the_run() -> None:
    con = duckdb.connect()
    _publish(con, "CREATE TABLE publish.peer_groups AS SELECT 'a' AS peer_group")
    with pytest.raises(ContractError, match=r"kolom omschrijving van publish.peer_groups "
                                            r"ontbreekt"):
        check_schema(con, "publish", complete=False)
    con.execute("ALTER TABLE publish.peer_groups ADD COLUMN omschrijving VARCHAR")
    check_schema(con, "publish", complete=False)
    with pytest.raises(ContractError, match=r"tabel publish.\w+ ontbreekt"):
        check_schema(con, "publish")


@pytest.fixture
def indicator_sql(tmp_path: Path) -> Path:
    folder = tmp_path / "indicators" / "sql"
    shutil.copytree(INDICATOR_SQL, folder)
    return folder


def test_the_indicator_sql_declares_what_it_reads() -> None:
    check_indicator_sql()


@pytest.mark.parametrize(("file", "first_line", "message"), [
    ("periods.sql", "-- depends: staging.stg_scholen",
     r"periods.sql: leest intermediate.dim_schooljaar maar noemt het niet"),
    ("areas.sql", "-- depends: staging.stg_scholen, staging.stg_wijken",
     r"areas.sql: leest regio_gemeenten maar noemt het niet"),
    ("reference_gemeente.sql", "-- The published value",
     r"reference_gemeente.sql: leest \{schema\}.indicator_values maar noemt het niet"),
    ("wijk_geometry.sql", "-- depends: staging.stg_wijken, staging.stg_buurten",
     r"wijk_geometry.sql: hangt af van 'staging.stg_buurten', maar dat model"),
    ("coverage.sql", "-- depends: publish.leerlingen",
     r"coverage.sql: hangt af van 'publish.leerlingen'"),
])
def test_indicator_sql_reading_a_model_it_does_not_declare_is_refused(
        indicator_sql: Path, file: str, first_line: str, message: str) -> None:
    path = indicator_sql / file
    lines = path.read_text(encoding="utf-8").splitlines()
    body = lines[1:] if lines[0].startswith("-- depends:") else lines
    path.write_text("\n".join([first_line, *body]) + "\n", encoding="utf-8")
    with pytest.raises(ModelError, match=message):
        check_indicator_sql(indicator_sql)


def test_the_catalogue_counts_only_the_declared_fact_models() -> None:
    facts = {m.name.split(".", 1)[1] for m in ordered_models() if m.name.startswith("facts.")}
    assert set(fact_tables()) == facts
    assert {i.feit for i in load_catalogue()[0]} <= facts
    entry = {**_catalogue_entry(), "feit": "fact_bestaat_niet"}
    with pytest.raises(ValueError, match=r"feit 'fact_bestaat_niet' is niet een van"):
        _check(entry, 1)


def _catalogue_entry() -> dict:
    import yaml

    from indicators.catalogue import CATALOGUE_FILE
    return yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))["indicators"][0]


@pytest.mark.slow
def test_a_pipeline_run_writes_mart_and_publish_as_declared(tmp_path: Path) -> None:
    assert run(tmp_path, write_landing(tmp_path / "landing")) == 0
    con = duckdb.connect(str(tmp_path / "data" / "work" / "work.duckdb"), read_only=True)
    check_schema(con, "mart")
    check_schema(con, "publish")
    published = duckdb.connect(str(tmp_path / "data" / "published" / "current" /
                                   "monitor.duckdb"), read_only=True)
    tables = {t for (t,) in published.sql("SELECT table_name FROM information_schema.tables")
              .fetchall()}
    assert tables == {name for name, c in load_contracts().items() if "publish" in c.schemas}
