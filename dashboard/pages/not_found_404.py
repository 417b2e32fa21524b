"""The Dutch page for an address that does not exist (Dash pages shows it for unknown paths)."""

from __future__ import annotations

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Niet gevonden",
                   title="Pagina niet gevonden – Jeugd & Onderwijs")


def layout(**_query) -> html.Div:
    return html.Div([
        html.H1("Pagina niet gevonden"),
        html.P("Deze pagina bestaat niet (meer). Controleer het adres of ga naar het overzicht."),
        dcc.Link("Naar het overzicht", href="/"),
    ])
