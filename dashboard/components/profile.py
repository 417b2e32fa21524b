"""The profile page both the school and the wijk profile are made of: heading, filters, one
table with every indicator beside its comparisons, the chosen indicator's target and caveat,
and its trend over the years."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from dash import html

from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.blocks import chart_block, table
from dashboard.components.controls import location, profile_filters
from dashboard.figure_notes import notes
from dashboard.tables import coverage_text, pooled_value, trend_table


@dataclass(frozen=True)
class Area:
    """The profiled area: page name, level, code, how it is called and its query field."""

    page: str
    level: str
    code: str
    name: str
    field: str
    label: str
    options: list[tuple[str, str]]


def summary(area: Area, catalogue: pd.DataFrame, own: pd.DataFrame, pooled: pd.DataFrame,
            comparisons: dict[str, pd.Series]) -> pd.DataFrame:
    """One row per indicator: the area's value (or marker), interval, its comparisons
    (column label -> indicator_id -> text) and the multi-year figure."""
    rows = []
    for _, entry in catalogue.iterrows():
        key, unit = entry["indicator_id"], entry["eenheid"]
        mine = own[own["indicator_id"] == key]
        row = {"Indicator": entry["naam"]}
        if mine.empty:
            row[area.label] = "geen gegevens"
        else:
            row[area.label] = fmt.cell(mine["value"].iat[0], unit, mine["suppressed"].iat[0])
        row["95%-interval"] = "" if mine.empty else fmt.interval(
            mine["ci_low"].iat[0], mine["ci_high"].iat[0], unit)
        row[f"{area.label}, alle jaren samen"] = pooled_value(pooled, key, unit)
        for label, texts in comparisons.items():
            row[label] = texts.get(key, "–")
        if "coverage" in mine and mine["coverage"].notna().any():
            row["Dekking"] = coverage_text(mine["coverage"].iat[0])
        rows.append(row)
    return pd.DataFrame(rows)


def values_text(frame: pd.DataFrame, catalogue: pd.DataFrame) -> pd.Series:
    """indicator_id -> formatted value of one comparison area (one row per indicator)."""
    units = catalogue.set_index("indicator_id")["eenheid"]
    return pd.Series({k: fmt.cell(v, units[k], s) for k, v, s in
                      zip(frame["indicator_id"], frame["value"], frame["suppressed"],
                          strict=True) if k in units.index}, dtype=object)


def hidden_reasons(*frames: pd.DataFrame) -> pd.Series:
    """The reasons behind the hidden cells of the given values frames (for one footnote)."""
    rows = pd.concat(frames)
    return rows.loc[rows["suppressed"].astype(bool), "suppression_reason"]


def profile(area: Area, heading: list, data, scope, catalogue: pd.DataFrame,
            chosen: tuple[str, str, list[str]], table_frame: pd.DataFrame, reasons: pd.Series,
            targets: pd.DataFrame, references: pd.DataFrame | None = None,
            extra: tuple = ()) -> html.Div:
    """The whole profile page; `chosen` = (indicator, period, periods)."""
    indicator, period, periods = chosen
    entry = catalogue.set_index("indicator_id").loc[indicator]
    unit = entry["eenheid"]
    trend = data.values(scope, indicator, area.level, area_code=area.code)
    hidden = trend.loc[trend["suppressed"].astype(bool), "suppression_reason"]
    return html.Div([
        location(area.page),
        *heading,
        profile_filters(area.page, (area.field, area.label, area.options, area.code),
                        periods, period, catalogue, indicator),
        html.Section([html.H2(f"Alle indicatoren, {period}"),
                      table(table_frame, f"{area.page}-tabel", page_size=20,
                            footnote=fmt.footnote(reasons))],
                     className="blok"),
        notes(targets, entry, area.level, area.code, period, periods),
        chart_block(f"{area.page}-trend",
                    f"{entry['naam']}: {area.label.lower()} door de jaren",
                    charts.trend(trend, unit, references=references),
                    trend_table(trend, unit), f"waarden|{indicator}|{area.level}|",
                    footnote=fmt.footnote(hidden)),
        *extra,
    ])

