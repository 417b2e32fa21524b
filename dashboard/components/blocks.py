"""A chart with its accessible alternatives: the same data as a table (with one footnote for
hidden cells), CSV and Excel downloads, and for long bar charts a search and a top-N."""

from __future__ import annotations

import json

import pandas as pd
from dash import MATCH, Input, Output, State, dash_table, dcc, html

from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.controls import DROPDOWN_LABELS

GRAPH_CONFIG = {"displayModeBar": False, "locale": "nl"}  # no toolbar: no English, no tab stops
MANY_AREAS = 30  # above this a bar chart opens on its top 25, with a search
TOP_CHOICES = (("10", "10 hoogste"), ("25", "25 hoogste"), ("50", "50 hoogste"), ("0", "alle"))


def table(frame: pd.DataFrame, table_id: str | dict, markdown: tuple[str, ...] = (),
          page_size: int = 15, footnote: str = "") -> html.Div:
    """A plain, keyboard-navigable table; `markdown` columns may hold links."""
    return html.Div([
        dash_table.DataTable(
            id=table_id,
            data=frame.to_dict("records"),
            columns=[{"name": c, "id": c,
                      "presentation": "markdown" if c in markdown else "input"}
                     for c in frame.columns],
            page_size=page_size, sort_action="native", markdown_options={"link_target": "_self"},
            style_cell={"fontFamily": "inherit", "fontSize": "0.95rem", "textAlign": "left",
                        "padding": "4px 8px", "whiteSpace": "normal", "height": "auto"},
            style_header={"fontWeight": "bold", "backgroundColor": "#e8eef5", "color": "#111"},
        ),
        html.P(footnote, className="voetnoot") if footnote else None,
    ])


def download_button(key: str) -> html.Div:
    return html.Div([
        html.Button("Download CSV", id={"type": "csv-knop", "key": key}, className="knop",
                    n_clicks=0),
        html.Button("Download Excel", id={"type": "xlsx-knop", "key": key}, className="knop",
                    n_clicks=0),
        dcc.Download(id={"type": "csv-bestand", "key": key}),
        dcc.Download(id={"type": "xlsx-bestand", "key": key}),
    ], className="download")


def chart_block(block_id: str, title: str, figure, frame: pd.DataFrame, download_key: str,
                note: str | None = None, markdown: tuple[str, ...] = (),
                footnote: str = "") -> html.Section:
    """Title, chart, an optional note, the same data as a table, and the downloads."""
    return html.Section([
        html.H3(title),
        dcc.Graph(id=f"{block_id}-grafiek", figure=figure, config=GRAPH_CONFIG),
        _rest(block_id, frame, download_key, note, markdown, footnote),
    ], className="blok", id=block_id)


def _rest(block_id: str, frame: pd.DataFrame, download_key: str, note: str | None,
          markdown: tuple[str, ...], footnote: str) -> html.Div:
    return html.Div([
        html.P(note, className="toelichting") if note else None,
        html.Details([html.Summary("Toon als tabel"),
                      table(frame, f"{block_id}-tabel", markdown=markdown, footnote=footnote)]),
        download_button(download_key),
    ])


def bar_block(block_id: str, title: str, rows: pd.DataFrame, unit: str, frame: pd.DataFrame,
              download_key: str, note: str | None = None, markdown: tuple[str, ...] = (),
              footnote: str = "") -> html.Section:
    """Horizontal bars sorted by value; with many areas a top-N and a search above them."""
    top = "25" if len(rows) > MANY_AREAS else "0"
    key = {"key": block_id}
    controls = html.Div([
        html.Label(["Zoek een gebied", dcc.Input(id={"type": "balk-zoek", **key}, type="search",
                                                 debounce=True, placeholder="naam of code")],
                   className="zoek"),
        html.Div([html.Label("Toon", htmlFor=_dom_id({"type": "balk-top", **key})),
                  dcc.Dropdown(id={"type": "balk-top", **key}, clearable=False,
                               searchable=False, value=top, labels=DROPDOWN_LABELS,
                               options=[{"label": t, "value": v} for v, t in TOP_CHOICES])]),
    ], className="filters") if len(rows) > MANY_AREAS else None
    return html.Section([
        html.H3(title),
        controls,
        dcc.Store(id={"type": "balk-data", **key}, data={"unit": unit,
                                                          "rows": rows.to_dict("records")}),
        dcc.Graph(id={"type": "balk-grafiek", **key}, config=GRAPH_CONFIG,
                  figure=charts.bars(rows, unit, top=int(top))),
        _rest(block_id, frame, download_key, note, markdown, footnote),
    ], className="blok", id=block_id)


def register(app) -> None:
    """The bar charts' search and top-N, registered on each app (a module-level @callback
    would only reach the first app created in a process)."""
    @app.callback(Output({"type": "balk-grafiek", "key": MATCH}, "figure"),
                  Input({"type": "balk-zoek", "key": MATCH}, "value"),
                  Input({"type": "balk-top", "key": MATCH}, "value"),
                  State({"type": "balk-data", "key": MATCH}, "data"), prevent_initial_call=True)
    def filter_bars(search: str | None, top: str | None, stored: dict):
        """Redraw from the rows the server already sent this viewer: nothing new is revealed."""
        rows = pd.DataFrame(stored["rows"], columns=["label", "value", "own"])
        return charts.bars(rows, stored["unit"], top=int(top or 0),
                           search=(search or "").strip())


def _dom_id(component_id: dict) -> str:
    """The id Dash gives a pattern-matching component in the page (sorted compact JSON)."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def empty_block(block_id: str, title: str, sentence: list) -> html.Section:
    """Instead of an empty chart: why there is nothing to show, and where to look instead."""
    return html.Section([html.H3(title), html.P(sentence, className="leeg")],
                        className="blok", id=block_id)


def hidden_footnote(frame: pd.DataFrame) -> str:
    return fmt.footnote(frame.loc[frame["suppressed"].astype(bool), "suppression_reason"])
