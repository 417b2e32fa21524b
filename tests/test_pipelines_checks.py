"""Great Expectations checks on landing tables: each broken delivery gives the exact finding."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.runner import EXPECTATIONS
from pipelines.validate import CheckResult, blocking_failures, summarise, validate
from tests.fixtures import P1, tiny_landing


def _run(tmp_path: Path, batch_rows: int = 2_000_000, **changes: str) -> list[CheckResult]:
    con = duckdb.connect()
    tiny_landing(con, **changes)
    return validate(con, EXPECTATIONS, tmp_path / "docs", 0.95, batch_rows)


def _failed(results: list[CheckResult], source: str, column: str) -> CheckResult:
    found = [r for r in results if r.source == source and r.column == column and not r.success]
    assert found, summarise(results)
    return found[0]


def test_a_clean_delivery_passes_and_writes_data_docs(tmp_path: Path) -> None:
    results = _run(tmp_path)
    assert [r for r in results if not r.success] == [], summarise(results)
    assert (tmp_path / "docs" / "index.html").is_file()
    # Amsterdam's lettered wijkcode is a valid code.
    assert any(r.column == "wijkcode" and r.success for r in results)


def test_an_unknown_hulpvorm_is_blocking_and_names_the_line(tmp_path: Path) -> None:
    results = _run(tmp_path, jeugdhulp=f"""SELECT * FROM (VALUES
        (2, '{P1}', '98000001', '07', '45', '45A01', '02', DATE '2023-09-01', NULL, NULL, 1.0))
        t(row_nr, pseudoniem, aanbieder, hulpvorm, productcategorie, productcode, verwijzer,
          datum_aanvang, datum_einde, reden_beeindiging, kosten)""")
    finding = _failed(results, "jeugdhulp", "hulpvorm")
    assert (finding.severity, finding.unexpected_count) == ("blokkerend", 1)
    assert "'07'" in finding.details and "jeugdhulp.csv regel 2" in finding.details
    assert finding in blocking_failures(results)


def test_a_reversed_date_pair_is_blocking(tmp_path: Path) -> None:
    results = _run(tmp_path, jeugdhulp=f"""SELECT * FROM (VALUES
        (2, '{P1}', '98000001', '02', '45', '45A01', '02', DATE '2024-03-01', DATE '2024-01-31',
         '01', 1.0))
        t(row_nr, pseudoniem, aanbieder, hulpvorm, productcategorie, productcode, verwijzer,
          datum_aanvang, datum_einde, reden_beeindiging, kosten)""")
    finding = _failed(results, "jeugdhulp", "datum_aanvang ≤ datum_einde")
    assert (finding.severity, finding.unexpected_count) == ("blokkerend", 1)


def test_a_duplicate_record_key_is_blocking(tmp_path: Path) -> None:
    row = f"('{P1}', '98000001', '02', '45', '45A01', '02', DATE '2023-09-01', NULL, NULL, 1.0)"
    results = _run(tmp_path, jeugdhulp=f"""SELECT row_number() OVER () + 1 AS row_nr, *
        FROM (VALUES {row}, {row}) t(pseudoniem, aanbieder, hulpvorm, productcategorie,
          productcode, verwijzer, datum_aanvang, datum_einde, reden_beeindiging, kosten)""")
    finding = _failed(results, "jeugdhulp", "dubbel")
    assert finding.severity == "blokkerend" and finding.unexpected_count == 2
    assert "regel 2, 3" in finding.details and P1 not in finding.details


def test_rows_without_pseudonym_are_not_duplicates_of_each_other(tmp_path: Path) -> None:
    row = "(NULL, '98000001', '02', '45', '45A01', '02', DATE '2023-09-01', NULL, NULL, 1.0)"
    results = _run(tmp_path, jeugdhulp=f"""SELECT row_number() OVER () + 1 AS row_nr, *
        FROM (VALUES {row}, {row}) t(pseudoniem, aanbieder, hulpvorm, productcategorie,
          productcode, verwijzer, datum_aanvang, datum_einde, reden_beeindiging, kosten)""")
    assert blocking_failures([r for r in results if r.column == "dubbel"]) == []


def test_an_unknown_vestigingscode_is_blocking(tmp_path: Path) -> None:
    results = _run(tmp_path, inschrijvingen=f"""SELECT * FROM (VALUES
        (2, '{P1}', '99ZZ00', 'BAO', 5, DATE '2023-08-01', NULL))
        t(row_nr, pseudoniem, vestigingscode, onderwijssoort, leerjaar, datum_inschrijving,
          datum_uitschrijving)""")
    findings = [r for r in results if r.source == "inschrijvingen" and not r.success]
    assert [f.details for f in findings if "scholen.csv" in f.details]
    assert all(f.severity == "blokkerend" for f in findings)


@pytest.mark.parametrize("leaked", ["111222333", "12345672"])  # 8 digits: Excel ate a 0
def test_a_bsn_left_in_the_pseudonym_column_is_blocking(tmp_path: Path, leaked: str) -> None:
    bsn = leaked.zfill(9)
    results = _run(tmp_path, diplomas=f"""SELECT * FROM (VALUES
        (2, '{leaked}', '01AB00', 'VWO', DATE '2024-07-01'))
        t(row_nr, pseudoniem, vestigingscode, diploma, datum)""")
    finding = _failed(results, "diplomas", "pseudoniem_is_bsn")
    assert (finding.severity, finding.unexpected_count) == ("blokkerend", 1)
    # The report names the line, never the value.
    assert "regel 2" in finding.details
    assert all(leaked not in r.details and bsn not in r.details for r in results)
    docs = "".join(p.read_text(encoding="utf-8", errors="replace")
                   for p in (tmp_path / "docs").rglob("*.html"))
    assert leaked not in docs


def test_a_low_link_rate_is_blocking(tmp_path: Path) -> None:
    results = _run(tmp_path, jeugdhulp=f"""SELECT * FROM (VALUES
        (2, '{"d" * 64}', '98000001', '02', '45', '45A01', '02', DATE '2023-09-01', NULL, NULL,
         1.0))
        t(row_nr, pseudoniem, aanbieder, hulpvorm, productcategorie, productcode, verwijzer,
          datum_aanvang, datum_einde, reden_beeindiging, kosten)""")
    finding = _failed(results, "jeugdhulp", "in_personen")
    assert finding.severity == "blokkerend" and "koppelpercentage" in finding.details


def test_an_implausible_age_is_only_a_warning(tmp_path: Path) -> None:
    results = _run(tmp_path, personen=f"""SELECT * FROM (VALUES
        (2, '{P1}', DATE '1990-03-01', 'V', '1311AB', 'GM0034', 'WK003401', NULL,
         DATE '2023-10-01'))
        t(row_nr, pseudoniem, geboortedatum, geslacht, postcode, gemeentecode, wijkcode,
          buurtcode, peildatum)""")
    finding = _failed(results, "personen", "leeftijd")
    assert finding.severity == "waarschuwing"
    assert finding not in blocking_failures(results)


def test_batches_give_the_same_verdicts_as_one_pass(tmp_path: Path) -> None:
    """Large sources are checked in batches; keys and link rates span the batches."""
    row = f"('{P1}', '98000001', '02', '45', '45A01', '02', DATE '2023-09-01', NULL, NULL, 1.0)"
    stranger = row.replace(P1, "d" * 64)
    jeugdhulp = f"""SELECT row_number() OVER () + 1 AS row_nr, *
        FROM (VALUES {row}, {stranger}, {row}) t(pseudoniem, aanbieder, hulpvorm,
          productcategorie, productcode, verwijzer, datum_aanvang, datum_einde,
          reden_beeindiging, kosten)"""
    whole = _run(tmp_path / "a", jeugdhulp=jeugdhulp)
    batched = _run(tmp_path / "b", batch_rows=1, jeugdhulp=jeugdhulp)
    assert [(r.column, r.success, r.unexpected_count) for r in batched] == \
        [(r.column, r.success, r.unexpected_count) for r in whole]
    assert not next(r for r in batched if r.source == "jeugdhulp" and r.column == "dubbel").success
    assert not next(r for r in batched if r.column == "in_personen").success
