"""A chart with its accessible alternatives: 'Toon als tabel' and a CSV download."""

from __future__ import annotations

import pandas as pd
from dash import dash_table, dcc, html


def table(frame: pd.DataFrame, table_id: str | dict, markdown: tuple[str, ...] = (),
          page_size: int = 15) -> dash_table.DataTable:
    """A plain, keyboard-navigable table; `markdown` columns may hold links."""
    return dash_table.DataTable(
        id=table_id,
        data=frame.to_dict("records"),
        columns=[{"name": c, "id": c, "presentation": "markdown" if c in markdown else "input"}
                 for c in frame.columns],
        page_size=page_size, sort_action="native", markdown_options={"link_target": "_self"},
        style_cell={"fontFamily": "inherit", "fontSize": "0.95rem", "textAlign": "left",
                    "padding": "4px 8px", "whiteSpace": "normal", "height": "auto"},
        style_header={"fontWeight": "bold", "backgroundColor": "#e8eef5", "color": "#111"},
    )


def download_button(key: str) -> html.Div:
    return html.Div([
        html.Button("Download CSV", id={"type": "csv-knop", "key": key}, className="knop",
                    n_clicks=0),
        dcc.Download(id={"type": "csv-bestand", "key": key}),
    ], className="download")


def chart_block(block_id: str, title: str, figure, frame: pd.DataFrame, download_key: str,
                note: str | None = None, markdown: tuple[str, ...] = ()) -> html.Section:
    """Title, chart, an optional note, the same data as a table, and a CSV download."""
    return html.Section([
        html.H3(title),
        dcc.Graph(id=f"{block_id}-grafiek", figure=figure,
                  config={"displaylogo": False, "locale": "nl"}),
        html.P(note, className="toelichting") if note else None,
        html.Details([html.Summary("Toon als tabel"),
                      table(frame, f"{block_id}-tabel", markdown=markdown)]),
        download_button(download_key),
    ], className="blok", id=block_id)
