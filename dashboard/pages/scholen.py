"""Scholen: every school on a map and in a table; both open the school profile."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html, no_update

from dashboard.components import charts
from dashboard.components.blocks import chart_block
from dashboard.context import current_scope, published
from dashboard.data import NotPublished
from dashboard.tables import school_table

dash.register_page(__name__, path="/scholen", name="Scholen", title="Scholen – Jeugd & Onderwijs")


def layout(**_query) -> html.Div:
    data, scope = published(), current_scope()
    try:
        schools = data.schools(scope)
        period = data.periods()[-1]
    except NotPublished as error:
        return html.Div([html.H1("Scholen"), html.P(str(error))])
    wijken = data.values(scope, "jeugdhulp_leerlingen", "wijk", period)
    return html.Div([
        dcc.Location(id="scholen-adres", refresh=True),
        html.H1("Scholen"),
        html.P("Klik op een school op de kaart of in de tabel voor het schoolprofiel."),
        chart_block("scholen-kaart", "Scholen en leerlingen met jeugdhulp per wijk",
                    charts.wijk_map(data.wijk_geometry(), wijken, "%", schools),
                    school_table(schools), "scholen", markdown=("School",)),
    ])


@callback(Output("scholen-adres", "href"), Input("scholen-kaart-grafiek", "clickData"),
          prevent_initial_call=True)
def open_profile(click: dict | None) -> str:
    points = [p for p in (click or {}).get("points", []) if p.get("customdata")]
    if not points:
        return no_update
    return f"/school?vestigingscode={points[0]['customdata']}"
