"""Plotly figures in the monitor's style (Dutch separators, colours with AA contrast)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from indicators.stats import funnel_limits

BLUE, ORANGE, GREY, GREEN, RED = "#1f4e79", "#b35900", "#595959", "#2e6b30", "#a4262c"
LAYOUT = {"separators": ",.", "font": {"family": "system-ui, sans-serif", "size": 14},
          "margin": {"l": 50, "r": 20, "t": 30, "b": 50}, "plot_bgcolor": "white",
          "legend": {"orientation": "h", "y": -0.2}}


def _figure(**layout) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(**{**LAYOUT, **layout})
    figure.update_xaxes(showgrid=False, linecolor=GREY)
    figure.update_yaxes(gridcolor="#dddddd", linecolor=GREY, rangemode="tozero")
    return figure


def sparkline(periods: list[str], values: list[float]) -> go.Figure:
    figure = _figure(height=70, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False)
    figure.add_scatter(x=periods, y=values, mode="lines+markers", line={"color": BLUE})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def trend(frame: pd.DataFrame, unit_label: str, targets: pd.DataFrame | None = None,
          references: pd.DataFrame | None = None) -> go.Figure:
    """Value per schooljaar with its 95% interval, the target trajectory and references."""
    figure = _figure(yaxis_title=unit_label, height=360)
    shown = frame.dropna(subset=["value"])
    figure.add_scatter(x=shown["period"], y=shown["value"], mode="lines+markers",
                       name="waarde", line={"color": BLUE, "width": 3},
                       error_y={"type": "data", "symmetric": False,
                                "array": shown["ci_high"] - shown["value"],
                                "arrayminus": shown["value"] - shown["ci_low"],
                                "color": BLUE})
    if targets is not None and not targets.empty:
        figure.add_scatter(x=targets["period"], y=targets["trajectory_value"], mode="lines",
                           name="doel-traject", line={"color": ORANGE, "dash": "dash"})
    for name, part in (references.groupby("reference") if references is not None
                       and not references.empty else []):
        figure.add_scatter(x=part["period"], y=part["value"], mode="lines", name=name,
                           line={"color": GREY if name == "landelijk" else GREEN,
                                 "dash": "dot"})
    return figure


def funnel(frame: pd.DataFrame, centre: float, factor: float, unit_label: str,
           highlight: str | None = None) -> go.Figure:
    """Value against denominator with 95% and 99,8% control limits around `centre`."""
    figure = _figure(xaxis_title="noemer (aantal)", yaxis_title=unit_label, height=400)
    shown = frame.dropna(subset=["value", "denominator"])
    if shown.empty:
        return figure
    n = np.linspace(max(shown["denominator"].min() * 0.8, 1), shown["denominator"].max() * 1.1,
                    80)
    p = centre / factor
    for confidence, dash in ((0.95, "dash"), (0.998, "dot")):
        low, high = funnel_limits(p, n, confidence)
        label = f"{str(confidence * 100).replace('.', ',')}%-grens"
        figure.add_scatter(x=n, y=high * factor, mode="lines", name=label,
                           line={"color": GREY, "dash": dash})
        figure.add_scatter(x=n, y=low * factor, mode="lines", showlegend=False,
                           line={"color": GREY, "dash": dash})
    figure.add_hline(y=centre, line={"color": GREEN}, annotation_text="gemeente")
    colours = [ORANGE if code == highlight else BLUE for code in shown["area_code"]]
    figure.add_scatter(x=shown["denominator"], y=shown["value"], mode="markers", name="gebieden",
                       text=shown["area_name"], marker={"color": colours, "size": 9},
                       hovertemplate="%{text}<br>%{y:.1f} (n = %{x})<extra></extra>")
    return figure


def bars(frame: pd.DataFrame, x: str, y: str, unit_label: str, colour: str = BLUE,
         height: int = 380) -> go.Figure:
    figure = _figure(yaxis_title=unit_label, height=height)
    figure.add_bar(x=frame[x], y=frame[y], marker_color=colour)
    return figure


def mix(frame: pd.DataFrame, unit_label: str) -> go.Figure:
    """Stacked shares per area (rows: area_name, category_label, share)."""
    figure = _figure(barmode="stack", yaxis_title=unit_label, height=380)
    palette = [BLUE, ORANGE, GREEN, RED, "#5c2d91", GREY, "#00607a", "#7a5c00"]
    for index, (label, part) in enumerate(frame.groupby("category_label", sort=False)):
        figure.add_bar(x=part["area_name"], y=part["share"], name=label,
                       marker_color=palette[index % len(palette)])
    return figure


def _rings(geometry: dict) -> list[list]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" \
        else [geometry["coordinates"]]
    return [polygon[0] for polygon in polygons]


def wijk_map(geometry: pd.DataFrame, frame: pd.DataFrame, unit_label: str,
             schools: pd.DataFrame | None = None) -> go.Figure:
    """Choropleth of the real CBS wijken, with school points, drawn as plain SVG shapes.

    No map tiles, no WebGL, no CDN: the map also works offline and in headless browsers.
    """
    merged = geometry.merge(frame, left_on="wijkcode", right_on="area_code", how="left")
    shown = merged["value"].dropna()
    low, high = (shown.min(), shown.max()) if len(shown) else (0.0, 1.0)
    figure = _figure(height=520, showlegend=False, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    latitudes = []
    for row in merged.itertuples():
        if pd.isna(row.value):
            colour, label = "#eeeeee", "niet zichtbaar: klein aantal"
        else:
            share = 0.15 + 0.85 * ((row.value - low) / (high - low) if high > low else 0.5)
            colour, label = sample_colorscale("Blues", [share])[0], f"{row.value:.1f}"
        for ring in _rings(json.loads(row.geojson)):
            points = np.asarray(ring)
            latitudes.append(points[:, 1].mean())
            figure.add_scatter(x=points[:, 0], y=points[:, 1], fill="toself", mode="lines",
                               fillcolor=colour, line={"color": "#555", "width": 0.6},
                               hoveron="fills", name=row.wijknaam,
                               text=f"{row.wijknaam}: {label.replace('.', ',')}",
                               hoverinfo="text")
    figure.add_scatter(x=[None], y=[None], mode="markers", hoverinfo="skip", marker={
        "colorscale": "Blues", "cmin": low, "cmax": high, "color": [low],
        "colorbar": {"title": unit_label, "x": 1.0}, "showscale": True})
    if schools is not None and not schools.empty:
        located = schools.dropna(subset=["lon", "lat"])
        figure.add_scatter(x=located["lon"], y=located["lat"], text=located["naam"],
                           customdata=located["vestigingscode"], mode="markers",
                           marker={"color": ORANGE, "size": 9, "symbol": "diamond",
                                   "line": {"color": "white", "width": 1}},
                           name="scholen", hovertemplate="%{text}<extra></extra>")
    ratio = 1 / np.cos(np.deg2rad(np.mean(latitudes))) if latitudes else 1.6
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=ratio, rangemode="normal")
    return figure
