"""Great Expectations checks on landing tables: each broken delivery gives the exact finding.

Validation is the slow part (Great Expectations), so one faulty delivery carries a fault per
check, in rows and sources that do not touch each other, and is validated once per module.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.runner import EXPECTATIONS
from pipelines.validate import CheckResult, _batches, blocking_failures, summarise, validate
from tests.fixtures import P1, P2, P3, TINY, enrolments, tiny_landing

STRANGER = "d" * 64  # a pseudonym that is not in personen
LEAKED = ("111222333", "12345672")  # a BSN, and one whose leading 0 Excel dropped


def _jeugdhulp(*rows: str) -> str:
    return f"""SELECT row_number() OVER () + 1 AS row_nr, * FROM (VALUES {', '.join(rows)})
        t(pseudoniem, aanbieder, hulpvorm, productcategorie, productcode, verwijzer,
          datum_aanvang, datum_einde, reden_beeindiging, kosten)"""


def _care(who: str, hulpvorm: str = "'02'", start: str = "2023-09-01",
          end: str = "NULL") -> str:
    return f"({who}, '98000001', {hulpvorm}, '45', '45A01', '02', DATE '{start}', {end}, " \
           "NULL, 1.0)"


FAULTS = {
    "jeugdhulp": _jeugdhulp(
        _care(f"'{P1}'", hulpvorm="'07'"),                                   # regel 2
        _care(f"'{P2}'", start="2024-03-01", end="DATE '2024-01-31'"),      # regel 3
        _care(f"'{P3}'"), _care(f"'{P3}'"),                                  # regel 4, 5
        _care("NULL"), _care("NULL"),                                        # regel 6, 7
        _care(f"'{STRANGER}'")),                                             # regel 8
    "inschrijvingen": enrolments(f"(2, '{P1}', '99ZZ00', 'BAO', 5, DATE '2023-08-01', NULL)"),
    "diplomas": f"""SELECT * FROM (VALUES
        (2, '{LEAKED[0]}', '01AB00', 'VWO', DATE '2024-07-01'),
        (3, '{LEAKED[1]}', '01AB00', 'VWO', DATE '2024-07-01'))
        t(row_nr, pseudoniem, vestigingscode, diploma, datum)""",
    "personen": TINY["personen"].replace(f"'{P1}', 9,", f"'{P1}', 33,"),  # age 33
}


def _run(docs: Path, batch_rows: int = 2_000_000, **changes: str) -> list[CheckResult]:
    con = duckdb.connect()
    tiny_landing(con, **changes)
    return validate(con, EXPECTATIONS, docs, 0.95, batch_rows)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[CheckResult], Path]:
    docs = tmp_path_factory.mktemp("checks") / "docs"
    return _run(docs, **FAULTS), docs


def _failed(results: list[CheckResult], source: str, column: str) -> CheckResult:
    found = [r for r in results if r.source == source and r.column == column and not r.success]
    assert found, summarise(results)
    return found[0]


def test_a_clean_delivery_passes_and_writes_data_docs(tmp_path: Path) -> None:
    results = _run(tmp_path / "docs")
    assert [r for r in results if not r.success] == [], summarise(results)
    assert (tmp_path / "docs" / "index.html").is_file()
    # Amsterdam's lettered wijkcode is a valid code.
    assert any(r.column == "wijkcode" and r.success for r in results)


def test_an_unknown_hulpvorm_is_blocking_and_names_file_and_line(faulty) -> None:
    results, _ = faulty
    finding = _failed(results, "jeugdhulp", "hulpvorm")
    assert (finding.severity, finding.unexpected_count) == ("blokkerend", 1)
    # File and line, never the delivered value (tests/faults/test_landing_values.py).
    assert finding.details == "1 van 7 rijen; jeugdhulp.csv regel 2"
    assert finding in blocking_failures(results)


def test_a_reversed_date_pair_is_blocking(faulty) -> None:
    finding = _failed(faulty[0], "jeugdhulp", "datum_aanvang ≤ datum_einde")
    assert (finding.severity, finding.unexpected_count) == ("blokkerend", 1)
    assert "regel 3" in finding.details


def test_a_duplicate_record_key_is_blocking_but_rows_without_pseudonym_are_not(faulty) -> None:
    finding = _failed(faulty[0], "jeugdhulp", "dubbel")
    assert finding.severity == "blokkerend" and finding.unexpected_count == 2
    assert "regel 4, 5" in finding.details and P3 not in finding.details


def test_an_unknown_vestigingscode_is_blocking(faulty) -> None:
    findings = [r for r in faulty[0] if r.source == "inschrijvingen" and not r.success
                and r.column == "vestigingscode"]
    assert [f.details for f in findings if "scholen.csv" in f.details]
    assert all(f.severity == "blokkerend" for f in findings)


def test_a_bsn_left_in_the_pseudonym_column_is_blocking_and_never_shown(faulty) -> None:
    results, docs = faulty
    finding = _failed(results, "diplomas", "pseudoniem_is_bsn")
    assert (finding.severity, finding.unexpected_count) == ("blokkerend", 2)
    # The report names the lines, never the value.
    assert "regel 2, 3" in finding.details
    html = "".join(p.read_text(encoding="utf-8", errors="replace") for p in docs.rglob("*.html"))
    for leaked in (*LEAKED, LEAKED[1].zfill(9)):
        assert all(leaked not in r.details for r in results)
        assert leaked not in html


def test_a_low_link_rate_is_blocking(faulty) -> None:
    finding = _failed(faulty[0], "jeugdhulp", "in_personen")
    assert finding.severity == "blokkerend" and "koppelpercentage" in finding.details


def test_an_implausible_age_is_only_a_warning(faulty) -> None:
    finding = _failed(faulty[0], "personen", "leeftijd")
    assert finding.severity == "waarschuwing"
    assert finding not in blocking_failures(faulty[0])


@pytest.mark.slow  # a second Great Expectations validation, in many small batches
def test_batches_give_the_same_verdicts_as_one_pass(faulty, tmp_path: Path) -> None:
    """Large sources are checked in batches; keys and link rates span the batches.

    Three rows a batch: jeugdhulp's duplicate pair (regel 4, 5) falls in two batches and its
    link rate spans three. Only jeugdhulp has more than three rows, so only its checks are
    run again (the other sources would be one batch, the same as one pass)."""
    config = yaml.safe_load(EXPECTATIONS.read_text(encoding="utf-8"))
    config["bronnen"] = {"jeugdhulp": config["bronnen"]["jeugdhulp"]}
    expectations = tmp_path / "expectations.yaml"
    expectations.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    con = duckdb.connect()
    tiny_landing(con, **FAULTS)
    batched = validate(con, expectations, tmp_path / "docs", 0.95, 3)
    assert [(r.column, r.success, r.unexpected_count) for r in batched] == \
        [(r.column, r.success, r.unexpected_count) for r in faulty[0] if r.source == "jeugdhulp"]
    assert not all(r.success for r in batched)  # the faults are found in the batches


# (batch rows, table rows): one row a batch over 2.100 rows still crosses a DuckDB vector
# (2.048 rows) and costs a fifth of 10.000 one-row frames.
@pytest.mark.parametrize(("rows", "total"), [(1, 2100), (3000, 10_000), (4096, 10_000),
                                             (10_000, 10_000), (20_000, 10_000)])
def test_a_large_source_is_read_in_one_sorted_pass_in_batches_of_the_set_size(
        rows: int, total: int) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT range AS i FROM range(?)", [total])
    batches = list(_batches(con.execute("SELECT * FROM t ORDER BY i"), rows))
    assert [len(b) for b in batches[:-1]] == [rows] * (len(batches) - 1)
    assert [i for b in batches for i in b["i"]] == list(range(total))
    assert [len(b) for b in _batches(con.execute("SELECT * FROM t WHERE i < 0"), 5)] == [0]
