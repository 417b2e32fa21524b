"""Minimal landing data: the partner sends the age on each peildatum instead of the birth date
and no postcode; few rows stay unique on what is left, and every age the pipeline computes —
so every indicator — is the one the full birth date gives."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb

from privacy.pseudonymise import pseudonym, pseudonymise_file, read_key
from tests.conftest import SampleRun
from tests.fixtures import TEST_KEY

KEY = read_key(None, {"MONITOR_PSEUDONYM_KEY": TEST_KEY})


def _true_age(born: dt.date, day: dt.date) -> int:
    """Whole years on `day`, written here apart from the code under test."""
    return day.year - born.year - (f"{day:%m%d}" < f"{born:%m%d}")


def _rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def test_birth_date_becomes_the_age_on_the_peildatum_and_the_postcode_goes(
        tmp_path: Path) -> None:
    source = tmp_path / "personen.csv"
    source.write_text("bsn;geboortedatum;geslacht;postcode;wijkcode;peildatum\n"
                      "111222333;2014-10-01;V;1311AB;WK003401;2023-10-01\n"  # birthday: 9
                      "123456782;20141002;M;1311AB;WK003401;01-10-2023\n"    # tomorrow: 8
                      "111222333;2014-02-30;V;1311AB;WK003401;2023-10-01\n",  # no date
                      encoding="utf-8")
    report = pseudonymise_file(source, tmp_path / "uit.csv", KEY)
    header, *rows = _rows(tmp_path / "uit.csv", ";")
    assert header == ["pseudoniem", "leeftijd", "geslacht", "wijkcode", "peildatum"]
    assert [row[1] for row in rows] == ["9", "8", ""]
    assert report.undated_rows == [4]
    text = (tmp_path / "uit.csv").read_text(encoding="utf-8")
    assert "1311AB" not in text and "2014" not in text


def test_a_file_without_persons_keeps_its_postcode(tmp_path: Path) -> None:
    source = tmp_path / "scholen.csv"
    source.write_text("vestigingscode,postcode\n01AB00,1311AB\n", encoding="utf-8")
    assert pseudonymise_file(source, tmp_path / "uit.csv", KEY).copied
    assert "1311AB" in (tmp_path / "uit.csv").read_text(encoding="utf-8")


def test_few_rows_of_the_sample_stay_unique_and_none_carry_a_birth_date(
        sample_run: SampleRun, tmp_path: Path) -> None:
    report = pseudonymise_file(sample_run.sources / "personen.csv", tmp_path / "p.csv", KEY,
                               measure=True)
    (before, rows), (after, same_rows) = report.unique
    assert rows == same_rows > 100_000
    assert before / rows > 0.99  # birth date + postcode: practically everyone
    assert after / rows < 0.01   # age + sex + wijk per peildatum
    header = _rows(sample_run.landing / "personen.csv")[0]
    assert "geboortedatum" not in header and "postcode" not in header and "leeftijd" in header


def test_every_age_the_pipeline_computes_is_the_age_of_the_real_birth_date(
        sample_run: SampleRun) -> None:
    born: dict[str, dt.date] = {}
    with (sample_run.sources / "personen.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            born[pseudonym(KEY, row["bsn"])] = dt.date.fromisoformat(row["geboortedatum"])
    with duckdb.connect(str(sample_run.work_db), read_only=True) as con:
        ages = con.execute("""
            SELECT f.pseudoniem, j.peildatum, f.leeftijd, 'inwoner' FROM facts.fact_inwoner_jaar f
            JOIN intermediate.dim_schooljaar j USING (schooljaar)
            UNION ALL
            SELECT f.pseudoniem, j.peildatum, f.leeftijd, 'leerling' FROM facts.fact_leerling_jaar f
            JOIN intermediate.dim_schooljaar j USING (schooljaar)
            WHERE f.leeftijd IS NOT NULL""").fetchall()
    assert len({kind for *_, kind in ages}) == 2 and len(ages) > 100_000
    wrong = [(p, day, age) for p, day, age, _ in ages if age != _true_age(born[p], day)]
    assert wrong == []
