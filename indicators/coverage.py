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
import pandas as pd

from settings import Indicators

REASON = "lage_dekking"
# The levels where a figure on residents only carries a coverage (sql/coverage.sql).
SCHOOL_LEVELS = ("school", "bestuur", "swv")
HIDDEN = ("numerator", "value", "ci_low", "ci_high", "numerator_afgerond")
UNKNOWN = "coverage_unknown"  # the mart's column: see unknown_coverage


def hide_low_coverage(con: duckdb.DuckDBPyConnection, indicator_settings: Indicators,
                      schema: str = "publish") -> int:
    """Hide the figures whose coverage is below min_dekking or unknown (`coverage_unknown`,
    set by stage 4: no DUO count where a figure counts residents only); returns how many rows
    that are. `coverage_unknown` is then dropped: it is no published column. A coverage that
    disclosure control withheld beside a hidden count is not unknown (that rule already
    applied min_dekking: privacy.disclosure)."""
    minimum = indicator_settings.min_dekking  # a share: its range is checked on load
    hidden = 0
    for table in ("indicator_values", "indicator_values_meerjarig"):
        columns = {row[0] for row in con.execute(f"DESCRIBE {schema}.{table}").fetchall()}
        cleared = ", ".join(f"{c} = NULL" for c in HIDDEN if c in columns)
        unknown = UNKNOWN if UNKNOWN in columns else "false"
        hidden += con.execute(f"""
            UPDATE {schema}.{table}
            SET {cleared}, suppressed = true, suppression_reason = '{REASON}'
            WHERE coverage < ? OR {unknown}""", [minimum]).fetchall()[0][0]
        if UNKNOWN in columns:
            con.execute(f"ALTER TABLE {schema}.{table} DROP COLUMN {UNKNOWN}")
    return hidden


def unknown_coverage(values: pd.DataFrame, residents_only: pd.Series) -> pd.Series:
    """Per row: a figure on residents only at a school, bestuur or swv without a coverage (no
    DUO count for the school, or for one of the bestuur's or swv's schools: sql/coverage.sql)."""
    return (residents_only & values["level"].isin(SCHOOL_LEVELS)
            & values["coverage"].isna()).astype(bool)
