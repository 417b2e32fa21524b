"""Extreme values are flagged, and delivered values never reach a published report.

Validation results and Data Docs name the rule, the count, the file and the line — never the
value (it may be a BSN, a pseudonym or a script). The publish check is the last line: a
BSN-like number or a pseudonym-like hex string anywhere inside a text cell, in any case,
publishes nothing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.publish import PublishError, check_published, current_database, publish, store_frame
from pipelines.runner import EXPECTATIONS
from pipelines.validate import CheckResult, summarise, validate
from tests.fixtures import P1, P2, P3, TINY, enrolments, tiny_landing

P4 = "e" * 64
BSN = "111222333"                      # passes the elfproef
UPPER_PSEUDONYM = ("AB" * 32)          # a pseudonym in upper case, in the wrong column
SCRIPT = "<script>alert(1)</script>"
HOSTILE = (BSN, UPPER_PSEUDONYM, UPPER_PSEUDONYM.lower(), SCRIPT, "alert(1)", "-100.0",
           "5000000000")


def _care_sql() -> str:
    """Row 2 normal; 3-4 absurd costs; 5-6 dates in 1900 and the future; 7 a BSN as aanbieder;
    rows 8-407: P3 with 400 records, 100 times more than the other schools' pupils."""
    rows = [f"('{P1}', '98000001', DATE '2023-09-01', 100.0)",
            f"('{P2}', '98000001', DATE '2023-09-02', -100.0)",
            f"('{P2}', '98000001', DATE '2023-09-03', 5000000000.0)",
            f"('{P1}', '98000001', DATE '1900-01-01', 100.0)",
            f"('{P1}', '98000001', DATE '2099-01-01', 100.0)",
            f"('{P1}', '{BSN}', DATE '2023-09-04', 100.0)"]
    return f"""SELECT row_number() OVER () + 1 AS row_nr, pseudoniem, aanbieder, '02' AS hulpvorm,
            '45' AS productcategorie, '45A01' AS productcode, '02' AS verwijzer, datum_aanvang,
            NULL::DATE AS datum_einde, NULL AS reden_beeindiging, kosten FROM (
        SELECT * FROM (VALUES {', '.join(rows)}) t(pseudoniem, aanbieder, datum_aanvang, kosten)
        UNION ALL SELECT '{P3}', '98000001', DATE '2015-01-01' + i::INTEGER, 10.0
        FROM range(400) r(i))"""


FAULTS = {
    "jeugdhulp": _care_sql(),
    "scholen": f"""SELECT * FROM (VALUES
        (2, '01AB00', '01AB', 'De Kiem', 'BAO', '41234', 'Stichting Kiem', 'GM0034', '1311AB',
         'PO-24-01', 'Openbaar', 'WK003401', 5.2, 52.3),
        (3, '02AB00', '02AB', 'De Wis', 'BAO', '41234', 'Stichting Kiem', 'GM0034', '1311AB',
         '{SCRIPT}', 'Openbaar', 'WK003401', 5.2, 52.3),
        (4, '03AB00', '03AB', 'De Top', 'BAO', '41234', 'Stichting Kiem', 'GM0034', '1311AB',
         'PO-24-01', 'Openbaar', 'WK003401', 5.2, 52.3))
        t(row_nr, vestigingscode, brin, naam, onderwijssoort, bevoegd_gezag,
          bevoegd_gezag_naam, gemeentecode, postcode, swv, denominatie, wijkcode, lon, lat)""",
    "inschrijvingen": enrolments(
        f"(2, '{P1}', '01AB00', 'BAO', 5, DATE '2023-08-01', NULL)",
        f"(3, '{P2}', '02AB00', 'BAO', 8, DATE '2023-08-01', NULL)",
        f"(4, '{P3}', '03AB00', 'BAO', 8, DATE '2023-08-01', NULL)",
        f"(5, '{P4}', '01AB00', 'BAO', 8, DATE '2023-08-01', NULL)"),
    "personen": TINY["personen"].replace("DATE '2023-10-01'))", f"""DATE '2023-10-01'),
        (5, '{P4}', 80, 'M', 'GM0034', 'WK003401', NULL, DATE '2023-10-01'))"""),
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[CheckResult], Path]:
    docs = tmp_path_factory.mktemp("faults") / "docs"
    con = duckdb.connect()
    tiny_landing(con, **FAULTS)
    return validate(con, EXPECTATIONS, docs, 0.95), docs


def _finding(results: list[CheckResult], source: str, column: str) -> CheckResult:
    found = [r for r in results if (r.source, r.column) == (source, column) and not r.success]
    assert found, summarise(results)
    return found[0]


@pytest.mark.parametrize(("source", "column", "details"), [
    ("jeugdhulp", "kosten", "2 van 406 rijen; kosten negatief of meer dan 2 miljoen euro per "
                            "record; jeugdhulp.csv regel 3, 4"),
    ("jeugdhulp", "datums_plausibel", "2 van 406 rijen; datum voor 1990 of aanvang meer dan "
                                      "een jaar na vandaag; jeugdhulp.csv regel 5, 6"),
    ("inschrijvingen", "leeftijd_bij_inschrijving",
     "1 van 4 rijen; leeftijd bij inschrijving buiten 2-30 jaar (geboortedatum uit personen); "
     "inschrijvingen.csv regel 5"),
    ("scholen", "jeugdhulp_gewoon", "1 van 3 rijen; meer dan 100 keer de gebruikelijke "
                                    "jeugdhulp per leerling; scholen.csv regel 4"),
    ("jeugdhulp", "aanbieder", "1 van 406 rijen; AGB-code is 8 cijfers; jeugdhulp.csv regel 7"),
    ("scholen", "swv", "1 van 3 rijen; scholen.csv regel 3"),
])
def test_extreme_and_hostile_values_are_flagged_by_rule_file_and_line_only(
        checked, source: str, column: str, details: str) -> None:
    finding = _finding(checked[0], source, column)
    assert (finding.severity, finding.details) == ("waarschuwing", details)


def test_no_delivered_value_reaches_the_results_or_the_data_docs(checked) -> None:
    results, docs = checked
    text = "\n".join(r.details for r in results) + summarise(results)
    html = "".join(p.read_text(encoding="utf-8", errors="replace").lower()
                   for p in docs.rglob("*.html"))
    assert "1 unexpected values found" in html  # the Data Docs show counts and rules
    for value in HOSTILE:
        assert value not in text
        assert value.lower() not in html, value
    assert "&lt;script" not in html


@pytest.mark.parametrize(("cell", "problem"), [
    (f"toelichting: BSN {BSN} bekend", "1 cel(len) met een getal dat op een BSN lijkt"),
    (f"x{UPPER_PSEUDONYM}x", "1 cel(len) met iets dat op een pseudoniem lijkt"),
    (f"Id {UPPER_PSEUDONYM[:30].lower()}{UPPER_PSEUDONYM[30:]}",
     "1 cel(len) met iets dat op een pseudoniem lijkt"),
])
def test_the_publish_check_finds_bsn_and_pseudonyms_anywhere_in_a_cell_in_any_case(
        cell: str, problem: str) -> None:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA publish")
    store_frame(con, "validation_results", pd.DataFrame({"details": ["in orde", cell]}))
    con.execute("ATTACH ':memory:' AS checked")
    con.execute("CREATE TABLE checked.validation_results AS "
                "SELECT * FROM publish.validation_results")
    assert check_published(con, "checked") == [f"validation_results.details: {problem} " +
                                               ("(9 cijfers, elfproef)" if "BSN" in problem
                                                else "(64 hex-tekens)")]


def test_non_bsn_numbers_decimals_and_the_inputs_own_checksums_may_be_published() -> None:
    con = duckdb.connect()
    checksum = "f" * 64
    frame = pd.DataFrame({"t": ["123456789", "1112223330", f"[5.{BSN}, 52,{BSN}]",
                                f'{{"sha256": "{checksum}"}}']})
    con.execute("CREATE SCHEMA publish")
    store_frame(con, "runs", frame)
    con.execute("ATTACH ':memory:' AS checked")
    con.execute("CREATE TABLE checked.runs AS SELECT * FROM publish.runs")
    assert check_published(con, "checked", [checksum]) == []
    assert check_published(con, "checked") == [
        "runs.t: 1 cel(len) met iets dat op een pseudoniem lijkt (64 hex-tekens)"]


def test_data_docs_with_an_upper_case_pseudonym_publish_nothing(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.html").write_text(f"<td>{UPPER_PSEUDONYM}</td>", encoding="utf-8")
    con = duckdb.connect()
    con.execute("CREATE SCHEMA publish")
    store_frame(con, "indicator_values", pd.DataFrame({"value": [0.5]}))
    with pytest.raises(PublishError, match="de Data Docs bevatten iets dat op een pseudoniem "
                                           r"of BSN lijkt \(index.html\)"):
        publish(con, "publish", tmp_path / "published", "run-1", docs, {"run_id": "run-1"}, 5)
    assert current_database(tmp_path / "published") is None
    assert list((tmp_path / "published" / "versions").iterdir()) == []
