"""Hide published figures that rest on too few of an area's pupils (reason `lage_dekking`).

Youth-care and leerplicht data exist only for residents, so at a school, bestuur or swv such a
figure describes the resident pupils only; `coverage` says which share that is. Below
[indicators] min_dekking the figure would not describe the school, so it is not shown. This is
a quality rule, applied after disclosure control: it only hides more. The row stays with its
denominator (which disclosure control already let through), so hidden still means absent only
for figures disclosure control hid.
"""

from __future__ import annotations

import duckdb

from settings import Indicators

REASON = "lage_dekking"
HIDDEN = ("numerator", "value", "ci_low", "ci_high", "numerator_afgerond")


def hide_low_coverage(con: duckdb.DuckDBPyConnection, indicator_settings: Indicators,
                      schema: str = "publish") -> int:
    """Hide shown cells whose coverage is below min_dekking; returns how many were hidden."""
    minimum = indicator_settings.min_dekking  # a share: its range is checked on load
    hidden = 0
    for table in ("indicator_values", "indicator_values_meerjarig"):
        columns = {row[0] for row in con.sql(f"DESCRIBE {schema}.{table}").fetchall()}
        cleared = ", ".join(f"{c} = NULL" for c in HIDDEN if c in columns)
        hidden += con.execute(f"""
            UPDATE {schema}.{table}
            SET {cleared}, suppressed = true, suppression_reason = '{REASON}'
            WHERE NOT suppressed AND coverage < ?""", [minimum]).fetchall()[0][0]
    return hidden
