"""End-to-end pipeline runs: publication, manifest, repeatability and refusing bad deliveries."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from settings import PROJECT_ROOT
from tests.conftest import SampleRun, make_environment
from tests.fixtures import TEST_KEY

FORBIDDEN = ("pseudoniem", "bsn")


def _tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.sql("SHOW TABLES").fetchall()]
        return {name: con.sql(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in names}


def _pipeline(env: dict[str, str], landing: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipelines", "run", "--landing", str(landing)],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)


def test_run_publishes_database_parquet_data_docs_and_manifest(sample_run: SampleRun) -> None:
    version = sample_run.published_db.resolve().parent
    tables = _tables(sample_run.published_db)
    for name in ("indicator_values", "indicators", "targets", "areas", "runs", "schools",
                 "breakdowns", "validation_results", "wijk_geometry", "reference_values"):
        assert tables[name], name
        assert (version / f"{name}.parquet").is_file()
    assert (version / "data_docs" / "index.html").is_file()
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "gepubliceerd"
    inputs = {i["bestand"]: i for i in manifest["inputs"]}
    landing_file = sample_run.landing / "jeugdhulp.csv"
    assert inputs["jeugdhulp.csv"]["sha256"] == hashlib.sha256(
        landing_file.read_bytes()).hexdigest()
    assert inputs["jeugdhulp.csv"]["rijen"] == landing_file.read_bytes().count(b"\n") - 1
    assert manifest["code_version"] and manifest["gegevens_tot_en_met"] == "2026-10-31"


def test_published_tables_hold_no_pseudonym_bsn_or_single_person(sample_run: SampleRun) -> None:
    min_count = sample_run.settings.disclosure.min_count
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        columns = con.sql("SELECT table_name, column_name, data_type "
                          "FROM information_schema.columns").fetchall()
        for table, column, data_type in columns:
            assert not any(word in column.lower() for word in FORBIDDEN), (table, column)
            if data_type == "VARCHAR":
                leaked = con.sql(f"""SELECT count(*) FROM {table}
                    WHERE regexp_full_match("{column}", '[0-9a-f]{{64}}')""").fetchall()[0][0]
                assert leaked == 0, (table, column)
        for table in ("indicator_values", "indicator_values_meerjarig"):
            small = con.sql(f"""SELECT count(*) FROM {table} WHERE NOT suppressed
                AND (n_personen < {min_count} OR denominator < {min_count})""").fetchall()[0][0]
            assert small == 0, table
        small = con.sql(f"SELECT count(*) FROM breakdowns WHERE NOT suppressed "
                        f"AND personen < {min_count}").fetchall()[0][0]
        assert small == 0


def test_the_work_database_with_persons_stays_outside_the_published_folder(
        sample_run: SampleRun) -> None:
    published = sample_run.settings.paths.published
    assert not list(published.rglob("work.duckdb"))
    assert (sample_run.settings.paths.work / "work.duckdb").is_file()


def test_the_terminal_summary_is_dutch_and_complete(sample_run: SampleRun) -> None:
    result = _pipeline(sample_run.env, sample_run.landing)
    assert result.returncode == 0, result.stderr
    for text in ("[1/7] Inlezen", "[2/7] Controleren", "[7/7] Publiceren", "gepubliceerd",
                 "Controles:", "Schooljaren: 2021-2022, 2022-2023"):
        assert text in result.stdout
    # Dates as a Dutch reader writes them, also in the closing block.
    assert re.search(r"; gegevens tot en met \d{2}-\d{2}-\d{4}\n", result.stdout)


def test_a_second_run_on_the_same_inputs_publishes_the_same_content(
        sample_run: SampleRun) -> None:
    before = _tables(sample_run.published_db)
    first_version = sample_run.published_db.resolve()
    result = _pipeline(sample_run.env, sample_run.landing)
    assert result.returncode == 0, result.stderr
    assert sample_run.published_db.resolve() != first_version
    after = _tables(sample_run.published_db)
    for name in before:
        if name not in ("runs", "validation_results"):
            assert before[name] == after[name], name
    assert len(after["runs"]) == len(before["runs"]) + 1


@pytest.fixture(scope="module")
def small_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small")
    key = root / "key"
    key.write_text(TEST_KEY, encoding="utf-8")
    for command in (["sample_data", "--gemeente", "GM0034", "--scale", "0.05", "--out",
                     str(root / "sources")],
                    ["privacy.pseudonymise", "--key-file", str(key), "--in",
                     str(root / "sources"), "--out", str(root / "landing")]):
        subprocess.run([sys.executable, "-m", *command], cwd=PROJECT_ROOT, check=True,
                       capture_output=True)
    return root / "landing"


def _break(landing: Path, target: Path, name: str, edit) -> Path:
    shutil.copytree(landing, target)
    path = target / name
    encoding = "cp1252" if name in ("jeugdhulp.csv", "inschrijvingen.csv") else "utf-8"
    lines = path.read_text(encoding=encoding).split("\n")
    path.write_text("\n".join(edit(lines)), encoding=encoding)
    return target


def _first_data_field_replaced(lines: list[str], value: str) -> list[str]:
    fields = lines[1].split(";")
    fields[0] = value
    return [lines[0], ";".join(fields), *lines[2:]]


@pytest.mark.parametrize(("case", "name", "edit", "message"), [
    ("bsn", "jeugdhulp.csv", lambda ls: _first_data_field_replaced(ls, "111222333"),
     "BSN"),
    ("duplicaat", "jeugdhulp.csv", lambda ls: [*ls[:2], ls[1], *ls[2:]], "jeugdhulp"),
    ("kolom", "diplomas.csv", lambda ls: [ln.rsplit(",", 1)[0] for ln in ls if ln],
     "diplomas.csv: verplichte kolom 'datum' ontbreekt"),
])
def test_blocking_problems_stop_the_run_and_keep_the_previous_version(
        small_landing: Path, tmp_path: Path, case: str, name: str, edit, message: str) -> None:
    _, env = make_environment(tmp_path)
    good = _pipeline(env, small_landing)
    assert good.returncode == 0, good.stdout + good.stderr
    current = tmp_path / "data" / "published" / "current"
    version = current.resolve()
    digest = hashlib.sha256((current / "monitor.duckdb").read_bytes()).hexdigest()

    broken = _break(small_landing, tmp_path / case, name, edit)
    result = _pipeline(env, broken)
    assert result.returncode == 1
    assert message in result.stdout + result.stderr
    assert "Er is niets gepubliceerd" in result.stderr
    assert current.resolve() == version
    assert hashlib.sha256((current / "monitor.duckdb").read_bytes()).hexdigest() == digest
    failed = sorted((tmp_path / "data" / "work" / "runs").glob("*.json"))[-1]
    assert json.loads(failed.read_text(encoding="utf-8"))["status"] == "mislukt"
