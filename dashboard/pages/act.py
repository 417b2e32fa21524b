"""Act – Kwaliteitskompas blok 6: the meeting record (filled in by the meeting issue)."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.components.page import published_page
from dashboard.context import published

dash.register_page(__name__, path="/act", name="Act", title="Act – Jeugd & Onderwijs")

QUESTIONS = ("Herkennen we deze cijfers?", "Kunnen we ze verklaren?", "Wat vinden we ervan?",
             "Wat willen we verbeteren?")


@published_page("Act")
def layout(**_query) -> html.Div:
    catalogue = published().catalogue()
    return html.Div([
        html.H1("Act"),
        html.H2("6 Verbetercyclus: Hoe kunnen gemeenten en voorzieningen de outcome "
                "verbeteren?"),
        html.P("Hier komt het verslag van het OOGO: per indicator de antwoorden op de vier "
               "vragen en de afgesproken verbeteracties met eigenaar, datum en status. Het "
               "vastleggen volgt in een volgende versie; de vragen staan al klaar.",
               className="toelichting"),
        html.Div([html.Section([
            html.H3(dcc.Link(entry["naam"], href=f"/check?indicator={entry['indicator_id']}")),
            html.Ol([html.Li(q) for q in QUESTIONS]),
        ], className="blok") for _, entry in catalogue.iterrows()]),
    ])
