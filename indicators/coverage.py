"""Hide published figures that rest on too few of an area's pupils (reason `lage_dekking`).

Youth-care and leerplicht data exist only for residents, so at a school, bestuur or swv such a
figure describes the resident pupils only; `coverage` says which share of the school's whole
enrolment (DUO's count per vestiging) that is. Below [indicators] min_dekking the figure would
not describe the school, so it is not shown; without a DUO count there is no coverage and the
figure is not shown either (sql/coverage.sql). This is
a quality rule, applied after disclosure control: it only hides more. The row stays with its
denominator (which disclosure control already let through), so hidden still means absent only
for figures disclosure control hid. Every row below min_dekking gets this reason, also one
disclosure control hid already: the reason then follows from the published coverage alone and
says nothing about the count (were only shown figures marked, `lage_dekking` would tell that
disclosure control let the count through, so that it is not small; docs/disclosure.md).
"""

from __future__ import annotations

import duckdb

from indicators.catalogue import load_catalogue
from settings import Indicators

REASON = "lage_dekking"
# The levels where a figure on residents only carries a coverage (sql/coverage.sql).
SCHOOL_LEVELS = ("school", "bestuur", "swv")
HIDDEN = ("numerator", "value", "ci_low", "ci_high", "numerator_afgerond")


def hide_low_coverage(con: duckdb.DuckDBPyConnection, indicator_settings: Indicators,
                      schema: str = "publish") -> int:
    """Hide the figures whose coverage is below min_dekking or unknown (no DUO count) where a
    figure counts residents only; returns how many rows that are."""
    minimum = indicator_settings.min_dekking  # a share: its range is checked on load
    hidden = 0
    residents_only = [i.id for i in load_catalogue()[0] if i.dekking]
    # Unknown = no coverage computed (mart), not coverage withheld by disclosure control beside
    # a hidden count (that rule already applied min_dekking: privacy.disclosure).
    unknown = ("(coverage IS NULL AND level IN (" + ", ".join(f"'{v}'" for v in SCHOOL_LEVELS)
               + ") AND indicator_id IN (" + ", ".join(f"'{i}'" for i in residents_only) + ")"
               " AND (indicator_id, level, area_code, period) IN (SELECT (indicator_id, level,"
               " area_code, period) FROM mart.indicator_values WHERE coverage IS NULL))")
    for table in ("indicator_values", "indicator_values_meerjarig"):
        columns = {row[0] for row in con.sql(f"DESCRIBE {schema}.{table}").fetchall()}
        cleared = ", ".join(f"{c} = NULL" for c in HIDDEN if c in columns)
        hidden += con.execute(f"""
            UPDATE {schema}.{table}
            SET {cleared}, suppressed = true, suppression_reason = '{REASON}'
            WHERE coverage < ? OR {unknown}""", [minimum]).fetchall()[0][0]
    return hidden
