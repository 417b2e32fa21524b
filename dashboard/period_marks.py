"""Time marks beside a year's figure: a schooljaar whose figures are *onvolledig* or
*voorlopig* (published as `period_marks`, indicators/marks.py). The year label carries the
mark ("2025-2026 (voorlopig)") and one caption line per mark gives its toelichting; the Check
page and the meeting pack both use this, so a mark never shows in one and not the other."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from dash import html


def of(marks: pd.DataFrame, indicator: str, periods: Iterable[str] | None = None
       ) -> pd.DataFrame:
    """The marks of one indicator, only for `periods` when given (the years on show)."""
    chosen = marks[marks["indicator_id"] == indicator]
    if periods is not None:
        chosen = chosen[chosen["period"].isin(set(periods))]
    return chosen.sort_values(["period", "mark"])


def labels(marks: pd.DataFrame) -> dict[str, str]:
    """period -> '2025-2026 (voorlopig)' for every marked period of `of()`'s result."""
    return {period: f"{period} ({', '.join(part['mark'])})"
            for period, part in marks.groupby("period", sort=True)}


def label(period: str, marks: pd.DataFrame) -> str:
    return labels(marks).get(period, period)


def relabel(frame: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """The frame with its `period` column as the labels a reader sees."""
    named = labels(marks)
    return frame.assign(period=[named.get(p, p) for p in frame["period"]])


def lines(marks: pd.DataFrame) -> list[str]:
    """One line per mark (never per row): '2025-2026 (voorlopig) – Voorlopig: …'."""
    return [f"{row.period} ({row.mark}) – {row.toelichting}" for row in marks.itertuples()]


def caption(marks: pd.DataFrame) -> html.Ul | None:
    """The toelichting of every mark, under the chart and table that show the years."""
    found = lines(marks)
    return html.Ul([html.Li(line) for line in found], className="tijdmerken") if found \
        else None
