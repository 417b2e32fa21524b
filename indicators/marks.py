"""Time marks: a schooljaar whose youth-care figures are *onvolledig* or *voorlopig*.

One row per indicator, schooljaar and mark (published as `period_marks`), for the indicators
fed by the youth-care delivery: a fact about the delivery per year, never per cell, so it tells
nothing about an area's counts. The rules are in sql/period_marks.sql; docs/definitions.md.
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb
import pandas as pd

from indicators.catalogue import PACKAGE

EXPLANATION = {
    "onvolledig": "Onvolledig: de jeugdhulplevering bevat niet de trajecten die bij de start "
                  "van dit schooljaar al liepen (geen enkel lopend traject begon meer dan een "
                  "jaar eerder), dus langlopende hulp zoals verblijf ontbreekt. Vergelijk dit "
                  "schooljaar niet met latere.",
    "voorlopig": "Voorlopig: het laatste jaar van de Beleidsinformatie Jeugd; trajecten worden "
                 "nog nageleverd en gecorrigeerd, zoals CBS dit jaar ook voorlopig publiceert.",
}


def period_marks(con: duckdb.DuckDBPyConnection, youth_care: Collection[str]) -> pd.DataFrame:
    """indicator_id, period, mark, toelichting for every indicator in `youth_care` (the ids
    the youth-care source feeds) and every marked schooljaar."""
    marks = con.execute((PACKAGE / "sql" / "period_marks.sql").read_text(encoding="utf-8")).df()
    rows = [{"indicator_id": indicator, "period": mark.period, "mark": mark.mark,
             "toelichting": EXPLANATION[mark.mark]}
            for mark in marks.itertuples() for indicator in sorted(youth_care)]
    return pd.DataFrame(rows, columns=["indicator_id", "period", "mark", "toelichting"])
