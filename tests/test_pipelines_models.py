"""The SQL model graph: order from declared dependencies, keys checked, mistakes refused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.sql_runner import SQL_DIR, ModelError, layers, ordered_models, run_models
from tests.fixtures import tiny_landing

LAYERS = layers()

REFERENCE = re.compile(r"\b(" + "|".join(LAYERS) + r")\.([a-z_][a-z0-9_]*)\b")


def _build(sql_dir: Path = SQL_DIR) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    tiny_landing(con)
    con.execute("SET VARIABLE dyslexie_productcodes = ['54D01']::VARCHAR[]")
    run_models(con, sql_dir=sql_dir)
    return con


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "sql"
    shutil.copytree(SQL_DIR, target)
    return target


def test_every_model_runs_on_a_tiny_delivery_and_keeps_its_key() -> None:
    con = _build()
    assert con.sql("SELECT schooljaar FROM intermediate.dim_schooljaar").fetchall() == [
        ("2023-2024",)]
    assert con.sql("SELECT count(*) FROM facts.fact_leerling_jaar").fetchall() == [(2,)]


def test_order_comes_from_dependencies_not_from_file_names(tmp_path: Path) -> None:
    """Rename every model so that name order is the reverse of the old one; the run succeeds."""
    sql_dir = _copy(tmp_path)
    old = [(layer, p.stem) for layer in LAYERS for p in sorted((sql_dir / layer).glob("*.sql"))]
    new = {name: f"{chr(ord('z') - i)}_{name}" for i, (_, name) in enumerate(old)}

    def rename(text: str) -> str:
        text = REFERENCE.sub(lambda m: f"{m[1]}.{new.get(m[2], m[2])}", text)
        return re.sub(r"name: (\w+)", lambda m: f"name: {new.get(m[1], m[1])}", text)

    for layer, name in old:
        path = sql_dir / layer / f"{name}.sql"
        (sql_dir / layer / f"{new[name]}.sql").write_text(rename(path.read_text()))
        path.unlink()
    for layer in LAYERS:
        described = sql_dir / layer / "models.yaml"
        described.write_text(rename(described.read_text()))
    names = [m.name.split(".")[1] for m in ordered_models(sql_dir)]
    assert names.index(new["dim_schooljaar"]) < names.index(new["int_laatste_school"])
    assert sorted(new.values()) != [new[name] for _, name in old]
    con = _build(sql_dir)
    assert con.sql(f"SELECT count(*) FROM facts.{new['fact_leerling_jaar']}").fetchall() == [
        (2,)]


def test_a_duplicated_key_in_a_fact_stops_the_run_and_names_the_model(tmp_path: Path) -> None:
    sql_dir = _copy(tmp_path)
    fact = sql_dir / "facts" / "fact_leerling_jaar.sql"
    header, body = fact.read_text().split("\n", 1)
    fact.write_text(f"{header}\nSELECT * FROM ({body}) UNION ALL SELECT * FROM ({body})")
    with pytest.raises(ModelError, match=r"facts\.fact_leerling_jaar: sleutel "
                                         r"\(schooljaar × pseudoniem\) is niet uniek"):
        _build(sql_dir)


def test_an_empty_key_column_stops_the_run(tmp_path: Path) -> None:
    sql_dir = _copy(tmp_path)
    model = sql_dir / "intermediate" / "dim_schooljaar.sql"
    model.write_text(model.read_text().replace("SELECT * FROM final ORDER BY schooljaar",
                                               "SELECT * REPLACE (NULL AS schooljaar) FROM final"))
    with pytest.raises(ModelError, match=r"intermediate\.dim_schooljaar: sleutel .* is leeg"):
        _build(sql_dir)


def _model(sql_dir: Path, layer: str, name: str, sql: str) -> None:
    (sql_dir / layer / f"{name}.sql").write_text(sql)
    described = sql_dir / layer / "models.yaml"
    described.write_text(described.read_text() + f"  - {{name: {name}, description: test, "
                         "grain: één rij, key: [x]}\n")


def test_a_cycle_is_refused(tmp_path: Path) -> None:
    sql_dir = _copy(tmp_path)
    _model(sql_dir, "intermediate", "kip", "-- depends: intermediate.ei\n"
           "SELECT x FROM intermediate.ei")
    _model(sql_dir, "intermediate", "ei", "-- depends: intermediate.kip\n"
           "SELECT x FROM intermediate.kip")
    with pytest.raises(ModelError, match=r"Kringverwijzing tussen modellen: intermediate\.(kip|ei)"
                                         r" → intermediate\.(ei|kip)"):
        ordered_models(sql_dir)


@pytest.mark.parametrize(("sql", "message"), [
    ("-- depends: staging.stg_bestaat_niet\nSELECT 1 AS x",
     r"hangt af van 'staging\.stg_bestaat_niet', maar dat model bestaat niet"),
    ("-- depends:\nSELECT 1 AS x FROM staging.stg_personen",
     r"leest staging\.stg_personen maar noemt het niet"),
])
def test_a_missing_or_undeclared_dependency_is_refused(tmp_path: Path, sql: str,
                                                       message: str) -> None:
    sql_dir = _copy(tmp_path)
    _model(sql_dir, "intermediate", "int_nieuw", sql)
    with pytest.raises(ModelError, match=message):
        ordered_models(sql_dir)


def test_a_model_without_description_is_refused(tmp_path: Path) -> None:
    sql_dir = _copy(tmp_path)
    (sql_dir / "facts" / "fact_nieuw.sql").write_text("SELECT 1 AS x")
    with pytest.raises(ModelError, match=r"facts/fact_nieuw\.sql: model staat niet in "
                                         r"facts/models\.yaml"):
        ordered_models(sql_dir)


def test_a_new_layer_folder_is_picked_up_and_run_after_what_it_reads(tmp_path: Path) -> None:
    sql_dir = _copy(tmp_path)
    (sql_dir / "marts").mkdir()
    (sql_dir / "marts" / "models.yaml").write_text("models:\n")
    _model(sql_dir, "marts", "aantal", "-- depends: facts.fact_leerling_jaar\n"
           "SELECT count(*) AS x FROM facts.fact_leerling_jaar")
    con = _build(sql_dir)
    assert con.sql("SELECT x FROM marts.aantal").fetchall() == [(2,)]
