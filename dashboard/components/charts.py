"""Plotly figures in the monitor's style: Dutch numbers, colours with AA contrast, legends above
the plot, horizontal bars sorted by value, the viewer's own areas highlighted."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from dashboard import format as fmt
from indicators.stats import funnel_limits

BLUE, ORANGE, GREY, GREEN, RED = "#1f4e79", "#b35900", "#595959", "#2e6b30", "#a4262c"
PURPLE, HIDDEN_GREY = "#5c2d91", "#8c8c8c"
PALETTE = [BLUE, ORANGE, GREEN, RED, PURPLE, "#00607a", "#7a5c00", GREY]
LAYOUT = {"separators": ",.", "font": {"family": "system-ui, sans-serif", "size": 14},
          "margin": {"l": 60, "r": 20, "t": 50, "b": 50}, "plot_bgcolor": "white",
          "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}}
OWN_LABELS = 8  # own points named on a funnel itself up to this many (more would overlap)
BAR_HEIGHT = 24  # pixels per bar: labels stay readable, the plot grows with the areas


def _figure(**layout) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(**{**LAYOUT, **layout})
    figure.update_xaxes(showgrid=False, linecolor=GREY, tickformat=fmt.AXIS_FORMAT)
    figure.update_yaxes(gridcolor="#dddddd", linecolor=GREY, rangemode="tozero",
                        tickformat=fmt.AXIS_FORMAT)
    return figure


def sparkline(periods: list[str], values: list[float]) -> go.Figure:
    figure = _figure(height=70, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False)
    figure.add_scatter(x=periods, y=values, mode="lines+markers", line={"color": BLUE})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


REFERENCE_DASHES = ("dot", "dash", "dashdot", "longdash")


def trend(frame: pd.DataFrame, unit: str, targets: pd.DataFrame | None = None,
          references: pd.DataFrame | None = None, name: str = "waarde",
          period_labels: dict[str, str] | None = None) -> go.Figure:
    """Value per schooljaar with its 95% interval, the target trajectory and references
    (each reference its own colour and dash style); `period_labels` renames a year on the
    axis ('2025-2026 (voorlopig)', dashboard/period_marks.py)."""
    figure = _figure(yaxis_title=fmt.unit_label(unit), height=360)
    figure.update_xaxes(type="category")
    shown = frame.dropna(subset=["value"])
    figure.add_scatter(x=shown["period"], y=shown["value"], mode="lines+markers",
                       name=name, line={"color": BLUE, "width": 3},
                       hovertemplate=f"%{{x}}: {fmt.hover(unit)}<extra></extra>",
                       error_y={"type": "data", "symmetric": False,
                                "array": shown["ci_high"] - shown["value"],
                                "arrayminus": shown["value"] - shown["ci_low"],
                                "color": BLUE})
    if targets is not None and not targets.empty:
        figure.add_scatter(x=targets["period"], y=targets["trajectory_value"], mode="lines",
                           name="doel-traject", line={"color": ORANGE, "dash": "dash"},
                           hovertemplate=f"doel %{{x}}: {fmt.hover(unit)}<extra></extra>")
    colours = {"landelijk": GREY, "gemeente": GREEN}
    others = iter([c for c in PALETTE if c not in (BLUE, ORANGE, GREY)] * 4)
    for index, (label, part) in enumerate(references.groupby("reference", sort=False)
                                          if references is not None
                                          and not references.empty else []):
        figure.add_scatter(x=part["period"], y=part["value"], mode="lines+markers", name=label,
                           line={"color": colours.get(label) or next(others),
                                 "dash": REFERENCE_DASHES[index % len(REFERENCE_DASHES)]},
                           hovertemplate=f"{label} %{{x}}: {fmt.hover(unit)}<extra></extra>")
    if period_labels:  # every year gets a tick: tickvals alone would drop the unmarked ones
        years = sorted({p for trace in figure.data for p in trace.x if isinstance(p, str)})
        figure.update_xaxes(tickvals=years, ticktext=[period_labels.get(p, p) for p in years])
    return figure


def funnel(frame: pd.DataFrame, centre: float, unit: str,
           highlight: frozenset[str] = frozenset(), centre_name: str = "gemeente") -> go.Figure:
    """Value against denominator with 95% and 99,8% control limits around `centre`.

    Rows with `anoniem` (dashboard/peers.py: at the middle of their size class) are grey
    points without a name: the hover gives the value only. Own areas are labelled diamonds.
    """
    figure = _figure(xaxis_title="noemer (aantal)", yaxis_title=fmt.unit_label(unit),
                     height=420)
    shown = frame.dropna(subset=["value", "denominator"])
    factor = fmt.UNIT_FACTOR[unit]
    if len(shown):
        n = np.linspace(max(shown["denominator"].min() * 0.8, 1),
                        shown["denominator"].max() * 1.1, 80)
        for confidence, dash in ((0.95, "dash"), (0.998, "dot")):
            low, high = funnel_limits(centre / factor, n, confidence)
            figure.add_scatter(x=n, y=high * factor, mode="lines", hoverinfo="skip",
                               name=f"{fmt.number(confidence * 100, 1)}%-grens",
                               line={"color": GREY, "dash": dash})
            figure.add_scatter(x=n, y=low * factor, mode="lines", showlegend=False,
                               hoverinfo="skip", line={"color": GREY, "dash": dash})
    figure.add_hline(y=centre, line={"color": GREEN}, annotation_text=centre_name)
    labels = pd.Series(fmt.area_labels(shown), index=shown.index)
    anonymous = shown["anoniem"].astype(bool) if "anoniem" in shown else \
        pd.Series(False, index=shown.index)
    mine = shown["area_code"].isin(highlight) & ~anonymous
    peers = shown[anonymous]
    if len(peers):
        figure.add_scatter(x=peers["denominator"], y=peers["value"], mode="markers",
                           name="andere (anoniem, bij hun grootteklasse)",
                           marker={"color": HIDDEN_GREY, "size": 8, "opacity": 0.8},
                           hovertemplate=f"anoniem: {fmt.hover(unit)}<extra></extra>")
    # Own areas carry their name on the plot while the labels stay readable, else on hover.
    own_mode = "markers+text" if mine.sum() <= OWN_LABELS else "markers"
    for part, name, marker, mode in (
            (shown[~mine & ~anonymous], "gebieden", {"color": BLUE, "size": 9}, "markers"),
            (shown[mine], "eigen", {"color": ORANGE, "size": 14, "symbol": "diamond",
                                    "line": {"color": "black", "width": 1}}, own_mode)):
        if len(part):
            figure.add_scatter(x=part["denominator"], y=part["value"], mode=mode, name=name,
                               text=labels[part.index], marker=marker, textposition="top center",
                               hovertemplate=f"%{{text}}<br>{fmt.hover(unit)} "
                                             "(n = %{x:,.0f})<extra></extra>")
    return figure


def bar_rows(frame: pd.DataFrame, highlight: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The rows a bar chart needs from a values frame: label, value, own (visible ones only)."""
    shown = frame.dropna(subset=["value"])
    return pd.DataFrame({"label": fmt.area_labels(shown), "value": shown["value"].to_numpy(),
                         "own": shown["area_code"].isin(highlight).to_numpy()})


def bars(rows: pd.DataFrame, unit: str, top: int | None = None, search: str = "") -> go.Figure:
    """Horizontal bars sorted by value (highest on top); own areas orange and always shown.

    `top` keeps the highest N (plus own areas); `search` keeps labels containing the text.
    """
    rows = rows.sort_values("value", ascending=False)
    if search:
        rows = rows[rows["label"].str.contains(search, case=False, regex=False)]
    if top:
        rows = rows[(np.arange(len(rows)) < top) | rows["own"].to_numpy()]
    figure = _figure(height=max(220, 90 + BAR_HEIGHT * len(rows)), showlegend=False,
                     xaxis_title=fmt.unit_label(unit), margin={**LAYOUT["margin"], "l": 10})
    figure.add_bar(y=rows["label"], x=rows["value"], orientation="h",
                   marker_color=[ORANGE if own else BLUE for own in rows["own"]],
                   hovertemplate=f"%{{y}}: {fmt.hover(unit, 'x')}<extra></extra>")
    figure.update_yaxes(autorange="reversed", automargin=True, type="category",
                        rangemode="normal", gridcolor="white")
    figure.update_xaxes(showgrid=True, gridcolor="#dddddd")
    return figure


def mix(frame: pd.DataFrame) -> go.Figure:
    """Stacked shares per area, horizontal (rows: label, category_label, share); each bar 100%."""
    labels = frame["label"].drop_duplicates()
    figure = _figure(barmode="stack", height=max(260, 120 + BAR_HEIGHT * len(labels)),
                     xaxis_title="% van de trajecten", margin={**LAYOUT["margin"], "l": 10})
    for index, (name, part) in enumerate(frame.groupby("category_label", sort=False)):
        colour = HIDDEN_GREY if name == fmt.OTHER else PALETTE[index % len(PALETTE)]
        figure.add_bar(y=part["label"], x=part["share"], name=name, orientation="h",
                       marker_color=colour,
                       hovertemplate=f"{name}, %{{y}}: %{{x:,.1f}}%<extra></extra>")
    figure.update_yaxes(autorange="reversed", automargin=True, type="category",
                        rangemode="normal", gridcolor="white")
    figure.update_xaxes(range=[0, 100])
    return figure


def _rings(geometry: dict) -> list[list]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" \
        else [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons]


def _map_colour(amount: float, low: float, high: float) -> str:
    """From light-but-visible blue to dark blue, never the grey of a hidden wijk."""
    share = 0.3 + 0.7 * ((amount - low) / (high - low) if high > low else 0.5)
    return sample_colorscale("Blues", [share])[0]


def wijk_map(geometry: pd.DataFrame, frame: pd.DataFrame, unit: str,
             schools: pd.DataFrame | None = None) -> go.Figure:
    """Choropleth of the real CBS wijken, with school points, drawn as plain SVG shapes.

    No map tiles, no WebGL, no CDN: the map also works offline and in headless browsers.
    Hidden wijken are grey, with their own legend entry "afgeschermd".
    """
    merged = geometry.merge(frame, left_on="wijkcode", right_on="area_code", how="left")
    shown = merged["value"].dropna()
    low, high = (shown.min(), shown.max()) if len(shown) else (0.0, 1.0)
    figure = _figure(height=540, margin={"l": 0, "r": 0, "t": 40, "b": 0})
    latitudes = []
    for row in merged.itertuples():
        hidden = pd.isna(row.value)
        colour = HIDDEN_GREY if hidden else _map_colour(row.value, low, high)
        label = fmt.HIDDEN if hidden else fmt.value(row.value, unit)
        for ring in _rings(json.loads(row.geojson)):
            points = np.asarray(ring)
            latitudes.append(points[:, 1].mean())
            figure.add_scatter(x=points[:, 0], y=points[:, 1], fill="toself", mode="lines",
                               fillcolor=colour, line={"color": "#555", "width": 0.6},
                               hoveron="fills", name=row.wijknaam, showlegend=False,
                               text=f"{row.wijknaam}: {label}", hoverinfo="text")
    figure.add_scatter(x=[None], y=[None], mode="markers", name=fmt.HIDDEN,
                       marker={"color": HIDDEN_GREY, "size": 14, "symbol": "square"})
    figure.add_scatter(x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False,
                       marker={"colorscale": [[0, _map_colour(low, low, high)],
                                              [1, _map_colour(high, low, high)]],
                               "cmin": low, "cmax": high, "color": [low], "showscale": True,
                               "colorbar": {"title": fmt.unit_label(unit), "x": 1.0,
                                            "tickformat": fmt.AXIS_FORMAT}})
    if schools is not None and not schools.empty:
        located = schools.dropna(subset=["lon", "lat"])
        figure.add_scatter(x=located["lon"], y=located["lat"],
                           text=[fmt.school_label(n, c) for n, c in
                                 zip(located["naam"], located["vestigingscode"], strict=True)],
                           customdata=located["vestigingscode"], mode="markers",
                           marker={"color": ORANGE, "size": 9, "symbol": "diamond",
                                   "line": {"color": "white", "width": 1}},
                           name="scholen", hovertemplate="%{text}<extra></extra>")
    ratio = 1 / np.cos(np.deg2rad(np.mean(latitudes))) if latitudes else 1.6
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=ratio, rangemode="normal")
    return figure
