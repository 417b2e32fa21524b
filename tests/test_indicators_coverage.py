"""A school figure that rests on too few resident pupils is hidden with the reason."""

from __future__ import annotations

import duckdb
import pytest

from indicators.coverage import hide_low_coverage
from settings import Indicators, SettingsError, parse_settings


def _published(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA publish")
    for table in ("indicator_values", "indicator_values_meerjarig"):
        con.execute(f"""CREATE TABLE publish.{table} AS SELECT * FROM (VALUES
            ('jeugdhulp_leerlingen', 'school', '01AA00', 40.0, 300.0, 13.3, 0.64, false, NULL,
             false),
            ('jeugdhulp_leerlingen', 'school', '02BB00', 9.0, 100.0, 9.0, 0.31, false, NULL,
             false),
            ('jeugdhulp_leerlingen', 'school', '03CC00', NULL, NULL, NULL, 0.2, true,
             'afgeschermd', false),
            -- coverage known but withheld beside its hidden count: not lage_dekking
            ('jeugdhulp_leerlingen', 'school', '04DD00', NULL, NULL, NULL, NULL, true,
             'afgeschermd', false),
            -- no DUO count: coverage unknown, hidden as lage_dekking
            ('jeugdhulp_leerlingen', 'school', '05EE00', 7.0, 80.0, 8.8, NULL, false, NULL,
             true),
            ('speciaal_onderwijs', 'school', '02BB00', 0.0, 320.0, 0.0, NULL, false, NULL,
             false))
            t(indicator_id, level, area_code, numerator, denominator, value, coverage,
              suppressed, suppression_reason, coverage_unknown),
            (SELECT '2023-2024' AS period)""")


def test_values_below_the_minimum_coverage_are_hidden_as_lage_dekking() -> None:
    con = duckdb.connect()
    _published(con)
    assert hide_low_coverage(con, Indicators(min_dekking=0.5)) == 6  # three rows in each table
    rows = con.sql("""SELECT area_code, indicator_id, value::DOUBLE, suppressed, suppression_reason
        FROM publish.indicator_values ORDER BY indicator_id, area_code""").fetchall()
    assert rows == [
        ("01AA00", "jeugdhulp_leerlingen", 13.3, False, None),  # 64%: shown
        ("02BB00", "jeugdhulp_leerlingen", None, True, "lage_dekking"),  # 31%: hidden
        # Hidden by disclosure control too: marked by its coverage alone, so the marker
        # never tells that disclosure control let a count through (that it is not small).
        ("03CC00", "jeugdhulp_leerlingen", None, True, "lage_dekking"),
        ("04DD00", "jeugdhulp_leerlingen", None, True, "afgeschermd"),
        ("05EE00", "jeugdhulp_leerlingen", None, True, "lage_dekking"),  # no DUO count
        ("02BB00", "speciaal_onderwijs", 0.0, False, None),  # not a youth-care figure
    ]
    # The marker is no published column.
    columns = {row[0] for row in con.sql("DESCRIBE publish.indicator_values").fetchall()}
    assert "coverage_unknown" not in columns


def test_the_minimum_coverage_must_be_a_share(tmp_path) -> None:
    with pytest.raises(SettingsError, match=r"min_dekking = 50 valt buiten het toegestane "
                                            r"bereik: van 0 tot en met 1"):
        parse_settings(tmp_path / "monitor.toml", {"indicators": {"min_dekking": 50}})
